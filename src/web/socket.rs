//! One WebSocket connection: hello, then commands in and state frames out, in a single `select!` loop.
//! A connection only ever waits on itself; a slow or silent client never holds up the session.

use super::limits::{ConnectionGuard, RateLimit, MESSAGES_PER_SECOND, MESSAGE_BURST};
use super::wire::{self, BallotWire, ClientMsg, Role, ServerMsg};
use super::AppState;
use crate::domain::{Actor, Event, ParticipantNo};
use crate::live::{Feed, LiveError, SessionHandle};
use crate::metrics::{RoleGauge, METRICS};
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;
use std::time::Instant;
use tokio::sync::watch;

/// A frame larger than this closes the connection (64 KiB); below it, [`wire::MAX_MESSAGE_BYTES`] applies.
const MAX_FRAME_BYTES: usize = 64 * 1024;
/// Read buffer per connection (1 KiB): a vote is under 100 bytes and a hello about 200; the rare larger
/// message (at most 8 KiB) is read in a few steps. Every connection keeps this buffer, so it is most of
/// what an idle phone costs: 4 KiB → 1 KiB took 12.5 → 9.5 KB per phone at 5,000 phones.
const READ_BUFFER_BYTES: usize = 1024;
/// A connection from which nothing (not even a pong) has arrived for this many ping intervals is gone:
/// a phone whose network died closes no socket, and would otherwise count as present for many minutes.
const SILENT_PINGS: u32 = 3;
/// A connection that has not said hello by then is closed, so idle sockets cannot pile up (30 s).
const HELLO_TIMEOUT: Duration = Duration::from_secs(30);
/// A write that takes longer than this means the client stopped reading: drop it.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

pub async fn upgrade(
    ws: WebSocketUpgrade,
    State(app): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let header_text = |name| headers.get(name).and_then(|v: &header::HeaderValue| v.to_str().ok());
    if !app.limits.origin_allowed(header_text(header::ORIGIN), header_text(header::HOST)) {
        return (StatusCode::FORBIDDEN, "this origin may not open a Samsyn socket").into_response();
    }
    let ip = app.limits.client_ip(peer.ip(), header_text(header::HeaderName::from_static("x-forwarded-for")));
    let Some(guard) = app.limits.connect(ip) else {
        return (StatusCode::TOO_MANY_REQUESTS, "too many connections from this address").into_response();
    };
    ws.max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        // Tungstenite's defaults reserve (and zero) 128 KiB per read; client messages are tiny.
        .read_buffer_size(READ_BUFFER_BYTES)
        // Each send is flushed right away anyway; no need to gather 128 KiB first.
        .write_buffer_size(0)
        .on_upgrade(move |socket| {
            let open = app.sockets.clone();
            async move {
                serve(socket, app, ip, guard).await;
                drop(open);
            }
        })
}

/// Who this connection is, once it said hello.
struct Joined {
    handle: SessionHandle,
    actor: Actor,
    frames: watch::Receiver<Bytes>,
    /// Tells the session this participant left when the connection ends, however it ends.
    _presence: Option<Presence>,
    /// Counts the connection under its role in `/metrics` while it lives.
    _counted: RoleGauge,
}

struct Presence {
    handle: SessionHandle,
    participant: ParticipantNo,
}

impl Drop for Presence {
    fn drop(&mut self) {
        self.handle.leave(self.participant);
    }
}

#[derive(Debug)]
struct Gone;

