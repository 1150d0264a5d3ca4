//! Tests of the JMESPath function table and argument checks.

use super::*;

#[test]
fn lookup_round_trips() {
    for (name, f) in FUNCTIONS {
        assert_eq!(Function::lookup(name), Some(*f));
        assert_eq!(f.name(), *name);
    }
    assert_eq!(Function::lookup("nope"), None);
}

#[test]
fn parse_numbers() {
    assert!(matches!(parse_number("4"), Some(Number::Int(4))));
    assert!(matches!(parse_number("1.0"), Some(Number::Float(_))));
    assert!(matches!(parse_number("1e21"), Some(Number::Float(_))));
    assert!(parse_number("inf").is_none());
    assert!(parse_number("NaN").is_none());
    assert!(parse_number("abc").is_none());
    assert!(parse_number("").is_none());
    assert!(matches!(
        parse_number("99999999999999999999"),
        Some(Number::Float(_))
    ));
}

#[test]
fn sum_overflow_falls_back_to_float() {
    assert!(matches!(
        sum(&[Number::Int(1), Number::Int(2)]),
        Number::Int(3)
    ));
    assert!(matches!(
        sum(&[Number::Int(i64::MAX), Number::Int(1)]),
        Number::Float(_)
    ));
}
