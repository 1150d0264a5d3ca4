//! Applying the chosen [`AuthScheme`] to one attempt, or to a presigned URL.
//!
//! botocore's `RequestSigner.sign` / `generate_presigned_url`: the common
//! headers every attempt carries (`User-Agent`, `amz-sdk-invocation-id`,
//! `amz-sdk-request`, `Content-Length`), then the scheme's signature, then
//! the `modify_before_transmit` hooks. S3 Express requests sign SigV4 with
//! their bucket's session credentials (botocore's `S3ExpressAuth` /
//! `S3ExpressQueryAuth`, the identity from `S3ExpressIdentityCache`).

use super::{AuthScheme, Scope};
use crate::client::ClientInner;
use crate::error::{Error, ErrorKind};
use crate::http::{HttpRequest, RequestBody};
use crate::interceptor::CallInfo;
use crate::pipeline::Prepared;
use boto_auth::sigv4::{self, SessionTokenMode, SignableBody, SignableRequest, SigningSettings};
use boto_auth::{sigv2, sigv4a, Credentials};
use std::fmt::Write as _;
use tracing::debug;

/// Builds and signs the HTTP request of one attempt.
pub(crate) async fn sign_attempt(
    c: &ClientInner,
    p: &Prepared<'_>,
    attempt: u32,
) -> Result<HttpRequest, Error> {
    // Room for the prepared headers, the four added here and the signature's
    // (Authorization, X-Amz-Date, X-Amz-Content-SHA256, the session token).
    let mut headers = Vec::with_capacity(p.headers.len() + 8);
    headers.extend_from_slice(&p.headers);
    headers.push(("User-Agent".into(), c.user_agent.clone()));
    headers.push(("amz-sdk-invocation-id".into(), p.invocation_id.clone()));
    let mut request_header = String::with_capacity(32);
    let _ = write!(
        request_header,
        "attempt={attempt}; max={}",
        c.retry.max_attempts
    );
    headers.push(("amz-sdk-request".into(), request_header));
    let mut body = p.body.clone();
    // SigV2 puts its signature into the form body, so it signs before the
    // length is known.
    if p.auth == AuthScheme::SigV2 {
        let creds = credentials(c, attempt).await?;
        body = sign_v2(c, p, &creds)?;
    }
    // A trailing checksum frames the body `aws-chunked`; the signed variant
    // gets its chunk signer once the seed signature is known.
    let mut chunked = match p.signing.trailing_checksum {
        Some(t) => Some(crate::aws_chunked::AwsChunkedBody::new(
            body.clone(),
            t.algorithm,
        )?),
        None => None,
    };
    let send_len = chunked
        .as_ref()
        .map_or(body.len(), |c| c.encoded_len_if_signed(signed_chunks(p)));
    // botocore (`AWSRequestPreparer._prepare_headers`): every method but
    // GET/HEAD/OPTIONS states its length, even of an empty body; those three
    // never do (so it is not signed), though the transport still frames a
    // body they carry (EFS `DescribeAccountPreferences` is a GET with JSON).
    if !matches!(p.method.as_str(), "GET" | "HEAD" | "OPTIONS") {
        headers.push(("Content-Length".into(), send_len.to_string()));
    }
    match &p.auth {
        AuthScheme::None | AuthScheme::SigV2 => {}
        AuthScheme::Bearer => {
            let provider = c.token.as_ref().ok_or_else(|| {
                Error::new(
                    ErrorKind::Credentials,
                    "this operation needs a bearer token: configure an sso_session in the profile (and run \
                     `aws sso login`) or set AWS_BEARER_TOKEN_<SERVICE>",
                )
            })?;
            let token = provider.token().await?;
            let (name, value) = sigv4::bearer_authorization(&token)?;
            headers.push((name.to_string(), value));
        }
        AuthScheme::SigV4(scope)
        | AuthScheme::SigV4a(scope)
        | AuthScheme::SigV4S3Express(scope) => {
            let (creds, token_mode) = signing_credentials(c, p, attempt).await?;
            let mut settings = settings(p);
            settings.session_token_mode = token_mode;
            // An aws-chunked body always names its payload mode in
            // X-Amz-Content-SHA256, whatever the service's signing rules.
            if chunked.is_some() {
                settings.content_sha256_header = true;
            }
            let payload_hash;
            let signable = match (&body, p.signing.unsigned_payload) {
                _ if chunked.is_some() && signed_chunks(p) => {
                    SignableBody::StreamingSignedPayloadTrailer
                }
                _ if chunked.is_some() => SignableBody::StreamingUnsignedPayloadTrailer,
                (_, true) => SignableBody::UnsignedPayload,
                // S3 over TLS streams files unsigned, as botocore does; other
                // services (Glacier) need the real payload hash.
                (RequestBody::File { .. }, false)
                    if p.target.scheme() == "https" && p.signing.s3_rules =>
                {
                    SignableBody::UnsignedPayload
                }
                (RequestBody::File { path, offset, len }, false) => {
                    payload_hash = hash_file(path, *offset, *len).await?;
                    SignableBody::Precomputed(payload_hash.as_str().into())
                }
                (b, false) => SignableBody::Bytes(b.bytes().unwrap_or_default()),
            };
            let mut req = signable_request(p);
            for (k, v) in &headers {
                req.push_header(k, v);
            }
            let req = req.body(signable);
            let now = c.now();
            let out = if matches!(p.auth, AuthScheme::SigV4a(_)) {
                let params =
                    sigv4a::SigningParams::new(&scope.signing_region, &scope.signing_name, now)
                        .with_settings(settings);
                sigv4a::sign(&req, &creds, &params)?
            } else {
                let params =
                    sigv4::SigningParams::new(&scope.signing_region, &scope.signing_name, now)
                        .with_settings(settings.clone());
                let out = sigv4::sign(&req, &creds, &params)?;
                if signed_chunks(p) {
                    if let Some(c) = chunked.take() {
                        let signer = sigv4::ChunkSigner::new(&creds, &params, out.signature())?;
                        chunked = Some(c.signed(signer));
                    }
                }
                out
            };
            out.apply_into(&mut headers);
            if let Some((_, v)) = headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            {
                debug!(attempt, "Authorization: {}", authorization_summary(v));
            }
        }
    }
    let mut http = HttpRequest {
        method: p.method.clone(),
        url: p.target.url().to_string(),
        headers,
        body: match chunked {
            Some(c) => RequestBody::AwsChunked(std::sync::Arc::new(c)),
            None => body,
        },
    };
    let call = CallInfo {
        model: &c.model,
        operation: p.op,
        config: &c.config,
        presigning: false,
    };
    for i in &c.interceptors {
        i.modify_before_transmit(&call, &mut http)?;
    }
    Ok(http)
}

