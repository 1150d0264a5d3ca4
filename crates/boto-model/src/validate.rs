//! Client-side parameter validation, as botocore's `ParamValidator` does it.
//!
//! A call is checked against its input shape before anything is serialized,
//! so a typo or a missing required parameter is reported locally, all at once,
//! with the parameter's path (`Delete.Objects[3].Key`) and botocore's wording,
//! instead of as one opaque service error per round trip.
//!
//! The checks are botocore's, no more: required members, types, `min` for
//! string and list lengths and for numbers (`max`, `pattern` and `enum` are left
//! to the service), unknown members, tagged unions and documents. On top of
//! that: unknown names get a "did you mean", `integer` shapes must fit 32 bits,
//! a `null` member counts as absent, and nesting deeper than [`MAX_DEPTH`] is
//! reported rather than followed, so hostile input cannot exhaust the stack.

use crate::{
    MemberRef, Operation, ServiceModel, Shape, ShapeKind, StructureShape, Timestamp, Value,
};
use std::fmt;

/// How deep parameters may nest before validation stops descending.
pub const MAX_DEPTH: usize = 100;

/// The class of a validation problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A required member is absent (`Missing required parameter in input: "Bucket"`).
    MissingRequired,
    /// A member the shape does not have (`Unknown parameter in input: "Bukket"`).
    UnknownParameter,
    /// A value of the wrong type (`Invalid type for parameter Key, value: 1, type: <class 'int'>, valid types: <class 'str'>`).
    InvalidType,
    /// A number below `min`, or an `integer` outside 32 bits.
    InvalidRange,
    /// A string or list shorter than `min`.
    InvalidLength,
    /// A document holding something a document cannot (blobs, timestamps).
    InvalidDocumentType,
    /// A `jsonvalue` header holding something JSON cannot encode (blobs, timestamps).
    NotJsonEncodable,
    /// A tagged union with no member set.
    UnionEmpty,
    /// A tagged union with more than one member set.
    UnionMultiple,
    /// Nesting deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// One problem with the parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// botocore-style path of the offending parameter (`Delete.Objects[3].Key`);
    /// empty for the input itself.
    pub path: String,
    /// The class of problem.
    pub kind: ProblemKind,
    /// The message botocore would print for it.
    pub message: String,
}

