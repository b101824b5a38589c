//! `samsyn-bench`: Samsyn side by side with two Node.js servers that speak the same part of its protocol
//! (one on the `ws` package, one on Socket.IO) and with the bare cost of a socket write on this machine.
//! The same load generator, `samsyn-load`, runs the same workload against each server. Prints one table
//! (Markdown) and, with `--write-docs`, puts it into docs/performance.md, section "Side by side".
//! Run it with `benches/run.sh`, which builds everything first.
#![forbid(unsafe_code)]

mod probe;
mod proc;
mod system;

use clap::{Parser, Subcommand, ValueEnum};
use futures_util::future::join_all;
use probe::Floor;
use serde_json::Value;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use system::{Load, Paths, Peak, Sampler, Server, System};

/// The heading of the section `--write-docs` replaces.
const SECTION: &str = "## Side by side";
/// The section it goes before when docs/performance.md has none yet.
const SECTION_BEFORE: &str = "## What limits the numbers";
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

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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

/// The whole "Side by side" section, in Markdown.
fn section(context: &Context, figures: &[(System, Figures)], floor: Option<(Floor, usize)>) -> String {
    let plan = &context.plan;
    let mut out = String::new();
    let _ = writeln!(out, "{SECTION}\n");
    out.push_str(
        "Samsyn next to two Node.js servers that speak the same part of its protocol, and next to the bare \
cost of a socket write on the same machine. One command runs it all and prints this section:\n\n\
```sh\n\
benches/run.sh                 # about 4 minutes; --quick: under 2\n\
benches/run.sh --write-docs    # also replaces this section of docs/performance.md\n\
```\n\n\
`benches/run.sh` builds the release binaries (`cargo build --release --bins`), installs the pinned Node \
packages (`npm ci` in `benches/node`) and runs `samsyn-bench` (source in `benches/samsyn-bench/`); \
`--only samsyn,ws,socketio,floor` picks some of them.\n\n",
    );
    out.push_str(
        "**What runs.** Each measurement starts a fresh server on 127.0.0.1 and runs `samsyn-load`, with the \
same seeds, against it:\n\n\
- **Samsyn**: the release binary with an empty data folder. Every vote and word is stored in SQLite \
(`synchronous=FULL`) before its `ack`. Before any server starts, the benchmark runs `sync`, so no \
earlier writes (the build, an earlier run's database) are still on their way to the disk when Samsyn's \
commits wait for it; a latency run with commits over 100 ms anyway is noted under the table.\n\
- **Node ws**: `benches/node/ws-server.mjs` on the `ws` package, per-message compression off. Each state \
frame is one `Buffer` that every socket of its audience sends as it is.\n\
- **Socket.IO**: `benches/node/socketio-server.mjs`, WebSocket transport only, compression off. Every \
protocol message is an event named `msg`; state frames go to a room per audience with `io.to(room).emit`, \
which encodes the packet and prepares the WebSocket frame once per broadcast. `samsyn-load --protocol \
socketio` speaks Engine.IO v4 over the same WebSocket.\n\
- **floor**: no server. A child of `samsyn-bench` accepts as many loopback TCP connections as the \
saturation run has phones and writes one WebSocket text frame, as large as Samsyn's phone state, to \
each in turn as fast as the sockets take them; `samsyn-bench` reads the other ends. It is what the \
kernel costs per delivery before any server does any work.\n\n\
Both Node servers share `benches/node/protocol.mjs`: `POST /api/sessions`, `hello` as participant, \
screen or facilitator with resume tokens and `welcome.ballots`, `vote`, `word` (normalised, limited per \
participant), `open`, `close`, a resent command answered with its first `ack`, and the `/metrics` \
counters read here. They keep everything in memory, so their acks wait for no disk, and they coalesce as \
Samsyn does above 100 phones (the case of every run here): screens and the facilitator at most every \
50 ms, phones every 32 ms per 1,000 phones online (at least 100 ms, at most 1 s apart), each state \
serialized once per audience. Their `state` has Samsyn's fields \
in Samsyn's order, and phones get only the current item and the items open for answers, as from \
Samsyn, so every frame is the same size. They leave out what this workload does not touch: \
rate limits, limits per address, dropping slow readers, moderation and every other command.\n\n",
    );
    let _ = writeln!(
        out,
        "**The figures.**\n\n\
- *connections held*: WebSocket connections that joined in the saturation run (phones that got their \
`welcome`, retries included, and each session's screen and facilitator), from `samsyn-load`'s reports.\n\
- *deliveries/s at saturation*: `state` frames written to sockets per second \
(`samsyn_updates_delivered_total`; the Node servers count the same way) in the best {peak}-second \
stretch of the saturation run: {sessions} sessions of {phones} phones each join one after \
another, then all vote at once over {window} s. A session of up to 1,999 phones gets 10 frames a second \
per phone, and its screen and facilitator 20, while anything changes, so the run asks for about \
{demand} deliveries a second. It overloads the servers on purpose (and this machine, which also runs \
the generators: one `samsyn-load --threads 1` per session); a server that delivers about that many \
was not saturated.\n\
- *server CPU*: the server process (`/proc/PID/stat`) in that stretch, in % of one core and per \
delivery. Node runs JavaScript on one thread, so its servers cannot go much above 100 %; Samsyn uses \
every core.\n\
- *machine CPU per delivery*: all cores (`/proc/stat`) in that stretch, divided by the deliveries: the \
server, the load generators (which share the machine), the kernel's network work, and anything else \
running.\n\
- *KB per idle connection*: the server's resident memory (`VmRSS`) after {memory} phones joined minus \
before, per phone.\n\
- *vote → screen*, *vote → phone*: `samsyn-load`'s figures (see \"How vote → screen and vote → phone are \
measured\") for one session of {latency} phones with the default workload over a {latency_window}-second \
vote.\n\
- *taken by the host (steal)*: on a virtual machine, the part of \"machine busy\" in which its cores \
wanted to run but the host ran something else (`/proc/stat`, steal). It is counted in machine CPU per \
delivery; a few % of it make every figure of that run a little worse, and more says the run measured \
the host's other guests too.\n\
- *machine busy before the runs*: the whole machine in the second before each of the server's runs, \
when nothing of the benchmark runs (other programs), on average. The servers take turns: first every \
latency run, then every memory run, then every saturation run.\n\
- *acknowledged votes and words lost*: acknowledged ballots and words missing from the final tallies, \
summed over every run; a server may be slow or refuse work when overloaded, but never lose what it \
acknowledged.\n\
- *runs correct*: generator runs in which every phone joined at the first attempt, nothing acknowledged \
was lost, every view ended equal to the final state and no error occurred; the saturation run's \
sessions are counted apart, since an overloaded server may refuse or drop connections.\n\
- The ratios divide Samsyn's figure by the other's: below 1, Samsyn needs less (CPU, memory, time), or \
delivers less.\n",
        peak = plan.peak.as_secs(),
        sessions = plan.sessions,
        phones = group(f64::from(SESSION_PHONES)),
        window = plan.saturation_window,
        demand = group(plan.demand()),
        memory = group(f64::from(plan.memory_phones)),
        latency = group(f64::from(plan.latency_phones)),
        latency_window = plan.latency_window,
    );
    let _ = writeln!(
        out,
        "Measured on {} with `benches/run.sh{}` ({:.1} minutes): {}; {}. Servers, load generators and the \
floor all ran on this one machine, one after another, and shared it with whatever else ran there.\n",
        context.date,
        if context.quick { " --quick" } else { "" },
        context.minutes,
        context.machine,
        context.versions,
    );
    out.push_str(&table(figures, floor));
    for (system, f) in figures {
        if f.peak.is_some_and(|p| p.per_sec >= 0.95 * plan.demand()) {
            let _ = writeln!(
                out,
                "\n{} delivered about what the saturation run asks for ({} a second): it was not saturated.",
                system.name(),
                group(plan.demand())
            );
        }
    }
    if let Some((_, bytes)) = floor {
        let source = if figures.iter().any(|(s, f)| *s == System::Samsyn && f.phone_bytes.is_some()) {
            "the size of the last state Samsyn sent its phones in the latency run"
        } else {
            "about the size of Samsyn's phone state in this workload"
        };
        let _ = writeln!(out, "\nThe floor wrote {bytes}-byte frames, {source}.");
    }
    // Each server's lines of one kind, as a list headed by `title`, if there are any.
    let mut listed = |title: &str, lines: fn(&Figures) -> &Vec<String>| {
        let items: Vec<String> = figures
            .iter()
            .flat_map(|(system, f)| lines(f).iter().map(move |line| format!("- {}, {line}", system.name())))
            .collect();
        if !items.is_empty() {
            let _ = writeln!(out, "\n{title}\n\n{}", items.join("\n"));
        }
    };
    listed("Notes:", |f| &f.notes);
    listed("Runs with problems (from `samsyn-load`'s report):", |f| &f.problems);
    wrap(&out, WIDTH)
}

