use super::*;
use crate::{value, Map};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Deserialize, Serialize, PartialEq)]
struct Obj {
    #[serde(rename = "Key")]
    key: String,
    #[serde(rename = "Size")]
    size: i64,
    #[serde(rename = "LastModified", default)]
    modified: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, PartialEq)]
enum E {
    Unit,
    New(i32),
    Tup(i32, String),
    Rec { a: bool },
}

#[test]
fn reads_results_into_user_structs() {
    let t = Timestamp::from_epoch_secs(1422172800);
    let v = value!({"Contents": [{"Key": "a", "Size": 3, "LastModified": t}, {"Key": "b", "Size": 4.0}], "Extra": 1});
    #[derive(Deserialize)]
    struct Out {
        #[serde(rename = "Contents")]
        contents: Vec<Obj>,
    }
    let out: Out = from_value(v.clone()).unwrap();
    assert_eq!(
        out.contents[0].modified.as_deref(),
        Some("2015-01-25T08:00:00Z")
    );
    assert_eq!(
        out.contents[1],
        Obj {
            key: "b".into(),
            size: 4,
            modified: None
        }
    );
    let secs: i64 = from_value_ref(v.pointer("Contents[0].LastModified")).unwrap();
    assert_eq!(secs, 1422172800);
    let f: f64 = from_value_ref(v.pointer("Contents[0].LastModified")).unwrap();
    assert_eq!(f, 1422172800.0);
    let ts: Timestamp = from_value_ref(v.pointer("Contents[0].LastModified")).unwrap();
    assert_eq!(ts, t);
    let borrowed: &str = from_value_ref(v.pointer("Contents[1].Key")).unwrap();
    assert_eq!(borrowed, "b");
}

#[test]
fn errors_carry_the_path() {
    let v = value!({"Contents": [{"Key": "a", "Size": 1}, {"Key": "b", "Size": 1}, {"Key": 3, "Size": 1}]});
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Out {
        #[serde(rename = "Contents")]
        contents: Vec<Obj>,
    }
    let e = from_value::<Out>(v).unwrap_err();
    assert_eq!(e.path(), "Contents[2].Key");
    assert!(
        e.to_string()
            .contains("invalid type: integer `3`, expected a string at Contents[2].Key"),
        "{e}"
    );
    let e = from_value::<Obj>(value!({"Key": "a"})).unwrap_err();
    assert_eq!(e.to_string(), "missing field `Size`");
    let e = from_value::<Vec<u8>>(value!([1, 300])).unwrap_err();
    assert_eq!(e.path(), "[1]");
    let _: &dyn std::error::Error = &e;
}

#[test]
fn numbers_coerce_only_when_lossless() {
    assert_eq!(from_value::<i32>(Value::Float(7.0)).unwrap(), 7);
    assert!(from_value::<i32>(Value::Float(7.5)).is_err());
    assert!(from_value::<u8>(Value::Integer(-1)).is_err());
    assert_eq!(
        from_value::<u64>(Value::Float(1.8e19)).unwrap(),
        18_000_000_000_000_000_000
    );
    assert_eq!(from_value::<f64>(Value::Integer(3)).unwrap(), 3.0);
    assert_eq!(from_value::<f32>(Value::Float(0.5)).unwrap(), 0.5);
    assert!(from_value::<i64>(Value::String("3".into())).is_err());
    assert!(from_value::<i64>(Value::Float(f64::NAN)).is_err());
}

#[test]
fn blobs_as_bytes_or_base64() {
    let v = Value::blob(vec![1u8, 2, 3]);
    assert_eq!(from_value_ref::<Vec<u8>>(&v).unwrap(), vec![1, 2, 3]);
    assert_eq!(from_value_ref::<String>(&v).unwrap(), "AQID");
    assert_eq!(from_value_ref::<&[u8]>(&v).unwrap(), &[1, 2, 3]);
    assert_eq!(serde_json::to_string(&v).unwrap(), r#""AQID""#);
    assert_eq!(from_value_ref::<Value>(&v).unwrap(), v);
}

#[test]
fn to_value_builds_ordered_maps_and_tags_enums() {
    let v = to_value(&Obj {
        key: "k".into(),
        size: 5,
        modified: None,
    })
    .unwrap();
    let keys: Vec<_> = v.as_map().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["Key", "Size", "LastModified"]);
    assert_eq!(v.get("LastModified"), &Value::Null);
    assert_eq!(to_value(&E::Unit).unwrap(), value!("Unit"));
    assert_eq!(to_value(&E::New(1)).unwrap(), value!({"New": 1}));
    assert_eq!(
        to_value(&E::Tup(1, "x".into())).unwrap(),
        value!({"Tup": [1, "x"]})
    );
    assert_eq!(
        to_value(&E::Rec { a: true }).unwrap(),
        value!({"Rec": {"a": true}})
    );
    for e in [
        E::Unit,
        E::New(1),
        E::Tup(1, "x".into()),
        E::Rec { a: true },
    ] {
        assert_eq!(from_value::<E>(to_value(&e).unwrap()).unwrap(), e);
    }
    assert_eq!(to_value(&u64::MAX).unwrap(), Value::Float(u64::MAX as f64));
    assert_eq!(to_value(&'c').unwrap(), value!("c"));
    assert_eq!(to_value(&(1, "a")).unwrap(), value!([1, "a"]));
    assert_eq!(to_value(&()).unwrap(), Value::Null);
    let mut m = BTreeMap::new();
    m.insert(2, "two");
    assert_eq!(to_value(&m).unwrap(), value!({"2": "two"}));
    let mut bad = BTreeMap::new();
    bad.insert(vec![1], 1);
    assert!(to_value(&bad).is_err());
    #[derive(Serialize)]
    struct Newtype(String);
    assert_eq!(to_value(&Newtype("n".into())).unwrap(), value!("n"));
}

