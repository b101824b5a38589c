//! The saturation runs. Every server gets more and more load, one step at a time, until its deliveries stop
//! growing: its plateau. Then each server's CPU per delivery is read at one offered rate that all of them
//! keep up with, below the lowest plateau, so that ratio does not depend on how far past its limit a
//! server was pushed, nor on how many cores the machine has.

use crate::proc;
use crate::section::group;
use crate::system::{self, Load, Paths, Peak, Sampler, Server, System};
use crate::Plan;
use futures_util::future::join_all;
use serde_json::Value;
use std::time::Duration;

/// State frames a second to each phone while anything changes: Samsyn's phone cadence (the peers copy it)
/// is 100 ms while handing a frame to all of a session's phones takes under 80 ms, and slows beyond.
const PHONE_FRAMES: f64 = 10.0;
/// ... to the screen and to the facilitator together, with more than `SMALL_SESSION` phones online: the
/// screen every 25 ms, the facilitator every 50 ms.
const VIEWER_FRAMES: f64 = 60.0;
/// Up to this many phones the screen and the facilitator get frames every 5 ms.
const SMALL_SESSION: u32 = 100;
/// A step whose deliveries grew by less than this over the step before has reached the plateau.
const MIN_GAIN: f64 = 0.05;
/// A step that delivered less than this share of what it offered asked for more than the server can do.
const KEEPS_UP: f64 = 0.9;
/// The common rate is this share of the lowest plateau: every server keeps up there, none is idle.
const COMMON_SHARE: f64 = 0.75;
/// Open files the server keeps for everything but its sockets (listener, database, runtime).
const SPARE_FILES: u64 = 300;
/// How long one session's phones may take to join.
const JOIN_LIMIT: Duration = Duration::from_secs(30);
/// Joins a second while a step's sessions join, one session after the other: no figure is taken then.
const JOIN_RATE: f64 = 4000.0;

/// The load of one step: `sessions` sessions of `phones` phones, each with a screen and a facilitator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub sessions: u32,
    pub phones: u32,
}

impl Step {
    /// State frames a second the step asks for while votes come in.
    pub fn offered(self) -> f64 {
        f64::from(self.sessions) * (f64::from(self.phones) * PHONE_FRAMES + VIEWER_FRAMES)
    }

    pub fn phones_total(self) -> u32 {
        self.sessions * self.phones
    }

    /// Sessions of about `phones` phones (a quarter more at most) that together offer about `rate`.
    pub fn at_rate(rate: f64, phones: u32) -> Step {
        let per_session = f64::from(phones) * PHONE_FRAMES + VIEWER_FRAMES;
        let most = phones + phones / 4;
        let mut sessions = (rate / per_session).round().max(1.0) as u32;
        let each = |sessions: u32| ((rate / f64::from(sessions) - VIEWER_FRAMES) / PHONE_FRAMES).round();
        while each(sessions) > f64::from(most) {
            sessions += 1;
        }
        Step { sessions, phones: (each(sessions) as u32).clamp(SMALL_SESSION + 1, most) }
    }

    /// `8 × 1,500`
    pub fn describe(self) -> String {
        format!("{} × {}", self.sessions, group(f64::from(self.phones)))
    }
}

/// The steps every server climbs: `plan.ladder` sessions of `plan.session_phones` phones, as many as the
/// servers may hold sockets (they inherit this process's open-files limit).
pub fn ladder(plan: &Plan) -> Vec<Step> {
    let limit = proc::open_files_limit().unwrap_or(1024).saturating_sub(SPARE_FILES);
    let most = u32::try_from(limit / u64::from(plan.session_phones + 2)).unwrap_or(u32::MAX).max(1);
    let mut sessions: Vec<u32> = plan.ladder.iter().map(|&s| s.min(most)).collect();
    sessions.dedup();
    sessions.into_iter().map(|sessions| Step { sessions, phones: plan.session_phones }).collect()
}

