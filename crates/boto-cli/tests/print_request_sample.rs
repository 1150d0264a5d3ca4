//! `boto --print-request` against botocore over a random sample of operations
//! from every service.
//!
//! `print_request/main.rs` checks hand-written calls; this test covers breadth:
//! `print_request_sample/botocore_side.py` (run with the test venv's Python,
//! botocore 1.43.67 — the models' own version) picks `PER_SERVICE` operations
//! of every service with a fixed seed, generates valid parameters from the
//! input shape and captures botocore's first request for them (nothing is
//! sent). The same parameters go to `boto <service> <op> --cli-input-json
//! file://... --print-request` (a streaming blob as its file argument). The
//! requests are compared with `print_request/main.rs`'s rules (method, URL with
//! the query as a multiset, body decoded per content type by the same Python
//! code, headers except the SDK-specific ones), plus the SigV4 credential
//! scope (signing region and name) of the `Authorization` header.
//!
//! When both sides refuse the call (botocore raises before sending and boto
//! exits with an error: a missing bearer token, an endpoint rule error), the
//! case counts as agreeing. Cases whose differences are listed in [`KNOWN`]
//! (each with its reason) are reported as skipped and do not fail the test; any other
//! difference does. Prints `print-request-sample: N passed, M failed, K skipped` and the
//! equality rate per protocol.
//!
//! Environment: `BOTO_TEST_PYTHON` (the test venv, set by `scripts/test.sh`)
//! or `BOTO_TEST_BOTOCORE_PYTHON`; `BOTO_SAMPLE_SEED` (default
//! [`DEFAULT_SEED`]), `BOTO_SAMPLE_PER_SERVICE` (default 3),
//! `BOTO_SAMPLE_SERVICES` (comma-separated botocore service names, default
//! all), `BOTO_SAMPLE_REGION` (default us-east-1).

use base64::Engine;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const DEFAULT_SEED: &str = "boto-rs-1";

/// Headers whose values legitimately differ per SDK or per call (as in `print_request/main.rs`).
const IGNORED_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-date",
    "user-agent",
    "x-amz-user-agent",
    "amz-sdk-invocation-id",
    // botocore sends `Expect: 100-continue` with every S3 upload body, boto from 2 MiB.
    "expect",
    // retry mode: botocore's default is legacy (`attempt=1`), boto's standard.
    "amz-sdk-request",
];

/// Headers that depend on the exact body bytes, compared only when those are equal.
const BODY_BYTE_HEADERS: &[&str] = &["content-length", "x-amz-content-sha256"];

/// Known differences: (case name prefix — `service.`, `service.Operation` or
/// empty for every case —, a text every problem of the case contains, reason).
/// A case is known when each of its problems matches an entry.
const KNOWN: &[(&str, &str, &str)] = &[(
    "sso.Logout",
    "Unknown options: --cli-input-json",
    "`boto sso logout` is the CLI's own SSO command (as in aws-cli v2), not the API operation",
)];

fn python() -> Option<PathBuf> {
    std::env::var_os("BOTO_TEST_BOTOCORE_PYTHON")
        .or_else(|| std::env::var_os("BOTO_TEST_PYTHON"))
        .map(PathBuf::from)
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// Environment shared by both sides: fixed credentials and region, no config files.
fn clean_env(c: &mut Command, home: &Path, region: &str) {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("AWS_") || k.starts_with("BOTO_") && k != "BOTO_DATA_PATH" {
            c.env_remove(&k);
        }
    }
    c.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", region)
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("HOME", home);
}

/// `{"$b64": ..}` → the base64 text `--cli-input-json` takes for a blob.
fn to_cli(v: &Value) -> Value {
    match v {
        Value::Object(m) if m.len() == 1 && m.contains_key("$b64") => m["$b64"].clone(),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), to_cli(v))).collect()),
        Value::Array(a) => Value::Array(a.iter().map(to_cli).collect()),
        other => other.clone(),
    }
}

/// aws-cli's service command for a botocore service name.
fn cli_service(service: &str) -> &str {
    match service {
        "s3" => "s3api",
        "codedeploy" => "deploy",
        "config" => "configservice",
        other => other,
    }
}

/// One `boto` run's outcome: the printed request or an error text, and a
/// note when the positional `outfile` differed from aws-cli v1's rule.
struct BotoRun {
    result: Result<Value, String>,
    outfile_note: Option<String>,
}

