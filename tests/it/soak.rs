//! Soak: against the real server binary, phones keep joining, voting and leaving (most with their resume
//! token, a few new) while the facilitator opens and reveals one workshop indicator after another, for
//! `SAMSYN_SOAK_SECS` seconds (45 by default; 600 for the full run). Memory, descriptors, tasks and the
//! WAL are sampled every few seconds and printed, so the output is the figure. Nothing may grow beyond
//! what the session's own history explains: memory within +20 % or +10 MB of its level in the first third,
//! descriptors and tasks back to their baseline once the phones are gone, the WAL bounded by checkpoints.
//!
//! The full run: `SAMSYN_SOAK_SECS=600 cargo test --test it soak:: -- --nocapture`

use crate::common::*;
use serde_json::json;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Phones joining and leaving at the same time, and the identities (resume tokens) they take turns with.
const WORKERS: usize = 6;
const IDENTITIES: usize = 60;
/// One visit in this many is a new participant: people arrive during a session, but most reconnect.
const NEW_EVERY: u64 = 20;
/// Seconds each indicator stays open before it is revealed and the next one opens.
const ROUND_SECS: u64 = 4;
const SAMPLE_EVERY: Duration = Duration::from_secs(3);
/// Allowed memory growth from the first third to the end: +20 % or +10 MB, whichever is larger.
const RSS_GROWTH: f64 = 0.20;
const RSS_SLACK: u64 = 10_000_000;
/// SQLite checkpoints the WAL every 1000 pages (4 MB) and then reuses the file from its start.
const WAL_BOUND: u64 = 8_000_000;
/// The SQLite pool opens up to 4 connections as needed (a file and its WAL each) and keeps them.
const POOL_FDS: usize = 8;

#[derive(Debug, Clone, Copy)]
struct Sample {
    secs: f64,
    rss: u64,
    fds: usize,
    tasks: f64,
    tcp: f64,
    wal: u64,
    visits: u64,
    votes: u64,
}

async fn sample(base: &str, pid: u32, wal: &std::path::Path, start: Instant, counts: &Counts) -> Sample {
    Sample {
        secs: start.elapsed().as_secs_f64(),
        rss: resident_bytes(pid),
        fds: open_fds(pid),
        tasks: metric(base, "samsyn_tasks_alive").await,
        tcp: metric(base, "samsyn_tcp_connections").await,
        wal: std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0),
        visits: counts.visits.load(Relaxed),
        votes: counts.votes.load(Relaxed),
    }
}

fn print(s: &Sample) {
    println!(
        "{:>7.0} {:>8.1} {:>5} {:>6} {:>5} {:>8} {:>7} {:>7}",
        s.secs,
        s.rss as f64 / 1e6,
        s.fds,
        s.tasks,
        s.tcp,
        s.wal / 1000,
        s.visits,
        s.votes
    );
}

#[derive(Default)]
struct Counts {
    visits: AtomicU64,
    votes: AtomicU64,
}

/// One phone after another: connect (with the identity's token if it has one), vote on the open round of
/// the current item if there is one, leave.
async fn phone_worker(addr: String, code: String, worker: usize, stop: Arc<AtomicBool>, counts: Arc<Counts>) {
    let mut tokens: Vec<Option<String>> = vec![None; IDENTITIES];
    let mut visit = 0u64;
    while !stop.load(Relaxed) {
        visit += 1;
        let identity = (worker + visit as usize * WORKERS) % IDENTITIES;
        if visit.is_multiple_of(NEW_EVERY) {
            tokens[identity] = None;
        }
        let mut phone = Client::participant(&addr, &code, tokens[identity].as_deref()).await;
        tokens[identity] = phone.token.clone();
        counts.visits.fetch_add(1, Relaxed);
        let state = phone.state.clone();
        if let Some(current) = state["current"].as_str() {
            let round = last_round(&state, current);
            if round["open"] == true {
                let level = 1 + (visit + worker as u64) % 5;
                let reply = phone.request(vote(current, round["number"].as_u64().unwrap() as u32, json!(level))).await;
                match (reply["type"].as_str(), reply["code"].as_str()) {
                    (Some("ack"), _) => {
                        counts.votes.fetch_add(1, Relaxed);
                    }
                    // The facilitator revealed the round in between.
                    (Some("error"), Some("round_closed")) => {}
                    _ => panic!("a vote got {reply}"),
                }
            }
        }
        phone.close().await;
        tokio::time::sleep(Duration::from_millis(50 + visit % 100)).await;
    }
}

