//! The connection stream hyper reads and writes: TCP, direct or through a
//! proxy, and when to acknowledge what was read at once.
//!
//! Why acknowledgements are the client's business: request/response traffic
//! puts Linux's TCP in "pingpong" mode, where the ACK for an answer waits
//! (40 ms and up) to ride on the next request. A server that does not set
//! `TCP_NODELAY` (Nagle on) holds back a small segment while anything it
//! sent is unacknowledged, so when it writes an answer in pieces (headers,
//! then the body; or full segments, then a short tail) the last piece waits
//! for that delayed ACK: a 64 KiB GetObject from s3s-fs took ~42 ms instead
//! of ~0.3 ms. `TCP_QUICKACK` sends the pending ACK now (the flag is not
//! sticky, so it is set per read).
//!
//! Setting it after every read, as boto-rs did, costs a system call and an
//! extra ACK packet per call — 7–9 µs of system time per small call on the
//! benchmark machine, about a tenth of a DynamoDB GetItem's CPU — for servers
//! that answer small requests in one segment (AWS does) and never wait.
//! aws-sdk-rust and botocore never set it, and stall against such servers.
//! [`AckPolicy`] keeps the protection and drops the cost. It acknowledges:
//! - in plain HTTP, every read that leaves an answer unfinished: it reads
//!   the answer's status and `Content-Length` (a chunked, unsized or interim
//!   answer counts as unfinished throughout), so an answer that arrives
//!   whole is the only one left to the delayed ACK;
//! - over TLS, where the answers cannot be read, every read of a
//!   connection's first [`LEARN`] answers (the handshake's flights among
//!   them);
//! - every read of [`BULK_READ`] bytes or more (a download in full segments);
//! - every read, for good, once an answer went on after a read that was not
//!   acknowledged: that server may wait.
//!
//! Against servers that answer in one segment (AWS, hyper) a small call then
//! costs no extra system call or packet. An answer that went on after an
//! acknowledged read says nothing about the server (a TLS handshake's
//! flight, a session ticket before the answer), so it does not mark the
//! connection. A TLS server with Nagle on that splits a small answer costs
//! one delayed ACK on that connection before it is found out; `bench/
//! ack_stall.sh` times the plain-HTTP cases against s3s-fs and a Nagle
//! server.

use hyper_util::client::legacy::connect::{Connected, Connection};
use hyper_util::rt::TokioIo;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// A TCP connection, direct or to a proxy. `proxied` tells hyper to write
/// absolute-form request URIs (plain HTTP through a proxy); a `CONNECT`
/// tunnel is not "proxied" in that sense, since the target sees the requests.
pub(crate) struct ProxyStream {
    io: TokioIo<AckStream>,
    proxied: bool,
}

impl ProxyStream {
    /// `tls`: TLS will run over this stream (an `https://` target).
    pub(crate) fn new(tcp: TcpStream, proxied: bool, tls: bool) -> ProxyStream {
        ProxyStream {
            io: TokioIo::new(AckStream {
                tcp,
                policy: AckPolicy::new(!tls),
            }),
            proxied,
        }
    }
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.io.inner().tcp.connected().proxy(self.proxied)
    }
}

impl hyper::rt::Read for ProxyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for ProxyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}

/// A TCP stream that acknowledges reads as its [`AckPolicy`] says.
struct AckStream {
    tcp: TcpStream,
    policy: AckPolicy,
}

impl AsyncRead for AckStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let r = Pin::new(&mut this.tcp).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && this.policy.read(&buf.filled()[before..]) {
            quick_ack(&this.tcp);
        }
        r
    }
}

impl AsyncWrite for AckStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.tcp).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            this.policy.wrote(buf);
        }
        r
    }
    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let r = Pin::new(&mut this.tcp).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            let first = bufs.iter().find(|b| !b.is_empty());
            this.policy.wrote(first.map_or(&[][..], |b| &b[..]));
        }
        r
    }
    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }
    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_flush(cx)
    }
    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().tcp).poll_shutdown(cx)
    }
}

