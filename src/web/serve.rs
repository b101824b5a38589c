//! The edge of the server: accepts TCP connections and serves HTTP/1.1 on each with hyper, under the
//! request deadlines, until shutdown. Knows sockets and hyper; hands every request to the router.

use super::{router, AppState};
use crate::metrics::METRICS;
use crate::protocol::Code;
use axum::body::{Body, HttpBody};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::Ordering::Relaxed;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

/// A connection must send a whole request head (the request line and headers, a WebSocket upgrade
/// included) within 10 s of opening, or of the end of the previous answer: a phone sends its under-2-KiB
/// head at once, while a client that trickles it byte by byte or stalls halfway would otherwise hold a
/// socket for ever. The same limit closes idle keep-alive connections.
pub const REQUEST_HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A request's whole body must arrive within 60 s of its head: a body trickled a byte at a time is cut
/// off however steadily it comes. (A 1 MiB catalogue takes under a second on a phone network.)
pub const REQUEST_BODY_TIMEOUT: Duration = Duration::from_secs(60);
/// Largest request body (1 MiB): a whole catalogue or item set with long texts fits with room to spare.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// How long a client may take to send a request: its head, then its whole body.
#[derive(Debug, Clone, Copy)]
struct Deadlines {
    head: Duration,
    body: Duration,
}

/// Serves Samsyn on `listener` until `shutdown` completes, then stops accepting and lets the requests
/// under way finish. Upgraded WebSockets are not waited for: they watch `state.shutdown` themselves.
pub async fn serve(listener: TcpListener, state: AppState, shutdown: impl Future<Output = ()>) -> io::Result<()> {
    let deadlines = Deadlines { head: REQUEST_HEAD_TIMEOUT, body: REQUEST_BODY_TIMEOUT };
    serve_router(listener, router(state), deadlines, shutdown).await
}

async fn serve_router(
    listener: TcpListener,
    router: Router,
    deadlines: Deadlines,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let router = router.layer(axum::middleware::from_fn_with_state(deadlines.body, whole_body));
    // Every connection task holds a sender; once all are gone, every connection has finished.
    let (open, mut all_closed) = tokio::sync::mpsc::channel::<()>(1);
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new()).header_read_timeout(deadlines.head);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of descriptors or memory for a moment: wait instead of spinning on the error.
                    tracing::warn!(%error, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        // No Nagle delay: a welcome and its first state are two small writes that should leave at once.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request)
        });
        let connection = http.serve_connection(TokioIo::new(Counted::new(stream)), service).with_upgrades();
        let (open, mut stopping) = (open.clone(), stopping.clone());
        tokio::spawn(async move {
            tokio::pin!(connection);
            let ended = tokio::select! {
                ended = connection.as_mut() => ended,
                _ = async { stopping.wait_for(|stop| *stop).await.is_ok() } => {
                    // Finish the request under way, if any, then close; an idle connection closes at once.
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            drop(open);
            if let Err(error) = ended {
                if error.is_timeout() {
                    METRICS.stalled_requests_dropped.fetch_add(1, Relaxed);
                }
                tracing::debug!(%error, "an HTTP connection ended with an error");
            }
        });
    }
    drop(listener);
    let _ = stop.send(true);
    drop(open);
    let _ = all_closed.recv().await;
    Ok(())
}

/// Reads a request's whole body before its handler runs, within `deadline` of its head and up to
/// [`MAX_BODY_BYTES`]. Handlers then take the body as bytes already here.
async fn whole_body(State(deadline): State<Duration>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    if body.size_hint().exact() == Some(0) {
        return next.run(Request::from_parts(parts, body)).await;
    }
    match tokio::time::timeout(deadline, axum::body::to_bytes(body, MAX_BODY_BYTES)).await {
        Ok(Ok(bytes)) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Ok(Err(_)) => {
            let message = format!("a request body may be at most {MAX_BODY_BYTES} bytes");
            refuse(Code::TooLarge, message)
        }
        Err(_) => {
            METRICS.stalled_requests_dropped.fetch_add(1, Relaxed);
            let message = format!("the request body did not arrive within {} s", deadline.as_secs());
            refuse(Code::Timeout, message)
        }
    }
}

