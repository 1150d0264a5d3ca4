//! Loading a rule set into a compact typed tree.
//!
//! A rule set is parsed once per service and then evaluated for every
//! request, so all the work that does not depend on input happens here:
//! function names become an enum, `getAttr` paths are pre-split, template
//! strings are pre-tokenised and every variable name (parameter or `assign`
//! target) is interned to a slot index so that evaluation uses a flat
//! `Vec` scope instead of string-keyed maps.
//!
//! Rule sets repeat themselves: S3's has 742 conditions of which 105 are
//! distinct, and 178 endpoints of which 78 are. Every copy of a condition or
//! endpoint is compiled once and shared ([`Shared`]), so the compiled rule
//! set, resident in every process that makes a client of that service, holds
//! each only once.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;

use serde_json::Value as Json;

use crate::error::RuleSetError;
use crate::lite::{Kind, Lite, Obj, Tree};
use crate::params::{ParamType, ParamValue, Parameter, Params};
use crate::template::{is_template, Template};

/// Maps variable names to dense slot indices.
#[derive(Debug, Default, Clone)]
pub(crate) struct Interner {
    names: Vec<String>,
    map: HashMap<String, usize>,
}

impl Interner {
    pub(crate) fn slot(&mut self, name: &str) -> usize {
        if let Some(&i) = self.map.get(name) {
            return i;
        }
        let i = self.names.len();
        self.names.push(name.to_owned());
        self.map.insert(name.to_owned(), i);
        i
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<usize> {
        self.map.get(name).copied()
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    pub(crate) fn name(&self, slot: usize) -> &str {
        self.names.get(slot).map_or("", String::as_str)
    }
}

/// One segment of a `getAttr` path.
#[derive(Debug, Clone)]
pub(crate) enum PathSeg {
    Key(String),
    /// `name[i]` (or bare `[i]`). botocore stops walking after an index.
    Index(Option<String>, usize),
}

/// The standard-library functions.
#[derive(Debug, Clone)]
pub(crate) enum Func {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    GetAttr(Vec<PathSeg>),
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
    Split,
    Coalesce,
    Ite,
}

/// Names of every function this engine implements.
pub const SUPPORTED_FUNCTIONS: &[&str] = &[
    "isSet",
    "not",
    "booleanEquals",
    "stringEquals",
    "getAttr",
    "substring",
    "uriEncode",
    "parseURL",
    "isValidHostLabel",
    "aws.partition",
    "aws.parseArn",
    "aws.isVirtualHostableS3Bucket",
    "split",
    "coalesce",
    "ite",
];

impl Func {
    /// Look up a function and its arity (`None` = variadic, at least one).
    fn lookup(name: &str) -> Option<(Func, Option<usize>)> {
        Some(match name {
            "isSet" => (Func::IsSet, Some(1)),
            "not" => (Func::Not, Some(1)),
            "booleanEquals" => (Func::BooleanEquals, Some(2)),
            "stringEquals" => (Func::StringEquals, Some(2)),
            "getAttr" => (Func::GetAttr(Vec::new()), Some(2)),
            "substring" => (Func::Substring, Some(4)),
            "uriEncode" => (Func::UriEncode, Some(1)),
            "parseURL" => (Func::ParseUrl, Some(1)),
            "isValidHostLabel" => (Func::IsValidHostLabel, Some(2)),
            "aws.partition" => (Func::Partition, Some(1)),
            "aws.parseArn" => (Func::ParseArn, Some(1)),
            "aws.isVirtualHostableS3Bucket" => (Func::IsVirtualHostableS3Bucket, Some(2)),
            "split" => (Func::Split, Some(3)),
            "coalesce" => (Func::Coalesce, None),
            "ite" => (Func::Ite, Some(3)),
            _ => return None,
        })
    }
}

/// An expression: a literal, template, reference or function call.
///
/// Literals are mostly `true`/`false` and short strings, so those are kept
/// inline; any other JSON is boxed. An inline `serde_json::Value` made every
/// argument 72 bytes, and S3's compiled rule set, resident in every process
/// that makes an S3 client, carries thousands of them.
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Null,
    Bool(bool),
    Str(Box<str>),
    Lit(Box<Json>),
    Template(Template),
    Ref(usize),
    Call(Box<Call>),
}

#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub func: Func,
    pub args: Vec<Expr>,
    pub assign: Option<usize>,
}

/// An endpoint `properties` value. Only template strings are resolved
/// (matching botocore); everything else is copied through.
#[derive(Debug, Clone)]
pub(crate) enum Prop {
    Static(Json),
    Template(Template),
    List(Vec<Prop>),
    Map(Vec<(String, Prop)>),
}

