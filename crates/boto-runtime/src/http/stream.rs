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
//! - every read of a connection's first [`LEARN`] answers;
//! - every read of [`BULK_READ`] bytes or more (a download in full segments);
//! - in plain HTTP, a read that ends a line of an answer that may have a
//!   body (the headers, written apart from the body, or a chunk), since
//!   the rest may be held for it;
//! - every read, for good, once an answer went on after a short read that
//!   was not acknowledged (or came while learning): that server waits.
//!
//! Against servers that answer in one segment (AWS, hyper) a small call then
//! costs no extra system call or packet. A server that answers cleanly for
//! a while and only then splits a TLS answer costs one delayed ACK on that
//! connection before it is found out.

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
    pub(crate) fn new(tcp: TcpStream, proxied: bool) -> ProxyStream {
        ProxyStream {
            io: TokioIo::new(AckStream {
                tcp,
                policy: AckPolicy::default(),
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

/// A connection's first answers are acknowledged read by read whatever
/// their shape, and any of them that goes on after a short read marks the
/// connection, so a server that splits its answers shows it before the
/// acknowledgements stop.
pub(crate) const LEARN: u32 = 3;

/// Reads of this many bytes or more are acknowledged at once: a bulk
/// answer (a download, a long listing) that arrives in full segments, of
/// which an odd last one would otherwise wait for the delayed ACK.
pub(crate) const BULK_READ: usize = 16 * 1024;

/// When to acknowledge a read at once (see the module docs). Pure state,
/// fed a connection's writes and reads.
#[derive(Debug, Default, Clone)]
pub(crate) struct AckPolicy {
    /// Answers seen: runs of reads ended by the next request's write.
    answers: u32,
    /// A request is being written (no read since its first write).
    requesting: bool,
    /// The request is a `HEAD`: its answer ends with its headers.
    head: bool,
    /// The current answer has had a read.
    reading: bool,
    /// The current answer's last read was short and may have left the
    /// server waiting (it was not acknowledged, or the connection is new).
    short_read: bool,
    /// An answer went on after such a read: this server may be waiting for
    /// acknowledgements, so every read is acknowledged from now on.
    every_read: bool,
}

impl AckPolicy {
    /// `bytes` were written; the first write of a request starts with its
    /// request line (in plain HTTP: TLS records never start with a method).
    pub(crate) fn wrote(&mut self, bytes: &[u8]) {
        if !self.requesting {
            if self.reading {
                self.answers = self.answers.saturating_add(1);
            }
            self.requesting = true;
            self.head = bytes.starts_with(b"HEAD ");
        }
        self.reading = false;
        self.short_read = false;
    }

    /// A read returned `data` (nothing at the end of the stream): whether
    /// to acknowledge now.
    pub(crate) fn read(&mut self, data: &[u8]) -> bool {
        if data.is_empty() {
            return false;
        }
        self.requesting = false;
        if self.short_read {
            self.every_read = true;
        }
        self.reading = true;
        let bulk = data.len() >= BULK_READ;
        let learning = self.answers < LEARN;
        // Plain HTTP: a read ending a header block (or a chunk) of an
        // answer that has a body is likely followed by more, which a
        // Nagle server holds until this is acknowledged.
        let more_expected = !self.head && data.ends_with(b"\r\n");
        let ack = self.every_read || learning || bulk || more_expected;
        self.short_read = !bulk && (learning || !ack);
        ack
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: &[u8] = b"GET /b/k HTTP/1.1\r\nhost: h\r\n\r\n";
    const HEAD: &[u8] = b"HEAD /b/k HTTP/1.1\r\nhost: h\r\n\r\n";
    const HEADERS: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n";
    const ANSWER: &[u8] = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}";

    /// One exchange: `request` written, then `reads`; what the policy said
    /// for each read.
    fn exchange(p: &mut AckPolicy, request: &[u8], reads: &[&[u8]]) -> Vec<bool> {
        p.wrote(request);
        reads.iter().map(|d| p.read(d)).collect()
    }

    fn learned() -> AckPolicy {
        let mut p = AckPolicy::default();
        for _ in 0..LEARN {
            assert_eq!(exchange(&mut p, GET, &[ANSWER]), [true]);
        }
        p
    }

    #[test]
    fn answers_in_one_read_stop_being_acknowledged_after_learning() {
        let mut p = learned();
        for _ in 0..100 {
            assert_eq!(exchange(&mut p, GET, &[ANSWER]), [false]);
            assert_eq!(exchange(&mut p, HEAD, &[HEADERS]), [false]);
        }
        // The end of the stream is never acknowledged.
        assert!(!p.read(b""));
    }

    #[test]
    fn headers_read_alone_are_acknowledged_unless_the_answer_has_no_body() {
        let mut p = learned();
        // Headers, then the body a Nagle server held until the ACK: not
        // a sign of trouble, since the headers were acknowledged.
        assert_eq!(exchange(&mut p, GET, &[HEADERS, b"{}"]), [true, false]);
        assert_eq!(exchange(&mut p, GET, &[ANSWER]), [false]);
        // A chunked answer, chunk by chunk.
        assert_eq!(
            exchange(&mut p, GET, &[HEADERS, b"2\r\n{}\r\n", b"0\r\n\r\n"]),
            [true, true, true]
        );
        assert_eq!(exchange(&mut p, HEAD, &[HEADERS]), [false]);
    }

    #[test]
    fn answers_split_while_learning_keep_every_read_acknowledged() {
        // A server writing an answer in two pieces, neither ending a line.
        let mut p = AckPolicy::default();
        assert_eq!(
            exchange(
                &mut p,
                GET,
                &[b"HTTP/1.1 200 OK\r\ncont", b"ent-length: 0\r\n\r\n"]
            ),
            [true, true]
        );
        for _ in 0..10 {
            assert_eq!(exchange(&mut p, GET, &[ANSWER]), [true]);
        }
    }

    #[test]
    fn an_answer_going_on_after_an_unacknowledged_read_switches_acknowledgements_back_on() {
        let mut p = learned();
        assert_eq!(
            exchange(
                &mut p,
                GET,
                &[b"HTTP/1.1 200 OK\r\nx: y\r\n\r\n{\"a\"", b": 1}"]
            ),
            [false, true]
        );
        assert_eq!(exchange(&mut p, GET, &[ANSWER]), [true]);
        assert_eq!(exchange(&mut p, HEAD, &[HEADERS]), [true]);
    }

    #[test]
    fn bulk_reads_are_acknowledged_and_do_not_mark_the_connection() {
        let mut p = learned();
        let full = vec![b'x'; BULK_READ];
        // A download in full reads and a short tail.
        assert_eq!(
            exchange(&mut p, GET, &[&full, &full, b"tail"]),
            [true, true, false]
        );
        assert_eq!(exchange(&mut p, GET, &[ANSWER]), [false]);
    }

    #[test]
    fn a_request_written_in_pieces_is_one_request() {
        let mut p = learned();
        // The body of a PUT after its head; the body happens to start
        // like a HEAD request, which only the first write could mean.
        p.wrote(b"PUT /b/k HTTP/1.1\r\ncontent-length: 9\r\n\r\n");
        p.wrote(b"HEAD body");
        assert!(p.read(HEADERS), "a PUT's answer may have a body");
        // Writes alone do not make answers: still learning here.
        let mut p = AckPolicy::default();
        for _ in 0..10 {
            p.wrote(GET);
        }
        assert_eq!(exchange(&mut p, GET, &[ANSWER]), [true]);
    }
}
