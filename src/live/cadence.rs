//! How often phones get a new frame: as often as this machine can afford, measured rather than assumed.
//! The fan-out reports how long writing the last phone frame to every phone took (the writer threads'
//! wall time, so a busy or shared machine shows up in it); the next frame waits one and a half times
//! that, so phone frames take at most two thirds of the writer threads' time, and never less than
//! [`PHONE_INTERVAL_MIN`] apart. (Twice that and four times were measured too: docs/performance.md.)

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

/// Phones get frames at least this far apart (100 ms): a person cannot tell a faster update, and each
/// phone parses every frame it gets.
pub const PHONE_INTERVAL_MIN: Duration = Duration::from_millis(100);
/// ... and at most this far apart (1 s), however slow writing to them gets.
pub const PHONE_INTERVAL_MAX: Duration = Duration::from_millis(1000);
/// The next phone frame waits this many times as long as writing the last one took, in halves: phone
/// frames take at most two thirds of the writer threads' time, the rest is left for other sessions.
const DELIVERY_HALVES: u32 = 3;

/// A relaying node's phones are paced by the session's owner: their write-out time goes to it this often.
const RELAY_REPORT_EVERY: Duration = Duration::from_millis(500);

/// What writing one audience's frames costs on this node, shared by the session and its fan-out.
#[derive(Default)]
pub struct Delivery {
    /// How long the last frame took to reach every socket of the audience, in microseconds.
    last_micros: AtomicU64,
    /// On a relaying node: passes the time on to the node that runs the session (at most every
    /// [`RELAY_REPORT_EVERY`]), so the phones' cadence follows the slowest node.
    relay: Option<Relay>,
}

struct Relay {
    report: Box<dyn Fn(Duration) + Send + Sync>,
    started: std::time::Instant,
    last_report_ms: AtomicU64,
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery").field("last", &self.last()).field("relayed", &self.relay.is_some()).finish()
    }
}

impl Delivery {
    /// A relaying node's: each recorded time also goes to `report` (now and then).
    pub fn relaying(report: impl Fn(Duration) + Send + Sync + 'static) -> Self {
        let relay =
            Relay { report: Box::new(report), started: std::time::Instant::now(), last_report_ms: AtomicU64::new(0) };
        Delivery { last_micros: AtomicU64::new(0), relay: Some(relay) }
    }

    /// Records how long writing the latest frame to every socket took.
    pub fn record(&self, took: Duration) {
        self.last_micros.store(u64::try_from(took.as_micros()).unwrap_or(u64::MAX), Relaxed);
        if let Some(relay) = &self.relay {
            let now = relay.started.elapsed().as_millis() as u64 + 1;
            let last = relay.last_report_ms.load(Relaxed);
            // 0: never reported yet (`now` is at least 1).
            let due = last == 0 || now.saturating_sub(last) >= RELAY_REPORT_EVERY.as_millis() as u64;
            if due && relay.last_report_ms.compare_exchange(last, now, Relaxed, Relaxed).is_ok() {
                (relay.report)(took);
            }
        }
    }

    pub fn last(&self) -> Duration {
        Duration::from_micros(self.last_micros.load(Relaxed))
    }
}

/// The phone cadence when writing the last frame to every phone took `last_delivery`.
pub fn phone_interval(last_delivery: Duration) -> Duration {
    (last_delivery.saturating_mul(DELIVERY_HALVES) / 2).clamp(PHONE_INTERVAL_MIN, PHONE_INTERVAL_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn phones_get_ten_frames_a_second_until_writing_them_takes_two_thirds_of_the_time_then_fewer_down_to_one() {
        assert_eq!(phone_interval(Duration::ZERO), Duration::from_millis(100), "nothing measured yet");
        assert_eq!(phone_interval(Duration::from_millis(60)), Duration::from_millis(100));
        assert_eq!(phone_interval(Duration::from_millis(80)), Duration::from_millis(120));
        assert_eq!(phone_interval(Duration::from_millis(700)), Duration::from_millis(1000));
        assert_eq!(phone_interval(Duration::MAX), Duration::from_millis(1000));
        let delivery = Delivery::default();
        delivery.record(Duration::from_millis(120));
        assert_eq!(phone_interval(delivery.last()), Duration::from_millis(180));
    }

    #[test]
    fn a_relaying_node_passes_its_write_out_time_on_now_and_then() {
        let reported = Arc::new(std::sync::Mutex::new(Vec::new()));
        let seen = reported.clone();
        let delivery = Delivery::relaying(move |took| seen.lock().unwrap().push(took));
        delivery.record(Duration::from_millis(70));
        delivery.record(Duration::from_millis(90));
        assert_eq!(*reported.lock().unwrap(), [Duration::from_millis(70)], "the first at once, the next after a while");
        assert_eq!(delivery.last(), Duration::from_millis(90), "this node's own pacing sees every one");
    }
}
