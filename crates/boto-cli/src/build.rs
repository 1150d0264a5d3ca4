//! From argument words to the operation's parameter [`Value`].
//!
//! Two steps, as in aws-cli: *unpack* each top-level argument from its words
//! (`file://`, JSON, shorthand, lists of words) into a [`Raw`] tree, then
//! *convert* the whole tree with the input shape, which is where strings become
//! integers, booleans, timestamps and blobs, scalars are wrapped into lists
//! where a list is expected, and problems are reported all at once in
//! botocore's "Parameter validation failed" wording.

use crate::args::{ArgValue, OpArgs};
use crate::cmdtable::{ArgKind, ArgSpec, OpSpec};
use crate::error::CliError;
use crate::raw::Raw;
use base64::Engine;
use boto_model::{Map, ServiceModel, ShapeId, ShapeKind, Timestamp, Value};

/// How blob parameters given as text are read (`--cli-binary-format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BinaryFormat {
    /// Text is base64 and is decoded (aws-cli v2's default).
    #[default]
    Base64,
    /// Text is used as raw bytes.
    RawInBase64Out,
}

/// The result of building: parameters plus a file to stream as the body.
#[derive(Debug, Default)]
pub struct Built {
    pub params: Value,
    /// (member, path) of a streaming blob input, e.g. `put-object --body`.
    pub body_file: Option<(String, String)>,
}

/// Builds the parameters of a call from parsed arguments.
pub fn build(spec: &OpSpec, args: &OpArgs, fmt: BinaryFormat) -> Result<Built, CliError> {
    let model = &*spec.model;
    let mut top: Vec<(String, Raw)> = match input_document(args)? {
        Some(Raw::Map(m)) => m,
        Some(Raw::Null) | None => Vec::new(),
        Some(other) => {
            return Err(CliError::param(format!(
                "Invalid type for --cli-input-json: expected an object, got {}",
                other.type_name()
            )))
        }
    };
    let from_file =
        !top.is_empty() || args.cli_input_json.is_some() || args.cli_input_yaml.is_some();
    let mut body_file = None;
    for (idx, value) in &args.values {
        let a = &spec.args[*idx];
        let raw = match value {
            ArgValue::Flag(b) => Raw::Bool(*b),
            ArgValue::Words(words) if a.kind == ArgKind::StreamIn => {
                let path =
                    crate::paramfile::expand(words.first().map(String::as_str).unwrap_or(""));
                if !std::path::Path::new(&path).is_file() {
                    return Err(CliError::param(format!(
                        "Error parsing parameter '--{}': Blob values must be a path to a file.",
                        a.name
                    )));
                }
                body_file = Some((a.member.clone(), path));
                continue;
            }
            ArgValue::Words(words) => unpack(model, a, words)?,
        };
        top.retain(|(k, _)| *k != a.member);
        top.push((a.member.clone(), raw));
    }
    let mut missing: Vec<String> = Vec::new();
    if !from_file {
        missing = spec
            .args
            .iter()
            .filter(|a| a.required && !top.iter().any(|(k, _)| *k == a.member))
            .filter(|a| !(a.kind == ArgKind::StreamIn && body_file.is_some()))
            .map(|a| format!("--{}", a.name))
            .collect();
    }
    if spec.outfile.is_some() && args.outfile.is_none() {
        missing.push("outfile".into());
    }
    if !missing.is_empty() {
        return Err(CliError::usage(format!(
            "the following arguments are required: {}",
            missing.join(", ")
        )));
    }
    let params = match spec.input_ref() {
        Some(r) => {
            let streamed = body_file.as_ref().map(|b| b.0.clone());
            let mut cx = Convert {
                model,
                fmt,
                problems: Vec::new(),
                streamed,
            };
            let mut path = String::new();
            let v = cx.convert(r.target, r.traits.jsonvalue, &Raw::Map(top), &mut path, 0);
            if !cx.problems.is_empty() {
                return Err(CliError::param(format!(
                    "Parameter validation failed:\n{}",
                    cx.problems.join("\n")
                )));
            }
            v
        }
        None if top.is_empty() => Value::Map(Map::new()),
        None => {
            return Err(CliError::param(format!(
                "{} takes no parameters",
                spec.cli_op
            )))
        }
    };
    Ok(Built { params, body_file })
}

