//! When to acknowledge a read at once: [`AckPolicy`], pure state fed a
//! connection's writes and reads (`super::stream` applies it).
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
//! The policy keeps the protection and drops the cost. It acknowledges:
//! - every read that leaves an HTTP/1.1 answer unfinished: it reads the
//!   answer's status and `Content-Length` (a chunked, unsized or interim
//!   answer counts as unfinished throughout), so an answer that arrives
//!   whole is the only one left to the delayed ACK. Over TLS the same
//!   framing runs on the decrypted bytes, above the TLS layer;
//! - under TLS, every read that ends inside a TLS record (the rest of the
//!   record is on its way, perhaps held back), and every read of a
//!   connection's first [`LEARN`] answers (the handshake's flights among
//!   them, which carry no HTTP);
//! - every read of [`BULK_READ`] bytes or more (a download in full segments);
//! - every read, for good, once an answer went on after a read that was not
//!   acknowledged: that server may wait.
//!
//! Against servers that answer in one segment (AWS, hyper) a small call then
//! costs no extra system call or packet. An answer that went on after an
//! acknowledged read says nothing about the server (a TLS handshake's
//! flight, a session ticket before the answer), so it does not mark the
//! connection. `bench/ack_stall.sh` times calls against s3s-fs and a Nagle
//! server that splits its answers, over plain HTTP and over TLS.

/// Over TLS, a connection's first answers (the handshake's flights among
/// them) are acknowledged read by read whatever their shape.
pub(crate) const LEARN: u32 = 3;

/// Reads of this many bytes or more are acknowledged at once: a bulk
/// answer (a download, a long listing) that arrives in full segments, of
/// which an odd last one would otherwise wait for the delayed ACK.
pub(crate) const BULK_READ: usize = 16 * 1024;

/// When to acknowledge a read at once (see the module docs). Pure state,
/// fed a connection's writes and reads: the bytes on the socket, or the
/// decrypted bytes above a TLS layer (then `plain`).
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
    /// Under TLS: where the bytes read so far end among the records.
    records: Records,
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
            records: Records::default(),
        }
    }

    /// The last read was acknowledged after all (the HTTP framing above a
    /// TLS layer found its answer unfinished): nobody waits on it.
    pub(crate) fn acked(&mut self) {
        self.unacked = false;
    }

    /// Whether something read is still unacknowledged: the last read was
    /// left to the delayed ACK and no write has carried one since. The
    /// framing above TLS asks before acknowledging, so a read this policy
    /// acknowledged already (a bulk read, a record cut short) costs one
    /// system call, not two.
    pub(crate) fn pending(&self) -> bool {
        self.unacked
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
            // The rest of a record is on its way, and may be held back.
            self.records.feed(data)
        };
        // Acknowledged while the answer (plain HTTP) or the record (TLS) is
        // unfinished, since the rest may be held until then; under TLS also
        // while learning.
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

/// The TLS record framing of a connection's incoming bytes: each record is
/// a 5-byte header (type, version, length) and that many bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Records {
    /// The next record's header bytes read so far (fewer than 5).
    header: [u8; 5],
    have: usize,
    /// Bytes of the current record still to come.
    body_left: usize,
}

