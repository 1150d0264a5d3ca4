//! A tiny scripted HTTP/1.1 server for transport-level tests.
//!
//! Retry, timeout and protocol tests need a peer that misbehaves on cue:
//! answer 503 twice then 200, reset the connection, promise more body than it
//! sends, or stall past the read timeout. moto cannot do that, and a mock
//! `HttpClient` would skip the real transport (hyper, the pool, timeouts), so
//! this is a real socket server on `127.0.0.1:0`, written by hand on tokio
//! (no other dependencies). It runs on its own thread and runtime, so it works
//! the same under `#[tokio::test]`, blocking code and benchmarks, and it
//! records every request it reads (method, target, headers, body).
//!
//! Shared by several test targets (and `crates/boto/benches`), so not every
//! target uses every item.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent on the request line.
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    /// A header value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or("")
    }
}

/// A canned response.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn new(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }
    pub fn header(mut self, k: &str, v: &str) -> Self {
        self.headers.push((k.to_string(), v.to_string()));
        self
    }
    pub fn body(mut self, b: impl Into<Vec<u8>>) -> Self {
        self.body = b.into();
        self
    }
    /// An `application/x-amz-json-1.0` reply (DynamoDB and other `json` services).
    pub fn json(status: u16, body: &str) -> Self {
        Reply::new(status)
            .header("Content-Type", "application/x-amz-json-1.0")
            .header("x-amzn-RequestId", "REQ-JSON")
            .body(body)
    }
    /// An XML reply (S3 and other `rest-xml` services).
    pub fn xml(status: u16, body: &str) -> Self {
        Reply::new(status)
            .header("Content-Type", "application/xml")
            .header("x-amz-request-id", "REQ-XML")
            .body(body)
    }
    /// An S3-style XML error document.
    pub fn s3_error(status: u16, code: &str, message: &str) -> Self {
        Reply::xml(
            status,
            &format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>REQ-XML</RequestId></Error>"),
        )
    }
    /// A json-protocol error with `__type`.
    pub fn json_error(status: u16, type_: &str, message: &str) -> Self {
        Reply::json(
            status,
            &format!("{{\"__type\":\"{type_}\",\"message\":\"{message}\"}}"),
        )
    }
}

/// What to do with one request.
#[derive(Debug, Clone)]
pub enum Action {
    /// Send the reply (with a correct `Content-Length`) and keep the connection open.
    Reply(Reply),
    /// Read the request, then close the socket (FIN) without a byte of response.
    Close,
    /// Read the request, then reset the connection (RST, `SO_LINGER` 0).
    Reset,
    /// Send the reply's headers with `Content-Length: claimed`, then only the
    /// reply's body (shorter), then close.
    Truncate(Reply, usize),
    /// Wait, then do the inner action.
    Delay(Duration, Box<Action>),
    /// Send headers and the first half of the body, wait, then the rest.
    StallBody(Reply, Duration),
}

type Handler = dyn Fn(&Recorded, usize) -> Action + Send + Sync;

/// The running server; stops when dropped.
pub struct TestServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    count: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    record: bool,
}

impl TestServer {
    /// Starts a server whose handler sees each request and its 0-based index.
    pub fn start(
        handler: impl Fn(&Recorded, usize) -> Action + Send + Sync + 'static,
    ) -> TestServer {
        Self::start_inner(Arc::new(handler), true)
    }

    /// Like [`TestServer::start`] but keeps only a count, not the requests (benchmarks).
    pub fn start_unrecorded(
        handler: impl Fn(&Recorded, usize) -> Action + Send + Sync + 'static,
    ) -> TestServer {
        Self::start_inner(Arc::new(handler), false)
    }

    /// Plays `script` in order, one action per request, then `then` forever.
    pub fn scripted(script: Vec<Action>, then: Action) -> TestServer {
        TestServer::start(move |_, n| script.get(n).cloned().unwrap_or_else(|| then.clone()))
    }

    /// Always answers with `reply`.
    pub fn always(reply: Reply) -> TestServer {
        TestServer::scripted(Vec::new(), Action::Reply(reply))
    }

