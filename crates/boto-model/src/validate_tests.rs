//! Tests of parameter validation: botocore's messages, types and ranges, deep input, a real S3 model.

use super::*;
use crate::{value, Loader};
use std::sync::Arc;

fn model() -> Arc<ServiceModel> {
    let doc: serde_json::Value = serde_json::from_str(
        r#"{
        "metadata": {"protocol": "rest-json"},
        "operations": {"Op": {"name": "Op", "http": {"method": "POST", "requestUri": "/{Bucket}"},
                               "input": {"shape": "In"}},
                       "NoInput": {"name": "NoInput", "http": {"method": "GET", "requestUri": "/"}}},
        "shapes": {
          "In": {"type": "structure", "required": ["Bucket"], "members": {
             "Bucket": {"shape": "Str", "location": "uri", "locationName": "Bucket"},
             "Host": {"shape": "Str", "hostLabel": true},
             "Name": {"shape": "Min1"},
             "Count": {"shape": "Int"},
             "Big": {"shape": "Long"},
             "Ratio": {"shape": "Dbl"},
             "Flag": {"shape": "Bool"},
             "Body": {"shape": "Blob"},
             "When": {"shape": "Ts"},
             "Delete": {"shape": "Delete"},
             "Tags": {"shape": "TagMap"},
             "Choice": {"shape": "Union"},
             "Doc": {"shape": "Doc"},
             "Tree": {"shape": "Tree"},
             "Meta": {"shape": "Str", "location": "header", "locationName": "x-meta", "jsonvalue": true},
             "Sparse": {"shape": "SparseList"}}},
          "Str": {"type": "string"},
          "Min1": {"type": "string", "min": 1},
          "Int": {"type": "integer", "min": 1},
          "Long": {"type": "long"},
          "Dbl": {"type": "double", "min": 0.5},
          "Bool": {"type": "boolean"},
          "Blob": {"type": "blob"},
          "Ts": {"type": "timestamp"},
          "Delete": {"type": "structure", "required": ["Objects"], "members": {
             "Objects": {"shape": "ObjList"}, "Quiet": {"shape": "Bool"}}},
          "ObjList": {"type": "list", "member": {"shape": "Obj"}, "min": 1},
          "Obj": {"type": "structure", "required": ["Key"], "members": {"Key": {"shape": "Min1"}}},
          "TagMap": {"type": "map", "key": {"shape": "Min1"}, "value": {"shape": "Str"}},
          "Union": {"type": "structure", "union": true, "members": {"A": {"shape": "Str"}, "B": {"shape": "Int"}}},
          "Doc": {"type": "structure", "document": true, "members": {}},
          "Tree": {"type": "structure", "members": {"Child": {"shape": "Tree"}, "Leaf": {"shape": "Str"}}},
          "SparseList": {"type": "list", "member": {"shape": "Str"}, "sparse": true}
        }}"#,
    )
    .unwrap();
    ServiceModel::from_json("t", &doc).unwrap()
}

fn check(params: Value) -> Vec<(String, ProblemKind, String)> {
    let m = model();
    let op = m.operation("Op").unwrap();
    match validate_operation(&m, op, &params) {
        Ok(()) => vec![],
        Err(e) => e
            .problems
            .into_iter()
            .map(|p| (p.path, p.kind, p.message))
            .collect(),
    }
}

#[test]
fn valid_input_passes() {
    let p = value!({
        "Bucket": "b", "Host": "h", "Name": "n", "Count": 1, "Big": 9_000_000_000i64, "Ratio": 1,
        "Flag": false, "Body": "text", "When": "2015-01-25T08:00:00Z",
        "Delete": {"Objects": [{"Key": "a"}], "Quiet": true}, "Tags": {"k": "v"},
        "Choice": {"A": "x", "B": null}, "Doc": {"any": [1, "two", {"x": null}]},
        "Tree": {"Child": {"Child": {"Leaf": "l"}}}, "Meta": {"a": [1, 2]},
        "Sparse": ["a", null], "Count2": null
    });
    let problems = check(p);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].1, ProblemKind::UnknownParameter);
    assert!(
        check(value!({"Bucket": "b", "When": 1.5, "Body": (Value::blob(vec![0u8]))})).is_empty()
    );
    assert!(check(value!({"Bucket": "b", "When": (Timestamp::now())})).is_empty());
}

