//! What `/proc` says about CPU, memory and the machine. Linux only, like the rest of the benchmark.

use std::time::{SystemTime, UNIX_EPOCH};

/// Kernel clock ticks per second in `/proc/*/stat` and `/proc/stat`: 100 on every mainstream Linux build
/// (reading it properly needs `sysconf`, and so `unsafe`).
pub const CLOCK_TICKS: f64 = 100.0;

/// User plus system CPU ticks of a process, all its threads.
pub fn process_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces and parentheses; the fields after its closing ')' start at field 3.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 1..].split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// User plus system CPU ticks of a process's threads, summed by name with a trailing number left off
/// (`samsyn-fanout-0` and `samsyn-fanout-1` are `samsyn-fanout`), sorted by name. A thread that ended is
/// no longer listed, so a short-lived one may be missing from a stretch it ended in.
pub fn thread_ticks(pid: u32) -> Vec<(String, u64)> {
    let mut by_name = std::collections::BTreeMap::<String, u64>::new();
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else { return Vec::new() };
    for task in tasks.flatten() {
        let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else { continue };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
        *by_name.entry(thread_group(&stat[open + 1..close]).to_string()).or_default() += ticks(11) + ticks(12);
    }
    by_name.into_iter().collect()
}

/// A thread's name without the number that tells threads of one pool apart.
fn thread_group(name: &str) -> &str {
    let trimmed = name.trim_end_matches(|c: char| c.is_ascii_digit());
    match trimmed.strip_suffix(['-', '_', ' ', '#']) {
        Some(group) if !group.is_empty() => group,
        _ if trimmed.is_empty() => name,
        _ => trimmed,
    }
}

/// Resident memory of a process in KB (`VmRSS`).
pub fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?.split_whitespace().next()?.parse().ok()
}

/// This process's soft limit on open files (`ulimit -n`), which the servers it starts inherit.
pub fn open_files_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line["Max open files".len()..].split_whitespace().next()?.parse().ok()
}

/// Busy and total ticks of all cores together. Busy counts user, nice, system, irq, softirq and steal:
/// loopback networking often runs in softirq, charged to no process.
#[derive(Debug, Clone, Copy)]
pub struct MachineTicks {
    pub busy: u64,
    pub all: u64,
    /// Time a virtual machine's cores wanted to run but the host ran something else: part of `busy`.
    pub steal: u64,
}

impl MachineTicks {
    /// Steal between `self` and a later reading, in % of all cores.
    pub fn stolen_pct(&self, later: &MachineTicks) -> f64 {
        later.steal.saturating_sub(self.steal) as f64 * 100.0 / later.all.saturating_sub(self.all).max(1) as f64
    }
}

pub fn machine_ticks() -> Option<MachineTicks> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> =
        stat.lines().next()?.strip_prefix("cpu ")?.split_whitespace().filter_map(|f| f.parse().ok()).collect();
    let get = |i: usize| fields.get(i).copied().unwrap_or(0);
    // user nice system idle iowait irq softirq steal (guest time is already inside user).
    let busy = get(0) + get(1) + get(2) + get(5) + get(6) + get(7);
    Some(MachineTicks { busy, all: busy + get(3) + get(4), steal: get(7) })
}

/// The machine in one line: cores, CPU model, memory, kernel.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").and_then(|rest| rest.split_once(':')).map(|(_, m)| m.trim()))
        .unwrap_or("unknown CPU");
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gb = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    format!("nproc {cores}, {model}, {mem_gb:.0} GB RAM, Linux {}", kernel.trim())
}

/// Today's date (UTC) as YYYY-MM-DD.
pub fn today() -> String {
    let days = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 86_400) as i64;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(20_415), (2025, 11, 23));
    }

    #[test]
    fn threads_of_one_pool_are_counted_together() {
        assert_eq!(thread_group("samsyn-fanout-1"), "samsyn-fanout");
        assert_eq!(thread_group("tokio-rt-worker"), "tokio-rt-worker");
        assert_eq!(thread_group("Bun Pool 3"), "Bun Pool");
        assert_eq!(thread_group("node"), "node");
        assert_eq!(thread_group("42"), "42");
    }

    #[test]
    fn this_process_lists_its_threads_by_name() {
        // A new thread takes its name once it runs, so it says when it does.
        let (running, started) = std::sync::mpsc::channel();
        let worker = std::thread::Builder::new()
            .name("bench-probe-7".into())
            .spawn(move || {
                running.send(()).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(500));
            })
            .unwrap();
        started.recv().unwrap();
        let threads = thread_ticks(std::process::id());
        assert!(threads.iter().any(|(name, _)| name == "bench-probe"), "{threads:?}");
        worker.join().unwrap();
    }
}
