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

/// A request body as botocore writes it: Python's `json.dumps(body)` (`", "`
/// and `": "` separators, non-ASCII escaped as `\uXXXX`, floats as Python's
/// `repr`), so bodies (and their `Content-Length`, checksums and signatures)
/// are botocore's byte for byte.
pub(crate) fn encode(j: &Json) -> Result<Vec<u8>, SerializeError> {
    let mut out = String::with_capacity(128);
    write_python(j, &mut out);
    Ok(out.into_bytes())
}

/// Compact JSON (event-stream payloads, which botocore never sends).
pub(crate) fn encode_compact(j: &Json) -> Result<Vec<u8>, SerializeError> {
    serde_json::to_vec(j).map_err(|e| SerializeError::new(e.to_string()))
}

fn write_python(j: &Json, out: &mut String) {
    match j {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => python_float(f, out),
            _ => out.push_str(&n.to_string()),
        },
        Json::String(s) => boto_util::json::push_string_ascii(out, s),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_python(item, out);
            }
            out.push(']');
        }
        Json::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                boto_util::json::push_string_ascii(out, k);
                out.push_str(": ");
                write_python(v, out);
            }
            out.push('}');
        }
    }
}

/// Python's `repr(float)`: the shortest round-tripping digits, in fixed
/// notation for decimal exponents -4..16 (always with a fraction, `3.0`),
/// else scientific with a signed two-digit exponent (`1e-05`, `1e+16`).
/// Only finite values get here (others are strings, see [`number`]).
fn python_float(f: f64, out: &mut String) {
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (neg, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mantissa),
    };
    if neg {
        out.push('-');
    }
    if !(-4..16).contains(&exp) {
        out.push_str(mantissa);
        out.push_str(if exp < 0 { "e-" } else { "e+" });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        out.push_str(&e.to_string());
        return;
    }
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if exp >= 0 {
        let int_len = exp as usize + 1;
        if digits.len() > int_len {
            out.push_str(&digits[..int_len]);
            out.push('.');
            out.push_str(&digits[int_len..]);
        } else {
            out.push_str(&digits);
            out.extend(std::iter::repeat_n('0', int_len - digits.len()));
            out.push_str(".0");
        }
    } else {
        out.push_str("0.");
        out.extend(std::iter::repeat_n('0', (-exp - 1) as usize));
        out.push_str(&digits);
    }
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
                out.insert(k.to_string(), to_json(ctx, value, mv, depth + 1)?);
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

#[cfg(test)]
mod python_tests {
    use super::*;

    /// `repr()` of these floats and `json.dumps` of this body, from CPython 3.11.
    #[test]
    fn bodies_are_pythons_json_dumps() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0.0"),
            (-0.0, "-0.0"),
            (1.5, "1.5"),
            (1e-5, "1e-05"),
            (1e-4, "0.0001"),
            (0.0001234, "0.0001234"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (123456789012345680.0, "1.2345678901234568e+17"),
            (-2.5e-7, "-2.5e-07"),
            (3.0, "3.0"),
            (1e22, "1e+22"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (0.1, "0.1"),
            (100.0, "100.0"),
            (1234567.0, "1234567.0"),
        ];
        for (f, want) in cases {
            let mut s = String::new();
            python_float(*f, &mut s);
            assert_eq!(&s, want, "{f:e}");
        }
        let body: Json = serde_json::from_str(
            r#"{"a": 1, "b": [true, null, 2.5, "é\u2028\ud83d\ude00"], "c": {}, "d": [], "e": -7}"#,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(encode(&body).unwrap()).unwrap(),
            r#"{"a": 1, "b": [true, null, 2.5, "\u00e9\u2028\ud83d\ude00"], "c": {}, "d": [], "e": -7}"#
        );
    }
}
