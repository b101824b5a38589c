//! Acknowledged means stored, under fire: phones vote and send words while the real server is killed
//! with SIGKILL at random moments and restarted on the same data folder. Afterwards every acknowledged
//! answer must be in the SQLite file — none lost, none doubled, none that nobody sent.
//!
//! `SAMSYN_CRASH_KILLS` sets the number of kills (default 5; the long run uses 50):
//! `SAMSYN_CRASH_KILLS=50 cargo test --release --test it crash:: -- --nocapture`

use crate::common::*;
use futures_util::{SinkExt, StreamExt};
use rand::Rng;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

const PHONES: usize = 12;

/// What one phone sent and what the server acknowledged.
#[derive(Default, Debug)]
struct Record {
    token: Option<String>,
    /// Every vote sent, in order: (level, acknowledged).
    votes: Vec<(i64, bool)>,
    words_sent: BTreeSet<String>,
    words_acked: BTreeSet<String>,
}

/// One phone: connects, votes and sends words until told to stop; reconnects with its token after a crash.
async fn phone(
    addr: Arc<Mutex<String>>,
    code: String,
    record: Arc<Mutex<Record>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
    seed: usize,
) {
    let mut next_id = 1u64;
    let mut word_no = 0;
    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
        let target = addr.lock().unwrap().clone();
        let Ok(Ok((mut socket, _))) =
            tokio::time::timeout(Duration::from_secs(2), tokio_tungstenite::connect_async(format!("ws://{target}/ws")))
                .await
        else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let token = record.lock().unwrap().token.clone();
        let hello = json!({"type": "hello", "id": next_id, "role": "participant", "code": code, "token": token});
        next_id += 1;
        if socket.send(Message::text(hello.to_string())).await.is_err() {
            continue;
        }
        // Wait for the welcome.
        let mut welcomed = false;
        while let Ok(Some(Ok(message))) = tokio::time::timeout(Duration::from_secs(2), socket.next()).await {
            if let Message::Text(text) = message {
                let value: Value = serde_json::from_str(&text).unwrap();
                if value["type"] == "welcome" {
                    record.lock().unwrap().token = value["token"].as_str().map(String::from);
                    welcomed = true;
                    break;
                }
            }
        }
        if !welcomed {
            continue;
        }
        loop {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                return;
            }
            let id = next_id;
            next_id += 1;
            let (command, vote_level, word) = if id.is_multiple_of(3) && word_no < 3 {
                let word = format!("ord{seed}x{word_no}");
                word_no += 1;
                (json!({"type": "word", "id": id, "item": "ord", "round": 1, "text": word}), None, Some(word))
            } else {
                let level: i64 = rand::rng().random_range(1..=5);
                (json!({"type": "vote", "id": id, "item": "L1", "round": 1, "answer": level}), Some(level), None)
            };
            {
                let mut r = record.lock().unwrap();
                if let Some(level) = vote_level {
                    r.votes.push((level, false));
                }
                if let Some(word) = &word {
                    r.words_sent.insert(word.clone());
                }
            }
            if socket.send(Message::text(command.to_string())).await.is_err() {
                break;
            }
            let mut answered = false;
            while let Ok(Some(Ok(message))) = tokio::time::timeout(Duration::from_secs(2), socket.next()).await {
                let Message::Text(text) = message else { continue };
                let value: Value = serde_json::from_str(&text).unwrap();
                if value["id"] == json!(id) {
                    if value["type"] == "ack" {
                        let mut r = record.lock().unwrap();
                        if vote_level.is_some() {
                            r.votes.last_mut().unwrap().1 = true;
                        }
                        if let Some(word) = &word {
                            r.words_acked.insert(word.clone());
                        }
                    }
                    answered = true;
                    break;
                }
            }
            if !answered {
                break;
            }
            let pause = rand::rng().random_range(5..40);
            tokio::time::sleep(Duration::from_millis(pause)).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_acknowledged_answer_is_lost_doubled_or_invented_across_kill_9_restarts() {
    let _alone = alone().await;
    let kills: usize = std::env::var("SAMSYN_CRASH_KILLS").ok().and_then(|k| k.parse().ok()).unwrap_or(5);
    let dir = tempfile::tempdir().unwrap();
    let mut server = ServerProcess::start(dir.path()).await;
    let http = reqwest::Client::new();
    let response = http
        .post(server.url("/api/sessions"))
        .json(&json!({"catalogue": "lika", "title": "Kraschprov"}))
        .send()
        .await
        .unwrap();
    let created: Value = response.json().await.unwrap();
    let (code, key) =
        (created["code"].as_str().unwrap().to_string(), created["facilitator_key"].as_str().unwrap().to_string());
    let items = json!({"items": [{"id": "ord", "kind": "words", "title": "Ett ord", "max_words": 3}]});
    let mut facilitator = Client::facilitator(&server.addr, &code, &key).await;
    facilitator.ok(act("open", "L1")).await;
    // Add a words item next to the indicators and open it too.
    let mut agenda: Value = http
        .get(server.url(&format!("/api/sessions/{code}/items")))
        .header("authorization", format!("Bearer {key}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    agenda["items"].as_array_mut().unwrap().push(items["items"][0].clone());
    let put = http
        .put(server.url(&format!("/api/sessions/{code}/items")))
        .header("authorization", format!("Bearer {key}"))
        .json(&agenda)
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 200);
    facilitator.ok(act("open", "ord")).await;
    drop(facilitator);

    let addr = Arc::new(Mutex::new(server.addr.clone()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let records: Vec<Arc<Mutex<Record>>> = (0..PHONES).map(|_| Arc::new(Mutex::new(Record::default()))).collect();
    let tasks: Vec<_> = records
        .iter()
        .enumerate()
        .map(|(i, r)| tokio::spawn(phone(addr.clone(), code.clone(), r.clone(), stop.clone(), i)))
        .collect();

    for _ in 0..kills {
        let pause = rand::rng().random_range(150..600);
        tokio::time::sleep(Duration::from_millis(pause)).await;
        server.kill_9().await;
        server = ServerProcess::start(dir.path()).await;
        *addr.lock().unwrap() = server.addr.clone();
    }
    // The phones carry on against the last server before they stop: each acknowledged vote more.
    let acked =
        || records.iter().map(|r| r.lock().unwrap().votes.iter().filter(|(_, acked)| *acked).count()).sum::<usize>();
    let before = acked();
    eventually("the phones vote on the restarted server", WAIT, || std::future::ready(acked() >= before + PHONES))
        .await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for task in tasks {
        let _ = tokio::time::timeout(Duration::from_secs(5), task).await;
    }
    server.kill_9().await;

    let store = samsyn::store::SqliteStore::open(dir.path()).await.unwrap();
    use samsyn::store::Store;
    let stored = store.load_session(&code).await.unwrap().unwrap();
    let (journal, synchronous) = store.durability().await.unwrap();
    assert_eq!((journal.as_str(), synchronous), ("wal", 2), "WAL with synchronous=FULL");
    let integrity: String = store.integrity_check().await.unwrap();
    assert_eq!(integrity, "ok");

    // Replay the stored facts by hand: each participant's stored ballot and words.
    let events: Vec<Value> = stored.events.iter().map(|e| serde_json::to_value(e).unwrap()).collect();
    let mut token_of: BTreeMap<u64, String> = BTreeMap::new();
    let mut ballot: BTreeMap<String, i64> = BTreeMap::new();
    let mut words: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for e in &events {
        match e["type"].as_str().unwrap() {
            "participant_joined" => {
                token_of.insert(e["participant"].as_u64().unwrap(), e["token"].as_str().unwrap().to_string());
            }
            "ballot_cast" => {
                let token = token_of[&e["participant"].as_u64().unwrap()].clone();
                ballot.insert(token, e["answer"].as_i64().unwrap());
            }
            "word_added" => {
                let token = token_of[&e["participant"].as_u64().unwrap()].clone();
                words.entry(token).or_default().push(e["word"].as_str().unwrap().to_string());
            }
            _ => {}
        }
    }
    let (mut acked_votes, mut acked_words) = (0, 0);
    for record in &records {
        let r = record.lock().unwrap();
        let Some(token) = &r.token else { continue };
        // The stored ballot is the last acknowledged vote, or a vote sent after it whose ack was lost in a crash.
        if let Some(last_acked) = r.votes.iter().rposition(|(_, acked)| *acked) {
            acked_votes += r.votes.iter().filter(|(_, acked)| *acked).count();
            let stored = ballot.get(token).copied();
            let allowed: BTreeSet<i64> = r.votes[last_acked..].iter().map(|(level, _)| *level).collect();
            assert!(stored.is_some_and(|s| allowed.contains(&s)), "lost vote: stored {stored:?}, allowed {allowed:?}");
        }
        let stored_words = words.get(token).cloned().unwrap_or_default();
        let unique: BTreeSet<String> = stored_words.iter().cloned().collect();
        assert_eq!(unique.len(), stored_words.len(), "a word stored twice: {stored_words:?}");
        assert!(r.words_acked.is_subset(&unique), "lost words: acked {:?}, stored {unique:?}", r.words_acked);
        assert!(unique.is_subset(&r.words_sent), "phantom words: stored {unique:?}, sent {:?}", r.words_sent);
        acked_words += r.words_acked.len();
    }
    let tokens: BTreeSet<String> = records.iter().filter_map(|r| r.lock().unwrap().token.clone()).collect();
    assert!(ballot.keys().all(|t| tokens.contains(t)), "a ballot from nobody");
    println!("kills: {kills}, acknowledged votes: {acked_votes}, acknowledged words: {acked_words}, events stored: {}, lost 0, doubled 0, phantom 0", events.len());
    assert!(acked_votes > 0);
}
