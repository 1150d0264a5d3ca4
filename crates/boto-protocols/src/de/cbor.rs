//! The `smithy-rpc-v2-cbor` protocol: a CBOR (RFC 8949) decoder and the
//! shape walk over its items.
//!
//! The decoder is hand-written because the subset is small: integers, byte
//! and text strings (definite or chunked), arrays and maps (definite or
//! indefinite), tags (tag 1 is an epoch timestamp), half/single/double floats
//! and the simple values. Lengths are checked against the bytes left before
//! anything is allocated and nesting is capped, so a hostile body costs at
//! most its own size. As in botocore, `null` map values are dropped, members
//! are looked up by member name, and error codes come from `__type`.

use super::json::{error_dict, event_stream_member, synthetic_ref};
use super::{eventstream, inject_amzn_request_id, timestamp_from_f64, MAX_DEPTH};
use crate::{ParseError, Response};
use boto_model::{Map, MemberRef, ServiceModel, ShapeId, ShapeKind, Value};

/// A decoded CBOR data item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cbor {
    UInt(u64),
    /// The negative integer `-1 - n`.
    NInt(u64),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Cbor>),
    Map(Vec<(Cbor, Cbor)>),
    Tag(u64, Box<Cbor>),
    Float(f64),
    Bool(bool),
    Null,
}

fn bad(msg: impl Into<String>) -> ParseError {
    ParseError::new(format!("invalid CBOR body: {}", msg.into()))
}

struct Decoder<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Decoder<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ParseError> {
        let end = self
            .i
            .checked_add(n)
            .filter(|&e| e <= self.b.len())
            .ok_or_else(|| bad("unexpected end of input"))?;
        let s = &self.b[self.i..end];
        self.i = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, ParseError> {
        Ok(self.take(1)?[0])
    }

    fn argument(&mut self, info: u8) -> Result<u64, ParseError> {
        Ok(match info {
            0..=23 => info as u64,
            24 => self.byte()? as u64,
            25 => u16::from_be_bytes([self.byte()?, self.byte()?]) as u64,
            26 => {
                let s = self.take(4)?;
                u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as u64
            }
            27 => {
                let s = self.take(8)?;
                u64::from_be_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]])
            }
            _ => return Err(bad(format!("invalid additional info {info}"))),
        })
    }

    fn at_break(&mut self) -> Result<bool, ParseError> {
        match self.b.get(self.i) {
            Some(0xff) => {
                self.i += 1;
                Ok(true)
            }
            Some(_) => Ok(false),
            None => Err(bad("unexpected end of input in an indefinite-length item")),
        }
    }

    /// A definite length that cannot exceed the remaining input (each element
    /// takes at least `min_size` bytes).
    fn length(&mut self, info: u8, min_size: usize) -> Result<usize, ParseError> {
        let n = self.argument(info)?;
        let left = (self.b.len() - self.i) as u64;
        if n.saturating_mul(min_size as u64) > left {
            return Err(bad(format!(
                "length {n} exceeds the remaining {left} bytes"
            )));
        }
        Ok(n as usize)
    }

    fn string_bytes(&mut self, major: u8, info: u8) -> Result<Vec<u8>, ParseError> {
        if info != 31 {
            let n = self.length(info, 1)?;
            return Ok(self.take(n)?.to_vec());
        }
        let mut out = Vec::new();
        while !self.at_break()? {
            let ib = self.byte()?;
            if ib >> 5 != major || ib & 31 == 31 {
                return Err(bad("invalid chunk in an indefinite-length string"));
            }
            let n = self.length(ib & 31, 1)?;
            out.extend_from_slice(self.take(n)?);
        }
        Ok(out)
    }

    fn item(&mut self, depth: usize) -> Result<Cbor, ParseError> {
        if depth > MAX_DEPTH {
            return Err(bad(format!("nesting deeper than {MAX_DEPTH}")));
        }
        let ib = self.byte()?;
        let (major, info) = (ib >> 5, ib & 31);
        Ok(match major {
            0 => Cbor::UInt(self.argument(info)?),
            1 => Cbor::NInt(self.argument(info)?),
            2 => Cbor::Bytes(self.string_bytes(2, info)?),
            3 => Cbor::Text(
                String::from_utf8(self.string_bytes(3, info)?)
                    .map_err(|_| bad("text string is not UTF-8"))?,
            ),
            4 => {
                let mut v = Vec::new();
                if info == 31 {
                    while !self.at_break()? {
                        v.push(self.item(depth + 1)?);
                    }
                } else {
                    let n = self.length(info, 1)?;
                    v.reserve(n);
                    for _ in 0..n {
                        v.push(self.item(depth + 1)?);
                    }
                }
                Cbor::Array(v)
            }
            5 => {
                let mut v = Vec::new();
                if info == 31 {
                    while !self.at_break()? {
                        v.push((self.item(depth + 1)?, self.item(depth + 1)?));
                    }
                } else {
                    let n = self.length(info, 2)?;
                    v.reserve(n);
                    for _ in 0..n {
                        v.push((self.item(depth + 1)?, self.item(depth + 1)?));
                    }
                }
                Cbor::Map(v)
            }
            6 => {
                let tag = self.argument(info)?;
                Cbor::Tag(tag, Box::new(self.item(depth + 1)?))
            }
            _ => match info {
                20 => Cbor::Bool(false),
                21 => Cbor::Bool(true),
                22 | 23 => Cbor::Null,
                25 => Cbor::Float(f16_to_f64(u16::from_be_bytes([self.byte()?, self.byte()?]))),
                26 => {
                    let s = self.take(4)?;
                    Cbor::Float(f32::from_be_bytes([s[0], s[1], s[2], s[3]]) as f64)
                }
                27 => {
                    let s = self.take(8)?;
                    Cbor::Float(f64::from_be_bytes([
                        s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7],
                    ]))
                }
                31 => return Err(bad("unexpected break")),
                _ => return Err(bad(format!("unsupported simple value {info}"))),
            },
        })
    }
}

