//! The dynamic value every request parameter and every parsed response is made of.
//!
//! boto-rs has no generated types per service, so parameters and results are a
//! small tagged tree. It keeps the distinctions the wire protocols need and JSON
//! loses: integers vs floats, blobs (raw bytes) vs strings, timestamps, and the
//! order of map keys. Users convert to and from their own types with serde
//! ([`crate::to_value`], [`crate::from_value`]).

use std::fmt;

pub use crate::timestamp::Timestamp;

pub use crate::map::Map;
pub use crate::small_str::Str;

/// A dynamic value: the parameters of a call and the result of one.
///
/// What botocore passes around as Python dicts, lists, strings, numbers,
/// `bytes` and `datetime`s. Build one with [`crate::value!`]/[`crate::params!`]
/// (JSON-like syntax, any Rust expression as a value) or from serde types
/// with [`crate::to_value`]; read one with [`get`](Self::get) (never panics),
/// [`at`](Self::at) and the `as_*` accessors, or into serde types with
/// [`crate::from_value`].
///
/// ```
/// use boto_model::{from_value, params, Value};
///
/// let key = String::from("photos/cat.jpg");
/// let body: Vec<u8> = b"\xff\xd8".to_vec();
/// let params = params! {
///     "Bucket": "my-bucket",
///     "Key": key.clone(),                          // any expression
///     "Body": body,                                // Vec<u8> is a blob
///     "Metadata": {"owner": "me"},
///     "Tags": [1, 2.5, true, null],
/// };
/// assert_eq!(params.get("Key").as_str(), Some("photos/cat.jpg"));
/// assert_eq!(params.get("Body").as_blob(), Some(&[0xff, 0xd8][..]));
/// assert_eq!(params.at("Metadata.owner").and_then(Value::as_str), Some("me"));
/// assert_eq!(params.at("Tags[1]").and_then(Value::as_f64), Some(2.5));
/// assert!(params.get("Missing").get("Deeper").is_null());   // no panic on absent members
/// assert!(params.get("Contents").as_list_or_empty().is_empty());
///
/// // Results go into serde types (a missing list reads as empty).
/// #[derive(serde::Deserialize)]
/// struct Out { #[serde(rename = "Tags")] tags: Vec<Value>, #[serde(default, rename = "Contents")] contents: Vec<Value> }
/// let out: Out = from_value(params).unwrap();
/// assert_eq!((out.tags.len(), out.contents.len()), (4, 0));
/// ```
#[derive(Clone, PartialEq, Default)]
pub enum Value {
    #[default]
    /// No value: a missing member, or JSON `null`. Absent members are left out of requests.
    Null,
    /// A `boolean`.
    Bool(bool),
    /// An `integer` or `long` (also `bigInteger` when it fits).
    Integer(i64),
    /// A `float` or `double` (`NaN` and the infinities included, as the protocols allow them).
    Float(f64),
    /// A `string` (enum values included): a [`Str`], inline up to 23 bytes.
    String(Str),
    /// Raw bytes. Protocols encode them (base64 in JSON/XML/query, raw in CBOR/payloads).
    Blob(Vec<u8>),
    /// A `timestamp`; the protocol decides the wire format.
    Timestamp(Timestamp),
    /// A `list`.
    List(Vec<Value>),
    /// A `structure` or `map`, keys in insertion order.
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

    /// A blob value (`Value::from` of `Vec<u8>`, `&[u8]` or `b"..."` is one too).
    pub fn blob(bytes: impl Into<Vec<u8>>) -> Value {
        Value::Blob(bytes.into())
    }