/// The facilitator walks through the indicators: current, open (or a new round), and after a while reveal.
async fn facilitate(mut facilitator: Client, stop: Arc<AtomicBool>) -> Client {
    let items: Vec<String> =
        facilitator.state["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().into()).collect();
    for item in items.iter().cycle() {
        if stop.load(Relaxed) {
            break;
        }
        facilitator.ok(json!({"type": "goto", "item": item})).await;
        let opened = last_round(&facilitator.state, item).is_null();
        facilitator.ok(act(if opened { "open" } else { "revote" }, item)).await;
        // Keep reading while the round is open, as a facilitator's browser does.
        let until = Instant::now() + Duration::from_secs(ROUND_SECS);
        while Instant::now() < until {
            facilitator.next_within(until - Instant::now(), |_| false).await;
            facilitator.received.clear();
        }
        facilitator.ok(act("reveal", item)).await;
        facilitator.received.clear();
    }
    facilitator
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn churn_and_votes_leave_memory_descriptors_tasks_and_the_wal_bounded() {
    let _alone = alone().await;
    let secs: u64 = std::env::var("SAMSYN_SOAK_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(45);
    let dir = tempfile::tempdir().unwrap();
    let wal = dir.path().join("samsyn.db-wal");
    let server = ServerProcess::start(dir.path()).await;
    let (addr, base, pid) = (server.addr.clone(), server.url(""), server.pid());
    let Created { code, key } = create_workshop(&base).await;

    let facilitator = Client::facilitator(&addr, &code, &key).await;
    let mut screen = Client::screen(&addr, &code).await;
    let stop = Arc::new(AtomicBool::new(false));
    let screen_task = {
        let stop = stop.clone();
        tokio::spawn(async move {
            while !stop.load(Relaxed) {
                screen.next_within(Duration::from_millis(200), |_| false).await;
                screen.received.clear();
            }
            screen
        })
    };
    settled(&base, 1.0, 1.0, 0.0).await;
    let counts = Arc::new(Counts::default());
    let start = Instant::now();
    let baseline = sample(&base, pid, &wal, start, &counts).await;

    let facilitator = tokio::spawn(facilitate(facilitator, stop.clone()));
    let workers: Vec<_> = (0..WORKERS)
        .map(|worker| tokio::spawn(phone_worker(addr.clone(), code.clone(), worker, stop.clone(), counts.clone())))
        .collect();

    println!("soak for {secs} s: {WORKERS} phones at a time over {IDENTITIES}+ identities");
    println!(
        "{:>7} {:>8} {:>5} {:>6} {:>5} {:>8} {:>7} {:>7}",
        "secs", "rss_MB", "fds", "tasks", "tcp", "wal_KB", "visits", "votes"
    );
    print(&baseline);
    let mut samples = Vec::new();
    while start.elapsed() < Duration::from_secs(secs) {
        tokio::time::sleep(SAMPLE_EVERY).await;
        let now = sample(&base, pid, &wal, start, &counts).await;
        print(&now);
        samples.push(now);
    }
    stop.store(true, Relaxed);
    for worker in workers {
        worker.await.unwrap();
    }
    facilitator.await.unwrap().close().await;
    screen_task.await.unwrap().close().await;

    // Memory: the last third against the first third, peak to peak.
    let third = (samples.len() / 3).max(1);
    let early = samples[..third].iter().map(|s| s.rss).max().unwrap();
    let late = samples[samples.len() - third..].iter().map(|s| s.rss).max().unwrap();
    let allowed = (early as f64 * (1.0 + RSS_GROWTH)).max((early + RSS_SLACK) as f64) as u64;
    let wal_max = samples.iter().map(|s| s.wal).max().unwrap();
    let last = samples.last().unwrap();
    println!(
        "{} visits, {} votes; RSS {:.1} MB in the first third, {:.1} MB in the last (allowed {:.1}); WAL at most {} KB",
        last.visits,
        last.votes,
        early as f64 / 1e6,
        late as f64 / 1e6,
        allowed as f64 / 1e6,
        wal_max / 1000
    );
    assert!(last.votes > 0 && last.visits > 0, "the soak did something");
    assert!(late <= allowed, "memory grew from {early} to {late} bytes");
    assert!(wal_max <= WAL_BOUND, "the WAL grew to {wal_max} bytes");

    // Once everyone has left, descriptors and tasks are back to the baseline (which had two sockets more).
    let settled = Instant::now();
    let end = loop {
        let now = sample(&base, pid, &wal, start, &counts).await;
        if now.fds <= baseline.fds + POOL_FDS && now.tasks <= baseline.tasks && now.tcp <= baseline.tcp {
            break now;
        }
        assert!(settled.elapsed() < Duration::from_secs(30), "not back to the baseline {baseline:?}: {now:?}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    print(&end);
    println!("back to the baseline within {:?}", settled.elapsed());
}

#[tokio::test]
async fn sessions_nobody_uses_leave_memory_and_come_back_whole_when_someone_does() {
    let data = tempfile::tempdir().unwrap();
    let server = ServerProcess::start_with(&["--data", data.path().to_str().unwrap(), "--unload-idle-secs", "1"]).await;
    let base = server.url("");
    let sessions: Vec<Created> = {
        let mut made = Vec::new();
        for _ in 0..10 {
            made.push(create_workshop(&base).await);
        }
        made
    };
    // One session is in use: a facilitator and a phone that voted stay connected.
    let mut facilitator = Client::facilitator(&server.addr, &sessions[0].code, &sessions[0].key).await;
    facilitator.ok(act("open", "L1")).await;
    let mut phone = Client::participant(&server.addr, &sessions[0].code, None).await;
    phone.ok(vote("L1", 1, json!(4))).await;
    // A vote in a session nobody stays in.
    let mut other = Client::facilitator(&server.addr, &sessions[1].code, &sessions[1].key).await;
    other.ok(act("open", "L1")).await;
    let mut voter = Client::participant(&server.addr, &sessions[1].code, None).await;
    voter.ok(vote("L1", 1, json!(2))).await;
    let token = voter.token.clone().unwrap();
    other.close().await;
    voter.close().await;
    eventually("the unused sessions are let go", WAIT, || async { metric(&base, "samsyn_live_sessions").await == 1.0 })
        .await;
    // The one in use went on all along; the other comes back from the store as it was.
    facilitator.ok(act("close", "L1")).await;
    let back = Client::participant(&server.addr, &sessions[1].code, Some(&token)).await;
    assert_eq!(back.welcome["ballots"]["L1"]["answer"], 2, "{}", back.welcome);
    assert_eq!(metric(&base, "samsyn_live_sessions").await, 2.0);
    server.terminate().await;
}
