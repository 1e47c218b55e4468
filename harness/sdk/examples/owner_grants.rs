//! An owner granting a session to an agent: at most 10 STRK a day, paid
//! only to two addresses, for a week; registered by an owner transaction,
//! then handed over as one token string, written to `agent.session`
//! (mode 0600: it holds the session's private key).
//!
//! ```sh
//! SESSION_ACCOUNT_OWNER_KEY=0x… SESSION_ACCOUNT_ADDRESS=0x… \
//!   cargo run -p session-account --example owner_grants -- 0xa11ce 0xb0b
//! SESSION_ACCOUNT_SESSION=$(cat agent.session) \
//!   cargo run -p session-account --example dapp_session -- 0xa11ce
//! ```

use session_account::account::owner::owner_account;
use session_account::account::AccountAt;
use session_account::account::OwnerOperations;
use session_account::contract::selectors;
use session_account::token::{STRK, STRK_UNIT};
use session_account::{Rpc, SessionPolicy, SessionToken};
use starknet_rust::core::types::{Felt, U256};
use starknet_rust::providers::jsonrpc::HttpTransport;
use starknet_rust::providers::{Provider, Url};
use starknet_rust::signers::SigningKey;

const DAY: u64 = 86_400;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).map_err(|_| format!("set {name}"));
    let owner_key =
        SigningKey::from_secret_scalar(Felt::from_hex(&var("SESSION_ACCOUNT_OWNER_KEY")?)?);
    let account = Felt::from_hex(&var("SESSION_ACCOUNT_ADDRESS")?)?;
    let rpc = std::env::var("SESSION_ACCOUNT_RPC").unwrap_or("http://127.0.0.1:5050".into());
    let recipients =
        std::env::args().skip(1).map(|a| Felt::from_hex(&a)).collect::<Result<Vec<_>, _>>()?;
    if recipients.is_empty() {
        return Err("usage: owner_grants RECIPIENT...".into());
    }

    let node = Rpc::new(HttpTransport::new(Url::parse(&rpc)?));
    let chain_id = node.chain_id().await?;
    let now = session_account::tx::latest_timestamp(&node).await?;

    // The agent's key: only its holder (the agent, through the token) signs.
    let session_key = SigningKey::from_random();
    let policy = SessionPolicy::builder(session_key.verifying_key().scalar())
        .valid_between(now, now + 7 * DAY)
        .allow_entrypoints(STRK, [selectors::TRANSFER])
        .recipient_allowlist(STRK, recipients)
        .spending_limit(STRK, U256::from(50 * STRK_UNIT))
        .periodic_limit(STRK, 10 * STRK_UNIT, DAY)
        .max_calls_per_tx(5)
        .max_calls(1_000)
        .max_fee_per_tx(STRK_UNIT / 10)
        .fee_budget(STRK_UNIT)
        .build()?;

    let owner = owner_account(node, owner_key, AccountAt { address: account, chain_id });
    let registered = owner.register_session(&policy).await?;
    println!("registered in {:#x}", registered.transaction_hash);

    let token = SessionToken { session_key, account, chain_id, policy, authorization: None };
    // A secret: for the agent only, never in a log.
    let path = std::path::Path::new("agent.session");
    session_account::session_token::write_secret_file(path, token.encode().as_bytes())?;
    println!("session {:#x} written to {}", token.session_public_key(), path.display());
    Ok(())
}
