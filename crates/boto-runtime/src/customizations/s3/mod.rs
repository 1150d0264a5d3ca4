//! S3's request-side customizations.
//!
//! S3 is the service botocore special-cases most: the endpoint rules already
//! place the bucket in the URL, keys and copy sources need their own
//! encoding, SSE-C keys travel base64-encoded with an MD5, and uploads ask for
//! `100-continue`. Response-side fixes live in [`response`], the listing
//! key decoding in [`list`], the wrong-region redirect in [`redirect`], and
//! S3 Express session auth (directory buckets) in `express`.

pub(crate) mod express;
pub mod list;
pub mod redirect;
pub mod response;

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor, RequestContext};
use base64::Engine;
use boto_endpoints::{ParamValue, Params};
use boto_model::{ShapeKind, Value};
use md5::{Digest, Md5};

/// `s3.bucket_path`: botocore `remove_bucket_from_url_paths_from_model`.
///
/// The endpoint rules put the bucket into the endpoint URL (virtual host or
/// path style), so the serialized `/{Bucket}` segment must go: `/{Bucket}`
/// becomes `""`, `/{Bucket}/{Key+}` becomes `/{Key+}`. The pipeline then joins
/// endpoint path + request path (empty → `/`).
#[derive(Debug, Default)]
pub struct BucketPath;

impl Interceptor for BucketPath {
    fn name(&self) -> &'static str {
        "s3.bucket_path"
    }

    fn modify_before_signing(
        &self,
        call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        if !call.operation.http.request_uri.starts_with("/{Bucket}") {
            return Ok(());
        }
        ctx.request.path = strip_first_segment(&ctx.request.path).to_string();
        Ok(())
    }
}

/// Drops the first path segment: `/b/k/x` → `/k/x`, `/b` → `""`, `/b/` → `/`.
/// The bucket label is encoded non-greedily, so it never contains a raw `/`.
fn strip_first_segment(path: &str) -> &str {
    let rest = path.strip_prefix('/').unwrap_or(path);
    match rest.find('/') {
        Some(i) => &rest[i..],
        None => "",
    }
}

/// `s3.expect_continue`: botocore `add_expect_header`.
///
/// botocore sends `Expect: 100-continue` with every file-like body of a PUT
/// or POST (PutObject and UploadPart bodies always are); we do it for
/// streaming-payload uploads of at least `expect_continue_threshold` bytes,
/// where waiting for the server's go-ahead is worth a round trip.
#[derive(Debug, Default)]
pub struct ExpectContinue;

impl Interceptor for ExpectContinue {
    fn name(&self) -> &'static str {
        "s3.expect_continue"
    }

    fn modify_before_signing(
        &self,
        call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        if call.presigning || !matches!(&*call.operation.http.method, "PUT" | "POST") {
            return Ok(());
        }
        let streaming = call
            .operation
            .streaming_input(call.model)
            .is_some_and(|m| matches!(call.model.shape(m.target).kind, ShapeKind::Blob));
        if !streaming {
            return Ok(());
        }
        let len = match ctx.body.as_ref() {
            Some(b) => b.len(),
            None => ctx.request.body.as_bytes().len() as u64,
        };
        if len > 0 && len >= call.config.expect_continue_threshold {
            ctx.request.set_header("Expect", "100-continue");
        }
        Ok(())
    }
}

/// `s3.sse_c`: botocore `sse_md5` and `copy_source_sse_md5`.
///
/// A customer-provided key is given raw (string or bytes); S3 wants it base64
/// encoded plus the base64 MD5 of the raw key. Applied when the caller did not
/// give the `...KeyMD5` member (then the key is taken as already encoded). We
/// key on the input members rather than botocore's operation list, which
/// misses `GetObjectAttributes`.
#[derive(Debug, Default)]
pub struct SseCustomerKey;

impl Interceptor for SseCustomerKey {
    fn name(&self) -> &'static str {
        "s3.sse_c"
    }

    fn modify_before_serialization(
        &self,
        _call: &CallInfo<'_>,
        params: &mut Value,
    ) -> Result<(), Error> {
        if let Some(map) = params.as_map_mut() {
            for (key_member, md5_member) in [
                ("SSECustomerKey", "SSECustomerKeyMD5"),
                ("CopySourceSSECustomerKey", "CopySourceSSECustomerKeyMD5"),
            ] {
                if map.contains_key(md5_member) {
                    continue;
                }
                let raw: Vec<u8> = match map.get(key_member) {
                    Some(Value::String(s)) => s.as_bytes().to_vec(),
                    Some(Value::Blob(b)) => b.clone(),
                    _ => continue,
                };
                let b64 = base64::engine::general_purpose::STANDARD;
                map.insert(key_member, Value::String(b64.encode(&raw).into()));
                map.insert(
                    md5_member,
                    Value::String(b64.encode(Md5::digest(&raw)).into()),
                );
            }
        }
        Ok(())
    }
}

