//! Tests of the JMESPath parser: precedence, projections, literals, errors.

use super::*;
use crate::variable::Variable;

fn p(expr: &str) -> Ast {
    match parse(expr) {
        Ok(ast) => ast,
        Err(e) => panic!("{expr}: {e}"),
    }
}

fn field(name: &str) -> Box<Ast> {
    Box::new(Ast::Field(name.to_string()))
}

fn syntax_error_at(expr: &str) -> Option<usize> {
    match parse(expr) {
        Err(e) if e.kind() == ErrorKind::Syntax => e.position(),
        other => panic!("{expr}: expected syntax error, got {other:?}"),
    }
}

#[test]
fn subexpression_and_pipe() {
    assert_eq!(
        p("a.b | c"),
        Ast::Pipe(
            Box::new(Ast::Subexpression(field("a"), field("b"))),
            field("c")
        )
    );
}

#[test]
fn projection_stops_at_pipe() {
    assert_eq!(
        p("a[*].b | [0]"),
        Ast::Pipe(
            Box::new(Ast::Projection(field("a"), field("b"))),
            Box::new(Ast::IndexExpression(
                Box::new(Ast::Identity),
                Box::new(Ast::Index(0))
            ))
        )
    );
}

#[test]
fn not_binds_tighter_than_dot() {
    // Matches the reference implementation: `!a.b` is `(!a).b`.
    assert_eq!(
        p("!a.b"),
        Ast::Subexpression(Box::new(Ast::Not(field("a"))), field("b"))
    );
}

#[test]
fn and_binds_tighter_than_or() {
    assert_eq!(
        p("a || b && c"),
        Ast::Or(field("a"), Box::new(Ast::And(field("b"), field("c"))))
    );
}

#[test]
fn slices_project() {
    assert_eq!(
        p("a[1:].b"),
        Ast::Projection(
            Box::new(Ast::IndexExpression(
                field("a"),
                Box::new(Ast::Slice {
                    start: Some(1),
                    stop: None,
                    step: 1
                })
            )),
            field("b")
        )
    );
}

#[test]
fn zero_step_is_invalid_value() {
    let err = parse("a[::0]").err().map(|e| e.kind());
    assert_eq!(err, Some(ErrorKind::InvalidValue));
}

#[test]
fn literal_comparison_in_filter() {
    assert_eq!(
        p("a[?b == `1`]"),
        Ast::FilterProjection {
            lhs: field("a"),
            rhs: Box::new(Ast::Identity),
            condition: Box::new(Ast::Comparison(
                Comparator::Eq,
                field("b"),
                Box::new(Ast::Literal(Box::new(Variable::from(1i64))))
            )),
        }
    );
}

#[test]
fn function_errors() {
    let kind = |e: &str| parse(e).err().map(|e| e.kind());
    assert_eq!(kind("nope(@)"), Some(ErrorKind::UnknownFunction));
    assert_eq!(kind("length(@, @)"), Some(ErrorKind::InvalidArity));
    assert_eq!(kind("\"length\"(@)"), Some(ErrorKind::Syntax));
    assert_eq!(kind("length(@,)"), Some(ErrorKind::Syntax));
    assert_eq!(kind("length(@ @)"), Some(ErrorKind::Syntax));
    assert_eq!(kind("@(a)"), Some(ErrorKind::Syntax));
}

#[test]
fn syntax_error_positions() {
    assert_eq!(syntax_error_at("foo."), Some(4));
    assert_eq!(syntax_error_at("foo..bar"), Some(4));
    assert_eq!(syntax_error_at("a{foo: 0}"), Some(1));
    assert_eq!(syntax_error_at("foo[0, 1]"), Some(5));
    assert_eq!(syntax_error_at("{a: b,}"), Some(6));
    assert_eq!(syntax_error_at(""), Some(0));
    assert_eq!(syntax_error_at("a b"), Some(2));
}

#[test]
fn display_shows_caret() {
    let msg = parse("foo[?]")
        .err()
        .map(|e| e.with_expression("foo[?]").to_string());
    let msg = msg.unwrap_or_default();
    assert!(msg.contains("position 5"), "{msg}");
    assert!(msg.ends_with("\n  foo[?]\n       ^"), "{msg}");
}

#[test]
fn deep_nesting_is_a_syntax_error_not_a_crash() {
    for expr in [
        "(".repeat(100_000) + "a" + &")".repeat(100_000),
        "[".repeat(100_000),
        "!".repeat(100_000) + "a",
        "a".to_string() + &".a".repeat(100_000),
        "a".to_string() + &"[0]".repeat(100_000),
        "a".to_string() + &" || a".repeat(100_000),
        "a".to_string() + &"|a".repeat(100_000),
        "&".repeat(100_000) + "a",
        "a".to_string() + &"[*].a".repeat(100_000),
        "{a:".repeat(100_000),
        "f(".repeat(100_000),
    ] {
        let err = parse(&expr).err();
        assert_eq!(err.map(|e| e.kind()), Some(ErrorKind::Syntax));
    }
}

#[test]
fn moderate_nesting_is_fine() {
    let expr = "a".to_string() + &".a".repeat(200);
    assert!(parse(&expr).is_ok());
    let expr = "(".repeat(100) + "a" + &")".repeat(100);
    assert!(parse(&expr).is_ok());
}
