//! Response parsers, one walker per protocol.
//!
//! Every parser produces the dict botocore would: member names as modeled,
//! absent members omitted, and a `ResponseMetadata` map (request id, status,
//! lower-cased headers, `RetryAttempts`). Errors go through [`parse_error`](crate::parse_error),
//! which never fails: whatever the body, the caller gets a [`ServiceError`]
//! with at least the HTTP status, like botocore's generic error path.
//!
//! Bodies come from the network, so every parser treats them as hostile:
//! malformed input is a [`ParseError`], nesting is capped at [`MAX_DEPTH`],
//! and nothing indexes without a bound check.

mod blob;
mod cbor;
pub(crate) mod ec2;
pub mod eventstream;
mod json;
mod json_read;
pub(crate) mod query;
mod reason;
mod rest;
mod rest_json;
mod rest_xml;
mod scalars;
mod scratch;
mod stack;
mod xml;
mod xml_stream;
mod xml_walk;

use crate::{ParseError, Response, ServiceError};
pub(crate) use blob::decode_base64;
use boto_model::{Location, Map, MemberRef, Operation, ServiceModel, ShapeId, Str, Value};
pub(crate) use reason::reason_phrase;
pub(crate) use scalars::{
    scalar_from_text, special_float, timestamp_from_f64, timestamp_from_text,
};
pub(crate) use stack::{
    pop_into_list, push_entry, push_list, push_map, push_reordered, push_result, push_struct,
    wrap_top_in_list,
};

/// Entries of a usual `ResponseMetadata`: `RequestId`, `HostId`,
/// `HTTPStatusCode`, `HTTPHeaders`, `RetryAttempts` (one allocation for all).
const METADATA_ENTRIES: usize = 5;

/// Deepest nesting of body values any parser accepts (JSON, XML, CBOR, documents).
pub const MAX_DEPTH: usize = 100;

/// The wire protocols a parser exists for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `query` (IAM, SNS, SQS's old wire format, STS, ...): form-encoded requests, XML responses wrapped in `<OpResult>`.
    Query,
    /// `ec2`: the query protocol with EC2's flattened lists and capitalisation rules.
    Ec2,
    /// `json` (DynamoDB, Kinesis, SQS, ...): `X-Amz-Target` with a JSON body.
    Json,
    /// `rest-json` (Lambda, API Gateway, ...): HTTP bindings plus a JSON body.
    RestJson,
    /// `rest-xml` (S3, Route 53, CloudFront): HTTP bindings plus an XML body.
    RestXml,
    /// `smithy-rpc-v2-cbor`: RPC over a CBOR body.
    Cbor,
}

impl Protocol {
    /// The protocol of a botocore protocol name (`rest-xml`, `smithy-rpc-v2-cbor`, ...).
    pub fn from_name(name: &str) -> Option<Protocol> {
        Some(match name {
            "query" => Protocol::Query,
            "ec2" => Protocol::Ec2,
            "json" => Protocol::Json,
            "rest-json" => Protocol::RestJson,
            "rest-xml" => Protocol::RestXml,
            "smithy-rpc-v2-cbor" => Protocol::Cbor,
            _ => return None,
        })
    }
}

fn protocol_of(model: &ServiceModel) -> Result<Protocol, ParseError> {
    Protocol::from_name(&model.metadata.protocol).ok_or_else(|| {
        ParseError::new(format!(
            "unsupported protocol {:?}",
            model.metadata.protocol
        ))
    })
}

pub(crate) fn parse_response(
    model: &ServiceModel,
    op: &Operation,
    resp: &Response<'_>,
) -> Result<Value, ParseError> {
    parse_response_as(protocol_of(model)?, model, op, resp)
}