/// IEEE 754 half precision to double.
fn f16_to_f64(h: u16) -> f64 {
    let sign = if h & 0x8000 != 0 { -1.0 } else { 1.0 };
    let exp = ((h >> 10) & 0x1f) as i32;
    let frac = (h & 0x3ff) as f64;
    sign * match exp {
        0 => frac * 2f64.powi(-24),
        31 if frac == 0.0 => f64::INFINITY,
        31 => f64::NAN,
        e => (1.0 + frac / 1024.0) * 2f64.powi(e - 15),
    }
}

/// Decodes exactly one item filling `bytes`.
pub(crate) fn decode(bytes: &[u8]) -> Result<Cbor, ParseError> {
    let mut d = Decoder { b: bytes, i: 0 };
    let v = d.item(0)?;
    if d.i != bytes.len() {
        return Err(bad(format!("{} trailing bytes", bytes.len() - d.i)));
    }
    Ok(v)
}

fn int_value(neg: bool, n: u64) -> Value {
    match (neg, i64::try_from(n)) {
        (false, Ok(i)) => Value::Integer(i),
        (true, Ok(i)) => Value::Integer(-1 - i),
        (false, Err(_)) => Value::Float(n as f64),
        (true, Err(_)) => Value::Float(-1.0 - n as f64),
    }
}

/// An item without a shape (documents, and what the model does not expect).
fn generic(c: Cbor) -> Result<Value, ParseError> {
    Ok(match c {
        Cbor::UInt(n) => int_value(false, n),
        Cbor::NInt(n) => int_value(true, n),
        Cbor::Bytes(b) => Value::Blob(b),
        Cbor::Text(s) => Value::String(s.into()),
        Cbor::Array(a) => Value::List(a.into_iter().map(generic).collect::<Result<_, _>>()?),
        Cbor::Map(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, v) in m {
                if v != Cbor::Null {
                    out.insert(key_text(k), generic(v)?);
                }
            }
            Value::Map(out)
        }
        Cbor::Tag(1, inner) => epoch(*inner)?,
        Cbor::Tag(_, inner) => generic(*inner)?,
        Cbor::Float(f) => Value::Float(f),
        Cbor::Bool(b) => Value::Bool(b),
        Cbor::Null => Value::Null,
    })
}

fn key_text(k: Cbor) -> String {
    match k {
        Cbor::Text(s) => s,
        other => format!("{other:?}"),
    }
}

fn epoch(c: Cbor) -> Result<Value, ParseError> {
    match c {
        Cbor::UInt(n) => timestamp_from_f64(n as f64),
        Cbor::NInt(n) => timestamp_from_f64(-1.0 - n as f64),
        Cbor::Float(f) => timestamp_from_f64(f),
        other => Err(bad(format!("unable to parse a timestamp from {other:?}"))),
    }
}

