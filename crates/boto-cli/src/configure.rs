//! `boto configure`: `list`, `get`, `set`, and the interactive prompt.
//!
//! Edits `~/.aws/config` and `~/.aws/credentials` in place the way aws-cli's
//! `ConfigFileWriter` does: existing lines, comments and other profiles stay
//! untouched, a key is replaced where it is or appended to its section, and a
//! missing section is added at the end. Credential keys go to the credentials
//! file, everything else to the config file. The writing itself is
//! `boto_auth::config::update_config_file`: section names, keys and values
//! with line breaks are refused with aws-cli's messages (exit 255), files are
//! replaced atomically under a lock with their mode kept, and new files are
//! created 0600. Secrets are only ever shown masked (`****************ABCD`).

use crate::args::Globals;
use crate::error::{code, CliError};
use boto::core::auth::config::{update_config_file, ConfigSetting, ConfigWriteError};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

const CREDENTIAL_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
];

fn home() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}

pub fn config_path() -> PathBuf {
    match std::env::var_os("AWS_CONFIG_FILE") {
        Some(p) if !p.is_empty() => PathBuf::from(crate::paramfile::expand(&p.to_string_lossy())),
        _ => home().join(".aws").join("config"),
    }
}

pub fn credentials_path() -> PathBuf {
    match std::env::var_os("AWS_SHARED_CREDENTIALS_FILE") {
        Some(p) if !p.is_empty() => PathBuf::from(crate::paramfile::expand(&p.to_string_lossy())),
        _ => home().join(".aws").join("credentials"),
    }
}

/// The profile in effect: `--profile`, `AWS_PROFILE`, `AWS_DEFAULT_PROFILE`, else `default`.
pub fn profile_name(explicit: Option<&str>) -> String {
    explicit
        .map(str::to_owned)
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|s| !s.is_empty()))
        .or_else(|| {
            std::env::var("AWS_DEFAULT_PROFILE")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| "default".into())
}

/// Parses INI text into (section, key, value) triples; nested sub-keys become `parent.key`.
pub fn parse_ini(text: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut section = String::new();
    let mut parent: Option<String> = None;
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if t.starts_with('[') && t.ends_with(']') {
            section = t[1..t.len() - 1].trim().to_string();
            parent = None;
            continue;
        }
        let Some((k, v)) = t.split_once('=') else {
            continue;
        };
        let (k, v) = (k.trim().to_string(), v.trim().to_string());
        let indented = line.starts_with([' ', '\t']);
        match (&parent, indented) {
            (Some(p), true) => out.push((section.clone(), format!("{p}.{k}"), v)),
            _ if v.is_empty() => parent = Some(k),
            _ => {
                parent = None;
                out.push((section.clone(), k, v));
            }
        }
    }
    out
}

/// `[default]` or `[profile NAME]`; a name with blanks is quoted as aws-cli's
/// `profile_to_section` does (`shlex.quote`), so the reader sees one name.
fn config_section(profile: &str) -> String {
    if profile == "default" {
        "default".into()
    } else if profile.contains([' ', '\t']) {
        format!("profile '{}'", profile.replace('\'', "'\"'\"'"))
    } else {
        format!("profile {profile}")
    }
}

fn lookup(path: &PathBuf, section: &str, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    parse_ini(&text)
        .into_iter()
        .rev()
        .find(|(s, k, _)| s == section && k == key)
        .map(|(_, _, v)| v)
}

/// A setting of a profile in the config file (`output`, `cli_binary_format`, ...).
pub fn profile_value(profile: Option<&str>, key: &str) -> Option<String> {
    let p = profile_name(profile);
    lookup(&config_path(), &config_section(&p), key)
}

/// `****************ABCD`.
pub fn mask(v: &str) -> String {
    let tail: String = v
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{}{tail}", "*".repeat(16))
}

