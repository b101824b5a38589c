//! One WebSocket connection: the handshake, then hello, then commands in and state frames out, in a single
//! `select!` loop. A connection only ever waits on itself; a slow or silent client never holds up the
//! session. State frames do not pass through this loop at all: the fan-out writes them (see `fanout`).

use super::conn::Conn;
use super::fanout::Subscription;
use super::frame::{self, Decoder, Incoming};
use super::limits::{ConnectionGuard, RateLimit, MESSAGES_PER_SECOND, MESSAGE_BURST};
use super::AppState;
use crate::domain::{Actor, Command, Event, ParticipantNo};
use crate::live::{Feed, LiveError, Outcome, SessionHandle};
use crate::metrics::{RoleGauge, METRICS};
use crate::protocol::messages::{self as wire, BallotWire, ClientMsg, Hello, Role, ServerMsg};
use crate::protocol::Code;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Duration;
use std::time::Instant;
use tungstenite::handshake::derive_accept_key;

/// A connection from which nothing (not even a pong) has arrived for this many ping intervals is gone:
/// a phone whose network died closes no socket, and would otherwise count as present for many minutes.
const SILENT_PINGS: u32 = 3;
/// A connection that has not said hello by then is closed, so idle sockets cannot pile up (30 s).
const HELLO_TIMEOUT: Duration = Duration::from_secs(30);
/// Bytes that wait longer than this to be written mean the client stopped reading: drop it.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a closing connection may take to get its close frame out.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);

/// Answers the WebSocket handshake (RFC 6455, section 4.2) and serves the connection once upgraded.
pub async fn upgrade(
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    mut request: Request,
) -> Response {
    let headers = request.headers();
    let header_text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    if !app.limits.origin_allowed(header_text(header::ORIGIN), header_text(header::HOST), app.public_url.as_deref()) {
        return (StatusCode::FORBIDDEN, "this origin may not open a Samsyn socket").into_response();
    }
    let key = match handshake_key(headers) {
        Ok(key) => key,
        // Every refusal names the version this server speaks (RFC 6455, section 4.4, asks it with 426).
        Err((status, why)) => return (status, [(header::SEC_WEBSOCKET_VERSION, "13")], why).into_response(),
    };
    let ip = app.limits.client_ip(peer.ip(), header_text(header::HeaderName::from_static("x-forwarded-for")));
    // Read at hello, and only by a console opened without a key (see `auth::may_drive`).
    let peer = Peer { ip, sign_in: super::auth::cookie_token(headers) };
    let Some(guard) = app.limits.connect(ip) else {
        return (StatusCode::TOO_MANY_REQUESTS, "too many connections from this address").into_response();
    };
    let Some(on_upgrade) = request.extensions_mut().remove::<hyper::upgrade::OnUpgrade>() else {
        return (StatusCode::UPGRADE_REQUIRED, "this connection cannot switch to WebSocket").into_response();
    };
    let deflate = deflate_offered(request.headers());
    let open = app.sockets.clone();
    tokio::spawn(serve(on_upgrade, app, peer, guard, open, deflate));
    let mut response = Response::builder()
        .status(StatusCode::SWITCHING_PROTOCOLS)
        .header(header::CONNECTION, "upgrade")
        .header(header::UPGRADE, "websocket")
        .header(header::SEC_WEBSOCKET_ACCEPT, derive_accept_key(key.as_bytes()));
    if deflate {
        response = response.header(header::SEC_WEBSOCKET_EXTENSIONS, DEFLATE_AGREED);
    }
    response.body(Body::empty()).expect("a valid response")
}

/// What the server answers to a `permessage-deflate` offer it takes: no context carried over from one
/// message to the next either way (RFC 7692, section 7.1.1), so each message is compressed on its own and
/// a connection keeps no compressor's or inflater's state between messages.
const DEFLATE_AGREED: &str = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