    fn start_inner(handler: Arc<Handler>, record: bool) -> TestServer {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        std_listener.set_nonblocking(true).expect("nonblocking");
        let addr = std_listener.local_addr().expect("local addr");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let count = Arc::new(AtomicUsize::new(0));
        let connections = Arc::new(AtomicUsize::new(0));
        let (tx, mut rx) = tokio::sync::oneshot::channel::<()>();
        let (reqs, cnt, conns) = (requests.clone(), count.clone(), connections.clone());
        std::thread::Builder::new()
            .name("test-http-server".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("server runtime");
                rt.block_on(async move {
                    let listener = TcpListener::from_std(std_listener).expect("tokio listener");
                    loop {
                        tokio::select! {
                            _ = &mut rx => break,
                            accepted = listener.accept() => {
                                let Ok((sock, _)) = accepted else { continue };
                                conns.fetch_add(1, Ordering::SeqCst);
                                let _ = sock.set_nodelay(true);
                                let (h, r, c) = (handler.clone(), reqs.clone(), cnt.clone());
                                tokio::spawn(async move {
                                    let _ = serve_connection(sock, h, r, c, record).await;
                                });
                            }
                        }
                    }
                });
            })
            .expect("spawn server thread");
        TestServer {
            addr,
            requests,
            count,
            connections,
            stop: Some(tx),
            record,
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:<port>`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// How many requests were read in full.
    pub fn count(&self) -> usize {
        self.count.load(Ordering::SeqCst)
    }
    /// How many TCP connections were accepted.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
    /// The requests read so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        assert!(self.record, "this server does not record requests");
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

async fn serve_connection(
    mut sock: TcpStream,
    handler: Arc<Handler>,
    requests: Arc<Mutex<Vec<Recorded>>>,
    count: Arc<AtomicUsize>,
    record: bool,
) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(8192);
    loop {
        let Some(req) = read_request(&mut sock, &mut buf).await? else {
            return Ok(());
        };
        let n = count.fetch_add(1, Ordering::SeqCst);
        let action = handler(&req, n);
        let head_only = req.method == "HEAD";
        if record {
            requests.lock().unwrap().push(req);
        }
        if !perform(&mut sock, action, head_only).await? {
            return Ok(());
        }
    }
}

/// Carries out an action; `Ok(false)` when the connection must close.
async fn perform(sock: &mut TcpStream, action: Action, head_only: bool) -> std::io::Result<bool> {
    let mut action = action;
    loop {
        match action {
            Action::Delay(d, inner) => {
                tokio::time::sleep(d).await;
                action = *inner;
            }
            Action::Close => {
                let _ = sock.shutdown().await;
                return Ok(false);
            }
            Action::Reset => {
                sock.set_zero_linger()?;
                return Ok(false);
            }
            Action::Reply(r) => {
                let len = r.body.len();
                sock.write_all(&head(&r, len)).await?;
                if !head_only {
                    sock.write_all(&r.body).await?;
                }
                return Ok(true);
            }
            Action::Truncate(r, claimed) => {
                sock.write_all(&head(&r, claimed)).await?;
                sock.write_all(&r.body).await?;
                sock.flush().await?;
                let _ = sock.shutdown().await;
                return Ok(false);
            }
            Action::StallBody(r, d) => {
                let len = r.body.len();
                sock.write_all(&head(&r, len)).await?;
                let half = len / 2;
                sock.write_all(&r.body[..half]).await?;
                sock.flush().await?;
                tokio::time::sleep(d).await;
                sock.write_all(&r.body[half..]).await?;
                return Ok(true);
            }
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn head(r: &Reply, content_length: usize) -> Vec<u8> {
    let mut s = format!("HTTP/1.1 {} {}\r\n", r.status, reason(r.status));
    for (k, v) in &r.headers {
        s.push_str(&format!("{k}: {v}\r\n"));
    }
    s.push_str(&format!("Content-Length: {content_length}\r\n"));
    if !r
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("date"))
    {
        s.push_str(&format!("Date: {}\r\n", http_date(0)));
    }
    s.push_str("\r\n");
    s.into_bytes()
}

/// The current time shifted by `offset_secs` as an RFC 7231 date (the
/// pipeline reads `Date` for clock-skew correction).
pub fn http_date(offset_secs: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let secs = (now as i64 + offset_secs) as u64;
    let days = (secs / 86400) as i64;
    let (h, m, s) = ((secs % 86400) / 3600, (secs % 3600) / 60, secs % 60);
    // Civil-from-days (Howard Hinnant).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    let wd = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days.rem_euclid(7)) as usize];
    let mn = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(mo - 1) as usize];
    format!("{wd}, {d:02} {mn} {y} {h:02}:{m:02}:{s:02} GMT")
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads one request (headers, then a `Content-Length` or chunked body).
/// `Ok(None)` on a clean EOF between requests.
async fn read_request(
    sock: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Recorded>> {
    let header_end = loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            break i;
        }
        if !fill(sock, buf).await? {
            return Ok(None);
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    buf.drain(..header_end + 4);
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or("").split(' ');
    let method = first.next().unwrap_or("").to_string();
    let target = first.next().unwrap_or("").to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let get = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    if get("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        sock.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").await?;
    }
    let body = if get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(i) = find(buf, b"\r\n") {
                    break i;
                }
                if !fill(sock, buf).await? {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
            };
            let size_str = String::from_utf8_lossy(&buf[..line_end]).into_owned();
            let size = usize::from_str_radix(size_str.split(';').next().unwrap_or("").trim(), 16)
                .map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::InvalidData, "bad chunk size")
            })?;
            buf.drain(..line_end + 2);
            while buf.len() < size + 2 {
                if !fill(sock, buf).await? {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
            }
            body.extend_from_slice(&buf[..size]);
            buf.drain(..size + 2);
            if size == 0 {
                break;
            }
        }
        body
    } else {
        let len: usize = get("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        while buf.len() < len {
            if !fill(sock, buf).await? {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
        }
        buf.drain(..len).collect()
    };
    Ok(Some(Recorded {
        method,
        target,
        headers,
        body,
    }))
}

async fn fill(sock: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut chunk = [0u8; 16 * 1024];
    let n = sock.read(&mut chunk).await?;
    buf.extend_from_slice(&chunk[..n]);
    Ok(n > 0)
}

/// A response read by [`raw_request`].
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// A plain blocking HTTP/1.1 request over `TcpStream` (`Connection: close`),
/// for presigned URLs and forms: no SDK code is involved. `url` must be `http://`.
pub fn raw_request(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<RawResponse> {
    let rest = url
        .strip_prefix("http://")
        .expect("raw_request needs an http:// URL");
    let (authority, target) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut stream = std::net::TcpStream::connect(authority)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req =
        format!("{method} {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() || matches!(method, "PUT" | "POST") {
        req.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let end = find(&raw, b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidData, "no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    let chunked = headers.iter().any(|(k, v)| {
        k.eq_ignore_ascii_case("transfer-encoding") && v.eq_ignore_ascii_case("chunked")
    });
    if chunked {
        body = dechunk(&body);
    }
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = find(data, b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..i])
                .split(';')
                .next()
                .unwrap_or("")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 || data.len() < i + 2 + size {
            break;
        }
        out.extend_from_slice(&data[i + 2..i + 2 + size]);
        data = &data[(i + 4 + size).min(data.len())..];
    }
    out
}
