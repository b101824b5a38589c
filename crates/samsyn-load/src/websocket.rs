//! The client side of RFC 6455, as lean as the generator needs it. Thousands of simulated phones share a
//! core or two with the server under test, so every microsecond a phone spends on a frame is taken from
//! the server being measured. A phone reads with one `recv` into a stack buffer, keeps only the bytes of
//! an unfinished frame, and hands a text frame on as a slice of the bytes read: no per-connection read
//! buffer to zero or grow, no codec layers. The same client reads every server under comparison.
//!
//! Server frames are never masked; client frames always are. No extensions, no subprotocol. Pings are
//! answered with pongs on the next read or write; a close frame ends the stream.

use bytes::{Buf, Bytes, BytesMut};
use futures_util::Stream;
use std::io::{Error, ErrorKind};
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tungstenite::handshake::client::generate_key;
use tungstenite::handshake::derive_accept_key;
use tungstenite::Utf8Bytes;

/// Largest message accepted (1 MiB); the server's states are a few KiB.
const MAX_MESSAGE: usize = 1 << 20;
/// Bytes read per `recv`: a phone's state frame and anything queued behind it.
const READ_CHUNK: usize = 4096;
/// Largest HTTP head of the upgrade answer.
const MAX_HEAD: usize = 8 * 1024;

const CONTINUATION: u8 = 0x0;
const TEXT: u8 = 0x1;
const CLOSE: u8 = 0x8;
const PING: u8 = 0x9;
const PONG: u8 = 0xA;

/// What a server sent, as the generator's clients see it.
#[derive(Debug)]
pub enum Message {
    Text(Utf8Bytes),
    /// The server closed the WebSocket (a close frame) or the TCP connection.
    Close,
}

/// One client WebSocket over TCP.
pub struct Socket {
    io: TcpStream,
    /// Bytes read but not yet handed on: the start of an unfinished frame.
    pending: BytesMut,
    /// A text message split over frames, until its last frame.
    fragments: Option<BytesMut>,
    /// Frames owed to the server (pongs, a close) that the socket did not take yet.
    owed: Vec<u8>,
    /// A close frame or the end of the stream was seen; nothing more is read.
    closed: bool,
}

impl Socket {
    /// The opening handshake on a connected stream: `GET path` with a fresh key, and a `101` answer whose
    /// `Sec-WebSocket-Accept` matches it. Bytes the server sent after the answer are kept as frames.
    pub async fn upgrade(mut io: TcpStream, host: &str, path: &str) -> Result<Socket, String> {
        let key = generate_key();
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        );
        io.write_all(request.as_bytes()).await.map_err(|e| format!("upgrade: write: {e}"))?;
        let mut read = BytesMut::with_capacity(1024);
        let head_end = loop {
            if let Some(at) = read.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            if read.len() > MAX_HEAD {
                return Err("upgrade: answer head too long".into());
            }
            if io.read_buf(&mut read).await.map_err(|e| format!("upgrade: read: {e}"))? == 0 {
                return Err("upgrade: closed before the answer".into());
            }
        };
        let head = String::from_utf8_lossy(&read[..head_end]).into_owned();
        let status = head.split_whitespace().nth(1).unwrap_or_default();
        if status != "101" {
            let first_line = head.lines().next().unwrap_or_default();
            return Err(format!("upgrade: the server answered {first_line:?}"));
        }
        let accept = head.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim().eq_ignore_ascii_case("sec-websocket-accept").then(|| value.trim().to_string())
        });
        if accept.as_deref() != Some(derive_accept_key(key.as_bytes()).as_str()) {
            return Err("upgrade: Sec-WebSocket-Accept does not match the key".into());
        }
        read.advance(head_end);
        Ok(Socket { io, pending: read, fragments: None, owed: Vec::new(), closed: false })
    }

    /// Sends one text message (after any pong still owed) and waits until the socket took it.
    pub async fn send_text(&mut self, text: &str) -> std::io::Result<()> {
        self.send_frame(TEXT, text.as_bytes()).await
    }

    /// Writes one frame after whatever is still owed, and waits until the socket took all of it.
    async fn send_frame(&mut self, opcode: u8, payload: &[u8]) -> std::io::Result<()> {
        client_frame(opcode, payload, &mut self.owed);
        self.io.write_all(&self.owed).await?;
        self.owed.clear();
        Ok(())
    }

    /// Queues a text message to go out with the next read or write, without waiting (a Socket.IO pong).
    pub fn queue_text(&mut self, text: &str) {
        client_frame(TEXT, text.as_bytes(), &mut self.owed);
    }

    /// Sends a close frame (normal closure) and shuts the sending side down.
    pub async fn close(&mut self) -> std::io::Result<()> {
        self.send_frame(CLOSE, &1000u16.to_be_bytes()).await?;
        self.io.shutdown().await
    }

    /// Writes owed frames as far as the socket takes them now; the rest waits for the next call.
    fn poll_owed(&mut self, cx: &mut Context<'_>) -> std::io::Result<()> {
        while !self.owed.is_empty() {
            match Pin::new(&mut self.io).poll_write(cx, &self.owed) {
                Poll::Ready(Ok(0)) => return Err(ErrorKind::WriteZero.into()),
                Poll::Ready(Ok(n)) => {
                    self.owed.drain(..n);
                }
                Poll::Ready(Err(error)) => return Err(error),
                Poll::Pending => break,
            }
        }
        Ok(())
    }

    /// The next whole message in `pending`, answering pings on the way. `None`: more bytes are needed.
    fn next_message(&mut self) -> std::io::Result<Option<Message>> {
        loop {
            let Some(header) = Header::read(&self.pending)? else { return Ok(None) };
            if self.pending.len() < header.len + header.payload {
                return Ok(None);
            }
            let whole = header.len + header.payload;
            // Usually the read held just this frame: take the buffer as it is rather than split it.
            let mut frame = if self.pending.len() == whole {
                std::mem::take(&mut self.pending)
            } else {
                self.pending.split_to(whole)
            };
            frame.advance(header.len);
            match (header.opcode, self.fragments.as_mut()) {
                (TEXT, None) if header.fin => return text(frame.freeze()).map(Some),
                (TEXT, None) => self.fragments = Some(frame),
                (CONTINUATION, Some(message)) => {
                    if message.len() + frame.len() > MAX_MESSAGE {
                        return Err(invalid("a message over 1 MiB"));
                    }
                    message.extend_from_slice(&frame);
                    if header.fin {
                        let message = self.fragments.take().expect("matched Some").freeze();
                        return text(message).map(Some);
                    }
                }
                (PING, _) => client_frame(PONG, &frame, &mut self.owed),
                (PONG, _) => {}
                (CLOSE, _) => {
                    self.closed = true;
                    client_frame(CLOSE, frame.get(..2).unwrap_or_default(), &mut self.owed);
                    return Ok(Some(Message::Close));
                }
                (opcode, _) => return Err(invalid(&format!("unexpected frame, opcode {opcode:#x}"))),
            }
        }
    }
}