/// Whether the client offers `permessage-deflate` in a form the server takes: any offer whose parameters
/// it can meet (the client may not ask for a window smaller than the server's 32 KiB, as the server
/// compresses with that one; it may say how large its own is, which does not matter once there is no
/// context takeover). Offers come in the client's order of preference, in one header or several.
fn deflate_offered(headers: &HeaderMap) -> bool {
    let offers = headers.get_all(header::SEC_WEBSOCKET_EXTENSIONS).into_iter().filter_map(|v| v.to_str().ok());
    offers.flat_map(|value| value.split(',')).any(|offer| {
        let mut parts = offer.split(';').map(str::trim);
        parts.next().is_some_and(|name| name.eq_ignore_ascii_case("permessage-deflate"))
            && parts.all(|parameter| {
                let (name, value) = parameter.split_once('=').map_or((parameter, None), |(n, v)| (n, Some(v)));
                let value = value.map(|v| v.trim().trim_matches('"'));
                match name.trim().to_ascii_lowercase().as_str() {
                    "server_no_context_takeover" | "client_no_context_takeover" => value.is_none(),
                    "client_max_window_bits" => value.is_none_or(|bits| matches!(bits.parse(), Ok(8..=15u8))),
                    "server_max_window_bits" => value == Some("15"),
                    _ => false,
                }
            })
    })
}

/// The client's `Sec-WebSocket-Key` if the request is a WebSocket handshake Samsyn can answer, else why not.
fn handshake_key(headers: &HeaderMap) -> Result<HeaderValue, (StatusCode, &'static str)> {
    let has_token = |name, token: &str| {
        let values = headers.get_all(name).into_iter().filter_map(|v| v.to_str().ok());
        values.flat_map(|v| v.split(',')).any(|part| part.trim().eq_ignore_ascii_case(token))
    };
    if !has_token(header::CONNECTION, "upgrade") || !has_token(header::UPGRADE, "websocket") {
        return Err((StatusCode::BAD_REQUEST, "this address takes WebSocket connections only"));
    }
    if headers.get(header::SEC_WEBSOCKET_VERSION).is_none_or(|v| v != "13") {
        return Err((StatusCode::UPGRADE_REQUIRED, "WebSocket version 13 only"));
    }
    let key =
        headers.get(header::SEC_WEBSOCKET_KEY).ok_or((StatusCode::BAD_REQUEST, "Sec-WebSocket-Key is missing"))?;
    if !is_sixteen_bytes_in_base64(key.as_bytes()) {
        // RFC 6455, section 4.2.1: the key is a random 16-byte value, base64-encoded.
        return Err((StatusCode::BAD_REQUEST, "Sec-WebSocket-Key must be 16 bytes in base64"));
    }
    Ok(key.clone())
}

/// Whether `key` is the base64 of exactly 16 bytes (22 characters and `==`).
fn is_sixteen_bytes_in_base64(key: &[u8]) -> bool {
    // Strict decoding: padding required, and the unused bits of the last character must be zero.
    data_encoding::BASE64.decode(key).is_ok_and(|bytes| bytes.len() == 16)
}

/// Who this connection is, once it said hello.
struct Joined {
    handle: SessionHandle,
    actor: Actor,
    /// This connection's place among the sockets that get the audience's state frames.
    frames: Subscription,
    /// Who runs this console, when signed in as a member: their account id is recorded with the locks
    /// it makes (the name stays in the account, so removing the member removes it everywhere).
    member: Option<Box<crate::store::Account>>,
    /// Opened without the key, by the sign-in alone: each command checks the sign-in again.
    by_sign_in: bool,
    /// Who the session counts as present through this connection, until it ends, however it ends.
    presence: Presence,
    /// Counts the connection under its role in `/metrics` while it lives.
    _counted: RoleGauge,
}

enum Presence {
    /// Counted among the participants online.
    Participant(ParticipantNo),
    /// Listed among who has the console open, by this name.
    Console(String),
    Screen,
}

impl Drop for Joined {
    fn drop(&mut self) {
        match &self.presence {
            Presence::Participant(participant) => self.handle.leave(*participant),
            Presence::Console(name) => self.handle.console(name, false),
            Presence::Screen => {}
        }
    }
}

