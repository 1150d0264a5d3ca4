//! Runs the JMESPath compliance suite (jmespath.test) against this crate.
//!
//! The suite is fetched at test time, pinned by hash, from the `jmespath`
//! 0.5.0 crate's package on crates.io (`scripts/fetch_data.py` unpacks its
//! `tests/compliance/` into `.data/jmespath-compliance`). This is a
//! `harness = false` test that walks that directory (or the one named by
//! `BOTO_JMESPATH_SUITE`), prints per-file and total counts, and exits
//! non-zero on any failure. Cases are compared by JSON value with numbers
//! compared numerically (`1 == 1.0`), and error cases by error kind.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use boto_jmespath::{compile, Variable};
use serde_json::Value;

/// Cases that are not run, each with the reason. Matched on
/// (file name, expression).
const SKIPS: &[(&str, &str, &str)] = &[
    (
        "benchmarks.json",
        "sum(z, y, x, w, v, u, t, s, r, q, p, o, n, m, l, k, j, i, h, g, f, e, d, c, b, a)",
        "a timing-only case that is invalid JMESPath (sum takes one array); jmespath.test \
         later rewrote it as sum([z, ..., a]); every spec-conforming implementation errors here",
    ),
    (
        "benchmarks.json",
        "foo[bar > baz][qux > baz]",
        "a timing-only case that is invalid JMESPath (a filter needs `[?`); jmespath.test \
         later rewrote it as foo[?bar > baz][?qux > baz]",
    ),
];

fn main() -> ExitCode {
    let dir = std::env::var_os("BOTO_JMESPATH_SUITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.data/jmespath-compliance")
        });
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) => {
            eprintln!("cannot read JMESPath suite at {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    };
    files.sort();
    if files.is_empty() {
        eprintln!("no .json files in {}", dir.display());
        return ExitCode::FAILURE;
    }

    let (mut passed, mut failed, mut skipped) = (0usize, 0usize, 0usize);
    for path in &files {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stats = run_file(path, &name);
        println!("{name}: {} passed, {} failed", stats.passed, stats.failed);
        if stats.skipped > 0 {
            println!("{name}: {} skipped", stats.skipped);
        }
        passed += stats.passed;
        failed += stats.failed;
        skipped += stats.skipped;
    }
    if skipped > 0 {
        println!("jmespath: {skipped} skipped");
    }
    println!("jmespath: {passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

#[derive(Default)]
struct Stats {
    passed: usize,
    failed: usize,
    skipped: usize,
}

fn run_file(path: &Path, name: &str) -> Stats {
    let mut stats = Stats::default();
    let suites: Vec<Value> = match std::fs::read_to_string(path)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => {
            println!("FAIL {name}: cannot load: {e}");
            stats.failed += 1;
            return stats;
        }
    };
    for suite in &suites {
        let given = Variable::from(suite.get("given").unwrap_or(&Value::Null));
        let cases = suite
            .get("cases")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for case in cases {
            let expr = case
                .get("expression")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if let Some((_, _, reason)) = SKIPS.iter().find(|(f, e, _)| *f == name && *e == expr) {
                println!("SKIP {name}: {expr:?}: {reason}");
                stats.skipped += 1;
                continue;
            }
            match check(case, expr, &given) {
                Ok(()) => stats.passed += 1,
                Err(why) => {
                    println!("FAIL {name}: {expr:?}: {why}");
                    stats.failed += 1;
                }
            }
        }
    }
    stats
}

fn check(case: &Value, expr: &str, given: &Variable) -> Result<(), String> {
    let outcome = compile(expr).and_then(|e| e.search(given));
    if let Some(kind) = case.get("error").and_then(Value::as_str) {
        return match outcome {
            Err(e) if e.kind().as_str() == kind => Ok(()),
            Err(e) => Err(format!(
                "expected {kind} error, got {} error: {e}",
                e.kind()
            )),
            Ok(v) => Err(format!("expected {kind} error, got result {v}")),
        };
    }
    if case.get("bench").is_some() {
        // Benchmark cases carry no expected result; they must simply compile
        // and evaluate without error.
        return outcome
            .map(|_| ())
            .map_err(|e| format!("unexpected error: {e}"));
    }
    let Some(expected) = case.get("result") else {
        return Err("case has neither result, error nor bench".to_string());
    };
    match outcome {
        Ok(v) => {
            let actual = Value::from(v);
            if json_eq(&actual, expected) {
                Ok(())
            } else {
                Err(format!("expected {expected}, got {actual}"))
            }
        }
        Err(e) => Err(format!("expected {expected}, got error: {e}")),
    }
}

/// JSON equality with numbers compared by value and object keys unordered.
fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}
