//! Engine-level tests for evaluation semantics that the conformance corpora
//! do not pin down (scoping, error paths, type checks).

use serde_json::json;

use crate::{EndpointError, ParamValue, Params, Partitions, RuleSet};

fn partitions() -> Partitions {
    Partitions::from_value(&json!({"partitions":[
        {"id":"aws","regionRegex":"^(us|eu)\\-\\w+\\-\\d+$","regions":{"aws-global":{}},
         "outputs":{"name":"aws","dnsSuffix":"amazonaws.com","dualStackDnsSuffix":"api.aws",
                    "supportsFIPS":true,"supportsDualStack":true,"implicitGlobalRegion":"us-east-1"}},
        {"id":"aws-cn","regionRegex":"^cn\\-\\w+\\-\\d+$","regions":{},
         "outputs":{"name":"aws-cn","dnsSuffix":"amazonaws.com.cn"}}
    ]}))
    .unwrap()
}

fn rules(rules: serde_json::Value, params: serde_json::Value) -> RuleSet {
    RuleSet::from_value(&json!({"version":"1.0","parameters":params,"rules":rules})).unwrap()
}

fn region_param() -> serde_json::Value {
    json!({"Region":{"type":"string","builtIn":"AWS::Region"}})
}

fn resolve(rs: &RuleSet, p: Params) -> Result<crate::Endpoint, EndpointError> {
    rs.resolve(&p, &partitions())
}

#[test]
fn assign_conflict_is_an_error() {
    let rs = rules(
        json!([{"type":"endpoint","conditions":[
            {"fn":"aws.parseArn","argv":["{Region}"],"assign":"a"},
            {"fn":"aws.parseArn","argv":["{Region}"],"assign":"a"}],
          "endpoint":{"url":"https://x"}}]),
        region_param(),
    );
    let e = resolve(
        &rs,
        Params::new().with("Region", "arn:aws:s3:us-east-1:1:b"),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "Assignment a already exists in scoped variables and cannot be overwritten"
    );
}

#[test]
fn sibling_rules_do_not_share_assignments() {
    // The first rule assigns `p` and then fails; the second rule assigns
    // `p` again, which must not clash.
    let rs = rules(
        json!([
            {"type":"endpoint","conditions":[
                {"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"p"},
                {"fn":"booleanEquals","argv":[true,false]}],
             "endpoint":{"url":"https://first"}},
            {"type":"endpoint","conditions":[
                {"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"p"}],
             "endpoint":{"url":"https://{p#name}.{Region}.{p#dnsSuffix}"}}]),
        region_param(),
    );
    let ep = resolve(&rs, Params::new().with("Region", "cn-north-1")).unwrap();
    assert_eq!(ep.url, "https://aws-cn.cn-north-1.amazonaws.com.cn");
}

#[test]
fn tree_without_match_falls_through() {
    let rs = rules(
        json!([
            {"type":"tree","conditions":[],"rules":[
                {"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Region"}]}],
                 "endpoint":{"url":"https://a"}}]},
            {"type":"endpoint","conditions":[],"endpoint":{"url":"https://b"}}]),
        region_param(),
    );
    assert_eq!(resolve(&rs, Params::new()).unwrap().url, "https://b");
    assert_eq!(
        resolve(&rs, Params::new().with("Region", "x")).unwrap().url,
        "https://a"
    );
}

#[test]
fn parameter_checks() {
    let rs = rules(
        json!([{"type":"endpoint","conditions":[],"endpoint":{"url":"https://{Region}"}}]),
        json!({"Region":{"type":"string","required":true},
               "Fips":{"type":"boolean","required":true,"default":false}}),
    );
    assert_eq!(
        resolve(&rs, Params::new()).unwrap_err(),
        EndpointError::MissingRequired("Region".into())
    );
    let e = resolve(&rs, Params::new().with("Region", true)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Value (Region) is the wrong type. Must be <class 'str'>."
    );
    assert_eq!(
        resolve(&rs, Params::new().with("Region", "r")).unwrap().url,
        "https://r"
    );
    let p = rs.parameter("Fips").unwrap();
    assert_eq!(p.default, Some(ParamValue::Bool(false)));
    assert!(p.required);
    assert_eq!(&*rs.parameters()[0].name, "Region");
}

#[test]
fn no_match_lists_params() {
    let rs = rules(json!([]), region_param());
    let e = resolve(&rs, Params::new().with("Region", "us-east-1")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "No endpoint found for parameters:\nRegion: us-east-1"
    );
}

#[test]
fn type_errors_in_functions() {
    let rs = rules(
        json!([{"type":"endpoint","conditions":[
            {"fn":"stringEquals","argv":[{"ref":"Region"},"x"]}],
            "endpoint":{"url":"https://x"}}]),
        region_param(),
    );
    let e = resolve(&rs, Params::new()).unwrap_err();
    assert!(
        e.to_string().starts_with("Both values must be strings"),
        "{e}"
    );
    let rs = rules(
        json!([{"type":"endpoint","conditions":[
            {"fn":"booleanEquals","argv":[{"ref":"Region"},true]}],
            "endpoint":{"url":"https://x"}}]),
        region_param(),
    );
    let e = resolve(&rs, Params::new().with("Region", "x")).unwrap_err();
    assert!(
        e.to_string().starts_with("Both arguments must be bools"),
        "{e}"
    );
}

