//! The servers under test: starting one fresh, reading its `/metrics`, running `samsyn-load` against it,
//! and sampling its CPU and deliveries while the load runs.

use crate::proc::{self, CLOCK_TICKS};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio::sync::oneshot;

/// How long a server may take to print its address.
const START_TIMEOUT: Duration = Duration::from_secs(20);
/// How often the saturation run is sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(250);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    Samsyn,
    Ws,
    SocketIo,
    Bun,
}

impl System {
    pub const ALL: [System; 4] = [System::Samsyn, System::Ws, System::SocketIo, System::Bun];

    pub fn name(self) -> &'static str {
        match self {
            System::Samsyn => "Samsyn",
            System::Ws => "Node ws",
            System::SocketIo => "Socket.IO",
            System::Bun => "Bun",
        }
    }

    /// `samsyn-load --protocol` for this server.
    fn protocol(self) -> &'static str {
        match self {
            System::Samsyn | System::Ws | System::Bun => "samsyn",
            System::SocketIo => "socketio",
        }
    }
}

/// Where the programs are.
pub struct Paths {
    /// `samsyn`, `samsyn-load` and this benchmark, built together.
    pub bin_dir: PathBuf,
    /// The Node.js peers, with `node_modules` installed.
    pub node_dir: PathBuf,
    /// The Bun peer, with the `bun` package installed.
    pub bun_dir: PathBuf,
    /// How the Bun peer fans frames out: `publish` or `send` (benches/bun/bun-server.mjs).
    pub bun_fanout: &'static str,
}

impl Paths {
    /// The `bun` binary the npm package installs.
    pub fn bun(&self) -> PathBuf {
        self.bun_dir.join("node_modules").join(".bin").join("bun")
    }
}

/// A running server, killed when stopped.
pub struct Server {
    child: Child,
    pub pid: u32,
    /// `http://host:port`
    pub url: String,
    data: Option<PathBuf>,
}

impl Server {
    /// Starts a fresh server on a free loopback port and waits for it to print its address.
    pub async fn start(system: System, paths: &Paths) -> Result<Server, String> {
        // Nothing written before (the build, `npm ci`, an earlier run's database) may still be on its way
        // to the disk: Samsyn's fsyncs would wait for it, where the Node servers write nothing.
        let _ = Command::new("sync").status().await;
        let mut data = None;
        let mut command = match system {
            System::Samsyn => {
                let dir = fresh_data_dir()?;
                let mut command = Command::new(paths.bin_dir.join("samsyn"));
                // Anonymous creation: the load generator makes its sessions without signing in.
                command
                    .args(["--addr", "127.0.0.1:0", "--allow-anonymous", "--data"])
                    .arg(&dir)
                    .env("RUST_LOG", "warn");
                data = Some(dir);
                command
            }
            System::Ws | System::SocketIo => {
                let script = if system == System::Ws { "ws-server.mjs" } else { "socketio-server.mjs" };
                let mut command = Command::new("node");
                command.arg(paths.node_dir.join(script)).args(["--port", "0"]).current_dir(&paths.node_dir);
                command
            }
            System::Bun => {
                let mut command = Command::new(paths.bun());
                command
                    .arg(paths.bun_dir.join("bun-server.mjs"))
                    .args(["--port", "0", "--fanout", paths.bun_fanout])
                    .current_dir(&paths.bun_dir);
                command
            }
        };
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("{}: cannot start: {e}", system.name()))?;
        let pid = child.id().ok_or("the server exited at once")?;
        let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
        let first = tokio::time::timeout(START_TIMEOUT, lines.next_line())
            .await
            .map_err(|_| format!("{}: no address printed within {START_TIMEOUT:?}", system.name()))?
            .map_err(|e| format!("{}: {e}", system.name()))?
            .ok_or_else(|| format!("{}: exited before printing its address", system.name()))?;
        let addr = first.rsplit("http://").next().unwrap_or_default().trim().to_string();
        if addr.is_empty() || !first.contains("http://") {
            return Err(format!("{}: unexpected first line {first:?}", system.name()));
        }
        // Anything else the server prints goes to our standard error, and it never blocks on a full pipe.
        let name = system.name();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                eprintln!("[{name}] {line}");
            }
        });
        Ok(Server { child, pid, url: format!("http://{addr}"), data })
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        if let Some(dir) = self.data.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }

    /// What the sampler needs, cheap to move into a task.
    pub fn watch(&self) -> Watch {
        Watch { host: self.url.trim_start_matches("http://").to_string(), pid: self.pid }
    }
}

