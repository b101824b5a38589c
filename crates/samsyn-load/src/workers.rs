//! More phones than one process may hold: `--processes P` starts P − 1 worker processes (this binary again)
//! that run their share of the phones in the same session. The coordinator keeps the facilitator, the
//! screen and the checks; a worker's phones follow the coordinator's word by lines on the worker's stdin
//! (`choice V`, `words V`, `closing`, `final V`, `frozen`, `finish`), and the worker answers on its stdout
//! (`joined N`, `done`, then `reports [...]`). Worker phones measure their own acks and updates; the
//! vote → screen latency is measured for the coordinator's phones only (it needs one count of first votes).

use crate::phone::{Control, Opened, PhoneReport};
use crate::Env;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin};
use tokio::time::Instant;
use tungstenite::Utf8Bytes;

/// A phone's report as it crosses from a worker to the coordinator.
#[derive(Serialize, Deserialize)]
struct ReportWire {
    joined: bool,
    join_failures: u32,
    join_us: Option<u32>,
    ack_us: Vec<u32>,
    phone_us: Option<u32>,
    last_acked: Option<u8>,
    unanswered: bool,
    votes_sent: u64,
    votes_acked: u64,
    votes_resent: u64,
    words_sent: u64,
    words_acked: Vec<String>,
    updates: u64,
    vote_frames: u64,
    vote_bytes: u64,
    reconnects: u64,
    unavailable: u64,
    stalls: u64,
    final_view: Option<String>,
}

impl From<&PhoneReport> for ReportWire {
    fn from(r: &PhoneReport) -> Self {
        ReportWire {
            joined: r.joined,
            join_failures: r.join_failures,
            join_us: r.join_us,
            ack_us: r.ack_us.clone(),
            phone_us: r.phone_us,
            last_acked: r.last_acked,
            unanswered: r.unanswered,
            votes_sent: r.votes_sent,
            votes_acked: r.votes_acked,
            votes_resent: r.votes_resent,
            words_sent: r.words_sent,
            words_acked: r.words_acked.clone(),
            updates: r.updates,
            vote_frames: r.vote_frames,
            vote_bytes: r.vote_bytes,
            reconnects: r.reconnects,
            unavailable: r.unavailable,
            stalls: r.stalls,
            final_view: r.final_view.as_ref().map(|v| v.as_str().to_string()),
        }
    }
}

impl From<ReportWire> for PhoneReport {
    fn from(r: ReportWire) -> Self {
        PhoneReport {
            joined: r.joined,
            join_failures: r.join_failures,
            join_us: r.join_us,
            ack_us: r.ack_us,
            phone_us: r.phone_us,
            first_vote: None,
            last_acked: r.last_acked,
            unanswered: r.unanswered,
            votes_sent: r.votes_sent,
            votes_acked: r.votes_acked,
            votes_resent: r.votes_resent,
            words_sent: r.words_sent,
            words_acked: r.words_acked,
            updates: r.updates,
            vote_frames: r.vote_frames,
            vote_bytes: r.vote_bytes,
            reconnects: r.reconnects,
            unavailable: r.unavailable,
            stalls: r.stalls,
            final_view: r.final_view.map(Utf8Bytes::from),
        }
    }
}

/// The worker's end: prints a line for the coordinator.
pub fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// The worker's end: the reports, as one line.
pub fn say_reports(reports: &[PhoneReport]) {
    let wire: Vec<ReportWire> = reports.iter().map(ReportWire::from).collect();
    say(&format!("reports {}", serde_json::to_string(&wire).expect("reports serialize")));
}

/// The worker's end: applies one line of the coordinator's word. Returns false on `finish`.
pub fn obey(line: &str, env: &Env, update: &mut impl FnMut(&dyn Fn(&mut Control))) -> bool {
    let mut words = line.split_whitespace();
    let (word, version) = (words.next().unwrap_or_default(), words.next().and_then(|v| v.parse::<u64>().ok()));
    match (word, version) {
        ("choice", Some(version)) => update(&|c| c.choice = Some(Opened { at: Instant::now(), version })),
        ("words", Some(version)) => update(&|c| c.words = Some(Opened { at: Instant::now(), version })),
        ("final", Some(version)) => update(&|c| c.final_version = Some(version)),
        ("closing", _) => env.closing.store(true, Ordering::SeqCst),
        ("frozen", _) => env.frozen.store(true, Ordering::SeqCst),
        ("finish", _) => {
            update(&|c| c.finish = true);
            return false;
        }
        _ => {}
    }
    true
}

/// The coordinator's end of one worker process.
pub struct Worker {
    child: Child,
    stdin: ChildStdin,
    pub state: Arc<WorkerState>,
}

#[derive(Default)]
pub struct WorkerState {
    pub joined: AtomicUsize,
    pub answered_join: AtomicBool,
    pub done: AtomicBool,
    pub reports: Mutex<Option<Vec<PhoneReport>>>,
}

impl Worker {
    /// Starts this binary as a worker with `args` (the workload, its share and `--worker CODE`).
    pub fn start(args: &[String]) -> Result<Worker, String> {
        let exe = std::env::current_exe().map_err(|e| format!("finding this program: {e}"))?;
        let mut child = tokio::process::Command::new(exe)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("starting a worker process: {e}"))?;
        let stdin = child.stdin.take().expect("piped");
        let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
        let state = Arc::new(WorkerState::default());
        let listening = state.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                let (word, rest) = line.split_once(' ').unwrap_or((line.as_str(), ""));
                match word {
                    "joined" => {
                        listening.joined.store(rest.trim().parse().unwrap_or(0), Ordering::SeqCst);
                        listening.answered_join.store(true, Ordering::SeqCst);
                    }
                    "done" => listening.done.store(true, Ordering::SeqCst),
                    "reports" => {
                        let wire: Vec<ReportWire> = serde_json::from_str(rest).unwrap_or_default();
                        *listening.reports.lock().expect("reports lock") =
                            Some(wire.into_iter().map(PhoneReport::from).collect());
                    }
                    _ => {}
                }
            }
        });
        Ok(Worker { child, stdin, state })
    }

    /// Passes one line of the coordinator's word on.
    pub async fn tell(&mut self, line: &str) {
        let _ = self.stdin.write_all(format!("{line}\n").as_bytes()).await;
        let _ = self.stdin.flush().await;
    }

    /// Waits for the worker to exit and returns its phones' reports (none if it failed).
    pub async fn finish(mut self, until: Instant) -> Option<Vec<PhoneReport>> {
        let _ = tokio::time::timeout_at(until, self.child.wait()).await;
        // The reader task may still be parsing the last line.
        for _ in 0..50 {
            if let Some(reports) = self.state.reports.lock().expect("reports lock").take() {
                return Some(reports);
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        None
    }
}
