//! Tests of [`Value`](super::Value): the `value!` macro, accessors, conversions, formatting.

use super::*;

#[test]
fn macro_builds_nested_values() {
    let n = 3;
    let v = value!({"A": 1, "B": [true, null, "x"], "C": {"D": 2.5}, "E": n});
    assert_eq!(v.get("A"), &Value::Integer(1));
    assert_eq!(v.pointer("B[2]").as_str(), Some("x"));
    assert_eq!(v.pointer("C.D").as_f64(), Some(2.5));
    assert_eq!(v.get("E").as_i64(), Some(3));
    assert!(v.pointer("B[9]").is_null());
    assert!(v.pointer("Z.Y").is_null());
    let keys: Vec<_> = v.as_map().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["A", "B", "C", "E"]);
}

#[test]
fn macro_takes_any_expression() {
    let key = String::from("k1");
    let a = 41;
    let keys = ["x", "y"];
    struct Cfg {
        bucket: &'static str,
    }
    let cfg = Cfg { bucket: "bkt" };
    let v = value!({
        "Bucket": cfg.bucket,
        "Key": key.clone(),
        "N": a + 1,
        "Neg": -a,
        "Cond": if a > 40 { "big" } else { "small" },
        "Fmt": format!("{}-{}", key, a),
        "Len": keys.len(),
        "Opt": None::<String>,
        "Null": null,
        "Nested": {"Objects": [{"Key": keys[0]}, {"Key": key.to_uppercase()}], "Quiet": a == 41},
        "List": [a * 2, "s", null, [1, 2], {"M": key.as_str()}],
        "Last": key.clone()
    });
    assert_eq!(v.get("Bucket").as_str(), Some("bkt"));
    assert_eq!(v.get("Key").as_str(), Some("k1"));
    assert_eq!(v.get("N").as_i64(), Some(42));
    assert_eq!(v.get("Neg").as_i64(), Some(-41));
    assert_eq!(v.get("Cond").as_str(), Some("big"));
    assert_eq!(v.get("Fmt").as_str(), Some("k1-41"));
    assert_eq!(v.get("Len").as_i64(), Some(2));
    assert!(v.get("Opt").is_null() && v.as_map().unwrap().contains_key("Opt"));
    assert_eq!(v.pointer("Nested.Objects[1].Key").as_str(), Some("K1"));
    assert_eq!(v.pointer("Nested.Quiet").as_bool(), Some(true));
    assert_eq!(v.pointer("List[0]").as_i64(), Some(82));
    assert_eq!(v.pointer("List[3][1]").as_i64(), Some(2));
    assert_eq!(v.pointer("List[4].M").as_str(), Some("k1"));
    assert_eq!(v.get("Last").as_str(), Some("k1"));
    let keys: Vec<_> = v.as_map().unwrap().keys().cloned().collect();
    assert_eq!(keys[..3], ["Bucket", "Key", "N"]);
    // params! is the same syntax, trailing comma allowed; a key may be a variable.
    let name = "Prefix";
    let p = params! {"Bucket": cfg.bucket.to_string(), name: key.clone(),};
    assert_eq!(p.get("Prefix").as_str(), Some("k1"));
    assert_eq!(params! {}, Value::Map(Map::new()));
    // Long literal lists take the fast path (no per-element recursion).
    let long = value!([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    assert_eq!(long.as_list().map(<[Value]>::len), Some(150));
    assert_eq!(value!([]), Value::List(vec![]));
}

#[test]
fn bytes_are_blobs() {
    let body: Vec<u8> = b"hello".to_vec();
    let v = params! {
        "Body": body.clone(),
        "Ref": &body,
        "Slice": &body[1..3],
        "Lit": b"abc",
        // `[...]` in the macro is a list literal; parentheses make it an expression.
        "Array": ([1u8, 2]),
        "Bytes": bytes::Bytes::from_static(b"xy"),
        "Numbers": vec![1, 2],
    };
    assert_eq!(v.get("Body"), &Value::Blob(body.clone()));
    assert_eq!(v.get("Ref"), &Value::Blob(body.clone()));
    assert_eq!(v.get("Slice").as_blob(), Some(&b"el"[..]));
    assert_eq!(v.get("Lit").as_blob(), Some(&b"abc"[..]));
    assert_eq!(v.get("Array").as_blob(), Some(&[1u8, 2][..]));
    assert_eq!(v.get("Bytes").as_blob(), Some(&b"xy"[..]));
    assert_eq!(v.get("Numbers"), &Value::List(vec![1.into(), 2.into()]));
    assert_eq!(Value::from(body), Value::blob(b"hello".to_vec()));
}

#[test]
fn path_getters() {
    let out = value!({"Contents": [{"Key": "a"}], "Name": "b", "Gone": null});
    assert_eq!(out.at("Contents[0].Key").and_then(Value::as_str), Some("a"));
    assert_eq!(out.at("Name"), Some(&Value::from("b")));
    assert_eq!(out.at("Contents[1].Key"), None);
    assert_eq!(out.at("Gone"), None);
    assert_eq!(out.at("Nope.Deeper"), None);
    assert_eq!(out.get("Contents").as_list_or_empty().len(), 1);
    assert!(out.get("CommonPrefixes").as_list_or_empty().is_empty());
    assert!(out.get("Name").as_list_or_empty().is_empty());
}

#[test]
fn json_round_trip_keeps_ints_and_order() {
    let j: serde_json::Value = serde_json::from_str(r#"{"z":1,"a":1.5,"m":[null,"s"]}"#).unwrap();
    let v = Value::from_json(&j);
    assert_eq!(v.get("z"), &Value::Integer(1));
    assert_eq!(v.to_json(), j);
}

#[test]
fn blobs_and_timestamps_print_like_aws_cli() {
    let v = value!({"B": Value::blob(vec![1u8, 2, 3]), "T": Timestamp::from_epoch_secs(0)});
    assert_eq!(
        v.to_json().to_string(),
        r#"{"B":"AQID","T":"1970-01-01T00:00:00Z"}"#
    );
    assert_eq!(format!("{:?}", v.get("B")), "<blob 3 bytes>");
}
