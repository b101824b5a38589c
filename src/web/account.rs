//! Sign-in and the organisation's pages: who am I, the first administrator, signing in and out, and an
//! organisation's list of sessions. Participants never come here.

use super::auth::{self, SignedIn, COOKIE, SIGN_IN_LIFETIME};
use super::reply::{no_store, read_json, ApiError};
use super::AppState;
use crate::accounts::{self, NewAccount};
use crate::live::LiveError;
use crate::protocol::Code;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::time::Instant;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/setup", post(setup))
        .route("/sign-in", post(sign_in))
        .route("/sign-out", post(sign_out))
}

/// What the start page needs to know about the person at the browser.
pub(super) fn me_body(app: &AppState, first_run: bool, who: Option<&SignedIn>) -> Value {
    let organisations: Vec<Value> = who
        .map(|who| {
            let each = |m: &crate::store::Membership| json!({ "id": m.organisation.id, "name": m.organisation.name, "role": m.role });
            who.memberships.iter().map(each).collect()
        })
        .unwrap_or_default();
    json!({
        "first_run": first_run,
        "allow_anonymous": app.accounts.allow_anonymous,
        "account": who.map(|who| json!({ "id": who.account.id, "name": who.account.name, "email": who.account.email })),
        "organisations": organisations,
        "csrf_token": who.map(|who| who.csrf_token.clone()),
        "oidc": app.oidc.as_ref().map(|oidc| json!({ "name": oidc.name })),
    })
}

async fn me(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let who = auth::signed_in(&app, &headers).await?;
    let first_run = who.is_none() && app.registry.store().account_count().await.map_err(LiveError::Store)? == 0;
    Ok(no_store(Json(me_body(&app, first_run, who.as_ref())).into_response()))
}

/// Signs `account` in: a new server-side session, and the cookie that carries its token.
pub(super) async fn new_sign_in(app: &AppState, account_id: &str) -> Result<(HeaderValue, SignedIn), ApiError> {
    let store = app.registry.store();
    let (token, csrf) = (accounts::random_token(), accounts::random_token());
    let now = app.now();
    let lifetime = SIGN_IN_LIFETIME.as_millis() as i64;
    store
        .create_web_session(&auth::token_hash(&token), account_id, &csrf, now, now + lifetime)
        .await
        .map_err(LiveError::Store)?;
    let who = auth::signed_in_by_token(app, &token)
        .await?
        .ok_or_else(|| ApiError::internal("the new sign-in was not found"))?;
    let secure = if app.accounts.secure_cookies { "; Secure" } else { "" };
    let cookie =
        format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}", SIGN_IN_LIFETIME.as_secs());
    let cookie = HeaderValue::from_str(&cookie).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok((cookie, who))
}

/// Signs `account` in: a new server-side session, its token in an HttpOnly cookie, and the /api/me body.
pub(super) async fn start_session(app: &AppState, account_id: &str, status: StatusCode) -> Result<Response, ApiError> {
    let (cookie, who) = new_sign_in(app, account_id).await?;
    let mut response = (status, Json(me_body(app, false, Some(&who)))).into_response();
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(no_store(response))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Setup {
    name: String,
    email: String,
    password: String,
    organisation: String,
}

/// The first administrator and their organisation, on a server with no accounts yet. Only from this
/// machine: a server reachable by others before anyone has claimed it must not be claimed by a stranger
/// (there, `samsyn admin create-user` does it).
async fn setup(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: Setup = read_json(&body)?;
    let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
    if !app.limits.client_ip(peer.ip(), forwarded).is_loopback() {
        let message =
            "the first administrator is created from the server's own machine, or with `samsyn admin create-user`";
        return Err(ApiError::new(Code::Forbidden, message));
    }
    let _one_at_a_time = app.accounts.setup.lock().await;
    let store = app.registry.store();
    if store.account_count().await.map_err(LiveError::Store)? > 0 {
        return Err(ApiError::new(Code::Forbidden, "this server has its administrator already; sign in"));
    }
    let now = app.now();
    let new = NewAccount { name: request.name, email: request.email, password: request.password };
    let account = new.into_account(now).await?;
    let organisation = accounts::create_with_organisation(store.as_ref(), &account, &request.organisation, now).await?;
    tracing::info!(organisation = %organisation.id, "first administrator created");
    start_session(&app, &account.id, StatusCode::CREATED).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignIn {
    email: String,
    password: String,
}

async fn sign_in(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let request: SignIn = read_json(&body)?;
    let email = request.email.trim().to_lowercase();
    let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
    let ip = app.limits.client_ip(peer.ip(), forwarded);
    if let Some(wait) = app.accounts.throttle.wait(&email, ip, Instant::now()) {
        let seconds = wait.as_secs().max(1);
        let message = format!("too many wrong passwords; try again in {seconds} s");
        let mut response = ApiError::new(Code::RateLimited, message).into_response();
        response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return Ok(response);
    }
    let account = app.registry.store().account_by_email(&email).await.map_err(LiveError::Store)?;
    let hash = account.as_ref().and_then(|a| a.password_hash.clone());
    let account = match accounts::verify_password(request.password, hash).await {
        true => account.expect("a password matched, so the account exists"),
        false => {
            app.accounts.throttle.failed(&email, ip, Instant::now());
            return Err(ApiError::new(Code::Unauthorized, "wrong email or password"));
        }
    };
    app.accounts.throttle.succeeded(&email);
    start_session(&app, &account.id, StatusCode::OK).await
}

async fn sign_out(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    if let Some(who) = auth::changing(&app, &headers).await? {
        app.registry.store().delete_web_session(&who.token_hash).await.map_err(LiveError::Store)?;
    }
    let cookie = format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0");
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("a plain cookie"));
    Ok(response)
}
