//! The tokens and routers the model runs calls on: what the test contracts
//! of `contracts/testing` do (`TestToken`, a plain ERC-20; `TestRouter`,
//! which moves tokens through allowances given to it; `HookedToken`, whose
//! `balance_of` makes the call it was armed with), written from their
//! documented behaviour. Balances and allowances are exact `u256`s.

use std::collections::{BTreeMap, BTreeSet};

use starknet_rust::core::types::{Call, Felt, U256};

use session_account::contract::selectors;
use session_account::token::checked_add_u256 as add;

/// Why a call failed without an error of the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallFailure {
    /// The callee panicked (insufficient balance or allowance, calldata that
    /// does not deserialize, an overflow): the transaction reverts.
    Panicked,
    /// A call the model cannot judge: a contract or entrypoint it does not
    /// know. The fuzzer never generates one.
    Unmodelled(Felt, Felt),
}

/// Balances and allowances of the tokens the model knows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ledger {
    /// Contracts that behave like `TestToken`.
    pub tokens: BTreeSet<Felt>,
    /// Contracts that behave like `TestRouter`.
    pub routers: BTreeSet<Felt>,
    /// `(token, holder) -> balance`.
    pub balances: BTreeMap<(Felt, Felt), U256>,
    /// `(token, owner, spender) -> allowance`.
    pub allowances: BTreeMap<(Felt, Felt, Felt), U256>,
    /// Tokens that behave like `HookedToken`, and their hooks.
    pub hooks: BTreeMap<Felt, Hook>,
}

/// A `HookedToken`'s hook: armed with a call its next `balance_of` makes
/// once, and how that call ended.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Hook {
    pub armed: bool,
    /// `'hook/ok'`, the error the call failed with, or 0 if it has not
    /// fired since it was armed (what `hook_result` reads).
    pub result: Felt,
}

fn zero() -> U256 {
    U256::from(0u8)
}

/// A `u256` argument at `data[i..i + 2]`, as Cairo's `Serde` reads it.
fn u256_at(data: &[Felt], i: usize) -> Result<U256, CallFailure> {
    let word = |f: &Felt| u128::try_from(*f).map_err(|_| CallFailure::Panicked);
    Ok(U256::from_words(word(&data[i])?, word(&data[i + 1])?))
}

impl Ledger {
    pub fn balance(&self, token: Felt, holder: Felt) -> U256 {
        self.balances.get(&(token, holder)).copied().unwrap_or_else(zero)
    }

    pub fn allowance(&self, token: Felt, owner: Felt, spender: Felt) -> U256 {
        self.allowances.get(&(token, owner, spender)).copied().unwrap_or_else(zero)
    }

    /// `arm(..)` of a hooked token: the next `balance_of` makes the call.
    pub fn arm_hook(&mut self, token: Felt) {
        self.hooks.insert(token, Hook { armed: true, result: Felt::ZERO });
    }

    /// A `balance_of` of `token`: whether it sets off an armed hook (which
    /// it disarms; the caller judges the call and records how it ended).
    pub fn fire_hook(&mut self, token: Felt) -> bool {
        match self.hooks.get_mut(&token) {
            Some(hook) if hook.armed => {
                hook.armed = false;
                true
            }
            _ => false,
        }
    }

    /// Records how a hook's call ended.
    pub fn record_hook(&mut self, token: Felt, result: Felt) {
        self.hooks.entry(token).or_default().result = result;
    }

    /// What `hook_result` of `token` reads.
    pub fn hook_result(&self, token: Felt) -> Felt {
        self.hooks.get(&token).map(|h| h.result).unwrap_or(Felt::ZERO)
    }

    /// `mint(to, amount)`.
    pub fn mint(&mut self, token: Felt, to: Felt, amount: U256) {
        let balance =
            add(self.balance(token, to), amount).expect("test mints stay far below 2^256");
        self.balances.insert((token, to), balance);
    }

    /// Runs `call` as `caller` sends it. On failure the ledger may be half
    /// updated: callers run calls on a copy and drop it.
    pub fn call(&mut self, caller: Felt, call: &Call) -> Result<(), CallFailure> {
        if self.tokens.contains(&call.to) {
            self.token_call(caller, call)
        } else if self.routers.contains(&call.to) {
            self.router_call(call)
        } else {
            Err(CallFailure::Unmodelled(call.to, call.selector))
        }
    }

