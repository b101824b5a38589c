//! The catalogue library: the built-in catalogues and each organisation's imports, every version of
//! each, which sessions used which version, and retiring or deleting a version.

use super::auth;
use super::reply::{no_store, ApiResult};
use super::reply::{read_json, ApiError, ForOrganisation};
use super::AppState;
use crate::domain::access::Action;
use crate::domain::{Catalogue, Text};
use crate::live::LiveError;
use crate::protocol::Code;
use crate::store::{StoreError, StoredCatalogue};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/catalogues", get(list).post(import))
        .route("/catalogues/{id}", get(one))
        .route("/catalogues/{id}/versions/{version}", put(retire).delete(remove))
        .route("/catalogues/{id}/versions/{version}/sessions", get(sessions))
}

fn store_error(error: StoreError) -> ApiError {
    LiveError::Store(error).into()
}

/// A catalogue version as a caller sees it in the library.
struct Listed {
    catalogue: Catalogue,
    built_in: bool,
    /// The importing organisation; `None`: built in, from before organisations, or anonymous.
    organisation: Option<String>,
    retired: bool,
}

/// Every catalogue version the caller may use: the built-in ones first, then the unowned imports and
/// those of the caller's organisations, in import order. Unowned imports are from before organisations,
/// or from the quick anonymous mode a server's operator chose: everyone sees them; an organisation's own
/// imports only its members see.
async fn visible(app: &AppState, headers: &HeaderMap) -> ApiResult<Vec<Listed>> {
    let who = auth::signed_in(app, headers).await?;
    catalogues_of(app, |organisation| match (&who, organisation) {
        (Some(who), Some(organisation)) => who.role_in(organisation).is_some(),
        (_, None) => true,
        (None, Some(_)) => false,
    })
    .await
}

/// The built-in catalogues, then the imported ones whose importer `keep` accepts, read from the store
/// (with several nodes, another node may have imported one).
async fn catalogues_of(app: &AppState, keep: impl Fn(Option<&str>) -> bool) -> ApiResult<Vec<Listed>> {
    let imported = app.registry.store().catalogues().await.map_err(store_error)?;
    let built_in = app.built_in.iter().map(|catalogue| Listed {
        catalogue: catalogue.clone(),
        built_in: true,
        organisation: None,
        retired: false,
    });
    let imported = imported.into_iter().filter(|stored| keep(stored.organisation.as_deref())).map(
        |StoredCatalogue { catalogue, organisation, retired_at }| Listed {
            catalogue,
            built_in: false,
            organisation,
            retired: retired_at.is_some(),
        },
    );
    Ok(built_in.chain(imported).collect())
}

async fn list(State(app): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    let list: Vec<_> = visible(&app, &headers)
        .await?
        .iter()
        .map(|listed| {
            let c = &listed.catalogue;
            json!({ "id": c.id, "version": c.version, "title": c.title, "indicators": c.indicator_count(),
                    "built_in": listed.built_in, "retired": listed.retired, "organisation": listed.organisation })
        })
        .collect();
    Ok(Json(list).into_response())
}

/// The title of a catalogue by id, as `owner` (a session's organisation) sees them: of the given version
/// when it is still stored, else of the newest.
pub(super) async fn catalogue_title(
    app: &AppState,
    owner: Option<&str>,
    id: &str,
    version: &str,
) -> ApiResult<Option<Text>> {
    let all = catalogues_of(app, |organisation| organisation.is_none() || organisation == owner).await?;
    let same_id = || all.iter().rev().map(|l| &l.catalogue).filter(|c| c.id == id);
    let found = same_id().find(|c| c.version == version).or_else(|| same_id().next());
    Ok(found.map(|c| c.title.clone()))
}

fn unknown(id: &str, version: Option<&str>) -> ApiError {
    match version {
        Some(version) => ApiError::new(Code::UnknownCatalogue, format!("no catalogue {id:?} version {version:?}")),
        None => ApiError::new(Code::UnknownCatalogue, format!("no catalogue {id:?}")),
    }
}

/// The catalogue a new workshop starts on: the version asked for, else the newest not retired.
/// A retired version starts nothing.
pub(super) async fn for_new_session(
    app: &AppState,
    headers: &HeaderMap,
    id: &str,
    version: Option<&str>,
) -> ApiResult<Catalogue> {
    let all = visible(app, headers).await?;
    let mut candidates = all.into_iter().rev().filter(|l| l.catalogue.id == id);
    let found = match version {
        Some(version) => candidates.find(|l| l.catalogue.version == version),
        None => candidates.find(|l| !l.retired),
    };
    match found {
        Some(listed) if listed.retired => Err(ApiError::new(
            Code::UnknownCatalogue,
            format!("catalogue {id:?} version {:?} is retired: it starts no new sessions", listed.catalogue.version),
        )),
        Some(listed) => Ok(listed.catalogue),
        None => Err(unknown(id, version)),
    }
}

#[derive(Deserialize)]
struct Version {
    version: Option<String>,
}

