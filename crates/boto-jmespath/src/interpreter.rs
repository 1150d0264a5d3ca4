//! Tree-walking evaluation of an [`Ast`] against a [`Variable`].
//!
//! Paginators and waiters run the same small expressions against large
//! responses, so evaluation avoids copying the input: results are
//! `Cow<Variable>` that borrow from the document (or from literals in the
//! expression) and only values the expression builds — projections,
//! multi-selects, function results — are owned. Recursion depth is bounded by
//! the parser's nesting limit.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::ast::{Ast, Comparator};
use crate::error::{ErrorKind, JmesError, Result};
use crate::functions::{Arg, Function};
use crate::variable::{Map, Variable, NULL};

type Val<'a> = Cow<'a, Variable>;

/// Evaluates `ast` with `value` as the current node.
///
/// This recurses once per tree level, so it only dispatches: each form is
/// evaluated in its own small function, keeping this frame (which is on the
/// stack once per level) small even in unoptimised builds.
pub(crate) fn eval<'a>(ast: &'a Ast, value: &'a Variable) -> Result<Val<'a>> {
    match ast {
        Ast::Identity => Ok(Cow::Borrowed(value)),
        Ast::Field(name) => Ok(Cow::Borrowed(field(value, name))),
        Ast::Index(i) => Ok(Cow::Borrowed(index(value, *i))),
        Ast::Slice { start, stop, step } => Ok(slice(value, *start, *stop, *step)),
        Ast::Literal(v) => Ok(Cow::Borrowed(v)),
        Ast::Subexpression(lhs, rhs) | Ast::IndexExpression(lhs, rhs) | Ast::Pipe(lhs, rhs) => {
            chain(lhs, rhs, value)
        }
        Ast::Projection(lhs, rhs) => projection(lhs, rhs, None, value),
        Ast::FilterProjection {
            lhs,
            rhs,
            condition,
        } => projection(lhs, rhs, Some(condition), value),
        Ast::ValueProjection(lhs, rhs) => value_projection(lhs, rhs, value),
        Ast::Flatten(inner) => flatten(inner, value),
        Ast::Or(lhs, rhs) => or(lhs, rhs, value),
        Ast::And(lhs, rhs) => and(lhs, rhs, value),
        Ast::Not(inner) => not(inner, value),
        Ast::Comparison(op, lhs, rhs) => comparison(*op, lhs, rhs, value),
        Ast::MultiSelectList(items) => multi_select_list(items, value),
        Ast::MultiSelectHash(entries) => multi_select_hash(entries, value),
        Ast::FunctionCall(function, args) => call(*function, args, value),
        Ast::ExpressionRef(_) => Err(expref_outside_call()),
    }
}

fn chain<'a>(lhs: &'a Ast, rhs: &'a Ast, value: &'a Variable) -> Result<Val<'a>> {
    let left = eval(lhs, value)?;
    then(rhs, left)
}

fn not<'a>(inner: &'a Ast, value: &'a Variable) -> Result<Val<'a>> {
    let v = eval(inner, value)?;
    Ok(Cow::Owned(Variable::Bool(!v.is_truthy())))
}

fn projection<'a>(
    lhs: &'a Ast,
    rhs: &'a Ast,
    condition: Option<&'a Ast>,
    value: &'a Variable,
) -> Result<Val<'a>> {
    let left = eval(lhs, value)?;
    project_array(left, rhs, condition)
}

fn value_projection<'a>(lhs: &'a Ast, rhs: &'a Ast, value: &'a Variable) -> Result<Val<'a>> {
    let left = eval(lhs, value)?;
    project_object(left, rhs)
}

fn flatten<'a>(inner: &'a Ast, value: &'a Variable) -> Result<Val<'a>> {
    let v = eval(inner, value)?;
    Ok(flatten_value(v))
}

fn or<'a>(lhs: &'a Ast, rhs: &'a Ast, value: &'a Variable) -> Result<Val<'a>> {
    let left = eval(lhs, value)?;
    if left.is_truthy() {
        Ok(left)
    } else {
        eval(rhs, value)
    }
}

fn and<'a>(lhs: &'a Ast, rhs: &'a Ast, value: &'a Variable) -> Result<Val<'a>> {
    let left = eval(lhs, value)?;
    if left.is_truthy() {
        eval(rhs, value)
    } else {
        Ok(left)
    }
}

fn comparison<'a>(
    op: Comparator,
    lhs: &'a Ast,
    rhs: &'a Ast,
    value: &'a Variable,
) -> Result<Val<'a>> {
    let left = eval(lhs, value)?;
    let right = eval(rhs, value)?;
    Ok(Cow::Owned(compare(op, &left, &right)))
}