/// An error answer after which the connection closes: the rest of the body was never read.
fn refuse(code: Code, message: String) -> Response {
    let status = StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::BAD_REQUEST);
    let body = axum::Json(serde_json::json!({ "code": code, "message": message }));
    let mut response = (status, [(header::CONNECTION, "close")], body).into_response();
    // Given outside the router, so its no-sniffing layer never sees this answer.
    super::forbid_sniffing(response.headers_mut());
    response
}

/// A TCP stream counted in `samsyn_tcp_connections` while it is open, a WebSocket's included.
pub(super) struct Counted {
    stream: TcpStream,
}

/// The connection as hyper hands it back after a WebSocket handshake (`Upgraded::downcast`).
pub(super) type Upgraded = TokioIo<Counted>;

impl Counted {
    pub(super) fn new(stream: TcpStream) -> Self {
        METRICS.tcp_connections.fetch_add(1, Relaxed);
        Counted { stream }
    }

    /// The socket itself, for writes that need not wait (see `conn`).
    pub(super) fn socket(&self) -> &TcpStream {
        &self.stream
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        METRICS.tcp_connections.fetch_sub(1, Relaxed);
    }
}

impl AsyncRead for Counted {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Counted {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::{get, post};
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::time::Instant;

    const HEAD: Duration = Duration::from_millis(300);
    const BODY: Duration = Duration::from_millis(600);

    /// A server on a real socket with short deadlines: `/` answers "ok", `/echo` the length of the body
    /// it got, `/upgrade` switches protocols and then echoes bytes.
    async fn server() -> (SocketAddr, tokio::sync::oneshot::Sender<()>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = Router::new()
            .route("/", get(|| async { "ok" }))
            .route("/echo", post(|body: axum::body::Bytes| async move { body.len().to_string() }))
            .route("/upgrade", get(upgrade));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let deadlines = Deadlines { head: HEAD, body: BODY };
        tokio::spawn(serve_router(listener, router, deadlines, async {
            let _ = stopped.await;
        }));
        (addr, stop)
    }

    async fn upgrade(mut request: Request) -> Response {
        let on_upgrade = request.extensions_mut().remove::<hyper::upgrade::OnUpgrade>().unwrap();
        tokio::spawn(async move {
            let mut io = TokioIo::new(on_upgrade.await.unwrap());
            let mut byte = [0u8; 1];
            while io.read_exact(&mut byte).await.is_ok() {
                if io.write_all(&byte).await.is_err() {
                    break;
                }
            }
        });
        Response::builder()
            .status(StatusCode::SWITCHING_PROTOCOLS)
            .header(header::CONNECTION, "upgrade")
            .header(header::UPGRADE, "echo")
            .body(Body::empty())
            .unwrap()
    }

    /// Reads until the server closes the connection, or fails the test after `within`.
    async fn read_to_close(tcp: &mut TcpStream, within: Duration) -> String {
        let mut answer = Vec::new();
        tokio::time::timeout(within, tcp.read_to_end(&mut answer)).await.expect("closed in time").ok();
        String::from_utf8_lossy(&answer).into_owned()
    }

