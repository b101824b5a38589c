//! Connections to the server under test: the target addresses, one TCP socket per client bound to a
//! chosen loopback source address, the WebSocket (`websocket.rs`), the one HTTP call
//! (creating the session), and cheap readers for the server's messages. With `--protocol socketio` the
//! same messages travel as Socket.IO events (Engine.IO v4 framing), to compare with a Socket.IO server.

use crate::websocket::{Message, Socket};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use serde::Deserialize;
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tungstenite::Utf8Bytes;

/// How long one connect, upgrade and hello may take before it counts as failed.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest HTTP answer read (1 MiB).
const MAX_HTTP_ANSWER: u64 = 1 << 20;
/// A Socket.IO event carrying one protocol message: `42["msg",{...}]` (Engine.IO message, Socket.IO event).
const SOCKETIO_EVENT: &str = r#"42["msg","#;

/// How the protocol's messages travel over the WebSocket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Protocol {
    /// Samsyn's own: one JSON message per text frame, at /ws.
    Samsyn,
    /// Each message as a Socket.IO event named "msg" (Engine.IO v4 over WebSocket, at /socket.io/).
    Socketio,
}

/// The servers under test (the first one holds the session) and the local addresses to connect from.
pub struct Target {
    nodes: Vec<Node>,
    protocol: Protocol,
}

/// One server of the target.
struct Node {
    addr: SocketAddr,
    /// `host:port` as given in the URL, for the Host header.
    host: String,
    /// Loopback source addresses the clients are spread over; empty: let the kernel choose.
    sources: Vec<IpAddr>,
}

impl Target {
    /// Resolves `http://host:port` URLs. `spread` is how many loopback source addresses to use for each
    /// server on IPv4 loopback (127.0.0.1 … 127.0.0.spread).
    pub async fn resolve(urls: &[String], spread: usize, protocol: Protocol) -> Result<Target, String> {
        if urls.is_empty() {
            return Err("give at least one --url".into());
        }
        let mut nodes = Vec::with_capacity(urls.len());
        for url in urls {
            nodes.push(Node::resolve(url, spread).await?);
        }
        Ok(Target { nodes, protocol })
    }

    pub fn source_count(&self) -> usize {
        self.nodes[0].sources.len()
    }

    /// Opens a WebSocket for client `n`. Clients go to the servers round robin (client 0, the facilitator's
    /// and the screen's, to the first), and each server's clients to its source addresses round robin, so
    /// each source address needs only its share of the ephemeral ports.
    pub async fn connect(&self, n: usize) -> Result<Ws, String> {
        let node = &self.nodes[n % self.nodes.len()];
        let nth = n / self.nodes.len();
        let socket = if node.addr.is_ipv4() { TcpSocket::new_v4() } else { TcpSocket::new_v6() }
            .map_err(|e| format!("socket: {e}"))?;
        if !node.sources.is_empty() {
            let local = SocketAddr::new(node.sources[nth % node.sources.len()], 0);
            socket.bind(local).map_err(|e| format!("bind {local}: {e}"))?;
        }
        let stream = socket.connect(node.addr).await.map_err(|e| format!("connect: {e}"))?;
        // Votes and acks are tiny: without this, Nagle's algorithm can hold one back for a delayed ACK.
        stream.set_nodelay(true).map_err(|e| format!("nodelay: {e}"))?;
        let path = match self.protocol {
            Protocol::Samsyn => "/ws",
            Protocol::Socketio => "/socket.io/?EIO=4&transport=websocket",
        };
        let mut socket = Socket::upgrade(stream, &node.host, path).await?;
        if self.protocol == Protocol::Socketio {
            socketio_connect(&mut socket).await?;
        }
        Ok(Ws { socket, socketio: self.protocol == Protocol::Socketio })
    }

    /// `POST path` with a JSON body to the first server; returns the status code and the body.
    pub async fn post_json(&self, path: &str, body: &str) -> Result<(u16, String), String> {
        tokio::time::timeout(CONNECT_TIMEOUT, self.nodes[0].post_json(path, body))
            .await
            .map_err(|_| format!("POST {path}: no answer within {CONNECT_TIMEOUT:?}"))?
    }
}