#[test]
fn timestamps_keep_their_type_and_print_as_iso() {
    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct WithTs {
        at: Timestamp,
    }
    let t = Timestamp::new(1422172800, 123_456_789);
    let v = to_value(&WithTs { at: t }).unwrap();
    assert_eq!(v.get("at"), &Value::Timestamp(t));
    assert_eq!(from_value::<WithTs>(v).unwrap().at, t);
    let json = serde_json::to_string(&WithTs { at: t }).unwrap();
    assert_eq!(json, r#"{"at":"2015-01-25T08:00:00.123456789Z"}"#);
    assert_eq!(serde_json::from_str::<WithTs>(&json).unwrap().at, t);
    assert_eq!(
        serde_json::from_str::<Timestamp>("1422172800").unwrap(),
        Timestamp::from_epoch_secs(1422172800)
    );
    assert!(serde_json::from_str::<Timestamp>("\"garbage\"").is_err());
    assert_eq!(
        from_value::<Timestamp>(value!("2015-01-25T08:00:00Z")).unwrap(),
        Timestamp::from_epoch_secs(1422172800)
    );
    assert_eq!(
        from_value::<Timestamp>(value!(1.5)).unwrap(),
        Timestamp::from_epoch_f64(1.5).unwrap()
    );
}

#[test]
fn value_round_trips_through_itself_and_json() {
    let mut m = Map::new();
    m.insert("z", Value::Integer(1));
    m.insert("a", Value::Float(1.5));
    let v = value!({
        "M": (Value::Map(m)), "B": (Value::blob(vec![0u8, 255])), "T": (Timestamp::new(5, 7)),
        "L": [null, true, "s", (-3)]
    });
    assert_eq!(to_value(&v).unwrap(), v);
    assert_eq!(from_value_ref::<Value>(&v).unwrap(), v);
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"M": {"z": 1, "a": 1.5}, "B": "AP8=", "T": "1970-01-01T00:00:05.000000007Z", "L": [null, true, "s", (-3)]})
    );
    let back: Value = serde_json::from_value(json).unwrap();
    assert_eq!(back.get("M"), v.get("M"));
    assert_eq!(back.get("B"), &value!("AP8="));
    let keys: Vec<_> = back.get("M").as_map().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["z", "a"]);
}

#[test]
fn wrong_shapes_are_errors_not_panics() {
    assert!(from_value::<Vec<i32>>(value!({"a": 1})).is_err());
    assert!(from_value::<Obj>(value!([1, 2])).is_err());
    assert!(from_value::<E>(value!({"Unit": 1, "New": 2})).is_err());
    assert!(from_value::<E>(value!({"Nope": 1})).is_err());
    assert!(from_value::<(i32, i32)>(value!([1, 2, 3])).is_err());
    assert_eq!(from_value::<Option<i32>>(Value::Null).unwrap(), None);
    assert_eq!(from_value::<()>(Value::Null).unwrap(), ());
    assert!(from_value::<bool>(value!("true")).is_err());
}

#[test]
fn byte_sequences_become_blobs() {
    #[derive(Serialize)]
    struct Put<'a> {
        #[serde(rename = "Body")]
        body: Vec<u8>,
        #[serde(rename = "Slice")]
        slice: &'a [u8],
        #[serde(rename = "Array")]
        array: [u8; 3],
        #[serde(rename = "Numbers")]
        numbers: Vec<u16>,
        #[serde(rename = "Mixed")]
        mixed: (u8, String),
        #[serde(rename = "Empty")]
        empty: Vec<u8>,
    }
    let v = to_value(&Put {
        body: b"hello".to_vec(),
        slice: b"ab",
        array: [1, 2, 3],
        numbers: vec![1, 2],
        mixed: (7, "x".into()),
        empty: vec![],
    })
    .unwrap();
    assert_eq!(v.get("Body"), &Value::Blob(b"hello".to_vec()));
    assert_eq!(v.get("Slice"), &Value::Blob(b"ab".to_vec()));
    assert_eq!(v.get("Array"), &Value::Blob(vec![1, 2, 3]));
    assert_eq!(v.get("Numbers"), &value!([1, 2]));
    assert_eq!(v.get("Mixed"), &value!([7i32, "x"]));
    assert_eq!(v.get("Empty"), &Value::List(vec![]));
    // And back: a blob reads into Vec<u8>.
    let back: Vec<u8> = from_value_ref(v.get("Body")).unwrap();
    assert_eq!(back, b"hello");
}

#[test]
fn a_missing_list_reads_as_empty() {
    // S3 omits `Contents` when a listing is empty.
    let out = value!({"KeyCount": 0});
    let objs: Vec<Obj> = from_value_ref(out.get("Contents")).unwrap();
    assert!(objs.is_empty());
    let opt: Option<Vec<Obj>> = from_value_ref(out.get("Contents")).unwrap();
    assert_eq!(opt, None);
    let opt: Option<Vec<String>> = from_value(value!({"L": ["a"]}).get("L").clone()).unwrap();
    assert_eq!(opt, Some(vec!["a".to_string()]));
    // In a struct, `#[serde(default)]` is serde's way to accept a missing member.
    #[derive(Deserialize)]
    struct Listing {
        #[serde(rename = "Contents", default)]
        contents: Vec<Obj>,
    }
    let l: Listing = from_value(out.clone()).unwrap();
    assert!(l.contents.is_empty());
    // Null is not an empty string or number, though.
    assert!(from_value_ref::<String>(out.get("Contents")).is_err());
}
