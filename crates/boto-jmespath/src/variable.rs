//! The document model JMESPath expressions are evaluated against.
//!
//! boto-rs has its own dynamic value type (with blobs and timestamps) and the
//! CLI works on `serde_json::Value`; rather than tie the interpreter to either,
//! it works on this small owned [`Variable`] enum and both convert to and from
//! it. Two details matter to callers and are preserved deliberately:
//!
//! * integers stay integers ([`Number::Int`]) so `length(@)` or `sum([1, 2])`
//!   print as `3`, not `3.0`, while numbers still compare by value
//!   (`1 == 1.0`);
//! * objects keep their key order ([`IndexMap`]), so projections such as
//!   `*.Name` and `keys(@)` follow the order of the service response.

use std::cmp::Ordering;
use std::fmt;

use indexmap::IndexMap;

/// An ordered JSON object.
pub type Map = IndexMap<String, Variable>;

/// A JSON number that remembers whether it was an integer.
#[derive(Debug, Clone, Copy)]
pub enum Number {
    /// An integer that fits in `i64`.
    Int(i64),
    /// Any other number. Never NaN or infinite when built by this crate.
    Float(f64),
}

impl Number {
    /// The value as `f64` (lossy for integers beyond 2^53).
    pub fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }

    /// The value as `i64` when it is an integer (or an integral float that
    /// fits).
    pub fn as_i64(self) -> Option<i64> {
        match self {
            Number::Int(i) => Some(i),
            Number::Float(f) => float_to_int(f),
        }
    }

    /// A number from an `f64`, returned as an integer when `f` is integral
    /// and in range; used by functions such as `ceil` that yield integers.
    pub(crate) fn integral(f: f64) -> Number {
        float_to_int(f).map_or(Number::Float(f), Number::Int)
    }

    /// Total order by numeric value; integers compare exactly.
    pub fn compare(self, other: Number) -> Ordering {
        match (self, other) {
            (Number::Int(a), Number::Int(b)) => a.cmp(&b),
            (a, b) => a.as_f64().total_cmp(&b.as_f64()),
        }
    }
}

fn float_to_int(f: f64) -> Option<i64> {
    // 2^63 is exactly representable; anything at or above it does not fit.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f.fract() == 0.0 && (-LIMIT..LIMIT).contains(&f) {
        Some(f as i64)
    } else {
        None
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Number) -> bool {
        self.compare(*other) == Ordering::Equal
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) => match serde_json::Number::from_f64(x) {
                Some(n) => write!(f, "{n}"),
                None => f.write_str("null"),
            },
        }
    }
}

/// A JSON-like value: the input and output of every JMESPath evaluation.
#[derive(Debug, Clone, Default)]
pub enum Variable {
    /// JSON `null`; also the result of looking up a missing key.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, integer or floating point.
    Number(Number),
    /// A UTF-8 string.
    String(String),
    /// An ordered list.
    Array(Vec<Variable>),
    /// An object with insertion-ordered keys.
    Object(Map),
}

/// The `null` every missing lookup borrows.
pub(crate) static NULL: Variable = Variable::Null;

impl Variable {
    /// The JMESPath type name, as returned by the `type()` function.
    pub fn type_name(&self) -> &'static str {
        match self {
            Variable::Null => "null",
            Variable::Bool(_) => "boolean",
            Variable::Number(_) => "number",
            Variable::String(_) => "string",
            Variable::Array(_) => "array",
            Variable::Object(_) => "object",
        }
    }

    /// JMESPath truthiness: `null`, `false`, `""`, `[]` and `{}` are false;
    /// everything else, including `0`, is true.
    pub fn is_truthy(&self) -> bool {
        match self {
            Variable::Null => false,
            Variable::Bool(b) => *b,
            Variable::Number(_) => true,
            Variable::String(s) => !s.is_empty(),
            Variable::Array(a) => !a.is_empty(),
            Variable::Object(o) => !o.is_empty(),
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Variable::Null)
    }

    /// The string contents, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Variable::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is a number.
    pub fn as_number(&self) -> Option<Number> {
        match self {
            Variable::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The elements, if this is an array.
    pub fn as_array(&self) -> Option<&Vec<Variable>> {
        match self {
            Variable::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The entries, if this is an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Variable::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The boolean, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Variable::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// Compact JSON text (`{"a":[1,2]}`), as produced by `to_string()`.
    pub fn to_json_string(&self) -> String {
        self.to_string()
    }
}

impl PartialEq for Variable {
    /// Deep equality where numbers compare by value (`1 == 1.0`) and object
    /// key order is irrelevant, as JMESPath's `==` requires.
    fn eq(&self, other: &Variable) -> bool {
        match (self, other) {
            (Variable::Null, Variable::Null) => true,
            (Variable::Bool(a), Variable::Bool(b)) => a == b,
            (Variable::Number(a), Variable::Number(b)) => a == b,
            (Variable::String(a), Variable::String(b)) => a == b,
            (Variable::Array(a), Variable::Array(b)) => a == b,
            (Variable::Object(a), Variable::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k) == Some(v))
            }
            _ => false,
        }
    }
}

impl fmt::Display for Variable {
    /// Writes compact JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Variable::Null => f.write_str("null"),
            Variable::Bool(b) => write!(f, "{b}"),
            Variable::Number(n) => write!(f, "{n}"),
            Variable::String(s) => boto_util::json::write_string(f, s),
            Variable::Array(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Variable::Object(map) => {
                f.write_str("{")?;
                for (i, (key, value)) in map.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    boto_util::json::write_string(f, key)?;
                    write!(f, ":{value}")?;
                }
                f.write_str("}")
            }
        }
    }
}

