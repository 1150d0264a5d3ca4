//! smithy-rpc-v2-cbor: the input as a CBOR map POSTed to
//! `/service/{targetPrefix}/operation/{Op}`.
//!
//! Written by hand (the encoder is a few dozen lines): definite lengths
//! everywhere, integers in their shortest form, `float` shapes as 32-bit and
//! `double` as 64-bit floats, non-finite floats as half-precision, timestamps
//! as tag 1 over epoch seconds, blobs as byte strings, as botocore encodes.

use super::{blob_of, struct_members, timestamp_of, type_error, Ctx};
use crate::{Body, Request, SerializeError};
use boto_model::{MemberRef, ShapeKind, Value};

pub(crate) fn serialize(ctx: Ctx, params: &Value) -> Result<Request, SerializeError> {
    let meta = &ctx.model.metadata;
    let service = meta
        .target_prefix
        .as_deref()
        .ok_or_else(|| SerializeError::new("rpc-v2-cbor model lacks metadata.targetPrefix"))?;
    let mut body = Vec::new();
    if let Some(input) = &ctx.op.input {
        value(ctx, input, params, &mut body, 0)?;
    }
    let mut headers = vec![("smithy-protocol".to_string(), "rpc-v2-cbor".to_string())];
    if meta.aws_query_compatible {
        headers.push(("x-amzn-query-mode".into(), "true".into()));
    }
    let output_is_stream = ctx
        .op
        .output
        .as_ref()
        .and_then(|o| ctx.shape(o).as_structure())
        .is_some_and(|s| {
            s.members
                .iter()
                .any(|m| matches!(&ctx.shape(m).kind, ShapeKind::Structure(t) if t.eventstream))
        });
    let media = if output_is_stream {
        "application/vnd.amazon.eventstream"
    } else {
        "application/cbor"
    };
    headers.push(("Accept".into(), media.into()));
    if !body.is_empty() {
        headers.push(("Content-Type".into(), media.into()));
    }
    Ok(Request {
        method: "POST".into(),
        path: format!("/service/{service}/operation/{}", ctx.op.name),
        headers,
        body: if body.is_empty() {
            Body::Empty
        } else {
            Body::Bytes(body)
        },
        ..Request::default()
    })
}

const MAX_DEPTH: usize = 128;

