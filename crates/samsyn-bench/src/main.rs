//! `samsyn-bench`: Samsyn side by side with three servers that speak the same part of its protocol (Node.js
//! on the `ws` package, Node.js on Socket.IO, and Bun's own `Bun.serve`) and with the bare cost of a
//! socket write on this machine. The same load generator, `samsyn-load`, runs the same workload against
//! each server: a latency run, then ever larger steps until each server's deliveries stop growing, then
//! every server at one common rate that all of them keep up with. Prints one Markdown section and, with
//! `--write-docs`, puts it into docs/performance.md, section "Side by side".
//! Run it with `benches/run.sh`, which builds and installs everything first.
#![forbid(unsafe_code)]

mod probe;
mod proc;
mod section;
mod steps;
mod system;

use clap::{Parser, Subcommand, ValueEnum};
use probe::Floor;
use section::{group, pct, replace_section, section};
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use steps::{StepRun, Stop};
use system::{Load, Paths, Server, System};

#[derive(Debug, Parser)]
#[command(
    name = "samsyn-bench",
    about = "Samsyn side by side with Node.js ws, Socket.IO and Bun servers and the kernel's cost per write",
    long_about = "Runs samsyn-load with the same workload against Samsyn (release build), a Node.js server on the \
ws package, one on Socket.IO (benches/node) and one on Bun.serve (benches/bun), all with the same protocol subset \
and coalescing, and measures the bare cost of a loopback socket write. Each server gets ever larger steps of load \
until its deliveries stop growing (its plateau); then each is measured at one common offered rate below the \
lowest plateau. Prints one Markdown section; --write-docs also puts it into docs/performance.md (section \
\"Side by side\"). Use benches/run.sh, which builds the binaries and installs the Node and Bun packages first."
)]
struct Args {
    /// A shorter run (about two and a half minutes): a shorter latency run, two shorter steps.
    #[arg(long)]
    quick: bool,

    /// Replace the "Side by side" section of docs/performance.md with this run's figures.
    #[arg(long)]
    write_docs: bool,

    /// Sessions of 1,500 phones in each step, instead of the plan's (e.g. 2,3,5,8,12,20); a step larger than
    /// the open-files limit allows is cut down to what fits.
    #[arg(long, value_delimiter = ',', value_parser = clap::value_parser!(u32).range(1..=100))]
    steps: Option<Vec<u32>>,

    /// Run only these (comma-separated); ratios need Samsyn.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_values_t = [Part::Samsyn, Part::Ws, Part::Socketio, Part::Bun, Part::Floor]
    )]
    only: Vec<Part>,

    /// How the Bun peer fans state frames out: `server.publish` to a topic per audience, or a loop of
    /// `ws.sendText` over the audience's sockets.
    #[arg(long, value_enum, default_value_t = BunFanout::Publish)]
    bun_fanout: BunFanout,

    #[command(subcommand)]
    internal: Option<Internal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Part {
    Samsyn,
    Ws,
    Socketio,
    Bun,
    Floor,
}

