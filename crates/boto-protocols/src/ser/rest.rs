//! The HTTP bindings shared by rest-json and rest-xml.
//!
//! Members go where their `location` says: URI labels (`{Name}`, greedy
//! `{Name+}`), the query string (scalars, lists, and maps of parameters),
//! headers (lists comma-joined, `jsonvalue` as base64 JSON, a `headers` map
//! under a prefix) or the body. The body is either the `payload` member
//! (blobs and strings raw, structures encoded) or all remaining members
//! encoded by the protocol. Default timestamp formats follow botocore:
//! RFC 822 in headers, ISO 8601 in the URI and query string.

use super::{
    input_structure, number_text, py_float, scalar_text, timestamp_of, timestamp_text, type_error,
    Ctx,
};
use super::{rest_json, rest_xml};
use crate::parts::percent_encode_into;
use crate::{Body, Request, SerializeError};
use boto_model::{Location, Map, MemberRef, ShapeKind, TimestampFormat, Value};

/// How the body of a rest protocol is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyFormat {
    Json,
    Xml,
}

/// Ordered string-keyed entries where setting a key again replaces its value
/// in place (the Python dict semantics botocore's output is built from).
#[derive(Default)]
struct Entries<T>(Vec<(String, T)>);

impl<T> Entries<T> {
    fn set(&mut self, k: String, v: T) {
        match self.0.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v,
            None => self.0.push((k, v)),
        }
    }
}

pub(crate) fn serialize(
    ctx: Ctx,
    params: &Value,
    format: BodyFormat,
) -> Result<Request, SerializeError> {
    let http = &ctx.op.http;
    let mut req = Request {
        method: http.method.to_string(),
        ..Request::default()
    };
    let Some((input_ref, input)) = input_structure(ctx) else {
        let (path, query) = split_literal_query(&http.request_uri);
        req.path = path;
        req.query = query;
        return Ok(req);
    };
    let params_map = params
        .as_map()
        .ok_or_else(|| type_error("a parameter map", params))?;

    let mut labels: Entries<String> = Entries::default();
    let mut query: Entries<Vec<String>> = Entries::default();
    let mut headers: Entries<String> = Entries::default();
    let mut body_members = Map::new();
    for (name, v) in params_map {
        if v.is_null() {
            continue;
        }
        let m = input
            .member(name)
            .ok_or_else(|| SerializeError::new(format!("unknown parameter {name:?}")))?;
        let target = ctx.shape(m);
        let location = m.traits.location.or(target.traits.location);
        let key = ctx.model.location_name(m).unwrap_or(name).to_string();
        match location {
            Some(Location::Uri) => labels.set(key, uri_value(ctx, m, v)?),
            Some(Location::QueryString) => match (&target.kind, v) {
                (ShapeKind::Map { value, .. }, Value::Map(entries)) => {
                    for (k, ev) in entries {
                        let vals = match (ev, &ctx.shape(value).kind) {
                            (Value::List(items), ShapeKind::List { member }) => items
                                .iter()
                                .map(|i| uri_value(ctx, member, i))
                                .collect::<Result<_, _>>()?,
                            (Value::List(items), _) => items
                                .iter()
                                .map(|i| uri_value(ctx, value, i))
                                .collect::<Result<_, _>>()?,
                            (Value::Null, _) => continue,
                            (other, _) => vec![uri_value(ctx, value, other)?],
                        };
                        query.set(k.to_string(), vals);
                    }
                }
                (ShapeKind::List { member }, Value::List(items)) => {
                    let vals = items
                        .iter()
                        .filter(|i| !i.is_null())
                        .map(|i| uri_value(ctx, member, i))
                        .collect::<Result<_, _>>()?;
                    query.set(key, vals);
                }
                _ => query.set(key, vec![uri_value(ctx, m, v)?]),
            },
            Some(Location::Header) => {
                if matches!(target.kind, ShapeKind::List { .. })
                    && v.as_list().is_some_and(|l| l.is_empty())
                {
                    continue;
                }
                headers.set(key, header_value(ctx, m, v)?);
            }
            Some(Location::Headers) => {
                let map = v
                    .as_map()
                    .ok_or_else(|| type_error("a map of headers", v))?;
                for (k, hv) in map {
                    let text = match hv {
                        Value::String(s) => s.to_string(),
                        Value::Null => continue,
                        other => number_text(other)?,
                    };
                    headers.set(format!("{key}{k}"), text);
                }
            }
            Some(Location::StatusCode) | Some(Location::Body) | None => {
                body_members.insert(name.clone(), v.clone());
            }
        }
    }

    let rendered = render_uri(&http.request_uri, &labels)?;
    let (path, mut q) = split_literal_query(&rendered);
    req.path = path;
    for (k, vals) in query.0 {
        q.extend(vals.into_iter().map(|v| (k.clone(), Some(v))));
    }
    req.query = q;
    req.headers = headers.0;

    // The body.
    let payload = input.payload_member();
    let streaming =
        payload.is_some_and(|p| matches!(ctx.shape(p).kind, ShapeKind::Blob | ShapeKind::String));
    let body: Vec<u8> = match payload {
        Some(p) if streaming => match params.get(&p.name) {
            Value::Null => Vec::new(),
            v => v
                .as_blob()
                .ok_or_else(|| type_error("a blob or string payload", v))?
                .to_vec(),
        },
        Some(p) => match params.get(&p.name) {
            Value::Null => match format {
                BodyFormat::Json => b"{}".to_vec(),
                BodyFormat::Xml => Vec::new(),
            },
            v => match format {
                BodyFormat::Json => rest_json::body(ctx, p, v)?,
                BodyFormat::Xml => rest_xml::body(ctx, p, v)?,
            },
        },
        None if !body_members.is_empty() => {
            let v = Value::Map(body_members);
            match format {
                BodyFormat::Json => rest_json::body(ctx, input_ref, &v)?,
                BodyFormat::Xml => rest_xml::body(ctx, input_ref, &v)?,
            }
        }
        None if format == BodyFormat::Json && rest_json::requires_empty_body(ctx, input) => {
            b"{}".to_vec()
        }
        None => Vec::new(),
    };
    if format == BodyFormat::Json
        && !streaming
        && !body.is_empty()
        && req.header("Content-Type").is_none()
    {
        req.headers
            .push(("Content-Type".into(), "application/json".into()));
    }
    req.body = if body.is_empty() {
        Body::Empty
    } else {
        Body::Bytes(body)
    };
    Ok(req)
}

