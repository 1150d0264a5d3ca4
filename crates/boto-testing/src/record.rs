//! HTTP record/replay: [`Recorder`] and [`Replayer`], two `HttpClient`s.
//!
//! boto3 users reach for tools such as `placebo` or `vcrpy` to record a test
//! run against real AWS once and replay it offline; aws-sdk-rust has a
//! replaying HTTP client in `aws-smithy-http-client`'s test utilities. Both
//! sit under the SDK's serializer and signer, as these do: the whole call
//! pipeline (validation, serialization, endpoints, signing, retries,
//! parsing, customizations) still runs on replay; only the network is
//! replaced.
//!
//! A recording is a JSON-lines file: one header line, then one exchange per
//! line (request method, URL, headers and body; response status, headers and
//! body; bodies as text, or base64 when they are not UTF-8). Secrets never
//! reach the file: `Authorization`, `X-Amz-Security-Token` and the other
//! credential headers, presigned-URL signatures and credentials in the
//! query, and credentials and tokens in request and response bodies (STS,
//! SSO, Cognito: `SecretAccessKey`, `SessionToken`, `accessToken`, ...) are
//! replaced by `<redacted>`. The file is rewritten atomically (temporary file
//! and rename) after every exchange, so an interrupted run leaves a valid
//! recording of what happened so far.
//!
//! A request is matched to the first unused recorded exchange with the same
//! method, path, query (signature parameters aside, order-insensitive), body
//! (compared after the same redaction) and non-volatile headers (`Range`,
//! `If-Match`, `Content-Type`, ...; the date, signature, invocation id, user
//! agent, checksums, `Content-Length` and `Host` are ignored). Identical
//! requests are answered in recorded order.

use base64::Engine;
use boto::core::runtime::http::{
    BoxFuture, HttpClient, HttpRequest, HttpResponse, HttpSettings, HyperClient,
};
use boto::core::runtime::RequestBody;
use boto::{ByteStream, Error};
use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const FORMAT: &str = "boto-testing recording v1";
const REDACTED: &str = "<redacted>";

/// Request headers whose values are secrets.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-amz-security-token",
    "x-amz-sso_bearer_token",
    "x-amz-server-side-encryption-customer-key",
    "x-amz-copy-source-server-side-encryption-customer-key",
];

/// Query parameters of presigned URLs that carry credentials or signatures.
const SECRET_QUERY: &[&str] = &[
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "signature",
    "awsaccesskeyid",
];

/// Request headers that change from run to run (or follow from the body)
/// and are not compared on replay.
const VOLATILE_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "x-amz-date",
    "date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "user-agent",
    "x-amz-user-agent",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "content-md5",
    "content-length",
    "expect",
    "x-amzn-trace-id",
    "x-amz-sso_bearer_token",
    "x-amz-server-side-encryption-customer-key",
    "x-amz-server-side-encryption-customer-key-md5",
    "x-amz-copy-source-server-side-encryption-customer-key",
    "x-amz-copy-source-server-side-encryption-customer-key-md5",
];

/// Body members (JSON keys, XML elements, form fields; compared without
/// case) holding credentials or tokens.
const SECRET_FIELDS: &[&str] = &[
    "secretaccesskey",
    "sessiontoken",
    "secretkey",
    "accesstoken",
    "refreshtoken",
    "clientsecret",
    "idtoken",
    "webidentitytoken",
    "samlassertion",
    "tokencode",
    "password",
];

fn is_secret_field(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    SECRET_FIELDS.iter().any(|s| last.eq_ignore_ascii_case(s))
}

/// `body` with credentials and tokens replaced (JSON, XML or form bodies).
fn redact_body(body: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(body) else {
        return body.to_vec();
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(mut j) = serde_json::from_str::<Json>(text) {
            if redact_json(&mut j) {
                return j.to_string().into_bytes();
            }
            return body.to_vec();
        }
    }
    if trimmed.starts_with('<') {
        return redact_xml(text).into_bytes();
    }
    if !text.contains(char::is_whitespace) && text.contains('=') {
        return redact_form(text).into_bytes();
    }
    body.to_vec()
}