impl Stream for Socket {
    type Item = std::io::Result<Message>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Err(error) = this.poll_owed(cx) {
            return Poll::Ready(Some(Err(error)));
        }
        loop {
            if this.closed {
                return Poll::Ready(None);
            }
            match this.next_message() {
                Ok(Some(message)) => {
                    // A close frame's answer goes out now; there will be no next read to carry it.
                    let _ = this.poll_owed(cx);
                    return Poll::Ready(Some(Ok(message)));
                }
                Ok(None) => {}
                Err(error) => return Poll::Ready(Some(Err(error))),
            }
            // Pongs for pings just decoded go out before the next read.
            if let Err(error) = this.poll_owed(cx) {
                return Poll::Ready(Some(Err(error)));
            }
            let mut chunk = [MaybeUninit::<u8>::uninit(); READ_CHUNK];
            let mut buf = ReadBuf::uninit(&mut chunk);
            if let Err(error) = ready!(Pin::new(&mut this.io).poll_read(cx, &mut buf)) {
                return Poll::Ready(Some(Err(error)));
            }
            if buf.filled().is_empty() {
                this.closed = true;
                return Poll::Ready(Some(Ok(Message::Close)));
            }
            this.pending.extend_from_slice(buf.filled());
        }
    }
}

/// The fixed part of a frame: its length, the payload's length, and what it is.
struct Header {
    fin: bool,
    opcode: u8,
    len: usize,
    payload: usize,
}

impl Header {
    fn read(bytes: &[u8]) -> std::io::Result<Option<Header>> {
        let [first, second, ..] = *bytes else { return Ok(None) };
        if first & 0x70 != 0 {
            return Err(invalid("reserved bits set (no extension was agreed)"));
        }
        if second & 0x80 != 0 {
            return Err(invalid("a masked frame from the server"));
        }
        let (len, payload) = match second & 0x7F {
            126 => match bytes.get(2..4) {
                Some(b) => (4, usize::from(u16::from_be_bytes([b[0], b[1]]))),
                None => return Ok(None),
            },
            127 => match bytes.get(2..10) {
                Some(b) => {
                    (10, usize::try_from(u64::from_be_bytes(b.try_into().expect("8 bytes"))).unwrap_or(usize::MAX))
                }
                None => return Ok(None),
            },
            short => (2, usize::from(short)),
        };
        if payload > MAX_MESSAGE {
            return Err(invalid("a frame over 1 MiB"));
        }
        Ok(Some(Header { fin: first & 0x80 != 0, opcode: first & 0x0F, len, payload }))
    }
}

fn text(payload: Bytes) -> std::io::Result<Message> {
    Utf8Bytes::try_from(payload).map(Message::Text).map_err(|_| invalid("a text message that is not UTF-8"))
}

fn invalid(what: &str) -> Error {
    Error::new(ErrorKind::InvalidData, format!("WebSocket: {what}"))
}

