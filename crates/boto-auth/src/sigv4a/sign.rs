//! SigV4a header signing (botocore's `CrtSigV4AsymAuth.add_auth` /
//! `CrtS3SigV4AsymAuth.add_auth`, which hand the request to awscrt).
//!
//! Like [`sigv4::sign`](crate::sigv4::sign) this does not touch the request:
//! it returns the headers to set and to remove, with the canonical request and
//! string to sign for debugging and for the test corpus.

use super::key::SigningKey;
use super::{
    check_region_set, credential_scope, string_to_sign, SigningParams, Sigv4aError, ALGORITHM,
    REGION_SET_HEADER,
};
use crate::sigv4::canonical::{
    canonical_path, canonical_query, canonical_request, host_from_authority, is_blacklisted,
    HeaderSet,
};
use crate::sigv4::sign::{payload_hash, request_headers};
use crate::sigv4::time::UtcTime;
use crate::sigv4::{SessionTokenMode, SignableBody, SignableRequest, SigningOutput};
use crate::Credentials;

const X_AMZ_DATE: &str = "X-Amz-Date";
const X_AMZ_SECURITY_TOKEN: &str = "X-Amz-Security-Token";
const X_AMZ_CONTENT_SHA256: &str = "X-Amz-Content-SHA256";
const AUTHORIZATION: &str = "Authorization";

/// Sign `request` with SigV4a in the `Authorization` header.
///
/// Follows botocore's CRT signer: any old `Authorization`, `X-Amz-Date`,
/// `X-Amz-Security-Token`, `X-Amz-Content-SHA256` and `X-Amz-Region-Set`
/// are replaced; `X-Amz-Date` and `X-Amz-Region-Set` are set and signed;
/// `X-Amz-Security-Token` is added when the credentials have a token (signed
/// unless [`SessionTokenMode::Unsigned`]); `X-Amz-Content-SHA256` is sent
/// for S3 settings (recomputed), for a placeholder payload (`UNSIGNED-PAYLOAD`,
/// streaming) and when the request already carried one (its value is then the
/// payload hash). A `Host` header is derived from the authority if absent.
///
/// ```
/// use boto_auth::sigv4a::{sign, verify_signature, SignableRequest, SigningKey, SigningParams};
/// use boto_auth::Credentials;
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let creds = Credentials::new(
///     "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None, None, "explicit");
/// let request = SignableRequest::new("GET", "https", "example.amazonaws.com", "/");
/// let when = UNIX_EPOCH + Duration::from_secs(1_440_938_160); // 2015-08-30T12:36:00Z
/// let out = sign(&request, &creds, &SigningParams::new("us-east-1,us-west-2", "service", when))
///     .unwrap();
/// assert!(out.string_to_sign().starts_with(
///     "AWS4-ECDSA-P256-SHA256\n20150830T123600Z\n20150830/service/aws4_request\n"));
/// let key = SigningKey::derive("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap();
/// assert!(verify_signature(&key.public_key_sec1(), out.string_to_sign(), out.signature()));
/// assert!(!format!("{key:?}").contains("EXAMPLEKEY")); // secrets never print
/// ```
pub fn sign(
    request: &SignableRequest<'_>,
    credentials: &Credentials,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, Sigv4aError> {
    check_region_set(params.region_set)?;
    let settings = &params.settings;
    let now = UtcTime::from_system_time(params.time)?;
    let amz_date = now.amz_date();
    let headers_in = request_headers(request)?;

    // A caller's X-Amz-Content-SHA256 is the payload hash, except with S3's
    // settings, where botocore (`CrtS3SigV4AsymAuth`) always recomputes it.
    let existing_sha = headers_in
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(X_AMZ_CONTENT_SHA256))
        .filter(|_| !settings.content_sha256_header)
        .map(|(_, v)| v.trim().to_string());
    let (payload, sha_header) = match (&request.body, existing_sha) {
        (SignableBody::Bytes(_), Some(v)) => (v, true),
        (SignableBody::Bytes(_), None) | (SignableBody::Precomputed(_), _) => {
            (payload_hash(&request.body), settings.content_sha256_header)
        }
        (_, _) => (payload_hash(&request.body), true),
    };

    let mut set: Vec<(&'static str, String)> = Vec::with_capacity(5);
    let token = credentials.session_token();
    if let (Some(t), SessionTokenMode::Signed) = (token, settings.session_token_mode) {
        set.push((X_AMZ_SECURITY_TOKEN, t.to_string()));
    }
    set.push((X_AMZ_DATE, amz_date.clone()));
    set.push((REGION_SET_HEADER, params.region_set.to_string()));
    if sha_header {
        set.push((X_AMZ_CONTENT_SHA256, payload.clone()));
    }
    // Old auth headers this signature does not set again.
    let remove: Vec<&'static str> = [X_AMZ_SECURITY_TOKEN, X_AMZ_CONTENT_SHA256]
        .into_iter()
        .filter(|r| !set.iter().any(|(n, _)| n == r))
        .filter(|r| headers_in.iter().any(|(n, _)| n.eq_ignore_ascii_case(r)))
        .collect();

    let mut to_sign = HeaderSet::default();
    for (name, value) in &headers_in {
        let replaced = set.iter().any(|(s, _)| s.eq_ignore_ascii_case(name))
            || remove.iter().any(|r| r.eq_ignore_ascii_case(name))
            || name.eq_ignore_ascii_case(AUTHORIZATION)
            || name.eq_ignore_ascii_case(X_AMZ_SECURITY_TOKEN);
        if !replaced && !is_blacklisted(name) {
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

    let (header_block, signed_headers) = to_sign.canonicalize();
    let path = canonical_path(
        request.path,
        settings.normalize_uri_path,
        settings.double_encode_path,
    );
    let creq = canonical_request(
        request.method,
        &path,
        &canonical_query(&request.query),
        &header_block,
        &signed_headers,
        &payload,
    );
    let scope = credential_scope(&amz_date[..8], params.service);
    let sts = string_to_sign(&amz_date, &scope, &creq);
    let key = SigningKey::derive(credentials.access_key_id(), credentials.secret_access_key())?;
    let signature = key.sign_hex(&sts)?;

    if let (Some(t), SessionTokenMode::Unsigned) = (token, settings.session_token_mode) {
        set.push((X_AMZ_SECURITY_TOKEN, t.to_string()));
    }
    set.push((
        AUTHORIZATION,
        format!(
            "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
            credentials.access_key_id()
        ),
    ));
    Ok(SigningOutput {
        headers: set,
        remove_headers: remove,
        signature,
        canonical_request: creq,
        string_to_sign: sts,
    })
}