/// Parses a successful response with an explicit protocol, for models that
/// list several (e.g. CloudWatch speaks both `smithy-rpc-v2-cbor` and `query`).
pub fn parse_response_as(
    protocol: Protocol,
    model: &ServiceModel,
    op: &Operation,
    resp: &Response<'_>,
) -> Result<Value, ParseError> {
    let mut parsed = parse_body_as(protocol, model, op, resp)?;
    finish_metadata(
        &mut parsed,
        resp.status,
        resp.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    Ok(Value::Map(parsed))
}

/// [`parse_response`](crate::parse_response) for a caller done with the
/// headers: their values move into `ResponseMetadata.HTTPHeaders` rather
/// than being copied there, and only the names are freed.
pub(crate) fn parse_response_owned(
    model: &ServiceModel,
    op: &Operation,
    status: u16,
    headers: Vec<(String, String)>,
    body: &[u8],
) -> Result<Value, ParseError> {
    let resp = Response {
        status,
        headers: &headers,
        body,
    };
    let mut parsed = parse_body_as(protocol_of(model)?, model, op, &resp)?;
    finish_metadata(&mut parsed, status, headers.into_iter());
    Ok(Value::Map(parsed))
}

/// The output members of a successful response, before `ResponseMetadata`
/// gets the status and headers.
fn parse_body_as(
    protocol: Protocol,
    model: &ServiceModel,
    op: &Operation,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    let out = op.output.as_ref();
    Ok(match protocol {
        Protocol::Query => query::parse(model, out, resp)?,
        Protocol::Ec2 => ec2::parse(model, out, resp)?,
        Protocol::Json => json::parse(model, out, resp)?,
        Protocol::RestJson => rest_json::parse(model, out, resp)?,
        Protocol::RestXml => rest_xml::parse(model, out, resp)?,
        Protocol::Cbor => cbor::parse(model, out, resp)?,
    })
}

/// Test support for the output suite: `Some(agree)` when `op`'s output is an
/// XML body (query, ec2, rest-xml) the streaming reader answers for, saying
/// whether it reads it as the node tree does; `None` when the tree alone
/// reads it.
#[doc(hidden)]
pub fn xml_stream_agrees(
    model: &ServiceModel,
    op: &Operation,
    resp: &Response<'_>,
) -> Option<bool> {
    let out = op.output.as_ref();
    let (streamed, walked) = match protocol_of(model).ok()? {
        Protocol::RestXml if !resp.body.trim_ascii().is_empty() => {
            return rest::xml_stream_agrees(model, out?, resp.body)
        }
        Protocol::Query => (
            xml_stream::query_output(model, out, resp.body, false)?,
            query::parse_tree(model, out, resp.body),
        ),
        Protocol::Ec2 => (
            xml_stream::query_output(model, out, resp.body, true)?,
            ec2::parse_tree(model, out, resp.body),
        ),
        _ => return None,
    };
    // `Debug` shows map entries in order, which `==` ignores.
    Some(walked.is_ok_and(|w| format!("{w:?}") == format!("{streamed:?}")))
}

pub(crate) fn parse_error(
    model: &ServiceModel,
    op: &Operation,
    resp: &Response<'_>,
) -> ServiceError {
    match protocol_of(model) {
        Ok(p) => parse_error_as(p, model, op, resp),
        Err(_) => service_error(None, generic_error(resp), resp),
    }
}

/// [`parse_error`](crate::parse_error) with an explicit protocol.
pub fn parse_error_as(
    protocol: Protocol,
    model: &ServiceModel,
    _op: &Operation,
    resp: &Response<'_>,
) -> ServiceError {
    let mut parsed = if is_generic_error(resp) {
        generic_error(resp)
    } else {
        let r = match protocol {
            Protocol::Query => query::parse_error(resp),
            Protocol::Ec2 => ec2::parse_error(resp),
            Protocol::Json => json::parse_error(resp),
            Protocol::RestJson => rest_json::parse_error(resp),
            Protocol::RestXml => Ok(rest_xml::parse_error(resp)),
            Protocol::Cbor => cbor::parse_error(resp),
        };
        r.unwrap_or_else(|_| generic_error(resp))
    };
    finish_metadata(
        &mut parsed,
        resp.status,
        resp.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    );
    // Query-compatible services send the query code as `Code` and keep the
    // modeled name as `QueryErrorCode`; botocore finds the exception class by
    // `QueryErrorCode or Code`.
    let error = parsed.get("Error");
    let code_of = |k: &str| {
        error
            .and_then(|e| e.get(k).as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    let shape = error_shape_for_code(model, &code_of("QueryErrorCode"))
        .or_else(|| error_shape_for_code(model, &code_of("Code")));
    if let Some(id) = shape {
        let modeled = match protocol {
            Protocol::Query => query::parse_modeled_error(model, id, resp),
            Protocol::Ec2 => ec2::parse_modeled_error(model, id, resp),
            Protocol::Json => json::parse_modeled_error(model, id, resp),
            Protocol::RestJson => rest_json::parse_modeled_error(model, id, resp),
            Protocol::RestXml => rest_xml::parse_modeled_error(model, id, resp),
            Protocol::Cbor => cbor::parse_modeled_error(model, id, resp),
        };
        if let Ok(fields) = modeled {
            parsed.extend(fields);
        }
    }
    service_error(
        shape.map(|id| model.shape(id).name.to_string()),
        parsed,
        resp,
    )
}

fn service_error(shape: Option<String>, parsed: Map, resp: &Response<'_>) -> ServiceError {
    let error = parsed.get("Error").unwrap_or(&Value::Null);
    let code = match error.get("Code") {
        Value::String(s) if !s.is_empty() => s.to_string(),
        _ => resp.status.to_string(),
    };
    let message = error
        .get("Message")
        .as_str()
        .unwrap_or_default()
        .to_string();
    let request_id = parsed
        .get("ResponseMetadata")
        .and_then(|m| m.get("RequestId").as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    ServiceError {
        code,
        message,
        request_id,
        status: resp.status,
        shape,
        fields: Value::Map(parsed),
    }
}

/// botocore's `_is_generic_error_response`: a 5xx whose body is empty or HTML
/// (a proxy or load balancer answered, not the service).
fn is_generic_error(resp: &Response<'_>) -> bool {
    // A json-family error type header means the service itself answered
    // (botocore ignores it here; Smithy clients honour it).
    if resp.status < 500 || resp.header("x-amzn-errortype").is_some() {
        return false;
    }
    let body = resp.body.trim_ascii();
    body.is_empty() || body.starts_with(b"<html>")
}

/// `{"Error": {"Code": "<status>", "Message": "<reason>"}, "ResponseMetadata": {}}`.
pub(crate) fn generic_error(resp: &Response<'_>) -> Map {
    let mut m = Map::new();
    m.insert(
        "Error",
        error_map(
            resp.status.to_string().into(),
            reason_phrase(resp.status).into(),
        ),
    );
    m.insert("ResponseMetadata", Value::Map(Map::new()));
    m
}

pub(crate) fn error_map(code: Value, message: Value) -> Value {
    let mut e = Map::with_capacity(4);
    e.insert("Code", code);
    e.insert("Message", message);
    Value::Map(e)
}

/// Adds what botocore's `parse()` adds to every dict: status code, lower-cased
/// headers and (from the retry handler) `RetryAttempts`. Header values are
/// taken as `V`: borrowed ones are copied, owned ones longer than a `Str`
/// keeps inline move (a short one is copied inline). (Kept out of
/// line so `bench/callgrind_call.sh` can show its cost.)
#[inline(never)]
fn finish_metadata<K, V>(
    parsed: &mut Map,
    status: u16,
    headers: impl ExactSizeIterator<Item = (K, V)>,
) where
    K: AsRef<str>,
    V: AsRef<str> + Into<Str>,
{
    let meta = parsed
        .entry("ResponseMetadata")
        .or_insert_with(|| Value::Map(Map::with_capacity(METADATA_ENTRIES)));
    if !matches!(meta, Value::Map(_)) {
        *meta = Value::Map(Map::with_capacity(METADATA_ENTRIES));
    }
    let Value::Map(meta) = meta else { return };
    meta.reserve(3);
    set(meta, "HTTPStatusCode", Value::Integer(status.into()));
    let mut map = Map::with_capacity(headers.len());
    // A bit per (length, first byte, last byte) of the names so far: a
    // name whose bit is clear cannot repeat one, and is appended without
    // comparing it with each earlier name.
    let mut seen = 0u64;
    for (k, v) in headers {
        let key = boto_model::Key::ascii_lowercase(k.as_ref());
        let b = key.as_bytes();
        let (first, last) = (b.first().copied(), b.last().copied());
        let mix =
            b.len() ^ (usize::from(first.unwrap_or(0)) * 7) ^ (usize::from(last.unwrap_or(0)) * 13);
        let bit = 1u64 << (mix % 64);
        let repeat = if seen & bit == 0 {
            None
        } else {
            map.get_mut(&key)
        };
        seen |= bit;
        match repeat {
            Some(Value::String(prev)) => {
                *prev = [prev.as_str(), v.as_ref()].join(", ").into();
            }
            Some(other) => *other = Value::String(v.into()),
            None => map.insert_new(key, Value::String(v.into())),
        }
    }
    set(meta, "HTTPHeaders", Value::Map(map));
    set(meta, "RetryAttempts", Value::Integer(0));
}

/// `map.insert(key, v)` for the metadata members, with the new value
/// written straight into its slot: `Map::insert` is out of line, and the
/// value passed to it by reference was copied in with 16-byte loads over
/// the 8-byte stores that had just built it (a third of `finish_metadata`'s
/// samples).
#[inline(always)]
fn set(map: &mut Map, key: &'static str, v: Value) {
    match map.get_mut(key) {
        Some(slot) => *slot = v,
        None => map.insert_new(key, v),
    }
}

/// botocore's `shape_for_error_code`: the exception shape whose `error.code`
/// (or name) is `code`. Operation errors are tried first; otherwise every
/// exception of the model (the last match wins, as in botocore's dict).
pub(crate) fn error_shape_for_code(model: &ServiceModel, code: &str) -> Option<ShapeId> {
    if code.is_empty() {
        return None;
    }
    let code_of = |id: ShapeId| -> Option<bool> {
        let shape = model.shape(id);
        let s = shape.as_structure().filter(|s| s.exception)?;
        Some(
            s.error
                .as_ref()
                .and_then(|e| e.code.as_deref())
                .unwrap_or(&shape.name)
                == code,
        )
    };
    let mut found = None;
    for (id, _) in model.shapes() {
        if code_of(id) == Some(true) {
            found = Some(id);
        }
    }
    found
}

// ---------------------------------------------------------------------------
// Helpers shared by the walkers.

/// A member's `location`, from the reference or its target shape.
pub(crate) fn location(model: &ServiceModel, m: &MemberRef) -> Option<Location> {
    model.location(m)
}

/// Whether the rest binding reads this member from the status line or headers.
pub(crate) fn located(model: &ServiceModel, m: &MemberRef) -> bool {
    matches!(
        location(model, m),
        Some(Location::Header | Location::Headers | Location::StatusCode)
    )
}

/// The wire name of a structure member: its `locationName`, else its name.
pub(crate) fn wire_name<'m>(model: &'m ServiceModel, m: &'m MemberRef) -> &'m str {
    model.location_name(m).unwrap_or(&m.name)
}

pub(crate) fn truncate(s: &str) -> &str {
    match s.char_indices().nth(60) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Request id headers as botocore's rest parsers read them.
pub(crate) fn rest_metadata(resp: &Response<'_>) -> Map {
    let mut m = Map::with_capacity(METADATA_ENTRIES);
    if let Some(id) = resp.header("x-amzn-requestid") {
        m.insert_new("RequestId", id.into());
    } else if let Some(id) = resp.header("x-amz-request-id") {
        m.insert_new("RequestId", id.into());
        m.insert_new(
            "HostId",
            resp.header("x-amz-id-2").unwrap_or_default().into(),
        );
    }
    m
}

/// `x-amzn-requestid` into `ResponseMetadata.RequestId` (json and cbor protocols).
pub(crate) fn inject_amzn_request_id(parsed: &mut Map, resp: &Response<'_>) {
    if let Some(id) = resp.header("x-amzn-requestid") {
        let meta = parsed
            .entry("ResponseMetadata")
            .or_insert_with(|| Value::Map(Map::with_capacity(METADATA_ENTRIES)));
        if let Value::Map(m) = meta {
            set(m, "RequestId", id.into());
        }
    }
}

/// Normalizes an error code botocore-style: `ns#Code:uri` → `Code`.
pub(crate) fn sanitize_code(code: &str) -> &str {
    let code = code.split(':').next().unwrap_or(code);
    code.rsplit('#').next().unwrap_or(code)
}

/// `x-amzn-query-error: Code;Type` of query-compatible services: the query
/// code replaces the code, the original is kept as `QueryErrorCode`.
pub(crate) fn apply_query_compatible(code: String, error: &mut Map, resp: &Response<'_>) -> String {
    let Some(h) = resp.header("x-amzn-query-error") else {
        return code;
    };
    let mut parts = h.split(';');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(q), Some(t), None) if !q.is_empty() => {
            error.insert("QueryErrorCode", Value::String(code.into()));
            error.insert("Type", t.into());
            q.to_string()
        }
        _ => code,
    }
}

#[cfg(test)]
mod tests {
    use super::scalars::{float_from_text, int_from_text};
    use super::*;

    #[test]
    fn text_scalars_follow_python() {
        assert_eq!(int_from_text(" 12 ").unwrap(), Value::Integer(12));
        assert_eq!(int_from_text("-7").unwrap(), Value::Integer(-7));
        assert!(int_from_text("1.5").is_err());
        assert!(matches!(
            int_from_text("99999999999999999999").unwrap(),
            Value::Float(_)
        ));
        assert!(matches!(float_from_text("NaN").unwrap(), Value::Float(f) if f.is_nan()));
        assert_eq!(
            float_from_text("-Infinity").unwrap(),
            Value::Float(f64::NEG_INFINITY)
        );
        assert_eq!(float_from_text("1.25").unwrap(), Value::Float(1.25));
    }

    #[test]
    fn http_headers_are_lowercased_and_repeats_joined_whether_borrowed_or_moved() {
        let headers: Vec<(String, String)> = [
            ("X-Amz-Meta-A", "1"),
            ("x-amz-meta-a", "2"),
            ("Content-Type", "text/plain"),
            ("X-AMZ-META-A", ""),
            ("x-amz-server-side-encryption-customer-key-md5", "m"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let mut borrowed = Map::new();
        finish_metadata(
            &mut borrowed,
            206,
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        let mut moved = Map::new();
        finish_metadata(&mut moved, 206, headers.into_iter());
        assert_eq!(borrowed, moved);
        let meta = &moved["ResponseMetadata"];
        assert_eq!(meta.get("HTTPStatusCode"), &Value::Integer(206));
        assert_eq!(meta.get("RetryAttempts"), &Value::Integer(0));
        let h = meta.get("HTTPHeaders").as_map().expect("a map");
        let keys: Vec<&str> = h.keys().map(|k| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "x-amz-meta-a",
                "content-type",
                "x-amz-server-side-encryption-customer-key-md5"
            ]
        );
        assert_eq!(h["x-amz-meta-a"].as_str(), Some("1, 2, "));

        // More names than the repeat filter has bits: every name kept once,
        // in first-seen order, every repeat joined, whatever collides.
        let mut many: Vec<(String, String)> = (0..150)
            .map(|i| (format!("X-Meta-{}", i % 100), i.to_string()))
            .collect();
        many.push(("x-meta-7".into(), "last".into()));
        let mut m = Map::new();
        finish_metadata(&mut m, 200, many.into_iter());
        let h = m["ResponseMetadata"]
            .get("HTTPHeaders")
            .as_map()
            .expect("a map");
        assert_eq!(h.len(), 100);
        assert_eq!(h.keys().next().map(|k| k.as_str()), Some("x-meta-0"));
        assert_eq!(h["x-meta-7"].as_str(), Some("7, 107, last"));
        assert_eq!(h["x-meta-99"].as_str(), Some("99"));
        assert_eq!(h["x-meta-49"].as_str(), Some("49, 149"));
    }

    #[test]
    fn codes_are_sanitized() {
        assert_eq!(
            sanitize_code("aws.protocoltests.restjson#FooError:http://internal.amazon.com/"),
            "FooError"
        );
        assert_eq!(sanitize_code("FooError"), "FooError");
        assert_eq!(sanitize_code("a#b#FooError"), "FooError");
    }

    #[test]
    fn generic_error_uses_status_and_reason() {
        let headers = vec![];
        let resp = Response {
            status: 503,
            headers: &headers,
            body: b"",
        };
        assert!(is_generic_error(&resp));
        let m = generic_error(&resp);
        assert_eq!(m["Error"].get("Code").as_str(), Some("503"));
        assert_eq!(
            m["Error"].get("Message").as_str(),
            Some("Service Unavailable")
        );
    }
}
