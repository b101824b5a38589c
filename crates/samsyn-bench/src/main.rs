//! `samsyn-bench`: Samsyn side by side with two Node.js servers that speak the same part of its protocol
//! (one on the `ws` package, one on Socket.IO) and with the bare cost of a socket write on this machine.
//! The same load generator, `samsyn-load`, runs the same workload against each server. Prints one table
//! (Markdown) and, with `--write-docs`, puts it into docs/performance.md, section "Side by side".
//! Run it with `benches/run.sh`, which builds everything first.
#![forbid(unsafe_code)]

mod probe;
mod proc;
mod section;
mod system;

use clap::{Parser, Subcommand, ValueEnum};
use futures_util::future::join_all;
use probe::Floor;
use section::{pct, replace_section, section};
use serde_json::Value;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use system::{Load, Paths, Peak, Sampler, Server, System};

/// Phones per session in the saturation run: below 2,000, so every phone gets 10 frames a second.
const SESSION_PHONES: u32 = 1500;
/// How long one session's phones may take to join in the saturation run.
const JOIN_LIMIT: Duration = Duration::from_secs(30);
/// How long the machine is watched before each server's runs, to show what else is running.
const QUIET_LOOK: Duration = Duration::from_secs(1);

#[derive(Debug, Parser)]
#[command(
    name = "samsyn-bench",
    about = "Samsyn side by side with a Node.js ws server, a Socket.IO server and the kernel's cost per write",
    long_about = "Runs samsyn-load with the same workload against Samsyn (release build), a Node.js server on the \
ws package and one on Socket.IO (benches/node, same protocol subset and coalescing), and measures the bare cost \
of a loopback socket write. Prints one Markdown table; --write-docs also puts it into docs/performance.md \
(section \"Side by side\"). Use benches/run.sh, which builds the binaries and installs the Node packages first."
)]
struct Args {
    /// A shorter run (under two minutes): fewer phones, shorter votes, a shorter saturation run.
    #[arg(long)]
    quick: bool,

    /// Replace the "Side by side" section of docs/performance.md with this run's figures.
    #[arg(long)]
    write_docs: bool,

    /// Sessions of 1,500 phones in the saturation run, instead of the plan's 8.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=12))]
    sessions: Option<u32>,

    /// Run only these (comma-separated); ratios need Samsyn.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Part::Samsyn, Part::Ws, Part::Socketio, Part::Floor])]
    only: Vec<Part>,

    #[command(subcommand)]
    internal: Option<Internal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Part {
    Samsyn,
    Ws,
    Socketio,
    Floor,
}

#[derive(Debug, Subcommand)]
enum Internal {
    /// The writing side of the floor measurement; the benchmark starts it itself.
    #[command(hide = true)]
    ProbeServe { connections: usize, bytes: usize, secs: f64 },
}

/// The sizes of one benchmark run.
#[derive(Debug, Clone, Copy)]
struct Plan {
    /// Phones in the latency run (one session, the default workload).
    latency_phones: u32,
    latency_window: f64,
    /// Phones joining for the memory figure.
    memory_phones: u32,
    /// Sessions voting at once in the saturation run, each with `SESSION_PHONES` phones: enough that
    /// the run asks for more than a 2-core machine delivers while it also runs the generators.
    sessions: u32,
    saturation_window: f64,
    /// `samsyn-load --stall-secs`: phones that stop reading stay silent at most this long.
    stall_secs: f64,
    /// The saturation figure is the best stretch of this length.
    peak: Duration,
    floor_secs: f64,
}

impl Plan {
    fn new(quick: bool) -> Plan {
        if quick {
            Plan {
                latency_phones: 1000,
                latency_window: 4.0,
                memory_phones: 2000,
                sessions: 12,
                saturation_window: 8.0,
                stall_secs: 2.0,
                peak: Duration::from_secs(3),
                floor_secs: 3.0,
            }
        } else {
            Plan {
                latency_phones: 1000,
                latency_window: 10.0,
                memory_phones: 5000,
                sessions: 12,
                saturation_window: 15.0,
                stall_secs: 5.0,
                peak: Duration::from_secs(5),
                floor_secs: 5.0,
            }
        }
    }

    fn saturation_phones(&self) -> u32 {
        self.sessions * SESSION_PHONES
    }