fn input_document(args: &OpArgs) -> Result<Option<Raw>, CliError> {
    if let Some(j) = &args.cli_input_json {
        let text = resolve_text(j, "--cli-input-json")?;
        let parsed: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
            CliError::param(format!("Error parsing parameter '--cli-input-json': Invalid JSON: {e}\nJSON received: {text}"))
        })?;
        return Ok(Some(Raw::from_json(&parsed)));
    }
    if let Some(y) = &args.cli_input_yaml {
        let text = resolve_text(y, "--cli-input-yaml")?;
        let parsed = crate::output::yaml::parse(&text).map_err(|e| {
            CliError::param(format!("Error parsing parameter '--cli-input-yaml': {e}"))
        })?;
        return Ok(Some(parsed));
    }
    Ok(None)
}

fn resolve_text(value: &str, name: &str) -> Result<String, CliError> {
    match crate::paramfile::resolve(value) {
        Ok(Some(Raw::Str(s))) => Ok(s),
        Ok(Some(Raw::Bytes(b))) => String::from_utf8(b).map_err(|_| {
            CliError::param(format!("Error parsing parameter '{name}': not UTF-8 text"))
        }),
        Ok(_) => Ok(value.to_string()),
        Err(e) => Err(CliError::param(format!(
            "Error parsing parameter '{name}': {e}"
        ))),
    }
}

fn param_err(a: &ArgSpec, msg: impl std::fmt::Display) -> CliError {
    CliError::param(format!("Error parsing parameter '--{}': {msg}", a.name))
}

fn word(a: &ArgSpec, w: &str) -> Result<Raw, CliError> {
    match crate::paramfile::resolve(w) {
        Ok(Some(r)) => Ok(r),
        Ok(None) => Ok(Raw::Str(w.to_string())),
        Err(e) => Err(param_err(a, e)),
    }
}

fn parse_json(a: &ArgSpec, text: &str) -> Result<Raw, CliError> {
    serde_json::from_str::<serde_json::Value>(text)
        .map(|j| Raw::from_json(&j))
        .map_err(|e| param_err(a, format!("Invalid JSON: {e}\nJSON received: {text}")))
}

fn is_complex(kind: &ShapeKind) -> bool {
    matches!(
        kind,
        ShapeKind::Structure(_) | ShapeKind::List { .. } | ShapeKind::Map { .. }
    )
}

/// aws-cli's `unpack_cli_arg` with the shorthand handler in front of it.
fn unpack(model: &ServiceModel, a: &ArgSpec, words: &[String]) -> Result<Raw, CliError> {
    let shape = model.shape(a.target);
    let mut vals = Vec::with_capacity(words.len());
    for w in words {
        vals.push(word(a, w)?);
    }
    if a.kind != ArgKind::List {
        let v = vals.pop().unwrap_or(Raw::Str(String::new()));
        return unpack_one(model, a, a.target, v);
    }
    let ShapeKind::List { member } = &shape.kind else {
        return Ok(Raw::List(vals));
    };
    if let [Raw::Str(s)] = vals.as_slice() {
        if s.trim_start().starts_with('[') {
            return parse_json(a, s);
        }
    }
    let member_kind = &model.shape(member.target).kind;
    if is_complex(member_kind) && !model.shape(member.target).is_document() {
        let mut out = Vec::with_capacity(vals.len());
        for v in vals {
            out.push(unpack_one(model, a, member.target, v)?);
        }
        return Ok(Raw::List(out));
    }
    Ok(Raw::List(vals))
}