#[derive(Debug, Clone)]
pub(crate) struct EndpointSpec {
    pub url: Expr,
    pub headers: Vec<(String, Vec<Expr>)>,
    pub properties: Vec<(String, Prop)>,
}

#[derive(Debug, Clone)]
pub(crate) enum RuleKind {
    Endpoint(Arc<EndpointSpec>),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub conditions: Box<[Arc<Call>]>,
    pub kind: RuleKind,
}

/// A parsed endpoint rule set, ready to be evaluated any number of times.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub(crate) version: String,
    pub(crate) params: Vec<Parameter>,
    /// Slot of each entry of `params`.
    pub(crate) param_slots: Vec<usize>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) names: Interner,
}

fn invalid(msg: impl Into<String>) -> RuleSetError {
    RuleSetError::Invalid(msg.into())
}

impl RuleSet {
    /// Parse a rule set from JSON bytes.
    pub fn from_json(bytes: &[u8]) -> Result<RuleSet, RuleSetError> {
        let tree = Tree::parse(bytes).map_err(|e| RuleSetError::Json(e.to_string()))?;
        RuleSet::from_lite(tree.root())
    }

    /// Parse a rule set from an already-decoded JSON document.
    pub fn from_value(v: &Json) -> Result<RuleSet, RuleSetError> {
        RuleSet::from_lite(Tree::from_json(v).root())
    }

    fn from_lite(v: Lite<'_>) -> Result<RuleSet, RuleSetError> {
        let obj = v
            .as_object()
            .ok_or_else(|| invalid("rule set must be an object"))?;
        let version = obj
            .get("version")
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_owned();
        let mut names = Interner::default();
        let mut share = Shared::default();
        let mut params = Vec::new();
        let mut param_slots = Vec::new();
        if let Some(p) = obj.get("parameters") {
            let p = p
                .as_object()
                .ok_or_else(|| invalid("parameters must be an object"))?;
            for (name, spec) in p.iter() {
                params.push(parse_param(name, spec)?);
                param_slots.push(names.slot(name));
            }
        }
        let rules = match obj.get("rules").map(|r| r.kind()) {
            Some(Kind::Array(rs)) => rs
                .iter()
                .map(|r| parse_rule(r, &mut names, &mut share))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err(invalid("rules must be an array")),
            None => Vec::new(),
        };
        Ok(RuleSet {
            version,
            params,
            param_slots,
            rules,
            names,
        })
    }

    /// The declared parameters, in document order.
    pub fn parameters(&self) -> &[Parameter] {
        &self.params
    }

    /// Look up one declared parameter by name.
    pub fn parameter(&self, name: &str) -> Option<&Parameter> {
        self.params.iter().find(|p| &*p.name == name)
    }

    /// Fill in parameters that declare a `builtIn` from `lookup` (called
    /// with the built-in name, e.g. `AWS::Region`), leaving parameters the
    /// caller already set untouched.
    pub fn bind_builtins(
        &self,
        params: &mut Params,
        mut lookup: impl FnMut(&str) -> Option<ParamValue>,
    ) {
        for p in &self.params {
            if let Some(b) = &p.built_in {
                if params.get(&p.name).is_none() {
                    if let Some(v) = lookup(b) {
                        params.set(p.name.clone(), v);
                    }
                }
            }
        }
    }

    /// The rule set's `version` field.
    pub fn version(&self) -> &str {
        &self.version
    }
}

fn parse_param(name: &str, spec: Lite<'_>) -> Result<Parameter, RuleSetError> {
    let spec = spec
        .as_object()
        .ok_or_else(|| invalid(format!("parameter {name} must be an object")))?;
    let ty_str = spec
        .get("type")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let ty = ParamType::parse(ty_str).ok_or_else(|| RuleSetError::UnknownParameterType {
        name: name.into(),
        ty: ty_str.to_owned(),
    })?;
    let default = match spec.get("default").filter(|d| !d.is_null()) {
        None => None,
        Some(d) => Some(
            ParamValue::from_json(&d.to_json())
                .filter(|v| ty.accepts(v))
                .ok_or_else(|| invalid(format!("parameter {name} has an invalid default")))?,
        ),
    };
    let str_field = |k: &str| spec.get(k).and_then(|v| v.as_str()).map(str::to_owned);
    Ok(Parameter {
        name: name.into(),
        ty,
        built_in: str_field("builtIn"),
        default,
        required: spec
            .get("required")
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        documentation: str_field("documentation"),
        deprecated: spec.get("deprecated").is_some_and(|d| !d.is_null()),
    })
}

