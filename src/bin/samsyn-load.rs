//! `samsyn-load`: a load generator that speaks Samsyn's WebSocket protocol like a crowd of phones, checks
//! that nothing acknowledged was lost, and measures latency and CPU. Talks only to the server it is given;
//! depends on the protocol (docs/protocol.md), never on the server's code.
#![forbid(unsafe_code)]

#[path = "samsyn-load/client.rs"]
mod client;
#[path = "samsyn-load/measure.rs"]
mod measure;
#[path = "samsyn-load/phone.rs"]
mod phone;
#[path = "samsyn-load/plan.rs"]
mod plan;
#[path = "samsyn-load/viewer.rs"]
mod viewer;
#[path = "samsyn-load/websocket.rs"]
mod websocket;
#[path = "samsyn-load/workers.rs"]
mod workers;

use clap::Parser;
use client::{Protocol, Target};
use measure::{round1, ErrorLog, Samples, Snapshot};
use phone::{Control, ControlCell, Opened, PhoneReport};
use plan::{Workload, CHOICE, WORDS};
use rand::rngs::SmallRng;
use rand::SeedableRng;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;
use viewer::{Viewer, ViewerReport};

/// File descriptors kept free for the facilitator, the screen, the HTTP call and the runtime.
const SPARE_FDS: u64 = 32;
/// Participants per loopback source address when spreading automatically: well below the server's
/// default limit of 5,000 open sockets per client address, and a small share of the ephemeral ports.
const PER_SOURCE: usize = 2500;
/// How long the coordinator waits for the facilitator to see its own command take effect.
const STATE_WAIT: Duration = Duration::from_secs(10);
/// Quiet time after every client saw the final version, so no later `state` is still on its way.
const SETTLE: Duration = Duration::from_millis(300);

#[derive(Debug, Parser)]
#[command(
    name = "samsyn-load",
    version,
    about = "Load generator for Samsyn: a facilitator, a screen and N phones speaking the WebSocket protocol",
    long_about = "Load generator for Samsyn. It creates its own seminar session on the server (a choice, a word \
cloud and a scale item), connects a facilitator and a screen, then N participants in a rate-limited join storm. \
The facilitator opens the choice; participants vote over the vote window (skewed over the options, some change \
their vote once), a share send three words after the word cloud opens, some stop reading for a few seconds, \
some lose their connection and come back with their resume token, resending what was not acknowledged. At the \
end the facilitator closes both items and the final tallies are compared with what was acknowledged.\n\n\
It measures ack latency (send → ack), vote → screen and vote → phone (send → the first state that certainly \
includes the vote), joins, state messages received, and CPU: the whole machine from /proc/stat, this process, \
and the server's process with --server-pid. docs/performance.md explains each figure.\n\n\
File descriptors: every connection needs one in this process (and one in the server). One process may open \
at most `ulimit -n` of them (about 20,000 on our development machines), so one generator holds about that many \
participants minus a few; the generator refuses to start if --participants does not fit. Ports: against a \
loopback server the connections are spread over the source addresses 127.0.0.1 … 127.0.0.K (see \
--source-addrs), so no single source address runs out of ephemeral ports or reaches the server's limit on \
sockets per client address (--max-connections-per-address, default 5,000); this works on Linux, where all of \
127.0.0.0/8 is local (elsewhere pass --source-addrs 1 and keep below that limit).\n\n\
Several servers: --url may be given more than once (or comma-separated). The session is created on the \
first, where the facilitator and the screen connect too; participants are spread round robin over all of them.\n\n\
--protocol socketio sends the same messages as Socket.IO events named \"msg\" (Engine.IO v4 over the WebSocket), \
to run the same workload against a Socket.IO server that implements the protocol.\n\n\
It contacts only the servers at --url, and stops by itself: everything is bounded by --max-secs."
)]
struct Args {
    /// The server, e.g. http://127.0.0.1:8080 (plain HTTP; the WebSocket is at /ws). Repeat it (or separate
    /// with commas) for several servers: the session lives on the first, participants go round robin.
    #[arg(long, default_value = "http://127.0.0.1:8080", value_delimiter = ',')]
    url: Vec<String>,

