//! The workshop loop end to end, against a real server with real WebSocket clients.

use crate::common::*;
use serde_json::{json, Value};

fn phase(state: &Value, id: &str) -> String {
    item(state, id)["phase"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn a_facilitator_and_five_participants_run_two_indicators_with_a_revote_and_a_lock() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    let mut screen = Client::screen(&addr, &session.code).await;
    let mut phones = Vec::new();
    for _ in 0..5 {
        phones.push(Client::participant(&addr, &session.code, None).await);
    }
    let state = facilitator.wait_state(|s| s["participants"] == 5).await;
    assert_eq!(state["title"], "Testkommun 2026");
    assert_eq!(state["items"].as_array().unwrap().len(), 32);
    assert_eq!(phase(&state, "L1"), "pending");

    // Round 1: open, everyone votes privately, reveal.
    facilitator.ok(act("open", "L1")).await;
    for (phone, level) in phones.iter_mut().zip([1, 2, 4, 5, 5]) {
        phone.wait_state(|s| s["current"] == "L1" && phase(s, "L1") == "voting").await;
        phone.ok(vote("L1", 1, json!(level))).await;
    }
    let state = facilitator.wait_state(|s| last_round(s, "L1")["voted"] == 5).await;
    assert_eq!(last_round(&state, "L1")["tally"]["counts"], json!([1, 1, 0, 1, 2]));
    let seen = screen.wait_state(|s| last_round(s, "L1")["voted"] == 5).await;
    assert_eq!(last_round(&seen, "L1")["tally"], Value::Null, "the screen sees no tally before the reveal");

    facilitator.ok(act("reveal", "L1")).await;
    for phone in phones.iter_mut() {
        let state = phone.wait_state(|s| phase(s, "L1") == "revealed").await;
        let round = last_round(&state, "L1");
        assert_eq!(round["tally"]["counts"], json!([1, 1, 0, 1, 2]));
        assert_eq!(round["spread"]["n"], 5);
        assert_eq!(round["spread"]["median"], 4.0);
    }

    // Round 2: a re-vote after discussion; the first round stays beside it.
    facilitator.ok(act("revote", "L1")).await;
    for phone in phones.iter_mut() {
        phone.wait_state(|s| phase(s, "L1") == "voting").await;
        phone.ok(vote("L1", 2, json!(4))).await;
    }
    facilitator.wait_state(|s| last_round(s, "L1")["voted"] == 5).await;
    facilitator.ok(act("reveal", "L1")).await;
    let state = screen.wait_state(|s| phase(s, "L1") == "revealed" && last_round(s, "L1")["number"] == 2).await;
    let rounds = item(&state, "L1")["rounds"].as_array().unwrap().clone();
    assert_eq!(rounds.len(), 2);
    assert_eq!(rounds[0]["tally"]["counts"], json!([1, 1, 0, 1, 2]));
    assert_eq!(rounds[1]["tally"]["counts"], json!([0, 0, 0, 5, 0]));
    assert_eq!(rounds[1]["spread"]["consensus"], 1.0);
    assert_eq!(rounds[1]["spread"]["suggested"], 4);

    let mut lock = act("lock", "L1");
    lock["level"] = json!(4);
    lock["note"] = json!("Strategin är antagen men inte känd i verksamheten");
    facilitator.ok(lock).await;
    let state = phones[0].wait_state(|s| phase(s, "L1") == "locked").await;
    assert_eq!(item(&state, "L1")["consensus"]["level"], 4);
    assert_eq!(item(&state, "L1")["consensus"]["note"], "Strategin är antagen men inte känd i verksamheten");

    // Second indicator: one person finds it not relevant, which is counted apart.
    facilitator.ok(act("open", "L2")).await;
    for (i, phone) in phones.iter_mut().enumerate() {
        phone.wait_state(|s| s["current"] == "L2").await;
        let answer = if i == 0 { json!("not_relevant") } else { json!(3) };
        phone.ok(vote("L2", 1, answer)).await;
    }
    facilitator.wait_state(|s| last_round(s, "L2")["voted"] == 5).await;
    facilitator.ok(act("reveal", "L2")).await;
    let state = phones[4].wait_state(|s| phase(s, "L2") == "revealed").await;
    assert_eq!(last_round(&state, "L2")["spread"]["n"], 4);
    assert_eq!(last_round(&state, "L2")["spread"]["not_relevant"], 1);
    let mut lock = act("lock", "L2");
    lock["level"] = json!(3);
    lock["note"] = json!("");
    lock["dissent"] = json!("En anser att det inte gäller oss");
    facilitator.ok(lock).await;

    // A lock can be reopened; the earlier lock is kept in the history.
    facilitator.ok(act("reopen", "L1")).await;
    let state = screen.wait_state(|s| phase(s, "L1") == "revealed" && phase(s, "L2") == "locked").await;
    assert_eq!(item(&state, "L1")["history"][0]["level"], 4);
    assert_eq!(item(&state, "L2")["consensus"]["dissent"], "En anser att det inte gäller oss");
}

#[tokio::test]
async fn participants_and_screens_cannot_drive_the_session_and_a_wrong_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;

    let mut phone = Client::participant(&addr, &session.code, None).await;
    for kind in ["open", "reveal", "close", "revote", "reopen"] {
        assert_eq!(phone.refused(act(kind, "L1")).await, "forbidden");
    }
    let mut lock = act("lock", "L1");
    lock["level"] = json!(5);
    assert_eq!(phone.refused(lock).await, "forbidden");
    assert_eq!(phone.refused(json!({"type": "goto", "item": "L3"})).await, "forbidden");

    let mut screen = Client::screen(&addr, &session.code).await;
    assert_eq!(screen.refused(act("open", "L1")).await, "forbidden");

    let mut impostor = Client::connect(&addr).await;
    let hello = json!({"type": "hello", "role": "facilitator", "code": session.code, "key": "0".repeat(64)});
    assert_eq!(impostor.refused(hello).await, "forbidden");
    assert_eq!(impostor.refused(act("open", "L1")).await, "not_joined");

    // Nothing changed: the facilitator still finds every item pending.
    let facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    assert!(facilitator.state["items"].as_array().unwrap().iter().all(|i| i["phase"] == "pending"));
    assert_eq!(facilitator.state["current"], Value::Null);
}

