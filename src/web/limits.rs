//! Protection against careless and hostile clients: message rate per connection, connections and failed
//! hellos per address, allowed origins, and deadlines for HTTP requests that stall. Addresses live only in
//! memory, only as long as they matter, and are never logged or stored.

use crate::metrics::METRICS;
use dashmap::DashMap;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// Messages a connection may send per second on average (20) and in a burst (40): a phone sends a
/// handful per minute, a facilitator a few per second at most.
pub const MESSAGES_PER_SECOND: f64 = 20.0;
pub const MESSAGE_BURST: f64 = 40.0;
/// Failed hellos (unknown code, wrong key) per address before it must wait: 20 per minute stops
/// enumerating 6-digit codes or guessing keys while forgiving a few typos.
pub const FAILED_HELLOS: u32 = 20;
pub const FAILED_HELLO_WINDOW: Duration = Duration::from_secs(60);
/// A connection must send a whole request head (the request line and headers, a WebSocket upgrade
/// included) within 10 s of opening, or of the server's last write: a phone sends its under-2-KiB head at
/// once, while a client that trickles it byte by byte or stalls halfway would otherwise hold a socket for
/// ever. The same limit closes idle keep-alive connections.
pub const REQUEST_HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Once a head has arrived, a request during which nothing is read or written for 60 s is dropped too: a
/// body that stopped coming. (No handler takes that long; a WebSocket has switched protocols by then.)
pub const REQUEST_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// A token bucket: refills at `rate` per second up to `burst`.
#[derive(Debug)]
pub struct RateLimit {
    tokens: f64,
    last: Instant,
    rate: f64,
    burst: f64,
}

impl RateLimit {
    pub fn new(rate: f64, burst: f64) -> Self {
        RateLimit { tokens: burst, last: Instant::now(), rate, burst }
    }

    /// Takes one token if there is one.
    pub fn allow(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.rate).min(self.burst);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// Shared counters per client address.
pub struct Limits {
    max_connections: usize,
    connections: DashMap<IpAddr, usize>,
    failures: DashMap<IpAddr, (Instant, u32)>,
    /// Extra origins allowed to open the WebSocket besides the server's own host.
    allowed_origins: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed: behind them, limits count the client's address.
    trusted_proxies: Vec<IpAddr>,
}

impl Limits {
    pub fn new(max_connections: usize, allowed_origins: Vec<String>) -> Arc<Self> {
        Limits::behind(max_connections, allowed_origins, Vec::new())
    }

    /// Limits for a server whose clients come through the `trusted_proxies`.
    pub fn behind(max_connections: usize, allowed_origins: Vec<String>, trusted_proxies: Vec<IpAddr>) -> Arc<Self> {
        let allowed_origins =
            allowed_origins.into_iter().map(|o| o.trim_end_matches('/').to_ascii_lowercase()).collect();
        let (connections, failures) = (DashMap::new(), DashMap::new());
        Arc::new(Limits { max_connections, connections, failures, allowed_origins, trusted_proxies })
    }

    /// The address a connection's limits count: the peer, or, when the peer is a trusted proxy, the
    /// nearest address in `X-Forwarded-For` that is not one of ours (the ones left of it could be made up).
    pub fn client_ip(&self, peer: IpAddr, forwarded_for: Option<&str>) -> IpAddr {
        if !self.trusted_proxies.contains(&peer) {
            return peer;
        }
        let chain = forwarded_for.unwrap_or_default().split(',').rev().map(|hop| hop.trim().parse::<IpAddr>());
        for hop in chain {
            match hop {
                Ok(ip) if self.trusted_proxies.contains(&ip) => continue,
                Ok(ip) => return ip,
                Err(_) => break,
            }
        }
        peer
    }

    /// Counts a new connection from `ip`; `None` when the address already has the most allowed.
    /// The returned guard uncounts it when dropped.
    pub fn connect(self: &Arc<Self>, ip: IpAddr) -> Option<ConnectionGuard> {
        let mut count = self.connections.entry(ip).or_insert(0);
        if *count >= self.max_connections {
            return None;
        }
        *count += 1;
        Some(ConnectionGuard { limits: self.clone(), ip })
    }

    /// Whether `ip` has failed too many hellos lately.
    pub fn is_throttled(&self, ip: IpAddr, now: Instant) -> bool {
        self.failures.get(&ip).is_some_and(|entry| {
            let (since, count) = *entry;
            now.duration_since(since) < FAILED_HELLO_WINDOW && count >= FAILED_HELLOS
        })
    }

