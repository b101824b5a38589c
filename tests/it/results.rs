//! Results that last: summary, prioritisation, action plan, exports, comparison and deletion, end to end.

use crate::common::*;
use serde_json::{json, Value};

pub(crate) async fn assess(
    facilitator: &mut Client,
    phones: &mut [Client],
    item_id: &str,
    votes: &[i64],
    level: u8,
    note: &str,
) {
    facilitator.ok(act("open", item_id)).await;
    for (phone, v) in phones.iter_mut().zip(votes) {
        phone.wait_state(|s| item(s, item_id)["phase"] == "voting").await;
        phone.ok(vote(item_id, 1, json!(v))).await;
    }
    facilitator.wait_state(|s| last_round(s, item_id)["voted"] == votes.len()).await;
    facilitator.ok(act("reveal", item_id)).await;
    let mut lock = act("lock", item_id);
    lock["level"] = json!(level);
    lock["note"] = json!(note);
    facilitator.ok(lock).await;
}

pub(crate) async fn finish(facilitator: &mut Client, date: &str) {
    facilitator
        .ok(json!({"type": "finish", "organisation": "Testkommun socialtjänst", "field": "Äldreomsorg", "date": date}))
        .await;
}

#[tokio::test]
async fn an_assessment_ends_with_a_summary_a_prioritised_plan_and_exports_without_ballots() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let http = reqwest::Client::new();
    let session = create_workshop(&server.url("")).await;
    let bearer = format!("Bearer {}", session.key);
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    let mut phones = Vec::new();
    for _ in 0..4 {
        phones.push(Client::participant(&addr, &session.code, None).await);
    }
    assess(&mut facilitator, &mut phones, "L1", &[1, 1, 5, 5], 2, "=SUMMA(A1) är ingen formel <script>x</script>")
        .await;
    assess(&mut facilitator, &mut phones, "L2", &[4, 4, 4, 4], 4, "Budget finns").await;
    assess(&mut facilitator, &mut phones, "I1", &[2, 3, 2, 2], 1, "Wi-Fi saknas på två boenden").await;

    // The facilitator sees the summary at once; participants only once it is shared.
    let state = facilitator.wait_state(|s| s["summary"]["open"] == 29).await;
    assert_eq!(state["summary"]["areas"][0]["average"], 3.0);
    assert_eq!(state["summary"]["disagreements"][0], "L1");
    assert_eq!(phones[0].state["summary"], Value::Null);
    assert!(
        item(&state, "L1")["suggestions"].as_array().is_some_and(|s| !s.is_empty()),
        "the console gets suggestions"
    );
    assert!(item(&phones[0].state, "L1").get("suggestions").is_none(), "phones do not");
    let hidden = http.get(server.url(&format!("/api/sessions/{}/summary", session.code))).send().await.unwrap();
    assert_eq!(hidden.status(), 403);
    facilitator.ok(json!({"type": "share_summary", "shared": true})).await;
    let shared = phones[0].wait_state(|s| s["summary_shared"] == true).await;
    assert_eq!(shared["summary"]["areas"][1]["average"], 1.0);
    let public = http.get(server.url(&format!("/api/sessions/{}/summary", session.code))).send().await.unwrap();
    assert_eq!(public.status(), 200);

    // Prioritise the gaps (level ≤ 2), vote, and let the result order the plan.
    facilitator.ok(json!({"type": "start_prioritisation", "max_level": 2, "budget": 100})).await;
    let state = facilitator.wait_state(|s| s["current"] == "prio1").await;
    assert_eq!(item(&state, "prio1")["targets"], json!(["L1", "I1"]));
    for phone in phones.iter_mut() {
        phone.wait_state(|s| item(s, "prio1")["phase"] == "voting").await;
        phone.ok(vote("prio1", 1, json!([20, 80]))).await;
    }
    facilitator.ok(act("reveal", "prio1")).await;
    for (item_id, text) in [("L1", "Ta fram ett styrdokument"), ("I1", "Inventera nätet på boendena")] {
        let action = json!({"type": "set_action", "item": item_id, "text": text, "owner": "Verksamhetschef", "due": "2027-06-30"});
        facilitator.ok(action).await;
    }
    let bad_date = json!({"type": "set_action", "item": "L1", "text": "x", "due": "30/6"});
    assert_eq!(facilitator.refused(bad_date).await, "invalid_field");
    let state = facilitator.wait_state(|s| s["actions"].as_array().is_some_and(|a| a.len() == 2)).await;
    assert_eq!(state["summary"]["priorities"][0]["item"], "I1");
    assert_eq!(state["actions"][0]["item"], "I1", "the plan follows the priorities");
    facilitator.ok(json!({"type": "set_action", "action": "a1", "item": "L1", "text": "Ta fram ett styrdokument", "status": "doing"})).await;
    finish(&mut facilitator, "2026-11-23").await;
    facilitator.wait_state(|s| s["occasion"]["organisation"] == "Testkommun socialtjänst").await;

    // JSON export: complete, with distributions, never individual ballots or tokens.
    let export = http
        .get(server.url(&format!("/api/sessions/{}/export.json", session.code)))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    let text = export.text().await.unwrap();
    let export: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(export["format"], "samsyn-occasion");
    assert_eq!(last_round(&export["session"], "L1")["tally"]["counts"], json!([2, 0, 0, 0, 2]));
    assert_eq!(export["session"]["occasion"]["field"], "Äldreomsorg");
    assert_eq!(export["item_set"]["format"], "samsyn-items");
    for phone in &phones {
        assert!(!text.contains(phone.token.as_deref().unwrap()), "no resume token in an export");
    }
    assert!(!text.contains("\"participant\""), "no ballot linked to anyone");

    // The export imports again as an occasion with the same outcome, on this or another server.
    let imported = http
        .post(server.url("/api/occasions"))
        .header("content-type", "application/json")
        .body(text.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), 201);
    let imported: Value = imported.json().await.unwrap();
    let (copy_code, copy_key) = (imported["code"].as_str().unwrap(), imported["facilitator_key"].as_str().unwrap());
    let copy = Client::facilitator(&addr, copy_code, copy_key).await;
    let original = &export["session"];
    for id in ["L1", "L2", "I1", "prio1"] {
        assert_eq!(item(&copy.state, id)["rounds"], item(original, id)["rounds"], "{id}");
        assert_eq!(item(&copy.state, id)["consensus"], item(original, id)["consensus"], "{id}");
    }
    assert_eq!(copy.state["summary"], original["summary"]);
    assert_eq!(copy.state["actions"], original["actions"]);
    assert_eq!(copy.state["occasion"], original["occasion"]);
    assert_eq!(copy.state["areas"], original["areas"]);
    let mut tampered = export.clone();
    let l1 = tampered["session"]["items"].as_array_mut().unwrap().iter_mut().find(|i| i["id"] == "L1").unwrap();
    l1["consensus"]["level"] = json!(9);
    l1["rounds"][0]["tally"]["counts"] = json!([1, 2]);
    let response = http.post(server.url("/api/occasions")).json(&tampered).send().await.unwrap();
    assert_eq!(response.status(), 201);
    let tampered_code = response.json::<Value>().await.unwrap();
    let check = Client::facilitator(
        &addr,
        tampered_code["code"].as_str().unwrap(),
        tampered_code["facilitator_key"].as_str().unwrap(),
    )
    .await;
    assert_eq!(item(&check.state, "L1")["consensus"], Value::Null, "a level off the scale is left out");
    assert_eq!(
        last_round(&check.state, "L1")["tally"]["counts"],
        json!([0, 0, 0, 0, 0]),
        "a tally of the wrong size is left out"
    );
    let not_an_export = http
        .post(server.url("/api/occasions"))
        .json(&json!({"format": "x", "session": {"items": []}, "item_set": {"items": []}}))
        .send()
        .await
        .unwrap();
    assert_eq!(not_an_export.status(), 400);

    // CSV for Excel: BOM, semicolons, Swedish text intact, formulas defused.
    let csv_response = http
        .get(server.url(&format!("/api/sessions/{}/export.csv", session.code)))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert!(csv_response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = csv_response.text().await.unwrap();
    assert!(csv.starts_with('\u{FEFF}'));
    let header = csv.lines().next().unwrap();
    assert!(header.contains("\"Område\";\"Id\""), "{header}");
    assert!(csv.contains("\"'=SUMMA(A1) är ingen formel <script>x</script>\""));
    assert!(csv.contains("\"Wi-Fi saknas på två boenden\""));
    assert!(csv.contains("\"Inventera nätet på boendena\";\"I1\""));
    // The same words as the console: kinds and action statuses.
    assert!(csv.contains(";\"Skala\";") && csv.contains(";\"Poäng\";"), "{csv}");
    assert!(!csv.contains(";\"scale\";") && !csv.contains(";\"points\";"));
    assert!(csv.contains(";\"Pågår\"\r") && csv.contains(";\"Att göra\"\r") && !csv.contains("Ej påbörjad"), "{csv}");

    // The printable report: escaped, self-contained, with the radar chart and the plan.
    let report = http
        .get(server.url(&format!("/api/sessions/{}/report.html", session.code)))
        .header("authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert!(report.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
    let html = report.text().await.unwrap();
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && !html.contains("<script>"));
    assert!(html.contains("<svg class=\"radar\""));
    assert!(html.contains("Handlingsplan") && html.contains("Inventera nätet på boendena"));
    // The catalogue by its title and version, the indicators under their areas' headings, statuses as in the console.
    assert!(html.contains("LIKA – socialtjänst, version 2026.1"), "{html}");
    assert!(html.contains("<h3>Ledning</h3>") && html.contains("<h3>Infrastruktur</h3>"));
    assert!(html.find("<h3>Ledning</h3>") < html.find("<h3>Infrastruktur</h3>"));
    assert!(html.contains("<td>Pågår</td>") && !html.contains("Ej påbörjad"));
    assert!(!html.contains("http://") && !html.contains("https://"), "the report loads nothing from elsewhere");
    let anonymous = http.get(server.url(&format!("/api/sessions/{}/report.html", session.code))).send().await.unwrap();
    assert_eq!(anonymous.status(), 403);
}