/// The prepared call's method and URL as the signers take them (headers and
/// body are added by each caller).
pub(crate) fn signable_request<'p>(p: &'p Prepared<'_>) -> SignableRequest<'p> {
    let t = &p.target;
    SignableRequest::new(&p.method, t.scheme(), t.authority(), t.path()).encoded_query(t.query())
}

/// A URL anyone can use for `expires_in` to make the prepared call (no body).
pub(crate) async fn presign_url(
    c: &ClientInner,
    p: &Prepared<'_>,
    expires_in: std::time::Duration,
) -> Result<String, Error> {
    let scope: &Scope = match &p.auth {
        AuthScheme::None => return Ok(p.target.url().to_string()),
        AuthScheme::SigV4(s) | AuthScheme::SigV4a(s) | AuthScheme::SigV4S3Express(s) => s,
        AuthScheme::Bearer | AuthScheme::SigV2 => {
            return Err(Error::new(
                ErrorKind::Construction,
                format!(
                    "cannot presign a URL for {}.{}: its auth scheme ({}) has no presigned form \
                     in boto-rs",
                    c.model.service_name,
                    p.op.name,
                    p.auth.name()
                ),
            ))
        }
    };
    let (creds, token_mode) = signing_credentials(c, p, 1).await?;
    let mut settings = settings(p).with_expires_in(expires_in);
    settings.session_token_mode = token_mode;
    let mut req = signable_request(p);
    for (k, v) in &p.headers {
        if !k.eq_ignore_ascii_case("content-type") {
            req.push_header(k, v);
        }
    }
    let now = c.now();
    Ok(if matches!(p.auth, AuthScheme::SigV4a(_)) {
        let params = sigv4a::SigningParams::new(&scope.signing_region, &scope.signing_name, now)
            .with_settings(settings);
        sigv4a::presign(&req, &creds, &params)?.into_url()
    } else {
        let params = sigv4::SigningParams::new(&scope.signing_region, &scope.signing_name, now)
            .with_settings(settings);
        sigv4::presign(&req, &creds, &params)?.into_url()
    })
}

/// S3's signing rules or the default ones.
fn settings(p: &Prepared<'_>) -> SigningSettings {
    let double = p.auth.scope().is_some_and(|s| s.disable_double_encoding);
    if p.signing.s3_rules || double {
        SigningSettings::s3()
    } else {
        SigningSettings::default()
    }
}