/// Why a server's climb ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Deliveries grew by less than `MIN_GAIN` over the step before.
    Flat,
    /// The server delivered less than `KEEPS_UP` of what the step offered.
    Behind,
    /// No step is left (the open-files limit): the plateau was not reached.
    Top,
    /// The step gave no figure: the server failed.
    Failed,
}

impl Stop {
    pub fn describe(self) -> &'static str {
        match self {
            Stop::Flat => "deliveries grew by less than 5 % over the step before",
            Stop::Behind => "it delivered less than 90 % of what the step offered",
            Stop::Top => "no larger step fits in the open-files limit: the plateau was not reached",
            Stop::Failed => "the step failed",
        }
    }
}

/// One step on one server.
#[derive(Debug, Clone)]
pub struct StepRun {
    pub step: Step,
    /// The best stretch of the step's vote.
    pub peak: Option<Peak>,
    pub sessions_correct: u32,
    /// Connections that joined: phones that got their welcome (retries included), screens, facilitators.
    pub connections: u64,
    /// The server's resident memory after the phones joined minus before, per phone, KB.
    pub kb_per_connection: Option<f64>,
    /// The same from after the first session's phones joined, per phone of the later sessions: what
    /// one more phone costs, without what the server sets up once. `None` with one session.
    pub kb_per_further_connection: Option<f64>,
    /// Mean size of the state messages the clients received while the votes ran, bytes: over all of
    /// them, and for the phones, the screens and the facilitators.
    pub frame_bytes: Option<f64>,
    pub audience_bytes: [Option<f64>; 3],
    /// Acknowledged votes and words missing from the final tallies.
    pub lost: u64,
    /// What went wrong, one line per session.
    pub problems: Vec<String>,
}

impl StepRun {
    fn failed(step: Step, problem: String) -> StepRun {
        StepRun {
            step,
            peak: None,
            sessions_correct: 0,
            connections: 0,
            kb_per_connection: None,
            kb_per_further_connection: None,
            frame_bytes: None,
            audience_bytes: [None; 3],
            lost: 0,
            problems: vec![problem],
        }
    }

    pub fn keeps_up(&self) -> bool {
        self.peak.as_ref().is_some_and(|p| p.per_sec >= KEEPS_UP * self.step.offered())
    }

    /// One line of progress.
    pub fn describe(&self, before: Option<&StepRun>) -> String {
        let Some(p) = &self.peak else {
            return format!("{}: no figures ({})", self.step.describe(), self.problems.join("; "));
        };
        let gain = before.and_then(|b| b.peak.as_ref()).map_or(String::new(), |b| {
            format!(", {:+.0} % over the step before", (p.per_sec / b.per_sec - 1.0) * 100.0)
        });
        format!(
            "{}: offered {}/s, delivered {}/s ({:.0} %){gain}; server {:.0} % of a core, {:.2} µs per delivery; \
             machine {:.0} % busy, {:.2} µs per delivery; {} of {} sessions correct",
            self.step.describe(),
            group(self.step.offered()),
            group(p.per_sec),
            p.per_sec / self.step.offered() * 100.0,
            p.server_pct,
            p.server_us,
            p.machine_pct,
            p.machine_us,
            self.sessions_correct,
            self.step.sessions,
        ) + &by_thread(&p.threads)
    }
}

/// "; by thread: samsyn-fanout 6.10, … µs per delivery", or nothing when the threads were not read.
fn by_thread(threads: &[(String, f64)]) -> String {
    if threads.is_empty() {
        return String::new();
    }
    let shares: Vec<String> = threads.iter().map(|(name, us)| format!("{name} {us:.2}")).collect();
    format!("; by thread: {} µs per delivery", shares.join(", "))
}

/// Whether a climb ends after its latest step (`next` is the step after it, if any).
pub fn stop(runs: &[StepRun], next: Option<Step>) -> Option<Stop> {
    let last = runs.last()?;
    let Some(peak) = &last.peak else { return Some(Stop::Failed) };
    if !last.keeps_up() {
        return Some(Stop::Behind);
    }
    let before = runs.len().checked_sub(2).and_then(|i| runs[i].peak.as_ref());
    if before.is_some_and(|before| peak.per_sec < (1.0 + MIN_GAIN) * before.per_sec) {
        return Some(Stop::Flat);
    }
    next.is_none().then_some(Stop::Top)
}