    /// How messages travel over the WebSocket: Samsyn's own framing, or as Socket.IO events.
    #[arg(long, value_enum, default_value_t = Protocol::Samsyn)]
    protocol: Protocol,

    /// Simulated participants (phones).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=200_000))]
    participants: u32,

    /// New connections per second during the join storm.
    #[arg(long, default_value_t = 2000.0)]
    join_rate: f64,

    /// Seconds over which participants vote after the choice opens (the word cloud opens at 30 % of it).
    #[arg(long, default_value_t = 10.0)]
    vote_window_secs: f64,

    /// Share of participants who change their vote once.
    #[arg(long, default_value_t = 0.2)]
    change_share: f64,

    /// Share of participants who also send three words to the word cloud.
    #[arg(long, default_value_t = 1.0 / 3.0)]
    words_share: f64,

    /// Share of participants who stop reading their socket for a while during the vote.
    #[arg(long, default_value_t = 0.02)]
    stall_share: f64,

    /// Longest stall in seconds (each lasts 40–100 % of it); the server drops a reader silent for 10 s.
    #[arg(long, default_value_t = 5.0)]
    stall_secs: f64,

    /// Share of participants who lose their connection once and reconnect (half of them right after
    /// sending their vote, before its ack).
    #[arg(long, default_value_t = 0.02)]
    reconnect_share: f64,

    /// Loopback source addresses to spread connections over (127.0.0.1 … 127.0.0.K); 0 = one per 2,500
    /// participants, at least 4. Ignored unless the server is on IPv4 loopback.
    #[arg(long, default_value_t = 0)]
    source_addrs: usize,

    /// The server's process id: adds its CPU and memory (from /proc) to the report.
    #[arg(long)]
    server_pid: Option<u32>,

    /// Seed for the workload; the same seed gives every phone the same plan.
    #[arg(long)]
    seed: Option<u64>,

    /// Hard limit on the whole run in seconds; the generator always stops by then.
    #[arg(long, default_value_t = 120.0)]
    max_secs: f64,

    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,

    /// After the join storm, wait for a line on standard input before opening the vote: several
    /// generators can then join one after another and vote at the same time.
    #[arg(long)]
    wait_for_go: bool,

    /// Processes to spread the phones over (this one and P − 1 workers it starts): one process may hold
    /// about 20,000 sockets, so a session larger than that (on several servers) needs more than one.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=16))]
    processes: u32,

    /// Threads in each process: 0 for one per core. With 1 the phones share one thread and never wake
    /// each other across threads, which costs the least CPU per message when several generators (or
    /// the server) share the machine.
    #[arg(long, default_value_t = 0)]
    threads: usize,

    /// Internal: run as a worker of another samsyn-load's session with this join code.
    #[arg(long, hide = true)]
    worker: Option<String>,

    /// Internal: a worker's first phone number (phones are numbered across all processes).
    #[arg(long, hide = true, default_value_t = 0)]
    worker_first: usize,
}

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