/// `s3.copy_source`: botocore `handle_copy_source_param` (CopyObject, UploadPartCopy).
///
/// `CopySource` may be `{Bucket, Key, VersionId}` or `bucket/key[?versionId=v]`;
/// either way the bucket/key part is percent-encoded (keeping `/` and
/// `-._~`) and the version id appended verbatim.
#[derive(Debug, Default)]
pub struct CopySource;

impl Interceptor for CopySource {
    fn name(&self) -> &'static str {
        "s3.copy_source"
    }

    fn modify_before_serialization(
        &self,
        call: &CallInfo<'_>,
        params: &mut Value,
    ) -> Result<(), Error> {
        if !matches!(&*call.operation.name, "CopyObject" | "UploadPartCopy") {
            return Ok(());
        }
        let Some(map) = params.as_map_mut() else {
            return Ok(());
        };
        let quoted = match map.get("CopySource") {
            Some(Value::String(s)) => quote_copy_source_str(s),
            Some(Value::Map(m)) => quote_copy_source_map(m)?,
            _ => return Ok(()), // absent or wrongly typed: validation reports it
        };
        map.insert("CopySource", Value::String(quoted.into()));
        Ok(())
    }
}

fn quote_copy_source_map(m: &boto_model::Map) -> Result<String, Error> {
    let field = |name: &str| match m.get(name) {
        Some(Value::String(s)) => Ok(s.as_str()),
        _ => Err(Error::validation(format!(
            "Missing required parameter: '{name}' in CopySource"
        ))),
    };
    let bucket = field("Bucket")?;
    let key = field("Key")?;
    let path = if is_s3_access_point_arn(bucket) {
        format!("{bucket}/object/{key}")
    } else {
        format!("{bucket}/{key}")
    };
    let mut out = quote(&path);
    match m.get("VersionId") {
        Some(Value::String(v)) => {
            out.push_str("?versionId=");
            out.push_str(v);
        }
        Some(Value::Null) | None => {}
        Some(_) => return Err(Error::validation("CopySource VersionId must be a string")),
    }
    Ok(out)
}

/// botocore's `VERSION_ID_SUFFIX` (`\?versionId=[^\s]+$`): the first
/// `?versionId=` followed by a non-empty, whitespace-free rest.
fn quote_copy_source_str(s: &str) -> String {
    const MARK: &str = "?versionId=";
    let split = s.match_indices(MARK).map(|(i, _)| i).find(|&i| {
        let rest = &s[i + MARK.len()..];
        !rest.is_empty() && !rest.chars().any(char::is_whitespace)
    });
    match split {
        Some(i) => format!("{}{}", quote(&s[..i]), &s[i..]),
        None => quote(s),
    }
}

/// Python's `quote(s, safe='-._~/')` over UTF-8.
pub(crate) fn quote(s: &str) -> String {
    boto_util::percent::encode(s, b"/")
}

/// botocore's `VALID_S3_ARN`: an access-point or outpost access-point ARN.
fn is_s3_access_point_arn(s: &str) -> bool {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    let [arn, partition, service, region, account, resource] = parts[..] else {
        return false;
    };
    let name_ok = |n: &str, dots: bool| {
        (1..=63).contains(&n.len())
            && n.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || (dots && b == b'.'))
    };
    if arn != "arn"
        || !partition.starts_with("aws")
        || account.len() != 12
        || !account.bytes().all(|b| b.is_ascii_digit())
    {
        return false;
    }
    let region_ok = region
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let res: Vec<&str> = resource.split(['/', ':']).collect();
    match (service, &res[..]) {
        ("s3" | "s3-object-lambda", ["accesspoint", name]) => region_ok && name_ok(name, true),
        ("s3-outposts", ["outpost", id, "accesspoint", name]) => {
            region_ok && !region.is_empty() && name_ok(id, false) && name_ok(name, false)
        }
        _ => false,
    }
}

