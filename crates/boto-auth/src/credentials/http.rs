//! A minimal HTTP/1.1 client over `tokio::net::TcpStream` for the instance
//! metadata service and container credential endpoints.
//!
//! Both endpoints are plain `http` on link-local or loopback addresses, the
//! requests are tiny and one-shot, so a full HTTP stack is not worth its weight
//! in this crate. [`HttpClient`] is a trait so the runtime can inject a real
//! client (needed for an `https` container `FULL_URI`).

use std::fmt;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::BoxFuture;

/// Largest response body accepted (metadata responses are a few KiB).
const MAX_RESPONSE: usize = 1 << 20;

/// A request: method, absolute URL and extra headers.
#[derive(Clone)]
pub struct HttpRequest {
    /// `GET` or `PUT` (IMDSv2's token request).
    pub method: &'static str,
    /// The absolute `http(s)://` URL.
    pub url: String,
    /// Extra headers (IMDS token, container `Authorization`); hidden by `Debug`.
    pub headers: Vec<(String, String)>,
}

impl fmt::Debug for HttpRequest {
    /// Header values are hidden: they carry metadata tokens and authorization.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .finish()
    }
}

/// A response: status and body.
#[derive(Clone)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The body (at most 1 MiB is read).
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The body as text, invalid UTF-8 replaced.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl fmt::Debug for HttpResponse {
    /// The body is hidden: it may hold credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Why a request produced no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpError {
    /// The URL could not be understood or uses an unsupported scheme.
    InvalidUrl(String),
    /// Connecting took longer than the timeout.
    ConnectTimeout,
    /// Reading the response took longer than the timeout.
    ReadTimeout,
    /// Connection refused, reset, DNS failure, ...
    Connect(String),
    /// The server sent something that is not HTTP/1.x.
    Malformed(String),
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::InvalidUrl(m) => write!(f, "invalid URL: {m}"),
            HttpError::ConnectTimeout => f.write_str("connect timeout"),
            HttpError::ReadTimeout => f.write_str("read timeout"),
            HttpError::Connect(m) => write!(f, "connection error: {m}"),
            HttpError::Malformed(m) => write!(f, "malformed response: {m}"),
        }
    }
}

impl std::error::Error for HttpError {}

/// Sends one request. Implemented by [`TcpHttpClient`]; the runtime may supply its own.
pub trait HttpClient: Send + Sync + fmt::Debug {
    /// `timeout` applies to connecting and, separately, to reading the response.
    fn send(
        &self,
        request: HttpRequest,
        timeout: Duration,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>>;
}

/// Plain-`http` client: one connection per request, `Connection: close`.
#[derive(Debug, Clone, Copy, Default)]
pub struct TcpHttpClient;

/// The parts of an `http://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedUrl {
    /// `http` or `https`.
    pub scheme: String,
    /// Host without IPv6 brackets.
    pub host: String,
    /// The explicit port, if any.
    pub port: Option<u16>,
    /// Path and query, starting with `/`.
    pub path: String,
}

impl ParsedUrl {
    /// Parses `scheme://host[:port][/path][?query]`.
    pub fn parse(url: &str) -> Result<ParsedUrl, HttpError> {
        let bad = || HttpError::InvalidUrl(url.to_string());
        let (scheme, rest) = url.split_once("://").ok_or_else(bad)?;
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(end);
        let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6.split_once(']').ok_or_else(bad)?;
            let port = match after.strip_prefix(':') {
                Some(p) => Some(p.parse().map_err(|_| bad())?),
                None if after.is_empty() => None,
                None => return Err(bad()),
            };
            (h.to_string(), port)
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p.parse().map_err(|_| bad())?)),
                None => (authority.to_string(), None),
            }
        };
        if host.is_empty() {
            return Err(bad());
        }
        let path = path.split('#').next().unwrap_or("");
        let path = if path.starts_with('/') {
            path.to_string()
        } else {
            format!("/{path}")
        };
        Ok(ParsedUrl {
            scheme: scheme.to_ascii_lowercase(),
            host,
            port,
            path,
        })
    }

    fn host_header(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        match self.port {
            Some(p) => format!("{host}:{p}"),
            None => host,
        }
    }
}

