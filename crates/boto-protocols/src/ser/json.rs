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
    let mut target = String::with_capacity(prefix.len() + 1 + ctx.op.name.len());
    for part in [prefix, ".", &ctx.op.name] {
        target.push_str(part);
    }
    let mut headers = Vec::with_capacity(3);
    headers.push(("X-Amz-Target".to_string(), target));
    headers.push((
        "Content-Type".to_string(),
        ["application/x-amz-json-", version].concat(),
    ));
    if meta.aws_query_compatible {
        headers.push(("x-amzn-query-mode".into(), "true".into()));
    }
    let body = match &ctx.op.input {
        Some(input) => write(ctx, input, params, Style::Python)?,
        None => b"{}".to_vec(),
    };
    Ok(Request {
        method: ctx.op.http.method.to_string(),
        path: "/".into(),
        headers,
        body: Body::Bytes(body),
        ..Request::default()
    })
}

/// How a body is spelled.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// botocore's request bodies ([`write_python`]).
    Python,
    /// Event-stream payloads (which botocore never sends): `serde_json`'s
    /// compact form.
    Compact,
}

/// Writes `v` (a value of reference `r`) as JSON, straight from the value
/// by its shape: no intermediate `serde_json::Value` (which cost a GetItem
/// call ~26 allocations).
pub(crate) fn write(
    ctx: Ctx,
    r: &MemberRef,
    v: &Value,
    style: Style,
) -> Result<Vec<u8>, SerializeError> {
    let mut out = String::with_capacity(256);
    Writer {
        ctx,
        style,
        out: &mut out,
    }
    .value(r, v, 0)?;
    Ok(out.into_bytes())
}

/// A request body as botocore writes it: Python's `json.dumps(body)` (`", "`
/// and `": "` separators, non-ASCII escaped as `\uXXXX`, floats as Python's
/// `repr`), so bodies (and their `Content-Length`, checksums and signatures)
/// are botocore's byte for byte. [`write`] spells values this way; this is
/// the same for free-form JSON (documents, `jsonvalue` members).
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

struct Writer<'c, 'o> {
    ctx: Ctx<'c>,
    style: Style,
    out: &'o mut String,
}

impl Writer<'_, '_> {
    fn json(&mut self, j: &Json) -> Result<(), SerializeError> {
        match self.style {
            Style::Python => write_python(j, self.out),
            Style::Compact => self.out.push_str(
                &serde_json::to_string(j).map_err(|e| SerializeError::new(e.to_string()))?,
            ),
        }
        Ok(())
    }

    fn string(&mut self, s: &str) -> Result<(), SerializeError> {
        match self.style {
            Style::Python => boto_util::json::push_string_ascii(self.out, s),
            Style::Compact => self.out.push_str(
                &serde_json::to_string(s).map_err(|e| SerializeError::new(e.to_string()))?,
            ),
        }
        Ok(())
    }

    fn separator(&mut self, first: &mut bool) {
        if !std::mem::take(first) {
            self.out.push_str(if self.style == Style::Python {
                ", "
            } else {
                ","
            });
        }
    }

    fn key(&mut self, k: &str) -> Result<(), SerializeError> {
        self.string(k)?;
        self.out.push_str(if self.style == Style::Python {
            ": "
        } else {
            ":"
        });
        Ok(())
    }

    fn float(&mut self, f: f64) -> Result<(), SerializeError> {
        match (f.is_finite(), self.style) {
            (true, Style::Python) => python_float(f, self.out),
            _ => self.json(&number(f))?,
        }
        Ok(())
    }

