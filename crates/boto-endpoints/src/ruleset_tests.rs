//! Tests of rule set loading: `getAttr` paths, rejected input, shared repeats.

use super::*;

fn path(p: &str) -> String {
    parse_path(p)
        .iter()
        .map(|s| match s {
            PathSeg::Key(k) => format!("K({k})"),
            PathSeg::Index(n, i) => format!("I({n:?},{i})"),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn paths() {
    assert_eq!(path("a.b"), "K(a) K(b)");
    assert_eq!(path("resourceId[1]"), "I(Some(\"resourceId\"),1)");
    assert_eq!(path("[0]"), "I(None,0)");
    assert_eq!(path("a.b[2].c"), "K(a) I(Some(\"b\"),2)");
}

#[test]
fn repeated_conditions_and_endpoints_are_shared() {
    let cond = |r: &str| serde_json::json!({"fn": "isSet", "argv": [{"ref": r}]});
    let ep = |u: &str| serde_json::json!({"url": u, "properties": {"authSchemes": [{"name": "sigv4", "signingRegion": "{Region}"}]}});
    let rs = serde_json::json!({"version": "1.0", "parameters": {
            "Region": {"type": "string"}, "Endpoint": {"type": "string"}},
        "rules": [
            {"type": "endpoint", "conditions": [cond("Region"), cond("Endpoint")], "endpoint": ep("https://a")},
            {"type": "tree", "conditions": [cond("Region")], "rules": [
                {"type": "endpoint", "conditions": [cond("Endpoint")], "endpoint": ep("https://a")},
                {"type": "endpoint", "conditions": [], "endpoint": ep("https://b")}]}]});
    let rs = RuleSet::from_value(&rs).unwrap();
    let (first, tree) = (&rs.rules[0], &rs.rules[1]);
    let RuleKind::Tree(inner) = &tree.kind else {
        panic!("a tree rule")
    };
    // The same JSON, wherever it appears, is one compiled value.
    assert!(Arc::ptr_eq(&first.conditions[0], &tree.conditions[0]));
    assert!(Arc::ptr_eq(&first.conditions[1], &inner[0].conditions[0]));
    assert!(!Arc::ptr_eq(&first.conditions[0], &first.conditions[1]));
    let spec = |r: &Rule| match &r.kind {
        RuleKind::Endpoint(e) => e.clone(),
        _ => panic!("an endpoint rule"),
    };
    assert!(Arc::ptr_eq(&spec(first), &spec(&inner[0])));
    assert!(!Arc::ptr_eq(&spec(first), &spec(&inner[1])));
}

#[test]
fn unknown_function_rejected() {
    let rs = serde_json::json!({"version":"1.0","parameters":{},"rules":[
        {"type":"endpoint","conditions":[{"fn":"frob","argv":[]}],"endpoint":{"url":"x"}}]});
    assert_eq!(
        RuleSet::from_value(&rs).unwrap_err(),
        RuleSetError::UnknownFunction("frob".into())
    );
}

#[test]
fn unknown_types_rejected() {
    let rs = serde_json::json!({"parameters":{"B":{"type":"list"}},"rules":[]});
    assert!(matches!(
        RuleSet::from_value(&rs),
        Err(RuleSetError::UnknownParameterType { .. })
    ));
    let rs = serde_json::json!({"parameters":{},"rules":[{"type":"foo","conditions":[]}]});
    assert_eq!(
        RuleSet::from_value(&rs).unwrap_err().to_string(),
        "Unknown rule type: foo. A rule must be of type tree, endpoint or error."
    );
}