/// One catalogue, whole: the version asked for (`?version=`), else the newest not retired. This is the
/// catalogue export.
async fn one(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(which): Query<Version>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let all = visible(&app, &headers).await?;
    let mut candidates = all.into_iter().rev().filter(|l| l.catalogue.id == id);
    let found = match which.version.as_deref() {
        Some(version) => candidates.find(|l| l.catalogue.version == version),
        None => {
            let newest: Vec<Listed> = candidates.collect();
            let active = newest.iter().position(|l| !l.retired).unwrap_or(0);
            newest.into_iter().nth(active)
        }
    };
    let found = found.ok_or_else(|| unknown(&id, which.version.as_deref()))?;
    Ok(Json(found.catalogue).into_response())
}

async fn import(
    State(app): State<AppState>,
    Query(owner): Query<ForOrganisation>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    let organisation =
        auth::owner_for_new(&app, &headers, owner.organisation.as_deref(), Action::ManageCatalogues).await?;
    let catalogue: Catalogue = read_json(&body)?;
    catalogue.validate().map_err(|e| ApiError::invalid(e.to_string()))?;
    if app.built_in.iter().any(|c| c.id == catalogue.id && c.version == catalogue.version) {
        let message = format!("catalogue {:?} version {:?} is built in", catalogue.id, catalogue.version);
        return Err(ApiError::new(Code::ItemInUse, message));
    }
    match app.registry.store().save_catalogue(&catalogue, app.now(), organisation.as_deref()).await {
        Ok(()) => {}
        Err(StoreError::CatalogueExists) => {
            let message = format!("catalogue {:?} version {:?} is already stored", catalogue.id, catalogue.version);
            return Err(ApiError::new(Code::ItemInUse, message));
        }
        Err(error) => return Err(store_error(error)),
    }
    tracing::info!(catalogue = %catalogue.id, version = %catalogue.version, "catalogue imported");
    let answer = json!({ "id": catalogue.id, "version": catalogue.version, "indicators": catalogue.indicator_count() });
    Ok((StatusCode::CREATED, Json(answer)).into_response())
}

/// An imported version the caller may manage: their organisation's (or, under `--allow-anonymous`, an
/// unowned one). Built-in versions are nobody's to change.
async fn manageable(app: &AppState, headers: &HeaderMap, id: &str, version: &str) -> ApiResult<Listed> {
    let who = auth::changing(app, headers).await?;
    let all = catalogues_of(app, |_| true).await?;
    let listed = all
        .into_iter()
        .find(|l| l.catalogue.id == id && l.catalogue.version == version)
        .ok_or_else(|| unknown(id, Some(version)))?;
    if listed.built_in {
        return Err(ApiError::new(Code::Forbidden, "a built-in catalogue cannot be retired or deleted"));
    }
    let allowed = match (&who, listed.organisation.as_deref()) {
        (Some(who), Some(organisation)) => who.may(organisation, Action::ManageCatalogues),
        (_, None) => app.accounts.allow_anonymous,
        (None, Some(_)) => return Err(ApiError::new(Code::Unauthorized, "sign in as a member of its organisation")),
    };
    if !allowed {
        return Err(ApiError::new(
            Code::Forbidden,
            "only its organisation's facilitators and admins manage this catalogue",
        ));
    }
    Ok(listed)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Retire {
    retired: bool,
}

/// Retires a version (it starts no new sessions; those that used it keep it) or brings it back.
async fn retire(
    State(app): State<AppState>,
    Path((id, version)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Response> {
    manageable(&app, &headers, &id, &version).await?;
    let request: Retire = read_json(&body)?;
    let at = request.retired.then(|| app.now());
    app.registry.store().retire_catalogue(&id, &version, at).await.map_err(store_error)?;
    Ok(Json(json!({ "id": id, "version": version, "retired": request.retired })).into_response())
}

/// Deletes a version no session used; one that a session used is kept (`409 item_in_use`).
async fn remove(
    State(app): State<AppState>,
    Path((id, version)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    manageable(&app, &headers, &id, &version).await?;
    let store = app.registry.store();
    if !store.delete_catalogue(&id, &version).await.map_err(store_error)? {
        let used = store.catalogue_sessions(&id, &version).await.map_err(store_error)?.len();
        let message = format!("{used} session(s) used this version; retire it instead");
        return Err(ApiError::new(Code::ItemInUse, message));
    }
    tracing::info!(catalogue = %id, %version, "catalogue version deleted");
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Which of the caller's organisations' sessions used a version: `[{code, title, created_at, organisation}]`.
async fn sessions(
    State(app): State<AppState>,
    Path((id, version)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let Some(who) = auth::signed_in(&app, &headers).await? else {
        return Err(ApiError::new(Code::Unauthorized, "sign in to see your organisation's sessions"));
    };
    let store = app.registry.store();
    let codes = store.catalogue_sessions(&id, &version).await.map_err(store_error)?;
    let mut list = Vec::new();
    for membership in &who.memberships {
        for listed in store.organisation_sessions(&membership.organisation.id).await.map_err(store_error)? {
            if codes.contains(&listed.code) {
                list.push(json!({ "code": listed.code, "title": listed.spec.title, "created_at": listed.created_at,
                                  "organisation": membership.organisation.id }));
            }
        }
    }
    Ok(no_store(Json(list).into_response()))
}
