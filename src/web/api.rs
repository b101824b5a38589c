//! REST endpoints: catalogues, creating sessions, the join QR code, health. Errors answer as `{code, message}`.

use super::AppState;
use crate::domain::SessionSpec;
use crate::live::LiveError;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

/// Largest request body (64 KiB): a session request is a few hundred bytes.
const MAX_BODY_BYTES: usize = 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/catalogues", get(list_catalogues))
        .route("/catalogues/{id}", get(catalogue))
        .route("/sessions", post(create_session))
        .route("/sessions/{code}/qr.svg", get(join_qr))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
}

/// An HTTP error with a stable code, the same codes as the WebSocket uses.
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({ "code": self.code, "message": self.message })),
        )
            .into_response()
    }
}

impl From<LiveError> for ApiError {
    fn from(error: LiveError) -> Self {
        let status = match &error {
            LiveError::UnknownSession => StatusCode::NOT_FOUND,
            LiveError::WrongKey => StatusCode::FORBIDDEN,
            LiveError::Domain(_) => StatusCode::BAD_REQUEST,
            LiveError::NotStored | LiveError::Store(_) | LiveError::Closed => {
                tracing::error!(%error, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        ApiError::new(status, error.code(), error.to_string())
    }
}

pub async fn healthz(State(app): State<AppState>) -> Response {
    match app.registry.store().ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(error) => (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("store unavailable: {error}"),
        )
            .into_response(),
    }
}

async fn list_catalogues(State(app): State<AppState>) -> Response {
    let list: Vec<_> = app
        .catalogues
        .iter()
        .map(|c| json!({ "id": c.id, "version": c.version, "title": c.title, "indicators": c.indicator_count() }))
        .collect();
    Json(list).into_response()
}

async fn catalogue(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let found = app.catalogues.iter().find(|c| c.id == id);
    let catalogue = found.ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_catalogue",
            format!("no catalogue {id:?}"),
        )
    })?;
    Ok(Json(catalogue).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewSession {
    catalogue: String,
    #[serde(default)]
    title: String,
}

async fn create_session(State(app): State<AppState>, body: Bytes) -> Result<Response, ApiError> {
    let request: NewSession = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad_message",
            format!("could not read the request: {e}"),
        )
    })?;
    let catalogue = app
        .catalogues
        .iter()
        .find(|c| c.id == request.catalogue)
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_catalogue",
                format!("no catalogue {:?}", request.catalogue),
            )
        })?;
    let spec = SessionSpec::workshop(catalogue, &request.title).map_err(LiveError::from)?;
    let created = app.registry.create(spec).await?;
    tracing::info!(session = %created.code, "session created");
    let code = &created.code;
    let body = json!({
        "code": code,
        "facilitator_key": created.facilitator_key,
        "links": {
            "facilitator": format!("/facilitate/{code}#key={}", created.facilitator_key),
            "join": format!("/join/{code}"),
            "screen": format!("/screen/{code}"),
        }
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

async fn join_qr(
    State(app): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let handle = app.registry.get(&code).await?;
    let base = match &app.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}")
        }
    };
    let url = format!("{base}/join/{}", handle.code());
    let qr = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_message",
                format!("cannot encode {url:?}: {e}"),
            )
        })?;
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        svg,
    )
        .into_response())
}
