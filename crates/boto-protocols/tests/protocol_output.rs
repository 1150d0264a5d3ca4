//! botocore's output protocol tests (`tests/unit/protocols/output` and
//! `legacy/output`), run the way botocore's `test_output_compliance` runs them.
//!
//! Each case builds a one-operation model from the suite's metadata and
//! shapes, parses the response (or the error) and compares with `result`
//! (or `{"Error": {"Code", "Message"}} + error`) after the same fix-ups as
//! botocore: `ResponseMetadata` dropped, blobs as UTF-8 text, timestamps as
//! epoch seconds, special floats as strings, `Error` reduced to Code/Message,
//! numbers compared by value. Cases in botocore's ignore list are counted as
//! ignored (`BOTO_PROTOCOL_RUN_IGNORED=1` runs them anyway and reports which
//! pass). Set `BOTO_PROTOCOL_FILTER` to a substring of a case id or suite
//! description to run only matching cases.

use base64::Engine;
use boto_model::{ServiceModel, Value};
use boto_protocols::{parse_error, parse_response, Response};
use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// XML outputs (query, ec2, rest-xml) read by the streaming reader and
/// checked against the node tree (`protocol-output-stream`), and those it
/// left to the tree.
static STREAM_AGREED: AtomicUsize = AtomicUsize::new(0);
static STREAM_DIFFERED: AtomicUsize = AtomicUsize::new(0);
static STREAM_LEFT: AtomicUsize = AtomicUsize::new(0);

fn data_dir(var: &str, rel: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../.data/botocore-tests/unit/protocols")
            .join(rel)
    })
}

struct IgnoreList(Json);

impl IgnoreList {
    fn load(path: &Path) -> IgnoreList {
        IgnoreList(
            std::fs::read(path)
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or(Json::Null),
        )
    }
    fn ignored(&self, protocol: &str, suite: &str, case: Option<&str>) -> bool {
        let hit = |section: &Json| {
            let has = |key: &str, v: Option<&str>| {
                v.is_some_and(|v| {
                    section[key]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(v)))
                })
            };
            has("suites", Some(suite)) || has("cases", case)
        };
        hit(&self.0["general"]["output"]) || hit(&self.0["protocols"][protocol]["output"])
    }
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    ignored: usize,
    ignored_passing: usize,
}

fn main() {
    let out_dir = data_dir("BOTO_PROTOCOL_OUTPUT_DIR", "output");
    let legacy_dir = data_dir("BOTO_PROTOCOL_LEGACY_OUTPUT_DIR", "legacy/output");
    let ignore_path = out_dir
        .parent()
        .map(|p| p.join("protocol-tests-ignore-list.json"))
        .unwrap_or_default();
    let ignore = IgnoreList::load(&ignore_path);
    let filter = std::env::var("BOTO_PROTOCOL_FILTER").ok();
    let run_ignored = std::env::var_os("BOTO_PROTOCOL_RUN_IGNORED").is_some();
    let mut total = Tally::default();
    for (label, dir) in [("output", &out_dir), ("legacy/output", &legacy_dir)] {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect(),
            Err(e) => {
                eprintln!("protocol-output: cannot read {}: {e}", dir.display());
                total.failed += 1;
                continue;
            }
        };
        files.sort();
        for path in files {
            let name = path
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            let protocol = name.trim_end_matches(".json");
            let suites: Json = match std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
            {
                Ok(j) => j,
                Err(e) => {
                    println!("{label}/{name}: cannot load: {e}");
                    total.failed += 1;
                    continue;
                }
            };
            let mut t = Tally::default();
            let mut failures = Vec::new();
            for (si, suite) in suites.as_array().into_iter().flatten().enumerate() {
                let desc = suite["description"].as_str().unwrap_or("");
                for (ci, case) in suite["cases"].as_array().into_iter().flatten().enumerate() {
                    let id = case["id"].as_str();
                    if let Some(f) = &filter {
                        if !desc.contains(f.as_str()) && !id.is_some_and(|i| i.contains(f.as_str()))
                        {
                            continue;
                        }
                    }
                    if ignore.ignored(protocol, desc, id) {
                        t.ignored += 1;
                        if run_ignored {
                            let ok = std::panic::catch_unwind(|| run_case(suite, case))
                                .is_ok_and(|r| r.is_ok());
                            total.ignored_passing += usize::from(ok);
                            println!(
                                "  ignored {} ({si}:{ci}): {}",
                                id.unwrap_or(desc),
                                if ok { "passes" } else { "fails" }
                            );
                        }
                        continue;
                    }
                    let outcome = std::panic::catch_unwind(|| run_case(suite, case))
                        .unwrap_or_else(|_| Err("parser panicked".to_string()));
                    match outcome {
                        Ok(()) => t.passed += 1,
                        Err(diff) => {
                            t.failed += 1;
                            failures.push(format!(
                                "  FAIL {desc} ({si}:{ci}) {}\n{diff}",
                                id.unwrap_or("")
                            ));
                        }
                    }
                }
            }
            println!(
                "{label}/{name}: {} passed, {} failed, {} ignored",
                t.passed, t.failed, t.ignored
            );
            for f in &failures {
                println!("{f}");
            }
            total.passed += t.passed;
            total.failed += t.failed;
            total.ignored += t.ignored;
        }
    }
    println!("({} ignored per botocore's ignore list)", total.ignored);
    if run_ignored {
        println!(
            "(of the ignored cases, {} pass anyway)",
            total.ignored_passing
        );
    }
    println!(
        "protocol-output: {} passed, {} failed",
        total.passed, total.failed
    );
    let (agreed, differed) = (STREAM_AGREED.load(Relaxed), STREAM_DIFFERED.load(Relaxed));
    println!(
        "protocol-output-stream: {agreed} passed, {differed} failed ({} XML bodies left to the tree)",
        STREAM_LEFT.load(Relaxed)
    );
    if total.failed > 0 || differed > 0 {
        std::process::exit(1);
    }
}

