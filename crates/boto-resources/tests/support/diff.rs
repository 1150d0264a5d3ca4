//! The Rust half of the differential scenarios: step bookkeeping that
//! mirrors `diff_common.py`, normalisation of run-specific names and ids,
//! and the comparison that prints `resources-diff-<suite>: N passed, M failed`.

use super::Recorder;
use serde_json::{json, Value as Json};
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

/// The steps of one run, with the calls each made.
pub struct Run {
    pub rec: Arc<Recorder>,
    pub steps: Vec<Json>,
}

impl Run {
    pub fn new(rec: Arc<Recorder>) -> Self {
        Run {
            rec,
            steps: Vec::new(),
        }
    }
    /// Runs one step; errors become `{"error": <service error code or "error">}`
    /// as in `diff_common.step`.
    pub async fn step<F>(&mut self, name: &str, f: F)
    where
        F: Future<Output = Result<Json, boto::Error>>,
    {
        self.rec.take();
        let result = match f.await {
            Ok(j) => j,
            Err(e) => {
                eprintln!("step {name}: {e}");
                let code = e.code().unwrap_or("error");
                // A 5xx page without a service error (an operation moto
                // does not implement): boto-rs reports the status as the
                // code, botocore that or ResponseParserError (see
                // diff_common.step).
                let unparsable = code.len() == 3
                    && code.starts_with('5')
                    && code.bytes().all(|b| b.is_ascii_digit());
                json!({"error": if unparsable { "5xx-without-code" } else { code }})
            }
        };
        let calls: Vec<Json> = self
            .rec
            .take()
            .into_iter()
            .map(|(op, p)| json!([op, p.to_json()]))
            .collect();
        self.steps
            .push(json!({"name": name, "calls": calls, "result": result}));
    }
}

/// `format!("{:?}")` of resources, as boto3's `repr`.
pub fn reprs(v: &[boto_resources::Resource]) -> Json {
    v.iter().map(|r| Json::from(format!("{r:?}"))).collect()
}

/// Replaces run-specific strings: the given names, ids such as `vpc-1a2b…`
/// or `i-0abc…` (numbered in order of appearance, so both runs agree when
/// they meet ids in the same order), IPv4 addresses (all `ip`), and the
/// values of `masked` keys.
pub struct Normalizer {
    names: Vec<(String, String)>,
    masked: Vec<&'static str>,
    ids: HashMap<String, String>,
}

impl Normalizer {
    pub fn new(names: &[(&str, &str)], masked: &[&'static str]) -> Self {
        Normalizer {
            names: names
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            masked: masked.to_vec(),
            ids: HashMap::new(),
        }
    }

    fn id(&mut self, s: &str) -> Option<String> {
        // IPv4 addresses are not numbered: moto picks private and public
        // addresses at random, and one that happened to equal an address seen
        // earlier in one run (but not the other) renumbered every later id of
        // that run. Which address a call got is moto's choice, not the SDK's.
        if s.parse::<std::net::Ipv4Addr>().is_ok() {
            return Some("ip".to_string());
        }
        if is_uuid(s) {
            let n = self.ids.len();
            return Some(
                self.ids
                    .entry(s.to_string())
                    .or_insert_with(|| format!("uuid-#{n}"))
                    .clone(),
            );
        }
        let (prefix, rest) = s.split_once('-')?;
        let hexy = rest.len() >= 8 && rest.chars().all(|c| c.is_ascii_hexdigit());
        let known = prefix.chars().all(|c| c.is_ascii_lowercase()) && prefix.len() <= 9;
        if !(hexy && known) {
            return None;
        }
        let n = self.ids.len();
        Some(
            self.ids
                .entry(s.to_string())
                .or_insert_with(|| format!("{prefix}-#{n}"))
                .clone(),
        )
    }

    fn string(&mut self, s: &str) -> String {
        let mut out = s.to_string();
        for (from, to) in &self.names {
            out = out.replace(from.as_str(), to);
        }
        // ids inside longer strings (reprs): replace word by word.
        let mut result = String::new();
        let mut word = String::new();
        for c in out.chars().chain(std::iter::once('\u{0}')) {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                word.push(c);
            } else {
                if !word.is_empty() {
                    let w = std::mem::take(&mut word);
                    result.push_str(&self.id(&w).unwrap_or(w));
                }
                if c != '\u{0}' {
                    result.push(c);
                }
            }
        }
        result
    }

    pub fn apply(&mut self, j: &Json) -> Json {
        match j {
            Json::String(s) => Json::String(self.string(s)),
            Json::Array(a) => a.iter().map(|x| self.apply(x)).collect(),
            Json::Object(o) => o
                .iter()
                .map(|(k, v)| {
                    let v = if self.masked.contains(&k.as_str()) {
                        json!("MASKED")
                    } else {
                        self.apply(v)
                    };
                    // Keys too: DynamoDB's RequestItems are keyed by table name.
                    (self.string(k), v)
                })
                .collect(),
            other => other.clone(),
        }
    }
}

