//! The "Side by side" section of docs/performance.md: the figures as wrapped Markdown, and its place in the file.

use crate::probe::Floor;
use crate::system::System;
use crate::{Context, Figures, SESSION_PHONES};
use std::fmt::Write;

/// The heading of the section `--write-docs` replaces.
const SECTION: &str = "## Side by side";
/// The section it goes before when docs/performance.md has none yet.
const SECTION_BEFORE: &str = "## What limits the numbers";

/// The whole "Side by side" section, in Markdown.
pub fn section(context: &Context, figures: &[(System, Figures)], floor: Option<(Floor, usize)>) -> String {
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