#[test]
fn reports_every_problem_with_botocore_messages() {
    let p = value!({
        "Bukcet": "b", "Name": "", "Count": 0, "Ratio": 0.25, "Flag": "yes",
        "Delete": {"Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "c"}, {"Key": 3}, {}]},
        "Tags": {"": 1}
    });
    let problems = check(p);
    let msgs: Vec<&str> = problems.iter().map(|p| p.2.as_str()).collect();
    let want = [
        "Missing required parameter in input: \"Bucket\"",
        "Unknown parameter in input: \"Bukcet\", must be one of: Bucket, Host, Name, Count, Big, Ratio, \
         Flag, Body, When, Delete, Tags, Choice, Doc, Tree, Meta, Sparse. Did you mean \"Bucket\"?",
        "Invalid length for parameter Name, value: 0, valid min length: 1",
        "Invalid value for parameter Count, value: 0, valid min value: 1",
        "Invalid value for parameter Ratio, value: 0.25, valid min value: 0.5",
        "Invalid type for parameter Flag, value: yes, type: <string>, valid types: <boolean>",
        "Invalid type for parameter Delete.Objects[3].Key, value: 3, type: <integer>, valid types: <string>",
        "Missing required parameter in Delete.Objects[4]: \"Key\"",
        "Invalid length for parameter Tags (key: ), value: 0, valid min length: 1",
        "Invalid type for parameter Tags., value: 1, type: <integer>, valid types: <string>",
    ];
    assert_eq!(msgs, want);
    let paths: Vec<&str> = problems.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(paths[..3], ["Bucket", "Bukcet", "Name"]);
    assert_eq!(paths[6], "Delete.Objects[3].Key");
    assert_eq!(paths[7], "Delete.Objects[4].Key");
    let err =
        validate_operation(&model(), model().operation("Op").unwrap(), &value!({})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Parameter validation failed:\nMissing required parameter in input: \"Bucket\""
    );
}

#[test]
fn types_ranges_and_special_shapes() {
    let kinds = |p: Value| check(p).into_iter().map(|p| (p.0, p.1)).collect::<Vec<_>>();
    use ProblemKind::*;
    assert_eq!(
        kinds(value!({"Bucket": "b", "Count": 3_000_000_000i64})),
        [("Count".into(), InvalidRange)]
    );
    assert_eq!(
        kinds(value!({"Bucket": "b", "Count": 1.0})),
        [("Count".into(), InvalidType)]
    );
    assert_eq!(
        kinds(value!({"Bucket": "b", "Host": ""})),
        [("Host".into(), InvalidLength)]
    );
    assert_eq!(
        kinds(value!({"Bucket": "b", "When": "soon"})),
        [("When".into(), InvalidType)]
    );
    assert_eq!(
        kinds(value!({"Bucket": "b", "Body": 1})),
        [("Body".into(), InvalidType)]
    );
    assert_eq!(
        kinds(value!({"Bucket": "b", "Delete": {"Objects": []}})),
        [("Delete.Objects".into(), InvalidLength)]
    );
    assert_eq!(
        kinds(value!({"Bucket": "b", "Delete": []})),
        [("Delete".into(), InvalidType)]
    );
    assert_eq!(
        kinds(value!({"Bucket": "b", "Choice": {}})),
        [("Choice".into(), UnionEmpty)]
    );
    assert_eq!(
        kinds(value!({"Bucket": "b", "Choice": {"A": "a", "B": 1}})),
        [("Choice".into(), UnionMultiple)]
    );
    assert_eq!(
        kinds(value!({"Bucket": "b", "Doc": {"x": [(Value::blob(vec![1u8]))]}})),
        [("Doc.x[0]".into(), InvalidDocumentType)]
    );
    assert_eq!(
        kinds(value!({"Bucket": "b", "Meta": {"t": (Timestamp::now())}})),
        [("Meta".into(), NotJsonEncodable)]
    );
    assert_eq!(
        kinds(value!({"Bucket": null})),
        [("Bucket".into(), MissingRequired)]
    );
    assert_eq!(kinds(value!("nope")), [("".into(), InvalidType)]);
    assert_eq!(
        kinds(value!({"Bucket": "b", "Tree": {"Child": {"Leaf": 1}}})),
        [("Tree.Child.Leaf".into(), InvalidType)]
    );
    let m = model();
    let no_input = m.operation("NoInput").unwrap();
    assert!(validate_operation(&m, no_input, &value!({})).is_ok());
    assert!(validate_operation(&m, no_input, &Value::Null).is_ok());
    assert_eq!(
        validate_operation(&m, no_input, &value!({"X": 1}))
            .unwrap_err()
            .problems
            .len(),
        1
    );
}

#[test]
fn deep_recursive_input_is_cut_off_without_overflow() {
    let mut tree = value!({"Leaf": "x"});
    for _ in 0..5000 {
        let mut m = crate::Map::new();
        m.insert("Child", tree);
        tree = Value::Map(m);
    }
    let problems = check(value!({"Bucket": "b", "Tree": tree}));
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].1, ProblemKind::TooDeep);
    let mut doc = Value::Null;
    for _ in 0..5000 {
        doc = Value::List(vec![doc]);
    }
    let problems = check(value!({"Bucket": "b", "Doc": doc}));
    assert_eq!(problems[0].1, ProblemKind::TooDeep);
}

#[test]
fn real_s3_delete_objects() {
    if Loader::embedded_file_count() == 0 {
        return;
    }
    let s3 = Loader::global().service_model("s3").unwrap();
    let op = s3.operation("DeleteObjects").unwrap();
    let ok = value!({"Bucket": "b", "Delete": {"Objects": [{"Key": "a"}]}});
    assert!(validate_operation(&s3, op, &ok).is_ok());
    let bad = value!({"Bukcet": "b", "Delete": {"Objects": [{"Key": "a"}, {"Key": 3}]}});
    let e = validate_operation(&s3, op, &bad).unwrap_err();
    assert_eq!(e.problems.len(), 3, "{e}");
    assert!(e.to_string().contains("Did you mean \"Bucket\"?"), "{e}");
    assert_eq!(e.problems[2].path, "Delete.Objects[1].Key");
}