async fn serve(socket: WebSocket, app: AppState, ip: IpAddr, _counted: ConnectionGuard) {
    let (mut sink, mut stream) = socket.split();
    let mut rate = RateLimit::new(MESSAGES_PER_SECOND, MESSAGE_BURST);
    let mut joined: Option<Joined> = None;
    let mut shutdown = app.shutdown.clone();
    let mut ping = tokio::time::interval(app.ping_interval);
    ping.tick().await;
    let hello_deadline = tokio::time::sleep(HELLO_TIMEOUT);
    tokio::pin!(hello_deadline);
    let mut last_heard = Instant::now();

    let send =
        async |sink: &mut futures_util::stream::SplitSink<WebSocket, Message>, message: Message| -> Result<(), Gone> {
            match tokio::time::timeout(SEND_TIMEOUT, sink.send(message)).await {
                Ok(Ok(())) => Ok(()),
                Ok(Err(_)) => Err(Gone),
                Err(_) => {
                    METRICS.slow_clients_dropped.fetch_add(1, Relaxed);
                    Err(Gone)
                }
            }
        };

    loop {
        let outcome: Result<(), Gone> = tokio::select! {
            incoming = stream.next() => {
                let Some(Ok(message)) = incoming else { break };
                last_heard = Instant::now();
                match message {
                    Message::Text(text) => {
                        let replies = if rate.allow(Instant::now()) {
                            handle_text(&app, &mut joined, text.as_str(), ip).await
                        } else {
                            METRICS.rate_limited.fetch_add(1, Relaxed);
                            let message = format!("at most {MESSAGES_PER_SECOND} messages a second; this one was dropped");
                            // Find the request id only in messages small enough to be read at all.
                            let small = text.len() <= wire::MAX_MESSAGE_BYTES;
                            let id = small.then(|| wire::parse(text.as_str()).ok().map(|m| m.id())).flatten();
                            vec![error_msg(id, "rate_limited", message)]
                        };
                        let mut result = Ok(());
                        for reply in replies {
                            result = send(&mut sink, reply).await;
                            if result.is_err() { break; }
                        }
                        result
                    }
                    Message::Binary(_) => {
                        let error = error_msg(None, "bad_message", "messages are JSON text, not binary".into());
                        send(&mut sink, error).await
                    }
                    Message::Close(_) => break,
                    Message::Ping(_) | Message::Pong(_) => Ok(()),
                }
            }
            changed = async { joined.as_mut().expect("guarded").frames.changed().await }, if joined.is_some() => {
                if changed.is_err() { break; }
                let frame = joined.as_mut().expect("guarded").frames.borrow_and_update().clone();
                let sent = send(&mut sink, text_frame(frame)).await;
                if sent.is_ok() {
                    METRICS.updates_delivered.fetch_add(1, Relaxed);
                }
                sent
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > app.ping_interval * SILENT_PINGS {
                    break;
                }
                send(&mut sink, Message::Ping(Bytes::new())).await
            }
            _ = &mut hello_deadline, if joined.is_none() => {
                let close = CloseFrame { code: 1008, reason: Utf8Bytes::from_static("no hello") };
                let _ = send(&mut sink, Message::Close(Some(close))).await;
                break;
            }
            _ = shutdown.changed() => {
                // 1012 "service restart": clients reconnect, to this server once it is back or to another node.
                let close = CloseFrame { code: 1012, reason: Utf8Bytes::from_static("server restarting") };
                let _ = send(&mut sink, Message::Close(Some(close))).await;
                break;
            }
        };
        if outcome.is_err() {
            break;
        }
    }
}

fn text_frame(frame: Bytes) -> Message {
    // The frame was serialized once for the whole audience; this shares its bytes rather than copying them.
    match Utf8Bytes::try_from(frame) {
        Ok(text) => Message::Text(text),
        Err(_) => Message::Text(Utf8Bytes::from_static("{}")),
    }
}

fn error_msg(id: Option<u64>, code: &str, message: String) -> Message {
    Message::Text(ServerMsg::Error { id, code, message }.to_text().into())
}

fn live_error(id: u64, error: &LiveError) -> Message {
    error_msg(Some(id), error.code(), error.to_string())
}