#[cfg(target_os = "linux")]
fn quick_ack(tcp: &TcpStream) {
    let _ = socket2::SockRef::from(tcp).set_tcp_quickack(true);
}

#[cfg(not(target_os = "linux"))]
fn quick_ack(_: &TcpStream) {}

/// Over TLS, a connection's first answers (the handshake's flights among
/// them) are acknowledged read by read whatever their shape.
pub(crate) const LEARN: u32 = 3;

/// Reads of this many bytes or more are acknowledged at once: a bulk
/// answer (a download, a long listing) that arrives in full segments, of
/// which an odd last one would otherwise wait for the delayed ACK.
pub(crate) const BULK_READ: usize = 16 * 1024;

/// When to acknowledge a read at once (see the module docs). Pure state,
/// fed a connection's writes and reads.
#[derive(Debug, Clone)]
pub(crate) struct AckPolicy {
    /// The bytes are HTTP/1.1 itself, not TLS records: answers are framed.
    plain: bool,
    /// Answers seen: runs of reads ended by the next request's write.
    answers: u32,
    /// A request is being written (no read since its first write).
    requesting: bool,
    /// The request is a `HEAD`: its answer ends with its headers.
    head: bool,
    /// The current answer has had a read.
    reading: bool,
    /// Plain HTTP: how much of the current answer is still to come.
    framing: Framing,
    /// The current answer's last read was not acknowledged, so the server
    /// may be waiting for the ACK.
    unacked: bool,
    /// An answer went on after such a read: this server may be waiting for
    /// acknowledgements, so every read is acknowledged from now on.
    every_read: bool,
}

/// How much of a plain-HTTP answer is still to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// Nothing of it read yet.
    Start,
    /// Its headers were read; this many body bytes are still to come.
    Remaining(u64),
    /// Its end cannot be told from here (headers cut across reads, a
    /// chunked or unsized body, an interim answer): every read of it is
    /// acknowledged.
    Unknown,
}

impl AckPolicy {
    /// The policy for a new connection; `plain` when hyper's bytes go on
    /// it as they are (`http://`), false under TLS.
    pub(crate) fn new(plain: bool) -> AckPolicy {
        AckPolicy {
            plain,
            answers: 0,
            requesting: false,
            head: false,
            reading: false,
            framing: Framing::Start,
            unacked: false,
            every_read: false,
        }
    }

    /// `bytes` were written; the first write of a request starts with its
    /// request line (in plain HTTP).
    pub(crate) fn wrote(&mut self, bytes: &[u8]) {
        if !self.requesting {
            if self.reading {
                self.answers = self.answers.saturating_add(1);
            }
            self.requesting = true;
            self.head = self.plain && bytes.starts_with(b"HEAD ");
            self.framing = Framing::Start;
        }
        self.reading = false;
        self.unacked = false;
    }

    /// A read returned `data` (nothing at the end of the stream): whether
    /// to acknowledge now.
    pub(crate) fn read(&mut self, data: &[u8]) -> bool {
        if data.is_empty() {
            return false;
        }
        self.requesting = false;
        if self.unacked {
            self.every_read = true;
        }
        self.reading = true;
        let unfinished = if self.plain {
            self.framing = match self.framing {
                Framing::Start => frame(data, self.head),
                Framing::Remaining(n) => Framing::Remaining(n.saturating_sub(data.len() as u64)),
                Framing::Unknown => Framing::Unknown,
            };
            self.framing != Framing::Remaining(0)
        } else {
            false
        };
        // Plain HTTP: acknowledged while the answer is unfinished, since
        // the rest may be held until then. TLS: while learning.
        let ack = self.every_read
            || data.len() >= BULK_READ
            || unfinished
            || (!self.plain && self.answers < LEARN);
        self.unacked = !ack;
        ack
    }
}