impl HttpClient for TcpHttpClient {
    fn send(
        &self,
        request: HttpRequest,
        timeout: Duration,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        Box::pin(async move {
            let url = ParsedUrl::parse(&request.url)?;
            if url.scheme != "http" {
                return Err(HttpError::InvalidUrl(format!(
                    "{}: only http is supported by the built-in client",
                    request.url
                )));
            }
            let port = url.port.unwrap_or(80);
            let mut stream =
                match tokio::time::timeout(timeout, TcpStream::connect((url.host.as_str(), port)))
                    .await
                {
                    Err(_) => return Err(HttpError::ConnectTimeout),
                    Ok(Err(e)) => return Err(HttpError::Connect(e.to_string())),
                    Ok(Ok(s)) => s,
                };
            let mut head = format!(
                "{} {} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
                request.method,
                url.path,
                url.host_header()
            );
            if request.method != "GET" && request.method != "HEAD" {
                head.push_str("Content-Length: 0\r\n");
            }
            for (k, v) in &request.headers {
                if k.contains(['\r', '\n']) || v.contains(['\r', '\n']) {
                    return Err(HttpError::InvalidUrl("header contains a line break".into()));
                }
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let exchange = async {
                stream
                    .write_all(head.as_bytes())
                    .await
                    .map_err(|e| HttpError::Connect(e.to_string()))?;
                read_response(&mut stream, request.method == "HEAD").await
            };
            match tokio::time::timeout(timeout, exchange).await {
                Err(_) => Err(HttpError::ReadTimeout),
                Ok(r) => r,
            }
        })
    }
}

async fn read_response(stream: &mut TcpStream, head_only: bool) -> Result<HttpResponse, HttpError> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        if let Some(pos) = find(&buf, b"\r\n\r\n") {
            break pos;
        }
        if buf.len() > 64 * 1024 {
            return Err(HttpError::Malformed("headers too large".into()));
        }
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| HttpError::Connect(e.to_string()))?;
        if n == 0 {
            return Err(HttpError::Malformed(
                "connection closed before the end of the headers".into(),
            ));
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let mut parts = status_line.split_whitespace();
    let version = parts.next().unwrap_or("");
    let status: u16 = match (
        version.starts_with("HTTP/1."),
        parts.next().and_then(|s| s.parse().ok()),
    ) {
        (true, Some(s)) => s,
        _ => {
            return Err(HttpError::Malformed(format!(
                "bad status line {status_line:?}"
            )))
        }
    };
    let mut content_length: Option<usize> = None;
    let mut chunked = false;
    for line in lines {
        if let Some((k, v)) = line.split_once(':') {
            let (k, v) = (k.trim(), v.trim());
            if k.eq_ignore_ascii_case("content-length") {
                content_length = v.parse().ok();
            } else if k.eq_ignore_ascii_case("transfer-encoding")
                && v.to_ascii_lowercase().contains("chunked")
            {
                chunked = true;
            }
        }
    }
    let mut body = buf.split_off(header_end + 4);
    if head_only || status == 204 || status == 304 {
        return Ok(HttpResponse {
            status,
            body: Vec::new(),
        });
    }
    loop {
        if let (Some(len), false) = (content_length, chunked) {
            if body.len() >= len {
                body.truncate(len);
                break;
            }
        }
        if chunked {
            if let Some(decoded) = decode_chunked(&body)? {
                body = decoded;
                break;
            }
        }
        if body.len() > MAX_RESPONSE {
            return Err(HttpError::Malformed("response too large".into()));
        }
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| HttpError::Connect(e.to_string()))?;
        if n == 0 {
            if chunked || content_length.is_some_and(|l| body.len() < l) {
                return Err(HttpError::Malformed(
                    "connection closed before the end of the body".into(),
                ));
            }
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Ok(HttpResponse { status, body })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Decodes a complete chunked body; `Ok(None)` if more bytes are needed.
fn decode_chunked(mut data: &[u8]) -> Result<Option<Vec<u8>>, HttpError> {
    let mut out = Vec::new();
    loop {
        let Some(line_end) = find(data, b"\r\n") else {
            return Ok(None);
        };
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| HttpError::Malformed("bad chunk size".into()))?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Ok(Some(out));
        }
        if data.len() < size + 2 {
            return Ok(None);
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        let u = ParsedUrl::parse("http://[fd00:ec2::254]/latest").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("fd00:ec2::254", None, "/latest")
        );
        let u = ParsedUrl::parse("http://127.0.0.1:8080?x=1").unwrap();
        assert_eq!(
            (u.host.as_str(), u.port, u.path.as_str()),
            ("127.0.0.1", Some(8080), "/?x=1")
        );
        assert!(ParsedUrl::parse("nourl").is_err());
        assert!(ParsedUrl::parse("http://:80/").is_err());
    }

    #[test]
    fn chunked() {
        assert_eq!(
            decode_chunked(b"3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n").unwrap(),
            Some(b"abcde".to_vec())
        );
        assert_eq!(decode_chunked(b"3\r\nab").unwrap(), None);
    }
}
