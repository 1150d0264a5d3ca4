//! Guards against rule-set drift: every function name used by any shipped
//! rule set must be implemented, and every shipped rule set must load.
//! Skips (passes vacuously, with a note) when the git-ignored model data
//! has not been fetched.

use std::collections::BTreeSet;
use std::path::PathBuf;

use std::panic::{catch_unwind, AssertUnwindSafe};

use boto_endpoints::{ParamType, Params, Partitions, RuleSet, SUPPORTED_FUNCTIONS};
use serde_json::Value as Json;

fn models_dir() -> PathBuf {
    std::env::var_os("BOTO_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.data/models"))
}

fn collect_fns(v: &Json, out: &mut BTreeSet<String>) {
    match v {
        Json::Object(o) => {
            if let Some(Json::String(f)) = o.get("fn") {
                out.insert(f.clone());
            }
            o.values().for_each(|c| collect_fns(c, out));
        }
        Json::Array(a) => a.iter().for_each(|c| collect_fns(c, out)),
        _ => {}
    }
}

#[test]
fn all_shipped_functions_are_implemented() {
    let dir = models_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("model data not found at {}; skipping", dir.display());
        return;
    };
    let mut used = BTreeSet::new();
    let mut count = 0;
    let mut load_failures = Vec::new();
    for e in entries.filter_map(Result::ok) {
        let path = e.path().join("endpoint-rule-set-1.json");
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let v: Json = serde_json::from_slice(&bytes).expect("rule set is valid JSON");
        collect_fns(&v, &mut used);
        if let Err(err) = RuleSet::from_value(&v) {
            load_failures.push(format!("{}: {err}", path.display()));
        }
        count += 1;
    }
    let unknown: Vec<_> = used
        .iter()
        .filter(|f| !SUPPORTED_FUNCTIONS.contains(&f.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "unimplemented rule-set functions: {unknown:?}"
    );
    assert!(
        load_failures.is_empty(),
        "rule sets failed to load: {load_failures:#?}"
    );
    eprintln!("{count} rule sets scanned; functions used: {used:?}");
}

/// Hostile-ish inputs for every parameter of every shipped rule set must
/// produce an endpoint or an error, never a panic.
#[test]
fn odd_inputs_never_panic() {
    let dir = models_dir();
    let Ok(pbytes) = std::fs::read(dir.join("_global/partitions.json")) else {
        eprintln!("model data not found at {}; skipping", dir.display());
        return;
    };
    let partitions = Partitions::from_json(&pbytes).expect("partitions load");
    let strings = [
        "",
        "-",
        "us-east-1",
        "arn:aws:s3:us-east-1:123456789012:accesspoint/x",
        "arn:::::",
        "https://[::1]:99999/a?b",
        "http://h/\u{1F431}/../..;x",
        "{Region}",
        "\u{0}\n\t",
        "a.b..c",
    ];
    let mut runs = 0;
    for e in std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        let Ok(bytes) = std::fs::read(e.path().join("endpoint-rule-set-1.json")) else {
            continue;
        };
        let Ok(rs) = RuleSet::from_json(&bytes) else {
            continue;
        };
        for (k, s) in strings.iter().enumerate() {
            let mut p = Params::new();
            for (j, decl) in rs.parameters().iter().enumerate() {
                match decl.ty {
                    ParamType::String => p.set(decl.name.clone(), *s),
                    ParamType::Boolean => p.set(decl.name.clone(), (j + k) % 2 == 0),
                    ParamType::StringArray => p.set(decl.name.clone(), vec![s.to_string()]),
                };
            }
            let r = catch_unwind(AssertUnwindSafe(|| rs.resolve(&p, &partitions)));
            assert!(r.is_ok(), "panic in {} with {p:?}", e.path().display());
            runs += 1;
        }
    }
    eprintln!("{runs} odd-input resolutions without panic");
}
