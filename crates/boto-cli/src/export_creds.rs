//! `boto configure export-credentials`: aws-cli v2's
//! `awscli/customizations/configure/exportcreds.py`.
//!
//! Resolves credentials with the ordinary provider chain (so SSO, assume-role
//! and process credentials all work) and prints them in the format asked for;
//! `--query`/`--output` are ignored, as aws-cli ignores them. The secrets go
//! to stdout only: errors and `--debug` name the provider, never the values.
//!
//! Reference output (aws-cli v2 source, read for this module):
//! - `process` (default): `json.dumps(d, indent=2, separators=(',', ': '))` +
//!   `\n` of `Version` (1), `AccessKeyId`, `SecretAccessKey`, then
//!   `SessionToken` and `Expiration` when present;
//! - `env`: `export NAME=value` lines; `env-no-export`: `NAME=value`;
//!   `powershell`: `$Env:NAME="value"`; `windows-cmd`: `set NAME=value`;
//!   `fish`: `set -gx NAME "value"` — for `AWS_ACCESS_KEY_ID`,
//!   `AWS_SECRET_ACCESS_KEY`, then `AWS_SESSION_TOKEN` and
//!   `AWS_CREDENTIAL_EXPIRATION` when present, each line ending in `\n`;
//! - `Expiration` is Python's `datetime.isoformat()` of the UTC expiry:
//!   `2026-12-03T17:00:00+00:00` (`.ffffff` before the offset when the
//!   expiry has microseconds).
//!
//! A credential process that itself runs `export-credentials` is guarded as
//! aws-cli guards it: `_AWS_CLI_PROFILE_CHAIN` (CSV of the profiles seen) is
//! passed down, and a repeated profile or a chain of four stops with an error.

use crate::args::Globals;
use crate::error::{code, CliError};
use std::time::{SystemTime, UNIX_EPOCH};

const FORMATS: [&str; 6] = [
    "process",
    "env",
    "env-no-export",
    "powershell",
    "windows-cmd",
    "fish",
];
const RECURSION_VAR: &str = "_AWS_CLI_PROFILE_CHAIN";
const MAX_RECURSION: usize = 4;

const HELP: &str = "\
boto configure export-credentials [--profile <profile>] [--format <format>]

Export credentials in various formats. Credentials are resolved with the usual
credential resolution process and displayed in the specified --format
(default: process, the JSON a credential_process must print):

  process        {\"Version\": 1, \"AccessKeyId\": ..., ...}
  env            export AWS_ACCESS_KEY_ID=EXAMPLE
  env-no-export  AWS_ACCESS_KEY_ID=EXAMPLE
  powershell     $Env:AWS_ACCESS_KEY_ID=\"EXAMPLE\"
  windows-cmd    set AWS_ACCESS_KEY_ID=EXAMPLE
  fish           set -gx AWS_ACCESS_KEY_ID \"EXAMPLE\"

This command ignores the global --query and --output options.
";

/// The credentials to print.
#[derive(Clone)]
pub struct Exported {
    pub access_key: String,
    pub secret_key: String,
    pub token: Option<String>,
    pub expiry: Option<String>,
}

pub fn run(g: &Globals, words: &[String]) -> Result<i32, CliError> {
    let mut format = "process".to_string();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "help" => {
                crate::driver::print(HELP);
                return Ok(code::OK);
            }
            "--format" => {
                format = it
                    .next()
                    .cloned()
                    .ok_or_else(|| CliError::usage("argument --format: expected one argument"))?
            }
            s if s.starts_with("--format=") => format = s["--format=".len()..].to_string(),
            other => return Err(CliError::usage(format!("Unknown options: {other}"))),
        }
    }
    if !FORMATS.contains(&format.as_str()) {
        let quoted: Vec<String> = FORMATS.iter().map(|f| format!("'{f}'")).collect();
        return Err(CliError::usage(format!(
            "argument --format: invalid choice: '{format}' (choose from {})",
            quoted.join(", ")
        )));
    }
    let profile = crate::configure::profile_name(g.profile.as_deref());
    let chain = recursion_barrier(&profile)?;
    // The child processes a credential_process starts inherit the chain.
    std::env::set_var(RECURSION_VAR, chain);
    if g.debug {
        crate::debuglog::install();
    }
    let session = boto::Session::builder()
        .profile_opt(g.profile.clone())
        .region_opt(g.region.clone())
        .build()
        .map_err(|e| {
            CliError::config(format!("Unable to retrieve credentials: {}\n", e.report()))
        })?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::other(format!("cannot start the async runtime: {e}")))?;
    let creds = rt.block_on(session.credentials()).map_err(|e| {
        CliError::config(format!(
            "Unable to retrieve credentials: {}\n",
            e.report().trim()
        ))
    })?;
    let exported = Exported {
        access_key: creds.access_key_id().to_string(),
        secret_key: creds.secret_access_key().to_string(),
        token: creds.session_token().map(str::to_string),
        expiry: creds.expiry().map(isoformat_utc),
    };
    crate::driver::print(&render(&format, &exported));
    Ok(code::OK)
}

/// aws-cli's `_detect_recursion_barrier` + `_update_recursion_barrier`: the new chain value.
fn recursion_barrier(profile: &str) -> Result<String, CliError> {
    let current = std::env::var(RECURSION_VAR).unwrap_or_default();
    let mut seen = parse_csv_row(&current);
    if seen.len() >= MAX_RECURSION {
        return Err(CliError::config(format!(
            "Maximum recursive credential process resolution reached ({MAX_RECURSION}).\nProfiles seen: {}",
            seen.join(" -> ")
        )));
    }
    if seen.iter().any(|p| p == profile) {
        seen.push(profile.to_string());
        return Err(CliError::config(format!(
            "Credential process resolution detected an infinite loop, profile cycle: {}\n",
            seen.join(" -> ")
        )));
    }
    seen.push(profile.to_string());
    Ok(seen
        .iter()
        .map(|p| csv_field(p))
        .collect::<Vec<_>>()
        .join(","))
}