/// The step of a climb with the most deliveries.
pub fn plateau(runs: &[StepRun]) -> Option<&StepRun> {
    runs.iter().filter(|r| r.peak.is_some()).max_by(|a, b| {
        let rate = |r: &StepRun| r.peak.as_ref().map_or(0.0, |p| p.per_sec);
        rate(a).total_cmp(&rate(b))
    })
}

/// The common rate's step: `COMMON_SHARE` of the lowest plateau, in sessions of at most `session_phones`.
pub fn common_step(climbs: &[&[StepRun]], session_phones: u32) -> Option<Step> {
    let plateaus = climbs.iter().map(|runs| plateau(runs).and_then(|r| r.peak.as_ref()).map(|p| p.per_sec));
    let lowest = plateaus.collect::<Option<Vec<f64>>>()?.into_iter().reduce(f64::min)?;
    Some(Step::at_rate(COMMON_SHARE * lowest, session_phones))
}

/// One step on a fresh server: the sessions join one after another while those already joined sit
/// quiet (no change, no frames), then all of them vote at once; the best stretch of the vote is the
/// step's figure.
pub async fn run(system: System, step: Step, plan: &Plan, paths: &Paths) -> StepRun {
    let server = match Server::start(system, paths).await {
        Ok(server) => server,
        Err(error) => return StepRun::failed(step, error),
    };
    let sampler = Sampler::start(server.watch());
    let rss_before = proc::rss_kb(server.pid);
    let loads: Vec<Load> = (0..step.sessions)
        .map(|k| Load {
            system,
            urls: &server.url,
            server_pid: None,
            participants: step.phones,
            window_secs: plan.step_window,
            stall_secs: plan.stall_secs,
            seed: 100 + u64::from(k),
            waiting_secs: 3.0 * f64::from(step.sessions),
            join_rate: Some(JOIN_RATE),
        })
        .collect();
    let mut problems = Vec::new();
    let mut running = Vec::new();
    let mut rss_after_first = None;
    for (k, load) in loads.iter().enumerate() {
        match load.start(paths) {
            Ok(mut generator) => {
                generator.joined(JOIN_LIMIT).await;
                if running.is_empty() {
                    rss_after_first = proc::rss_kb(server.pid);
                }
                running.push((k, generator));
            }
            Err(error) => problems.push(format!("session {}: {error}", k + 1)),
        }
    }
    let rss_joined = proc::rss_kb(server.pid);
    for (_, generator) in &mut running {
        generator.go().await;
    }
    let (numbers, generators): (Vec<usize>, Vec<system::Running>) = running.into_iter().unzip();
    let reports = join_all(generators.into_iter().map(system::Running::finish)).await;
    let samples = sampler.finish().await;
    server.stop().await;

    let mut run = StepRun::failed(step, String::new());
    run.problems = problems;
    let count = |report: &Value, key: &str| report[key].as_u64().unwrap_or(0);
    let mut phones = 0;
    // Phones of the session that joined first (the first report is its).
    let first_phones = reports.first().and_then(|report| report.as_ref().ok()).map(|r| count(r, "connected"));
    // Frames and bytes received while the votes ran, by audience.
    let mut weighed = [(0, 0); 3];
    for (k, report) in numbers.iter().zip(&reports) {
        match report.as_ref().map_err(Clone::clone).and_then(system::verdict) {
            Ok(()) => run.sessions_correct += 1,
            Err(problem) => run.problems.push(format!("session {}: {problem}", k + 1)),
        }
        if let Ok(report) = report {
            run.lost += count(report, "votes_lost") + count(report, "words_lost");
            run.connections += count(report, "connected") + 2;
            phones += count(report, "connected");
            for (audience, sum) in ["phone", "screen", "facilitator"].iter().zip(&mut weighed) {
                let frames = &report["vote_frames"][audience];
                sum.0 += frames["count"].as_u64().unwrap_or(0);
                sum.1 += frames["bytes"].as_u64().unwrap_or(0);
            }
        }
    }
    run.peak = system::peak(&samples, plan.peak);
    let mean = |(frames, bytes): (u64, u64)| (frames > 0).then(|| bytes as f64 / frames as f64);
    run.audience_bytes = weighed.map(mean);
    run.frame_bytes = mean(weighed.iter().fold((0, 0), |all, one| (all.0 + one.0, all.1 + one.1)));
    run.kb_per_connection = kb_per_phone(rss_before, rss_joined, phones);
    let further = first_phones.map_or(0, |first| phones.saturating_sub(first));
    run.kb_per_further_connection = kb_per_phone(rss_after_first, rss_joined, further);
    run
}