    /// True for [`Value::Null`] (what [`get`](Self::get) returns for a missing member).
    #[inline]
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }
    /// The string of a [`Value::String`].
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    /// The flag of a [`Value::Bool`].
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
    /// An integer, or a float with no fractional part.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Integer(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 && f.is_finite() => Some(*f as i64),
            _ => None,
        }
    }
    /// A number as `f64` (integers converted).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }
    /// The bytes of a blob, or of a string (botocore accepts both for blob members).
    pub fn as_blob(&self) -> Option<&[u8]> {
        match self {
            Value::Blob(b) => Some(b),
            Value::String(s) => Some(s.as_bytes()),
            _ => None,
        }
    }
    /// The instant of a [`Value::Timestamp`].
    pub fn as_timestamp(&self) -> Option<Timestamp> {
        match self {
            Value::Timestamp(t) => Some(*t),
            _ => None,
        }
    }
    /// The elements of a list (`None` for anything else; see [`as_list_or_empty`](Self::as_list_or_empty)).
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }
    /// The members of a structure or map.
    pub fn as_map(&self) -> Option<&Map> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }
    /// The members of a structure or map, to change in place.
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

    /// Like [`Value::pointer`], but `None` when the path leads nowhere (a
    /// missing member, an index past the end, or a `null`):
    /// `out.at("Contents[0].Key").and_then(Value::as_str)`.
    pub fn at(&self, path: &str) -> Option<&Value> {
        Some(self.pointer(path)).filter(|v| !v.is_null())
    }

    /// The elements of a list; empty for anything else. AWS omits empty
    /// lists from responses (S3's `Contents`), so this is how to iterate
    /// one: `for obj in out.get("Contents").as_list_or_empty() { ... }`.
    pub fn as_list_or_empty(&self) -> &[Value] {
        self.as_list().unwrap_or(&[])
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
            serde_json::Value::String(s) => Value::String(s.as_str().into()),
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
            Value::String(s) => s.as_str().into(),
            Value::Blob(b) => base64::engine::general_purpose::STANDARD.encode(b).into(),
            Value::Timestamp(t) => t.to_iso8601().into(),
            Value::List(l) => l.iter().map(Value::to_json).collect(),
            Value::Map(m) => serde_json::Value::Object(
                m.iter()
                    .map(|(k, v)| (k.to_string(), v.to_json()))
                    .collect(),
            ),
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
// No `From<u8>`: byte sequences are blobs (below), and a lone `u8` would make
// `Vec<u8>` ambiguous between a list of numbers and bytes.
from_int!(i8, i16, i32, i64, u16, u32, isize);

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
        Value::String(v.into())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::String(v.into())
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::String(v.into())
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
impl From<&Value> for Value {
    fn from(v: &Value) -> Self {
        v.clone()
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

// Bytes are blobs: `Vec<u8>`, `&[u8]`, `[u8; N]`, `&[u8; N]` (`b"..."`),
// `&Vec<u8>` and `bytes::Bytes` all become `Value::Blob`.
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Blob(v)
    }
}
impl From<&Vec<u8>> for Value {
    fn from(v: &Vec<u8>) -> Self {
        Value::Blob(v.clone())
    }
}
impl From<&[u8]> for Value {
    fn from(v: &[u8]) -> Self {
        Value::Blob(v.to_vec())
    }
}
impl<const N: usize> From<[u8; N]> for Value {
    fn from(v: [u8; N]) -> Self {
        Value::Blob(v.to_vec())
    }
}
impl<const N: usize> From<&[u8; N]> for Value {
    fn from(v: &[u8; N]) -> Self {
        Value::Blob(v.to_vec())
    }
}
impl From<bytes::Bytes> for Value {
    fn from(v: bytes::Bytes) -> Self {
        Value::Blob(v.to_vec())
    }
}
impl From<&bytes::Bytes> for Value {
    fn from(v: &bytes::Bytes) -> Self {
        Value::Blob(v.to_vec())
    }
}

/// Builds a [`Value`] with JSON-like syntax.
///
/// Keys are string literals (or any single token that converts with
/// `.to_string()`: a variable, a parenthesized expression). Values are
/// `null`, nested `[...]` lists and `{...}` maps, or **any expression** whose
/// type converts into a `Value` (`From`): strings, numbers, booleans,
/// [`Timestamp`]s, `Option`s, `Vec`s, `Value`s, and bytes (`Vec<u8>`,
/// `&[u8]`, `b"..."`, `bytes::Bytes`), which become blobs.
///
/// ```
/// use boto_model::{value, Value};
/// let key = String::from("photos/a.jpg");
/// let n = 2;
/// let v = value!({
///     "Bucket": "b",
///     "Key": key.clone(),
///     "MaxKeys": n * 10,
///     "Body": b"hello",
///     "Delete": {"Objects": [{"Key": key}, {"Key": format!("x{}", n + 1)}], "Quiet": true},
/// });
/// assert_eq!(v.pointer("Delete.Objects[1].Key").as_str(), Some("x3"));
/// assert_eq!(v.get("MaxKeys").as_i64(), Some(20));
/// assert_eq!(v.get("Body"), &Value::Blob(b"hello".to_vec()));
/// ```
#[macro_export]
macro_rules! value {
    (null) => { $crate::Value::Null };
    // Fast paths when every element/value is one token tree (a literal, a
    // name, a nested list or map): no recursion per element, so long literal
    // lists stay under the macro recursion limit.
    ([ $($elem:tt),* $(,)? ]) => {
        $crate::Value::List(::std::vec![ $( $crate::value!($elem) ),* ])
    };
    ({ $($key:tt : $val:tt),* $(,)? }) => {{
        #[allow(unused_mut)]
        let mut map = $crate::Map::new();
        $( map.insert(($key).to_string(), $crate::value!($val)); )*
        $crate::Value::Map(map)
    }};
    ([ $($tt:tt)* ]) => {
        $crate::Value::List($crate::__value_list!([] $($tt)*))
    };
    ({ $($tt:tt)* }) => {{
        #[allow(unused_mut)]
        let mut map = $crate::Map::new();
        $crate::__value_map!(map; $($tt)*);
        $crate::Value::Map(map)
    }};
    ($other:expr) => { $crate::Value::from($other) };
}

/// The elements of a `value!` list, one at a time (a tt muncher, so an
/// element may be any expression up to the next top-level comma).
#[doc(hidden)]
#[macro_export]
macro_rules! __value_list {
    ([ $($done:expr,)* ]) => { ::std::vec![ $($done,)* ] };
    ([ $($done:expr,)* ] null $(, $($rest:tt)*)?) => {
        $crate::__value_list!([ $($done,)* $crate::Value::Null, ] $($($rest)*)?)
    };
    ([ $($done:expr,)* ] [ $($inner:tt)* ] $(, $($rest:tt)*)?) => {
        $crate::__value_list!([ $($done,)* $crate::value!([ $($inner)* ]), ] $($($rest)*)?)
    };
    ([ $($done:expr,)* ] { $($inner:tt)* } $(, $($rest:tt)*)?) => {
        $crate::__value_list!([ $($done,)* $crate::value!({ $($inner)* }), ] $($($rest)*)?)
    };
    ([ $($done:expr,)* ] $e:expr $(, $($rest:tt)*)?) => {
        $crate::__value_list!([ $($done,)* $crate::Value::from($e), ] $($($rest)*)?)
    };
}

/// The `key: value` pairs of a `value!` map, one at a time.
#[doc(hidden)]
#[macro_export]
macro_rules! __value_map {
    ($m:ident;) => {};
    ($m:ident; $key:tt : null $(, $($rest:tt)*)?) => {
        $m.insert(($key).to_string(), $crate::Value::Null);
        $crate::__value_map!($m; $($($rest)*)?);
    };
    ($m:ident; $key:tt : [ $($inner:tt)* ] $(, $($rest:tt)*)?) => {
        $m.insert(($key).to_string(), $crate::value!([ $($inner)* ]));
        $crate::__value_map!($m; $($($rest)*)?);
    };
    ($m:ident; $key:tt : { $($inner:tt)* } $(, $($rest:tt)*)?) => {
        $m.insert(($key).to_string(), $crate::value!({ $($inner)* }));
        $crate::__value_map!($m; $($($rest)*)?);
    };
    ($m:ident; $key:tt : $e:expr $(, $($rest:tt)*)?) => {
        $m.insert(($key).to_string(), $crate::Value::from($e));
        $crate::__value_map!($m; $($($rest)*)?);
    };
}

/// Builds the parameter map of a call: `params!{"Bucket": "b", "Key": key.clone(), "MaxKeys": 10}`.
/// Same syntax as the inside of a [`value!`] map.
#[macro_export]
macro_rules! params {
    ($($tt:tt)*) => { $crate::value!({ $($tt)* }) };
}

#[cfg(test)]
#[path = "value_tests.rs"]
mod tests;
