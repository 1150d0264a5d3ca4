//! HTTP proxies: which requests go through one, and how they get there.
//!
//! Many networks reach AWS only through a forward proxy, and botocore (through
//! urllib3) honours `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` and
//! `Config(proxies=...)`, so boto-rs must too. The settings are resolved
//! (explicit config, else the environment, lower-case names first) by
//! `boto_auth::config::ConfigResolver::proxies` and arrive here as a
//! [`ProxyConfig`] in `ClientConfig::proxies`. The transport never reads the
//! environment itself: a client built with `ClientBuilder` and no `proxies`
//! connects directly.
//!
//! How a request travels:
//! - an `http://` endpoint with an `http` proxy: the TCP connection goes to the
//!   proxy and the connector reports `Connected::proxy(true)`, so hyper writes
//!   the request line in absolute form (`POST http://host:port/ HTTP/1.1`).
//!   Credentials in the proxy URL go in `Proxy-Authorization: Basic` on every
//!   request; a `407` answer becomes a Dispatch error naming the proxy.
//! - an `https://` endpoint with an `https` proxy: the connector opens a TCP
//!   connection to the proxy, sends `CONNECT host:port` (with
//!   `Proxy-Authorization` when the proxy URL has credentials) and, on `200`,
//!   hands the tunnel to hyper-rustls, which speaks TLS with the target end to
//!   end (the proxy sees neither the request nor the credentials signing it).
//!   Any other reply is a Dispatch error naming the proxy, like urllib3's
//!   `ProxyError`.
//! - The proxy itself is spoken to in plain HTTP. Proxy URLs without a scheme
//!   mean `http://` (botocore's `_fix_proxy_url`); the port defaults to 80
//!   (urllib3). `https://` proxies (TLS to the proxy) and SOCKS proxies are
//!   rejected when the client is built rather than silently misused.
//!
//! `NO_PROXY` (comma-separated, case-insensitive) follows urllib's
//! `proxy_bypass_environment`, plus IP ranges as in requests:
//! - `*` bypasses the proxy for every host;
//! - `example.com` and `.example.com` both match `example.com` and all its
//!   subdomains;
//! - `host:port` matches only that port (the URL's explicit or default port);
//! - an IP address matches that address, `10.0.0.0/8` or `fd00::/8` a range.
//!
//! Loopback (`localhost`, `127.0.0.1`, `::1`) is *not* bypassed implicitly,
//! as in urllib3: list it in `NO_PROXY` to reach local endpoints directly.
//! Names are not resolved, so `localhost` does not match `127.0.0.1`.
//!
//! Proxy passwords never appear in `Debug` output, error messages or logs:
//! [`ProxyConfig`]'s `Debug` masks them, and errors name a proxy by
//! `http://host:port` only.

use super::stream::ProxyStream;
use crate::error::Error;
use base64::Engine as _;
use boto_util::percent;
use http::header::HeaderValue;
use http::Uri;
use hyper_util::client::legacy::connect::HttpConnector;
use std::future::Future;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tower_service::Service;

/// Proxy settings as configured: URLs and the `NO_PROXY` list. The default
/// (all `None`) means no proxy.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ProxyConfig {
    /// The proxy for `http://` endpoints (`HTTP_PROXY`).
    pub http: Option<String>,
    /// The proxy for `https://` endpoints (`HTTPS_PROXY`), reached with `CONNECT`.
    pub https: Option<String>,
    /// Hosts to reach directly (`NO_PROXY`); see the module docs for the syntax.
    pub no_proxy: Option<String>,
}

impl ProxyConfig {
    /// True when no proxy is configured.
    pub fn is_empty(&self) -> bool {
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        blank(&self.http) && blank(&self.https)
    }
}

impl std::fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyConfig")
            .field("http", &self.http.as_deref().map(redact_proxy_url))
            .field("https", &self.https.as_deref().map(redact_proxy_url))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

impl From<boto_auth::config::Proxies> for ProxyConfig {
    fn from(p: boto_auth::config::Proxies) -> Self {
        ProxyConfig {
            http: p.http,
            https: p.https,
            no_proxy: p.no_proxy,
        }
    }
}