/// The credentials a SigV4-family scheme signs with, and where its session
/// token goes: the client's, or for S3 Express the bucket's session
/// (opened with the client's).
async fn signing_credentials(
    c: &ClientInner,
    p: &Prepared<'_>,
    attempt: u32,
) -> Result<(Credentials, SessionTokenMode), Error> {
    let caller = credentials(c, attempt).await?;
    if !matches!(p.auth, AuthScheme::SigV4S3Express(_)) {
        return Ok((caller, SessionTokenMode::Signed));
    }
    // Boxed: directory buckets only, and the session's state would otherwise
    // sit in every signed call's future.
    match Box::pin(crate::customizations::s3::express::session_credentials(
        c, p, &caller,
    ))
    .await?
    {
        Some(session) => Ok((session, SessionTokenMode::S3Express)),
        None => Ok((caller, SessionTokenMode::Signed)),
    }
}

async fn credentials(c: &ClientInner, attempt: u32) -> Result<Credentials, Error> {
    let creds = c
        .credentials
        .as_ref()
        .ok_or_else(|| Error::new(ErrorKind::Credentials, "Unable to locate credentials"))?
        .provide()
        .await?;
    if attempt == 1 {
        debug!(provider = creds.provider(), "{}", creds.found_message());
    }
    Ok(creds)
}

/// SigV2: the auth parameters and signature join the form body (a POST) or
/// the query (a GET without body).
fn sign_v2(c: &ClientInner, p: &Prepared<'_>, creds: &Credentials) -> Result<RequestBody, Error> {
    let form = match &p.body {
        RequestBody::Empty => &[][..],
        RequestBody::Bytes(b) => &b[..],
        _ => {
            return Err(Error::new(
                ErrorKind::Construction,
                "SigV2 signs form bodies only, not streamed ones",
            ))
        }
    };
    if p.method != "POST" {
        return Err(Error::new(
            ErrorKind::Construction,
            format!("SigV2 signing of {} requests is not supported", p.method),
        ));
    }
    let form = std::str::from_utf8(form)
        .map_err(|_| Error::new(ErrorKind::Construction, "SigV2: the form body is not UTF-8"))?;
    let params = decode_form(form);
    let signed = sigv2::sign(
        &p.method,
        p.target.authority(),
        p.target.path(),
        &params,
        creds,
        c.now(),
    )?;
    debug!("SigV2 string to sign: {:?}", signed.string_to_sign());
    Ok(RequestBody::Bytes(signed.to_form().into_bytes().into()))
}

/// `application/x-www-form-urlencoded` pairs, decoded (`+` is a space).
fn decode_form(form: &str) -> Vec<(String, String)> {
    let dec = |s: &str| -> String {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'+' => out.push(b' '),
                b'%' => match s.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16)) {
                    Some(Ok(n)) => {
                        out.push(n);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                },
                x => out.push(x),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    form.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (dec(k), dec(v))
        })
        .collect()
}

/// Whether this call's `aws-chunked` body carries chunk signatures (SigV4 only).
pub(crate) fn signed_chunks(p: &Prepared<'_>) -> bool {
    matches!(p.auth, AuthScheme::SigV4(_) | AuthScheme::SigV4S3Express(_))
        && p.signing.trailing_checksum.is_some_and(|t| t.signed)
}

async fn hash_file(path: &std::path::Path, offset: u64, len: u64) -> Result<String, Error> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    let err =
        |e: std::io::Error| Error::construction(format!("cannot read {}: {e}", path.display()));
    let mut f = tokio::fs::File::open(path).await.map_err(err)?;
    f.seek(std::io::SeekFrom::Start(offset))
        .await
        .map_err(err)?;
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let mut left = len;
    let mut buf = vec![0u8; 256 * 1024];
    while left > 0 {
        let n = f
            .read(&mut buf[..left.min(256 * 1024) as usize])
            .await
            .map_err(err)?;
        if n == 0 {
            return Err(Error::construction(format!(
                "{} is shorter than expected",
                path.display()
            )));
        }
        ctx.update(&buf[..n]);
        left -= n as u64;
    }
    Ok(ctx
        .finish()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// An Authorization header without its signature, for `--debug`: the scheme,
/// `Credential=<access key id>/<date>/<region>/<service>/aws4_request` and
/// `SignedHeaders=...` (none of it secret); a bearer token is not shown.
pub(crate) fn authorization_summary(value: &str) -> String {
    let Some((scheme, rest)) = value.split_once(' ') else {
        return "<redacted>".into();
    };
    if !scheme.starts_with("AWS4-") {
        return format!("{scheme} <redacted>");
    }
    let kept: Vec<&str> = rest
        .split(',')
        .map(str::trim)
        .filter(|p| p.starts_with("Credential=") || p.starts_with("SignedHeaders="))
        .collect();
    format!("{scheme} {}", kept.join(", "))
}
