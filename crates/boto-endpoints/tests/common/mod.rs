//! Shared helpers for the conformance runners: locating the (git-ignored)
//! data directories and comparing a resolution against a test expectation.

#![allow(dead_code)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use boto_endpoints::{Endpoint, Params, Partitions, RuleSet};
use serde_json::Value as Json;

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn dir_from_env(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(default))
}

pub fn read_json(path: &Path) -> Result<Json, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn load_partitions(models_dir: &Path) -> Result<Partitions, String> {
    let path = models_dir.join("_global/partitions.json");
    let v = read_json(&path)?;
    Partitions::from_value(&v).map_err(|e| format!("{}: {e}", path.display()))
}

/// Run one test case (`params` + `expect`). `Ok(())` on a match, otherwise
/// a description of the mismatch.
pub fn run_case(rules: &RuleSet, partitions: &Partitions, case: &Json) -> Result<(), String> {
    let empty = Json::Object(Default::default());
    let params = Params::from_json(case.get("params").unwrap_or(&empty))
        .map_err(|e| format!("bad params: {e}"))?;
    let expect = case.get("expect").ok_or("case without expect")?;
    let got = catch_unwind(AssertUnwindSafe(|| rules.resolve(&params, partitions)))
        .map_err(|_| "PANIC during resolution".to_string())?;
    if let Some(want) = expect.get("endpoint") {
        match got {
            Ok(ep) => compare_endpoint(&ep, want),
            Err(e) => Err(format!("expected endpoint {}, got error: {e}", want["url"])),
        }
    } else if let Some(want) = expect.get("error").and_then(Json::as_str) {
        match got {
            Err(e) if e.to_string() == want => Ok(()),
            Err(e) => Err(format!(
                "expected error {want:?}, got error {:?}",
                e.to_string()
            )),
            Ok(ep) => Err(format!("expected error {want:?}, got endpoint {}", ep.url)),
        }
    } else {
        Err("expect has neither endpoint nor error".into())
    }
}

fn compare_endpoint(ep: &Endpoint, want: &Json) -> Result<(), String> {
    let want_url = want.get("url").and_then(Json::as_str).unwrap_or_default();
    if ep.url != want_url {
        return Err(format!("url: expected {want_url}, got {}", ep.url));
    }
    let empty = Json::Object(Default::default());
    let want_props = want.get("properties").unwrap_or(&empty);
    let got_props = Json::Object((*ep.properties).clone());
    if &got_props != want_props {
        return Err(format!(
            "properties: expected {want_props}, got {got_props}"
        ));
    }
    let want_headers = want.get("headers").unwrap_or(&empty);
    let got_headers = serde_json::to_value(&ep.headers).unwrap_or_default();
    if &got_headers != want_headers {
        return Err(format!(
            "headers: expected {want_headers}, got {got_headers}"
        ));
    }
    Ok(())
}
