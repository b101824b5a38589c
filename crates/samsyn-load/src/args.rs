//! The command line of `samsyn-load`: its options, their checks, and what a worker process is told.

use crate::client::Protocol;
use crate::measure;
use crate::plan::Workload;
use clap::Parser;
use std::time::Duration;

/// File descriptors kept free for the facilitator, the screen, the HTTP call and the runtime.
const SPARE_FDS: u64 = 32;

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
pub struct Args {
    /// The server, e.g. http://127.0.0.1:8080 (plain HTTP; the WebSocket is at /ws). Repeat it (or separate
    /// with commas) for several servers: the session lives on the first, participants go round robin.
    #[arg(long, default_value = "http://127.0.0.1:8080", value_delimiter = ',')]
    pub url: Vec<String>,

    /// How messages travel over the WebSocket: Samsyn's own framing, or as Socket.IO events.
    #[arg(long, value_enum, default_value_t = Protocol::Samsyn)]
    pub protocol: Protocol,

    /// Simulated participants (phones).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=200_000))]
    pub participants: u32,

    /// New connections per second during the join storm.
    #[arg(long, default_value_t = 2000.0)]
    pub join_rate: f64,

    /// Seconds over which participants vote after the choice opens (the word cloud opens at 30 % of it).
    #[arg(long, default_value_t = 10.0)]
    pub vote_window_secs: f64,

    /// Share of participants who change their vote once.
    #[arg(long, default_value_t = 0.2)]
    pub change_share: f64,

    /// Share of participants who also send three words to the word cloud.
    #[arg(long, default_value_t = 1.0 / 3.0)]
    pub words_share: f64,

    /// Share of participants who stop reading their socket for a while during the vote.
    #[arg(long, default_value_t = 0.02)]
    pub stall_share: f64,

    /// Longest stall in seconds (each lasts 40–100 % of it); the server drops a reader silent for 10 s.
    #[arg(long, default_value_t = 5.0)]
    pub stall_secs: f64,

    /// Share of participants who lose their connection once and reconnect (half of them right after
    /// sending their vote, before its ack).
    #[arg(long, default_value_t = 0.02)]
    pub reconnect_share: f64,

    /// Loopback source addresses to spread connections over (127.0.0.1 … 127.0.0.K); 0 = one per 150
    /// participants, at least 4 (at most 254). Ignored unless the server is on IPv4 loopback.
    #[arg(long, default_value_t = 0)]
    pub source_addrs: usize,

    /// The server's process id: adds its CPU and memory (from /proc) to the report.
    #[arg(long)]
    pub server_pid: Option<u32>,

    /// Seed for the workload; the same seed gives every phone the same plan.
    #[arg(long)]
    pub seed: Option<u64>,

    /// Hard limit on the whole run in seconds; the generator always stops by then.
    #[arg(long, default_value_t = 120.0)]
    pub max_secs: f64,

    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,

    /// After the join storm, wait for a line on standard input before opening the vote: several
    /// generators can then join one after another and vote at the same time.
    #[arg(long)]
    pub wait_for_go: bool,

    /// Processes to spread the phones over (this one and P − 1 workers it starts): one process may hold
    /// about 20,000 sockets, so a session larger than that (on several servers) needs more than one.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=16))]
    pub processes: u32,

    /// Threads in each process: 0 for one per core. With 1 the phones share one thread and never wake
    /// each other across threads, which costs the least CPU per message when several generators (or
    /// the server) share the machine.
    #[arg(long, default_value_t = 0)]
    pub threads: usize,

    /// Internal: run as a worker of another samsyn-load's session with this join code.
    #[arg(long, hide = true)]
    pub worker: Option<String>,

    /// Internal: a worker's first phone number (phones are numbered across all processes).
    #[arg(long, hide = true, default_value_t = 0)]
    pub worker_first: usize,
}

pub fn check(args: &Args) -> Result<(), String> {
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

/// The command line of a worker running `count` phones from number `first` in session `code`.
pub fn worker_args(args: &Args, code: &str, seed: u64, first: usize, count: usize) -> Vec<String> {
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
pub fn workload(args: &Args) -> Workload {
    Workload {
        window: Duration::from_secs_f64(args.vote_window_secs),
        change_share: args.change_share,
        words_share: args.words_share,
        stall_share: args.stall_share,
        stall_secs: args.stall_secs,
        reconnect_share: args.reconnect_share,
    }
}
