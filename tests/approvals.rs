//! §4.4 Approvals and third-party moves (issue #18, finding 1): what a
//! session approves counts on top of what leaves the account, so neither an
//! approval hidden behind an unrelated pull nor a third party's tokens moved
//! beside one can take the limit twice, while approve + swap counts once.
//! §4.10: what a session approved, the owner's revoke can clear.

use session_account::contract::{selectors, ContractError};
use session_account::tx;
use session_account_e2e::{send_without_estimate, World};
use starknet_rust::core::types::{Call, Felt, U256};
use starknet_rust::signers::SigningKey;

/// A world with the test token (1000 held by the account), the router, a
/// third party (predeployed account 2) and a session allowed both contracts
/// with a limit of 100 on the token and three calls per transaction.
struct Setup {
    world: World,
    token: Felt,
    router: Felt,
    third: Felt,
    key: SigningKey,
}

async fn setup(owner_allows_router: bool) -> Setup {
    let world = World::new().await;
    let (token, router) = world.test_token_and_router(1000).await;
    if owner_allows_router {
        tx::execute(&world.owner(), vec![approve(token, router, 1000)]).await.unwrap();
    }
    let key = SigningKey::from_random();
    let policy = world
        .policy_builder(&key, 3600, &[token, router])
        .await
        .max_calls_per_tx(3)
        .spending_limit(token, U256::from(100u8));
    world.register(&policy.build().unwrap()).await;
    let third = world.sandbox.predeployed[2].address;
    Setup { world, token, router, third, key }
}

fn approve(token: Felt, spender: Felt, amount: u128) -> Call {
    Call {
        to: token,
        selector: selectors::APPROVE,
        calldata: vec![spender, Felt::from(amount), Felt::ZERO],
    }
}

impl Setup {
    fn pull(&self, to: Felt, amount: u128) -> Call {
        Call {
            to: self.router,
            selector: selectors::PULL,
            calldata: vec![
                self.token,
                self.world.account.address,
                to,
                Felt::from(amount),
                Felt::ZERO,
            ],
        }
    }

    async fn spent(&self) -> U256 {
        let spending = self.world.views().spending(self.key.verifying_key().scalar()).await;
        spending.unwrap()[0].spent
    }

    async fn balance(&self) -> U256 {
        self.world.token_balance(self.token, self.world.account.address).await
    }

    async fn allowance(&self, spender: Felt) -> U256 {
        let selector = selectors::ALLOWANCE;
        let calldata = vec![self.world.account.address, spender];
        session_account::token::read_u256(
            &self.world.sandbox.provider,
            self.token,
            selector,
            calldata,
        )
        .await
        .unwrap()
    }
}

#[tokio::test]
async fn approve_and_swap_counts_the_approved_amount_once() {
    let s = setup(false).await;
    let calls = vec![approve(s.token, s.router, 60), s.pull(s.world.recipient, 60)];
    let confirmed = tx::execute(&s.world.session(&s.key), calls).await.unwrap();
    assert_eq!(s.spent().await, U256::from(60u8));
    assert_eq!(s.balance().await, U256::from(940u16));
    let public = s.key.verifying_key().scalar();
    // SpendingRecorded: spent 60 in this execution, 40 remaining.
    let recorded = s.world.account_events(confirmed.transaction_hash, "SpendingRecorded").await;
    let words = |v: u8| [Felt::from(v), Felt::ZERO];
    assert_eq!(recorded, vec![(vec![public, s.token], [words(60), words(40)].concat())]);
    // SessionTransaction: two calls counted.
    let counted = s.world.account_events(confirmed.transaction_hash, "SessionTransaction").await;
    assert_eq!(counted.len(), 1);
    assert_eq!(counted[0].1[0], Felt::TWO);
}

#[tokio::test]
async fn an_approval_hidden_behind_an_unrelated_pull_counts_on_top() {
    let s = setup(true).await;
    // 100 approved to the third party, 100 pulled through the owner's old
    // allowance: 200 would be exposed under a limit of 100.
    let calls = vec![approve(s.token, s.third, 100), s.pull(s.third, 100)];
    let error = send_without_estimate(&s.world.session(&s.key), calls).await.unwrap_err();
    assert!(error.is_reverted(), "the balance watch sees it after the calls: {error}");
    assert_eq!(error.contract_error(), Some(ContractError::SessionSpendingLimit), "{error}");
    assert_eq!(s.allowance(s.third).await, U256::from(0u8));
    assert_eq!(s.balance().await, U256::from(1000u16));
    assert_eq!(s.spent().await, U256::from(0u8));
}

