//! OpenID Connect sign-in against a real provider: the `oidc-provider` package (tests/oidc/), run with Node on
//! a spare port, with its own login and consent pages, which these tests fill in over HTTP as a person would
//! in a browser. Samsyn is the real binary. Nothing is mocked: the provider signs real ID tokens with its
//! keys, and Samsyn fetches its discovery document, its keys and its tokens over HTTP.
//!
//! Without Node or the package (`npm ci` in tests/oidc) the tests are skipped with a message; under
//! `CI=true` that fails.

use crate::accounts::{Answer, Browser};
use crate::common::services::spare_port;
use crate::common::*;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};

const SECRET: &str = "a-client-secret-for-tests-only";

fn provider_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc")
}

fn node() -> Option<PathBuf> {
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join("node"))
        .find(|p| p.is_file())
}

/// True if Node and the provider package are here. Prints why not; panics under CI, where a skip would
/// hide a gap.
fn provider_available() -> bool {
    let mut missing = Vec::new();
    if node().is_none() {
        missing.push("node (apt-get install nodejs npm)");
    }
    if !provider_dir().join("node_modules/oidc-provider/package.json").is_file() {
        missing.push("the oidc-provider package (cd tests/oidc && npm ci)");
    }
    if missing.is_empty() {
        return true;
    }
    let message = format!("SKIPPED: the OpenID Connect test needs {}", missing.join(" and "));
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}; CI must run it");
    eprintln!("{message}");
    false
}

/// The provider, stopped when dropped.
struct Provider {
    port: u16,
    child: tokio::process::Child,
}

