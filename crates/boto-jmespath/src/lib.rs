//! JMESPath for boto-rs.
//!
//! Paginators (`Contents`, `Reservations[].Instances[]`), waiters
//! (`path`/`pathAll`/`pathAny` matchers) and the CLI's `--query` all speak
//! JMESPath. The crates.io implementation is unmaintained, so this crate is
//! a self-contained one: a lexer, a Pratt parser producing an [`Ast`], and a
//! tree-walking interpreter with every built-in [`Function`], checked against
//! the official compliance suite.
//!
//! Expressions are compiled once and evaluated many times. Evaluation works
//! on [`Variable`], a small JSON-like enum that keeps integers distinct from
//! floats and preserves object key order; `serde_json::Value` and boto-rs's
//! own value type convert to and from it.
//!
//! ```
//! use boto_jmespath::{compile, Variable};
//!
//! let expr = compile("Reservations[].Instances[].InstanceId").unwrap();
//! let doc = Variable::from(serde_json::json!({
//!     "Reservations": [{"Instances": [{"InstanceId": "i-1"}, {"InstanceId": "i-2"}]}]
//! }));
//! let ids = expr.search(&doc).unwrap();
//! assert_eq!(ids.to_string(), r#"["i-1","i-2"]"#);
//! ```

#![deny(missing_docs)]

pub mod ast;
mod error;
pub mod functions;
mod interpreter;
mod lexer;
mod parser;
mod variable;

use std::fmt;
use std::str::FromStr;

pub use ast::{Ast, Comparator};
pub use error::{ErrorKind, JmesError, Result};
pub use functions::Function;
pub use parser::MAX_DEPTH;
pub use variable::{Map, Number, Variable};

/// A compiled JMESPath expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Expression {
    source: String,
    ast: Ast,
}

/// Compiles `expression`.
///
/// Syntax errors, unknown functions and wrong argument counts are reported
/// here rather than at evaluation time.
pub fn compile(expression: &str) -> Result<Expression> {
    match parser::parse(expression) {
        Ok(ast) => Ok(Expression {
            source: expression.to_string(),
            ast,
        }),
        Err(e) => Err(e.with_expression(expression)),
    }
}

/// Compiles `expression` and evaluates it against `data` in one step.
pub fn search(expression: &str, data: &Variable) -> Result<Variable> {
    compile(expression)?.search(data)
}

impl Expression {
    /// Evaluates the expression with `data` as the root node.
    pub fn search(&self, data: &Variable) -> Result<Variable> {
        interpreter::eval(&self.ast, data)
            .map(interpreter::Val::into_owned)
            .map_err(|e| e.with_expression(&self.source))
    }

    /// Evaluates against a `serde_json::Value`, returning one.
    pub fn search_json(&self, data: &serde_json::Value) -> Result<serde_json::Value> {
        self.search(&Variable::from(data)).map(Into::into)
    }

    /// The expression text this was compiled from.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The parsed syntax tree.
    pub fn ast(&self) -> &Ast {
        &self.ast
    }
}

impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl FromStr for Expression {
    type Err = JmesError;

    fn from_str(s: &str) -> Result<Self> {
        compile(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(expr: &str, data: serde_json::Value) -> String {
        match compile(expr).and_then(|e| e.search(&Variable::from(data))) {
            Ok(v) => v.to_string(),
            Err(e) => format!("error: {}", e.kind()),
        }
    }

    #[test]
    fn compiled_expressions_are_shareable() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Expression>();
        assert_send_sync::<JmesError>();
        assert_send_sync::<Variable>();
    }

    #[test]
    fn projections_over_built_values() {
        let doc = json!({"a": [[{"b": 1}, {"b": 2}], [{"b": 3}]], "m": {"x": [1, 2], "y": [3]}});
        assert_eq!(run("a[].b | [1:]", doc.clone()), "[2,3]");
        assert_eq!(run("a[*][0].b", doc.clone()), "[1,3]");
        assert_eq!(run("[a[0], a[1]][] | [?b > `1`].b", doc.clone()), "[2,3]");
        // A filter after `[]` is projected onto each (object) element.
        assert_eq!(run("[a[0], a[1]][][?b > `1`].b", doc.clone()), "[]");
        assert_eq!(run("m.*[] | reverse(@)", doc.clone()), "[3,2,1]");
        assert_eq!(run("[m.x, m.y][-1][0]", doc.clone()), "3");
        assert_eq!(run("{k: m}.k.x[::-1]", doc), "[2,1]");
    }

    #[test]
    fn paginator_style_expressions() {
        let doc = json!({"Contents": [{"Key": "a"}, {"Key": "b"}], "IsTruncated": true});
        assert_eq!(run("Contents[].Key", doc.clone()), r#"["a","b"]"#);
        assert_eq!(run("length(Contents) > `0`", doc.clone()), "true");
        assert_eq!(run("length(Contents)", doc), "2");
    }

    #[test]
    fn integers_stay_integers() {
        assert_eq!(run("sum(@)", json!([1, 2])), "3");
        assert_eq!(run("sum(@)", json!([1, 2.5])), "3.5");
        assert_eq!(run("avg(@)", json!([1, 2])), "1.5");
        assert_eq!(run("ceil(`1.2`)", json!(null)), "2");
        assert_eq!(run("abs(`-3`)", json!(null)), "3");
        assert_eq!(
            run("to_string(@)", json!({"b": 1.0, "a": 2})),
            r#""{\"b\":1.0,\"a\":2}""#
        );
    }

    #[test]
    fn key_order_is_preserved() {
        let doc = json!({"z": 1, "a": 2, "m": 3});
        assert_eq!(run("keys(@)", doc.clone()), r#"["z","a","m"]"#);
        assert_eq!(run("*", doc.clone()), "[1,2,3]");
        assert_eq!(run("{m: m, z: z}", doc.clone()), r#"{"m":3,"z":1}"#);
        assert_eq!(
            run("merge(@, `{\"a\": 0, \"b\": 9}`)", doc),
            r#"{"z":1,"a":0,"m":3,"b":9}"#
        );
    }

    #[test]
    fn runtime_errors() {
        assert_eq!(run("abs(@)", json!("x")), "error: invalid-type");
        assert_eq!(run("&a", json!({})), "error: invalid-type");
        assert_eq!(
            run("sort_by(@, &a)", json!([{"a": 1}, {"a": "x"}])),
            "error: invalid-type"
        );
    }

    #[test]
    fn search_json_and_from_str() {
        let expr: Expression = "a[?b > `1`].c".parse().unwrap_or_else(|e| panic!("{e}"));
        let out = expr.search_json(&json!({"a": [{"b": 1, "c": 1}, {"b": 2, "c": 2}]}));
        assert_eq!(out.ok(), Some(json!([2])));
        assert_eq!(expr.to_string(), "a[?b > `1`].c");
    }

    #[test]
    fn deep_but_legal_expression_evaluates() {
        // Close to the parser's limit, evaluated on a test thread's small
        // stack: the interpreter must not overflow before the parser refuses.
        let expr = "a".to_string() + &".a".repeat(MAX_DEPTH - 2);
        let mut doc = json!(1);
        for _ in 0..MAX_DEPTH - 1 {
            doc = json!({ "a": doc });
        }
        let doc = Variable::from(doc);
        let out = compile(&expr).and_then(|e| e.search(&doc));
        assert_eq!(out.ok(), Some(Variable::from(1i64)));

        let expr = "(".repeat(MAX_DEPTH - 1) + "a" + &")".repeat(MAX_DEPTH - 1);
        assert!(compile(&expr).is_ok());
        let expr = "a".to_string() + &"[*].a".repeat(MAX_DEPTH / 2 - 1);
        let out = compile(&expr).and_then(|e| e.search(&doc));
        assert!(out.is_ok());
        let expr = "[".repeat(MAX_DEPTH - 1) + "a" + &"]".repeat(MAX_DEPTH - 1);
        let out = compile(&expr).and_then(|e| e.search(&doc));
        assert!(out.is_ok());
    }
}
