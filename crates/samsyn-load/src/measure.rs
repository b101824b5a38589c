//! What the load generator measures besides the protocol: latency percentiles, errors worth showing,
//! and CPU and memory read from `/proc`. Knows nothing about the protocol or the network.

use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Kernel clock ticks per second for `/proc/*/stat` CPU times. 100 on every mainstream Linux build;
/// reading it properly needs `sysconf`, which needs `unsafe` here.
pub const CLOCK_TICKS: f64 = 100.0;
/// At most this many error messages are kept as examples; the rest are only counted.
const EXAMPLES: usize = 8;

/// A count of problems with a few examples. Shared by every client task, so only the rare error locks.
#[derive(Default)]
pub struct ErrorLog {
    count: AtomicU64,
    examples: Mutex<Vec<String>>,
}

impl ErrorLog {
    pub fn add(&self, message: impl FnOnce() -> String) {
        if self.count.fetch_add(1, Ordering::Relaxed) < EXAMPLES as u64 {
            let mut examples = self.examples.lock().expect("error log lock");
            if examples.len() < EXAMPLES {
                examples.push(message());
            }
        }
    }

    pub fn count(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    pub fn to_json(&self) -> Value {
        json!({"count": self.count(), "examples": *self.examples.lock().expect("error log lock")})
    }
}

/// Latency samples in microseconds.
#[derive(Default)]
pub struct Samples(Vec<u32>);

impl Samples {
    pub fn push(&mut self, latency: Duration) {
        self.0.push(u32::try_from(latency.as_micros()).unwrap_or(u32::MAX));
    }

    pub fn extend(&mut self, other: &[u32]) {
        self.0.extend_from_slice(other);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `{p50, p95, p99, max, n}` in milliseconds (nearest rank), or nulls without samples.
    pub fn summary(&mut self) -> Value {
        self.0.sort_unstable();
        let n = self.0.len();
        let ms = |micros: u32| (f64::from(micros) / 100.0).round() / 10.0;
        let rank = |q: f64| {
            let index = ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
            ms(self.0[index])
        };
        if n == 0 {
            return json!({"p50": null, "p95": null, "p99": null, "max": null, "n": 0});
        }
        json!({"p50": rank(0.50), "p95": rank(0.95), "p99": rank(0.99), "max": ms(self.0[n - 1]), "n": n})
    }
}

/// CPU counters at one moment, for working out how busy something was between two moments.
#[derive(Clone, Copy)]
pub struct Snapshot {
    at: Instant,
    /// Whole machine, summed over every core, from the first line of /proc/stat.
    machine: Option<MachineTicks>,
    server: Option<u64>,
    load: Option<u64>,
}

impl Snapshot {
    pub fn take(server_pid: Option<u32>) -> Snapshot {
        Snapshot {
            at: Instant::now(),
            machine: machine_ticks(),
            server: server_pid.and_then(|pid| process_ticks(&pid.to_string())),
            load: process_ticks("self"),
        }
    }

    /// How busy things were from `self` to `later`: the machine in percent of all its cores (100 = every
    /// core busy), the server and this generator in percent of one core (200 = two cores busy).
    pub fn until(&self, later: &Snapshot) -> Value {
        let secs = later.at.duration_since(self.at).as_secs_f64().max(1e-6);
        let share = |part: fn(&MachineTicks) -> u64| match (self.machine, later.machine) {
            (Some(a), Some(b)) if b.all > a.all => {
                Some(round1(part(&b).saturating_sub(part(&a)) as f64 * 100.0 / (b.all - a.all) as f64))
            }
            _ => None,
        };
        let machine = share(|t| t.busy);
        let process = |a: Option<u64>, b: Option<u64>| match (a, b) {
            (Some(a), Some(b)) => Some(round1(b.saturating_sub(a) as f64 / CLOCK_TICKS / secs * 100.0)),
            _ => None,
        };
        let (server, load) = (process(self.server, later.server), process(self.load, later.load));
        // Busy time no process here accounts for: kernel softirq work (much of loopback networking) and
        // any other program running at the same time.
        let unattributed = match (machine, server, load, cores()) {
            (Some(m), Some(s), Some(l), cores) if cores > 0 => Some(round1(m - (s + l) / cores as f64)),
            _ => None,
        };
        json!({
            "secs": round1(secs),
            "machine_pct": machine,
            "machine_softirq_pct": share(|t| t.softirq),
            "server_pct": server,
            "load_pct": load,
            "unattributed_pct": unattributed,
        })
    }
}

pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[derive(Debug, Clone, Copy)]
struct MachineTicks {
    busy: u64,
    softirq: u64,
    all: u64,
}

/// Busy and total ticks of all cores. Busy counts user, nice, system, irq, softirq and steal: loopback
/// network work often lands in softirq, charged to no process, so process CPU alone under-counts.
fn machine_ticks() -> Option<MachineTicks> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?.strip_prefix("cpu ")?;
    let fields: Vec<u64> = line.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    let get = |i: usize| fields.get(i).copied().unwrap_or(0);
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    let busy = get(0) + get(1) + get(2) + get(5) + get(6) + get(7);
    let idle = get(3) + get(4);
    Some(MachineTicks { busy, softirq: get(6), all: busy + idle })
}

/// Number of cores the kernel reports in /proc/stat.
pub fn cores() -> usize {
    std::fs::read_to_string("/proc/stat")
        .map(|stat| {
            stat.lines().filter(|l| l.starts_with("cpu") && l.as_bytes().get(3).is_some_and(u8::is_ascii_digit)).count()
        })
        .unwrap_or(0)
}

/// User plus system CPU ticks of a process (`pid` or `"self"`).
fn process_ticks(pid: &str) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses; the fields after its closing ')' start at field 3.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(utime + stime)
}

/// Resident memory of a process now and at its peak, in KiB (VmRSS, VmHWM).
pub fn rss_kb(pid: &str) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.split_whitespace().next()?.parse().ok())
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

/// The soft limit on open files of this process, from /proc/self/limits.
pub fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..].split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut samples = Samples::default();
        for ms in 1..=100u64 {
            samples.push(Duration::from_millis(ms));
        }
        let summary = samples.summary();
        assert_eq!(summary["p50"], 50.0);
        assert_eq!(summary["p99"], 99.0);
        assert_eq!(summary["max"], 100.0);
    }
}
