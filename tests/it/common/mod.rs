//! Test support: a real Samsyn server on 127.0.0.1:0 with its own data folder, and a WebSocket client that
//! speaks the protocol and remembers the latest state, like a phone would.

pub mod services;

use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a test waits for an expected message before failing.
pub const WAIT: Duration = Duration::from_secs(10);

/// Held by the tests that must not share the machine with one another: those that measure latency, memory or
/// descriptors, start a crowd of phones or several server processes, or run npm. Separate test binaries used
/// to keep them apart; in one binary this lock does. A test that panics releases it (no poisoning).
static ALONE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Waits until no other heavy test runs, and keeps it so until the guard is dropped.
pub async fn alone() -> tokio::sync::MutexGuard<'static, ()> {
    ALONE.lock().await
}

/// [`alone`] for a test that is not async. Never call it from inside a runtime.
pub fn alone_blocking() -> tokio::sync::MutexGuard<'static, ()> {
    ALONE.blocking_lock()
}

/// The `samsyn-load` binary, a member of this workspace but not of this package, so Cargo names no
/// `CARGO_BIN_EXE_` for it: built once per test run with the Cargo, profile and target folder that built
/// this test, which is quick when it is up to date. Blocks while it builds.
pub fn load_generator() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            // This test runs as <target>/<profile>/deps/it-<hash>; the binary goes to <target>/<profile>.
            let exe = std::env::current_exe().unwrap();
            let profile_dir = exe.parent().and_then(Path::parent).expect("the test runs in <target>/<profile>/deps");
            let target = profile_dir.parent().expect("a target folder");
            let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
                Some("debug") => "dev",
                Some(other) => other,
                None => "dev",
            };
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
            let status = std::process::Command::new(cargo)
                .args(["build", "--quiet", "-p", "samsyn-load", "--bin", "samsyn-load", "--profile", profile])
                .arg("--manifest-path")
                .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
                .arg("--target-dir")
                .arg(target)
                .status()
                .expect("cargo runs");
            assert!(status.success(), "cargo build -p samsyn-load failed");
            let binary = profile_dir.join("samsyn-load");
            assert!(binary.is_file(), "{} was not built", binary.display());
            binary
        })
        .clone()
}

