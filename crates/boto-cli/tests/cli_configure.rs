//! `boto configure set` against real files, through the built binary: CR/LF
//! refused with aws-cli's messages (files untouched), concurrent writers from
//! separate processes losing nothing, file modes kept, and config-file parse
//! errors that name the file and line without echoing the line.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use boto::core::auth::config::ProfileSet;

/// A fresh directory used as `$HOME`, removed on drop.
struct Home(PathBuf);

impl Home {
    fn new(tag: &str) -> Home {
        static N: AtomicU64 = AtomicU64::new(0);
        let p = std::env::temp_dir().join(format!(
            "boto-cli-configure-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(p.join(".aws")).unwrap();
        Home(p)
    }
    fn path(&self) -> &Path {
        &self.0
    }
    fn config(&self) -> PathBuf {
        self.0.join(".aws").join("config")
    }
    fn credentials(&self) -> PathBuf {
        self.0.join(".aws").join("credentials")
    }
    /// `boto` with this home and both files named explicitly; nothing from the
    /// caller's environment selects a profile or supplies credentials.
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_boto"));
        c.args(args)
            .env("HOME", self.path())
            .env("AWS_CONFIG_FILE", self.config())
            .env("AWS_SHARED_CREDENTIALS_FILE", self.credentials())
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_ENDPOINT_URL", "http://127.0.0.1:9")
            .env("AWS_REGION", "us-east-1")
            .stdin(Stdio::null());
        for v in [
            "AWS_PROFILE",
            "AWS_DEFAULT_PROFILE",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_DEFAULT_OUTPUT",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "AWS_WEB_IDENTITY_TOKEN_FILE",
            "AWS_ROLE_ARN",
        ] {
            c.env_remove(v);
        }
        c
    }
    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run boto")
    }
    /// Every file under `.aws`, sorted, with its bytes.
    fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let mut out: Vec<_> = std::fs::read_dir(self.0.join(".aws"))
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        out.sort();
        out
    }
    fn load(&self) -> ProfileSet {
        ProfileSet::load_files(&self.config(), &self.credentials()).unwrap_or_else(|e| {
            panic!(
                "files no longer parse: {e}\n--- config ---\n{}\n--- credentials ---\n{}",
                std::fs::read_to_string(self.config()).unwrap_or_default(),
                std::fs::read_to_string(self.credentials()).unwrap_or_default()
            )
        })
    }
}

