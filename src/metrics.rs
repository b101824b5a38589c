//! Live figures for operators, in the Prometheus text format at `/metrics`: the same numbers the load
//! generator reports. Plain atomics, so counting costs a few nanoseconds on the hot path.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Upper bounds of the latency histograms, in milliseconds.
const LATENCY_BUCKETS_MS: [u64; 10] = [1, 5, 10, 25, 50, 100, 150, 250, 500, 1000];

/// A latency histogram with fixed buckets: an observation is a handful of relaxed atomic adds.
pub struct Histogram {
    buckets: [AtomicU64; LATENCY_BUCKETS_MS.len()],
    count: AtomicU64,
    sum_us: AtomicU64,
}

impl Histogram {
    const fn new() -> Self {
        Histogram {
            buckets: [const { AtomicU64::new(0) }; LATENCY_BUCKETS_MS.len()],
            count: AtomicU64::new(0),
            sum_us: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, took: Duration) {
        let ms = took.as_millis() as u64;
        for (bucket, bound) in self.buckets.iter().zip(LATENCY_BUCKETS_MS) {
            if ms <= bound {
                bucket.fetch_add(1, Relaxed);
            }
        }
        self.count.fetch_add(1, Relaxed);
        self.sum_us.fetch_add(took.as_micros() as u64, Relaxed);
    }

    fn render(&self, out: &mut String, name: &str) {
        for (bucket, bound) in self.buckets.iter().zip(LATENCY_BUCKETS_MS) {
            let _ = writeln!(out, "{name}_bucket{{le=\"{}\"}} {}", bound as f64 / 1000.0, bucket.load(Relaxed));
        }
        let count = self.count.load(Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "{name}_sum {}", self.sum_us.load(Relaxed) as f64 / 1e6);
        let _ = writeln!(out, "{name}_count {count}");
    }
}

pub struct Metrics {
    pub participants_connected: AtomicI64,
    pub screens_connected: AtomicI64,
    pub facilitators_connected: AtomicI64,
    pub live_sessions: AtomicI64,
    pub votes_applied: AtomicU64,
    pub words_applied: AtomicU64,
    pub commits: AtomicU64,
    pub store_transactions: AtomicU64,
    pub updates_published: AtomicU64,
    pub updates_delivered: AtomicU64,
    pub updates_skipped: AtomicU64,
    pub slow_clients_dropped: AtomicU64,
    pub rate_limited: AtomicU64,
    pub tcp_connections: AtomicI64,
    pub stalled_requests_dropped: AtomicU64,
    /// From a change to the publication of its state frame.
    pub update_latency: Histogram,
    /// From a command read off a socket to its answer handed to that socket.
    pub command_latency: Histogram,
    /// One store transaction that held events (SQLite or PostgreSQL), from its start until committed.
    pub store_commit_latency: Histogram,
    /// Writing one frame to every socket of a large audience (the phones of a seminar): it paces the
    /// phones' frames.
    pub fanout_latency: Histogram,
}

pub static METRICS: Metrics = Metrics {
    participants_connected: AtomicI64::new(0),
    screens_connected: AtomicI64::new(0),
    facilitators_connected: AtomicI64::new(0),
    live_sessions: AtomicI64::new(0),
    votes_applied: AtomicU64::new(0),
    words_applied: AtomicU64::new(0),
    commits: AtomicU64::new(0),
    store_transactions: AtomicU64::new(0),
    updates_published: AtomicU64::new(0),
    updates_delivered: AtomicU64::new(0),
    updates_skipped: AtomicU64::new(0),
    slow_clients_dropped: AtomicU64::new(0),
    rate_limited: AtomicU64::new(0),
    tcp_connections: AtomicI64::new(0),
    stalled_requests_dropped: AtomicU64::new(0),
    update_latency: Histogram::new(),
    command_latency: Histogram::new(),
    store_commit_latency: Histogram::new(),
    fanout_latency: Histogram::new(),
};

impl Metrics {
    /// The exposition text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let head = |out: &mut String, name: &str, kind: &str, help: &str| {
            let _ = write!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n");
        };
        head(&mut out, "samsyn_live_sessions", "gauge", "Sessions with a running actor.");
        let _ = writeln!(out, "samsyn_live_sessions {}", self.live_sessions.load(Relaxed));
        head(&mut out, "samsyn_connections", "gauge", "Open WebSocket connections that said hello, by role.");
        for (role, value) in [
            ("participant", &self.participants_connected),
            ("screen", &self.screens_connected),
            ("facilitator", &self.facilitators_connected),
        ] {
            let _ = writeln!(out, "samsyn_connections{{role=\"{role}\"}} {}", value.load(Relaxed));
        }
        head(&mut out, "samsyn_tcp_connections", "gauge", "Open TCP connections: HTTP requests and WebSockets.");
        let _ = writeln!(out, "samsyn_tcp_connections {}", self.tcp_connections.load(Relaxed));
        // What a leak would show first: tasks that never end, descriptors never closed, memory never freed.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            head(&mut out, "samsyn_tasks_alive", "gauge", "Tasks alive on the server's runtime (not the actors').");
            let _ = writeln!(out, "samsyn_tasks_alive {}", runtime.metrics().num_alive_tasks());
        }
        if let Some(fds) = open_fds() {
            head(
                &mut out,
                "process_open_fds",
                "gauge",
                "Open file descriptors: sockets, the database and its WAL (counted at most every 5 s).",
            );
            let _ = writeln!(out, "process_open_fds {fds}");
        }
        if let Some(bytes) = resident_bytes() {
            head(&mut out, "process_resident_memory_bytes", "gauge", "Resident memory (RSS) in bytes.");
            let _ = writeln!(out, "process_resident_memory_bytes {bytes}");
        }
        let counters = [
            ("samsyn_votes_applied_total", "Ballots stored (new or changed).", &self.votes_applied),
            ("samsyn_words_applied_total", "Word-cloud words stored.", &self.words_applied),
            ("samsyn_commits_total", "Batches of requests stored (one per session and batch).", &self.commits),
            (
                "samsyn_store_transactions_total",
                "Event-log transactions; the SQLite store writes the batches of every waiting session in one.",
                &self.store_transactions,
            ),
            (
                "samsyn_updates_published_total",
                "State frames serialized (once per audience per change).",
                &self.updates_published,
            ),
            ("samsyn_updates_delivered_total", "State frames written to sockets.", &self.updates_delivered),
            (
                "samsyn_updates_skipped_total",
                "State frames not written to a socket that had not taken the previous one yet (it gets the newest later).",
                &self.updates_skipped,
            ),
            (
                "samsyn_slow_clients_dropped_total",
                "Sockets dropped because a write blocked too long.",
                &self.slow_clients_dropped,
            ),
            ("samsyn_rate_limited_total", "Messages refused by the per-connection rate limit.", &self.rate_limited),
            (
                "samsyn_stalled_requests_dropped_total",
                "Connections closed because a request head or body stalled.",
                &self.stalled_requests_dropped,
            ),
        ];
        for (name, help, value) in counters {
            head(&mut out, name, "counter", help);
            let _ = writeln!(out, "{name} {}", value.load(Relaxed));
        }
        let histograms = [
            ("samsyn_update_latency_seconds", "Time from a change to the publication of its state frame.", &self.update_latency),
            (
                "samsyn_command_seconds",
                "Time from a command read off a socket to its answer (ack or error), stored first if it changed anything.",
                &self.command_latency,
            ),
            (
                "samsyn_store_commit_seconds",
                "One store transaction holding votes and other events, from its start until committed (fsync included): acks wait for it.",
                &self.store_commit_latency,
            ),
            (
                "samsyn_fanout_seconds",
                "One sweep of the newest frame over a slice of an audience of more than 64 sockets (a slice is at most 4,096 sockets; the sweeps go round the audience slice by slice), the writer threads' wall time; the next sweep starts a quarter as long again as this after it started.",
                &self.fanout_latency,
            ),
        ];
        for (name, help, histogram) in histograms {
            head(&mut out, name, "histogram", help);
            histogram.render(&mut out, name);
        }
        out
    }
}

