//! The built frontend (frontend/dist), embedded in the binary so one file serves everything.

use super::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "frontend/dist/"]
struct Dist;

/// No other host is ever contacted; the socket is same-origin.
const CSP: &str = "default-src 'self'; img-src 'self' data:; connect-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

/// The screen page's policy: like every page's, but the origins of `--frame-ancestors` may frame it
/// (slides, Teams). Only the screen: it is read-only and holds no secret.
fn screen_csp(frame_ancestors: &[String]) -> String {
    if frame_ancestors.is_empty() {
        return CSP.to_string();
    }
    CSP.replace("frame-ancestors 'none'", &format!("frame-ancestors 'self' {}", frame_ancestors.join(" ")))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| page("index.html")))
        .route("/join", get(|| page("join.html")))
        .route("/join/{code}", get(|| page("join.html")))
        .route("/screen/{code}", get(screen_page))
        .route("/facilitate/{code}", get(|| page("facilitate.html")))
        .route("/organisation", get(|| page("organisation.html")))
        .route("/organisations/{id}", get(|| page("organisation.html")))
        .route("/invite/{token}", get(|| page("invite.html")))
        .route("/assets/{*path}", get(asset))
        .fallback(|| async { (StatusCode::NOT_FOUND, "not found") })
}

/// The `Content-Security-Policy` of the screen page, for [`AppState::screen_policy`].
pub fn screen_policy(frame_ancestors: &[String]) -> HeaderValue {
    HeaderValue::from_str(&screen_csp(frame_ancestors)).unwrap_or(HeaderValue::from_static(CSP))
}

async fn page(name: &'static str) -> Response {
    page_with(name, HeaderValue::from_static(CSP))
}

async fn screen_page(State(app): State<AppState>) -> Response {
    page_with("screen.html", app.screen_policy.clone())
}

fn page_with(name: &'static str, policy: HeaderValue) -> Response {
    let mut response = file(name, "no-cache");
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    // The facilitator's link holds the key in its fragment; browsers never send fragments, and no referrer leaves either.
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

async fn asset(Path(path): Path<String>) -> Response {
    // Asset names carry a content hash, so they never change under the same name.
    file(&format!("assets/{path}"), "public, max-age=31536000, immutable")
}

fn file(path: &str, cache: &'static str) -> Response {
    match Dist::get(path) {
        Some(content) => {
            let mime = mime_guess::from_path(path).first_or_octet_stream();
            (
                [(header::CONTENT_TYPE, mime.as_ref().to_string()), (header::CACHE_CONTROL, cache.to_string())],
                content.data,
            )
                .into_response()
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::{screen_csp, CSP};

    #[test]
    fn only_named_origins_may_frame_the_screen() {
        assert_eq!(screen_csp(&[]), CSP);
        let policy = screen_csp(&["https://teams.microsoft.com".into(), "https://*.officeapps.live.com".into()]);
        assert!(
            policy.contains("frame-ancestors 'self' https://teams.microsoft.com https://*.officeapps.live.com;"),
            "{policy}"
        );
        assert!(!policy.contains("frame-ancestors 'none'"));
        assert!(policy.starts_with("default-src 'self';"));
    }
}
