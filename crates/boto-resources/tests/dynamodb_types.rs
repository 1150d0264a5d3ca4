//! Differential test of `TypeSerializer`/`TypeDeserializer` against boto3
//! 1.43.67 (`BOTO_TEST_PYTHON`): random plain values (seeded) — 38-digit and
//! 39/40-digit numbers, exponents at and past DynamoDB's limits, Python ints
//! beyond i64, strings, binary, sets, nested lists and maps — serialized and
//! deserialized by both; the wire form, the round trip, and whether it is an
//! error must be equal. Plus boto3's error cases, and Python's `str(Decimal)`
//! formatting checked without the oracle.

mod dynamodb_support;

use boto::Value;
use boto_resources::dynamodb::{
    transform_output, AttrValue, Decimal, TypeDeserializer, TypeSerializer,
};
use dynamodb_support::*;
use serde_json::{json, Value as Json};

const VALUES: usize = 1500;

fn rust_types(tagged: &Json) -> Json {
    let value = match attr_from_tagged(tagged) {
        Ok(v) => v,
        Err(e) => return json!({"error": e}),
    };
    let wire = match TypeSerializer.serialize(&value) {
        Ok(w) => w,
        Err(e) => return json!({"error": e.to_string()}),
    };
    let back = TypeDeserializer
        .deserialize(&wire)
        .expect("our own wire deserializes");
    json!({"wire": wire_json(&wire), "back": tagged_from_attr(&back)})
}

#[test]
fn types_match_boto3() {
    let Some(mut oracle) = Oracle::start() else {
        return;
    };
    let mut rng = Rng::new(0xD1CE_0042);
    let (mut passed, mut failed, mut errors) = (0usize, 0usize, 0usize);
    for i in 0..VALUES {
        let tagged = match i % 4 {
            0 => json!({"n": random_number(&mut rng, false)}),
            1 => random_tagged(&mut rng, 3, false),
            _ => random_tagged(&mut rng, 3, true),
        };
        let ours = rust_types(&tagged);
        let theirs = oracle.ask(&json!({"kind": "types", "value": tagged}));
        let ok = match (ours.get("error"), theirs.get("error")) {
            (Some(_), Some(_)) => {
                errors += 1;
                true
            }
            (None, None) => ours == theirs,
            _ => false,
        };
        if ok {
            passed += 1;
        } else {
            failed += 1;
            if failed <= 5 {
                eprintln!("MISMATCH\n value: {tagged}\n rust: {ours}\n boto3: {theirs}");
            }
        }
    }
    // boto3's documented error cases: both must refuse.
    let error_cases = [
        json!({"f": 1.5}),
        json!({"n": "NaN"}),
        json!({"n": "Infinity"}),
        json!({"n": "1E+127"}),
        json!({"n": "1E-166"}),
        json!({"n": "0E+127"}),
        json!({"n": "0E-200"}),
        json!({"n": "1000000000000000000000000000000000000.00"}),
        json!({"i": "100000000000000000000000000000000000000"}),
        json!([1, {"m": {"x": {"f": 0.1}}}]),
        json!({"ns": ["1", "1E+200"]}),
    ];
    for case in &error_cases {
        let ours = rust_types(case);
        let theirs = oracle.ask(&json!({"kind": "types", "value": case}));
        if ours.get("error").is_some() && theirs.get("error").is_some() {
            passed += 1;
        } else {
            failed += 1;
            eprintln!("ERROR CASE MISMATCH {case}: rust {ours}, boto3 {theirs}");
        }
    }
    // Deserializer errors.
    let wire_errors = [
        json!({}),
        json!({"X": 1}),
        json!({"N": "1".repeat(39)}),
        json!({"N": "1E+127"}),
    ];
    for case in &wire_errors {
        let ours = TypeDeserializer.deserialize(&wire_from_json(case));
        let theirs = oracle.ask(&json!({"kind": "wire", "value": case}));
        if ours.is_err() && theirs.get("error").is_some() {
            passed += 1;
        } else {
            failed += 1;
            eprintln!("WIRE ERROR CASE MISMATCH {case}: rust {ours:?}, boto3 {theirs}");
        }
    }
    println!(
        "dynamodb-types: {passed} passed, {failed} failed ({errors} random values refused by both)"
    );
    assert_eq!(failed, 0);
    assert!(passed >= 1000);
    assert!(
        errors > 20,
        "the out-of-range paths were hardly exercised ({errors})"
    );
}

