//! An organisation's history over years: three occasions two years apart, the last on a catalogue version
//! that renamed an indicator, seen as one trend by members only, and exported for a spreadsheet.

use crate::accounts::{admin, code_of, printed_password, sign_in, Browser};
use crate::common::*;
use crate::results::{assess, finish};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn three_occasions_over_four_years_make_one_trend_across_catalogue_versions() {
    let data = tempfile::tempdir().unwrap();
    let mut passwords = Vec::new();
    for (email, organisation) in [("anna@exempelby.se", "Exempelby kommun"), ("bo@annanstad.se", "Annanstad kommun")] {
        let args = ["create-user", "--email", email, "--name", email, "--organisation", organisation];
        passwords.push(printed_password(&admin(data.path(), &args).await));
    }
    let server = ServerProcess::start_exactly(&["--data", data.path().to_str().unwrap()]).await;
    let base = server.url("");
    let anna = sign_in(&base, "anna@exempelby.se", &passwords[0]).await;
    let organisation = anna.get(&base, "/api/me").await.body["organisations"][0]["id"].as_str().unwrap().to_string();

    // 2028's catalogue version renames L1 (its indicator says it replaces L1).
    let mut newer: Value = anna.get(&base, "/api/catalogues/lika").await.body;
    newer["version"] = json!("2028.1");
    newer["areas"][0]["indicators"][0]["id"] = json!("L1-ny");
    newer["areas"][0]["indicators"][0]["replaces"] = json!(["L1"]);
    let mut runs = vec![("2024-11-20", "L1", [2u8, 3]), ("2026-11-23", "L1", [4, 3])];
    runs.push(("2028-11-21", "L1-ny", [5, 0]));
    let mut codes = Vec::new();
    for (at, (date, first, levels)) in runs.into_iter().enumerate() {
        if at == 2 {
            let imported = anna.post(&base, "/api/catalogues", newer.clone()).await;
            assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
        }
        let made =
            anna.post(&base, "/api/sessions", json!({"catalogue": "lika", "title": format!("LIKA {date}")})).await;
        let code = code_of(&made).to_string();
        codes.push(code.clone());
        let mut console = Client::connect_signed_in(&server.addr, anna.cookie.as_deref().unwrap()).await;
        let welcome = console.try_request(json!({"type": "hello", "role": "facilitator", "code": code})).await.unwrap();
        assert_eq!(welcome["type"], "welcome", "{welcome}");
        console.wait_state(|_| true).await;
        let mut phones = vec![Client::participant(&server.addr, &code, None).await];
        assess(&mut console, &mut phones, first, &[levels[0] as i64], levels[0], "").await;
        if levels[1] > 0 {
            assess(&mut console, &mut phones, "K1", &[levels[1] as i64], levels[1], "").await;
        }
        finish(&mut console, date).await;
        console.wait_state(|s| !s["occasion"].is_null()).await;
    }
    // A session never finished is no occasion of the trend.
    anna.post(&base, "/api/sessions", json!({"catalogue": "lika", "title": "Påbörjad"})).await;

    let path = format!("/api/organisations/{organisation}/trend");
    let trend = anna.get(&base, &path).await;
    assert_eq!(trend.status, StatusCode::OK, "{}", trend.body);
    let dates: Vec<&str> =
        trend.body["occasions"].as_array().unwrap().iter().map(|o| o["date"].as_str().unwrap()).collect();
    assert_eq!(dates, ["2024-11-20", "2026-11-23", "2028-11-21"]);
    let versions: Vec<&Value> = trend.body["occasions"].as_array().unwrap().iter().map(|o| &o["version"]).collect();
    assert_eq!(versions[2], "2028.1");
    let line = |id: &str| trend.body["indicators"].as_array().unwrap().iter().find(|l| l["id"] == id).cloned().unwrap();
    assert_eq!(line("L1-ny")["levels"], json!([2, 4, 5]), "one line across the rename");
    assert_eq!(line("L1-ny")["ids"], json!(["L1", "L1", "L1-ny"]));
    assert_eq!(line("K1")["levels"], json!([3, 3, null]), "not locked in 2028");
    let ledning = trend.body["areas"].as_array().unwrap().iter().find(|a| a["id"] == "L").cloned().unwrap();
    assert_eq!(ledning["averages"], json!([2.0, 4.0, 5.0]));
    let one_unit = anna.get(&base, &format!("{path}?field=%C3%A4ldreomsorg")).await;
    assert_eq!(one_unit.body["occasions"].as_array().unwrap().len(), 3, "the unit named at finish, any case");
    assert!(anna.get(&base, &format!("{path}?field=IFO")).await.body["occasions"].as_array().unwrap().is_empty());

    // For a spreadsheet: a column per occasion, a row per area and indicator.
    let csv = anna.get(&base, &format!("{path}.csv")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    let text = csv.body.as_str().unwrap();
    let header = text.lines().next().unwrap();
    assert!(
        header.contains("\"2024-11-20 (Äldreomsorg)\";\"2026-11-23 (Äldreomsorg)\";\"2028-11-21 (Äldreomsorg)\""),
        "{header}"
    );
    let renamed = text.lines().find(|l| l.contains("\"L1-ny\"")).unwrap();
    assert!(renamed.ends_with(";2;4;5\r") || renamed.ends_with(";2;4;5"), "{renamed}");
    let area = text.lines().find(|l| l.starts_with("\"Område\";\"Ledning\"")).unwrap_or_else(|| panic!("{text}"));
    assert!(area.contains(";2,0;4,0;5,0"), "decimal comma in Swedish: {area}");

    // A printable page of the trend, for the organisation's own reports.
    let page = anna.get(&base, &format!("{path}.html")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.headers["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
    let html = page.body.as_str().unwrap();
    for expected in [
        "Utveckling över tid – Exempelby kommun",
        "2024-11-20",
        "2028-11-21",
        "L1-ny",
        "(tidigare L1)",
        "<svg class=\"radar\"",
    ] {
        assert!(html.contains(expected), "{expected} in the trend report");
    }
    assert!(anna.get(&base, &format!("{path}.html?lang=en")).await.body.as_str().unwrap().contains("(formerly L1)"));

    // Two occasions of the organisation compare without keys, whatever name each was finished under.
    let compared =
        anna.post(&base, "/api/compare", json!({"then": {"code": codes[0]}, "now": {"code": codes[2]}})).await;
    assert_eq!(compared.status, StatusCode::OK, "{}", compared.body);
    let l1 = compared.body["comparison"]["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "L1-ny")
        .cloned()
        .unwrap();
    assert_eq!((l1["then"].as_u64(), l1["now"].as_u64(), l1["then_id"].as_str()), (Some(2), Some(5), Some("L1")));

    // Only members: another organisation's admin and a stranger see nothing.
    let bo = sign_in(&base, "bo@annanstad.se", &passwords[1]).await;
    assert_eq!(bo.get(&base, &path).await.status, StatusCode::FORBIDDEN);
    assert_eq!(Browser::default().get(&base, &path).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(Browser::default().get(&base, &format!("{path}.csv")).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bo.get(&base, &format!("{path}.html")).await.status, StatusCode::FORBIDDEN);
    let foreign = bo.post(&base, "/api/compare", json!({"then": {"code": codes[0]}, "now": {"code": codes[1]}})).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    server.terminate().await;
}

#[tokio::test]
async fn the_plan_lives_between_occasions_and_the_next_one_shows_what_moved_and_why() {
    let data = tempfile::tempdir().unwrap();
    let printed = admin(
        data.path(),
        &[
            "create-user",
            "--email",
            "anna@exempelby.se",
            "--name",
            "Anna Andersson",
            "--organisation",
            "Exempelby kommun",
        ],
    )
    .await;
    let server = ServerProcess::start_exactly(&["--data", data.path().to_str().unwrap()]).await;
    let base = server.url("");
    let anna = sign_in(&base, "anna@exempelby.se", &printed_password(&printed)).await;
    let organisation = anna.get(&base, "/api/me").await.body["organisations"][0]["id"].as_str().unwrap().to_string();
    let plan = format!("/api/organisations/{organisation}/plan");

    // 2026: the workshop locks L1 at 2 and plans an action for it.
    let made = anna.post(&base, "/api/sessions", json!({"catalogue": "lika", "title": "LIKA 2026"})).await;
    let first = code_of(&made).to_string();
    let mut console = Client::connect_signed_in(&server.addr, anna.cookie.as_deref().unwrap()).await;
    console.try_request(json!({"type": "hello", "role": "facilitator", "code": first})).await.unwrap();
    let mut phones = vec![Client::participant(&server.addr, &first, None).await];
    assess(&mut console, &mut phones, "L1", &[2], 2, "Strategin saknas").await;
    let action = json!({"type": "set_action", "item": "L1", "text": "Ta fram en strategi", "owner": "Förvaltningschef", "due": "2027-06-30"});
    console.ok(action).await;
    finish(&mut console, "2026-11-23").await;
    console.wait_state(|s| !s["occasion"].is_null()).await;

    // The workshop's plan goes onto the organisation's plan, once however often it is taken over.
    let taken = anna.post(&base, &format!("{plan}/from/{first}"), json!(null)).await;
    assert_eq!((taken.status, taken.body["added"].as_u64()), (StatusCode::OK, Some(1)), "{}", taken.body);
    assert_eq!(anna.post(&base, &format!("{plan}/from/{first}"), json!(null)).await.body["added"], 0);
    let listed = anna.get(&base, &plan).await.body;
    let id = listed[0]["id"].as_str().unwrap().to_string();
    assert_eq!((listed[0]["status"].as_str(), listed[0]["indicator"].as_str()), (Some("planned"), Some("L1")));
    assert_eq!(listed[0]["history"][0]["by"], "Anna Andersson", "who took it over");

    // Updated twice afterwards, outside any session; another added by hand with a quarter.
    let started = json!({"status": "started", "note": "Utkast på remiss", "quarter": "2027-Q1"});
    assert_eq!(anna.send(&base, Method::PUT, &format!("{plan}/{id}"), Some(started)).await.status, StatusCode::OK);
    let done = anna
        .send(&base, Method::PUT, &format!("{plan}/{id}"), Some(json!({"status": "done", "note": "Antagen i nämnden"})))
        .await;
    assert_eq!(done.body["history"].as_array().unwrap().len(), 3, "{}", done.body);
    let bad = anna.post(&base, &plan, json!({"text": "Utbildning", "due": "31/12"})).await;
    assert_eq!((bad.status, bad.body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_field")));
    let added = anna
        .post(
            &base,
            &plan,
            json!({"text": "Utbilda i e-tjänster", "indicator": "K1", "due": "2027-12-31", "quarter": "2027-Q4"}),
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    anna.post(&base, &plan, json!({"text": "Kartlägg behoven", "quarter": "2027-Q2"})).await;

    // Exports for the organisation's own plan: a spreadsheet and a calendar of due dates.
    let csv = anna.get(&base, &format!("{plan}.csv")).await;
    let text = csv.body.as_str().unwrap();
    assert!(text.lines().next().unwrap().contains("\"Kvartal\";\"Åtgärd\""), "{text}");
    assert!(text.contains("\"2027-Q1\";\"Ta fram en strategi\";\"L1\";\"Förvaltningschef\";\"2027-06-30\";\"Klar\";\"Antagen i nämnden\""), "{text}");
    let ics = anna.get(&base, &format!("{plan}.ics")).await;
    assert_eq!(ics.headers["content-type"], "text/calendar; charset=utf-8");
    let calendar = ics.body.as_str().unwrap();
    assert!(calendar.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && calendar.ends_with("END:VCALENDAR\r\n"));
    assert!(calendar.contains("DTSTART;VALUE=DATE:20271231\r\nSUMMARY:Utbilda i e-tjänster\r\n"), "{calendar}");
    assert!(!calendar.contains("Ta fram en strategi"), "a done action is not in the calendar");

    // 2028: the next occasion shows, beside L1, the level and note of last time and the action's story.
    let made = anna.post(&base, "/api/sessions", json!({"catalogue": "lika", "title": "LIKA 2028"})).await;
    let next = code_of(&made).to_string();
    let previous = anna.get(&base, &format!("/api/sessions/{next}/previous")).await.body;
    assert_eq!(previous["occasion"]["date"], "2026-11-23", "{previous}");
    let l1 = &previous["indicators"]["L1"];
    assert_eq!((l1["level"].as_u64(), l1["note"].as_str()), (Some(2), Some("Strategin saknas")));
    assert_eq!(l1["actions"][0]["status"], "done");
    let notes: Vec<&str> =
        l1["actions"][0]["history"].as_array().unwrap().iter().map(|s| s["note"].as_str().unwrap()).collect();
    assert_eq!(notes, ["", "Utkast på remiss", "Antagen i nämnden"]);
    assert_eq!(previous["indicators"]["K1"]["actions"][0]["text"], "Utbilda i e-tjänster");

    // The roadmap put to a wide audience: a seminar with a points question over the open actions.
    let seminar = anna.post(&base, &format!("{plan}/seminar"), json!(null)).await;
    assert_eq!(seminar.status, StatusCode::CREATED, "{}", seminar.body);
    let mut screen = Client::screen(&server.addr, code_of(&seminar)).await;
    let state = screen.wait_state(|s| !item(s, "roadmap").is_null()).await;
    let options: Vec<&str> =
        item(&state, "roadmap")["options"].as_array().unwrap().iter().map(|o| o["sv"].as_str().unwrap()).collect();
    assert_eq!(options, ["Kartlägg behoven", "Utbilda i e-tjänster"], "open actions in roadmap order (by quarter)");
    server.terminate().await;
}

#[tokio::test]
async fn the_catalogue_library_keeps_every_version_starts_any_and_retires_or_deletes_only_what_is_safe() {
    let data = tempfile::tempdir().unwrap();
    let mut passwords = Vec::new();
    for (email, organisation) in [("anna@exempelby.se", "Exempelby kommun"), ("bo@annanstad.se", "Annanstad kommun")] {
        let args = ["create-user", "--email", email, "--name", email, "--organisation", organisation];
        passwords.push(printed_password(&admin(data.path(), &args).await));
    }
    let server = ServerProcess::start_exactly(&["--data", data.path().to_str().unwrap()]).await;
    let base = server.url("");
    let anna = sign_in(&base, "anna@exempelby.se", &passwords[0]).await;
    let bo = sign_in(&base, "bo@annanstad.se", &passwords[1]).await;
    let mut newer: Value = anna.get(&base, "/api/catalogues/lika").await.body;
    let original = newer["version"].as_str().unwrap().to_string();
    newer["version"] = json!("2028.1");
    assert_eq!(anna.post(&base, "/api/catalogues", newer.clone()).await.status, StatusCode::CREATED);
    let versions = |list: &Value| -> Vec<(String, bool)> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| (c["version"].as_str().unwrap().to_string(), c["retired"].as_bool().unwrap()))
            .collect()
    };
    assert_eq!(
        versions(&anna.get(&base, "/api/catalogues").await.body),
        [(original.clone(), false), ("2028.1".into(), false)]
    );
    assert_eq!(anna.get(&base, "/api/catalogues/lika").await.body["version"], "2028.1", "the newest");
    assert_eq!(
        anna.get(&base, &format!("/api/catalogues/lika?version={original}")).await.body["version"],
        original.as_str()
    );

    // A like-for-like repeat on the version used two years ago.
    let repeat = anna
        .post(&base, "/api/sessions", json!({"catalogue": "lika", "version": original, "title": "Som förra gången"}))
        .await;
    assert_eq!(repeat.status, StatusCode::CREATED, "{}", repeat.body);
    let used = anna.get(&base, &format!("/api/catalogues/lika/versions/{original}/sessions")).await.body;
    assert_eq!(used[0]["code"], repeat.body["code"], "which sessions used which version: {used}");

    // Retired: it starts nothing new, the newest active version is the default again.
    let path = "/api/catalogues/lika/versions/2028.1";
    let retired = anna.send(&base, Method::PUT, path, Some(json!({"retired": true}))).await;
    assert_eq!(retired.status, StatusCode::OK, "{}", retired.body);
    assert_eq!(anna.get(&base, "/api/catalogues/lika").await.body["version"], original.as_str());
    let refused = anna.post(&base, "/api/sessions", json!({"catalogue": "lika", "version": "2028.1"})).await;
    assert_eq!(refused.body["code"], "unknown_catalogue", "{}", refused.body);
    assert!(refused.body["message"].as_str().unwrap().contains("retired"));
    let default = anna.post(&base, "/api/sessions", json!({"catalogue": "lika"})).await;
    assert_eq!(default.status, StatusCode::CREATED);
    assert_eq!(versions(&anna.get(&base, "/api/catalogues").await.body)[1], ("2028.1".to_string(), true));

    // Only its organisation manages it; a built-in one nobody does.
    assert_eq!(bo.send(&base, Method::PUT, path, Some(json!({"retired": false}))).await.status, StatusCode::FORBIDDEN);
    let built_in = format!("/api/catalogues/lika/versions/{original}");
    assert_eq!(anna.send(&base, Method::DELETE, &built_in, None).await.status, StatusCode::FORBIDDEN);

    // Deleted when no session used it; kept (409) once one did.
    assert_eq!(anna.send(&base, Method::DELETE, path, None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(anna.post(&base, "/api/catalogues", newer).await.status, StatusCode::CREATED);
    anna.post(&base, "/api/sessions", json!({"catalogue": "lika", "version": "2028.1"})).await;
    let kept = anna.send(&base, Method::DELETE, path, None).await;
    assert_eq!((kept.status, kept.body["code"].as_str()), (StatusCode::CONFLICT, Some("item_in_use")), "{}", kept.body);
    server.terminate().await;
}
