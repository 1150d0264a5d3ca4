//! Shape-directed conversion from JSON to [`crate::Value`].
//!
//! JSON cannot say "these bytes" or "this instant", and it blurs integers
//! and floats; the model can. Protocol test suites, aws-cli style
//! `--cli-input-json` and `file://` parameters all arrive as JSON, so one
//! walker converts them with the target shape in hand:
//!
//! * blobs come from strings (the raw UTF-8 bytes of the string, as botocore
//!   treats a `str` passed for a blob);
//! * timestamps from numbers (epoch seconds) or strings (ISO 8601, HTTP date,
//!   epoch digits), via [`Timestamp::parse`];
//! * integer shapes accept whole numbers; float shapes keep an integer
//!   literal as [`Value::Integer`] (botocore keeps Python's `int`, which some
//!   protocols print without `.0`) and accept `"NaN"`, `"Infinity"`,
//!   `"-Infinity"`;
//! * documents and `jsonvalue` strings stay free-form ([`Value::from_json`]);
//! * structures, lists and maps recurse.
//!
//! Members the shape does not know are kept as plain JSON values, so that
//! parameter validation can report them with its "did you mean" hints instead
//! of this module failing first.

use crate::{MemberRef, Operation, ServiceModel, ShapeId, ShapeKind, Timestamp, Value};
use serde_json::Value as Json;
use std::fmt;

/// A JSON value that cannot be converted to its shape's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoerceError {
    /// Where in the input, e.g. `Filters[0].Values`.
    pub path: String,
    /// What is wrong with the value.
    pub message: String,
}

impl fmt::Display for CoerceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "invalid input: {}", self.message)
        } else {
            write!(f, "invalid value for {}: {}", self.path, self.message)
        }
    }
}
impl std::error::Error for CoerceError {}

/// Converts `j` to a [`Value`] shaped by the shape `target`.
pub fn from_json(model: &ServiceModel, target: ShapeId, j: &Json) -> Result<Value, CoerceError> {
    let mut path = String::new();
    convert(model, target, false, j, &mut path, 0)
}

/// Converts `j` as the value of a reference (a member, list element or
/// operation input): reference-level traits such as `jsonvalue` apply.
pub fn from_json_ref(model: &ServiceModel, r: &MemberRef, j: &Json) -> Result<Value, CoerceError> {
    let mut path = String::new();
    convert(model, r.target, r.traits.jsonvalue, j, &mut path, 0)
}

/// Converts the parameters of `op` (a JSON object, or `null` for none).
pub fn input_from_json(
    model: &ServiceModel,
    op: &Operation,
    j: &Json,
) -> Result<Value, CoerceError> {
    match (&op.input, j) {
        (_, Json::Null) => Ok(Value::Map(Default::default())),
        (Some(r), _) => from_json_ref(model, r, j),
        (None, Json::Object(o)) if o.is_empty() => Ok(Value::Map(Default::default())),
        (None, _) => Err(CoerceError {
            path: String::new(),
            message: format!("operation {} takes no parameters", op.name),
        }),
    }
}

/// Deeper than any real model nests; stops hostile recursive input.
const MAX_DEPTH: usize = 256;

fn err(path: &str, message: impl Into<String>) -> CoerceError {
    CoerceError {
        path: path.to_string(),
        message: message.into(),
    }
}

