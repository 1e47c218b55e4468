//! A real starknet-devnet 0.10.1 running inside this process, on a loopback
//! port chosen by the OS. It has its own thread and Tokio runtime, so it
//! works the same from async code, sync code and tests, and it stops when the
//! [`EmbeddedDevnet`] is dropped.

use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU128;

use starknet_devnet_core::starknet::starknet_config::{BlockGenerationOn, StarknetConfig};
use starknet_devnet_core::starknet::Starknet;
use starknet_devnet_server::api::{Api, JsonRpcHandler};
use starknet_devnet_server::server::serve_http_json_rpc;
use starknet_devnet_server::ServerConfig;
use starknet_rust::core::types::Felt;
use starknet_rust::providers::jsonrpc::HttpTransport;
use starknet_rust::providers::JsonRpcClient;
use tokio::sync::oneshot;
use url::Url;

use super::client::DevnetClient;

/// Seed of the predeployed accounts unless told otherwise (devnet's default).
pub const DEFAULT_SEED: u32 = 123;

/// How to start an embedded devnet.
#[derive(Debug, Clone)]
pub struct DevnetOptions {
    /// Seed from which the predeployed accounts' keys derive.
    pub seed: u32,
    /// Number of predeployed, funded accounts.
    pub accounts: u8,
    /// Block timestamp of the first block (unix seconds); `None` = now.
    pub start_time: Option<u64>,
    /// Port to listen on; 0 lets the OS choose a free one.
    pub port: u16,
    /// Devnet's lite mode: blocks get no hash or commitments (the block
    /// hash is the block number). Execution, receipts and state are the
    /// same; about 15% faster per transaction. The fuzzer and the
    /// throughput benchmark, which never read block hashes, use it.
    pub lite: bool,
    /// Devnet's on-demand block generation: a transaction joins the
    /// pre-confirmed block instead of closing a block of its own, and a
    /// block closes only on `devnet_setTime(t, true)` or
    /// `devnet_createBlock`. Every block closed copies devnet's whole state
    /// several times, and so does every transaction once more; on demand, a
    /// transaction costs its own copy only. Transactions run at the time of
    /// the last block closed, exactly (no drift with the wall clock);
    /// receipts are pre-confirmed; reads at `pre_confirmed` see every
    /// transaction, `latest` only those of closed blocks; the node accepts
    /// a nonce above the account's (it still refuses a spent one). The
    /// fuzzer and its throughput ceiling use it.
    pub on_demand_blocks: bool,
}

impl Default for DevnetOptions {
    fn default() -> Self {
        Self {
            seed: DEFAULT_SEED,
            accounts: 4,
            start_time: None,
            port: 0,
            lite: false,
            on_demand_blocks: false,
        }
    }
}

/// Errors starting the embedded devnet.
#[derive(Debug, thiserror::Error)]
pub enum EmbeddedDevnetError {
    #[error("devnet configuration rejected: {0}")]
    Config(String),
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("the devnet thread stopped before it was ready")]
    Died,
}

/// A running in-process devnet.
pub struct EmbeddedDevnet {
    url: Url,
    chain_id: Felt,
    /// One HTTP client for every provider and devnet client handed out:
    /// they share its connection pool, and building a client (TLS roots
    /// included) costs more than a devnet call.
    http: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::fmt::Debug for EmbeddedDevnet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmbeddedDevnet").field("url", &self.url.as_str()).finish()
    }
}