impl Provider {
    /// Starts the provider on `port` with these clients; ID tokens for the clients in `wrong_audience` name
    /// another application as their audience.
    async fn start(port: u16, clients: Value, wrong_audience: &[&str]) -> Provider {
        let settings = json!({"port": port, "clients": clients, "wrong_audience": wrong_audience});
        let mut child = tokio::process::Command::new(node().unwrap())
            .arg(provider_dir().join("provider.mjs"))
            .arg(settings.to_string())
            .current_dir(provider_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let mut errors = BufReader::new(child.stderr.take().unwrap()).lines();
        tokio::spawn(async move {
            while let Ok(Some(line)) = errors.next_line().await {
                eprintln!("[provider] {line}");
            }
        });
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line()).await.expect("provider starts");
        assert_eq!(line.unwrap().as_deref(), Some("listening"));
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Provider { port, child }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// A client registration at the provider for the Samsyn server at `base`.
fn client(id: &str, base: &str) -> Value {
    json!({"client_id": id, "client_secret": SECRET, "redirect_uris": [format!("{base}/api/oidc/callback")]})
}

/// Samsyn, signing staff in with the provider that will listen on `port`, as client `client_id`.
async fn samsyn(data: &tempfile::TempDir, port: u16, client_id: &str) -> ServerProcess {
    let issuer = format!("http://127.0.0.1:{port}");
    ServerProcess::start_exactly(&[
        "--data",
        data.path().to_str().unwrap(),
        "--oidc-issuer",
        &issuer,
        "--oidc-client-id",
        client_id,
        "--oidc-client-secret",
        SECRET,
        "--oidc-name",
        "Exempelby kommun (testleverantör)",
        "--oidc-organisation",
        "Exempelby kommun",
    ])
    .await
}

/// HTTP without following redirects: each step of the flow is looked at.
fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// The cookies one site set, kept by hand as a browser would (paths and expiry aside).
#[derive(Default, Clone)]
struct Jar(BTreeMap<String, String>);

impl Jar {
    fn keep(&mut self, response: &reqwest::Response) {
        for set in response.headers().get_all(SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.0.remove(name);
            } else {
                self.0.insert(name.to_string(), value.to_string());
            }
        }
    }

    fn header(&self) -> String {
        self.0.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ")
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// A person at a browser: Samsyn's cookies and the provider's, each kept for its own site.
#[derive(Default)]
struct Person {
    samsyn: Jar,
    provider: Jar,
}

/// A redirect's target, made absolute against `base`.
fn location(response: &reqwest::Response, base: &str) -> String {
    let location = response.headers().get(LOCATION).unwrap_or_else(|| panic!("no Location in {response:?}"));
    let location = location.to_str().unwrap();
    if location.starts_with('/') {
        format!("{base}{location}")
    } else {
        location.to_string()
    }
}

impl Person {
    async fn get_samsyn(&mut self, url: &str) -> reqwest::Response {
        let response = http().get(url).header(COOKIE, self.samsyn.header()).send().await.unwrap();
        self.samsyn.keep(&response);
        response
    }

    /// Presses "Logga in med …": Samsyn's answer, a redirect to the provider.
    async fn start(&mut self, base: &str, next: &str) -> String {
        let response = self.get_samsyn(&format!("{base}/api/oidc/start?next={next}")).await;
        assert_eq!(response.status(), StatusCode::FOUND);
        location(&response, base)
    }

    /// At the provider: signs in as `login` and gives consent, until the provider sends the browser back
    /// to Samsyn. Returns that callback URL, not yet opened.
    async fn at_provider(&mut self, provider: &Provider, mut url: String, login: &str) -> String {
        for _ in 0..12 {
            if !url.starts_with(&provider.base()) {
                return url;
            }
            let response = http().get(&url).header(COOKIE, self.provider.header()).send().await.unwrap();
            self.provider.keep(&response);
            if response.status().is_redirection() {
                url = location(&response, &provider.base());
                continue;
            }
            // A page of the provider's: its login form, or its consent form.
            assert_eq!(response.status(), StatusCode::OK, "{url}");
            let page = response.text().await.unwrap();
            let action = page.split("action=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("a form");
            let form: Vec<(&str, &str)> = if page.contains("name=\"login\"") {
                vec![("prompt", "login"), ("login", login), ("password", "anything")]
            } else {
                assert!(page.contains("value=\"consent\""), "{page}");
                vec![("prompt", "consent")]
            };
            let action =
                if action.starts_with('/') { format!("{}{action}", provider.base()) } else { action.to_string() };
            let submitted =
                http().post(action).header(COOKIE, self.provider.header()).form(&form).send().await.unwrap();
            self.provider.keep(&submitted);
            assert!(submitted.status().is_redirection(), "{}", submitted.status());
            url = location(&submitted, &provider.base());
        }
        panic!("the provider never sent the browser back");
    }

    /// Comes back to Samsyn: where it then sends the browser.
    async fn back(&mut self, base: &str, callback: &str) -> String {
        let response = self.get_samsyn(callback).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{callback}");
        assert_eq!(response.headers()["cache-control"], "no-store");
        location(&response, base)
    }

    /// The whole way: start, sign in and consent at the provider, back to Samsyn.
    async fn sign_in(&mut self, base: &str, provider: &Provider, login: &str, next: &str) -> String {
        let to_provider = self.start(base, next).await;
        let callback = self.at_provider(provider, to_provider, login).await;
        self.back(base, &callback).await
    }

    /// The signed-in browser for Samsyn's API, with the CSRF token `/api/me` hands out.
    async fn browser(&self, base: &str) -> Browser {
        let cookie = self.samsyn.get("samsyn_session").map(|token| format!("samsyn_session={token}"));
        let browser = Browser { cookie, csrf: None };
        let me = browser.get(base, "/api/me").await;
        Browser { csrf: me.body["csrf_token"].as_str().map(String::from), ..browser }
    }
}

async fn me(person: &Person, base: &str) -> Answer {
    person.browser(base).await.get(base, "/api/me").await
}

fn query(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query.split('&').filter_map(|pair| pair.split_once('=')).find(|(n, _)| *n == name).map(|(_, v)| v.to_string())
}

#[tokio::test]
async fn staff_sign_in_through_the_real_provider_and_come_back_to_the_same_account() {
    if !provider_available() {
        return;
    }
    let (data, port) = (tempfile::tempdir().unwrap(), spare_port());
    // Samsyn first: it reads the provider's discovery document only when sign-in is used.
    let server = samsyn(&data, port, "samsyn").await;
    let base = server.url("");
    let provider = Provider::start(port, json!([client("samsyn", &base)]), &[]).await;

    let stranger = Browser::default().get(&base, "/api/me").await;
    assert_eq!(stranger.body["oidc"], json!({"name": "Exempelby kommun (testleverantör)"}));
    assert_eq!(stranger.body["first_run"], true);

    // The redirect to the provider: the authorization code flow with PKCE (S256), a state and a nonce.
    let mut anna = Person::default();
    let to_provider = anna.start(&base, "/organisation").await;
    assert!(to_provider.starts_with(&format!("{}/auth?", provider.base())), "{to_provider}");
    for (name, wanted) in [
        ("response_type", Some("code".to_string())),
        ("client_id", Some("samsyn".into())),
        ("code_challenge_method", Some("S256".into())),
    ] {
        assert_eq!(query(&to_provider, name), wanted, "{name} in {to_provider}");
    }
    let redirect = query(&to_provider, "redirect_uri").unwrap();
    assert_eq!(redirect, format!("{base}/api/oidc/callback").replace(':', "%3A").replace('/', "%2F"));
    for name in ["code_challenge", "state", "nonce", "scope"] {
        assert!(query(&to_provider, name).is_some_and(|v| v.len() >= 8), "{name} in {to_provider}");
    }
    assert!(anna.samsyn.get("samsyn_oidc").is_some(), "the browser that started is remembered");

    // Signing in at the provider brings Anna back signed in, to the page she came from. On a server with
    // no accounts she is its first administrator, of the organisation --oidc-organisation names.
    let callback = anna.at_provider(&provider, to_provider, "anna").await;
    assert!(callback.starts_with(&format!("{base}/api/oidc/callback?")), "{callback}");
    assert_eq!(anna.back(&base, &callback).await, format!("{base}/organisation"));
    assert!(anna.samsyn.get("samsyn_oidc").is_none(), "the sign-in under way is over");
    let first = me(&anna, &base).await;
    assert_eq!(first.body["account"]["name"], "Anna Andersson", "{}", first.body);
    assert_eq!(first.body["account"]["email"], "anna.andersson@exempelby.se", "a verified email is kept");
    let organisation = &first.body["organisations"][0];
    assert_eq!(
        (organisation["name"].as_str(), organisation["role"].as_str()),
        (Some("Exempelby kommun"), Some("admin"))
    );
    let organisation = organisation["id"].as_str().unwrap().to_string();
    let annas_id = first.body["account"]["id"].as_str().unwrap().to_string();

    // Her sign-in is the same as with a password: she creates a workshop and invites a colleague.
    let signed_in = anna.browser(&base).await;
    let made = signed_in.post(&base, "/api/sessions", json!({"catalogue": "lika", "title": "Exempelby 2026"})).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let invited = signed_in
        .post(&base, &format!("/api/organisations/{organisation}/invitations"), json!({"role": "facilitator"}))
        .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{}", invited.body);

    // A colleague's first sign-in makes an account in no organisation: a name from preferred_username, and
    // no email, since the provider has not verified it. The invitation then makes Bo a facilitator.
    let mut bo = Person::default();
    assert_eq!(bo.sign_in(&base, &provider, "bo", "/").await, format!("{base}/"));
    let his = me(&bo, &base).await;
    assert_eq!((his.body["account"]["name"].as_str(), &his.body["account"]["email"]), (Some("bo.berg"), &Value::Null));
    assert_eq!(his.body["organisations"], json!([]));
    let token = invited.body["token"].as_str().unwrap();
    let joined =
        bo.browser(&base).await.send(&base, Method::POST, &format!("/api/invitations/{token}/accept"), None).await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.body);
    assert_eq!(joined.body["organisations"][0]["role"], "facilitator");

    // The same person again, in a new browser: the same account, nothing new made.
    let mut again = Person::default();
    assert_eq!(again.sign_in(&base, &provider, "anna", "/").await, format!("{base}/"));
    let second = me(&again, &base).await;
    assert_eq!(second.body["account"]["id"], annas_id.as_str());
    let members = signed_in.get(&base, &format!("/api/organisations/{organisation}")).await;
    assert_eq!(members.body["members"].as_array().map(Vec::len), Some(2), "{}", members.body);

    // Coming back twice with the same code and state: the sign-in under way was used up the first time.
    let mut replay = Person { samsyn: Jar::default(), provider: Jar::default() };
    replay.samsyn.0.insert("samsyn_oidc".into(), query(&callback, "state").unwrap());
    assert_eq!(replay.back(&base, &callback).await, format!("{base}/?signin_error=expired"));
    assert!(replay.samsyn.get("samsyn_session").is_none(), "not signed in");

    // A code that waited too long at the provider (its account "sena" gets codes that live one second):
    // the provider refuses it, and so does Samsyn.
    let mut late = Person::default();
    let to_provider = late.start(&base, "/").await;
    let callback = late.at_provider(&provider, to_provider, "sena").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(late.back(&base, &callback).await, format!("{base}/?signin_error=code_refused"));
    assert!(late.samsyn.get("samsyn_session").is_none(), "not signed in");

    // Another browser cannot finish a sign-in it did not start (login CSRF): it lacks the state cookie.
    let mut started = Person::default();
    let to_provider = started.start(&base, "/").await;
    let callback = started.at_provider(&provider, to_provider, "mallory").await;
    let mut victim = Person::default();
    assert_eq!(victim.back(&base, &callback).await, format!("{base}/?signin_error=expired"));
    assert!(victim.samsyn.get("samsyn_session").is_none(), "not signed in");

    // Someone who cancels at the provider comes back with its error.
    let mut cancelled = Person::default();
    cancelled.start(&base, "/").await;
    let state = cancelled.samsyn.get("samsyn_oidc").unwrap().to_string();
    let back = format!("{base}/api/oidc/callback?error=access_denied&error_description=cancelled&state={state}");
    assert_eq!(cancelled.back(&base, &back).await, format!("{base}/?signin_error=provider_refused"));

    // Only paths of this site are followed after signing in.
    let mut elsewhere = Person::default();
    let landed = elsewhere.sign_in(&base, &provider, "anna", "//evil.example/").await;
    assert_eq!(landed, format!("{base}/"));
    server.terminate().await;
}

#[tokio::test]
async fn an_id_token_issued_to_another_application_is_refused_with_a_clear_reason() {
    if !provider_available() {
        return;
    }
    let (data, port) = (tempfile::tempdir().unwrap(), spare_port());
    let server = samsyn(&data, port, "samsyn-wrong-audience").await;
    let base = server.url("");

    // Before the provider runs: the server is up all the same, and sign-in says the provider is unreachable.
    let mut early = Person::default();
    let response = early.get_samsyn(&format!("{base}/api/oidc/start?next=/")).await;
    assert_eq!(location(&response, &base), format!("{base}/?signin_error=provider_unreachable"));
    assert_eq!(Browser::default().get(&base, "/healthz").await.status, StatusCode::OK);

    let provider =
        Provider::start(port, json!([client("samsyn-wrong-audience", &base)]), &["samsyn-wrong-audience"]).await;
    let mut person = Person::default();
    assert_eq!(person.sign_in(&base, &provider, "anna", "/").await, format!("{base}/?signin_error=wrong_audience"));
    assert!(person.samsyn.get("samsyn_session").is_none(), "not signed in");
    let me = Browser::default().get(&base, "/api/me").await;
    assert_eq!((me.body["first_run"].as_bool(), &me.body["account"]), (Some(true), &Value::Null), "no account made");
    server.terminate().await;
}