fn unpack_one(model: &ServiceModel, a: &ArgSpec, target: ShapeId, v: Raw) -> Result<Raw, CliError> {
    let shape = model.shape(target);
    let Raw::Str(s) = v else { return Ok(v) };
    if (a.jsonvalue && target == a.target) || shape.is_document() {
        return parse_json(a, &s);
    }
    if !is_complex(&shape.kind) {
        return Ok(Raw::Str(s));
    }
    let t = s.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        return parse_json(a, &s);
    }
    if let ShapeKind::Structure(st) = &shape.kind {
        if st.members.len() == 1
            && &*st.members[0].name == "Value"
            && matches!(model.shape(st.members[0].target).kind, ShapeKind::String)
            && !s.contains('=')
        {
            return Ok(Raw::Map(vec![("Value".into(), Raw::Str(s))]));
        }
    }
    if matches!(&shape.kind, ShapeKind::List { member } if !is_complex(&model.shape(member.target).kind))
    {
        return Ok(Raw::List(vec![Raw::Str(s)]));
    }
    if t.is_empty() {
        return Err(param_err(a, format!("Invalid JSON:\n{s}")));
    }
    crate::shorthand::parse(&s).map_err(|e| param_err(a, e))
}

/// How botocore names the top level of the input in messages.
fn loc(path: &str) -> &str {
    if path.is_empty() {
        "input"
    } else {
        path
    }
}

/// Deeper than any model nests.
const MAX_DEPTH: usize = 128;

struct Convert<'m> {
    model: &'m ServiceModel,
    fmt: BinaryFormat,
    problems: Vec<String>,
    /// The top-level member sent as a streamed body instead of a value.
    streamed: Option<String>,
}

fn py_type(kind: &ShapeKind) -> &'static str {
    match kind {
        ShapeKind::Structure(_) | ShapeKind::Map { .. } => "<class 'dict'>",
        ShapeKind::List { .. } => "<class 'list'>, <class 'tuple'>",
        ShapeKind::String => "<class 'str'>",
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::BigInteger => "<class 'int'>",
        ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal => {
            "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>"
        }
        ShapeKind::Boolean => "<class 'bool'>",
        ShapeKind::Blob => "<class 'bytes'>, <class 'bytearray'>, file-like object",
        ShapeKind::Timestamp => "<class 'datetime.datetime'>, timestamp string",
    }
}

