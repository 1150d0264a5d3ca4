//! botocore's protocol input (serialization) test suites, run the way
//! botocore's `tests/unit/test_protocols.py` runs them.
//!
//! Each case becomes a one-operation model (`metadata` + `shapes` + the case's
//! `given` operation); its `params` are converted with `boto_model::coerce`
//! and serialized; the request is compared with `serialized`:
//!
//! * `uri`: path plus encoded query string, compared as a string (botocore
//!   does the same: its query dict keeps insertion order);
//! * `method` when given; `host` (host prefix + `clientEndpoint` netloc) when given;
//! * `headers`: every listed header must match (case-insensitive names) with
//!   botocore's normalizations (query `charset=utf-8`, rest-xml Content-Type
//!   not compared, rest-json only `application/json` compared, list header
//!   `", "` → `","`); `forbidHeaders` must be absent. `requireHeaders` is not
//!   checked, as in botocore: those headers (Content-Length) are added by the
//!   HTTP layer, not the serializer;
//! * `body`: JSON-equal for json/rest-json, canonical-XML-equal for rest-xml,
//!   decoded-CBOR-equal for smithy-rpc-v2-cbor, byte-equal otherwise.
//!
//! Cases on botocore's ignore list are counted as ignored, never run.
//! Environment: `BOTO_PROTOCOL_INPUT_DIR`, `BOTO_PROTOCOL_LEGACY_INPUT_DIR`,
//! `BOTO_PROTOCOL_IGNORE_LIST` override the data paths;
//! `BOTO_PROTOCOL_CASE` runs only cases whose id or description contains it;
//! `BOTO_PROTOCOL_RUN_IGNORED=1` also runs ignored cases and reports how they
//! fare, without counting them.

use boto_model::{coerce, ServiceModel};
use boto_protocols::ser::{serialize_with, SerializeOptions};
use boto_protocols::Request;
use serde_json::{json, Value as Json};
use std::path::{Path, PathBuf};

mod cbor;
mod xml;
use cbor::cbor_equal;
use xml::xml_equal;

fn data_dir(var: &str, rel: &str) -> PathBuf {
    std::env::var_os(var).map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../.data/botocore-tests/unit/protocols")
            .join(rel)
    })
}

struct IgnoreList(Json);

impl IgnoreList {
    fn ignored(&self, protocol: &str, suite: &str, case: Option<&str>) -> bool {
        let hit = |section: &Json| {
            let list = |k: &str| {
                section
                    .get(k)
                    .and_then(Json::as_array)
                    .cloned()
                    .unwrap_or_default()
            };
            list("suites").iter().any(|s| s.as_str() == Some(suite))
                || case.is_some_and(|c| list("cases").iter().any(|s| s.as_str() == Some(c)))
        };
        hit(&self.0["general"]["input"]) || hit(&self.0["protocols"][protocol]["input"])
    }
}

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    ignored: usize,
    skipped: usize,
}

fn main() {
    let ignore_path = data_dir(
        "BOTO_PROTOCOL_IGNORE_LIST",
        "protocol-tests-ignore-list.json",
    );
    let ignore = match std::fs::read(&ignore_path) {
        Ok(b) => IgnoreList(serde_json::from_slice(&b).expect("ignore list is JSON")),
        Err(e) => {
            eprintln!(
                "cannot read {}: {e} (run the data fetch script first)",
                ignore_path.display()
            );
            std::process::exit(2);
        }
    };
    let filter = std::env::var("BOTO_PROTOCOL_CASE").ok();
    let mut total = Tally::default();
    for (label, dir) in [
        ("input", data_dir("BOTO_PROTOCOL_INPUT_DIR", "input")),
        (
            "legacy/input",
            data_dir("BOTO_PROTOCOL_LEGACY_INPUT_DIR", "legacy/input"),
        ),
    ] {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect(),
            Err(e) => {
                eprintln!("cannot read {}: {e}", dir.display());
                std::process::exit(2);
            }
        };
        files.sort();
        for file in files {
            let t = run_file(&file, label, &ignore, filter.as_deref());
            let name = file.file_name().unwrap_or_default().to_string_lossy();
            println!(
                "{label}/{name}: {} passed, {} failed, {} ignored",
                t.passed, t.failed, t.ignored
            );
            total.passed += t.passed;
            total.failed += t.failed;
            total.ignored += t.ignored;
            total.skipped += t.skipped;
        }
    }
    println!("ignored (botocore ignore list): {}", total.ignored);
    let skipped = if total.skipped > 0 {
        format!(", {} skipped", total.skipped)
    } else {
        String::new()
    };
    println!(
        "protocol-input: {} passed, {} failed{skipped}",
        total.passed, total.failed
    );
    if total.failed > 0 {
        std::process::exit(1);
    }
}

