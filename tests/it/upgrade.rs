//! An upgrade keeps everything: a data folder written by the release of 2026-12-02 (before organisations
//! and accounts; tests/fixtures/release-2026-12-02) opens with this binary, started as a newcomer would
//! start it, and every session, answer, lock, catalogue and old link is still there.

use crate::accounts::{admin, printed_password, sign_in, Browser};
use crate::common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::path::Path;

#[tokio::test]
async fn a_data_folder_of_the_previous_release_opens_and_every_old_link_still_works() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/release-2026-12-02");
    let ids: Value = serde_json::from_str(&std::fs::read_to_string(fixture.join("ids.json")).unwrap()).unwrap();
    let data = tempfile::tempdir().unwrap();
    std::fs::copy(fixture.join("samsyn.db"), data.path().join("samsyn.db")).unwrap();
    let (workshop, key) = (ids["workshop"]["code"].as_str().unwrap(), ids["workshop"]["key"].as_str().unwrap());
    let (seminar, seminar_key) = (ids["seminar"]["code"].as_str().unwrap(), ids["seminar"]["key"].as_str().unwrap());
    let server = ServerProcess::start_exactly(&["--data", data.path().to_str().unwrap()]).await;
    let base = server.url("");

    // The old facilitator link: the console opens with its key, with the locks, notes and the occasion.
    let mut console = Client::facilitator(&server.addr, workshop, key).await;
    let state = console.wait_state(|s| !s["occasion"].is_null()).await;
    assert_eq!(state["title"], "Exempelby 2026");
    assert_eq!(item(&state, "L1")["consensus"]["level"], 3);
    assert_eq!(item(&state, "L1")["consensus"]["note"], "Motivering L1");
    assert_eq!(item(&state, "K1")["consensus"]["level"], 1);
    assert_eq!(state["occasion"]["date"], "2026-11-23");
    // A phone's resume token still finds its answers.
    let phone = Client::participant(&server.addr, workshop, ids["participant_token"].as_str()).await;
    assert_eq!(phone.welcome["ballots"]["L1"]["answer"], 2, "{}", phone.welcome);
    // The seminar's word, the exports and the anonymous import are there.
    let mut seminar_console = Client::facilitator(&server.addr, seminar, seminar_key).await;
    let state = seminar_console.wait_state(|s| !item(s, "ord").is_null()).await;
    assert!(state.to_string().to_lowercase().contains("samverkan"), "{state}");
    let export = reqwest::Client::new()
        .get(format!("{base}/api/sessions/{workshop}/export.json"))
        .header("authorization", format!("Bearer {key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    let catalogues = Browser::default().get(&base, "/api/catalogues").await.body;
    let ids_listed: Vec<&Value> = catalogues.as_array().unwrap().iter().map(|c| &c["id"]).collect();
    assert_eq!(ids_listed, [&json!("lika"), &json!("exempelby-egen")]);

    // The upgraded server asks for its first administrator, who claims the old workshop with its key.
    assert_eq!(Browser::default().get(&base, "/api/me").await.body["first_run"], true);
    let printed = admin(
        data.path(),
        &["create-user", "--email", "anna@exempelby.se", "--name", "Anna", "--organisation", "Exempelby kommun"],
    )
    .await;
    let anna = sign_in(&base, "anna@exempelby.se", &printed_password(&printed)).await;
    let organisation = anna.get(&base, "/api/me").await.body["organisations"][0]["id"].as_str().unwrap().to_string();
    let claim = reqwest::Client::new()
        .post(format!("{base}/api/sessions/{workshop}/claim?organisation={organisation}"))
        .header("cookie", anna.cookie.as_deref().unwrap())
        .header("x-csrf-token", anna.csrf.as_deref().unwrap())
        .header("authorization", format!("Bearer {key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(claim.status(), StatusCode::OK);
    let trend = anna.get(&base, &format!("/api/organisations/{organisation}/trend")).await.body;
    assert_eq!(trend["occasions"][0]["date"], "2026-11-23", "the old occasion starts the organisation's history");
    let l1 = trend["indicators"].as_array().unwrap().iter().find(|l| l["id"] == "L1").unwrap();
    assert_eq!(l1["levels"], json!([3]));
    // The sessions stored before knew their catalogue version only inside their spec: the upgrade read it out.
    let version = trend["occasions"][0]["version"].as_str().unwrap().to_string();
    let used = anna.get(&base, &format!("/api/catalogues/lika/versions/{version}/sessions")).await.body;
    assert_eq!(used[0]["code"], workshop, "{used}");
    // The old key still works after the claim, and members see the catalogue imported before organisations.
    Client::facilitator(&server.addr, workshop, key).await;
    let listed = anna.send(&base, Method::GET, "/api/catalogues", None).await.body;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    server.terminate().await;
}
