//! Acknowledged means stored: kill the real binary with SIGKILL and start it again on the same data folder.

use crate::common::*;
use serde_json::{json, Value};

#[tokio::test]
async fn a_killed_server_restarts_with_every_acknowledged_vote_lock_and_note() {
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await;
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&server.addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "A1")).await;
    let mut tokens = Vec::new();
    for level in [2, 3, 3, 4] {
        let mut phone = Client::participant(&server.addr, &session.code, None).await;
        phone.ok(vote("A1", 1, json!(level))).await;
        tokens.push(phone.token.clone().unwrap());
    }
    facilitator.ok(act("reveal", "A1")).await;
    let mut lock = act("lock", "A1");
    lock["level"] = json!(3);
    lock["note"] = json!("Välfärdstekniken används på två av fem boenden");
    facilitator.ok(lock).await;
    facilitator.ok(act("open", "A2")).await;
    let mut phone = Client::participant(&server.addr, &session.code, Some(&tokens[0])).await;
    phone.ok(vote("A2", 1, json!("not_relevant"))).await;
    server.kill_9().await;

    let server = ServerProcess::start(dir.path()).await;
    let facilitator = Client::facilitator(&server.addr, &session.code, &session.key).await;
    let state = &facilitator.state;
    let a1 = item(state, "A1");
    assert_eq!(a1["phase"], "locked");
    assert_eq!(a1["consensus"]["level"], 3);
    assert_eq!(a1["consensus"]["note"], "Välfärdstekniken används på två av fem boenden");
    assert_eq!(a1["rounds"][0]["tally"]["counts"], json!([0, 1, 2, 1, 0]));
    assert_eq!(last_round(state, "A2")["tally"]["not_relevant"], 1);
    assert_eq!(state["current"], "A2");

    // The phone comes back with its token: same identity, its ballot kept, no double vote.
    let mut phone = Client::participant(&server.addr, &session.code, Some(&tokens[0])).await;
    assert_eq!(phone.welcome["ballots"]["A2"], json!({"round": 1, "answer": "not_relevant"}));
    assert_eq!(phone.welcome["ballots"]["A1"], json!({"round": 1, "answer": 2}));
    phone.ok(vote("A2", 1, json!(5))).await;
    let mut facilitator = facilitator;
    let state = facilitator.wait_state(|s| last_round(s, "A2")["tally"]["counts"][4] == 1).await;
    assert_eq!(last_round(&state, "A2")["voted"], 1);
    assert_eq!(last_round(&state, "A2")["tally"]["not_relevant"], Value::from(0));
    server.kill_9().await;
}

#[tokio::test]
async fn a_graceful_stop_closes_sockets_and_keeps_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "L3")).await;
    server.stop().await;

    let server = TestServer::start(dir.path()).await;
    let facilitator = Client::facilitator(&server.addr.to_string(), &session.code, &session.key).await;
    assert_eq!(item(&facilitator.state, "L3")["phase"], "voting");
}
