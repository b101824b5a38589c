//! A session's key link as a delegate: members of its organisation see it, rotate it and revoke it; an
//! anonymous session is claimed into an organisation with its key.

use super::api::created_body;
use super::auth::{self, session_for, Need};
use super::reply::{no_store, ApiResult};
use super::reply::{ApiError, ForOrganisation};
use super::AppState;
use crate::domain::access::Action;
use crate::live::{Created, LiveError, Registry, SessionHandle, REVOKED};
use crate::protocol::Code;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sessions/{code}/key", get(show).post(rotate).delete(revoke))
        .route("/sessions/{code}/claim", post(claim))
        .route("/sessions/{code}/people", get(people))
}

/// The session, for someone who may run it: a member of its organisation allowed to, or its key's holder.
/// A change also needs the CSRF token; a read of the key needs the role that could use it.
async fn runnable(app: &AppState, code: &str, headers: &HeaderMap, change: bool) -> ApiResult<SessionHandle> {
    if change {
        return session_for(app, code, headers, Need::Drive).await;
    }
    let handle = session_for(app, code, headers, Need::Read).await?;
    if headers.contains_key(axum::http::header::AUTHORIZATION) {
        return Ok(handle);
    }
    let who = auth::signed_in(app, headers).await?;
    match (who, handle.organisation()) {
        (Some(who), Some(organisation)) if who.may(organisation, Action::RunSession) => Ok(handle),
        _ => Err(ApiError::new(Code::Forbidden, "only those who may run the session see its key")),
    }
}

fn key_body(code: &str, key: &str) -> serde_json::Value {
    created_body(&Created { code: code.to_string(), facilitator_key: key.to_string() })
}

async fn show(State(app): State<AppState>, Path(code): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    let handle = runnable(&app, &code, &headers, false).await?;
    let body = match handle.facilitator_key() {
        Some(key) => key_body(handle.code(), key),
        None => json!({ "code": handle.code(), "facilitator_key": null, "revoked": true }),
    };
    Ok(no_store(Json(body).into_response()))
}

/// A new key: the old link stops working at once (the session restarts, and a console holding the old
/// key reconnects into a refusal).
async fn rotate(State(app): State<AppState>, Path(code): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    let handle = runnable(&app, &code, &headers, true).await?;
    let key = Registry::new_key();
    let code = handle.code().to_string();
    app.registry.change_owner(&code, &key, handle.organisation()).await?;
    tracing::info!(session = %code, "facilitator key rotated");
    Ok(no_store(Json(key_body(&code, &key)).into_response()))
}

/// No key link opens the session any more; only members of its organisation do. An anonymous session
/// keeps its key: without one nobody could run it.
async fn revoke(State(app): State<AppState>, Path(code): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    let handle = runnable(&app, &code, &headers, true).await?;
    if handle.organisation().is_none() {
        return Err(ApiError::new(Code::Forbidden, "a session of no organisation keeps its key; claim it first"));
    }
    let secret = format!("{REVOKED}{}", Registry::new_key());
    app.registry.change_owner(handle.code(), &secret, handle.organisation()).await?;
    tracing::info!(session = %code, "facilitator key revoked");
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The names of the members of the session's organisation, by account id: what a lock's `locked_by`
/// stands for, for the organisation's members. A removed member is not among them: their name is gone
/// with their account.
async fn people(State(app): State<AppState>, Path(code): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    let handle = app.registry.get(&code).await?;
    let Some(organisation) = handle.organisation() else { return Ok(no_store(Json(json!({})).into_response())) };
    // Names are shown only inside the organisation: a key link's holder gets none.
    auth::member(&app, &headers, organisation, Action::ReadResults, false).await?;
    let members = app.registry.store().members(organisation).await.map_err(LiveError::Store)?;
    let names: serde_json::Map<String, serde_json::Value> =
        members.into_iter().map(|m| (m.account.id, serde_json::Value::String(m.account.name))).collect();
    Ok(no_store(Json(names).into_response()))
}

/// Moves an anonymous session into an organisation: the caller holds its key and may run sessions there.
async fn claim(
    State(app): State<AppState>,
    Path(code): Path<String>,
    Query(owner): Query<ForOrganisation>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if !headers.contains_key(axum::http::header::AUTHORIZATION) {
        return Err(LiveError::WrongKey.into());
    }
    let handle = session_for(&app, &code, &headers, Need::Read).await?;
    if handle.organisation().is_some() {
        return Err(ApiError::new(Code::Forbidden, "the session belongs to an organisation already"));
    }
    let Some(organisation) =
        auth::owner_for_new(&app, &headers, owner.organisation.as_deref(), Action::RunSession).await?
    else {
        return Err(ApiError::new(Code::Unauthorized, "sign in as a member of the organisation that claims it"));
    };
    let key = handle.facilitator_key().unwrap_or_default().to_string();
    app.registry.change_owner(handle.code(), &key, Some(&organisation)).await?;
    tracing::info!(session = %code, %organisation, "session claimed");
    Ok(Json(json!({ "code": handle.code(), "organisation": organisation })).into_response())
}
