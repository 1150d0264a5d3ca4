//! Tree-walking evaluation of an [`Ast`] against a [`Variable`].
//!
//! Paginators and waiters run the same small expressions against large
//! responses, so evaluation avoids copying the input. Intermediate results
//! are [`Val`]s: a reference into the document (or into a literal in the
//! expression), an owned value the expression built, or a list of further
//! `Val`s — what projections, slices and flattens produce — so that
//! `Reservations[].Instances[].InstanceId` walks the document by reference
//! and copies only the final strings. Recursion depth is bounded by the
//! parser's nesting limit, and the recursive functions are kept small so
//! that bound fits comfortably on a thread stack even in debug builds.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::ast::{Ast, Comparator};
use crate::error::{ErrorKind, JmesError, Result};
use crate::functions::{Arg, Function};
use crate::variable::{Map, Variable, NULL};

/// An intermediate result.
pub(crate) enum Val<'a> {
    /// Borrowed from the document or the expression.
    Ref(&'a Variable),
    /// Built during evaluation.
    Owned(Variable),
    /// An array whose elements are themselves intermediate results.
    List(Vec<Val<'a>>),
}

impl<'a> Val<'a> {
    const NULL: Val<'static> = Val::Ref(&NULL);

    fn is_null(&self) -> bool {
        match self {
            Val::Ref(v) => v.is_null(),
            Val::Owned(v) => v.is_null(),
            Val::List(_) => false,
        }
    }

    fn is_truthy(&self) -> bool {
        match self {
            Val::Ref(v) => v.is_truthy(),
            Val::Owned(v) => v.is_truthy(),
            Val::List(items) => !items.is_empty(),
        }
    }

    /// Materialises the value, copying only what is borrowed.
    pub(crate) fn into_owned(self) -> Variable {
        match self {
            Val::Ref(v) => v.clone(),
            Val::Owned(v) => v,
            Val::List(items) => Variable::Array(items.into_iter().map(Val::into_owned).collect()),
        }
    }

    /// As a `Cow`, materialising lists.
    pub(crate) fn into_cow(self) -> Cow<'a, Variable> {
        match self {
            Val::Ref(v) => Cow::Borrowed(v),
            Val::Owned(v) => Cow::Owned(v),
            list @ Val::List(_) => Cow::Owned(list.into_owned()),
        }
    }

    /// The elements, if this is an array of some form.
    fn into_elements(self) -> Option<Vec<Val<'a>>> {
        match self {
            Val::Ref(Variable::Array(items)) => Some(items.iter().map(Val::Ref).collect()),
            Val::Owned(Variable::Array(items)) => Some(items.into_iter().map(Val::Owned).collect()),
            Val::List(items) => Some(items),
            _ => None,
        }
    }
}

impl<'a> From<Cow<'a, Variable>> for Val<'a> {
    fn from(v: Cow<'a, Variable>) -> Val<'a> {
        match v {
            Cow::Borrowed(v) => Val::Ref(v),
            Cow::Owned(v) => Val::Owned(v),
        }
    }
}

/// Evaluates `ast` with `value` as the current node.
///
/// This recurses once per tree level, so it only dispatches: each form is
/// evaluated in its own small function, keeping this frame (which is on the
/// stack once per level) small even in unoptimised builds.
pub(crate) fn eval<'a>(ast: &'a Ast, value: &'a Variable) -> Result<Val<'a>> {
    match ast {
        Ast::Identity => Ok(Val::Ref(value)),
        Ast::Field(name) => Ok(Val::Ref(field(value, name))),
        Ast::Index(i) => Ok(Val::Ref(index(value, *i))),
        Ast::Slice { start, stop, step } => Ok(slice(Val::Ref(value), *start, *stop, *step)),
        Ast::Literal(v) => Ok(Val::Ref(v)),
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

/// Evaluates `ast` against an intermediate result. Borrowed values are
/// evaluated in place; lists and owned values pass through the cheap forms
/// (field, index, slice, projections, flatten) without being copied, and
/// are materialised only for the rest.
fn then<'a>(ast: &'a Ast, value: Val<'a>) -> Result<Val<'a>> {
    if let Val::Ref(v) = value {
        return eval(ast, v);
    }
    match ast {
        Ast::Identity => Ok(value),
        Ast::Field(name) => Ok(match value {
            Val::Owned(Variable::Object(mut map)) => {
                map.swap_remove(name.as_str()).map_or(Val::NULL, Val::Owned)
            }
            _ => Val::NULL,
        }),
        Ast::Index(i) => Ok(take_index(value, *i)),
        Ast::Slice { start, stop, step } => Ok(slice(value, *start, *stop, *step)),
        Ast::Subexpression(lhs, rhs) | Ast::IndexExpression(lhs, rhs) | Ast::Pipe(lhs, rhs) => {
            let left = then(lhs, value)?;
            then(rhs, left)
        }
        Ast::Projection(lhs, rhs) => project_array(then(lhs, value)?, rhs, None),
        Ast::FilterProjection {
            lhs,
            rhs,
            condition,
        } => project_array(then(lhs, value)?, rhs, Some(condition)),
        Ast::Flatten(inner) => Ok(flatten_value(then(inner, value)?)),
        _ => {
            let owned = value.into_owned();
            let result = eval(ast, &owned)?.into_owned();
            Ok(Val::Owned(result))
        }
    }
}

fn chain<'a>(lhs: &'a Ast, rhs: &'a Ast, value: &'a Variable) -> Result<Val<'a>> {
    let left = eval(lhs, value)?;
    then(rhs, left)
}

