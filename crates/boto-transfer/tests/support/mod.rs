//! Shared helpers for the transfer tests: the two servers (`scripts/with_servers.sh`
//! or `scripts/test.sh` start them), hermetic clients, buckets, scratch
//! directories, deterministic data and the `suite: N passed, M failed` tally.
//!
//! * s3s-fs (`BOTO_TEST_S3S_ENDPOINT`, keys in `BOTO_TEST_S3S_ACCESS_KEY` /
//!   `_SECRET_KEY`) verifies SigV4 signatures and `x-amz-checksum-*` values.
//! * moto (`BOTO_TEST_ENDPOINT`) implements ListMultipartUploads, so it is
//!   where "no multipart upload left behind" is checked.

#![allow(dead_code)]

use boto::core::auth::config::{AddressingStyle, Env, ExplicitConfig};
use boto::{params, Client, ClientOptions, Session};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// A server to test against.
#[derive(Clone, Debug)]
pub struct Server {
    pub name: &'static str,
    pub endpoint: String,
    pub access_key: String,
    pub secret_key: String,
}

fn var(k: &str) -> Option<String> {
    std::env::var(k).ok().filter(|v| !v.is_empty())
}

pub fn s3s() -> Option<Server> {
    Some(Server {
        name: "s3s-fs",
        endpoint: var("BOTO_TEST_S3S_ENDPOINT")?,
        access_key: var("BOTO_TEST_S3S_ACCESS_KEY")?,
        secret_key: var("BOTO_TEST_S3S_SECRET_KEY")?,
    })
}

pub fn moto() -> Option<Server> {
    Some(Server {
        name: "moto",
        endpoint: var("BOTO_TEST_ENDPOINT")?,
        access_key: "testing".into(),
        secret_key: "testing".into(),
    })
}

/// Both servers, or `None` with the reason printed.
pub fn servers(test: &str) -> Option<Vec<Server>> {
    let all: Vec<Server> = [s3s(), moto()].into_iter().flatten().collect();
    if all.len() < 2 {
        eprintln!(
            "skipping {test}: BOTO_TEST_S3S_ENDPOINT/_ACCESS_KEY/_SECRET_KEY and BOTO_TEST_ENDPOINT are not all set (scripts/with_servers.sh starts s3s-fs and moto)"
        );
        return None;
    }
    Some(all)
}

impl Server {
    /// A client for this server at `endpoint` (the server's own, or a proxy in front of it).
    pub fn client_at(&self, endpoint: &str, max_attempts: u32) -> Client {
        let home = std::env::temp_dir().join("boto-transfer-test-no-home");
        let session = Session::builder()
            .env(Env::from_vars(Vec::<(String, String)>::new()).with_home(home))
            .config(ExplicitConfig::default())
            .credentials(&self.access_key, &self.secret_key, None)
            .region("us-east-1")
            .build()
            .expect("session");
        session
            .client_with(
                "s3",
                &ClientOptions {
                    endpoint_url: Some(endpoint.to_string()),
                    addressing_style: Some(AddressingStyle::Path),
                    max_attempts: Some(max_attempts),
                    max_pool_connections: Some(32),
                    read_timeout: Some(Duration::from_secs(10)),
                    ..ClientOptions::default()
                },
            )
            .expect("s3 client")
    }
    pub fn client(&self) -> Client {
        self.client_at(&self.endpoint, 3)
    }
}

/// A name unique to this process and call (valid as a bucket name).
pub fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .subsec_nanos();
    format!("{prefix}-{}-{n}-{t:x}", std::process::id())
        .chars()
        .take(63)
        .collect()
}

pub async fn new_bucket(s3: &Client, prefix: &str) -> String {
    let b = unique(prefix);
    s3.call("CreateBucket", params! {"Bucket": (&b)})
        .await
        .expect("CreateBucket");
    b
}

/// A fresh scratch directory under the system temp dir.
pub fn temp_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(unique(&format!("boto-transfer-{prefix}")));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// `len` bytes of a deterministic pattern (xorshift), fast enough for 100s of MB.
pub fn pattern(len: usize, seed: u64) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

pub fn write_file(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, data).expect("write test file");
    p
}

/// Files in `dir` other than `keep`.
pub fn other_files(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().to_string())
                .filter(|n| !keep.contains(&n.as_str()))
                .collect()
        })
        .unwrap_or_default()
}

/// Open multipart uploads in a bucket (moto implements ListMultipartUploads).
pub async fn open_uploads(s3: &Client, bucket: &str) -> usize {
    let out = s3
        .call("ListMultipartUploads", params! {"Bucket": bucket})
        .await
        .expect("ListMultipartUploads");
    out.get("Uploads").as_list().map(|l| l.len()).unwrap_or(0)
}

/// Counts cases and prints `suite: N passed, M failed` at the end.
pub struct Tally {
    suite: &'static str,
    pub passed: usize,
    pub failed: Vec<String>,
}

impl Tally {
    pub fn new(suite: &'static str) -> Self {
        Tally {
            suite,
            passed: 0,
            failed: Vec::new(),
        }
    }
    pub fn record(&mut self, case: String, r: Result<(), String>) {
        match r {
            Ok(()) => self.passed += 1,
            Err(e) => {
                eprintln!("FAIL {case}: {e}");
                self.failed.push(case);
            }
        }
    }
    pub fn finish(self) {
        // Written to the stdout handle, not `println!`, so the summary shows in
        // `cargo test` output (and scripts/test.sh's summary) without --nocapture.
        let line = format!(
            "\n{}: {} passed, {} failed\n",
            self.suite,
            self.passed,
            self.failed.len()
        );
        let _ = std::io::Write::write_all(&mut std::io::stdout(), line.as_bytes());
        assert!(self.failed.is_empty(), "failed: {:?}", self.failed);
    }
}