    /// Records a failed hello from `ip`.
    pub fn failed_hello(&self, ip: IpAddr, now: Instant) {
        let mut entry = self.failures.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= FAILED_HELLO_WINDOW {
            *entry = (now, 0);
        }
        entry.1 += 1;
        drop(entry);
        // Forget addresses whose window has passed, so the map cannot grow without bound.
        if self.failures.len() > 10_000 {
            self.failures.retain(|_, (since, _)| now.duration_since(*since) < FAILED_HELLO_WINDOW);
        }
    }

    /// A browser's WebSocket carries its page's origin; only pages served by this server (same host) or
    /// listed origins may connect. Clients without an `Origin` (not browsers) are let through.
    pub fn origin_allowed(&self, origin: Option<&str>, host: Option<&str>) -> bool {
        let Some(origin) = origin else { return true };
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        let same_host = host.is_some_and(|host| {
            let host = host.to_ascii_lowercase();
            origin == format!("http://{host}") || origin == format!("https://{host}")
        });
        same_host || self.allowed_origins.contains(&origin)
    }
}

pub struct ConnectionGuard {
    limits: Arc<Limits>,
    ip: IpAddr,
}

impl Drop for ConnectionGuard {
    fn drop(&mut self) {
        if let dashmap::mapref::entry::Entry::Occupied(mut entry) = self.limits.connections.entry(self.ip) {
            *entry.get_mut() -= 1;
            if *entry.get() == 0 {
                entry.remove();
            }
        }
    }
}

/// A listener whose connections must keep to [`REQUEST_HEAD_TIMEOUT`] and [`REQUEST_IDLE_TIMEOUT`]
/// until they switch to the WebSocket protocol. axum's server has no header read timeout of its own.
pub struct DeadlineListener<L> {
    inner: L,
    head_timeout: Duration,
}

impl<L> DeadlineListener<L> {
    pub fn new(inner: L, head_timeout: Duration) -> Self {
        DeadlineListener { inner, head_timeout }
    }
}

impl<L: axum::serve::Listener> axum::serve::Listener for DeadlineListener<L> {
    type Io = Deadlined<L::Io>;
    type Addr = L::Addr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = self.inner.accept().await;
        (Deadlined::new(io, self.head_timeout, REQUEST_IDLE_TIMEOUT), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

/// Where a connection is in the HTTP exchange, as far as the bytes show (HTTP/1.1 only; Samsyn serves no h2c).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Waiting for a request head; `line` tracks the end of lines to spot the blank one that ends it.
    Head { line: Line },
    /// The head arrived; the request's body is read and its answer written.
    Request,
    /// Switched protocols (a WebSocket): the socket loop's own pings and deadlines apply from here on.
    Upgraded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// Nothing but (ignored) empty lines yet.
    Start,
    Within,
    /// Just after a line feed: another one, maybe after a carriage return, ends the head.
    Ended,
}

/// A connection's stream with the request deadlines: reads fail with `TimedOut` once one has passed,
/// and the server then closes the connection. Counts itself in `samsyn_tcp_connections` while open.
pub struct Deadlined<S> {
    inner: S,
    stage: Stage,
    head_timeout: Duration,
    idle_timeout: Duration,
    deadline: Pin<Box<tokio::time::Sleep>>,
    timed_out: bool,
}

impl<S> Deadlined<S> {
    pub fn new(inner: S, head_timeout: Duration, idle_timeout: Duration) -> Self {
        METRICS.tcp_connections.fetch_add(1, Relaxed);
        let deadline = Box::pin(tokio::time::sleep(head_timeout));
        Deadlined {
            inner,
            stage: Stage::Head { line: Line::Start },
            head_timeout,
            idle_timeout,
            deadline,
            timed_out: false,
        }
    }

    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    fn arm(&mut self, timeout: Duration) {
        self.deadline.as_mut().reset(tokio::time::Instant::now() + timeout);
    }