/// `url` with its password (or a lone user token) replaced by `***`.
pub fn redact_proxy_url(url: &str) -> String {
    let (scheme, rest) = match url.find("://") {
        Some(i) => url.split_at(i + 3),
        None => ("", url),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    match authority.rfind('@') {
        Some(at) => {
            let (userinfo, host) = authority.split_at(at);
            let masked = match userinfo.split_once(':') {
                Some((user, _)) => format!("{user}:***"),
                None => "***".to_string(),
            };
            format!("{scheme}{masked}{host}{tail}")
        }
        None => url.to_string(),
    }
}

/// One parsed proxy.
pub(crate) struct Proxy {
    /// `http://host:port`: where the TCP connection goes.
    uri: Uri,
    /// `http://host:port`: how errors and logs name the proxy (no credentials).
    pub(crate) name: String,
    /// `Basic ...`, marked sensitive.
    pub(crate) auth: Option<HeaderValue>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy")
            .field("name", &self.name)
            .field("auth", &self.auth.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl Proxy {
    fn parse(raw: &str) -> Result<Proxy, Error> {
        let bad = |why: &str| {
            Error::construction(format!(
                "invalid proxy URL {}: {why}",
                redact_proxy_url(raw)
            ))
        };
        let rest = match raw.find("://") {
            Some(i) => {
                let scheme = &raw[..i];
                if !scheme.eq_ignore_ascii_case("http") {
                    return Err(bad(&format!(
                        "unsupported proxy scheme `{scheme}` (only http:// proxies are supported)"
                    )));
                }
                &raw[i + 3..]
            }
            None => raw.strip_prefix("//").unwrap_or(raw),
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        let (userinfo, hostport) = match authority.rfind('@') {
            Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
            None => (None, authority),
        };
        let (host, port) = split_host_port(hostport).ok_or_else(|| bad("bad host or port"))?;
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host.to_string()
        };
        let name = format!("http://{host}:{}", port.unwrap_or(80));
        let uri: Uri = name.parse().map_err(|_| bad("bad host"))?;
        let auth = match userinfo {
            None => None,
            Some(info) => {
                let (user, pass) = info.split_once(':').unwrap_or((info, ""));
                // urllib3 unquotes `%XX` escapes in proxy user names and passwords.
                let (user, pass) = (percent::decode(user), percent::decode(pass));
                let token = format!("{user}:{pass}");
                let mut v = HeaderValue::from_str(&format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(token.as_bytes())
                ))
                .map_err(|_| bad("bad credentials"))?;
                v.set_sensitive(true);
                Some(v)
            }
        };
        Ok(Proxy { uri, name, auth })
    }
}

/// `host[:port]` or `[v6][:port]` or a bare IPv6 address → host (no
/// brackets) and port. `None` when the port is not a number.
fn split_host_port(s: &str) -> Option<(&str, Option<u16>)> {
    if let Some(inner) = s.strip_prefix('[') {
        let (host, after) = inner.split_once(']')?;
        return match after.strip_prefix(':') {
            Some(p) => Some((host, Some(p.parse().ok()?))),
            None if after.is_empty() => Some((host, None)),
            None => None,
        };
    }
    match s.split_once(':') {
        Some((host, port)) if !port.contains(':') => Some((host, Some(port.parse().ok()?))),
        Some(_) => Some((s, None)), // a bare IPv6 address
        None => Some((s, None)),
    }
}

/// The parsed `NO_PROXY` list.
#[derive(Debug, Clone, Default)]
struct NoProxy {
    all: bool,
    rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
enum Rule {
    Ip(IpAddr, Option<u16>),
    Net(IpAddr, u8),
    Host(String, Option<u16>),
}

impl NoProxy {
    fn parse(list: &str) -> NoProxy {
        let mut np = NoProxy::default();
        for entry in list.split(',') {
            let e = entry.trim().to_ascii_lowercase();
            if e.is_empty() {
                continue;
            }
            if e == "*" {
                np.all = true;
                continue;
            }
            if let Some((net, bits)) = e.split_once('/') {
                let net = net.trim_start_matches('[').trim_end_matches(']');
                if let (Ok(ip), Ok(bits)) = (net.parse::<IpAddr>(), bits.parse::<u8>()) {
                    let max = if ip.is_ipv4() { 32 } else { 128 };
                    if bits <= max {
                        np.rules.push(Rule::Net(ip, bits));
                    }
                }
                continue;
            }
            let Some((host, port)) = split_host_port(&e) else {
                continue;
            };
            match host.parse::<IpAddr>() {
                Ok(ip) => np.rules.push(Rule::Ip(ip, port)),
                Err(_) => {
                    let name = host.trim_start_matches('.').trim_end_matches('.');
                    if !name.is_empty() {
                        np.rules.push(Rule::Host(name.to_string(), port));
                    }
                }
            }
        }
        np
    }

    /// `host`: lower case, without brackets or a trailing dot.
    fn bypasses(&self, host: &str, port: u16) -> bool {
        if self.all {
            return true;
        }
        let ip = host.parse::<IpAddr>().ok();
        let port_ok = |p: &Option<u16>| p.is_none_or(|p| p == port);
        self.rules.iter().any(|r| match r {
            Rule::Ip(addr, p) => ip == Some(*addr) && port_ok(p),
            Rule::Net(net, bits) => ip.is_some_and(|ip| in_net(ip, *net, *bits)),
            Rule::Host(name, p) => {
                port_ok(p)
                    && (host == name
                        || (host.len() > name.len()
                            && host.ends_with(name.as_str())
                            && host.as_bytes()[host.len() - name.len() - 1] == b'.'))
            }
        })
    }
}

fn in_net(ip: IpAddr, net: IpAddr, bits: u8) -> bool {
    match (ip, net) {
        (IpAddr::V4(a), IpAddr::V4(n)) => {
            let mask = if bits == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(bits.min(32)))
            };
            u32::from(a) & mask == u32::from(n) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(n)) => {
            let mask = if bits == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(bits.min(128)))
            };
            u128::from(a) & mask == u128::from(n) & mask
        }
        _ => false,
    }
}

