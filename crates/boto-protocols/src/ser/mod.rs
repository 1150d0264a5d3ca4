//! Request serializers, one walker per protocol over the shape graph.
//!
//! Every protocol turns the same inputs (model, operation, parameter
//! [`Value`]) into a [`Request`]; they differ only in where members go and
//! how scalars are spelled. This module holds what they share: dispatch on
//! `metadata.protocol`, botocore's idempotency-token autofill and host-prefix
//! expansion, and the scalar spellings (timestamps per format and precision,
//! Python-style float text, base64) that must match botocore byte for byte.
//!
//! Serializers never panic on bad parameters: anything they cannot encode
//! (a list where a structure belongs, an unknown member, a missing URI label)
//! is a [`SerializeError`].

mod cbor;
mod ec2;
pub mod eventstream;
mod json;
mod query;
mod rest;
mod rest_json;
mod rest_xml;

use crate::{Request, SerializeError};
use boto_model::{
    MemberRef, Operation, ServiceModel, Shape, ShapeKind, StructureShape, Timestamp,
    TimestampFormat, Value,
};

/// Knobs botocore exposes per client.
#[derive(Debug, Clone)]
pub struct SerializeOptions {
    /// botocore's `timestamp_precision='millisecond'` (enabled for a few
    /// services): ISO 8601 always with `.mmm`, epoch seconds with a
    /// millisecond fraction. The default keeps microseconds in ISO 8601 and
    /// whole seconds in epoch form.
    pub millisecond_timestamps: bool,
    /// Fill absent top-level `idempotencyToken` members with a random v4 UUID
    /// (botocore's `generate_idempotent_uuid` handler). On by default.
    pub fill_idempotency_tokens: bool,
}

impl Default for SerializeOptions {
    fn default() -> Self {
        SerializeOptions {
            millisecond_timestamps: false,
            fill_idempotency_tokens: true,
        }
    }
}

/// What every walker carries along.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub model: &'a ServiceModel,
    pub op: &'a Operation,
    pub opts: &'a SerializeOptions,
}

impl<'a> Ctx<'a> {
    pub fn shape(&self, r: &MemberRef) -> &'a Shape {
        self.model.shape(r.target)
    }
}

pub(crate) fn serialize(
    model: &ServiceModel,
    op: &Operation,
    params: &Value,
) -> Result<Request, SerializeError> {
    serialize_with(model, op, params, &SerializeOptions::default())
}

/// [`crate::serialize`] with explicit [`SerializeOptions`].
pub fn serialize_with(
    model: &ServiceModel,
    op: &Operation,
    params: &Value,
    opts: &SerializeOptions,
) -> Result<Request, SerializeError> {
    let filled;
    let params = match params {
        Value::Null => {
            filled = Value::Map(Default::default());
            &filled
        }
        Value::Map(_) => params,
        other => {
            return Err(SerializeError::new(format!(
                "parameters must be a map, got {}",
                other.type_name()
            )))
        }
    };
    let params = if opts.fill_idempotency_tokens {
        match fill_idempotency_tokens(model, op, params) {
            Some(v) => std::borrow::Cow::Owned(v),
            None => std::borrow::Cow::Borrowed(params),
        }
    } else {
        std::borrow::Cow::Borrowed(params)
    };
    let ctx = Ctx { model, op, opts };
    let mut req = match model.metadata.protocol.as_str() {
        "query" => query::serialize(ctx, &params, query::Dialect::Query),
        "ec2" => query::serialize(ctx, &params, query::Dialect::Ec2),
        "json" => json::serialize(ctx, &params),
        "rest-json" => rest::serialize(ctx, &params, rest::BodyFormat::Json),
        "rest-xml" => rest::serialize(ctx, &params, rest::BodyFormat::Xml),
        "smithy-rpc-v2-cbor" => cbor::serialize(ctx, &params),
        other => Err(SerializeError::new(format!(
            "unsupported protocol {other:?}"
        ))),
    }?;
    req.host_prefix = expand_host_prefix(ctx, &params)?;
    Ok(req)
}

/// The input structure of the operation, if it has one.
pub(crate) fn input_structure<'a>(ctx: Ctx<'a>) -> Option<(&'a MemberRef, &'a StructureShape)> {
    let r = ctx.op.input.as_ref()?;
    Some((r, ctx.shape(r).as_structure()?))
}

