//! Regressions found by the fault-injection suite (`crates/boto/tests/faults`).
//!
//! Each case reproduces, against the scripted server in `support/`, a fault
//! the suite injected and the client mishandled:
//! - a buffered `GetObject` (`Client::call`, not `call_stream`) whose body
//!   did not match its `x-amz-checksum-*` header was returned as is: the
//!   checksum was checked only on streamed bodies, so a response whose
//!   `Content-Length` cut the body short handed back wrong data;
//! - two calls of one client rejected for clock skew at the same time: the
//!   first corrected the client's clock, and the second, comparing the
//!   server's time with the already-corrected clock instead of the clock it
//!   was signed with, saw no skew and failed without a retry.

mod support;

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_model::{params, Value};
use boto_runtime::config::{AddressingStyle, RetryMode};
use boto_runtime::{Client, ClientConfig, ErrorKind};
use std::sync::Arc;
use std::time::Duration;
use support::{http_date, Action, Reply, TestServer};

fn client(service: &str, server: &TestServer, max_attempts: u32) -> Client {
    Client::builder(service)
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            endpoint_url: Some(server.url()),
            retry_mode: RetryMode::Standard,
            max_attempts: Some(max_attempts),
            retry_base_delay: Duration::from_millis(10),
            addressing_style: AddressingStyle::Path,
            ..ClientConfig::default()
        })
        .credentials(Arc::new(StaticProvider::new(Credentials::new(
            "AKIDTEST",
            "SECRETTEST",
            None,
            None,
            "test",
        ))))
        .build()
        .expect("client builds")
}

/// CRC-32 (IEEE), base64, as S3 sends it in `x-amz-checksum-crc32`.
fn crc32_b64(data: &[u8]) -> String {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode((!crc).to_be_bytes())
}

fn object_reply(body: &[u8], checksum_of: &[u8]) -> Reply {
    Reply::new(200)
        .header("ETag", "\"e\"")
        .header("x-amz-checksum-crc32", &crc32_b64(checksum_of))
        .body(body.to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buffered_get_object_body_is_checked_against_its_checksum() {
    let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
    // First a body cut short (what a too-small Content-Length delivers),
    // then the whole body: the short one must be caught and retried.
    let server = TestServer::scripted(
        vec![Action::Reply(object_reply(&data[..7_500], &data))],
        Action::Reply(object_reply(&data, &data)),
    );
    let c = client("s3", &server, 3);
    let out = c
        .call(
            "GetObject",
            params! {"Bucket": "bkt", "Key": "k", "ChecksumMode": "ENABLED"},
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let body = out.get("Body").as_blob().unwrap_or_default();
    assert!(
        body == &data[..],
        "got {} bytes, not the {} sent",
        body.len(),
        data.len()
    );
    assert_eq!(
        out.pointer("ResponseMetadata.RetryAttempts").as_i64(),
        Some(1)
    );
    assert_eq!(server.count(), 2);

    // A body that never matches fails after the retries, as a response error.
    let server = TestServer::always(object_reply(b"not the object", &data));
    let c = client("s3", &server, 2);
    let err = c
        .call(
            "GetObject",
            params! {"Bucket": "bkt", "Key": "k", "ChecksumMode": "ENABLED"},
        )
        .await
        .expect_err("checksum mismatch");
    assert_eq!(err.kind(), ErrorKind::Response, "{err:?}");
    assert!(err.to_string().contains("checksum"), "{err}");
    assert_eq!(server.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clock_skew_rejections_are_all_retried() {
    // The server's clock is 5 minutes ahead. Both first requests arrive
    // before either answer (held 300 ms), so both are rejected; each must be
    // retried, whichever corrects the client's clock first.
    let ahead = 300;
    let skewed = Reply::json_error(
        400,
        "com.amazon.coral.service#InvalidSignatureException",
        "Signature expired",
    )
    .header("Date", &http_date(ahead));
    let server = TestServer::start(move |_, n| {
        if n < 2 {
            Action::Delay(
                Duration::from_millis(300),
                Box::new(Action::Reply(skewed.clone())),
            )
        } else {
            Action::Reply(
                Reply::json(200, r#"{"Item":{"id":{"S":"1"}}}"#).header("Date", &http_date(ahead)),
            )
        }
    });
    let c = client("dynamodb", &server, 3);
    let get = || {
        let c = c.clone();
        async move {
            c.call(
                "GetItem",
                params! {"TableName": "t", "Key": {"id": {"S": "1"}}},
            )
            .await
        }
    };
    let (a, b) = tokio::join!(get(), get());
    for out in [a, b] {
        let out: Value = out.unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(
            out.pointer("ResponseMetadata.RetryAttempts").as_i64(),
            Some(1)
        );
    }
    assert_eq!(server.count(), 4);
}