/// The parsed proxy settings of one client.
#[derive(Debug)]
pub(crate) struct ProxyRoutes {
    http: Option<Arc<Proxy>>,
    https: Option<Arc<Proxy>>,
    no_proxy: NoProxy,
}

impl ProxyRoutes {
    /// `None` when no proxy is configured. Bad proxy URLs are Construction errors.
    pub(crate) fn from_config(c: &ProxyConfig) -> Result<Option<ProxyRoutes>, Error> {
        let parse = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Proxy::parse(s).map(Arc::new))
                .transpose()
        };
        let http = parse(&c.http)?;
        let https = parse(&c.https)?;
        if http.is_none() && https.is_none() {
            return Ok(None);
        }
        let no_proxy = NoProxy::parse(c.no_proxy.as_deref().unwrap_or(""));
        Ok(Some(ProxyRoutes {
            http,
            https,
            no_proxy,
        }))
    }

    /// The proxy a request to `uri` goes through, if any.
    pub(crate) fn route(&self, uri: &Uri) -> Option<Arc<Proxy>> {
        let https = is_https(uri);
        let proxy = match uri.scheme_str() {
            Some(_) if https => self.https.as_ref(),
            Some(s) if s.eq_ignore_ascii_case("http") => self.http.as_ref(),
            _ => None,
        }?;
        let host = uri
            .host()?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .trim_end_matches('.');
        let host = host.to_ascii_lowercase();
        let port = uri.port_u16().unwrap_or(if https { 443 } else { 80 });
        if self.no_proxy.bypasses(&host, port) {
            None
        } else {
            Some(proxy.clone())
        }
    }
}

pub(crate) fn is_https(uri: &Uri) -> bool {
    uri.scheme_str()
        .is_some_and(|s| s.eq_ignore_ascii_case("https"))
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A connection failure involving the proxy; the message names the proxy,
/// the source says what happened underneath.
#[derive(Debug)]
struct ProxyError {
    message: String,
    source: Option<BoxError>,
}

impl ProxyError {
    fn boxed(message: String, source: Option<BoxError>) -> BoxError {
        Box::new(ProxyError { message, source })
    }
}

impl std::fmt::Display for ProxyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ProxyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| &**e as _)
    }
}

/// The TCP connector under hyper-rustls: direct, to an HTTP proxy, or
/// through a `CONNECT` tunnel, per destination.
#[derive(Clone)]
pub(crate) struct ProxyConnector {
    http: HttpConnector,
    routes: Option<Arc<ProxyRoutes>>,
    /// Bounds the `CONNECT` exchange (the TCP connect has its own timeout).
    handshake_timeout: Duration,
}

impl ProxyConnector {
    pub(crate) fn new(
        http: HttpConnector,
        routes: Option<Arc<ProxyRoutes>>,
        handshake_timeout: Duration,
    ) -> Self {
        ProxyConnector {
            http,
            routes,
            handshake_timeout,
        }
    }
}