/// Polls `check` every 20 ms until it holds, and fails the test if it does not within `within`: for a
/// condition no message announces (a figure in /metrics, a count the test's own tasks keep).
pub async fn eventually<F: std::future::Future<Output = bool>>(
    what: &str,
    within: Duration,
    mut check: impl FnMut() -> F,
) {
    let deadline = tokio::time::Instant::now() + within;
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "{what}: not within {within:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the server holds exactly these WebSockets by role and no other TCP connection than the one
/// asking: a baseline taken then counts no connection that is still closing.
pub async fn settled(base: &str, facilitators: f64, screens: f64, participants: f64) {
    eventually("the connections settle", WAIT, || async {
        let sockets = facilitators + screens + participants;
        metric(base, "samsyn_connections{role=\"facilitator\"}").await == facilitators
            && metric(base, "samsyn_connections{role=\"screen\"}").await == screens
            && metric(base, "samsyn_connections{role=\"participant\"}").await == participants
            && metric(base, "samsyn_tcp_connections").await == sockets + 1.0
    })
    .await;
}

/// A server running inside the test process. Shuts down when dropped.
pub struct TestServer {
    pub addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl TestServer {
    pub async fn start(data: &Path) -> TestServer {
        TestServer::start_with(data, None).await
    }

    /// Starts with a ballot retention period in days (see `--ballot-retention-days`).
    pub async fn start_with(data: &Path, ballot_retention_days: Option<u32>) -> TestServer {
        TestServer::start_configured(data, ballot_retention_days, 20).await
    }

    /// Starts with a retention period and a ping interval in seconds.
    pub async fn start_configured(
        data: &Path,
        ballot_retention_days: Option<u32>,
        ping_interval_secs: u64,
    ) -> TestServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let config = samsyn::config::Config {
            addr,
            data: data.to_path_buf(),
            public_url: None,
            ballot_retention_days,
            max_connections_per_address: 5000,
            // The tests' crowds come from one address; the limit has its own tests on the real binary.
            new_participants_per_minute: 1_000_000,
            allowed_origins: vec![],
            ping_interval_secs,
            trusted_proxies: vec![],
            frame_ancestors: vec![],
            postgres_url: None,
            redis_url: None,
            allow_anonymous: true,
            unload_idle_secs: 600,
            oidc_issuer: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            oidc_name: "OpenID Connect".into(),
            oidc_organisation: "Min organisation".into(),
            command: None,
        };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            samsyn::app::run(listener, config, async {
                let _ = stopped.await;
            })
            .await
            .unwrap();
        });
        TestServer { addr, stop: Some(stop), task: Some(task) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Stops gracefully and waits until the store is closed.
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(WAIT, self.task.take().unwrap()).await.expect("server stops in time").unwrap();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// The real `samsyn` binary in a child process, for tests that kill it with SIGKILL.
pub struct ServerProcess {
    pub addr: String,
    child: tokio::process::Child,
}

impl ServerProcess {
    pub async fn start(data: &Path) -> ServerProcess {
        ServerProcess::start_with(&["--data", data.to_str().expect("a UTF-8 path")]).await
    }

    /// Starts the binary with these settings (besides `--addr 127.0.0.1:0`), in the quick anonymous mode
    /// (`--allow-anonymous`) the tests of sessions use: they create sessions without signing in. Their
    /// crowds of phones come from one address, so new participants per address are not limited
    /// (`abuse::` tests the limit with `start_exactly`).
    pub async fn start_with(args: &[&str]) -> ServerProcess {
        let crowds = ["--allow-anonymous", "--new-participants-per-minute", "1000000"];
        ServerProcess::start_exactly(&[args, &crowds].concat()).await
    }

    /// Starts the binary with exactly these settings besides `--addr 127.0.0.1:0`: without
    /// `--allow-anonymous`, creating needs a signed-in member.
    pub async fn start_exactly(args: &[&str]) -> ServerProcess {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_samsyn"))
            .args(["--addr", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = tokio::time::timeout(WAIT, lines.next_line()).await.expect("server starts").unwrap().unwrap();
        let addr = line.rsplit("http://").next().unwrap().trim().to_string();
        // Keep reading its log (warnings) so it never writes into a closed pipe; show it with the test's.
        let name = addr.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                eprintln!("[server {name}] {line}");
            }
        });
        ServerProcess { addr, child }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Sends SIGTERM, as systemd does on stop, and waits for the exit. Returns whether it exited cleanly.
    pub async fn terminate(mut self) -> bool {
        let pid = self.pid().to_string();
        let sent = std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        assert!(sent.success());
        tokio::time::timeout(WAIT, self.child.wait()).await.expect("exits in time").unwrap().success()
    }

    /// The process id, to read its descriptors and memory under /proc.
    pub fn pid(&self) -> u32 {
        self.child.id().expect("the server is running")
    }

    /// Kills the process at once, as a crash or power cut would: no shutdown code runs.
    pub async fn kill_9(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }
}

/// A session created through the REST API.
pub struct Created {
    pub code: String,
    pub key: String,
}

pub async fn create_workshop(base: &str) -> Created {
    create_session(base, json!({"catalogue": "lika", "title": "Testkommun 2026"})).await
}

/// Creates a session from a `POST /api/sessions` body (a catalogue or items) and asserts it was created.
pub async fn create_session(base: &str, body: Value) -> Created {
    let response = reqwest::Client::new().post(format!("{base}/api/sessions")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    Created { code: body["code"].as_str().unwrap().into(), key: body["facilitator_key"].as_str().unwrap().into() }
}

/// A protocol client over a real WebSocket.
pub struct Client {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// Every text message received, raw, in order: tests scan it for what must never arrive.
    pub received: Vec<String>,
    /// The latest `state.session`, and its version.
    pub state: Value,
    pub version: u64,
    pub token: Option<String>,
    pub welcome: Value,
}

impl Client {
    pub async fn connect(addr: &str) -> Client {
        Client::try_connect(addr).await.expect("the server accepts a WebSocket")
    }

    /// Connects, or `None` if the server does not answer (a node that is down).
    pub async fn try_connect(addr: &str) -> Option<Client> {
        Client::try_connect_with(addr, None).await
    }

    /// Connects as a browser signed in with `cookie` (`samsyn_session=…`) would.
    pub async fn connect_signed_in(addr: &str, cookie: &str) -> Client {
        Client::try_connect_with(addr, Some(cookie)).await.expect("the server accepts a WebSocket")
    }

    /// Connects from the loopback address `source` (127.0.0.x): another network, as the server sees it.
    pub async fn connect_from(addr: &str, source: std::net::IpAddr) -> Client {
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind(std::net::SocketAddr::new(source, 0)).unwrap();
        let stream = socket.connect(addr.parse().unwrap()).await.unwrap();
        let (socket, _) =
            tokio_tungstenite::client_async(format!("ws://{addr}/ws"), MaybeTlsStream::Plain(stream)).await.unwrap();
        Client::over(socket)
    }

    fn over(socket: WebSocketStream<MaybeTlsStream<TcpStream>>) -> Client {
        Client {
            socket,
            next_id: 1,
            received: vec![],
            state: Value::Null,
            version: 0,
            token: None,
            welcome: Value::Null,
        }
    }

    async fn try_connect_with(addr: &str, cookie: Option<&str>) -> Option<Client> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut request = format!("ws://{addr}/ws").into_client_request().ok()?;
        if let Some(cookie) = cookie {
            request.headers_mut().insert("cookie", cookie.parse().ok()?);
        }
        let (socket, _) = tokio_tungstenite::connect_async(request).await.ok()?;
        Some(Client::over(socket))
    }

    /// Sends a command and returns its reply, or `None` if the socket closes or nothing answers within
    /// [`WAIT`]: what a phone on a failing network or node sees. A welcome also records the token.
    pub async fn try_request(&mut self, mut command: Value) -> Option<Value> {
        let id = self.next_id;
        self.next_id += 1;
        command["id"] = json!(id);
        self.socket.send(Message::text(command.to_string())).await.ok()?;
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let message = tokio::time::timeout_at(deadline, self.socket.next()).await.ok()??.ok()?;
            let Message::Text(text) = message else { continue };
            self.received.push(text.to_string());
            let value: Value = serde_json::from_str(&text).ok()?;
            if value["type"] == "state" {
                self.version = value["version"].as_u64().unwrap_or(0);
                self.state = value["session"].clone();
            }
            if value["id"] == json!(id) {
                if value["type"] == "welcome" {
                    self.token = value["token"].as_str().map(String::from);
                    self.welcome = value.clone();
                }
                return Some(value);
            }
        }
    }

    pub async fn participant(addr: &str, code: &str, token: Option<&str>) -> Client {
        let mut client = Client::connect(addr).await;
        let mut hello = json!({"type": "hello", "role": "participant", "code": code});
        if let Some(token) = token {
            hello["token"] = json!(token);
        }
        client.hello(hello).await;
        client
    }

    pub async fn facilitator(addr: &str, code: &str, key: &str) -> Client {
        let mut client = Client::connect(addr).await;
        client.hello(json!({"type": "hello", "role": "facilitator", "code": code, "key": key})).await;
        client
    }

    pub async fn screen(addr: &str, code: &str) -> Client {
        let mut client = Client::connect(addr).await;
        client.hello(json!({"type": "hello", "role": "screen", "code": code})).await;
        client
    }

    async fn hello(&mut self, hello: Value) {
        let reply = self.request(hello).await;
        assert_eq!(reply["type"], "welcome", "{reply}");
        self.token = reply["token"].as_str().map(String::from);
        self.welcome = reply;
        self.wait_state(|_| true).await;
    }

    pub async fn send_text(&mut self, text: String) {
        self.socket.send(Message::text(text)).await.unwrap();
    }

    /// Sends a command with a fresh id and returns its `ack`, `welcome` or `error`.
    pub async fn request(&mut self, mut command: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        command["id"] = json!(id);
        self.send_text(command.to_string()).await;
        self.next(|m| m["id"] == json!(id)).await
    }

    /// Sends a command and asserts it was acknowledged.
    pub async fn ok(&mut self, command: Value) {
        let reply = self.request(command.clone()).await;
        assert_eq!(reply["type"], "ack", "{command} → {reply}");
    }

    /// Sends a command and returns the error code it was refused with.
    pub async fn refused(&mut self, command: Value) -> String {
        let reply = self.request(command.clone()).await;
        assert_eq!(reply["type"], "error", "{command} → {reply}");
        reply["code"].as_str().unwrap().to_string()
    }

    /// Reads messages until one matches; `state` messages update `self.state` on the way.
    pub async fn next(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let message = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .expect("expected message did not arrive in time")
                .expect("socket closed")
                .unwrap();
            let Message::Text(text) = message else {
                continue;
            };
            self.received.push(text.to_string());
            let value: Value = serde_json::from_str(&text).unwrap();
            if value["type"] == "state" {
                let version = value["version"].as_u64().unwrap();
                self.version = version;
                self.state = value["session"].clone();
            }
            if wanted(&value) {
                return value;
            }
        }
    }

    /// Like [`Client::next`], but `None` when nothing that matches arrives within `wait` or the socket ends,
    /// for clients that keep reading in the background.
    pub async fn next_within(&mut self, wait: Duration, wanted: impl Fn(&Value) -> bool) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let Ok(Some(Ok(message))) = tokio::time::timeout_at(deadline, self.socket.next()).await else {
                return None;
            };
            let Message::Text(text) = message else {
                continue;
            };
            self.received.push(text.to_string());
            let value: Value = serde_json::from_str(&text).unwrap();
            if value["type"] == "state" {
                self.version = value["version"].as_u64().unwrap();
                self.state = value["session"].clone();
            }
            if wanted(&value) {
                return Some(value);
            }
        }
    }

    /// Waits until the latest state satisfies `wanted` (it may already).
    pub async fn wait_state(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if !self.state.is_null() && wanted(&self.state) {
            return self.state.clone();
        }
        let message = self.next(|m| m["type"] == "state" && wanted(&m["session"])).await;
        message["session"].clone()
    }

    /// Reads until the server closes the socket; false if it is still open after `wait`.
    pub async fn closed_within(&mut self, wait: std::time::Duration) -> bool {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return false,
                Ok(None) | Ok(Some(Err(_))) | Ok(Some(Ok(Message::Close(_)))) => return true,
                Ok(Some(Ok(_))) => continue,
            }
        }
    }

    /// The latest state once it has at least `version` (it may already).
    pub async fn wait_version(&mut self, version: u64) -> Value {
        if self.version >= version {
            return self.state.clone();
        }
        let message = self.next(|m| m["type"] == "state" && m["version"].as_u64().is_some_and(|v| v >= version)).await;
        message["session"].clone()
    }

    pub async fn close(mut self) {
        let _ = self.socket.close(None).await;
    }
}

