//! Validation of canned responses against an output shape, exactly as
//! botocore's `Stubber` does it (`botocore/stub.py` calls
//! `validate.validate_parameters`, i.e. `ParamValidator`, on the response).
//!
//! This is deliberately not `boto_model::validate` (the input validator):
//! botocore's messages print Python values and types (`value: {'a': 1},
//! type: <class 'dict'>, valid types: <class 'str'>`), a `None` member is a
//! type error rather than absent, Python's `bool` passes for numbers, and the
//! quirks of the report (a document's path restarting at each key, the
//! missing space in "tagged unionstructure") are part of the wording tests
//! compare against. Values are shown as Python would show the equivalent
//! object: blobs as `bytes`, timestamps as `datetime`.

use boto::core::model::{MemberRef, ServiceModel, ShapeKind, Timestamp};
use boto::Value;

const STR: &str = "<class 'str'>";
const INT: &str = "<class 'int'>";
const FLOAT: &[&str] = &[
    "<class 'float'>",
    "<class 'decimal.Decimal'>",
    "<class 'int'>",
];
const BOOL: &str = "<class 'bool'>";
const DICT: &str = "<class 'dict'>";
const LIST: &[&str] = &["<class 'list'>", "<class 'tuple'>"];
const BLOB: &[&str] = &["<class 'bytes'>", "<class 'bytearray'>", "file-like object"];
const TIMESTAMP: &[&str] = &["<class 'datetime.datetime'>", "timestamp-string"];
const DOCUMENT: &[&str] = &[
    "<class 'str'>",
    "<class 'int'>",
    "<class 'bool'>",
    "<class 'float'>",
    "<class 'list'>",
    "<class 'dict'>",
];
/// Nesting beyond this is reported, not followed (hostile input cannot
/// exhaust the stack).
const MAX_DEPTH: usize = 100;

/// Validates `response` against `shape` (an operation's output or an error
/// shape). `Err` holds botocore's report lines, without the
/// "Parameter validation failed:" heading.
pub(crate) fn validate_response(
    model: &ServiceModel,
    shape: Option<&MemberRef>,
    response: &Value,
) -> Result<(), Vec<String>> {
    let Some(shape) = shape else {
        let empty = match response {
            Value::Map(m) => m.is_empty(),
            Value::List(l) => l.is_empty(),
            Value::String(s) => s.is_empty(),
            Value::Blob(b) => b.is_empty(),
            Value::Null | Value::Bool(false) => true,
            Value::Integer(i) => *i == 0,
            Value::Float(f) => *f == 0.0,
            _ => false,
        };
        return if empty {
            Ok(())
        } else {
            Err(vec![
                "Service response should only contain ResponseMetadata.".into(),
            ])
        };
    };
    let mut v = Validator {
        model,
        errors: Vec::new(),
    };
    v.validate(response, shape, "", 0);
    if v.errors.is_empty() {
        Ok(())
    } else {
        Err(v.errors)
    }
}

struct Validator<'m> {
    model: &'m ServiceModel,
    errors: Vec<String>,
}

/// botocore's `ValidationErrors._get_name`.
fn display_name(name: &str) -> &str {
    if name.is_empty() {
        "input"
    } else {
        name.strip_prefix('.').unwrap_or(name)
    }
}