impl Service<Uri> for ProxyConnector {
    type Response = ProxyStream;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<ProxyStream, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, dst: Uri) -> Self::Future {
        let route = self.routes.as_ref().and_then(|r| r.route(&dst));
        let mut http = self.http.clone();
        let timeout = self.handshake_timeout;
        Box::pin(async move {
            let Some(proxy) = route else {
                let tls = is_https(&dst);
                return Ok(ProxyStream::new(
                    http.call(dst).await?.into_inner(),
                    false,
                    tls,
                ));
            };
            tracing::debug!(proxy = %proxy.name, "connecting through proxy");
            let io = http.call(proxy.uri.clone()).await.map_err(|e| {
                ProxyError::boxed(
                    format!("cannot connect to proxy {}", proxy.name),
                    Some(e.into()),
                )
            })?;
            if !is_https(&dst) {
                return Ok(ProxyStream::new(io.into_inner(), true, false));
            }
            let tcp =
                match tokio::time::timeout(timeout, tunnel(io.into_inner(), &dst, &proxy)).await {
                    Ok(r) => r?,
                    Err(_) => {
                        return Err(ProxyError::boxed(
                            format!("proxy {} did not answer CONNECT", proxy.name),
                            Some(Box::new(io::Error::new(
                                io::ErrorKind::TimedOut,
                                format!("timed out after {timeout:?}"),
                            ))),
                        ))
                    }
                };
            Ok(ProxyStream::new(tcp, false, true))
        })
    }
}

/// Asks the proxy for a tunnel to `dst` and returns the connection once the
/// proxy answers `200`; nothing past the reply's headers is consumed.
async fn tunnel(mut tcp: TcpStream, dst: &Uri, proxy: &Proxy) -> Result<TcpStream, BoxError> {
    let fail = |what: String, e: Option<BoxError>| {
        ProxyError::boxed(format!("proxy {}: {what}", proxy.name), e)
    };
    let host = dst
        .host()
        .ok_or_else(|| fail("no host in the endpoint URL".into(), None))?;
    let host = if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    let authority = format!("{host}:{}", dst.port_u16().unwrap_or(443));
    let mut req = format!("CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n").into_bytes();
    if let Some(auth) = &proxy.auth {
        req.extend_from_slice(b"Proxy-Authorization: ");
        req.extend_from_slice(auth.as_bytes());
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"\r\n");
    tcp.write_all(&req)
        .await
        .map_err(|e| fail(format!("cannot send CONNECT {authority}"), Some(e.into())))?;
    let head = read_head(&mut tcp)
        .await
        .map_err(|e| fail(format!("no answer to CONNECT {authority}"), Some(e.into())))?;
    let head = String::from_utf8_lossy(&head);
    let status_line = head.lines().next().unwrap_or("").trim();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or("");
    let code = parts.next().and_then(|c| c.parse::<u16>().ok());
    match code {
        Some(200) if version.starts_with("HTTP/1.") => Ok(tcp),
        Some(code) => {
            let reason = parts.next().unwrap_or("").trim();
            let hint = if code == 407 {
                " (check the credentials in the proxy URL)"
            } else {
                ""
            };
            Err(fail(
                format!("CONNECT {authority} failed: {code} {reason}{hint}"),
                None,
            ))
        }
        None => Err(fail(
            format!(
                "CONNECT {authority} failed: not an HTTP reply ({:?})",
                truncate(status_line, 64)
            ),
            None,
        )),
    }
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Reads a response head up to and including the blank line, without
/// consuming anything after it (the TLS handshake follows on the same socket).
async fn read_head(tcp: &mut TcpStream) -> io::Result<Vec<u8>> {
    const MAX: usize = 16 * 1024;
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    loop {
        let n = tcp.peek(&mut buf).await?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the proxy closed the connection",
            ));
        }
        let before = head.len();
        let start = before.saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        if let Some(pos) = head[start..].windows(4).position(|w| w == b"\r\n\r\n") {
            let end = start + pos + 4;
            head.truncate(end);
            tcp.read_exact(&mut buf[..end - before]).await?;
            return Ok(head);
        }
        tcp.read_exact(&mut buf[..n]).await?;
        if head.len() > MAX {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the proxy's reply headers are too long",
            ));
        }
    }
}

#[cfg(test)]
#[path = "proxy_tests.rs"]
mod tests;