    /// Follows the bytes a client sent.
    fn received(&mut self, bytes: &[u8]) {
        match self.stage {
            Stage::Upgraded => {}
            Stage::Request => {
                if !bytes.is_empty() {
                    self.arm(self.idle_timeout);
                }
            }
            Stage::Head { mut line } => {
                for &byte in bytes {
                    line = match (line, byte) {
                        (Line::Start, b'\r' | b'\n') => Line::Start,
                        (Line::Ended, b'\n') => {
                            self.stage = Stage::Request;
                            self.arm(self.idle_timeout);
                            return;
                        }
                        (_, b'\n') => Line::Ended,
                        (Line::Ended, b'\r') => Line::Ended,
                        _ => Line::Within,
                    };
                }
                self.stage = Stage::Head { line };
            }
        }
    }

    /// Follows what the server wrote: `first` is the start of one write.
    fn sent(&mut self, first: &[u8]) {
        match self.stage {
            Stage::Upgraded => {}
            _ if first.starts_with(b"HTTP/1.1 101 ") => self.stage = Stage::Upgraded,
            // "100 Continue": the client sends its body next.
            _ if first.starts_with(b"HTTP/1.1 100 ") => self.arm(self.idle_timeout),
            // An answer (or more of it) went out: the next request head is due within the head timeout.
            _ => {
                self.stage = Stage::Head { line: Line::Start };
                self.arm(self.head_timeout);
            }
        }
    }

