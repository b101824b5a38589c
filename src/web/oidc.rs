//! OpenID Connect sign-in for staff through the organisation's identity provider (Entra ID, Keycloak, …):
//! `GET /api/oidc/start` sends the browser to the provider with PKCE (S256), a `state` and a `nonce`;
//! `GET /api/oidc/callback` exchanges the code, checks the ID token (signature by the provider's keys,
//! issuer, audience, expiry, nonce) with the `openidconnect` crate, finds or creates the account by
//! (issuer, subject), and signs the browser in with the same cookie as a password does.
//!
//! The sign-in under way is kept in the store (its `state` hashed, used once, ten minutes at most), so the
//! provider may send the browser back to any node; the browser that started it must be the one that comes
//! back, which a short-lived cookie holding the `state` shows. Whatever goes wrong ends on the start page
//! with `?signin_error=<reason>` (docs/protocol.md §2a), and the server's log says why in full.

use super::auth::{self, same_secret};
use super::reply::ApiError;
use super::AppState;
use crate::accounts::{checked_email, checked_name};
use crate::config::Config;
use crate::live::LiveError;
use crate::store::{Account, OidcLogin, StoreError};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreIdTokenClaims, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, TokenResponse,
};
use serde::Deserialize;
use std::time::{Duration, Instant};

/// The cookie that ties a sign-in under way to the browser that started it.
const STATE_COOKIE: &str = "samsyn_oidc";
/// How long a person may take at the provider before the sign-in must start again.
const LOGIN_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// The provider's discovery document (and its keys) is read again after this long, so rotated keys are
/// found; if the provider does not answer then, the document read before keeps being used.
const METADATA_LIFETIME: Duration = Duration::from_secs(3600);
/// How long a request to the provider may take.
const PROVIDER_TIMEOUT: Duration = Duration::from_secs(10);

/// The OpenID provider this server signs staff in with (`--oidc-*`).
pub struct Oidc {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    /// Shown on the sign-in button.
    pub name: String,
    /// The organisation the first person gets on a server with no accounts.
    organisation: String,
    http: reqwest::Client,
    metadata: tokio::sync::Mutex<Option<(CoreProviderMetadata, Instant)>>,
}

/// Why a sign-in was refused: the `signin_error` the start page shows a sentence for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The provider could not be reached, or its discovery document was not usable.
    ProviderUnreachable,
    /// The provider sent the person back with an error (they cancelled, or are not allowed).
    ProviderRefused,
    /// The sign-in link was used already, is older than ten minutes, or was started in another browser.
    Expired,
    /// The provider refused the code: it expired, or was used already.
    CodeRefused,
    /// The ID token was issued to another application than this server's client id.
    WrongAudience,
    /// The ID token failed another check (signature, issuer, expiry, nonce).
    InvalidToken,
}

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::ProviderUnreachable => "provider_unreachable",
            Refusal::ProviderRefused => "provider_refused",
            Refusal::Expired => "expired",
            Refusal::CodeRefused => "code_refused",
            Refusal::WrongAudience => "wrong_audience",
            Refusal::InvalidToken => "invalid_token",
        }
    }
}

impl Oidc {
    /// The provider of `--oidc-issuer`, if set. Reads nothing from the network yet.
    pub fn from_config(config: &Config) -> anyhow::Result<Option<Oidc>> {
        let (Some(issuer), Some(client_id)) = (&config.oidc_issuer, &config.oidc_client_id) else { return Ok(None) };
        let issuer = IssuerUrl::new(issuer.trim().trim_end_matches('/').to_string())
            .map_err(|e| anyhow::anyhow!("--oidc-issuer {issuer:?} is not a URL: {e}"))?;
        let http = reqwest::Client::builder()
            // The provider's answers are read where they are; following redirects would let a changed
            // document send this server's requests elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(PROVIDER_TIMEOUT)
            .build()?;
        Ok(Some(Oidc {
            issuer,
            client_id: ClientId::new(client_id.trim().to_string()),
            client_secret: config.oidc_client_secret.clone().filter(|s| !s.is_empty()).map(ClientSecret::new),
            name: config.oidc_name.clone(),
            organisation: config.oidc_organisation.clone(),
            http,
            metadata: tokio::sync::Mutex::new(None),
        }))
    }