/// `s3.validate_params`: botocore `validate_bucket_name` and `validate_ascii_metadata`.
///
/// Catches a bucket name with `/` or spaces (which would silently change the
/// URL) and non-ASCII metadata (which S3 cannot carry in headers) before
/// anything is sent.
#[derive(Debug, Default)]
pub struct ValidateParams;

impl Interceptor for ValidateParams {
    fn name(&self) -> &'static str {
        "s3.validate_params"
    }

    fn modify_before_serialization(
        &self,
        call: &CallInfo<'_>,
        params: &mut Value,
    ) -> Result<(), Error> {
        if let Value::String(bucket) = params.get("Bucket") {
            let valid = (1..=255).contains(&bucket.len())
                && bucket
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
            if !valid && !is_s3_access_point_arn(bucket) {
                return Err(Error::validation(format!(
                    "Invalid bucket name \"{bucket}\": Bucket name must match the regex \"^[a-zA-Z0-9.\\-_]{{1,255}}$\" \
                     or be an ARN matching the regex \"^arn:(aws).*:(s3|s3-object-lambda):[a-z\\-0-9]*:[0-9]{{12}}:accesspoint[/:][a-zA-Z0-9\\-.]{{1,63}}$|\
                     ^arn:(aws).*:s3-outposts:[a-z\\-0-9]+:[0-9]{{12}}:outpost[/:][a-zA-Z0-9\\-]{{1,63}}[/:]accesspoint[/:][a-zA-Z0-9\\-]{{1,63}}$\""
                )));
            }
        }
        if matches!(
            &*call.operation.name,
            "PutObject" | "CopyObject" | "CreateMultipartUpload"
        ) {
            if let Value::Map(meta) = params.get("Metadata") {
                for (k, v) in meta {
                    let v = v.as_str().unwrap_or("");
                    if !k.is_ascii() || !v.is_ascii() {
                        return Err(Error::validation(format!(
                            "Non ascii characters found in S3 metadata for key \"{k}\", value: \"{v}\".  \n\
                             S3 metadata can only contain ASCII characters. "
                        )));
                    }
                }
            }
        }
        Ok(())
    }
}

/// `s3.escape_xml_payload`: botocore `escape_xml_payload` (DeleteObjects,
/// PutBucketLifecycleConfiguration): `\r`/`\n` in the XML body become
/// character references so S3's parser keeps them in keys and prefixes.
/// Must run before the checksum is computed.
#[derive(Debug, Default)]
pub struct EscapeXmlPayload;

impl Interceptor for EscapeXmlPayload {
    fn name(&self) -> &'static str {
        "s3.escape_xml_payload"
    }

    fn modify_before_signing(
        &self,
        call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        if !matches!(
            &*call.operation.name,
            "DeleteObjects" | "PutBucketLifecycleConfiguration"
        ) {
            return Ok(());
        }
        if let boto_protocols::Body::Bytes(b) = &mut ctx.request.body {
            if b.iter().any(|&c| c == b'\r' || c == b'\n') {
                let mut out = Vec::with_capacity(b.len() + 16);
                for &c in b.iter() {
                    match c {
                        b'\r' => out.extend_from_slice(b"&#xD;"),
                        b'\n' => out.extend_from_slice(b"&#xA;"),
                        _ => out.push(c),
                    }
                }
                *b = out;
            }
        }
        Ok(())
    }
}

/// `s3.endpoint_params`: the S3 part of botocore `customize_endpoint_resolver_builtins`.
///
/// GetBucketLocation always uses path style (the bucket's region is what the
/// caller does not know, and a virtual host in the wrong region answers
/// `AuthorizationHeaderMalformed`); an ARN bucket never does (access points
/// have their own hosts). The global-endpoint part applies to presigned URLs
/// only and comes with presigning.
#[derive(Debug, Default)]
pub struct EndpointParams;

impl Interceptor for EndpointParams {
    fn name(&self) -> &'static str {
        "s3.endpoint_params"
    }

    fn modify_endpoint_params(
        &self,
        call: &CallInfo<'_>,
        params: &Value,
        ep: &mut Params,
    ) -> Result<(), Error> {
        if ep.get("ForcePathStyle").is_none() && ep.get("Bucket").is_none() {
            return Ok(());
        }
        if &*call.operation.name == "GetBucketLocation" {
            ep.set("ForcePathStyle", ParamValue::Bool(true));
        } else if params
            .get("Bucket")
            .as_str()
            .is_some_and(|b| b.starts_with("arn:") && b.splitn(6, ':').count() == 6)
        {
            ep.set("ForcePathStyle", ParamValue::Bool(false));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
