//! Requests made on a person's behalf by another site's page: a state change (POST, PUT, DELETE) must
//! come from a page of this server (or of an origin of `--allowed-origins`) and carry JSON. A page of
//! another site can make a browser send a form or `text/plain` to any server it reaches (an intranet
//! server included) without asking anyone; it cannot send `application/json` across origins without a
//! CORS preflight, which Samsyn never grants.

use super::reply::ApiError;
use super::serve::MAX_BODY_BYTES;
use super::AppState;
use crate::protocol::Code;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::time::Instant;

/// Refuses a state change from another site's page, and a body that is not JSON.
pub async fn same_site_changes(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let changes = matches!(*request.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    if !changes {
        return next.run(request).await;
    }
    let headers = request.headers();
    let text = |name| headers.get(name).and_then(|v: &header::HeaderValue| v.to_str().ok());
    if !app.limits.origin_allowed(text(header::ORIGIN), text(header::HOST), app.public_url.as_deref()) {
        let message = "a change must come from a page of this server (or an origin of --allowed-origins)";
        return ApiError::new(Code::Forbidden, message).into_response();
    }
    let length = text(header::CONTENT_LENGTH).and_then(|l| l.parse::<u64>().ok());
    let has_body = length.is_some_and(|l| l > 0) || headers.contains_key(header::TRANSFER_ENCODING);
    // A body over the size limit gets the limit's own answer (413) when it is read.
    let too_large = length.is_some_and(|l| l > MAX_BODY_BYTES as u64);
    let json = text(header::CONTENT_TYPE).is_some_and(|t| {
        let media = t.split(';').next().unwrap_or_default().trim();
        media.eq_ignore_ascii_case("application/json")
    });
    if has_body && !too_large && !json {
        let message = "a request body must be JSON, sent with Content-Type: application/json";
        return ApiError::new(Code::BadMessage, message).into_response();
    }
    next.run(request).await
}

/// Guessing join codes or keys over HTTP (`/api/sessions/{code}/…`): an unknown code, or a wrong key,
/// counts against the address as a failed WebSocket hello does, and an address over the limit waits a
/// minute (`429`) — unless a signed-in member asks, who is accountable and cannot be guessing.
pub async fn guessing(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let names_session = request.uri().path().starts_with("/sessions/");
    if !names_session {
        return next.run(request).await;
    }
    let headers = request.headers();
    let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
    let ip = app.limits.client_ip(peer.ip(), forwarded);
    let with_key = headers.contains_key(header::AUTHORIZATION);
    if app.limits.is_throttled(ip, Instant::now())
        && !matches!(super::auth::signed_in(&app, headers).await, Ok(Some(_)))
    {
        let message = "too many unknown codes or wrong keys from this address; wait a minute";
        let mut response = ApiError::new(Code::RateLimited, message).into_response();
        response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(60));
        return response;
    }
    let response = next.run(request).await;
    let failed = match response.extensions().get::<Code>() {
        Some(Code::UnknownSession) => true,
        Some(Code::Forbidden) => with_key,
        _ => false,
    };
    if failed {
        app.limits.failed_hello(ip, Instant::now());
    }
    response
}

/// Creating is limited per owner: a signed-in member may make a burst of 60 sessions, imports or
/// organisations and then one every 10 s; anyone not signed in (`--allow-anonymous`) a burst of 20 per
/// address and then one a minute. Enough for any real day of workshops and seminars; not enough to fill
/// the server's memory and disk from one laptop.
pub async fn creation_rate(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let creates = *request.method() == Method::POST
        && (matches!(path, "/sessions" | "/catalogues" | "/occasions" | "/organisations")
            || path.ends_with("/plan/seminar"));
    if !creates {
        return next.run(request).await;
    }
    let headers = request.headers();
    let who = super::auth::signed_in(&app, headers).await.ok().flatten();
    let (key, rate, burst) = match &who {
        Some(who) => (format!("account {}", who.account.id), 0.1, 60.0),
        None => {
            let forwarded = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok());
            (format!("address {}", app.limits.client_ip(peer.ip(), forwarded)), 1.0 / 60.0, 20.0)
        }
    };
    if !app.limits.may_create(&key, rate, burst, Instant::now()) {
        let message = "too many sessions, imports or organisations made in a short time; wait a minute";
        let mut response = ApiError::new(Code::RateLimited, message).into_response();
        response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from(60));
        return response;
    }
    next.run(request).await
}
