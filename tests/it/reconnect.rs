//! Every client converges: retried commands apply once, and a storm of phones reconnecting after a
//! restart all get the current state and their own answers back.

use crate::common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn a_command_resent_with_its_id_after_a_lost_ack_is_applied_once() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let items = json!([
        {"id": "ord", "kind": "words", "title": "Ett ord"},
        {"id": "hot", "kind": "choice", "title": "?", "options": ["a", "b"]},
        {"id": "redo", "kind": "scale", "title": "Hur redo?", "scale": {"levels": [{"level": 1, "label": "Lite"}, {"level": 2, "label": "Mycket"}]}},
    ]);
    let created: Value = reqwest::Client::new()
        .post(server.url("/api/sessions"))
        .json(&json!({"items": items}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (code, key) = (created["code"].as_str().unwrap(), created["facilitator_key"].as_str().unwrap());
    let mut facilitator = Client::facilitator(&addr, code, key).await;
    facilitator.ok(act("open", "ord")).await;
    facilitator.ok(act("open", "hot")).await;
    facilitator.ok(act("close", "hot")).await;

    let mut phone = Client::participant(&addr, code, None).await;
    let token = phone.token.clone().unwrap();
    let word = json!({"type": "word", "id": 77, "item": "ord", "round": 1, "text": "Framtid"});
    phone.send_text(word.to_string()).await;
    phone.close().await; // the ack is lost with the connection

    let mut again = Client::participant(&addr, code, Some(&token)).await;
    again.send_text(word.to_string()).await;
    let reply = again.next(|m| m["id"] == 77).await;
    assert_eq!((reply["type"].as_str(), reply["word"].as_str()), (Some("ack"), Some("framtid")), "{reply}");
    // A new command reusing the id (a reloaded page) is a new command.
    let other = json!({"type": "word", "id": 77, "item": "ord", "round": 1, "text": "möjlighet"});
    again.send_text(other.to_string()).await;
    assert_eq!(again.next(|m| m["id"] == 77).await["word"], "möjlighet");

    // The facilitator's re-vote, resent: one new round, not two.
    let revote = json!({"type": "revote", "id": 500, "item": "hot"});
    facilitator.send_text(revote.to_string()).await;
    assert_eq!(facilitator.next(|m| m["id"] == 500).await["type"], "ack");
    let mut console = Client::facilitator(&addr, code, key).await;
    console.send_text(revote.to_string()).await;
    assert_eq!(console.next(|m| m["id"] == 500).await["type"], "ack");
    // Frames are coalesced, so a new connection may first see a state from just before; wait for the revote.
    let state = console
        .wait_state(|s| item(s, "hot")["phase"] == "voting" && last_round(s, "ord")["tally"]["total"] == 2)
        .await;
    assert_eq!(item(&state, "hot")["rounds"].as_array().unwrap().len(), 2);
    assert_eq!(last_round(&state, "ord")["tally"]["total"], 2, "framtid once, möjlighet once");

    // Several unacknowledged commands resent at once: each gets its first outcome, none is applied twice.
    let words = [(201, "samverkan"), (202, "ledning")];
    let mut second = Client::participant(&addr, code, None).await;
    for (id, text) in words {
        let word = json!({"type": "word", "id": id, "item": "ord", "round": 1, "text": text});
        second.send_text(word.to_string()).await;
        assert_eq!(second.next(|m| m["id"] == id).await["type"], "ack");
    }
    let second_token = second.token.clone().unwrap();
    second.close().await;
    let mut resumed = Client::participant(&addr, code, Some(&second_token)).await;
    for (id, text) in words {
        let word = json!({"type": "word", "id": id, "item": "ord", "round": 1, "text": text});
        resumed.send_text(word.to_string()).await;
        let reply = resumed.next(|m| m["id"] == id).await;
        assert_eq!((reply["type"].as_str(), reply["word"].as_str()), (Some("ack"), Some(text)), "{reply}");
    }
    for id in [301, 302] {
        let action = json!({"type": "set_action", "id": id, "item": "redo", "text": format!("Åtgärd {id}")});
        console.send_text(action.to_string()).await;
        console.next(|m| m["id"] == id).await;
    }
    let mut third = Client::facilitator(&addr, code, key).await;
    for id in [301, 302] {
        let action = json!({"type": "set_action", "id": id, "item": "redo", "text": format!("Åtgärd {id}")});
        third.send_text(action.to_string()).await;
        let reply = third.next(|m| m["id"] == id).await;
        assert_eq!(reply["type"], "ack", "{reply}");
    }
    let state = third.wait_state(|s| s["actions"].as_array().is_some_and(|a| a.len() >= 2)).await;
    assert_eq!(state["actions"].as_array().unwrap().len(), 2, "two actions, not four");
}

/// Connects a phone, says hello (with a token if given) and returns the socket with its welcome.
async fn join(addr: &str, code: &str, token: Option<&str>) -> Result<(Client, Value), String> {
    let mut client = Client::connect(addr).await;
    let mut hello = json!({"type": "hello", "role": "participant", "code": code});
    if let Some(token) = token {
        hello["token"] = json!(token);
    }
    let reply = client.request(hello).await;
    if reply["type"] != "welcome" {
        return Err(reply.to_string());
    }
    Ok((client, reply))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_phones_reconnect_after_a_crash_and_all_converge() {
    let _alone = alone().await;
    const PHONES: usize = 2000;
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await;
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&server.addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "K2")).await;

    // Join and vote, 100 at a time.
    let mut tokens = Vec::new();
    for batch in 0..PHONES / 100 {
        let joined = futures_util::future::join_all((0..100).map(|i| {
            let (addr, code) = (server.addr.clone(), session.code.clone());
            async move {
                let (mut phone, welcome) = join(&addr, &code, None).await.unwrap();
                let level = ((batch * 100 + i) % 5 + 1) as i64;
                phone.ok(vote("K2", 1, json!(level))).await;
                (welcome["token"].as_str().unwrap().to_string(), level)
            }
        }))
        .await;
        tokens.extend(joined);
    }
    facilitator.wait_state(|s| last_round(s, "K2")["voted"] == PHONES).await;
    server.kill_9().await;

    let server = ServerProcess::start(dir.path()).await;
    let started = std::time::Instant::now();
    let results = futures_util::future::join_all(tokens.iter().map(|(token, level)| {
        let (addr, code, token, level) = (server.addr.clone(), session.code.clone(), token.clone(), *level);
        async move {
            let (mut phone, welcome) = join(&addr, &code, Some(&token)).await?;
            if welcome["token"] != json!(token) || welcome["ballots"]["K2"]["answer"] != json!(level) {
                return Err(format!("lost identity or ballot: {welcome}"));
            }
            let state = phone.wait_state(|s| last_round(s, "K2")["voted"] == PHONES).await;
            Ok::<_, String>((phone, state["current"] == "K2"))
        }
    }))
    .await;
    let seconds = started.elapsed().as_secs_f64();
    let errors: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(errors.is_empty(), "{} of {PHONES} failed, e.g. {:?}", errors.len(), errors.first());
    assert!(results.iter().all(|r| r.as_ref().is_ok_and(|(_, current)| *current)));
    let mut check = Client::facilitator(&server.addr, &session.code, &session.key).await;
    let state = check.wait_state(|s| s["participants"] == PHONES).await;
    assert_eq!(last_round(&state, "K2")["tally"]["counts"], json!([400, 400, 400, 400, 400]));
    println!("{PHONES} phones reconnected after kill -9 and converged in {seconds:.1} s");
    // Keep the sockets open until the end so the participant count above is real.
    drop(results);
    let (mut socket, _) = tokio_tungstenite::connect_async(format!("ws://{}/ws", server.addr)).await.unwrap();
    socket.send(Message::Close(None)).await.unwrap();
    let _ = socket.next().await;
    server.kill_9().await;
}
