//! Seminar mode with a crowd: choice, words and points with 60 phones, moderation, and item-set import/export.
//! What the screen finally shows is checked against a recount from the events stored in the SQLite file.

use crate::common::*;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

const PHONES: usize = 60;

fn seminar_items() -> Value {
    json!([
        {"id": "hot", "kind": "choice", "title": {"sv": "Hot eller möjlighet?", "en": "Threat or opportunity?"},
         "options": [{"sv": "Hot", "en": "Threat"}, {"sv": "Möjlighet", "en": "Opportunity"}]},
        {"id": "ord", "kind": "words", "title": "Vilket ord kommer du att tänka på?", "max_words": 3},
        {"id": "prio", "kind": "points", "title": "Vad ska vi prioritera?",
         "options": ["Välfärdsteknik", "Kompetens", "Infrastruktur"], "budget": 100}
    ])
}

async fn create_seminar(base: &str) -> Created {
    create_session(base, json!({"title": "Digitaliseringsdagen", "items": seminar_items()})).await
}

/// Words each phone sends: ordinary ones, case and space variants, a pair to merge, a swear word.
fn words_for(phone: usize) -> Vec<&'static str> {
    match phone % 6 {
        0 => vec!["Framtid", "möjligheter"],
        1 => vec![" framtid ", "Digitalisering"],
        2 => vec!["FRAMTID", "digitaliseringen", "får"],
        3 => vec!["far", "jävla skit"],
        4 => vec!["Tråkigt", "Möjligheter"],
        _ => vec!["ångest"],
    }
}

