//! Query-string presigning (`SigV4QueryAuth` / `S3SigV4QueryAuth`).
//!
//! A presigned URL carries the whole signature in its query so that anyone
//! holding it can make exactly that request until it expires. botocore builds
//! the query as the operation's own parameters followed by the auth
//! parameters, and appends `X-Amz-Signature` last; the same order is kept
//! here so URLs match boto3's byte-for-byte.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use super::canonical::{
    canonical_path, canonical_query, canonical_request, credential_scope, host_from_authority,
    is_blacklisted, percent_encode, string_to_sign, HeaderSet,
};
use super::key_cache::{sign_hex, signing_key};
use super::request::{SessionTokenMode, SignableRequest, SigningParams};
use super::sign::{payload_hash, request_headers};
use super::time::UtcTime;
use super::{SigningError, ALGORITHM, MAX_PRESIGN_EXPIRY_SECS, UNSIGNED_PAYLOAD};
use crate::Credentials;

/// The content type botocore adds to every request by default; it is dropped
/// from presigned URLs because the eventual client will not send it.
const DEFAULT_FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// A presigned URL and how it was made (SigV4's and SigV4a's alike).
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedUrl {
    url: String,
    signed_headers: String,
    signature: String,
    canonical_request: String,
    string_to_sign: String,
    expires_in: Duration,
}

impl PresignedUrl {
    pub(crate) fn new(
        url: String,
        signed_headers: String,
        signature: String,
        canonical_request: String,
        string_to_sign: String,
        expires_in: Duration,
    ) -> Self {
        PresignedUrl {
            url,
            signed_headers,
            signature,
            canonical_request,
            string_to_sign,
            expires_in,
        }
    }

    /// The full URL. It embeds the session token (if any): treat it as a secret.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Consume into the URL string.
    pub fn into_url(self) -> String {
        self.url
    }

    /// `;`-joined lowercase names of the headers the eventual request must
    /// send with the same values (normally just `host`).
    pub fn signed_headers(&self) -> &str {
        &self.signed_headers
    }

    /// The hex signature (`X-Amz-Signature`): an HMAC for SigV4, a DER
    /// ECDSA signature for SigV4a.
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

    /// How long the URL is valid.
    pub fn expires_in(&self) -> Duration {
        self.expires_in
    }
}

