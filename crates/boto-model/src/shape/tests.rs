//! The arena built from a small model: ids, cycles, traits, lookups.
use super::*;

fn tiny() -> Arc<ServiceModel> {
    let doc: Json = serde_json::from_str(
        r#"{
        "metadata": {"protocols": ["query", "json"], "protocol": "json", "apiVersion": "2020-01-01",
                     "endpointPrefix": "tiny", "serviceId": "Tiny"},
        "operations": {"ListAMIs": {"name": "ListAMIs", "http": {"method": "GET", "requestUri": "/x"},
                       "input": {"shape": "In"}, "errors": [{"shape": "Oops"}]}},
        "shapes": {
          "In": {"type": "structure", "required": ["Name"], "members": {
             "Name": {"shape": "S", "location": "uri", "locationName": "name"},
             "Tags": {"shape": "L", "flattened": true},
             "Self": {"shape": "In"}}},
          "S": {"type": "string", "min": 1, "locationName": "ignored"},
          "L": {"type": "list", "member": {"shape": "S", "locationName": "item"}},
          "Oops": {"type": "structure", "members": {}, "exception": true,
                   "error": {"code": "Oops.Code", "httpStatusCode": 400, "senderFault": true}}
        }}"#,
    )
    .unwrap();
    ServiceModel::from_json("tiny", &doc).unwrap()
}

#[test]
fn builds_arena_with_cycles_and_traits() {
    let m = tiny();
    assert_eq!(m.metadata.protocol, "json", "json is preferred over query");
    let op = m.operation("ListAMIs").unwrap();
    assert!(std::ptr::eq(op, m.operation("list_amis").unwrap()));
    assert!(std::ptr::eq(op, m.operation("list-amis").unwrap()));
    let input = m
        .shape(op.input.as_ref().unwrap().target)
        .as_structure()
        .unwrap();
    let name = input.member("Name").unwrap();
    assert_eq!(name.traits.location, Some(Location::Uri));
    assert_eq!(m.location_name(name), Some("name"));
    assert!(m.flattened(input.member("Tags").unwrap()));
    assert_eq!(
        input.member("Self").unwrap().target,
        op.input.as_ref().unwrap().target
    );
    let oops = m.shape(op.errors[0]).as_structure().unwrap();
    assert_eq!(
        oops.error.as_ref().unwrap().code.as_deref(),
        Some("Oops.Code")
    );
}

#[test]
fn unknown_operation_suggests() {
    let m = tiny();
    let e = m.require_operation("ListAmi").unwrap_err().to_string();
    assert!(e.contains("ListAMIs"), "{e}");
}

#[test]
fn dangling_reference_is_an_error_not_a_panic() {
    let doc: Json = serde_json::from_str(
        r#"{"metadata": {"protocol": "json"}, "shapes": {"A": {"type": "list", "member": {"shape": "Nope"}}}}"#,
    )
    .unwrap();
    let e = ServiceModel::from_json("x", &doc).unwrap_err().to_string();
    assert!(e.contains("Nope"), "{e}");
}

#[test]
fn operation_lookups_stay_right_through_the_memo() {
    let m = crate::Loader::global().service_model("dynamodb").unwrap();
    let names: Vec<String> = m.operations().iter().map(|o| o.name.to_string()).collect();
    assert!(names.len() > 50);
    // Model, snake_case and kebab-case names, interleaved so names share
    // memo slots; every answer is the operation of that name.
    for _ in 0..2 {
        for n in &names {
            let snake = crate::names::xform_name(n, '_');
            for ask in [n.clone(), snake.clone(), snake.replace('_', "-"), n.clone()] {
                let op = m.operation(&ask).unwrap_or_else(|| panic!("{ask}"));
                assert_eq!(&*op.name, n.as_str(), "looked up as {ask}");
            }
        }
    }
    assert!(m.operation("NoSuchOperation").is_none());
    assert!(m.operation("").is_none());
}