#[tokio::test]
async fn an_allowance_pulled_later_was_counted_when_granted() {
    let s = setup(false).await;
    tx::execute(&s.world.session(&s.key), vec![approve(s.token, s.third, 70)]).await.unwrap();
    assert_eq!(s.spent().await, U256::from(70u8));
    // The third party takes it outside any session transaction.
    let take = Call {
        to: s.token,
        selector: selectors::TRANSFER_FROM,
        calldata: vec![s.world.account.address, s.third, Felt::from(70u8), Felt::ZERO],
    };
    s.world.sandbox.execute_funded(2, vec![take]).await.unwrap();
    assert_eq!(s.balance().await, U256::from(930u16));
    // 30 left, not 100.
    let over = vec![session_account::token::transfer_call(s.token, s.world.recipient, 31)];
    let error = send_without_estimate(&s.world.session(&s.key), over).await.unwrap_err();
    assert_eq!(error.contract_error(), Some(ContractError::SessionSpendingLimit), "{error}");
}

/// §4.10: an allowance a session granted does not outlive it. The owner's
/// revoke that clears allowances sets it to zero in the same transaction;
/// the spender's `transfer_from` then fails, where it succeeded before.
#[tokio::test]
async fn the_owners_revoke_clears_what_the_session_approved() {
    use session_account::account::OwnerOperations;
    let s = setup(false).await;
    let session = s.world.session(&s.key);
    tx::execute(&session, vec![approve(s.token, s.third, 40), approve(s.token, s.router, 5)])
        .await
        .unwrap();
    let public = s.key.verifying_key().scalar();
    let approvals = s.world.views().session_approvals(public).await.unwrap();
    let pairs: Vec<(Felt, Felt)> = approvals.iter().map(|a| (a.token, a.spender)).collect();
    assert_eq!(pairs, vec![(s.token, s.third), (s.token, s.router)]);
    let take = |amount: u8| Call {
        to: s.token,
        selector: selectors::TRANSFER_FROM,
        calldata: vec![s.world.account.address, s.third, Felt::from(amount), Felt::ZERO],
    };
    // While the allowance stands, the third party can take some of it.
    s.world.sandbox.execute_funded(2, vec![take(10)]).await.unwrap();
    let confirmed = s.world.owner().revoke_session_clearing_allowances(public).await.unwrap();
    assert_eq!(s.allowance(s.third).await, U256::from(0u8));
    assert_eq!(s.allowance(s.router).await, U256::from(0u8));
    let cleared =
        s.world.account_events(confirmed.transaction_hash, "SessionAllowancesCleared").await;
    assert_eq!(cleared, vec![(vec![public], vec![Felt::TWO])]);
    assert!(s.world.views().status(public).await.unwrap().revoked);
    // The 30 it had left: refused now.
    assert!(s.world.sandbox.execute_funded(2, vec![take(1)]).await.is_err());
    assert_eq!(s.balance().await, U256::from(990u16));
}

/// What the allowance reads cost: a transaction that approves reads each
/// spender's allowance once after its calls (so three spenders cost more
/// than one); one that does not reads none.
/// (The figures are printed for the bench notes; the gas check of
/// tests/gas.rs holds the plain transfer.)
#[tokio::test]
async fn only_approving_transactions_pay_for_allowance_reads() {
    let s = setup(false).await;
    let session = s.world.session(&s.key);
    let gas = |calls: Vec<Call>| {
        let session = &session;
        async move { tx::execute(session, calls).await.unwrap().l2_gas }
    };
    let transfer =
        gas(vec![session_account::token::transfer_call(s.token, s.world.recipient, 1)]).await;
    let swap = gas(vec![approve(s.token, s.router, 1), s.pull(s.world.recipient, 1)]).await;
    let one = gas(vec![approve(s.token, s.third, 1)]).await;
    let spenders = [s.third, s.router, s.world.recipient];
    let three = gas(spenders.iter().map(|x| approve(s.token, *x, 1)).collect()).await;
    eprintln!(
        "L2 gas: transfer {transfer}, approve+swap {swap}, 1 approval {one}, 3 approvals {three}"
    );
    assert!(three > one, "each spender's allowance is read: {one} {three}");
}
