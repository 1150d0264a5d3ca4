//! The fault-injecting reverse proxy the suite puts between the SDK and
//! moto / s3s-fs.
//!
//! Faults have to reach the client through its real transport (hyper, the
//! pool, timeouts) and in each protocol's real error format, and the server
//! behind must do real work (store the object, check the signature), so the
//! proxy sits on a socket in front of the real servers rather than mocking
//! the client's `HttpClient`. It is HTTP/1.1 on `127.0.0.1:0`, on the test's
//! tokio runtime. Request bytes are forwarded unchanged (head and body as
//! read), so s3s-fs still verifies the client's SigV4 signatures; responses
//! are re-framed with a `Content-Length`, which is what lets the proxy lie
//! about it.
//!
//! Per request it picks at most one [`Fault`] (seeded, at the configured
//! rate, or on every first attempt in [`Mode::FirstAttempt`]) and records an
//! [`Attempt`]: service, operation, `amz-sdk-invocation-id` and attempt
//! number (the client sends both on every attempt), the fault, and the
//! idempotency token the request carried, so the test can check what the
//! client resent.

use crate::inject::{self, Canned, Fault, Rng, Service};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// When to inject.
#[derive(Debug, Clone, Copy)]
pub enum Mode {
    Off,
    /// Each request gets a fault with probability `rate`, the kind uniform over [`Fault::ALL`].
    Random {
        rate: f64,
    },
    /// The first attempt of every call gets this fault; retries pass.
    FirstAttempt(Fault),
}

/// One request as the proxy saw it.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub service: Service,
    pub operation: String,
    pub invocation: String,
    pub attempt: u32,
    pub max_attempts: u32,
    pub fault: Option<Fault>,
    /// `ClientRequestToken` / `ClientToken`, when the request carried one.
    pub token: Option<String>,
    /// The upstream's status, when the request was forwarded.
    pub upstream_status: Option<u16>,
    /// For `WrongContentLength`: whether the short form (checksummed body) was used.
    pub short_length: bool,
    /// From the request read to the answer ready (upstream time included).
    pub elapsed: Duration,
}

struct State {
    upstream: SocketAddr,
    mode: Mutex<Mode>,
    rng: Mutex<Rng>,
    log: Mutex<Vec<Attempt>>,
    counter: std::sync::atomic::AtomicU64,
}

