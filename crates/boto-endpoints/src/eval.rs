//! Evaluating a parsed rule set against input parameters.
//!
//! Semantics follow botocore's `endpoint_provider`:
//! * parameters get their default when unset and `required` ones must end
//!   up with a value; values are type-checked against the declaration;
//! * rules are tried in order; a condition fails when it yields unset or
//!   `false` (any other value, even `""`, passes);
//! * each rule sees a private copy of the scope, so `assign`s made while
//!   testing one rule never leak into its siblings; re-assigning a name that
//!   is already bound is an error;
//! * a tree rule whose conditions hold but whose children all fail falls
//!   through to the next sibling.
//!
//! The scope is a flat vector indexed by the slots interned at load time,
//! and "copy the scope" is implemented as an undo log, so evaluating a rule
//! set costs two small allocations plus whatever the output needs.

use std::fmt::Write as _;
use std::rc::Rc;

use serde_json::{Map, Value as Json};

use crate::arn::parse_arn;
use crate::endpoint::Endpoint;
use crate::error::EndpointError;
use crate::functions;
use crate::params::{ParamValue, Params};
use crate::partition::Partitions;
use crate::ruleset::{Call, EndpointSpec, Expr, Func, PathSeg, Prop, Rule, RuleKind, RuleSet};
use crate::template::{Part, Template};
use crate::url::parse_url;
use crate::value::{Str, Val};

/// `None` = not bound (Python: key absent); `Some(None)` = bound to unset.
type Slot<'a> = Option<Option<Val<'a>>>;

type Res<T> = Result<T, EndpointError>;

struct Evaluator<'a> {
    rs: &'a RuleSet,
    partitions: &'a Partitions,
    scope: Vec<Slot<'a>>,
    undo: Vec<usize>,
}

/// Is the end of `rendered` inside a URL's authority (`scheme://` seen, no
/// path, query or fragment yet)?
fn in_authority(rendered: &str) -> bool {
    rendered
        .split_once("://")
        .is_some_and(|(_, rest)| !rest.contains(['/', '?', '#']))
}

fn err(msg: impl Into<String>) -> EndpointError {
    EndpointError::Evaluation(msg.into())
}

fn py_type(v: Option<&Val<'_>>) -> String {
    match v {
        None => "<class 'NoneType'>".to_owned(),
        v => format!("<class '{}'>", Val::type_name(v)),
    }
}

fn param_val(v: &ParamValue) -> Val<'_> {
    match v {
        ParamValue::String(s) => Val::Str(Str::Borrowed(s)),
        ParamValue::Bool(b) => Val::Bool(*b),
        ParamValue::StringArray(l) => Val::StrList(l),
    }
}

impl RuleSet {
    /// Resolve an endpoint for `params`, using `partitions` for
    /// `aws.partition`.
    pub fn resolve(
        &self,
        params: &Params,
        partitions: &Partitions,
    ) -> Result<Endpoint, EndpointError> {
        let mut ev = Evaluator {
            rs: self,
            partitions,
            scope: vec![None; self.names.len()],
            undo: Vec::with_capacity(16),
        };
        ev.bind(params)?;
        for rule in &self.rules {
            let mark = ev.undo.len();
            let out = ev.rule(rule)?;
            ev.rollback(mark);
            if let Some(ep) = out {
                return Ok(ep);
            }
        }
        let mut listing = String::new();
        for (i, (k, v)) in params.iter().enumerate() {
            if i > 0 {
                listing.push('\n');
            }
            let _ = write!(listing, "{k}: {}", v.python_repr());
        }
        Err(EndpointError::NoMatch(listing))
    }
}

impl<'a> Evaluator<'a> {
    fn bind(&mut self, params: &'a Params) -> Res<()> {
        let rs = self.rs;
        for (decl, &slot) in rs.params.iter().zip(&rs.param_slots) {
            let value = match params.get(&decl.name) {
                Some(v) => {
                    if !decl.ty.accepts(v) {
                        return Err(EndpointError::WrongType {
                            name: decl.name.to_string(),
                            expected: decl.ty.python_name(),
                        });
                    }
                    v
                }
                None => match &decl.default {
                    Some(d) => d,
                    None if decl.required => {
                        return Err(EndpointError::MissingRequired(decl.name.to_string()))
                    }
                    None => continue,
                },
            };
            self.scope[slot] = Some(Some(param_val(value)));
        }
        // botocore also keeps undeclared inputs in scope.
        for (name, v) in params.iter() {
            if rs.parameter(name).is_none() {
                if let Some(slot) = rs.names.lookup(name) {
                    self.scope[slot] = Some(Some(param_val(v)));
                }
            }
        }
        Ok(())
    }

