//! Scalars from text: what botocore's XML, query and header parsers do with
//! a member's character data (`int()`, `float()`, `== "true"`, the
//! timestamp parser, `b64decode`), shared by every text-based protocol.

use super::{decode_base64, truncate};
use crate::ParseError;
use boto_model::{ShapeKind, Value};

/// A timestamp from text in any AWS format (ISO 8601, HTTP date, epoch seconds).
pub(crate) fn timestamp_from_text(s: &str) -> Result<Value, ParseError> {
    boto_model::Timestamp::parse(s)
        .map(Value::Timestamp)
        .map_err(|_| ParseError::new(format!("invalid timestamp {:?}", truncate(s))))
}

pub(crate) fn timestamp_from_f64(f: f64) -> Result<Value, ParseError> {
    boto_model::Timestamp::from_epoch_f64(f)
        .map(Value::Timestamp)
        .ok_or_else(|| ParseError::new(format!("timestamp out of range: {f}")))
}

/// Python's `int()` of text: surrounding whitespace and a sign allowed.
pub(crate) fn int_from_text(s: &str) -> Result<Value, ParseError> {
    let t = s.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Ok(Value::Integer(i));
    }
    // Too big for i64 but a valid integer: keep the magnitude as a float.
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(f) = t.parse::<f64>() {
            return Ok(Value::Float(f));
        }
    }
    Err(ParseError::new(format!(
        "invalid integer {:?}",
        truncate(s)
    )))
}

/// Python's `float()` of text, including `NaN`, `Infinity`, `-Infinity`.
pub(crate) fn float_from_text(s: &str) -> Result<Value, ParseError> {
    let t = s.trim();
    special_float(t)
        .or_else(|| t.parse::<f64>().ok())
        .map(Value::Float)
        .ok_or_else(|| ParseError::new(format!("invalid number {:?}", truncate(s))))
}

pub(crate) fn special_float(t: &str) -> Option<f64> {
    let u = t.strip_prefix(['+', '-']).unwrap_or(t);
    let neg = t.starts_with('-');
    let f = if u.eq_ignore_ascii_case("nan") {
        f64::NAN
    } else if u.eq_ignore_ascii_case("infinity") || u.eq_ignore_ascii_case("inf") {
        f64::INFINITY
    } else {
        return None;
    };
    Some(if neg { -f } else { f })
}

/// Parses text into the scalar `kind` the way botocore's XML and header
/// handlers do (`int()`, `float()`, `== "true"`, timestamp parser, b64decode).
pub(crate) fn scalar_from_text(
    kind: &ShapeKind,
    text: &str,
    lenient_bool: bool,
) -> Result<Value, ParseError> {
    Ok(match kind {
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::BigInteger => int_from_text(text)?,
        ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal => float_from_text(text)?,
        ShapeKind::Boolean => Value::Bool(if lenient_bool {
            text.eq_ignore_ascii_case("true")
        } else {
            text == "true"
        }),
        ShapeKind::Timestamp => timestamp_from_text(text)?,
        ShapeKind::Blob => Value::Blob(decode_base64(text)?),
        _ => Value::String(text.into()),
    })
}
