//! An S3-only fault-injecting reverse proxy, adapted from the SDK's
//! `crates/boto/tests/faults/proxy.rs` (same framing approach, S3 error
//! documents only, no idempotency-token bookkeeping).
//!
//! It sits on `127.0.0.1:0` in front of moto or s3s-fs, forwards request
//! bytes unchanged (so s3s-fs still verifies signatures and checksums) and,
//! at a seeded rate, answers with one fault instead: 500 InternalError,
//! 503 SlowDown (throttling), a reset before or after the upstream did the
//! work, a truncated body (half, then close) or a stalled body (half, then
//! silence until the client's read timeout).

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Fault {
    InternalError,
    SlowDown,
    ResetBeforeForward,
    ResetAfterForward,
    TruncatedBody,
    StalledBody,
    /// The body with one byte flipped, length intact (targeted only: not in `ALL`).
    CorruptBody,
}

impl Fault {
    pub const ALL: [Fault; 6] = [
        Fault::InternalError,
        Fault::SlowDown,
        Fault::ResetBeforeForward,
        Fault::ResetAfterForward,
        Fault::TruncatedBody,
        Fault::StalledBody,
    ];
}

struct State {
    upstream: SocketAddr,
    rate: Mutex<f64>,
    rng: Mutex<u64>,
    requests: AtomicU64,
    faults: Mutex<Vec<Fault>>,
    /// `(request-line substring, fault, times)`: targeted faults, applied before the random ones.
    targeted: Mutex<Vec<(String, Fault, u32)>>,
}

pub struct Proxy {
    addr: SocketAddr,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Proxy {
    pub async fn start(upstream: &str, rate: f64, seed: u64) -> Proxy {
        let authority = upstream.trim_start_matches("http://").trim_end_matches('/');
        let upstream = tokio::net::lookup_host(authority)
            .await
            .expect("upstream resolves")
            .next()
            .expect("an upstream address");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy address");
        let state = Arc::new(State {
            upstream,
            rate: Mutex::new(rate),
            rng: Mutex::new(splitmix(seed) | 1),
            requests: AtomicU64::new(0),
            faults: Mutex::new(Vec::new()),
            targeted: Mutex::new(Vec::new()),
        });
        let st = state.clone();
        let task = tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                let _ = sock.set_nodelay(true);
                tokio::spawn(serve(sock, st.clone()));
            }
        });
        Proxy { addr, state, task }
    }
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    pub fn set_rate(&self, rate: f64) {
        *self.state.rate.lock().unwrap() = rate;
    }
    /// The next `times` requests whose request line contains `pattern` get `fault`.
    pub fn target(&self, pattern: &str, fault: Fault, times: u32) {
        self.state
            .targeted
            .lock()
            .unwrap()
            .push((pattern.to_string(), fault, times));
    }
    pub fn requests(&self) -> u64 {
        self.state.requests.load(Ordering::Relaxed)
    }
    pub fn faults(&self) -> Vec<Fault> {
        self.state.faults.lock().unwrap().clone()
    }
}