/// Appends one masked client frame (RFC 6455 5.3: every client frame is masked with a fresh key).
fn client_frame(opcode: u8, payload: &[u8], out: &mut Vec<u8>) {
    out.push(0x80 | opcode);
    match payload.len() {
        n if n < 126 => out.push(0x80 | n as u8),
        n if n <= usize::from(u16::MAX) => {
            out.push(0x80 | 126);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            out.push(0x80 | 127);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    let mask: [u8; 4] = rand::random();
    out.extend_from_slice(&mask);
    out.extend(payload.iter().zip(mask.iter().cycle()).map(|(byte, key)| byte ^ key));
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn server_frame(first: u8, payload: &[u8]) -> Vec<u8> {
        let mut out = vec![first];
        match payload.len() {
            n if n < 126 => out.push(n as u8),
            n => {
                out.push(126);
                out.extend_from_slice(&(n as u16).to_be_bytes());
            }
        }
        out.extend_from_slice(payload);
        out
    }

    /// A server on a real loopback socket: the upgrade, a ping, a message in two fragments, a message
    /// that arrives in pieces, and a close; the client must answer the ping and the close.
    #[tokio::test]
    async fn a_real_socket_upgrades_reads_fragments_and_answers_pings_and_close() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (mut io, _) = listener.accept().await.unwrap();
            let mut head = Vec::new();
            while !head.ends_with(b"\r\n\r\n") {
                head.push(io.read_u8().await.unwrap());
            }
            let head = String::from_utf8(head).unwrap();
            let key = head.lines().find_map(|l| l.strip_prefix("Sec-WebSocket-Key: ")).unwrap();
            // RFC 6455 4.1: the key is 16 random bytes in base64.
            assert!(key.len() == 24 && key.ends_with("=="), "{key}");
            let accept = derive_accept_key(key.as_bytes());
            let mut out = format!(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
                 Sec-WebSocket-Accept: {accept}\r\n\r\n"
            )
            .into_bytes();
            out.extend(server_frame(0x80 | PING, b"hi"));
            out.extend(server_frame(TEXT, b"{\"half\":"));
            out.extend(server_frame(0x80 | CONTINUATION, b"1}"));
            io.write_all(&out).await.unwrap();
            let long = format!("\"{}\"", "x".repeat(5000));
            let framed = server_frame(0x80 | TEXT, long.as_bytes());
            let (first, rest) = framed.split_at(1000);
            io.write_all(first).await.unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            io.write_all(rest).await.unwrap();
            io.write_all(&server_frame(0x80 | CLOSE, &1000u16.to_be_bytes())).await.unwrap();
            // What the client sent back: a pong with the ping's bytes, then a close, both masked.
            let mut replies = Vec::new();
            for _ in 0..2 {
                let first = io.read_u8().await.unwrap();
                let len = usize::from(io.read_u8().await.unwrap() & 0x7F);
                let mut mask = [0u8; 4];
                io.read_exact(&mut mask).await.unwrap();
                let mut payload = vec![0u8; len];
                io.read_exact(&mut payload).await.unwrap();
                payload.iter_mut().zip(mask.iter().cycle()).for_each(|(b, k)| *b ^= k);
                replies.push((first, payload));
            }
            replies
        });
        let io = TcpStream::connect(addr).await.unwrap();
        let mut socket = Socket::upgrade(io, &addr.to_string(), "/ws").await.unwrap();
        let mut texts = Vec::new();
        while let Some(message) = socket.next().await {
            match message.unwrap() {
                Message::Text(text) => texts.push(text.to_string()),
                Message::Close => break,
            }
        }
        assert_eq!(texts, [r#"{"half":1}"#.to_string(), format!("\"{}\"", "x".repeat(5000))]);
        let replies = server.await.unwrap();
        assert_eq!(replies[0], (0x80 | PONG, b"hi".to_vec()));
        assert_eq!(replies[1], (0x80 | CLOSE, 1000u16.to_be_bytes().to_vec()));
    }

    #[test]
    fn client_frames_are_masked_and_unmask_to_the_payload() {
        let payload = "x".repeat(300);
        let mut out = Vec::new();
        client_frame(TEXT, payload.as_bytes(), &mut out);
        assert_eq!(out[0], 0x81);
        assert_eq!(out[1], 0x80 | 126);
        assert_eq!(u16::from_be_bytes([out[2], out[3]]), 300);
        let mask = &out[4..8];
        let unmasked: Vec<u8> = out[8..].iter().zip(mask.iter().cycle()).map(|(b, k)| b ^ k).collect();
        assert_eq!(unmasked, payload.as_bytes());
    }

    #[test]
    fn headers_wait_for_their_bytes_and_refuse_masked_server_frames() {
        let frame = server_frame(0x81, &[b'a'; 200]);
        assert!(Header::read(&frame[..3]).unwrap().is_none());
        let header = Header::read(&frame).unwrap().unwrap();
        assert_eq!((header.fin, header.opcode, header.len, header.payload), (true, TEXT, 4, 200));
        assert!(Header::read(&[0x81, 0x85]).is_err());
        assert!(Header::read(&[0xC1, 0x05]).is_err());
    }
}
