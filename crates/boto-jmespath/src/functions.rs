//! The JMESPath built-in functions.
//!
//! Functions are resolved and their arity checked when an expression is
//! compiled, so a waiter or paginator definition with a misspelt function
//! fails immediately rather than on the first response that reaches it.
//! Argument types depend on data and are checked per call, against the
//! signatures in the specification.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::ast::Ast;
use crate::error::{ErrorKind, JmesError, Result};
use crate::interpreter::eval;
use crate::variable::{Map, Number, Variable};

/// A resolved built-in function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Function {
    Abs,
    Avg,
    Ceil,
    Contains,
    EndsWith,
    Floor,
    Join,
    Keys,
    Length,
    Map,
    Max,
    MaxBy,
    Merge,
    Min,
    MinBy,
    NotNull,
    Reverse,
    Sort,
    SortBy,
    StartsWith,
    Sum,
    ToArray,
    ToNumber,
    ToString,
    Type,
    Values,
}

/// A type a parameter accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Any,
    Number,
    String,
    Array,
    Object,
    Expref,
    ArrayNumber,
    ArrayString,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Any => "any",
            Kind::Number => "number",
            Kind::String => "string",
            Kind::Array => "array",
            Kind::Object => "object",
            Kind::Expref => "expression",
            Kind::ArrayNumber => "array[number]",
            Kind::ArrayString => "array[string]",
        }
    }

    fn accepts(self, value: &Variable) -> bool {
        match (self, value) {
            (Kind::Any, _) => true,
            (Kind::Number, Variable::Number(_)) => true,
            (Kind::String, Variable::String(_)) => true,
            (Kind::Array, Variable::Array(_)) => true,
            (Kind::Object, Variable::Object(_)) => true,
            (Kind::ArrayNumber, Variable::Array(items)) => {
                items.iter().all(|v| matches!(v, Variable::Number(_)))
            }
            (Kind::ArrayString, Variable::Array(items)) => {
                items.iter().all(|v| matches!(v, Variable::String(_)))
            }
            _ => false,
        }
    }
}

use Kind::{Any, Array, ArrayNumber, ArrayString, Expref, Number as Num, Object, String as Str};

/// Parameter types; when `variadic`, the last parameter may repeat (and must
/// appear at least once).
struct Signature {
    params: &'static [&'static [Kind]],
    variadic: bool,
}

const fn sig(params: &'static [&'static [Kind]]) -> Signature {
    Signature {
        params,
        variadic: false,
    }
}

const FUNCTIONS: &[(&str, Function)] = &[
    ("abs", Function::Abs),
    ("avg", Function::Avg),
    ("ceil", Function::Ceil),
    ("contains", Function::Contains),
    ("ends_with", Function::EndsWith),
    ("floor", Function::Floor),
    ("join", Function::Join),
    ("keys", Function::Keys),
    ("length", Function::Length),
    ("map", Function::Map),
    ("max", Function::Max),
    ("max_by", Function::MaxBy),
    ("merge", Function::Merge),
    ("min", Function::Min),
    ("min_by", Function::MinBy),
    ("not_null", Function::NotNull),
    ("reverse", Function::Reverse),
    ("sort", Function::Sort),
    ("sort_by", Function::SortBy),
    ("starts_with", Function::StartsWith),
    ("sum", Function::Sum),
    ("to_array", Function::ToArray),
    ("to_number", Function::ToNumber),
    ("to_string", Function::ToString),
    ("type", Function::Type),
    ("values", Function::Values),
];

