//! The HTTP and WebSocket edge: routes, JSON bodies, the socket loop and the static frontend.
//! The only module that knows axum; it turns wire messages into domain commands and back.

mod account;
mod api;
pub mod assets;
pub mod auth;
mod catalogues;
mod conn;
mod export;
mod fanout;
pub mod frame;
mod guard;
mod keys;
pub mod limits;
mod network;
mod newcomers;
pub mod oidc;
mod organisation;
mod reply;
mod roadmap;
mod serve;
mod socket;
mod trend;

pub use serve::serve;

use crate::domain::Catalogue;
use crate::live::Registry;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;
use tokio::sync::watch;

/// What every handler needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub registry: Arc<Registry>,
    /// The catalogues built into the binary. Imported ones are read from the store when asked for, so
    /// every node of several sees one imported on another.
    pub built_in: Arc<Vec<Catalogue>>,
    /// Base of absolute links (QR codes), e.g. `https://samsyn.example.se`; taken from the Host header when unset.
    pub public_url: Option<String>,
    pub limits: Arc<limits::Limits>,
    /// How often sockets are pinged; one silent for three intervals is dropped.
    pub ping_interval: std::time::Duration,
    /// Flips to `true` when the server shuts down; sockets then close cleanly.
    pub shutdown: watch::Receiver<bool>,
    /// Held by every open socket; at shutdown the server waits until all are dropped, so each socket has
    /// sent its close frame before the process exits.
    pub sockets: tokio::sync::mpsc::Sender<()>,
    /// The sockets following each session's state frames on this node.
    pub fanouts: Arc<fanout::Fanouts>,
    /// The screen page's `Content-Security-Policy`: it names the origins that may frame the screen
    /// (`--frame-ancestors`); every other page may be framed by none.
    pub screen_policy: axum::http::HeaderValue,
    /// The address the server listens on: tells the console whether phones can reach it (see `network`).
    pub listen: std::net::SocketAddr,
    /// Sign-in: whether anonymous creation is allowed, and the throttle of wrong passwords.
    pub accounts: Arc<auth::Accounts>,
    /// The OpenID Connect provider staff may sign in with (`--oidc-issuer`), if any.
    pub oidc: Option<Arc<oidc::Oidc>>,
}

impl AppState {
    /// Milliseconds since the Unix epoch, from the clock the sessions use.
    pub fn now(&self) -> i64 {
        self.registry.now()
    }
}

/// The whole router, separate from serving so tests can build it.
pub fn router(state: AppState) -> Router {
    let guard = axum::middleware::from_fn_with_state(state.clone(), guard::same_site_changes);
    let guessing = axum::middleware::from_fn_with_state(state.clone(), guard::guessing);
    let creation_rate = axum::middleware::from_fn_with_state(state.clone(), guard::creation_rate);
    Router::new()
        .route("/healthz", get(api::healthz))
        .route(
            "/metrics",
            get(|| async {
                ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], crate::metrics::METRICS.render())
            }),
        )
        .route("/ws", get(socket::upgrade))
        .nest(
            "/api",
            api::routes()
                .merge(export::routes())
                .merge(account::routes())
                .merge(oidc::routes())
                .merge(organisation::routes())
                .merge(keys::routes())
                .merge(trend::routes())
                .merge(roadmap::routes())
                .merge(catalogues::routes())
                .layer(guessing)
                .layer(creation_rate)
                .layer(guard),
        )
        .merge(assets::routes())
        .layer(axum::middleware::map_response(no_sniffing))
        .with_state(state)
}

/// Every answer is read as the type it declares, never guessed from its bytes: a JSON error or an
/// SVG cannot become a script or a page in a browser that sniffs.
async fn no_sniffing(mut response: axum::response::Response) -> axum::response::Response {
    forbid_sniffing(response.headers_mut());
    response
}

/// Sets `X-Content-Type-Options: nosniff`; the router does it for every answer it gives, and
/// src/web/serve.rs for those it gives before the router runs.
pub(crate) fn forbid_sniffing(headers: &mut axum::http::HeaderMap) {
    headers.insert(axum::http::header::X_CONTENT_TYPE_OPTIONS, axum::http::HeaderValue::from_static("nosniff"));
}