impl Convert<'_> {
    fn bad_type(&mut self, path: &str, raw: &Raw, kind: &ShapeKind) -> Value {
        self.problems.push(format!(
            "Invalid type for parameter {}, value: {}, type: <class '{}'>, valid types: {}",
            loc(path),
            raw.display(),
            raw.type_name(),
            py_type(kind)
        ));
        Value::Null
    }

    fn convert(
        &mut self,
        target: ShapeId,
        jsonvalue: bool,
        raw: &Raw,
        path: &mut String,
        depth: usize,
    ) -> Value {
        if matches!(raw, Raw::Null) {
            return Value::Null;
        }
        if depth > MAX_DEPTH {
            self.problems
                .push(format!("Parameter {path} is nested too deeply"));
            return Value::Null;
        }
        let model = self.model;
        let shape = model.shape(target);
        match (&shape.kind, raw) {
            (ShapeKind::Structure(s), _) if s.document => raw_to_value(raw),
            (_, _) if jsonvalue => raw_to_value(raw),
            (ShapeKind::Structure(s), Raw::Map(m)) => {
                let mut out = Map::new();
                for (k, v) in m {
                    let Some(member) = s.member(k) else {
                        let names: Vec<&str> = s.members.iter().map(|m| &*m.name).collect();
                        self.problems.push(format!(
                            "Unknown parameter in {}: \"{k}\", must be one of: {}",
                            loc(path),
                            names.join(", ")
                        ));
                        continue;
                    };
                    let len = path.len();
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                    let jv = member.traits.jsonvalue || model.shape(member.target).traits.jsonvalue;
                    let val = self.convert(member.target, jv, v, path, depth + 1);
                    path.truncate(len);
                    out.insert(k.clone(), val);
                }
                for r in &s.required {
                    let streamed = path.is_empty() && self.streamed.as_deref() == Some(&**r);
                    if !out.contains_key(r) && !streamed {
                        self.problems.push(format!(
                            "Missing required parameter in {}: \"{r}\"",
                            loc(path)
                        ));
                    }
                }
                Value::Map(out)
            }
            (ShapeKind::List { member }, Raw::List(items)) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    out.push(self.convert(
                        member.target,
                        member.traits.jsonvalue,
                        item,
                        path,
                        depth + 1,
                    ));
                    path.truncate(len);
                }
                Value::List(out)
            }
            // A single value where a list is expected (shorthand `Values=x`).
            (
                ShapeKind::List { .. },
                Raw::Str(_) | Raw::Num(_) | Raw::Bool(_) | Raw::Map(_) | Raw::Bytes(_),
            ) => self.convert(target, false, &Raw::List(vec![raw.clone()]), path, depth),
            (ShapeKind::Map { value, .. }, Raw::Map(m)) => {
                let mut out = Map::new();
                for (k, v) in m {
                    let len = path.len();
                    path.push('.');
                    path.push_str(k);
                    out.insert(
                        k.clone(),
                        self.convert(value.target, value.traits.jsonvalue, v, path, depth + 1),
                    );
                    path.truncate(len);
                }
                Value::Map(out)
            }
            (ShapeKind::String, Raw::Str(s)) => Value::String(s.as_str().into()),
            (ShapeKind::String, Raw::Bytes(b)) => match String::from_utf8(b.clone()) {
                Ok(s) => Value::String(s.into()),
                Err(_) => self.bad_type(path, raw, &shape.kind),
            },
            (ShapeKind::Integer | ShapeKind::Long | ShapeKind::BigInteger, _) => match raw {
                Raw::Num(n) if n.as_i64().is_some() => {
                    Value::Integer(n.as_i64().unwrap_or_default())
                }
                Raw::Str(s) => match parse_int(s) {
                    Some(i) => Value::Integer(i),
                    None => self.bad_value(path, s, "invalid literal for int() with base 10"),
                },
                _ => self.bad_type(path, raw, &shape.kind),
            },
            (ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal, _) => match raw {
                Raw::Num(n) if n.is_f64() => Value::Float(n.as_f64().unwrap_or_default()),
                Raw::Num(n) => n
                    .as_i64()
                    .map(Value::Integer)
                    .unwrap_or_else(|| Value::Float(n.as_f64().unwrap_or_default())),
                Raw::Str(s) => match parse_float(s) {
                    Some(f) => Value::Float(f),
                    None => self.bad_value(path, s, "could not convert string to float"),
                },
                _ => self.bad_type(path, raw, &shape.kind),
            },
            (ShapeKind::Boolean, Raw::Bool(b)) => Value::Bool(*b),
            (ShapeKind::Boolean, Raw::Str(s)) if s.eq_ignore_ascii_case("true") => {
                Value::Bool(true)
            }
            (ShapeKind::Boolean, Raw::Str(s)) if s.eq_ignore_ascii_case("false") => {
                Value::Bool(false)
            }
            (ShapeKind::Blob, Raw::Bytes(b)) => Value::Blob(b.clone()),
            (ShapeKind::Blob, Raw::Str(s)) => match self.fmt {
                BinaryFormat::RawInBase64Out => Value::Blob(s.as_bytes().to_vec()),
                BinaryFormat::Base64 => match decode_base64(s) {
                    Some(b) => Value::Blob(b),
                    None => {
                        self.problems.push(format!("Invalid base64: \"{s}\""));
                        Value::Null
                    }
                },
            },
            (ShapeKind::Timestamp, Raw::Str(s)) => match Timestamp::parse(s) {
                Ok(t) => Value::Timestamp(t),
                Err(_) => self.bad_value(path, s, "invalid timestamp"),
            },
            (ShapeKind::Timestamp, Raw::Num(n)) => {
                match n.as_f64().and_then(Timestamp::from_epoch_f64) {
                    Some(t) => Value::Timestamp(t),
                    None => self.bad_type(path, raw, &shape.kind),
                }
            }
            _ => self.bad_type(path, raw, &shape.kind),
        }
    }

    fn bad_value(&mut self, path: &str, s: &str, why: &str) -> Value {
        self.problems
            .push(format!("Invalid value for parameter {path}: {why}: '{s}'"));
        Value::Null
    }
}

