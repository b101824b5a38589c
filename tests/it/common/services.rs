//! Real Redis and PostgreSQL for the multi-node tests, each started in a temp folder on a spare port and
//! stopped when dropped, and `samsyn` nodes as child processes using them. Without `redis-server` or
//! PostgreSQL's `initdb` on this machine the tests are skipped with a message; under `CI=true` that fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// PostgreSQL's programs: on PATH, or in Debian's versioned folder (the newest version there).
fn pg_bin(name: &str) -> Option<PathBuf> {
    which(name).or_else(|| {
        let mut found: Vec<PathBuf> =
            std::fs::read_dir("/usr/lib/postgresql").ok()?.flatten().map(|e| e.path().join("bin").join(name)).collect();
        found.sort();
        found.into_iter().rev().find(|p| p.is_file())
    })
}

/// True if the multi-node tests can run here. Prints why not; panics under CI, where a skip would hide a gap.
pub fn services_available() -> bool {
    let missing: Vec<&str> = [
        ("redis-server", which("redis-server").is_some()),
        ("initdb (PostgreSQL)", pg_bin("initdb").is_some()),
        ("pg_ctl (PostgreSQL)", pg_bin("pg_ctl").is_some()),
    ]
    .into_iter()
    .filter(|(_, found)| !found)
    .map(|(name, _)| name)
    .collect();
    if missing.is_empty() {
        return true;
    }
    let message =
        format!("SKIPPED: multi-node test needs {} (apt-get install redis-server postgresql)", missing.join(", "));
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}; CI must run it");
    eprintln!("{message}");
    false
}

pub fn spare_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn wait_for_port(port: u16, what: &str) {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{what} did not start on port {port}");
}

/// A `redis-server` of the test's own, without persistence: a restart loses everything Redis held.
pub struct Redis {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<std::process::Child>,
}

impl Redis {
    pub async fn start() -> Redis {
        let mut redis = Redis { port: spare_port(), dir: tempfile::tempdir().unwrap(), child: None };
        redis.launch().await;
        redis
    }

    async fn launch(&mut self) {
        let child = Command::new(which("redis-server").expect("redis-server"))
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        wait_for_port(self.port, "redis-server").await;
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Kills Redis (SIGKILL) and starts a new, empty one on the same port after `down`.
    pub async fn restart(&mut self, down: Duration) {
        self.kill();
        tokio::time::sleep(down).await;
        self.launch().await;
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A PostgreSQL cluster of the test's own (`initdb` + `pg_ctl` in a temp folder). PostgreSQL refuses to run
/// as root, so as root it runs as the `postgres` user.
pub struct Postgres {
    pub port: u16,
    data: PathBuf,
    _dir: tempfile::TempDir,
}

fn as_postgres_user(program: &Path) -> Command {
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false)
}

impl Postgres {
    pub async fn start() -> Postgres {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("pg");
        if is_root() {
            let status = Command::new("chown").args(["-R", "postgres:postgres"]).arg(dir.path()).status().unwrap();
            assert!(status.success(), "chown for postgres");
        }
        let port = spare_port();
        let output = as_postgres_user(&pg_bin("initdb").unwrap())
            .args(["-D"])
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
            .output()
            .unwrap();
        assert!(output.status.success(), "initdb: {}", String::from_utf8_lossy(&output.stderr));
        let options = format!("-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=on", data.display());
        let output = as_postgres_user(&pg_bin("pg_ctl").unwrap())
            .args(["-D"])
            .arg(&data)
            .args(["-o", &options, "-l"])
            .arg(data.join("log"))
            .args(["-w", "start"])
            .output()
            .unwrap();
        assert!(output.status.success(), "pg_ctl start: {}", String::from_utf8_lossy(&output.stderr));
        wait_for_port(port, "postgres").await;
        Postgres { port, data, _dir: dir }
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = as_postgres_user(&pg_bin("pg_ctl").unwrap())
            .args(["-D"])
            .arg(&self.data)
            .args(["-m", "immediate", "stop"])
            .output();
    }
}

/// One `samsyn` node (the real binary) on PostgreSQL and Redis.
pub async fn node(postgres: &Postgres, redis: &Redis) -> super::ServerProcess {
    super::ServerProcess::start_with(&["--postgres-url", &postgres.url(), "--redis-url", &redis.url()]).await
}
