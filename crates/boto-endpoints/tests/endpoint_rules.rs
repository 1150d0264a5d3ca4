//! Conformance runner for botocore's per-service endpoint test corpus
//! (`tests/functional/endpoint-rules/<svc>/endpoint-tests-1.json`).
//!
//! For every service directory, the matching shipped rule set
//! (`<models>/<svc>/endpoint-rule-set-1.json`) is parsed once and every test
//! case is resolved from its `params`, then compared with the expected
//! endpoint (url, headers and properties, structurally) or error message.
//!
//! Cases that carry `operationInputs` are run here through their `params`,
//! which are the already-bound parameter values. The full client path
//! (operation input members and built-ins -> context parameters -> rule
//! set) is exercised by the runtime crate's tests later.
//!
//! Environment: `BOTO_ENDPOINT_TESTS_DIR` (default
//! `<workspace>/.data/botocore-tests/functional/endpoint-rules`) and
//! `BOTO_MODELS_DIR` (default `<workspace>/.data/models`). Set
//! `BOTO_ENDPOINT_VERBOSE=1` to print every failing case.

mod common;

use std::process::ExitCode;

use boto_endpoints::RuleSet;
use serde_json::Value as Json;

use common::{dir_from_env, load_partitions, read_json, run_case};

fn main() -> ExitCode {
    let tests_dir = dir_from_env(
        "BOTO_ENDPOINT_TESTS_DIR",
        ".data/botocore-tests/functional/endpoint-rules",
    );
    let models_dir = dir_from_env("BOTO_MODELS_DIR", ".data/models");
    if !tests_dir.is_dir() {
        println!(
            "endpoint-rules: test data not found at {} (run the data fetch script); nothing to do",
            tests_dir.display()
        );
        println!("endpoint-rules: 0 passed, 0 failed");
        return ExitCode::SUCCESS;
    }
    let partitions = match load_partitions(&models_dir) {
        Ok(p) => p,
        Err(e) => {
            println!("endpoint-rules: cannot load partitions: {e}");
            return ExitCode::FAILURE;
        }
    };
    let verbose = std::env::var_os("BOTO_ENDPOINT_VERBOSE").is_some();

    let mut services: Vec<_> = match std::fs::read_dir(&tests_dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(e) => {
            println!("endpoint-rules: cannot list {}: {e}", tests_dir.display());
            return ExitCode::FAILURE;
        }
    };
    services.sort();

    let (mut passed, mut failed, mut with_op_inputs) = (0usize, 0usize, 0usize);
    let mut failed_services = 0usize;
    for svc in &services {
        let cases = match read_json(&tests_dir.join(svc).join("endpoint-tests-1.json")) {
            Ok(v) => v
                .get("testCases")
                .and_then(Json::as_array)
                .cloned()
                .unwrap_or_default(),
            Err(e) => {
                println!("{svc}: cannot read tests: {e}");
                failed += 1;
                failed_services += 1;
                continue;
            }
        };
        let rules = read_json(&models_dir.join(svc).join("endpoint-rule-set-1.json"))
            .and_then(|v| RuleSet::from_value(&v).map_err(|e| e.to_string()));
        let rules = match rules {
            Ok(r) => r,
            Err(e) => {
                println!(
                    "{svc}: cannot load rule set: {e} ({} cases failed)",
                    cases.len()
                );
                failed += cases.len();
                failed_services += 1;
                continue;
            }
        };
        let (mut ok, mut bad) = (0usize, Vec::new());
        for (i, case) in cases.iter().enumerate() {
            if case.get("operationInputs").is_some() {
                with_op_inputs += 1;
            }
            match run_case(&rules, &partitions, case) {
                Ok(()) => ok += 1,
                Err(e) => {
                    let doc = case
                        .get("documentation")
                        .and_then(Json::as_str)
                        .unwrap_or("");
                    bad.push(format!("  case #{i} ({doc}): {e}"));
                }
            }
        }
        passed += ok;
        failed += bad.len();
        if !bad.is_empty() {
            failed_services += 1;
            println!("{svc}: {ok} passed, {} failed", bad.len());
            let shown = if verbose { bad.len() } else { 3 };
            for line in bad.iter().take(shown) {
                println!("{line}");
            }
        }
    }
    println!(
        "total: {} services ({failed_services} with failures), {with_op_inputs} cases with operationInputs run via params",
        services.len()
    );
    println!("endpoint-rules: {passed} passed, {failed} failed");
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