/// botocore's `generate_idempotent_uuid`: absent token members get a UUID.
/// Returns `None` when nothing needed filling (the common case: no copy).
fn fill_idempotency_tokens(model: &ServiceModel, op: &Operation, params: &Value) -> Option<Value> {
    let input = model.shape(op.input.as_ref()?.target).as_structure()?;
    let map = params.as_map()?;
    let missing: Vec<&MemberRef> = input
        .members
        .iter()
        .filter(|m| {
            (m.traits.idempotency_token || model.shape(m.target).traits.idempotency_token)
                && !map.contains_key(&m.name)
        })
        .collect();
    if missing.is_empty() {
        return None;
    }
    let mut out = params.clone();
    let out_map = out.as_map_mut()?;
    for m in missing {
        out_map.insert(m.name.to_string(), Value::String(uuid_v4().into()));
    }
    Some(out)
}

/// A random (version 4) UUID. Idempotency tokens only need to be unique, so
/// std's randomly keyed SipHash over a clock reading and a counter is
/// enough; no RNG dependency.
pub fn uuid_v4() -> String {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let half = |salt: u64| {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(salt);
        h.write_u64(n);
        h.write_u128(now);
        h.finish()
    };
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&half(1).to_be_bytes());
    b[8..].copy_from_slice(&half(2).to_be_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}

/// Expands `endpoint.hostPrefix` labels (`{Name}`) from `hostLabel` members;
/// label values must be non-empty and contain only `A-Za-z0-9.-`.
fn expand_host_prefix(ctx: Ctx, params: &Value) -> Result<Option<String>, SerializeError> {
    let Some(template) = ctx.op.host_prefix.as_deref() else {
        return Ok(None);
    };
    let Some((_, input)) = input_structure(ctx) else {
        return Ok(Some(template.to_string()));
    };
    let mut out = template.to_string();
    for m in input.members.iter().filter(|m| m.traits.host_label) {
        let value = match params.get(&m.name) {
            Value::String(s) => s.as_str(),
            Value::Null => {
                return Err(SerializeError::new(format!(
                    "missing host label parameter {}",
                    m.name
                )))
            }
            other => {
                return Err(SerializeError::new(format!(
                    "host label {} must be a string, got {}",
                    m.name,
                    other.type_name()
                )))
            }
        };
        if value.is_empty()
            || !value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
        {
            return Err(SerializeError::new(format!(
                "invalid value for parameter {}: must contain only alphanumeric characters, hyphen, or period",
                m.name
            )));
        }
        out = out.replace(&format!("{{{}}}", m.name), value);
    }
    Ok(Some(out))
}

// ---------------------------------------------------------------------------
// Shared scalar spellings.

/// Iterates the non-null members of a structure value, resolving each key to
/// its member. Unknown keys are an error (validation normally catches them).
pub(crate) fn struct_members<'a, 'v>(
    shape: &'a Shape,
    s: &'a StructureShape,
    value: &'v Value,
) -> Result<Vec<(&'a MemberRef, &'v str, &'v Value)>, SerializeError> {
    let Value::Map(map) = value else {
        return Err(SerializeError::new(format!(
            "expected a map for structure {}, got {}",
            shape.name,
            value.type_name()
        )));
    };
    let mut out = Vec::with_capacity(map.len());
    for (k, v) in map {
        if v.is_null() {
            continue;
        }
        let m = s.member(k).ok_or_else(|| {
            SerializeError::new(format!(
                "unknown parameter {k:?} for structure {}",
                shape.name
            ))
        })?;
        out.push((m, k.as_str(), v));
    }
    Ok(out)
}

pub(crate) fn type_error(what: &str, v: &Value) -> SerializeError {
    SerializeError::new(format!("expected {what}, got {}", v.type_name()))
}

/// Any timestamp-ish value: a [`Timestamp`], epoch seconds, or a parseable string.
pub(crate) fn timestamp_of(v: &Value) -> Result<Timestamp, SerializeError> {
    match v {
        Value::Timestamp(t) => Ok(*t),
        Value::Integer(i) => Ok(Timestamp::from_epoch_secs(*i)),
        Value::Float(f) => Timestamp::from_epoch_f64(*f)
            .ok_or_else(|| SerializeError::new(format!("invalid timestamp {f}"))),
        Value::String(s) => Timestamp::parse(s).map_err(|e| SerializeError::new(e.to_string())),
        other => Err(type_error("a timestamp", other)),
    }
}

