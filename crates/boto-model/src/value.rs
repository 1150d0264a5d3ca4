//! The dynamic value every request parameter and every parsed response is made of.
//!
//! boto-rs has no generated types per service, so parameters and results are a
//! small tagged tree. It keeps the distinctions the wire protocols need and JSON
//! loses: integers vs floats, blobs (raw bytes) vs strings, timestamps, and the
//! order of map keys. Users convert to and from their own types with serde
//! ([`crate::to_value`], [`crate::from_value`]).

use indexmap::IndexMap;
use std::fmt;

pub use crate::timestamp::Timestamp;

/// An ordered map of member or key names to values.
pub type Map = IndexMap<String, Value>;

/// A dynamic value: the parameters of a call and the result of one.
#[derive(Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Integer(i64),
    Float(f64),
    String(String),
    /// Raw bytes. Protocols encode them (base64 in JSON/XML/query, raw in CBOR/payloads).
    Blob(Vec<u8>),
    Timestamp(Timestamp),
    List(Vec<Value>),
    Map(Map),
}

impl Value {
    /// A short name of the variant, used in validation and conversion errors.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Integer(_) => "integer",
            Value::Float(_) => "float",
            Value::String(_) => "string",
            Value::Blob(_) => "blob",
            Value::Timestamp(_) => "timestamp",
            Value::List(_) => "list",
            Value::Map(_) => "map",
        }
    }

    /// A blob value (`Vec<u8>` converts to a list of integers, like any `Vec`).
    pub fn blob(bytes: impl Into<Vec<u8>>) -> Value {
        Value::Blob(bytes.into())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 && f.is_finite() => Some(*f as i64),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }
    pub fn as_blob(&self) -> Option<&[u8]> {
        match self {
            Value::Blob(b) => Some(b),
            Value::String(s) => Some(s.as_bytes()),
            _ => None,
        }
    }
    pub fn as_timestamp(&self) -> Option<Timestamp> {
        match self {
            Value::Timestamp(t) => Some(*t),
            _ => None,
        }
    }
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    pub fn as_map_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// Member lookup on a map; `Null` for anything else or a missing key.
    pub fn get(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        match self {
            Value::Map(m) => m.get(key).unwrap_or(&NULL),
            _ => &NULL,
        }
    }

    /// Follows a dotted path with list indexes, e.g. `Contents[0].Key`.
    /// Missing steps give `Null`. (Full JMESPath lives in `boto-jmespath`.)
    pub fn pointer(&self, path: &str) -> &Value {
        static NULL: Value = Value::Null;
        let mut cur = self;
        for part in path.split('.').filter(|p| !p.is_empty()) {
            let (name, rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if !name.is_empty() {
                cur = cur.get(name);
            }
            for idx in rest.split('[').filter(|s| !s.is_empty()) {
                let Some(n) = idx.strip_suffix(']').and_then(|n| n.parse::<usize>().ok()) else {
                    return &NULL;
                };
                cur = match cur {
                    Value::List(l) => l.get(n).unwrap_or(&NULL),
                    _ => &NULL,
                };
            }
        }
        cur
    }

    /// Converts a JSON value without a shape: numbers become Integer or Float,
    /// everything else maps one to one. Use [`crate::coerce`] for shape-aware
    /// conversion (blobs, timestamps).
    pub fn from_json(j: &serde_json::Value) -> Value {
        match j {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Integer(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Array(a) => Value::List(a.iter().map(Value::from_json).collect()),
            serde_json::Value::Object(o) => Value::Map(
                o.iter()
                    .map(|(k, v)| (k.clone(), Value::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Converts to JSON the way boto3 users see results printed (aws-cli style):
    /// blobs as base64, timestamps as ISO 8601.
    pub fn to_json(&self) -> serde_json::Value {
        use base64::Engine;
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Integer(i) => (*i).into(),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or_else(|| serde_json::Value::String(format_special_float(*f))),
            Value::String(s) => s.clone().into(),
            Value::Blob(b) => base64::engine::general_purpose::STANDARD.encode(b).into(),
            Value::Timestamp(t) => t.to_iso8601().into(),
            Value::List(l) => l.iter().map(Value::to_json).collect(),
            Value::Map(m) => {
                serde_json::Value::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
        }
    }
}

/// `NaN`, `Infinity`, `-Infinity`: how AWS protocols spell non-finite floats.
pub fn format_special_float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f > 0.0 {
        "Infinity".into()
    } else {
        "-Infinity".into()
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Integer(i) => write!(f, "{i}"),
            Value::Float(x) => write!(f, "{x:?}"),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Blob(b) => write!(f, "<blob {} bytes>", b.len()),
            Value::Timestamp(t) => write!(f, "{}", t.to_iso8601()),
            Value::List(l) => f.debug_list().entries(l).finish(),
            Value::Map(m) => f.debug_map().entries(m.iter()).finish(),
        }
    }
}

/// Pretty JSON, as aws-cli prints results.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = serde_json::to_string_pretty(&self.to_json()).map_err(|_| fmt::Error)?;
        f.write_str(&s)
    }
}

macro_rules! from_int {
    ($($t:ty),*) => {$(
        impl From<$t> for Value { fn from(v: $t) -> Self { Value::Integer(v as i64) } }
    )*};
}
from_int!(i8, i16, i32, i64, u8, u16, u32, isize);

impl From<u64> for Value {
    fn from(v: u64) -> Self {
        i64::try_from(v)
            .map(Value::Integer)
            .unwrap_or(Value::Float(v as f64))
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::from(v as u64)
    }
}
impl From<f32> for Value {
    fn from(v: f32) -> Self {
        Value::Float(v as f64)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::String(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::String(v.clone())
    }
}
impl From<Timestamp> for Value {
    fn from(v: Timestamp) -> Self {
        Value::Timestamp(v)
    }
}
impl From<Map> for Value {
    fn from(v: Map) -> Self {
        Value::Map(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Value::Null)
    }
}
impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(v: Vec<T>) -> Self {
        Value::List(v.into_iter().map(Into::into).collect())
    }
}
impl<T: Into<Value> + Clone> From<&[T]> for Value {
    fn from(v: &[T]) -> Self {
        Value::List(v.iter().cloned().map(Into::into).collect())
    }
}

/// Builds a [`Value`] with JSON-like syntax.
///
/// ```
/// use boto_model::{value, Value};
/// let v = value!({"Bucket": "b", "Delete": {"Objects": [{"Key": "a"}], "Quiet": true}});
/// assert_eq!(v.pointer("Delete.Objects[0].Key").as_str(), Some("a"));
/// ```
#[macro_export]
macro_rules! value {
    (null) => { $crate::Value::Null };
    ([ $($elem:tt),* $(,)? ]) => {
        $crate::Value::List(vec![ $( $crate::value!($elem) ),* ])
    };
    ({ $($key:literal : $val:tt),* $(,)? }) => {{
        #[allow(unused_mut)]
        let mut m = $crate::Map::new();
        $( m.insert(($key).to_string(), $crate::value!($val)); )*
        $crate::Value::Map(m)
    }};
    ($other:expr) => { $crate::Value::from($other) };
}

/// Builds the parameter map of a call: `params!{"Bucket": "b", "MaxKeys": 10}`.
#[macro_export]
macro_rules! params {
    ($($key:literal : $val:tt),* $(,)?) => { $crate::value!({ $($key : $val),* }) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macro_builds_nested_values() {
        let n = 3;
        let v = value!({"A": 1, "B": [true, null, "x"], "C": {"D": 2.5}, "E": n});
        assert_eq!(v.get("A"), &Value::Integer(1));
        assert_eq!(v.pointer("B[2]").as_str(), Some("x"));
        assert_eq!(v.pointer("C.D").as_f64(), Some(2.5));
        assert_eq!(v.get("E").as_i64(), Some(3));
        assert!(v.pointer("B[9]").is_null());
        assert!(v.pointer("Z.Y").is_null());
        let keys: Vec<_> = v.as_map().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["A", "B", "C", "E"]);
    }

    #[test]
    fn json_round_trip_keeps_ints_and_order() {
        let j: serde_json::Value =
            serde_json::from_str(r#"{"z":1,"a":1.5,"m":[null,"s"]}"#).unwrap();
        let v = Value::from_json(&j);
        assert_eq!(v.get("z"), &Value::Integer(1));
        assert_eq!(v.to_json(), j);
    }

    #[test]
    fn blobs_and_timestamps_print_like_aws_cli() {
        let v = value!({"B": (Value::blob(vec![1u8, 2, 3])), "T": (Timestamp::from_epoch_secs(0))});
        assert_eq!(
            v.to_json().to_string(),
            r#"{"B":"AQID","T":"1970-01-01T00:00:00Z"}"#
        );
        assert_eq!(format!("{:?}", v.get("B")), "<blob 3 bytes>");
    }
}