    fn time_out(&mut self) -> io::Error {
        if !self.timed_out {
            self.timed_out = true;
            METRICS.stalled_requests_dropped.fetch_add(1, Relaxed);
        }
        io::Error::new(io::ErrorKind::TimedOut, "the request did not arrive in time")
    }
}

impl<S> Drop for Deadlined<S> {
    fn drop(&mut self) {
        METRICS.tcp_connections.fetch_sub(1, Relaxed);
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Deadlined<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        let before = buf.filled().len();
        let result = Pin::new(&mut this.inner).poll_read(cx, buf);
        if this.stage == Stage::Upgraded {
            return result;
        }
        match result {
            Poll::Ready(Ok(())) => {
                // Bytes that trickle in after the deadline do not save a head.
                let late = tokio::time::Instant::now() >= this.deadline.deadline();
                if late && matches!(this.stage, Stage::Head { .. }) {
                    return Poll::Ready(Err(this.time_out()));
                }
                this.received(&buf.filled()[before..]);
                Poll::Ready(Ok(()))
            }
            Poll::Pending => match this.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(this.time_out())),
                Poll::Pending => Poll::Pending,
            },
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Deadlined<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        if let Poll::Ready(Ok(written)) = result {
            if written > 0 {
                self.sent(buf);
            }
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if let Poll::Ready(Ok(written)) = result {
            if written > 0 {
                let first = bufs.iter().find(|b| !b.is_empty()).map(|b| &b[..]).unwrap_or_default();
                self.sent(first);
            }
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const HEAD: Duration = Duration::from_millis(300);

    /// A server end with short deadlines, and the client's end.
    fn pair() -> (Deadlined<tokio::io::DuplexStream>, tokio::io::DuplexStream) {
        let (server, client) = tokio::io::duplex(64 * 1024);
        (Deadlined::new(server, HEAD, HEAD * 2), client)
    }

    async fn read_some(server: &mut Deadlined<tokio::io::DuplexStream>) -> io::Result<usize> {
        server.read(&mut [0u8; 1024]).await
    }

    #[tokio::test]
    async fn a_head_trickled_in_byte_by_byte_is_cut_off_at_the_deadline() {
        let (mut server, mut client) = pair();
        let start = Instant::now();
        let trickle = tokio::spawn(async move {
            for byte in b"GET /ws HTTP/1.1\r\nHost: samsyn\r\nUpgrade: websocket\r\n".iter() {
                if client.write_all(&[*byte]).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        let error = loop {
            match read_some(&mut server).await {
                Ok(_) => continue,
                Err(error) => break error,
            }
        };
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        assert!(start.elapsed() >= HEAD && start.elapsed() < HEAD * 3, "{:?}", start.elapsed());
        drop(server);
        trickle.await.unwrap();
    }

    #[tokio::test]
    async fn blank_lines_alone_are_no_head() {
        let (mut server, mut client) = pair();
        client.write_all(b"\r\n\r\n\n\n").await.unwrap();
        assert_eq!(read_some(&mut server).await.unwrap(), 6);
        assert_eq!(read_some(&mut server).await.unwrap_err().kind(), io::ErrorKind::TimedOut);
    }

    #[tokio::test]
    async fn a_switch_to_the_websocket_protocol_lifts_the_deadlines() {
        let (mut server, mut client) = pair();
        client.write_all(b"GET /ws HTTP/1.1\r\nHost: samsyn\r\n\r\n").await.unwrap();
        read_some(&mut server).await.unwrap();
        server.write_all(b"HTTP/1.1 101 Switching Protocols\r\n\r\n").await.unwrap();
        let quiet = tokio::time::timeout(HEAD * 4, read_some(&mut server)).await;
        assert!(quiet.is_err(), "a quiet WebSocket is left to its own pings: {quiet:?}");
    }

    #[tokio::test]
    async fn after_an_answer_the_next_head_is_due_in_time() {
        let (mut server, mut client) = pair();
        client.write_all(b"GET /healthz HTTP/1.1\nHost: samsyn\n\n").await.unwrap();
        read_some(&mut server).await.unwrap();
        server.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok").await.unwrap();
        let start = Instant::now();
        assert_eq!(read_some(&mut server).await.unwrap_err().kind(), io::ErrorKind::TimedOut);
        assert!(start.elapsed() < HEAD * 3);
    }

    #[tokio::test]
    async fn a_body_that_keeps_coming_is_not_cut_off() {
        let (mut server, mut client) = pair();
        client.write_all(b"POST /api/sessions HTTP/1.1\r\ncontent-length: 8\r\n\r\n").await.unwrap();
        read_some(&mut server).await.unwrap();
        for _ in 0..8 {
            tokio::time::sleep(HEAD / 2).await;
            client.write_all(b"x").await.unwrap();
            assert_eq!(read_some(&mut server).await.unwrap(), 1);
        }
        assert_eq!(read_some(&mut server).await.unwrap_err().kind(), io::ErrorKind::TimedOut, "then it stalls");
    }

    #[test]
    fn a_bucket_allows_a_burst_then_the_steady_rate() {
        let start = Instant::now();
        let mut limit = RateLimit::new(10.0, 5.0);
        assert_eq!((0..8).filter(|_| limit.allow(start)).count(), 5);
        assert!(limit.allow(start + Duration::from_millis(100)));
        assert!(!limit.allow(start + Duration::from_millis(100)));
    }

    #[test]
    fn behind_a_trusted_proxy_the_client_address_counts_and_a_forged_one_does_not() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let limits = Limits::behind(10, vec![], vec![proxy, "10.0.0.3".parse().unwrap()]);
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert_eq!(limits.client_ip(proxy, Some("192.0.2.7")), ip("192.0.2.7"));
        // A client may send its own X-Forwarded-For; only the hop our proxies added is believed.
        assert_eq!(limits.client_ip(proxy, Some("6.6.6.6, 192.0.2.7, 10.0.0.3")), ip("192.0.2.7"));
        assert_eq!(limits.client_ip(proxy, None), proxy);
        assert_eq!(limits.client_ip(proxy, Some("not an address")), proxy);
        // From anyone else the header means nothing.
        assert_eq!(limits.client_ip(ip("192.0.2.9"), Some("192.0.2.7")), ip("192.0.2.9"));
    }

    #[test]
    fn connections_per_address_are_counted_and_released() {
        let limits = Limits::new(2, vec![]);
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let a = limits.connect(ip).unwrap();
        let _b = limits.connect(ip).unwrap();
        assert!(limits.connect(ip).is_none());
        drop(a);
        assert!(limits.connect(ip).is_some());
    }

    #[test]
    fn failed_hellos_throttle_an_address_for_a_window() {
        let limits = Limits::new(10, vec![]);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        let now = Instant::now();
        for _ in 0..FAILED_HELLOS {
            assert!(!limits.is_throttled(ip, now));
            limits.failed_hello(ip, now);
        }
        assert!(limits.is_throttled(ip, now));
        assert!(!limits.is_throttled(ip, now + FAILED_HELLO_WINDOW));
    }

    #[test]
    fn only_the_own_host_and_listed_origins_may_open_a_socket() {
        let limits = Limits::new(10, vec!["https://intranet.kommun.se/".into()]);
        assert!(limits.origin_allowed(Some("http://127.0.0.1:8080"), Some("127.0.0.1:8080")));
        assert!(limits.origin_allowed(Some("https://intranet.kommun.se"), Some("samsyn.kommun.se")));
        assert!(!limits.origin_allowed(Some("https://evil.example"), Some("samsyn.kommun.se")));
        assert!(limits.origin_allowed(None, Some("samsyn.kommun.se")));
    }
}