/// A timestamp formatted as text (query, XML, URI, headers).
pub(crate) fn timestamp_text(ctx: Ctx, t: Timestamp, format: TimestampFormat) -> String {
    let ms = ctx.opts.millisecond_timestamps;
    match format {
        TimestampFormat::Iso8601 if ms => t.to_iso8601_millis(),
        TimestampFormat::Iso8601 => t.to_iso8601(),
        TimestampFormat::Rfc822 => t.to_http_date(),
        TimestampFormat::UnixTimestamp => match epoch_millis_fraction(ctx, t) {
            Some(f) => py_float(f),
            None => t.epoch_secs().to_string(),
        },
    }
}

/// With millisecond precision and a non-zero millisecond part, the epoch
/// seconds as a float; otherwise `None` (whole seconds).
pub(crate) fn epoch_millis_fraction(ctx: Ctx, t: Timestamp) -> Option<f64> {
    let millis = t.subsec_nanos() / 1_000_000;
    (ctx.opts.millisecond_timestamps && millis > 0)
        .then(|| t.epoch_secs() as f64 + millis as f64 / 1000.0)
}

/// Python's `str(float)`: shortest round-trip digits, exponent form outside
/// `1e-4 <= |f| < 1e16`, and `.0` on whole numbers. Non-finite values use the
/// AWS spellings `NaN`, `Infinity`, `-Infinity`.
pub fn py_float(f: f64) -> String {
    if !f.is_finite() {
        return boto_model::format_special_float(f);
    }
    if f == 0.0 {
        return if f.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let point = exp as usize + 1;
            if digits.len() <= point {
                format!("{sign}{digits}{}.0", "0".repeat(point - digits.len()))
            } else {
                format!("{sign}{}.{}", &digits[..point], &digits[point..])
            }
        } else {
            format!("{sign}0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{first}{frac}e{esign}{:02}", exp.abs())
    }
}

/// A number as Python prints it: integers plainly, floats via [`py_float`].
pub(crate) fn number_text(v: &Value) -> Result<String, SerializeError> {
    match v {
        Value::Integer(i) => Ok(i.to_string()),
        Value::Float(f) => Ok(py_float(*f)),
        Value::String(s) => Ok(s.to_string()),
        other => Err(type_error("a number", other)),
    }
}

pub(crate) fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub(crate) fn blob_of(v: &Value) -> Result<&[u8], SerializeError> {
    v.as_blob().ok_or_else(|| type_error("a blob", v))
}