impl Validator<'_> {
    fn invalid_type(&mut self, name: &str, v: &Value, valid: &[&str]) {
        self.errors.push(format!(
            "Invalid type for parameter {}, value: {}, type: {}, valid types: {}",
            display_name(name),
            py_str(v),
            py_type(v),
            valid.join(", ")
        ));
    }

    /// botocore's `range_check`: `min` of the shape, or 1 for host labels.
    fn range(&mut self, name: &str, actual: &str, value: f64, r: &MemberRef, length: bool) {
        let shape = self.model.shape(r.target);
        let min = match shape.min {
            Some(m) => m,
            None if r.traits.host_label => 1.0,
            None => return,
        };
        if value < min {
            let what = if length { "length" } else { "value" };
            self.errors.push(format!(
                "Invalid {what} for parameter {}, value: {actual}, valid min {what}: {}",
                display_name(name),
                py_num(min)
            ));
        }
    }

    fn validate(&mut self, v: &Value, r: &MemberRef, name: &str, depth: usize) {
        if depth > MAX_DEPTH {
            self.errors.push(format!(
                "Parameter {} is nested more than {MAX_DEPTH} levels deep",
                display_name(name)
            ));
            return;
        }
        let model = self.model;
        let shape = model.shape(r.target);
        let header = matches!(
            r.traits.location.or(shape.traits.location),
            Some(boto::core::model::Location::Header)
        );
        if header && (r.traits.jsonvalue || shape.traits.jsonvalue) {
            if let Some(t) = not_json(v) {
                self.errors.push(format!(
                    "Invalid parameter {} must be json serializable: Object of type {t} is not JSON serializable",
                    display_name(name)
                ));
            }
            return;
        }
        match &shape.kind {
            ShapeKind::Structure(s) if s.document => self.document(v, name, depth),
            ShapeKind::Structure(s) => {
                let Value::Map(params) = v else {
                    return self.invalid_type(name, v, &[DICT]);
                };
                let members = || {
                    s.members
                        .iter()
                        .map(|m| &*m.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                if s.union && params.is_empty() {
                    self.errors.push(format!(
                        "Must set one of the following keys for tagged unionstructure {}: {}.",
                        display_name(name),
                        members()
                    ));
                } else if s.union && params.len() > 1 {
                    self.errors.push(format!(
                        "Invalid number of parameters set for tagged union structure {}. \
                         Can only set one of the following keys: {}.",
                        display_name(name),
                        members()
                    ));
                }
                for req in &s.required {
                    if !params.contains_key(req) {
                        self.errors.push(format!(
                            "Missing required parameter in {}: \"{req}\"",
                            display_name(name)
                        ));
                    }
                }
                for k in params.keys() {
                    if s.member(k).is_none() {
                        self.errors.push(format!(
                            "Unknown parameter in {}: \"{k}\", must be one of: {}",
                            display_name(name),
                            members()
                        ));
                    }
                }
                for (k, item) in params {
                    if let Some(m) = s.member(k) {
                        self.validate(item, m, &format!("{name}.{k}"), depth + 1);
                    }
                }
            }
            ShapeKind::List { member } => {
                let Value::List(items) = v else {
                    return self.invalid_type(name, v, LIST);
                };
                let n = items.len();
                self.range(name, &n.to_string(), n as f64, r, true);
                for (i, item) in items.iter().enumerate() {
                    self.validate(item, member, &format!("{name}[{i}]"), depth + 1);
                }
            }
            ShapeKind::Map { key, value } => {
                let Value::Map(m) = v else {
                    return self.invalid_type(name, v, &[DICT]);
                };
                for (k, item) in m {
                    let key_value = Value::String(k.into());
                    self.validate(&key_value, key, &format!("{name} (key: {k})"), depth + 1);
                    self.validate(item, value, &format!("{name}.{k}"), depth + 1);
                }
            }
            ShapeKind::String => match v {
                Value::String(s) => {
                    let n = s.chars().count();
                    self.range(name, &n.to_string(), n as f64, r, true);
                }
                _ => self.invalid_type(name, v, &[STR]),
            },
            ShapeKind::Integer | ShapeKind::Long | ShapeKind::BigInteger => match v {
                Value::Integer(i) => self.range(name, &i.to_string(), *i as f64, r, false),
                Value::Bool(b) => self.range(name, &py_str(v), f64::from(u8::from(*b)), r, false),
                _ => self.invalid_type(name, v, &[INT]),
            },
            ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal => match v {
                Value::Integer(i) => self.range(name, &i.to_string(), *i as f64, r, false),
                Value::Float(f) => self.range(name, &py_float(*f), *f, r, false),
                Value::Bool(b) => self.range(name, &py_str(v), f64::from(u8::from(*b)), r, false),
                _ => self.invalid_type(name, v, FLOAT),
            },
            ShapeKind::Boolean => {
                if !matches!(v, Value::Bool(_)) {
                    self.invalid_type(name, v, &[BOOL])
                }
            }
            ShapeKind::Blob => {
                if !matches!(v, Value::Blob(_) | Value::String(_)) {
                    self.invalid_type(name, v, BLOB)
                }
            }
            ShapeKind::Timestamp => {
                let ok = match v {
                    Value::Timestamp(_) | Value::Integer(_) | Value::Bool(_) => true,
                    Value::Float(f) => Timestamp::from_epoch_f64(*f).is_some(),
                    Value::String(s) => {
                        s.trim().parse::<f64>().is_ok() || Timestamp::parse(s.trim()).is_ok()
                    }
                    _ => false,
                };
                if !ok {
                    self.invalid_type(name, v, TIMESTAMP)
                }
            }
        }
    }

    /// botocore's `_validate_document` (a key's path is the key alone, as there).
    fn document(&mut self, v: &Value, name: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::Null
            | Value::String(_)
            | Value::Integer(_)
            | Value::Bool(_)
            | Value::Float(_) => {}
            Value::Map(m) => {
                for (k, item) in m {
                    self.document(item, k, depth + 1);
                }
            }
            Value::List(l) => {
                for (i, item) in l.iter().enumerate() {
                    self.document(item, &format!("{name}[{i}]"), depth + 1);
                }
            }
            Value::Blob(_) | Value::Timestamp(_) => self.errors.push(format!(
                "Invalid type for document parameter {}, value: {}, type: {}, valid types: {}",
                display_name(name),
                py_str(v),
                py_type(v),
                DOCUMENT.join(", ")
            )),
        }
    }
}

