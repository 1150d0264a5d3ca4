//! The abstract syntax tree produced by the parser.
//!
//! The node set mirrors the reference implementation's (jmespath.py), since
//! JMESPath semantics are defined mostly by how projections nest; keeping the
//! same shapes makes behaviour easy to check against the specification.

use crate::functions::Function;
use crate::variable::Variable;

/// Comparison operators usable in filters and elsewhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
}

/// One node of a compiled expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ast {
    /// `@` — the current node (also the implicit left side of many forms).
    Identity,
    /// `foo` or `"foo"`: an object key lookup.
    Field(String),
    /// `[n]`, negative counting from the end.
    Index(i64),
    /// `[start:stop:step]`; the step is never zero.
    Slice {
        /// First index (inclusive), defaulting per the sign of `step`.
        start: Option<i64>,
        /// Last index (exclusive).
        stop: Option<i64>,
        /// Stride; negative walks backwards.
        step: i64,
    },
    /// `` `json` `` or `'raw'`.
    Literal(Variable),
    /// `lhs.rhs`: evaluate `rhs` against the result of `lhs`.
    Subexpression(Box<Ast>, Box<Ast>),
    /// `lhs[index-or-slice]`; like `Subexpression` but written with brackets.
    IndexExpression(Box<Ast>, Box<Ast>),
    /// `lhs[*].rhs`, `lhs[].rhs`, `lhs[a:b].rhs`: apply `rhs` to every
    /// element of the array `lhs`, dropping nulls.
    Projection(Box<Ast>, Box<Ast>),
    /// `lhs.*.rhs`: apply `rhs` to every value of the object `lhs`.
    ValueProjection(Box<Ast>, Box<Ast>),
    /// `lhs[?condition].rhs`.
    FilterProjection {
        /// The array being filtered.
        lhs: Box<Ast>,
        /// Applied to each element that passed.
        rhs: Box<Ast>,
        /// Evaluated against each element; truthy keeps it.
        condition: Box<Ast>,
    },
    /// `expr[]`: flatten one level of nested arrays.
    Flatten(Box<Ast>),
    /// `lhs | rhs`: evaluate `rhs` against `lhs`, stopping any projection.
    Pipe(Box<Ast>, Box<Ast>),
    /// `lhs || rhs`.
    Or(Box<Ast>, Box<Ast>),
    /// `lhs && rhs`.
    And(Box<Ast>, Box<Ast>),
    /// `!expr`.
    Not(Box<Ast>),
    /// `lhs <op> rhs`.
    Comparison(Comparator, Box<Ast>, Box<Ast>),
    /// `[a, b, c]`.
    MultiSelectList(Vec<Ast>),
    /// `{k1: a, k2: b}`.
    MultiSelectHash(Vec<(String, Ast)>),
    /// `name(args...)`; the function was resolved and its arity checked at
    /// compile time.
    FunctionCall(Function, Vec<Ast>),
    /// `&expr`: an unevaluated expression passed to `sort_by`, `map`, ...
    ExpressionRef(Box<Ast>),
}