    #[tokio::test]
    async fn a_head_trickled_in_byte_by_byte_is_cut_off_at_the_deadline() {
        let (addr, _stop) = server().await;
        let tcp = TcpStream::connect(addr).await.unwrap();
        let (mut read, mut write) = tcp.into_split();
        let start = Instant::now();
        let trickle = tokio::spawn(async move {
            for byte in b"GET / HTTP/1.1\r\nHost: samsyn\r\nX-Slow: ".iter().cycle() {
                if write.write_all(&[*byte]).await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
        let mut rest = Vec::new();
        tokio::time::timeout(HEAD * 5, read.read_to_end(&mut rest)).await.expect("closed in time").ok();
        assert!(start.elapsed() >= HEAD && start.elapsed() < HEAD * 5, "{:?}", start.elapsed());
        trickle.await.unwrap();
    }

    #[tokio::test]
    async fn after_an_answer_an_idle_connection_is_closed_when_the_next_head_is_due() {
        let (addr, _stop) = server().await;
        let mut tcp = TcpStream::connect(addr).await.unwrap();
        tcp.write_all(b"GET / HTTP/1.1\r\nHost: samsyn\r\n\r\n").await.unwrap();
        let start = Instant::now();
        let answer = read_to_close(&mut tcp, HEAD * 5).await;
        assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("ok"), "{answer}");
        assert!(start.elapsed() >= HEAD, "kept open until the next head was due: {:?}", start.elapsed());
    }

    #[tokio::test]
    async fn a_body_that_arrives_in_time_reaches_its_handler_whole() {
        let (addr, _stop) = server().await;
        let mut tcp = TcpStream::connect(addr).await.unwrap();
        tcp.write_all(b"POST /echo HTTP/1.1\r\nHost: samsyn\r\nContent-Length: 8\r\nConnection: close\r\n\r\nabcd")
            .await
            .unwrap();
        tokio::time::sleep(BODY / 3).await;
        tcp.write_all(b"efgh").await.unwrap();
        let answer = read_to_close(&mut tcp, BODY * 3).await;
        assert!(answer.starts_with("HTTP/1.1 200") && answer.ends_with("\r\n\r\n8"), "{answer}");
    }

    #[tokio::test]
    async fn a_body_trickled_a_byte_at_a_time_is_cut_off_at_the_whole_body_deadline() {
        let (addr, _stop) = server().await;
        let tcp = TcpStream::connect(addr).await.unwrap();
        let (mut read, mut write) = tcp.into_split();
        write.write_all(b"POST /echo HTTP/1.1\r\nHost: samsyn\r\nContent-Length: 1000\r\n\r\n").await.unwrap();
        let start = Instant::now();
        let trickle = tokio::spawn(async move {
            // Steadily, a byte every 50 ms: never idle long, and never done within the deadline.
            for _ in 0..1000 {
                if write.write_all(b"x").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        });
        let mut answer = Vec::new();
        tokio::time::timeout(BODY * 5, read.read_to_end(&mut answer)).await.expect("answered in time").ok();
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(answer.contains(r#""code":"timeout""#), "a JSON error with its code: {answer}");
        assert!(start.elapsed() >= BODY && start.elapsed() < BODY * 3, "{:?}", start.elapsed());
        trickle.abort();
    }

    #[tokio::test]
    async fn a_body_over_the_limit_gets_a_json_413() {
        let (addr, _stop) = server().await;
        let mut tcp = TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST /echo HTTP/1.1\r\nHost: samsyn\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            MAX_BODY_BYTES + 1
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        let _ = tcp.write_all(&vec![b'x'; MAX_BODY_BYTES + 1]).await;
        let answer = read_to_close(&mut tcp, Duration::from_secs(5)).await;
        assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
        assert!(answer.contains(r#""code":"too_large""#), "{answer}");
    }

    #[tokio::test]
    async fn a_switch_of_protocols_lifts_the_deadlines() {
        let (addr, _stop) = server().await;
        let mut tcp = TcpStream::connect(addr).await.unwrap();
        tcp.write_all(b"GET /upgrade HTTP/1.1\r\nHost: samsyn\r\nConnection: upgrade\r\nUpgrade: echo\r\n\r\n")
            .await
            .unwrap();
        let mut head = [0u8; 12];
        tcp.read_exact(&mut head).await.unwrap();
        assert_eq!(&head, b"HTTP/1.1 101");
        let mut rest = [0u8; 256];
        let _ = tcp.read(&mut rest).await.unwrap();
        tokio::time::sleep(HEAD * 3).await;
        tcp.write_all(b"!").await.unwrap();
        let mut echoed = [0u8; 1];
        tokio::time::timeout(HEAD, tcp.read_exact(&mut echoed)).await.expect("still open").unwrap();
        assert_eq!(&echoed, b"!", "a quiet upgraded connection is left to its own pings");
    }
}
