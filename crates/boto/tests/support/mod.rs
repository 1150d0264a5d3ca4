//! Shared helpers for the moto integration tests: the moto endpoint, sessions
//! and clients pointed at it, unique resource names, scratch directories, a
//! bare HTTP/1.1 client (for presigned URLs) and a tiny stored-zip writer.
//!
//! `scripts/test.sh` starts moto server on a random port and exports
//! `BOTO_TEST_ENDPOINT`; without it every test prints why it is skipped and
//! returns.

#![allow(dead_code)]

use boto::{ClientOptions, Session};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

pub const REGION: &str = "us-east-1";
pub const SKIP: &str = "skipped: BOTO_TEST_ENDPOINT not set (scripts/test.sh starts moto)";

/// The moto endpoint, or `None` outside `scripts/test.sh`.
pub fn endpoint() -> Option<String> {
    std::env::var("BOTO_TEST_ENDPOINT")
        .ok()
        .filter(|s| !s.is_empty())
}

/// Returns the moto endpoint from the enclosing test, or prints the skip
/// notice and returns `Ok(())` when it is not set.
#[macro_export]
macro_rules! moto_or_skip {
    () => {
        match $crate::support::endpoint() {
            Some(e) => e,
            None => {
                eprintln!("{}", $crate::support::SKIP);
                return Ok(());
            }
        }
    };
}

/// A session with region us-east-1 and the testing/testing credentials.
pub fn session() -> Session {
    Session::builder()
        .region(REGION)
        .credentials("testing", "testing", None)
        .build()
        .expect("session builds")
}

pub fn options(endpoint: &str) -> ClientOptions {
    ClientOptions {
        endpoint_url: Some(endpoint.to_string()),
        max_pool_connections: Some(32),
        ..Default::default()
    }
}

/// An async client for `service` talking to moto.
pub fn client(endpoint: &str, service: &str) -> boto::Client {
    session()
        .client_with(service, &options(endpoint))
        .expect("client builds")
}

/// A blocking client for `service` talking to moto.
pub fn blocking_client(endpoint: &str, service: &str) -> boto::blocking::Client {
    boto::blocking::Client::new(client(endpoint, service))
}

/// A name unique to this process and call: lowercase, digits and dashes,
/// valid as an S3 bucket name when `prefix` is (at most 63 characters).
pub fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_micros()
        % 1_000_000_000;
    let name = format!("{prefix}-{}-{n}-{t}", std::process::id());
    name.chars().take(63).collect()
}

/// A fresh scratch directory under the system temp dir.
pub fn temp_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(unique(&format!("boto-rs-it-{prefix}")));
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// `len` bytes of a deterministic, non-repeating-looking pattern.
pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    let mut x: u32 = 0x9E37_79B9 ^ u32::from(seed);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// A plain HTTP/1.1 response: status, lower-cased headers and body.
#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Sends one request with nothing but `std::net::TcpStream` (no SDK code
/// involved), for checking presigned URLs. `url` must be `http://host:port/...`.
pub fn raw_http(method: &str, url: &str, body: &[u8]) -> std::io::Result<RawResponse> {
    let rest = url.strip_prefix("http://").expect("an http:// URL");
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let mut stream = std::net::TcpStream::connect(authority)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("response has a header block");
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"))
    {
        body = dechunk(&body);
    }
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size_line = String::from_utf8_lossy(&b[..eol]).to_string();
        let size = usize::from_str_radix(size_line.split(';').next().unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip archive with the given files, stored without compression.
pub fn zip_stored(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let size = data.len() as u32;
        let mut local = Vec::new();
        local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        local.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]); // version, flags, method 0, time, date
        local.extend_from_slice(&crc.to_le_bytes());
        local.extend_from_slice(&size.to_le_bytes());
        local.extend_from_slice(&size.to_le_bytes());
        local.extend_from_slice(&(name.len() as u16).to_le_bytes());
        local.extend_from_slice(&0u16.to_le_bytes());
        local.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&local);
        out.extend_from_slice(data);

        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(name.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0]); // extra, comment, disk, internal attrs
        central.extend_from_slice(&0u32.to_le_bytes()); // external attrs
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let cd_offset = out.len() as u32;
    let cd_len = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_len.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// The keys of the `Contents` of a ListObjects(V2) page or full result.
pub fn keys_of(page: &boto::Value) -> Vec<String> {
    page.get("Contents")
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|o| o.get("Key").as_str().map(str::to_owned))
        .collect()
}

pub fn list_len(v: &boto::Value) -> usize {
    v.as_list().map_or(0, <[boto::Value]>::len)
}