impl Node {
    async fn resolve(url: &str, spread: usize) -> Result<Node, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("--url must start with http:// (got {url}); the generator speaks plain HTTP"))?;
        let host = rest.split('/').next().unwrap_or_default().to_string();
        if host.is_empty() {
            return Err(format!("--url has no host: {url}"));
        }
        let with_port = if host.ends_with(']') || !host.contains(':') { format!("{host}:80") } else { host.clone() };
        let addr = tokio::net::lookup_host(&with_port)
            .await
            .map_err(|e| format!("cannot resolve {with_port}: {e}"))?
            .next()
            .ok_or_else(|| format!("{with_port} resolves to no address"))?;
        let sources = match addr.ip() {
            IpAddr::V4(ip) if ip.is_loopback() => {
                (1..=spread.clamp(1, 254) as u8).map(|last| IpAddr::V4(Ipv4Addr::new(127, 0, 0, last))).collect()
            }
            _ => Vec::new(),
        };
        Ok(Node { addr, host, sources })
    }

    async fn post_json(&self, path: &str, body: &str) -> Result<(u16, String), String> {
        let mut stream = TcpStream::connect(self.addr).await.map_err(|e| format!("POST {path}: connect: {e}"))?;
        let request = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{body}",
            self.host,
            body.len()
        );
        stream.write_all(request.as_bytes()).await.map_err(|e| format!("POST {path}: write: {e}"))?;
        let mut answer = Vec::new();
        stream.take(MAX_HTTP_ANSWER).read_to_end(&mut answer).await.map_err(|e| format!("POST {path}: read: {e}"))?;
        parse_http_answer(&answer).ok_or_else(|| format!("POST {path}: unreadable HTTP answer"))
    }
}

/// One client's WebSocket. In Samsyn mode it passes messages through untouched; in Socket.IO mode it
/// unwraps and wraps the `msg` events and answers the server's pings, so the clients above see the same
/// protocol messages either way.
pub struct Ws {
    socket: Socket,
    socketio: bool,
}

/// What one Engine.IO text frame carries.
enum Packet {
    Event(Utf8Bytes),
    Ping,
    Close,
    Other,
}

/// Reads an Engine.IO frame. An event's JSON is cut out of the frame's bytes, not copied.
fn engine_packet(text: Utf8Bytes) -> Packet {
    match text.as_str() {
        "2" => Packet::Ping,
        // Engine.IO close, or a Socket.IO disconnect of the namespace.
        "1" | "41" => Packet::Close,
        t if t.starts_with(SOCKETIO_EVENT) && t.ends_with(']') => {
            let end = t.len() - 1;
            match Utf8Bytes::try_from(Bytes::from(text).slice(SOCKETIO_EVENT.len()..end)) {
                Ok(inner) => Packet::Event(inner),
                Err(_) => Packet::Other,
            }
        }
        // Another event: pass it on whole, so the client reports it as unexpected.
        t if t.starts_with("42") => Packet::Event(text),
        _ => Packet::Other,
    }
}

/// The Socket.IO handshake after the upgrade: the Engine.IO `open` packet, then joining the default
/// namespace (`40`) and waiting for its confirmation.
async fn socketio_connect(socket: &mut Socket) -> Result<(), String> {
    let mut opened = false;
    loop {
        let message =
            socket.next().await.ok_or("closed during the Socket.IO handshake")?.map_err(|e| format!("read: {e}"))?;
        let Message::Text(text) = message else { return Err("closed during the Socket.IO handshake".into()) };
        if !opened && text.starts_with('0') {
            opened = true;
            socket.send_text("40").await.map_err(|e| format!("send: {e}"))?;
        } else if opened && text.starts_with("40") {
            return Ok(());
        } else if text.starts_with("44") {
            return Err(format!("Socket.IO refused the connection: {text}"));
        }
    }
}

impl Ws {
    /// Sends one protocol message and waits until the socket took it.
    pub async fn send(&mut self, text: &str) -> std::io::Result<()> {
        if self.socketio {
            self.socket.send_text(&format!("{SOCKETIO_EVENT}{text}]")).await
        } else {
            self.socket.send_text(text).await
        }
    }

    /// Closes the WebSocket with a close frame.
    pub async fn close(&mut self) -> std::io::Result<()> {
        self.socket.close().await
    }
}