/// Runs `boto ... --print-request` for one case. aws-cli v1 takes a
/// positional `outfile` when botocore's `has_streaming_output` (a blob
/// payload, streaming or not); when boto's CLI disagrees the run is repeated
/// the other way and the difference noted, so the request is still compared.
fn run_boto(case: &Value, dir: &Path, idx: usize, region: &str) -> BotoRun {
    let aws_cli_outfile = case["streaming_output"].as_bool() == Some(true);
    let first = run_boto_once(case, dir, idx, region, aws_cli_outfile);
    let retry = match &first {
        Err(e)
            if !aws_cli_outfile && e.contains("the following arguments are required: outfile") =>
        {
            Some("boto's CLI requires an outfile, aws-cli v1 has none")
        }
        Err(e) if aws_cli_outfile && e.contains("Unknown options:") && e.contains("outfile-") => {
            Some("aws-cli v1 takes an outfile (blob payload output), boto's CLI does not")
        }
        _ => None,
    };
    match retry {
        Some(note) => BotoRun {
            result: run_boto_once(case, dir, idx, region, !aws_cli_outfile),
            outfile_note: Some(note.to_string()),
        },
        None => BotoRun {
            result: first,
            outfile_note: None,
        },
    }
}

fn run_boto_once(
    case: &Value,
    dir: &Path,
    idx: usize,
    region: &str,
    outfile: bool,
) -> Result<Value, String> {
    let mut params = case["params"].clone();
    let mut c = Command::new(env!("CARGO_BIN_EXE_boto"));
    clean_env(&mut c, dir, region);
    c.arg(cli_service(case["service"].as_str().unwrap_or("")))
        .arg(case["cli_operation"].as_str().unwrap_or(""));
    if let (Some(member), Some(arg)) = (
        case["streaming_member"].as_str(),
        case["streaming_arg"].as_str(),
    ) {
        if let Some(b64) = params.get(member).and_then(|v| v["$b64"].as_str()) {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .map_err(|e| e.to_string())?;
            let path = dir.join(format!("body-{idx}"));
            std::fs::write(&path, bytes).map_err(|e| e.to_string())?;
            c.arg(format!("--{arg}")).arg(&path);
        }
        if let Some(m) = params.as_object_mut() {
            m.remove(member);
        }
    }
    let input = dir.join(format!("input-{idx}.json"));
    std::fs::write(&input, to_cli(&params).to_string()).map_err(|e| e.to_string())?;
    c.arg("--cli-input-json")
        .arg(format!("file://{}", input.display()));
    if outfile {
        c.arg(dir.join(format!("outfile-{idx}")));
    }
    c.arg("--print-request");
    let o = c.output().map_err(|e| format!("cannot run boto: {e}"))?;
    if !o.status.success() {
        let err = String::from_utf8_lossy(&o.stderr);
        return Err(format!(
            "boto exited with {:?}: {}",
            o.status.code(),
            err.trim()
        ));
    }
    serde_json::from_slice(&o.stdout).map_err(|e| {
        format!(
            "--print-request output is not one JSON object ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            if let Some(Ok(n)) = s.get(i + 1..i + 3).map(|h| u8::from_str_radix(h, 16)) {
                out.push(n);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `(scheme://authority/path, sorted decoded query pairs)`.
fn split_url(url: &str) -> (String, Vec<(String, String)>) {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    pairs.sort();
    (base.to_string(), pairs)
}

fn headers_of(v: &Value) -> BTreeMap<String, String> {
    v.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// The `Authorization` header's scheme and credential scope without the date
/// (`AWS4-HMAC-SHA256 us-east-1/sts`), or the header's first word.
fn auth_scope(h: &BTreeMap<String, String>) -> Option<String> {
    let a = h.get("authorization")?;
    let (scheme, rest) = a.split_once(' ').unwrap_or((a, ""));
    let scope = rest
        .split(", ")
        .find_map(|p| p.strip_prefix("Credential="))
        .map(|c| c.split('/').skip(2).take(2).collect::<Vec<_>>().join("/"));
    Some(match scope {
        Some(s) => format!("{scheme} {s}"),
        None => scheme.to_string(),
    })
}

/// SigV2 (SimpleDB) signs in the form body: its `Timestamp` is the clock of
/// the run and its `Signature` follows from it, as SigV4's `X-Amz-Date` and
/// `Authorization` headers do (ignored above); the two sides run seconds
/// apart. `print_request` checks SigV2 signatures with botocore's `SigV2Auth`.
fn without_sigv2_clock(decoded: &Value) -> Value {
    let mut v = decoded.clone();
    if v["kind"] == "form" {
        if let Some(pairs) = v["value"].as_array_mut() {
            if pairs
                .iter()
                .any(|p| p[0] == "SignatureVersion" && p[1] == "2")
            {
                for p in pairs.iter_mut() {
                    if p[0] == "Timestamp" || p[0] == "Signature" {
                        p[1] = json!("<clock>");
                    }
                }
            }
        }
    }
    v
}

fn compare(boto: &Value, botocore: &Value, boto_decoded: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if boto["method"] != botocore["method"] {
        problems.push(format!(
            "method: boto {} botocore {}",
            boto["method"], botocore["method"]
        ));
    }
    let (b_base, b_query) = split_url(boto["url"].as_str().unwrap_or(""));
    let (c_base, c_query) = split_url(botocore["url"].as_str().unwrap_or(""));
    if b_base != c_base {
        problems.push(format!("url: boto {b_base} botocore {c_base}"));
    }
    if b_query != c_query {
        problems.push(format!("query: boto {b_query:?} botocore {c_query:?}"));
    }
    let bytes_equal = boto["body_base64"].as_str().unwrap_or("")
        == botocore["body_base64"].as_str().unwrap_or("");
    if !bytes_equal
        && without_sigv2_clock(boto_decoded) != without_sigv2_clock(&botocore["decoded"])
    {
        problems.push(format!(
            "body: boto {boto_decoded} botocore {}",
            botocore["decoded"]
        ));
    }
    let bh = headers_of(&boto["headers"]);
    let ch = headers_of(&botocore["headers"]);
    if auth_scope(&bh) != auth_scope(&ch) {
        problems.push(format!(
            "auth: boto {:?} botocore {:?}",
            auth_scope(&bh),
            auth_scope(&ch)
        ));
    }
    let ignored =
        |k: &str| IGNORED_HEADERS.contains(&k) || (!bytes_equal && BODY_BYTE_HEADERS.contains(&k));
    for k in bh.keys().chain(ch.keys()).collect::<BTreeSet<_>>() {
        if ignored(k) {
            continue;
        }
        match (bh.get(k), ch.get(k)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => problems.push(format!("header {k}: boto {a:?} botocore {b:?}")),
        }
    }
    problems
}

fn known_reason(name: &str, problems: &[String]) -> Option<&'static str> {
    let mut reason = None;
    for p in problems {
        let (_, _, r) = KNOWN
            .iter()
            .find(|(prefix, text, _)| name.starts_with(prefix) && p.contains(text))?;
        reason.get_or_insert(*r);
    }
    reason
}

fn short(s: &str) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() > 300 {
        format!("{}...", s.chars().take(300).collect::<String>())
    } else {
        s
    }
}

#[test]
fn print_request_sample_matches_botocore() {
    let Some(python) = python() else {
        eprintln!(
            "skipping print-request-sample: BOTO_TEST_PYTHON (test venv with botocore) is not set"
        );
        return;
    };
    let seed = env_or("BOTO_SAMPLE_SEED", DEFAULT_SEED);
    let per_service = env_or("BOTO_SAMPLE_PER_SERVICE", "3");
    let services = env_or("BOTO_SAMPLE_SERVICES", "");
    let region = env_or("BOTO_SAMPLE_REGION", "us-east-1");
    let dir = std::env::temp_dir().join(format!("boto-pr-sample-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("print_request_sample")
        .join("botocore_side.py");

    let start = std::time::Instant::now();
    let mut py = Command::new(&python);
    clean_env(&mut py, &dir, &region);
    py.arg(&script).arg(&seed).arg(&per_service).arg(&region);
    py.args(services.split(',').filter(|s| !s.is_empty()));
    let mut child = py
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("run botocore's python");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());

    // botocore's side prints one case per line; boto runs on them as they come,
    // a few processes at a time.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8));
    let (tx, rx) = std::sync::mpsc::channel::<(usize, Value)>();
    let rx = std::sync::Mutex::new(rx);
    let done: std::sync::Mutex<Vec<(usize, Value, BotoRun)>> = std::sync::Mutex::new(Vec::new());
    let mut botocore_version = String::new();
    let mut botocore_time = std::time::Duration::ZERO;
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| loop {
                let next = rx.lock().unwrap().recv();
                let Ok((i, case)) = next else { break };
                let run = run_boto(&case, &dir, i, &region);
                done.lock().unwrap().push((i, case, run));
            });
        }
        let mut line = String::new();
        for i in 0.. {
            line.clear();
            if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            let v: Value = serde_json::from_str(&line).expect("the botocore side prints JSON");
            if v["done"] == json!(true) {
                botocore_version = v["botocore_version"].as_str().unwrap_or("?").to_string();
                break;
            }
            tx.send((i, v["case"].clone())).unwrap();
        }
        botocore_time = start.elapsed();
        drop(tx);
    });
    let mut runs = done.into_inner().unwrap();
    runs.sort_by_key(|(i, _, _)| *i);
    let (cases, boto): (Vec<Value>, Vec<BotoRun>) =
        runs.into_iter().map(|(_, c, r)| (c, r)).unzip();
    let total_time = start.elapsed();
    assert!(!cases.is_empty(), "the sample is empty");

    let mut to_decode = serde_json::Map::new();
    for (c, b) in cases.iter().zip(&boto) {
        if let Ok(b) = &b.result {
            to_decode.insert(
                c["name"].as_str().unwrap_or("").to_string(),
                json!({"headers": b["headers"], "body_base64": b["body_base64"]}),
            );
        }
    }
    stdin
        .write_all(format!("{}\n", Value::Object(to_decode)).as_bytes())
        .unwrap();
    drop(stdin);
    let mut line = String::new();
    stdout
        .read_line(&mut line)
        .expect("read the decoded bodies");
    let decoded: Value = serde_json::from_str(&line).expect("decoded bodies are JSON");
    let status = child.wait().unwrap();
    assert!(status.success(), "the botocore side failed");
    let _ = std::fs::remove_dir_all(&dir);

    println!(
        "print-request-sample: seed {seed:?}, {per_service} per service, region {region}, botocore {botocore_version}, \
         {} cases ({:.1}s; botocore's side done after {:.1}s; {workers} boto processes at a time)",
        cases.len(),
        total_time.as_secs_f64(),
        botocore_time.as_secs_f64(),
    );
    // protocol → (equal, compared, both refused)
    let mut per_protocol: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    let mut known_failures = String::new();
    let mut regressions = String::new();
    let mut notes = String::new();
    let mut reasons = BTreeSet::new();
    for (c, run) in cases.iter().zip(&boto) {
        let b = &run.result;
        let name = c["name"].as_str().unwrap_or("");
        let protocol = c["protocol"].as_str().unwrap_or("?").to_string();
        let entry = per_protocol.entry(protocol.clone()).or_default();
        let botocore = &c["botocore"];
        if let Some(n) = &run.outfile_note {
            notes.push_str(&format!("note {name}: {n}\n"));
        }
        let problems = match (b, botocore.get("error")) {
            (Err(e), Some(ce)) => {
                notes.push_str(&format!(
                    "both refuse {name}: botocore {} | boto {}\n",
                    short(ce.as_str().unwrap_or("")),
                    short(e)
                ));
                entry.2 += 1;
                passed += 1;
                continue;
            }
            (Ok(_), Some(e)) => vec![format!("botocore refused, boto did not: {e}")],
            (Err(e), None) => vec![e.clone()],
            (Ok(b), None) => {
                entry.1 += 1;
                let p = compare(b, botocore, &decoded[name]);
                if p.is_empty() {
                    entry.0 += 1;
                }
                p
            }
        };
        if problems.is_empty() {
            passed += 1;
            continue;
        }
        let text: Vec<String> = problems.iter().map(|p| short(p)).collect();
        match known_reason(name, &problems) {
            // Not comparable, for the written reason in KNOWN: a skip.
            Some(reason) => {
                skipped += 1;
                known_failures.push_str(&format!(
                    "known {name} ({protocol}): {}\n",
                    short(&text.join("; "))
                ));
                reasons.insert(reason);
            }
            None => {
                failed += 1;
                regressions.push_str(&format!(
                    "FAIL {name} ({protocol}): params {}\n  {}\n",
                    short(&c["params"].to_string()),
                    text.join("\n  ")
                ))
            }
        }
    }
    print!("{notes}{known_failures}");
    for r in &reasons {
        println!("known difference: {r}");
    }
    print!("{regressions}");
    let (mut eq, mut cmp, mut refused) = (0, 0, 0);
    for (p, (e, c, r)) in &per_protocol {
        println!(
            "  {p:<20} {e:>4}/{c:<4} equal ({:.1}%), {r} refused by both",
            100.0 * *e as f64 / (*c).max(1) as f64
        );
        eq += e;
        cmp += c;
        refused += r;
    }
    println!(
        "  {:<20} {eq:>4}/{cmp:<4} equal ({:.1}%), {refused} refused by both",
        "all",
        100.0 * eq as f64 / cmp.max(1) as f64
    );
    let summary = format!(
        "\nprint-request-sample: {passed} passed, {failed} failed, {skipped} skipped (known differences above, each with its reason)\n"
    );
    let _ = std::io::stdout().write_all(summary.as_bytes());
    assert!(
        regressions.is_empty(),
        "--print-request differs from botocore outside the known differences:\n{regressions}"
    );
}
