//! Hostile or malformed input on the command line never sends anything
//! anywhere: a region that would bend the host (from `--region`,
//! `AWS_DEFAULT_REGION` or the config file), an endpoint URL without a
//! scheme, and arguments that are not UTF-8. Also `--no-verify-ssl`'s warning.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// A listener standing in for the attacker's host; counts connections and
/// the bytes it was sent.
struct Trap {
    port: u16,
    hits: Arc<AtomicUsize>,
}

impl Trap {
    fn start() -> Trap {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let hits = Arc::new(AtomicUsize::new(0));
        let h = hits.clone();
        std::thread::spawn(move || {
            for mut s in l.incoming().flatten() {
                h.fetch_add(1, Ordering::SeqCst);
                let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
                let _ = s.read(&mut [0u8; 4096]);
            }
        });
        Trap { port, hits }
    }
}

fn boto(args: &[&str], env: &[(&str, &str)], home: &std::path::Path) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_boto"));
    c.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "SECRETEXAMPLEKEY")
        .env("AWS_SESSION_TOKEN", "SESSIONTOKENEXAMPLE")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run boto")
}

fn temp_home(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("boto-cli-hostile-{}-{tag}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn a_hostile_region_sends_nothing_from_any_source() {
    let trap = Trap::start();
    let region = format!("x@127.0.0.1:{}/", trap.port);
    let commands: &[&[&str]] = &[
        &["sts", "get-caller-identity"],
        &[
            "secretsmanager",
            "put-secret-value",
            "--secret-id",
            "s",
            "--secret-string",
            "TOPSECRET",
        ],
        &["dynamodb", "list-tables"],
        &["s3api", "list-buckets"],
    ];
    let home = temp_home("region");
    for source in ["argument", "env", "config file"] {
        for cmd in commands {
            let mut args: Vec<&str> = cmd.to_vec();
            let mut env: Vec<(&str, &str)> = Vec::new();
            let _ = std::fs::remove_file(home.join("config"));
            match source {
                "argument" => args.extend(["--region", region.as_str()]),
                "env" => env.push(("AWS_DEFAULT_REGION", region.as_str())),
                _ => std::fs::write(
                    home.join("config"),
                    format!("[default]\nregion = {region}\n"),
                )
                .unwrap(),
            }
            let o = boto(&args, &env, &home);
            let err = String::from_utf8_lossy(&o.stderr);
            assert_ne!(o.status.code(), Some(0), "{source} {cmd:?}");
            assert!(
                err.contains(&format!(
                    "Provided region_name '{region}' doesn't match a supported format."
                )),
                "{source} {cmd:?}: {err}"
            );
            assert!(!err.contains("TOPSECRET") && !err.contains("SECRETEXAMPLEKEY"));
        }
    }
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        trap.hits.load(Ordering::SeqCst),
        0,
        "a request reached the trap"
    );
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn endpoint_url_without_scheme_is_reported_as_such() {
    let home = temp_home("endpoint");
    let o = boto(
        &["s3api", "list-buckets", "--endpoint-url", "not a url"],
        &[],
        &home,
    );
    assert_eq!(o.status.code(), Some(252));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        "Bad value for --endpoint-url \"not a url\": scheme is missing.  \
         Must be of the form http://<hostname>/ or https://<hostname>/"
    );
    // A URL with a scheme but a bent host is refused by the runtime, before any request.
    let trap = Trap::start();
    let url = format!("http://user@127.0.0.1:{}/", trap.port);
    let o = boto(
        &[
            "s3api",
            "list-buckets",
            "--region",
            "us-east-1",
            "--endpoint-url",
            &url,
        ],
        &[],
        &home,
    );
    assert_eq!(o.status.code(), Some(253));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Invalid endpoint: "));
    assert_eq!(trap.hits.load(Ordering::SeqCst), 0);
    let _ = std::fs::remove_dir_all(&home);
}

#[cfg(unix)]
#[test]
fn non_utf8_arguments_are_refused() {
    use std::os::unix::ffi::OsStrExt;
    let home = temp_home("utf8");
    let bad = std::ffi::OsStr::from_bytes(b"\xff\xfe");
    let o = Command::new(env!("CARGO_BIN_EXE_boto"))
        .args(["s3api", "put-object", "--bucket", "b", "--key"])
        .arg(bad)
        .env("HOME", &home)
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(252));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("argument 6 is not valid UTF-8: \"\\xFF\\xFE\""),
        "{err}"
    );
    assert!(!err.contains('\u{FFFD}'), "{err}");
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn no_verify_ssl_prints_the_insecure_request_warning() {
    let home = temp_home("noverify");
    // Nothing listens on port 9 of 127.0.0.1, so the call fails fast after the warning.
    let o = boto(
        &[
            "sts",
            "get-caller-identity",
            "--region",
            "us-east-1",
            "--no-verify-ssl",
            "--endpoint-url",
            "https://127.0.0.1:9",
            "--cli-connect-timeout",
            "1",
        ],
        &[("AWS_MAX_ATTEMPTS", "1")],
        &home,
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "InsecureRequestWarning: Unverified HTTPS request is being made to host '127.0.0.1'. \
             Adding certificate verification is strongly advised."
        ),
        "{err}"
    );
    // Without the flag there is no warning.
    let o = boto(
        &[
            "sts",
            "get-caller-identity",
            "--region",
            "us-east-1",
            "--endpoint-url",
            "https://127.0.0.1:9",
            "--cli-connect-timeout",
            "1",
        ],
        &[("AWS_MAX_ATTEMPTS", "1")],
        &home,
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("InsecureRequestWarning"));
    let _ = std::fs::remove_dir_all(&home);
}
