//! Response handling against boto3 over the whole models, with no server:
//! `diff_responses.py` answers every boto3 call with a synthetic response
//! built from the output shape and reports, per element of every class of
//! the nine services, the calls, the responses and the result; this test
//! feeds the same responses to boto-rs (a fake invoker) and compares calls,
//! results (resource reprs, plural responses, empty responses), loaded data
//! (load paths) and references built from data. Where boto3's parameter
//! validation refused the call (the fake does not validate) only the calls
//! are compared. Prints `resources-diff-responses: N passed, M failed`.
//! Needs BOTO_TEST_PYTHON; skips with a notice otherwise.

mod support;

use boto::Value;
use boto_resources::{ActionOutput, Resource};
use serde_json::{json, Value as Json};
use support::*;

/// boto3 crashes where boto-rs returns nothing, printed as KNOWN.
const KNOWN: [(&str, &str, &str); 3] = [
    (
        "iam.Group",
        "action:update",
        "no output shape: boto3's build_empty_response raises AttributeError on None",
    ),
    (
        "iam.ServerCertificate",
        "action:update",
        "no output shape: boto3's build_empty_response raises AttributeError on None",
    ),
    (
        "iam.User",
        "action:update",
        "no output shape: boto3's build_empty_response raises AttributeError on None",
    ),
];

fn output(o: &ActionOutput) -> Json {
    match o {
        ActionOutput::None => Json::Null,
        ActionOutput::Data(_) => json!("data"),
        ActionOutput::Resource(r) => json!(format!("{r:?}")),
        ActionOutput::Resources(v) => v.iter().map(|r| json!(format!("{r:?}"))).collect(),
    }
}

async fn element(fake: &Fake, r: &Resource, key: &str, want: &Json) -> Json {
    fake.clear();
    for resp in want["responses"].as_array().into_iter().flatten() {
        fake.respond(
            resp[0].as_str().unwrap_or_default(),
            Value::from_json(&resp[1]),
        );
    }
    let empty = || Some(Value::Map(Default::default()));
    let (kind, name) = key.split_once(':').unwrap_or((key, ""));
    let result: Result<Json, boto::Error> = match kind {
        "load" => {
            r.set_data(None);
            r.load().await.map(|_| Json::Null)
        }
        "action" => {
            r.set_data(empty());
            let kwargs = Value::from_json(&want["kwargs"]);
            r.action(name, kwargs).await.map(|o| output(&o))
        }
        "reference" => {
            r.set_data(Some(Value::from_json(&want["data"])));
            r.reference(name).await.map(|o| output(&o))
        }
        "collection" => {
            r.set_data(empty());
            match r.collection(name) {
                Ok(c) => c
                    .to_vec()
                    .await
                    .map(|v| v.iter().map(|x| json!(format!("{x:?}"))).collect()),
                Err(e) => Err(e),
            }
        }
        _ => {
            r.set_data(empty());
            let (coll, batch) = name.split_once('.').unwrap_or((name, ""));
            match r.collection(coll) {
                Ok(c) => c.batch_action(batch, Value::Null).await.map(|v| {
                    if v.is_empty() {
                        json!([])
                    } else {
                        json!("data")
                    }
                }),
                Err(e) => Err(e),
            }
        }
    };
    let calls: Json = fake
        .take_calls()
        .into_iter()
        .map(|(op, p)| json!([op, p.to_json()]))
        .collect();
    let mut got = json!({"calls": calls});
    let validation = want["result"]["error"] == "ParamValidationError";
    if !validation {
        got["result"] = match result {
            Ok(j) => j,
            Err(_) => want["result"]["error"]
                .as_str()
                .map_or(json!({"error": "?"}), |e| json!({"error": e})),
        };
    }
    if kind == "load" && !validation {
        got["data"] = r.data().map_or(Json::Null, |d| d.to_json());
    }
    got
}

fn expected(want: &Json, kind: &str) -> Json {
    let mut w = json!({"calls": want["calls"]});
    if want["result"]["error"] != "ParamValidationError" {
        w["result"] = want["result"].clone();
    }
    if kind == "load" && want["result"]["error"] != "ParamValidationError" {
        w["data"] = want["data"].clone();
    }
    w
}

fn main() {
    let Ok(python) = std::env::var("BOTO_TEST_PYTHON") else {
        println!("skipped: BOTO_TEST_PYTHON not set (scripts/test.sh sets it)");
        return;
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/diff_responses.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let boto3: Json = serde_json::from_slice(&out.stdout).expect("JSON");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (mut passed, mut failed, mut known) = (0, 0, 0);
    for (service, classes) in boto3.as_object().expect("services") {
        let (fake, svc) = fake_resource(service);
        for (class, entries) in classes.as_object().expect("classes") {
            let r = if class == "ServiceResource" {
                svc.clone()
            } else {
                let n = boto_resources::introspect::class_info(service, class)
                    .map(|i| i.identifiers.len())
                    .unwrap_or(0);
                let ids: Vec<Value> = (0..n).map(|i| format!("v{i}").into()).collect();
                match svc.resource(class, ids) {
                    Ok(r) => r,
                    Err(e) => {
                        failed += 1;
                        println!("FAIL {service}.{class}: {e}");
                        continue;
                    }
                }
            };
            for (key, want) in entries.as_object().expect("entries") {
                let kind = key.split(':').next().unwrap_or_default();
                let got = rt.block_on(element(&fake, &r, key, want));
                let want = expected(want, kind);
                let is_known = KNOWN
                    .iter()
                    .find(|(c, k, _)| *c == format!("{service}.{class}") && k == key);
                if got == want {
                    passed += 1;
                } else if let Some((_, _, why)) = is_known {
                    known += 1;
                    println!(
                        "KNOWN {service}.{class} {key}: {why}; boto-rs: {}",
                        got["result"]
                    );
                } else {
                    failed += 1;
                    println!("FAIL {service}.{class} {key}");
                    println!("  boto-rs: {got}");
                    println!("  boto3:   {want}");
                }
            }
        }
    }
    println!(
        "resources-diff-responses: {passed} passed, {failed} failed ({known} known boto3 crashes)"
    );
    if failed > 0 || passed == 0 {
        std::process::exit(1);
    }
}
