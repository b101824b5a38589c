//! New participants per network: one laptop must not become a thousand voters, while a whole room behind
//! one address (the municipality's wifi) still joins within a minute. Counted per (address, session) in
//! memory only: the address is never stored, logged or shown; the console sees participant numbers.

use super::limits::RateLimit;
use crate::domain::ParticipantNo;
use std::collections::VecDeque;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// New participants from one address within [`BURST_WINDOW`] that make a burst the console flags: more
/// than a workshop table, fewer than a seminar hall on one wifi (which the facilitator recognises).
pub const BURST_FLAGGED_AT: usize = 30;
pub const BURST_WINDOW: Duration = Duration::from_secs(60);
/// Entries kept before the ones that no longer matter are dropped.
const REMEMBERED: usize = 50_000;

/// New participants per address and session.
pub struct Newcomers {
    /// Refill per second and burst of each (address, session) bucket.
    rate: f64,
    burst: f64,
    networks: Mutex<std::collections::HashMap<(IpAddr, String), Network>>,
}

struct Network {
    bucket: RateLimit,
    /// The new participants of the last minute, oldest first.
    recent: VecDeque<(Instant, ParticipantNo)>,
}

impl Newcomers {
    /// Allows `per_minute` new participants a minute per address and session, two thirds of them at once.
    pub fn new(per_minute: u32) -> Self {
        let per_minute = f64::from(per_minute.max(1));
        Newcomers { rate: per_minute / 60.0, burst: (per_minute * 2.0 / 3.0).max(1.0), networks: Default::default() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<(IpAddr, String), Network>> {
        self.networks.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Takes room for one new participant from `ip` in session `code`; false when the network has had its
    /// share for now. A hello that turns out to resume a known participant gives it back ([`Newcomers::give_back`]).
    pub fn take(&self, ip: IpAddr, code: &str, now: Instant) -> bool {
        let mut networks = self.lock();
        if networks.len() > REMEMBERED {
            networks.retain(|_, network| {
                !network.bucket.is_full(now) || network.recent.back().is_some_and(|(at, _)| now - *at < BURST_WINDOW)
            });
        }
        let (rate, burst) = (self.rate, self.burst);
        let network = networks
            .entry((ip, code.to_string()))
            .or_insert_with(|| Network { bucket: RateLimit::new(rate, burst), recent: VecDeque::new() });
        network.bucket.allow(now)
    }

    /// Returns the room [`Newcomers::take`] took for a hello that made no new participant.
    pub fn give_back(&self, ip: IpAddr, code: &str) {
        if let Some(network) = self.lock().get_mut(&(ip, code.to_string())) {
            network.bucket.refund();
        }
    }

    /// Notes that `participant` joined as new from `ip`; returns who to flag now: everyone of the last
    /// minute once the network reaches [`BURST_FLAGGED_AT`], then each further one.
    pub fn joined(&self, ip: IpAddr, code: &str, participant: ParticipantNo, now: Instant) -> Vec<ParticipantNo> {
        let mut networks = self.lock();
        let Some(network) = networks.get_mut(&(ip, code.to_string())) else { return vec![] };
        while network.recent.front().is_some_and(|(at, _)| now - *at >= BURST_WINDOW) {
            network.recent.pop_front();
        }
        network.recent.push_back((now, participant));
        match network.recent.len() {
            n if n < BURST_FLAGGED_AT => vec![],
            n if n == BURST_FLAGGED_AT => network.recent.iter().map(|(_, p)| *p).collect(),
            _ => vec![participant],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_network_gets_its_burst_then_the_steady_rate_and_other_networks_and_sessions_their_own() {
        let newcomers = Newcomers::new(300);
        let (room, other): (IpAddr, IpAddr) = ("10.1.1.1".parse().unwrap(), "10.2.2.2".parse().unwrap());
        let now = Instant::now();
        assert_eq!((0..500).filter(|_| newcomers.take(room, "123456", now)).count(), 200);
        assert!(newcomers.take(other, "123456", now), "another network");
        assert!(newcomers.take(room, "654321", now), "another session");
        assert!(newcomers.take(room, "123456", now + Duration::from_millis(200)), "five a second");
        assert!(!newcomers.take(room, "123456", now + Duration::from_millis(200)));
        newcomers.give_back(room, "123456");
        assert!(newcomers.take(room, "123456", now + Duration::from_millis(200)), "a returning phone takes no room");
    }

    #[test]
    fn a_burst_flags_everyone_of_its_minute_then_each_newcomer_and_a_slow_room_never() {
        let newcomers = Newcomers::new(10_000);
        let (laptop, room): (IpAddr, IpAddr) = ("10.1.1.1".parse().unwrap(), "10.2.2.2".parse().unwrap());
        let now = Instant::now();
        let mut flagged = Vec::new();
        for participant in 1..=(BURST_FLAGGED_AT as u32 + 2) {
            assert!(newcomers.take(laptop, "123456", now));
            flagged.extend(newcomers.joined(laptop, "123456", participant, now));
        }
        assert_eq!(flagged, (1..=BURST_FLAGGED_AT as u32 + 2).collect::<Vec<_>>());
        // A room whose phones come in over several minutes is no burst.
        for n in 0..(BURST_FLAGGED_AT as u32 * 3) {
            let at = now + Duration::from_secs(u64::from(n) * 5);
            assert!(newcomers.take(room, "123456", at));
            assert_eq!(newcomers.joined(room, "123456", 100 + n, at), Vec::<ParticipantNo>::new());
        }
    }
}