/// The item with `id` in a session state, or `null` if the state has no such item (yet).
pub fn item<'a>(state: &'a Value, id: &str) -> &'a Value {
    static NONE: Value = Value::Null;
    state["items"].as_array().and_then(|items| items.iter().find(|i| i["id"] == id)).unwrap_or(&NONE)
}

/// The latest round of an item in a state, or `null` before the first round.
pub fn last_round<'a>(state: &'a Value, id: &str) -> &'a Value {
    static NONE: Value = Value::Null;
    item(state, id)["rounds"].as_array().and_then(|r| r.last()).unwrap_or(&NONE)
}

pub fn vote(item: &str, round: u32, answer: Value) -> Value {
    json!({"type": "vote", "item": item, "round": round, "answer": answer})
}

pub fn act(kind: &str, item: &str) -> Value {
    json!({"type": kind, "item": item})
}

/// One figure from `/metrics`: the first sample whose name (with labels) is exactly `sample`.
/// Each call opens and closes its own connection, so no idle keep-alive connection lingers on the server.
pub async fn metric(base: &str, sample: &str) -> f64 {
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let text = http.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
    text.lines()
        .find_map(|line| line.strip_prefix(sample)?.strip_prefix(' '))
        .unwrap_or_else(|| panic!("{sample} is not in /metrics"))
        .parse()
        .unwrap()
}

/// Open file descriptors of a process (Linux).
pub fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).unwrap().count()
}

/// Resident memory of a process in bytes (Linux).
pub fn resident_bytes(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kib = status.lines().find_map(|line| line.strip_prefix("VmRSS:")).unwrap().trim().trim_end_matches("kB");
    kib.trim().parse::<u64>().unwrap() * 1024
}