/// `8-4-4-4-12` hex digits (SNS subscription and endpoint ids, request ids).
fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).eq([8, 4, 4, 4, 12])
        && parts
            .iter()
            .all(|p| p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Runs the Python scenario and compares step by step. Returns `(passed, failed)`.
pub fn compare(
    suite: &str,
    rust: &[Json],
    script: &str,
    args: &[&str],
    rust_norm: Normalizer,
    py_norm: Normalizer,
) -> (usize, usize) {
    compare_known(suite, rust, script, args, rust_norm, py_norm, &[])
}

/// [`compare`] with deliberate deviations from boto3: `(step, reason)`; a
/// listed step that differs is printed as KNOWN with its reason and counted
/// neither passed nor failed (one that matches passes, and is reported so
/// the entry can go).
pub fn compare_known(
    suite: &str,
    rust: &[Json],
    script: &str,
    args: &[&str],
    mut rust_norm: Normalizer,
    mut py_norm: Normalizer,
    known: &[(&str, &str)],
) -> (usize, usize) {
    let python = std::env::var("BOTO_TEST_PYTHON").expect("BOTO_TEST_PYTHON");
    let path = format!("{}/tests/{script}", env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(&python)
        .arg(&path)
        .args(args)
        .output()
        .expect("run python");
    if !out.status.success() {
        println!("{}", String::from_utf8_lossy(&out.stderr));
        println!("resources-diff-{suite}: 0 passed, 1 failed");
        return (0, 1);
    }
    let py: Json = serde_json::from_slice(&out.stdout).expect("python JSON");
    let py_steps = py["steps"].as_array().cloned().unwrap_or_default();
    let (mut passed, mut failed) = (0, 0);
    for (i, r) in rust.iter().enumerate() {
        let name = r["name"].as_str().unwrap_or_default();
        let rn = rust_norm.apply(r);
        let pn = py_steps.get(i).map(|p| py_norm.apply(p));
        match pn {
            Some(pn) if pn == rn => {
                passed += 1;
                if known.iter().any(|(k, _)| *k == name) {
                    println!("note: known deviation {name} no longer differs");
                }
                println!(
                    "ok   {i:2} {name}: {} calls",
                    rn["calls"].as_array().map_or(0, Vec::len)
                );
            }
            Some(pn) if known.iter().any(|(k, _)| *k == name) => {
                let reason = known.iter().find(|(k, _)| *k == name).map_or("", |k| k.1);
                println!("KNOWN {i:2} {name}: {reason}");
                println!("  boto-rs: {rn}");
                println!("  boto3:   {pn}");
            }
            other => {
                failed += 1;
                println!("FAIL {i:2} {name}");
                println!("  boto-rs: {rn}");
                println!("  boto3:   {}", other.unwrap_or(Json::Null));
            }
        }
    }
    if py_steps.len() != rust.len() {
        failed += 1;
        println!(
            "FAIL step count: boto-rs {}, boto3 {}",
            rust.len(),
            py_steps.len()
        );
    }
    println!("resources-diff-{suite}: {passed} passed, {failed} failed");
    (passed, failed)
}

/// An action's or reference's result as compared (the twin of
/// `diff_common.out`): a resource as its repr, several as reprs, data
/// without `ResponseMetadata`.
pub fn out(o: boto_resources::ActionOutput) -> Json {
    use boto_resources::ActionOutput as O;
    match o {
        O::None => Json::Null,
        O::Resource(r) => repr(&r),
        O::Resources(v) => reprs(&v),
        O::Data(v) => data(&v),
    }
}

/// Data without `ResponseMetadata` at the top.
pub fn data(v: &boto::Value) -> Json {
    let mut j = v.to_json();
    if let Some(o) = j.as_object_mut() {
        o.remove("ResponseMetadata");
    }
    j
}

/// boto3's `repr` of one resource.
pub fn repr(r: &boto_resources::Resource) -> Json {
    Json::from(format!("{r:?}"))
}

/// The named attributes (loading the resource if needed), as `diff_common.attrs`.
pub async fn attrs(r: &boto_resources::Resource, names: &[&str]) -> Result<Json, boto::Error> {
    let mut v = Vec::with_capacity(names.len());
    for n in names {
        v.push(r.attr(n).await?.to_json());
    }
    Ok(Json::Array(v))
}

/// The reprs of a collection's items.
pub async fn coll(c: &boto_resources::Collection) -> Result<Json, boto::Error> {
    Ok(reprs(&c.to_vec().await?))
}

/// The single resource of an action's output, or an error saying so.
pub fn one(o: boto_resources::ActionOutput) -> Result<boto_resources::Resource, boto::Error> {
    o.into_resource()
        .ok_or_else(|| boto::Error::validation("expected a resource"))
}

/// The moto endpoint if the live diffs can run (BOTO_TEST_ENDPOINT and
/// BOTO_TEST_PYTHON set); otherwise prints why they are skipped.
pub fn live() -> Option<String> {
    match (super::endpoint(), std::env::var("BOTO_TEST_PYTHON")) {
        (Some(e), Ok(_)) => Some(e),
        _ => {
            println!(
                "skipped: BOTO_TEST_ENDPOINT and BOTO_TEST_PYTHON not set (scripts/test.sh sets them)"
            );
            None
        }
    }
}

/// A multi-threaded runtime for one scenario.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// A recording client of `service` on the moto endpoint, without retries
/// (as `diff_common.resource(.., max_attempts=1)`): moto answers the
/// operations it lacks with 500s, and retrying them only costs time.
pub fn recorder(service: &str, endpoint: &str) -> Arc<super::Recorder> {
    let options = boto::ClientOptions {
        max_attempts: Some(1),
        ..super::options(endpoint)
    };
    let client = super::session()
        .client_with(service, &options)
        .expect("client");
    super::Recorder::new(client)
}

/// `out(r.action(name, params))`.
pub async fn act(
    r: &boto_resources::Resource,
    name: &str,
    params: boto::Value,
) -> Result<Json, boto::Error> {
    Ok(out(r.action(name, params).await?))
}