/// Line width of the prose in docs/performance.md.
const WIDTH: usize = 100;

/// Wraps Markdown prose at `width` columns, list items with a hanging indent; tables and code stay as
/// they are.
fn wrap(markdown: &str, width: usize) -> String {
    let mut out = String::new();
    let mut code = false;
    for line in markdown.lines() {
        if line.starts_with("```") {
            code = !code;
        }
        if code || line.starts_with("```") || line.starts_with('|') || line.len() <= width {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let indent = if line.starts_with("- ") { "  " } else { "" };
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.trim().is_empty() && current.chars().count() + 1 + word.chars().count() > width {
                out.push_str(current.trim_end());
                out.push('\n');
                current = indent.to_string();
            } else if !current.is_empty() && !current.ends_with(' ') {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(current.trim_end());
        out.push('\n');
    }
    out
}

/// One row per figure, one column per server, then Samsyn divided by each of the others.
fn table(figures: &[(System, Figures)], floor: Option<(Floor, usize)>) -> String {
    let samsyn = figures.iter().find(|(s, _)| *s == System::Samsyn).map(|(_, f)| f);
    let others: Vec<(&str, &Figures)> =
        figures.iter().filter(|(s, _)| *s != System::Samsyn).map(|(s, f)| (s.name(), f)).collect();
    let floor = floor.map(|(f, _)| f);

    let mut head = vec!["".to_string()];
    head.extend(figures.iter().map(|(s, _)| s.name().to_string()));
    if floor.is_some() {
        head.push("floor".into());
    }
    if samsyn.is_some() {
        head.extend(others.iter().map(|(name, _)| format!("Samsyn ÷ {name}")));
        if floor.is_some() {
            head.push("Samsyn ÷ floor".into());
        }
    }
    let mut out = format!("| {} |\n|{}\n", head.join(" | "), "---|".repeat(head.len()));

    // A figure of a server, the floor's (if it has one), and how to print it.
    type Get = fn(&Figures) -> Option<f64>;
    type GetFloor = fn(&Floor) -> Option<f64>;
    // `compare`: whether Samsyn's figure divided by the other's says something (not for shares of the CPU).
    let mut row = |label: &str, get: Get, get_floor: GetFloor, show: fn(f64) -> String, compare: bool| {
        let mut cells = vec![label.to_string()];
        cells.extend(figures.iter().map(|(_, f)| get(f).map_or("–".into(), show)));
        if let Some(fl) = &floor {
            cells.push(get_floor(fl).map_or("–".into(), show));
        }
        if let Some(s) = samsyn {
            let divide = |other: Option<f64>| if compare { ratio(get(s), other) } else { "".into() };
            cells.extend(others.iter().map(|(_, f)| divide(get(f))));
            if let Some(fl) = &floor {
                cells.push(divide(get_floor(fl)));
            }
        }
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    };
    row("connections held", |f| f.connections.map(|c| c as f64), |f| Some(f.connections as f64), group, true);
    row("deliveries/s at saturation", |f| f.peak.map(|p| p.per_sec), |f| Some(f.per_sec), group, true);
    row(
        "server CPU at saturation, % of one core",
        |f| f.peak.map(|p| p.server_pct),
        |f| Some(f.server_pct),
        pct,
        false,
    );
    row("server CPU µs per delivery", |f| f.peak.map(|p| p.server_us), |f| Some(f.server_us), small, true);
    row("machine CPU µs per delivery", |f| f.peak.map(|p| p.machine_us), |f| Some(f.machine_us), small, true);
    row(
        "machine busy at saturation, % of all cores",
        |f| f.peak.map(|p| p.machine_pct),
        |f| Some(f.machine_pct),
        pct,
        false,
    );
    row(
        "of it taken by the host (steal), % of all cores",
        |f| f.peak.map(|p| p.stolen_pct),
        |f| Some(f.stolen_pct),
        pct,
        false,
    );
    row("KB per idle connection", |f| f.kb_per_connection, |_| None, small, true);
    row("vote → screen p50, ms", |f| f.screen.map(|p| p.0), |_| None, small, true);
    row("vote → screen p99, ms", |f| f.screen.map(|p| p.1), |_| None, small, true);
    row("vote → phone p50, ms", |f| f.phone.map(|p| p.0), |_| None, small, true);
    row("vote → phone p99, ms", |f| f.phone.map(|p| p.1), |_| None, small, true);
    row("machine busy before the runs, % of all cores", Figures::busy, |f| f.busy_before, pct, false);
    // Counts, without ratios.
    let mut text_row = |label: &str, values: Vec<String>| {
        let mut cells = vec![label.to_string()];
        cells.extend(values);
        cells.resize(head.len(), String::new());
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    };
    let of = |ok: u32, all: u32| format!("{ok} of {all}");
    text_row(
        "acknowledged votes and words lost, all runs",
        figures.iter().map(|(_, f)| group(f.lost as f64)).collect(),
    );
    text_row("runs correct (latency, memory)", figures.iter().map(|(_, f)| of(f.correct, f.runs)).collect());
    text_row(
        "saturation sessions correct",
        figures.iter().map(|(_, f)| of(f.saturation_correct, f.saturation_runs)).collect(),
    );
    out
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if a.is_finite() && b.is_finite() && b > 0.0 => format!("{:.2}", a / b),
        _ => "–".into(),
    }
}

/// A whole number with thousands separators: 12,345.
fn group(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 {
        out.insert(0, '-');
    }
    out
}

fn pct(x: f64) -> String {
    format!("{x:.0} %")
}

/// Two significant decimals below 10, one below 100, none above.
fn small(x: f64) -> String {
    match x {
        x if !x.is_finite() => "–".into(),
        x if x < 10.0 => format!("{x:.2}"),
        x if x < 100.0 => format!("{x:.1}"),
        x => group(x),
    }
}

/// `doc` with its "Side by side" section replaced by `section` (or added before the limits section).
fn replace_section(doc: &str, section: &str) -> String {
    let section = format!("{}\n", section.trim_end());
    if let Some(start) = doc.find(&format!("\n{SECTION}\n")).map(|i| i + 1) {
        let rest = &doc[start + SECTION.len()..];
        let end = rest.find("\n## ").map_or(doc.len(), |i| start + SECTION.len() + i + 1);
        let tail = &doc[end..];
        return format!("{}{section}{}{tail}", &doc[..start], if tail.is_empty() { "" } else { "\n" });
    }
    match doc.find(&format!("\n{SECTION_BEFORE}\n")) {
        Some(i) => format!("{}\n{section}\n{}", &doc[..i], &doc[i + 1..]),
        None => format!("{}\n\n{section}", doc.trim_end()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_section_is_replaced_in_place_or_added_before_the_limits() {
        let doc = "# P\n\nintro\n\n## Figures\n\nold\n\n## What limits the numbers\n\nx\n";
        let added = replace_section(doc, "## Side by side\n\nnew\n");
        assert_eq!(
            added,
            "# P\n\nintro\n\n## Figures\n\nold\n\n## Side by side\n\nnew\n\n## What limits the numbers\n\nx\n"
        );
        let replaced = replace_section(&added, "## Side by side\n\nnewer\n");
        assert_eq!(replaced, added.replace("\nnew\n", "\nnewer\n"));
        let last = "# P\n\n## Side by side\n\nold\n";
        assert_eq!(replace_section(last, "## Side by side\n\nnew"), "# P\n\n## Side by side\n\nnew\n");
    }

    #[test]
    fn prose_wraps_with_a_hanging_indent_and_tables_stay_whole() {
        let text = format!("- {}\n| {} |\n", "word ".repeat(30).trim_end(), "cell ".repeat(30).trim_end());
        let wrapped = wrap(&text, 40);
        let lines: Vec<&str> = wrapped.lines().collect();
        assert!(lines[0].starts_with("- word") && lines[0].len() <= 40);
        assert!(lines[1].starts_with("  word"));
        assert!(lines.last().unwrap().starts_with("| cell") && lines.last().unwrap().len() > 40);
    }

    #[test]
    fn numbers_are_grouped_and_rounded() {
        assert_eq!(group(1234567.4), "1,234,567");
        assert_eq!(group(999.0), "999");
        assert_eq!(small(4.567), "4.57");
        assert_eq!(small(45.67), "45.7");
        assert_eq!(small(4567.8), "4,568");
        assert_eq!(ratio(Some(1.0), Some(4.0)), "0.25");
        assert_eq!(ratio(Some(1.0), None), "–");
    }
}