impl Part {
    fn of(system: System) -> Part {
        match system {
            System::Samsyn => Part::Samsyn,
            System::Ws => Part::Ws,
            System::SocketIo => Part::Socketio,
            System::Bun => Part::Bun,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum BunFanout {
    Publish,
    Send,
}

#[derive(Debug, Subcommand)]
enum Internal {
    /// The writing side of the floor measurement; the benchmark starts it itself.
    #[command(hide = true)]
    ProbeServe { connections: usize, bytes: usize, secs: f64 },
}

/// The sizes of one benchmark run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Phones in the latency run (one session, the default workload).
    latency_phones: u32,
    latency_window: f64,
    /// Phones in each session of the steps: below 3,125, so every phone gets 10 frames a second.
    session_phones: u32,
    /// Sessions in each step, smallest first.
    ladder: Vec<u32>,
    /// The vote of each step, in seconds.
    step_window: f64,
    /// `samsyn-load --stall-secs`: phones that stop reading stay silent at most this long.
    stall_secs: f64,
    /// A step's figure is its best stretch of this length.
    peak: Duration,
    floor_secs: f64,
    /// How long the machine is watched before each run, to show what else is running.
    quiet_look: Duration,
}

impl Plan {
    fn new(quick: bool) -> Plan {
        if quick {
            Plan {
                latency_phones: 1000,
                latency_window: 2.0,
                session_phones: 1500,
                // Two steps: one every server should keep up with (Socket.IO may not), one past all of them.
                ladder: vec![3, 10],
                step_window: 3.0,
                stall_secs: 2.0,
                peak: Duration::from_secs(2),
                floor_secs: 3.0,
                quiet_look: Duration::from_millis(300),
            }
        } else {
            Plan {
                latency_phones: 1000,
                latency_window: 10.0,
                session_phones: 1500,
                // About half as much again each step, up to what the open-files limit allows.
                ladder: vec![2, 3, 5, 8, 12, 20],
                step_window: 12.0,
                stall_secs: 5.0,
                peak: Duration::from_secs(5),
                floor_secs: 5.0,
                quiet_look: Duration::from_secs(1),
            }
        }
    }
}

/// What one server achieved.
#[derive(Debug, Default)]
pub struct Figures {
    /// How busy the machine was just before each of this server's runs, % of all cores: other programs.
    busy_before: Vec<f64>,
    /// The steps this server ran, smallest first, and why it stopped.
    climb: Vec<StepRun>,
    stop: Option<Stop>,
    /// The common rate's step: one of the climb's, or a run of its own.
    common: Option<StepRun>,
    /// p50, p99 in ms.
    screen: Option<(f64, f64)>,
    phone: Option<(f64, f64)>,
    /// Latency runs and how many were correct.
    runs: u32,
    correct: u32,
    /// Acknowledged votes and words missing from the final tallies, over every run.
    lost: u64,
    problems: Vec<String>,
    /// What else the reader of a figure should know, such as a disk that held up commits.
    notes: Vec<String>,
    /// Size of the public `state` at the end of the latency run.
    phone_bytes: Option<u64>,
}

impl Figures {
    /// How busy the machine was before this server's runs, on average.
    fn busy(&self) -> Option<f64> {
        (!self.busy_before.is_empty()).then(|| self.busy_before.iter().sum::<f64>() / self.busy_before.len() as f64)
    }

    /// The step of the climb with the most deliveries.
    fn plateau(&self) -> Option<&StepRun> {
        steps::plateau(&self.climb)
    }

    /// Counts a latency run and notes what went wrong in it.
    fn judge(&mut self, name: &str, report: &Result<Value, String>) {
        if let Ok(report) = report {
            let count = |key: &str| report[key].as_u64().unwrap_or(0);
            self.lost += count("votes_lost") + count("words_lost");
        }
        self.runs += 1;
        match report.as_ref().map_err(Clone::clone).and_then(system::verdict) {
            Ok(()) => self.correct += 1,
            Err(problem) => self.problems.push(format!("{name}: {problem}")),
        }
    }

    /// Takes in one step's run; its problems are summed up in one line.
    fn add_step(&mut self, run: &StepRun, what: &str) {
        self.lost += run.lost;
        if let Some(first) = run.problems.first() {
            self.problems.push(format!(
                "{what} ({}): {} of {} sessions with problems, e.g. {first}",
                run.step.describe(),
                run.step.sessions - run.sessions_correct,
                run.step.sessions
            ));
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    if let Some(Internal::ProbeServe { connections, bytes, secs }) = args.internal {
        return match probe::serve(connections, bytes, secs) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("probe: {error}");
                ExitCode::FAILURE
            }
        };
    }
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("samsyn-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The repository's root: this crate lives in crates/samsyn-bench.
fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("..")
}

async fn run(args: Args) -> Result<(), String> {
    let started = Instant::now();
    let progress = |message: String| eprintln!("[{:6.1} s] {message}", started.elapsed().as_secs_f64());
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let benches = repo_root().join("benches");
    let paths = Paths {
        bin_dir: exe.parent().ok_or("no folder for this program")?.to_path_buf(),
        node_dir: benches.join("node"),
        bun_dir: benches.join("bun"),
        bun_fanout: match args.bun_fanout {
            BunFanout::Publish => "publish",
            BunFanout::Send => "send",
        },
    };
    for bin in ["samsyn", "samsyn-load"] {
        if !paths.bin_dir.join(bin).exists() {
            return Err(format!("{bin} is not next to samsyn-bench; build with `cargo build --release --bins`"));
        }
    }
    let wants_node = args.only.iter().any(|p| matches!(p, Part::Ws | Part::Socketio));
    if wants_node && !paths.node_dir.join("node_modules").exists() {
        return Err("benches/node has no node_modules; run `npm ci` there (benches/run.sh does)".into());
    }
    if args.only.contains(&Part::Bun) && !paths.bun().exists() {
        return Err("benches/bun has no node_modules/.bin/bun; run `npm ci` there (benches/run.sh does)".into());
    }
    let mut plan = Plan::new(args.quick);
    if let Some(ladder) = &args.steps {
        plan.ladder.clone_from(ladder);
    }
    let systems = System::ALL.into_iter().filter(|system| args.only.contains(&Part::of(*system)));
    let mut figures: Vec<(System, Figures)> = systems.map(|s| (s, Figures::default())).collect();

    // Each measurement for every server in turn, so whatever else runs on the machine meanwhile falls on
    // all of them alike rather than on one.
    for (system, f) in &mut figures {
        look(f, &plan).await;
        latency(*system, f, &plan, &paths, &progress).await;
    }
    climb(&mut figures, &plan, &paths, &progress).await;
    common_rate(&mut figures, &plan, &paths, &progress).await;

    let mut floor = None;
    if args.only.contains(&Part::Floor) {
        // Frames of the mean size a delivery carried while the votes ran, over as many connections as the
        // largest step had phones.
        let frame_bytes = |system: System| {
            figures.iter().find(|(s, _)| *s == system).and_then(|(_, f)| f.common.as_ref()?.frame_bytes)
        };
        let bytes = frame_bytes(System::Samsyn)
            .or_else(|| figures.iter().find_map(|(_, f)| f.common.as_ref()?.frame_bytes))
            .map(|b| b.round() as u64)
            .or_else(|| figures.iter().find_map(|(_, f)| f.phone_bytes))
            .unwrap_or(1907) as usize;
        let largest = figures.iter().flat_map(|(_, f)| &f.climb).map(|r| r.step.phones_total()).max();
        let connections = largest.unwrap_or(plan.session_phones * plan.ladder[0]) as usize;
        let busy = busy_over(plan.quiet_look).await;
        progress(format!(
            "floor: {connections} connections, {bytes}-byte frames, {} s (machine {} busy before)",
            plan.floor_secs,
            busy.map_or("?".into(), pct)
        ));
        match probe::run(&exe, connections, bytes, plan.floor_secs).await {
            Ok(f) => {
                progress(format!(
                    "floor: {}/s, {:.2} µs per write in the writer, {:.2} µs on the machine",
                    group(f.per_sec),
                    f.server_us,
                    f.machine_us
                ));
                floor = Some(Floor { busy_before: busy, ..f });
            }
            Err(error) => progress(format!("floor failed: {error}")),
        }
    }

    let context = Context {
        date: proc::today(),
        machine: proc::machine(),
        versions: versions(&paths).await,
        quick: args.quick,
        plan,
        minutes: started.elapsed().as_secs_f64() / 60.0,
    };
    let markdown = section(&context, &figures, floor);
    println!("{markdown}");
    if args.write_docs {
        let path = repo_root().join("docs").join("performance.md");
        let old = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        std::fs::write(&path, replace_section(&old, &markdown)).map_err(|e| format!("{}: {e}", path.display()))?;
        progress(format!("wrote section \"Side by side\" of {}", path.display()));
    }
    Ok(())
}

/// How busy the whole machine is over `look`, in % of all cores.
async fn busy_over(look: Duration) -> Option<f64> {
    let a = proc::machine_ticks()?;
    tokio::time::sleep(look).await;
    let b = proc::machine_ticks()?;
    Some(b.busy.saturating_sub(a.busy) as f64 * 100.0 / b.all.saturating_sub(a.all).max(1) as f64)
}

/// Notes how busy the machine is just before one of the server's runs.
async fn look(figures: &mut Figures, plan: &Plan) {
    if let Some(busy) = busy_over(plan.quiet_look).await {
        figures.busy_before.push(busy);
    }
}

/// The latency run: one session of the default workload on a fresh server.
async fn latency(system: System, figures: &mut Figures, plan: &Plan, paths: &Paths, progress: &impl Fn(String)) {
    let name = system.name();
    progress(format!("{name}: latency, {} phones in one session", plan.latency_phones));
    let (report, slow_commits) = single_run(system, paths, plan, 6).await;
    if slow_commits > 0 {
        let commits = if slow_commits == 1 { "commit" } else { "commits" };
        let note = format!("latency run: {slow_commits} SQLite {commits} took over 100 ms (waiting for the disk)");
        progress(format!("{name}: {note}"));
        figures.notes.push(note);
    }
    if let Ok(report) = &report {
        let pair = |v: &Value| Some((v["p50"].as_f64()?, v["p99"].as_f64()?));
        figures.screen = pair(&report["screen_ms"]);
        figures.phone = pair(&report["phone_ms"]);
        figures.phone_bytes = report["state_bytes"]["phone"].as_u64();
    }
    let earlier = figures.problems.len();
    figures.judge("latency run", &report);
    for problem in &figures.problems[earlier..] {
        progress(format!("{name}: {problem}"));
    }
}

/// Every server climbs the same steps until its deliveries stop growing. Step by step: each step runs on
/// every server still climbing before the next step starts, so the machine's other work spreads evenly.
async fn climb(figures: &mut [(System, Figures)], plan: &Plan, paths: &Paths, progress: &impl Fn(String)) {
    let ladder = steps::ladder(plan);
    let listed: Vec<String> = ladder.iter().map(|s| s.sessions.to_string()).collect();
    progress(format!(
        "saturation: steps of {} sessions of {} phones ({} s votes) until deliveries stop growing",
        listed.join(", "),
        group(f64::from(plan.session_phones)),
        plan.step_window
    ));
    for (k, step) in ladder.iter().enumerate() {
        for (system, f) in figures.iter_mut().filter(|(_, f)| f.stop.is_none()) {
            let name = system.name();
            look(f, plan).await;
            progress(format!("{name}: step {}, {}, offers {}/s", k + 1, step.describe(), group(step.offered())));
            let run = steps::run(*system, *step, plan, paths).await;
            progress(format!("{name}: step {}, {}", k + 1, run.describe(f.climb.last())));
            f.add_step(&run, &format!("step {}", k + 1));
            f.climb.push(run);
            if let Some(stop) = steps::stop(&f.climb, ladder.get(k + 1).copied()) {
                f.stop = Some(stop);
                if let Some(top) = f.plateau() {
                    let at = f.climb.iter().position(|r| r.step == top.step).map_or(0, |i| i + 1);
                    let per_sec = top.peak.as_ref().map_or(0.0, |p| p.per_sec);
                    progress(format!(
                        "{name}: plateau {}/s, reached at step {at} ({}); stopped: {}",
                        group(per_sec),
                        top.step.describe(),
                        stop.describe()
                    ));
                }
            }
        }
    }
}

/// Every server once more, at one offered rate all of them keep up with, below the lowest plateau.
async fn common_rate(figures: &mut [(System, Figures)], plan: &Plan, paths: &Paths, progress: &impl Fn(String)) {
    let climbs: Vec<&[StepRun]> = figures.iter().map(|(_, f)| f.climb.as_slice()).collect();
    let Some(step) = steps::common_step(&climbs, plan.session_phones) else {
        progress("common rate: not every server has a plateau".into());
        return;
    };
    progress(format!("common rate: {}/s ({})", group(step.offered()), step.describe()));
    for (system, f) in figures.iter_mut() {
        look(f, plan).await;
        let run = steps::run(*system, step, plan, paths).await;
        progress(format!("{}: common rate, {}", system.name(), run.describe(None)));
        if !run.keeps_up() {
            f.notes.push(format!("did not keep up at the common rate ({})", step.describe()));
        }
        f.add_step(&run, "common rate");
        f.common = Some(run);
    }
}

/// One generator against one fresh server (the latency run); also how many of its SQLite commits took
/// over 100 ms.
async fn single_run(system: System, paths: &Paths, plan: &Plan, seed: u64) -> (Result<Value, String>, u64) {
    let server = match Server::start(system, paths).await {
        Ok(server) => server,
        Err(error) => return (Err(error), 0),
    };
    let participants = plan.latency_phones;
    let load = Load {
        system,
        urls: &server.url,
        server_pid: Some(server.pid),
        participants,
        window_secs: plan.latency_window,
        stall_secs: plan.stall_secs,
        seed,
        // The join storm at 2,000 a second, with room to spare.
        waiting_secs: f64::from(participants) / 1000.0,
        join_rate: None,
    };
    let report = load.run(paths).await;
    let slow_commits = server.watch().metrics().await.map_or(0, |m| m.slow_commits);
    server.stop().await;
    (report, slow_commits)
}

/// What the figures were measured on and with.
pub struct Context {
    date: String,
    machine: String,
    versions: String,
    quick: bool,
    plan: Plan,
    minutes: f64,
}

async fn versions(paths: &Paths) -> String {
    let output = |program: PathBuf, arg: &'static str| async move {
        let out = tokio::process::Command::new(program).arg(arg).output().await.ok()?;
        Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let samsyn = output(paths.bin_dir.join("samsyn"), "--version").await.unwrap_or_else(|| "samsyn ?".into());
    let node = output(PathBuf::from("node"), "--version").await.unwrap_or_else(|| "?".into());
    let bun = output(paths.bun(), "--version").await.unwrap_or_else(|| "?".into());
    format!(
        "{samsyn} (release build), Node.js {node}, ws {}, socket.io {}, Bun {bun} ({})",
        system::node_package_version(&paths.node_dir, "ws"),
        system::node_package_version(&paths.node_dir, "socket.io"),
        paths.bun_fanout
    )
}