/// Handles one text message; returns the messages to send back, in order.
async fn handle_text(app: &AppState, joined: &mut Option<Joined>, text: &str, ip: IpAddr) -> Vec<Message> {
    if text.len() > wire::MAX_MESSAGE_BYTES {
        let message =
            format!("a message may be at most {} bytes; this one has {}", wire::MAX_MESSAGE_BYTES, text.len());
        return vec![error_msg(None, "too_large", message)];
    }
    let msg = match wire::parse(text) {
        Ok(msg) => msg,
        Err((id, message)) => return vec![error_msg(id, "bad_message", message)],
    };
    let id = msg.id();
    if let ClientMsg::Hello { role, code, token, key, .. } = msg {
        if joined.is_some() {
            return vec![error_msg(Some(id), "already_joined", "this connection has already said hello".into())];
        }
        if app.limits.is_throttled(ip, Instant::now()) {
            let message = "too many failed attempts from this address; wait a minute".to_string();
            return vec![error_msg(Some(id), "rate_limited", message)];
        }
        return match hello(app, id, role, &code, token, key).await {
            Ok((session, welcome)) => {
                let mut frames = session.frames;
                let first = frames.borrow_and_update().clone();
                *joined = Some(Joined { frames, ..session });
                vec![welcome, text_frame(first)]
            }
            Err(error) => {
                if matches!(error, LiveError::UnknownSession | LiveError::WrongKey) {
                    app.limits.failed_hello(ip, Instant::now());
                }
                vec![error_msg(Some(id), error.code(), error.to_string())]
            }
        };
    }
    let Some(session) = joined.as_ref() else {
        return vec![error_msg(Some(id), "not_joined", "say hello first".into())];
    };
    let command = msg.into_command().expect("hello handled above");
    match session.handle.request(session.actor, id, command).await {
        Ok(events) => {
            let word = events.iter().find_map(|event| match event {
                Event::WordAdded { word, .. } => Some(word.as_str()),
                _ => None,
            });
            vec![Message::Text(ServerMsg::Ack { id, word }.to_text().into())]
        }
        Err(error) => vec![live_error(id, &error)],
    }
}

async fn hello(
    app: &AppState,
    id: u64,
    role: Role,
    code: &str,
    token: Option<String>,
    key: Option<String>,
) -> Result<(Joined, Message), LiveError> {
    let handle = app.registry.get(code.trim()).await?;
    match role {
        Role::Participant => {
            let joined = handle.join(token).await?;
            let ballots = joined.answers.iter().map(|(item, own)| (item.as_str(), BallotWire::from(own))).collect();
            let welcome = ServerMsg::Welcome {
                id,
                role,
                code: handle.code(),
                token: Some(&joined.token),
                ballots: Some(ballots),
            };
            let text = welcome.to_text();
            let presence = Presence { handle: handle.clone(), participant: joined.participant };
            Ok((
                Joined {
                    frames: handle.frames(Feed::Phone),
                    actor: Actor::Participant(joined.participant),
                    handle,
                    _presence: Some(presence),
                    _counted: RoleGauge::new(&METRICS.participants_connected),
                },
                Message::Text(text.into()),
            ))
        }
        Role::Screen | Role::Facilitator => {
            let (actor, audience) = if role == Role::Facilitator {
                if !key.as_deref().is_some_and(|k| handle.is_facilitator_key(k)) {
                    return Err(LiveError::WrongKey);
                }
                (Actor::Facilitator, Feed::Facilitator)
            } else {
                (Actor::Screen, Feed::Screen)
            };
            let welcome = ServerMsg::Welcome { id, role, code: handle.code(), token: None, ballots: None }.to_text();
            Ok((
                Joined {
                    frames: handle.frames(audience),
                    actor,
                    handle,
                    _presence: None,
                    _counted: RoleGauge::new(if role == Role::Facilitator {
                        &METRICS.facilitators_connected
                    } else {
                        &METRICS.screens_connected
                    }),
                },
                Message::Text(welcome.into()),
            ))
        }
    }
}
