//! The load generator against the real server binary: a short run with 500 phones that must lose nothing.
//! Asserts correctness only (joins, acks, final tallies, every view equal to the final state), never timing:
//! CI machines are slow and shared, and the figures belong in docs/performance.md.

use crate::common::{alone_blocking, load_generator};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

/// Phones in the run: enough for joins, votes and words to overlap in batches, few enough for a debug build.
const PARTICIPANTS: &str = "500";

/// The `samsyn` binary in a child process, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(data: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_samsyn"))
            .args(["--addr", "127.0.0.1:0", "--allow-anonymous", "--data"])
            .arg(data)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server binary starts");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout")).read_line(&mut first).expect("a first line");
        let addr = first.rsplit("http://").next().expect("the address on the first line").trim().to_string();
        assert!(!addr.is_empty(), "the server printed no address: {first:?}");
        Server { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn five_hundred_phones_vote_send_words_stall_and_reconnect_and_nothing_acknowledged_is_lost() {
    let _alone = alone_blocking();
    let load_generator = load_generator();
    let data = tempfile::tempdir().unwrap();
    let server = Server::start(data.path());
    let started = Instant::now();
    let output = Command::new(load_generator)
        .args(["--url", &format!("http://{}", server.addr), "--participants", PARTICIPANTS])
        .args(["--vote-window-secs", "3", "--stall-secs", "2", "--seed", "6", "--max-secs", "60", "--json"])
        .args(["--server-pid", &server.child.id().to_string()])
        .stderr(Stdio::inherit())
        .output()
        .expect("the load generator runs");
    assert!(output.status.success(), "samsyn-load failed after {:?}", started.elapsed());
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON object on stdout");
    let field = |name: &str| report[name].as_u64().unwrap_or_else(|| panic!("{name} missing: {report:#}"));

    assert_eq!(field("participants"), 500, "{report:#}");
    assert_eq!(field("connected"), 500, "every phone joined: {report:#}");
    assert_eq!(field("join_failures"), 0, "{report:#}");
    assert!(field("votes_sent") >= 500, "every phone voted: {report:#}");
    assert_eq!(field("votes_acked"), field("votes_sent"), "{report:#}");
    assert_eq!(field("votes_lost"), 0, "{report:#}");
    assert_eq!(field("votes_extra"), 0, "{report:#}");
    assert!(field("words_sent") > 0, "{report:#}");
    assert_eq!(field("words_acked"), field("words_sent"), "{report:#}");
    assert_eq!(field("words_lost"), 0, "{report:#}");
    assert_eq!(report["tally_exact"], true, "{report:#}");
    assert_eq!(report["final_tally"]["voted"], 500, "{report:#}");
    assert_eq!(field("views_diverged"), 0, "every phone's last view is the final state: {report:#}");
    assert!(field("reconnects") > 0 && field("stalls") > 0, "the run exercised reconnects and stalls: {report:#}");
    assert_eq!(report["errors"]["count"], 0, "{report:#}");
    assert_eq!(report["timed_out"], false, "{report:#}");
}