fn splitmix(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn next(rng: &mut u64) -> u64 {
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    *rng
}

struct Conn {
    sock: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn fill(&mut self) -> std::io::Result<bool> {
        let mut chunk = vec![0u8; 256 * 1024];
        let n = self.sock.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }
    async fn take_through(&mut self, needle: &[u8]) -> std::io::Result<Option<Vec<u8>>> {
        let mut from = 0;
        loop {
            if let Some(i) = find(&self.buf[from..], needle) {
                let end = from + i + needle.len();
                return Ok(Some(self.buf.drain(..end).collect()));
            }
            from = self.buf.len().saturating_sub(needle.len());
            if !self.fill().await? {
                return Ok(None);
            }
        }
    }
    async fn take(&mut self, n: usize) -> std::io::Result<Vec<u8>> {
        while self.buf.len() < n {
            if !self.fill().await? {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(self.buf.drain(..n).collect())
    }
    /// A body framed by `headers`, as on the wire.
    async fn body(&mut self, headers: &[(String, String)]) -> std::io::Result<Vec<u8>> {
        if header(headers, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            let mut raw = Vec::new();
            loop {
                let line = self.take_through(b"\r\n").await?.ok_or_else(eof)?;
                let text = String::from_utf8_lossy(&line).to_string();
                let size = usize::from_str_radix(text.split(';').next().unwrap_or("").trim(), 16)
                    .map_err(|_| std::io::Error::other("bad chunk size"))?;
                raw.extend_from_slice(&line);
                if size == 0 {
                    loop {
                        let t = self.take_through(b"\r\n").await?.ok_or_else(eof)?;
                        raw.extend_from_slice(&t);
                        if t.len() == 2 {
                            return Ok(raw);
                        }
                    }
                }
                raw.extend_from_slice(&self.take(size + 2).await?);
            }
        }
        match header(headers, "content-length").and_then(|v| v.parse::<usize>().ok()) {
            Some(n) => self.take(n).await,
            None => Ok(Vec::new()),
        }
    }
}

fn eof() -> std::io::Error {
    std::io::ErrorKind::UnexpectedEof.into()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn parse_head(head: &[u8]) -> (String, Vec<(String, String)>) {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let first = lines.next().unwrap_or("").to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    (first, headers)
}

struct Request {
    method: String,
    line: String,
    raw: Vec<u8>,
}

struct Response {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

async fn read_request(c: &mut Conn) -> std::io::Result<Option<Request>> {
    let Some(head) = c.take_through(b"\r\n\r\n").await? else {
        return Ok(None);
    };
    let (first, headers) = parse_head(&head);
    let method = first.split(' ').next().unwrap_or("").to_string();
    if header(&headers, "expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        c.sock.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
    }
    let body = c.body(&headers).await?;
    let mut raw = head;
    raw.extend_from_slice(&body);
    Ok(Some(Request {
        method,
        line: first,
        raw,
    }))
}

async fn forward(upstream: SocketAddr, req: &Request) -> std::io::Result<Response> {
    let mut up = Conn {
        sock: TcpStream::connect(upstream).await?,
        buf: Vec::new(),
    };
    up.sock.write_all(&req.raw).await?;
    loop {
        let head = up.take_through(b"\r\n\r\n").await?.ok_or_else(eof)?;
        let (first, headers) = parse_head(&head);
        let mut parts = first.splitn(3, ' ');
        let _ = parts.next();
        let status: u16 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let reason = parts.next().unwrap_or("").to_string();
        if (100..200).contains(&status) {
            continue;
        }
        let head_len = header(&headers, "content-length").map(str::to_owned);
        let body = if req.method == "HEAD" || status == 204 || status == 304 {
            Vec::new()
        } else if header(&headers, "transfer-encoding").is_some() {
            dechunk(&up.body(&headers).await?)
        } else if head_len.is_some() {
            up.body(&headers).await?
        } else {
            let mut rest = std::mem::take(&mut up.buf);
            up.sock.read_to_end(&mut rest).await?;
            rest
        };
        let mut headers: Vec<(String, String)> = headers
            .into_iter()
            .filter(|(k, _)| {
                ![
                    "content-length",
                    "transfer-encoding",
                    "connection",
                    "keep-alive",
                ]
                .iter()
                .any(|h| k.eq_ignore_ascii_case(h))
            })
            .collect();
        if req.method == "HEAD" {
            if let Some(l) = head_len {
                headers.push(("Content-Length".into(), l));
            }
        }
        return Ok(Response {
            status,
            reason,
            headers,
            body,
        });
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = find(b, b"\r\n") {
        let line = String::from_utf8_lossy(&b[..eol]).to_string();
        let size =
            usize::from_str_radix(line.split(';').next().unwrap_or("0").trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

fn head_bytes(
    status: u16,
    reason: &str,
    headers: &[(String, String)],
    len: Option<usize>,
) -> Vec<u8> {
    let mut s = format!("HTTP/1.1 {status} {reason}\r\n");
    for (k, v) in headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(n) = len {
        s.push_str(&format!("Content-Length: {n}\r\n"));
    }
    s.push_str("\r\n");
    s.into_bytes()
}

fn xml_error(status: u16, code: &str, n: u64) -> Vec<u8> {
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>injected by the fault proxy</Message><RequestId>FAULT-{n}</RequestId></Error>"
    );
    let mut out = head_bytes(
        status,
        "Fault",
        &[("Content-Type".into(), "application/xml".into())],
        Some(body.len()),
    );
    out.extend_from_slice(body.as_bytes());
    out
}

async fn serve(sock: TcpStream, st: Arc<State>) {
    let mut c = Conn {
        sock,
        buf: Vec::new(),
    };
    while let Ok(Some(req)) = read_request(&mut c).await {
        match handle(&mut c, &st, req).await {
            Ok(true) => continue,
            _ => return,
        }
    }
}

async fn handle(c: &mut Conn, st: &State, req: Request) -> std::io::Result<bool> {
    let n = st.requests.fetch_add(1, Ordering::Relaxed);
    let targeted = {
        let mut t = st.targeted.lock().unwrap();
        t.iter_mut()
            .find(|(p, _, n)| *n > 0 && req.line.contains(p.as_str()))
            .map(|(_, f, n)| {
                *n -= 1;
                *f
            })
    };
    let fault = targeted.or_else(|| {
        let rate = *st.rate.lock().unwrap();
        let mut rng = st.rng.lock().unwrap();
        let roll = (next(&mut rng) >> 11) as f64 / (1u64 << 53) as f64;
        let pick = next(&mut rng) as usize % Fault::ALL.len();
        (roll < rate).then(|| Fault::ALL[pick])
    });
    if let Some(f) = fault {
        st.faults.lock().unwrap().push(f);
    }
    match fault {
        Some(Fault::InternalError) => {
            c.sock
                .write_all(&xml_error(500, "InternalError", n))
                .await?;
            return Ok(true);
        }
        Some(Fault::SlowDown) => {
            c.sock.write_all(&xml_error(503, "SlowDown", n)).await?;
            return Ok(true);
        }
        Some(Fault::ResetBeforeForward) => {
            c.sock.set_zero_linger()?;
            return Ok(false);
        }
        _ => {}
    }
    let Ok(resp) = forward(st.upstream, &req).await else {
        c.sock.set_zero_linger()?;
        return Ok(false);
    };
    let head_only = req.method == "HEAD";
    let len = resp.body.len();
    let bytes = |declared: Option<usize>, body: &[u8]| {
        let mut out = head_bytes(resp.status, &resp.reason, &resp.headers, declared);
        out.extend_from_slice(body);
        out
    };
    match fault {
        None if head_only => {
            c.sock.write_all(&bytes(None, &[])).await?;
            Ok(true)
        }
        None => {
            c.sock.write_all(&bytes(Some(len), &resp.body)).await?;
            Ok(true)
        }
        Some(Fault::ResetAfterForward) | Some(_) if head_only => {
            c.sock.set_zero_linger()?;
            Ok(false)
        }
        Some(Fault::TruncatedBody) => {
            c.sock
                .write_all(&bytes(Some(len.max(1)), &resp.body[..len / 2]))
                .await?;
            c.sock.flush().await?;
            let _ = c.sock.shutdown().await;
            Ok(false)
        }
        Some(Fault::CorruptBody) => {
            let mut body = resp.body.clone();
            if let Some(b) = body.get_mut(len / 2) {
                *b ^= 0x5a;
            }
            c.sock.write_all(&bytes(Some(len), &body)).await?;
            Ok(true)
        }
        Some(Fault::StalledBody) => {
            c.sock
                .write_all(&bytes(Some(len.max(1)), &resp.body[..len / 2]))
                .await?;
            c.sock.flush().await?;
            let mut sink = [0u8; 1024];
            let _ = tokio::time::timeout(Duration::from_secs(30), async {
                while let Ok(n) = c.sock.read(&mut sink).await {
                    if n == 0 {
                        break;
                    }
                }
            })
            .await;
            Ok(false)
        }
        Some(_) => {
            c.sock.set_zero_linger()?;
            Ok(false)
        }
    }
}
