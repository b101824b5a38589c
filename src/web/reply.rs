//! How the HTTP side answers: the error form `{code, message}` with the status its code carries,
//! JSON bodies read with the place where reading stopped, and the small pieces every route shares. A
//! leaf of `web`: every route module uses it, it uses none of them.

use crate::accounts::AccountError;
use crate::live::LiveError;
use crate::protocol::Code;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

/// An HTTP error with a stable code, the same codes as the WebSocket uses; the status follows the code.
pub struct ApiError {
    code: Code,
    message: String,
}

impl ApiError {
    pub(super) fn new(code: Code, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into() }
    }

    pub(super) fn internal(message: impl Into<String>) -> Self {
        ApiError::new(Code::Internal, message)
    }

    pub(super) fn invalid(message: impl Into<String>) -> Self {
        ApiError::new(Code::InvalidItems, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, Json(json!({ "code": self.code, "message": self.message }))).into_response();
        // For the layers around the routes (web::guard counts failed guesses), without reading the body.
        response.extensions_mut().insert(self.code);
        response
    }
}

impl From<LiveError> for ApiError {
    fn from(error: LiveError) -> Self {
        if let LiveError::NotStored | LiveError::Store(_) | LiveError::Closed = &error {
            tracing::error!(%error, "request failed");
        }
        ApiError::new(error.code(), error.to_string())
    }
}

/// Reads a JSON body; on failure the message names the path where reading stopped, e.g. `items[2].options`.
pub(super) fn read_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut reader = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut reader).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        let message = if path == "." { format!("{inner}") } else { format!("{path}: {inner}") };
        ApiError::new(Code::BadMessage, format!("could not read the request: {message}"))
    })
}

pub(super) type ApiResult<T> = Result<T, ApiError>;

impl From<AccountError> for ApiError {
    fn from(error: AccountError) -> Self {
        match error {
            AccountError::Field { .. } | AccountError::EmailTaken => {
                ApiError::new(Code::InvalidField, error.to_string())
            }
            AccountError::Store(store) => LiveError::Store(store).into(),
        }
    }
}

/// An answer no cache may keep: it is about who asks, or changes from one moment to the next.
pub(super) fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A catalogue, session or occasion made for one organisation: `?organisation=` picks which, when the
/// member has several.
#[derive(Deserialize)]
pub(super) struct ForOrganisation {
    pub organisation: Option<String>,
}