/// Python's `csv.reader` on one line (quoted fields, `""` escapes). An empty line is no fields.
fn parse_csv_row(s: &str) -> Vec<String> {
    if s.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => out.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    out.push(field);
    out
}

/// Python's `csv.writer` quoting (minimal).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// `datetime.isoformat()` of an aware UTC datetime.
pub fn isoformat_utc(t: SystemTime) -> String {
    let base = boto::core::auth::credentials::time::format_timestamp(t);
    let base = base.trim_end_matches('Z');
    let micros = t
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_micros());
    if micros == 0 {
        format!("{base}+00:00")
    } else {
        format!("{base}.{micros:06}+00:00")
    }
}

/// The text aws-cli v2 prints for `format`.
pub fn render(format: &str, c: &Exported) -> String {
    if format == "process" {
        let mut fields = vec![
            ("Version", "1".to_string()),
            ("AccessKeyId", json_string(&c.access_key)),
            ("SecretAccessKey", json_string(&c.secret_key)),
        ];
        if let Some(t) = &c.token {
            fields.push(("SessionToken", json_string(t)));
        }
        if let Some(e) = &c.expiry {
            fields.push(("Expiration", json_string(e)));
        }
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("  \"{k}\": {v}"))
            .collect();
        return format!("{{\n{}\n}}\n", body.join(",\n"));
    }
    let line = |name: &str, value: &str| match format {
        "env" => format!("export {name}={value}\n"),
        "env-no-export" => format!("{name}={value}\n"),
        "powershell" => format!("$Env:{name}=\"{value}\"\n"),
        "windows-cmd" => format!("set {name}={value}\n"),
        _ => format!("set -gx {name} \"{value}\"\n"),
    };
    let mut out =
        line("AWS_ACCESS_KEY_ID", &c.access_key) + &line("AWS_SECRET_ACCESS_KEY", &c.secret_key);
    if let Some(t) = &c.token {
        out += &line("AWS_SESSION_TOKEN", t);
    }
    if let Some(e) = &c.expiry {
        out += &line("AWS_CREDENTIAL_EXPIRATION", e);
    }
    out
}

/// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`).
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    boto_util::json::push_string_ascii(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn creds(token: bool) -> Exported {
        Exported {
            access_key: "AKIDEXAMPLE".into(),
            secret_key: "SECRET/KEY".into(),
            token: token.then(|| "TOKEN".into()),
            expiry: token.then(|| "2026-12-03T17:00:00+00:00".into()),
        }
    }

    #[test]
    fn json_strings_escape_like_json_dumps() {
        // `json.dumps` uses the short `\b` / `\f` forms and ASCII-escapes the rest.
        assert_eq!(
            json_string("a\u{8}\u{c}\u{1}é\"/"),
            r#""a\b\f\u0001\u00e9\"/""#
        );
    }

    #[test]
    fn formats_match_aws_cli_v2() {
        assert_eq!(
            render("process", &creds(true)),
            "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"AKIDEXAMPLE\",\n  \"SecretAccessKey\": \"SECRET/KEY\",\n  \
             \"SessionToken\": \"TOKEN\",\n  \"Expiration\": \"2026-12-03T17:00:00+00:00\"\n}\n"
        );
        assert_eq!(
            render("process", &creds(false)),
            "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"AKIDEXAMPLE\",\n  \"SecretAccessKey\": \"SECRET/KEY\"\n}\n"
        );
        assert_eq!(
            render("env", &creds(true)),
            "export AWS_ACCESS_KEY_ID=AKIDEXAMPLE\nexport AWS_SECRET_ACCESS_KEY=SECRET/KEY\n\
             export AWS_SESSION_TOKEN=TOKEN\nexport AWS_CREDENTIAL_EXPIRATION=2026-12-03T17:00:00+00:00\n"
        );
        assert_eq!(
            render("env-no-export", &creds(false)),
            "AWS_ACCESS_KEY_ID=AKIDEXAMPLE\nAWS_SECRET_ACCESS_KEY=SECRET/KEY\n"
        );
        assert_eq!(
            render("powershell", &creds(false)),
            "$Env:AWS_ACCESS_KEY_ID=\"AKIDEXAMPLE\"\n$Env:AWS_SECRET_ACCESS_KEY=\"SECRET/KEY\"\n"
        );
        assert_eq!(
            render("windows-cmd", &creds(false)),
            "set AWS_ACCESS_KEY_ID=AKIDEXAMPLE\nset AWS_SECRET_ACCESS_KEY=SECRET/KEY\n"
        );
        assert_eq!(
            render("fish", &creds(false)),
            "set -gx AWS_ACCESS_KEY_ID \"AKIDEXAMPLE\"\nset -gx AWS_SECRET_ACCESS_KEY \"SECRET/KEY\"\n"
        );
    }

    #[test]
    fn isoformat_and_recursion_chain() {
        let t = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        assert_eq!(isoformat_utc(t), "2023-11-14T22:13:20.123000+00:00");
        assert_eq!(
            isoformat_utc(UNIX_EPOCH + Duration::from_secs(1_700_000_000)),
            "2023-11-14T22:13:20+00:00"
        );
        assert_eq!(parse_csv_row("a,\"b,c\",d"), vec!["a", "b,c", "d"]);
        assert_eq!(csv_field("b,c"), "\"b,c\"");
        assert!(parse_csv_row("").is_empty());
    }
}