fn check(args: &Args) -> Result<(), String> {
    let share = |name: &str, x: f64| {
        if (0.0..=1.0).contains(&x) {
            Ok(())
        } else {
            Err(format!("--{name} must be between 0 and 1"))
        }
    };
    share("change-share", args.change_share)?;
    share("words-share", args.words_share)?;
    share("stall-share", args.stall_share)?;
    share("reconnect-share", args.reconnect_share)?;
    if !(args.join_rate > 0.0 && args.join_rate <= 100_000.0) {
        return Err("--join-rate must be above 0 and at most 100000".into());
    }
    if !(0.1..=3600.0).contains(&args.vote_window_secs) {
        return Err("--vote-window-secs must be between 0.1 and 3600".into());
    }
    if !(0.0..=60.0).contains(&args.stall_secs) {
        return Err("--stall-secs must be between 0 and 60".into());
    }
    if !(1.0..=86_400.0).contains(&args.max_secs) {
        return Err("--max-secs must be between 1 and 86400".into());
    }
    if let Some(limit) = measure::open_files_limit() {
        // Each process holds its share (see --processes); the coordinator's is the largest.
        let share = u64::from(args.participants)
            - u64::from(args.participants / args.processes) * u64::from(args.processes - 1);
        let needed = share + SPARE_FDS;
        if needed > limit {
            return Err(format!(
                "{share} participants need about {needed} file descriptors, but this process may open {limit} \
                 (ulimit -n). Raise the limit, use fewer participants or more --processes."
            ));
        }
    }
    Ok(())
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

/// The command line of a worker running `count` phones from number `first` in session `code`.
fn worker_args(args: &Args, code: &str, seed: u64, first: usize, count: usize) -> Vec<String> {
    let mut out: Vec<String> = vec![
        format!("--url={}", args.url.join(",")),
        format!("--participants={count}"),
        format!("--join-rate={}", args.join_rate / f64::from(args.processes)),
        format!("--vote-window-secs={}", args.vote_window_secs),
        format!("--change-share={}", args.change_share),
        format!("--words-share={}", args.words_share),
        format!("--stall-share={}", args.stall_share),
        format!("--stall-secs={}", args.stall_secs),
        format!("--reconnect-share={}", args.reconnect_share),
        format!("--source-addrs={}", args.source_addrs),
        format!("--seed={seed}"),
        format!("--max-secs={}", args.max_secs),
        format!("--threads={}", args.threads),
        format!("--worker={code}"),
        format!("--worker-first={first}"),
    ];
    if args.protocol == Protocol::Socketio {
        out.push("--protocol=socketio".into());
    }
    out
}

/// The workload the options describe.
fn workload(args: &Args) -> Workload {
    Workload {
        window: Duration::from_secs_f64(args.vote_window_secs),
        change_share: args.change_share,
        words_share: args.words_share,
        stall_share: args.stall_share,
        stall_secs: args.stall_secs,
        reconnect_share: args.reconnect_share,
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

/// What a phone should see of a screen's `state`: the items that are current or open for answers (every
/// item while the summary is shared) and only their scales, everything else as the screen has it.
fn phone_view(screen_state: &Value) -> Value {
    let mut view = screen_state.clone();
    let session = &mut view["session"];
    if session["summary_shared"] == true {
        return view;
    }
    let current = session["current"].clone();
    if let Some(items) = session["items"].as_array_mut() {
        items.retain(|item| {
            let open = item["rounds"].as_array().and_then(|r| r.last()).is_some_and(|round| round["open"] == true);
            item["id"] == current || open
        });
    }
    let scales: Vec<Value> = session["items"].as_array().into_iter().flatten().map(|i| i["scale"].clone()).collect();
    if let Some(map) = session["scales"].as_object_mut() {
        map.retain(|id, _| scales.iter().any(|scale| scale == id.as_str()));
    }
    view
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

/// Adds up the phones' reports and checks them against the facilitator's and the screen's final states.
fn summarise(reports: &[PhoneReport], screen: &ViewerReport, facilitator: &ViewerReport, env: &Env) -> Value {
    let mut ack = Samples::default();
    let mut join = Samples::default();
    let mut phone = Samples::default();
    let mut screen_lat = Samples::default();
    let mut screen_unmeasured = 0u64;
    let mut expected_votes = [0u64; 16];
    let mut expected_words: BTreeMap<&str, u64> = BTreeMap::new();
    let mut voters = 0u64;
    let mut undetermined = 0u64;
    let sum = |f: fn(&PhoneReport) -> u64| reports.iter().map(f).sum::<u64>();
    for r in reports {
        ack.extend(&r.ack_us);
        if let Some(us) = r.join_us {
            join.extend(&[us]);
        }
        if let Some(us) = r.phone_us {
            phone.extend(&[us]);
        }
        if let Some(first) = r.first_vote {
            let i = screen.timeline.partition_point(|(_, voted)| *voted < first.bound);
            match screen.timeline.get(i) {
                Some((at, _)) => screen_lat.push(at.saturating_duration_since(first.sent_at)),
                None => screen_unmeasured += 1,
            }
        }
        if r.unanswered {
            undetermined += 1;
        } else if let Some(option) = r.last_acked {
            expected_votes[usize::from(option).min(15)] += 1;
            voters += 1;
        }
        for word in &r.words_acked {
            *expected_words.entry(word.as_str()).or_default() += 1;
        }
    }
    let first_votes = reports.iter().filter(|r| r.first_vote.is_some()).count() as u64;

    // The facilitator's final tallies against what was acknowledged.
    let final_state: Value =
        facilitator.last.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null);
    let round = |state: &Value, item: &str| -> Value {
        let items = state["session"]["items"].as_array().cloned().unwrap_or_default();
        items.into_iter().find(|i| i["id"] == item).map(|i| i["rounds"][0].clone()).unwrap_or(Value::Null)
    };
    let choice = round(&final_state, CHOICE);
    let counts: Vec<u64> =
        choice["tally"]["counts"].as_array().into_iter().flatten().filter_map(Value::as_u64).collect();
    let mut votes_lost = 0u64;
    let mut votes_extra = 0u64;
    for (i, expected) in expected_votes.iter().enumerate() {
        let actual = counts.get(i).copied().unwrap_or(0);
        votes_lost += expected.saturating_sub(actual);
        votes_extra += actual.saturating_sub(*expected);
    }
    let words = round(&final_state, WORDS);
    let mut actual_words: BTreeMap<String, u64> = BTreeMap::new();
    for group in words["tally"]["words"].as_array().into_iter().flatten() {
        if let (Some(text), Some(count)) = (group["text"].as_str(), group["count"].as_u64()) {
            *actual_words.entry(text.to_string()).or_default() += count;
        }
    }
    let words_lost: u64 =
        expected_words.iter().map(|(w, n)| n.saturating_sub(actual_words.get(*w).copied().unwrap_or(0))).sum();
    let tally_exact = !final_state.is_null()
        && undetermined == 0
        && votes_lost == 0
        && votes_extra == 0
        && choice["voted"].as_u64() == Some(voters)
        && words_lost == 0
        && actual_words.values().sum::<u64>() == expected_words.values().sum::<u64>();
    if final_state.is_null() {
        env.errors.add(|| "no final state from the facilitator".into());
    }

    // Every view against the final state: the screen against the facilitator's tallies, every phone
    // against the phones' view of the screen's state (docs/protocol.md, "state").
    let screen_state: Value = screen.last.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or(Value::Null);
    let public_words = |round: &Value, facilitator: bool| -> Vec<(String, u64)> {
        round["tally"]["words"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|g| !facilitator || g["hidden"] != true)
            .take(100)
            .map(|g| (g["text"].as_str().unwrap_or_default().to_string(), g["count"].as_u64().unwrap_or(0)))
            .collect()
    };
    let screen_choice = round(&screen_state, CHOICE);
    let screen_words = round(&screen_state, WORDS);
    let screen_ok = !screen_state.is_null()
        && screen_state["version"] == final_state["version"]
        && screen_choice["tally"]["counts"] == choice["tally"]["counts"]
        && screen_choice["voted"] == choice["voted"]
        && public_words(&screen_words, false) == public_words(&words, true);
    let expected_phone_view = phone_view(&screen_state);
    let final_version = screen_state["version"].as_u64().unwrap_or(0);
    // Phones of a session get byte-identical frames: once one final view matches, the others compare as bytes.
    let mut matching_view: Option<&str> = None;
    // How the diverged phones differ: no state since closing began, an older or newer version, or the same
    // version with other content (a live figure such as `participants`).
    let mut diverged = BTreeMap::<&str, u64>::new();
    for r in reports.iter().filter(|r| r.joined) {
        let kind = match r.final_view.as_ref() {
            None => "none",
            Some(view) if Some(view.as_str()) == matching_view => continue,
            Some(view)
                if !screen_state.is_null()
                    && serde_json::from_str::<Value>(view).is_ok_and(|v| v == expected_phone_view) =>
            {
                matching_view = Some(view.as_str());
                continue;
            }
            Some(view) => match client::state_version(view).unwrap_or(0).cmp(&final_version) {
                std::cmp::Ordering::Less => "older",
                std::cmp::Ordering::Greater => "newer",
                std::cmp::Ordering::Equal => "same_version",
            },
        };
        *diverged.entry(kind).or_default() += 1;
    }
    if !screen_ok {
        diverged.insert("screen", 1);
    }
    let views_diverged: u64 = diverged.values().sum();

    let updates = sum(|r| r.updates) + screen.updates + facilitator.updates;
    json!({
        "join_failures": sum(|r| u64::from(r.join_failures)),
        "join_failure_examples": env.join_errors.to_json()["examples"],
        "votes_sent": sum(|r| r.votes_sent),
        "votes_acked": sum(|r| r.votes_acked),
        "votes_resent": sum(|r| r.votes_resent),
        "votes_lost": votes_lost,
        "votes_extra": votes_extra,
        "words_sent": sum(|r| r.words_sent),
        "words_acked": sum(|r| r.words_acked.len() as u64),
        "words_lost": words_lost,
        "tally_exact": tally_exact,
        "final_tally": {"counts": counts, "voted": choice["voted"], "words_total": actual_words.values().sum::<u64>()},
        "views_diverged": views_diverged,
        "views_diverged_by": diverged,
        "ack_ms": ack.summary(),
        "screen_ms": screen_lat.summary(),
        "phone_ms": phone.summary(),
        "join_ms": join.summary(),
        "first_votes": first_votes,
        "screen_unmeasured": screen_unmeasured,
        "phone_unmeasured": first_votes.saturating_sub(phone.len() as u64),
        "updates_received": updates,
        "screen_updates": screen.updates,
        "state_bytes": {
            "phone": reports.iter().find_map(|r| r.final_view.as_ref()).map(|view| view.len()),
            "screen": screen.last.as_ref().map(String::len),
            "facilitator": facilitator.last.as_ref().map(String::len),
        },
        "reconnects": sum(|r| r.reconnects),
        "stalls": sum(|r| r.stalls),
        "errors": env.errors.to_json(),
    })
}

fn print_table(report: &Value) {
    let ms = |v: &Value| {
        let f = |k: &str| v[k].as_f64().map_or("-".to_string(), |x| format!("{x:.1}"));
        format!("p50 {:>8}  p95 {:>8}  p99 {:>8}  max {:>8}  (n={})", f("p50"), f("p95"), f("p99"), f("max"), v["n"])
    };
    let line = |name: &str, value: String| println!("{name:<22} {value}");
    line(
        "participants",
        format!(
            "{} ({} connected, {} join failures)",
            report["participants"], report["connected"], report["join_failures"]
        ),
    );
    line("joined in", format!("{} s", report["join_secs"]));
    line(
        "votes",
        format!(
            "{} sent, {} acked, {} resent, {} lost",
            report["votes_sent"], report["votes_acked"], report["votes_resent"], report["votes_lost"]
        ),
    );
    line(
        "words",
        format!("{} sent, {} acked, {} lost", report["words_sent"], report["words_acked"], report["words_lost"]),
    );
    line("final tally", format!("{} (exact: {})", report["final_tally"], report["tally_exact"]));
    line("views diverged", report["views_diverged"].to_string());
    line("ack ms", ms(&report["ack_ms"]));
    line("vote→screen ms", ms(&report["screen_ms"]));
    line("vote→phone ms", ms(&report["phone_ms"]));
    line("join ms", ms(&report["join_ms"]));
    line("updates received", format!("{} ({} on the screen)", report["updates_received"], report["screen_updates"]));
    line("reconnects / stalls", format!("{} / {}", report["reconnects"], report["stalls"]));
    line("cpu during join", report["cpu"]["join"].to_string());
    line("cpu during vote", report["cpu"]["vote"].to_string());
    line("memory", report["memory"].to_string());
    line("errors", report["errors"].to_string());
    line("duration", format!("{} s (timed out: {})", report["duration_secs"], report["timed_out"]));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_sees_the_current_and_open_items_of_the_screens_state_and_their_scales() {
        let round = |open: bool| json!([{"number": 1, "open": open}]);
        let screen = json!({"type": "state", "version": 9, "session": {
        "current": "next", "summary_shared": false,
        "scales": {"s1": {}, "s2": {}},
        "items": [
            {"id": "done", "scale": "s1", "rounds": round(false)},
            {"id": "hot", "rounds": round(true)},
            {"id": "next", "scale": "s2", "rounds": []},
        ]}});
        let phone = phone_view(&screen);
        let ids: Vec<&str> =
            phone["session"]["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["hot", "next"]);
        assert_eq!(phone["session"]["scales"], json!({"s2": {}}));
        assert_eq!(phone["version"], 9);

        let mut shared = screen.clone();
        shared["session"]["summary_shared"] = json!(true);
        assert_eq!(phone_view(&shared), shared, "every item while the summary is shared");
    }
}