    fn rollback(&mut self, mark: usize) {
        while self.undo.len() > mark {
            if let Some(slot) = self.undo.pop() {
                self.scope[slot] = None;
            }
        }
    }

    fn rule(&mut self, rule: &'a Rule) -> Res<Option<Endpoint>> {
        for cond in &rule.conditions {
            match self.call(cond)? {
                None | Some(Val::Bool(false)) => return Ok(None),
                Some(_) => {}
            }
        }
        match &rule.kind {
            RuleKind::Endpoint(spec) => self.endpoint(spec).map(Some),
            RuleKind::Error(msg) => {
                let msg = self.expr(msg)?.map(|v| v.to_string()).unwrap_or_default();
                Err(EndpointError::Rule(msg))
            }
            RuleKind::Tree(children) => {
                for child in children {
                    let mark = self.undo.len();
                    let out = self.rule(child)?;
                    self.rollback(mark);
                    if out.is_some() {
                        return Ok(out);
                    }
                }
                Ok(None)
            }
        }
    }

    fn endpoint(&mut self, spec: &'a EndpointSpec) -> Res<Endpoint> {
        let url = match &spec.url {
            // Render straight into the output string.
            Expr::Template(t) => self.render(t, true)?,
            other => match self.expr(other)? {
                Some(Val::Str(s)) => s.to_string(),
                v => {
                    return Err(err(format!(
                        "endpoint url must be a string, got {}",
                        py_type(v.as_ref())
                    )))
                }
            },
        };
        let mut ep = Endpoint {
            url,
            ..Endpoint::default()
        };
        for (name, exprs) in &spec.headers {
            let mut values = Vec::with_capacity(exprs.len());
            for e in exprs {
                match self.expr(e)? {
                    Some(v) => values.push(v.to_string()),
                    None => return Err(err(format!("header {name} has an unset value"))),
                }
            }
            ep.headers.insert(name.clone(), values);
        }
        let mut props = Map::new();
        for (k, p) in &spec.properties {
            props.insert(k.clone(), self.prop(p)?);
        }
        ep.properties = props.into();
        Ok(ep)
    }

    fn prop(&mut self, p: &'a Prop) -> Res<Json> {
        Ok(match p {
            Prop::Static(j) => j.clone(),
            Prop::Template(t) => Json::String(self.render(t, false)?),
            Prop::List(items) => {
                Json::Array(items.iter().map(|i| self.prop(i)).collect::<Res<_>>()?)
            }
            Prop::Map(entries) => {
                let mut m = Map::new();
                for (k, v) in entries {
                    m.insert(k.clone(), self.prop(v)?);
                }
                Json::Object(m)
            }
        })
    }

    /// A template used as a value. `"{Region}"` / `"{p#name}"` alone yield
    /// the referenced string without allocating.
    fn template_value(&self, t: &'a Template) -> Res<Val<'a>> {
        if let Template::Parts(parts) = t {
            if let [Part::Var { slot, path }] = parts.as_slice() {
                let v = self.lookup(*slot, path)?;
                if let Val::Str(_) = v {
                    return Ok(v);
                }
                return Ok(Val::Str(Str::from(v.to_string())));
            }
        }
        Ok(Val::Str(Str::from(self.render(t, false)?)))
    }

    /// Resolve `{name#a#b}`: the variable must be bound and each attribute
    /// present (botocore raises `KeyError` otherwise).
    fn lookup(&self, slot: usize, path: &[String]) -> Res<Val<'a>> {
        let mut v = match &self.scope[slot] {
            Some(Some(v)) => v.clone(),
            _ => {
                return Err(err(format!(
                    "template variable {} is not set",
                    self.rs.names.name(slot)
                )))
            }
        };
        for key in path {
            v = v.attr(key).ok_or_else(|| {
                err(format!(
                    "template attribute {key} of {} is not set",
                    self.rs.names.name(slot)
                ))
            })?;
        }
        Ok(v)
    }