    /// The provider's discovery document: read on first use and again after an hour, so a provider that
    /// is slow or down when the server starts does not keep workshops from starting.
    async fn metadata(&self) -> Result<CoreProviderMetadata, String> {
        let mut cached = self.metadata.lock().await;
        if let Some((metadata, read)) = cached.as_ref() {
            if read.elapsed() < METADATA_LIFETIME {
                return Ok(metadata.clone());
            }
        }
        match CoreProviderMetadata::discover_async(self.issuer.clone(), &self.http).await {
            Ok(metadata) => {
                *cached = Some((metadata.clone(), Instant::now()));
                Ok(metadata)
            }
            Err(error) => {
                let error = format!("discovery at {} failed: {}", self.issuer.as_str(), chain(&error));
                match cached.as_ref() {
                    Some((metadata, _)) => {
                        tracing::warn!(%error, "OpenID provider: using the discovery document read before");
                        Ok(metadata.clone())
                    }
                    None => Err(error),
                }
            }
        }
    }

    /// Reads the discovery document once at startup, only to tell the operator early if it fails.
    pub async fn warm_up(&self) {
        if let Err(error) = self.metadata().await {
            tracing::warn!(%error, "OpenID provider not reachable yet; sign-in will try again when used");
        }
    }

    fn client(
        &self,
        metadata: CoreProviderMetadata,
        redirect: &str,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        String,
    > {
        let redirect = RedirectUrl::new(redirect.to_string()).map_err(|e| format!("redirect URI {redirect}: {e}"))?;
        Ok(CoreClient::from_provider_metadata(metadata, self.client_id.clone(), self.client_secret.clone())
            .set_redirect_uri(redirect))
    }
}

/// An error and its causes on one line, for the log.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/oidc/start", get(start)).route("/oidc/callback", get(callback))
}

/// Where the provider sends the browser back: `{--public-url or this request's host}/api/oidc/callback`.
fn redirect_uri(app: &AppState, headers: &HeaderMap) -> String {
    let base = match &app.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            let host =
                if host.chars().all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c)) { host } else { "localhost" };
            format!("http://{host}")
        }
    };
    format!("{base}/api/oidc/callback")
}