#[tokio::test]
async fn sixty_phones_answer_a_choice_a_word_cloud_and_points_and_the_screen_matches_the_stored_answers() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_seminar(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    let mut screen = Client::screen(&addr, &session.code).await;
    let mut phones = Vec::new();
    for _ in 0..PHONES {
        phones.push(Client::participant(&addr, &session.code, None).await);
    }
    facilitator.wait_state(|s| s["participants"] == PHONES).await;

    // Choice, results live: the screen sees counts while voting is open.
    facilitator.ok(act("open", "hot")).await;
    let answers = futures_util::future::join_all(phones.iter_mut().enumerate().map(|(i, phone)| async move {
        phone.wait_state(|s| item(s, "hot")["phase"] == "voting").await;
        let choice = if i % 3 == 0 { 0 } else { 1 };
        phone.ok(vote("hot", 1, json!([choice]))).await;
        choice
    }))
    .await;
    let threat = answers.iter().filter(|&&c| c == 0).count();
    let state = screen.wait_state(|s| last_round(s, "hot")["voted"] == PHONES).await;
    assert_eq!(last_round(&state, "hot")["tally"]["counts"], json!([threat, PHONES - threat]));

    // Word cloud: everyone sends at once; duplicates per person are refused, variants group.
    facilitator.ok(act("open", "ord")).await;
    futures_util::future::join_all(phones.iter_mut().enumerate().map(|(i, phone)| async move {
        phone.wait_state(|s| item(s, "ord")["phase"] == "voting").await;
        for word in words_for(i) {
            let reply = phone.request(json!({"type": "word", "item": "ord", "round": 1, "text": word})).await;
            assert_eq!(reply["type"], "ack", "{word}: {reply}");
        }
        let again = phone.request(json!({"type": "word", "item": "ord", "round": 1, "text": words_for(i)[0]})).await;
        assert_eq!(again["code"], "duplicate_word");
    }))
    .await;
    let mut extra = Client::participant(&addr, &session.code, None).await;
    for word in ["ett", "två", "tre"] {
        extra.ok(json!({"type": "word", "item": "ord", "round": 1, "text": word})).await;
    }
    assert_eq!(
        extra.refused(json!({"type": "word", "item": "ord", "round": 1, "text": "fyra"})).await,
        "too_many_words"
    );
    assert_eq!(
        extra.refused(json!({"type": "word", "item": "ord", "round": 1, "text": "<script>"})).await,
        "invalid_word"
    );

    // The facilitator moderates: merge a variant, hide a word; the filter already hides the swear word.
    facilitator
        .ok(json!({"type": "merge_words", "item": "ord", "word": "digitaliseringen", "into": "Digitalisering"}))
        .await;
    facilitator.ok(json!({"type": "hide_word", "item": "ord", "word": "tråkigt"})).await;
    let facilitator_view = facilitator
        .wait_state(|s| {
            let words = &last_round(s, "ord")["tally"]["words"];
            words.as_array().is_some_and(|w| w.iter().any(|g| g["text"] == "tråkigt" && g["hidden"] == true))
        })
        .await;
    let groups = last_round(&facilitator_view, "ord")["tally"]["words"].as_array().unwrap().clone();
    let swear = groups.iter().find(|g| g["text"] == "jävla skit").unwrap();
    assert_eq!((swear["hidden"].as_bool(), swear["filtered"].as_bool()), (Some(true), Some(true)));
    let digital = groups.iter().find(|g| g["text"] == "digitalisering").unwrap();
    assert_eq!(digital["variants"], json!(["digitaliseringen"]));

    // Every word and the moderation are in the facilitator's state by now; the screen shows the session
    // at the same version (versions count stored changes, the same for every audience) or later.
    let screen_state = screen.wait_version(facilitator.version).await;
    let cloud: BTreeMap<String, u64> = last_round(&screen_state, "ord")["tally"]["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["text"].as_str().unwrap().to_string(), g["count"].as_u64().unwrap()))
        .collect();
    assert!(!cloud.contains_key("jävla skit"), "the filter keeps profanity off the screen");
    assert!(!cloud.contains_key("digitaliseringen"), "a merged variant counts in its group");
    assert_eq!(cloud.get("får"), Some(&10), "får and far stay apart: {cloud:?}");
    assert_eq!(cloud.get("far"), Some(&10));
    // The screen shows how people wrote a word, not the lower-cased group key; moderation still names the key.
    let display: BTreeMap<String, Option<String>> = last_round(&screen_state, "ord")["tally"]["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["text"].as_str().unwrap().to_string(), g["display"].as_str().map(str::to_string)))
        .collect();
    assert_eq!(display["digitalisering"].as_deref(), Some("Digitalisering"), "{display:?}");
    assert_eq!(display["ångest"], None, "no display where it equals the text");
    let framtid = display["framtid"].as_deref();
    assert!(
        matches!(framtid, None | Some("Framtid" | "FRAMTID")),
        "a three-way tie goes to the first seen: {framtid:?}"
    );
    assert_eq!(digital["display"], "Digitalisering", "the facilitator's moderation list gets it too");

    // Points, results after the reveal.
    facilitator.ok(act("open", "prio")).await;
    futures_util::future::join_all(phones.iter_mut().enumerate().map(|(i, phone)| async move {
        phone.wait_state(|s| item(s, "prio")["phase"] == "voting").await;
        let points = if i % 2 == 0 { json!([50, 30, 20]) } else { json!([0, 100, 0]) };
        assert_eq!(phone.refused(vote("prio", 1, json!([60, 60, 0]))).await, "invalid_answer");
        assert_eq!(phone.refused(vote("prio", 1, json!([-10, 60, 50]))).await, "invalid_answer");
        phone.ok(vote("prio", 1, points)).await;
    }))
    .await;
    let hidden = screen.wait_state(|s| last_round(s, "prio")["voted"] == PHONES).await;
    assert_eq!(last_round(&hidden, "prio")["tally"], Value::Null, "points are hidden until the reveal");
    facilitator.ok(act("reveal", "prio")).await;
    let revealed = screen.wait_state(|s| item(s, "prio")["phase"] == "revealed").await;
    let final_screen = revealed.clone();
    drop(phones);
    server.stop().await;

    // Recount from the stored events, without the server's own code for tallies.
    let store = samsyn::store::SqliteStore::open(dir.path()).await.unwrap();
    use samsyn::store::Store;
    let stored = store.load_session(&session.code).await.unwrap().unwrap();
    let events: Vec<Value> = stored.events.iter().map(|e| serde_json::to_value(e).unwrap()).collect();
    let mut latest: BTreeMap<(String, u64), Value> = BTreeMap::new();
    let mut words: BTreeMap<String, u64> = BTreeMap::new();
    let (mut merges, mut hidden_words) = (BTreeMap::new(), BTreeSet::new());
    for e in &events {
        match e["type"].as_str().unwrap() {
            "ballot_cast" => {
                latest.insert(
                    (e["item"].as_str().unwrap().into(), e["participant"].as_u64().unwrap()),
                    e["answer"].clone(),
                );
            }
            "word_added" => *words.entry(e["word"].as_str().unwrap().into()).or_default() += 1,
            "words_merged" => {
                merges.insert(e["word"].as_str().unwrap().to_string(), e["into"].as_str().unwrap().to_string());
            }
            "word_hidden" => {
                hidden_words.insert(e["word"].as_str().unwrap().to_string());
            }
            _ => {}
        }
    }
    let mut choice = [0u64; 2];
    let (mut totals, mut supporters) = ([0u64; 3], [0u64; 3]);
    for ((item, _), answer) in &latest {
        match item.as_str() {
            "hot" => {
                for option in answer["options"].as_array().unwrap() {
                    choice[option.as_u64().unwrap() as usize] += 1;
                }
            }
            "prio" => {
                for (i, points) in answer["points"].as_array().unwrap().iter().enumerate() {
                    totals[i] += points.as_u64().unwrap();
                    supporters[i] += (points.as_u64().unwrap() > 0) as u64;
                }
            }
            other => panic!("unexpected ballot on {other}"),
        }
    }
    assert_eq!(last_round(&final_screen, "hot")["tally"]["counts"], json!(choice));
    assert_eq!(last_round(&final_screen, "prio")["tally"]["totals"], json!(totals));
    assert_eq!(last_round(&final_screen, "prio")["tally"]["supporters"], json!(supporters));
    let mut grouped: BTreeMap<String, u64> = BTreeMap::new();
    for (word, count) in words {
        *grouped.entry(merges.get(&word).cloned().unwrap_or(word)).or_default() += count;
    }
    grouped.retain(|word, _| !hidden_words.contains(word) && word != "jävla skit");
    assert_eq!(cloud, grouped);
}

#[tokio::test]
async fn items_export_and_import_round_trip_and_a_bad_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let http = reqwest::Client::new();
    let session = create_seminar(&server.url("")).await;
    let items_url = server.url(&format!("/api/sessions/{}/items", session.code));
    let bearer = format!("Bearer {}", session.key);

    let anonymous = http.get(&items_url).send().await.unwrap();
    assert_eq!(anonymous.status(), 403);
    let exported: Value =
        http.get(&items_url).header("authorization", &bearer).send().await.unwrap().json().await.unwrap();
    assert_eq!(exported["format"], "samsyn-items");
    assert_eq!(exported["items"].as_array().unwrap().len(), 3);
    assert_eq!(exported["items"][1]["max_chars"], 40, "defaults are written out");

    // The exported file creates an equal session elsewhere.
    let copy = http
        .post(server.url("/api/sessions"))
        .json(&json!({"title": exported["title"], "items": exported["items"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(copy.status(), 201);
    let copy: Value = copy.json().await.unwrap();
    let copy_url = server.url(&format!("/api/sessions/{}/items", copy["code"].as_str().unwrap()));
    let copy_bearer = format!("Bearer {}", copy["facilitator_key"].as_str().unwrap());
    let again: Value =
        http.get(&copy_url).header("authorization", &copy_bearer).send().await.unwrap().json().await.unwrap();
    assert_eq!(again, exported);

    // Bad imports say what is wrong and where, and change nothing.
    let mut facilitator = Client::facilitator(&server.addr.to_string(), &session.code, &session.key).await;
    let before = facilitator.state["items"].clone();
    let bad = [
        (json!({"items": [{"kind": "choice", "title": "x", "options": ["bara en"]}]}), "items[0].options"),
        (json!({"items": [{"kind": "dance", "title": "x"}]}), "items[0]"),
        (json!({"items": [{"kind": "words", "title": "x", "max_words": 99}]}), "items[0].max_words"),
        (json!({"items": "none"}), "items"),
    ];
    for (body, where_) in bad {
        let response = http.put(&items_url).header("authorization", &bearer).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 400, "{body}");
        let error: Value = response.json().await.unwrap();
        assert!(error["message"].as_str().unwrap().contains(where_), "{error} should name {where_}");
    }
    let huge = "x".repeat(2 * 1024 * 1024);
    let response = http.put(&items_url).header("authorization", &bearer).body(huge).send().await.unwrap();
    assert_eq!(response.status(), 413);

    // An answered item cannot be removed by an import.
    facilitator.ok(act("open", "hot")).await;
    let mut phone = Client::participant(&server.addr.to_string(), &session.code, None).await;
    phone.ok(vote("hot", 1, json!([0]))).await;
    let without_hot = json!({"items": [exported["items"][1], exported["items"][2]]});
    let response = http.put(&items_url).header("authorization", &bearer).json(&without_hot).send().await.unwrap();
    assert_eq!(response.status(), 409);
    let state = facilitator.wait_state(|s| last_round(s, "hot")["voted"] == 1).await;
    assert_eq!(state["items"].as_array().unwrap().len(), before.as_array().unwrap().len());

    // A good import adds and reorders; the answered item keeps its round.
    let mut items = exported["items"].as_array().unwrap().clone();
    items.reverse();
    items.push(json!({"kind": "scale", "title": "Hur redo är vi?",
        "scale": {"levels": [{"level": 1, "label": "Inte alls"}, {"level": 2, "label": "Lite"}, {"level": 3, "label": "Helt"}]}}));
    let response =
        http.put(&items_url).header("authorization", &bearer).json(&json!({"items": items})).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let state = facilitator.wait_state(|s| s["items"].as_array().unwrap().len() == 4).await;
    let ids: Vec<&str> = state["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["prio", "ord", "hot", "q1"]);
    assert_eq!(last_round(&state, "hot")["tally"]["counts"], json!([1, 0]));
    let scale = item(&state, "q1")["scale"].as_str().unwrap();
    assert_eq!(state["scales"][scale]["levels"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_catalogue_can_be_imported_listed_and_used_for_a_workshop() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let http = reqwest::Client::new();
    let mut catalogue: Value = http.get(server.url("/api/catalogues/lika")).send().await.unwrap().json().await.unwrap();
    catalogue["id"] = json!("egen");
    catalogue["areas"] = json!([catalogue["areas"][0]]);
    let created = http.post(server.url("/api/catalogues")).json(&catalogue).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let twice = http.post(server.url("/api/catalogues")).json(&catalogue).send().await.unwrap();
    assert_eq!(twice.status(), 409);
    let mut broken = catalogue.clone();
    broken["version"] = json!("2");
    broken["scale"]["levels"][1]["level"] = json!(9);
    let refused = http.post(server.url("/api/catalogues")).json(&broken).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    assert!(refused.json::<Value>().await.unwrap()["message"].as_str().unwrap().starts_with("scale"));
    server.stop().await;

    // Imported catalogues are stored: still listed after a restart, and usable.
    let server = TestServer::start(dir.path()).await;
    let list: Value = http.get(server.url("/api/catalogues")).send().await.unwrap().json().await.unwrap();
    let egen = list.as_array().unwrap().iter().find(|c| c["id"] == "egen").unwrap();
    assert_eq!(egen["built_in"], false);
    assert_eq!(egen["indicators"], 8);
    let response = http.post(server.url("/api/sessions")).json(&json!({"catalogue": "egen"})).send().await.unwrap();
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn a_server_on_loopback_says_phones_cannot_reach_it() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let info: Value = reqwest::get(server.url("/api/server")).await.unwrap().json().await.unwrap();
    assert_eq!(info, json!({"loopback_only": true, "join_base": null}));
}