/// `url` with every query value hidden except the non-secret auth
/// parameters: operation parameters are user data and the token is a secret.
pub(crate) fn redact_query_values(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let parts: Vec<Cow<'_, str>> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _))
                if !k.starts_with("X-Amz-")
                    || k == "X-Amz-Security-Token"
                    || k == "X-Amz-S3session-Token" =>
            {
                Cow::Owned(format!("{k}=**redacted**"))
            }
            _ => Cow::Borrowed(p),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

impl fmt::Debug for PresignedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedUrl")
            .field("url", &redact_query_values(&self.url))
            .field("signed_headers", &self.signed_headers)
            .field("signature", &self.signature)
            .field(
                "canonical_request",
                &format_args!("<{} bytes>", self.canonical_request.len()),
            )
            .field("string_to_sign", &self.string_to_sign)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// Check a presign validity: whole seconds in 1 ..= 7 days.
pub(crate) fn validate_expiry(expires_in: Duration) -> Result<u64, SigningError> {
    let secs = expires_in.as_secs();
    if secs == 0 || secs > MAX_PRESIGN_EXPIRY_SECS || expires_in.subsec_nanos() != 0 {
        return Err(SigningError::InvalidExpiry { seconds: secs });
    }
    Ok(secs)
}

/// Presign `request` into a URL valid for `params.settings.expires_in`.
///
/// The request's query parameters come first, then `X-Amz-Algorithm`,
/// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`,
/// `X-Amz-Security-Token` (if any), then `X-Amz-Signature`. Headers on the
/// request (other than botocore's blacklist and its default form content type)
/// are signed and must be sent with the URL. For query-protocol services put
/// the form parameters in the query: a presigned request has no body.
pub fn presign(
    request: &SignableRequest<'_>,
    credentials: &Credentials,
    params: &SigningParams<'_>,
) -> Result<PresignedUrl, SigningError> {
    let settings = &params.settings;
    let expires = validate_expiry(settings.expires_in)?;
    let now = UtcTime::from_system_time(params.time)?;
    let amz_date = now.amz_date();
    let headers_in = request_headers(request)?;

    let mut to_sign = HeaderSet::with_capacity(headers_in.len() + 1);
    let mut existing_sha: Option<&str> = None;
    for (name, value) in &headers_in {
        let lower = name.to_lowercase();
        if lower == "authorization"
            || is_blacklisted(&lower)
            || (lower == "content-type" && *value == DEFAULT_FORM_CONTENT_TYPE)
        {
            continue;
        }
        if existing_sha.is_none() && lower == "x-amz-content-sha256" {
            existing_sha = Some(value);
        }
        to_sign.push(name, value);
    }
    let host;
    if !to_sign.contains("host") {
        host = host_from_authority(request.scheme, request.authority)?;
        to_sign.push("host", &host);
    }
    let (header_block, signed_headers) = to_sign.canonicalize();

    let scope = credential_scope(&amz_date[..8], params.region, params.service);
    let credential = format!("{}/{scope}", credentials.access_key_id());
    let token = credentials.session_token();
    let expires_str = expires.to_string();
    let mut auth: Vec<(&str, &str)> = vec![
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Date", &amz_date),
        ("X-Amz-Expires", &expires_str),
        ("X-Amz-SignedHeaders", &signed_headers),
    ];
    match (token, settings.session_token_mode) {
        (Some(t), SessionTokenMode::Signed) => auth.push(("X-Amz-Security-Token", t)),
        (Some(t), SessionTokenMode::S3Express) => auth.push(("X-Amz-S3session-Token", t)),
        _ => {}
    }
    let mut pairs: Vec<(Cow<'_, str>, Cow<'_, str>)> = request.query.clone();
    pairs.extend(
        auth.iter()
            .map(|(k, v)| (Cow::Borrowed(*k), Cow::Owned(percent_encode(v)))),
    );

    let payload = match existing_sha {
        Some(v) => v.to_string(),
        None if settings.presign_unsigned_payload => UNSIGNED_PAYLOAD.to_string(),
        None => payload_hash(&request.body),
    };

    let path = canonical_path(
        request.path,
        settings.normalize_uri_path,
        settings.double_encode_path,
    );
    let creq = canonical_request(
        request.method,
        &path,
        &canonical_query(&pairs),
        &header_block,
        &signed_headers,
        &payload,
    );
    let sts = string_to_sign(&amz_date, &scope, &creq);
    let key = signing_key(
        credentials.secret_access_key(),
        &amz_date[..8],
        params.region,
        params.service,
    );
    let signature = sign_hex(&key, &sts);

    let unsigned_token =
        token.filter(|_| settings.session_token_mode == SessionTokenMode::Unsigned);
    let url = presigned_url(request, &pairs, &signature, unsigned_token);
    Ok(PresignedUrl::new(
        url,
        signed_headers,
        signature,
        creq,
        sts,
        settings.expires_in,
    ))
}

/// The URL of a presigned request: the request's scheme, authority and path,
/// the query `pairs` (already encoded), then `X-Amz-Signature`, then an
/// unsigned session token (S3's rule: the token is appended after signing).
/// Shared with SigV4a, whose URLs have the same layout.
pub(crate) fn presigned_url(
    request: &SignableRequest<'_>,
    pairs: &[(Cow<'_, str>, Cow<'_, str>)],
    signature: &str,
    unsigned_token: Option<&str>,
) -> String {
    let mut url = String::with_capacity(256);
    url.push_str(request.scheme);
    url.push_str("://");
    url.push_str(request.authority);
    url.push_str(request.path);
    url.push('?');
    for (k, v) in pairs {
        url.push_str(k);
        url.push('=');
        url.push_str(v);
        url.push('&');
    }
    url.push_str("X-Amz-Signature=");
    url.push_str(signature);
    if let Some(t) = unsigned_token {
        url.push_str("&X-Amz-Security-Token=");
        url.push_str(&percent_encode(t));
    }
    url
}