/// Writes one setting; a dotted key (`s3.max_concurrency`) is a value inside
/// the nested block of its first part.
fn write_setting(path: &Path, section: &str, key: &str, value: &str) -> Result<(), CliError> {
    let setting = match key.split_once('.') {
        Some((parent, sub)) => ConfigSetting::nested(parent, sub, value),
        None => ConfigSetting::new(key, value),
    };
    update_config_file(path, section, &[setting]).map_err(|e| match e {
        // aws-cli raises these as a ValueError: printed as is, exit 255.
        ConfigWriteError::Io { .. } => CliError::config(e.to_string()),
        _ => CliError::other(e.to_string()),
    })
}

/// Resolves a dotted `configure get/set` key to (profile, key).
fn split_key(key: &str, default_profile: &str) -> (String, String) {
    if let Some(rest) = key.strip_prefix("profile.") {
        if let Some((p, k)) = rest.split_once('.') {
            return (p.to_string(), k.to_string());
        }
    }
    if let Some(k) = key.strip_prefix("default.") {
        return ("default".into(), k.to_string());
    }
    (default_profile.to_string(), key.to_string())
}

fn is_credential(key: &str) -> bool {
    CREDENTIAL_KEYS.contains(&key)
}

fn normalize(key: &str) -> &str {
    match key {
        "access_key" => "aws_access_key_id",
        "secret_key" => "aws_secret_access_key",
        "session_token" => "aws_session_token",
        k => k,
    }
}

/// Gets a setting for `profile`: credentials file first for credential keys, then the config file.
fn get_value(profile: &str, key: &str) -> Option<(String, &'static str)> {
    if is_credential(key) {
        if let Some(v) = lookup(&credentials_path(), profile, key) {
            return Some((v, "shared-credentials-file"));
        }
    }
    lookup(&config_path(), &config_section(profile), key).map(|v| (v, "config-file"))
}

/// Runs `boto configure ...`.
pub fn run(g: &Globals, words: &[String]) -> Result<i32, CliError> {
    let profile = profile_name(g.profile.as_deref());
    match words.first().map(String::as_str) {
        None => interactive(&profile),
        Some("list") => {
            crate::driver::print(&list(g, &profile));
            Ok(code::OK)
        }
        Some("get") => {
            let [_, key] = words else {
                return Err(CliError::usage("usage: boto configure get <varname>"));
            };
            let (p, k) = split_key(key, &profile);
            let k = normalize(&k).to_string();
            match get_value(&p, &k) {
                Some((v, _)) if k == "aws_secret_access_key" || k == "aws_session_token" => {
                    crate::driver::print(&format!("{}\n", mask(&v)));
                    Ok(code::OK)
                }
                Some((v, _)) => {
                    crate::driver::print(&format!("{v}\n"));
                    Ok(code::OK)
                }
                None => Ok(1),
            }
        }
        Some("set") => {
            let [_, key, value] = words else {
                return Err(CliError::usage(
                    "usage: boto configure set <varname> <value>",
                ));
            };
            let (p, k) = split_key(key, &profile);
            let k = normalize(&k).to_string();
            if is_credential(&k) {
                write_setting(&credentials_path(), &p, &k, value)?;
            } else {
                write_setting(&config_path(), &config_section(&p), &k, value)?;
            }
            Ok(code::OK)
        }
        Some("help") => {
            crate::driver::print(
                "CONFIGURE\n\n  boto configure            prompt for access key, secret key, region, output\n  boto configure list       show the configuration in effect\n  boto configure get <key>  print one setting (e.g. region, profile.dev.region)\n  boto configure set <key> <value>\n  boto configure export-credentials [--profile <p>] [--format process|env|env-no-export|powershell|windows-cmd|fish]\n\n",
            );
            Ok(code::OK)
        }
        Some(other) => Err(crate::driver::invalid_choice(
            "operation",
            other,
            &[
                "list".into(),
                "get".into(),
                "set".into(),
                "export-credentials".into(),
                "help".into(),
            ],
        )),
    }
}