/// The text of a scalar in query, XML, URI and header positions, with the
/// timestamp format `default_ts` unless the reference overrides it.
pub(crate) fn scalar_text(
    ctx: Ctx,
    r: &MemberRef,
    v: &Value,
    default_ts: TimestampFormat,
) -> Result<String, SerializeError> {
    let shape = ctx.shape(r);
    match &shape.kind {
        ShapeKind::Boolean => match v {
            Value::Bool(b) => Ok(if *b { "true" } else { "false" }.into()),
            Value::String(s) if s == "true" || s == "false" => Ok(s.to_string()),
            other => Err(type_error("a boolean", other)),
        },
        ShapeKind::Blob => Ok(base64(blob_of(v)?)),
        ShapeKind::Timestamp => {
            let format = ctx.model.timestamp_format(r).unwrap_or(default_ts);
            Ok(timestamp_text(ctx, timestamp_of(v)?, format))
        }
        ShapeKind::Integer
        | ShapeKind::Long
        | ShapeKind::Float
        | ShapeKind::Double
        | ShapeKind::BigInteger
        | ShapeKind::BigDecimal => number_text(v),
        ShapeKind::String => match v {
            Value::String(s) => Ok(s.to_string()),
            Value::Integer(_) | Value::Float(_) => number_text(v),
            Value::Bool(b) => Ok(if *b { "True" } else { "False" }.into()),
            other => Err(type_error("a string", other)),
        },
        ShapeKind::Structure(_) | ShapeKind::List { .. } | ShapeKind::Map { .. } => {
            Err(SerializeError::new(format!(
                "{} shape {} cannot be written as text here",
                shape.type_name(),
                shape.name
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_float_text() {
        for (f, s) in [
            (1.1, "1.1"),
            (1.0, "1.0"),
            (-2.5, "-2.5"),
            (1234.5, "1234.5"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (1e16, "1e+16"),
            (123456789012345.0, "123456789012345.0"),
            (1.5e300, "1.5e+300"),
            (0.1 + 0.2, "0.30000000000000004"),
            (f64::NAN, "NaN"),
            (f64::NEG_INFINITY, "-Infinity"),
        ] {
            assert_eq!(py_float(f), s, "{f:?}");
        }
    }

    fn model(protocol: &str) -> std::sync::Arc<ServiceModel> {
        let doc = serde_json::json!({
            "metadata": {"protocol": protocol, "apiVersion": "2020-01-01", "targetPrefix": "Svc",
                         "jsonVersion": "1.1"},
            "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/{Id}"},
                                  "endpoint": {"hostPrefix": "{Id}."}, "input": {"shape": "In"}}},
            "shapes": {
                "In": {"type": "structure", "members": {
                    "Id": {"shape": "S", "location": "uri", "locationName": "Id", "hostLabel": true},
                    "Token": {"shape": "S", "idempotencyToken": true},
                    "Nested": {"shape": "In"}, "L": {"shape": "L"}, "T": {"shape": "T"}}},
                "S": {"type": "string"}, "T": {"type": "timestamp"},
                "L": {"type": "list", "member": {"shape": "S"}}
            }
        });
        ServiceModel::from_json("svc", &doc).unwrap()
    }

    const PROTOCOLS: [&str; 6] = [
        "query",
        "ec2",
        "json",
        "rest-json",
        "rest-xml",
        "smithy-rpc-v2-cbor",
    ];

    #[test]
    fn fills_idempotency_tokens_and_host_prefix() {
        for protocol in PROTOCOLS {
            let m = model(protocol);
            let op = m.operation("Op").unwrap();
            let req = serialize(&m, op, &boto_model::value!({"Id": "abc"})).unwrap();
            assert_eq!(req.host_prefix.as_deref(), Some("abc."), "{protocol}");
            let body = String::from_utf8_lossy(req.body.as_bytes()).into_owned();
            assert!(body.contains("Token"), "{protocol}: {body}");
            let opts = SerializeOptions {
                fill_idempotency_tokens: false,
                ..Default::default()
            };
            let req = serialize_with(&m, op, &boto_model::value!({"Id": "abc"}), &opts).unwrap();
            assert!(
                !String::from_utf8_lossy(req.body.as_bytes()).contains("Token"),
                "{protocol}"
            );
        }
    }

    #[test]
    fn bad_parameters_are_errors_not_panics() {
        let bad = [
            boto_model::value!({"Id": "a b"}),
            boto_model::value!({"Id": "ok", "Nope": 1}),
            boto_model::value!({"Id": "ok", "Nested": [1]}),
            boto_model::value!({"Id": "ok", "L": {"x": 1}}),
            boto_model::value!({"Id": "ok", "T": "not a time"}),
            boto_model::value!({"Id": "ok", "L": [[1]]}),
            boto_model::value!({"Id": "ok", "Token": {"x": 1}}),
            boto_model::value!([1, 2]),
        ];
        for protocol in PROTOCOLS {
            let m = model(protocol);
            let op = m.operation("Op").unwrap();
            for params in &bad {
                assert!(serialize(&m, op, params).is_err(), "{protocol}: {params:?}");
            }
            assert!(
                serialize(&m, op, &boto_model::value!({"T": 0})).is_err(),
                "{protocol}: missing host label"
            );
        }
    }

    #[test]
    fn millisecond_precision() {
        let m = model("rest-xml");
        let op = m.operation("Op").unwrap();
        let t = Timestamp::from_epoch_f64(1.25).unwrap();
        let params = boto_model::value!({"Id": "a", "T": t, "Token": "x"});
        let body = |opts: &SerializeOptions| {
            String::from_utf8(
                serialize_with(&m, op, &params, opts)
                    .unwrap()
                    .body
                    .as_bytes()
                    .to_vec(),
            )
            .unwrap()
        };
        assert!(body(&SerializeOptions::default()).contains("<T>1970-01-01T00:00:01.250000Z</T>"));
        let ms = SerializeOptions {
            millisecond_timestamps: true,
            ..Default::default()
        };
        assert!(body(&ms).contains("<T>1970-01-01T00:00:01.250Z</T>"));
    }

    #[test]
    fn uuids_are_v4_and_distinct() {
        let a = uuid_v4();
        let b = uuid_v4();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }
}
