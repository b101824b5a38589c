//! Only the room answers: new participants per network are limited and a burst is flagged for the
//! facilitator, who can leave it out of the counts; a room word keeps out answers from outside the room;
//! and phones cannot count hidden changes by watching the version. Against the real binary, with its
//! default limits.

use crate::common::*;
use serde_json::{json, Value};
use std::net::IpAddr;
use std::time::Duration;
use tokio::time::Instant;

fn hot_or_not() -> Value {
    json!({"title": "Seminarium", "items": [
        {"id": "hot", "kind": "choice", "title": "Hot eller möjlighet?", "options": ["Hot", "Möjlighet"]}
    ]})
}

fn loopback(last: u8) -> IpAddr {
    IpAddr::from([127, 0, 0, last])
}

/// A phone from `source` says hello without a token: its welcome or error, and the client.
async fn new_phone(addr: &str, code: &str, source: IpAddr) -> (Value, Client) {
    let mut phone = Client::connect_from(addr, source).await;
    let reply = phone.request(json!({"type": "hello", "role": "participant", "code": code})).await;
    (reply, phone)
}

fn counts(state: &Value) -> Value {
    last_round(state, "hot")["tally"]["counts"].clone()
}

#[tokio::test]
async fn a_laptop_adding_fifty_voters_a_second_is_held_to_the_limit_flagged_left_out_and_stopped_by_a_room_word() {
    let _alone = alone().await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let server = ServerProcess::start_exactly(&["--data", data, "--allow-anonymous"]).await;
    let addr = server.url("").trim_start_matches("http://").to_string();
    let session = create_session(&server.url(""), hot_or_not()).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "hot")).await;

    // The room: twelve phones on the venue's network, joining while the laptop floods.
    let room = {
        let (addr, code) = (addr.clone(), session.code.clone());
        tokio::spawn(async move {
            let mut phones = Vec::new();
            for _ in 0..12 {
                let (welcome, mut phone) = new_phone(&addr, &code, loopback(2)).await;
                assert_eq!(welcome["type"], "welcome", "a phone of the room: {welcome}");
                phone.ok(vote("hot", 1, json!([1]))).await;
                phones.push(phone);
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            phones
        })
    };

    // The laptop: 50 new participants a second for 10 s, each voting "Hot" once.
    let started = Instant::now();
    let (mut welcomed, mut held, mut votes) = (0, 0, 0);
    for second in 0..10u64 {
        let wave: Vec<_> = (0..50)
            .map(|_| {
                let (addr, code) = (addr.clone(), session.code.clone());
                tokio::spawn(async move {
                    let (reply, mut phone) = new_phone(&addr, &code, loopback(1)).await;
                    if reply["type"] != "welcome" {
                        return (reply["code"].as_str().unwrap_or_default().to_string(), false);
                    }
                    let voted = phone.request(vote("hot", 1, json!([0]))).await;
                    ("welcome".to_string(), voted["type"] == "ack")
                })
            })
            .collect();
        for outcome in wave {
            match outcome.await.unwrap() {
                (welcome, voted) if welcome == "welcome" => {
                    welcomed += 1;
                    votes += usize::from(voted);
                }
                (code, _) => {
                    assert_eq!(code, "rate_limited", "a held-back newcomer is told to wait");
                    held += 1;
                }
            }
        }
        tokio::time::sleep_until(started + Duration::from_secs(second + 1)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "stuffing: {welcomed} of 500 new participants let in over {elapsed:.1} s, {held} held back, {votes} votes"
    );
    // 200 at once, then 5 a second (the default of 300 a minute).
    assert!(welcomed <= 200 + (5.0 * elapsed).ceil() as usize + 1, "{welcomed} let in");
    assert!(welcomed >= 200, "the burst a room needs: {welcomed}");
    assert_eq!(welcomed + held, 500);
    let phones = room.await.unwrap();

    // The console sees the burst: every one of the laptop's participants flagged, none of the room's;
    // one command leaves them all out, however many they are.
    let joins = |s: &Value, flagged: usize, left_out: usize| {
        s["joins"]["flagged"] == json!(flagged) && s["joins"]["left_out"] == json!(left_out)
    };
    let state = facilitator.wait_state(|s| joins(s, welcomed, 0) && counts(s) == json!([votes, 12])).await;
    assert!(state["joins"]["last_minute"].as_u64().unwrap() >= welcomed as u64);
    facilitator.ok(json!({"type": "leave_out_flagged"})).await;
    let state = facilitator.wait_state(|s| counts(s) == json!([0, 12])).await;
    assert!(joins(&state, 0, welcomed), "left out, and no longer a warning: {}", state["joins"]);
    assert_eq!(last_round(&state, "hot")["voted"], 12, "only the room");
    // Counted again (by mistake, say): their votes are back, and so is the warning, to leave them out again.
    facilitator.ok(json!({"type": "count_all_again"})).await;
    let state = facilitator.wait_state(|s| counts(s) == json!([votes, 12])).await;
    assert!(joins(&state, welcomed, 0), "{}", state["joins"]);
    facilitator.ok(json!({"type": "leave_out_flagged"})).await;
    facilitator.wait_state(|s| counts(s) == json!([0, 12]) && joins(s, 0, welcomed)).await;

    // A room word: answers from outside the room (which cannot see the screen) no longer count.
    facilitator.ok(json!({"type": "set_room_word", "word": "Kanel"})).await;
    let mut screen = Client::screen(&addr, &session.code).await;
    let on_screen = screen.wait_state(|s| !s["room_word"].is_null()).await;
    assert_eq!(on_screen["room_word"], json!({"number": 1}), "the public state says there is one, not which");
    let http = reqwest::Client::new();
    let word_url = server.url(&format!("/api/sessions/{}/room-word", session.code));
    let word: Value = http.get(&word_url).bearer_auth(&session.key).send().await.unwrap().json().await.unwrap();
    assert_eq!(word, json!({"word": "Kanel", "number": 1}), "the screen fetches it with the facilitator's key");
    let stranger = http.get(&word_url).send().await.unwrap().status();
    assert!(stranger == 401 || stranger == 403, "without the key: {stranger}");

    let (welcome, mut outsider) = new_phone(&addr, &session.code, loopback(3)).await;
    assert_eq!(welcome["type"], "welcome");
    assert_eq!(outsider.refused(vote("hot", 1, json!([0]))).await, "wrong_room_word");
    let mut guess = vote("hot", 1, json!([0]));
    guess["room_word"] = json!("kaffe");
    assert_eq!(outsider.refused(guess.clone()).await, "wrong_room_word");
    guess["room_word"] = json!("kaka");
    assert_eq!(outsider.refused(guess).await, "wrong_room_word", "a third miss");
    // Three misses in a minute: no more tries this minute, not even the right word, so no list is walked.
    let mut right = vote("hot", 1, json!([0]));
    right["room_word"] = json!("kanel");
    assert_eq!(outsider.refused(right).await, "rate_limited");
    let (_, mut late) = new_phone(&addr, &session.code, loopback(2)).await;
    let mut with_word = vote("hot", 1, json!([1]));
    with_word["room_word"] = json!("kanel");
    late.ok(with_word).await;
    let state = facilitator.wait_state(|s| counts(s) == json!([0, 13])).await;
    assert_eq!(last_round(&state, "hot")["voted"], 13);
    drop(phones);
}

#[tokio::test]
async fn a_phone_cannot_count_changed_answers_before_the_reveal() {
    changed_answers_send_phones_nothing(0).await;
}

/// The same in a crowd, whose frames the fan-out sweeps to the phones in turns.
#[tokio::test]
async fn a_phone_in_a_crowd_cannot_count_changed_answers_before_the_reveal() {
    changed_answers_send_phones_nothing(150).await;
}

async fn changed_answers_send_phones_nothing(crowd: usize) {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    facilitator.ok(act("open", "L1")).await;
    let mut others = Vec::new();
    for _ in 0..crowd {
        others.push(Client::participant(&addr, &session.code, None).await);
    }
    let mut watcher = Client::participant(&addr, &session.code, None).await;
    let mut changer = Client::participant(&addr, &session.code, None).await;
    changer.ok(vote("L1", 1, json!(2))).await;
    let state = watcher.wait_state(|s| last_round(s, "L1")["voted"] == 1).await;
    let seen = watcher.version;
    let frames = watcher.received.len();
    for level in [3, 5, 1, 2, 4] {
        changer.ok(vote("L1", 1, json!(level))).await;
    }
    // The facilitator sees the changes (the tally now holds the last one); the watching phone gets nothing.
    let last = facilitator.wait_state(|s| last_round(s, "L1")["tally"]["counts"] == json!([0, 0, 0, 1, 0])).await;
    assert_eq!(last_round(&last, "L1")["voted"], 1, "one voter, who changed their mind five times");
    let quiet = watcher.next_within(Duration::from_millis(800), |m| m["type"] == "state").await;
    assert!(quiet.is_none(), "a frame arrived after hidden changes: {quiet:?}");
    assert_eq!(watcher.received.len(), frames);
    // The next visible change comes with a version one above the last one seen.
    let mut third = Client::participant(&addr, &session.code, None).await;
    third.ok(vote("L1", 1, json!(4))).await;
    let after = watcher.wait_state(|s| last_round(s, "L1")["voted"] == 2).await;
    assert_eq!(last_round(&after, "L1")["tally"], Value::Null, "still no tally");
    assert!(watcher.version <= seen + 2, "version {} after {seen}: the third phone's join and vote", watcher.version);
    assert_eq!(last_round(&state, "L1")["tally"], Value::Null);
    drop(others);
}