fn multi_select_list<'a>(items: &'a [Ast], value: &'a Variable) -> Result<Val<'a>> {
    if value.is_null() {
        return Ok(Cow::Borrowed(&NULL));
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(eval(item, value)?.into_owned());
    }
    Ok(Cow::Owned(Variable::Array(out)))
}

fn multi_select_hash<'a>(entries: &'a [(String, Ast)], value: &'a Variable) -> Result<Val<'a>> {
    if value.is_null() {
        return Ok(Cow::Borrowed(&NULL));
    }
    let mut out = Map::with_capacity(entries.len());
    for (key, item) in entries {
        out.insert(key.clone(), eval(item, value)?.into_owned());
    }
    Ok(Cow::Owned(Variable::Object(out)))
}

fn call<'a>(function: Function, args: &'a [Ast], value: &'a Variable) -> Result<Val<'a>> {
    let mut evaluated = Vec::with_capacity(args.len());
    for arg in args {
        evaluated.push(match arg {
            Ast::ExpressionRef(inner) => Arg::Expref(inner),
            other => Arg::Value(eval(other, value)?),
        });
    }
    function.call(evaluated)
}

#[cold]
#[inline(never)]
fn expref_outside_call() -> JmesError {
    JmesError::new(
        ErrorKind::InvalidType,
        "an expression reference (&expr) can only be a function argument",
    )
}

/// Evaluates `ast` against an intermediate result, keeping it borrowed when
/// the intermediate was borrowed and copying only the final result when the
/// intermediate was built during evaluation.
fn then<'a>(ast: &'a Ast, value: Val<'a>) -> Result<Val<'a>> {
    match value {
        Cow::Borrowed(v) => eval(ast, v),
        Cow::Owned(v) => {
            if matches!(ast, Ast::Identity) {
                return Ok(Cow::Owned(v));
            }
            let result = eval(ast, &v)?.into_owned();
            Ok(Cow::Owned(result))
        }
    }
}

fn field<'a>(value: &'a Variable, name: &str) -> &'a Variable {
    match value {
        Variable::Object(map) => map.get(name).unwrap_or(&NULL),
        _ => &NULL,
    }
}

fn index(value: &Variable, i: i64) -> &Variable {
    let Variable::Array(items) = value else {
        return &NULL;
    };
    let resolved = if i < 0 {
        i64::try_from(items.len())
            .ok()
            .and_then(|len| len.checked_add(i))
    } else {
        Some(i)
    };
    resolved
        .and_then(|i| usize::try_from(i).ok())
        .and_then(|i| items.get(i))
        .unwrap_or(&NULL)
}

fn slice<'a>(value: &'a Variable, start: Option<i64>, stop: Option<i64>, step: i64) -> Val<'a> {
    let Variable::Array(items) = value else {
        return Cow::Borrowed(&NULL);
    };
    let indices = slice_indices(items.len(), start, stop, step);
    Cow::Owned(Variable::Array(
        indices.filter_map(|i| items.get(i).cloned()).collect(),
    ))
}

/// Python-style slice resolution over an array of length `len`.
fn slice_indices(
    len: usize,
    start: Option<i64>,
    stop: Option<i64>,
    step: i64,
) -> impl Iterator<Item = usize> {
    let len = i128::try_from(len).unwrap_or(i128::MAX);
    let step = i128::from(step);
    let adjust = |endpoint: i64| {
        let e = i128::from(endpoint);
        if e < 0 {
            let e = e + len;
            if e < 0 {
                if step < 0 {
                    -1
                } else {
                    0
                }
            } else {
                e
            }
        } else if e >= len {
            if step < 0 {
                len - 1
            } else {
                len
            }
        } else {
            e
        }
    };
    let start = start.map_or(if step < 0 { len - 1 } else { 0 }, adjust);
    let stop = stop.map_or(if step < 0 { -1 } else { len }, adjust);
    let mut current = start;
    std::iter::from_fn(move || {
        let more = if step > 0 {
            current < stop
        } else {
            current > stop
        };
        if !more || step == 0 {
            return None;
        }
        let out = usize::try_from(current).ok();
        current += step;
        out
    })
}

