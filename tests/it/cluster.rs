//! Several nodes, one session: three `samsyn` processes on a PostgreSQL and a Redis of the test's own, with
//! participants spread over all of them. Every view must end equal to the state rebuilt from PostgreSQL,
//! through a node's death and a Redis restart; the first story runs on one node with its SQLite file as well.
//! Skipped (with a message) where Redis or PostgreSQL is missing, except under CI.

use crate::common::services::*;
use crate::common::*;
use samsyn::domain::view::{render, Audience};
use samsyn::domain::Session;
use samsyn::store::{PostgresStore, SqliteStore, Store};
use serde_json::{json, Value};
use std::time::Duration;

fn phase(state: &Value, id: &str) -> String {
    item(state, id)["phase"].as_str().unwrap_or_default().to_string()
}

/// Where the nodes of a story store their events: every view must end equal to what these rebuild.
enum Stored<'a> {
    Postgres(&'a Postgres),
    Sqlite(&'a std::path::Path),
}

/// An audience's view as the stored events rebuild it, with the online count the client saw.
async fn view_from_store(stored: &Stored<'_>, code: &str, online: &Value, audience: Audience) -> (u64, Value) {
    let store: Box<dyn Store> = match stored {
        Stored::Postgres(postgres) => Box::new(PostgresStore::connect(&postgres.url()).await.unwrap()),
        Stored::Sqlite(data) => Box::new(SqliteStore::open(data).await.unwrap()),
    };
    let stored = store.load_session(code).await.unwrap().expect("session is stored");
    let session = Session::replay(stored.spec, &stored.events);
    let mut view = serde_json::to_value(render(&session, code, 0, audience)).unwrap();
    view["participants"] = online.clone();
    store.close().await;
    (session.version, view)
}

async fn create_seminar(base: &str) -> Created {
    let items = json!([{"id": "ord", "kind": "words", "title": "Digitalisering får mig att känna …", "max_words": 3}]);
    create_session(base, json!({"title": "Regiondagen", "items": items})).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_run_a_workshop_and_a_word_cloud_and_every_view_equals_postgres() {
    let _alone = alone().await;
    if !services_available() {
        return;
    }
    let (postgres, redis) = (Postgres::start().await, Redis::start().await);
    let nodes = [node(&postgres, &redis).await, node(&postgres, &redis).await, node(&postgres, &redis).await];
    workshop_and_word_cloud(&nodes, Stored::Postgres(&postgres)).await;
}

/// The same story on one node with its SQLite file and the in-process bus: what several nodes promise
/// is exactly what one does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_node_runs_the_same_workshop_and_word_cloud_and_every_view_equals_its_sqlite_file() {
    let _alone = alone().await;
    let data = tempfile::tempdir().unwrap();
    let nodes = [ServerProcess::start(data.path()).await];
    workshop_and_word_cloud(&nodes, Stored::Sqlite(data.path())).await;
}

/// A workshop and a word cloud with their people spread round-robin over `nodes`; every view ends equal
/// to the state rebuilt from `stored`.
async fn workshop_and_word_cloud(nodes: &[ServerProcess], stored: Stored<'_>) {
    let at = |i: usize| &nodes[i % nodes.len()];
    // A catalogue imported on one node can be listed and used on another.
    let http = reqwest::Client::new();
    let mut own: Value = http.get(at(0).url("/api/catalogues/lika")).send().await.unwrap().json().await.unwrap();
    own["id"] = json!("egen-lika");
    let imported = http.post(at(1).url("/api/catalogues")).json(&own).send().await.unwrap();
    assert_eq!(imported.status(), 201);
    let listed: Value = http.get(at(2).url("/api/catalogues")).send().await.unwrap().json().await.unwrap();
    assert!(listed.as_array().unwrap().iter().any(|c| c["id"] == "egen-lika"), "{listed}");
    let created = http.post(at(2).url("/api/sessions")).json(&json!({"catalogue": "egen-lika"})).send().await.unwrap();
    assert_eq!(created.status(), 201);

    // The workshop is created on node 0 (which runs it); the facilitator and screen sit on the others.
    let session = create_workshop(&at(0).url("")).await;
    let mut facilitator = Client::facilitator(&at(1).addr, &session.code, &session.key).await;
    let mut screen = Client::screen(&at(2).addr, &session.code).await;
    let mut phones = Vec::new();
    for i in 0..9 {
        phones.push(Client::participant(&at(i).addr, &session.code, None).await);
    }
    facilitator.wait_state(|s| s["participants"] == 9).await;
    screen.wait_state(|s| s["participants"] == 9).await;

    facilitator.ok(act("open", "L1")).await;
    let levels = [1, 2, 3, 3, 4, 4, 4, 5, 5];
    for (phone, level) in phones.iter_mut().zip(levels) {
        phone.wait_state(|s| phase(s, "L1") == "voting").await;
        phone.ok(vote("L1", 1, json!(level))).await;
    }
    let state = facilitator.wait_state(|s| last_round(s, "L1")["voted"] == 9).await;
    assert_eq!(last_round(&state, "L1")["tally"]["counts"], json!([1, 1, 2, 3, 2]));
    let seen = screen.wait_state(|s| last_round(s, "L1")["voted"] == 9).await;
    assert_eq!(last_round(&seen, "L1")["tally"], Value::Null, "no tally on the screen before the reveal");

    facilitator.ok(act("reveal", "L1")).await;
    for phone in phones.iter_mut() {
        let state = phone.wait_state(|s| phase(s, "L1") == "revealed").await;
        assert_eq!(last_round(&state, "L1")["tally"]["counts"], json!([1, 1, 2, 3, 2]));
    }
    let mut lock = act("lock", "L1");
    lock["level"] = json!(4);
    lock["note"] = json!("Ledningen har beslutat, men arbetet har inte nått ut");
    facilitator.ok(lock).await;
    for phone in phones.iter_mut() {
        let state = phone.wait_state(|s| phase(s, "L1") == "locked").await;
        assert_eq!(item(&state, "L1")["consensus"]["note"], "Ledningen har beslutat, men arbetet har inte nått ut");
    }
    facilitator.ok(json!({"type": "goto", "item": "L2"})).await;
    for phone in phones.iter_mut() {
        let state = phone.wait_state(|s| s["current"] == "L2").await;
        assert_eq!(state["items"].as_array().unwrap().len(), 1, "a phone gets the current item only");
    }
    let screen_state = screen.wait_state(|s| s["current"] == "L2").await;
    assert_eq!(phase(&screen_state, "L1"), "locked", "the screen keeps every item");
    for phone in phones.iter_mut() {
        let (version, expected) = view_from_store(&stored, &session.code, &json!(9), Audience::Phone).await;
        let state = phone.wait_version(version).await;
        assert_eq!(state, expected, "a phone's view equals the state rebuilt from the store");
    }

    // A word cloud created on node 2, moderated from node 0, answered through all three.
    let seminar = create_seminar(&at(2).url("")).await;
    let mut moderator = Client::facilitator(&at(0).addr, &seminar.code, &seminar.key).await;
    let mut wall = Client::screen(&at(1).addr, &seminar.code).await;
    let mut crowd = Vec::new();
    for i in 0..12 {
        crowd.push(Client::participant(&at(i).addr, &seminar.code, None).await);
    }
    moderator.ok(act("open", "ord")).await;
    let words = ["möjligheter", "Framtid", "stress", "framtid ", "Möjligheter", "ångest"];
    for (i, phone) in crowd.iter_mut().enumerate() {
        phone.wait_state(|s| phase(s, "ord") == "voting").await;
        let text = words[i % words.len()];
        phone.ok(json!({"type": "word", "item": "ord", "round": 1, "text": text})).await;
    }
    let cloud = wall.wait_state(|s| last_round(s, "ord")["voted"] == 12).await;
    let groups = last_round(&cloud, "ord")["tally"].to_string();
    for word in ["möjligheter", "framtid", "stress", "ångest"] {
        assert!(groups.contains(word), "{word} is in the cloud on the screen: {groups}");
    }
    moderator.ok(json!({"type": "hide_word", "item": "ord", "word": "stress"})).await;
    for phone in crowd.iter_mut() {
        let (version, expected) = view_from_store(&stored, &seminar.code, &json!(12), Audience::Phone).await;
        let state = phone.wait_version(version).await;
        assert_eq!(state, expected, "a phone's word cloud equals the one rebuilt from the store");
    }
    let (version, _) = view_from_store(&stored, &seminar.code, &json!(12), Audience::Public).await;
    let cloud = wall.wait_version(version).await;
    assert!(!last_round(&cloud, "ord")["tally"].to_string().contains("stress"), "a hidden word leaves the screen");
}

/// Sends a vote until it is acknowledged, reconnecting (to the next node) when the socket or the node fails,
/// as a phone does. Returns the client, connected.
async fn vote_until_acked(mut phone: Option<Client>, addrs: &[String], code: &str, token: &str, level: u32) -> Client {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    let mut attempt = 0;
    loop {
        assert!(tokio::time::Instant::now() < deadline, "vote was never acknowledged");
        let mut client = match phone.take() {
            Some(client) => client,
            None => {
                let addr = &addrs[attempt % addrs.len()];
                attempt += 1;
                match tokio::time::timeout(Duration::from_secs(5), try_participant(addr, code, token)).await {
                    Ok(Some(client)) => client,
                    _ => {
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        continue;
                    }
                }
            }
        };
        match client.try_request(vote("L1", 1, json!(level))).await {
            Some(reply) if reply["type"] == "ack" => return client,
            _ => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

async fn try_participant(addr: &str, code: &str, token: &str) -> Option<Client> {
    let mut client = Client::try_connect(addr).await?;
    let reply =
        client.try_request(json!({"type": "hello", "role": "participant", "code": code, "token": token})).await?;
    (reply["type"] == "welcome").then_some(client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_owner_node_dies_mid_round_and_another_takes_over_with_every_acknowledged_vote() {
    let _alone = alone().await;
    if !services_available() {
        return;
    }
    let (postgres, redis) = (Postgres::start().await, Redis::start().await);
    let owner = node(&postgres, &redis).await;
    let others = [node(&postgres, &redis).await, node(&postgres, &redis).await];
    let survivors: Vec<String> = others.iter().map(|n| n.addr.clone()).collect();
    let session = create_workshop(&owner.url("")).await;
    let mut facilitator = Client::facilitator(&others[0].addr, &session.code, &session.key).await;

    let mut phones = Vec::new();
    for i in 0..12 {
        let addr = if i % 3 == 0 { owner.addr.clone() } else { survivors[i % 2].clone() };
        phones.push(Client::participant(&addr, &session.code, None).await);
    }
    let tokens: Vec<String> = phones.iter().map(|p| p.token.clone().unwrap()).collect();
    facilitator.ok(act("open", "L1")).await;
    // The first half vote before the owner dies.
    let mut phones: Vec<Option<Client>> = phones.into_iter().map(Some).collect();
    for (i, phone) in phones.iter_mut().enumerate().take(6) {
        let mut client = phone.take().unwrap();
        client.wait_state(|s| phase(s, "L1") == "voting").await;
        client.ok(vote("L1", 1, json!(1 + i % 5))).await;
        *phone = Some(client);
    }
    let killed_at = tokio::time::Instant::now();
    owner.kill_9().await;

    // The rest vote through whatever node answers; phones of the dead node reconnect to the others.
    for (i, phone) in phones.iter_mut().enumerate() {
        let client = phone.take().unwrap();
        let client = if i < 6 {
            client
        } else {
            vote_until_acked(Some(client), &survivors, &session.code, &tokens[i], (1 + i % 5) as u32).await
        };
        *phone = Some(client);
    }
    let took_over = killed_at.elapsed();
    let mut facilitator = Client::facilitator(&survivors[1], &session.code, &session.key).await;
    let state = facilitator.wait_state(|s| last_round(s, "L1")["voted"] == 12).await;
    let counts = last_round(&state, "L1")["tally"]["counts"].clone();
    assert_eq!(counts, json!([3, 3, 2, 2, 2]), "every acknowledged vote is counted after the takeover");
    eprintln!("takeover: all 12 votes acknowledged {:.1} s after the owner was killed", took_over.as_secs_f64());

    // A phone that lost its node converges on a survivor with its own vote remembered.
    let mut back = try_participant(&survivors[0], &session.code, &tokens[0]).await.expect("reconnects");
    assert_eq!(back.welcome["ballots"]["L1"]["answer"], json!(1));
    let state = back.wait_state(|s| last_round(s, "L1")["voted"] == 12).await;
    let (version, expected) =
        view_from_store(&Stored::Postgres(&postgres), &session.code, &state["participants"], Audience::Phone).await;
    let state = back.wait_version(version).await;
    let mut expected = expected;
    expected["participants"] = state["participants"].clone();
    assert_eq!(state, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restarts_mid_session_and_clients_converge_with_nothing_acknowledged_lost() {
    let _alone = alone().await;
    if !services_available() {
        return;
    }
    let (postgres, mut redis) = (Postgres::start().await, Redis::start().await);
    let nodes = [node(&postgres, &redis).await, node(&postgres, &redis).await];
    let addrs: Vec<String> = nodes.iter().map(|n| n.addr.clone()).collect();
    let session = create_workshop(&nodes[0].url("")).await;
    let mut facilitator = Client::facilitator(&addrs[0], &session.code, &session.key).await;
    let mut screen = Client::screen(&addrs[1], &session.code).await;
    let mut phones = Vec::new();
    for i in 0..10 {
        phones.push(Some(Client::participant(&addrs[i % 2], &session.code, None).await));
    }
    let tokens: Vec<String> = phones.iter().map(|p| p.as_ref().unwrap().token.clone().unwrap()).collect();
    facilitator.ok(act("open", "L1")).await;
    for phone in phones.iter_mut().take(5) {
        let mut client = phone.take().unwrap();
        client.wait_state(|s| phase(s, "L1") == "voting").await;
        client.ok(vote("L1", 1, json!(5))).await;
        *phone = Some(client);
    }

    redis.restart(Duration::from_millis(500)).await;

    for (i, phone) in phones.iter_mut().enumerate().skip(5) {
        let client = phone.take().unwrap();
        *phone = Some(vote_until_acked(Some(client), &addrs, &session.code, &tokens[i], 2).await);
    }
    let state = screen.wait_state(|s| last_round(s, "L1")["voted"] == 10).await;
    assert_eq!(last_round(&state, "L1")["voted"], 10, "the screen on the relaying node converges");
    facilitator.ok(act("reveal", "L1")).await;
    let mut facilitator = Client::facilitator(&addrs[1], &session.code, &session.key).await;
    let state = facilitator.wait_state(|s| phase(s, "L1") == "revealed").await;
    assert_eq!(last_round(&state, "L1")["tally"]["counts"], json!([0, 5, 0, 0, 5]));
    let (version, expected) =
        view_from_store(&Stored::Postgres(&postgres), &session.code, &json!(0), Audience::Public).await;
    let state = screen.wait_version(version).await;
    let mut expected = expected;
    expected["participants"] = state["participants"].clone();
    assert_eq!(state, expected, "the screen's view equals PostgreSQL's after the restart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relaying_node_dies_and_its_participants_go_offline_while_the_others_carry_on() {
    let _alone = alone().await;
    if !services_available() {
        return;
    }
    let (postgres, redis) = (Postgres::start().await, Redis::start().await);
    let (owner, relay) = (node(&postgres, &redis).await, node(&postgres, &redis).await);
    let session = create_workshop(&owner.url("")).await;
    let mut facilitator = Client::facilitator(&owner.addr, &session.code, &session.key).await;
    let mut phones = Vec::new();
    for i in 0..6 {
        let addr = if i < 4 { &relay.addr } else { &owner.addr };
        phones.push(Client::participant(addr, &session.code, None).await);
    }
    facilitator.wait_state(|s| s["participants"] == 6).await;
    relay.kill_9().await;
    let gone = tokio::time::Instant::now();
    facilitator.wait_state(|s| s["participants"] == 2).await;
    eprintln!("the dead node's participants went offline after {:.1} s", gone.elapsed().as_secs_f64());
    facilitator.ok(act("open", "L1")).await;
    for phone in phones.iter_mut().skip(4) {
        phone.wait_state(|s| phase(s, "L1") == "voting").await;
        phone.ok(vote("L1", 1, json!(3))).await;
    }
    facilitator.wait_state(|s| last_round(s, "L1")["voted"] == 2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_load_generator_in_two_processes_over_two_nodes_loses_nothing_and_every_view_converges() {
    let _alone = alone().await;
    if !services_available() {
        return;
    }
    let load_generator = tokio::task::spawn_blocking(load_generator).await.unwrap();
    let (postgres, redis) = (Postgres::start().await, Redis::start().await);
    let nodes = [node(&postgres, &redis).await, node(&postgres, &redis).await];
    let urls: Vec<String> = nodes.iter().map(|n| n.url("")).collect();
    let output = tokio::process::Command::new(load_generator)
        // Two generator processes as well: the path a session larger than one process's sockets takes.
        .args(["--url", &urls[0], "--url", &urls[1], "--participants", "400", "--processes", "2"])
        .args(["--vote-window-secs", "3", "--stall-secs", "2", "--seed", "8", "--max-secs", "90", "--json"])
        .stderr(std::process::Stdio::inherit())
        .output()
        .await
        .expect("the load generator runs");
    assert!(output.status.success(), "samsyn-load failed");
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON object on stdout");
    let field = |name: &str| report[name].as_u64().unwrap_or_else(|| panic!("{name} missing: {report:#}"));
    assert_eq!(field("connected"), 400, "every phone joined, half of them through the relaying node: {report:#}");
    assert_eq!(field("join_failures"), 0, "{report:#}");
    assert_eq!(field("votes_acked"), field("votes_sent"), "{report:#}");
    assert_eq!(field("votes_lost"), 0, "{report:#}");
    assert_eq!(field("votes_extra"), 0, "{report:#}");
    assert_eq!(field("words_acked"), field("words_sent"), "{report:#}");
    assert_eq!(field("words_lost"), 0, "{report:#}");
    assert_eq!(report["tally_exact"], true, "{report:#}");
    assert_eq!(field("views_diverged"), 0, "every phone on either node ends with the final state: {report:#}");
    assert_eq!(report["errors"]["count"], 0, "{report:#}");
}