/// The Python type JSON encoding would choke on, if any (`json.dumps`).
fn not_json(v: &Value) -> Option<&'static str> {
    match v {
        Value::Blob(_) => Some("bytes"),
        Value::Timestamp(_) => Some("datetime"),
        Value::List(l) => l.iter().find_map(not_json),
        Value::Map(m) => m.values().find_map(not_json),
        _ => None,
    }
}

/// `str(type(v))` of the Python object the value stands for.
pub(crate) fn py_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "<class 'NoneType'>",
        Value::Bool(_) => "<class 'bool'>",
        Value::Integer(_) => "<class 'int'>",
        Value::Float(_) => "<class 'float'>",
        Value::String(_) => "<class 'str'>",
        Value::Blob(_) => "<class 'bytes'>",
        Value::Timestamp(_) => "<class 'datetime.datetime'>",
        Value::List(_) => "<class 'list'>",
        Value::Map(_) => "<class 'dict'>",
    }
}

/// `min` as botocore prints it (from JSON: `1`, not `1.0`).
fn py_num(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        py_float(f)
    }
}

/// `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and
/// from 1e16.
pub(crate) fn py_float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.into();
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if !(-4..16).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    let s = format!("{f}");
    if s.contains('.') {
        s
    } else {
        format!("{s}.0")
    }
}

/// `str(v)` of the Python object the value stands for.
pub(crate) fn py_str(v: &Value) -> String {
    match v {
        Value::String(s) => s.to_string(),
        other => py_repr(other),
    }
}

/// `repr(v)` of the Python object the value stands for.
pub(crate) fn py_repr(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Integer(i) => i.to_string(),
        Value::Float(f) => py_float(*f),
        Value::String(s) => quote(s),
        Value::Blob(b) => bytes_repr(b),
        Value::Timestamp(t) => {
            // 2020-01-02T03:04:05Z → 2020-01-02 03:04:05+00:00 (str(datetime)).
            let iso = t.to_iso8601();
            let body = iso.trim_end_matches('Z').replacen('T', " ", 1);
            let body = match body.split_once('.') {
                Some((s, frac)) if frac.trim_end_matches('0').is_empty() => s.to_string(),
                Some((s, frac)) => format!("{s}.{:0<6}", &frac[..frac.len().min(6)]),
                None => body,
            };
            format!("{body}+00:00")
        }
        Value::List(l) => {
            let items: Vec<String> = l.iter().map(py_repr).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Map(m) => {
            let items: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{}: {}", py_repr(&Value::String(k.into())), py_repr(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

/// `repr(bytes)`: printable ASCII as is, the rest as `\xNN`.
fn bytes_repr(b: &[u8]) -> String {
    let quote_char = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut out = format!("b{quote_char}");
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            c if c as char == quote_char => {
                out.push('\\');
                out.push(c as char);
            }
            0x20..=0x7e => out.push(c as char),
            c => out.push_str(&format!("\\x{c:02x}")),
        }
    }
    out.push(quote_char);
    out
}

/// `repr(str)`: single quotes unless the text has `'` and no `"`.
fn quote(s: &str) -> String {
    let q = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(q);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == q => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(q);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_reprs() {
        assert_eq!(py_float(1.5), "1.5");
        assert_eq!(py_float(1.0), "1.0");
        assert_eq!(py_float(1e20), "1e+20");
        assert_eq!(py_float(1.5e-7), "1.5e-07");
        assert_eq!(py_float(123456.0), "123456.0");
        assert_eq!(py_repr(&Value::String("it's".into())), "\"it's\"");
        assert_eq!(py_repr(&Value::Blob(b"a'\x00".to_vec())), "b\"a'\\x00\"");
        let m = boto::params! {"a": [1, true, null, "x"]};
        assert_eq!(py_str(&m), "{'a': [1, True, None, 'x']}");
    }
}
