//! Output compatibility of `boto` with aws-cli v1, command by command.
//!
//! `boto` promises aws-cli's output, so scripts that parse `--output text` or
//! diff `--output table` keep working. This test sets up state in the moto
//! server of the test command (`BOTO_TEST_ENDPOINT`) with `boto` itself, under
//! names unique to the run, then runs the same commands with `boto` and with
//! aws-cli v1 (`BOTO_TEST_AWSCLI`, installed by `scripts/test.sh`) against that
//! server with identical environments, and compares:
//!
//! - `json`: equal after parsing (aws-cli and boto both drop
//!   `ResponseMetadata`; [`VOLATILE`] names the fields moto changes per call);
//! - `text` and `table`: byte-equal;
//! - `yaml`: aws-cli v1 has no yaml output (v2 added it), so boto's YAML is
//!   parsed (PyYAML from the aws-cli venv) and compared with aws-cli's JSON;
//! - errors: stderr byte-equal. Exit codes differ by design: boto uses
//!   aws-cli v2's codes (254 service error, 252 bad parameter) where v1 exits
//!   255 (see `src/error.rs`); the test checks boto's code and v1's non-zero
//!   status.
//!
//! Other tests share the moto server, so listings of whole accounts
//! (`list-buckets`, `list-tables`) can change between the two runs. When
//! outputs differ, aws-cli runs again: if its second output differs from its
//! first the state moved under us and the case is retried (up to 3 times).
//!
//! Timestamps: aws-cli v1 prints them as received by default
//! (`cli_timestamp_format = none`), v2 — and boto — as ISO 8601; the temporary
//! config file sets `cli_timestamp_format = iso8601` for both.
//!
//! Prints `awscli-compat: N passed, M failed`; any mismatch fails with a diff.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod cases;
use cases::cases;

/// Fields moto returns differently on every call, dropped from JSON before
/// comparing: (field name, reason). None is needed today: moto keeps
/// creation/launch times, ids and counters stable between calls, and both
/// CLIs drop `ResponseMetadata` (request ids, retry counts) themselves.
const VOLATILE: &[(&str, &str)] = &[(
    "ResponseMetadata",
    "request id and retry attempts; both CLIs strip it, dropped again to be sure",
)];

#[derive(Clone, Copy, PartialEq, Debug)]
enum Fmt {
    Json,
    Text,
    Table,
    Yaml,
    /// A failing command: stderr compared; boto's expected exit code.
    Error(i32),
}

impl Fmt {
    fn name(self) -> &'static str {
        match self {
            Fmt::Json => "json",
            Fmt::Text => "text",
            Fmt::Table => "table",
            Fmt::Yaml => "yaml",
            Fmt::Error(_) => "error",
        }
    }
}

struct Ctx {
    endpoint: String,
    aws: PathBuf,
    python: PathBuf,
    home: PathBuf,
}

impl Ctx {
    fn command(&self, program: &Path, args: &[String]) -> Command {
        let mut c = Command::new(program);
        for (k, _) in std::env::vars_os() {
            let k = k.to_string_lossy().into_owned();
            if k.starts_with("AWS_") || k == "COLUMNS" || k == "LINES" {
                c.env_remove(&k);
            }
        }
        c.env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", self.home.join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.home.join("credentials"))
            .env("AWS_PAGER", "")
            .env("HOME", &self.home)
            .env("NO_COLOR", "1")
            .arg("--endpoint-url")
            .arg(&self.endpoint)
            .args(args);
        c
    }

    fn boto(&self, args: &[String]) -> Output {
        self.command(Path::new(env!("CARGO_BIN_EXE_boto")), args)
            .output()
            .expect("run boto")
    }

    fn aws(&self, args: &[String]) -> Output {
        self.command(&self.aws, args).output().expect("run aws")
    }