#[test]
fn unset_template_variable_is_an_error_not_a_panic() {
    let rs = rules(
        json!([{"type":"endpoint","conditions":[],"endpoint":{"url":"https://{Region}.{Nope#x}"}}]),
        region_param(),
    );
    assert!(matches!(
        resolve(&rs, Params::new()),
        Err(EndpointError::Evaluation(_))
    ));
}

#[test]
fn headers_properties_and_get_attr() {
    let rs = rules(
        json!([{"type":"endpoint","conditions":[
            {"fn":"aws.parseArn","argv":[{"ref":"Region"}],"assign":"arn"},
            {"fn":"getAttr","argv":[{"ref":"arn"},"resourceId[1]"],"assign":"id"},
            {"fn":"not","argv":[{"fn":"getAttr","argv":[{"ref":"arn"},"resourceId[9]"]}]}],
            "endpoint":{"url":"https://{id}.{arn#region}",
              "headers":{"x-a":["{arn#service}",{"ref":"id"},"lit"]},
              "properties":{"authSchemes":[{"name":"sigv4","signingRegion":"{arn#region}",
                  "disableDoubleEncoding":true}],"n":1}}}]),
        region_param(),
    );
    let ep = resolve(
        &rs,
        Params::new().with("Region", "arn:aws:s3:us-west-2:123:accesspoint/ap"),
    )
    .unwrap();
    assert_eq!(ep.url, "https://ap.us-west-2");
    assert_eq!(ep.headers["x-a"], ["s3", "ap", "lit"]);
    assert_eq!(
        serde_json::Value::Object((*ep.properties).clone()),
        json!({"authSchemes":[{"name":"sigv4","signingRegion":"us-west-2",
            "disableDoubleEncoding":true}],"n":1})
    );
    assert_eq!(ep.auth_schemes()[0].signing_region, Some("us-west-2"));
}

#[test]
fn error_rule_templates_message() {
    let rs = rules(
        json!([{"type":"error","conditions":[],"error":"bad region {Region}"}]),
        region_param(),
    );
    assert_eq!(
        resolve(&rs, Params::new().with("Region", "r")).unwrap_err(),
        EndpointError::Rule("bad region r".into())
    );
}

#[test]
fn newer_functions() {
    let rs = rules(
        json!([{"type":"endpoint","conditions":[
            {"fn":"split","argv":[{"ref":"Region"},"--",0],"assign":"parts"},
            {"fn":"getAttr","argv":[{"ref":"parts"},"[1]"],"assign":"second"},
            {"fn":"coalesce","argv":[{"ref":"Missing"},"{second}"],"assign":"c"},
            {"fn":"ite","argv":[{"fn":"isSet","argv":[{"ref":"Missing"}]},"a","b"],"assign":"i"}],
            "endpoint":{"url":"https://{c}.{i}"}}]),
        json!({"Region":{"type":"string"},"Missing":{"type":"string"}}),
    );
    assert_eq!(
        resolve(&rs, Params::new().with("Region", "x--y--z"))
            .unwrap()
            .url,
        "https://y.b"
    );
}

#[test]
fn string_array_params() {
    let rs = rules(
        json!([{"type":"endpoint","conditions":[
            {"fn":"getAttr","argv":[{"ref":"L"},"[0]"],"assign":"first"}],
            "endpoint":{"url":"https://{first}"}},
            {"type":"endpoint","conditions":[],"endpoint":{"url":"https://none"}}]),
        json!({"L":{"type":"stringArray","required":true,"default":["d"]}}),
    );
    assert_eq!(resolve(&rs, Params::new()).unwrap().url, "https://d");
    let p = Params::new().with("L", vec!["a".to_owned()]);
    assert_eq!(resolve(&rs, p).unwrap().url, "https://a");
    let p = Params::new().with("L", Vec::<String>::new());
    assert_eq!(resolve(&rs, p).unwrap().url, "https://none");
}

#[test]
fn binding_builtins() {
    let rs = rules(
        json!([{"type":"endpoint","conditions":[],"endpoint":{"url":"https://{Region}"}}]),
        json!({"Region":{"type":"string","builtIn":"AWS::Region"},
               "UseFIPS":{"type":"boolean","builtIn":"AWS::UseFIPS","default":false,"required":true},
               "Other":{"type":"string"}}),
    );
    let mut p = Params::new().with("UseFIPS", true);
    rs.bind_builtins(&mut p, |b| match b {
        crate::builtins::REGION => Some("eu-west-1".into()),
        crate::builtins::USE_FIPS => Some(false.into()),
        _ => None,
    });
    assert_eq!(
        p.get("Region"),
        Some(&ParamValue::String("eu-west-1".into()))
    );
    assert_eq!(p.get("UseFIPS"), Some(&ParamValue::Bool(true)));
    assert_eq!(p.get("Other"), None);
    assert_eq!(resolve(&rs, p).unwrap().url, "https://eu-west-1");
}
