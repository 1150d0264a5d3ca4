//! The HTTP binding shared by rest-json and rest-xml responses.
//!
//! botocore's `BaseRestParser`: `ResponseMetadata` first (request id from
//! `x-amzn-requestid`, or S3's `x-amz-request-id` + `x-amz-id-2` as
//! `HostId`), then header, prefixed-header-map and status-code members, then
//! the payload: a streaming/blob or string payload member is the raw body, a
//! structure payload member is the parsed body, and without a payload member
//! the body's members merge into the output.

use super::json::{self, Walk};
use super::xml::Doc;
use super::xml_stream;
use super::xml_walk::{Sel, XmlWalker};
use super::{decode_base64, eventstream, location, rest_metadata, scalar_from_text, truncate};
use crate::{ParseError, Response};
use boto_model::{Location, Map, MemberRef, ServiceModel, ShapeKind, Value};

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    Json,
    Xml,
}

pub(crate) fn parse(
    model: &ServiceModel,
    out: Option<&MemberRef>,
    resp: &Response<'_>,
    kind: BodyKind,
) -> Result<Map, ParseError> {
    // Room for the metadata, the bound members the response can fill (no
    // more than it has headers) and a payload member.
    let bound = out.map_or(0, |r| {
        let b = model.http_bindings(r.target);
        b.status.len() + b.prefixed.len() + b.headers.len().min(resp.headers.len())
    });
    let mut parsed = Map::with_capacity(2 + bound);
    parsed.insert_new("ResponseMetadata", Value::Map(rest_metadata(resp)));
    if let Some(r) = out {
        add_modeled(model, r, resp, kind, &mut parsed)?;
    }
    Ok(parsed)
}

/// Header, status and payload members of `r` into `parsed`, which holds at
/// most `ResponseMetadata` on entry.
pub(crate) fn add_modeled(
    model: &ServiceModel,
    r: &MemberRef,
    resp: &Response<'_>,
    kind: BodyKind,
    parsed: &mut Map,
) -> Result<(), ParseError> {
    let Some(s) = model.shape(r.target).as_structure() else {
        return Ok(());
    };
    // Members have distinct names, so they are appended without a search;
    // only the metadata already there could share one.
    let put = |parsed: &mut Map, name: &str, v: Value| {
        if name == "ResponseMetadata" {
            parsed.insert(name, v);
        } else {
            parsed.insert_new(name, v);
        }
    };
    // The bound members present, found from the response's side: each
    // response header compared with the shape's header members of its
    // length (S3's HeadObject output has about 50, a response ten headers or
    // so), then taken in model order, as botocore walks the members. The
    // first header of a name is the one read.
    let b = model.http_bindings(r.target);
    let mut found: smallvec::SmallVec<[(u32, Option<&str>); 16]> = smallvec::SmallVec::new();
    found.extend(b.status.iter().map(|&j| (j, None)));
    found.extend(b.prefixed.iter().map(|&(j, _)| (j, None)));
    for (k, v) in resp.headers {
        for j in b.header_members(k) {
            if !found.iter().any(|&(f, _)| f == j) {
                found.push((j, Some(v.as_str())));
            }
        }
    }
    found.sort_unstable_by_key(|&(j, _)| j);
    for (j, header) in found {
        let m = &s.members[j as usize];
        match (location(model, m), header) {
            (Some(Location::StatusCode), _) => {
                put(parsed, &m.name, Value::Integer(resp.status.into()));
            }
            (Some(Location::Headers), _) => {
                let prefix = model.location_name(m).unwrap_or("");
                put(parsed, &m.name, Value::Map(prefixed_headers(resp, prefix)));
            }
            (_, Some(v)) => match header_value(model, m, v, kind) {
                Ok(value) => put(parsed, &m.name, value),
                // A header that is not a date where the model says
                // timestamp (S3's free-form `Expires`) is left out
                // rather than failing the call; it stays visible in
                // ResponseMetadata.HTTPHeaders, as in botocore.
                Err(_) if matches!(model.shape(m.target).kind, ShapeKind::Timestamp) => {}
                Err(e) => return Err(e),
            },
            _ => {}
        }
    }
    match s.payload_member() {
        Some(p) => {
            let v = match &model.shape(p.target).kind {
                ShapeKind::Structure(t) if t.eventstream => {
                    let pp = match kind {
                        BodyKind::Json => json::json_payload,
                        BodyKind::Xml => xml_payload,
                    };
                    eventstream::parse_events(model, p, resp.body, pp)?
                }
                ShapeKind::Blob => Value::Blob(resp.body.to_vec()),
                ShapeKind::String => Value::String(
                    std::str::from_utf8(resp.body)
                        .map_err(|e| ParseError::new(format!("string payload is not UTF-8: {e}")))?
                        .into(),
                ),
                _ => body_value(model, p, resp.body, kind)?,
            };
            parsed.insert(&*p.name, v);
        }
        // An empty body has no members to add (HEAD responses, most
        // header-only outputs): nothing to parse.
        None if resp.body.trim_ascii().is_empty() => {}
        None => {
            if let Value::Map(m) = body_value(model, r, resp.body, kind)? {
                parsed.extend(m);
            }
        }
    }
    Ok(())
}

