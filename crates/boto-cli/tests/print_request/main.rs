//! `boto ... --print-request` against botocore's request for the same call.
//!
//! `--print-request` prints the signed request `boto` would send (one JSON
//! object: `method`, `url`, `headers`, `body_base64`). This test checks that
//! request is the one botocore builds for the same call, across every
//! protocol: query (STS, IAM), ec2, json 1.0/1.1 (DynamoDB, SQS, Kinesis,
//! CloudWatch), rest-xml (S3), rest-json (Lambda) and smithy-rpc-v2-cbor.
//! That covers the CLI's argument parsing (shorthand, JSON, blobs,
//! timestamps, files) together with the runtime's serializers, endpoint
//! resolution and service customizations; SimpleDB's SigV2 form signature
//! (checked with botocore's `SigV2Auth`), DynamoDB's account endpoint
//! (the credentials' account id) and Timestream's endpoint discovery (the
//! first request is `DescribeEndpoints`) too, and the URLs presigned for the
//! source region that EC2 `CopySnapshot` and RDS `CopyDBSnapshot` carry in
//! their bodies: botocore's clock is pinned to the `X-Amz-Date` of boto's URL,
//! so those URLs (query order, region, signature) must be equal byte for byte.
//!
//! botocore's side comes from [`BOTOCORE_SIDE`], run with the Python of the
//! aws-cli v1 venv that `scripts/test.sh` installs (`BOTO_TEST_AWSCLI`;
//! botocore 1.43.64 there, three patch releases behind the pinned models —
//! none of these operations changed in between). It creates a client with the
//! same region, credentials and endpoint, captures the `AWSPreparedRequest` in
//! a `before-send` handler and stops the call there by raising, so nothing is
//! sent; `boto --print-request` does not send either. Set
//! `BOTO_TEST_BOTOCORE_PYTHON` to use another Python with botocore.
//!
//! Compared: method; URL (scheme, host and path exactly, the query as a
//! multiset of percent-decoded pairs); body semantically (JSON equal, form
//! pairs equal, XML trees equal, CBOR decoded equal — decoded for both sides
//! by the same Python code); headers by name and value except those listed in
//! [`IGNORED_HEADERS`], with `Content-Length` and `X-Amz-Content-SHA256`
//! compared only when the body bytes are equal (JSON whitespace differs).
//! Prints `print-request: N passed, M failed`.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};

mod cases;
use cases::cases;

/// Headers whose values legitimately differ per SDK or per call.
const IGNORED_HEADERS: &[(&str, &str)] = &[
    ("authorization", "signature over the date and SDK-specific headers"),
    ("x-amz-date", "signing time"),
    ("user-agent", "names the SDK"),
    ("x-amz-user-agent", "names the SDK"),
    ("amz-sdk-invocation-id", "random per call"),
    (
        "expect",
        "botocore sends `Expect: 100-continue` with every S3 upload body; boto only from 2 MiB \
         (`expect_continue_threshold`, boto-runtime customizations/s3 `ExpectContinue`)",
    ),
    (
        "amz-sdk-request",
        "retry mode: botocore's default is legacy (`attempt=1`), boto's standard (`attempt=1; max=5`)",
    ),
];

/// Headers that depend on the exact body bytes, compared only when those are equal.
const BODY_BYTE_HEADERS: &[&str] = &["content-length", "x-amz-content-sha256"];

/// Request parameters holding idempotency tokens (random UUIDs when not given).
const IDEMPOTENCY_TOKENS: &[&str] = &["ClientToken"];

/// An endpoint that is never contacted (neither side sends the request).
const LOCAL_ENDPOINT: &str = "http://127.0.0.1:9";

struct Case {
    name: &'static str,
    /// `boto` arguments (without `--print-request`).
    cli: Vec<String>,
    /// botocore service name and client method.
    service: &'static str,
    method: &'static str,
    /// botocore parameters; `{"$b64": ...}` is a bytes value.
    params: Value,
    endpoint_url: Option<&'static str>,
    /// The credentials' account id (`AWS_ACCOUNT_ID` for boto, `aws_account_id` for botocore).
    account_id: Option<&'static str>,
}

fn case(
    name: &'static str,
    cli: &[&str],
    service: &'static str,
    method: &'static str,
    params: Value,
) -> Case {
    Case {
        name,
        cli: cli.iter().map(|s| s.to_string()).collect(),
        service,
        method,
        params,
        endpoint_url: None,
        account_id: None,
    }
}

/// botocore's side: reads `{"region", "cases": [...]}` on stdin and prints,
/// per case, the captured request and both bodies decoded by content type.
const BOTOCORE_SIDE: &str = include_str!("botocore_side.py");

/// The Python with botocore: `BOTO_TEST_BOTOCORE_PYTHON`, else the aws-cli venv's.
fn botocore_python() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BOTO_TEST_BOTOCORE_PYTHON") {
        return Some(PathBuf::from(p));
    }
    let aws = PathBuf::from(std::env::var_os("BOTO_TEST_AWSCLI")?);
    let py = aws.parent()?.join("python");
    py.exists().then_some(py)
}

/// Environment shared by both sides: fixed credentials and region, no config files.
fn clean_env(c: &mut Command, home: &std::path::Path) {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy().into_owned();
        if k.starts_with("AWS_") {
            c.env_remove(&k);
        }
    }
    c.env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("HOME", home);
}