impl Records {
    /// Takes the next bytes read: whether they end inside a record.
    fn feed(&mut self, mut data: &[u8]) -> bool {
        while !data.is_empty() {
            if self.body_left > 0 {
                let n = self.body_left.min(data.len());
                self.body_left -= n;
                data = &data[n..];
                continue;
            }
            let n = (5 - self.have).min(data.len());
            self.header[self.have..self.have + n].copy_from_slice(&data[..n]);
            self.have += n;
            data = &data[n..];
            if self.have == 5 {
                self.body_left = usize::from(u16::from_be_bytes([self.header[3], self.header[4]]));
                self.have = 0;
            }
        }
        self.have > 0 || self.body_left > 0
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

    /// A TLS record of `n` body bytes (application data).
    fn record(n: usize) -> Vec<u8> {
        let mut r = vec![0x17, 3, 3];
        r.extend_from_slice(&(n as u16).to_be_bytes());
        r.resize(5 + n, 0xab);
        r
    }

    /// A policy under TLS past its learning answers.
    fn learned() -> AckPolicy {
        let mut p = AckPolicy::new(false);
        for _ in 0..LEARN {
            exchange(&mut p, TLS_DATA, &[&record(40)]);
        }
        p
    }

    #[test]
    fn tls_answers_are_acknowledged_while_learning_without_marking_the_connection() {
        // The handshake's flight in three reads, then a session ticket read
        // before the first answer: acknowledged, so nobody waited.
        let mut p = AckPolicy::new(false);
        let flight = [record(30), record(900)].concat();
        let (a, rest) = flight.split_at(20);
        let (b, c) = rest.split_at(500);
        assert_eq!(exchange(&mut p, TLS_HELLO, &[a, b, c]), [true; 3]);
        assert_eq!(
            exchange(&mut p, TLS_DATA, &[&record(60), &record(80)]),
            [true; 2]
        );
        assert_eq!(exchange(&mut p, TLS_DATA, &[&record(80)]), [true]);
        for _ in 0..10 {
            assert_eq!(exchange(&mut p, TLS_DATA, &[&record(80)]), [false]);
        }
        // Ciphertext that happens to look like a HEAD request or a header
        // block changes nothing.
        let mut odd = record(10);
        odd[5..10].copy_from_slice(b"\r\n\r\nx");
        assert_eq!(exchange(&mut p, b"HEAD ", &[&odd]), [false]);
    }

    #[test]
    fn tls_reads_ending_inside_a_record_are_acknowledged() {
        let mut p = learned();
        let r = record(3000);
        // Cut in the body, then in the next record's header.
        let two = [r.clone(), record(50)].concat();
        assert_eq!(
            exchange(
                &mut p,
                TLS_DATA,
                &[&two[..1000], &two[1000..3007], &two[3007..]]
            ),
            [true, true, false]
        );
        // Records read whole, however many per read, are left alone, and
        // none of that marked the connection.
        assert_eq!(
            exchange(
                &mut p,
                TLS_DATA,
                &[&[record(5), record(0), record(7)].concat()]
            ),
            [false]
        );
    }

    #[test]
    fn a_tls_answer_going_on_after_an_unacknowledged_read_marks_the_connection() {
        let mut p = learned();
        assert_eq!(
            exchange(&mut p, TLS_DATA, &[&record(30), &record(9)]),
            [false, true]
        );
        assert_eq!(exchange(&mut p, TLS_DATA, &[&record(9)]), [true]);
    }

    #[test]
    fn an_acknowledgement_from_above_the_tls_layer_keeps_the_connection_unmarked() {
        // The headers' record, found unfinished by the framing of the
        // decrypted bytes (which acknowledges it), then the body's record.
        let mut p = learned();
        p.wrote(TLS_DATA);
        assert!(!p.read(&record(60)));
        assert!(p.pending());
        p.acked();
        assert!(!p.pending());
        assert!(!p.read(&record(90)));
        // A read acknowledged here leaves nothing for the framing above.
        p.wrote(TLS_DATA);
        assert!(p.read(&record(3000)[..100]));
        assert!(!p.pending());
        // A write carries the ACK too.
        assert!(!p.read(&record(3000)[100..]));
        assert!(p.pending());
        p.wrote(TLS_DATA);
        assert!(!p.pending());
        assert_eq!(exchange(&mut p, TLS_DATA, &[&record(90)]), [false]);
    }

    #[test]
    fn bulk_reads_are_acknowledged_and_do_not_mark_the_connection() {
        let mut p = learned();
        let full = record(BULK_READ - 5);
        assert_eq!(
            exchange(&mut p, TLS_DATA, &[&full, &full, &record(4)]),
            [true, true, false]
        );
        assert_eq!(exchange(&mut p, TLS_DATA, &[&record(9)]), [false]);
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
        assert_eq!(exchange(&mut p, TLS_DATA, &[&record(9)]), [true]);
    }
}