#[tokio::test]
async fn two_occasions_of_one_organisation_compare_and_a_deleted_session_is_gone() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let http = reqwest::Client::new();
    let mut occasions = Vec::new();
    for (date, levels) in [("2024-11-20", [2u8, 3]), ("2026-11-23", [4, 3])] {
        let session = create_workshop(&server.url("")).await;
        let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
        let mut phones = vec![Client::participant(&addr, &session.code, None).await];
        assess(&mut facilitator, &mut phones, "L1", &[levels[0] as i64], levels[0], "").await;
        assess(&mut facilitator, &mut phones, "K1", &[levels[1] as i64], levels[1], "").await;
        finish(&mut facilitator, date).await;
        facilitator.wait_state(|s| !s["occasion"].is_null()).await;
        occasions.push(session);
    }
    let request = json!({
        "then": {"code": occasions[0].code, "key": occasions[0].key},
        "now": {"code": occasions[1].code, "key": occasions[1].key},
    });
    let response = http.post(server.url("/api/compare")).json(&request).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let l1 = body["comparison"]["indicators"].as_array().unwrap().iter().find(|i| i["id"] == "L1").unwrap().clone();
    assert_eq!((l1["then"].as_u64(), l1["now"].as_u64(), l1["moved"].as_i64()), (Some(2), Some(4), Some(2)));
    assert_eq!(body["comparison"]["areas"][0]["then"], 2.0);
    assert_eq!(body["then"]["occasion"]["date"], "2024-11-20");
    assert_eq!(body["scale"]["levels"][3]["label"]["sv"], "Nästan där");
    assert_eq!(l1["in_then"], true);

    let mut wrong = request.clone();
    wrong["then"]["key"] = json!("0".repeat(64));
    assert_eq!(http.post(server.url("/api/compare")).json(&wrong).send().await.unwrap().status(), 403);

    // Deleting really removes: the session is gone from the API and its sockets close.
    let mut phone = Client::participant(&addr, &occasions[0].code, None).await;
    let delete = http
        .delete(server.url(&format!("/api/sessions/{}", occasions[0].code)))
        .header("authorization", format!("Bearer {}", occasions[0].key))
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 204);
    assert!(phone.closed_within(WAIT).await, "the deleted session's sockets close");
    let gone = http.get(server.url(&format!("/api/sessions/{}/qr.svg", occasions[0].code))).send().await.unwrap();
    assert_eq!(gone.status(), 404);
    server.stop().await;
    let store = samsyn::store::SqliteStore::open(dir.path()).await.unwrap();
    use samsyn::store::Store;
    assert!(store.load_session(&occasions[0].code).await.unwrap().is_none());
    assert!(store.load_session(&occasions[1].code).await.unwrap().is_some());
}