impl Stream for Ws {
    type Item = std::io::Result<Message>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if !this.socketio {
            return this.socket.poll_next_unpin(cx);
        }
        loop {
            let text = match ready!(this.socket.poll_next_unpin(cx)) {
                Some(Ok(Message::Text(text))) => text,
                other => return Poll::Ready(other),
            };
            match engine_packet(text) {
                Packet::Event(message) => return Poll::Ready(Some(Ok(Message::Text(message)))),
                // The pong goes out as the socket is polled again, just below.
                Packet::Ping => this.socket.queue_text("3"),
                Packet::Close => return Poll::Ready(Some(Ok(Message::Close))),
                Packet::Other => {}
            }
        }
    }
}

/// Status and body of an HTTP/1.1 answer read to the end (Content-Length or chunked).
fn parse_http_answer(answer: &[u8]) -> Option<(u16, String)> {
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&answer[..split]).ok()?;
    let mut body = &answer[split + 4..];
    let status: u16 = head.split_whitespace().nth(1)?.parse().ok()?;
    let chunked = head.lines().any(|l| {
        let l = l.to_ascii_lowercase();
        l.starts_with("transfer-encoding:") && l.contains("chunked")
    });
    if !chunked {
        return Some((status, String::from_utf8_lossy(body).into_owned()));
    }
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&body[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Some((status, String::from_utf8_lossy(&out).into_owned()));
        }
        out.extend_from_slice(body.get(..size)?);
        body = body.get(size + 2..)?;
    }
}

/// The version of a `state` message, or `None` if the message is something else. Cheap: the server
/// writes `type` and `version` first, so this usually reads a few bytes instead of the whole state.
pub fn state_version(text: &str) -> Option<u64> {
    if let Some(rest) = text.strip_prefix(r#"{"type":"state","version":"#) {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(version) = rest[..digits].parse() {
            return Some(version);
        }
    }
    if !text.contains(r#""state""#) {
        return None;
    }
    // Another field order: read it properly.
    let value: Value = serde_json::from_str(text).ok()?;
    (value["type"] == "state").then(|| value["version"].as_u64()).flatten()
}

/// The few fields of a `state` message the generator follows; everything else is skipped unread.
#[derive(Debug, Deserialize)]
pub struct StateLite {
    pub session: SessionLite,
}

#[derive(Debug, Deserialize)]
pub struct SessionLite {
    pub items: Vec<ItemLite>,
}

#[derive(Debug, Deserialize)]
pub struct ItemLite {
    pub id: String,
    pub phase: String,
    #[serde(default)]
    pub rounds: Vec<RoundLite>,
}

#[derive(Debug, Deserialize)]
pub struct RoundLite {
    pub number: u32,
    pub voted: u64,
}

impl StateLite {
    pub fn parse(text: &str) -> Result<StateLite, String> {
        serde_json::from_str(text).map_err(|e| format!("unreadable state: {e}"))
    }

    pub fn phase(&self, item: &str) -> Option<&str> {
        self.session.items.iter().find(|i| i.id == item).map(|i| i.phase.as_str())
    }

    /// How many answered in `round` of `item`.
    pub fn voted(&self, item: &str, round: u32) -> Option<u64> {
        let item = self.session.items.iter().find(|i| i.id == item)?;
        item.rounds.iter().find(|r| r.number == round).map(|r| r.voted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn socketio_events_are_unwrapped_and_pings_recognised() {
        let Packet::Event(inner) = engine_packet(Utf8Bytes::from(r#"42["msg",{"type":"ack","id":3}]"#)) else {
            panic!("an event")
        };
        assert_eq!(inner.as_str(), r#"{"type":"ack","id":3}"#);
        assert!(matches!(engine_packet(Utf8Bytes::from("2")), Packet::Ping));
        assert!(matches!(engine_packet(Utf8Bytes::from("41")), Packet::Close));
        assert!(matches!(engine_packet(Utf8Bytes::from(r#"40{"sid":"x"}"#)), Packet::Other));
    }

    #[test]
    fn the_version_is_read_from_the_start_of_a_state() {
        assert_eq!(state_version(r#"{"type":"state","version":42,"session":{}}"#), Some(42));
        assert_eq!(state_version(r#"{"version":7,"type":"state","session":{}}"#), Some(7));
        assert_eq!(state_version(r#"{"type":"ack","id":3}"#), None);
    }

    #[test]
    fn chunked_answers_are_joined() {
        let answer = b"HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n3\r\n:1}\r\n0\r\n\r\n";
        assert_eq!(parse_http_answer(answer), Some((201, r#"{"a":1}"#.to_string())));
        let plain = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 2\r\n\r\n{}";
        assert_eq!(parse_http_answer(plain), Some((400, "{}".to_string())));
    }
}
