//! Errors from malformed config and credentials files name the file and the
//! line but never repeat the line: what is on it may be a secret.

mod common;

use std::path::Path;

use boto_auth::config::{ConfigError, Env, ProfileSet};
use common::TempDir;

const MARKER: &str = "SUPERSECRETMARKER";

/// Malformed files with the marker on the bad line, and that line's number.
fn malformed() -> Vec<(Vec<u8>, usize)> {
    let s = MARKER;
    let text = |t: String, line: usize| (t.into_bytes(), line);
    let mut cases = vec![
        // A setting without `=` or `:`.
        text(format!("[default]\naws_secret_access_key {s}\n"), 2),
        text(format!("[default]\naws_access_key_id = AKID\n{s}\n"), 3),
        // Settings before any section.
        text(format!("aws_secret_access_key = {s}\n[default]\n"), 1),
        text(format!("{s}\n"), 1),
        // Bad section headers.
        text(format!("[default]\n[{s}\n"), 2),
        text(format!("[default]\nregion = x\n[profile {s}\n"), 3),
        text(format!("[{s}]\nk = v\n[{s}]\n"), 3),
        text(format!("[]{s}\n"), 1),
        // Indented text that continues nothing.
        text(format!("[default]\n  {s}\n"), 2),
        text(format!("[default]\n\t{s} more\n"), 2),
        // A nested block whose lines are not `key = value`.
        text(format!("[default]\ns3 =\n  {s}\n"), 3),
        text(format!("[default]\ns3 =\n  a = 1\n# comment\n\n  {s}\n"), 6),
        text(format!("[default]\naws_secret_access_key =\n    {s}\n"), 3),
        // Duplicate keys (the key itself is not echoed either).
        text(
            format!("[default]\naws_secret_access_key = {s}\nAWS_SECRET_ACCESS_KEY = {s}\n"),
            3,
        ),
        text(format!("[default]\n{s} = 1\n{s}: 2\n"), 3),
        text(format!("[DEFAULT]\n{s} = 1\n{s} = 2\n"), 3),
        // A key missing before `=`.
        text(format!("[default]\n= {s}\n"), 2),
        text(format!("[default]\n : {s}\n"), 2),
        // Other line endings.
        text(format!("[default]\r\nregion = x\r\n{s}\r\n"), 3),
        text(format!("[default]\rregion = x\r{s}\r"), 3),
        // Very long lines.
        text(
            format!("[default]\n{}{s}{}\n", "x".repeat(500), "y".repeat(500)),
            2,
        ),
    ];
    // Invalid UTF-8 next to a secret.
    let mut b =
        format!("[default]\naws_access_key_id = AKID\naws_secret_access_key = {s}").into_bytes();
    b.extend(b"\xff\xfe\n");
    cases.push((b, 3));
    let mut b = format!("[default]\r\nregion = x\rk = {s}").into_bytes();
    b.extend(b"\xc3\n");
    cases.push((b, 3));
    let mut b = b"\xef\xbb".to_vec();
    b.extend(s.as_bytes());
    cases.push((b, 1));
    cases
}

fn check(err: &ConfigError, path: &Path, line: usize, what: &str) {
    let shown = err.to_string();
    let debug = format!("{err:?}");
    assert!(
        matches!(err, ConfigError::Parse { line: l, path: p, .. } if *l == line && p == path),
        "{what}: {debug}"
    );
    for text in [&shown, &debug] {
        assert!(!text.contains(MARKER), "{what}: secret in {text}");
        assert!(
            text.contains(&path.display().to_string()),
            "{what}: no path in {text}"
        );
    }
    assert!(shown.contains(&format!("line {line}")), "{what}: {shown}");
    assert!(debug.contains(&format!("line: {line}")), "{what}: {debug}");
}

#[test]
fn credentials_file_errors_name_file_and_line_only() {
    let dir = TempDir::new("parse-creds");
    let config = dir.write("config", "[default]\nregion = us-east-1\n");
    let creds = dir.path().join("credentials");
    for (bytes, line) in malformed() {
        std::fs::write(&creds, &bytes).unwrap();
        let what = String::from_utf8_lossy(&bytes).into_owned();
        let err = ProfileSet::load_files(&config, &creds).unwrap_err();
        check(&err, &creds, line, &what);
        // The same through the environment, as a client would load it.
        let env = Env::from_vars([
            ("AWS_CONFIG_FILE", config.to_string_lossy().into_owned()),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                creds.to_string_lossy().into_owned(),
            ),
        ]);
        check(&ProfileSet::load(&env).unwrap_err(), &creds, line, &what);
    }
}

#[test]
fn config_file_errors_name_file_and_line_only() {
    let dir = TempDir::new("parse-config");
    let config = dir.path().join("config");
    let creds = dir.path().join("credentials");
    for (bytes, line) in malformed() {
        std::fs::write(&config, &bytes).unwrap();
        let err = ProfileSet::load_files(&config, &creds).unwrap_err();
        check(&err, &config, line, &String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn well_formed_files_still_load_and_missing_profiles_are_reported() {
    let dir = TempDir::new("parse-ok");
    let config = dir.write(
        "config",
        "[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n# c\n  max_concurrency = 4\n[profile dev]\noutput: json\n",
    );
    let creds = dir.write(
        "credentials",
        &format!("[dev]\r\naws_access_key_id = AKID\r\naws_secret_access_key = {MARKER}\r\n"),
    );
    let set = ProfileSet::load_files(&config, &creds).unwrap();
    let default = set.profile("default").unwrap();
    assert_eq!(default.get_nested("s3", "max_concurrency"), Some("4"));
    assert_eq!(set.profile("dev").unwrap().get("output"), Some("json"));
    let err = set.require_profile("nope").unwrap_err();
    assert_eq!(
        err,
        ConfigError::ProfileNotFound {
            profile: "nope".into(),
            available: vec!["default".into(), "dev".into()],
        }
    );
    assert!(err
        .to_string()
        .contains("the config profile (nope) could not be found"));
    assert!(!format!("{err} {err:?} {set:?}").contains(MARKER));
}
