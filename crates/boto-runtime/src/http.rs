//! The HTTP transport: hyper with rustls, one keep-alive pool per client.
//!
//! The pipeline talks to [`HttpClient`], a small trait over "send this
//! request, give me status, headers and a body stream", so tests and users can
//! plug in another transport. [`HyperClient`] is the default: HTTP/1.1 with
//! pooling (`max_pool_connections`), connect and read timeouts (the read
//! timeout applies to the headers and to every body chunk, like botocore's
//! socket timeout), system roots plus an optional CA bundle, an opt-out of
//! certificate verification for local testing, and HTTP proxies (`proxy.rs`:
//! absolute-form requests for `http://`, `CONNECT` tunnels for `https://`,
//! `NO_PROXY`).

mod ack;
pub(crate) mod h2;
mod proxy;
mod request;
mod send;
mod stream;
mod tls;

pub(crate) use send::{header_pairs, ChannelBody};

pub use proxy::{redact_proxy_url, ProxyConfig};

use crate::error::Error;
use bytes::Bytes;
use http_body_util::{combinators::BoxBody, BodyExt};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// A boxed, `Send` future: what the object-safe [`HttpClient`] and [`crate::Invoke`] traits return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A request body: bytes in memory (cheap to clone, so retries can resend it)
/// or a file read in chunks.
#[derive(Clone, Default)]
pub enum RequestBody {
    /// No body (`Content-Length: 0` where a length is sent).
    #[default]
    Empty,
    /// Bytes in memory; retries resend the same buffer.
    Bytes(Bytes),
    /// A file region streamed from disk; `len` bytes from `offset`.
    File {
        /// The file to read; opened again for each attempt.
        path: std::path::PathBuf,
        /// Where in the file the body starts (bytes).
        offset: u64,
        /// How many bytes to send from `offset`.
        len: u64,
    },
    /// A payload framed as `aws-chunked` with a trailing checksum; built by
    /// the pipeline when it signs (see [`crate::aws_chunked`]).
    AwsChunked(Arc<crate::aws_chunked::AwsChunkedBody>),
}

impl RequestBody {
    /// The body's length in bytes as sent (for `aws-chunked`, the framed length).
    pub fn len(&self) -> u64 {
        match self {
            RequestBody::Empty => 0,
            RequestBody::Bytes(b) => b.len() as u64,
            RequestBody::File { len, .. } => *len,
            RequestBody::AwsChunked(b) => b.encoded_len(),
        }
    }
    /// True when [`RequestBody::len`] is 0.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The bytes, when they are in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            RequestBody::Empty => Some(&[]),
            RequestBody::Bytes(b) => Some(b),
            RequestBody::File { .. } | RequestBody::AwsChunked(_) => None,
        }
    }
}

impl std::fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestBody::Empty => f.write_str("Empty"),
            RequestBody::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            RequestBody::File { path, offset, len } => {
                write!(f, "File({}, {offset}+{len})", path.display())
            }
            RequestBody::AwsChunked(b) => write!(
                f,
                "AwsChunked({:?}, {}, signed: {})",
                b.inner(),
                b.algorithm().name(),
                b.is_signed()
            ),
        }
    }
}

/// A fully-formed HTTP request, signed and ready to send.
#[derive(Debug, Clone)]
pub struct HttpRequest {
    /// The HTTP method (`GET`, `PUT`, ...).
    pub method: String,
    /// The full URL, query string included.
    pub url: String,
    /// Headers in the order they were added, signature headers included; names as the pipeline
    /// wrote them (compare case-insensitively).
    pub headers: Vec<(String, String)>,
    /// The payload.
    pub body: RequestBody,
}

/// Watches a streamed body as it is read, e.g. to verify a checksum at the end.
pub trait BodyObserver: Send + Sync {
    /// Sees the next chunk, in order.
    fn update(&mut self, chunk: &[u8]);
    /// Called once after the last chunk; an error fails the final read.
    fn finish(self: Box<Self>) -> Result<(), Error>;
}

/// A stream of body chunks from the server. Reads honour the read timeout.
pub struct ByteStream {
    inner: ByteStreamInner,
    observer: Option<Box<dyn BodyObserver>>,
}

enum ByteStreamInner {
    Buffered(Option<Bytes>),
    Hyper {
        body: hyper::body::Incoming,
        read_timeout: Duration,
        expected: Option<u64>,
        seen: u64,
    },
}

impl ByteStream {
    /// A stream that yields `b` as a single chunk (test doubles and buffered bodies).
    pub fn from_bytes(b: impl Into<Bytes>) -> Self {
        ByteStream {
            inner: ByteStreamInner::Buffered(Some(b.into())),
            observer: None,
        }
    }