fn walk(model: &ServiceModel, r: &MemberRef, c: Cbor) -> Result<Value, ParseError> {
    if c == Cbor::Null {
        return Ok(Value::Null);
    }
    let shape = model.shape(r.target);
    Ok(match (&shape.kind, c) {
        (ShapeKind::Structure(s), Cbor::Map(entries)) if !s.document => {
            let mut entries: Vec<(Cbor, Cbor)> = entries
                .into_iter()
                .filter(|(_, v)| *v != Cbor::Null)
                .collect();
            if s.union {
                let set = entries
                    .iter()
                    .filter(|(k, _)| !matches!(k, Cbor::Text(t) if t == "__type"))
                    .count();
                if set != 1 {
                    return Err(bad(format!(
                        "union {} must have exactly one member set",
                        shape.name
                    )));
                }
            }
            let mut out = Map::with_capacity(s.members.len().min(entries.len()));
            for m in &s.members {
                if let Some(pos) = entries
                    .iter()
                    .position(|(k, _)| matches!(k, Cbor::Text(t) if *t == *m.name))
                {
                    let (_, v) = entries.swap_remove(pos);
                    out.insert(&*m.name, walk(model, m, v)?);
                }
            }
            Value::Map(out)
        }
        (ShapeKind::List { member }, Cbor::Array(items)) => Value::List(
            items
                .into_iter()
                .map(|i| walk(model, member, i))
                .collect::<Result<_, _>>()?,
        ),
        (ShapeKind::Map { value, .. }, Cbor::Map(entries)) => {
            let mut out = Map::with_capacity(entries.len());
            for (k, v) in entries {
                if v != Cbor::Null {
                    out.insert(key_text(k), walk(model, value, v)?);
                }
            }
            Value::Map(out)
        }
        (ShapeKind::Timestamp, Cbor::Tag(1, inner)) => epoch(*inner)?,
        (ShapeKind::Timestamp, c @ (Cbor::UInt(_) | Cbor::NInt(_) | Cbor::Float(_))) => epoch(c)?,
        (ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal, Cbor::UInt(n)) => {
            Value::Float(n as f64)
        }
        (ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal, Cbor::NInt(n)) => {
            Value::Float(-1.0 - n as f64)
        }
        (ShapeKind::Structure(_) | ShapeKind::List { .. } | ShapeKind::Map { .. }, other)
            if !shape.is_document() =>
        {
            return Err(bad(format!(
                "expected a {} for {}, got {other:?}",
                shape.type_name(),
                shape.name
            )))
        }
        (_, other) => generic(other)?,
    })
}

fn parse_struct_body(model: &ServiceModel, r: &MemberRef, body: &[u8]) -> Result<Map, ParseError> {
    if body.is_empty() {
        return Ok(Map::new());
    }
    match walk(model, r, decode(body)?)? {
        Value::Map(m) => Ok(m),
        Value::Null => Ok(Map::new()),
        other => Err(bad(format!("expected a map, got {}", other.type_name()))),
    }
}

fn cbor_payload(model: &ServiceModel, r: &MemberRef, body: &[u8]) -> Result<Value, ParseError> {
    parse_struct_body(model, r, body).map(Value::Map)
}

pub(crate) fn parse(
    model: &ServiceModel,
    out: Option<&MemberRef>,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    let Some(r) = out else { return Ok(Map::new()) };
    let mut parsed = match event_stream_member(model, r) {
        Some(es) => eventstream::parse_rpc(model, r, es, resp.body, cbor_payload)?,
        None => parse_struct_body(model, r, resp.body)?,
    };
    parsed.insert("ResponseMetadata", Value::Map(Map::new()));
    inject_amzn_request_id(&mut parsed, resp);
    Ok(parsed)
}

pub(crate) fn parse_error(resp: &Response<'_>) -> Result<Map, ParseError> {
    let body = if resp.body.is_empty() {
        Map::new()
    } else {
        match generic(decode(resp.body)?)? {
            Value::Map(m) => m,
            _ => Map::new(),
        }
    };
    let code = match body.get("__type") {
        Some(Value::String(s)) => s.to_string(),
        _ => resp.status.to_string(),
    };
    Ok(error_dict(body, code, resp))
}

pub(crate) fn parse_modeled_error(
    model: &ServiceModel,
    id: ShapeId,
    resp: &Response<'_>,
) -> Result<Map, ParseError> {
    parse_struct_body(model, &synthetic_ref(id), resp.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_every_major_type() {
        // {"a": [1, -2, 1.5(half), h'01', "x"(chunked), true, null], "t": 1(1.0e9 as f32)}
        let bytes = [
            0xbf, 0x61, b'a', 0x9f, 0x01, 0x21, 0xf9, 0x3e, 0x00, 0x41, 0x01, 0x7f, 0x61, b'x',
            0xff, 0xf5, 0xf6, 0xff, 0x61, b't', 0xc1, 0xfa, 0x4e, 0x6e, 0x6b, 0x28, 0xff,
        ];
        let v = generic(decode(&bytes).unwrap()).unwrap();
        assert_eq!(
            v.get("a"),
            &Value::List(vec![
                Value::Integer(1),
                Value::Integer(-2),
                Value::Float(1.5),
                Value::blob(vec![1u8]),
                "x".into(),
                true.into(),
                Value::Null
            ])
        );
        assert_eq!(
            v.get("t").as_timestamp().unwrap().epoch_secs(),
            1_000_000_000
        );
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            &[0x18][..],
            &[0x62, b'a'],
            &[0x9f, 0x01],
            &[0xff],
            &[0x1c],
            &[0x01, 0x02],
            &[0x9b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            &[0x62, 0xff, 0xfe],
        ] {
            assert!(decode(bad).is_err(), "{bad:x?}");
        }
        let deep = [0x81u8; MAX_DEPTH + 2];
        assert!(decode(&deep).is_err());
    }

    #[test]
    fn half_floats() {
        assert_eq!(f16_to_f64(0x3c00), 1.0);
        assert_eq!(f16_to_f64(0xc000), -2.0);
        assert_eq!(f16_to_f64(0x0001), 5.960464477539063e-8);
        assert_eq!(f16_to_f64(0x7c00), f64::INFINITY);
        assert!(f16_to_f64(0x7e00).is_nan());
    }
}
