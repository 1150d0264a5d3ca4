//! Request compression (`requestcompression`, botocore `compress.py`) against
//! botocore: CloudWatch `PutMetricData` through `boto --print-request` and
//! through botocore's client (test venv, botocore 1.43.67, the request
//! captured in `before-send`), with the settings from the environment and
//! the config file.
//!
//! Compared per scenario: whether the body is gzipped, `Content-Encoding`,
//! `Content-Type`; for a gzip member the 10-byte header except MTIME (which is
//! the clock, as in botocore: within a few seconds), the 8-byte trailer
//! (CRC-32 and length of the uncompressed body) byte for byte, the
//! decompressed body (JSON-equal), and the deflate stream byte for byte (both
//! sides use zlib at level 9, see `boto_runtime::compression`): so the whole
//! gzip member is botocore's but for MTIME. Invalid settings must be refused
//! by both, with botocore's message.
//!
//! Prints `request-compression: N passed, M failed`. Needs `BOTO_TEST_PYTHON`
//! (or `BOTO_TEST_BOTOCORE_PYTHON`); skipped without it.

use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Scenario {
    name: &'static str,
    env: Vec<(&'static str, String)>,
    params: Value,
    /// `Some(message)`: both sides must refuse with botocore's message.
    refused: Option<&'static str>,
    /// Whether the body must be gzipped.
    gzipped: bool,
}

fn metric_data(n: usize) -> Value {
    let data: Vec<Value> = (0..n)
        .map(|i| {
            json!({"MetricName": format!("latency-{i}"),
                   "Dimensions": [{"Name": "host", "Value": format!("h{}", i % 7)},
                                  {"Name": "az", "Value": "us-east-1a"}],
                   "Timestamp": "2024-01-02T03:04:05Z",
                   "Value": (i as f64) * 1.5, "Unit": "Milliseconds"})
        })
        .collect();
    json!({"Namespace": "Compat/Compression", "MetricData": data})
}

fn python() -> Option<PathBuf> {
    std::env::var_os("BOTO_TEST_BOTOCORE_PYTHON")
        .or_else(|| std::env::var_os("BOTO_TEST_PYTHON"))
        .map(PathBuf::from)
}

fn clean_env(c: &mut Command, home: &Path) {
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

fn run_boto(s: &Scenario, home: &Path, idx: usize) -> Result<Value, String> {
    let input = home.join(format!("input-{idx}.json"));
    std::fs::write(&input, s.params.to_string()).unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_boto"));
    clean_env(&mut c, home);
    c.envs(s.env.iter().map(|(k, v)| (k, v)));
    c.args(["cloudwatch", "put-metric-data", "--cli-input-json"])
        .arg(format!("file://{}", input.display()))
        .arg("--print-request");
    let o = c.output().map_err(|e| e.to_string())?;
    if !o.status.success() {
        return Err(String::from_utf8_lossy(&o.stderr).trim().to_string());
    }
    serde_json::from_slice(&o.stdout).map_err(|e| e.to_string())
}

fn header(h: &Value, name: &str) -> Option<String> {
    h.as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str().map(str::to_string))
}

fn compare(s: &Scenario, boto: &Result<Value, String>, c: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(msg) = s.refused {
        match (boto, c.get("error")) {
            (Err(e), Some(ce)) => {
                if !ce.as_str().unwrap_or("").contains(msg) {
                    problems.push(format!("botocore's error: {ce}"));
                }
                if !e.contains(msg) {
                    problems.push(format!("boto's error {e:?} lacks {msg:?}"));
                }
            }
            (b, ce) => problems.push(format!(
                "expected both to refuse: boto {b:?} botocore {ce:?}"
            )),
        }
        return problems;
    }
    let b = match (boto, c.get("error")) {
        (Ok(b), None) => b,
        (b, e) => return vec![format!("boto {b:?} botocore error {e:?}")],
    };
    for h in ["content-encoding", "content-type"] {
        let (x, y) = (header(&b["headers"], h), header(&c["headers"], h));
        if x != y {
            problems.push(format!("header {h}: boto {x:?} botocore {y:?}"));
        }
    }
    let (bb, cb) = (&c["boto_body"], &c["body"]);
    if bb["gzip"] != cb["gzip"] || bb["gzip"] != json!(s.gzipped) {
        problems.push(format!(
            "gzipped: boto {} botocore {} expected {}",
            bb["gzip"], cb["gzip"], s.gzipped
        ));
        return problems;
    }
    let text = |v: &Value| serde_json::from_str::<Value>(v["text"].as_str().unwrap_or(""));
    match (text(bb), text(cb)) {
        (Ok(x), Ok(y)) if x == y => {}
        (x, y) => problems.push(format!("decompressed body: boto {x:?} botocore {y:?}")),
    }
    if s.gzipped {
        let (hb, hc) = (
            bb["header"].as_str().unwrap_or(""),
            cb["header"].as_str().unwrap_or(""),
        );
        // Bytes 0-3 (magic, method, flags) and 8-9 (XFL, OS); 4-7 are MTIME.
        if hb.get(..8) != hc.get(..8) || hb.get(16..) != hc.get(16..) {
            problems.push(format!("gzip header: boto {hb} botocore {hc}"));
        }
        let skew = bb["mtime"].as_i64().unwrap_or(0) - cb["mtime"].as_i64().unwrap_or(0);
        if skew.abs() > 60 {
            problems.push(format!("gzip MTIME differs by {skew} s"));
        }
        if bb["trailer_ok"] != json!(true) || cb["trailer_ok"] != json!(true) {
            problems.push(format!(
                "gzip trailer (CRC-32, length): boto {} botocore {}",
                bb["trailer"], cb["trailer"]
            ));
        }
        // Both deflate with zlib at level 9: boto's stream is the one Python's
        // zlib makes of boto's bytes, and botocore's when the bodies are equal.
        if bb["deflate_base64"] != bb["zlib_deflate_base64"] {
            problems.push("boto's deflate stream is not zlib's (level 9) for its body".into());
        }
        if bb["text"] != cb["text"] {
            problems.push("the uncompressed bodies differ byte for byte".into());
        } else if bb["deflate_base64"] != cb["deflate_base64"] {
            problems.push("equal bodies, different deflate streams".into());
        }
        let len = |v: &Value, k: &str| v[k].as_str().unwrap_or("").len() * 3 / 4;
        println!(
            "  {}: uncompressed bodies byte-identical: {}; deflate boto ~{} B, botocore ~{} B; \
             zlib level 9 on boto's bytes ~{} B, identical to boto's deflate: {}",
            s.name,
            bb["text"] == cb["text"],
            len(bb, "deflate_base64"),
            len(cb, "deflate_base64"),
            len(bb, "zlib_deflate_base64"),
            bb["deflate_base64"] == bb["zlib_deflate_base64"],
        );
    }
    problems
}

#[test]
fn request_compression_matches_botocore() {
    let Some(python) = python() else {
        eprintln!(
            "skipping request-compression: BOTO_TEST_PYTHON (test venv with botocore) is not set"
        );
        return;
    };
    let home = std::env::temp_dir().join(format!("boto-compression-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let profile = home.join("config-min-size");
    std::fs::write(
        &profile,
        "[default]\nrequest_min_compression_size_bytes = 200\n",
    )
    .unwrap();
    let profile_off = home.join("config-disabled");
    std::fs::write(
        &profile_off,
        "[default]\ndisable_request_compression = true\n",
    )
    .unwrap();
    let large = metric_data(120);
    let small = metric_data(2);
    let p = |path: &Path| path.display().to_string();
    let scenarios = vec![
        Scenario { name: "large body, defaults (gzip from 10240 bytes)", env: vec![], params: large.clone(), refused: None, gzipped: true },
        Scenario { name: "small body, defaults (plain)", env: vec![], params: small.clone(), refused: None, gzipped: false },
        Scenario { name: "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES=1", env: vec![("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "1".into())], params: small.clone(), refused: None, gzipped: true },
        Scenario { name: "AWS_DISABLE_REQUEST_COMPRESSION=true", env: vec![("AWS_DISABLE_REQUEST_COMPRESSION", "true".into())], params: large.clone(), refused: None, gzipped: false },
        Scenario { name: "AWS_DISABLE_REQUEST_COMPRESSION=1 (not true)", env: vec![("AWS_DISABLE_REQUEST_COMPRESSION", "1".into())], params: large.clone(), refused: None, gzipped: true },
        Scenario { name: "config file request_min_compression_size_bytes = 200", env: vec![("AWS_CONFIG_FILE", p(&profile))], params: small.clone(), refused: None, gzipped: true },
        Scenario { name: "config file disable_request_compression = true", env: vec![("AWS_CONFIG_FILE", p(&profile_off))], params: large.clone(), refused: None, gzipped: false },
        Scenario { name: "environment over config file", env: vec![("AWS_CONFIG_FILE", p(&profile)), ("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "1048576".into())], params: small.clone(), refused: None, gzipped: false },
        Scenario { name: "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES=0 refused", env: vec![("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "0".into())], params: small.clone(), refused: Some("Invalid value \"0\" for request_min_compression_size_bytes. Value must be between 1 and 1048576."), gzipped: false },
        Scenario { name: "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES=1048577 refused", env: vec![("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "1048577".into())], params: small.clone(), refused: Some("Value must be between 1 and 1048576."), gzipped: false },
        Scenario { name: "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES=ten refused", env: vec![("AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES", "ten".into())], params: small, refused: Some("Invalid value \"ten\" for request_min_compression_size_bytes. Value must be an integer. Received <class 'str'> instead."), gzipped: false },
    ];

    let boto: Vec<Result<Value, String>> = scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| run_boto(s, &home, i))
        .collect();
    let mut boto_bodies = serde_json::Map::new();
    for (s, b) in scenarios.iter().zip(&boto) {
        if let Ok(b) = b {
            boto_bodies.insert(s.name.into(), b["body_base64"].clone());
        }
    }
    let input = json!({
        "scenarios": scenarios.iter().map(|s| json!({
            "name": s.name,
            "env": s.env.iter().map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "params": s.params,
        })).collect::<Vec<_>>(),
        "boto": boto_bodies,
    });
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/request_compression/botocore_side.py");
    let mut py = Command::new(&python);
    clean_env(&mut py, &home);
    let mut child = py
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
    let _ = std::fs::remove_dir_all(&home);
    assert!(
        o.status.success(),
        "botocore side failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let out: Value = serde_json::from_slice(&o.stdout).expect("botocore side prints JSON");
    println!(
        "comparing against botocore {}",
        out["botocore_version"].as_str().unwrap_or("?")
    );
    let (mut passed, mut failed) = (0, 0);
    let mut report = String::new();
    for (s, b) in scenarios.iter().zip(&boto) {
        let problems = compare(s, b, &out["results"][s.name]);
        if problems.is_empty() {
            passed += 1;
            println!("ok   {}", s.name);
        } else {
            failed += 1;
            report.push_str(&format!("FAIL {}\n  {}\n", s.name, problems.join("\n  ")));
        }
    }
    print!("{report}");
    let summary = format!("\nrequest-compression: {passed} passed, {failed} failed\n");
    let _ = std::io::stdout().write_all(summary.as_bytes());
    assert_eq!(
        failed, 0,
        "request compression differs from botocore:\n{report}"
    );
}
