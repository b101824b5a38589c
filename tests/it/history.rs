//! An organisation's history over years: three occasions two years apart, the last on a catalogue version
//! that renamed an indicator, seen as one trend by members only, and exported for a spreadsheet.

use crate::accounts::{admin, code_of, printed_password, sign_in, Browser};
use crate::common::*;
use crate::results::{assess, finish};
use reqwest::StatusCode;
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
    let foreign = bo.post(&base, "/api/compare", json!({"then": {"code": codes[0]}, "now": {"code": codes[1]}})).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN);
    server.terminate().await;
}
