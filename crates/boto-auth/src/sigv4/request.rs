//! The inputs to signing: request parts, body, scope and per-service switches.
//!
//! These types borrow from whatever the caller already holds (an HTTP request,
//! a serializer's output, a parsed test file) so signing adds no copies of the
//! body or headers and stays independent of any HTTP library.

use std::borrow::Cow;
use std::fmt;
use std::time::{Duration, SystemTime};

use super::canonical::encode_query_component;
use super::{SigningError, DEFAULT_PRESIGN_EXPIRY_SECS};

/// What to sign in place of the body.
#[derive(Clone, PartialEq, Eq)]
pub enum SignableBody<'a> {
    /// The whole body; it is SHA-256 hashed (empty body hashes to [`super::EMPTY_SHA256_HASH`]).
    Bytes(&'a [u8]),
    /// The body's SHA-256, already computed, as lowercase hex.
    Precomputed(Cow<'a, str>),
    /// `UNSIGNED-PAYLOAD`: the body is not signed. botocore chooses this for S3
    /// over HTTPS with a checksum and for operations with payload signing
    /// disabled; a header signer then also sends `X-Amz-Content-SHA256: UNSIGNED-PAYLOAD`.
    UnsignedPayload,
    /// `STREAMING-UNSIGNED-PAYLOAD-TRAILER`: unsigned streaming body with a trailing checksum.
    StreamingUnsignedPayloadTrailer,
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER`: `aws-chunked` body whose
    /// chunks and trailer are signed, chained from this request's signature
    /// (see [`ChunkSigner`](super::ChunkSigner)).
    StreamingSignedPayloadTrailer,
}

impl fmt::Debug for SignableBody<'_> {
    // Bodies are user data: print only their shape.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignableBody::Bytes(b) => write!(f, "Bytes({} bytes)", b.len()),
            SignableBody::Precomputed(h) => f.debug_tuple("Precomputed").field(h).finish(),
            SignableBody::UnsignedPayload => f.write_str("UnsignedPayload"),
            SignableBody::StreamingUnsignedPayloadTrailer => {
                f.write_str("StreamingUnsignedPayloadTrailer")
            }
            SignableBody::StreamingSignedPayloadTrailer => {
                f.write_str("StreamingSignedPayloadTrailer")
            }
        }
    }
}

/// The parts of an HTTP request that SigV4 covers.
///
/// * `path` is the path as it goes on the wire (already percent-encoded by the
///   serializer); non-S3 signing encodes it once more, as botocore does.
/// * query parameters are kept percent-encoded; add decoded ones with
///   [`query_param`](Self::query_param) or an already-encoded query string
///   with [`encoded_query`](Self::encoded_query).
/// * header values are bytes so callers can pass an HTTP library's header
///   values straight through; they must be UTF-8.
#[derive(Clone)]
pub struct SignableRequest<'a> {
    pub(crate) method: &'a str,
    pub(crate) scheme: &'a str,
    pub(crate) authority: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    pub(crate) headers: Vec<(&'a str, &'a [u8])>,
    pub(crate) body: SignableBody<'a>,
}

impl<'a> SignableRequest<'a> {
    /// A request with no query, no headers and an empty body.
    ///
    /// `authority` is `host[:port]` as in the URL; `scheme` is `http` or `https`.
    pub fn new(method: &'a str, scheme: &'a str, authority: &'a str, path: &'a str) -> Self {
        SignableRequest {
            method,
            scheme,
            authority,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            body: SignableBody::Bytes(b""),
        }
    }

    /// Split `scheme://authority/path?query#fragment`; the query is taken as
    /// already percent-encoded (as botocore's prepared URLs are) and the
    /// fragment is dropped.
    pub fn from_url(method: &'a str, url: &'a str) -> Result<Self, SigningError> {
        let (scheme, rest) = url.split_once("://").ok_or(SigningError::InvalidUrl {
            reason: "missing scheme",
        })?;
        if scheme.is_empty()
            || !scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            return Err(SigningError::InvalidUrl {
                reason: "bad scheme",
            });
        }
        let rest = rest.split('#').next().unwrap_or("");
        let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, rest) = rest.split_at(auth_end);
        if authority.is_empty() {
            return Err(SigningError::InvalidUrl {
                reason: "missing host",
            });
        }
        let (path, query) = match rest.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (rest, None),
        };
        let req = SignableRequest::new(method, scheme, authority, path);
        Ok(match query {
            Some(q) => req.encoded_query(q),
            None => req,
        })
    }

    /// Add one query parameter given in decoded form; it is percent-encoded
    /// with botocore's `percent_encode` (safe characters `-_.~`).
    pub fn query_param(mut self, name: &str, value: &str) -> Self {
        self.push_query_param(name, value);
        self
    }

    /// In-place form of [`query_param`](Self::query_param).
    pub fn push_query_param(&mut self, name: &str, value: &str) {
        self.query.push((
            Cow::Owned(encode_query_component(name)),
            Cow::Owned(encode_query_component(value)),
        ));
    }

    /// Add the parameters of an already-encoded query string (`a=1&b=2`),
    /// kept byte-for-byte as botocore does for a prepared URL. Empty pieces
    /// (`a=1&&b`) are ignored; a piece without `=` has an empty value.
    pub fn encoded_query(mut self, query: &'a str) -> Self {
        for piece in query.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            self.query.push((Cow::Borrowed(k), Cow::Borrowed(v)));
        }
        self
    }

    /// Add a header. Repeated names are allowed and are signed as one
    /// comma-joined value, in the order added.
    pub fn header<V: AsRef<[u8]> + ?Sized>(mut self, name: &'a str, value: &'a V) -> Self {
        self.push_header(name, value);
        self
    }

    /// In-place form of [`header`](Self::header).
    pub fn push_header<V: AsRef<[u8]> + ?Sized>(&mut self, name: &'a str, value: &'a V) {
        self.headers.push((name, value.as_ref()));
    }

    /// Set what is signed for the body (default: empty bytes).
    pub fn body(mut self, body: SignableBody<'a>) -> Self {
        self.body = body;
        self
    }

    /// The request method.
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The percent-encoded query parameters, in the order given.
    pub fn encoded_query_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(k, v)| (k.as_ref(), v.as_ref()))
    }
}