/// The initial byte(s) of a data item: major type and argument.
pub(crate) fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    if n < 24 {
        out.push(m | n as u8);
    } else if n < 0x100 {
        out.extend_from_slice(&[m | 24, n as u8]);
    } else if n < 0x1_0000 {
        out.push(m | 25);
        out.extend_from_slice(&(n as u16).to_be_bytes());
    } else if n < 0x1_0000_0000 {
        out.push(m | 26);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(m | 27);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

fn int(out: &mut Vec<u8>, i: i64) {
    if i >= 0 {
        head(out, 0, i as u64);
    } else {
        head(out, 1, (-1 - i) as u64);
    }
}

fn text(out: &mut Vec<u8>, s: &str) {
    head(out, 3, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Non-finite floats as half-precision, like botocore; the rest at `double` or
/// `float` width.
fn float(out: &mut Vec<u8>, f: f64, double: bool) {
    if f.is_nan() {
        out.extend_from_slice(&[0xf9, 0x7e, 0x00]);
    } else if f.is_infinite() {
        out.extend_from_slice(if f > 0.0 {
            &[0xf9, 0x7c, 0x00]
        } else {
            &[0xf9, 0xfc, 0x00]
        });
    } else if double {
        out.push(0xfb);
        out.extend_from_slice(&f.to_be_bytes());
    } else {
        out.push(0xfa);
        out.extend_from_slice(&(f as f32).to_be_bytes());
    }
}

/// A shapeless value (documents): encoded by its own variant.
fn free_form(out: &mut Vec<u8>, v: &Value, depth: usize) -> Result<(), SerializeError> {
    if depth > MAX_DEPTH {
        return Err(SerializeError::new("parameters nested too deeply"));
    }
    match v {
        Value::Null => out.push(0xf6),
        Value::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
        Value::Integer(i) => int(out, *i),
        Value::Float(f) => float(out, *f, true),
        Value::String(s) => text(out, s),
        Value::Blob(b) => {
            head(out, 2, b.len() as u64);
            out.extend_from_slice(b);
        }
        Value::Timestamp(t) => {
            head(out, 6, 1);
            int(out, t.epoch_secs());
        }
        Value::List(l) => {
            head(out, 4, l.len() as u64);
            for item in l {
                free_form(out, item, depth + 1)?;
            }
        }
        Value::Map(m) => {
            head(out, 5, m.len() as u64);
            for (k, item) in m {
                text(out, k);
                free_form(out, item, depth + 1)?;
            }
        }
    }
    Ok(())
}

fn value(
    ctx: Ctx,
    r: &MemberRef,
    v: &Value,
    out: &mut Vec<u8>,
    depth: usize,
) -> Result<(), SerializeError> {
    if depth > MAX_DEPTH {
        return Err(SerializeError::new("parameters nested too deeply"));
    }
    if v.is_null() {
        out.push(0xf6);
        return Ok(());
    }
    let shape = ctx.shape(r);
    match &shape.kind {
        ShapeKind::Structure(s) if s.document => free_form(out, v, depth)?,
        ShapeKind::Structure(s) => {
            let members = struct_members(shape, s, v)?;
            head(out, 5, members.len() as u64);
            for (m, key, mv) in members {
                text(out, ctx.model.location_name(m).unwrap_or(key));
                value(ctx, m, mv, out, depth + 1)?;
            }
        }
        ShapeKind::List { member } => {
            let items = v.as_list().ok_or_else(|| type_error("a list", v))?;
            head(out, 4, items.len() as u64);
            for item in items {
                value(ctx, member, item, out, depth + 1)?;
            }
        }
        ShapeKind::Map { value: vr, .. } => {
            let map = v.as_map().ok_or_else(|| type_error("a map", v))?;
            head(out, 5, map.len() as u64);
            for (k, mv) in map {
                text(out, k);
                value(ctx, vr, mv, out, depth + 1)?;
            }
        }
        ShapeKind::Timestamp => {
            let t = timestamp_of(v)?;
            head(out, 6, 1);
            match super::epoch_millis_fraction(ctx, t) {
                Some(f) => float(out, f, true),
                None => int(out, t.epoch_secs()),
            }
        }
        ShapeKind::Blob => {
            let b = blob_of(v)?;
            head(out, 2, b.len() as u64);
            out.extend_from_slice(b);
        }
        ShapeKind::String => match v {
            Value::String(s) => text(out, s),
            other => return Err(type_error("a string", other)),
        },
        ShapeKind::Boolean => out.push(if v.as_bool().ok_or_else(|| type_error("a boolean", v))? {
            0xf5
        } else {
            0xf4
        }),
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::BigInteger => match v {
            Value::Integer(i) => int(out, *i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => int(out, *f as i64),
            other => return Err(type_error("an integer", other)),
        },
        ShapeKind::Float => float(
            out,
            v.as_f64().ok_or_else(|| type_error("a number", v))?,
            false,
        ),
        ShapeKind::Double | ShapeKind::BigDecimal => float(
            out,
            v.as_f64().ok_or_else(|| type_error("a number", v))?,
            true,
        ),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_use_shortest_argument() {
        let mut out = Vec::new();
        for n in [0u64, 23, 24, 255, 256, 65535, 65536, 1 << 32] {
            head(&mut out, 0, n);
        }
        assert_eq!(
            out,
            [
                0x00, 0x17, 0x18, 0x18, 0x18, 0xff, 0x19, 0x01, 0x00, 0x19, 0xff, 0xff, 0x1a, 0x00,
                0x01, 0x00, 0x00, 0x1b, 0, 0, 0, 1, 0, 0, 0, 0
            ]
        );
        let mut neg = Vec::new();
        int(&mut neg, -1);
        int(&mut neg, -500);
        assert_eq!(neg, [0x20, 0x39, 0x01, 0xf3]);
    }

    #[test]
    fn special_floats_are_half_precision() {
        let mut out = Vec::new();
        float(&mut out, f64::NAN, true);
        float(&mut out, f64::NEG_INFINITY, false);
        float(&mut out, 1.5, false);
        assert_eq!(
            out,
            [0xf9, 0x7e, 0x00, 0xf9, 0xfc, 0x00, 0xfa, 0x3f, 0xc0, 0x00, 0x00]
        );
    }
}
