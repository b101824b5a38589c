//! One address floods the real binary with 5,000 session creations and 1,000 catalogue imports (about
//! 90 KB each) while five phones vote calmly: the flood is refused past the limit, their acks stay
//! quick, memory returns to its baseline, and the server restarts quickly on the same folder.
//! Prints its figures (docs/reliability.md, "Threat model"):
//! `cargo test --release --test it flood:: -- --nocapture`

use crate::common::*;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::time::Instant;

const CREATIONS: usize = 5_000;
const IMPORTS: usize = 1_000;
const WORKERS: usize = 50;

const CALM_PHONES: usize = 5;

/// Calm phones' vote round trips, in ms: until `during` ends (then also its result), or else `votes` each.
async fn calm_votes(
    phones: &mut Vec<Client>,
    votes: usize,
    during: Option<tokio::task::JoinHandle<Vec<u16>>>,
) -> (Vec<f64>, Vec<u16>) {
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let voters: Vec<_> = phones
        .drain(..)
        .map(|mut phone| {
            let done = done.clone();
            tokio::spawn(async move {
                let mut acks = Vec::new();
                let mut n = 0usize;
                while !done.load(std::sync::atomic::Ordering::Relaxed) && (votes == 0 || n < votes) {
                    let started = Instant::now();
                    phone.ok(vote("L1", 1, json!(1 + n % 5))).await;
                    acks.push(started.elapsed().as_secs_f64() * 1000.0);
                    n += 1;
                    // About fifteen votes a second: within the 20 messages a second a connection may send.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                (phone, acks)
            })
        })
        .collect();
    let statuses = match during {
        Some(flood) => {
            let statuses = flood.await.unwrap();
            done.store(true, std::sync::atomic::Ordering::Relaxed);
            statuses
        }
        None => Vec::new(),
    };
    let mut acks = Vec::new();
    for voter in voters {
        let (phone, mine) = voter.await.unwrap();
        phones.push(phone);
        acks.extend(mine);
    }
    (acks, statuses)
}

/// 5,000 creations, then 1,000 imports, from `WORKERS` connections at once; every answer's status.
async fn flood_requests(base: String, imports: Vec<String>) -> Vec<u16> {
    let http = reqwest::Client::new();
    let imports = std::sync::Arc::new(imports);
    let jobs = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (http, base, jobs, imports) = (http.clone(), base.clone(), jobs.clone(), imports.clone());
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                loop {
                    let n = jobs.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let request = if n < CREATIONS {
                        let body = json!({"title": format!("Flod {n}"), "catalogue": "lika"});
                        http.post(format!("{base}/api/sessions")).json(&body)
                    } else if n < CREATIONS + IMPORTS {
                        let body = imports[n - CREATIONS].clone();
                        http.post(format!("{base}/api/catalogues"))
                            .header("content-type", "application/json")
                            .body(body)
                    } else {
                        break;
                    };
                    statuses.push(request.send().await.unwrap().status().as_u16());
                }
                statuses
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for worker in workers {
        statuses.extend(worker.await.unwrap());
    }
    statuses
}

fn p99(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[(samples.len() * 99 / 100).min(samples.len() - 1)]
}

#[tokio::test]
async fn a_flood_of_creations_and_imports_from_one_address_is_refused_and_hurts_no_one() {
    let _alone = alone().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_string();
    let server = ServerProcess::start_exactly(&["--data", &data, "--allow-anonymous"]).await;
    let base = server.url("");
    let addr = base.trim_start_matches("http://").to_string();
    let session = create_workshop(&base).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "L1")).await;
    let mut phones = Vec::new();
    for _ in 0..CALM_PHONES {
        phones.push(Client::participant(&addr, &session.code, None).await);
    }

    // A catalogue of the size the attack used: the built-in one under a new id each time.
    let http = reqwest::Client::new();
    let mut lika: Value = http.get(format!("{base}/api/catalogues/lika")).send().await.unwrap().json().await.unwrap();
    for area in lika["areas"].as_array_mut().unwrap() {
        for indicator in area["indicators"].as_array_mut().unwrap() {
            indicator["notes"] = json!("Anteckning för facilitatorn. ".repeat(60));
        }
    }
    let size = serde_json::to_vec(&lika).unwrap().len();

    let (baseline_acks, _) = calm_votes(&mut phones, 40, None).await;
    let rss_before = resident_bytes(server.pid());

    // The flood runs on its own thread and runtime, so the calm phones' round trips measure the server,
    // not this test's own work; each import's body is made once, ahead.
    let lika_text = serde_json::to_string(&lika).unwrap();
    let imports: Vec<String> =
        (0..IMPORTS).map(|n| lika_text.replacen("\"lika\"", &format!("\"flod-{n}\""), 1)).collect();
    let flood = {
        let base = base.clone();
        let (done, finished) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let statuses = runtime.block_on(flood_requests(base, imports));
            let _ = done.send(statuses);
        });
        tokio::spawn(async move { finished.await.unwrap() })
    };
    let flood_started = Instant::now();
    let (flood_acks, statuses) = calm_votes(&mut phones, 0, Some(flood)).await;
    let flood_secs = flood_started.elapsed().as_secs_f64();
    let made = statuses.iter().filter(|s| **s == 201).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();

    // Memory once the flood is over (what it allocated is returned or reused).
    tokio::time::sleep(Duration::from_secs(2)).await;
    let rss_after = resident_bytes(server.pid());
    let (calm_before, calm_during) = (p99(baseline_acks.clone()), p99(flood_acks.clone()));
    println!(
        "flood: {} requests ({CREATIONS} creations, {IMPORTS} imports of {size} bytes) in {flood_secs:.1} s: \
         {made} made, {refused} refused 429; RSS {:.1} → {:.1} MB; calm phones' ack p99 {calm_before:.1} ms \
         before, {calm_during:.1} ms during ({} votes)",
        statuses.len(),
        rss_before as f64 / 1e6,
        rss_after as f64 / 1e6,
        flood_acks.len()
    );
    assert_eq!(statuses.len(), CREATIONS + IMPORTS);
    assert_eq!(made + refused, statuses.len(), "every answer is 201 or 429: {statuses:?}");
    assert!(made <= 22, "a burst of 20 and one a minute: {made} made");
    assert!(rss_after < rss_before + 50_000_000, "RSS {rss_before} → {rss_after}");
    // Twice the baseline, or 500 ms more, whichever is larger: in the debug build CI runs, with the
    // attacker on the same two cores, the flood adds 20–50 ms to the slowest acks on one of our machines
    // and 75–170 ms on a slower one (acks at 85–178 ms during it), where the whole flood takes three
    // times as long and, the socket runtime having one thread on two cores, the phones' reads wait behind
    // the flood's requests (past 250 ms once in a dozen runs; the release build 9–14 ms with one thread or
    // two). The run prints its figures above; every run is in docs/reliability.md. A server the flood held up
    // would show seconds.
    assert!(calm_during <= (2.0 * calm_before).max(calm_before + 500.0), "{calm_before} → {calm_during} ms");

    // The phone's votes are all there, and the server comes back quickly on the same folder.
    drop(phones);
    drop(facilitator);
    assert!(server.terminate().await, "stops cleanly");
    let restarted_at = Instant::now();
    let again = ServerProcess::start_exactly(&["--data", &data, "--allow-anonymous"]).await;
    let catalogues = http.get(again.url("/api/catalogues")).send().await.unwrap();
    assert_eq!(catalogues.status(), 200);
    let listed = catalogues.json::<Vec<Value>>().await.unwrap().len();
    let first_answers = restarted_at.elapsed();
    let state = Client::screen(again.url("").trim_start_matches("http://"), &session.code).await.state;
    println!("restart: catalogues listed ({listed}) {:.0} ms after the start", first_answers.as_secs_f64() * 1000.0);
    assert!(listed <= 2 + 22, "the flood left at most its allowance: {listed} catalogues");
    assert!(first_answers < Duration::from_secs(10), "{first_answers:?}");
    assert_eq!(last_round(&state, "L1")["voted"], CALM_PHONES, "the calm phones' ballots are kept");
    again.terminate().await;
}
