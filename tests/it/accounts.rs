//! Staff accounts and organisations against the real binary, started as a newcomer would start it
//! (without `--allow-anonymous`): the first administrator, sign-in and sign-out, CSRF, throttled wrong
//! passwords, the console without a key, `samsyn admin`, and what one organisation can never see or
//! change of another's.

use crate::common::*;
use reqwest::header::{HeaderMap, HeaderValue, COOKIE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;

/// A browser's side of sign-in: the cookie the server set and the CSRF token it handed out.
#[derive(Clone, Default)]
pub(crate) struct Browser {
    pub cookie: Option<String>,
    pub csrf: Option<String>,
}

pub(crate) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Browser {
    pub(crate) async fn send(&self, base: &str, method: Method, path: &str, body: Option<Value>) -> Answer {
        let mut request = reqwest::Client::new().request(method, format!("{base}{path}"));
        if let Some(cookie) = &self.cookie {
            request = request.header(COOKIE, cookie);
        }
        if let Some(csrf) = &self.csrf {
            request = request.header("x-csrf-token", csrf);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        let text = response.text().await.unwrap();
        Answer { status, headers, body: serde_json::from_str(&text).unwrap_or(Value::String(text)) }
    }

    pub(crate) async fn get(&self, base: &str, path: &str) -> Answer {
        self.send(base, Method::GET, path, None).await
    }

    pub(crate) async fn post(&self, base: &str, path: &str, body: Value) -> Answer {
        self.send(base, Method::POST, path, Some(body)).await
    }

    /// Keeps the cookie and CSRF token of a sign-in's answer.
    pub(crate) fn signed_in(answer: &Answer) -> Browser {
        let set = answer.headers.get(SET_COOKIE).expect("a cookie is set").to_str().unwrap();
        let cookie = set.split(';').next().unwrap().to_string();
        Browser { cookie: Some(cookie), csrf: answer.body["csrf_token"].as_str().map(String::from) }
    }

    /// The same browser, but its requests forget the CSRF header (what a page of another site can send).
    pub(crate) fn without_csrf(&self) -> Browser {
        Browser { cookie: self.cookie.clone(), csrf: None }
    }
}

pub(crate) async fn sign_in(base: &str, email: &str, password: &str) -> Browser {
    let answer = Browser::default().post(base, "/api/sign-in", json!({"email": email, "password": password})).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    Browser::signed_in(&answer)
}

pub(crate) fn code_of(answer: &Answer) -> &str {
    answer.body["code"].as_str().unwrap_or_else(|| panic!("no code in {}", answer.body))
}

/// The first line of `samsyn admin …` that starts with `password: `.
pub(crate) async fn admin(data: &std::path::Path, args: &[&str]) -> String {
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_samsyn"))
        .arg("--data")
        .arg(data)
        .arg("admin")
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "samsyn admin {args:?} failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

pub(crate) fn printed_password(stdout: &str) -> String {
    stdout.lines().find_map(|line| line.strip_prefix("password: ")).expect("a password is printed").to_string()
}

#[tokio::test]
async fn a_new_server_asks_for_its_first_administrator_and_then_only_members_create() {
    let data = tempfile::tempdir().unwrap();
    let server = ServerProcess::start_exactly(&["--data", data.path().to_str().unwrap()]).await;
    let base = server.url("");
    let stranger = Browser::default();

    let me = stranger.get(&base, "/api/me").await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!((me.body["first_run"].as_bool(), me.body["allow_anonymous"].as_bool()), (Some(true), Some(false)));
    assert_eq!(me.body["account"], Value::Null);
    assert_eq!(me.headers["cache-control"], "no-store");

    // Without an account nobody creates anything: a clear 401, and nothing is stored.
    for (path, body) in [
        ("/api/sessions", json!({"catalogue": "lika", "title": "Exempelby 2026"})),
        ("/api/catalogues", json!({"id": "x"})),
        ("/api/occasions", json!({"format": "samsyn-occasion"})),
    ] {
        let refused = stranger.post(&base, path, body).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{path}: {}", refused.body);
        assert_eq!(refused.body["code"], "unauthorized", "{path}");
    }

    // The first administrator: a bad field is named and nothing is created.
    let short = json!({"name": "Anna Andersson", "email": "anna@exempelby.se", "password": "kort", "organisation": "Exempelby kommun"});
    let refused = stranger.post(&base, "/api/setup", short).await;
    assert_eq!((refused.status, refused.body["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_field")));
    assert!(refused.body["message"].as_str().unwrap().starts_with("password:"), "{}", refused.body);
    assert_eq!(stranger.get(&base, "/api/me").await.body["first_run"], true);

    let setup = json!({"name": "Anna Andersson", "email": " Anna@Exempelby.se", "password": "ett långt lösenord", "organisation": "Exempelby kommun, socialförvaltningen"});
    let created = stranger.post(&base, "/api/setup", setup.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let cookie = created.headers[SET_COOKIE].to_str().unwrap();
    for part in ["samsyn_session=", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert_eq!(created.body["account"]["email"], "anna@exempelby.se");
    let organisation = created.body["organisations"][0].clone();
    assert_eq!(
        (organisation["name"].as_str(), organisation["role"].as_str()),
        (Some("Exempelby kommun, socialförvaltningen"), Some("admin"))
    );
    let anna = Browser::signed_in(&created);
    let again = stranger.post(&base, "/api/setup", setup).await;
    assert_eq!(
        (again.status, again.body["code"].as_str()),
        (StatusCode::FORBIDDEN, Some("forbidden")),
        "one first administrator"
    );
    let me = stranger.get(&base, "/api/me").await;
    assert_eq!((me.body["first_run"].as_bool(), &me.body["account"]), (Some(false), &Value::Null));
    assert_eq!(anna.get(&base, "/api/me").await.body["account"]["name"], "Anna Andersson");

    // A change with the cookie but without the CSRF token is refused; with it, the session is the organisation's.
    let workshop = json!({"catalogue": "lika", "title": "Exempelby 2026"});
    let forged = anna.without_csrf().post(&base, "/api/sessions", workshop.clone()).await;
    assert_eq!((forged.status, forged.body["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")));
    let made = anna.post(&base, "/api/sessions", workshop).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let code = code_of(&made).to_string();
    let list_path = format!("/api/organisations/{}/sessions", organisation["id"].as_str().unwrap());
    let list = anna.get(&base, &list_path).await;
    assert_eq!(list.body[0]["code"], code.as_str(), "{}", list.body);
    assert_eq!(
        (list.body[0]["title"].as_str(), list.body[0]["kind"].as_str()),
        (Some("Exempelby 2026"), Some("workshop"))
    );
    assert_eq!(stranger.get(&base, &list_path).await.status, StatusCode::UNAUTHORIZED);

    // The console without a key: the cookie is enough for a member, and nothing for anyone else.
    let mut console = Client::connect_signed_in(&server.addr, anna.cookie.as_deref().unwrap()).await;
    let welcome = console.try_request(json!({"type": "hello", "role": "facilitator", "code": code})).await.unwrap();
    assert_eq!(welcome["type"], "welcome", "{welcome}");
    console.wait_state(|state| state["title"] == "Exempelby 2026").await;
    let mut anonymous = Client::connect(&server.addr).await;
    let refused = anonymous.try_request(json!({"type": "hello", "role": "facilitator", "code": code})).await.unwrap();
    assert_eq!(refused["code"], "unauthorized", "{refused}");
    let export = anna.get(&base, &format!("/api/sessions/{code}/export.json")).await;
    assert_eq!(export.status, StatusCode::OK, "a member exports without the key");
    assert_eq!(
        stranger.get(&base, &format!("/api/sessions/{code}/export.json")).await.status,
        StatusCode::UNAUTHORIZED
    );

    // Signing out ends the cookie everywhere it would be used.
    let gone = anna.send(&base, Method::POST, "/api/sign-out", None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    assert_eq!(anna.get(&base, "/api/me").await.body["account"], Value::Null);
    let mut stale = Client::connect_signed_in(&server.addr, anna.cookie.as_deref().unwrap()).await;
    let refused = stale.try_request(json!({"type": "hello", "role": "facilitator", "code": code})).await.unwrap();
    assert_eq!(refused["code"], "unauthorized", "{refused}");

    // Wrong passwords: a clear 401, then a short wait that never keeps the right password out for long.
    let wrong = json!({"email": "anna@exempelby.se", "password": "fel lösenord"});
    for _ in 0..5 {
        let refused = stranger.post(&base, "/api/sign-in", wrong.clone()).await;
        assert_eq!((refused.status, refused.body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthorized")));
    }
    let waiting = stranger.post(&base, "/api/sign-in", wrong).await;
    assert_eq!((waiting.status, waiting.body["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("rate_limited")));
    let retry_after: u64 = waiting.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    tokio::time::sleep(Duration::from_secs(retry_after) + Duration::from_millis(100)).await;
    let anna = sign_in(&base, "ANNA@exempelby.se", "ett långt lösenord").await;
    let list = anna.get(&base, &list_path).await;
    assert_eq!(list.body[0]["code"], code.as_str(), "everything is there after signing in again");
    server.terminate().await;
}

#[tokio::test]
async fn admin_commands_create_members_and_reset_a_forgotten_password() {
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
    assert!(printed.contains("admin of the new organisation Exempelby kommun"), "{printed}");
    let annas = printed_password(&printed);
    let printed = admin(
        data.path(),
        &[
            "create-user",
            "--email",
            "bo@exempelby.se",
            "--name",
            "Bo Berg",
            "--organisation",
            "exempelby kommun",
            "--role",
            "facilitator",
        ],
    )
    .await;
    assert!(printed.contains("facilitator of Exempelby kommun"), "the organisation is found by its name: {printed}");
    let bos = printed_password(&printed);

    let server = ServerProcess::start_exactly(&["--data", data.path().to_str().unwrap()]).await;
    let base = server.url("");
    assert_eq!(
        Browser::default().get(&base, "/api/me").await.body["first_run"],
        false,
        "no first-run page once an account exists"
    );
    let anna = sign_in(&base, "anna@exempelby.se", &annas).await;
    let bo = sign_in(&base, "bo@exempelby.se", &bos).await;
    assert_eq!(bo.get(&base, "/api/me").await.body["organisations"][0]["role"], "facilitator");

    // A new password while the server runs: the old one and every sign-in with it stop working.
    let printed = admin(data.path(), &["reset-password", "--email", "anna@exempelby.se"]).await;
    let new = printed_password(&printed);
    assert_ne!(new, annas);
    assert_eq!(anna.get(&base, "/api/me").await.body["account"], Value::Null, "signed out everywhere");
    let old =
        Browser::default().post(&base, "/api/sign-in", json!({"email": "anna@exempelby.se", "password": annas})).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    sign_in(&base, "anna@exempelby.se", &new).await;
    server.terminate().await;
}

#[tokio::test]
async fn a_member_of_another_organisation_sees_and_changes_nothing_and_a_viewer_only_reads() {
    let data = tempfile::tempdir().unwrap();
    let mut passwords = Vec::new();
    for (email, organisation, role) in [
        ("anna@exempelby.se", "Exempelby kommun", "admin"),
        ("vera@exempelby.se", "Exempelby kommun", "viewer"),
        ("bo@annanstad.se", "Annanstad kommun", "admin"),
    ] {
        let args = ["create-user", "--email", email, "--name", email, "--organisation", organisation, "--role", role];
        passwords.push(printed_password(&admin(data.path(), &args).await));
    }
    let server = ServerProcess::start_exactly(&["--data", data.path().to_str().unwrap()]).await;
    let base = server.url("");
    let anna = sign_in(&base, "anna@exempelby.se", &passwords[0]).await;
    let vera = sign_in(&base, "vera@exempelby.se", &passwords[1]).await;
    let bo = sign_in(&base, "bo@annanstad.se", &passwords[2]).await;
    let exempelby = anna.get(&base, "/api/me").await.body["organisations"][0]["id"].as_str().unwrap().to_string();

    let made = anna.post(&base, "/api/sessions", json!({"catalogue": "lika", "title": "Exempelby 2026"})).await;
    let (code, key) = (code_of(&made).to_string(), made.body["facilitator_key"].as_str().unwrap().to_string());
    let mut catalogue: Value = anna.get(&base, "/api/catalogues/lika").await.body;
    catalogue["id"] = json!("exempelby-egen");
    let imported = anna.post(&base, "/api/catalogues", catalogue).await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);

    // Another organisation's member: refused everywhere, and shown nothing.
    let list = format!("/api/organisations/{exempelby}/sessions");
    let export = format!("/api/sessions/{code}/export.json");
    assert_eq!(bo.get(&base, &list).await.status, StatusCode::FORBIDDEN);
    assert_eq!(bo.get(&base, &export).await.status, StatusCode::FORBIDDEN);
    assert_eq!(bo.get(&base, &format!("/api/sessions/{code}/summary")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        bo.send(&base, Method::DELETE, &format!("/api/sessions/{code}"), None).await.status,
        StatusCode::FORBIDDEN
    );
    let mut console = Client::connect_signed_in(&server.addr, bo.cookie.as_deref().unwrap()).await;
    let refused = console.try_request(json!({"type": "hello", "role": "facilitator", "code": code})).await.unwrap();
    assert_eq!(refused["code"], "forbidden", "{refused}");
    let foreign = bo.post(&base, "/api/sessions", json!({"catalogue": "lika", "organisation": exempelby})).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN, "no sessions in someone else's organisation");
    for browser in [&bo, &Browser::default()] {
        let ids: Vec<Value> = browser
            .get(&base, "/api/catalogues")
            .await
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].clone())
            .collect();
        assert_eq!(ids, [json!("lika")], "only the built-in catalogue for others");
    }
    let ids: Vec<Value> =
        anna.get(&base, "/api/catalogues").await.body.as_array().unwrap().iter().map(|c| c["id"].clone()).collect();
    assert_eq!(ids, [json!("lika"), json!("exempelby-egen")], "the organisation sees its own import");

    // A viewer reads the organisation's results, but neither creates nor drives.
    assert_eq!(vera.get(&base, &list).await.body[0]["code"], code.as_str());
    assert_eq!(vera.get(&base, &export).await.status, StatusCode::OK);
    assert_eq!(vera.post(&base, "/api/sessions", json!({"catalogue": "lika"})).await.status, StatusCode::FORBIDDEN);
    let items = vera.send(&base, Method::PUT, &format!("/api/sessions/{code}/items"), Some(json!({"items": []}))).await;
    assert_eq!(items.status, StatusCode::FORBIDDEN);
    let mut console = Client::connect_signed_in(&server.addr, vera.cookie.as_deref().unwrap()).await;
    let refused = console.try_request(json!({"type": "hello", "role": "facilitator", "code": code})).await.unwrap();
    assert_eq!(refused["code"], "forbidden", "{refused}");

    // The key link stays a delegate for someone without an account.
    let mut delegate = HeaderMap::new();
    delegate.insert("authorization", HeaderValue::from_str(&format!("Bearer {key}")).unwrap());
    let response = reqwest::Client::new().get(format!("{base}{export}")).headers(delegate).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    Client::facilitator(&server.addr, &code, &key).await;
    server.terminate().await;
}

#[tokio::test]
async fn an_admin_invites_by_link_changes_roles_keeps_units_and_removes_a_member_with_their_data() {
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
    let exempelby = anna.get(&base, "/api/me").await.body["organisations"][0]["id"].as_str().unwrap().to_string();
    let org = format!("/api/organisations/{exempelby}");

    // An invitation link: shown to anyone who has it, used once.
    let invited = anna.post(&base, &format!("{org}/invitations"), json!({"role": "facilitator"})).await;
    assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);
    let token = invited.body["token"].as_str().unwrap().to_string();
    assert_eq!(invited.body["link"], format!("/invite/{token}"));
    let offer = Browser::default().get(&base, &format!("/api/invitations/{token}")).await;
    assert_eq!(
        (offer.body["organisation"].as_str(), offer.body["role"].as_str()),
        (Some("Exempelby kommun"), Some("facilitator"))
    );
    let short = json!({"name": "Bo Berg", "email": "bo@exempelby.se", "password": "kort"});
    let refused = Browser::default().post(&base, &format!("/api/invitations/{token}/accept"), short).await;
    assert_eq!(refused.body["code"], "invalid_field", "a bad password spends no invitation");
    let joining = json!({"name": "Bo Berg", "email": "bo@exempelby.se", "password": "bos långa lösenord"});
    let accepted = Browser::default().post(&base, &format!("/api/invitations/{token}/accept"), joining.clone()).await;
    assert_eq!(accepted.status, StatusCode::CREATED, "{}", accepted.body);
    assert_eq!(accepted.body["organisations"][0]["role"], "facilitator");
    let bo = Browser::signed_in(&accepted);
    let again = Browser::default().post(&base, &format!("/api/invitations/{token}/accept"), joining).await;
    assert_eq!((again.status, again.body["code"].as_str()), (StatusCode::NOT_FOUND, Some("unknown_invitation")));
    assert_eq!(Browser::default().get(&base, &format!("/api/invitations/{token}")).await.status, StatusCode::NOT_FOUND);

    // A person already signed in joins a second organisation with the same account.
    let other = anna.post(&base, "/api/organisations", json!({"name": "Samordningsförbundet"})).await;
    let other_id = other.body["id"].as_str().unwrap().to_string();
    let invited =
        anna.post(&base, &format!("/api/organisations/{other_id}/invitations"), json!({"role": "viewer"})).await;
    let token = invited.body["token"].as_str().unwrap();
    let joined = bo.send(&base, Method::POST, &format!("/api/invitations/{token}/accept"), None).await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    let roles: Vec<_> = joined.body["organisations"].as_array().unwrap().iter().map(|o| o["role"].clone()).collect();
    assert_eq!(roles.len(), 2, "one account, two organisations: {}", joined.body);

    // Members are seen by members; only an admin invites, changes roles or adds units.
    let page = bo.get(&base, &org).await;
    let members: Vec<_> =
        page.body["members"].as_array().unwrap().iter().map(|m| (m["name"].clone(), m["role"].clone())).collect();
    assert_eq!(members, [(json!("Anna Andersson"), json!("admin")), (json!("Bo Berg"), json!("facilitator"))]);
    assert_eq!(
        bo.post(&base, &format!("{org}/invitations"), json!({"role": "admin"})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(bo.post(&base, &format!("{org}/units"), json!({"name": "IFO"})).await.status, StatusCode::FORBIDDEN);
    for name in ["Äldreomsorg", "IFO"] {
        assert_eq!(anna.post(&base, &format!("{org}/units"), json!({"name": name})).await.status, StatusCode::CREATED);
    }
    let units: Vec<_> =
        anna.get(&base, &org).await.body["units"].as_array().unwrap().iter().map(|u| u["name"].clone()).collect();
    assert_eq!(units, [json!("IFO"), json!("Äldreomsorg")]);
    let anna_id = page.body["members"][0]["id"].as_str().unwrap().to_string();
    let bo_id = page.body["members"][1]["id"].as_str().unwrap().to_string();
    let demote =
        anna.send(&base, Method::PUT, &format!("{org}/members/{anna_id}"), Some(json!({"role": "viewer"}))).await;
    assert_eq!(demote.status, StatusCode::FORBIDDEN, "the last admin stays admin: {}", demote.body);
    let promote =
        anna.send(&base, Method::PUT, &format!("{org}/members/{bo_id}"), Some(json!({"role": "admin"}))).await;
    assert_eq!(promote.status, StatusCode::OK);
    assert_eq!(bo.get(&base, "/api/me").await.body["organisations"][0]["role"], "admin");

    // Removed from Exempelby, Bo keeps his other organisation; removed from that too, his account is gone.
    let removed = anna.send(&base, Method::DELETE, &format!("{org}/members/{bo_id}"), None).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(bo.get(&base, "/api/me").await.body["organisations"].as_array().unwrap().len(), 1);
    assert_eq!(bo.get(&base, &org).await.status, StatusCode::FORBIDDEN);
    let removed =
        anna.send(&base, Method::DELETE, &format!("/api/organisations/{other_id}/members/{bo_id}"), None).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(bo.get(&base, "/api/me").await.body["account"], Value::Null, "signed out with the account");
    let gone = Browser::default()
        .post(&base, "/api/sign-in", json!({"email": "bo@exempelby.se", "password": "bos långa lösenord"}))
        .await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED, "no account, no personal data left");
    server.terminate().await;
}

#[tokio::test]
async fn the_key_link_is_a_delegate_that_members_rotate_and_revoke_and_an_anonymous_session_is_claimed_with_it() {
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
    // The quick anonymous mode, where sessions without an owner are made, and staff sign in beside it.
    let server = ServerProcess::start_with(&["--data", data.path().to_str().unwrap()]).await;
    let base = server.url("");
    let anna = sign_in(&base, "anna@exempelby.se", &printed_password(&printed)).await;
    let exempelby = anna.get(&base, "/api/me").await.body["organisations"][0]["id"].as_str().unwrap().to_string();
    let made = anna.post(&base, "/api/sessions", json!({"catalogue": "lika", "title": "Exempelby 2026"})).await;
    let (code, key) = (code_of(&made).to_string(), made.body["facilitator_key"].as_str().unwrap().to_string());
    let key_path = format!("/api/sessions/{code}/key");

    let shown = anna.get(&base, &key_path).await;
    assert_eq!((shown.status, shown.body["facilitator_key"].as_str()), (StatusCode::OK, Some(key.as_str())));
    assert_eq!(shown.body["links"]["facilitator"], format!("/facilitate/{code}#key={key}"));
    assert_eq!(Browser::default().get(&base, &key_path).await.status, StatusCode::UNAUTHORIZED);

    // Rotating: the console on the old key is closed and refused when it comes back; the new key works.
    let mut delegate = Client::facilitator(&server.addr, &code, &key).await;
    let rotated = anna.send(&base, Method::POST, &key_path, None).await;
    assert_eq!(rotated.status, StatusCode::OK, "{}", rotated.body);
    let new_key = rotated.body["facilitator_key"].as_str().unwrap().to_string();
    assert_ne!(new_key, key);
    assert!(delegate.closed_within(WAIT).await, "the old key's console is disconnected");
    let mut again = Client::connect(&server.addr).await;
    let refused =
        again.try_request(json!({"type": "hello", "role": "facilitator", "code": code, "key": key})).await.unwrap();
    assert_eq!(refused["code"], "forbidden", "{refused}");
    Client::facilitator(&server.addr, &code, &new_key).await;

    // Revoking: no key link works; members still open the console.
    assert_eq!(anna.send(&base, Method::DELETE, &key_path, None).await.status, StatusCode::NO_CONTENT);
    let mut again = Client::connect(&server.addr).await;
    let refused =
        again.try_request(json!({"type": "hello", "role": "facilitator", "code": code, "key": new_key})).await.unwrap();
    assert_eq!(refused["code"], "forbidden", "{refused}");
    assert_eq!(anna.get(&base, &key_path).await.body["revoked"], true);
    let mut console = Client::connect_signed_in(&server.addr, anna.cookie.as_deref().unwrap()).await;
    let welcome = console.try_request(json!({"type": "hello", "role": "facilitator", "code": code})).await.unwrap();
    assert_eq!(welcome["type"], "welcome", "{welcome}");

    // An anonymous session, made without signing in, is claimed with its key by a member.
    let loose =
        Browser::default().post(&base, "/api/sessions", json!({"catalogue": "lika", "title": "Från förra året"})).await;
    let (loose_code, loose_key) =
        (code_of(&loose).to_string(), loose.body["facilitator_key"].as_str().unwrap().to_string());
    let claim = format!("/api/sessions/{loose_code}/claim?organisation={exempelby}");
    let without_key = anna.send(&base, Method::POST, &claim, None).await;
    assert_eq!(without_key.status, StatusCode::FORBIDDEN, "a claim needs the key");
    let response = reqwest::Client::new()
        .post(format!("{base}{claim}"))
        .header(COOKIE, anna.cookie.as_deref().unwrap())
        .header("x-csrf-token", anna.csrf.as_deref().unwrap())
        .header("authorization", format!("Bearer {loose_key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let listed: Vec<Value> = anna
        .get(&base, &format!("/api/organisations/{exempelby}/sessions"))
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].clone())
        .collect();
    assert!(listed.contains(&json!(loose_code)), "the claimed session is in the organisation's list: {listed:?}");
    Client::facilitator(&server.addr, &loose_code, &loose_key).await;
    server.terminate().await;
}

#[tokio::test]
async fn an_organisation_keeps_ballots_only_as_long_as_it_says_and_other_sessions_keep_theirs() {
    let data = tempfile::tempdir().unwrap();
    let printed = admin(
        data.path(),
        &["create-user", "--email", "anna@exempelby.se", "--name", "Anna", "--organisation", "Exempelby kommun"],
    )
    .await;
    let data_arg = data.path().to_str().unwrap().to_string();
    let server = ServerProcess::start_with(&["--data", &data_arg]).await;
    let base = server.url("");
    let anna = sign_in(&base, "anna@exempelby.se", &printed_password(&printed)).await;
    let organisation = anna.get(&base, "/api/me").await.body["organisations"][0]["id"].as_str().unwrap().to_string();
    let mut tokens = Vec::new();
    for browser in [&anna, &Browser::default()] {
        let made = browser.post(&base, "/api/sessions", json!({"catalogue": "lika"})).await;
        let (code, key) = (code_of(&made).to_string(), made.body["facilitator_key"].as_str().unwrap().to_string());
        let mut console = Client::facilitator(&server.addr, &code, &key).await;
        let mut phone = Client::participant(&server.addr, &code, None).await;
        console.ok(act("open", "L1")).await;
        phone.wait_state(|s| item(s, "L1")["phase"] == "voting").await;
        phone.ok(vote("L1", 1, json!(3))).await;
        tokens.push((code, phone.token.clone().unwrap()));
    }
    let path = format!("/api/organisations/{organisation}");
    let set = anna.send(&base, Method::PUT, &path, Some(json!({"retention_days": 0}))).await;
    assert_eq!((set.status, &set.body["retention_days"]), (StatusCode::OK, &json!(0)), "{}", set.body);
    assert_eq!(anna.get(&base, &path).await.body["retention_days"], 0);
    let refused = anna.send(&base, Method::PUT, &path, Some(json!({"retention_days": -1}))).await;
    assert_eq!(refused.body["code"], "bad_message", "{}", refused.body);
    server.terminate().await;

    // At the next start the organisation's session keeps only its distributions; the anonymous one
    // (no retention on this server) keeps its ballots.
    let server = ServerProcess::start_with(&["--data", &data_arg]).await;
    let (owned, anonymous) = (&tokens[0], &tokens[1]);
    let mut phone = Client::participant(&server.addr, &anonymous.0, Some(&anonymous.1)).await;
    assert_eq!(phone.welcome["ballots"]["L1"]["answer"], 3, "kept: {}", phone.welcome);
    // Compaction runs at start-up beside serving: wait for it as a returning phone would notice it.
    let addr = server.addr.clone();
    eventually("the organisation's session forgets who answered", WAIT, || {
        let (addr, code, token) = (addr.clone(), owned.0.clone(), owned.1.clone());
        async move {
            // While it is being compacted the session answers "shutting down", and a phone tries again.
            let mut phone = Client::connect(&addr).await;
            let hello = json!({"type": "hello", "role": "participant", "code": code, "token": token});
            let welcome = phone.try_request(hello).await.unwrap_or_default();
            welcome["type"] == "welcome" && welcome["ballots"].as_object().is_none_or(|b| b.is_empty())
        }
    })
    .await;
    let state = phone.wait_state(|_| true).await;
    assert!(!state.is_null());
    server.terminate().await;
}

#[tokio::test]
async fn two_facilitators_drive_one_session_see_each_other_and_each_lock_says_who_made_it() {
    let data = tempfile::tempdir().unwrap();
    let anna_printed = admin(
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
    let bo_printed = admin(
        data.path(),
        &[
            "create-user",
            "--email",
            "bo@exempelby.se",
            "--name",
            "Bo Berg",
            "--organisation",
            "Exempelby kommun",
            "--role",
            "facilitator",
        ],
    )
    .await;
    let server = ServerProcess::start_exactly(&["--data", data.path().to_str().unwrap()]).await;
    let base = server.url("");
    let anna = sign_in(&base, "anna@exempelby.se", &printed_password(&anna_printed)).await;
    let bo = sign_in(&base, "bo@exempelby.se", &printed_password(&bo_printed)).await;
    let made = anna.post(&base, "/api/sessions", json!({"catalogue": "lika", "title": "Exempelby 2026"})).await;
    let (code, key) = (code_of(&made).to_string(), made.body["facilitator_key"].as_str().unwrap().to_string());

    let console = |browser: &Browser| {
        let (addr, cookie, code) = (server.addr.clone(), browser.cookie.clone().unwrap(), code.clone());
        async move {
            let mut client = Client::connect_signed_in(&addr, &cookie).await;
            let welcome =
                client.try_request(json!({"type": "hello", "role": "facilitator", "code": code})).await.unwrap();
            assert_eq!(welcome["type"], "welcome", "{welcome}");
            client
        }
    };
    let mut annas = console(&anna).await;
    let mut bos = console(&bo).await;
    let delegate = Client::facilitator(&server.addr, &code, &key).await;
    let everyone = json!(["", "Anna Andersson", "Bo Berg"]);
    annas.wait_state(|s| s["consoles"] == everyone).await;
    bos.wait_state(|s| s["consoles"] == everyone).await;

    // Bo locks L1 (whatever name his client claims); Anna's console shows it was Bo, the screen shows no one.
    let mut screen = Client::screen(&server.addr, &code).await;
    let mut lock = act("lock", "L1");
    lock["level"] = json!(2);
    lock["by"] = json!("Någon annan");
    bos.ok(lock).await;
    let bo_id = bo.get(&base, "/api/me").await.body["account"]["id"].as_str().unwrap().to_string();
    let state = annas.wait_state(|s| item(s, "L1")["locked_by"] == bo_id.as_str()).await;
    assert_eq!(item(&state, "L1")["consensus"]["level"], 2);
    let people = format!("/api/sessions/{code}/people");
    assert_eq!(anna.get(&base, &people).await.body[&bo_id], "Bo Berg", "the id is named inside the organisation");
    let delegate_asks = reqwest::Client::new()
        .get(format!("{base}{people}"))
        .header("authorization", format!("Bearer {key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(delegate_asks.status(), StatusCode::UNAUTHORIZED, "a key link's holder gets no names");
    assert!(item(&state, "L1")["consensus"].get("by").is_none(), "only as locked_by, for the facilitator");
    let public = screen.wait_state(|s| item(s, "L1")["consensus"]["level"] == 2).await;
    assert!(item(&public, "L1").get("locked_by").is_none() && public.get("consoles").is_none(), "{public}");
    // A lock through the key link names no one.
    let mut delegate = delegate;
    let mut lock = act("lock", "L2");
    lock["level"] = json!(3);
    delegate.ok(lock).await;
    let state = annas.wait_state(|s| item(s, "L2")["consensus"]["level"] == 3).await;
    assert!(item(&state, "L2").get("locked_by").is_none());

    // Bo closes his console: Anna sees him go.
    bos.close().await;
    annas.wait_state(|s| s["consoles"] == json!(["", "Anna Andersson"])).await;
    // Removed from the organisation (his last), Bo's name is gone; his lock stays, named by no one.
    let organisation = anna.get(&base, "/api/me").await.body["organisations"][0]["id"].as_str().unwrap().to_string();
    let removed =
        anna.send(&base, Method::DELETE, &format!("/api/organisations/{organisation}/members/{bo_id}"), None).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert!(anna.get(&base, &people).await.body.get(&bo_id).is_none());
    let state = annas.wait_state(|s| item(s, "L1")["locked_by"] == bo_id.as_str()).await;
    assert!(!state.to_string().contains("Bo Berg"), "no trace of his name in the session");
    // A console opened by signing in stops driving when the sign-in ends.
    assert_eq!(anna.send(&base, Method::POST, "/api/sign-out", None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(annas.refused(act("open", "L3")).await, "unauthorized");
    server.terminate().await;
}
