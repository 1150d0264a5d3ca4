//! Connection failures read as aws-cli v1 prints them.
//!
//! When the endpoint cannot be reached, people at a shell (and scripts that
//! grep stderr) see botocore's connection exceptions through aws-cli:
//! `Could not connect to the endpoint URL: "<request URL>"`, `Read timeout on
//! endpoint URL: ...`, `Connection was closed before we received a valid
//! response from endpoint URL: ...`. This runs the same commands with `boto`
//! and with aws-cli v1 (`BOTO_TEST_AWSCLI`, installed by `scripts/test.sh`)
//! against three local endpoints — a port nobody listens on, a server that
//! accepts and never answers, a server that closes the connection after
//! reading the request — with one attempt each, and compares stderr byte for
//! byte and the exit status (255 for both).
//!
//! Prints `awscli-connection-errors: N passed, M failed`.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

/// A port with no listener: bound, then released.
fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    l.local_addr().unwrap().port()
}

/// A server on a background thread; `close` decides whether a connection is
/// closed after the request arrives or held open with no answer.
fn server(close: bool) -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held: Vec<TcpStream> = Vec::new();
        for conn in l.incoming() {
            let Ok(mut conn) = conn else { continue };
            if close {
                let _ = conn.set_read_timeout(Some(Duration::from_secs(2)));
                let mut buf = [0u8; 4096];
                let _ = conn.read(&mut buf);
                drop(conn);
            } else {
                held.push(conn);
            }
        }
    });
    port
}

fn run(program: &Path, home: &Path, endpoint: &str, args: &[&str]) -> Output {
    let mut c = Command::new(program);
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
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_RETRY_MODE", "standard")
        .env("AWS_PAGER", "")
        .env("HOME", home)
        .arg("--endpoint-url")
        .arg(endpoint)
        .arg("--cli-read-timeout")
        .arg("1")
        .args(args);
    c.output().expect("run the command")
}

#[test]
fn connection_errors_match_aws_cli_v1() {
    let Some(aws) = std::env::var_os("BOTO_TEST_AWSCLI") else {
        eprintln!("skipping: BOTO_TEST_AWSCLI (aws-cli v1) is set by scripts/test.sh");
        return;
    };
    let aws = PathBuf::from(aws);
    let boto = Path::new(env!("CARGO_BIN_EXE_boto"));
    let home = std::env::temp_dir().join(format!("boto-conn-errors-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(home.join("config"), "[default]\n").unwrap();

    let refused = format!("http://127.0.0.1:{}", closed_port());
    let silent = format!("http://127.0.0.1:{}", server(false));
    let closing = format!("http://127.0.0.1:{}", server(true));
    let commands: [&[&str]; 4] = [
        &["s3api", "list-buckets"],
        &["s3api", "head-object", "--bucket", "b", "--key", "dir/k"],
        &["sts", "get-caller-identity"],
        &["dynamodb", "list-tables"],
    ];
    let (mut passed, mut failed) = (0, 0);
    let mut report = String::new();
    for (what, endpoint) in [
        ("refused", &refused),
        ("no answer", &silent),
        ("closed", &closing),
    ] {
        for args in commands {
            let ours = run(boto, &home, endpoint, args);
            let theirs = run(&aws, &home, endpoint, args);
            let (o, t) = (
                String::from_utf8_lossy(&ours.stderr),
                String::from_utf8_lossy(&theirs.stderr),
            );
            let label = format!("{what}: {}", args.join(" "));
            if o == t && ours.status.code() == theirs.status.code() && t.contains("endpoint URL") {
                passed += 1;
                println!("ok   {label}");
            } else {
                failed += 1;
                report.push_str(&format!(
                    "FAIL {label}\n  aws  ({:?}): {t:?}\n  boto ({:?}): {o:?}\n",
                    theirs.status.code(),
                    ours.status.code()
                ));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&home);
    let summary = format!("\nawscli-connection-errors: {passed} passed, {failed} failed\n");
    let _ = std::io::Write::write_all(&mut std::io::stdout(), summary.as_bytes());
    assert_eq!(failed, 0, "\n{report}");
}