/// What the server's resident memory grew by from `before` to `after`, per phone that joined between.
fn kb_per_phone(before: Option<u64>, after: Option<u64>, phones: u64) -> Option<f64> {
    match (before, after) {
        (Some(before), Some(after)) if phones > 0 => Some(after.saturating_sub(before) as f64 / phones as f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(sessions: u32, delivered: f64) -> StepRun {
        let peak = Peak {
            per_sec: delivered,
            server_pct: 100.0,
            server_us: 5.0,
            machine_pct: 50.0,
            machine_us: 10.0,
            stolen_pct: 0.0,
            threads: vec![],
        };
        StepRun { peak: Some(peak), ..StepRun::failed(Step { sessions, phones: 1500 }, String::new()) }
    }

    #[test]
    fn a_step_offers_ten_frames_a_phone_forty_to_the_screen_and_twenty_to_the_console() {
        assert_eq!(Step { sessions: 12, phones: 1500 }.offered(), 180_720.0);
        let step = Step::at_rate(30_000.0, 1500);
        assert_eq!(step, Step { sessions: 2, phones: 1494 });
        assert!((step.offered() - 30_000.0).abs() < 20.0);
        assert_eq!(Step::at_rate(30_150.0, 1500), Step { sessions: 2, phones: 1502 });
        assert_eq!(Step::at_rate(40_000.0, 1500), Step { sessions: 3, phones: 1327 });
        assert_eq!(Step::at_rate(500.0, 1500), Step { sessions: 1, phones: 101 });
    }

    #[test]
    fn a_climb_stops_when_deliveries_stop_growing_or_fall_behind() {
        let next = Some(Step { sessions: 99, phones: 1500 });
        assert_eq!(stop(&[run(2, 30_000.0)], next), None);
        assert_eq!(stop(&[run(2, 30_000.0), run(3, 44_000.0)], next), None);
        // Kept up, but grew by under 5 %.
        let flat = [run(8, 119_000.0), run(9, 124_000.0)];
        assert_eq!(stop(&flat, next), Some(Stop::Flat));
        // Delivered under 90 % of the offer.
        assert_eq!(stop(&[run(2, 30_000.0), run(5, 60_000.0)], next), Some(Stop::Behind));
        assert_eq!(stop(&[run(2, 30_000.0)], None), Some(Stop::Top));
        let failed = StepRun::failed(Step { sessions: 2, phones: 1500 }, "no server".into());
        assert_eq!(stop(&[failed], next), Some(Stop::Failed));
        assert_eq!(plateau(&[run(2, 30_000.0), run(5, 60_000.0)]).map(|r| r.step.sessions), Some(5));
    }

    #[test]
    fn the_common_rate_is_three_quarters_of_the_lowest_plateau() {
        let fast = [run(2, 30_000.0), run(3, 45_000.0), run(5, 75_000.0), run(8, 90_000.0)];
        let slow = [run(2, 30_000.0), run(3, 44_000.0), run(5, 50_000.0)];
        let step = common_step(&[&fast, &slow], 1500).expect("a step");
        assert_eq!(step, Step { sessions: 2, phones: 1869 });
        assert!((step.offered() - 37_500.0).abs() < 20.0, "{step:?}");
        assert_eq!(common_step(&[&fast, &[]], 1500), None);
    }
}