    /// `boto` for setup: must succeed; returns trimmed stdout.
    fn setup(&self, args: &[&str]) -> String {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let o = self.boto(&args);
        assert!(
            o.status.success(),
            "setup `boto {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }

    /// YAML → JSON with PyYAML (timestamps kept as given).
    fn yaml_to_json(&self, yaml: &[u8]) -> Result<Value, String> {
        use std::io::Write;
        let mut child = Command::new(&self.python)
            .args([
                "-c",
                "import json, sys, yaml\n\
                 print(json.dumps(yaml.safe_load(sys.stdin), default=str))",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run python: {e}"))?;
        child.stdin.take().unwrap().write_all(yaml).unwrap();
        let o = child.wait_with_output().unwrap();
        if !o.status.success() {
            return Err(format!(
                "boto's yaml does not parse: {}",
                String::from_utf8_lossy(&o.stderr)
            ));
        }
        serde_json::from_slice(&o.stdout).map_err(|e| e.to_string())
    }
}

struct Case {
    fmt: Fmt,
    args: Vec<String>,
}

fn case(fmt: Fmt, args: &[&str]) -> Case {
    Case {
        fmt,
        args: args.iter().map(|s| s.to_string()).collect(),
    }
}

fn strip_volatile(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for (k, _) in VOLATILE {
                m.remove(*k);
            }
            m.values_mut().for_each(strip_volatile);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_volatile),
        _ => {}
    }
}

fn parse_json(out: &[u8]) -> Result<Value, String> {
    if out.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    let mut v: Value = serde_json::from_slice(out)
        .map_err(|e| format!("not JSON ({e}): {}", String::from_utf8_lossy(out)))?;
    strip_volatile(&mut v);
    Ok(v)
}

/// A line diff (LCS), `-` aws-cli, `+` boto, with 2 lines of context.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.lines().collect();
    let b: Vec<&str> = actual.lines().collect();
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push((' ', a[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(('-', a[i]));
            i += 1;
        } else {
            ops.push(('+', b[j]));
            j += 1;
        }
    }
    let near = |k: usize| {
        ops[k.saturating_sub(2)..(k + 3).min(ops.len())]
            .iter()
            .any(|(t, _)| *t != ' ')
    };
    let mut out = String::from("    --- aws-cli\n    +++ boto\n");
    let mut skipped = false;
    for (k, (t, line)) in ops.iter().enumerate() {
        if near(k) {
            out.push_str(&format!("    {t}{line}\n"));
            skipped = false;
        } else if !skipped {
            out.push_str("    ...\n");
            skipped = true;
        }
    }
    out
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// What one side printed, reduced to what is compared.
#[derive(PartialEq)]
enum Seen {
    Json(Value),
    Bytes(String),
    Failed(String),
}

impl Seen {
    fn show(&self) -> String {
        match self {
            Seen::Json(v) => pretty(v),
            Seen::Bytes(s) | Seen::Failed(s) => s.clone(),
        }
    }
}

fn aws_side(ctx: &Ctx, c: &Case) -> Seen {
    let fmt = match c.fmt {
        Fmt::Yaml | Fmt::Error(_) => "json",
        f => f.name(),
    };
    let args = [&["--output".to_string(), fmt.to_string()], &c.args[..]].concat();
    let o = ctx.aws(&args);
    reduce(c.fmt, &o, parse_json)
}

fn boto_side(ctx: &Ctx, c: &Case) -> Seen {
    let fmt = match c.fmt {
        Fmt::Error(_) => "json",
        f => f.name(),
    };
    let args = [&["--output".to_string(), fmt.to_string()], &c.args[..]].concat();
    let o = ctx.boto(&args);
    if let Fmt::Error(code) = c.fmt {
        if o.status.code() != Some(code) {
            return Seen::Failed(format!(
                "exit status {:?}, expected {code}",
                o.status.code()
            ));
        }
    }
    reduce(c.fmt, &o, |out| {
        if c.fmt == Fmt::Yaml {
            ctx.yaml_to_json(out).map(|mut v| {
                strip_volatile(&mut v);
                v
            })
        } else {
            parse_json(out)
        }
    })
}

fn reduce(fmt: Fmt, o: &Output, json: impl Fn(&[u8]) -> Result<Value, String>) -> Seen {
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&o.stderr).into_owned();
    match fmt {
        Fmt::Error(_) if o.status.success() => {
            Seen::Failed(format!("exit status 0 for a failing command: {stdout}"))
        }
        Fmt::Error(_) => Seen::Bytes(stderr),
        _ if !o.status.success() => Seen::Failed(format!(
            "exit status {:?}: {stderr}{stdout}",
            o.status.code()
        )),
        Fmt::Json | Fmt::Yaml => match json(&o.stdout) {
            Ok(v) => Seen::Json(v),
            Err(e) => Seen::Failed(e),
        },
        Fmt::Text | Fmt::Table => Seen::Bytes(stdout),
    }
}

/// Compares one case; `Err` carries the report.
fn compare(ctx: &Ctx, c: &Case) -> Result<(), String> {
    let mut last = String::new();
    for _attempt in 0..3 {
        let expected = aws_side(ctx, c);
        let actual = boto_side(ctx, c);
        if let Seen::Failed(e) = &expected {
            return Err(format!("aws-cli failed: {e}"));
        }
        if expected == actual {
            return Ok(());
        }
        if let Seen::Failed(e) = &actual {
            return Err(format!("boto failed: {e}"));
        }
        last = diff(&expected.show(), &actual.show());
        // Did the server state change between the runs (other tests share moto)?
        let again = aws_side(ctx, c);
        if again == actual {
            return Ok(());
        }
        if again == expected {
            break;
        }
    }
    Err(last)
}

fn unique_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{:x}{:x}", std::process::id(), nanos % 0xffff_ffff)
}

#[test]
fn awscli_v1_output_matches() {
    let (Some(endpoint), Some(aws)) = (
        std::env::var_os("BOTO_TEST_ENDPOINT"),
        std::env::var_os("BOTO_TEST_AWSCLI"),
    ) else {
        eprintln!(
            "skipping aws-cli compatibility: BOTO_TEST_ENDPOINT (moto) and BOTO_TEST_AWSCLI (aws-cli v1) \
             are set by scripts/test.sh"
        );
        return;
    };
    let aws = PathBuf::from(aws);
    let python = aws.parent().unwrap().join("python");
    let sfx = unique_suffix();
    let home = std::env::temp_dir().join(format!("boto-awscli-compat-{sfx}"));
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(
        home.join("config"),
        "[default]\ncli_timestamp_format = iso8601\n",
    )
    .unwrap();
    let ctx = Ctx {
        endpoint: endpoint.to_string_lossy().into_owned(),
        aws,
        python,
        home,
    };
    let cases = cases(&ctx, &sfx);
    assert!(cases.len() >= 25);
    let (mut passed, mut failed) = (0, 0);
    let mut report = String::new();
    for c in &cases {
        let label = format!("{:<5} {}", c.fmt.name(), c.args.join(" "));
        match compare(&ctx, c) {
            Ok(()) => {
                passed += 1;
                println!("ok   {label}");
            }
            Err(e) => {
                failed += 1;
                println!("FAIL {label}");
                report.push_str(&format!("FAIL {label}\n{e}\n"));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&ctx.home);
    print!("{report}");
    // Written to the stdout handle, not `println!`, so the summary shows in
    // `cargo test` output (and scripts/test.sh's summary) without --nocapture.
    let summary = format!("\nawscli-compat: {passed} passed, {failed} failed\n");
    let _ = std::io::Write::write_all(&mut std::io::stdout(), summary.as_bytes());
    assert_eq!(
        failed, 0,
        "boto's output differs from aws-cli v1:\n{report}"
    );
}