/// The conditions and endpoints compiled so far, by their JSON: a repeat
/// gets the first one's `Arc`.
#[derive(Default)]
struct Shared<'t> {
    calls: Seen<'t, Call>,
    endpoints: Seen<'t, EndpointSpec>,
}

struct Seen<'t, T> {
    table: hashbrown::HashTable<(u64, Lite<'t>, Arc<T>)>,
    state: foldhash::fast::RandomState,
}

impl<T> Default for Seen<'_, T> {
    fn default() -> Self {
        Seen {
            table: hashbrown::HashTable::new(),
            state: Default::default(),
        }
    }
}

impl<'t, T> Seen<'t, T> {
    /// The compiled form of `v`: shared if the same JSON was compiled
    /// before, else `compile`d and remembered.
    fn get_or(
        &mut self,
        v: Lite<'t>,
        compile: impl FnOnce() -> Result<T, RuleSetError>,
    ) -> Result<Arc<T>, RuleSetError> {
        let mut h = self.state.build_hasher();
        v.hash_into(&mut h);
        let hash = h.finish();
        if let Some((_, _, done)) = self
            .table
            .find(hash, |(hs, seen, _)| *hs == hash && seen.same(v))
        {
            return Ok(done.clone());
        }
        let done = Arc::new(compile()?);
        self.table
            .insert_unique(hash, (hash, v, done.clone()), |(hs, _, _)| *hs);
        Ok(done)
    }
}

