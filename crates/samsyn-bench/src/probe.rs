//! The floor: what one socket write costs on this machine with no server above it. A child process
//! accepts N loopback TCP connections and writes one WebSocket text frame, as large as a state frame, to
//! each in turn, as fast as the sockets take them; this process holds the other ends and reads and drops
//! the bytes. The child's CPU per write is the kernel's share of every delivery; the machine's covers
//! the reading side too.

use crate::proc::{self, CLOCK_TICKS};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::net::TcpSocket;
use tokio::process::Command;
use tokio::task::JoinSet;

/// Loopback source addresses the readers connect from, as `samsyn-load` spreads its phones.
const SOURCES: usize = 4;
/// Read buffer per connection: what `samsyn-load` uses per phone.
const READ_BUFFER: usize = 4 * 1024;
/// How long the child may take to accept everything and finish.
const STEP_TIMEOUT: Duration = Duration::from_secs(60);

/// The floor's figures, comparable with a server's.
#[derive(Debug, Clone, Copy)]
pub struct Floor {
    pub connections: u64,
    /// Payload bytes of each frame written.
    pub bytes: usize,
    pub per_sec: f64,
    pub server_pct: f64,
    pub server_us: f64,
    pub machine_pct: f64,
    pub machine_us: f64,
    /// Of the machine, what the host took (steal), % of all cores.
    pub stolen_pct: f64,
    /// How busy the machine was just before, % of all cores (filled in by the caller).
    pub busy_before: Option<f64>,
}

/// The writing side, in the child: blocking sockets on one thread, so a full socket buffer makes it wait
/// without spending CPU. Prints `port P`, then `start` once every connection is accepted, then
/// `done WRITES SECS`, and exits when its standard input closes.
pub fn serve(connections: usize, bytes: usize, secs: f64) -> Result<(), String> {
    let io = |e: std::io::Error| e.to_string();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(io)?;
    println!("port {}", listener.local_addr().map_err(io)?.port());
    let mut sockets = Vec::with_capacity(connections);
    while sockets.len() < connections {
        let (socket, _) = listener.accept().map_err(io)?;
        socket.set_nodelay(true).map_err(io)?;
        sockets.push(socket);
    }
    let frame = text_frame(bytes);
    println!("start");
    let started = Instant::now();
    let limit = Duration::from_secs_f64(secs);
    let mut writes = 0u64;
    while started.elapsed() < limit {
        for socket in &mut sockets {
            socket.write_all(&frame).map_err(io)?;
            writes += 1;
        }
    }
    println!("done {writes} {}", started.elapsed().as_secs_f64());
    // Stay (and keep the sockets) until the parent has read our CPU time.
    let _ = std::io::stdin().read_line(&mut String::new());
    Ok(())
}

/// A server-to-client WebSocket text frame (unmasked) with `len` bytes of payload.
fn text_frame(len: usize) -> Vec<u8> {
    let mut frame = vec![0x81];
    match u16::try_from(len) {
        Ok(short) if short < 126 => frame.push(short as u8),
        Ok(medium) => {
            frame.push(126);
            frame.extend(medium.to_be_bytes());
        }
        Err(_) => {
            frame.push(127);
            frame.extend((len as u64).to_be_bytes());
        }
    }
    frame.resize(frame.len() + len, b'x');
    frame
}

/// Runs the child (this same program, `exe`), connects and reads, and measures the writing stretch.
pub async fn run(exe: &Path, connections: usize, bytes: usize, secs: f64) -> Result<Floor, String> {
    let mut child = Command::new(exe)
        .args(["probe-serve", &connections.to_string(), &bytes.to_string(), &secs.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("floor: cannot start: {e}"))?;
    let pid = child.id().ok_or("floor: the child exited at once")?;
    let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
    let mut next_line = async || {
        tokio::time::timeout(STEP_TIMEOUT, lines.next_line())
            .await
            .map_err(|_| "floor: the child did not answer in time".to_string())?
            .map_err(|e| format!("floor: {e}"))?
            .ok_or_else(|| "floor: the child ended early".to_string())
    };
    let port: u16 =
        next_line().await?.strip_prefix("port ").and_then(|p| p.parse().ok()).ok_or("floor: no port from the child")?;
    let server = SocketAddr::from(([127, 0, 0, 1], port));
    let mut readers = JoinSet::new();
    for n in 0..connections {
        let socket = TcpSocket::new_v4().map_err(|e| format!("floor: socket: {e}"))?;
        let source = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1 + (n % SOURCES) as u8));
        socket.bind(SocketAddr::new(source, 0)).map_err(|e| format!("floor: bind {source}: {e}"))?;
        let mut stream = socket.connect(server).await.map_err(|e| format!("floor: connect: {e}"))?;
        readers.spawn(async move {
            let mut buffer = vec![0u8; READ_BUFFER];
            while matches!(stream.read(&mut buffer).await, Ok(n) if n > 0) {}
        });
    }
    if next_line().await? != "start" {
        return Err("floor: unexpected answer from the child".into());
    }
    let before = (proc::process_ticks(pid), proc::machine_ticks());
    let done = next_line().await?;
    let after = (proc::process_ticks(pid), proc::machine_ticks());
    drop(child.stdin.take());
    let _ = child.wait().await;
    readers.abort_all();

    let mut fields = done.split_whitespace().skip(1).map(|f| f.parse::<f64>().ok());
    let (Some(Some(writes)), Some(Some(secs))) = (fields.next(), fields.next()) else {
        return Err(format!("floor: unexpected answer from the child: {done}"));
    };
    let (Some(a), Some(b)) = (before.0.zip(before.1), after.0.zip(after.1)) else {
        return Err("floor: could not read /proc".into());
    };
    let server_secs = b.0.saturating_sub(a.0) as f64 / CLOCK_TICKS;
    let machine_secs = b.1.busy.saturating_sub(a.1.busy) as f64 / CLOCK_TICKS;
    Ok(Floor {
        connections: connections as u64,
        bytes,
        per_sec: writes / secs,
        server_pct: server_secs / secs * 100.0,
        server_us: server_secs * 1e6 / writes.max(1.0),
        machine_pct: b.1.busy.saturating_sub(a.1.busy) as f64 * 100.0 / b.1.all.saturating_sub(a.1.all).max(1) as f64,
        machine_us: machine_secs * 1e6 / writes.max(1.0),
        stolen_pct: a.1.stolen_pct(&b.1),
        busy_before: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_carry_their_length() {
        assert_eq!(&text_frame(5)[..2], &[0x81, 5]);
        let medium = text_frame(3100);
        assert_eq!(&medium[..4], &[0x81, 126, 0x0c, 0x1c]);
        assert_eq!(medium.len(), 3104);
    }
}
