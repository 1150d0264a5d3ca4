//! serde interop for [`Value`]: users send their own `Serialize` types as
//! parameters and read results into their own `Deserialize` types.
//!
//! `to_value` / `from_value` are the `serde_json::to_value` / `from_value` of
//! this crate. `Value` and `Timestamp` also implement `Serialize` and
//! `Deserialize` themselves, so they can sit inside user structs and be
//! printed with any serde format.

mod bytes;
mod de;
mod ser;

pub use ser::ValueSerializer;

use crate::{Timestamp, Value};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::fmt;

/// Private newtype-struct names that let a `Value` keep blobs and timestamps
/// when it passes through our own serializer/deserializer.
pub(crate) const VALUE_TOKEN: &str = "$__boto_model_private_Value";
pub(crate) const TIMESTAMP_TOKEN: &str = "$__boto_model_private_Timestamp";
pub(crate) const BLOB_TOKEN: &str = "$__boto_model_private_Blob";
pub(crate) const TS_SECS_KEY: &str = "$__boto_model_private_ts_secs";
pub(crate) const TS_NANOS_KEY: &str = "$__boto_model_private_ts_nanos";

/// One step of the path to a value inside a [`Value`] tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// A member or map key.
    Key(String),
    /// A list index.
    Index(usize),
}

/// A conversion between [`Value`] and a user type failed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValueError {
    message: String,
    /// Innermost segment first (segments are added while the error unwinds).
    rev_path: Vec<PathSegment>,
}

impl ValueError {
    pub(crate) fn msg(m: impl Into<String>) -> Self {
        ValueError {
            message: m.into(),
            rev_path: Vec::new(),
        }
    }
    pub(crate) fn at_key(mut self, k: &str) -> Self {
        self.rev_path.push(PathSegment::Key(k.to_owned()));
        self
    }
    pub(crate) fn at_index(mut self, i: usize) -> Self {
        self.rev_path.push(PathSegment::Index(i));
        self
    }
    /// What went wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }
    /// Where it went wrong, outermost first.
    pub fn path_segments(&self) -> impl Iterator<Item = &PathSegment> {
        self.rev_path.iter().rev()
    }
    /// The path in botocore's style, e.g. `Contents[3].Key`; empty at the root.
    pub fn path(&self) -> String {
        let mut out = String::new();
        for seg in self.path_segments() {
            match seg {
                PathSegment::Key(k) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                PathSegment::Index(i) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }
}

impl fmt::Display for ValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rev_path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{} at {}", self.message, self.path())
        }
    }
}

impl std::error::Error for ValueError {}

impl serde::de::Error for ValueError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ValueError::msg(msg.to_string())
    }
}

impl serde::ser::Error for ValueError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ValueError::msg(msg.to_string())
    }
}

/// Converts any `Serialize` type to a [`Value`]: structs and maps become maps
/// (field order kept), sequences lists, bytes blobs, `None`/unit null, enums
/// externally tagged as in serde_json, and [`Timestamp`] stays a timestamp.
///
/// Bytes are blobs whichever way they serialize: `bytes::Bytes` and
/// `serde_bytes` as bytes, and `Vec<u8>`, `&[u8]`, `[u8; N]` as a non-empty
/// sequence of `u8` (an *empty* `Vec<u8>` gives an empty list; use
/// `serde_bytes` or [`Value::blob`] when an empty body must be a blob).
pub fn to_value<T: Serialize + ?Sized>(v: &T) -> Result<Value, ValueError> {
    v.serialize(ValueSerializer::new())
}

/// Reads a [`Value`] into any `Deserialize` type.
///
/// ```
/// use boto_model::{from_value, value};
/// #[derive(serde::Deserialize)]
/// struct Obj { #[serde(rename = "Key")] key: String, #[serde(rename = "Size")] size: i64 }
/// let objs: Vec<Obj> = from_value(value!([{"Key": "a", "Size": 3}])).unwrap();
/// assert_eq!((objs[0].key.as_str(), objs[0].size), ("a", 3));
/// ```
pub fn from_value<T: DeserializeOwned>(v: Value) -> Result<T, ValueError> {
    from_value_ref(&v)
}

/// Like [`from_value`], borrowing: the target may borrow strings (`&str`) from `v`.
pub fn from_value_ref<'de, T: Deserialize<'de>>(v: &'de Value) -> Result<T, ValueError> {
    T::deserialize(v)
}

/// ISO 8601 with as many fractional digits as needed to round-trip exactly.
fn exact_iso(t: &Timestamp) -> String {
    let sub_micro = t.subsec_nanos() % 1000;
    if sub_micro == 0 {
        t.to_iso8601()
    } else {
        let base = Timestamp::from_epoch_secs(t.epoch_secs()).to_iso8601();
        format!("{}.{:09}Z", base.trim_end_matches('Z'), t.subsec_nanos())
    }
}

/// Serializes as an ISO 8601 string (`2015-01-25T08:00:00Z`); inside a [`Value`] it stays a timestamp.
impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_newtype_struct(TIMESTAMP_TOKEN, &exact_iso(self))
    }
}

#[cfg(test)]
mod tests;