/// Python's `int()` on a string: surrounding whitespace, a sign, `_` between digits.
fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.starts_with('_') || t.ends_with('_') || t.contains("__") {
        return None;
    }
    t.replace('_', "").parse().ok()
}

/// Python's `float()`: also `nan`, `inf`, `infinity` in any case.
fn parse_float(s: &str) -> Option<f64> {
    let t = s.trim();
    match t.to_ascii_lowercase().trim_start_matches(['+', '-']) {
        "nan" | "inf" | "infinity" => {}
        x if x.chars().any(|c| c.is_ascii_alphabetic() && c != 'e') => return None,
        _ => {}
    }
    t.parse().ok()
}

fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let cleaned: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(&cleaned)
        .ok()
}

/// Free-form conversion (documents, JSON value headers).
pub fn raw_to_value(raw: &Raw) -> Value {
    match raw {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(*b),
        Raw::Num(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Float(n.as_f64().unwrap_or_default()),
        },
        Raw::Str(s) => Value::String(s.as_str().into()),
        Raw::Bytes(b) => Value::String(String::from_utf8_lossy(b).into()),
        Raw::List(l) => Value::List(l.iter().map(raw_to_value).collect()),
        Raw::Map(m) => Value::Map(
            m.iter()
                .map(|(k, v)| (k.clone(), raw_to_value(v)))
                .collect(),
        ),
    }
}

/// botocore's `ArgumentGenerator`: a placeholder document for a shape.
/// `member_names` fills strings with member names (for output skeletons).
pub fn skeleton(model: &ServiceModel, target: ShapeId, member_names: bool) -> Value {
    let mut stack = Vec::new();
    skel(model, target, member_names, "", &mut stack)
}

fn skel(
    model: &ServiceModel,
    target: ShapeId,
    names: bool,
    name: &str,
    stack: &mut Vec<ShapeId>,
) -> Value {
    let shape = model.shape(target);
    if stack.len() > 64 {
        return Value::Map(Map::new());
    }
    stack.push(target);
    let v = match &shape.kind {
        ShapeKind::Structure(s) if s.document => Value::Map(Map::new()),
        ShapeKind::Structure(s) => {
            if stack.iter().filter(|x| **x == target).count() > 1 {
                Value::Map(Map::new())
            } else {
                Value::Map(
                    s.members
                        .iter()
                        .map(|m| {
                            (
                                m.name.to_string(),
                                skel(model, m.target, names, &m.name, stack),
                            )
                        })
                        .collect(),
                )
            }
        }
        ShapeKind::List { member } => {
            let n = if names {
                member.name.to_string()
            } else {
                String::new()
            };
            Value::List(vec![skel(model, member.target, names, &n, stack)])
        }
        ShapeKind::Map { value, .. } => {
            let mut m = Map::new();
            m.insert("KeyName", skel(model, value.target, names, "", stack));
            Value::Map(m)
        }
        ShapeKind::String if names => Value::String(name.into()),
        ShapeKind::String => Value::String(
            shape
                .enum_values
                .first()
                .map(|e| (&**e).into())
                .unwrap_or_default(),
        ),
        ShapeKind::Integer | ShapeKind::Long | ShapeKind::BigInteger => Value::Integer(0),
        ShapeKind::Float | ShapeKind::Double | ShapeKind::BigDecimal => Value::Float(0.0),
        ShapeKind::Boolean => Value::Bool(true),
        ShapeKind::Timestamp => Value::String("1970-01-01T00:00:00".into()),
        ShapeKind::Blob => Value::Null,
    };
    stack.pop();
    v
}

#[cfg(test)]
#[path = "build_tests.rs"]
mod tests;
