//! A dapp using a session: decode the token the owner's wallet gave it,
//! connect to a node, send a transfer, and act on a refusal by its kind.
//!
//! ```sh
//! session-account devnet &                      # a node on 127.0.0.1:5050
//! # ... the owner grants a session (examples/owner_grants.rs, or
//! #     `session-account session create`), then:
//! SESSION_ACCOUNT_SESSION=sat1.… cargo run -p session-account --example dapp_session -- 0x123
//! ```

use session_account::token::{transfer_call, STRK};
use session_account::{Rpc, SessionClient, SessionError, SessionToken};
use starknet_rust::core::types::Felt;
use starknet_rust::providers::jsonrpc::HttpTransport;
use starknet_rust::providers::Url;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let token = std::env::var("SESSION_ACCOUNT_SESSION")
        .map_err(|_| "set SESSION_ACCOUNT_SESSION to the session token (sat1.…)")?;
    let token = SessionToken::decode(&token)?;
    let rpc = std::env::var("SESSION_ACCOUNT_RPC").unwrap_or("http://127.0.0.1:5050".into());
    let recipient = std::env::args().nth(1).ok_or("usage: dapp_session RECIPIENT")?;
    let recipient = Felt::from_hex(&recipient)?;

    let node = Rpc::new(HttpTransport::new(Url::parse(&rpc)?));
    let mut client = SessionClient::connect(node, token).await?;
    let status = client.status().await?;
    println!("session valid until {}, {} calls left", status.valid_until, status.calls_remaining);

    match client.execute(vec![transfer_call(STRK, recipient, 1_000)]).await {
        Ok(sent) => println!("sent {:#x}", sent.transaction_hash),
        // Each refusal carries what the user needs to hear.
        Err(error @ SessionError::SpendingLimit { .. })
        | Err(error @ SessionError::PeriodLimit { .. })
        | Err(error @ SessionError::CalldataRule { .. }) => println!("not allowed: {error}"),
        Err(SessionError::Expired { .. } | SessionError::Revoked | SessionError::EpochRevoked) => {
            println!("this session has ended: ask the owner for a new one")
        }
        Err(other) => {
            eprintln!("error: {other}");
            std::process::exit(1)
        }
    }
    Ok(())
}
