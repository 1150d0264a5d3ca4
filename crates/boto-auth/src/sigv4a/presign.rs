//! SigV4a query-string presigning (botocore's `CrtSigV4AsymQueryAuth` /
//! `CrtS3SigV4AsymQueryAuth`).
//!
//! The URL keeps the request's own query parameters first, then
//! `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-SignedHeaders`,
//! `X-Amz-Expires`, `X-Amz-Security-Token` (if signed), `X-Amz-Region-Set`,
//! and `X-Amz-Signature` last, the order awscrt writes them.

use std::borrow::Cow;

use super::key::SigningKey;
use super::{
    check_region_set, credential_scope, string_to_sign, SigningParams, Sigv4aError, ALGORITHM,
    REGION_SET_HEADER,
};
use crate::sigv4::canonical::{
    canonical_path, canonical_query, canonical_request, host_from_authority, is_blacklisted,
    percent_encode, HeaderSet,
};
use crate::sigv4::presign::{presigned_url, validate_expiry};
use crate::sigv4::sign::{payload_hash, request_headers};
use crate::sigv4::time::UtcTime;
pub use crate::sigv4::PresignedUrl;
use crate::sigv4::{SessionTokenMode, SignableRequest, UNSIGNED_PAYLOAD};
use crate::Credentials;

/// The content type botocore adds to every request; not signed when presigning.
const DEFAULT_FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// Presign `request` with SigV4a into a URL valid for `params.settings.expires_in`.
///
/// Headers on the request (other than botocore's blacklist, old auth
/// parameters and its default form content type) are signed and must be sent
/// with the URL. The payload is the body hash, or `UNSIGNED-PAYLOAD` with
/// S3's settings; a request's own `X-Amz-Content-SHA256` header wins.
pub fn presign(
    request: &SignableRequest<'_>,
    credentials: &Credentials,
    params: &SigningParams<'_>,
) -> Result<PresignedUrl, Sigv4aError> {
    check_region_set(params.region_set)?;
    let settings = &params.settings;
    let expires = validate_expiry(settings.expires_in)?;
    let now = UtcTime::from_system_time(params.time)?;
    let amz_date = now.amz_date();
    let headers_in = request_headers(request)?;

    let mut to_sign = HeaderSet::default();
    let mut existing_sha: Option<&str> = None;
    for (name, value) in &headers_in {
        let lower = name.to_lowercase();
        if matches!(
            lower.as_str(),
            "authorization" | "x-amz-date" | "x-amz-security-token" | "x-amz-region-set"
        ) || is_blacklisted(&lower)
            || (lower == "content-type" && *value == DEFAULT_FORM_CONTENT_TYPE)
        {
            continue;
        }
        if lower == "x-amz-content-sha256" {
            existing_sha = existing_sha.or(Some(value.trim()));
            continue;
        }
        to_sign.push(name, value);
    }
    let host;
    if !to_sign.contains("host") {
        host = host_from_authority(request.scheme, request.authority)?;
        to_sign.push("host", &host);
    }
    let (header_block, signed_headers) = to_sign.canonicalize();

    let scope = credential_scope(&amz_date[..8], params.service);
    let credential = format!("{}/{scope}", credentials.access_key_id());
    let token = credentials.session_token();
    let expires_str = expires.to_string();
    let mut auth: Vec<(&str, &str)> = vec![
        ("X-Amz-Algorithm", ALGORITHM),
        ("X-Amz-Credential", &credential),
        ("X-Amz-Date", &amz_date),
        ("X-Amz-SignedHeaders", &signed_headers),
        ("X-Amz-Expires", &expires_str),
    ];
    if let (Some(t), SessionTokenMode::Signed) = (token, settings.session_token_mode) {
        auth.push(("X-Amz-Security-Token", t));
    }
    auth.push((REGION_SET_HEADER, params.region_set));
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
    let key = SigningKey::derive(credentials.access_key_id(), credentials.secret_access_key())?;
    let signature = key.sign_hex(&sts)?;

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
