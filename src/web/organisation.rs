//! An organisation's own pages: its members and their roles, invitations by link, units, and its list of
//! sessions. Everything here is for members only, and shown only inside the organisation.

use super::account::start_session;
use super::auth;
use super::reply::ApiResult;
use super::reply::{read_json, ApiError};
use super::AppState;
use crate::accounts::{self, NewAccount};
use crate::domain::access::{Action, Role};
use crate::live::LiveError;
use crate::protocol::Code;
use crate::store::{Invitation, Organisation, StoreError, Unit};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

/// How long an invitation link works: a week, long enough for a colleague back from leave.
const INVITATION_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/organisations", post(create_organisation))
        .route("/organisations/{id}", get(organisation).put(update))
        .route("/organisations/{id}/sessions", get(sessions))
        .route("/organisations/{id}/invitations", post(invite))
        .route("/organisations/{id}/members/{account}", put(change_role).delete(remove_member))
        .route("/organisations/{id}/units", post(add_unit))
        .route("/organisations/{id}/units/{unit}", delete(remove_unit))
        .route("/invitations/{token}", get(invitation))
        .route("/invitations/{token}/accept", post(accept))
}

fn store_error(error: StoreError) -> ApiError {
    LiveError::Store(error).into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Named {
    name: String,
}

/// Another organisation, with the signed-in person as its administrator (a person may belong to several).
async fn create_organisation(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> ApiResult<Response> {
    let Some(who) = auth::changing(&app, &headers).await? else {
        return Err(ApiError::new(Code::Unauthorized, "sign in to create an organisation"));
    };
    let request: Named = read_json(&body)?;
    let name = accounts::checked_name(&request.name, "name")?;
    let organisation = Organisation { id: uuid::Uuid::new_v4().to_string(), name, created_at: app.now() };
    app.registry.store().create_organisation(&organisation, &who.account.id).await.map_err(store_error)?;
    let body = json!({ "id": organisation.id, "name": organisation.name, "role": Role::Admin });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

/// The organisation as its members see it: name, units, and members with their roles.
async fn organisation(State(app): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    let who = auth::member(&app, &headers, &id, Action::ReadResults, false).await?;
    let store = app.registry.store();
    let name = who.memberships.iter().find(|m| m.organisation.id == id).map(|m| m.organisation.name.clone());
    let members: Vec<Value> = store
        .members(&id)
        .await
        .map_err(store_error)?
        .into_iter()
        .map(|m| {
            json!({ "id": m.account.id, "name": m.account.name, "email": m.account.email, "role": m.role,
                    "you": m.account.id == who.account.id })
        })
        .collect();
    let units: Vec<Value> = store
        .units(&id)
        .await
        .map_err(store_error)?
        .into_iter()
        .map(|u| json!({ "id": u.id, "name": u.name }))
        .collect();
    let retention_days = store.retention(&id).await.map_err(store_error)?;
    let body = json!({ "id": id, "name": name, "role": who.role_in(&id), "members": members, "units": units,
                       "retention_days": retention_days });
    Ok(super::reply::no_store(Json(body).into_response()))
}

/// An organisation's settings; a field left out stays as it is.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    name: Option<String>,
    /// Days to keep individual ballots and words; `null`: the server's setting.
    #[serde(default, deserialize_with = "present")]
    retention_days: Option<Option<u32>>,
}

/// Tells a field sent as `null` (`Some(None)`) from one left out (`None`).
fn present<'de, D: serde::Deserializer<'de>>(reader: D) -> Result<Option<Option<u32>>, D::Error> {
    Option::<u32>::deserialize(reader).map(Some)
}

async fn update(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let who = auth::member(&app, &headers, &id, Action::ManageMembers, true).await?;
    let request: Settings = read_json(&body)?;
    let store = app.registry.store();
    let mut name = who.memberships.iter().find(|m| m.organisation.id == id).map(|m| m.organisation.name.clone());
    if let Some(new) = &request.name {
        let new = accounts::checked_name(new, "name")?;
        store.rename_organisation(&id, &new).await.map_err(store_error)?;
        name = Some(new);
    }
    if let Some(days) = request.retention_days {
        store.set_retention(&id, days).await.map_err(store_error)?;
        tracing::info!(organisation = %id, ?days, "ballot retention set");
    }
    let retention_days = store.retention(&id).await.map_err(store_error)?;
    Ok(Json(json!({ "id": id, "name": name, "retention_days": retention_days })).into_response())
}

/// An organisation's sessions, newest first, for its members.
async fn sessions(State(app): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> ApiResult<Response> {
    auth::member(&app, &headers, &id, Action::ReadResults, false).await?;
    let listed = app.registry.store().organisation_sessions(&id).await.map_err(store_error)?;
    let list: Vec<Value> = listed
        .iter()
        .map(|s| {
            let kind = if s.spec.catalogue.is_some() { "workshop" } else { "seminar" };
            let catalogue = s.spec.catalogue.as_ref().map(|c| &c.id);
            json!({ "code": s.code, "title": s.spec.title, "created_at": s.created_at, "kind": kind, "catalogue": catalogue })
        })
        .collect();
    Ok(super::reply::no_store(Json(list).into_response()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Invite {
    role: Role,
}

/// A link that makes whoever opens it a member with the given role, once, for a week.
async fn invite(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let who = auth::member(&app, &headers, &id, Action::ManageMembers, true).await?;
    let request: Invite = read_json(&body)?;
    let organisation = who.memberships.iter().find(|m| m.organisation.id == id).map(|m| m.organisation.clone());
    let organisation = organisation.ok_or_else(|| ApiError::internal("a member's organisation went missing"))?;
    let (token, now) = (accounts::random_token(), app.now());
    let expires_at = now + INVITATION_LIFETIME.as_millis() as i64;
    let invitation = Invitation { organisation, role: request.role, created_at: now, expires_at, used_at: None };
    app.registry.store().create_invitation(&auth::token_hash(&token), &invitation).await.map_err(store_error)?;
    let body =
        json!({ "token": token, "link": format!("/invite/{token}"), "role": request.role, "expires_at": expires_at });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

fn unknown_invitation() -> ApiError {
    ApiError::new(
        Code::UnknownInvitation,
        "this invitation link does not work: it was used already, has expired or never existed",
    )
}

/// What an invitation offers, for the page that accepts it.
async fn invitation(State(app): State<AppState>, Path(token): Path<String>) -> ApiResult<Response> {
    let found = app.registry.store().invitation(&auth::token_hash(&token)).await.map_err(store_error)?;
    match found {
        Some(invitation) if invitation.used_at.is_none() && invitation.expires_at > app.now() => {
            let body = json!({ "organisation": invitation.organisation.name, "role": invitation.role,
                               "expires_at": invitation.expires_at });
            Ok(super::reply::no_store(Json(body).into_response()))
        }
        _ => Err(unknown_invitation()),
    }
}

/// Whoever accepts an invitation without being signed in gives a name, an email and a password.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Joining {
    name: String,
    email: String,
    password: String,
}

/// Accepts an invitation: a signed-in person joins with the account they have; anyone else makes one
/// and is signed in with it. The answer is the `/api/me` body.
async fn accept(
    State(app): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let store = app.registry.store();
    let (hash, now) = (auth::token_hash(&token), app.now());
    if let Some(who) = auth::changing(&app, &headers).await? {
        let joined = store.accept_invitation(&hash, &who.account.id, None, now).await.map_err(store_error)?;
        joined.ok_or_else(unknown_invitation)?;
        let who = auth::signed_in(&app, &headers).await?.ok_or_else(|| ApiError::internal("signed out meanwhile"))?;
        return Ok(Json(super::account::me_body(&app, false, Some(&who))).into_response());
    }
    // Check the link before the (slow) password hash, so a dead link answers at once.
    let usable = store.invitation(&hash).await.map_err(store_error)?;
    if !usable.is_some_and(|i| i.used_at.is_none() && i.expires_at > now) {
        return Err(unknown_invitation());
    }
    let request: Joining = read_json(&body)?;
    let account =
        NewAccount { name: request.name, email: request.email, password: request.password }.into_account(now).await?;
    match store.accept_invitation(&hash, &account.id, Some(&account), now).await {
        Ok(Some(_)) => start_session(&app, &account.id, StatusCode::CREATED).await,
        Ok(None) => Err(unknown_invitation()),
        Err(StoreError::EmailTaken) => Err(accounts::AccountError::EmailTaken.into()),
        Err(error) => Err(store_error(error)),
    }
}

/// An organisation always keeps an admin: refuses what would leave it without one.
async fn keeps_an_admin(app: &AppState, id: &str, account: &str, new_role: Option<Role>) -> ApiResult<()> {
    let members = app.registry.store().members(id).await.map_err(store_error)?;
    let admins_after = members
        .iter()
        .filter(|m| if m.account.id == account { new_role == Some(Role::Admin) } else { m.role == Role::Admin })
        .count();
    if admins_after == 0 {
        return Err(ApiError::new(
            Code::Forbidden,
            "an organisation keeps at least one admin; make someone else admin first",
        ));
    }
    if !members.iter().any(|m| m.account.id == account) {
        return Err(ApiError::new(Code::InvalidField, "account: not a member of this organisation"));
    }
    Ok(())
}

async fn change_role(
    State(app): State<AppState>,
    Path((id, account)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    auth::member(&app, &headers, &id, Action::ManageMembers, true).await?;
    let request: Invite = read_json(&body)?;
    keeps_an_admin(&app, &id, &account, Some(request.role)).await?;
    app.registry.store().set_membership(&id, &account, request.role).await.map_err(store_error)?;
    Ok(Json(json!({ "id": account, "role": request.role })).into_response())
}

/// An admin removes a member, or a member leaves. Their results stay; an account left in no organisation
/// is deleted, with its name and email.
async fn remove_member(
    State(app): State<AppState>,
    Path((id, account)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let who = auth::member(&app, &headers, &id, Action::ReadResults, true).await?;
    if who.account.id != account && !who.may(&id, Action::ManageMembers) {
        return Err(ApiError::new(Code::Forbidden, "only an admin removes other members"));
    }
    keeps_an_admin(&app, &id, &account, None).await?;
    app.registry.store().remove_member(&id, &account).await.map_err(store_error)?;
    tracing::info!(organisation = %id, "member removed");
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn add_unit(
    State(app): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    auth::member(&app, &headers, &id, Action::ManageMembers, true).await?;
    let request: Named = read_json(&body)?;
    let unit = Unit { id: uuid::Uuid::new_v4().to_string(), name: accounts::checked_name(&request.name, "name")? };
    app.registry.store().create_unit(&id, &unit).await.map_err(store_error)?;
    Ok((StatusCode::CREATED, Json(json!({ "id": unit.id, "name": unit.name }))).into_response())
}

async fn remove_unit(
    State(app): State<AppState>,
    Path((id, unit)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    auth::member(&app, &headers, &id, Action::ManageMembers, true).await?;
    app.registry.store().delete_unit(&id, &unit).await.map_err(store_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
