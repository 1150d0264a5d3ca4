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
    Literal(Box<Variable>),
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

impl Ast {
    /// Calls `f` on each direct child node.
    pub fn for_each_child<'a>(&'a self, mut f: impl FnMut(&'a Ast)) {
        match self {
            Ast::Identity | Ast::Field(_) | Ast::Index(_) | Ast::Slice { .. } | Ast::Literal(_) => {
            }
            Ast::Subexpression(a, b)
            | Ast::IndexExpression(a, b)
            | Ast::Projection(a, b)
            | Ast::ValueProjection(a, b)
            | Ast::Pipe(a, b)
            | Ast::Or(a, b)
            | Ast::And(a, b)
            | Ast::Comparison(_, a, b) => {
                f(a);
                f(b);
            }
            Ast::FilterProjection {
                lhs,
                rhs,
                condition,
            } => {
                f(lhs);
                f(condition);
                f(rhs);
            }
            Ast::Flatten(a) | Ast::Not(a) | Ast::ExpressionRef(a) => f(a),
            Ast::MultiSelectList(items) | Ast::FunctionCall(_, items) => items.iter().for_each(f),
            Ast::MultiSelectHash(entries) => entries.iter().for_each(|(_, v)| f(v)),
        }
    }

    /// The number of nodes on the longest root-to-leaf path, computed
    /// without recursion so it is safe on any tree.
    pub fn depth(&self) -> usize {
        let mut max = 0;
        let mut stack = vec![(self, 1usize)];
        while let Some((node, d)) = stack.pop() {
            max = max.max(d);
            node.for_each_child(|child| stack.push((child, d + 1)));
        }
        max
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_longest_path() {
        let leaf = || Box::new(Ast::Identity);
        assert_eq!(Ast::Identity.depth(), 1);
        let tree = Ast::Or(leaf(), Box::new(Ast::Not(Box::new(Ast::Not(leaf())))));
        assert_eq!(tree.depth(), 4);
        let hash = Ast::MultiSelectHash(vec![("a".into(), Ast::Not(leaf()))]);
        assert_eq!(hash.depth(), 3);
    }
}
