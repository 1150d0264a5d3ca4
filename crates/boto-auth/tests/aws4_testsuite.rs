//! Runs AWS's SigV4 test suite (as vendored by botocore) against `sigv4::sign`.
//!
//! Each case directory holds a raw HTTP request (`.req`) and the expected
//! canonical request (`.creq`), string to sign (`.sts`) and `Authorization`
//! header (`.authz`). The request is parsed here by hand, signed at the suite's
//! fixed time with its fixed credentials, and all three outputs compared.
//! Unlike botocore's runner this one keeps repeated query keys (no `dict`), so
//! the three "query-order" cases botocore skips run too, and it parses the
//! request line itself, so `get-space` runs as well.
//!
//! The corpus is not committed (licence and size); it is fetched into `.data/`.
//! Set `BOTO_AWS4_TESTSUITE` to point elsewhere.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, UNIX_EPOCH};

use boto_auth::sigv4::{sign, SessionTokenMode, SignableBody, SignableRequest, SigningParams};
use boto_auth::Credentials;

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// 2015-08-30T12:36:00Z.
const DATE_SECS: u64 = 1_440_938_160;
const SERVICE: &str = "service";
const REGION: &str = "us-east-1";
/// The token the suite's readme gives for the post-sts-token cases.
const STS_TOKEN: &str = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

struct ParsedRequest {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// `%XX` and `+` decoding as Python's `parse_qsl` does.
fn form_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |c: u8| (c as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parse a raw HTTP/1.1 request (universal newlines, obs-fold continuations).
fn parse_request(raw: &str) -> Result<ParsedRequest, String> {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = match raw.split_once("\n\n") {
        Some((h, b)) => (h.to_string(), b.as_bytes().to_vec()),
        None => (raw.clone(), Vec::new()),
    };
    let mut lines = head.split('\n');
    let request_line = lines.next().ok_or("empty request")?;
    // METHOD SP target SP version; the target may itself contain spaces.
    let (method, rest) = request_line.split_once(' ').ok_or("bad request line")?;
    let (target, _version) = rest.rsplit_once(' ').ok_or("bad request line")?;
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.is_empty() {
            continue; // a final newline with no body separator
        }
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().ok_or("continuation before any header")?;
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| format!("bad header line {line:?}"))?;
            headers.push((name.to_string(), value.to_string()));
        }
    }
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (target, None),
    };
    let query = query
        .map(|q| {
            q.split('&')
                .filter(|p| !p.is_empty())
                .map(|p| {
                    let (k, v) = p.split_once('=').unwrap_or((p, ""));
                    (form_decode(k), form_decode(v))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(ParsedRequest {
        method: method.to_string(),
        path: path.to_string(),
        query,
        headers,
        body,
    })
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Token the suite expects to be signed, taken from the canonical request as botocore does.
fn token_from_creq(creq: &str) -> Option<String> {
    creq.lines()
        .find_map(|l| l.strip_prefix("x-amz-security-token:").map(str::to_string))
}

fn run_case(
    dir: &Path,
    token_mode: SessionTokenMode,
    force_token: Option<&str>,
) -> Result<(), String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let base = dir.join(&name);
    let ext = |e: &str| base.with_extension(e);
    let raw = read(&ext("req"))?;
    let expected_creq = read(&ext("creq"))?.replace('\r', "");
    let expected_sts = read(&ext("sts"))?.replace('\r', "");
    let expected_authz = read(&ext("authz"))?.replace('\r', "");

    let parsed = parse_request(&raw)?;
    let host = parsed
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let mut req = SignableRequest::new(&parsed.method, "https", &host, &parsed.path)
        .body(SignableBody::Bytes(&parsed.body));
    for (k, v) in &parsed.query {
        req.push_query_param(k, v);
    }
    for (k, v) in &parsed.headers {
        req.push_header(k, v);
    }
    let token = force_token
        .map(str::to_string)
        .or_else(|| token_from_creq(&expected_creq));
    let creds = Credentials::new(ACCESS_KEY, SECRET_KEY, token, None, "aws4_testsuite");
    let mut params =
        SigningParams::new(REGION, SERVICE, UNIX_EPOCH + Duration::from_secs(DATE_SECS));
    params.settings.session_token_mode = token_mode;
    let out = sign(&req, &creds, &params).map_err(|e| format!("signing failed: {e}"))?;

    let mut problems = Vec::new();
    if out.canonical_request() != expected_creq {
        problems.push(format!(
            "canonical request differs\n--- expected\n{expected_creq}\n--- actual\n{}",
            out.canonical_request()
        ));
    }
    if out.string_to_sign() != expected_sts {
        problems.push(format!(
            "string to sign differs\n--- expected\n{expected_sts}\n--- actual\n{}",
            out.string_to_sign()
        ));
    }
    let authz = out
        .headers()
        .iter()
        .find(|(n, _)| *n == "Authorization")
        .map(|(_, v)| v.as_str());
    if authz != Some(expected_authz.as_str()) {
        problems.push(format!(
            "authorization differs\n--- expected\n{expected_authz}\n--- actual\n{authz:?}"
        ));
    }
    if let (Some(t), SessionTokenMode::Unsigned) = (force_token, token_mode) {
        let sent = out
            .headers()
            .iter()
            .any(|(n, v)| *n == "X-Amz-Security-Token" && v == t);
        if !sent {
            problems.push("unsigned session token header not emitted".into());
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn case_dirs(root: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(root)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    if entries
        .iter()
        .any(|p| p.extension().is_some_and(|e| e == "req"))
    {
        out.push(root.to_path_buf());
    }
    for p in entries.iter().filter(|p| p.is_dir()) {
        case_dirs(p, out)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let explicit = std::env::var_os("BOTO_AWS4_TESTSUITE");
    let root = explicit.clone().map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../.data/botocore-tests/unit/auth/aws4_testsuite")
    });
    let mut dirs = Vec::new();
    if let Err(e) = case_dirs(&root, &mut dirs) {
        if explicit.is_some() {
            eprintln!(
                "aws4_testsuite: cannot read BOTO_AWS4_TESTSUITE={}: {e}",
                root.display()
            );
            println!("aws4_testsuite: 0 passed, 1 failed");
            return ExitCode::FAILURE;
        }
        println!(
            "aws4_testsuite: SKIPPED all cases: corpus not found at {} ({e}); fetch the test data into .data/ or set BOTO_AWS4_TESTSUITE",
            root.display()
        );
        println!("aws4_testsuite: 0 passed, 0 failed");
        return ExitCode::SUCCESS;
    }

    let (mut passed, mut failed) = (0usize, 0usize);
    let mut report = |label: String, result: Result<(), String>| match result {
        Ok(()) => passed += 1,
        Err(msg) => {
            failed += 1;
            println!("FAIL {label}\n{msg}\n");
        }
    };
    for dir in &dirs {
        let label = dir.strip_prefix(&root).unwrap_or(dir).display().to_string();
        report(label.clone(), run_case(dir, SessionTokenMode::Signed, None));
        // The "after" case: the token is added once the signature is computed.
        if label.ends_with("post-sts-header-after") {
            report(
                format!("{label} [token in SessionTokenMode::Unsigned]"),
                run_case(dir, SessionTokenMode::Unsigned, Some(STS_TOKEN)),
            );
        }
    }
    if dirs.is_empty() {
        failed += 1;
        println!("FAIL no test cases found under {}", root.display());
    }
    println!("aws4_testsuite: {passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
