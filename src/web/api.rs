//! REST endpoints: catalogues, sessions and their item sets, the join QR code, health.
//! Errors answer as `{code, message}`; a body that cannot be read says where it went wrong.

use super::auth::{self, Need};
use super::reply::{read_json, ApiError};
use super::AppState;
use crate::domain::access::Action;
use crate::domain::item::{agenda_from_input, item_set, ItemInput, ItemSetInput};
use crate::domain::{Actor, Agenda, Command, SessionSpec};
use crate::live::LiveError;
use crate::protocol::Code;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;

use super::serve::MAX_BODY_BYTES;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/sessions", post(create_session))
        .route("/sessions/{code}/items", get(export_items).put(import_items))
        .route("/sessions/{code}/qr.svg", get(join_qr))
        .route("/sessions/{code}/room-word", get(room_word))
        .route("/server", get(super::network::server_info))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// The room word, for a screen opened by someone who may drive the session (phones and anyone else
/// with just the code see only that there is one, and its number).
async fn room_word(
    State(app): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let handle = auth::session_for(&app, &code, &headers, Need::Present).await?;
    let session = handle.snapshot().await?;
    let body = match &session.room_word {
        Some(room) => json!({ "word": room.word, "number": room.number }),
        None => json!({ "word": null, "number": null }),
    };
    Ok(super::reply::no_store(Json(body).into_response()))
}

pub async fn healthz(State(app): State<AppState>) -> Response {
    match app.registry.store().ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(error) => (StatusCode::SERVICE_UNAVAILABLE, format!("store unavailable: {error}")).into_response(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSession {
    #[serde(default)]
    catalogue: Option<String>,
    /// A version of the catalogue (a like-for-like repeat); the newest that is not retired if unset.
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    items: Option<Vec<ItemInput>>,
    /// The organisation that will own it (a signed-in member's first one where they may run sessions if unset).
    #[serde(default)]
    organisation: Option<String>,
}

async fn create_session(State(app): State<AppState>, headers: HeaderMap, body: Bytes) -> Result<Response, ApiError> {
    let request: NewSession = read_json(&body)?;
    let organisation = auth::owner_for_new(&app, &headers, request.organisation.as_deref(), Action::RunSession).await?;
    let spec = match (request.catalogue, request.items) {
        (Some(_), Some(_)) => return Err(ApiError::invalid("give either a catalogue or items, not both")),
        (Some(id), None) => {
            let catalogue = super::catalogues::for_new_session(&app, &headers, &id, request.version.as_deref()).await?;
            SessionSpec::workshop(&catalogue, &request.title)
        }
        (None, items) => {
            let agenda = agenda_from_input(items.unwrap_or_default(), &BTreeMap::new())
                .map_err(|e| ApiError::invalid(e.to_string()))?;
            SessionSpec::from_agenda(&request.title, agenda)
        }
    }
    .map_err(LiveError::from)?;
    let created = app.registry.create(spec, organisation.as_deref()).await?;
    tracing::info!(session = %created.code, "session created");
    Ok((StatusCode::CREATED, Json(created_body(&created))).into_response())
}

/// What the creator of a session gets: the code, the key, and the three links.
pub(super) fn created_body(created: &crate::live::Created) -> serde_json::Value {
    let (code, key) = (&created.code, &created.facilitator_key);
    json!({
        "code": code,
        "facilitator_key": key,
        "links": {
            "facilitator": format!("/facilitate/{code}#key={key}"),
            "join": format!("/join/{code}"),
            "screen": format!("/screen/{code}"),
        }
    })
}

fn item_set_response(title: &str, agenda: &Agenda) -> Response {
    let mut response = Json(item_set(title, agenda)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    response
}

async fn export_items(
    State(app): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let handle = auth::session_for(&app, &code, &headers, Need::Read).await?;
    let (title, agenda) = handle.agenda().await?;
    Ok(item_set_response(&title, &agenda))
}

async fn import_items(
    State(app): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let handle = auth::session_for(&app, &code, &headers, Need::Drive).await?;
    let set: ItemSetInput = read_json(&body)?;
    if let Some(format) = &set.format {
        if format != crate::domain::item::ITEM_SET_FORMAT {
            return Err(ApiError::invalid(format!("format: expected \"samsyn-items\", found {format:?}")));
        }
    }
    let (title, current) = handle.agenda().await?;
    let agenda = agenda_from_input(set.items, &current.scales).map_err(|e| ApiError::invalid(e.to_string()))?;
    handle.command(Actor::Facilitator, Command::SetAgenda(agenda.clone())).await?;
    Ok(item_set_response(&title, &agenda))
}

async fn join_qr(
    State(app): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let handle = app.registry.get(&code).await?;
    // A console opened on localhost gets a QR code with the LAN address, which phones can open.
    let base = super::network::link_base(&app, &headers);
    let url = format!("{base}/join/{}", handle.code());
    let qr = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| ApiError::new(Code::BadMessage, format!("cannot encode {url:?}: {e}")))?;
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "no-cache")], svg).into_response())
}