    /// Attaches an observer that sees every chunk and checks the whole at the end.
    pub fn with_observer(mut self, observer: Box<dyn BodyObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// The next chunk, or `None` at the end. A body shorter than its
    /// `Content-Length` is an error (truncation), not a silent short read; a
    /// checksum mismatch found by an observer is an error on the last read.
    pub async fn next_chunk(&mut self) -> Result<Option<Bytes>, Error> {
        let chunk = self.raw_chunk().await?;
        match (&chunk, &mut self.observer) {
            (Some(c), Some(o)) => o.update(c),
            (None, Some(_)) => {
                if let Some(o) = self.observer.take() {
                    o.finish()?;
                }
            }
            _ => {}
        }
        Ok(chunk)
    }

    async fn raw_chunk(&mut self) -> Result<Option<Bytes>, Error> {
        match &mut self.inner {
            ByteStreamInner::Buffered(b) => Ok(b.take()),
            ByteStreamInner::Hyper {
                body,
                read_timeout,
                expected,
                seen,
            } => loop {
                let frame = tokio::time::timeout(*read_timeout, body.frame())
                    .await
                    .map_err(|_| {
                        Error::timeout(format!(
                            "read timeout after {read_timeout:?} while reading the body"
                        ))
                    })?;
                match frame {
                    None => {
                        if let Some(exp) = expected {
                            if *seen != *exp {
                                return Err(Error::response_transient(format!(
                                    "truncated response body: got {seen} of {exp} bytes (Content-Length)"
                                )));
                            }
                        }
                        return Ok(None);
                    }
                    Some(Err(e))
                        if e.is_incomplete_message() || expected.is_some_and(|x| *seen < x) =>
                    {
                        let of = expected.map(|x| format!(" of {x}")).unwrap_or_default();
                        return Err(Error::response_transient(format!(
                            "truncated response body: the connection closed after {seen}{of} bytes"
                        )));
                    }
                    Some(Err(e)) => {
                        let msg = format!("error reading response body: {e}");
                        let err = Error::wrap(
                            crate::ErrorKind::Dispatch,
                            "error reading the response body",
                            e,
                        );
                        return Err(err.with_message(msg));
                    }
                    Some(Ok(f)) => {
                        if let Ok(data) = f.into_data() {
                            *seen += data.len() as u64;
                            return Ok(Some(data));
                        }
                    }
                }
            },
        }
    }

    /// Reads the whole body into memory.
    pub async fn collect(mut self) -> Result<Vec<u8>, Error> {
        // Sized from Content-Length (up to 16 MiB: the header is the server's
        // word), so a listing's page is not copied again at each doubling.
        let expected = match &self.inner {
            ByteStreamInner::Hyper { expected, .. } => expected.unwrap_or(0),
            ByteStreamInner::Buffered(b) => b.as_ref().map_or(0, |b| b.len() as u64),
        };
        let mut out = Vec::with_capacity(expected.min(16 << 20) as usize);
        while let Some(c) = self.next_chunk().await? {
            out.extend_from_slice(&c);
        }
        Ok(out)
    }
}

impl std::fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ByteStream")
    }
}

/// Status, headers and a body stream.
#[derive(Debug)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The response headers in the order received (lowercase names from [`HyperClient`];
    /// compare case-insensitively for other transports).
    pub headers: Vec<(String, String)>,
    /// The body, not yet read.
    pub body: ByteStream,
}

/// The transport the pipeline uses.
pub trait HttpClient: Send + Sync + 'static {
    /// Sends `req` and returns once the status and headers are in; the body is read from
    /// [`HttpResponse::body`]. Transport failures are `ErrorKind::Dispatch` or `ErrorKind::Timeout`
    /// errors, which the retry policy retries.
    fn send(&self, req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>>;

    /// Sends a copy of `req`, which the caller keeps (the pipeline hands it
    /// to the response hooks). The default clones it for [`send`](Self::send);
    /// a transport that copies the request into its own form anyway can
    /// build that from the borrowed one and copy each string once.
    fn send_ref<'a>(&'a self, req: &'a HttpRequest) -> BoxFuture<'a, Result<HttpResponse, Error>> {
        self.send(req.clone())
    }
}

