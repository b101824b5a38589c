//! SIGTERM on the real binary while phones vote: every socket is told to reconnect (close code 1012), the
//! process exits cleanly, and after a restart on the same folder every acknowledged vote is there.

use crate::common::*;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use tokio_tungstenite::tungstenite::Message;

const PHONES: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_tells_every_phone_to_reconnect_and_keeps_every_acknowledged_vote() {
    let _alone = alone().await;
    let dir = tempfile::tempdir().unwrap();
    let server = ServerProcess::start(dir.path()).await;
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&server.addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "L1")).await;

    // Each phone votes again and again (a ballot replaces the earlier one) until the server goes away,
    // and reports its last acknowledged level and the close code it got.
    let mut phones = Vec::new();
    let voted = std::sync::Arc::new(AtomicUsize::new(0));
    for phone in 0..PHONES {
        let (addr, code, voted) = (server.addr.clone(), session.code.clone(), voted.clone());
        phones.push(tokio::spawn(async move {
            let (mut socket, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/ws")).await.unwrap();
            let hello = json!({"type": "hello", "id": 1, "role": "participant", "code": code});
            socket.send(Message::text(hello.to_string())).await.unwrap();
            let (mut acked, mut sent, mut token) = (None, None, None);
            let mut id = 1;
            loop {
                let message = match tokio::time::timeout(WAIT, socket.next()).await {
                    Ok(Some(Ok(message))) => message,
                    _ => return (token, acked, None),
                };
                match message {
                    Message::Close(frame) => return (token, acked, frame.map(|f| u16::from(f.code))),
                    Message::Text(text) => {
                        let reply: serde_json::Value = serde_json::from_str(&text).unwrap();
                        let answered = reply["id"].as_u64() == Some(id);
                        if reply["type"] == "welcome" {
                            token = reply["token"].as_str().map(String::from);
                        }
                        if answered && reply["type"] == "ack" {
                            if acked.is_none() && sent.is_some() {
                                voted.fetch_add(1, Ordering::Relaxed);
                            }
                            acked = sent;
                        }
                        if answered {
                            id += 1;
                            let level = 1 + (phone + id as usize) % 5;
                            sent = Some(level);
                            let vote = json!({"type": "vote", "id": id, "item": "L1", "round": 1, "answer": level});
                            socket.send(Message::text(vote.to_string())).await.unwrap();
                        }
                    }
                    _ => {}
                }
            }
        }));
    }
    // SIGTERM lands while every phone is voting: each has had a vote acknowledged and keeps sending.
    eventually("every phone has a vote acknowledged", WAIT, || {
        std::future::ready(voted.load(Ordering::Relaxed) == PHONES)
    })
    .await;
    let stopping = Instant::now();
    assert!(server.terminate().await, "the server exits with status 0 after SIGTERM");
    let stopped_in = stopping.elapsed();

    let mut outcomes = Vec::new();
    for phone in phones {
        outcomes.push(phone.await.unwrap());
    }
    let told = outcomes.iter().filter(|(_, _, code)| *code == Some(1012)).count();
    assert_eq!(told, PHONES, "every phone was told to reconnect (1012)");

    let server = ServerProcess::start(dir.path()).await;
    let mut checked = 0;
    for (token, acked, _) in outcomes {
        let Some(level) = acked else { continue };
        let phone = Client::participant(&server.addr, &session.code, token.as_deref()).await;
        assert_eq!(phone.welcome["ballots"]["L1"]["answer"], json!(level), "the last acknowledged vote is stored");
        checked += 1;
    }
    assert!(checked > PHONES / 2, "most phones had a vote acknowledged before the stop ({checked})");
    eprintln!(
        "SIGTERM with {PHONES} phones voting: exited in {} ms; {checked} last acknowledged votes all stored",
        stopped_in.as_millis()
    );
}