fn run_boto(case: &Case, home: &std::path::Path) -> Result<Value, String> {
    let mut c = Command::new(env!("CARGO_BIN_EXE_boto"));
    clean_env(&mut c, home);
    if let Some(ep) = case.endpoint_url {
        c.args(["--endpoint-url", ep]);
    }
    if let Some(account) = case.account_id {
        c.env("AWS_ACCOUNT_ID", account);
    }
    c.args(&case.cli).arg("--print-request");
    let o = c.output().map_err(|e| format!("cannot run boto: {e}"))?;
    if !o.status.success() {
        return Err(format!(
            "boto exited with {:?}: {}",
            o.status.code(),
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    serde_json::from_slice(&o.stdout).map_err(|e| {
        format!(
            "--print-request output is not one JSON object ({e}): {}",
            String::from_utf8_lossy(&o.stdout)
        )
    })
}

fn run_botocore(python: &PathBuf, input: &Value, home: &std::path::Path) -> Value {
    use std::io::Write;
    let script = home.join("botocore_side.py");
    std::fs::write(&script, BOTOCORE_SIDE).expect("write the botocore script");
    let mut c = Command::new(python);
    clean_env(&mut c, home);
    let mut child = c
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run botocore's python");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "botocore script failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("botocore script prints JSON")
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

/// Replaces idempotency-token values in a decoded body (any protocol).
fn drop_tokens(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for t in IDEMPOTENCY_TOKENS {
                if let Some(slot) = m.get_mut(*t) {
                    *slot = json!("<token>");
                }
            }
            m.values_mut().for_each(drop_tokens);
        }
        Value::Array(a) => {
            // form pairs: ["ClientToken", "..."]
            if a.len() == 2
                && a[0]
                    .as_str()
                    .is_some_and(|k| IDEMPOTENCY_TOKENS.contains(&k))
            {
                a[1] = json!("<token>");
            } else {
                a.iter_mut().for_each(drop_tokens);
            }
        }
        _ => {}
    }
}

/// Masks SigV2's per-request `Timestamp` and `Signature` form pairs.
fn drop_sigv2_time(v: &mut Value) {
    if let Some(pairs) = v.get_mut("value").and_then(Value::as_array_mut) {
        for p in pairs {
            if matches!(p[0].as_str(), Some("Timestamp" | "Signature")) {
                p[1] = json!("<per request>");
            }
        }
    }
}

fn compare(boto: &Value, botocore: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(e) = botocore.get("error") {
        return vec![format!("botocore failed: {e}")];
    }
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
    let mut b_body = botocore["boto_decoded"].clone();
    let mut c_body = botocore["decoded"].clone();
    drop_tokens(&mut b_body);
    drop_tokens(&mut c_body);
    if let Some(valid) = botocore["sigv2_signature_valid"].as_bool() {
        // SigV2: the timestamp (and so the signature) differ per second;
        // boto's signature was checked by botocore's SigV2Auth instead.
        if !valid {
            problems.push("SigV2 Signature is not what botocore's SigV2Auth computes".into());
        }
        drop_sigv2_time(&mut b_body);
        drop_sigv2_time(&mut c_body);
    }
    if b_body != c_body {
        problems.push(format!("body: boto {b_body} botocore {c_body}"));
    }
    let ignored = |k: &str| {
        IGNORED_HEADERS.iter().any(|(h, _)| *h == k)
            || (!bytes_equal && BODY_BYTE_HEADERS.contains(&k))
    };
    let bh = headers_of(&boto["headers"]);
    let ch = headers_of(&botocore["headers"]);
    for k in bh
        .keys()
        .chain(ch.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
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

#[test]
fn print_request_matches_botocore() {
    let Some(python) = botocore_python() else {
        eprintln!("skipping print-request comparison: BOTO_TEST_AWSCLI (aws-cli v1 venv with botocore) is not set");
        return;
    };
    let home = std::env::temp_dir().join(format!("boto-print-request-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let body_file = home.join("body.txt");
    std::fs::write(&body_file, "hello boto\n").unwrap();
    let cases = cases(body_file.to_str().unwrap());
    assert!(cases.len() >= 10);

    let mut boto_side = Vec::new();
    let mut input = Vec::new();
    for c in &cases {
        let b = run_boto(c, &home);
        let (headers, body) = match &b {
            Ok(v) => (v["headers"].clone(), v["body_base64"].clone()),
            Err(_) => (Value::Null, Value::Null),
        };
        let url = b.as_ref().map(|v| v["url"].clone()).unwrap_or(Value::Null);
        input.push(
            json!({"name": c.name, "service": c.service, "method": c.method,
                          "params": c.params, "endpoint_url": c.endpoint_url,
                          "account_id": c.account_id, "boto_url": url,
                          "boto_headers": headers, "boto_body_base64": body}),
        );
        boto_side.push(b);
    }
    let out = run_botocore(
        &python,
        &json!({"region": "us-east-1", "cases": input}),
        &home,
    );
    let _ = std::fs::remove_dir_all(&home);
    println!(
        "comparing against botocore {}",
        out["botocore_version"].as_str().unwrap_or("?")
    );

    let (mut passed, mut failed) = (0, 0);
    let mut report = String::new();
    for (c, b) in cases.iter().zip(&boto_side) {
        let problems = match b {
            Err(e) => vec![e.clone()],
            Ok(b) => compare(b, &out["cases"][c.name]),
        };
        if problems.is_empty() {
            passed += 1;
            println!("ok   {}", c.name);
        } else {
            failed += 1;
            report.push_str(&format!("FAIL {}\n  {}\n", c.name, problems.join("\n  ")));
        }
    }
    print!("{report}");
    // Written to the stdout handle, not `println!`, so the summary shows in
    // `cargo test` output (and scripts/test.sh's summary) without --nocapture.
    let summary = format!("\nprint-request: {passed} passed, {failed} failed\n");
    let _ = std::io::Write::write_all(&mut std::io::stdout(), summary.as_bytes());
    assert_eq!(
        failed, 0,
        "--print-request differs from botocore:\n{report}"
    );
}