/// Every problem found in a call's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Every problem, in the order botocore reports them.
    pub problems: Vec<Problem>,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Parameter validation failed:")?;
        for p in &self.problems {
            write!(f, "\n{}", p.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Validates `params` against an operation's input reference (`op.input`).
/// With no input shape, any parameter given is unknown.
pub fn validate(
    model: &ServiceModel,
    input: Option<&MemberRef>,
    params: &Value,
) -> Result<(), ValidationError> {
    let mut v = Validator {
        model,
        problems: Vec::new(),
        // Room for most member paths: grown from empty, it reallocated once
        // or twice per call as `Key.id.S` and the like were pushed.
        path: String::with_capacity(64),
    };
    match input {
        Some(r) => v.value(params, r, 0),
        None => match params {
            Value::Null => {}
            Value::Map(m) => {
                for k in m.keys() {
                    v.unknown(k, &[]);
                }
            }
            other => v.invalid_type(other, &["<map>"]),
        },
    }
    if v.problems.is_empty() {
        Ok(())
    } else {
        Err(ValidationError {
            problems: v.problems,
        })
    }
}

/// [`validate`] for an operation.
pub fn validate_operation(
    model: &ServiceModel,
    op: &Operation,
    params: &Value,
) -> Result<(), ValidationError> {
    validate(model, op.input.as_ref(), params)
}

const STRING: &[&str] = &["<string>"];
const INTEGER: &[&str] = &["<integer>"];
const FLOAT: &[&str] = &["<float>", "<integer>"];
const BOOLEAN: &[&str] = &["<boolean>"];
const BLOB: &[&str] = &["<blob>", "<string>"];
const TIMESTAMP: &[&str] = &["<timestamp>", "timestamp-string", "<integer>", "<float>"];
const LIST: &[&str] = &["<list>"];
const MAP: &[&str] = &["<map>"];
const DOCUMENT: &[&str] = &[
    "<string>",
    "<integer>",
    "<boolean>",
    "<float>",
    "<list>",
    "<map>",
];
const BIG_NUMBER: &[&str] = &["<integer>", "<float>", "<string>"];

struct Validator<'m> {
    model: &'m ServiceModel,
    problems: Vec<Problem>,
    /// Path of the value being checked, grown and truncated as we descend.
    path: String,
}

/// A value as botocore's messages show it (`str(param)`), shortened.
fn show(v: &Value) -> String {
    let s = match v {
        Value::Null => "None".to_string(),
        Value::Bool(true) => "True".to_string(),
        Value::Bool(false) => "False".to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => format!("{f:?}"),
        Value::String(s) => s.to_string(),
        Value::Blob(b) => format!("<blob {} bytes>", b.len()),
        Value::Timestamp(t) => t.to_iso8601(),
        Value::List(_) | Value::Map(_) => v.to_json().to_string(),
    };
    if s.chars().count() > 200 {
        let cut: String = s.chars().take(200).collect();
        format!("{cut}...")
    } else {
        s
    }
}

/// `min` as botocore prints it (from JSON: `1`, not `1.0`).
fn show_num(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

impl<'m> Validator<'m> {
    fn name(&self) -> &str {
        if self.path.is_empty() {
            "input"
        } else {
            &self.path
        }
    }

    fn report(&mut self, kind: ProblemKind, message: String) {
        self.problems.push(Problem {
            path: self.path.clone(),
            kind,
            message,
        });
    }

    fn invalid_type(&mut self, v: &Value, valid: &[&str]) {
        let msg = format!(
            "Invalid type for parameter {}, value: {}, type: <{}>, valid types: {}",
            self.name(),
            show(v),
            v.type_name(),
            valid.join(", ")
        );
        self.report(ProblemKind::InvalidType, msg);
    }

    /// Runs `f` with `pieces` appended to the path. The path is kept for
    /// every value visited, so it is pushed piece by piece: through
    /// `write!` it cost a tenth of validating a GetItem's parameters.
    fn at<R>(&mut self, pieces: &[&str], f: impl FnOnce(&mut Self) -> R) -> R {
        let len = self.path.len();
        for p in pieces {
            self.path.push_str(p);
        }
        let r = f(self);
        self.path.truncate(len);
        r
    }

    /// Runs `f` with `[i]` appended to the path.
    fn at_index<R>(&mut self, i: usize, f: impl FnOnce(&mut Self) -> R) -> R {
        let mut digits = [0u8; 20];
        let mut at = digits.len();
        let mut n = i;
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        let digits = std::str::from_utf8(&digits[at..]).unwrap_or("?");
        self.at(&["[", digits, "]"], f)
    }

    fn member<R>(&mut self, name: &str, f: impl FnOnce(&mut Self) -> R) -> R {
        if self.path.is_empty() {
            self.at(&[name], f)
        } else {
            self.at(&[".", name], f)
        }
    }

    fn unknown(&mut self, name: &str, valid: &[&str]) {
        let parent = self.name().to_string();
        let mut msg = format!(
            "Unknown parameter in {parent}: \"{name}\", must be one of: {}",
            valid.join(", ")
        );
        if let Some(s) = crate::suggest::closest(name, valid.iter().copied()) {
            msg.push_str(&format!(". Did you mean \"{s}\"?"));
        }
        self.member(name, |v| v.report(ProblemKind::UnknownParameter, msg));
    }

    fn min_check(&mut self, actual: f64, r: &MemberRef, shape: &Shape, length: bool) {
        let min = shape
            .min
            .or(if r.traits.host_label { Some(1.0) } else { None });
        let Some(min) = min else { return };
        if actual >= min {
            return;
        }
        let (kind, what) = if length {
            (ProblemKind::InvalidLength, ("length", "length"))
        } else {
            (ProblemKind::InvalidRange, ("value", "value"))
        };
        let msg = format!(
            "Invalid {} for parameter {}, value: {}, valid min {}: {}",
            what.0,
            self.name(),
            show_num(actual),
            what.1,
            show_num(min)
        );
        self.report(kind, msg);
    }

    fn too_deep(&mut self, depth: usize) -> bool {
        if depth <= MAX_DEPTH {
            return false;
        }
        let msg = format!(
            "Parameter {} is nested more than {MAX_DEPTH} levels deep",
            self.name()
        );
        self.report(ProblemKind::TooDeep, msg);
        true
    }

    /// Checks `v` against the target of `r`.
    fn value(&mut self, v: &Value, r: &MemberRef, depth: usize) {
        if self.too_deep(depth) {
            return;
        }
        let model = self.model;
        let shape = model.shape(r.target);
        let jsonvalue = r.traits.jsonvalue || shape.traits.jsonvalue;
        let header = matches!(
            r.traits.location.or(shape.traits.location),
            Some(crate::Location::Header)
        );
        if jsonvalue && header && matches!(shape.kind, ShapeKind::String) {
            return self.json_encodable(v, depth);
        }
        match &shape.kind {
            ShapeKind::Structure(s) if s.document => self.document(v, depth),
            ShapeKind::Structure(s) => self.structure(v, s, depth),
            ShapeKind::List { member } => match v {
                Value::List(items) => {
                    self.min_check(items.len() as f64, r, shape, true);
                    for (i, item) in items.iter().enumerate() {
                        self.at_index(i, |this| {
                            if item.is_null() && shape.sparse {
                                return;
                            }
                            this.value(item, member, depth + 1)
                        });
                    }
                }
                _ => self.invalid_type(v, LIST),
            },
            ShapeKind::Map { key, value } => match v {
                Value::Map(m) => {
                    let key_shape = model.shape(key.target);
                    for (k, item) in m {
                        if matches!(key_shape.kind, ShapeKind::String) {
                            self.at(&[" (key: ", k, ")"], |this| {
                                this.min_check(k.chars().count() as f64, key, key_shape, true)
                            });
                        }
                        if item.is_null() && shape.sparse {
                            continue;
                        }
                        self.at(&[".", k], |this| this.value(item, value, depth + 1));
                    }
                }
                _ => self.invalid_type(v, MAP),
            },
            ShapeKind::String => match v {
                Value::String(s) => self.min_check(s.chars().count() as f64, r, shape, true),
                _ => self.invalid_type(v, STRING),
            },
            ShapeKind::Integer | ShapeKind::Long => match v {
                Value::Integer(i) => {
                    let is32 = matches!(shape.kind, ShapeKind::Integer);
                    if is32 && i32::try_from(*i).is_err() {
                        let msg = format!(
                            "Invalid value for parameter {}, value: {i}, valid range: {} to {}",
                            self.name(),
                            i32::MIN,
                            i32::MAX
                        );
                        self.report(ProblemKind::InvalidRange, msg);
                    } else {
                        self.min_check(*i as f64, r, shape, false);
                    }
                }
                _ => self.invalid_type(v, INTEGER),
            },
            ShapeKind::Float | ShapeKind::Double => match v {
                Value::Integer(_) | Value::Float(_) => {
                    let f = v.as_f64().unwrap_or(f64::NAN);
                    self.min_check(f, r, shape, false);
                }
                _ => self.invalid_type(v, FLOAT),
            },
            ShapeKind::BigInteger | ShapeKind::BigDecimal => match v {
                Value::Integer(_) | Value::Float(_) => {}
                Value::String(s) if s.trim().parse::<f64>().is_ok() => {}
                _ => self.invalid_type(v, BIG_NUMBER),
            },
            ShapeKind::Boolean => {
                if !matches!(v, Value::Bool(_)) {
                    self.invalid_type(v, BOOLEAN)
                }
            }
            ShapeKind::Blob => {
                if !matches!(v, Value::Blob(_) | Value::String(_)) {
                    self.invalid_type(v, BLOB)
                }
            }
            ShapeKind::Timestamp => {
                let ok = match v {
                    Value::Timestamp(_) => true,
                    Value::String(s) => Timestamp::parse(s).is_ok(),
                    Value::Integer(_) => true,
                    Value::Float(f) => Timestamp::from_epoch_f64(*f).is_some(),
                    _ => false,
                };
                if !ok {
                    self.invalid_type(v, TIMESTAMP)
                }
            }
        }
    }

    fn structure(&mut self, v: &Value, s: &StructureShape, depth: usize) {
        let Value::Map(params) = v else {
            return self.invalid_type(v, MAP);
        };
        let set = || params.values().filter(|p| !p.is_null()).count();
        if s.union {
            let names = || {
                s.members
                    .iter()
                    .map(|m| &*m.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            match set() {
                0 => {
                    let msg = format!(
                        "Must set one of the following keys for tagged union structure {}: {}.",
                        self.name(),
                        names()
                    );
                    self.report(ProblemKind::UnionEmpty, msg);
                }
                1 => {}
                _ => {
                    let msg = format!(
                        "Invalid number of parameters set for tagged union structure {}. \
                         Can only set one of the following keys: {}.",
                        self.name(),
                        names()
                    );
                    self.report(ProblemKind::UnionMultiple, msg);
                }
            }
        }
        for req in &s.required {
            if params.get(req).is_none_or(Value::is_null) {
                let msg = format!("Missing required parameter in {}: \"{req}\"", self.name());
                self.member(req, |this| this.report(ProblemKind::MissingRequired, msg));
            }
        }
        let mut valid: Vec<&str> = Vec::new();
        for k in params.keys() {
            if s.member(k).is_none() {
                if valid.is_empty() {
                    valid = s.members.iter().map(|m| &*m.name).collect();
                }
                self.unknown(k, &valid);
            }
        }
        for (k, item) in params {
            let Some(m) = s.member(k) else { continue };
            if item.is_null() {
                continue;
            }
            self.member(k, |this| this.value(item, m, depth + 1));
        }
    }

    fn document(&mut self, v: &Value, depth: usize) {
        if self.too_deep(depth) {
            return;
        }
        match v {
            Value::Null
            | Value::Bool(_)
            | Value::Integer(_)
            | Value::Float(_)
            | Value::String(_) => {}
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.at_index(i, |this| this.document(item, depth + 1));
                }
            }
            Value::Map(m) => {
                for (k, item) in m {
                    self.member(k, |this| this.document(item, depth + 1));
                }
            }
            Value::Blob(_) | Value::Timestamp(_) => {
                let msg = format!(
                    "Invalid type for document parameter {}, value: {}, type: <{}>, valid types: {}",
                    self.name(),
                    show(v),
                    v.type_name(),
                    DOCUMENT.join(", ")
                );
                self.report(ProblemKind::InvalidDocumentType, msg);
            }
        }
    }

    /// A `jsonvalue` header takes any value JSON can encode.
    fn json_encodable(&mut self, v: &Value, depth: usize) {
        if self.too_deep(depth) {
            return;
        }
        match v {
            Value::List(items) => items.iter().for_each(|i| self.json_encodable(i, depth + 1)),
            Value::Map(m) => m.values().for_each(|i| self.json_encodable(i, depth + 1)),
            Value::Blob(_) | Value::Timestamp(_) => {
                let msg = format!(
                    "Invalid parameter {} must be json serializable: {} is not JSON serializable",
                    self.name(),
                    v.type_name()
                );
                self.report(ProblemKind::NotJsonEncodable, msg);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