/// Why the loop ended: with a close frame of ours, or without one (the peer is gone or went quiet).
enum End {
    Close(u16, &'static str),
    Gone,
}

/// Where a connection comes from: the address its limits count, and the sign-in cookie's token if the
/// browser sent one with the handshake.
struct Peer {
    ip: IpAddr,
    sign_in: Option<String>,
}

/// Serves a connection once hyper has switched it to WebSocket. One task per connection, and most of
/// them wait for a long time: the arguments live in the task once, and everything below borrows them.
async fn serve(
    on_upgrade: hyper::upgrade::OnUpgrade,
    app: AppState,
    peer: Peer,
    _counted: ConnectionGuard,
    _open: tokio::sync::mpsc::Sender<()>,
    deflate: bool,
) {
    let upgraded = match on_upgrade.await {
        Ok(upgraded) => upgraded,
        Err(error) => return tracing::debug!(%error, "a WebSocket upgrade failed"),
    };
    // Always the stream `serve::serve` counted: the connection goes on with the socket itself.
    let Ok(parts) = upgraded.downcast::<super::serve::Upgraded>() else {
        return tracing::error!("an upgraded connection was not a TCP stream");
    };
    let conn = Conn::new(parts.io.into_inner(), deflate);
    talk(&conn, parts.read_buf, &app, &peer).await;
}

/// The connection's loop. `read_ahead`: bytes the client sent right after its handshake, already read
/// with it.
async fn talk(conn: &Arc<Conn>, read_ahead: bytes::Bytes, app: &AppState, peer: &Peer) {
    let mut decoder = Decoder::new(conn.deflates());
    decoder.push(&read_ahead);
    // Messages that came with the handshake are handled before waiting for more.
    let mut unhandled = !read_ahead.is_empty();
    drop(read_ahead);
    let mut rate = RateLimit::new(MESSAGES_PER_SECOND, MESSAGE_BURST);
    let mut joined: Option<Joined> = None;
    let mut shutdown = app.shutdown.clone();
    // One timer serves the pings, the hello deadline and the deadline of a write that waits: a task per
    // connection, most of them idle, keeps one timer's state instead of three.
    let started = Instant::now();
    let mut next_ping = started + app.ping_interval;
    let timer = tokio::time::sleep_until(next_ping.into());
    tokio::pin!(timer);
    let mut last_heard = started;

    let end = loop {
        if conn.is_broken() {
            break End::Gone;
        }
        if conn.session_ended() {
            // The session was stopped or restarted: the client reconnects and finds it again.
            break End::Close(frame::RESTARTING, "session restarting");
        }
        if std::mem::take(&mut unhandled) {
            if let Some(end) = take_messages(app, conn, &mut decoder, &mut joined, &mut rate, peer).await {
                break end;
            }
        }
        let pending_since = conn.pending_since();
        let hello_due = joined.is_none().then_some(started + HELLO_TIMEOUT);
        let write_due = pending_since.map(|since| since + SEND_TIMEOUT);
        let due = [Some(next_ping), hello_due, write_due].into_iter().flatten().min().unwrap_or(next_ping);
        if timer.deadline() != due.into() || timer.is_elapsed() {
            timer.as_mut().reset(due.into());
        }
        tokio::select! {
            read = conn.read_into(&mut decoder) => {
                match read {
                    Ok(0) | Err(_) => break End::Gone,
                    Ok(_) => last_heard = Instant::now(),
                }
                if let Some(end) = take_messages(app, conn, &mut decoder, &mut joined, &mut rate, peer).await {
                    break end;
                }
            }
            _ = conn.woken() => {}
            flushed = conn.flush(), if pending_since.is_some() => {
                match (flushed, joined.as_ref()) {
                    (Err(()), _) => break End::Gone,
                    (Ok(true), Some(joined)) => conn.start_frames(|| joined.frames.latest()),
                    (Ok(_), _) => {}
                }
            }
            _ = &mut timer => {
                let now = Instant::now();
                if write_due.is_some_and(|due| now >= due) {
                    METRICS.slow_clients_dropped.fetch_add(1, Relaxed);
                    break End::Gone;
                }
                if hello_due.is_some_and(|due| now >= due) {
                    break End::Close(frame::POLICY, "no hello");
                }
                if now >= next_ping {
                    if last_heard.elapsed() > app.ping_interval * SILENT_PINGS {
                        break End::Gone;
                    }
                    conn.send(frame::ping());
                    next_ping = now + app.ping_interval;
                }
            }
            // 1012 "service restart": clients reconnect, to this server once it is back or to another node.
            _ = shutdown.changed() => break End::Close(frame::RESTARTING, "server restarting"),
        }
    };
    // No more state frames; then a last word if the client is still there to read it.
    drop(joined);
    if let End::Close(code, reason) = end {
        // Commands already handed to the session are answered before the close: a phone stopped mid-vote
        // hears whether its last vote was stored.
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, conn.answered()).await;
        conn.send(frame::close(code, reason));
        let _ = tokio::time::timeout(CLOSE_TIMEOUT, conn.flush()).await;
    }
    conn.close();
}