fn list(g: &Globals, profile: &str) -> String {
    let row = |name: &str, value: &str, ty: &str, loc: &str| {
        format!("{name:>10} {value:>24} {ty:>16}    {loc}\n")
    };
    let mut out = row("Name", "Value", "Type", "Location");
    out.push_str(&row("----", "-----", "----", "--------"));
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    if g.profile.is_some() {
        out.push_str(&row("profile", profile, "manual", "--profile"));
    } else if let Some(p) = env("AWS_PROFILE") {
        out.push_str(&row("profile", &p, "env", "AWS_PROFILE"));
    } else {
        out.push_str(&row("profile", "<not set>", "None", "None"));
    }
    let cfg = config_path().display().to_string();
    for (name, key, var) in [
        ("access_key", "aws_access_key_id", "AWS_ACCESS_KEY_ID"),
        (
            "secret_key",
            "aws_secret_access_key",
            "AWS_SECRET_ACCESS_KEY",
        ),
    ] {
        if let Some(v) = env(var) {
            out.push_str(&row(name, &mask(&v), "env", ""));
        } else if let Some((v, ty)) = get_value(profile, key) {
            let loc = if ty == "config-file" {
                cfg.as_str()
            } else {
                ""
            };
            out.push_str(&row(name, &mask(&v), ty, loc));
        } else {
            out.push_str(&row(name, "<not set>", "None", "None"));
        }
    }
    if let Some(r) = &g.region {
        out.push_str(&row("region", r, "manual", "--region"));
    } else if let Some(r) = env("AWS_REGION") {
        out.push_str(&row("region", &r, "env", "AWS_REGION"));
    } else if let Some(r) = env("AWS_DEFAULT_REGION") {
        out.push_str(&row("region", &r, "env", "AWS_DEFAULT_REGION"));
    } else if let Some((r, _)) = get_value(profile, "region") {
        out.push_str(&row("region", &r, "config-file", &cfg));
    } else {
        out.push_str(&row("region", "<not set>", "None", "None"));
    }
    out
}

fn interactive(profile: &str) -> Result<i32, CliError> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let prompts: [(&str, &str, bool); 4] = [
        ("AWS Access Key ID", "aws_access_key_id", true),
        ("AWS Secret Access Key", "aws_secret_access_key", true),
        ("Default region name", "region", false),
        ("Default output format", "output", false),
    ];
    for (label, key, secret) in prompts {
        let current = get_value(profile, key).map(|(v, _)| v);
        let shown = match (&current, secret) {
            (Some(v), true) => mask(v),
            (Some(v), false) => v.clone(),
            (None, _) => "None".into(),
        };
        eprint!("{label} [{shown}]: ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        if input
            .read_line(&mut line)
            .map_err(|e| CliError::other(e.to_string()))?
            == 0
        {
            eprintln!();
            return Ok(code::OK);
        }
        let v = line.trim();
        if v.is_empty() {
            continue;
        }
        if is_credential(key) {
            write_setting(&credentials_path(), profile, key, v)?;
        } else {
            write_setting(&config_path(), &config_section(profile), key, v)?;
        }
    }
    Ok(code::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ini_with_nested_keys() {
        let t = "[default]\nregion = us-east-1\ns3 =\n    max_concurrency = 10\n# c\n[profile dev]\noutput=text\n";
        let v = parse_ini(t);
        assert!(v.contains(&("default".into(), "region".into(), "us-east-1".into())));
        assert!(v.contains(&("default".into(), "s3.max_concurrency".into(), "10".into())));
        assert!(v.contains(&("profile dev".into(), "output".into(), "text".into())));
    }

    #[test]
    fn keys_and_masks() {
        assert_eq!(
            split_key("profile.dev.region", "default"),
            ("dev".into(), "region".into())
        );
        assert_eq!(
            split_key("default.output", "x"),
            ("default".into(), "output".into())
        );
        assert_eq!(split_key("region", "p"), ("p".into(), "region".into()));
        assert_eq!(mask("AKIAABCDEFGHWXYZ"), "****************WXYZ");
        assert_eq!(mask("ab"), "****************ab");
        assert_eq!(config_section("default"), "default");
        assert_eq!(config_section("dev"), "profile dev");
        assert_eq!(config_section("my dev"), "profile 'my dev'");
        assert_eq!(config_section("it's x"), "profile 'it'\"'\"'s x'");
    }
}
