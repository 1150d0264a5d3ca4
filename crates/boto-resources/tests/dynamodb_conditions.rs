//! Differential test of the condition builder and the input transformation
//! against boto3 1.43.67 (`BOTO_TEST_PYTHON`): random condition trees
//! (seeded, deterministic) compiled by both, in sequences on one builder with
//! random resets and key/non-key modes; expressions and placeholder maps must
//! be equal. Then random DynamoDB requests with conditions, user placeholder
//! maps and items go through `transform_input_typed` and boto3's
//! `TransformationInjector`; the wire parameters must be equal.

mod dynamodb_support;

use boto_resources::dynamodb::{transform_input_typed, ConditionExpressionBuilder, TypeSerializer};
use dynamodb_support::*;
use serde_json::{json, Value as Json};

const TREES: usize = 1200;
const REQUESTS: usize = 300;

fn operand(rng: &mut Rng, key_only: bool) -> Json {
    match rng.below(10) {
        0 if !key_only => json!({"attr": random_path(rng)}),
        1 if !key_only => json!({"size": random_path(rng)}),
        2 => json!({"key": random_path(rng)}),
        _ => json!({"val": random_tagged(rng, 2, true)}),
    }
}

fn leaf(rng: &mut Rng, key_only: bool) -> Json {
    const BASE: &[&str] = &["eq", "lt", "lte", "gt", "gte", "begins_with", "between"];
    const ATTR: &[&str] = &[
        "eq",
        "ne",
        "lt",
        "lte",
        "gt",
        "gte",
        "begins_with",
        "between",
        "is_in",
        "exists",
        "not_exists",
        "contains",
        "attribute_type",
    ];
    if !key_only && rng.chance(5) {
        return json!({"op": "size_cond", "name": random_path(rng)});
    }
    let subject_kind = if key_only { 0 } else { rng.below(7) };
    let (subject, ops) = match subject_kind {
        0 => (json!({"key": random_path(rng)}), BASE),
        1 => (json!({"size": random_path(rng)}), BASE),
        _ => (json!({"attr": random_path(rng)}), ATTR),
    };
    let op = *rng.pick(ops);
    let mut node = json!({"op": op, "subject": subject});
    match op {
        "exists" | "not_exists" => {}
        "between" => node["args"] = json!([operand(rng, key_only), operand(rng, key_only)]),
        "is_in" => {
            node["values"] = Json::Array(
                (0..rng.below(5))
                    .map(|_| random_tagged(rng, 1, true))
                    .collect(),
            );
        }
        "attribute_type" => {
            node["args"] = json!([{"val": rng.pick(&["S", "N", "B", "SS", "M", "L", "NULL"])}])
        }
        _ => node["args"] = json!([operand(rng, key_only)]),
    }
    node
}

fn tree(rng: &mut Rng, depth: u32, key_only: bool) -> Json {
    if depth == 0 || rng.chance(35) {
        return leaf(rng, key_only);
    }
    match rng.below(if key_only { 2 } else { 5 }) {
        0 | 3 => {
            json!({"op": "and", "a": tree(rng, depth - 1, key_only), "b": tree(rng, depth - 1, key_only)})
        }
        1 if !key_only => json!({"op": "not", "a": tree(rng, depth - 1, key_only)}),
        _ => {
            json!({"op": "or", "a": tree(rng, depth - 1, key_only), "b": tree(rng, depth - 1, key_only)})
        }
    }
}

/// Rust's answer for one sequence of builds on one builder.
fn rust_builds(builds: &[Json]) -> Json {
    let mut builder = ConditionExpressionBuilder::new();
    let results = builds.iter().map(|b| {
        if b["reset"] == json!(true) {
            builder.reset();
        }
        let condition = condition_from_json(&b["tree"]).expect("tree converts");
        match builder.build_expression(&condition, b["key"] == json!(true)) {
            Err(e) => json!({"error": e.to_string()}),
            Ok(built) => {
                let values: serde_json::Map<String, Json> = built
                    .attribute_value_placeholders
                    .iter()
                    .map(|(k, v)| (k.clone(), wire_json(&TypeSerializer.serialize(v).expect("serializes"))))
                    .collect();
                json!({"expr": built.condition_expression, "names": built.attribute_name_placeholders, "values": values})
            }
        }
    });
    json!({"results": results.collect::<Vec<_>>()})
}

/// Errors are compared by kind only (both failed); successes exactly.
fn same(rust: &Json, boto3: &Json) -> bool {
    match (rust.get("error"), boto3.get("error")) {
        (Some(_), Some(_)) => true,
        // Compared as text: key order counts too.
        (None, None) => serde_json::to_string(rust).ok() == serde_json::to_string(boto3).ok(),
        _ => false,
    }
}