fn run_case(suite: &Json, case: &Json) -> Result<(), String> {
    let given = &case["given"];
    let op_name = given["name"]
        .as_str()
        .unwrap_or("OperationName")
        .to_string();
    let protocol = suite["metadata"]["protocol"].as_str().unwrap_or("");
    let is_error = case.get("error").is_some();
    let mut given = given.clone();
    // botocore's runner gives query outputs with members a `<Op>Result` wrapper.
    if protocol == "query" && !is_error {
        if let Some(shape) = given["output"]["shape"].as_str() {
            let has_members = suite["shapes"][shape]["members"]
                .as_object()
                .is_some_and(|m| !m.is_empty());
            if has_members {
                given["output"]["resultWrapper"] = json!(format!("{op_name}Result"));
            }
        }
    }
    let shapes = &suite["shapes"];
    let doc = json!({"metadata": suite["metadata"], "shapes": shapes, "operations": {op_name.clone(): given}});
    let model = ServiceModel::from_json("test", &doc).map_err(|e| format!("    model: {e}"))?;
    let op = model
        .operation(&op_name)
        .ok_or("    operation missing from model")?;
    let response = &case["response"];
    let status = response["status_code"].as_u64().unwrap_or(200) as u16;
    let headers: Vec<(String, String)> = response["headers"]
        .as_object()
        .map(|h| {
            h.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let event_stream = op.output.as_ref().is_some_and(|o| {
        model.shape(o.target).as_structure().is_some_and(|s| {
            s.members.iter().any(|m| {
                model
                    .shape(m.target)
                    .as_structure()
                    .is_some_and(|t| t.eventstream)
            })
        })
    });
    let body: Vec<u8> = match response["body"].as_str() {
        Some(b) if protocol == "smithy-rpc-v2-cbor" || event_stream => {
            base64::engine::general_purpose::STANDARD
                .decode(b)
                .map_err(|e| format!("    bad base64 body in case: {e}"))?
        }
        Some(b) => b.as_bytes().to_vec(),
        None if protocol == "query" => b"<xml/>".to_vec(),
        None => Vec::new(),
    };
    let resp = Response {
        status,
        headers: &headers,
        body: &body,
    };
    let (parsed, expected) = if is_error {
        let err = parse_error(&model, op, &resp);
        let mut expected = json!({"Error": {
            "Code": case.get("errorCode").cloned().unwrap_or(json!("")),
            "Message": case.get("errorMessage").cloned().unwrap_or(json!("")),
        }});
        if let (Some(e), Some(extra)) = (expected.as_object_mut(), case["error"].as_object()) {
            for (k, v) in extra {
                e.insert(k.clone(), v.clone());
            }
        }
        (err.fields, expected)
    } else {
        if matches!(protocol, "rest-xml" | "query" | "ec2") && !resp.body.trim_ascii().is_empty() {
            match boto_protocols::de::xml_stream_agrees(&model, op, &resp) {
                Some(true) => STREAM_AGREED.fetch_add(1, Relaxed),
                Some(false) => STREAM_DIFFERED.fetch_add(1, Relaxed),
                None => STREAM_LEFT.fetch_add(1, Relaxed),
            };
        }
        let parsed = parse_response(&model, op, &resp).map_err(|e| format!("    {e}"))?;
        // The runtime's entry point, which moves the headers: the same value
        // (compared as `Debug` text, which shows order and reads NaN as NaN).
        let owned =
            boto_protocols::parse_response_owned(&model, op, status, headers.clone(), &body)
                .map_err(|e| format!("    parse_response_owned: {e}"))?;
        if format!("{owned:?}") != format!("{parsed:?}") {
            return Err(format!(
                "    parse_response_owned differs:\n    {parsed:?}\n    {owned:?}"
            ));
        }
        (parsed, case["result"].clone())
    };
    let actual = fixup(parsed);
    match first_diff("", &actual, &expected) {
        None => Ok(()),
        Some(at) => Err(format!(
            "    at {at}\n    expected: {}\n    actual:   {}",
            short(&expected.to_string()),
            short(&actual.to_string())
        )),
    }
}

fn short(s: &str) -> String {
    if s.len() > 700 {
        let mut end = 700;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &s[..end])
    } else {
        s.to_string()
    }
}

/// botocore's `_fixup_parsed_result`, plus the timestamp parser of its runner
/// (epoch seconds).
fn fixup(parsed: Value) -> Json {
    let mut j = to_test_json(&parsed);
    if let Some(o) = j.as_object_mut() {
        o.remove("ResponseMetadata");
        if let Some(Json::Object(e)) = o.get_mut("Error") {
            e.retain(|k, _| k == "Code" || k == "Message");
        }
    }
    j
}

fn to_test_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Integer(i) => json!(i),
        Value::Float(f) if f.is_finite() => json!(f),
        Value::Float(f) => json!(boto_model::format_special_float(*f)),
        Value::String(s) => json!(s),
        Value::Blob(b) => json!(String::from_utf8_lossy(b)),
        Value::Timestamp(t) => json!(t.epoch_f64()),
        Value::List(l) => Json::Array(l.iter().map(to_test_json).collect()),
        Value::Map(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.to_string(), to_test_json(v)))
                .collect(),
        ),
    }
}

/// Python `==` over the parsed dict: numbers by value (ints equal floats),
/// dicts regardless of order. Returns the path of the first difference.
fn first_diff(path: &str, a: &Json, b: &Json) -> Option<String> {
    let here = || {
        Some(if path.is_empty() {
            "<root>".to_string()
        } else {
            path.to_string()
        })
    };
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            if x == y || (x - y).abs() <= 1e-6 * x.abs().max(1.0) {
                None
            } else {
                here()
            }
        }
        (Json::Array(x), Json::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{path} (length {} vs {})", x.len(), y.len()));
            }
            x.iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| first_diff(&format!("{path}[{i}]"), p, q))
        }
        (Json::Object(x), Json::Object(y)) => {
            if let Some(k) = x.keys().find(|k| !y.contains_key(*k)) {
                return Some(format!("{path}.{k} (unexpected)"));
            }
            if let Some(k) = y.keys().find(|k| !x.contains_key(*k)) {
                return Some(format!("{path}.{k} (missing)"));
            }
            x.iter()
                .find_map(|(k, v)| first_diff(&format!("{path}.{k}"), v, &y[k]))
        }
        _ if a == b => None,
        _ => here(),
    }
}
