//! `samsyn-load`: a load generator that speaks Samsyn's WebSocket protocol like a crowd of phones, checks
//! that nothing acknowledged was lost, and measures latency and CPU. Talks only to the server it is given;
//! depends on the protocol (docs/protocol.md), never on the server's code.
#![forbid(unsafe_code)]

mod args;
mod client;
mod measure;
mod phone;
mod plan;
mod report;
mod viewer;
mod websocket;
mod workers;

use args::{check, worker_args, workload, Args};
use clap::Parser;
use client::Target;
use measure::{round1, ErrorLog, Snapshot};
use phone::{Control, ControlCell, Opened, PhoneReport};
use plan::{Workload, CHOICE, WORDS};
use rand::rngs::SmallRng;
use rand::SeedableRng;
use report::{print_table, summarise};
use serde_json::{json, Value};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use viewer::Viewer;

/// Participants per loopback source address when spreading automatically, like phones on many networks:
/// within the server's default burst of new participants per address and session (200), far below its
/// limit of 5,000 open sockets per address, and a small share of the ephemeral ports.
const PER_SOURCE: usize = 150;
/// How long the coordinator waits for the facilitator to see its own command take effect.
const STATE_WAIT: Duration = Duration::from_secs(10);
/// Quiet time after every client saw the final version, so no later `state` is still on its way.
const SETTLE: Duration = Duration::from_millis(300);

/// What every client task shares.
pub struct Env {
    pub target: Target,
    pub code: String,
    pub deadline: Instant,
    pub errors: ErrorLog,
    pub join_errors: ErrorLog,
    /// Participants who have sent a first vote (counted just before it is written).
    pub first_votes_sent: AtomicU64,
    /// Phones whose first join succeeded or finally failed.
    pub join_resolved: AtomicUsize,
    /// Phones joined and still connected (or reconnecting).
    pub live: AtomicUsize,
    /// Phones done with their plan (or given up).
    pub done: AtomicUsize,
    /// Phones that have seen the final state's version.
    pub at_final: AtomicUsize,
    /// Set before the facilitator closes the items: from then on phones keep their last state.
    pub closing: AtomicBool,
    /// Set once every client had time to receive the final state, before anyone disconnects: a state sent
    /// after that (the participant count dropping as phones leave) is not the final state.
    pub frozen: AtomicBool,
}

impl Env {
    fn new(target: Target, code: String, deadline: Instant) -> Self {
        Env {
            target,
            code,
            deadline,
            errors: ErrorLog::default(),
            join_errors: ErrorLog::default(),
            first_votes_sent: AtomicU64::new(0),
            join_resolved: AtomicUsize::new(0),
            live: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            at_final: AtomicUsize::new(0),
            closing: AtomicBool::new(false),
            frozen: AtomicBool::new(false),
        }
    }

