//! Offline differential against boto3 over the whole models: for every
//! action, waiter and collection of every resource class of the nine
//! services, the requests boto-rs builds equal the ones boto3 builds
//! (`diff_offline.py`, boto3 answered by a `before-call` stub), and every
//! sub-resource has the same repr. Identifiers are "v0", "v1", ...; data is
//! `{}` before each element; waiters make one attempt. Prints
//! `resources-diff-offline: N passed, M failed` (one per element).
//! Needs BOTO_TEST_PYTHON; skips with a notice otherwise.

mod support;

use boto::{Map, Value};
use serde_json::{json, Value as Json};
use support::*;

/// Deliberate deviations from boto3, printed as KNOWN.
const KNOWN: [(&str, &str, &str); 1] = [(
    "cloudformation.StackResourceSummary",
    "subresource:Resource",
    "boto3 fills sub-resource identifiers by position and ignores `target`; this `has` lists \
     LogicalId before StackName, so boto3 swaps them (StackName='<logical id>'); boto-rs maps by target",
)];

async fn rust_side(service: &str) -> Result<Json, boto::Error> {
    let (fake, svc) = fake_resource(service);
    let models = boto_resources::model::ServiceResources::load(service)?;
    let mut classes = serde_json::Map::new();
    let defs =
        std::iter::once(models.service_resource.clone()).chain(models.resources.iter().cloned());
    for def in defs {
        let r = if def.is_service {
            svc.clone()
        } else {
            let ids: Vec<Value> = (0..def.identifiers.len())
                .map(|i| format!("v{i}").into())
                .collect();
            svc.resource(&def.name, ids)?
        };
        let mut entries = serde_json::Map::new();
        let calls = |fake: &Fake| -> Json {
            fake.take_calls()
                .into_iter()
                .map(|(op, p)| json!([op, p.to_json()]))
                .collect()
        };
        for a in &def.actions {
            r.set_data(Some(Value::Map(Map::new())));
            fake.clear();
            let _ = r.action(&a.py_name, Value::Null).await;
            entries.insert(format!("action:{}", a.py_name), calls(&fake));
        }
        for w in &def.waiters {
            r.set_data(Some(Value::Map(Map::new())));
            fake.clear();
            let cfg = boto::params! {"WaiterConfig": {"Delay": 0, "MaxAttempts": 1}};
            let _ = r.wait_until(&w.py_name, cfg).await;
            entries.insert(format!("waiter:{}", w.py_name), calls(&fake));
        }
        for c in &def.collections {
            r.set_data(Some(Value::Map(Map::new())));
            fake.clear();
            if let Ok(coll) = r.collection(&c.py_name) {
                let _ = coll.to_vec().await;
            }
            entries.insert(format!("collection:{}", c.py_name), calls(&fake));
        }
        for s in &def.subresources {
            let inputs = s
                .resource
                .identifiers
                .iter()
                .filter(|p| p.source == boto_resources::model::Source::Input)
                .count();
            let args: Vec<Value> = (0..inputs).map(|i| format!("s{i}").into()).collect();
            let repr = match r.subresource(&s.py_name, args) {
                Ok(x) => format!("{x:?}"),
                Err(e) => format!("error: {e}"),
            };
            entries.insert(format!("subresource:{}", s.py_name), repr.into());
        }
        let name = if def.is_service {
            "ServiceResource".to_string()
        } else {
            def.name.clone()
        };
        classes.insert(name, Json::Object(entries));
    }
    Ok(Json::Object(classes))
}

fn main() {
    let Ok(python) = std::env::var("BOTO_TEST_PYTHON") else {
        println!("skipped: BOTO_TEST_PYTHON not set (scripts/test.sh sets it)");
        return;
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/diff_offline.py");
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
    let (mut passed, mut failed) = (0, 0);
    for (service, classes) in boto3.as_object().expect("services") {
        let rust = rt.block_on(rust_side(service)).expect("rust side");
        for (class, entries) in classes.as_object().expect("classes") {
            for (key, want) in entries.as_object().expect("entries") {
                let got = &rust[class.as_str()][key.as_str()];
                let known = KNOWN
                    .iter()
                    .find(|(c, k, _)| *c == format!("{service}.{class}") && k == key);
                if got == want {
                    passed += 1;
                } else if let Some((_, _, why)) = known {
                    println!("KNOWN {service}.{class} {key}: {why}");
                    println!("  boto-rs: {got}");
                    println!("  boto3:   {want}");
                } else {
                    failed += 1;
                    println!("FAIL {service}.{class} {key}");
                    println!("  boto-rs: {got}");
                    println!("  boto3:   {want}");
                }
            }
            let extra = rust[class.as_str()]
                .as_object()
                .map(|m| {
                    m.keys()
                        .filter(|k| entries.get(k.as_str()).is_none())
                        .count()
                })
                .unwrap_or(0);
            if extra > 0 {
                failed += 1;
                println!("FAIL {service}.{class}: {extra} element(s) boto3 does not have");
            }
        }
    }
    println!("resources-diff-offline: {passed} passed, {failed} failed");
    if failed > 0 || passed == 0 {
        std::process::exit(1);
    }
}