/// Transport settings.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// How long to wait for the TCP (and TLS) connection.
    pub connect_timeout: Duration,
    /// How long to wait for the headers and then for each body chunk.
    pub read_timeout: Duration,
    /// Requests in flight at once; further requests wait for a slot.
    pub max_pool_connections: usize,
    /// `false` accepts any server certificate (local testing only).
    pub verify_tls: bool,
    /// A PEM file of extra trusted CA certificates, besides the system roots.
    pub ca_bundle: Option<std::path::PathBuf>,
    /// Proxies; the default is none (the transport does not read the environment).
    pub proxies: ProxyConfig,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            connect_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(60),
            max_pool_connections: 10,
            verify_tls: true,
            ca_bundle: None,
            proxies: ProxyConfig::default(),
        }
    }
}

type Connector = LazyTls;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Connects plain HTTP directly and builds the TLS configuration only when
/// the first `https://` connection is made: creating a client does no I/O,
/// and clients that only talk to `http://` endpoints (local emulators) never
/// load the system certificate store.
#[derive(Clone)]
pub(crate) struct LazyTls {
    plain: proxy::ProxyConnector,
    settings: Arc<HttpSettings>,
    https: Arc<
        std::sync::OnceLock<Result<hyper_rustls::HttpsConnector<proxy::ProxyConnector>, String>>,
    >,
}

impl tower_service::Service<http::Uri> for LazyTls {
    type Response = stream::Conn;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, BoxError>> + Send>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), BoxError>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, dst: http::Uri) -> Self::Future {
        if dst.scheme_str() != Some("https") {
            let mut plain = self.plain.clone();
            return Box::pin(async move { Ok(stream::Conn::Plain(plain.call(dst).await?)) });
        }
        let built = self.https.get_or_init(|| {
            let tls = tls::tls_config(&self.settings).map_err(|e| e.to_string())?;
            Ok(hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(tls)
                .https_or_http()
                .enable_http1()
                .wrap_connector(self.plain.clone()))
        });
        match built.clone() {
            Ok(mut https) => Box::pin(async move { Ok(https.call(dst).await?.into()) }),
            Err(e) => Box::pin(async move { Err(e.into()) }),
        }
    }
}

/// hyper + rustls transport with a keep-alive pool.
///
/// `max_pool_connections` bounds the requests in flight at once (sent and
/// waiting for the response headers); further calls wait for a slot. hyper
/// alone opens a connection for every concurrent request and closes all but
/// `max_pool_connections` once idle, so 1,000 tasks on one client meant up to
/// 1,000 sockets (out of file descriptors under the common 1,024 limit) and
/// a stream of new connections. The slot is freed when the headers arrive,
/// so a caller holding unread streamed bodies never blocks its own next call.
/// Up to twice as many connections are kept idle: a request that finds none
/// idle races a new connection against the next one freed, and keeping the
/// loser instead of closing it stops the churn.
#[derive(Clone)]
pub struct HyperClient {
    client: hyper_util::client::legacy::Client<Connector, BoxBody<Bytes, std::io::Error>>,
    read_timeout: Duration,
    proxies: Option<Arc<proxy::ProxyRoutes>>,
    in_flight: Arc<tokio::sync::Semaphore>,
}

impl HyperClient {
    /// A transport with `settings`. Does no I/O: TLS roots are loaded on the first `https://`
    /// connection.
    ///
    /// # Errors
    ///
    /// An invalid proxy URL in `settings.proxies`.
    pub fn new(settings: &HttpSettings) -> Result<Self, Error> {
        let proxies = proxy::ProxyRoutes::from_config(&settings.proxies)?.map(Arc::new);
        let mut http = hyper_util::client::legacy::connect::HttpConnector::new();
        http.set_connect_timeout(Some(settings.connect_timeout));
        http.set_nodelay(true);
        http.enforce_http(false);
        let connector = LazyTls {
            plain: proxy::ProxyConnector::new(http, proxies.clone(), settings.connect_timeout),
            settings: Arc::new(settings.clone()),
            https: Arc::default(),
        };
        if let Some(path) = &settings.ca_bundle {
            // A bad CA bundle is a configuration error: report it when the
            // client is built, not on the first request.
            if !path.is_file() {
                return Err(Error::construction(format!(
                    "cannot read CA bundle {}",
                    path.display()
                )));
            }
        }
        let slots = settings
            .max_pool_connections
            .clamp(1, tokio::sync::Semaphore::MAX_PERMITS);
        let client =
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .pool_max_idle_per_host(slots.saturating_mul(2))
                .pool_idle_timeout(Duration::from_secs(60))
                .build(connector);
        Ok(HyperClient {
            client,
            read_timeout: settings.read_timeout,
            proxies,
            in_flight: Arc::new(tokio::sync::Semaphore::new(slots)),
        })
    }
}