#[test]
fn numbers_format_like_python_str_decimal() {
    let cases = [
        ("1.0", "1.0"),
        ("1E+2", "1E+2"),
        ("1e2", "1E+2"),
        ("100", "100"),
        ("-0", "-0"),
        ("0.000001", "0.000001"),
        ("0.0000001", "1E-7"),
        ("-00.0100e-3", "-0.0000100"),
        (".5", "0.5"),
        ("5.", "5"),
        ("1_000", "1000"),
        (" 7 ", "7"),
        ("0E+126", "0E+126"),
        ("1E-165", "1E-165"),
        (
            "99999999999999999999999999999999999999E+88",
            "9.9999999999999999999999999999999999999E+125",
        ),
    ];
    for (input, want) in cases {
        let d = Decimal::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(d.to_string(), want, "str(Decimal({input:?}))");
    }
    for bad in [
        "abc",
        "",
        "1e",
        ".",
        "-",
        "1 0",
        "NaN",
        "1E+127",
        "1E-166",
        "0E-166",
        &"9".repeat(39),
    ] {
        assert!(Decimal::parse(bad).is_err(), "{bad:?} must be refused");
    }
    assert_eq!(Decimal::parse("1.0").unwrap(), Decimal::from(1));
    assert_eq!(
        Decimal::parse("-0").unwrap(),
        Decimal::parse("0E+5").unwrap()
    );
    assert!(Decimal::parse("-2").unwrap() < Decimal::parse("-1.5").unwrap());
    assert!(Decimal::parse("1E+2").unwrap() > Decimal::parse("99.99").unwrap());
    assert_eq!(Decimal::parse("1E+2").unwrap().to_i64(), Some(100));
    assert_eq!(Decimal::parse("1.5").unwrap().to_i64(), None);
    assert!(Decimal::try_from(10u128.pow(38)).is_err());
    assert!(Decimal::try_from(10u128.pow(37)).is_ok());
}

#[test]
fn plain_values_convert_with_boto3_rules() {
    let err = AttrValue::from_plain(&Value::Float(1.5)).unwrap_err();
    assert_eq!(
        err.message(),
        "Float types are not supported. Use Decimal types instead."
    );
    let item = AttrValue::from_plain(&boto::value!({"n": 3, "s": "x", "l": [true, null]})).unwrap();
    assert_eq!(item.as_map().unwrap()["n"], AttrValue::from(3));
    let from_btree = AttrValue::from(std::collections::BTreeMap::from([
        ("b".to_string(), 2),
        ("a".to_string(), 1),
    ]));
    assert_eq!(
        from_btree.as_map().unwrap().keys().collect::<Vec<_>>(),
        ["a", "b"]
    );
    assert_eq!(
        AttrValue::from(vec!["x", "y"])
            .as_list()
            .map(<[AttrValue]>::len),
        Some(2)
    );
    assert_eq!(AttrValue::from(None::<i32>), AttrValue::Null);
    assert_eq!(
        AttrValue::from(&b"\x00\xff"[..]),
        AttrValue::binary(vec![0, 255])
    );
    // Sets: boto3 sends an empty set as {"NS": []} (DynamoDB rejects it); we refuse it up front.
    assert!(TypeSerializer
        .serialize(&AttrValue::StringSet(vec![]))
        .is_err());
    assert!(TypeSerializer
        .serialize(&AttrValue::string_set(["a", "a"]))
        .is_err());
    // Wire sets collapse duplicates like a Python set.
    let wire = boto::value!({"NS": ["1", "1.0", "2"]});
    assert_eq!(
        TypeDeserializer.deserialize(&wire).unwrap(),
        AttrValue::number_set([1, 2])
    );
    assert!(TypeDeserializer
        .deserialize(&boto::value!({"N": "abc"}))
        .is_err());
}

#[test]
fn plain_output_keeps_numbers_exact() {
    let model = boto::core::model::Loader::global()
        .service_model("dynamodb")
        .unwrap();
    let out = boto::value!({"Item": {
        "pk": {"S": "a"},
        "n": {"N": "12"},
        "big": {"N": "123456789012345678901234567890.12345678"},
        "set": {"SS": ["x", "y"]}
    }});
    let plain = transform_output(&model, "GetItem", out).unwrap();
    assert_eq!(plain.pointer("Item.pk").as_str(), Some("a"));
    assert_eq!(plain.pointer("Item.n").as_i64(), Some(12));
    assert_eq!(
        plain.pointer("Item.big").as_str(),
        Some("123456789012345678901234567890.12345678")
    );
    assert_eq!(
        plain.pointer("Item.set").as_list().map(<[Value]>::len),
        Some(2)
    );
}