fn run_file(path: &Path, label: &str, ignore: &IgnoreList, filter: Option<&str>) -> Tally {
    let mut t = Tally::default();
    let protocol_key = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let suites: Json = match std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(j) => j,
        Err(e) => {
            println!("FAIL {}: cannot load: {e}", path.display());
            t.failed += 1;
            return t;
        }
    };
    for (si, suite) in suites.as_array().into_iter().flatten().enumerate() {
        let description = suite["description"].as_str().unwrap_or("");
        for (ci, case) in suite["cases"].as_array().into_iter().flatten().enumerate() {
            let id = case.get("id").and_then(Json::as_str);
            if let Some(f) = filter {
                if !(id.is_some_and(|i| i.contains(f)) || description.contains(f)) {
                    continue;
                }
            }
            if ignore.ignored(&protocol_key, description, id) {
                t.ignored += 1;
                if std::env::var_os("BOTO_PROTOCOL_RUN_IGNORED").is_some() {
                    let verdict = run_case(suite, case)
                        .map_or_else(|d| format!("fails\n{d}"), |()| "passes".into());
                    println!(
                        "ignored case {} ({description}) {verdict}",
                        id.unwrap_or("(no id)")
                    );
                }
                continue;
            }
            match run_case(suite, case) {
                Ok(()) => t.passed += 1,
                Err(diff) => {
                    t.failed += 1;
                    let file = path.file_name().unwrap_or_default().to_string_lossy();
                    println!(
                        "FAIL {label}/{file} [{si}:{ci}] {} — {description}\n{diff}\n",
                        id.unwrap_or("(no id)")
                    );
                }
            }
        }
    }
    t
}

fn run_case(suite: &Json, case: &Json) -> Result<(), String> {
    let given = &case["given"];
    let op_name = given
        .get("name")
        .and_then(Json::as_str)
        .unwrap_or("OperationName");
    let mut shapes = suite.get("shapes").cloned().unwrap_or(json!({}));
    // Legacy suites put `payload` on the operation's input reference, which
    // botocore merges into the input shape; boto-model keeps `payload` on
    // shapes only (real models always put it there), so move it there.
    if let (Some(payload), Some(name)) = (
        given["input"].get("payload"),
        given["input"]["shape"].as_str(),
    ) {
        if let Some(shape) = shapes.get_mut(name).and_then(Json::as_object_mut) {
            shape.insert("payload".into(), payload.clone());
        }
    }
    let doc = json!({
        "metadata": suite["metadata"],
        "shapes": shapes,
        "operations": {op_name: given},
    });
    let model =
        ServiceModel::from_json("protocol-test", &doc).map_err(|e| format!("  model: {e}"))?;
    let op = model
        .operation(op_name)
        .ok_or("  model: operation missing")?;
    let params = coerce::input_from_json(&model, op, case.get("params").unwrap_or(&Json::Null))
        .map_err(|e| format!("  params: {e}"))?;
    let req = serialize_with(&model, op, &params, &SerializeOptions::default())
        .map_err(|e| format!("  serialize: {e}"))?;
    let protocol = model.metadata.protocol.as_str();
    let want = &case["serialized"];
    let mut diffs = Vec::new();
    compare_body(protocol, &req, want, &mut diffs);
    compare_headers(&model, op, protocol, &req, want, &mut diffs);
    let uri = req.uri();
    let want_uri = want.get("uri").and_then(Json::as_str).unwrap_or("");
    if uri != want_uri {
        diffs.push(format!(
            "  uri:     expected {want_uri:?}\n           actual   {uri:?}"
        ));
    }
    if let Some(m) = want.get("method").and_then(Json::as_str) {
        if req.method != m {
            diffs.push(format!("  method:  expected {m}, actual {}", req.method));
        }
    }
    if let Some(host) = want.get("host").and_then(Json::as_str) {
        let endpoint = suite
            .get("clientEndpoint")
            .and_then(Json::as_str)
            .unwrap_or("https://example.com");
        let netloc = endpoint.split_once("://").map_or(endpoint, |(_, r)| r);
        let netloc = netloc.split('/').next().unwrap_or("");
        let actual = format!("{}{netloc}", req.host_prefix.as_deref().unwrap_or(""));
        if actual != host {
            diffs.push(format!("  host:    expected {host:?}, actual {actual:?}"));
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("\n"))
    }
}

