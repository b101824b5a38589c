//! The authorization matrix (issue: organisations and accounts): every route and socket hello that reads
//! or changes an organisation's data, walked by anonymous, a viewer, a facilitator and an admin of
//! organisation A, and a facilitator of organisation B, against the real binary. Each cell is what the
//! role may do: read (viewer and up), run (facilitator and up) or manage (admin); anonymous gets 401,
//! a role below the need and everyone of B get 403, and nobody of B ever sees a byte of A's.

use crate::accounts::{admin, code_of, printed_password, sign_in, Browser};
use crate::common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
enum Need {
    Read,
    Run,
    Manage,
}

#[tokio::test]
async fn every_route_and_hello_of_an_organisation_answers_each_role_as_its_table_says() {
    let data = tempfile::tempdir().unwrap();
    let mut passwords = Vec::new();
    for (email, organisation, role) in [
        ("anna@a.se", "Organisation A", "admin"),
        ("fia@a.se", "Organisation A", "facilitator"),
        ("vera@a.se", "Organisation A", "viewer"),
        ("bo@b.se", "Organisation B", "admin"),
        ("bea@b.se", "Organisation B", "facilitator"),
    ] {
        let args = ["create-user", "--email", email, "--name", email, "--organisation", organisation, "--role", role];
        passwords.push(printed_password(&admin(data.path(), &args).await));
    }
    let server = ServerProcess::start_exactly(&["--data", data.path().to_str().unwrap()]).await;
    let base = server.url("");
    let mut browsers = Vec::new();
    for (email, password) in ["anna@a.se", "fia@a.se", "vera@a.se", "bo@b.se", "bea@b.se"].iter().zip(&passwords) {
        browsers.push(sign_in(&base, email, password).await);
    }
    let (anna, fia, vera, bea) = (&browsers[0], &browsers[1], &browsers[2], &browsers[4]);
    let a = anna.get(&base, "/api/me").await.body["organisations"][0]["id"].as_str().unwrap().to_string();

    // A's things: a session, two plan actions, an imported catalogue version.
    let made = anna.post(&base, "/api/sessions", json!({"catalogue": "lika", "title": "A 2026"})).await;
    let session = code_of(&made).to_string();
    for text in ["Strategi", "Utbildning"] {
        anna.post(&base, &format!("/api/organisations/{a}/plan"), json!({"text": text})).await;
    }
    let mut catalogue: Value = anna.get(&base, "/api/catalogues/lika").await.body;
    catalogue["id"] = json!("a-egen");
    catalogue["version"] = json!("1");
    assert_eq!(anna.post(&base, "/api/catalogues", catalogue.clone()).await.status, StatusCode::CREATED);
    let items = anna.get(&base, &format!("/api/sessions/{session}/items")).await.body;

    let org = format!("/api/organisations/{a}");
    let s = format!("/api/sessions/{session}");
    let routes: Vec<(Method, String, Option<Value>, Need)> = vec![
        (Method::GET, org.clone(), None, Need::Read),
        (Method::GET, format!("{org}/sessions"), None, Need::Read),
        (Method::GET, format!("{org}/trend"), None, Need::Read),
        (Method::GET, format!("{org}/trend.csv"), None, Need::Read),
        (Method::GET, format!("{org}/plan"), None, Need::Read),
        (Method::GET, format!("{org}/plan.csv"), None, Need::Read),
        (Method::GET, format!("{org}/plan.ics"), None, Need::Read),
        (Method::GET, format!("{s}/export.json"), None, Need::Read),
        (Method::GET, format!("{s}/export.csv"), None, Need::Read),
        (Method::GET, format!("{s}/report.html"), None, Need::Read),
        (Method::GET, format!("{s}/summary"), None, Need::Read),
        (Method::GET, format!("{s}/items"), None, Need::Read),
        (Method::GET, format!("{s}/previous"), None, Need::Read),
        (Method::POST, format!("{org}/plan"), Some(json!({"text": "Ny åtgärd"})), Need::Run),
        (Method::POST, format!("{org}/plan/seminar"), None, Need::Run),
        (Method::PUT, format!("{s}/items"), Some(items.clone()), Need::Run),
        (Method::GET, format!("{s}/key"), None, Need::Run),
        (Method::POST, "/api/sessions".into(), Some(json!({"catalogue": "lika", "organisation": a})), Need::Run),
        (Method::PUT, "/api/catalogues/a-egen/versions/1".into(), Some(json!({"retired": false})), Need::Run),
        (Method::PUT, org.clone(), Some(json!({"name": "Organisation A"})), Need::Manage),
        (Method::POST, format!("{org}/invitations"), Some(json!({"role": "viewer"})), Need::Manage),
        (Method::POST, format!("{org}/units"), Some(json!({"name": "IFO"})), Need::Manage),
    ];
    // Who asks, and the most each may do in A (None: nothing; anonymous is told to sign in).
    let callers: [(&str, &Browser, Option<Need>); 5] = [
        ("anonymous", &Browser::default(), None),
        ("a viewer of A", vera, Some(Need::Read)),
        ("a facilitator of A", fia, Some(Need::Run)),
        ("an admin of A", anna, Some(Need::Manage)),
        ("a facilitator of B", bea, None),
    ];
    let mut cells = 0;
    for (method, path, body, need) in &routes {
        for (who, browser, may) in &callers {
            let answer = browser.send(&base, method.clone(), path, body.clone()).await;
            let allowed = may.is_some_and(|most| most >= *need);
            let expected = match (allowed, who) {
                (true, _) => None,
                (false, &"anonymous") => Some(StatusCode::UNAUTHORIZED),
                (false, _) => Some(StatusCode::FORBIDDEN),
            };
            match expected {
                None => assert!(answer.status.is_success(), "{who} {method} {path}: {} {}", answer.status, answer.body),
                Some(status) => {
                    assert_eq!(answer.status, status, "{who} {method} {path}: {}", answer.body);
                    assert!(!answer.body.to_string().contains("Strategi"), "{who} saw A's plan at {path}");
                }
            }
            cells += 1;
        }
    }
    assert_eq!(cells, routes.len() * callers.len());

    // Which sessions used a catalogue version: each caller sees only their own organisations' sessions.
    let lika = anna.get(&base, "/api/catalogues").await.body[0]["version"].as_str().unwrap().to_string();
    let used = format!("/api/catalogues/lika/versions/{lika}/sessions");
    assert!(vera.get(&base, &used).await.body.to_string().contains(&session));
    assert_eq!(bea.get(&base, &used).await.body, json!([]), "nothing of A's for B");
    assert_eq!(Browser::default().get(&base, &used).await.status, StatusCode::UNAUTHORIZED);

    // The catalogue list: A's import for A's members only.
    for (who, browser, may) in &callers {
        let ids = browser.get(&base, "/api/catalogues").await.body.to_string();
        assert_eq!(ids.contains("a-egen"), may.is_some(), "{who}");
    }

    // The socket: the console without a key by role; a phone joins by code, whoever holds it.
    for (who, browser, may) in &callers {
        let mut client = match &browser.cookie {
            Some(cookie) => Client::connect_signed_in(&server.addr, cookie).await,
            None => Client::connect(&server.addr).await,
        };
        let reply = client.try_request(json!({"type": "hello", "role": "facilitator", "code": session})).await.unwrap();
        let expected = match may {
            Some(most) if *most >= Need::Run => "welcome",
            Some(_) | None if browser.cookie.is_some() => "forbidden",
            _ => "unauthorized",
        };
        let got = if reply["type"] == "welcome" { "welcome" } else { reply["code"].as_str().unwrap() };
        assert_eq!(got, expected, "{who}: {reply}");
        let phone = Client::participant(&server.addr, &session, None).await;
        assert!(phone.token.is_some(), "{who} joins as a phone by code");
    }
    server.terminate().await;
}
