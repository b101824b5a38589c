//! Connections to the server under test: the target address, one TCP socket per client bound to a
//! chosen loopback source address, the WebSocket upgrade with small buffers, the one HTTP call
//! (creating the session), and cheap readers for the server's messages.

use serde::Deserialize;
use serde_json::Value;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::WebSocketStream;

pub type Ws = WebSocketStream<TcpStream>;

/// How long one connect, upgrade and hello may take before it counts as failed.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest HTTP answer read (1 MiB).
const MAX_HTTP_ANSWER: u64 = 1 << 20;

/// The server under test and the local addresses to connect from.
pub struct Target {
    pub addr: SocketAddr,
    /// `host:port` as given in the URL, for the Host header.
    pub host: String,
    /// Loopback source addresses the clients are spread over; empty: let the kernel choose.
    sources: Vec<IpAddr>,
}

impl Target {
    /// Resolves an `http://host:port` URL. `spread` is how many loopback source addresses to use when
    /// the server is on IPv4 loopback (127.0.0.1 … 127.0.0.spread).
    pub async fn resolve(url: &str, spread: usize) -> Result<Target, String> {
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
        Ok(Target { addr, host, sources })
    }

    pub fn source_count(&self) -> usize {
        self.sources.len()
    }

    /// Opens a WebSocket to `/ws`. Client `n` connects from the n-th source address (round robin), so
    /// each source address needs only its share of the ephemeral ports.
    pub async fn connect(&self, n: usize) -> Result<Ws, String> {
        let socket = if self.addr.is_ipv4() { TcpSocket::new_v4() } else { TcpSocket::new_v6() }
            .map_err(|e| format!("socket: {e}"))?;
        if !self.sources.is_empty() {
            let local = SocketAddr::new(self.sources[n % self.sources.len()], 0);
            socket.bind(local).map_err(|e| format!("bind {local}: {e}"))?;
        }
        let stream = socket.connect(self.addr).await.map_err(|e| format!("connect: {e}"))?;
        // Votes and acks are tiny: without this, Nagle's algorithm can hold one back for a delayed ACK.
        stream.set_nodelay(true).map_err(|e| format!("nodelay: {e}"))?;
        let url = format!("ws://{}/ws", self.host);
        let (ws, _) = tokio_tungstenite::client_async_with_config(url, stream, Some(ws_config()))
            .await
            .map_err(|e| format!("upgrade: {e}"))?;
        Ok(ws)
    }

    /// `POST path` with a JSON body; returns the status code and the body.
    pub async fn post_json(&self, path: &str, body: &str) -> Result<(u16, String), String> {
        tokio::time::timeout(CONNECT_TIMEOUT, self.post_json_inner(path, body))
            .await
            .map_err(|_| format!("POST {path}: no answer within {CONNECT_TIMEOUT:?}"))?
    }

    async fn post_json_inner(&self, path: &str, body: &str) -> Result<(u16, String), String> {
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

/// Small buffers: a phone receives a few KiB of state a few times a second and sends tiny commands, and
/// tungstenite's defaults (128 KiB each way) would cost far more memory than the sockets themselves.
fn ws_config() -> WebSocketConfig {
    WebSocketConfig::default()
        .read_buffer_size(4 * 1024)
        .write_buffer_size(0)
        .max_message_size(Some(1 << 20))
        .max_frame_size(Some(1 << 20))
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
