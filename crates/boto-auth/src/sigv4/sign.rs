//! Header signing (`SigV4Auth.add_auth` / `S3SigV4Auth.add_auth`).
//!
//! [`sign`] does not touch the request: it returns the headers to set (and to
//! remove), so the caller applies them to whatever HTTP type it holds. The
//! canonical request and string to sign travel with the result for debugging
//! and for the test suite.

use std::fmt;

use super::canonical::{
    canonical_path, canonical_query, canonical_request, check_header_name, credential_scope,
    header_value_str, host_from_authority, is_blacklisted, sha256_hex, string_to_sign, HeaderSet,
};
use super::key_cache::{sign_hex, signing_key};
use super::request::{SessionTokenMode, SignableBody, SignableRequest, SigningParams};
use super::time::UtcTime;
use super::{
    SigningError, ALGORITHM, STREAMING_SIGNED_PAYLOAD_TRAILER, STREAMING_UNSIGNED_PAYLOAD_TRAILER,
    UNSIGNED_PAYLOAD,
};
use crate::Credentials;

// Header names `sign` may emit.
const X_AMZ_DATE: &str = "X-Amz-Date";
const DATE: &str = "Date";
const X_AMZ_SECURITY_TOKEN: &str = "X-Amz-Security-Token";
/// S3 Express's session token header, in botocore's spelling.
const X_AMZ_S3SESSION_TOKEN: &str = "x-amz-s3session-token";
const X_AMZ_CONTENT_SHA256: &str = "X-Amz-Content-SHA256";
const AUTHORIZATION: &str = "Authorization";

/// What to do to the request after signing.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningOutput {
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) remove_headers: Vec<&'static str>,
    pub(crate) signature: String,
    pub(crate) canonical_request: String,
    pub(crate) string_to_sign: String,
}

impl SigningOutput {
    /// Headers to set, each replacing any existing header of the same name
    /// (compared case-insensitively), in the order botocore sets them.
    pub fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// Headers to delete (case-insensitively): `X-Amz-Date` when the request
    /// is dated through `Date` instead.
    pub fn remove_headers(&self) -> &[&'static str] {
        &self.remove_headers
    }

    /// The hex signature.
    pub fn signature(&self) -> &str {
        &self.signature
    }

    /// The canonical request that was signed (contains the session token, if any).
    pub fn canonical_request(&self) -> &str {
        &self.canonical_request
    }

    /// The string to sign.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// Apply to a plain header list: drop replaced/removed names, then append.
    pub fn apply_to(&self, headers: &mut Vec<(String, String)>) {
        self.drop_replaced(headers);
        headers.extend(self.headers.iter().map(|(n, v)| (n.to_string(), v.clone())));
    }

    /// [`apply_to`](Self::apply_to), moving the header values instead of copying them.
    pub fn apply_into(self, headers: &mut Vec<(String, String)>) {
        self.drop_replaced(headers);
        headers.extend(self.headers.into_iter().map(|(n, v)| (n.to_string(), v)));
    }

    fn drop_replaced(&self, headers: &mut Vec<(String, String)>) {
        headers.retain(|(n, _)| {
            !self.headers.iter().any(|(s, _)| s.eq_ignore_ascii_case(n))
                && !self
                    .remove_headers
                    .iter()
                    .any(|r| r.eq_ignore_ascii_case(n))
        });
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| {
                if n.eq_ignore_ascii_case(X_AMZ_SECURITY_TOKEN)
                    || n.eq_ignore_ascii_case(X_AMZ_S3SESSION_TOKEN)
                {
                    (*n, "** redacted **")
                } else {
                    (*n, v.as_str())
                }
            })
            .collect();
        f.debug_struct("SigningOutput")
            .field("headers", &headers)
            .field("remove_headers", &self.remove_headers)
            .field("signature", &self.signature)
            .field(
                "canonical_request",
                &format_args!("<{} bytes>", self.canonical_request.len()),
            )
            .field("string_to_sign", &self.string_to_sign)
            .finish()
    }
}

/// Hash of the body as botocore's `payload()` computes it.
pub(crate) fn payload_hash(body: &SignableBody<'_>) -> String {
    match body {
        SignableBody::Bytes(b) => sha256_hex(b),
        SignableBody::Precomputed(h) => h.to_string(),
        SignableBody::UnsignedPayload => UNSIGNED_PAYLOAD.to_string(),
        SignableBody::StreamingUnsignedPayloadTrailer => {
            STREAMING_UNSIGNED_PAYLOAD_TRAILER.to_string()
        }
        SignableBody::StreamingSignedPayloadTrailer => STREAMING_SIGNED_PAYLOAD_TRAILER.to_string(),
    }
}

/// Validated (name, UTF-8 value) view of the request headers.
pub(crate) fn request_headers<'r>(
    request: &'r SignableRequest<'_>,
) -> Result<Vec<(&'r str, &'r str)>, SigningError> {
    // Sized up front: collecting `Result`s gives the vector no size hint, so
    // it grew (and reallocated) as it filled.
    let mut out = Vec::with_capacity(request.headers.len());
    for (n, v) in &request.headers {
        check_header_name(n)?;
        out.push((*n, header_value_str(n, v)?));
    }
    Ok(out)
}