fn compare_body(protocol: &str, req: &Request, want: &Json, diffs: &mut Vec<String>) {
    let actual = req.body.as_bytes();
    let show = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    if protocol == "smithy-rpc-v2-cbor" && !actual.is_empty() {
        use base64::Engine;
        let expected = want["body"].as_str().unwrap_or("");
        let expected = base64::engine::general_purpose::STANDARD
            .decode(expected)
            .unwrap_or_default();
        if let Err(e) = cbor_equal(actual, &expected) {
            diffs.push(format!(
                "  body (cbor): {e}\n    expected {expected:02x?}\n    actual   {actual:02x?}"
            ));
        }
        return;
    }
    let Some(expected) = want.get("body").and_then(Json::as_str) else {
        return;
    };
    let ok = match protocol {
        "json" | "rest-json" => match (
            serde_json::from_slice::<Json>(actual),
            serde_json::from_str::<Json>(expected),
        ) {
            (Ok(a), Ok(e)) => json_equal(&a, &e),
            _ if protocol == "json" => false,
            _ => actual == expected.as_bytes(),
        },
        "rest-xml" => match xml_equal(actual, expected.as_bytes()) {
            Some(eq) => eq,
            None => actual == expected.as_bytes(),
        },
        _ => actual == expected.as_bytes(),
    };
    if !ok {
        diffs.push(format!(
            "  body:    expected {expected:?}\n           actual   {:?}",
            show(actual)
        ));
    }
}

/// JSON equality with Python's numeric semantics (`1 == 1.0`).
fn json_equal(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b))
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn compare_headers(
    model: &ServiceModel,
    op: &boto_model::Operation,
    protocol: &str,
    req: &Request,
    want: &Json,
    diffs: &mut Vec<String>,
) {
    let mut expected: Vec<(String, String)> = want
        .get("headers")
        .and_then(Json::as_object)
        .map(|o| {
            o.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    let mut actual = req.headers.clone();
    // botocore's _clean_list_header_values: list headers join with "," not ", ".
    if let Some(input) = op
        .input
        .as_ref()
        .and_then(|r| model.shape(r.target).as_structure())
    {
        for m in &input.members {
            let target = model.shape(m.target);
            let boto_model::ShapeKind::List { member } = &target.kind else {
                continue;
            };
            if m.traits.location != Some(boto_model::Location::Header) {
                continue;
            }
            let Some(name) = model.location_name(m) else {
                continue;
            };
            for (k, v) in expected.iter_mut() {
                if k.eq_ignore_ascii_case(name) {
                    *v = v.replace(", ", ",");
                }
            }
            if matches!(
                model.shape(member.target).kind,
                boto_model::ShapeKind::Timestamp
            ) {
                for (k, v) in actual.iter_mut() {
                    if k.eq_ignore_ascii_case(name) {
                        *v = v.replace(", ", ",");
                    }
                }
            }
        }
    }
    match protocol {
        "query" | "ec2" => {
            let ct = expected
                .iter()
                .position(|(k, _)| k.eq_ignore_ascii_case("Content-Type"));
            match ct {
                Some(i) if !expected[i].1.contains("charset=utf-8") => {
                    expected[i].1.push_str("; charset=utf-8")
                }
                Some(_) => {}
                None => expected.push(("Content-Type".into(), "; charset=utf-8".into())),
            }
        }
        "rest-xml" => expected.retain(|(k, _)| !k.eq_ignore_ascii_case("Content-Type")),
        "rest-json" => expected
            .retain(|(k, v)| !k.eq_ignore_ascii_case("Content-Type") || v == "application/json"),
        _ => {}
    }
    let get = |name: &str| {
        actual
            .iter()
            .rev()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    for (k, v) in &expected {
        match get(k) {
            Some(a) if a == v => {}
            Some(a) => diffs.push(format!("  header {k}: expected {v:?}, actual {a:?}")),
            None => diffs.push(format!(
                "  header {k}: expected {v:?}, missing (have {:?})",
                actual
            )),
        }
    }
    for f in want
        .get("forbidHeaders")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(name) = f.as_str() {
            if let Some(a) = get(name) {
                diffs.push(format!("  header {name}: forbidden, but sent as {a:?}"));
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Semantic body comparison: a CBOR decoder and an XML canonicalizer, just
// enough for the suites (the crate itself only writes these formats).