#[tokio::test]
async fn past_the_retention_period_only_distributions_and_decisions_remain() {
    let dir = tempfile::tempdir().unwrap();
    let server = TestServer::start(dir.path()).await;
    let addr = server.addr.to_string();
    let session = create_workshop(&server.url("")).await;
    let mut facilitator = Client::facilitator(&addr, &session.code, &session.key).await;
    let mut phones = vec![
        Client::participant(&addr, &session.code, None).await,
        Client::participant(&addr, &session.code, None).await,
    ];
    assess(&mut facilitator, &mut phones, "A1", &[2, 4], 3, "Delvis på plats").await;
    let before = facilitator.wait_state(|s| item(s, "A1")["phase"] == "locked").await;
    drop(phones);
    server.stop().await;

    // Retention of 0 days: everything older than now is compacted when the server starts.
    let server = TestServer::start_with(dir.path(), Some(0)).await;
    let store = samsyn::store::SqliteStore::open(dir.path()).await.unwrap();
    use samsyn::store::Store;
    let mut compacted = false;
    for _ in 0..100 {
        let stored = store.load_session(&session.code).await.unwrap().unwrap();
        let kinds: Vec<String> = stored
            .events
            .iter()
            .map(|e| serde_json::to_value(e).unwrap()["type"].as_str().unwrap().to_string())
            .collect();
        if kinds.iter().any(|k| k == "round_tallied") {
            assert!(!kinds.iter().any(|k| k == "ballot_cast" || k == "participant_joined"), "{kinds:?}");
            compacted = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(compacted, "the session was compacted");
    let facilitator = Client::facilitator(&server.addr.to_string(), &session.code, &session.key).await;
    let after = &facilitator.state;
    assert_eq!(item(after, "A1")["rounds"], item(&before, "A1")["rounds"], "the distribution and spread are kept");
    assert_eq!(item(after, "A1")["consensus"], item(&before, "A1")["consensus"]);
    assert_eq!(after["summary"]["areas"], before["summary"]["areas"]);
}