/// A new, empty data folder for one Samsyn run.
fn fresh_data_dir() -> Result<PathBuf, String> {
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("samsyn-bench-{}-{run}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// A server's process and address, for sampling.
#[derive(Clone)]
pub struct Watch {
    host: String,
    pid: u32,
}

/// What the benchmark reads of `/metrics`: the deliveries (the baselines expose the same counter), and
/// Samsyn's SQLite commits that took over 100 ms, which explain a latency tail that is the disk's.
#[derive(Debug, Clone, Copy, Default)]
pub struct Metrics {
    pub delivered: u64,
    pub slow_commits: u64,
}

impl Watch {
    pub async fn metrics(&self) -> Option<Metrics> {
        let text = tokio::time::timeout(Duration::from_secs(2), http_get(&self.host, "/metrics")).await.ok()??;
        let mut metrics = Metrics::default();
        let (mut commits, mut quick_commits) = (0, 0);
        for line in text.lines() {
            let value = || line.rsplit(' ').next().and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) as u64;
            if line.starts_with("samsyn_updates_delivered_total ") {
                metrics.delivered = value();
            } else if line.starts_with("samsyn_store_commit_seconds_count ") {
                commits = value();
            } else if line.starts_with("samsyn_store_commit_seconds_bucket{le=\"0.1\"} ") {
                quick_commits = value();
            }
        }
        metrics.slow_commits = commits.saturating_sub(quick_commits);
        Some(metrics)
    }
}

/// A plain HTTP/1.1 GET; the body (Content-Length or read to the end, never chunked here).
async fn http_get(host: &str, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(host).await.ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = Vec::new();
    stream.take(1 << 20).read_to_end(&mut answer).await.ok()?;
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n")?;
    if head.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        // Good enough for metrics: drop the chunk-size lines.
        return Some(body.lines().filter(|l| !l.chars().all(|c| c.is_ascii_hexdigit())).collect::<Vec<_>>().join("\n"));
    }
    Some(body.to_string())
}

/// One run of the load generator.
pub struct Load<'a> {
    pub system: System,
    pub urls: &'a str,
    pub server_pid: Option<u32>,
    pub participants: u32,
    pub window_secs: f64,
    pub stall_secs: f64,
    pub seed: u64,
    /// Seconds added to the generator's time limit, for waiting on the other generators.
    pub waiting_secs: f64,
    /// `--join-rate`, if not the generator's default.
    pub join_rate: Option<f64>,
}

