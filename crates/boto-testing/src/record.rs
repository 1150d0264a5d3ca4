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
//! replaced by `[redacted]`. The file is rewritten atomically (temporary file
//! and rename) after every exchange, so an interrupted run leaves a valid
//! recording of what happened so far.
//!
//! A request is matched to the first unused recorded exchange with the same
//! method, path, query (signature parameters aside, order-insensitive), body
//! (compared after the same redaction) and non-volatile headers (`Range`,
//! `If-Match`, `Content-Type`, ...; the date, signature, invocation id, user
//! agent, checksums, `Content-Length` and `Host` are ignored). Identical
//! requests are answered in recorded order.

use crate::exchange::{redacted_request, write_atomic, Exchange, FORMAT};
use crate::redact::{redact_body, redact_headers, split_url};
use boto::core::runtime::http::{
    BoxFuture, HttpClient, HttpRequest, HttpResponse, HttpSettings, HyperClient,
};
use boto::{ByteStream, Error};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

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

    /// True before the first exchange is recorded.
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
    ignore_fields: Vec<String>,
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
            ignore_fields: crate::redact::TOKEN_FIELDS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        })
    }

    /// Also match the host (without port); off by default, so a recording
    /// made against one local endpoint replays against another.
    pub fn match_host(mut self, yes: bool) -> Self {
        self.match_host = yes;
        self
    }

    /// Body members (JSON keys, XML elements or form fields, any case)
    /// whose values differ from run to run and are not compared, on top of
    /// the idempotency tokens boto-rs generates (`ClientToken`,
    /// `ClientRequestToken`, `IdempotencyToken`), which are never compared.
    pub fn ignore_body_fields<S: Into<String>>(
        mut self,
        names: impl IntoIterator<Item = S>,
    ) -> Self {
        self.ignore_fields.extend(names.into_iter().map(Into::into));
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
        let key = live.key(self.match_host, &self.ignore_fields);
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        let found = self
            .exchanges
            .iter()
            .enumerate()
            .find(|(i, e)| !used[*i] && e.key(self.match_host, &self.ignore_fields) == key);
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