/// Handles every whole message the decoder holds. `Some` ends the connection.
async fn take_messages(
    app: &AppState,
    conn: &Arc<Conn>,
    decoder: &mut Decoder,
    joined: &mut Option<Joined>,
    rate: &mut RateLimit,
    peer: &Peer,
) -> Option<End> {
    loop {
        let message = match decoder.next_message() {
            Ok(Some(message)) => message,
            Ok(None) => return None,
            Err(violation) => return Some(End::Close(violation.code, violation.reason)),
        };
        match message {
            Incoming::Text(text) => {
                let was_joined = joined.is_some();
                let read_at = Instant::now();
                let replies = if rate.allow(read_at) {
                    // Boxed: the hello path is a large future, and an idle connection should not carry its size.
                    let replies = Box::pin(handle_text(app, conn, joined, &text, peer, read_at)).await;
                    // A command that reached the session is counted where its answer is written.
                    if was_joined && !replies.is_empty() {
                        METRICS.command_latency.observe(read_at.elapsed());
                    }
                    replies
                } else {
                    METRICS.rate_limited.fetch_add(1, Relaxed);
                    let message = format!("at most {MESSAGES_PER_SECOND} messages a second; this one was dropped");
                    // Find the request id only in messages small enough to be read at all.
                    let small = text.len() <= wire::MAX_MESSAGE_BYTES;
                    let id = small.then(|| wire::parse(&text).ok().map(|m| m.id)).flatten();
                    vec![error_msg(id, Code::RateLimited, message)]
                };
                for reply in replies {
                    conn.send(frame::text(reply.as_bytes()));
                }
                if let (false, Some(joined)) = (was_joined, joined.as_ref()) {
                    // This was the hello, and the welcome is out: state frames follow it.
                    conn.start_frames(|| joined.frames.latest());
                }
            }
            Incoming::Binary => {
                let error = error_msg(None, Code::BadMessage, "messages are JSON text, not binary".into());
                conn.send(frame::text(error.as_bytes()));
            }
            Incoming::Ping(payload) => conn.send(frame::pong(&payload)),
            Incoming::Pong => {}
            Incoming::Close(_) => return Some(End::Close(frame::NORMAL, "")),
        }
    }
}

fn error_msg(id: Option<u64>, code: Code, message: String) -> String {
    ServerMsg::Error { id, code, message }.to_text()
}

fn live_error(id: u64, error: &LiveError) -> String {
    error_msg(Some(id), error.code(), error.to_string())
}

/// Handles one text message; returns the messages to send back now, in order. A command for the session
/// returns none: its answer is written from the session's actor once the command is stored or refused,
/// and meanwhile the connection reads on (the mailbox keeps a connection's commands in order).
async fn handle_text(
    app: &AppState,
    conn: &Arc<Conn>,
    joined: &mut Option<Joined>,
    text: &str,
    peer: &Peer,
    read_at: Instant,
) -> Vec<String> {
    if text.len() > wire::MAX_MESSAGE_BYTES {
        let message =
            format!("a message may be at most {} bytes; this one has {}", wire::MAX_MESSAGE_BYTES, text.len());
        return vec![error_msg(None, Code::TooLarge, message)];
    }
    let (id, command) = match wire::parse(text) {
        Ok(envelope) => match envelope.message {
            ClientMsg::Command(command) => (envelope.id, command),
            ClientMsg::Hello(hello) => return say_hello(app, conn, joined, envelope.id, hello, peer).await,
        },
        Err((id, message)) => return vec![error_msg(id, Code::BadMessage, message)],
    };
    let Some(session) = joined.as_ref() else {
        return vec![error_msg(Some(id), Code::NotJoined, "say hello first".into())];
    };
    if session.by_sign_in {
        // A console opened by signing in drives only while the sign-in lasts and the role allows it:
        // a member signed out, removed or made a viewer stops at their next command.
        if let Err(error) = super::auth::may_drive(app, &session.handle, peer.sign_in.as_deref()).await {
            return vec![live_error(id, &error)];
        }
    }
    let mut command = command;
    if let Command::Lock { by, .. } = &mut command {
        // Who locks is the connection's signed-in member, never what the client says.
        *by = session.member.as_ref().map(|account| account.id.clone());
    }
    conn.expect_answer();
    let conn = conn.clone();
    let answer = move |outcome: Outcome| {
        let reply = match outcome {
            Ok(events) => {
                let word = events.iter().find_map(|event| match event {
                    Event::WordAdded { word, .. } => Some(word.as_str()),
                    _ => None,
                });
                ServerMsg::Ack { id, word }.to_text()
            }
            Err(error) => live_error(id, &error),
        };
        conn.answer(frame::text(reply.as_bytes()));
        METRICS.command_latency.observe(read_at.elapsed());
    };
    session.handle.request(session.actor, id, command, answer).await;
    Vec::new()
}