fn json_type(j: &Json) -> &'static str {
    match j {
        Json::Null => "null",
        Json::Bool(_) => "boolean",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

fn expected(path: &str, what: &str, j: &Json) -> CoerceError {
    err(path, format!("expected {what}, got {}", json_type(j)))
}

fn convert(
    model: &ServiceModel,
    target: ShapeId,
    jsonvalue: bool,
    j: &Json,
    path: &mut String,
    depth: usize,
) -> Result<Value, CoerceError> {
    if j.is_null() {
        return Ok(Value::Null);
    }
    if depth > MAX_DEPTH {
        return Err(err(path, "input nested too deeply"));
    }
    let shape = model.shape(target);
    Ok(match &shape.kind {
        ShapeKind::Structure(s) if s.document => Value::from_json(j),
        ShapeKind::Structure(s) => {
            let Json::Object(o) = j else {
                return Err(expected(path, "an object", j));
            };
            let mut out = crate::Map::with_capacity(o.len());
            for (k, v) in o {
                let len = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(k);
                let value = match s.member(k) {
                    Some(m) => convert(model, m.target, m.traits.jsonvalue, v, path, depth + 1)?,
                    None => Value::from_json(v),
                };
                path.truncate(len);
                out.insert(k.clone(), value);
            }
            Value::Map(out)
        }
        ShapeKind::List { member } => {
            let Json::Array(a) = j else {
                return Err(expected(path, "an array", j));
            };
            let mut out = Vec::with_capacity(a.len());
            for (i, v) in a.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                out.push(convert(
                    model,
                    member.target,
                    member.traits.jsonvalue,
                    v,
                    path,
                    depth + 1,
                )?);
                path.truncate(len);
            }
            Value::List(out)
        }
        ShapeKind::Map { value, .. } => {
            let Json::Object(o) = j else {
                return Err(expected(path, "an object", j));
            };
            let mut out = crate::Map::with_capacity(o.len());
            for (k, v) in o {
                let len = path.len();
                path.push_str(&format!("[{k:?}]"));
                out.insert(
                    k.clone(),
                    convert(
                        model,
                        value.target,
                        value.traits.jsonvalue,
                        v,
                        path,
                        depth + 1,
                    )?,
                );
                path.truncate(len);
            }
            Value::Map(out)
        }
        ShapeKind::String if jsonvalue => Value::from_json(j),
        ShapeKind::String => match j {
            Json::String(s) => Value::String(s.as_str().into()),
            _ => return Err(expected(path, "a string", j)),
        },
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::BigInteger => match j {
            Json::Number(n) => match n.as_i64() {
                Some(i) => Value::Integer(i),
                None => match n.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Value::Integer(f as i64),
                    // Beyond i64 (u64 or huge bigInteger literals): keep the number.
                    Some(f) if f.fract() == 0.0 => Value::Float(f),
                    _ => return Err(err(path, format!("expected an integer, got {n}"))),
                },
            },
            Json::String(s) => match s.trim().parse::<i64>() {
                Ok(i) => Value::Integer(i),
                Err(_) => return Err(err(path, format!("expected an integer, got {s:?}"))),
            },
            _ => return Err(expected(path, "an integer", j)),
        },
        ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal => match j {
            Json::Number(n) => match n.as_i64() {
                Some(i) => Value::Integer(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Json::String(s) => match s.as_str() {
                "NaN" => Value::Float(f64::NAN),
                "Infinity" => Value::Float(f64::INFINITY),
                "-Infinity" => Value::Float(f64::NEG_INFINITY),
                other => match other.trim().parse::<f64>() {
                    Ok(f) => Value::Float(f),
                    Err(_) => return Err(err(path, format!("expected a number, got {other:?}"))),
                },
            },
            _ => return Err(expected(path, "a number", j)),
        },
        ShapeKind::Boolean => match j {
            Json::Bool(b) => Value::Bool(*b),
            Json::String(s) if s.eq_ignore_ascii_case("true") => Value::Bool(true),
            Json::String(s) if s.eq_ignore_ascii_case("false") => Value::Bool(false),
            _ => return Err(expected(path, "a boolean", j)),
        },
        ShapeKind::Blob => match j {
            Json::String(s) => Value::Blob(s.as_bytes().to_vec()),
            _ => return Err(expected(path, "a string (blob contents)", j)),
        },
        ShapeKind::Timestamp => match j {
            Json::Number(n) => {
                let t = match n.as_i64() {
                    Some(i) => Some(Timestamp::from_epoch_secs(i)),
                    None => n.as_f64().and_then(Timestamp::from_epoch_f64),
                };
                Value::Timestamp(
                    t.ok_or_else(|| err(path, format!("timestamp out of range: {n}")))?,
                )
            }
            Json::String(s) => {
                Value::Timestamp(Timestamp::parse(s).map_err(|e| err(path, e.to_string()))?)
            }
            _ => {
                return Err(expected(
                    path,
                    "a timestamp (epoch seconds or ISO 8601 string)",
                    j,
                ))
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn model() -> Arc<ServiceModel> {
        let doc: Json = serde_json::from_str(
            r#"{
            "metadata": {"protocol": "json"},
            "operations": {"Op": {"name": "Op", "input": {"shape": "In"}}, "Bare": {"name": "Bare"}},
            "shapes": {
              "In": {"type": "structure", "members": {
                 "B": {"shape": "Blob"}, "T": {"shape": "Ts"}, "I": {"shape": "Int"},
                 "F": {"shape": "Dbl"}, "Flag": {"shape": "Bool"}, "Doc": {"shape": "Doc"},
                 "J": {"shape": "Str", "jsonvalue": true}, "S": {"shape": "Str"},
                 "L": {"shape": "TsList"}, "M": {"shape": "BlobMap"}, "Self": {"shape": "In"}}},
              "Blob": {"type": "blob"}, "Ts": {"type": "timestamp"}, "Int": {"type": "integer"},
              "Dbl": {"type": "double"}, "Bool": {"type": "boolean"}, "Str": {"type": "string"},
              "Doc": {"type": "structure", "members": {}, "document": true},
              "TsList": {"type": "list", "member": {"shape": "Ts"}},
              "BlobMap": {"type": "map", "key": {"shape": "Str"}, "value": {"shape": "Blob"}}
            }}"#,
        )
        .unwrap();
        ServiceModel::from_json("t", &doc).unwrap()
    }

    fn conv(j: &str) -> Result<Value, CoerceError> {
        let m = model();
        let op = m.operation("Op").unwrap();
        input_from_json(&m, op, &serde_json::from_str(j).unwrap())
    }

    #[test]
    fn converts_by_shape() {
        let v = conv(
            r#"{"B": "hi", "T": 1422172800, "I": 3, "F": 1, "Flag": true, "Doc": {"a": [1, "x"]},
                "J": {"k": 1}, "L": ["2015-01-25T08:00:00Z", 1.5], "M": {"k": "v"},
                "Self": {"F": 2.5, "S": "s"}, "Unknown": 7}"#,
        )
        .unwrap();
        assert_eq!(v.get("B"), &Value::Blob(b"hi".to_vec()));
        assert_eq!(
            v.get("T"),
            &Value::Timestamp(Timestamp::from_epoch_secs(1422172800))
        );
        assert_eq!(v.get("I"), &Value::Integer(3));
        assert_eq!(
            v.get("F"),
            &Value::Integer(1),
            "integer literal stays an integer"
        );
        assert_eq!(v.pointer("Doc.a[1]").as_str(), Some("x"));
        assert_eq!(v.pointer("J.k"), &Value::Integer(1));
        assert_eq!(
            v.pointer("L[0]"),
            &Value::Timestamp(Timestamp::from_epoch_secs(1422172800))
        );
        assert_eq!(
            v.pointer("L[1]").as_timestamp().unwrap().subsec_nanos(),
            500_000_000
        );
        assert_eq!(v.pointer("M.k"), &Value::Blob(b"v".to_vec()));
        assert_eq!(v.pointer("Self.F"), &Value::Float(2.5));
        assert_eq!(
            v.get("Unknown"),
            &Value::Integer(7),
            "left for validation to report"
        );
    }

    #[test]
    fn special_floats_and_nulls() {
        let v = conv(r#"{"F": "-Infinity", "S": null}"#).unwrap();
        assert_eq!(v.get("F").as_f64(), Some(f64::NEG_INFINITY));
        assert!(v.get("S").is_null());
        assert!(conv(r#"{"F": "NaN"}"#)
            .unwrap()
            .get("F")
            .as_f64()
            .unwrap()
            .is_nan());
        assert_eq!(conv("null").unwrap(), Value::Map(Default::default()));
    }

    #[test]
    fn errors_carry_the_path() {
        let e = conv(r#"{"Self": {"L": [1, "yesterday"]}}"#).unwrap_err();
        assert_eq!(e.path, "Self.L[1]");
        assert!(e.to_string().contains("yesterday"), "{e}");
        assert_eq!(conv(r#"{"I": 1.5}"#).unwrap_err().path, "I");
        assert_eq!(
            conv(r#"{"S": 5}"#).unwrap_err().message,
            "expected a string, got number"
        );
        assert!(conv("[1]").is_err());
        let m = model();
        let bare = m.operation("Bare").unwrap();
        assert!(input_from_json(&m, bare, &serde_json::json!({"x": 1})).is_err());
        assert!(input_from_json(&m, bare, &serde_json::json!({})).is_ok());
    }
}