impl EmbeddedDevnet {
    /// Starts a devnet and returns once it accepts requests.
    pub async fn start(options: DevnetOptions) -> Result<Self, EmbeddedDevnetError> {
        let config = StarknetConfig {
            seed: options.seed,
            total_accounts: options.accounts,
            start_time: options.start_time,
            // Same fee token prices as devnet's defaults, spelled out so
            // gas figures stay comparable across devnet releases.
            gas_price_fri: NonZeroU128::new(1_000_000_000).unwrap(),
            l2_gas_price_fri: NonZeroU128::new(1_000_000_000).unwrap(),
            data_gas_price_fri: NonZeroU128::new(1_000_000_000).unwrap(),
            lite_mode: options.lite,
            block_generation_on: match options.on_demand_blocks {
                true => BlockGenerationOn::Demand,
                false => BlockGenerationOn::Transaction,
            },
            ..StarknetConfig::default()
        };
        let chain_id = config.chain_id.to_felt();
        let server_config = ServerConfig {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: options.port,
            timeout: 300,
            log_request: false,
            log_response: false,
            restricted_methods: None,
            ui_enabled: false,
        };

        let (ready_tx, ready_rx) = oneshot::channel::<Result<u16, EmbeddedDevnetError>>();
        let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("embedded-devnet".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(EmbeddedDevnetError::Config(e.to_string())));
                        return;
                    }
                };
                runtime.block_on(serve(config, server_config, ready_tx, shutdown_rx));
            })
            .map_err(|e| EmbeddedDevnetError::Config(e.to_string()))?;

        let port = ready_rx.await.map_err(|_| EmbeddedDevnetError::Died)??;
        let url = Url::parse(&format!("http://127.0.0.1:{port}/rpc")).expect("valid URL");
        tracing::debug!(%url, "embedded devnet listening");
        Ok(Self {
            url,
            chain_id,
            http: reqwest::Client::new(),
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        })
    }

    /// JSON-RPC endpoint, e.g. `http://127.0.0.1:40123/rpc`.
    pub fn url(&self) -> &Url {
        &self.url
    }

    pub fn chain_id(&self) -> Felt {
        self.chain_id
    }

    /// A starknet-rust provider for this devnet (sharing the devnet's HTTP
    /// client: cheap to call for every account).
    pub fn provider(&self) -> JsonRpcClient<HttpTransport> {
        JsonRpcClient::new(HttpTransport::new_with_client(self.url.clone(), self.http.clone()))
    }

    /// A client for the `devnet_*` methods.
    pub fn client(&self) -> DevnetClient {
        DevnetClient::with_http(self.url.clone(), self.http.clone())
    }

    /// Stops the devnet and waits for its thread.
    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for EmbeddedDevnet {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

async fn serve(
    config: StarknetConfig,
    server_config: ServerConfig,
    ready: oneshot::Sender<Result<u16, EmbeddedDevnetError>>,
    shutdown: oneshot::Receiver<()>,
) {
    let starknet = match Starknet::new(&config) {
        Ok(s) => s,
        Err(e) => {
            let _ = ready.send(Err(EmbeddedDevnetError::Config(e.to_string())));
            return;
        }
    };
    let mut starknet = starknet;
    if let Some(start_time) = config.start_time {
        starknet.set_block_timestamp_shift(
            start_time as i64 - Starknet::get_unix_timestamp_as_seconds() as i64,
        );
    }
    let listener = match tokio::net::TcpListener::bind((server_config.host, server_config.port))
        .await
    {
        Ok(l) => l,
        Err(source) => {
            let _ = ready.send(Err(EmbeddedDevnetError::Bind { port: server_config.port, source }));
            return;
        }
    };
    let port = match listener.local_addr() {
        Ok(addr) => addr.port(),
        Err(source) => {
            let _ = ready.send(Err(EmbeddedDevnetError::Bind { port: server_config.port, source }));
            return;
        }
    };
    let api = Api::new(starknet, server_config);
    let handler = JsonRpcHandler::new(api.clone());
    let server = serve_http_json_rpc(listener, &api.server_config, handler).await;
    let _ = ready.send(Ok(port));
    let result = server
        .with_graceful_shutdown(async {
            let _ = shutdown.await;
        })
        .await;
    if let Err(e) = result {
        tracing::error!("embedded devnet stopped: {e}");
    }
}