/// A running proxy; stops accepting when dropped.
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
    /// Starts a proxy in front of `upstream` (`http://host:port`) on the current runtime.
    pub async fn start(upstream: &str, mode: Mode, seed: u64) -> Proxy {
        let authority = upstream.trim_start_matches("http://").trim_end_matches('/');
        let upstream = tokio::net::lookup_host(authority)
            .await
            .expect("upstream address resolves")
            .next()
            .expect("an upstream address");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let addr = listener.local_addr().expect("proxy address");
        let state = Arc::new(State {
            upstream,
            mode: Mutex::new(mode),
            rng: Mutex::new(Rng::new(seed)),
            log: Mutex::new(Vec::new()),
            counter: Default::default(),
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
    pub fn set_mode(&self, mode: Mode) {
        *self.state.mode.lock().unwrap() = mode;
    }
    pub fn attempts(&self) -> Vec<Attempt> {
        self.state.log.lock().unwrap().clone()
    }
}

/// A buffered socket: what was read but not yet consumed stays in `buf`.
struct Conn {
    sock: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    async fn fill(&mut self) -> std::io::Result<bool> {
        let mut chunk = [0u8; 64 * 1024];
        let n = self.sock.read(&mut chunk).await?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }
    /// Consumes through the first `needle`; `None` on EOF before it.
    async fn take_through(&mut self, needle: &[u8]) -> std::io::Result<Option<Vec<u8>>> {
        loop {
            if let Some(i) = find(&self.buf, needle) {
                return Ok(Some(self.buf.drain(..i + needle.len()).collect()));
            }
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
    /// A body framed by `headers`: returns (bytes as on the wire, decoded body).
    async fn body(&mut self, headers: &[(String, String)]) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
        if header(headers, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
            let (mut raw, mut body) = (Vec::new(), Vec::new());
            loop {
                let line = self.take_through(b"\r\n").await?.ok_or(eof())?;
                let text = String::from_utf8_lossy(&line);
                let size = usize::from_str_radix(text.split(';').next().unwrap_or("").trim(), 16)
                    .map_err(|_| std::io::Error::other("bad chunk size"))?;
                raw.extend_from_slice(&line);
                if size == 0 {
                    // Trailers, then the empty line.
                    loop {
                        let t = self.take_through(b"\r\n").await?.ok_or(eof())?;
                        raw.extend_from_slice(&t);
                        if t.len() == 2 {
                            return Ok((raw, body));
                        }
                    }
                }
                let data = self.take(size + 2).await?;
                body.extend_from_slice(&data[..size]);
                raw.extend_from_slice(&data);
            }
        }
        match header(headers, "content-length").and_then(|v| v.parse::<usize>().ok()) {
            Some(n) => {
                let b = self.take(n).await?;
                Ok((b.clone(), b))
            }
            None => Ok((Vec::new(), Vec::new())),
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

/// Splits a head into its first line and headers.
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
    target: String,
    headers: Vec<(String, String)>,
    /// Head and body exactly as the client sent them.
    raw: Vec<u8>,
    body: Vec<u8>,
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
    let mut parts = first.split(' ');
    let method = parts.next().unwrap_or("").to_string();
    let target = parts.next().unwrap_or("").to_string();
    if header(&headers, "expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        c.sock.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
    }
    let (raw_body, body) = c.body(&headers).await?;
    let mut raw = head;
    raw.extend_from_slice(&raw_body);
    Ok(Some(Request {
        method,
        target,
        headers,
        raw,
        body,
    }))
}

/// Sends the request unchanged on a fresh upstream connection and reads the
/// final (non-1xx) response.
async fn forward(upstream: SocketAddr, req: &Request) -> std::io::Result<Response> {
    let mut up = Conn {
        sock: TcpStream::connect(upstream).await?,
        buf: Vec::new(),
    };
    up.sock.write_all(&req.raw).await?;
    loop {
        let head = up.take_through(b"\r\n\r\n").await?.ok_or(eof())?;
        let (first, headers) = parse_head(&head);
        let mut parts = first.splitn(3, ' ');
        let _version = parts.next();
        let status: u16 = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let reason = parts.next().unwrap_or("").to_string();
        if (100..200).contains(&status) {
            continue;
        }
        let body = if req.method == "HEAD" || status == 204 || status == 304 {
            Vec::new()
        } else if header(&headers, "transfer-encoding").is_some()
            || header(&headers, "content-length").is_some()
        {
            up.body(&headers).await?.1
        } else {
            let mut rest = std::mem::take(&mut up.buf);
            up.sock.read_to_end(&mut rest).await?;
            rest
        };
        let head_len = header(&headers, "content-length").map(str::to_owned);
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

/// The operation a request is for: the `X-Amz-Target` suffix, or S3's by method and query.
fn operation(req: &Request) -> String {
    if let Some(t) = header(&req.headers, "x-amz-target") {
        return t.rsplit('.').next().unwrap_or(t).to_string();
    }
    let (path, query) = req.target.split_once('?').unwrap_or((&req.target, ""));
    let has = |k: &str| {
        query
            .split('&')
            .any(|p| p == k || p.starts_with(&format!("{k}=")))
    };
    let object = path.trim_matches('/').contains('/');
    match (req.method.as_str(), object) {
        ("GET", false) if has("list-type") => "ListObjectsV2",
        ("GET", false) => "ListObjects",
        ("GET", true) => "GetObject",
        ("HEAD", _) => "HeadObject",
        ("PUT", false) => "CreateBucket",
        ("PUT", true) if has("partNumber") => "UploadPart",
        ("PUT", true) => "PutObject",
        ("POST", true) if has("uploads") => "CreateMultipartUpload",
        ("POST", true) if has("uploadId") => "CompleteMultipartUpload",
        ("DELETE", true) if has("uploadId") => "AbortMultipartUpload",
        ("DELETE", _) => "Delete",
        _ => "Other",
    }
    .to_string()
}

/// The idempotency token of a JSON or query request, if it has one.
fn token(req: &Request) -> Option<String> {
    const NAMES: [&str; 2] = ["ClientRequestToken", "ClientToken"];
    if let Ok(serde_json::Value::Object(m)) = serde_json::from_slice(&req.body) {
        return NAMES
            .iter()
            .find_map(|n| m.get(*n).and_then(|v| v.as_str()).map(str::to_owned));
    }
    let text = std::str::from_utf8(&req.body).ok()?;
    text.split('&').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        NAMES.contains(&k).then(|| v.to_string())
    })
}

/// `amz-sdk-request: attempt=2; max=10` → (2, 10).
fn attempt_numbers(req: &Request) -> (u32, u32) {
    let v = header(&req.headers, "amz-sdk-request").unwrap_or("");
    let num = |k: &str| {
        v.split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(n, _)| *n == k)
            .and_then(|(_, x)| x.parse().ok())
            .unwrap_or(0)
    };
    (num("attempt"), num("max"))
}

/// Whether a checksum header covers this response's body (DynamoDB's
/// `x-amz-crc32`; S3 `x-amz-checksum-*` on a GET, if not a multipart composite).
fn body_checksummed(req: &Request, resp: &Response) -> bool {
    resp.headers.iter().any(|(k, v)| {
        let k = k.to_ascii_lowercase();
        k == "x-amz-crc32"
            || (req.method == "GET"
                && k.starts_with("x-amz-checksum-")
                && k != "x-amz-checksum-type"
                && !v.contains('-'))
    })
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

/// Answers one request; `Ok(false)` when the connection must end.
async fn handle(c: &mut Conn, st: &State, req: Request) -> std::io::Result<bool> {
    let (attempt, max_attempts) = attempt_numbers(&req);
    let service = Service::of(header(&req.headers, "x-amz-target"));
    let (fault, variant) = {
        let mode = *st.mode.lock().unwrap();
        let mut rng = st.rng.lock().unwrap();
        let fault = match mode {
            Mode::Off => None,
            Mode::Random { rate } => (rng.next_f64() < rate)
                .then(|| Fault::ALL[rng.below(Fault::ALL.len() as u64) as usize]),
            Mode::FirstAttempt(f) => (attempt <= 1).then_some(f),
        };
        (fault, rng.next_u64())
    };
    let n = st
        .counter
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let mut record = Attempt {
        service,
        operation: operation(&req),
        invocation: header(&req.headers, "amz-sdk-invocation-id")
            .unwrap_or("")
            .to_string(),
        attempt,
        max_attempts,
        fault,
        token: token(&req),
        upstream_status: None,
        short_length: false,
        elapsed: Duration::ZERO,
    };
    let started = std::time::Instant::now();
    let reply = respond(st, &req, fault, variant, n, &mut record).await;
    record.elapsed = started.elapsed();
    // Recorded before the client can see the answer, so a test that reads
    // the log right after its last call finds that call's attempt in it.
    st.log.lock().unwrap().push(record);
    c.sock.write_all(&reply.bytes).await?;
    match reply.then {
        Then::Keep => Ok(true),
        Then::Close => {
            c.sock.flush().await?;
            let _ = c.sock.shutdown().await;
            Ok(false)
        }
        Then::Hold => hold(c).await,
        Then::Reset => {
            c.sock.set_zero_linger()?;
            Ok(false)
        }
    }
}

/// What to send, then what to do with the connection.
struct Reply {
    bytes: Vec<u8>,
    then: Then,
}

enum Then {
    Keep,
    Close,
    /// Send nothing more until the client gives up.
    Hold,
    /// RST (`SO_LINGER` 0) without another byte.
    Reset,
}

fn reply(bytes: Vec<u8>, then: Then) -> Reply {
    Reply { bytes, then }
}

async fn respond(
    st: &State,
    req: &Request,
    fault: Option<Fault>,
    variant: u64,
    n: u64,
    record: &mut Attempt,
) -> Reply {
    let id = format!("FAULT-{n}");
    match fault {
        Some(Fault::ResetBeforeForward) => return reply(Vec::new(), Then::Reset),
        Some(f) if !f.forwards() => {
            let amz_date = header(&req.headers, "x-amz-date");
            let server_time = if f == Fault::ClockSkew {
                inject::skewed_server_time(amz_date, &mut st.rng.lock().unwrap())
            } else {
                inject::now_secs()
            };
            let Canned {
                status,
                headers,
                body,
            } = inject::error_response(f, record.service, variant, amz_date, server_time, &id);
            let mut out = head_bytes(status, "Fault", &headers, Some(body.len()));
            out.extend_from_slice(&body);
            return reply(out, Then::Keep);
        }
        _ => {}
    }
    let Ok(resp) = forward(st.upstream, req).await else {
        return reply(Vec::new(), Then::Reset);
    };
    record.upstream_status = Some(resp.status);
    let len = resp.body.len();
    let with = |declared: Option<usize>, body: &[u8]| {
        let mut out = head_bytes(resp.status, &resp.reason, &resp.headers, declared);
        out.extend_from_slice(body);
        out
    };
    let head_only = req.method == "HEAD";
    match fault {
        None if head_only => reply(with(None, &[]), Then::Keep),
        None => reply(with(Some(len), &resp.body), Then::Keep),
        Some(Fault::ResetAfterForward) => reply(Vec::new(), Then::Reset),
        Some(_) if head_only => reply(Vec::new(), Then::Reset),
        Some(Fault::TruncatedBody) => {
            reply(with(Some(len.max(1)), &resp.body[..len / 2]), Then::Close)
        }
        Some(Fault::StalledBody) => {
            reply(with(Some(len.max(1)), &resp.body[..len / 2]), Then::Hold)
        }
        Some(Fault::WrongContentLength) if len > 0 && body_checksummed(req, &resp) => {
            record.short_length = true;
            reply(with(Some(len - (len / 4).max(1)), &resp.body), Then::Close)
        }
        Some(_) => reply(with(Some(len + 1 + len / 2), &resp.body), Then::Hold),
    }
}

/// Sends nothing more and waits (at most 30 s) for the client to give up and close.
async fn hold(c: &mut Conn) -> std::io::Result<bool> {
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
