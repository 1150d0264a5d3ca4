//! Reading the aws-signing-test-suite's files: the raw requests, each
//! case's `context.json` (or, for the two legacy v4 cases, the time and scope
//! written in the expected files) and `public-key.json`.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

/// The corpus's defaults (its `context.json` repeats them).
const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

/// A request from `request.txt`: query pairs decoded, header values raw.
pub struct Parsed {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Everything a case needs besides the request.
pub struct Context {
    pub access_key: String,
    pub secret_key: String,
    pub token: Option<String>,
    pub omit_token: bool,
    pub region: String,
    pub service: String,
    pub time: SystemTime,
    pub normalize: bool,
    pub sign_body: bool,
    pub expires: u64,
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `a=1&b=2` into decoded pairs.
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// A raw HTTP/1.1 request: request line, headers (obs-fold continuations
/// joined), then the body after the first empty line.
pub fn parse_request(raw: &str) -> Result<Parsed, String> {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = match raw.split_once("\n\n") {
        Some((h, b)) => (h.to_string(), b.as_bytes().to_vec()),
        None => (raw.clone(), Vec::new()),
    };
    let mut lines = head.split('\n');
    let line = lines.next().ok_or("empty request")?;
    let (method, rest) = line.split_once(' ').ok_or("bad request line")?;
    // The target may contain spaces (`/example space/`): the version is last.
    let target = match rest.rsplit_once(' ') {
        Some((t, v)) if v.starts_with("HTTP/") => t,
        _ => rest,
    };
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        if line.starts_with([' ', '\t']) {
            let last = headers.last_mut().ok_or("continuation before any header")?;
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            let (n, v) = line
                .split_once(':')
                .ok_or_else(|| format!("bad header line {line:?}"))?;
            headers.push((n.to_string(), v.to_string()));
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    Ok(Parsed {
        method: method.to_string(),
        path: path.to_string(),
        query: parse_query(query),
        headers,
        body,
    })
}

pub fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2015-08-30T12:36:00Z` or `20150830T123600Z`.
fn parse_time(s: &str) -> Result<SystemTime, String> {
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    let n = |r: std::ops::Range<usize>| -> Result<i64, String> {
        digits
            .get(r)
            .and_then(|x| x.parse().ok())
            .ok_or_else(|| format!("bad timestamp {s:?}"))
    };
    if digits.len() != 14 {
        return Err(format!("bad timestamp {s:?}"));
    }
    let days = days_from_civil(n(0..4)?, n(4..6)?, n(6..8)?);
    let secs = days * 86_400 + n(8..10)? * 3600 + n(10..12)? * 60 + n(12..14)?;
    let secs = u64::try_from(secs).map_err(|_| format!("timestamp before 1970: {s:?}"))?;
    Ok(UNIX_EPOCH + Duration::from_secs(secs))
}

pub fn load_context(dir: &Path) -> Result<Context, String> {
    let path = dir.join("context.json");
    if !path.exists() {
        return legacy_context(dir);
    }
    let v: Value = serde_json::from_str(&read(&path)?).map_err(|e| format!("context.json: {e}"))?;
    let s = |p: &str| v.pointer(p).and_then(Value::as_str).map(str::to_string);
    let b = |p: &str| v.pointer(p).and_then(Value::as_bool).unwrap_or(false);
    Ok(Context {
        access_key: s("/credentials/access_key_id").ok_or("no access_key_id")?,
        secret_key: s("/credentials/secret_access_key").ok_or("no secret_access_key")?,
        token: s("/credentials/token"),
        omit_token: b("/omit_session_token"),
        region: s("/region").ok_or("no region")?,
        service: s("/service").ok_or("no service")?,
        time: parse_time(&s("/timestamp").ok_or("no timestamp")?)?,
        normalize: b("/normalize"),
        sign_body: b("/sign_body"),
        expires: v
            .pointer("/expiration_in_seconds")
            .and_then(Value::as_u64)
            .unwrap_or(3600),
    })
}

/// The two older-format v4 cases: the signing time is the `x-amz-date` of the
/// expected canonical request, the scope that of its string to sign (or of the
/// `Authorization` header when there is none).
fn legacy_context(dir: &Path) -> Result<Context, String> {
    let creq = read(&dir.join("header-canonical-request.txt"))?;
    let date = creq
        .lines()
        .find_map(|l| l.strip_prefix("x-amz-date:"))
        .ok_or("legacy case without x-amz-date")?;
    let scope = match read(&dir.join("header-string-to-sign.txt")) {
        Ok(sts) => sts.lines().nth(2).unwrap_or_default().to_string(),
        Err(_) => {
            let signed = read(&dir.join("header-signed-request.txt"))?;
            let cred = signed
                .split("Credential=")
                .nth(1)
                .and_then(|c| c.split(',').next())
                .ok_or("legacy case without a credential scope")?;
            cred.split_once('/')
                .map(|(_, s)| s.to_string())
                .unwrap_or_default()
        }
    };
    let parts: Vec<&str> = scope.split('/').collect();
    if parts.len() != 4 {
        return Err(format!("bad legacy scope {scope:?}"));
    }
    Ok(Context {
        access_key: ACCESS_KEY.into(),
        secret_key: SECRET_KEY.into(),
        token: None,
        omit_token: false,
        region: parts[1].into(),
        service: parts[2].into(),
        time: parse_time(date)?,
        normalize: true,
        sign_body: false,
        expires: 3600,
    })
}

/// `public-key.json` as an uncompressed SEC1 point.
pub fn corpus_public_key(dir: &Path) -> Result<Vec<u8>, String> {
    let v: Value = serde_json::from_str(&read(&dir.join("public-key.json"))?)
        .map_err(|e| format!("public-key.json: {e}"))?;
    let coord = |k: &str| -> Result<Vec<u8>, String> {
        let h = v
            .get(k)
            .and_then(Value::as_str)
            .ok_or(format!("public key without {k}"))?;
        let bytes: Option<Vec<u8>> = (0..h.len())
            .step_by(2)
            .map(|i| h.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok()))
            .collect();
        bytes
            .filter(|b| b.len() == 32)
            .ok_or(format!("bad {k} coordinate"))
    };
    let mut point = vec![4u8];
    point.extend(coord("X")?);
    point.extend(coord("Y")?);
    Ok(point)
}