    /// Writes a value of reference `r`.
    fn value(&mut self, r: &MemberRef, v: &Value, depth: usize) -> Result<(), SerializeError> {
        use std::fmt::Write as _;
        if depth > MAX_DEPTH {
            return Err(SerializeError::new("parameters nested too deeply"));
        }
        if v.is_null() {
            self.out.push_str("null");
            return Ok(());
        }
        let model = self.ctx.model;
        let shape = model.shape(r.target);
        match &shape.kind {
            ShapeKind::Structure(s) if s.document => self.json(&v.to_json())?,
            ShapeKind::Structure(s) => {
                // Every key is checked before any member is written, so an
                // unknown parameter is the error whatever else is wrong.
                let Value::Map(map) = v else {
                    struct_members(shape, s, v)?;
                    return Ok(());
                };
                for (k, mv) in map {
                    if !mv.is_null() && s.member(k).is_none() {
                        struct_members(shape, s, v)?;
                    }
                }
                self.out.push('{');
                let mut first = true;
                for (k, mv) in map {
                    let Some(m) = s.member(k).filter(|_| !mv.is_null()) else {
                        continue;
                    };
                    self.separator(&mut first);
                    self.key(model.location_name(m).unwrap_or(k))?;
                    self.value(m, mv, depth + 1)?;
                }
                self.out.push('}');
            }
            ShapeKind::List { member } => {
                let items = v.as_list().ok_or_else(|| type_error("a list", v))?;
                self.out.push('[');
                let mut first = true;
                for item in items {
                    self.separator(&mut first);
                    self.value(member, item, depth + 1)?;
                }
                self.out.push(']');
            }
            ShapeKind::Map { value, .. } => {
                let map = v.as_map().ok_or_else(|| type_error("a map", v))?;
                self.out.push('{');
                let mut first = true;
                for (k, mv) in map {
                    self.separator(&mut first);
                    self.key(k)?;
                    self.value(value, mv, depth + 1)?;
                }
                self.out.push('}');
            }
            ShapeKind::Timestamp => {
                let t = timestamp_of(v)?;
                match model
                    .timestamp_format(r)
                    .unwrap_or(TimestampFormat::UnixTimestamp)
                {
                    TimestampFormat::UnixTimestamp => match epoch_millis_fraction(self.ctx, t) {
                        Some(f) => self.float(f)?,
                        None => {
                            let _ = write!(self.out, "{}", t.epoch_secs());
                        }
                    },
                    other => self.string(&timestamp_text(self.ctx, t, other))?,
                }
            }
            ShapeKind::Blob => self.string(&base64(blob_of(v)?))?,
            ShapeKind::Boolean => {
                let b = v.as_bool().ok_or_else(|| type_error("a boolean", v))?;
                self.out.push_str(if b { "true" } else { "false" });
            }
            ShapeKind::Integer
            | ShapeKind::Long
            | ShapeKind::BigInteger
            | ShapeKind::Float
            | ShapeKind::Double
            | ShapeKind::BigDecimal => match v {
                Value::Integer(i) => {
                    let _ = write!(self.out, "{i}");
                }
                Value::Float(f) => self.float(*f)?,
                other => return Err(type_error("a number", other)),
            },
            ShapeKind::String => match v {
                Value::String(s) => self.string(s)?,
                // A `jsonvalue` string given as structured data: embed it as is.
                other if r.traits.jsonvalue || shape.traits.jsonvalue => {
                    self.json(&other.to_json())?
                }
                other => return Err(type_error("a string", other)),
            },
        }
        Ok(())
    }
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
        let mut encoded = String::new();
        write_python(&body, &mut encoded);
        assert_eq!(
            encoded,
            r#"{"a": 1, "b": [true, null, 2.5, "\u00e9\u2028\ud83d\ude00"], "c": {}, "d": [], "e": -7}"#
        );
    }
}

#[cfg(test)]
mod writer_tests {
    use super::*;
    use crate::SerializeOptions;
    use boto_model::ServiceModel;

    /// Both spellings of one value walked by shape: botocore's `json.dumps`
    /// and the compact form (`serde_json`'s: 1e-5 is `0.00001`, non-ASCII raw).
    #[test]
    fn python_and_compact_spellings() {
        let model = ServiceModel::from_slice(
            "t",
            br#"{"metadata": {"protocol": "json", "targetPrefix": "T", "jsonVersion": "1.0"},
                 "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/"},
                                       "input": {"shape": "In"}}},
                 "shapes": {
                   "In": {"type": "structure", "members": {
                     "S": {"shape": "Str", "locationName": "s"}, "F": {"shape": "Dbl"},
                     "L": {"shape": "List"}, "M": {"shape": "Map"}, "T": {"shape": "Ts"},
                     "B": {"shape": "Blob"}, "N": {"shape": "Dbl"}, "I": {"shape": "Dbl"}}},
                   "Str": {"type": "string"}, "Dbl": {"type": "double"},
                   "List": {"type": "list", "member": {"shape": "Bool"}}, "Bool": {"type": "boolean"},
                   "Map": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "In"}},
                   "Ts": {"type": "timestamp"}, "Blob": {"type": "blob"}}}"#,
        )
        .unwrap();
        let op = model.operation("Op").unwrap();
        let opts = SerializeOptions::default();
        let ctx = Ctx {
            model: &model,
            op,
            opts: &opts,
        };
        let v = boto_model::params! {
            "S": "é\u{2028}\"q\"\n", "F": 1e-5, "L": [true, false], "M": {"k": {"N": 2.5}},
            "T": 1714560000, "B": boto_model::Value::Blob(b"hi".to_vec()), "N": f64::NAN, "I": 7,
            "Z": null
        };
        let mut v = v;
        v.as_map_mut().unwrap().shift_remove("Z");
        let input = op.input.as_ref().unwrap();
        let python = String::from_utf8(write(ctx, input, &v, Style::Python).unwrap()).unwrap();
        assert_eq!(
            python,
            r#"{"s": "\u00e9\u2028\"q\"\n", "F": 1e-05, "L": [true, false], "M": {"k": {"N": 2.5}}, "T": 1714560000, "B": "aGk=", "N": "NaN", "I": 7}"#
        );
        let compact = String::from_utf8(write(ctx, input, &v, Style::Compact).unwrap()).unwrap();
        assert_eq!(
            compact,
            "{\"s\":\"é\u{2028}\\\"q\\\"\\n\",\"F\":0.00001,\"L\":[true,false],\"M\":{\"k\":{\"N\":2.5}},\"T\":1714560000,\"B\":\"aGk=\",\"N\":\"NaN\",\"I\":7}"
        );
        // An unknown member is the error, whatever else is wrong.
        let bad = boto_model::params! {"L": "not a list", "Nope": 1};
        let e = write(ctx, input, &bad, Style::Python).unwrap_err();
        assert!(e.to_string().contains("unknown parameter \"Nope\""), "{e}");
    }
}