#[tokio::test]
async fn a_participant_who_reconnects_keeps_their_identity_and_vote() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "I1")).await;

    let mut phone = Client::participant(&addr, &session.code, None).await;
    let token = phone.token.clone().unwrap();
    phone.ok(vote("I1", 1, json!(2))).await;
    phone.close().await;
    facilitator.wait_state(|s| s["participants"] == 0).await;

    let mut again = Client::participant(&addr, &session.code, Some(&token)).await;
    assert_eq!(again.token.as_deref(), Some(token.as_str()));
    assert_eq!(again.welcome["ballots"]["I1"], json!({"round": 1, "answer": 2}));
    // Changing the answer replaces the ballot: still one voter.
    again.ok(vote("I1", 1, json!(3))).await;
    let state = facilitator.wait_state(|s| last_round(s, "I1")["tally"]["counts"] == json!([0, 0, 1, 0, 0])).await;
    assert_eq!(last_round(&state, "I1")["voted"], 1);
    assert_eq!(state["participants"], 1);
}

#[tokio::test]
async fn no_participant_or_screen_receives_any_tally_before_the_reveal() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    let mut screen = Client::screen(&addr, &session.code).await;
    let mut phones = Vec::new();
    for _ in 0..3 {
        phones.push(Client::participant(&addr, &session.code, None).await);
    }
    facilitator.ok(act("open", "K1")).await;
    for phone in phones.iter_mut() {
        phone.wait_state(|s| phase(s, "K1") == "voting").await;
        phone.ok(vote("K1", 1, json!(5))).await;
    }
    facilitator.wait_state(|s| last_round(s, "K1")["voted"] == 3).await;
    facilitator.ok(act("close", "K1")).await;
    screen.wait_state(|s| phase(s, "K1") == "closed" && last_round(s, "K1")["voted"] == 3).await;
    for phone in phones.iter_mut() {
        phone.wait_state(|s| phase(s, "K1") == "closed").await;
    }

    for (who, messages) in phones.iter().map(|p| ("phone", &p.received)).chain([("screen", &screen.received)]) {
        assert!(!messages.is_empty());
        for message in messages {
            assert!(!message.contains("\"counts\""), "{who} received a tally before the reveal: {message}");
            assert!(!message.contains("\"median\""), "{who} received a spread before the reveal: {message}");
        }
    }
    // The facilitator, who sees everything, did get it: the scan above would have found it.
    assert!(facilitator.received.iter().any(|m| m.contains("\"counts\":[0,0,0,0,3]")));

    facilitator.ok(act("reveal", "K1")).await;
    let state = screen.wait_state(|s| phase(s, "K1") == "revealed").await;
    assert_eq!(last_round(&state, "K1")["tally"]["counts"], json!([0, 0, 0, 0, 3]));
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;

    let mut stranger = Client::connect(&addr).await;
    assert_eq!(
        stranger.refused(json!({"type": "hello", "role": "participant", "code": "000000x"})).await,
        "unknown_session"
    );
    assert_eq!(stranger.refused(vote("L1", 1, json!(3))).await, "not_joined");

    let mut phone = Client::participant(&addr, &session.code, None).await;
    assert_eq!(phone.refused(vote("L1", 1, json!(3))).await, "round_closed", "no round is open yet");
    facilitator.ok(act("open", "L1")).await;
    phone.wait_state(|s| phase(s, "L1") == "voting").await;
    assert_eq!(phone.refused(vote("L1", 1, json!(6))).await, "invalid_answer");
    assert_eq!(phone.refused(vote("L1", 1, json!(0))).await, "invalid_answer");
    assert_eq!(phone.refused(vote("L1", 1, json!(-40000))).await, "invalid_answer");
    assert_eq!(phone.refused(vote("L1", 1, json!("maybe"))).await, "invalid_answer");
    assert_eq!(phone.refused(vote("L1", 1, json!({"level": 3}))).await, "bad_message");
    assert_eq!(phone.refused(vote("X42", 1, json!(3))).await, "unknown_item");
    assert_eq!(phone.refused(vote("L1", 2, json!(3))).await, "round_closed");
    assert_eq!(phone.refused(json!({"type": "vote", "item": "L1"})).await, "bad_message");
    assert_eq!(phone.refused(json!({"type": "dance"})).await, "bad_message");
    assert_eq!(
        phone.refused(json!({"type": "hello", "role": "participant", "code": session.code})).await,
        "already_joined"
    );

    phone.send_text("{not json".into()).await;
    let error = phone.next(|m| m["type"] == "error").await;
    assert_eq!((error["code"].as_str(), &error["id"]), (Some("bad_message"), &Value::Null));

    let huge = json!({"type": "vote", "id": 99, "item": "L1", "round": 1, "answer": 3, "pad": "x".repeat(9000)});
    phone.send_text(huge.to_string()).await;
    let error = phone.next(|m| m["type"] == "error").await;
    assert_eq!(error["code"], "too_large");

    // The connection still works, and nothing above reached the tally.
    phone.ok(vote("L1", 1, json!(3))).await;
    let mut lock = act("lock", "L1");
    lock["level"] = json!(9);
    assert_eq!(facilitator.refused(lock).await, "invalid_transition", "voting is still open");
    facilitator.ok(act("close", "L1")).await;
    assert_eq!(phone.refused(vote("L1", 1, json!(4))).await, "round_closed");
    let mut lock = act("lock", "L1");
    lock["level"] = json!(9);
    assert_eq!(facilitator.refused(lock).await, "invalid_level");
    let state = facilitator.wait_state(|s| phase(s, "L1") == "closed").await;
    assert_eq!(last_round(&state, "L1")["tally"]["counts"], json!([0, 0, 1, 0, 0]));
}

