//! `boto s3api get-object ... FILE` through a proxy that cuts response
//! bodies short: the file ends up complete and bit-identical (the body is
//! resumed with `Range`), or, when every attempt is cut, absent — and an
//! existing file at that path is left untouched. aws-cli v1 fails on the
//! first cut with "truncated response body" and leaves a partial file.
//!
//! The proxy is a few lines of std TCP in this file: one request per
//! connection, forwarded to moto (`BOTO_TEST_ENDPOINT`); the first `cuts`
//! GetObject responses (GETs of the object path) are cut after half the body.
//! Prints `cli-s3-outfile: N passed, M failed`.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

fn read_head(s: &mut TcpStream) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut b = [0u8; 1];
    while !buf.ends_with(b"\r\n\r\n") {
        if s.read(&mut b).ok()? == 0 {
            return None;
        }
        buf.push(b[0]);
    }
    Some(buf)
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())
                .flatten()
        })
        .unwrap_or(0)
}

fn with_close(head: &str) -> String {
    let mut lines: Vec<&str> = head
        .trim_end()
        .lines()
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("Connection: close");
    format!("{}\r\n\r\n", lines.join("\r\n"))
}

fn handle(mut c: TcpStream, upstream: &str, object_path: &str, cuts: usize, cut: &AtomicUsize) {
    let Some(head) = read_head(&mut c) else {
        return;
    };
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut body = vec![0u8; content_length(&head)];
    if c.read_exact(&mut body).is_err() {
        return;
    }
    let Ok(mut u) = TcpStream::connect(upstream) else {
        return;
    };
    let _ = u.write_all(with_close(&head).as_bytes());
    let _ = u.write_all(&body);
    let mut resp = Vec::new();
    let _ = u.read_to_end(&mut resp);
    let Some(split) = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
    else {
        return;
    };
    let rhead = with_close(&String::from_utf8_lossy(&resp[..split]));
    let rbody = &resp[split..];
    let first = head.lines().next().unwrap_or("");
    let is_get = first.starts_with("GET ") && first.contains(object_path) && rbody.len() > 1000;
    let _ = c.write_all(rhead.as_bytes());
    if is_get && cut.load(Ordering::SeqCst) < cuts {
        cut.fetch_add(1, Ordering::SeqCst);
        let _ = c.write_all(&rbody[..rbody.len() / 2]);
    } else {
        let _ = c.write_all(rbody);
    }
    let _ = c.shutdown(std::net::Shutdown::Both);
}

/// Starts the proxy; returns its URL and the count of cut responses.
fn proxy(upstream: &str, object_path: &str, cuts: usize) -> (String, Arc<AtomicUsize>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    let cut = Arc::new(AtomicUsize::new(0));
    let (up, path, c2) = (upstream.to_string(), object_path.to_string(), cut.clone());
    std::thread::spawn(move || {
        for conn in l.incoming().flatten() {
            let (up, path, c3) = (up.clone(), path.clone(), c2.clone());
            std::thread::spawn(move || handle(conn, &up, &path, cuts, &c3));
        }
    });
    (url, cut)
}

fn boto(endpoint: &str, args: &[&str], cwd: &Path) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_boto"))
        .args(args)
        .args(["--endpoint-url", endpoint])
        .current_dir(cwd)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_MAX_ATTEMPTS", "2")
        .output()
        .expect("run boto");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn get_object_to_a_file_is_complete_or_absent() {
    let Ok(moto) = std::env::var("BOTO_TEST_ENDPOINT") else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/test.sh starts moto)");
        return;
    };
    let upstream = moto
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let dir = std::env::temp_dir().join(format!("boto-s3-outfile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
        .collect();
    std::fs::write(dir.join("src.bin"), &data).unwrap();
    let bucket = format!("s3-outfile-{}", std::process::id());
    let (mut passed, mut failed) = (0, 0);
    let mut check = |name: &str, ok: bool, detail: String| {
        if ok {
            passed += 1;
            println!("ok   {name}");
        } else {
            failed += 1;
            println!("FAIL {name}: {detail}");
        }
    };
    assert_eq!(
        boto(&moto, &["s3", "mb", &format!("s3://{bucket}")], &dir).0,
        0
    );
    let up = boto(
        &moto,
        &["s3", "cp", "src.bin", &format!("s3://{bucket}/obj.bin")],
        &dir,
    );
    assert_eq!(up.0, 0, "{}", up.1);
    let object_path = format!("/{bucket}/obj.bin");
    let get = |endpoint: &str, out: &str| {
        boto(
            endpoint,
            &[
                "s3api",
                "get-object",
                "--bucket",
                &bucket,
                "--key",
                "obj.bin",
                out,
            ],
            &dir,
        )
    };

    // Two cut bodies, then a whole one: resumed, complete, bit-identical.
    let (url, cut) = proxy(&upstream, &object_path, 2);
    let (code, err) = get(&url, "resumed.bin");
    let got = std::fs::read(dir.join("resumed.bin")).unwrap_or_default();
    check(
        "truncated twice: complete and identical",
        code == 0 && got == data && cut.load(Ordering::SeqCst) == 2,
        format!(
            "exit {code}, {} bytes, {} cuts, {err}",
            got.len(),
            cut.load(Ordering::SeqCst)
        ),
    );

    // Every body cut: the command fails and leaves nothing (no temp files either).
    let (url, cut) = proxy(&upstream, &object_path, usize::MAX);
    let (code, err) = get(&url, "never.bin");
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("never"))
        .collect();
    check(
        "always truncated: fails, no file left",
        code != 0 && leftovers.is_empty() && cut.load(Ordering::SeqCst) >= 2,
        format!("exit {code}, leftovers {leftovers:?}, {err}"),
    );

    // An existing file is replaced only by a complete one.
    std::fs::write(dir.join("existing.bin"), b"keep me").unwrap();
    let (code, _) = get(&url, "existing.bin");
    let kept = std::fs::read(dir.join("existing.bin")).unwrap_or_default();
    check(
        "always truncated: existing file untouched",
        code != 0 && kept == b"keep me",
        format!("exit {code}, now {} bytes", kept.len()),
    );

    // Without faults, through moto directly.
    let (code, err) = get(&moto, "direct.bin");
    let got = std::fs::read(dir.join("direct.bin")).unwrap_or_default();
    check(
        "direct: identical",
        code == 0 && got == data,
        format!("exit {code}, {err}"),
    );

    let _ = boto(
        &moto,
        &["s3", "rb", &format!("s3://{bucket}"), "--force"],
        &dir,
    );
    let _ = std::fs::remove_dir_all(&dir);
    let summary = format!("\ncli-s3-outfile: {passed} passed, {failed} failed\n");
    let _ = std::io::Write::write_all(&mut std::io::stdout(), summary.as_bytes());
    assert_eq!(failed, 0);
}
