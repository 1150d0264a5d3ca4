//! Conformance runner for botocore's engine test corpus
//! (`tests/unit/data/endpoints/{valid-rules,test-cases}`), the data behind
//! `tests/unit/test_endpoint_provider.py`.
//!
//! Each `test-cases/<name>.json` is paired with `valid-rules/<name>.json`;
//! every case's `params` must resolve to `expect.endpoint` (url, properties,
//! headers, with missing properties/headers meaning empty) or raise an error
//! whose message equals `expect.error`. botocore's own list of pairs omits
//! `partition-fn`; we run it too since it passes under botocore's
//! semantics. Rule sets without test cases (e.g. `minimal-ruleset`,
//! `deprecated-param`) are checked to load.
//!
//! Environment: `BOTO_ENDPOINT_ENGINE_DIR` (default
//! `<workspace>/.data/botocore-tests/unit/data/endpoints`) and
//! `BOTO_MODELS_DIR` (default `<workspace>/.data/models`, for
//! `_global/partitions.json`).

mod common;

use std::process::ExitCode;

use boto_endpoints::RuleSet;
use serde_json::Value as Json;

use common::{dir_from_env, load_partitions, read_json, run_case};

fn main() -> ExitCode {
    let base = dir_from_env(
        "BOTO_ENDPOINT_ENGINE_DIR",
        ".data/botocore-tests/unit/data/endpoints",
    );
    let models_dir = dir_from_env("BOTO_MODELS_DIR", ".data/models");
    let rules_dir = base.join("valid-rules");
    let cases_dir = base.join("test-cases");
    if !rules_dir.is_dir() {
        println!(
            "endpoint-engine: test data not found at {}; nothing to do",
            base.display()
        );
        println!("endpoint-engine: 0 passed, 0 failed");
        return ExitCode::SUCCESS;
    }
    let partitions = match load_partitions(&models_dir) {
        Ok(p) => p,
        Err(e) => {
            println!("endpoint-engine: cannot load partitions: {e}");
            return ExitCode::FAILURE;
        }
    };

    let mut names: Vec<String> = std::fs::read_dir(&rules_dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".json"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();

    let (mut passed, mut failed) = (0usize, 0usize);
    for name in &names {
        let stem = name.trim_end_matches(".json");
        let rules = read_json(&rules_dir.join(name))
            .and_then(|v| RuleSet::from_value(&v).map_err(|e| e.to_string()));
        let cases_path = cases_dir.join(name);
        let cases = if cases_path.is_file() {
            match read_json(&cases_path) {
                Ok(v) => v
                    .get("testCases")
                    .and_then(Json::as_array)
                    .cloned()
                    .unwrap_or_default(),
                Err(e) => {
                    println!("{stem}: cannot read cases: {e}");
                    failed += 1;
                    continue;
                }
            }
        } else {
            Vec::new()
        };
        let rules = match rules {
            Ok(r) => r,
            Err(e) => {
                println!("{stem}: cannot load rule set: {e}");
                failed += cases.len().max(1);
                continue;
            }
        };
        let mut bad = Vec::new();
        for (i, case) in cases.iter().enumerate() {
            match run_case(&rules, &partitions, case) {
                Ok(()) => passed += 1,
                Err(e) => {
                    let doc = case
                        .get("documentation")
                        .and_then(Json::as_str)
                        .unwrap_or("");
                    bad.push(format!("  case #{i} ({doc}): {e}"));
                }
            }
        }
        if !bad.is_empty() {
            println!("{stem}: {} failed", bad.len());
            for line in &bad {
                println!("{line}");
            }
            failed += bad.len();
        }
    }
    println!("endpoint-engine: {passed} passed, {failed} failed");
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
