//! Bad input gets a clear error, never a crash: every message of tests/corpus/hostile.jsonl is sent to a
//! live server by the role it names and must be refused with its expected code, while a control
//! participant's vote stays exactly as it was and the server keeps answering.

use crate::common::*;
use serde_json::{json, Value};

/// A fresh connection per this many messages keeps the corpus under the per-connection rate limit.
const PER_CONNECTION: usize = 30;

async fn connect(role: &str, addr: &str, code: &str, key: &str) -> Client {
    match role {
        "participant" => Client::participant(addr, code, None).await,
        "facilitator" => Client::facilitator(addr, code, key).await,
        "screen" => Client::screen(addr, code).await,
        _ => Client::connect(addr).await,
    }
}

#[tokio::test]
async fn every_hostile_message_gets_its_error_and_harms_no_one() {
    let corpus: Vec<Value> =
        include_str!("../corpus/hostile.jsonl").lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert!(corpus.len() >= 100, "the corpus has {} messages", corpus.len());

    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let http = reqwest::Client::new();
    let items = json!([
        {"id": "hot", "kind": "choice", "title": "Hot eller möjlighet?", "options": ["Hot", "Möjlighet"]},
        {"id": "ord", "kind": "words", "title": "Ett ord", "max_words": 3},
        {"id": "prio", "kind": "points", "title": "Prioritera", "options": ["A", "B", "C"]},
        {"id": "redo", "kind": "scale", "title": "Hur redo?", "scale": {"levels": [
            {"level": 1, "label": "1"}, {"level": 2, "label": "2"}, {"level": 3, "label": "3"}, {"level": 4, "label": "4"}, {"level": 5, "label": "5"}]}}
    ]);
    let created: Value = http
        .post(server.url("/api/sessions"))
        .json(&json!({"title": "Korpus", "items": items}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (code, key) =
        (created["code"].as_str().unwrap().to_string(), created["facilitator_key"].as_str().unwrap().to_string());
    let mut facilitator = Client::facilitator(&addr, &code, &key).await;
    facilitator.ok(act("open", "hot")).await;
    facilitator.ok(act("open", "ord")).await;
    let mut control = Client::participant(&addr, &code, None).await;
    control.ok(vote("hot", 1, json!([1]))).await;
    control.ok(json!({"type": "word", "item": "ord", "round": 1, "text": "framtid"})).await;
    let before =
        facilitator.wait_state(|s| last_round(s, "hot")["voted"] == 1 && last_round(s, "ord")["voted"] == 1).await;

    let mut connections: std::collections::HashMap<String, (Client, usize)> = std::collections::HashMap::new();
    let mut failures = Vec::new();
    for (line, case) in corpus.iter().enumerate() {
        let role = case["role"].as_str().unwrap().to_string();
        let fresh = role == "new" || connections.get(&role).is_none_or(|(_, sent)| *sent >= PER_CONNECTION);
        if fresh {
            connections.insert(role.clone(), (connect(&role, &addr, &code, &key).await, 0));
        }
        let (client, sent) = connections.get_mut(&role).unwrap();
        *sent += 1;
        client.send_text(case["send"].as_str().unwrap().to_string()).await;
        let reply = client.next(|m| m["type"] == "ack" || m["type"] == "error" || m["type"] == "welcome").await;
        let got = if reply["type"] == "error" {
            reply["code"].as_str().unwrap().to_string()
        } else {
            reply["type"].as_str().unwrap().to_string()
        };
        if got != case["expect"] {
            failures.push(format!(
                "line {}: {} → expected {}, got {got}: {reply}",
                line + 1,
                case["why"],
                case["expect"]
            ));
        }
        if reply["type"] == "error" && reply["message"].as_str().is_none_or(|m| m.is_empty()) {
            failures.push(format!("line {}: the error has no message", line + 1));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), corpus.len(), failures.join("\n"));

    // Nothing changed for anyone: the same tallies, and the control phone still works.
    let after = facilitator.wait_state(|_| true).await;
    for id in ["hot", "ord", "prio", "redo"] {
        assert_eq!(item(&after, id)["rounds"], item(&before, id)["rounds"], "{id} changed");
        assert_eq!(item(&after, id)["phase"], item(&before, id)["phase"], "{id} changed phase");
    }
    control.ok(vote("hot", 1, json!([0]))).await;
    let state = facilitator.wait_state(|s| last_round(s, "hot")["tally"]["counts"] == json!([1, 0])).await;
    assert_eq!(last_round(&state, "hot")["voted"], 1);
    assert_eq!(http.get(server.url("/healthz")).send().await.unwrap().status(), 200);
    println!("{} hostile messages refused with their expected codes", corpus.len());
}