    /// Renders a template. For an endpoint URL (`url`), a value that lands in
    /// the authority (after `://`, before the path) may not carry `/ ? # @ \`,
    /// whitespace or control characters: an input such as a region or a
    /// context parameter must never move the request to another host (only
    /// the path attributes of a parsed URL, `#path`/`#normalizedPath`, may
    /// start the path there).
    fn render(&self, t: &'a Template, url: bool) -> Res<String> {
        let parts = match t {
            Template::Parts(p) => p,
            Template::Invalid(e) => return Err(err(e.clone())),
        };
        let mut out = String::new();
        for part in parts {
            match part {
                Part::Lit(l) => out.push_str(l),
                Part::Var { slot, path } => {
                    let v = self.lookup(*slot, path)?;
                    let start = out.len();
                    match &v {
                        Val::Str(s) => out.push_str(s),
                        other => {
                            let _ = write!(out, "{other}");
                        }
                    }
                    let is_path = matches!(
                        path.last().map(String::as_str),
                        Some("path" | "normalizedPath")
                    );
                    if url && !is_path && in_authority(&out[..start]) {
                        let value = &out[start..];
                        if value.chars().any(|c| {
                            matches!(c, '/' | '?' | '#' | '@' | '\\')
                                || c.is_whitespace()
                                || c.is_control()
                        }) {
                            return Err(err(format!(
                                "the value of {} cannot be part of an endpoint's host name: {}",
                                self.rs.names.name(*slot),
                                value.escape_debug()
                            )));
                        }
                    }
                }
            }
        }
        Ok(out)
    }