/// A function argument: a value, or an `&expression` for functions such as
/// `sort_by` that evaluate it per element.
pub(crate) enum Arg<'a> {
    Value(Cow<'a, Variable>),
    Expref(&'a Ast),
}

impl Function {
    /// Resolves a function by its JMESPath name.
    pub fn lookup(name: &str) -> Option<Function> {
        FUNCTIONS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// The JMESPath name, e.g. `sort_by`.
    pub fn name(self) -> &'static str {
        FUNCTIONS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }

    fn signature(self) -> Signature {
        match self {
            Function::Abs | Function::Ceil | Function::Floor => sig(&[&[Num]]),
            Function::Avg | Function::Sum => sig(&[&[ArrayNumber]]),
            Function::Contains => sig(&[&[Array, Str], &[Any]]),
            Function::EndsWith | Function::StartsWith => sig(&[&[Str], &[Str]]),
            Function::Join => sig(&[&[Str], &[ArrayString]]),
            Function::Keys | Function::Values => sig(&[&[Object]]),
            Function::Length => sig(&[&[Str, Array, Object]]),
            Function::Map => sig(&[&[Expref], &[Array]]),
            Function::Max | Function::Min | Function::Sort => sig(&[&[ArrayNumber, ArrayString]]),
            Function::MaxBy | Function::MinBy | Function::SortBy => sig(&[&[Array], &[Expref]]),
            Function::Merge => Signature {
                params: &[&[Object]],
                variadic: true,
            },
            Function::NotNull => Signature {
                params: &[&[Any]],
                variadic: true,
            },
            Function::Reverse => sig(&[&[Str, Array]]),
            Function::ToArray | Function::ToNumber | Function::ToString | Function::Type => {
                sig(&[&[Any]])
            }
        }
    }

    /// Checks the number of arguments against the function's signature.
    pub(crate) fn check_arity(self, count: usize) -> Result<()> {
        let sig = self.signature();
        let want = sig.params.len();
        let ok = if sig.variadic {
            count >= want
        } else {
            count == want
        };
        if ok {
            return Ok(());
        }
        let plural = if want == 1 { "" } else { "s" };
        let qualifier = if sig.variadic { "at least " } else { "" };
        Err(JmesError::new(
            ErrorKind::InvalidArity,
            format!(
                "{}() takes {qualifier}{want} argument{plural} but {count} were given",
                self.name()
            ),
        ))
    }

    fn check_types(self, args: &[Arg<'_>]) -> Result<()> {
        let sig = self.signature();
        for (i, arg) in args.iter().enumerate() {
            let Some(kinds) = sig.params.get(i).or(sig.params.last()) else {
                break;
            };
            let ok = match arg {
                Arg::Expref(_) => kinds.contains(&Expref),
                Arg::Value(v) => kinds.iter().any(|k| k.accepts(v)),
            };
            if !ok {
                let expected: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
                let actual = match arg {
                    Arg::Expref(_) => "expression",
                    Arg::Value(v) => describe(v),
                };
                return Err(JmesError::new(
                    ErrorKind::InvalidType,
                    format!(
                        "{}() expected argument {} to be {} but received {actual}",
                        self.name(),
                        i + 1,
                        expected.join(" or "),
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Type-checks `args` and applies the function.
    pub(crate) fn call<'a>(self, args: Vec<Arg<'a>>) -> Result<Cow<'a, Variable>> {
        self.check_arity(args.len())?;
        self.check_types(&args)?;
        let mut args = args.into_iter();
        let mut next = || args.next();
        let result = match self {
            Function::Abs => number(value(next()))
                .map(|n| match n {
                    Number::Int(i) => i
                        .checked_abs()
                        .map_or(Number::Float((i as f64).abs()), Number::Int),
                    Number::Float(f) => Number::Float(f.abs()),
                })
                .into(),
            Function::Ceil => number(value(next())).map(|n| round(n, f64::ceil)).into(),
            Function::Floor => number(value(next())).map(|n| round(n, f64::floor)).into(),
            Function::Avg => {
                let items = numbers(&value(next()));
                if items.is_empty() {
                    Variable::Null
                } else {
                    let total: f64 = items.iter().map(|n| n.as_f64()).sum();
                    Variable::from(total / items.len() as f64)
                }
            }
            Function::Sum => Variable::Number(sum(&numbers(&value(next())))),
            Function::Contains => {
                let subject = value(next());
                let search = value(next());
                Variable::Bool(match (&*subject, &*search) {
                    (Variable::Array(items), needle) => items.contains(needle),
                    (Variable::String(s), Variable::String(needle)) => s.contains(needle.as_str()),
                    _ => false,
                })
            }
            Function::StartsWith | Function::EndsWith => {
                let subject = value(next());
                let affix = value(next());
                let (s, a) = (
                    subject.as_str().unwrap_or_default(),
                    affix.as_str().unwrap_or_default(),
                );
                Variable::Bool(if self == Function::StartsWith {
                    s.starts_with(a)
                } else {
                    s.ends_with(a)
                })
            }
            Function::Join => {
                let glue = value(next());
                let list = value(next());
                let parts: Vec<&str> = list
                    .as_array()
                    .map(|items| items.iter().filter_map(Variable::as_str).collect())
                    .unwrap_or_default();
                Variable::String(parts.join(glue.as_str().unwrap_or_default()))
            }
            Function::Keys => match value(next()).as_object() {
                Some(map) => Variable::Array(map.keys().cloned().map(Variable::String).collect()),
                None => Variable::Null,
            },
            Function::Values => match value(next()) {
                Cow::Owned(Variable::Object(map)) => Variable::Array(map.into_values().collect()),
                other => match other.as_object() {
                    Some(map) => Variable::Array(map.values().cloned().collect()),
                    None => Variable::Null,
                },
            },
            Function::Length => {
                let len = match &*value(next()) {
                    Variable::String(s) => s.chars().count(),
                    Variable::Array(a) => a.len(),
                    Variable::Object(o) => o.len(),
                    _ => 0,
                };
                Variable::from(i64::try_from(len).unwrap_or(i64::MAX))
            }
            Function::Map => {
                let expr = expref(next());
                let list = value(next());
                let mut out = Vec::new();
                for item in list.as_array().map(Vec::as_slice).unwrap_or_default() {
                    out.push(eval(expr, item)?.into_owned());
                }
                Variable::Array(out)
            }
            Function::Max | Function::Min => {
                let list = value(next());
                let want = if self == Function::Max {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
                let items = list.as_array().map(Vec::as_slice).unwrap_or_default();
                let mut best: Option<usize> = None;
                for (i, item) in items.iter().enumerate() {
                    let better = match best.and_then(|b| items.get(b)) {
                        None => true,
                        Some(current) => compare_sortable(item, current) == want,
                    };
                    if better {
                        best = Some(i);
                    }
                }
                return Ok(match best {
                    Some(i) => take_element(list, i),
                    None => Cow::Owned(Variable::Null),
                });
            }
            Function::MaxBy | Function::MinBy => {
                let list = value(next());
                let expr = expref(next());
                let keys = sort_keys(self, &list, expr)?;
                let want = if self == Function::MaxBy {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
                let mut best: Option<usize> = None;
                for (i, key) in keys.iter().enumerate() {
                    let better = match best.and_then(|b| keys.get(b)) {
                        None => true,
                        Some(current) => compare_sortable(key, current) == want,
                    };
                    if better {
                        best = Some(i);
                    }
                }
                drop(keys);
                return Ok(match best {
                    Some(i) => take_element(list, i),
                    None => Cow::Owned(Variable::Null),
                });
            }
            Function::Sort => {
                let mut items = into_array(value(next()));
                items.sort_by(compare_sortable);
                Variable::Array(items)
            }
            Function::SortBy => {
                let list = value(next());
                let expr = expref(next());
                let keys = sort_keys(self, &list, expr)?;
                let mut order: Vec<usize> = (0..keys.len()).collect();
                // `sort_by` is stable, so equal keys keep their input order.
                order.sort_by(|&a, &b| match (keys.get(a), keys.get(b)) {
                    (Some(x), Some(y)) => compare_sortable(x, y),
                    _ => Ordering::Equal,
                });
                drop(keys);
                let mut slots: Vec<Option<Variable>> =
                    into_array(list).into_iter().map(Some).collect();
                Variable::Array(
                    order
                        .into_iter()
                        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
                        .collect(),
                )
            }
            Function::Merge => {
                let mut merged = Map::new();
                for arg in args_rest(next) {
                    match arg {
                        Cow::Owned(Variable::Object(map)) => merged.extend(map),
                        other => {
                            if let Some(map) = other.as_object() {
                                merged.extend(map.iter().map(|(k, v)| (k.clone(), v.clone())));
                            }
                        }
                    }
                }
                Variable::Object(merged)
            }
            Function::NotNull => {
                for arg in args_rest(next) {
                    if !arg.is_null() {
                        return Ok(arg);
                    }
                }
                Variable::Null
            }
            Function::Reverse => match value(next()) {
                Cow::Owned(Variable::Array(mut items)) => {
                    items.reverse();
                    Variable::Array(items)
                }
                other => match &*other {
                    Variable::Array(items) => {
                        Variable::Array(items.iter().rev().cloned().collect())
                    }
                    Variable::String(s) => Variable::String(s.chars().rev().collect()),
                    _ => Variable::Null,
                },
            },
            Function::ToArray => {
                let v = value(next());
                if matches!(&*v, Variable::Array(_)) {
                    return Ok(v);
                }
                Variable::Array(vec![v.into_owned()])
            }
            Function::ToString => {
                let v = value(next());
                if matches!(&*v, Variable::String(_)) {
                    return Ok(v);
                }
                Variable::String(v.to_string())
            }
            Function::ToNumber => match &*value(next()) {
                Variable::Number(n) => Variable::Number(*n),
                Variable::String(s) => parse_number(s).into(),
                _ => Variable::Null,
            },
            Function::Type => Variable::from(value(next()).type_name()),
        };
        Ok(Cow::Owned(result))
    }
}

/// "string \"abc\"" style description of a value for error messages.
fn describe(v: &Variable) -> &'static str {
    match v {
        Variable::Array(items) if !items.is_empty() => {
            if items.iter().all(|i| matches!(i, Variable::Number(_))) {
                "array[number]"
            } else if items.iter().all(|i| matches!(i, Variable::String(_))) {
                "array[string]"
            } else {
                "array (of mixed types)"
            }
        }
        other => other.type_name(),
    }
}

fn value(arg: Option<Arg<'_>>) -> Cow<'_, Variable> {
    match arg {
        Some(Arg::Value(v)) => v,
        _ => Cow::Owned(Variable::Null),
    }
}

fn expref(arg: Option<Arg<'_>>) -> &Ast {
    match arg {
        Some(Arg::Expref(ast)) => ast,
        _ => &Ast::Identity,
    }
}

fn args_rest<'a>(mut next: impl FnMut() -> Option<Arg<'a>>) -> Vec<Cow<'a, Variable>> {
    let mut out = Vec::new();
    while let Some(arg) = next() {
        out.push(value(Some(arg)));
    }
    out
}

fn number(v: Cow<'_, Variable>) -> Option<Number> {
    v.as_number()
}

fn numbers(v: &Variable) -> Vec<Number> {
    v.as_array()
        .map(|items| items.iter().filter_map(Variable::as_number).collect())
        .unwrap_or_default()
}

fn round(n: Number, op: fn(f64) -> f64) -> Number {
    match n {
        Number::Int(i) => Number::Int(i),
        Number::Float(f) => Number::integral(op(f)),
    }
}

/// Sums integers exactly while they fit, falling back to floating point.
fn sum(items: &[Number]) -> Number {
    let mut int_total: Option<i64> = Some(0);
    for n in items {
        int_total = match (int_total, n) {
            (Some(t), Number::Int(i)) => t.checked_add(*i),
            _ => None,
        };
    }
    match int_total {
        Some(t) => Number::Int(t),
        None => Number::Float(items.iter().map(|n| n.as_f64()).sum()),
    }
}

fn into_array(v: Cow<'_, Variable>) -> Vec<Variable> {
    match v {
        Cow::Owned(Variable::Array(items)) => items,
        Cow::Borrowed(Variable::Array(items)) => items.clone(),
        _ => Vec::new(),
    }
}

fn take_element(list: Cow<'_, Variable>, index: usize) -> Cow<'_, Variable> {
    match list {
        Cow::Borrowed(Variable::Array(items)) => items
            .get(index)
            .map_or(Cow::Owned(Variable::Null), Cow::Borrowed),
        Cow::Owned(Variable::Array(mut items)) if index < items.len() => {
            Cow::Owned(items.swap_remove(index))
        }
        _ => Cow::Owned(Variable::Null),
    }
}

/// Orders two numbers or two strings; other pairs (already rejected by type
/// checks) compare equal.
fn compare_sortable(a: &Variable, b: &Variable) -> Ordering {
    match (a, b) {
        (Variable::Number(x), Variable::Number(y)) => x.compare(*y),
        (Variable::String(x), Variable::String(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

/// Evaluates `expr` against each element of `list`, requiring every key to
/// be a number or every key to be a string.
fn sort_keys<'a>(f: Function, list: &'a Variable, expr: &'a Ast) -> Result<Vec<Cow<'a, Variable>>> {
    let items = list.as_array().map(Vec::as_slice).unwrap_or_default();
    let mut keys = Vec::with_capacity(items.len());
    let mut first_type: Option<&'static str> = None;
    for item in items {
        let key = eval(expr, item)?.into_cow();
        let ty = key.type_name();
        let ok = match first_type {
            None => matches!(ty, "number" | "string"),
            Some(first) => first == ty,
        };
        if !ok {
            let expected = first_type.unwrap_or("number or string");
            return Err(JmesError::new(
                ErrorKind::InvalidType,
                format!(
                    "{}() expected the expression to return {expected} but it returned {ty}",
                    f.name()
                ),
            ));
        }
        first_type = Some(ty);
        keys.push(key);
    }
    Ok(keys)
}

/// `to_number` on a string: integers stay integers, anything else that reads
/// as a finite number becomes a float, and the rest is `null`.
fn parse_number(s: &str) -> Option<Number> {
    if let Ok(i) = s.parse::<i64>() {
        return Some(Number::Int(i));
    }
    // Rust's float grammar also accepts "inf"/"NaN"; JSON numbers only.
    let looks_numeric = s
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E'));
    if !looks_numeric {
        return None;
    }
    s.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .map(Number::Float)
}

#[cfg(test)]
#[path = "functions_tests.rs"]
mod tests;
