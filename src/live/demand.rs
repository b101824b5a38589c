//! When a session's phones need a fresh frame. The phones' fan-out writes to a crowd in sweeps (each phone
//! at most every 100 ms; a crowd of thousands a slice at a time), and each sweep takes the newest frame as
//! it goes; a frame rendered between two sweeps is never written anywhere. So the fan-out says when its next sweep starts, and the actor renders the
//! phones' frame often only from a little before then until the sweep is over.

use std::sync::Mutex;
use tokio::time::Instant;

/// Shared by a session's actor (which reads it) and the phones' fan-out on the actor's node (which sets it).
#[derive(Debug, Default)]
pub struct Demand {
    /// From when on the fan-out wants the newest frame. `None`: no fan-out paces the phones (none started
    /// yet, or the last ended), so every change is wanted as soon as it can be rendered.
    from: Mutex<Option<Instant>>,
}

impl Demand {
    /// The fan-out's next sweep starts at `at`: fresh frames are wanted from shortly before then.
    pub fn sweep_at(&self, at: Instant) {
        *self.lock() = Some(at.checked_sub(AHEAD).unwrap_or(at));
    }

    /// No fan-out paces the phones any more: every change is wanted as soon as it can be rendered.
    pub fn every_change(&self) {
        *self.lock() = None;
    }

    /// When the phones next want a fresh frame: `None` if now.
    pub fn wanted_from(&self, now: Instant) -> Option<Instant> {
        self.lock().filter(|from| *from > now)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        self.from.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// How long before a sweep frames are wanted: a little more than the actor's shortest time between two
/// phones' frames, so one or two are rendered in that time (the last at most 5 ms before the sweep) unless
/// a commit holds the actor that long.
const AHEAD: std::time::Duration = std::time::Duration::from_millis(7);

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn frames_are_wanted_shortly_before_a_sweep_and_until_the_next_is_announced() {
        let demand = Demand::default();
        let now = Instant::now();
        assert_eq!(demand.wanted_from(now), None, "with no fan-out, every change is wanted");
        demand.sweep_at(now + Duration::from_millis(100));
        assert_eq!(demand.wanted_from(now), Some(now + Duration::from_millis(93)));
        assert_eq!(demand.wanted_from(now + Duration::from_millis(95)), None, "just before the sweep");
        assert_eq!(demand.wanted_from(now + Duration::from_millis(300)), None, "a late sweep still wants it");
        demand.sweep_at(now + Duration::from_millis(200));
        demand.every_change();
        assert_eq!(demand.wanted_from(now), None, "a fan-out that ends wants every change again");
    }
}
