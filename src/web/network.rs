//! Which address phones can reach this server at: the answer to "why does my QR code not work from a laptop?".
//! A console opened on `localhost` would otherwise show a join link that no phone in the room can open.

use super::AppState;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};

/// The machine's address on the local network: the source address the system would use towards a private
/// address. A UDP `connect` only picks a route; it sends nothing, so this makes no network request.
pub fn lan_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    socket.connect((Ipv4Addr::new(10, 254, 254, 254), 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// The base of join links phones can open, or `None` when the server listens on loopback only.
/// `--public-url` wins; a server on all interfaces answers with the LAN address; one bound to a single
/// address answers with that address.
pub fn join_base(listen: SocketAddr, public_url: Option<&str>, lan: Option<IpAddr>) -> Option<String> {
    if let Some(url) = public_url {
        return Some(url.trim_end_matches('/').to_string());
    }
    let ip = listen.ip();
    if ip.is_loopback() {
        return None;
    }
    let ip = if ip.is_unspecified() { lan? } else { ip };
    Some(format!("http://{}", SocketAddr::new(ip, listen.port())))
}

/// True when a Host header names this machine by a loopback name, which phones cannot resolve to it.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The base of the join link and QR code for a request: `--public-url`, else the LAN address when the
/// console was opened on a loopback name, else the host the request named.
pub fn link_base(app: &AppState, headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    if app.public_url.is_none() && !is_loopback_host(host) {
        return format!("http://{host}");
    }
    join_base(app.listen, app.public_url.as_deref(), lan_address()).unwrap_or_else(|| format!("http://{host}"))
}

/// `GET /api/server`: whether phones can reach this server, and the join-link base they should use.
pub async fn server_info(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let loopback_only = app.public_url.is_none() && app.listen.ip().is_loopback();
    let join_base = (!loopback_only).then(|| link_base(&app, &headers));
    Json(json!({ "loopback_only": loopback_only, "join_base": join_base })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_join_base_follows_the_listening_address() {
        let lan = Some("192.168.1.20".parse().unwrap());
        let addr = |s: &str| s.parse::<SocketAddr>().unwrap();
        assert_eq!(join_base(addr("127.0.0.1:8080"), None, lan), None, "loopback: phones cannot reach it");
        assert_eq!(join_base(addr("0.0.0.0:8080"), None, lan).as_deref(), Some("http://192.168.1.20:8080"));
        assert_eq!(join_base(addr("[::]:8080"), None, lan).as_deref(), Some("http://192.168.1.20:8080"));
        assert_eq!(join_base(addr("0.0.0.0:8080"), None, None), None, "no network at all");
        assert_eq!(join_base(addr("10.0.0.5:80"), None, lan).as_deref(), Some("http://10.0.0.5:80"));
        let public = Some("https://samsyn.example.se/");
        assert_eq!(join_base(addr("127.0.0.1:8080"), public, lan).as_deref(), Some("https://samsyn.example.se"));
    }

    #[test]
    fn loopback_host_names_are_recognised() {
        for host in ["localhost", "localhost:8080", "127.0.0.1:8080", "[::1]:8080", "LOCALHOST"] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in ["192.168.1.20:8080", "samsyn.example.se", "[fe80::1]:80"] {
            assert!(!is_loopback_host(host), "{host}");
        }
    }
}
