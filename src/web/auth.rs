//! Who is asking: a member of staff signed in with the session cookie, whoever holds a session's
//! facilitator key, or nobody. What each may do is `domain::access`; this module only finds out who it
//! is, checks the CSRF token of a change, and keeps sign-in attempts in check.

use super::reply::ApiError;
use super::AppState;
use crate::domain::access::{allowed, Action, Role};
use crate::live::{LiveError, SessionHandle};
use crate::protocol::Code;
use crate::store::{Account, Membership};
use axum::http::{header, HeaderMap};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The cookie that carries a signed-in browser's token.
pub const COOKIE: &str = "samsyn_session";
/// Every change made with the cookie carries the session's CSRF token in this header: a page of another
/// site can make a browser send the cookie, but cannot read the token (nor send this header without the
/// CORS preflight Samsyn never grants).
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a sign-in lasts: two weeks, so a facilitator is not signed out between preparing a workshop
/// and running it.
pub const SIGN_IN_LIFETIME: Duration = Duration::from_secs(14 * 24 * 3600);

/// Settings and state of sign-in, shared by every handler.
pub struct Accounts {
    /// `--allow-anonymous`: anyone may create sessions and import, as before organisations.
    pub allow_anonymous: bool,
    /// Cookies get `Secure` when the public URL is https.
    pub secure_cookies: bool,
    pub throttle: SignInThrottle,
    /// One first administrator, even when two browsers ask at once.
    pub setup: tokio::sync::Mutex<()>,
}

impl Accounts {
    pub fn new(allow_anonymous: bool, public_url: Option<&str>) -> Self {
        Accounts {
            allow_anonymous,
            secure_cookies: public_url.is_some_and(|url| url.starts_with("https://")),
            throttle: SignInThrottle::default(),
            setup: tokio::sync::Mutex::new(()),
        }
    }
}

/// A signed-in member of staff, found by the cookie.
pub struct SignedIn {
    pub account: Account,
    pub memberships: Vec<Membership>,
    pub csrf_token: String,
    pub token_hash: String,
}

impl SignedIn {
    pub fn role_in(&self, organisation: &str) -> Option<Role> {
        self.memberships.iter().find(|m| m.organisation.id == organisation).map(|m| m.role)
    }

    pub fn may(&self, organisation: &str, action: Action) -> bool {
        allowed(self.role_in(organisation), action)
    }
}

/// The stored form of a cookie's token: its SHA-256 in hex. A stolen copy of the database signs no one in.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The sign-in token from the `Cookie` headers, if any.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    let values = headers.get_all(header::COOKIE).into_iter().filter_map(|v| v.to_str().ok());
    let pairs = values.flat_map(|v| v.split(';')).filter_map(|pair| pair.trim().split_once('='));
    pairs.filter(|(name, _)| *name == COOKIE).map(|(_, value)| value.trim().to_string()).find(|v| !v.is_empty())
}

/// Compares two secrets in time that does not depend on where they differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The member behind a cookie token, with their organisations, if the sign-in is still valid.
pub async fn signed_in_by_token(app: &AppState, token: &str) -> Result<Option<SignedIn>, LiveError> {
    let store = app.registry.store();
    let hash = token_hash(token);
    let Some(web) = store.web_session(&hash, app.now()).await? else { return Ok(None) };
    let memberships = store.memberships(&web.account.id).await?;
    Ok(Some(SignedIn { account: web.account, memberships, csrf_token: web.csrf_token, token_hash: hash }))
}

/// The signed-in member making this request, if any.
pub async fn signed_in(app: &AppState, headers: &HeaderMap) -> Result<Option<SignedIn>, ApiError> {
    match cookie_token(headers) {
        Some(token) => Ok(signed_in_by_token(app, &token).await?),
        None => Ok(None),
    }
}

/// The signed-in member making a change: the cookie must come with the CSRF token.
pub async fn changing(app: &AppState, headers: &HeaderMap) -> Result<Option<SignedIn>, ApiError> {
    let Some(who) = signed_in(app, headers).await? else { return Ok(None) };
    let sent = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !same_secret(sent, &who.csrf_token) {
        let message = "a change made while signed in must carry the X-CSRF-Token header that /api/me gives";
        return Err(ApiError::new(Code::Forbidden, message));
    }
    Ok(Some(who))
}