/// Answers a `hello`: once per connection, and not while the address is throttled for failed ones.
async fn say_hello(
    app: &AppState,
    conn: &Arc<Conn>,
    joined: &mut Option<Joined>,
    id: u64,
    Hello { role, code, token, key }: Hello,
    peer: &Peer,
) -> Vec<String> {
    let ip = peer.ip;
    if joined.is_some() {
        return vec![error_msg(Some(id), Code::AlreadyJoined, "this connection has already said hello".into())];
    }
    // An address held back for guessing still lets in whoever proves who they are: a phone with its
    // token, a facilitator with the key or signed in. So one person guessing behind a shared address
    // (an office, a municipality's proxy) keeps out new phones for a minute, not the whole room.
    let throttled = app.limits.is_throttled(ip, Instant::now());
    let held_back = || {
        let message = "too many failed attempts from this address; wait a minute".to_string();
        vec![error_msg(Some(id), Code::RateLimited, message)]
    };
    let proves = match role {
        Role::Participant => token.is_some(),
        Role::Facilitator => key.is_some() || peer.sign_in.is_some(),
        Role::Screen => false,
    };
    // A session this address already joined (the room it is in) stays open to it: new phones and
    // screens join it; no code new to the address can be found while it is held back.
    let in_the_room = throttled && app.limits.has_joined(ip, code.trim(), Instant::now());
    if throttled && !proves && !in_the_room {
        return held_back();
    }
    // Room for one more new participant from this network; given back if the hello resumes a known one.
    let room_for_new = role == Role::Participant && app.limits.newcomers.take(ip, code.trim(), Instant::now());
    let crowded = role == Role::Participant && !room_for_new;
    let guessing = throttled && !in_the_room;
    let known_only = guessing || crowded;
    match hello(app, conn, id, role, &code, token, key, peer.sign_in.as_deref(), known_only).await {
        Ok((session, welcome, new)) => {
            let (now, code) = (Instant::now(), session.handle.code());
            app.limits.joined(ip, code, now);
            match (new, session.actor) {
                (true, Actor::Participant(participant)) => {
                    let flagged = app.limits.newcomers.joined(ip, code, participant, now);
                    if !flagged.is_empty() {
                        session.handle.flag(flagged);
                    }
                }
                _ if room_for_new => app.limits.newcomers.give_back(ip, code),
                _ => {}
            }
            *joined = Some(session);
            vec![welcome]
        }
        Err(LiveError::WrongKey) if crowded && !guessing => {
            // Not a wrong token: this network has added its share of new participants for now.
            let message = "many new phones from this network just joined; try again in a few seconds".to_string();
            vec![error_msg(Some(id), Code::RateLimited, message)]
        }
        Err(error) => {
            if room_for_new {
                app.limits.newcomers.give_back(ip, code.trim());
            }
            if matches!(error, LiveError::UnknownSession | LiveError::WrongKey) {
                app.limits.failed_hello(ip, Instant::now());
            }
            if throttled && matches!(error, LiveError::UnknownSession | LiveError::WrongKey | LiveError::NotSignedIn) {
                // Held back, the answer says nothing about whether the code, the key or the token exists.
                return held_back();
            }
            vec![error_msg(Some(id), error.code(), error.to_string())]
        }
    }
}