impl fmt::Debug for SignableRequest<'_> {
    // Header and query values may hold tokens (e.g. a caller-set
    // X-Amz-Security-Token), so only names are printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(n, _)| *n).collect();
        let query: Vec<&str> = self.query.iter().map(|(k, _)| k.as_ref()).collect();
        f.debug_struct("SignableRequest")
            .field("method", &self.method)
            .field("scheme", &self.scheme)
            .field("authority", &self.authority)
            .field("path", &self.path)
            .field("query_names", &query)
            .field("header_names", &headers)
            .field("body", &self.body)
            .finish()
    }
}

/// Where the session token goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SessionTokenMode {
    /// Added before signing and covered by the signature (botocore's behaviour).
    #[default]
    Signed,
    /// Added after the signature is computed, not signed (a few services want this).
    Unsigned,
    /// S3 Express One Zone session auth (botocore's `S3ExpressAuth` /
    /// `S3ExpressQueryAuth`): the `CreateSession` token is signed as the
    /// `x-amz-s3session-token` header (presigned: the `X-Amz-S3session-Token`
    /// query parameter) and no `X-Amz-Security-Token` is sent. SigV4 only.
    S3Express,
}

/// Per-service switches. [`Default`] is generic SigV4; [`s3`](Self::s3) is S3's variant.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SigningSettings {
    /// Remove `.`/`..` segments and repeated slashes from the path (off for S3).
    pub normalize_uri_path: bool,
    /// Percent-encode the (already encoded) path again (off for S3).
    pub double_encode_path: bool,
    /// Send and sign `X-Amz-Content-SHA256` with the payload hash (S3).
    pub content_sha256_header: bool,
    /// Presigned URLs sign `UNSIGNED-PAYLOAD` instead of the body hash (S3).
    pub presign_unsigned_payload: bool,
    /// Where the session token goes.
    pub session_token_mode: SessionTokenMode,
    /// Validity of presigned URLs (1 s ..= 7 days).
    pub expires_in: Duration,
}

impl Default for SigningSettings {
    fn default() -> Self {
        SigningSettings {
            normalize_uri_path: true,
            double_encode_path: true,
            content_sha256_header: false,
            presign_unsigned_payload: false,
            session_token_mode: SessionTokenMode::Signed,
            expires_in: Duration::from_secs(DEFAULT_PRESIGN_EXPIRY_SECS),
        }
    }
}

impl SigningSettings {
    /// S3's rules (`S3SigV4Auth` / `S3SigV4QueryAuth`): path signed as sent,
    /// `X-Amz-Content-SHA256` header, `UNSIGNED-PAYLOAD` when presigning.
    pub fn s3() -> Self {
        SigningSettings {
            normalize_uri_path: false,
            double_encode_path: false,
            content_sha256_header: true,
            presign_unsigned_payload: true,
            ..SigningSettings::default()
        }
    }

    /// The same settings with a different presign validity.
    pub fn with_expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }
}

/// Scope and time of a signature, plus the service's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningParams<'a> {
    /// Signing region, e.g. `us-east-1`.
    pub region: &'a str,
    /// Signing name of the service (e.g. `s3`, `execute-api`), not its endpoint prefix.
    pub service: &'a str,
    /// The signing instant (the caller owns the clock, so tests can fix it).
    pub time: SystemTime,
    /// Per-service switches.
    pub settings: SigningSettings,
}

impl<'a> SigningParams<'a> {
    /// Params with [`SigningSettings::default`].
    pub fn new(region: &'a str, service: &'a str, time: SystemTime) -> Self {
        SigningParams {
            region,
            service,
            time,
            settings: SigningSettings::default(),
        }
    }

    /// Replace the settings.
    pub fn with_settings(mut self, settings: SigningSettings) -> Self {
        self.settings = settings;
        self
    }
}