/// The signed-in member allowed `action` in organisation `id`, for the organisation's own routes; a
/// change (`change`) must also carry the CSRF token.
pub async fn member(
    app: &AppState,
    headers: &HeaderMap,
    id: &str,
    action: Action,
    change: bool,
) -> Result<SignedIn, ApiError> {
    let who = if change { changing(app, headers).await? } else { signed_in(app, headers).await? };
    let Some(who) = who else {
        return Err(ApiError::new(Code::Unauthorized, "sign in as a member of the organisation"));
    };
    if who.role_in(id).is_none() {
        return Err(ApiError::new(Code::Forbidden, "you are not a member of that organisation"));
    }
    if !who.may(id, action) {
        return Err(ApiError::new(Code::Forbidden, "your role in the organisation does not let you do this"));
    }
    Ok(who)
}

/// The organisation a new session, catalogue or occasion belongs to: the one asked for, else the first
/// where the member may do `action`. `None` makes it anonymous, which only `--allow-anonymous` allows.
pub async fn owner_for_new(
    app: &AppState,
    headers: &HeaderMap,
    asked: Option<&str>,
    action: Action,
) -> Result<Option<String>, ApiError> {
    let Some(who) = changing(app, headers).await? else {
        if app.accounts.allow_anonymous {
            return Ok(None);
        }
        let message =
            "sign in as a member of staff to create sessions or import (or start the server with --allow-anonymous)";
        return Err(ApiError::new(Code::Unauthorized, message));
    };
    let organisation = match asked {
        Some(id) => id.to_string(),
        None => who
            .memberships
            .iter()
            .find(|m| allowed(Some(m.role), action))
            .map(|m| m.organisation.id.clone())
            .ok_or_else(|| ApiError::new(Code::Forbidden, "none of your organisations lets you do this"))?,
    };
    if !who.may(&organisation, action) {
        return Err(ApiError::new(Code::Forbidden, "your role in that organisation does not let you do this"));
    }
    Ok(Some(organisation))
}

/// What a request wants to do with one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Its results, exports and item set.
    Read,
    /// Change it or delete it.
    Drive,
    /// Read what only those who run it see (the room word for the screen): a read, so no CSRF token,
    /// but by someone who may run it.
    Present,
}

/// The session behind `code`, for whoever holds its key (`Authorization: Bearer …`) or is a member of its
/// organisation whose role allows `need` (a change also needs the CSRF token).
pub async fn session_for(
    app: &AppState,
    code: &str,
    headers: &HeaderMap,
    need: Need,
) -> Result<SessionHandle, ApiError> {
    let handle = app.registry.get(code).await?;
    let key = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    if let Some(key) = key {
        return if handle.is_facilitator_key(key.trim()) { Ok(handle) } else { Err(LiveError::WrongKey.into()) };
    }
    let Some(organisation) = handle.organisation() else { return Err(LiveError::WrongKey.into()) };
    let who = match need {
        Need::Read | Need::Present => signed_in(app, headers).await?,
        Need::Drive => changing(app, headers).await?,
    };
    let action = match need {
        Need::Read => Action::ReadResults,
        Need::Drive | Need::Present => Action::RunSession,
    };
    match who {
        Some(who) if who.may(organisation, action) => Ok(handle),
        Some(_) => {
            Err(ApiError::new(Code::Forbidden, "your role in the session's organisation does not let you do this"))
        }
        None => Err(LiveError::NotSignedIn.into()),
    }
}

/// Whether the member behind a WebSocket's cookie token may open the console of `handle`'s session;
/// their account if so.
pub async fn may_drive(app: &AppState, handle: &SessionHandle, token: Option<&str>) -> Result<Account, LiveError> {
    let (Some(organisation), Some(token)) = (handle.organisation(), token) else {
        return Err(if handle.organisation().is_some() { LiveError::NotSignedIn } else { LiveError::WrongKey });
    };
    match signed_in_by_token(app, token).await? {
        Some(who) if who.may(organisation, Action::RunSession) => Ok(who.account),
        Some(_) => Err(LiveError::WrongKey),
        None => Err(LiveError::NotSignedIn),
    }
}