/// Joins the session in the role asked for; the connection follows the role's state frames from then on
/// (they start after the welcome). Also says whether a new participant was made. A facilitator gives the
/// session's key, or none when signed in as a member of its organisation (`sign_in`, the cookie's token).
#[allow(clippy::too_many_arguments)]
async fn hello(
    app: &AppState,
    conn: &Arc<Conn>,
    id: u64,
    role: Role,
    code: &str,
    token: Option<String>,
    key: Option<String>,
    sign_in: Option<&str>,
    known_only: bool,
) -> Result<(Joined, String, bool), LiveError> {
    let handle = app.registry.get(code.trim()).await?;
    let follow =
        |feed: Feed| app.fanouts.subscribe(handle.code(), feed, handle.frames(feed), handle.demand(feed), conn);
    match role {
        Role::Participant => {
            let frames = follow(Feed::Phone);
            let joined = handle.join(token, known_only).await?;
            conn.skip_states_before(joined.version);
            let ballots = joined.answers.iter().map(|(item, own)| (item.as_str(), BallotWire::from(own))).collect();
            let welcome = ServerMsg::Welcome {
                id,
                role,
                code: handle.code(),
                token: Some(&joined.token),
                ballots: Some(ballots),
            }
            .to_text();
            Ok((
                Joined {
                    frames,
                    actor: Actor::Participant(joined.participant),
                    handle,
                    member: None,
                    by_sign_in: false,
                    presence: Presence::Participant(joined.participant),
                    _counted: RoleGauge::new(&METRICS.participants_connected),
                },
                welcome,
                joined.new,
            ))
        }
        Role::Screen | Role::Facilitator => {
            let (actor, feed, member) = if role == Role::Facilitator {
                let member = match key.as_deref() {
                    Some(key) if handle.is_facilitator_key(key) => {
                        super::auth::member_account(app, &handle, sign_in).await
                    }
                    Some(_) => return Err(LiveError::WrongKey),
                    None => Some(super::auth::may_drive(app, &handle, sign_in).await?),
                };
                (Actor::Facilitator, Feed::Facilitator, member)
            } else {
                (Actor::Screen, Feed::Screen, None)
            };
            let name = member.as_ref().map(|account| account.name.as_str()).unwrap_or_default();
            let presence = if role == Role::Facilitator {
                handle.console(name, true);
                Presence::Console(name.to_string())
            } else {
                Presence::Screen
            };
            let welcome = ServerMsg::Welcome { id, role, code: handle.code(), token: None, ballots: None }.to_text();
            Ok((
                Joined {
                    frames: follow(feed),
                    actor,
                    by_sign_in: role == Role::Facilitator && key.is_none(),
                    handle,
                    member: member.map(Box::new),
                    presence,
                    _counted: RoleGauge::new(if role == Role::Facilitator {
                        &METRICS.facilitators_connected
                    } else {
                        &METRICS.screens_connected
                    }),
                },
                welcome,
                false,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_is_agreed_to_offers_the_server_can_meet() {
        let offered = |values: &[&str]| {
            let mut headers = HeaderMap::new();
            for value in values {
                headers.append(header::SEC_WEBSOCKET_EXTENSIONS, HeaderValue::from_str(value).unwrap());
            }
            deflate_offered(&headers)
        };
        assert!(offered(&["permessage-deflate; client_max_window_bits"]), "what Chromium and Firefox offer");
        assert!(offered(&["permessage-deflate"]));
        assert!(offered(&["permessage-deflate; server_no_context_takeover; client_no_context_takeover"]));
        assert!(offered(&["permessage-deflate; client_max_window_bits=10; server_max_window_bits=15"]));
        assert!(
            offered(&["PerMessage-Deflate; client_max_window_bits=\"12\""]),
            "names and quoted values as RFC 7692 allows"
        );
        assert!(
            offered(&["permessage-deflate; server_max_window_bits=10, permessage-deflate"]),
            "the second offer, when the first asks for a smaller window than the server compresses with"
        );
        assert!(offered(&["x-webkit-deflate-frame", "permessage-deflate"]), "offers in two headers");
        assert!(!offered(&[]));
        assert!(!offered(&["permessage-deflate; server_max_window_bits=10"]));
        assert!(!offered(&["permessage-deflate; client_max_window_bits=16"]));
        assert!(!offered(&["permessage-deflate; mystery"]), "a parameter the server does not know");
        assert!(!offered(&["x-webkit-deflate-frame"]));
    }

    #[test]
    fn the_handshake_key_must_be_sixteen_bytes_in_base64() {
        assert!(is_sixteen_bytes_in_base64(b"dGhlIHNhbXBsZSBub25jZQ=="), "the RFC's example");
        assert!(is_sixteen_bytes_in_base64(b"AAAAAAAAAAAAAAAAAAAAAA=="));
        assert!(is_sixteen_bytes_in_base64(b"/+/+/+/+/+/+/+/+/+/+/w=="));
        for refused in [
            &b""[..],
            b"dGhlIHNhbXBsZSBub25jZQ",
            b"dGhlIHNhbXBsZSBub25jZQ=",
            b"dGhlIHNhbXBsZSBub25jZR==",
            b"dGhlIHNhbXBsZSBub25j",
            b"dGhlIHNhbXBsZSBub25jZSE=",
            b"dGhlIHNhbXBsZSBub25jZXMhIQ==",
            b"dGhlIHNhbXBsZSBub25j*Q==",
            b"not base64 at all, really!",
        ] {
            assert!(!is_sixteen_bytes_in_base64(refused), "{}", String::from_utf8_lossy(refused));
        }
    }
}