    fn expr(&mut self, e: &'a Expr) -> Res<Option<Val<'a>>> {
        Ok(match e {
            Expr::Null => None,
            Expr::Bool(b) => Some(Val::Bool(*b)),
            Expr::Str(s) => Some(Val::Str(Str::Borrowed(s))),
            Expr::Lit(j) => Val::from_json(j),
            Expr::Template(t) => Some(self.template_value(t)?),
            Expr::Ref(slot) => self.scope[*slot].clone().flatten(),
            Expr::Call(c) => self.call(c)?,
        })
    }

    fn call(&mut self, c: &'a Call) -> Res<Option<Val<'a>>> {
        let out = self.apply(c)?;
        if let Some(slot) = c.assign {
            if self.scope[slot].is_some() {
                return Err(err(format!(
                    "Assignment {} already exists in scoped variables and cannot be overwritten",
                    self.rs.names.name(slot)
                )));
            }
            self.scope[slot] = Some(out.clone());
            self.undo.push(slot);
        }
        Ok(out)
    }

    fn apply(&mut self, c: &'a Call) -> Res<Option<Val<'a>>> {
        let args = &c.args;
        Ok(match &c.func {
            Func::IsSet => Some(Val::Bool(self.expr(&args[0])?.is_some())),
            Func::Not => Some(Val::Bool(!Val::truthy(self.expr(&args[0])?.as_ref()))),
            Func::BooleanEquals => {
                let (a, b) = (self.expr(&args[0])?, self.expr(&args[1])?);
                match (
                    a.as_ref().and_then(Val::as_bool),
                    b.as_ref().and_then(Val::as_bool),
                ) {
                    (Some(x), Some(y)) => Some(Val::Bool(x == y)),
                    _ => {
                        return Err(err(format!(
                            "Both arguments must be bools, not {} and {}.",
                            py_type(a.as_ref()),
                            py_type(b.as_ref())
                        )))
                    }
                }
            }
            Func::StringEquals => {
                let (a, b) = (self.expr(&args[0])?, self.expr(&args[1])?);
                match (
                    a.as_ref().and_then(Val::as_str),
                    b.as_ref().and_then(Val::as_str),
                ) {
                    (Some(x), Some(y)) => Some(Val::Bool(x == y)),
                    _ => {
                        return Err(err(format!(
                            "Both values must be strings, not {} and {}.",
                            py_type(a.as_ref()),
                            py_type(b.as_ref())
                        )))
                    }
                }
            }
            Func::GetAttr(path) => {
                let mut v = self.expr(&args[0])?;
                for seg in path {
                    let Some(cur) = v else { break };
                    v = match seg {
                        PathSeg::Key(k) => cur.attr(k),
                        PathSeg::Index(name, i) => {
                            let base = match name {
                                Some(n) => cur.attr(n),
                                None => Some(cur),
                            };
                            base.and_then(|b| b.index(*i))
                        }
                    };
                }
                v
            }
            Func::Substring => {
                let value = self.expr(&args[0])?;
                let start = self.expr(&args[1])?;
                let stop = self.expr(&args[2])?;
                let reverse = self.expr(&args[3])?;
                let s = match &value {
                    Some(Val::Str(s)) => s,
                    other => {
                        return Err(err(format!(
                            "Input must be a string, not {}.",
                            py_type(other.as_ref())
                        )))
                    }
                };
                let (Some(start), Some(stop)) = (
                    start.as_ref().and_then(Val::as_int),
                    stop.as_ref().and_then(Val::as_int),
                ) else {
                    return Err(err("substring indexes must be integers"));
                };
                let reverse = matches!(reverse, Some(Val::Bool(true)));
                functions::substring(s, start, stop, reverse).map(|sub| {
                    let off = sub.as_ptr() as usize - s.as_ptr() as usize;
                    Val::Str(s.slice(off..off + sub.len()))
                })
            }
            Func::UriEncode => self
                .expr(&args[0])?
                .map(|v| Val::Str(Str::from(functions::uri_encode(&v.to_string())))),
            Func::ParseUrl => match self.expr(&args[0])? {
                Some(Val::Str(s)) => parse_url(&s).map(|u| Val::Url(Rc::new(u))),
                _ => None,
            },
            Func::IsValidHostLabel => {
                let value = self.expr(&args[0])?;
                let allow = self.expr(&args[1])?;
                let ok = match value.as_ref().and_then(Val::as_str) {
                    Some(s) => {
                        functions::is_valid_host_label(s, matches!(allow, Some(Val::Bool(true))))
                    }
                    None => false,
                };
                Some(Val::Bool(ok))
            }
            Func::Partition => {
                let region = self.expr(&args[0])?;
                let region = match &region {
                    None => None,
                    Some(Val::Str(s)) => Some(&**s),
                    Some(other) => {
                        return Err(err(format!(
                            "aws.partition expects a string, not {}",
                            py_type(Some(other))
                        )))
                    }
                };
                self.partitions.resolve(region).map(Val::Json)
            }
            Func::ParseArn => match self.expr(&args[0])? {
                Some(Val::Str(s)) => parse_arn(&s).map(|a| Val::Arn(Rc::new(a))),
                _ => None,
            },
            Func::IsVirtualHostableS3Bucket => {
                let value = self.expr(&args[0])?;
                let allow = self.expr(&args[1])?;
                let ok = match value.as_ref().and_then(Val::as_str) {
                    Some(s) => functions::is_virtual_hostable_s3_bucket(
                        s,
                        matches!(allow, Some(Val::Bool(true))),
                    ),
                    None => false,
                };
                Some(Val::Bool(ok))
            }
            Func::Split => {
                let value = self.expr(&args[0])?;
                let delim = self.expr(&args[1])?;
                let limit = self.expr(&args[2])?;
                let (Some(Val::Str(s)), Some(Val::Str(d))) = (&value, &delim) else {
                    return Err(err("split expects string value and delimiter"));
                };
                let limit = limit
                    .as_ref()
                    .and_then(Val::as_int)
                    .and_then(|l| usize::try_from(l).ok())
                    .ok_or_else(|| err("split limit must be a non-negative integer"))?;
                let parts = functions::split(s, d, limit)
                    .into_iter()
                    .map(|p| {
                        let off = p.as_ptr() as usize - s.as_ptr() as usize;
                        Val::Str(s.slice(off..off + p.len()))
                    })
                    .collect();
                Some(Val::List(Rc::new(parts)))
            }
            Func::Coalesce => {
                let mut first = None;
                for a in args {
                    let v = self.expr(a)?;
                    if first.is_none() {
                        first = v;
                    }
                }
                first
            }
            Func::Ite => {
                let cond = self.expr(&args[0])?;
                let a = self.expr(&args[1])?;
                let b = self.expr(&args[2])?;
                match cond.as_ref().and_then(Val::as_bool) {
                    Some(true) => a,
                    Some(false) => b,
                    None => return Err(err("ite condition must be a boolean")),
                }
            }
        })
    }
}