/// Who runs a console opened with the key: its holder, when they are also signed in as a member of the
/// session's organisation; else none (a delegate).
pub async fn member_account(app: &AppState, handle: &SessionHandle, token: Option<&str>) -> Option<Account> {
    let (organisation, token) = (handle.organisation()?, token?);
    let who = signed_in_by_token(app, token).await.ok()??;
    who.role_in(organisation).map(|_| who.account)
}

/// Failed sign-ins per email and per address. A few mistakes cost nothing; after that each try waits
/// a little longer (doubling up to a minute), so guessing is slow, yet the right password is never
/// kept out for more than a minute, and a colleague behind the same address is not locked out by one
/// person's typos.
#[derive(Default)]
pub struct SignInThrottle {
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

/// Free failed tries per email before waiting starts; per address, more (a whole office may share one).
const FREE_PER_EMAIL: u32 = 5;
const FREE_PER_ADDRESS: u32 = 20;
const LONGEST_WAIT: Duration = Duration::from_secs(60);
/// Failures older than this are forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(15 * 60);

impl SignInThrottle {
    fn keys(email: &str, ip: IpAddr) -> [(String, u32); 2] {
        [(format!("email {email}"), FREE_PER_EMAIL), (format!("address {ip}"), FREE_PER_ADDRESS)]
    }

    /// How long the caller must still wait before trying again, if at all.
    pub fn wait(&self, email: &str, ip: IpAddr, now: Instant) -> Option<Duration> {
        let failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        Self::keys(email, ip)
            .iter()
            .filter_map(|(key, free)| {
                let (count, last) = failures.get(key)?;
                let over = count.checked_sub(*free)?;
                let wait = Duration::from_secs(1u64 << over.min(6)).min(LONGEST_WAIT);
                (*last + wait).checked_duration_since(now).filter(|left| !left.is_zero())
            })
            .max()
    }

    pub fn failed(&self, email: &str, ip: IpAddr, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if failures.len() > 10_000 {
            failures.retain(|_, (_, last)| now.duration_since(*last) < FORGET_AFTER);
        }
        for (key, _) in Self::keys(email, ip) {
            let entry = failures.entry(key).or_insert((0, now));
            if now.duration_since(entry.1) >= FORGET_AFTER {
                entry.0 = 0;
            }
            *entry = (entry.0 + 1, now);
        }
    }

    /// The right password clears the email's failures (the address keeps its own).
    pub fn succeeded(&self, email: &str) {
        self.failures.lock().unwrap_or_else(|p| p.into_inner()).remove(&format!("email {email}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, "lang=sv; samsyn_session=abc123; theme=dark".parse().unwrap());
        assert_eq!(cookie_token(&headers).as_deref(), Some("abc123"));
        let mut none = HeaderMap::new();
        none.append(header::COOKIE, "samsyn_session=; lang=sv".parse().unwrap());
        assert_eq!(cookie_token(&none), None);
    }

    #[test]
    fn five_wrong_passwords_are_free_then_waits_double_up_to_a_minute() {
        let throttle = SignInThrottle::default();
        let ip: IpAddr = "10.0.0.7".parse().unwrap();
        let start = Instant::now();
        for _ in 0..FREE_PER_EMAIL {
            assert_eq!(throttle.wait("anna@kommun.se", ip, start), None);
            throttle.failed("anna@kommun.se", ip, start);
        }
        assert_eq!(throttle.wait("anna@kommun.se", ip, start), Some(Duration::from_secs(1)));
        assert_eq!(throttle.wait("bo@kommun.se", ip, start), None, "another person at the same address");
        for _ in 0..20 {
            throttle.failed("anna@kommun.se", ip, start);
        }
        assert_eq!(throttle.wait("anna@kommun.se", ip, start), Some(LONGEST_WAIT), "never more than a minute");
        assert_eq!(throttle.wait("anna@kommun.se", ip, start + LONGEST_WAIT), None);
        assert!(throttle.wait("bo@kommun.se", ip, start).is_some(), "25 failures from one address slow it down");
        throttle.succeeded("anna@kommun.se");
        let other: IpAddr = "10.0.0.8".parse().unwrap();
        assert_eq!(throttle.wait("anna@kommun.se", other, start), None, "the right password cleared the email");
    }
}