/// A `headers` member: every header starting with `prefix` (ignoring ASCII
/// case), keyed by the rest of its name; a repeated name keeps its last value.
pub(super) fn prefixed_headers(resp: &Response<'_>, prefix: &str) -> Map {
    let mut map = Map::new();
    for (k, v) in resp.headers {
        if k.len() >= prefix.len() && k.is_char_boundary(prefix.len()) {
            let (head, tail) = k.split_at(prefix.len());
            if head.eq_ignore_ascii_case(prefix) {
                map.insert(tail.to_string(), Value::String(v.as_str().into()));
            }
        }
    }
    map
}

fn body_value(
    model: &ServiceModel,
    r: &MemberRef,
    body: &[u8],
    kind: BodyKind,
) -> Result<Value, ParseError> {
    match kind {
        BodyKind::Json => json::parse_body(
            Walk {
                model,
                skip_located: true,
            },
            r,
            body,
        ),
        BodyKind::Xml => xml_payload(model, r, body),
    }
}

/// Parses an XML body (empty reads as an empty element) as the shape of `r`.
pub(crate) fn xml_payload(
    model: &ServiceModel,
    r: &MemberRef,
    body: &[u8],
) -> Result<Value, ParseError> {
    let doc = if body.trim_ascii().is_empty() {
        Doc::empty()
    } else {
        // The usual document, straight into values; the tree for the rest.
        if let Some(v) = xml_stream::payload(model, r, body) {
            return Ok(v);
        }
        Doc::parse(body)?
    };
    XmlWalker {
        model,
        doc: &doc,
        ec2: false,
    }
    .value(r, &Sel::One(doc.root()))
}

/// For the output suite: whether the stream reads an XML output body as the
/// tree does. `None` when it is not such a body or the stream leaves it to
/// the tree.
pub(crate) fn xml_stream_agrees(
    model: &ServiceModel,
    out: &MemberRef,
    body: &[u8],
) -> Option<bool> {
    let s = model.shape(out.target).as_structure()?;
    let r = match s.payload_member() {
        Some(p) => match &model.shape(p.target).kind {
            ShapeKind::Structure(t) if !t.eventstream => p,
            _ => return None,
        },
        None => out,
    };
    let streamed = xml_stream::payload(model, r, body)?;
    let doc = Doc::parse(body).ok()?;
    let walked = XmlWalker {
        model,
        doc: &doc,
        ec2: false,
    }
    .value(r, &Sel::One(doc.root()));
    // `Debug` shows map entries in order, which `==` ignores.
    Some(walked.is_ok_and(|w| format!("{w:?}") == format!("{streamed:?}")))
}

/// A header member's value: scalars converted, lists split on commas,
/// `jsonvalue` strings base64-decoded and parsed as JSON.
fn header_value(
    model: &ServiceModel,
    m: &MemberRef,
    v: &str,
    kind: BodyKind,
) -> Result<Value, ParseError> {
    let shape = model.shape(m.target);
    match &shape.kind {
        ShapeKind::String if m.traits.jsonvalue || shape.traits.jsonvalue => {
            let bytes = decode_base64(v)?;
            super::json_read::parse_doc(&bytes).map_err(|e| {
                ParseError::new(format!(
                    "invalid JSON in header {:?}: {}",
                    truncate(v),
                    e.message.trim_start_matches("invalid JSON body: ")
                ))
            })
        }
        ShapeKind::List { member } => {
            let item_kind = &model.shape(member.target).kind;
            let mut parts: Vec<String> = v.split(',').map(|e| e.trim().to_string()).collect();
            if matches!(item_kind, ShapeKind::Timestamp) {
                parts = merge_http_dates(parts);
            }
            let mut out = Vec::with_capacity(parts.len());
            for p in parts {
                out.push(scalar_from_text(item_kind, &p, kind == BodyKind::Json)?);
            }
            Ok(Value::List(out))
        }
        k => scalar_from_text(k, v, kind == BodyKind::Json),
    }
}

/// HTTP dates contain a comma (`Mon, 16 Dec 2019 ...`): rejoin the halves a
/// plain comma split tore apart.
fn merge_http_dates(parts: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut it = parts.into_iter().peekable();
    while let Some(p) = it.next() {
        let weekday = p.len() >= 3 && p.bytes().all(|b| b.is_ascii_alphabetic());
        match it.peek() {
            Some(next) if weekday && next.bytes().next().is_some_and(|b| b.is_ascii_digit()) => {
                let next = it.next().unwrap_or_default();
                out.push(format!("{p}, {next}"));
            }
            _ => out.push(p),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_in_lists_stay_whole() {
        let parts = "Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:18 GMT"
            .split(',')
            .map(|s| s.trim().to_string())
            .collect();
        assert_eq!(
            merge_http_dates(parts),
            [
                "Mon, 16 Dec 2019 23:48:18 GMT",
                "Mon, 16 Dec 2019 23:48:18 GMT"
            ]
        );
        let iso = vec![
            "2019-12-16T23:48:18Z".to_string(),
            "2019-12-16T23:48:18Z".to_string(),
        ];
        assert_eq!(merge_http_dates(iso.clone()), iso);
    }
}

#[cfg(test)]
#[path = "rest_tests.rs"]
mod bindings_tests;