/// `lhs[*].rhs`, `lhs[].rhs`, `lhs[?cond].rhs`: map `rhs` over the array,
/// keeping elements that pass `condition` and dropping null results.
fn project_array<'a>(left: Val<'a>, rhs: &'a Ast, condition: Option<&'a Ast>) -> Result<Val<'a>> {
    let keep = |item: &Variable| -> Result<bool> {
        match condition {
            Some(cond) => Ok(eval(cond, item)?.is_truthy()),
            None => Ok(true),
        }
    };
    let mut out = Vec::new();
    match left {
        Cow::Borrowed(Variable::Array(items)) => {
            for item in items {
                if keep(item)? {
                    push_non_null(&mut out, eval(rhs, item)?.into_owned());
                }
            }
        }
        Cow::Owned(Variable::Array(items)) => {
            for item in items {
                if !keep(&item)? {
                    continue;
                }
                if matches!(rhs, Ast::Identity) {
                    push_non_null(&mut out, item);
                } else {
                    push_non_null(&mut out, eval(rhs, &item)?.into_owned());
                }
            }
        }
        _ => return Ok(Cow::Borrowed(&NULL)),
    }
    Ok(Cow::Owned(Variable::Array(out)))
}

/// `lhs.*.rhs`: map `rhs` over the object's values, dropping nulls.
fn project_object<'a>(left: Val<'a>, rhs: &'a Ast) -> Result<Val<'a>> {
    let mut out = Vec::new();
    match left {
        Cow::Borrowed(Variable::Object(map)) => {
            for item in map.values() {
                push_non_null(&mut out, eval(rhs, item)?.into_owned());
            }
        }
        Cow::Owned(Variable::Object(map)) => {
            for item in map.into_values() {
                if matches!(rhs, Ast::Identity) {
                    push_non_null(&mut out, item);
                } else {
                    push_non_null(&mut out, eval(rhs, &item)?.into_owned());
                }
            }
        }
        _ => return Ok(Cow::Borrowed(&NULL)),
    }
    Ok(Cow::Owned(Variable::Array(out)))
}

fn push_non_null(out: &mut Vec<Variable>, v: Variable) {
    if !v.is_null() {
        out.push(v);
    }
}

/// `expr[]`: splice nested arrays one level into the outer array.
fn flatten_value(value: Val<'_>) -> Val<'_> {
    let mut out = Vec::new();
    match value {
        Cow::Borrowed(Variable::Array(items)) => {
            for item in items {
                match item {
                    Variable::Array(inner) => out.extend(inner.iter().cloned()),
                    other => out.push(other.clone()),
                }
            }
        }
        Cow::Owned(Variable::Array(items)) => {
            for item in items {
                match item {
                    Variable::Array(inner) => out.extend(inner),
                    other => out.push(other),
                }
            }
        }
        _ => return Cow::Borrowed(&NULL),
    }
    Cow::Owned(Variable::Array(out))
}

/// `==`/`!=` compare any values deeply; ordering comparisons are defined
/// only between numbers and yield `null` otherwise.
fn compare(op: Comparator, left: &Variable, right: &Variable) -> Variable {
    let ordering = match op {
        Comparator::Eq => return Variable::Bool(left == right),
        Comparator::Ne => return Variable::Bool(left != right),
        _ => match (left, right) {
            (Variable::Number(a), Variable::Number(b)) => a.compare(*b),
            _ => return Variable::Null,
        },
    };
    Variable::Bool(match op {
        Comparator::Lt => ordering == Ordering::Less,
        Comparator::Lte => ordering != Ordering::Greater,
        Comparator::Gt => ordering == Ordering::Greater,
        _ => ordering != Ordering::Less,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn indices(len: usize, start: Option<i64>, stop: Option<i64>, step: i64) -> Vec<usize> {
        slice_indices(len, start, stop, step).collect()
    }

    #[test]
    fn slices() {
        assert_eq!(indices(5, None, None, 1), vec![0, 1, 2, 3, 4]);
        assert_eq!(indices(5, None, None, -1), vec![4, 3, 2, 1, 0]);
        assert_eq!(indices(5, Some(-2), None, 1), vec![3, 4]);
        assert_eq!(indices(5, Some(10), Some(-10), -2), vec![4, 2, 0]);
        assert_eq!(indices(0, None, None, -1), Vec::<usize>::new());
        assert_eq!(
            indices(3, Some(i64::MIN), Some(i64::MAX), i64::MAX),
            vec![0]
        );
        assert_eq!(
            indices(3, Some(i64::MAX), Some(i64::MIN), i64::MIN),
            vec![2]
        );
    }

    #[test]
    fn index_extremes() {
        let v = Variable::Array(vec![Variable::from(1i64)]);
        assert!(index(&v, i64::MIN).is_null());
        assert!(index(&v, i64::MAX).is_null());
        assert_eq!(index(&v, -1), &Variable::from(1i64));
    }
}