    fn token_call(&mut self, caller: Felt, call: &Call) -> Result<(), CallFailure> {
        let (token, s, data) = (call.to, call.selector, call.calldata.as_slice());
        // Every entrypoint takes exactly its arguments.
        let arity = |n: usize| if data.len() == n { Ok(()) } else { Err(CallFailure::Panicked) };
        if s == selectors::TRANSFER {
            arity(3)?;
            self.move_tokens(token, caller, data[0], u256_at(data, 1)?)
        } else if s == selectors::APPROVE {
            arity(3)?;
            self.allowances.insert((token, caller, data[0]), u256_at(data, 1)?);
            Ok(())
        } else if s == selectors::INCREASE_ALLOWANCE || s == selectors::INCREASE_ALLOWANCE_CAMEL {
            arity(3)?;
            let added = u256_at(data, 1)?;
            let total =
                add(self.allowance(token, caller, data[0]), added).ok_or(CallFailure::Panicked)?;
            self.allowances.insert((token, caller, data[0]), total);
            Ok(())
        } else if s == selectors::TRANSFER_FROM || s == selectors::TRANSFER_FROM_CAMEL {
            arity(4)?;
            self.transfer_from(token, caller, data[0], data[1], u256_at(data, 2)?)
        } else if s == selectors::BALANCE_OF {
            arity(1)
        } else {
            Err(CallFailure::Unmodelled(token, s))
        }
    }

    /// `pull(token, from, to, amount)`: the router's `transfer_from`.
    fn router_call(&mut self, call: &Call) -> Result<(), CallFailure> {
        if call.selector != selectors::PULL {
            return Err(CallFailure::Unmodelled(call.to, call.selector));
        }
        let data = call.calldata.as_slice();
        if data.len() != 5 {
            return Err(CallFailure::Panicked);
        }
        let token = data[0];
        if !self.tokens.contains(&token) {
            return Err(CallFailure::Unmodelled(token, selectors::TRANSFER_FROM));
        }
        self.transfer_from(token, call.to, data[1], data[2], u256_at(data, 3)?)
    }

    fn transfer_from(
        &mut self,
        token: Felt,
        spender: Felt,
        from: Felt,
        to: Felt,
        amount: U256,
    ) -> Result<(), CallFailure> {
        let allowed = self.allowance(token, from, spender);
        if allowed < amount {
            return Err(CallFailure::Panicked);
        }
        self.allowances.insert((token, from, spender), allowed - amount);
        self.move_tokens(token, from, to, amount)
    }

    fn move_tokens(
        &mut self,
        token: Felt,
        from: Felt,
        to: Felt,
        amount: U256,
    ) -> Result<(), CallFailure> {
        let balance = self.balance(token, from);
        if balance < amount {
            return Err(CallFailure::Panicked);
        }
        self.balances.insert((token, from), balance - amount);
        let credited = add(self.balance(token, to), amount).ok_or(CallFailure::Panicked)?;
        self.balances.insert((token, to), credited);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: Felt = Felt::from_hex_unchecked("0x7070");
    const ROUTER: Felt = Felt::from_hex_unchecked("0x7007");
    const ALICE: Felt = Felt::from_hex_unchecked("0xa1");
    const BOB: Felt = Felt::from_hex_unchecked("0xb0");

    fn ledger() -> Ledger {
        let mut l =
            Ledger { tokens: [TOKEN].into(), routers: [ROUTER].into(), ..Ledger::default() };
        l.mint(TOKEN, ALICE, U256::from(100u8));
        l
    }

    fn call(to: Felt, selector: Felt, data: &[Felt]) -> Call {
        Call { to, selector, calldata: data.to_vec() }
    }

    #[test]
    fn transfers_and_pulls_move_balances_and_allowances() {
        let mut l = ledger();
        let amount = |v: u8| [Felt::from(v), Felt::ZERO];
        l.call(ALICE, &call(TOKEN, selectors::TRANSFER, &[&[BOB][..], &amount(30)].concat()))
            .unwrap();
        assert_eq!(
            (l.balance(TOKEN, ALICE), l.balance(TOKEN, BOB)),
            (U256::from(70u8), U256::from(30u8))
        );
        // The router pulls what Alice allowed it, and no more.
        l.call(ALICE, &call(TOKEN, selectors::APPROVE, &[&[ROUTER][..], &amount(20)].concat()))
            .unwrap();
        let pull =
            |v| call(ROUTER, selectors::PULL, &[&[TOKEN, ALICE, BOB][..], &amount(v)].concat());
        assert_eq!(l.clone().call(BOB, &pull(21)), Err(CallFailure::Panicked));
        l.call(BOB, &pull(20)).unwrap();
        assert_eq!(l.balance(TOKEN, ALICE), U256::from(50u8));
        assert_eq!(l.allowance(TOKEN, ALICE, ROUTER), U256::from(0u8));
        // Beyond the balance, or with a word that is not a u128: panics.
        assert_eq!(
            l.clone().call(
                ALICE,
                &call(TOKEN, selectors::TRANSFER, &[&[BOB][..], &amount(51)].concat())
            ),
            Err(CallFailure::Panicked)
        );
        let not_u128 =
            call(TOKEN, selectors::TRANSFER, &[BOB, Felt::from(u128::MAX) + Felt::ONE, Felt::ZERO]);
        assert_eq!(l.clone().call(ALICE, &not_u128), Err(CallFailure::Panicked));
        assert!(matches!(
            l.call(ALICE, &call(BOB, selectors::TRANSFER, &[])),
            Err(CallFailure::Unmodelled(..))
        ));
    }
}