impl Load<'_> {
    fn command(&self, paths: &Paths) -> Command {
        // Room for the joins, a stalled phone's last vote and closing; a healthy run needs far less.
        let max_secs = self.window_secs + self.stall_secs + 15.0 + self.waiting_secs;
        let mut command = Command::new(paths.bin_dir.join("samsyn-load"));
        command
            .args(["--url", self.urls, "--protocol", self.system.protocol()])
            .args(["--participants", &self.participants.to_string()])
            .args(["--vote-window-secs", &self.window_secs.to_string()])
            .args(["--stall-secs", &self.stall_secs.to_string()])
            .args(["--seed", &self.seed.to_string(), "--max-secs", &max_secs.to_string(), "--json"])
            .stdout(Stdio::piped())
            .kill_on_drop(true);
        if let Some(pid) = self.server_pid {
            command.args(["--server-pid", &pid.to_string()]);
        }
        if let Some(rate) = self.join_rate {
            command.args(["--join-rate", &rate.to_string()]);
        }
        command
    }

    /// Runs `samsyn-load --json` to the end and returns its report; its progress goes to our standard error.
    pub async fn run(&self, paths: &Paths) -> Result<Value, String> {
        let output = self
            .command(paths)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .await
            .map_err(|e| format!("samsyn-load: {e}"))?;
        report(output.status, &output.stdout, "")
    }

    /// Starts `samsyn-load --wait-for-go`: it joins its phones, then waits for [`Running::go`].
    pub fn start(&self, paths: &Paths) -> Result<Running, String> {
        let mut child = self
            .command(paths)
            .arg("--wait-for-go")
            // Several generators share the machine: one thread each wastes no CPU on waking the others.
            .args(["--threads", "1"])
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("samsyn-load: {e}"))?;
        let (joined_tx, joined) = oneshot::channel();
        let mut lines = BufReader::new(child.stderr.take().expect("piped")).lines();
        // Reads the progress lines: tells when the phones have joined, keeps the last few for errors.
        let stderr = tokio::spawn(async move {
            let mut joined_tx = Some(joined_tx);
            let mut last = std::collections::VecDeque::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if line.contains(" joined in ") {
                    if let Some(tx) = joined_tx.take() {
                        let _ = tx.send(());
                    }
                }
                last.push_back(line);
                if last.len() > 3 {
                    last.pop_front();
                }
            }
            Vec::from(last).join(" | ")
        });
        Ok(Running { child, joined, stderr })
    }
}

/// A generator waiting to start its vote.
pub struct Running {
    child: Child,
    joined: oneshot::Receiver<()>,
    stderr: tokio::task::JoinHandle<String>,
}

impl Running {
    /// Waits until the generator's phones have joined (or it gave up).
    pub async fn joined(&mut self, limit: Duration) {
        let _ = tokio::time::timeout(limit, &mut self.joined).await;
    }

    /// Lets it open its vote.
    pub async fn go(&mut self) {
        if let Some(mut stdin) = self.child.stdin.take() {
            let _ = stdin.write_all(b"go\n").await;
        }
    }

    /// Waits for the end and returns the report.
    pub async fn finish(mut self) -> Result<Value, String> {
        self.go().await;
        let mut stdout = Vec::new();
        if let Some(mut out) = self.child.stdout.take() {
            let _ = out.read_to_end(&mut stdout).await;
        }
        let status = self.child.wait().await.map_err(|e| format!("samsyn-load: {e}"))?;
        let stderr = self.stderr.await.unwrap_or_default();
        report(status, &stdout, &stderr)
    }
}

/// The report a generator printed, or why there is none.
fn report(status: std::process::ExitStatus, stdout: &[u8], stderr: &str) -> Result<Value, String> {
    if !status.success() {
        return Err(format!("samsyn-load failed ({status}) {stderr}"));
    }
    serde_json::from_slice(stdout).map_err(|e| format!("samsyn-load printed no report: {e}"))
}

/// Whether a run lost nothing and every view ended equal; otherwise what went wrong.
pub fn verdict(report: &Value) -> Result<(), String> {
    let count = |key: &str| report[key].as_u64().unwrap_or(u64::MAX);
    let mut problems = Vec::new();
    if report["tally_exact"] != true {
        problems.push("final tally not exact".to_string());
    }
    for key in ["votes_lost", "votes_extra", "words_lost", "views_diverged", "join_failures"] {
        if count(key) != 0 {
            problems.push(format!("{key} {}", report[key]));
        }
    }
    if report["errors"]["count"].as_u64() != Some(0) {
        problems.push(format!("{} errors, e.g. {}", report["errors"]["count"], report["errors"]["examples"][0]));
    }
    if report["timed_out"] != false {
        problems.push("timed out".to_string());
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// One look at the server and the machine.
#[derive(Debug, Clone)]
pub struct Sample {
    at: Instant,
    metrics: Metrics,
    server_ticks: u64,
    /// The server's threads by name (see [`proc::thread_ticks`]).
    thread_ticks: Vec<(String, u64)>,
    machine: proc::MachineTicks,
}

impl Watch {
    pub async fn sample(&self) -> Option<Sample> {
        let metrics = self.metrics().await?;
        Some(Sample {
            at: Instant::now(),
            metrics,
            server_ticks: proc::process_ticks(self.pid)?,
            thread_ticks: proc::thread_ticks(self.pid),
            machine: proc::machine_ticks()?,
        })
    }
}

/// Samples every 250 ms until stopped.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<Vec<Sample>>,
}

impl Sampler {
    pub fn start(watch: Watch) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let task = tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut tick = tokio::time::interval(SAMPLE_EVERY);
            while !flag.load(Ordering::Relaxed) {
                tick.tick().await;
                if let Some(sample) = watch.sample().await {
                    samples.push(sample);
                }
            }
            samples
        });
        Sampler { stop, task }
    }

    pub async fn finish(self) -> Vec<Sample> {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await.unwrap_or_default()
    }
}