/// Sign `request` with SigV4 in the `Authorization` header.
///
/// Follows botocore: removes any old `Authorization`; sets `X-Amz-Date` (or
/// rewrites `Date` if present); adds `X-Amz-Security-Token` when the
/// credentials have one; adds `X-Amz-Content-SHA256` for S3 settings or an
/// unsigned payload. If the request has no `Host` header one is derived from
/// the authority and signed — the HTTP client must send the same value (it
/// does by default: lowercase host, default port omitted).
///
/// The `get-vanilla` case of the AWS SigV4 test suite (botocore's
/// `SigV4Auth.add_auth` gives the same signature):
///
/// ```
/// use boto_auth::sigv4::{sign, SignableRequest, SigningParams};
/// use boto_auth::Credentials;
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let creds = Credentials::new(
///     "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None, None, "explicit");
/// let request = SignableRequest::new("GET", "https", "example.amazonaws.com", "/");
/// let when = UNIX_EPOCH + Duration::from_secs(1_440_938_160); // 2015-08-30T12:36:00Z
/// let out = sign(&request, &creds, &SigningParams::new("us-east-1", "service", when)).unwrap();
/// let auth = out.headers().iter().find(|(k, _)| *k == "Authorization").unwrap();
/// assert_eq!(auth.1, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
///     SignedHeaders=host;x-amz-date, \
///     Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
/// assert!(!format!("{creds:?}").contains("EXAMPLEKEY")); // secrets never print
/// ```
pub fn sign(
    request: &SignableRequest<'_>,
    credentials: &Credentials,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    let settings = &params.settings;
    let now = UtcTime::from_system_time(params.time)?;
    let amz_date = now.amz_date();
    let headers_in = request_headers(request)?;
    let has = |name: &str| headers_in.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));

    let mut set: Vec<(&'static str, String)> = Vec::with_capacity(4);
    let mut remove: Vec<&'static str> = Vec::new();
    if has(DATE) {
        set.push((DATE, now.rfc2822()));
        remove.push(X_AMZ_DATE);
    } else {
        set.push((X_AMZ_DATE, amz_date.clone()));
    }
    let token = credentials.session_token();
    if let (Some(t), SessionTokenMode::Signed) = (token, settings.session_token_mode) {
        set.push((X_AMZ_SECURITY_TOKEN, t.to_string()));
    }
    let computed = payload_hash(&request.body);
    if settings.content_sha256_header || request.body == SignableBody::UnsignedPayload {
        set.push((X_AMZ_CONTENT_SHA256, computed.clone()));
    }
    // `S3ExpressAuth`: the session token after the S3 headers, and never an
    // `X-Amz-Security-Token` (a stale one on the request is dropped).
    if settings.session_token_mode == SessionTokenMode::S3Express {
        if let Some(t) = token {
            set.push((X_AMZ_S3SESSION_TOKEN, t.to_string()));
        }
        remove.push(X_AMZ_SECURITY_TOKEN);
    }

    // The signed header list: the request's own headers minus the ones being
    // replaced or removed, then the new ones (as botocore mutates then reads).
    // Room for the request's headers, the ones set here and `host`.
    let mut to_sign = HeaderSet::with_capacity(headers_in.len() + set.len() + 1);
    let mut existing_sha: Option<&str> = None;
    for (name, value) in &headers_in {
        let replaced = set.iter().any(|(s, _)| s.eq_ignore_ascii_case(name))
            || remove.iter().any(|r| r.eq_ignore_ascii_case(name))
            || name.eq_ignore_ascii_case(AUTHORIZATION);
        if replaced {
            continue;
        }
        if existing_sha.is_none() && name.eq_ignore_ascii_case(X_AMZ_CONTENT_SHA256) {
            existing_sha = Some(value);
        }
        if !is_blacklisted(name) {
            to_sign.push(name, value);
        }
    }
    for (name, value) in &set {
        to_sign.push(name, value);
    }
    let host;
    if !to_sign.contains("host") {
        host = host_from_authority(request.scheme, request.authority)?;
        to_sign.push("host", &host);
    }
    let payload = match set.iter().find(|(n, _)| *n == X_AMZ_CONTENT_SHA256) {
        Some((_, v)) => v.as_str(),
        None => existing_sha.unwrap_or(&computed),
    };

    let (header_block, signed_headers) = to_sign.canonicalize();
    let path = canonical_path(
        request.path,
        settings.normalize_uri_path,
        settings.double_encode_path,
    );
    let query = canonical_query(&request.query);
    let creq = canonical_request(
        request.method,
        &path,
        &query,
        &header_block,
        &signed_headers,
        payload,
    );
    let scope = credential_scope(&amz_date[..8], params.region, params.service);
    let sts = string_to_sign(&amz_date, &scope, &creq);
    let key = signing_key(
        credentials.secret_access_key(),
        &amz_date[..8],
        params.region,
        params.service,
    );
    let signature = sign_hex(&key, &sts);

    if let (Some(t), SessionTokenMode::Unsigned) = (token, settings.session_token_mode) {
        set.push((X_AMZ_SECURITY_TOKEN, t.to_string()));
    }
    let key_id = credentials.access_key_id();
    let mut auth = String::with_capacity(
        ALGORITHM.len() + 48 + key_id.len() + scope.len() + signed_headers.len() + signature.len(),
    );
    for part in [
        ALGORITHM,
        " Credential=",
        key_id,
        "/",
        &scope,
        ", SignedHeaders=",
        &signed_headers,
        ", Signature=",
        &signature,
    ] {
        auth.push_str(part);
    }
    set.push((AUTHORIZATION, auth));
    Ok(SigningOutput {
        headers: set,
        remove_headers: remove,
        signature,
        canonical_request: creq,
        string_to_sign: sts,
    })
}