fn not<'a>(inner: &'a Ast, value: &'a Variable) -> Result<Val<'a>> {
    let v = eval(inner, value)?;
    Ok(Val::Owned(Variable::Bool(!v.is_truthy())))
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
    let values: Vec<Val<'a>> = match left {
        Val::Ref(Variable::Object(map)) => map.values().map(Val::Ref).collect(),
        Val::Owned(Variable::Object(map)) => map.into_values().map(Val::Owned).collect(),
        _ => return Ok(Val::NULL),
    };
    project_elements(values, rhs, None)
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
    let left = eval(lhs, value)?.into_cow();
    let right = eval(rhs, value)?.into_cow();
    Ok(Val::Owned(compare(op, &left, &right)))
}

fn multi_select_list<'a>(items: &'a [Ast], value: &'a Variable) -> Result<Val<'a>> {
    if value.is_null() {
        return Ok(Val::NULL);
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        out.push(eval(item, value)?);
    }
    Ok(Val::List(out))
}

fn multi_select_hash<'a>(entries: &'a [(String, Ast)], value: &'a Variable) -> Result<Val<'a>> {
    if value.is_null() {
        return Ok(Val::NULL);
    }
    let mut out = Map::with_capacity(entries.len());
    for (key, item) in entries {
        out.insert(key.clone(), eval(item, value)?.into_owned());
    }
    Ok(Val::Owned(Variable::Object(out)))
}

fn call<'a>(function: Function, args: &'a [Ast], value: &'a Variable) -> Result<Val<'a>> {
    let mut evaluated = Vec::with_capacity(args.len());
    for arg in args {
        evaluated.push(match arg {
            Ast::ExpressionRef(inner) => Arg::Expref(inner),
            other => Arg::Value(eval(other, value)?.into_cow()),
        });
    }
    function.call(evaluated).map(Val::from)
}

#[cold]
#[inline(never)]
fn expref_outside_call() -> JmesError {
    JmesError::new(
        ErrorKind::InvalidType,
        "an expression reference (&expr) can only be a function argument",
    )
}

fn field<'a>(value: &'a Variable, name: &str) -> &'a Variable {
    match value {
        Variable::Object(map) => map.get(name).unwrap_or(&NULL),
        _ => &NULL,
    }
}

/// Resolves a possibly negative index against `len`.
fn resolve_index(len: usize, i: i64) -> Option<usize> {
    let resolved = if i < 0 {
        i64::try_from(len).ok()?.checked_add(i)?
    } else {
        i
    };
    usize::try_from(resolved).ok().filter(|&r| r < len)
}

fn index(value: &Variable, i: i64) -> &Variable {
    match value {
        Variable::Array(items) => resolve_index(items.len(), i)
            .and_then(|i| items.get(i))
            .unwrap_or(&NULL),
        _ => &NULL,
    }
}

fn take_index(value: Val<'_>, i: i64) -> Val<'_> {
    match value.into_elements() {
        Some(mut items) => match resolve_index(items.len(), i) {
            Some(i) => items.swap_remove(i),
            None => Val::NULL,
        },
        None => Val::NULL,
    }
}

fn slice(value: Val<'_>, start: Option<i64>, stop: Option<i64>, step: i64) -> Val<'_> {
    let Some(items) = value.into_elements() else {
        return Val::NULL;
    };
    let mut slots: Vec<Option<Val<'_>>> = items.into_iter().map(Some).collect();
    let picked = slice_indices(slots.len(), start, stop, step)
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect();
    Val::List(picked)
}

/// `lhs[*].rhs`, `lhs[].rhs`, `lhs[?cond].rhs`: map `rhs` over the array,
/// keeping elements that pass `condition` and dropping null results.
fn project_array<'a>(left: Val<'a>, rhs: &'a Ast, condition: Option<&'a Ast>) -> Result<Val<'a>> {
    match left.into_elements() {
        Some(items) => project_elements(items, rhs, condition),
        None => Ok(Val::NULL),
    }
}

fn project_elements<'a>(
    items: Vec<Val<'a>>,
    rhs: &'a Ast,
    condition: Option<&'a Ast>,
) -> Result<Val<'a>> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        if let Some(cond) = condition {
            if !passes(cond, &item)? {
                continue;
            }
        }
        let result = then(rhs, item)?;
        if !result.is_null() {
            out.push(result);
        }
    }
    Ok(Val::List(out))
}

/// Evaluates a filter condition against one element.
fn passes(cond: &Ast, item: &Val<'_>) -> Result<bool> {
    match item {
        Val::Ref(v) => Ok(eval(cond, v)?.is_truthy()),
        Val::Owned(v) => Ok(eval(cond, v)?.is_truthy()),
        Val::List(_) => {
            // Rare (filtering a list of lists built by the expression):
            // materialise a copy to evaluate against.
            let copy = clone_val(item);
            Ok(eval(cond, &copy)?.is_truthy())
        }
    }
}

fn clone_val(v: &Val<'_>) -> Variable {
    match v {
        Val::Ref(v) => (*v).clone(),
        Val::Owned(v) => v.clone(),
        Val::List(items) => Variable::Array(items.iter().map(clone_val).collect()),
    }
}

/// `expr[]`: splice nested arrays one level into the outer array.
fn flatten_value(value: Val<'_>) -> Val<'_> {
    let Some(items) = value.into_elements() else {
        return Val::NULL;
    };
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let is_array = match &item {
            Val::Ref(v) => matches!(v, Variable::Array(_)),
            Val::Owned(v) => matches!(v, Variable::Array(_)),
            Val::List(_) => true,
        };
        if is_array {
            out.extend(item.into_elements().unwrap_or_default());
        } else {
            out.push(item);
        }
    }
    Val::List(out)
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