/// A scalar as text in the URI or query string (ISO 8601 timestamps by default).
fn uri_value(ctx: Ctx, r: &MemberRef, v: &Value) -> Result<String, SerializeError> {
    scalar_text(ctx, r, v, TimestampFormat::Iso8601)
}

/// A header value: RFC 822 timestamps (whole seconds) by default, lists
/// comma-joined (strings quoted when they contain `,` or `"`), `jsonvalue`
/// strings as base64 of compact JSON.
fn header_value(ctx: Ctx, r: &MemberRef, v: &Value) -> Result<String, SerializeError> {
    let shape = ctx.shape(r);
    match &shape.kind {
        ShapeKind::Timestamp => {
            let t = timestamp_of(v)?;
            let whole = boto_model::Timestamp::from_epoch_secs(t.epoch_secs());
            let format = ctx
                .model
                .timestamp_format(r)
                .unwrap_or(TimestampFormat::Rfc822);
            Ok(match format {
                TimestampFormat::UnixTimestamp => whole.epoch_secs().to_string(),
                TimestampFormat::Iso8601 => whole.to_iso8601(),
                TimestampFormat::Rfc822 => timestamp_text(ctx, whole, format),
            })
        }
        ShapeKind::List { member } => {
            let items = v.as_list().ok_or_else(|| type_error("a list", v))?;
            let is_string = matches!(ctx.shape(member).kind, ShapeKind::String);
            let mut parts = Vec::with_capacity(items.len());
            for item in items.iter().filter(|i| !i.is_null()) {
                parts.push(match (is_string, item) {
                    (true, Value::String(s)) if s.contains(['"', ',']) => {
                        format!("\"{}\"", s.replace('"', "\\\""))
                    }
                    (true, Value::String(s)) => s.to_string(),
                    _ => header_value(ctx, member, item)?,
                });
            }
            Ok(parts.join(","))
        }
        ShapeKind::String if r.traits.jsonvalue || shape.traits.jsonvalue => {
            let json = serde_json::to_string(&v.to_json())
                .map_err(|e| SerializeError::new(e.to_string()))?;
            Ok(super::base64(json.as_bytes()))
        }
        ShapeKind::Float | ShapeKind::Double => match v {
            Value::Float(f) => Ok(py_float(*f)),
            other => number_text(other),
        },
        _ => scalar_text(ctx, r, v, TimestampFormat::Rfc822),
    }
}

/// Expands `{Label}` and greedy `{Label+}` in a request URI template.
/// Plain labels encode everything but unreserved characters; greedy labels
/// keep `/` too.
fn render_uri(template: &str, labels: &Entries<String>) -> Result<String, SerializeError> {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| SerializeError::new(format!("unclosed label in {template:?}")))?;
        let label = &after[..close];
        let (name, greedy) = match label.strip_suffix('+') {
            Some(n) => (n, true),
            None => (label, false),
        };
        let value = labels
            .0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| SerializeError::new(format!("missing required URI parameter {name}")))?;
        if greedy {
            for (i, seg) in value.split('/').enumerate() {
                if i > 0 {
                    out.push('/');
                }
                percent_encode_into(seg, &mut out);
            }
        } else {
            percent_encode_into(value, &mut out);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Splits `/path?uploads&list-type=2` into the path and literal query pairs
/// (a bare key becomes a pair with no value).
fn split_literal_query(uri: &str) -> (String, Vec<(String, Option<String>)>) {
    match uri.split_once('?') {
        None => (uri.to_string(), Vec::new()),
        Some((path, q)) => {
            let pairs = q
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| match p.split_once('=') {
                    Some((k, v)) => (k.to_string(), Some(v.to_string())),
                    None => (p.to_string(), None),
                })
                .collect();
            (path.to_string(), pairs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_plain_and_greedy_labels() {
        let mut labels = Entries::default();
        labels.set("Bucket".into(), "my bucket".into());
        labels.set("Key".into(), "a/b c~d".into());
        assert_eq!(
            render_uri("/{Bucket}/{Key+}?x", &labels).unwrap(),
            "/my%20bucket/a/b%20c~d?x"
        );
        assert_eq!(render_uri("/{Key}", &labels).unwrap(), "/a%2Fb%20c~d");
        assert!(render_uri("/{Nope}", &labels).is_err());
        assert!(render_uri("/{Bucket", &labels).is_err());
    }

    #[test]
    fn splits_literal_query() {
        let (p, q) = split_literal_query("/b?list-type=2&uploads");
        assert_eq!(p, "/b");
        assert_eq!(
            q,
            vec![
                ("list-type".into(), Some("2".into())),
                ("uploads".into(), None)
            ]
        );
    }
}
