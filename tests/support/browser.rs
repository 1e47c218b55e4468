//! A real browser for the WebAuthn end-to-end test (spec §2.3): Debian's
//! Chromium, headless, driven over the Chrome DevTools Protocol, with a
//! virtual authenticator (`WebAuthn.addVirtualAuthenticator`) standing in
//! for the platform's passkey store, and a page served on localhost so that
//! `navigator.credentials` runs in a secure context.
//!
//! Only what the test needs: start the browser, open one page, evaluate
//! script in it (awaiting promises), and send CDP commands to that page.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// The Chromium to drive: `$CHROMIUM`, else Debian's `/usr/bin/chromium`.
/// `None` when neither exists.
pub fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    path.exists().then_some(path)
}

/// Serves one empty HTML page on `127.0.0.1` from a background thread, for
/// as long as the process lives; returns its port. `http://localhost:<port>`
/// is a secure context, so WebAuthn runs there, with `localhost` as its
/// relying party id.
pub fn serve_blank_page() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let port = listener.local_addr().expect("its address").port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let body = "<!doctype html><title>session-account</title><p>passkey</p>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    port
}

/// A headless Chromium with one page attached over CDP.
pub struct Browser {
    // Dropped (killed) with the browser.
    _process: Child,
    _profile: tempfile::TempDir,
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    session: String,
    next_id: u64,
    events: Vec<Value>,
}

impl Browser {
    /// Starts `chromium` headless with a fresh profile and no network beyond
    /// loopback, and attaches to a new blank page.
    pub async fn launch(chromium: &std::path::Path) -> anyhow::Result<Browser> {
        let profile = tempfile::tempdir()?;
        let mut process = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("cannot start {}", chromium.display()))?;
        // Chromium prints its DevTools endpoint on stderr; keep draining the
        // rest so the pipe never fills.
        let mut lines = BufReader::new(process.stderr.take().expect("piped")).lines();
        let endpoint = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    return Ok(url.trim().to_string());
                }
            }
            bail!("chromium exited before it listened for DevTools")
        })
        .await
        .context("chromium did not start within 60 s")??;
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });

        let (socket, _) = tokio_tungstenite::connect_async(endpoint.as_str()).await?;
        let mut browser = Browser {
            _process: process,
            _profile: profile,
            socket,
            session: String::new(),
            next_id: 0,
            events: Vec::new(),
        };
        let target =
            browser.command("Target.createTarget", json!({ "url": "about:blank" })).await?;
        let attached = browser
            .command(
                "Target.attachToTarget",
                json!({ "targetId": target["targetId"], "flatten": true }),
            )
            .await?;
        browser.session = attached["sessionId"].as_str().context("a CDP session id")?.to_string();
        Ok(browser)
    }

    /// Sends a CDP command (to the page once attached) and returns its
    /// result; events that arrive meanwhile are kept for [`Self::event`].
    pub async fn command(&mut self, method: &str, params: Value) -> anyhow::Result<Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        self.socket.send(Message::text(message.to_string())).await?;
        let reply = self
            .receive(|reply| reply["id"] == json!(id))
            .await
            .with_context(|| format!("{method} had no answer"))?;
        if let Some(error) = reply.get("error") {
            bail!("{method} failed: {error}");
        }
        Ok(reply["result"].clone())
    }

    /// Waits for the page's event `method` (one already received counts).
    pub async fn event(&mut self, method: &str) -> anyhow::Result<Value> {
        let matches = |message: &Value| message["method"] == json!(method);
        if let Some(at) = self.events.iter().position(matches) {
            return Ok(self.events.remove(at));
        }
        self.receive(matches).await.with_context(|| format!("no {method} event"))
    }

    /// Reads messages until one satisfies `wanted`, keeping events, for at
    /// most a minute (a browser that stops answering fails the test).
    async fn receive(&mut self, wanted: impl Fn(&Value) -> bool) -> anyhow::Result<Value> {
        let read = async {
            while let Some(frame) = self.socket.next().await {
                let Message::Text(text) = frame? else { continue };
                let message: Value = serde_json::from_str(&text)?;
                if wanted(&message) {
                    return Ok(message);
                }
                if message.get("method").is_some() {
                    self.events.push(message);
                }
            }
            bail!("the DevTools connection closed")
        };
        tokio::time::timeout(Duration::from_secs(60), read)
            .await
            .map_err(|_| anyhow!("Chromium did not answer within 60 s"))?
    }

    /// Loads `url` in the page and waits for its load event.
    pub async fn open(&mut self, url: &str) -> anyhow::Result<()> {
        self.command("Page.enable", json!({})).await?;
        self.events.clear();
        let navigated = self.command("Page.navigate", json!({ "url": url })).await?;
        if let Some(error) = navigated.get("errorText") {
            bail!("cannot load {url}: {error}");
        }
        self.event("Page.loadEventFired").await?;
        Ok(())
    }

    /// Evaluates `expression` in the page, awaiting it if it is a promise,
    /// and returns its value; a thrown exception is an error with its text.
    pub async fn evaluate(&mut self, expression: &str) -> anyhow::Result<Value> {
        let result = self
            .command(
                "Runtime.evaluate",
                json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
            )
            .await?;
        if let Some(exception) = result.get("exceptionDetails") {
            bail!("the page threw: {}", exception["exception"]["description"]);
        }
        Ok(result["result"]["value"].clone())
    }
}