fn parse_rule<'t>(
    v: Lite<'t>,
    names: &mut Interner,
    share: &mut Shared<'t>,
) -> Result<Rule, RuleSetError> {
    let obj = v
        .as_object()
        .ok_or_else(|| invalid("rule must be an object"))?;
    let conditions = match obj.get("conditions").map(|c| c.kind()) {
        Some(Kind::Array(cs)) => cs
            .iter()
            .map(|c| match c.kind() {
                Kind::Object(o) if o.contains_key("fn") => {
                    share.calls.get_or(c, || parse_call(o, names))
                }
                _ => Err(invalid("condition must be a function call")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(invalid("conditions must be an array")),
        None => Box::default(),
    };
    let ty = obj.get("type").and_then(|v| v.as_str()).unwrap_or_default();
    let kind = match ty {
        "endpoint" => {
            let v = obj
                .get("endpoint")
                .ok_or_else(|| invalid("endpoint rule without endpoint object"))?;
            let e = v
                .as_object()
                .ok_or_else(|| invalid("endpoint rule without endpoint object"))?;
            RuleKind::Endpoint(share.endpoints.get_or(v, || parse_endpoint(e, names))?)
        }
        "error" => RuleKind::Error(parse_expr(
            obj.get("error")
                .ok_or_else(|| invalid("error rule without error"))?,
            names,
        )?),
        "tree" => match obj.get("rules").map(|r| r.kind()) {
            Some(Kind::Array(rs)) => RuleKind::Tree(
                rs.iter()
                    .map(|r| parse_rule(r, names, share))
                    .collect::<Result<_, _>>()?,
            ),
            _ => return Err(invalid("tree rule without rules array")),
        },
        other => return Err(RuleSetError::UnknownRuleType(other.to_owned())),
    };
    Ok(Rule { conditions, kind })
}

fn parse_endpoint(e: Obj<'_>, names: &mut Interner) -> Result<EndpointSpec, RuleSetError> {
    let url = parse_expr(
        e.get("url")
            .ok_or_else(|| invalid("endpoint without url"))?,
        names,
    )?;
    let mut headers = Vec::new();
    if let Some(h) = e.get("headers") {
        let h = h
            .as_object()
            .ok_or_else(|| invalid("headers must be an object"))?;
        for (k, vals) in h.iter() {
            let vals = vals
                .as_array()
                .ok_or_else(|| invalid("header values must be an array"))?;
            let exprs = vals
                .iter()
                .map(|v| parse_expr(v, names))
                .collect::<Result<_, _>>()?;
            headers.push((k.to_owned(), exprs));
        }
    }
    let mut properties = Vec::new();
    if let Some(p) = e.get("properties") {
        let p = p
            .as_object()
            .ok_or_else(|| invalid("properties must be an object"))?;
        for (k, v) in p.iter() {
            properties.push((k.to_owned(), parse_prop(v, names)));
        }
    }
    Ok(EndpointSpec {
        url,
        headers,
        properties,
    })
}

fn contains_template(v: Lite<'_>) -> bool {
    match v.kind() {
        Kind::String(s) => is_template(s),
        Kind::Array(a) => a.iter().any(contains_template),
        Kind::Object(o) => o.values().any(contains_template),
        _ => false,
    }
}

fn parse_prop(v: Lite<'_>, names: &mut Interner) -> Prop {
    if !contains_template(v) {
        return Prop::Static(v.to_json());
    }
    match v.kind() {
        Kind::String(s) => Prop::Template(Template::parse(s, names)),
        Kind::Array(a) => Prop::List(a.iter().map(|i| parse_prop(i, names)).collect()),
        Kind::Object(o) => Prop::Map(
            o.iter()
                .map(|(k, v)| (k.to_owned(), parse_prop(v, names)))
                .collect(),
        ),
        _ => Prop::Static(v.to_json()),
    }
}

pub(crate) fn parse_expr(v: Lite<'_>, names: &mut Interner) -> Result<Expr, RuleSetError> {
    Ok(match v.kind() {
        Kind::Object(o) if o.contains_key("fn") => Expr::Call(Box::new(parse_call(o, names)?)),
        Kind::Object(o) if o.contains_key("ref") => {
            let name = o
                .get("ref")
                .and_then(|v| v.as_str())
                .ok_or_else(|| invalid("ref must be a string"))?;
            Expr::Ref(names.slot(name))
        }
        Kind::String(s) if is_template(s) => Expr::Template(Template::parse(s, names)),
        Kind::String(s) => Expr::Str(s.into()),
        Kind::Bool(b) => Expr::Bool(b),
        Kind::Null => Expr::Null,
        _ => Expr::Lit(Box::new(v.to_json())),
    })
}

fn parse_call(o: Obj<'_>, names: &mut Interner) -> Result<Call, RuleSetError> {
    let fname = o
        .get("fn")
        .and_then(|v| v.as_str())
        .ok_or_else(|| invalid("fn must be a string"))?;
    let (mut func, arity) =
        Func::lookup(fname).ok_or_else(|| RuleSetError::UnknownFunction(fname.to_owned()))?;
    let argv = o
        .get("argv")
        .and_then(|v| v.as_array())
        .ok_or_else(|| invalid(format!("{fname}: argv must be an array")))?;
    let arity_ok = match arity {
        Some(n) => argv.len() == n,
        None => !argv.is_empty(),
    };
    if !arity_ok {
        return Err(invalid(format!(
            "{fname}: wrong number of arguments ({})",
            argv.len()
        )));
    }
    let mut args = Vec::with_capacity(argv.len());
    if let Func::GetAttr(path) = &mut func {
        args.push(parse_expr(argv.at(0), names)?);
        let p = argv
            .at(1)
            .as_str()
            .ok_or_else(|| invalid("getAttr path must be a string literal"))?;
        *path = parse_path(p);
    } else {
        for a in argv.iter() {
            args.push(parse_expr(a, names)?);
        }
    }
    let assign = match o.get("assign").map(|a| a.kind()) {
        Some(Kind::String(a)) => Some(names.slot(a)),
        Some(_) => return Err(invalid("assign must be a string")),
        None => None,
    };
    Ok(Call { func, args, assign })
}

/// Split a `getAttr` path the way botocore does: on `.`, where a segment
/// containing `name[digits]` indexes and ends the walk.
pub(crate) fn parse_path(p: &str) -> Vec<PathSeg> {
    let mut out = Vec::new();
    for part in p.split('.') {
        if let Some((name, idx)) = split_index(part) {
            out.push(PathSeg::Index(name, idx));
            break;
        }
        out.push(PathSeg::Key(part.to_owned()));
    }
    out
}

/// Emulates `re.search(r"(\w*)\[(\d+)\]", part)`.
fn split_index(part: &str) -> Option<(Option<String>, usize)> {
    let bytes = part.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b != b'[' {
            continue;
        }
        let digits = bytes[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        if digits == 0 || bytes.get(i + 1 + digits) != Some(&b']') {
            continue;
        }
        let idx: usize = part[i + 1..i + 1 + digits].parse().ok()?;
        let head = &part[..i];
        let name_start = head
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
            .last()
            .map_or(head.len(), |(j, _)| j);
        let name = &head[name_start..];
        return Some(((!name.is_empty()).then(|| name.to_owned()), idx));
    }
    None
}

#[cfg(test)]
#[path = "ruleset_tests.rs"]
mod tests;