impl Drop for Home {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

const CONFIG: &str = "[default]\nregion = us-east-1\n\n[profile dev]\noutput = json\n";
const CREDENTIALS: &str =
    "[default]\naws_access_key_id = AKIDEXISTING\naws_secret_access_key = EXISTINGSECRET\n";

#[test]
fn set_refuses_cr_and_lf_with_aws_cli_messages_and_leaves_files_alone() {
    let home = Home::new("crlf");
    std::fs::write(home.config(), CONFIG).unwrap();
    std::fs::write(home.credentials(), CREDENTIALS).unwrap();
    let before = home.snapshot();
    let no_newlines = "newline characters and carriage returns are not allowed";
    for (brk, shown) in [("\n", "\\n"), ("\r", "\\r"), ("\r\n", "\\r\\n")] {
        let injected = format!("AKID{brk}credential_process = /bin/sh -c evil{brk}[profile evil]");
        let cases: Vec<(Vec<String>, String)> = vec![
            // A value, credentials file and config file: the value is never echoed.
            (
                vec!["aws_access_key_id".into(), injected.clone()],
                format!("Invalid value for key aws_access_key_id: {no_newlines}."),
            ),
            (
                vec!["aws_secret_access_key".into(), format!("SECRET{brk}VALUE")],
                format!("Invalid value for key aws_secret_access_key: {no_newlines}."),
            ),
            (
                vec![
                    "region".into(),
                    format!("us-east-1{brk}credential_process = evil"),
                ],
                format!("Invalid value for key region: {no_newlines}."),
            ),
            (
                vec!["profile.dev.region".into(), format!("x{brk}y")],
                format!("Invalid value for key region: {no_newlines}."),
            ),
            // A nested value is reported under its parent key, like aws-cli.
            (
                vec!["profile.dev.s3.max_concurrency".into(), format!("1{brk}0")],
                format!("Invalid value for key s3: {no_newlines}."),
            ),
            // Keys.
            (
                vec![format!("reg{brk}ion"), "x".into()],
                format!("Invalid key: {no_newlines}: 'reg{shown}ion'"),
            ),
            (
                vec![format!("profile.dev.s3.max{brk}concurrency"), "1".into()],
                format!("Invalid key: {no_newlines}: 'max{shown}concurrency'"),
            ),
            // Profile (section) names, in `profile.NAME.key` and with `--profile`.
            (
                vec![format!("profile.p{brk}q.region"), "x".into()],
                format!("Invalid section name: {no_newlines}: 'profile p{shown}q'"),
            ),
            (
                vec![
                    "--profile".into(),
                    format!("p{brk}q"),
                    "aws_access_key_id".into(),
                    "AKID".into(),
                ],
                format!("Invalid section name: {no_newlines}: 'p{shown}q'"),
            ),
            (
                vec![
                    "--profile".into(),
                    format!("p{brk}[default]"),
                    "region".into(),
                    "x".into(),
                ],
                format!("Invalid section name: {no_newlines}: 'profile p{shown}[default]'"),
            ),
        ];
        for (args, message) in cases {
            // `--profile` is a global option: it goes before `configure`.
            let mut full: Vec<&str> = Vec::new();
            let rest: &[String] = if args[0] == "--profile" {
                full.extend(["--profile", args[1].as_str()]);
                &args[2..]
            } else {
                &args[..]
            };
            full.extend(["configure", "set"]);
            full.extend(rest.iter().map(String::as_str));
            let o = home.run(&full);
            assert_eq!(o.status.code(), Some(255), "{full:?}: {}", stderr(&o));
            assert_eq!(stderr(&o), format!("\n{message}\n"), "{full:?}");
            assert!(o.stdout.is_empty(), "{full:?}");
            assert_eq!(home.snapshot(), before, "{full:?} changed the files");
        }
    }
    // Nothing was injected: the files still hold exactly what they held.
    let set = home.load();
    assert!(set.profile("evil").is_none());
    assert!(set
        .profile("default")
        .unwrap()
        .get("credential_process")
        .is_none());
}

#[test]
fn set_creates_missing_files_and_folder_private() {
    let home = Home::new("create");
    std::fs::remove_dir_all(home.path().join(".aws")).unwrap();
    // The default locations under $HOME, with no file variables set.
    let run = |args: &[&str]| {
        let mut c = home.command(args);
        c.env_remove("AWS_CONFIG_FILE")
            .env_remove("AWS_SHARED_CREDENTIALS_FILE");
        c.output().unwrap()
    };
    let o = run(&["configure", "set", "aws_access_key_id", "AKIDNEW"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = run(&["configure", "set", "region", "eu-west-1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(home.credentials()).unwrap(),
        "[default]\naws_access_key_id = AKIDNEW\n"
    );
    assert_eq!(
        std::fs::read_to_string(home.config()).unwrap(),
        "[default]\nregion = eu-west-1\n"
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&home.credentials()), 0o600);
        assert_eq!(mode(&home.config()), 0o600);
        assert_eq!(mode(&home.path().join(".aws")), 0o700);
    }
}

#[cfg(unix)]
#[test]
fn set_keeps_the_existing_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let home = Home::new("mode");
    std::fs::write(home.credentials(), CREDENTIALS).unwrap();
    std::fs::set_permissions(home.credentials(), std::fs::Permissions::from_mode(0o600)).unwrap();
    std::fs::write(home.config(), CONFIG).unwrap();
    std::fs::set_permissions(home.config(), std::fs::Permissions::from_mode(0o640)).unwrap();
    for (args, path, want) in [
        (
            ["configure", "set", "aws_session_token", "TOKEN"],
            home.credentials(),
            0o600,
        ),
        (
            ["configure", "set", "region", "ap-south-1"],
            home.config(),
            0o640,
        ),
    ] {
        let o = home.run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(mode(&path), want, "{}", path.display());
    }
    let set = home.load();
    let creds = set.credentials_file_profile("default").unwrap();
    assert_eq!(creds.get("aws_session_token"), Some("TOKEN"));
    assert_eq!(creds.get("aws_access_key_id"), Some("AKIDEXISTING"));
    assert_eq!(
        set.profile("default").unwrap().get("region"),
        Some("ap-south-1")
    );
}

/// Starts all `jobs` at once (each a separate `boto` process) and waits for all.
fn run_concurrently(home: &Home, jobs: &[Vec<String>]) {
    let children: Vec<_> = jobs
        .iter()
        .map(|args| {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let child = home
                .command(&args)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn boto");
            (args.join(" "), child)
        })
        .collect();
    for (what, child) in children {
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{what}: {}", stderr(&o));
    }
}

fn words(s: &str) -> Vec<String> {
    s.split(' ').map(str::to_owned).collect()
}

#[test]
fn concurrent_writers_lose_nothing() {
    for run in 0..10 {
        // 20 profiles in the credentials file.
        let home = Home::new("concurrent-creds");
        let jobs: Vec<_> = (0..20)
            .map(|i| {
                words(&format!(
                    "--profile p{i} configure set aws_access_key_id AKIA{run}X{i}"
                ))
            })
            .collect();
        run_concurrently(&home, &jobs);
        let set = home.load();
        for i in 0..20 {
            assert_eq!(
                set.credentials_file_profile(&format!("p{i}"))
                    .and_then(|p| p.get("aws_access_key_id")),
                Some(format!("AKIA{run}X{i}").as_str()),
                "run {run}: p{i} lost:\n{}",
                std::fs::read_to_string(home.credentials()).unwrap()
            );
        }

        // 20 profiles in the config file, on top of existing content.
        let home = Home::new("concurrent-config");
        std::fs::write(home.config(), CONFIG).unwrap();
        let jobs: Vec<_> = (0..20)
            .map(|i| words(&format!("configure set profile.p{i}.region r{run}-{i}")))
            .collect();
        run_concurrently(&home, &jobs);
        let set = home.load();
        assert_eq!(
            set.profile("default").unwrap().get("region"),
            Some("us-east-1")
        );
        assert_eq!(set.profile("dev").unwrap().get("output"), Some("json"));
        for i in 0..20 {
            assert_eq!(
                set.profile(&format!("p{i}")).and_then(|p| p.get("region")),
                Some(format!("r{run}-{i}").as_str()),
                "run {run}: p{i} lost:\n{}",
                std::fs::read_to_string(home.config()).unwrap()
            );
        }

        // One profile, different keys, both files, nested and plain values.
        let home = Home::new("concurrent-mixed");
        let mut jobs: Vec<_> = (0..14)
            .map(|i| words(&format!("configure set profile.shared.setting_{i} v{i}")))
            .collect();
        jobs.extend(
            [
                "--profile shared configure set aws_access_key_id AKIDSHARED",
                "--profile shared configure set aws_secret_access_key SECRETSHARED",
                "--profile shared configure set aws_session_token TOKENSHARED",
                "configure set profile.shared.s3.max_concurrency 10",
                "configure set profile.shared.s3.addressing_style path",
                "configure set profile.shared.region eu-central-1",
            ]
            .map(words),
        );
        run_concurrently(&home, &jobs);
        let set = home.load();
        let shared = set.profile("shared").unwrap();
        for i in 0..14 {
            assert_eq!(
                shared.get(&format!("setting_{i}")),
                Some(format!("v{i}").as_str()),
                "run {run}: setting_{i} lost:\n{}",
                std::fs::read_to_string(home.config()).unwrap()
            );
        }
        assert_eq!(shared.get("aws_access_key_id"), Some("AKIDSHARED"));
        assert_eq!(shared.get("aws_secret_access_key"), Some("SECRETSHARED"));
        assert_eq!(shared.get("aws_session_token"), Some("TOKENSHARED"));
        assert_eq!(shared.get("region"), Some("eu-central-1"));
        assert_eq!(shared.get_nested("s3", "max_concurrency"), Some("10"));
        assert_eq!(shared.get_nested("s3", "addressing_style"), Some("path"));
    }
}

const MARKER: &str = "SUPERSECRETMARKER";

#[test]
fn broken_credentials_file_error_names_file_and_line_not_the_secret() {
    let home = Home::new("parse");
    std::fs::write(home.config(), "[default]\nregion = us-east-1\n").unwrap();
    let cases = [
        (
            format!("[default]\naws_access_key_id = AKID\naws_secret_access_key {MARKER}\n"),
            3,
        ),
        (format!("aws_secret_access_key = {MARKER}\n[default]\n"), 1),
        (format!("[default]\n[{MARKER}\n"), 2),
        (format!("[default]\n  {MARKER}\n"), 2),
        (
            format!("[default]\naws_secret_access_key =\n  {MARKER}\n"),
            3,
        ),
        (format!("[default]\n\n\n{MARKER}\n"), 4),
    ];
    for (text, line) in cases {
        std::fs::write(home.credentials(), &text).unwrap();
        let o = home.run(&["sts", "get-caller-identity"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(253), "{text:?}: {err}");
        assert!(!err.contains(MARKER), "{text:?}: secret in {err}");
        assert!(
            err.contains(&home.credentials().display().to_string())
                && err.contains(&format!("line {line}")),
            "{text:?}: {err}"
        );
        assert!(!String::from_utf8_lossy(&o.stdout).contains(MARKER));
    }
    // Invalid UTF-8 on line 2.
    let mut bytes = b"[default]\naws_secret_access_key = ".to_vec();
    bytes.extend(MARKER.as_bytes());
    bytes.extend(b"\xff\xfe\n");
    std::fs::write(home.credentials(), &bytes).unwrap();
    let o = home.run(&["sts", "get-caller-identity"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(253), "{err}");
    assert!(!err.contains(MARKER), "secret in {err}");
    assert!(
        err.contains(&home.credentials().display().to_string()) && err.contains("line 2"),
        "{err}"
    );
}

#[test]
fn missing_profile_is_still_reported() {
    let home = Home::new("missing-profile");
    std::fs::write(home.config(), CONFIG).unwrap();
    std::fs::write(home.credentials(), CREDENTIALS).unwrap();
    let o = home.run(&["--profile", "nope", "sts", "get-caller-identity"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(253), "{err}");
    assert!(
        err.contains("The config profile (nope) could not be found")
            || err.contains("the config profile (nope) could not be found"),
        "{err}"
    );
    assert!(!err.contains("EXISTINGSECRET"), "{err}");
    // `configure get` of a profile that does not exist: exit 1, nothing printed.
    let o = home.run(&["configure", "get", "profile.nope.region"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
}