/// The framing of an answer whose first read is `data`. It runs once per
/// answer, so the header block is scanned with `memchr` and only lines
/// that may be `Content-Length` or `Transfer-Encoding` are compared: 87 ns
/// for a DynamoDB answer's headers (270 with a byte-by-byte search).
fn frame(data: &[u8], head: bool) -> Framing {
    // A searcher for a fixed needle, built once (building it per answer
    // was a third of this function's time).
    static BLANK_LINE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\r\n\r\n"));
    let Some(end) = BLANK_LINE.find(data) else {
        return Framing::Unknown;
    };
    let block = &data[..end + 2];
    let status_end = memchr::memchr(b'\n', block).unwrap_or(block.len());
    let status = block[..status_end]
        .split(|&b| b == b' ')
        .nth(1)
        .and_then(|c| std::str::from_utf8(c).ok()?.parse::<u16>().ok());
    match status {
        Some(204 | 304) => return Framing::Remaining(0),
        Some(200..=599) if head => return Framing::Remaining(0),
        Some(200..=599) => {}
        _ => return Framing::Unknown,
    }
    let mut length = None;
    let mut at = status_end + 1;
    while at < block.len() {
        let eol = memchr::memchr(b'\n', &block[at..]).map_or(block.len(), |i| at + i);
        let line = &block[at..eol];
        at = eol + 1;
        if !matches!(line.first(), Some(b'c' | b'C' | b't' | b'T')) {
            continue;
        }
        let Some(colon) = memchr::memchr(b':', line) else {
            continue;
        };
        let (name, value) = (&line[..colon], line[colon + 1..].trim_ascii());
        if name.eq_ignore_ascii_case(b"transfer-encoding") {
            return Framing::Unknown;
        }
        if name.eq_ignore_ascii_case(b"content-length") {
            length = std::str::from_utf8(value)
                .ok()
                .and_then(|v| v.parse::<u64>().ok());
        }
    }
    match length {
        Some(n) => Framing::Remaining(n.saturating_sub((data.len() - end - 4) as u64)),
        None => Framing::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: &[u8] = b"GET /b/k HTTP/1.1\r\nhost: h\r\n\r\n";
    const HEAD: &[u8] = b"HEAD /b/k HTTP/1.1\r\nhost: h\r\n\r\n";
    const HEADERS: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n";
    const ANSWER: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n{\"a\": 1}\n";
    const TLS_HELLO: &[u8] = b"\x16\x03\x01";
    const TLS_DATA: &[u8] = b"\x17\x03\x03";

    /// One exchange: `request` written, then `reads`; what the policy said
    /// for each read.
    fn exchange(p: &mut AckPolicy, request: &[u8], reads: &[&[u8]]) -> Vec<bool> {
        p.wrote(request);
        reads.iter().map(|d| p.read(d)).collect()
    }

    #[test]
    fn plain_answers_are_acknowledged_only_while_unfinished() {
        let mut p = AckPolicy::new(true);
        for _ in 0..100 {
            assert_eq!(exchange(&mut p, GET, &[ANSWER]), [false]);
            assert_eq!(exchange(&mut p, HEAD, &[HEADERS]), [false]);
        }
        // Headers alone, then the body in two pieces (a Nagle server holds
        // each until the previous one is acknowledged).
        assert_eq!(
            exchange(&mut p, GET, &[HEADERS, b"{\"a\": ", b"1}\n"]),
            [true, true, false]
        );
        // Headers with the start of the body.
        assert_eq!(
            exchange(
                &mut p,
                GET,
                &[
                    b"HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\n{\"a\"",
                    b": 1}\n"
                ]
            ),
            [true, false]
        );
        assert_eq!(
            exchange(&mut p, GET, &[b"HTTP/1.1 204 No Content\r\n\r\n"]),
            [false]
        );
        // None of that marks the connection.
        assert_eq!(exchange(&mut p, GET, &[ANSWER]), [false]);
        // The end of the stream is never acknowledged.
        assert!(!p.read(b""));
    }

    #[test]
    fn plain_answers_without_a_visible_end_are_acknowledged_throughout() {
        let mut p = AckPolicy::new(true);
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
        assert_eq!(exchange(&mut p, GET, &[chunked]), [true]);
        // Headers cut across reads.
        assert_eq!(
            exchange(
                &mut p,
                GET,
                &[b"HTTP/1.1 200 OK\r\nConte", b"nt-Length: 0\r\n\r\n"]
            ),
            [true, true]
        );
        // An interim answer, then the final one.
        assert_eq!(
            exchange(&mut p, GET, &[b"HTTP/1.1 103 Early Hints\r\n\r\n", ANSWER]),
            [true, true]
        );
        // No length: the body runs to the end of the stream.
        assert_eq!(
            exchange(&mut p, GET, &[b"HTTP/1.0 200 OK\r\n\r\nbody"]),
            [true]
        );
        assert_eq!(exchange(&mut p, GET, &[ANSWER]), [false]);
    }

    #[test]
    fn a_plain_answer_going_on_after_it_looked_finished_marks_the_connection() {
        let mut p = AckPolicy::new(true);
        // More than the stated length (a misframed server): the extra
        // bytes come after a read that was not acknowledged.
        assert_eq!(exchange(&mut p, GET, &[ANSWER, b"extra"]), [false, true]);
        assert_eq!(exchange(&mut p, GET, &[ANSWER]), [true]);
    }

    #[test]
    fn tls_answers_are_acknowledged_while_learning_without_marking_the_connection() {
        // The handshake's flight in three reads, then a session ticket read
        // before the first answer: acknowledged, so nobody waited.
        let mut p = AckPolicy::new(false);
        assert_eq!(
            exchange(&mut p, TLS_HELLO, &[b"\x16a", b"b", b"c"]),
            [true; 3]
        );
        assert_eq!(exchange(&mut p, TLS_DATA, &[b"\x17t", b"\x17r"]), [true; 2]);
        assert_eq!(exchange(&mut p, TLS_DATA, &[b"\x17r"]), [true]);
        for _ in 0..10 {
            assert_eq!(exchange(&mut p, TLS_DATA, &[b"\x17r"]), [false]);
        }
        // Ciphertext that happens to look like a HEAD request or a header
        // block changes nothing.
        assert_eq!(exchange(&mut p, b"HEAD ", &[b"x\r\n\r\n"]), [false]);
    }

    #[test]
    fn a_tls_answer_going_on_after_an_unacknowledged_read_marks_the_connection() {
        let mut p = AckPolicy::new(false);
        for _ in 0..LEARN {
            exchange(&mut p, TLS_DATA, &[b"\x17r"]);
        }
        assert_eq!(exchange(&mut p, TLS_DATA, &[b"\x17a", b"b"]), [false, true]);
        assert_eq!(exchange(&mut p, TLS_DATA, &[b"\x17r"]), [true]);
    }

    #[test]
    fn bulk_reads_are_acknowledged_and_do_not_mark_the_connection() {
        let mut p = AckPolicy::new(false);
        for _ in 0..LEARN {
            exchange(&mut p, TLS_DATA, &[b"\x17r"]);
        }
        let full = vec![0x17; BULK_READ];
        assert_eq!(
            exchange(&mut p, TLS_DATA, &[&full, &full, b"tail"]),
            [true, true, false]
        );
        assert_eq!(exchange(&mut p, TLS_DATA, &[b"\x17r"]), [false]);
    }

    #[test]
    fn a_request_written_in_pieces_is_one_request() {
        let mut p = AckPolicy::new(true);
        // The body of a PUT after its head; it happens to start like a
        // HEAD request, which only a request's first write could mean.
        p.wrote(b"PUT /b/k HTTP/1.1\r\ncontent-length: 9\r\n\r\n");
        p.wrote(b"HEAD body");
        assert!(p.read(HEADERS), "a PUT's answer has a body here");
        // Over TLS, writes alone do not make answers: still learning.
        let mut p = AckPolicy::new(false);
        for _ in 0..10 {
            p.wrote(TLS_DATA);
        }
        assert_eq!(exchange(&mut p, TLS_DATA, &[b"\x17r"]), [true]);
    }
}
