//! The "Side by side" section of docs/performance.md: the figures as wrapped Markdown, and its place in the file.

use crate::probe::Floor;
use crate::steps::{Step, Stop};
use crate::system::{Peak, System};
use crate::{Context, Figures};
use std::fmt::Write;

/// The heading of the section `--write-docs` replaces.
const SECTION: &str = "## Side by side";
/// The section it goes before when docs/performance.md has none yet.
const SECTION_BEFORE: &str = "## What limits the numbers";

/// The whole "Side by side" section, in Markdown.
pub fn section(context: &Context, figures: &[(System, Figures)], floor: Option<Floor>) -> String {
    let plan = &context.plan;
    let mut out = String::new();
    let _ = writeln!(out, "{SECTION}\n");
    out.push_str(
        "Samsyn next to three servers that speak the same part of its protocol, and next to the bare cost \
of a socket write on the same machine. One command runs it all and prints this section:\n\n\
```sh\n\
benches/run.sh                 # about 8 minutes; --quick: about 2½\n\
benches/run.sh --write-docs    # also replaces this section of docs/performance.md\n\
```\n\n\
`benches/run.sh` builds the release binaries (`cargo build --release --bins`), installs the pinned \
packages (`npm ci` in `benches/node` and in `benches/bun`, whose `bun` package brings Bun's binary) and \
runs `samsyn-bench` (source in `crates/samsyn-bench/`); `--only samsyn,ws,socketio,bun,floor` picks some \
of them, `--steps 2,3,5` sets the steps.\n\n",
    );
    out.push_str(
        "**What runs.** Each run starts a fresh server on 127.0.0.1 and runs `samsyn-load`, with the same \
seeds, against it:\n\n\
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
- **Bun**: `benches/bun/bun-server.mjs` on `Bun.serve` (uWebSockets underneath), compression off. Each \
audience is a topic its sockets `subscribe` to; a state frame is serialized once and handed to \
`server.publish`, which frames it once and copies it to every subscriber without going back to \
JavaScript. (`--bun-fanout send` loops over the sockets with `ws.sendText` instead, skipping a socket \
with unsent bytes and catching it up when it drains, as Samsyn does. Measured against each other on the \
machine below, the two cost about the same server CPU per delivery; `publish` is the default, Bun's own \
way to reach many sockets.)\n\
- **floor**: no server. A child of `samsyn-bench` accepts as many loopback TCP connections as the \
largest step had phones and writes one WebSocket text frame, as large as the mean state message \
Samsyn's clients received while voting at the common rate, to each in turn as fast as the sockets take them; `samsyn-bench` \
reads the other ends. It is what the kernel costs per delivery before any server does any work.\n\n\
The three peers share `benches/node/protocol.mjs`: `POST /api/sessions`, `hello` as participant, \
screen or facilitator with resume tokens and `welcome.ballots`, `vote`, `word` (normalised, limited per \
participant), `open`, `close`, a resent command answered with its first `ack`, and the `/metrics` \
counters read here. They keep everything in memory, so their acks wait for no disk, and they coalesce as \
Samsyn does above 100 phones (the case of every run here): screens at most every 25 ms, the \
facilitator every 50 ms, phones a quarter as long again apart as handing the last phone frame to every phone \
took (at least 100 ms, at most 1 s), each state serialized once per audience. Their `state` has Samsyn's fields in Samsyn's order, and phones get only \
the current item and the items open for answers, as from Samsyn, so every frame is the same size (the \
rows *state message while voting* check it; the one difference is the facilitator's `joins.flagged`, \
where Samsyn counts the phones that joined in a burst from one address and the peers, which see no \
addresses, say 0). They leave out what this workload does not touch: rate limits, limits per \
address, moderation and every other command.\n\n",
    );
    let ladder: Vec<String> = crate::steps::ladder(plan).iter().map(|s| s.sessions.to_string()).collect();
    let _ = writeln!(
        out,
        "**Steps to the plateau, and a common rate.** A step is a fresh server with S sessions of {phones} \
phones: the sessions join one after another while those already joined sit quiet, then all vote at \
once over {window} s (one `samsyn-load --threads 1` per session, on this same machine). While anything \
changes, a session's screen and facilitator get 20 frames a second each and every phone 10 (as long as \
handing a frame to all its phones takes under 67 ms; beyond that the phones' cadence slows, in Samsyn \
and in the peers alike), so a step offers S × ({phones} × 10 + 40) deliveries a second. Every server climbs the \
same steps (S = {ladder}; the last is cut to what the open-files limit, `ulimit -n`, lets one server \
hold), one step for every server before the next, until one of these holds:\n\n\
- its deliveries grew by less than 5 % over the step before;\n\
- it delivered less than 90 % of what the step offered (it is past its limit);\n\
- no step is left: then its plateau was not reached, and the table says so.\n\n\
A step's figure is its best {peak}-second stretch. The *plateau* is the step with the most \
deliveries. Then every server runs once more, at one *common rate*: 75 % of the lowest plateau, in \
sessions of about {phones} phones, a load every server keeps up with. All servers do the same work \
there, so CPU per delivery at the common rate compares the servers' efficiency on any machine, whereas the \
plateau also depends on how many cores the server can use and on the generators sharing them (on a small \
machine the generators' own share of the CPU can be what ends the climb: the machine is then 100 % busy \
while the server's process is not). A server's cost per delivery changes with the load (fixed costs \
spread over more frames), so the common rate is close to the slowest server's limit rather than far \
below it.\n",
        phones = group(f64::from(plan.session_phones)),
        window = plan.step_window,
        ladder = ladder.join(", "),
        peak = plan.peak.as_secs(),
    );
    out.push_str(
        "**The figures.**\n\n\
- *plateau, deliveries/s*: `state` frames written to sockets per second \
(`samsyn_updates_delivered_total`; the peers count the same way) at the plateau step; *reached at* \
names the step and what it offered. *connections*: WebSocket connections that joined in that step \
(phones that got their `welcome`, retries included, and each session's screen and facilitator).\n\
- *server CPU*: the server process (`/proc/PID/stat`), in % of one core and per delivery. Node runs \
JavaScript on one thread, so its servers cannot go much above 100 %; Bun's pub/sub copies frames in \
native code on that same thread; Samsyn uses every core.\n\
- *server CPU by thread*: the same per delivery, for each of the server's threads \
(`/proc/PID/task/*/stat`), summed by name with a pool's numbers left off. Samsyn's: `samsyn-fanout` \
writes the phones' frames (a thread per core), `tokio-rt-worker` reads the sockets and answers HTTP, \
`samsyn-actors` decides, acknowledges and renders each session's frames, `samsyn-sqlite` stores each \
commit before its acknowledgements go out.\n\
- *machine CPU per delivery*: all cores (`/proc/stat`) divided by the deliveries: the server, the load \
generators (which share the machine), the kernel's network work, and anything else running.\n\
- *state message while voting, mean bytes*: the bytes of the state messages the clients received at \
the common rate while the votes ran, divided by their number (phones' frames and the larger screen \
and facilitator frames); a row further down gives each audience's. They should be the same for every \
server: a peer that sent smaller frames would do less work.\n\
- *KB per idle connection*: the server's resident memory (`VmRSS`) after the common-rate step's \
phones joined minus before the first joined, per phone. *KB per further idle connection*: the same \
from after the first session's phones joined, per phone of the later sessions — what one more phone \
costs, without what a fresh server sets up once (its first session, the store's caches, each \
thread's first allocations).\n",
    );
    let _ = writeln!(
        out,
        "- *vote → screen*, *vote → phone*: `samsyn-load`'s figures (see \"How vote → screen and vote → \
phone are measured\") for one session of {latency} phones with the default workload over a \
{latency_window}-second vote.\n\
- *taken by the host (steal)*: on a virtual machine, the part of \"machine busy\" in which its cores \
wanted to run but the host ran something else (`/proc/stat`, steal), the more of the plateau's and the \
common rate's. It is counted in machine CPU per delivery; a few % of it make every figure of that run \
a little worse, and more says the run measured the host's other guests too.\n\
- *machine busy before the runs*: the whole machine just before each of the server's runs, when \
nothing of the benchmark runs (other programs), on average.\n\
- *acknowledged votes and words lost*: acknowledged ballots and words missing from the final tallies, \
summed over every run; a server may be slow or refuse work when overloaded, but never lose what it \
acknowledged.\n\
- *correct*: runs or sessions in which every phone joined at the first attempt, nothing acknowledged \
was lost, every view ended equal to the final state and no error occurred. At the common rate every \
session should be; steps past a server's plateau overload it on purpose, and it may refuse or drop \
connections there.\n\
- The ratios divide Samsyn's figure by the other's: below 1, Samsyn needs less (CPU, memory, time), or \
delivers less.\n",
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
    out.push('\n');
    out.push_str(&steps_table(figures));
    for (system, f) in figures {
        if let Some(stop) = f.stop.filter(|s| matches!(s, Stop::Top | Stop::Failed)) {
            let _ = writeln!(out, "\n{}: {}.", system.name(), stop.describe());
        }
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
fn table(figures: &[(System, Figures)], floor: Option<Floor>) -> String {
    let samsyn = figures.iter().find(|(s, _)| *s == System::Samsyn).map(|(_, f)| f);
    let others: Vec<(&str, &Figures)> =
        figures.iter().filter(|(s, _)| *s != System::Samsyn).map(|(s, f)| (s.name(), f)).collect();

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
    fn top(f: &Figures) -> Option<&Peak> {
        f.plateau()?.peak.as_ref()
    }
    fn common(f: &Figures) -> Option<&Peak> {
        f.common.as_ref()?.peak.as_ref()
    }
    row(
        "connections at the plateau",
        |f| f.plateau().map(|r| r.connections as f64),
        |f| Some(f.connections as f64),
        group,
        false,
    );
    row("plateau, deliveries/s", |f| top(f).map(|p| p.per_sec), |f| Some(f.per_sec), group, true);
    row(
        "server CPU at the plateau, % of one core",
        |f| top(f).map(|p| p.server_pct),
        |f| Some(f.server_pct),
        pct,
        false,
    );
    row(
        "machine busy at the plateau, % of all cores",
        |f| top(f).map(|p| p.machine_pct),
        |f| Some(f.machine_pct),
        pct,
        false,
    );
    row("common rate, deliveries/s", |f| common(f).map(|p| p.per_sec), |_| None, group, false);
    row(
        "server CPU µs per delivery at the common rate",
        |f| common(f).map(|p| p.server_us),
        |f| Some(f.server_us),
        small,
        true,
    );
    row(
        "machine CPU µs per delivery at the common rate",
        |f| common(f).map(|p| p.machine_us),
        |f| Some(f.machine_us),
        small,
        true,
    );
    row("server CPU at the common rate, % of one core", |f| common(f).map(|p| p.server_pct), |_| None, pct, false);
    row(
        "taken by the host (steal), % of all cores",
        |f| top(f).into_iter().chain(common(f)).map(|p| p.stolen_pct).reduce(f64::max),
        |f| Some(f.stolen_pct),
        pct,
        false,
    );
    row(
        "state message while voting, mean bytes",
        |f| f.common.as_ref()?.frame_bytes,
        |f| Some(f.bytes as f64),
        group,
        true,
    );
    row("KB per idle connection", |f| f.common.as_ref()?.kb_per_connection, |_| None, small, true);
    let further = |f: &Figures| f.common.as_ref()?.kb_per_further_connection;
    row("KB per further idle connection", further, |_| None, small, true);
    row("vote → screen p50, ms", |f| f.screen.map(|p| p.0), |_| None, small, true);
    row("vote → screen p99, ms", |f| f.screen.map(|p| p.1), |_| None, small, true);
    row("vote → phone p50, ms", |f| f.phone.map(|p| p.0), |_| None, small, true);
    row("vote → phone p99, ms", |f| f.phone.map(|p| p.1), |_| None, small, true);
    row("machine busy before the runs, % of all cores", Figures::busy, |f| f.busy_before, pct, false);
    // Words and counts, without ratios.
    let mut text_row = |label: &str, values: Vec<String>| {
        let mut cells = vec![label.to_string()];
        cells.extend(values);
        cells.resize(head.len(), String::new());
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    };
    let reached = |f: &Figures| {
        let Some(top) = f.plateau() else { return "–".to_string() };
        let at = f.climb.iter().position(|r| r.step == top.step).map_or(0, |i| i + 1);
        let unsure = if f.stop == Some(Stop::Top) { ", not reached" } else { "" };
        format!("step {at}: {} ({}/s){unsure}", top.step.describe(), group(top.step.offered()))
    };
    text_row("plateau reached at", figures.iter().map(|(_, f)| reached(f)).collect());
    let sizes = |f: &Figures| {
        let Some(common) = &f.common else { return "–".to_string() };
        let sizes: Vec<String> = common.audience_bytes.iter().map(|b| b.map_or("–".into(), group)).collect();
        sizes.join(" / ")
    };
    text_row(
        "state message while voting: phone / screen / facilitator",
        figures.iter().map(|(_, f)| sizes(f)).collect(),
    );
    let by_thread = |f: &Figures| {
        let Some(common) = common(f) else { return "–".to_string() };
        let shares: Vec<String> = common.threads.iter().map(|(name, us)| format!("{name} {}", small(*us))).collect();
        shares.join("; ")
    };
    text_row(
        "server CPU by thread at the common rate, µs per delivery",
        figures.iter().map(|(_, f)| by_thread(f)).collect(),
    );
    text_row(
        "common rate offered",
        figures.iter().map(|(_, f)| f.common.as_ref().map_or("–".into(), |c| group(c.step.offered()) + "/s")).collect(),
    );
    let of = |ok: u32, all: u32| format!("{ok} of {all}");
    text_row(
        "acknowledged votes and words lost, all runs",
        figures.iter().map(|(_, f)| group(f.lost as f64)).collect(),
    );
    text_row("latency runs correct", figures.iter().map(|(_, f)| of(f.correct, f.runs)).collect());
    text_row(
        "sessions correct at the common rate",
        figures
            .iter()
            .map(|(_, f)| f.common.as_ref().map_or("–".into(), |c| of(c.sessions_correct, c.step.sessions)))
            .collect(),
    );
    text_row(
        "sessions correct in all steps",
        figures
            .iter()
            .map(|(_, f)| {
                of(f.climb.iter().map(|r| r.sessions_correct).sum(), f.climb.iter().map(|r| r.step.sessions).sum())
            })
            .collect(),
    );
    out
}

/// Every step each server ran: deliveries a second (server CPU, % of one core); the plateau in bold.
fn steps_table(figures: &[(System, Figures)]) -> String {
    let mut out =
        String::from("Every step (deliveries/s, and the server's CPU in % of one core; the plateau in bold):\n\n");
    let mut head = vec!["step".to_string(), "offered/s".to_string()];
    head.extend(figures.iter().map(|(s, _)| s.name().to_string()));
    let _ = writeln!(out, "| {} |\n|{}", head.join(" | "), "---|".repeat(head.len()));
    let mut steps: Vec<Step> = Vec::new();
    for run in figures.iter().flat_map(|(_, f)| &f.climb) {
        if !steps.contains(&run.step) {
            steps.push(run.step);
        }
    }
    steps.sort_by(|a, b| a.offered().total_cmp(&b.offered()));
    for step in steps {
        let mut cells = vec![step.describe(), group(step.offered())];
        for (_, f) in figures {
            let top = f.plateau().map(|r| r.step);
            cells.push(match f.climb.iter().find(|r| r.step == step).and_then(|r| r.peak.as_ref()) {
                Some(p) if top == Some(step) => format!("**{}** ({})", group(p.per_sec), pct(p.server_pct)),
                Some(p) => format!("{} ({})", group(p.per_sec), pct(p.server_pct)),
                None if f.climb.iter().any(|r| r.step == step) => "failed".into(),
                None => String::new(),
            });
        }
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if a.is_finite() && b.is_finite() && b > 0.0 => format!("{:.2}", a / b),
        _ => "–".into(),
    }
}

/// A whole number with thousands separators: 12,345.
pub fn group(x: f64) -> String {
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

pub fn pct(x: f64) -> String {
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
pub fn replace_section(doc: &str, section: &str) -> String {
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