fn redact_json(j: &mut Json) -> bool {
    match j {
        Json::Object(m) => {
            let mut changed = false;
            for (k, v) in m.iter_mut() {
                if is_secret_field(k) && v.is_string() {
                    *v = Json::String(REDACTED.into());
                    changed = true;
                } else {
                    changed |= redact_json(v);
                }
            }
            changed
        }
        Json::Array(a) => a.iter_mut().fold(false, |c, v| redact_json(v) | c),
        _ => false,
    }
}

/// Replaces the text of `<SecretAccessKey>…</SecretAccessKey>` and the like.
fn redact_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find('>') else { break };
        let tag = &rest[1..end];
        out.push_str(&rest[..=end]);
        rest = &rest[end + 1..];
        let name = tag.split_whitespace().next().unwrap_or("");
        if !tag.starts_with('/') && !tag.ends_with('/') && is_secret_field(name) {
            let close = format!("</{name}>");
            if let Some(j) = rest.find(&close) {
                out.push_str(REDACTED);
                rest = &rest[j..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `a=1&WebIdentityToken=…` with the secret values replaced.
fn redact_form(text: &str) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if is_secret_field(&percent_decode(k)) => format!("{k}={REDACTED}"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a URL into (host without port, path, query).
fn split_url(url: &str) -> (String, String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (authority, path_query) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    (host.to_string(), path.to_string(), query.to_string())
}

/// The query with credential parameters redacted (for the file).
fn redact_query(query: &str) -> String {
    if query.is_empty() {
        return String::new();
    }
    query
        .split('&')
        .map(|pair| {
            let k = pair.split_once('=').map_or(pair, |(k, _)| k);
            if SECRET_QUERY.iter().any(|s| k.eq_ignore_ascii_case(s)) {
                format!("{k}={REDACTED}")
            } else {
                pair.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The query as compared on replay: signature parameters dropped, sorted.
fn query_key(query: &str) -> Vec<String> {
    let mut parts: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let k = p.split_once('=').map_or(*p, |(k, _)| k);
            !SECRET_QUERY.iter().any(|s| k.eq_ignore_ascii_case(s))
                && !k.eq_ignore_ascii_case("x-amz-date")
        })
        .map(str::to_owned)
        .collect();
    parts.sort();
    parts
}

fn redact_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let secret = SECRET_HEADERS.iter().any(|s| k.eq_ignore_ascii_case(s));
            (k.clone(), if secret { REDACTED.into() } else { v.clone() })
        })
        .collect()
}

fn significant_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
        .filter(|(k, _)| {
            !VOLATILE_HEADERS.contains(&k.as_str()) && !k.starts_with("x-amz-checksum-")
        })
        .collect();
    out.sort();
    out
}

fn body_json(body: &[u8]) -> Json {
    match std::str::from_utf8(body) {
        Ok(s) => json!({ "text": s }),
        Err(_) => json!({ "base64": base64::engine::general_purpose::STANDARD.encode(body) }),
    }
}

fn body_from_json(j: &Json) -> Result<Vec<u8>, String> {
    if let Some(s) = j.get("text").and_then(Json::as_str) {
        return Ok(s.as_bytes().to_vec());
    }
    if let Some(s) = j.get("base64").and_then(Json::as_str) {
        return base64::engine::general_purpose::STANDARD
            .decode(s)
            .map_err(|e| format!("bad base64 body: {e}"));
    }
    Ok(Vec::new())
}

fn headers_json(h: &[(String, String)]) -> Json {
    Json::Array(h.iter().map(|(k, v)| json!([k, v])).collect())
}

fn headers_from_json(j: &Json) -> Vec<(String, String)> {
    j.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    Some((
                        p.get(0)?.as_str()?.to_string(),
                        p.get(1)?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The bytes of a request body (a file region is read from disk).
fn request_bytes(body: &RequestBody) -> Result<Vec<u8>, Error> {
    use std::io::{Read, Seek};
    match body {
        RequestBody::File { path, offset, len } => {
            let err = |e: std::io::Error| {
                Error::construction(format!("recording: cannot read {}: {e}", path.display()))
            };
            let mut f = std::fs::File::open(path).map_err(err)?;
            f.seek(std::io::SeekFrom::Start(*offset)).map_err(err)?;
            let mut buf = Vec::new();
            f.take(*len).read_to_end(&mut buf).map_err(err)?;
            Ok(buf)
        }
        other => Ok(other.bytes().unwrap_or_default().to_vec()),
    }
}

/// One recorded request/response pair, secrets already redacted.
#[derive(Debug, Clone)]
struct Exchange {
    method: String,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    status: u16,
    response_headers: Vec<(String, String)>,
    response_body: Vec<u8>,
}

impl Exchange {
    fn to_json(&self) -> Json {
        json!({
            "request": {
                "method": self.method,
                "url": self.url,
                "headers": headers_json(&self.headers),
                "body": body_json(&self.body),
            },
            "response": {
                "status": self.status,
                "headers": headers_json(&self.response_headers),
                "body": body_json(&self.response_body),
            }
        })
    }

    fn from_json(j: &Json) -> Result<Exchange, String> {
        let req = j.get("request").ok_or("missing \"request\"")?;
        let resp = j.get("response").ok_or("missing \"response\"")?;
        Ok(Exchange {
            method: req
                .get("method")
                .and_then(Json::as_str)
                .ok_or("missing request method")?
                .into(),
            url: req
                .get("url")
                .and_then(Json::as_str)
                .ok_or("missing request url")?
                .into(),
            headers: headers_from_json(req.get("headers").unwrap_or(&Json::Null)),
            body: body_from_json(req.get("body").unwrap_or(&Json::Null))?,
            status: resp
                .get("status")
                .and_then(Json::as_u64)
                .and_then(|s| u16::try_from(s).ok())
                .ok_or("missing response status")?,
            response_headers: headers_from_json(resp.get("headers").unwrap_or(&Json::Null)),
            response_body: body_from_json(resp.get("body").unwrap_or(&Json::Null))?,
        })
    }

    /// What a request is matched on.
    fn key(&self, match_host: bool) -> MatchKey {
        let (host, path, query) = split_url(&self.url);
        MatchKey {
            host: match_host.then_some(host),
            method: self.method.to_ascii_uppercase(),
            path,
            query: query_key(&query),
            headers: significant_headers(&self.headers),
            body: self.body.clone(),
        }
    }
}

#[derive(Debug, PartialEq)]
struct MatchKey {
    host: Option<String>,
    method: String,
    path: String,
    query: Vec<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// A request as it would be stored: URL query, headers and body redacted.
/// URL, headers and body of a request as stored.
type StoredRequest = (String, Vec<(String, String)>, Vec<u8>);

fn redacted_request(req: &HttpRequest) -> Result<StoredRequest, Error> {
    let (url_base, query) = req.url.split_once('?').unwrap_or((&req.url, ""));
    let url = if query.is_empty() {
        url_base.to_string()
    } else {
        format!("{url_base}?{}", redact_query(query))
    };
    Ok((
        url,
        redact_headers(&req.headers),
        redact_body(&request_bytes(&req.body)?),
    ))
}

/// Writes `exchanges` to `path` atomically (temporary file, then rename).
fn write_atomic(path: &Path, exchanges: &[Exchange]) -> Result<(), Error> {
    let mut text = json!({ "format": FORMAT }).to_string();
    text.push('\n');
    for e in exchanges {
        text.push_str(&e.to_json().to_string());
        text.push('\n');
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("recording");
    let tmp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let err = |e: std::io::Error| {
        Error::construction(format!(
            "cannot write the recording {}: {e}",
            path.display()
        ))
    };
    std::fs::write(&tmp, text).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        err(e)
    })
}

struct RecorderInner {
    path: PathBuf,
    transport: Arc<dyn HttpClient>,
    exchanges: Mutex<Vec<Exchange>>,
}

/// An `HttpClient` that sends requests through a real transport and records
/// every exchange to a file (secrets redacted; see the module docs). Use it
/// through [`Recorder::client`], or give it to [`boto::Client::builder`]'s
/// `http_client` or [`crate::client_with_transport`].
/// Response bodies are read whole before they are handed on, so record
/// tests with modest payloads.
#[derive(Clone)]
pub struct Recorder {
    inner: Arc<RecorderInner>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("path", &self.inner.path)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// Records to `path` (created or truncated now) through the default transport.
    pub fn new(path: impl Into<PathBuf>) -> Result<Recorder, Error> {
        let transport = Arc::new(HyperClient::new(&HttpSettings::default())?);
        Recorder::with_transport(path, transport)
    }

    /// Records to `path` through `transport`.
    pub fn with_transport(
        path: impl Into<PathBuf>,
        transport: Arc<dyn HttpClient>,
    ) -> Result<Recorder, Error> {
        let path = path.into();
        write_atomic(&path, &[])?;
        Ok(Recorder {
            inner: Arc::new(RecorderInner {
                path,
                transport,
                exchanges: Mutex::new(Vec::new()),
            }),
        })
    }

    /// The recording file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// A client for `service` configured by `session` (and `options`) that
    /// records through this recorder, signing with the session's credentials.
    pub fn client(
        &self,
        session: &boto::Session,
        service: &str,
        options: &boto::ClientOptions,
    ) -> Result<boto::Client, Error> {
        crate::client_with_transport(session, service, options, Arc::new(self.clone()), None)
    }

    /// Exchanges recorded so far.
    pub fn len(&self) -> usize {
        self.inner.exchanges.lock().map_or(0, |e| e.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl HttpClient for Recorder {
    fn send(&self, req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let (url, headers, body) = redacted_request(&req)?;
            let method = req.method.clone();
            let resp = self.inner.transport.send(req).await?;
            let bytes = resp.body.collect().await?;
            let exchange = Exchange {
                method,
                url,
                headers,
                body,
                status: resp.status,
                response_headers: redact_headers(&resp.headers),
                response_body: redact_body(&bytes),
            };
            {
                let mut all = self
                    .inner
                    .exchanges
                    .lock()
                    .unwrap_or_else(|p| p.into_inner());
                all.push(exchange);
                write_atomic(&self.inner.path, &all)?;
            }
            Ok(HttpResponse {
                status: resp.status,
                headers: resp.headers,
                body: ByteStream::from_bytes(bytes),
            })
        })
    }
}

/// An `HttpClient` that answers from a recording and never touches the
/// network. A request with no unused matching exchange fails with an error
/// naming it (and the closest recorded request), which is not retried.
#[derive(Clone)]
pub struct Replayer {
    path: PathBuf,
    exchanges: Arc<Vec<Exchange>>,
    used: Arc<Mutex<Vec<bool>>>,
    match_host: bool,
}

impl std::fmt::Debug for Replayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Replayer")
            .field("path", &self.path)
            .field("exchanges", &self.exchanges.len())
            .field("unused", &self.unused())
            .finish()
    }
}

impl Replayer {
    /// Loads a recording made by [`Recorder`].
    pub fn from_file(path: impl Into<PathBuf>) -> Result<Replayer, Error> {
        let path = path.into();
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Error::construction(format!("cannot read the recording {}: {e}", path.display()))
        })?;
        let mut lines = text.lines().filter(|l| !l.trim().is_empty()).enumerate();
        let bad = |n: usize, why: &str| {
            Error::construction(format!(
                "recording {} line {}: {why}",
                path.display(),
                n + 1
            ))
        };
        match lines.next() {
            Some((_, l))
                if serde_json::from_str::<Json>(l)
                    .ok()
                    .and_then(|j| j.get("format").cloned())
                    == Some(Json::String(FORMAT.into())) => {}
            _ => {
                return Err(bad(
                    0,
                    &format!("not a recording (expected a \"{FORMAT}\" header)"),
                ))
            }
        }
        let mut exchanges = Vec::new();
        for (n, line) in lines {
            let j: Json = serde_json::from_str(line).map_err(|e| bad(n, &e.to_string()))?;
            exchanges.push(Exchange::from_json(&j).map_err(|e| bad(n, &e))?);
        }
        let used = Arc::new(Mutex::new(vec![false; exchanges.len()]));
        Ok(Replayer {
            path,
            exchanges: Arc::new(exchanges),
            used,
            match_host: false,
        })
    }

    /// Also match the host (without port); off by default, so a recording
    /// made against one local endpoint replays against another.
    pub fn match_host(mut self, yes: bool) -> Self {
        self.match_host = yes;
        self
    }

    /// A client for `service` configured by `session` (and `options`) that
    /// answers from this recording, signing with fixed dummy credentials (no
    /// credentials are needed to replay). Clients made from clones of one
    /// replayer share its progress through the recording.
    pub fn client(
        &self,
        session: &boto::Session,
        service: &str,
        options: &boto::ClientOptions,
    ) -> Result<boto::Client, Error> {
        crate::client_with_transport(
            session,
            service,
            options,
            Arc::new(self.clone()),
            Some(crate::dummy_credentials()),
        )
    }

    /// Recorded exchanges not replayed yet.
    pub fn unused(&self) -> usize {
        self.used
            .lock()
            .map_or(0, |u| u.iter().filter(|x| !**x).count())
    }

    fn answer(&self, req: &HttpRequest) -> Result<HttpResponse, Error> {
        let (url, headers, body) = redacted_request(req)?;
        let live = Exchange {
            method: req.method.clone(),
            url,
            headers,
            body,
            status: 0,
            response_headers: Vec::new(),
            response_body: Vec::new(),
        };
        let key = live.key(self.match_host);
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        let found = self
            .exchanges
            .iter()
            .enumerate()
            .find(|(i, e)| !used[*i] && e.key(self.match_host) == key);
        let Some((i, e)) = found else {
            let near = self
                .exchanges
                .iter()
                .enumerate()
                .filter(|(i, e)| {
                    !used[*i] && e.method == live.method && split_url(&e.url).1 == key.path
                })
                .map(|(_, e)| e.url.clone())
                .next();
            let (_, path, query) = split_url(&live.url);
            let q = if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            };
            return Err(Error::construction(format!(
                "no recording for {} {path}{q} in {} ({} exchanges, {} unused){}",
                live.method,
                self.path.display(),
                self.exchanges.len(),
                used.iter().filter(|u| !**u).count(),
                match near {
                    Some(u) => format!("; an unused exchange for the same path differs in query, headers or body: {u}"),
                    None => String::new(),
                }
            )));
        };
        used[i] = true;
        Ok(HttpResponse {
            status: e.status,
            headers: e.response_headers.clone(),
            body: ByteStream::from_bytes(e.response_body.clone()),
        })
    }
}

impl HttpClient for Replayer {
    fn send(&self, req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        Box::pin(async move { self.answer(&req) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_redacted() {
        let xml = "<R><Credentials><AccessKeyId>AKID</AccessKeyId><SecretAccessKey>s3cr3t</SecretAccessKey>\
                   <SessionToken>t0k3n</SessionToken></Credentials></R>";
        let out = String::from_utf8(redact_body(xml.as_bytes())).unwrap();
        assert!(
            !out.contains("s3cr3t") && !out.contains("t0k3n") && out.contains("AKID"),
            "{out}"
        );
        let js = br#"{"roleCredentials":{"secretAccessKey":"s3cr3t","sessionToken":"t0k3n"}}"#;
        let out = String::from_utf8(redact_body(js)).unwrap();
        assert!(!out.contains("s3cr3t") && !out.contains("t0k3n"), "{out}");
        let form = b"Action=AssumeRoleWithWebIdentity&WebIdentityToken=eyJ.abc&Version=2011-06-15";
        let out = String::from_utf8(redact_body(form)).unwrap();
        assert!(
            !out.contains("eyJ") && out.contains("Version=2011-06-15"),
            "{out}"
        );
        let q = redact_query("X-Amz-Credential=AKID%2F2024&X-Amz-Signature=abc&a=1");
        assert_eq!(
            q,
            "X-Amz-Credential=<redacted>&X-Amz-Signature=<redacted>&a=1"
        );
    }
}