impl From<&serde_json::Value> for Variable {
    fn from(value: &serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Variable::Null,
            serde_json::Value::Bool(b) => Variable::Bool(*b),
            serde_json::Value::Number(n) => Variable::Number(number_from_json(n)),
            serde_json::Value::String(s) => Variable::String(s.clone()),
            serde_json::Value::Array(items) => {
                Variable::Array(items.iter().map(Variable::from).collect())
            }
            serde_json::Value::Object(map) => Variable::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), Variable::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<serde_json::Value> for Variable {
    fn from(value: serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Variable::Null,
            serde_json::Value::Bool(b) => Variable::Bool(b),
            serde_json::Value::Number(n) => Variable::Number(number_from_json(&n)),
            serde_json::Value::String(s) => Variable::String(s),
            serde_json::Value::Array(items) => {
                Variable::Array(items.into_iter().map(Variable::from).collect())
            }
            serde_json::Value::Object(map) => Variable::Object(
                map.into_iter()
                    .map(|(k, v)| (k, Variable::from(v)))
                    .collect(),
            ),
        }
    }
}

fn number_from_json(n: &serde_json::Number) -> Number {
    match n.as_i64() {
        Some(i) => Number::Int(i),
        None => Number::Float(n.as_f64().unwrap_or(f64::NAN)),
    }
}

impl From<&Variable> for serde_json::Value {
    fn from(value: &Variable) -> Self {
        match value {
            Variable::Null => serde_json::Value::Null,
            Variable::Bool(b) => serde_json::Value::Bool(*b),
            Variable::Number(n) => number_to_json(*n),
            Variable::String(s) => serde_json::Value::String(s.clone()),
            Variable::Array(items) => {
                serde_json::Value::Array(items.iter().map(serde_json::Value::from).collect())
            }
            Variable::Object(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), serde_json::Value::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<Variable> for serde_json::Value {
    fn from(value: Variable) -> Self {
        match value {
            Variable::Null => serde_json::Value::Null,
            Variable::Bool(b) => serde_json::Value::Bool(b),
            Variable::Number(n) => number_to_json(n),
            Variable::String(s) => serde_json::Value::String(s),
            Variable::Array(items) => {
                serde_json::Value::Array(items.into_iter().map(serde_json::Value::from).collect())
            }
            Variable::Object(map) => serde_json::Value::Object(
                map.into_iter()
                    .map(|(k, v)| (k, serde_json::Value::from(v)))
                    .collect(),
            ),
        }
    }
}

fn number_to_json(n: Number) -> serde_json::Value {
    match n {
        Number::Int(i) => serde_json::Value::Number(i.into()),
        Number::Float(f) => serde_json::Number::from_f64(f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
    }
}

impl From<bool> for Variable {
    fn from(b: bool) -> Self {
        Variable::Bool(b)
    }
}

impl From<i64> for Variable {
    fn from(i: i64) -> Self {
        Variable::Number(Number::Int(i))
    }
}

impl From<f64> for Variable {
    fn from(f: f64) -> Self {
        Variable::Number(Number::Float(f))
    }
}

impl From<Number> for Variable {
    fn from(n: Number) -> Self {
        Variable::Number(n)
    }
}

impl From<&str> for Variable {
    fn from(s: &str) -> Self {
        Variable::String(s.to_string())
    }
}

impl From<String> for Variable {
    fn from(s: String) -> Self {
        Variable::String(s)
    }
}

impl From<Vec<Variable>> for Variable {
    fn from(items: Vec<Variable>) -> Self {
        Variable::Array(items)
    }
}

impl From<Map> for Variable {
    fn from(map: Map) -> Self {
        Variable::Object(map)
    }
}

impl<T: Into<Variable>> From<Option<T>> for Variable {
    fn from(value: Option<T>) -> Self {
        value.map_or(Variable::Null, Into::into)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers_survive_round_trip() {
        let v = Variable::from(&json!({"a": 1, "b": 1.0, "c": [true, null, "x"]}));
        assert_eq!(v.to_string(), r#"{"a":1,"b":1.0,"c":[true,null,"x"]}"#);
        let back: serde_json::Value = v.into();
        assert_eq!(back, json!({"a": 1, "b": 1.0, "c": [true, null, "x"]}));
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(Variable::from(1i64), Variable::from(1.0));
        assert_ne!(Variable::from(1i64), Variable::from(1.5));
        assert_eq!(
            Number::Int(2).compare(Number::Float(1.5)),
            Ordering::Greater
        );
    }

    #[test]
    fn object_equality_ignores_order() {
        let a = Variable::from(&json!({"a": 1, "b": 2}));
        let b = Variable::from(&json!({"b": 2, "a": 1}));
        assert_eq!(a, b);
    }

    #[test]
    fn key_order_preserved() {
        let v = Variable::from(&json!({"z": 1, "a": 2, "m": 3}));
        let keys: Vec<_> = v
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        assert_eq!(keys, ["z", "a", "m"]);
    }

    #[test]
    fn truthiness() {
        assert!(!Variable::Null.is_truthy());
        assert!(!Variable::from("").is_truthy());
        assert!(Variable::from(0i64).is_truthy());
        assert!(!Variable::Array(vec![]).is_truthy());
        assert!(!Variable::Object(Map::new()).is_truthy());
    }

    #[test]
    fn integral_floats() {
        assert!(matches!(Number::integral(2.0), Number::Int(2)));
        assert!(matches!(Number::integral(2.5), Number::Float(_)));
        assert!(matches!(Number::integral(1e300), Number::Float(_)));
    }
}