/// The busiest stretch of a saturation run.
#[derive(Debug, Clone)]
pub struct Peak {
    pub per_sec: f64,
    /// The server process, % of one core.
    pub server_pct: f64,
    pub server_us: f64,
    /// All cores, % of the whole machine.
    pub machine_pct: f64,
    pub machine_us: f64,
    /// Of the machine, what the host took (steal), % of all cores.
    pub stolen_pct: f64,
    /// The server's CPU by thread name, µs per delivery, most first: where `server_us` goes.
    pub threads: Vec<(String, f64)>,
}

/// The `window`-long stretch with the most deliveries, and the CPU spent in it.
pub fn peak(samples: &[Sample], window: Duration) -> Option<Peak> {
    let mut best: Option<(usize, usize, u64)> = None;
    for (i, a) in samples.iter().enumerate() {
        let Some(j) = (i + 1..samples.len()).find(|&j| samples[j].at.duration_since(a.at) >= window) else { break };
        let delivered = samples[j].metrics.delivered.saturating_sub(a.metrics.delivered);
        if best.is_none_or(|(_, _, most)| delivered > most) {
            best = Some((i, j, delivered));
        }
    }
    let (i, j, delivered) = best?;
    let (a, b) = (&samples[i], &samples[j]);
    let secs = b.at.duration_since(a.at).as_secs_f64();
    let server_secs = b.server_ticks.saturating_sub(a.server_ticks) as f64 / CLOCK_TICKS;
    let machine_secs = b.machine.busy.saturating_sub(a.machine.busy) as f64 / CLOCK_TICKS;
    let per_delivery = |cpu_secs: f64| if delivered > 0 { cpu_secs * 1e6 / delivered as f64 } else { f64::NAN };
    Some(Peak {
        per_sec: delivered as f64 / secs,
        server_pct: server_secs / secs * 100.0,
        server_us: per_delivery(server_secs),
        machine_pct: b.machine.busy.saturating_sub(a.machine.busy) as f64 * 100.0
            / b.machine.all.saturating_sub(a.machine.all).max(1) as f64,
        machine_us: per_delivery(machine_secs),
        stolen_pct: a.machine.stolen_pct(&b.machine),
        threads: thread_shares(a, b, per_delivery),
    })
}

/// Each thread name's CPU from `a` to `b` through `per_delivery`, most first; names without any left out.
fn thread_shares(a: &Sample, b: &Sample, per_delivery: impl Fn(f64) -> f64) -> Vec<(String, f64)> {
    let before = |name: &str| a.thread_ticks.iter().find(|(n, _)| n == name).map_or(0, |(_, ticks)| *ticks);
    let mut shares: Vec<(String, f64)> = b
        .thread_ticks
        .iter()
        .map(|(name, ticks)| (name.clone(), ticks.saturating_sub(before(name))))
        .filter(|(_, ticks)| *ticks > 0)
        .map(|(name, ticks)| (name, per_delivery(ticks as f64 / CLOCK_TICKS)))
        .collect();
    shares.sort_by(|x, y| y.1.total_cmp(&x.1));
    shares
}

/// The version in `package.json` of an installed Node package.
pub fn node_package_version(node_dir: &Path, package: &str) -> String {
    let file = node_dir.join("node_modules").join(package).join("package.json");
    std::fs::read_to_string(file)
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .and_then(|v| v["version"].as_str().map(String::from))
        .unwrap_or_else(|| "?".into())
}