    /// Whether a state received now may be the final state.
    pub fn keeps_final_view(&self) -> bool {
        self.closing.load(Ordering::SeqCst) && !self.frozen.load(Ordering::SeqCst)
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = match args.threads {
        1 => tokio::runtime::Builder::new_current_thread().enable_all().build(),
        0 => tokio::runtime::Builder::new_multi_thread().enable_all().build(),
        n => tokio::runtime::Builder::new_multi_thread().worker_threads(n).enable_all().build(),
    };
    match runtime {
        Ok(runtime) => runtime.block_on(generate(args)),
        Err(error) => {
            eprintln!("samsyn-load: could not start the runtime: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn generate(args: Args) -> ExitCode {
    let json_out = args.json;
    if let Some(code) = args.worker.clone() {
        return match run_worker(args, code).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("samsyn-load worker: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let hard_limit = Duration::from_secs_f64(args.max_secs.clamp(1.0, 86_400.0)) + Duration::from_secs(30);
    match tokio::time::timeout(hard_limit, run(args)).await {
        Ok(Ok(report)) => {
            if json_out {
                println!("{report}");
            } else {
                print_table(&report);
            }
            ExitCode::SUCCESS
        }
        Ok(Err(error)) => {
            eprintln!("samsyn-load: {error}");
            ExitCode::FAILURE
        }
        Err(_) => {
            eprintln!("samsyn-load: did not finish within --max-secs plus 30 s; giving up");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<Value, String> {
    check(&args)?;
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.max_secs);
    let total = args.participants as usize;
    let processes = args.processes as usize;
    // This process's phones; the workers take the rest, in equal shares.
    let per_worker = total / processes;
    let n = total - per_worker * (processes - 1);
    let spread = if args.source_addrs == 0 { n.div_ceil(PER_SOURCE).max(4) } else { args.source_addrs };
    let target = Target::resolve(&args.url, spread, args.protocol).await?;
    let seed = args.seed.unwrap_or_else(rand::random);
    let workload = workload(&args);
    let progress = |message: String| {
        eprintln!("[{:6.1} s] {message}", started.elapsed().as_secs_f64());
    };

    // The session.
    let (status, body) = target.post_json("/api/sessions", &plan::session_body().to_string()).await?;
    if status == 401 {
        return Err(format!("the server asks for a signed-in member: start it with --allow-anonymous ({body})"));
    }
    if status != 201 {
        return Err(format!("creating the session answered {status}: {body}"));
    }
    let created: Value = serde_json::from_str(&body).map_err(|e| format!("creating the session: {e}: {body}"))?;
    let code = created["code"].as_str().ok_or("no code in the answer")?.to_string();
    let key = created["facilitator_key"].as_str().ok_or("no facilitator_key in the answer")?.to_string();
    progress(format!(
        "session {code} created on {}; {n} participants from {} source address(es){}",
        args.url.join(", "),
        target.source_count().max(1),
        if processes > 1 {
            format!(", {} more in {} worker processes", total - n, processes - 1)
        } else {
            String::new()
        }
    ));

    let env = Arc::new(Env::new(target, code, deadline));
    let facilitator = Viewer::join(&env, "facilitator", Some(&key)).await?;
    let screen = Viewer::join(&env, "screen", None).await?;
    let mut workers = Vec::new();
    for w in 1..processes {
        let first = n + (w - 1) * per_worker;
        workers.push(workers::Worker::start(&worker_args(&args, &env.code, seed, first, per_worker))?);
    }
    let server_rss_before = args.server_pid.and_then(|pid| measure::rss_kb(&pid.to_string()));

    // The join storm: phones start at --join-rate; each joins, then waits for the facilitator.
    let snap_start = Snapshot::take(args.server_pid);
    let mut controls = Controls::default();
    let join_started = Instant::now();
    let phones = join_storm(0, n, args.join_rate, seed, &workload, &env, &mut controls).await;
    wait_until(deadline, || env.join_resolved.load(Ordering::SeqCst) >= phones.len()).await;
    wait_until(deadline, || workers.iter().all(|w| w.state.answered_join.load(Ordering::SeqCst))).await;
    let join_secs = join_started.elapsed().as_secs_f64();
    let connected =
        env.live.load(Ordering::SeqCst) + workers.iter().map(|w| w.state.joined.load(Ordering::SeqCst)).sum::<usize>();
    let n = total;
    progress(format!("{connected} of {n} joined in {join_secs:.1} s"));
    let snap_joined = Snapshot::take(args.server_pid);
    let server_rss_joined = args.server_pid.and_then(|pid| measure::rss_kb(&pid.to_string()));
    if args.wait_for_go {
        progress("waiting for a line on standard input".into());
        // A plain thread: one blocked on standard input must not keep the process from exiting.
        let (tx, go) = tokio::sync::oneshot::channel();
        std::thread::spawn(move || tx.send(std::io::stdin().read_line(&mut String::new())));
        let _ = tokio::time::timeout(deadline.saturating_duration_since(Instant::now()), go).await;
    }
    // Let presence updates of the storm settle, so the vote starts from a quiet session.
    tokio::time::sleep(Duration::from_millis(200)).await;

    // Voting: the facilitator opens the choice, later the word cloud; phones follow their plans.
    let reserve = Duration::from_secs_f64((args.max_secs / 4.0).clamp(2.0, 20.0));
    let vote_deadline = deadline.checked_sub(reserve).unwrap_or(deadline);
    let snap_vote = Snapshot::take(args.server_pid);
    let mut words_opened = false;
    let mut vote_result: Result<(), String> = async {
        let opened = open(&facilitator, CHOICE).await?;
        controls.update(|c| c.choice = Some(opened));
        tell(&mut workers, &format!("choice {}", opened.version)).await;
        progress(format!("voting on {CHOICE} opened"));
        tokio::time::sleep_until((opened.at + workload.window.mul_f64(plan::WORDS_OPEN_AT)).min(vote_deadline)).await;
        let opened = open(&facilitator, WORDS).await?;
        words_opened = true;
        controls.update(|c| c.words = Some(opened));
        tell(&mut workers, &format!("words {}", opened.version)).await;
        progress(format!("word cloud {WORDS} opened"));
        Ok(())
    }
    .await;
    let all_done = wait_until(vote_deadline, || {
        env.done.load(Ordering::SeqCst) >= phones.len() && workers.iter().all(|w| w.state.done.load(Ordering::SeqCst))
    })
    .await;
    let snap_voted = Snapshot::take(args.server_pid);
    progress(format!(
        "{} of this process's {} phones done{}",
        env.done.load(Ordering::SeqCst),
        phones.len(),
        if all_done { "" } else { " (stopped at the time limit)" }
    ));

    // Closing: the facilitator closes both items; every client must end with the same final state.
    env.closing.store(true, Ordering::SeqCst);
    tell(&mut workers, "closing").await;
    let mut final_version = None;
    if vote_result.is_ok() {
        vote_result = async {
            facilitator.ok(json!({"type": "close", "item": CHOICE})).await?;
            if words_opened {
                facilitator.ok(json!({"type": "close", "item": WORDS})).await?;
            }
            let closed = facilitator
                .wait_state(STATE_WAIT, |s| {
                    s.state.phase(CHOICE) == Some("closed") && (!words_opened || s.state.phase(WORDS) == Some("closed"))
                })
                .await?;
            Ok(closed.version)
        }
        .await
        .map(|version| final_version = Some(version));
    }
    if let Some(version) = final_version {
        controls.update(|c| c.final_version = Some(version));
        tell(&mut workers, &format!("final {version}")).await;
        let settle_deadline = (Instant::now() + STATE_WAIT).min(deadline);
        wait_until(settle_deadline, || {
            env.at_final.load(Ordering::SeqCst) >= env.live.load(Ordering::SeqCst) && screen.version() >= version
        })
        .await;
        tokio::time::sleep(SETTLE).await;
    }
    let server_rss_end = args.server_pid.and_then(|pid| measure::rss_kb(&pid.to_string()));

    // The end: freeze the final views, then the viewers leave, then the phones.
    env.frozen.store(true, Ordering::SeqCst);
    tell(&mut workers, "frozen").await;
    let screen_report = screen.finish().await;
    let facilitator_report = facilitator.finish().await;
    controls.update(|c| c.finish = true);
    tell(&mut workers, "finish").await;
    let mut reports = Vec::with_capacity(n);
    for phone in phones {
        match phone.await {
            Ok(report) => reports.push(report),
            Err(error) => env.errors.add(|| format!("a phone task failed: {error}")),
        }
    }
    for worker in workers {
        match worker.finish(deadline + Duration::from_secs(20)).await {
            Some(theirs) => reports.extend(theirs),
            None => env.errors.add(|| "a worker process gave no reports".into()),
        }
    }
    if let Err(error) = &vote_result {
        env.errors.add(|| error.clone());
    }
    let duration = started.elapsed().as_secs_f64();

    if processes > 1 {
        // The screen's count of first votes includes the workers' phones, which this process does not
        // count: the vote → screen latency cannot be matched, so it is left unmeasured.
        for report in &mut reports {
            report.first_vote = None;
        }
    }
    let mut report = summarise(&reports, &screen_report, &facilitator_report, &env);
    let obj = report.as_object_mut().expect("summary is an object");
    obj.insert("participants".into(), json!(n));
    obj.insert("connected".into(), json!(connected));
    obj.insert("join_secs".into(), json!(round1(join_secs)));
    obj.insert("duration_secs".into(), json!(round1(duration)));
    obj.insert("timed_out".into(), json!(!all_done || final_version.is_none()));
    obj.insert("final_version".into(), json!(final_version));
    obj.insert(
        "cpu".into(),
        json!({
            "cores": measure::cores(),
            "join": snap_start.until(&snap_joined),
            "vote": snap_vote.until(&snap_voted),
        }),
    );
    let kb_per_participant = match (server_rss_before, server_rss_joined) {
        (Some((before, _)), Some((joined, _))) if connected > 0 => {
            Some(round1(joined.saturating_sub(before) as f64 / connected as f64))
        }
        _ => None,
    };
    obj.insert(
        "memory".into(),
        json!({
            "server_rss_kb_before": server_rss_before.map(|r| r.0),
            "server_rss_kb_joined": server_rss_joined.map(|r| r.0),
            "server_rss_kb_peak": server_rss_end.map(|r| r.1),
            "server_kb_per_participant": kb_per_participant,
            "load_rss_kb_peak": measure::rss_kb("self").map(|r| r.1),
        }),
    );
    obj.insert(
        "settings".into(),
        json!({
            "url": args.url.join(","),
            "join_rate": args.join_rate,
            "vote_window_secs": args.vote_window_secs,
            "change_share": args.change_share,
            "words_share": args.words_share,
            "stall_share": args.stall_share,
            "stall_secs": args.stall_secs,
            "reconnect_share": args.reconnect_share,
            "source_addrs": env.target.source_count(),
            "server_pid": args.server_pid,
            "seed": seed,
            "max_secs": args.max_secs,
        }),
    );
    Ok(report)
}

/// The coordinator's word to the phones, one cell per phone (see `ControlCell`).
#[derive(Default)]
struct Controls {
    current: Control,
    cells: Vec<Arc<ControlCell>>,
}

impl Controls {
    fn subscribe(&mut self) -> Arc<ControlCell> {
        let cell = Arc::new(ControlCell::default());
        cell.set(self.current);
        self.cells.push(cell.clone());
        cell
    }

    fn update(&mut self, change: impl FnOnce(&mut Control)) {
        change(&mut self.current);
        for cell in &self.cells {
            cell.set(self.current);
        }
    }
}

impl Drop for Controls {
    /// Phones whose coordinator is gone stop.
    fn drop(&mut self) {
        self.update(|c| c.finish = true);
    }
}

/// Passes a line of the coordinator's word to every worker process.
async fn tell(workers: &mut [workers::Worker], line: &str) {
    for worker in workers.iter_mut() {
        worker.tell(line).await;
    }
}

/// Starts phones `first` … `first + n − 1` at `rate` a second (until the deadline); each joins, then
/// follows its plan and the coordinator's word. A phone's plan depends on its number and the seed only.
async fn join_storm(
    first: usize,
    n: usize,
    rate: f64,
    seed: u64,
    workload: &Workload,
    env: &Arc<Env>,
    controls: &mut Controls,
) -> Vec<tokio::task::JoinHandle<PhoneReport>> {
    let mut phones = Vec::with_capacity(n);
    let started = Instant::now();
    while phones.len() < n && Instant::now() < env.deadline {
        let due = ((started.elapsed().as_secs_f64() * rate).floor() as usize + 1).min(n);
        while phones.len() < due {
            let ix = first + phones.len();
            let mut rng = SmallRng::seed_from_u64(seed ^ (ix as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let plan = plan::phone_plan(workload, &mut rng);
            phones.push(tokio::spawn(phone::run(ix, plan, rng, env.clone(), controls.subscribe())));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    phones
}

/// A worker process: joins its phones to the coordinator's session and follows the coordinator's word.
async fn run_worker(args: Args, code: String) -> Result<(), String> {
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.max_secs);
    let n = args.participants as usize;
    let spread = if args.source_addrs == 0 { n.div_ceil(PER_SOURCE).max(4) } else { args.source_addrs };
    let target = Target::resolve(&args.url, spread, args.protocol).await?;
    let seed = args.seed.ok_or("a worker needs --seed")?;
    let workload = workload(&args);
    let env = Arc::new(Env::new(target, code, deadline));
    let mut controls = Controls::default();
    let phones = join_storm(args.worker_first, n, args.join_rate, seed, &workload, &env, &mut controls).await;
    wait_until(deadline, || env.join_resolved.load(Ordering::SeqCst) >= phones.len()).await;
    workers::say(&format!("joined {}", env.live.load(Ordering::SeqCst)));

    // The coordinator's word, line by line; a plain thread, since stdin blocks.
    let (lines_tx, mut lines) = tokio::sync::mpsc::unbounded_channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::stdin().lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut said_done = false;
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    loop {
        tokio::select! {
            line = lines.recv() => {
                let Some(line) = line else { break };
                let mut update = |change: &dyn Fn(&mut Control)| controls.update(change);
                if !workers::obey(&line, &env, &mut update) {
                    break;
                }
            }
            _ = tick.tick() => {
                if !said_done && env.done.load(Ordering::SeqCst) >= phones.len() {
                    said_done = true;
                    workers::say("done");
                }
                if Instant::now() > deadline + Duration::from_secs(10) {
                    break;
                }
            }
        }
    }
    let mut reports = Vec::with_capacity(n);
    for phone in phones {
        if let Ok(report) = phone.await {
            reports.push(report);
        }
    }
    workers::say_reports(&reports);
    Ok(())
}

/// Opens an item and waits until the facilitator's state shows it voting.
async fn open(facilitator: &Viewer, item: &str) -> Result<Opened, String> {
    facilitator.ok(json!({"type": "open", "item": item})).await?;
    let seen = facilitator.wait_state(STATE_WAIT, |s| s.state.phase(item) == Some("voting")).await?;
    Ok(Opened { at: Instant::now(), version: seen.version })
}

/// Polls `done` every 20 ms until it holds or the deadline passes; true if it held.
async fn wait_until(deadline: Instant, done: impl Fn() -> bool) -> bool {
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
