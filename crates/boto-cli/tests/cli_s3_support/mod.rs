//! Helpers shared by the `cli_s3_*` tests: running `boto` with a private
//! config file and optional stdin, a pass/fail tally that prints
//! `suite: N passed, M failed`, the 1,000-file test tree, and comparisons of
//! output lines and local trees.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Out {
    pub code: i32,
    pub out: String,
    pub err: String,
    pub raw: Vec<u8>,
}

pub struct Env {
    pub dir: PathBuf,
    pub config: PathBuf,
    pub creds: (String, String),
}

impl Env {
    pub fn run_in(&self, endpoint: Option<&str>, args: &[&str], stdin: Option<&[u8]>) -> Out {
        let mut c = Command::new(env!("CARGO_BIN_EXE_boto"));
        c.args(args)
            .current_dir(&self.dir)
            .env("AWS_ACCESS_KEY_ID", &self.creds.0)
            .env("AWS_SECRET_ACCESS_KEY", &self.creds.1)
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", &self.config)
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(e) = endpoint {
            c.args(["--endpoint-url", e]);
        }
        let mut child = c.spawn().expect("run boto");
        let mut input = child.stdin.take().unwrap();
        let data = stdin.map(<[u8]>::to_vec).unwrap_or_default();
        let writer = std::thread::spawn(move || {
            let _ = input.write_all(&data);
        });
        let o = child.wait_with_output().unwrap();
        writer.join().unwrap();
        Out {
            code: o.status.code().unwrap_or(-1),
            out: String::from_utf8_lossy(&o.stdout).into_owned(),
            err: String::from_utf8_lossy(&o.stderr).into_owned(),
            raw: o.stdout,
        }
    }
}

#[derive(Default)]
pub struct Suite {
    pub passed: usize,
    pub failed: Vec<String>,
}

impl Suite {
    pub fn check(&mut self, name: &str, ok: bool, detail: impl std::fmt::Display) {
        if ok {
            self.passed += 1;
            println!("ok   {name}");
        } else {
            println!("FAIL {name}: {detail}");
            self.failed.push(format!("{name}: {detail}"));
        }
    }
    pub fn finish(self, suite: &str) {
        let summary = format!(
            "\n{suite}: {} passed, {} failed\n",
            self.passed,
            self.failed.len()
        );
        let _ = std::io::stdout().write_all(summary.as_bytes());
        assert!(self.failed.is_empty(), "{:#?}", self.failed);
    }
}

pub fn env(name: &str, config: &str) -> Env {
    let dir = std::env::temp_dir().join(format!("boto-s3-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("config"), config).unwrap();
    Env {
        config: dir.join("config"),
        dir,
        creds: ("testing".into(), "testing".into()),
    }
}

pub fn http_get(url: &str) -> (u16, Vec<u8>) {
    let rest = url.strip_prefix("http://").expect("http URL");
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let mut c = std::net::TcpStream::connect(host).unwrap();
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut resp = Vec::new();
    c.read_to_end(&mut resp).unwrap();
    let split = resp
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(resp.len(), |i| i + 4);
    let status = String::from_utf8_lossy(&resp[..split.min(12)])
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, resp[split..].to_vec())
}

/// Lines without aws-cli's `Completed ...` progress segments and padding.
pub fn lines(s: &str) -> Vec<String> {
    s.split(['\n', '\r'])
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with("Completed "))
        .collect()
}

pub fn sorted(s: &str, subst: &[(&str, &str)]) -> Vec<String> {
    let mut v: Vec<String> = lines(s)
        .into_iter()
        .map(|mut l| {
            for (a, b) in subst {
                l = l.replace(a, b);
            }
            l
        })
        .collect();
    v.sort();
    v
}

/// Local tree: relative path → bytes.
pub fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            let ft = e.file_type().unwrap();
            if ft.is_dir() {
                walk(base, &p, out);
            } else if ft.is_file() {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// S3 times are whole seconds: a file written in the second of its upload
/// looks newer than its object, and whether that happens depends on timing.
/// Dating the tree back makes both CLIs see the same thing.
pub fn backdate(p: &Path) {
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    let f = std::fs::File::options().write(true).open(p).unwrap();
    f.set_modified(past).unwrap();
}

pub fn make_tree(root: &Path) -> usize {
    let mut n = 0;
    for d in 0..10 {
        let dir = root
            .join(format!("d{d}"))
            .join(format!("sub dir {}", d % 3));
        std::fs::create_dir_all(&dir).unwrap();
        for i in 0..100 {
            let name = match i % 5 {
                0 => format!("file {i}.txt"),
                1 => format!("ünïcödé-{i}.json"),
                2 => format!("empty-{i}"),
                3 => format!("x{i}.bin"),
                _ => format!("日本 {i}.md"),
            };
            let body = if i % 5 == 2 {
                Vec::new()
            } else {
                format!("{d}/{i} {}", "z".repeat(i)).into_bytes()
            };
            let p = if i % 10 == 9 {
                root.join(format!("d{d}")).join(&name)
            } else {
                dir.join(&name)
            };
            std::fs::write(&p, body).unwrap();
            backdate(&p);
            n += 1;
        }
    }
    std::fs::write(root.join("top level.txt"), "top").unwrap();
    backdate(&root.join("top level.txt"));
    std::os::unix::fs::symlink("/nonexistent/boto-s3-diff", root.join("broken link")).unwrap();
    n + 1
}