#[tokio::test]
async fn the_http_side_serves_health_catalogues_qr_codes_and_the_pages() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let http = reqwest::Client::new();

    let health = http.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);

    let list: Value = http.get(server.url("/api/catalogues")).send().await.unwrap().json().await.unwrap();
    assert_eq!(list[0]["id"], "lika");
    assert_eq!(list[0]["indicators"], 32);
    let lika: Value = http.get(server.url("/api/catalogues/lika")).send().await.unwrap().json().await.unwrap();
    let areas: Vec<&str> =
        lika["areas"].as_array().unwrap().iter().map(|a| a["name"]["sv"].as_str().unwrap()).collect();
    assert_eq!(areas, ["Ledning", "Infrastruktur", "Kompetens", "Användning"]);
    assert_eq!(lika["scale"]["levels"][4]["label"]["sv"], "Uppnådd");

    let bad = http.post(server.url("/api/sessions")).body("{").send().await.unwrap();
    assert_eq!(bad.status(), 400);
    assert_eq!(bad.json::<Value>().await.unwrap()["code"], "bad_message");
    let unknown = http.post(server.url("/api/sessions")).json(&json!({"catalogue": "nope"})).send().await.unwrap();
    assert_eq!(unknown.status(), 404);

    let session = create_workshop(&server.url("")).await;
    assert_eq!(session.code.len(), 6);
    assert_eq!(session.key.len(), 64, "256-bit facilitator key");
    let qr = http.get(server.url(&format!("/api/sessions/{}/qr.svg", session.code))).send().await.unwrap();
    assert_eq!(qr.status(), 200);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.text().await.unwrap().contains("<svg"));
    let missing = http.get(server.url("/api/sessions/999999x/qr.svg")).send().await.unwrap();
    assert_eq!(missing.status(), 404);

    for path in [
        "/",
        "/join",
        &format!("/join/{}", session.code),
        &format!("/screen/{}", session.code),
        &format!("/facilitate/{}", session.code),
        "/organisation",
        "/organisations/3f1c0d2e-0000-4000-8000-000000000000",
        &format!("/invite/{}", "ab".repeat(32)),
    ] {
        let page = http.get(server.url(path)).send().await.unwrap();
        assert_eq!(page.status(), 200, "{path}");
        assert!(page.headers()["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
        assert!(page.text().await.unwrap().contains("<html"), "{path}");
    }
}
