//! Protection against careless and hostile clients: message rate per connection, connections and failed
//! hellos per address, allowed origins. (Deadlines for HTTP requests that stall are the server's, in
//! `serve.rs`.) Addresses live only in memory, only as long as they matter, and are never logged or stored.

use dashmap::DashMap;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Messages a connection may send per second on average (20) and in a burst (40): a phone sends a
/// handful per minute, a facilitator a few per second at most.
pub const MESSAGES_PER_SECOND: f64 = 20.0;
pub const MESSAGE_BURST: f64 = 40.0;
/// Failed hellos (unknown code, wrong key) per address before it must wait: 20 per minute stops
/// enumerating 6-digit codes or guessing keys while forgiving a few typos.
pub const FAILED_HELLOS: u32 = 20;
pub const FAILED_HELLO_WINDOW: Duration = Duration::from_secs(60);
/// New participants a minute per address and session, two thirds of them at once: a room of 300 on one
/// wifi joins within a minute; one laptop adds 5 voters a second, not 1,800.
pub const NEW_PARTICIPANTS_PER_MINUTE: u32 = 300;
/// How long an address counts as being in a session it joined (for the guessing throttle): a long day.
pub const JOINED_REMEMBERED: Duration = Duration::from_secs(12 * 3600);

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

    /// Whether the bucket would be full at `now`.
    pub fn is_full(&self, now: Instant) -> bool {
        self.tokens + now.saturating_duration_since(self.last).as_secs_f64() * self.rate >= self.burst
    }

    /// Gives back a token taken for something that turned out not to count.
    pub fn refund(&mut self) {
        self.tokens = (self.tokens + 1.0).min(self.burst);
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
    /// Sessions each address has joined lately (any role), and when: while the address is held back for
    /// guessing, hellos to these still go through, so a room behind one address keeps joining the
    /// session it is in, while no new code can be found from it.
    joined: DashMap<(IpAddr, String), Instant>,
    /// Creations per owner (an account, or an address when not signed in): see `guard::creation_rate`.
    creations: std::sync::Mutex<std::collections::HashMap<String, RateLimit>>,
    /// New participants per address and session (ballot stuffing from one laptop).
    pub newcomers: super::newcomers::Newcomers,
    /// Extra origins allowed to open the WebSocket besides the server's own host.
    allowed_origins: Vec<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed: behind them, limits count the client's address.
    trusted_proxies: Vec<IpAddr>,
}

impl Limits {
    pub fn new(max_connections: usize, allowed_origins: Vec<String>) -> Arc<Self> {
        Limits::behind(max_connections, allowed_origins, Vec::new(), NEW_PARTICIPANTS_PER_MINUTE)
    }

    /// Limits for a server whose clients come through the `trusted_proxies`, letting `new_per_minute`
    /// new participants a minute join a session from one address.
    pub fn behind(
        max_connections: usize,
        allowed_origins: Vec<String>,
        trusted_proxies: Vec<IpAddr>,
        new_per_minute: u32,
    ) -> Arc<Self> {
        let allowed_origins =
            allowed_origins.into_iter().map(|o| o.trim_end_matches('/').to_ascii_lowercase()).collect();
        let (connections, failures) = (DashMap::new(), DashMap::new());
        let (creations, joined) = (Default::default(), DashMap::new());
        let newcomers = super::newcomers::Newcomers::new(new_per_minute);
        Arc::new(Limits {
            max_connections,
            connections,
            failures,
            joined,
            creations,
            newcomers,
            allowed_origins,
            trusted_proxies,
        })
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

    /// Takes one creation from `owner`'s bucket (`rate` per second up to `burst`); false when empty.
    pub fn may_create(&self, owner: &str, rate: f64, burst: f64, now: Instant) -> bool {
        let mut buckets = self.creations.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > 10_000 {
            // A full bucket is the same as none: forget those.
            buckets.retain(|_, bucket| !bucket.is_full(now));
        }
        buckets.entry(owner.to_string()).or_insert_with(|| RateLimit::new(rate, burst)).allow(now)
    }

    /// Notes that `ip` joined the session `code`.
    pub fn joined(&self, ip: IpAddr, code: &str, now: Instant) {
        if self.joined.len() > 100_000 {
            self.joined.retain(|_, at| now.duration_since(*at) < JOINED_REMEMBERED);
        }
        self.joined.insert((ip, code.to_string()), now);
    }

    /// Whether `ip` joined the session `code` lately.
    pub fn has_joined(&self, ip: IpAddr, code: &str, now: Instant) -> bool {
        self.joined.get(&(ip, code.to_string())).is_some_and(|at| now.duration_since(*at) < JOINED_REMEMBERED)
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

    /// A browser's WebSocket and its changes carry their page's origin; only pages served by this server
    /// or listed origins may connect or change anything. "This server" is the public URL when one is set:
    /// a page on a name that a rebinding DNS points here says its own name in `Host` and `Origin` alike,
    /// so comparing the two proves nothing then. Without a public URL it is the request's `Host`.
    /// Clients without an `Origin` (not browsers) are let through.
    pub fn origin_allowed(&self, origin: Option<&str>, host: Option<&str>, public_url: Option<&str>) -> bool {
        let Some(origin) = origin else { return true };
        let origin = origin.trim_end_matches('/').to_ascii_lowercase();
        let own = match public_url {
            Some(url) => origin_of(url).is_some_and(|own| own == origin),
            None => host.is_some_and(|host| {
                let host = host.to_ascii_lowercase();
                origin == format!("http://{host}") || origin == format!("https://{host}")
            }),
        };
        own || self.allowed_origins.contains(&origin)
    }
}

/// `scheme://host[:port]` of a URL, in lower case.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{scheme}://{authority}").to_ascii_lowercase())
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

#[cfg(test)]
mod tests {
    use super::*;
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
        let limits = Limits::behind(10, vec![], vec![proxy, "10.0.0.3".parse().unwrap()], 300);
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
        assert!(limits.origin_allowed(Some("http://127.0.0.1:8080"), Some("127.0.0.1:8080"), None));
        assert!(limits.origin_allowed(Some("https://intranet.kommun.se"), Some("samsyn.kommun.se"), None));
        assert!(!limits.origin_allowed(Some("https://evil.example"), Some("samsyn.kommun.se"), None));
        assert!(limits.origin_allowed(None, Some("samsyn.kommun.se"), None));
    }

    #[test]
    fn with_a_public_url_a_rebinding_name_is_refused_though_host_and_origin_agree() {
        let limits = Limits::new(10, vec![]);
        let public = Some("https://samsyn.kommun.se/");
        assert!(limits.origin_allowed(Some("https://samsyn.kommun.se"), Some("samsyn.kommun.se"), public));
        assert!(!limits.origin_allowed(Some("http://rebound.example"), Some("rebound.example"), public));
        assert!(
            limits.origin_allowed(Some("http://rebound.example"), Some("rebound.example"), None),
            "without one, Host decides"
        );
    }
}