#[test]
fn conditions_match_boto3() {
    let Some(mut oracle) = Oracle::start() else {
        return;
    };
    let mut rng = Rng::new(0x00C0_FFEE);
    let (mut passed, mut failed, mut trees, mut key_errors) = (0usize, 0usize, 0usize, 0usize);
    while trees < TREES {
        let builds: Vec<Json> = (0..rng.range(1, 4))
            .map(|_| {
                let key = rng.chance(30);
                // Some key conditions name an Attr: both sides must refuse them.
                let key_only = key && !rng.chance(15);
                json!({"tree": tree(&mut rng, 4, key_only), "key": key, "reset": rng.chance(25)})
            })
            .collect();
        trees += builds.len();
        let ours = rust_builds(&builds);
        let theirs = oracle.ask(&json!({"kind": "cond", "builds": builds}));
        let (ours, theirs) = (
            ours["results"].as_array().unwrap(),
            theirs["results"].as_array().unwrap(),
        );
        // Once a build fails, boto3's counters may have moved mid-build: compare up to there.
        for (i, (o, t)) in ours.iter().zip(theirs).enumerate() {
            if same(o, t) {
                passed += 1;
            } else {
                failed += 1;
                if failed <= 5 {
                    eprintln!(
                        "MISMATCH\n tree: {}\n rust: {o}\n boto3: {t}",
                        builds[i]["tree"]
                    );
                }
            }
            if o.get("error").is_some() {
                key_errors += 1;
                break;
            }
        }
    }
    println!("dynamodb-conditions: {passed} passed, {failed} failed ({trees} trees, {key_errors} refused key conditions)");
    assert_eq!(failed, 0);
    assert!(passed >= 500, "only {passed} trees compared");
    assert!(key_errors > 0, "the error path was never exercised");
}

fn random_request(rng: &mut Rng) -> Json {
    let cond = |rng: &mut Rng| json!({"$cond": tree(rng, 3, false)});
    let key_cond = |rng: &mut Rng| json!({"$cond": tree(rng, 2, true)});
    let item = |rng: &mut Rng| {
        let mut m = serde_json::Map::new();
        for _ in 0..rng.range(1, 4) {
            m.insert(
                random_string(rng),
                json!({"$val": random_tagged(rng, 2, true)}),
            );
        }
        Json::Object(m)
    };
    let op = *rng.pick(&[
        "Query",
        "Scan",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "BatchWriteItem",
    ]);
    let mut p = json!({"TableName": "t"});
    match op {
        "Query" => {
            p["KeyConditionExpression"] = key_cond(rng);
            if rng.chance(60) {
                p["FilterExpression"] = cond(rng);
            }
            if rng.chance(30) {
                p["ExclusiveStartKey"] = item(rng);
            }
        }
        "Scan" => {
            if rng.chance(80) {
                p["FilterExpression"] = cond(rng);
            }
            p["Limit"] = json!(rng.range(1, 100));
        }
        "PutItem" => {
            p["Item"] = item(rng);
            if rng.chance(70) {
                p["ConditionExpression"] = cond(rng);
            }
        }
        "UpdateItem" => {
            p["Key"] = item(rng);
            p["UpdateExpression"] = json!("SET #u = :u");
            p["ExpressionAttributeNames"] = json!({"#u": "updated", "#n0": "clobbered?"});
            p["ExpressionAttributeValues"] = json!({":u": {"$val": random_tagged(rng, 1, true)}});
            if rng.chance(70) {
                p["ConditionExpression"] = cond(rng);
            }
        }
        "DeleteItem" => {
            p["Key"] = item(rng);
            p["ConditionExpression"] = if rng.chance(20) {
                json!("attribute_exists(pk)")
            } else {
                cond(rng)
            };
        }
        _ => {
            // Nested AttributeValue positions: map -> list -> structure -> map.
            // (TransactWriteItems is left out: boto3 puts a nested condition's
            // placeholders at the top level, where the input has no such member.)
            p = json!({"RequestItems": {
                "t": [{"PutRequest": {"Item": item(rng)}}, {"DeleteRequest": {"Key": item(rng)}}],
                "u": [{"PutRequest": {"Item": item(rng)}}],
            }});
        }
    }
    json!({"operation": op, "params": p})
}

#[test]
fn transform_input_matches_boto3() {
    let Some(mut oracle) = Oracle::start() else {
        return;
    };
    let model = boto::core::model::Loader::global()
        .service_model("dynamodb")
        .expect("dynamodb model");
    let mut rng = Rng::new(0x7A4F_0001);
    let (mut passed, mut failed) = (0usize, 0usize);
    for _ in 0..REQUESTS {
        let req = random_request(&mut rng);
        let op = req["operation"].as_str().unwrap();
        let doc = doc_from_json(&req["params"]).expect("params convert");
        let ours = match transform_input_typed(&model, op, doc) {
            Ok(v) => json!({"wire": wire_json(&v)}),
            Err(e) => json!({"error": e.to_string()}),
        };
        let theirs =
            oracle.ask(&json!({"kind": "transform", "operation": op, "params": req["params"]}));
        if same(&ours, &theirs) {
            passed += 1;
        } else {
            failed += 1;
            if failed <= 5 {
                eprintln!(
                    "MISMATCH {op}\n params: {}\n rust: {ours}\n boto3: {theirs}",
                    req["params"]
                );
            }
        }
    }
    println!("dynamodb-transform: {passed} passed, {failed} failed");
    assert_eq!(failed, 0);
}