/// `next` if it is a path on this site (`/…`, never `//…` or `/\…`, which browsers read as another site),
/// else the start page.
pub fn same_site_path(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && path.len() <= 2000
                && !path.chars().any(|c| c.is_control() || c == '\\') =>
        {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

fn redirect(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    headers.insert(header::LOCATION, HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/")));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Back to the start page with the reason; the log keeps the details.
fn refused(refusal: Refusal, detail: &str) -> Response {
    tracing::warn!(reason = refusal.as_str(), detail, "OpenID Connect sign-in refused");
    let mut response = redirect(&format!("/?signin_error={}", refusal.as_str()));
    response.headers_mut().insert(header::SET_COOKIE, state_cookie(None, false));
    response
}

fn state_cookie(state: Option<&str>, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = match state {
        Some(state) => format!(
            "{STATE_COOKIE}={state}; Path=/api/oidc; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
            LOGIN_LIFETIME.as_secs()
        ),
        None => format!("{STATE_COOKIE}=; Path=/api/oidc; HttpOnly; SameSite=Lax; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&cookie).expect("a plain cookie")
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    let values = headers.get_all(header::COOKIE).into_iter().filter_map(|v| v.to_str().ok());
    let pairs = values.flat_map(|v| v.split(';')).filter_map(|pair| pair.trim().split_once('='));
    pairs.filter(|(n, _)| *n == name).map(|(_, value)| value.trim().to_string()).find(|v| !v.is_empty())
}

/// Without `--oidc-issuer` the two routes are not there, as any unknown path.
fn not_configured() -> Response {
    (StatusCode::NOT_FOUND, "not found: OpenID Connect sign-in is not set up on this server (--oidc-issuer)")
        .into_response()
}

#[derive(Deserialize)]
struct Start {
    next: Option<String>,
}

/// `GET /api/oidc/start?next=/…`: to the provider's sign-in page.
async fn start(State(app): State<AppState>, headers: HeaderMap, Query(query): Query<Start>) -> Response {
    let Some(oidc) = app.oidc.as_deref() else { return not_configured() };
    let metadata = match oidc.metadata().await {
        Ok(metadata) => metadata,
        Err(error) => return refused(Refusal::ProviderUnreachable, &error),
    };
    let client = match oidc.client(metadata, &redirect_uri(&app, &headers)) {
        Ok(client) => client,
        Err(error) => return refused(Refusal::ProviderUnreachable, &error),
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let now = app.now();
    let login = OidcLogin {
        nonce: nonce.secret().clone(),
        pkce_verifier: verifier.secret().clone(),
        next: same_site_path(query.next.as_deref()),
        created_at: now,
        expires_at: now + LOGIN_LIFETIME.as_millis() as i64,
    };
    if let Err(error) = app.registry.store().create_oidc_login(&auth::token_hash(state.secret()), &login).await {
        return ApiError::from(LiveError::Store(error)).into_response();
    }
    let mut response = redirect(url.as_str());
    response.headers_mut().insert(header::SET_COOKIE, state_cookie(Some(state.secret()), app.accounts.secure_cookies));
    response
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `GET /api/oidc/callback?code=…&state=…`: the provider sends the browser back here.
async fn callback(State(app): State<AppState>, headers: HeaderMap, Query(query): Query<Callback>) -> Response {
    let Some(oidc) = app.oidc.as_deref() else { return not_configured() };
    let store = app.registry.store();
    // The sign-in under way: used up now, whatever happens next.
    let state = query.state.unwrap_or_default();
    let login = match store.take_oidc_login(&auth::token_hash(&state), app.now()).await {
        Ok(login) => login,
        Err(error) => return ApiError::from(LiveError::Store(error)).into_response(),
    };
    if let Some(error) = query.error {
        let description = query.error_description.unwrap_or_default();
        return refused(Refusal::ProviderRefused, &format!("the provider answered {error}: {description}"));
    }
    let Some(login) = login else {
        return refused(Refusal::Expired, "no sign-in under way with this state: used already, or too old");
    };
    if !cookie(&headers, STATE_COOKIE).is_some_and(|cookie| same_secret(&cookie, &state)) {
        return refused(Refusal::Expired, "the browser that came back is not the one that started the sign-in");
    }
    let Some(code) = query.code.filter(|code| !code.is_empty()) else {
        return refused(Refusal::ProviderRefused, "the provider sent no code");
    };
    let claims = match exchange(oidc, &redirect_uri(&app, &headers), code, login.pkce_verifier, login.nonce).await {
        Ok(claims) => claims,
        Err((refusal, detail)) => return refused(refusal, &detail),
    };
    let account = match account_for(&app, oidc, claims).await {
        Ok(account) => account,
        Err(error) => return error.into_response(),
    };
    match super::account::new_sign_in(&app, &account.id).await {
        Ok((cookie, _)) => {
            let mut response = redirect(&login.next);
            let headers = response.headers_mut();
            headers.append(header::SET_COOKIE, cookie);
            headers.append(header::SET_COOKIE, state_cookie(None, app.accounts.secure_cookies));
            response
        }
        Err(error) => error.into_response(),
    }
}

/// Who the provider says signed in: the least Samsyn keeps of them.
struct Identity {
    issuer: String,
    subject: String,
    /// From `name`, else `preferred_username`.
    name: Option<String>,
    /// Only an email the provider has verified (`email_verified: true`).
    email: Option<String>,
}

/// The name and verified email among the standard claims of an ID token or of the userinfo endpoint's
/// answer (two types with the same accessors).
macro_rules! profile {
    ($claims:expr) => {{
        let claims = $claims;
        let name = claims
            .name()
            .and_then(|name| name.get(None))
            .map(|name| name.as_str().to_string())
            .or_else(|| claims.preferred_username().map(|name| name.as_str().to_string()))
            .and_then(|name| checked_name(&name, "name").ok());
        let email = claims
            .email()
            .filter(|_| claims.email_verified() == Some(true))
            .and_then(|email| checked_email(email.as_str()).ok());
        (name, email)
    }};
}

/// Exchanges the code (with the PKCE verifier), checks the ID token it brings, and reads the person's
/// name and email from it, or from the userinfo endpoint when the ID token carries only the subject (as
/// some providers do for claims asked for by scope).
async fn exchange(
    oidc: &Oidc,
    redirect: &str,
    code: String,
    verifier: String,
    nonce: String,
) -> Result<Identity, (Refusal, String)> {
    let metadata = oidc.metadata().await.map_err(|e| (Refusal::ProviderUnreachable, e))?;
    let client = oidc.client(metadata, redirect).map_err(|e| (Refusal::ProviderUnreachable, e))?;
    let request = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| (Refusal::ProviderUnreachable, format!("the provider names no token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(verifier));
    let tokens = request.request_async(&oidc.http).await.map_err(|error| match &error {
        RequestTokenError::ServerResponse(answer) => {
            let description = answer.error_description().cloned().unwrap_or_default();
            (Refusal::CodeRefused, format!("the token endpoint refused the code: {}: {description}", answer.error()))
        }
        RequestTokenError::Request(_) => (Refusal::ProviderUnreachable, format!("token endpoint: {}", chain(&error))),
        _ => (Refusal::InvalidToken, format!("token endpoint: {}", chain(&error))),
    })?;
    let id_token = tokens.id_token().ok_or((Refusal::InvalidToken, "the provider sent no ID token".to_string()))?;
    let verifier = client.id_token_verifier();
    let claims: &CoreIdTokenClaims = id_token.claims(&verifier, &Nonce::new(nonce)).map_err(|error| {
        let detail = format!("the ID token was refused: {}", chain(&error));
        match error {
            ClaimsVerificationError::InvalidAudience(_) => (
                Refusal::WrongAudience,
                format!("{detail} (this server's client id is {:?}; check --oidc-client-id)", oidc.client_id.as_str()),
            ),
            _ => (Refusal::InvalidToken, detail),
        }
    })?;
    let (mut name, mut email) = profile!(claims);
    if name.is_none() && email.is_none() {
        if let Ok(request) = client.user_info(tokens.access_token().clone(), Some(claims.subject().clone())) {
            let answer: Result<CoreUserInfoClaims, _> = request.request_async(&oidc.http).await;
            match answer {
                Ok(info) => (name, email) = profile!(&info),
                Err(error) => tracing::warn!(error = %chain(&error), "OpenID provider: userinfo could not be read"),
            }
        }
    }
    Ok(Identity {
        issuer: claims.issuer().as_str().to_string(),
        subject: claims.subject().as_str().to_string(),
        name,
        email,
    })
}

/// The account of the person the provider named, made on their first sign-in. On a server with no
/// accounts yet it becomes the administrator of a new organisation (`--oidc-organisation`).
async fn account_for(app: &AppState, oidc: &Oidc, who: Identity) -> Result<Account, ApiError> {
    let store = app.registry.store();
    let (issuer, subject) = (who.issuer.as_str(), who.subject.as_str());
    let store_error = |error: StoreError| ApiError::from(LiveError::Store(error));
    if let Some(account) = store.account_by_oidc(issuer, subject).await.map_err(store_error)? {
        return Ok(account);
    }
    // Without a name from the provider, the subject stands in until the person is renamed.
    let name = who.name.or_else(|| checked_name(subject, "name").ok()).unwrap_or_else(|| "OpenID".into());
    let mut account = Account {
        id: uuid::Uuid::new_v4().to_string(),
        name,
        email: who.email,
        password_hash: None,
        created_at: app.now(),
    };
    let _one_at_a_time = app.accounts.setup.lock().await;
    let first = store.account_count().await.map_err(store_error)? == 0;
    let created = match store.create_oidc_account(&account, issuer, subject).await {
        Err(StoreError::EmailTaken) => {
            // Either this person signed in twice at once, or another account has the email: accounts are
            // never joined by email (whoever controls a provider could take a local account over so).
            if let Some(account) = store.account_by_oidc(issuer, subject).await.map_err(store_error)? {
                return Ok(account);
            }
            account.email = None;
            store.create_oidc_account(&account, issuer, subject).await
        }
        other => other,
    };
    created.map_err(store_error)?;
    if first {
        let name = checked_name(&oidc.organisation, "organisation").unwrap_or_else(|_| "Min organisation".into());
        let organisation =
            crate::store::Organisation { id: uuid::Uuid::new_v4().to_string(), name, created_at: app.now() };
        store.create_organisation(&organisation, &account.id).await.map_err(store_error)?;
        tracing::info!(organisation = %organisation.id, "first administrator signed in with OpenID Connect");
    } else {
        tracing::info!(account = %account.id, "new account signed in with OpenID Connect");
    }
    Ok(account)
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn only_paths_of_this_site_are_followed_after_sign_in() {
        assert_eq!(same_site_path(Some("/organisation?id=1")), "/organisation?id=1");
        assert_eq!(same_site_path(Some("/")), "/");
        for elsewhere in ["//evil.example/", "/\\evil.example", "https://evil.example/", "evil", "/a\nb", "/a\\b", ""] {
            assert_eq!(same_site_path(Some(elsewhere)), "/", "{elsewhere:?}");
        }
        assert_eq!(same_site_path(None), "/");
    }
}