    /// Deliveries a second the saturation run asks for while votes come in: 10 frames a second per phone,
    /// 20 per screen and per facilitator.
    fn demand(&self) -> f64 {
        f64::from(self.saturation_phones()) * 10.0 + f64::from(self.sessions) * 40.0
    }
}

/// What one server achieved.
#[derive(Debug, Default)]
struct Figures {
    /// How busy the machine was just before each of this server's runs, % of all cores: other programs.
    busy_before: Vec<f64>,
    /// Connections that joined in the saturation run: phones, screens and facilitators.
    connections: Option<u64>,
    peak: Option<Peak>,
    kb_per_connection: Option<f64>,
    /// p50, p99 in ms.
    screen: Option<(f64, f64)>,
    phone: Option<(f64, f64)>,
    /// Generator runs (latency, memory) and how many were correct.
    runs: u32,
    correct: u32,
    /// The same for the saturation run's sessions, where the server is overloaded on purpose.
    saturation_runs: u32,
    saturation_correct: u32,
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

    /// Counts a generator run and notes what went wrong in it.
    fn judge(&mut self, name: &str, report: &Result<Value, String>) {
        let saturated = name.starts_with("saturation");
        if let Ok(report) = report {
            let count = |key: &str| report[key].as_u64().unwrap_or(0);
            self.lost += count("votes_lost") + count("words_lost");
        }
        *(if saturated { &mut self.saturation_runs } else { &mut self.runs }) += 1;
        match report.as_ref().map_err(Clone::clone).and_then(system::verdict) {
            Ok(()) => *(if saturated { &mut self.saturation_correct } else { &mut self.correct }) += 1,
            Err(problem) => self.problems.push(format!("{name}: {problem}")),
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
    let paths = Paths {
        bin_dir: exe.parent().ok_or("no folder for this program")?.to_path_buf(),
        node_dir: repo_root().join("benches").join("node"),
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
    let mut plan = Plan::new(args.quick);
    if let Some(sessions) = args.sessions {
        plan.sessions = sessions;
    }

    // Each measurement for every server in turn, so whatever else runs on the machine meanwhile falls on
    // all of them alike rather than on one.
    let systems: Vec<System> = System::ALL
        .into_iter()
        .filter(|system| {
            args.only.contains(&match system {
                System::Samsyn => Part::Samsyn,
                System::Ws => Part::Ws,
                System::SocketIo => Part::Socketio,
            })
        })
        .collect();
    let mut figures: Vec<(System, Figures)> = systems.iter().map(|s| (*s, Figures::default())).collect();
    for measurement in [Measurement::Latency, Measurement::Memory, Measurement::Saturation] {
        for (system, f) in &mut figures {
            if let Some(busy) = busy_over(QUIET_LOOK).await {
                f.busy_before.push(busy);
            }
            let problems = f.problems.len();
            measure(measurement, *system, f, &plan, &paths, &progress).await;
            for problem in &f.problems[problems..] {
                progress(format!("{}: {problem}", system.name()));
            }
        }
    }
    let mut floor = None;
    if args.only.contains(&Part::Floor) {
        // Frames as large as the phones' state Samsyn sent, over as many connections as the saturation run's phones.
        let bytes = figures.iter().find_map(|(_, f)| f.phone_bytes).unwrap_or(3100) as usize;
        let connections = plan.saturation_phones() as usize;
        let busy = busy_over(QUIET_LOOK).await;
        progress(format!(
            "floor: {connections} connections, {bytes}-byte frames, {} s (machine {} busy before)",
            plan.floor_secs,
            busy.map_or("?".into(), pct)
        ));
        match probe::run(&exe, connections, bytes, plan.floor_secs).await {
            Ok(f) => floor = Some((Floor { busy_before: busy, ..f }, bytes)),
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

#[derive(Debug, Clone, Copy)]
enum Measurement {
    Latency,
    Memory,
    Saturation,
}

/// One measurement of one server, on a fresh server.
async fn measure(
    measurement: Measurement,
    system: System,
    figures: &mut Figures,
    plan: &Plan,
    paths: &Paths,
    progress: &impl Fn(String),
) {
    let name = system.name();
    match measurement {
        Measurement::Latency => {
            progress(format!("{name}: latency, {} phones in one session", plan.latency_phones));
            let (report, slow_commits) =
                single_run(system, paths, plan.latency_phones, plan.latency_window, plan.stall_secs, 6).await;
            if slow_commits > 0 {
                let commits = if slow_commits == 1 { "commit" } else { "commits" };
                let note =
                    format!("latency run: {slow_commits} SQLite {commits} took over 100 ms (waiting for the disk)");
                progress(format!("{name}: {note}"));
                figures.notes.push(note);
            }
            if let Ok(report) = &report {
                let pair = |v: &Value| Some((v["p50"].as_f64()?, v["p99"].as_f64()?));
                figures.screen = pair(&report["screen_ms"]);
                figures.phone = pair(&report["phone_ms"]);
                figures.phone_bytes = report["state_bytes"]["phone"].as_u64();
            }
            figures.judge("latency run", &report);
        }
        Measurement::Memory => {
            progress(format!("{name}: memory, {} phones joining", plan.memory_phones));
            let (report, _) = single_run(system, paths, plan.memory_phones, 2.0, plan.stall_secs.min(2.0), 7).await;
            if let Ok(report) = &report {
                figures.kb_per_connection = report["memory"]["server_kb_per_participant"].as_f64();
            }
            figures.judge("memory run", &report);
        }
        Measurement::Saturation => {
            progress(format!("{name}: saturation, {} sessions of {SESSION_PHONES} phones", plan.sessions));
            if let Err(error) = saturation(system, figures, plan, paths).await {
                figures.saturation_runs += 1;
                figures.problems.push(format!("saturation run: {error}"));
            }
        }
    }
}

/// Several sessions on one fresh server: they join one after another, then all vote at once.
async fn saturation(system: System, figures: &mut Figures, plan: &Plan, paths: &Paths) -> Result<(), String> {
    let server = Server::start(system, paths).await?;
    let sampler = Sampler::start(server.watch());
    let loads: Vec<Load> = (0..plan.sessions)
        .map(|k| Load {
            system,
            urls: &server.url,
            server_pid: None,
            participants: SESSION_PHONES,
            window_secs: plan.saturation_window,
            stall_secs: plan.stall_secs,
            seed: 100 + u64::from(k),
            waiting_secs: 3.0 * f64::from(plan.sessions),
        })
        .collect();
    // One join storm after the other, while the sessions already joined sit quiet (no change, no frames);
    // then every session opens its vote at once.
    let mut running = Vec::new();
    for load in &loads {
        match load.start(paths) {
            Ok(mut generator) => {
                generator.joined(JOIN_LIMIT).await;
                running.push(generator);
            }
            Err(error) => figures.judge("saturation run", &Err(error)),
        }
    }
    for generator in &mut running {
        generator.go().await;
    }
    let reports = join_all(running.into_iter().map(system::Running::finish)).await;
    let samples = sampler.finish().await;
    server.stop().await;
    for (k, report) in reports.iter().enumerate() {
        figures.judge(&format!("saturation run, session {}", k + 1), report);
    }
    figures.peak = system::peak(&samples, plan.peak);
    figures.connections = Some(reports.iter().flatten().map(|r| r["connected"].as_u64().unwrap_or(0) + 2).sum());
    Ok(())
}

/// One generator against one fresh server; also how many of its SQLite commits took over 100 ms.
async fn single_run(
    system: System,
    paths: &Paths,
    participants: u32,
    window_secs: f64,
    stall_secs: f64,
    seed: u64,
) -> (Result<Value, String>, u64) {
    let server = match Server::start(system, paths).await {
        Ok(server) => server,
        Err(error) => return (Err(error), 0),
    };
    let load = Load {
        system,
        urls: &server.url,
        server_pid: Some(server.pid),
        participants,
        window_secs,
        stall_secs,
        seed,
        // The join storm at 2,000 a second, with room to spare.
        waiting_secs: f64::from(participants) / 1000.0,
    };
    let report = load.run(paths).await;
    let slow_commits = server.watch().metrics().await.map_or(0, |m| m.slow_commits);
    server.stop().await;
    (report, slow_commits)
}

/// What the figures were measured on and with.
struct Context {
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
    format!(
        "{samsyn} (release build), Node.js {node}, ws {}, socket.io {}",
        system::node_package_version(&paths.node_dir, "ws"),
        system::node_package_version(&paths.node_dir, "socket.io")
    )
}
