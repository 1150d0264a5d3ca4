//! S3 signatures and checksums against s3s-fs, a server that checks them.
//!
//! moto accepts any signature and ignores most checksum headers, so a wrong
//! canonical request or a bad checksum passes there unnoticed. s3s-fs (the
//! `s3s` crate's file-system S3) verifies SigV4 headers, presigned query
//! signatures and expiry, POST policies, and `x-amz-checksum-*` values, and
//! stores objects on disk. `scripts/test.sh` builds it once into `.data/s3s`
//! (`setup_s3s`), starts it on a random port (`start_s3s`) and exports
//! `BOTO_TEST_S3S_ENDPOINT`, `BOTO_TEST_S3S_ACCESS_KEY` and
//! `BOTO_TEST_S3S_SECRET_KEY`; without them each test prints why it skips.
//!
//! Presigned URLs and the POST form are exercised with a bare HTTP/1.1
//! client over `TcpStream` (from `boto-runtime/tests/support`), so nothing of
//! the SDK is involved on the way back in. Expected checksums are computed
//! here independently (hand-written CRCs, `ring` for SHA), not with the
//! crate's own code.

#[path = "../../../boto-runtime/tests/support/mod.rs"]
mod wire;

use base64::Engine as _;
use boto::core::auth::config::{AddressingStyle, ChecksumMode, Env, ExplicitConfig};
use boto::core::auth::sigv4::{presign_post, PresignedPostInput, SigningParams};
use boto::{params, Client, ClientOptions, ErrorKind, RequestBody, Session, Value};
use std::time::{Duration, SystemTime};
use wire::raw_request;

struct S3s {
    endpoint: String,
    access_key: String,
    secret_key: String,
}

/// The running s3s-fs, or `None` (with the reason printed) when the test environment lacks it.
fn s3s(test: &str) -> Option<S3s> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (
        var("BOTO_TEST_S3S_ENDPOINT"),
        var("BOTO_TEST_S3S_ACCESS_KEY"),
        var("BOTO_TEST_S3S_SECRET_KEY"),
    ) {
        (Some(endpoint), Some(access_key), Some(secret_key)) => Some(S3s {
            endpoint,
            access_key,
            secret_key,
        }),
        _ => {
            eprintln!(
                "skipping {test}: BOTO_TEST_S3S_ENDPOINT/_ACCESS_KEY/_SECRET_KEY are not set (scripts/test.sh starts s3s-fs)"
            );
            None
        }
    }
}

impl S3s {
    fn client_with_keys(&self, access_key: &str, secret_key: &str, max_attempts: u32) -> Client {
        self.client_with_config(
            access_key,
            secret_key,
            max_attempts,
            ExplicitConfig::default(),
        )
    }
    fn client_with_config(
        &self,
        access_key: &str,
        secret_key: &str,
        max_attempts: u32,
        explicit: ExplicitConfig,
    ) -> Client {
        // A hermetic session: no process environment, no config files.
        let home = std::env::temp_dir().join("boto-s3s-test-no-home");
        let session = Session::builder()
            .env(Env::from_vars(Vec::<(String, String)>::new()).with_home(home))
            .config(explicit)
            .credentials(access_key, secret_key, None)
            .region("us-east-1")
            .build()
            .expect("session");
        session
            .client_with(
                "s3",
                &ClientOptions {
                    endpoint_url: Some(self.endpoint.clone()),
                    addressing_style: Some(AddressingStyle::Path),
                    max_attempts: Some(max_attempts),
                    ..ClientOptions::default()
                },
            )
            .expect("s3 client")
    }
    fn client(&self) -> Client {
        self.client_with_keys(&self.access_key, &self.secret_key, 3)
    }
    /// A client with `request_checksum_calculation = response_checksum_validation = when_required`
    /// (the checksum customizations add no headers at all).
    fn client_checksums_when_required(&self) -> Client {
        let explicit = ExplicitConfig {
            request_checksum_calculation: Some(ChecksumMode::WhenRequired),
            response_checksum_validation: Some(ChecksumMode::WhenRequired),
            ..ExplicitConfig::default()
        };
        self.client_with_config(&self.access_key, &self.secret_key, 3, explicit)
    }
}

/// A bucket name unique to this process and test.
fn bucket_name(test: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "s3s-{}-{}-{:x}{}",
        test.replace('_', "-"),
        std::process::id(),
        nanos,
        N.fetch_add(1, Ordering::Relaxed)
    )
    .chars()
    .take(63)
    .collect()
}

async fn new_bucket(s3: &Client, test: &str) -> String {
    let b = bucket_name(test);
    s3.call("CreateBucket", params! {"Bucket": (&b)})
        .await
        .unwrap_or_else(|e| panic!("CreateBucket {b}: {e}"));
    b
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Reflected CRC with the given polynomial (init and final xor all ones).
fn crc32_with(poly: u32, data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ poly
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
fn crc32(data: &[u8]) -> String {
    b64(&crc32_with(0xEDB8_8320, data).to_be_bytes())
}
fn crc32c(data: &[u8]) -> String {
    b64(&crc32_with(0x82F6_3B78, data).to_be_bytes())
}
fn crc64nvme(data: &[u8]) -> String {
    let mut crc = !0u64;
    for &b in data {
        crc ^= u64::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0x9A6C_9329_AC4B_C9B5
            } else {
                crc >> 1
            };
        }
    }
    b64(&(!crc).to_be_bytes())
}
fn sha(alg: &'static ring::digest::Algorithm, data: &[u8]) -> String {
    b64(ring::digest::digest(alg, data).as_ref())
}

#[test]
fn independent_checksums_match_known_vectors() {
    // The standard "123456789" check values.
    assert_eq!(crc32_with(0xEDB8_8320, b"123456789"), 0xCBF4_3926);
    assert_eq!(crc32_with(0x82F6_3B78, b"123456789"), 0xE306_9283);
    assert_eq!(
        crc64nvme(b"123456789"),
        b64(&0xAE8B_1486_0A79_9888u64.to_be_bytes())
    );
    assert_eq!(
        sha(&ring::digest::SHA256, b"hello"),
        "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="
    );
}

mod checksums_post;
mod presigned;
mod signing;