/// How old the open-descriptor count may be. Listing /proc/self/fd takes about 15 ms with 18,000
/// sockets open: nothing for a scrape every 15 s, but a dashboard or benchmark scraping several times a
/// second would spend a few percent of a core on it.
const OPEN_FDS_MAX_AGE: Duration = Duration::from_secs(5);

/// Open file descriptors of this process, where the system shows them (Linux), counted at most every
/// [`OPEN_FDS_MAX_AGE`].
fn open_fds() -> Option<usize> {
    static COUNTED: Mutex<Option<(Instant, usize)>> = Mutex::new(None);
    let mut counted = COUNTED.lock().unwrap_or_else(PoisonError::into_inner);
    match *counted {
        Some((at, count)) if at.elapsed() < OPEN_FDS_MAX_AGE => Some(count),
        _ => {
            let count = std::fs::read_dir("/proc/self/fd").ok()?.count();
            *counted = Some((Instant::now(), count));
            Some(count)
        }
    }
}

/// Resident memory of this process, where the system shows it (Linux).
fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib = status.lines().find_map(|line| line.strip_prefix("VmRSS:"))?.trim().strip_suffix("kB")?;
    Some(kib.trim().parse::<u64>().ok()? * 1024)
}

/// Counts one connection of a role while it lives.
pub struct RoleGauge(&'static AtomicI64);

impl RoleGauge {
    pub fn new(gauge: &'static AtomicI64) -> Self {
        gauge.fetch_add(1, Relaxed);
        RoleGauge(gauge)
    }
}

impl Drop for RoleGauge {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Relaxed);
    }
}
