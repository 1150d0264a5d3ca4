//! The json protocol (awsJson 1.0/1.1): the whole input as a JSON object,
//! the operation named by `X-Amz-Target`.
//!
//! The value walker here is shared with rest-json bodies. Timestamps default
//! to epoch seconds, blobs are base64, non-finite floats are the strings
//! `NaN`/`Infinity`/`-Infinity`, and documents pass through as free-form JSON.

use super::{
    base64, blob_of, epoch_millis_fraction, struct_members, timestamp_of, timestamp_text,
    type_error, Ctx,
};
use crate::{Body, Request, SerializeError};
use boto_model::{MemberRef, ShapeKind, TimestampFormat, Value};
use serde_json::Value as Json;

pub(crate) fn serialize(ctx: Ctx, params: &Value) -> Result<Request, SerializeError> {
    let meta = &ctx.model.metadata;
    let prefix = meta
        .target_prefix
        .as_deref()
        .ok_or_else(|| SerializeError::new("json protocol model lacks metadata.targetPrefix"))?;
    let version = meta.json_version.as_deref().unwrap_or("1.0");
    let mut headers = vec![
        (
            "X-Amz-Target".to_string(),
            format!("{prefix}.{}", ctx.op.name),
        ),
        (
            "Content-Type".to_string(),
            format!("application/x-amz-json-{version}"),
        ),
    ];
    if meta.aws_query_compatible {
        headers.push(("x-amzn-query-mode".into(), "true".into()));
    }
    let body = match &ctx.op.input {
        Some(input) => to_json(ctx, input, params, 0)?,
        None => Json::Object(Default::default()),
    };
    Ok(Request {
        method: ctx.op.http.method.to_string(),
        path: "/".into(),
        headers,
        body: Body::Bytes(encode(&body)?),
        ..Request::default()
    })
}

pub(crate) fn encode(j: &Json) -> Result<Vec<u8>, SerializeError> {
    serde_json::to_vec(j).map_err(|e| SerializeError::new(e.to_string()))
}

const MAX_DEPTH: usize = 128;

/// Converts a value of reference `r` to JSON.
pub(crate) fn to_json(
    ctx: Ctx,
    r: &MemberRef,
    v: &Value,
    depth: usize,
) -> Result<Json, SerializeError> {
    if depth > MAX_DEPTH {
        return Err(SerializeError::new("parameters nested too deeply"));
    }
    if v.is_null() {
        return Ok(Json::Null);
    }
    let model = ctx.model;
    let shape = model.shape(r.target);
    Ok(match &shape.kind {
        ShapeKind::Structure(s) if s.document => v.to_json(),
        ShapeKind::Structure(s) => {
            let mut out = serde_json::Map::new();
            for (m, key, mv) in struct_members(shape, s, v)? {
                let name = model.location_name(m).unwrap_or(key);
                out.insert(name.to_string(), to_json(ctx, m, mv, depth + 1)?);
            }
            Json::Object(out)
        }
        ShapeKind::List { member } => {
            let items = v.as_list().ok_or_else(|| type_error("a list", v))?;
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(to_json(ctx, member, item, depth + 1)?);
            }
            Json::Array(out)
        }
        ShapeKind::Map { value, .. } => {
            let map = v.as_map().ok_or_else(|| type_error("a map", v))?;
            let mut out = serde_json::Map::new();
            for (k, mv) in map {
                out.insert(k.clone(), to_json(ctx, value, mv, depth + 1)?);
            }
            Json::Object(out)
        }
        ShapeKind::Timestamp => {
            let t = timestamp_of(v)?;
            match model
                .timestamp_format(r)
                .unwrap_or(TimestampFormat::UnixTimestamp)
            {
                TimestampFormat::UnixTimestamp => match epoch_millis_fraction(ctx, t) {
                    Some(f) => number(f),
                    None => Json::from(t.epoch_secs()),
                },
                other => Json::String(timestamp_text(ctx, t, other)),
            }
        }
        ShapeKind::Blob => Json::String(base64(blob_of(v)?)),
        ShapeKind::Boolean => Json::Bool(v.as_bool().ok_or_else(|| type_error("a boolean", v))?),
        ShapeKind::Integer
        | ShapeKind::Long
        | ShapeKind::BigInteger
        | ShapeKind::Float
        | ShapeKind::Double
        | ShapeKind::BigDecimal => match v {
            Value::Integer(i) => Json::from(*i),
            Value::Float(f) => number(*f),
            other => return Err(type_error("a number", other)),
        },
        ShapeKind::String => match v {
            Value::String(s) => Json::String(s.clone()),
            // A `jsonvalue` string given as structured data: embed it as is.
            other if r.traits.jsonvalue || shape.traits.jsonvalue => other.to_json(),
            other => return Err(type_error("a string", other)),
        },
    })
}

/// A float as a JSON number, or its AWS string spelling when not finite.
fn number(f: f64) -> Json {
    serde_json::Number::from_f64(f)
        .map(Json::Number)
        .unwrap_or_else(|| Json::String(boto_model::format_special_float(f)))
}
