//! Retries through the real client path against a scripted local server.
//!
//! Unit tests in `src/retry.rs` check the classifier, quota and backoff in
//! isolation; these check the whole loop as users see it: a real model
//! (DynamoDB `json`, S3 `rest-xml`), the real hyper transport with its pool,
//! and a server (`support/`) that fails on cue. Each case asserts what reached
//! the wire (request count, `amz-sdk-request`, identical resent bodies) and
//! what the caller gets back (result, `ErrorKind`, `retry_attempts()`).
//!
//! Backoff is botocore's full jitter (up to 1 s, 2 s, ... per retry) and is not
//! configurable from `ClientConfig`, so cases keep `max_attempts` at 2-3 to
//! stay within a few seconds each (they run in parallel).

mod support;

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_model::{params, Timestamp, Value};
use boto_runtime::config::{AddressingStyle, RetryMode};
use boto_runtime::{Client, ClientConfig, ErrorKind};
use std::sync::Arc;
use support::{http_date, Action, Reply, TestServer};

const GET_ITEM_OK: &str = r#"{"Item":{"id":{"S":"1"},"n":{"N":"5"}}}"#;

fn client(service: &str, server: &TestServer, mode: RetryMode, max_attempts: u32) -> Client {
    Client::builder(service)
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            endpoint_url: Some(server.url()),
            retry_mode: mode,
            max_attempts: Some(max_attempts),
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

fn get_item_params() -> Value {
    params! {"TableName": "tbl", "Key": {"id": {"S": "1"}}}
}

fn retry_attempts_metadata(out: &Value) -> Option<i64> {
    out.pointer("ResponseMetadata.RetryAttempts").as_i64()
}

fn ok_item() -> Action {
    Action::Reply(Reply::json(200, GET_ITEM_OK))
}

/// `failures` failing actions then success: the call succeeds after exactly `failures + 1` requests.
async fn fails_then_succeeds(
    failures: Vec<Action>,
    mode: RetryMode,
    max_attempts: u32,
) -> (TestServer, Value) {
    let n = failures.len();
    let server = TestServer::scripted(failures, ok_item());
    let c = client("dynamodb", &server, mode, max_attempts);
    let out = c
        .call("GetItem", get_item_params())
        .await
        .unwrap_or_else(|e| panic!("call should succeed: {e:?}"));
    assert_eq!(out.pointer("Item.id.S").as_str(), Some("1"), "{out:?}");
    assert_eq!(
        server.count(),
        n + 1,
        "one request per failure plus the successful one"
    );
    assert!(server.count() <= max_attempts as usize);
    assert_eq!(
        retry_attempts_metadata(&out),
        Some(n as i64),
        "ResponseMetadata.RetryAttempts"
    );
    (server, out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamodb_500_then_success() {
    let fail = Action::Reply(Reply::json_error(
        500,
        "com.amazonaws.dynamodb.v20120810#InternalServerError",
        "oops",
    ));
    fails_then_succeeds(vec![fail.clone(), fail], RetryMode::Standard, 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamodb_503_then_success_and_body_resent_identically() {
    let fail = Action::Reply(Reply::new(503).body("Service Unavailable"));
    let (server, _) = fails_then_succeeds(vec![fail], RetryMode::Standard, 3).await;
    let reqs = server.requests();
    assert_eq!(
        reqs[0].body, reqs[1].body,
        "a retry resends the same payload"
    );
    assert_eq!(
        reqs[0].header("x-amz-target"),
        Some("DynamoDB_20120810.GetItem")
    );
    // Each attempt is signed afresh (new date, same credential scope).
    for r in &reqs {
        let auth = r.header("authorization").expect("signed");
        assert!(
            auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDTEST/"),
            "{auth}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dynamodb_throttling_400_then_success() {
    let fail = Action::Reply(Reply::json_error(
        400,
        "com.amazonaws.dynamodb.v20120810#ThrottlingException",
        "Rate exceeded",
    ));
    fails_then_succeeds(vec![fail], RetryMode::Standard, 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_mode_retries_provisioned_throughput_exceeded() {
    let fail = Action::Reply(Reply::json_error(
        400,
        "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
        "slow down",
    ));
    fails_then_succeeds(vec![fail.clone(), fail], RetryMode::Legacy, 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adaptive_mode_retries_throttling_then_succeeds() {
    let fail = Action::Reply(Reply::json_error(
        400,
        "ThrottlingException",
        "Rate exceeded",
    ));
    fails_then_succeeds(vec![fail], RetryMode::Adaptive, 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_slowdown_then_success() {
    let server = TestServer::scripted(
        vec![Action::Reply(Reply::s3_error(
            503,
            "SlowDown",
            "Please reduce your request rate.",
        ))],
        Action::Reply(
            Reply::new(200)
                .header("Content-Type", "text/plain")
                .header("ETag", "\"abc\"")
                .body("hello"),
        ),
    );
    let c = client("s3", &server, RetryMode::Standard, 3);
    let out = c
        .call("GetObject", params! {"Bucket": "bkt", "Key": "k.txt"})
        .await
        .expect("GetObject succeeds");
    assert_eq!(out.get("Body").as_blob(), Some(&b"hello"[..]));
    assert_eq!(out.get("ETag").as_str(), Some("\"abc\""));
    assert_eq!(server.count(), 2);
    let reqs = server.requests();
    assert!(
        reqs.iter()
            .all(|r| r.method == "GET" && r.path() == "/bkt/k.txt"),
        "{reqs:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_head_object_500_then_success() {
    let server = TestServer::scripted(
        vec![Action::Reply(Reply::new(500))],
        Action::Reply(
            Reply::new(200)
                .header("Content-Type", "text/plain")
                .header("ETag", "\"e1\"")
                .header("x-amz-meta-color", "blue"),
        ),
    );
    let c = client("s3", &server, RetryMode::Standard, 3);
    let out = c
        .call("HeadObject", params! {"Bucket": "bkt", "Key": "k"})
        .await
        .expect("HeadObject succeeds");
    assert_eq!(out.get("ETag").as_str(), Some("\"e1\""));
    assert_eq!(out.pointer("Metadata.color").as_str(), Some("blue"));
    assert_eq!(server.count(), 2);
    assert!(server.requests().iter().all(|r| r.method == "HEAD"));
}

/// Persistent 503: exactly `max_attempts` requests, then the service error.
async fn persistent_503(mode: RetryMode) {
    let server = TestServer::always(Reply::json_error(
        503,
        "ServiceUnavailable",
        "down for maintenance",
    ));
    let c = client("dynamodb", &server, mode, 3);
    let err = c
        .call("ListTables", params! {})
        .await
        .expect_err("must fail");
    assert_eq!(err.kind(), ErrorKind::Service, "{err:?}");
    assert_eq!(err.status(), Some(503));
    assert!(err.is_code("ServiceUnavailable"), "{err:?}");
    assert_eq!(
        server.count(),
        3,
        "exactly max_attempts requests ({mode:?})"
    );
    assert_eq!(err.retry_attempts(), 2);
    assert_eq!(err.operation(), Some("ListTables"));
    let shown = err.to_string();
    assert!(shown.contains("(reached max retries: 2)"), "{shown}");
    let headers: Vec<_> = server
        .requests()
        .iter()
        .map(|r| r.header("amz-sdk-request").unwrap_or("").to_string())
        .collect();
    assert_eq!(
        headers,
        ["attempt=1; max=3", "attempt=2; max=3", "attempt=3; max=3"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_503_legacy_stops_at_max_attempts() {
    persistent_503(RetryMode::Legacy).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_503_standard_stops_at_max_attempts() {
    persistent_503(RetryMode::Standard).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_503_adaptive_stops_at_max_attempts() {
    persistent_503(RetryMode::Adaptive).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validation_exception_is_not_retried() {
    let server = TestServer::always(Reply::json_error(
        400,
        "com.amazon.coral.validate#ValidationException",
        "1 validation error detected",
    ));
    let c = client("dynamodb", &server, RetryMode::Standard, 5);
    let err = c
        .call("GetItem", get_item_params())
        .await
        .expect_err("must fail");
    assert_eq!(err.kind(), ErrorKind::Service);
    assert!(err.is_code("ValidationException"), "{err:?}");
    assert_eq!(err.message(), "1 validation error detected");
    assert_eq!(server.count(), 1);
    assert_eq!(err.retry_attempts(), 0);
    assert!(!err.to_string().contains("reached max retries"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_no_such_key_is_not_retried() {
    let server = TestServer::always(Reply::s3_error(
        404,
        "NoSuchKey",
        "The specified key does not exist.",
    ));
    let c = client("s3", &server, RetryMode::Legacy, 5);
    let err = c
        .call("GetObject", params! {"Bucket": "bkt", "Key": "missing"})
        .await
        .expect_err("must fail");
    assert!(err.is_code("NoSuchKey"), "{err:?}");
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("REQ-XML"));
    assert_eq!(server.count(), 1);
    assert_eq!(err.retry_attempts(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_closed_without_response_then_success() {
    let (server, _) = fails_then_succeeds(vec![Action::Close], RetryMode::Standard, 3).await;
    assert_eq!(
        server.connections(),
        2,
        "the closed connection is not reused"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_reset_then_success() {
    let (server, _) =
        fails_then_succeeds(vec![Action::Reset, Action::Reset], RetryMode::Standard, 3).await;
    assert_eq!(server.connections(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_connection_reset_is_a_dispatch_error() {
    let server = TestServer::scripted(Vec::new(), Action::Reset);
    let c = client("dynamodb", &server, RetryMode::Standard, 2);
    let err = c
        .call("ListTables", params! {})
        .await
        .expect_err("must fail");
    assert_eq!(err.kind(), ErrorKind::Dispatch, "{err:?}");
    assert_eq!(server.count(), 2);
    assert_eq!(err.retry_attempts(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn truncated_body_then_success() {
    // Content-Length promises 200 bytes; 20 arrive, then the server closes.
    let truncated = Action::Truncate(Reply::json(200, &GET_ITEM_OK[..20]), 200);
    fails_then_succeeds(vec![truncated], RetryMode::Standard, 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_truncated_body_is_a_response_error_mentioning_truncation() {
    let server = TestServer::scripted(
        Vec::new(),
        Action::Truncate(Reply::json(200, &GET_ITEM_OK[..20]), 200),
    );
    let c = client("dynamodb", &server, RetryMode::Standard, 2);
    let err = c
        .call("GetItem", get_item_params())
        .await
        .expect_err("must fail");
    assert_eq!(server.count(), 2, "truncation is retried");
    assert_eq!(err.retry_attempts(), 1);
    assert_eq!(err.kind(), ErrorKind::Response, "{err:?}");
    assert!(err.to_string().to_lowercase().contains("truncat"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn persistent_truncated_body_fails_after_max_attempts() {
    // The part of the contract that holds today, whatever the kind: retried, then a failure.
    let server = TestServer::scripted(
        Vec::new(),
        Action::Truncate(Reply::json(200, &GET_ITEM_OK[..20]), 200),
    );
    let c = client("dynamodb", &server, RetryMode::Standard, 2);
    let err = c
        .call("GetItem", get_item_params())
        .await
        .expect_err("must fail");
    assert_eq!(server.count(), 2, "truncation is retried");
    assert_eq!(err.retry_attempts(), 1);
    assert!(
        matches!(err.kind(), ErrorKind::Response | ErrorKind::Dispatch),
        "{err:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn amz_sdk_request_counts_attempts() {
    let fail = Action::Reply(Reply::new(502));
    let (server, _) = fails_then_succeeds(vec![fail.clone(), fail], RetryMode::Standard, 4).await;
    let got: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("amz-sdk-request").unwrap_or("").into())
        .collect();
    assert_eq!(
        got,
        ["attempt=1; max=4", "attempt=2; max=4", "attempt=3; max=4"]
    );
    // A new call starts again at attempt 1.
    let c = client("dynamodb", &server, RetryMode::Standard, 4);
    c.call("GetItem", get_item_params()).await.expect("ok");
    assert_eq!(
        server.requests().last().unwrap().header("amz-sdk-request"),
        Some("attempt=1; max=4")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invocation_id_is_stable_across_retries_of_one_call() {
    let fail = Action::Reply(Reply::new(503));
    let (server, _) = fails_then_succeeds(vec![fail.clone(), fail], RetryMode::Standard, 3).await;
    let ids: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("amz-sdk-invocation-id").unwrap_or("").into())
        .collect();
    assert!(!ids[0].is_empty());
    assert!(
        ids.iter().all(|i| *i == ids[0]),
        "one invocation id per call: {ids:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invocation_ids_differ_between_calls() {
    let server = TestServer::always(Reply::json(200, GET_ITEM_OK));
    let c = client("dynamodb", &server, RetryMode::Standard, 3);
    c.call("GetItem", get_item_params()).await.unwrap();
    c.call("GetItem", get_item_params()).await.unwrap();
    let ids: Vec<String> = server
        .requests()
        .iter()
        .map(|r| r.header("amz-sdk-invocation-id").unwrap_or("").into())
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
    assert_eq!(ids[0].len(), 36, "UUID-shaped: {}", ids[0]);
}

/// botocore's standard retry quota: 500 tokens, 5 per retry, so at most 100
/// retries on one client until successes refill it. Run enough failing calls
/// concurrently (one retry each) to drain it; later calls are not retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn standard_retry_quota_eventually_stops_retries() {
    let server = TestServer::always(Reply::new(500));
    let c = client("dynamodb", &server, RetryMode::Standard, 2);
    let calls = 130;
    let mut tasks = Vec::new();
    for _ in 0..calls {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            c.call("ListTables", params! {}).await
        }));
    }
    let mut retried = 0;
    for t in tasks {
        let err = t.await.unwrap().expect_err("always 500");
        assert_eq!(err.kind(), ErrorKind::Service);
        retried += err.retry_attempts();
    }
    assert_eq!(retried, 100, "the quota allows exactly 100 retries");
    assert_eq!(server.count(), calls + 100);
    // Drained: the next failing call is not retried at all.
    let before = server.count();
    let err = c
        .call("ListTables", params! {})
        .await
        .expect_err("still 500");
    assert_eq!(err.retry_attempts(), 0);
    assert_eq!(server.count(), before + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legacy_mode_has_no_quota() {
    let server = TestServer::always(Reply::new(500));
    let c = client("dynamodb", &server, RetryMode::Legacy, 2);
    let mut tasks = Vec::new();
    for _ in 0..120 {
        let c = c.clone();
        tasks.push(tokio::spawn(async move {
            c.call("ListTables", params! {}).await
        }));
    }
    for t in tasks {
        assert_eq!(
            t.await.unwrap().expect_err("always 500").retry_attempts(),
            1
        );
    }
    assert_eq!(server.count(), 240);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signature_mismatch_without_clock_skew_is_not_retried() {
    // A wrong secret key: retrying cannot help, botocore sends one request.
    let server = TestServer::always(Reply::json_error(
        400,
        "InvalidSignatureException",
        "The request signature we calculated does not match the signature you provided.",
    ));
    let c = client("dynamodb", &server, RetryMode::Standard, 3);
    let err = c
        .call("ListTables", params! {})
        .await
        .expect_err("must fail");
    assert!(err.is_code("InvalidSignatureException"), "{err:?}");
    assert_eq!(server.count(), 1, "no retry without clock skew");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clock_skew_is_corrected_on_retry() {
    // The server's clock is 2 hours ahead: the first request is rejected as
    // skewed, and the retry is signed with the server's time.
    let ahead = 2 * 3600;
    let skewed = Reply::s3_error(
        403,
        "RequestTimeTooSkewed",
        "The difference between the request time and the current time is too large.",
    )
    .header("Date", &http_date(ahead));
    let server = TestServer::scripted(
        vec![Action::Reply(skewed)],
        Action::Reply(
            Reply::new(200)
                .header("ETag", "\"e\"")
                .header("Date", &http_date(ahead))
                .body("ok"),
        ),
    );
    let c = client("s3", &server, RetryMode::Standard, 3);
    c.call("GetObject", params! {"Bucket": "bkt", "Key": "k"})
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    let date = |i: usize| {
        reqs[i]
            .header("x-amz-date")
            .expect("x-amz-date")
            .to_string()
    };
    // 20260101T000000Z → ISO 8601 extended form for the parser.
    let secs = |d: &str| {
        let iso = format!(
            "{}-{}-{}T{}:{}:{}Z",
            &d[0..4],
            &d[4..6],
            &d[6..8],
            &d[9..11],
            &d[11..13],
            &d[13..15]
        );
        Timestamp::parse(&iso)
            .unwrap_or_else(|e| panic!("{d}: {e:?}"))
            .epoch_secs()
    };
    let shift = secs(&date(1)) - secs(&date(0));
    assert!(
        (ahead - 120..=ahead + 120).contains(&shift),
        "retry signed {shift}s later than the first attempt ({} vs {})",
        date(0),
        date(1)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn successes_refill_the_retry_quota() {
    // 100 failing calls (one retry each) drain the 500-token quota; five
    // first-try successes then earn back the 5 tokens one retry costs.
    let mut script: Vec<Action> = (0..200).map(|_| Action::Reply(Reply::new(500))).collect();
    script.extend((0..5).map(|_| Action::Reply(Reply::json(200, r#"{"TableNames":[]}"#))));
    script.push(Action::Reply(Reply::new(500)));
    let server = TestServer::scripted(
        script,
        Action::Reply(Reply::json(200, r#"{"TableNames":[]}"#)),
    );
    let c = Client::builder("dynamodb")
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            endpoint_url: Some(server.url()),
            retry_mode: RetryMode::Standard,
            max_attempts: Some(2),
            retry_base_delay: std::time::Duration::from_millis(1),
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
        .unwrap();
    for _ in 0..100 {
        let err = c
            .call("ListTables", params! {})
            .await
            .expect_err("500 twice");
        assert_eq!(err.retry_attempts(), 1);
    }
    for _ in 0..5 {
        c.call("ListTables", params! {}).await.expect("200");
    }
    // 500, then a retry paid for by the refilled tokens, which succeeds.
    let out = c
        .call("ListTables", params! {})
        .await
        .expect("retried into success");
    assert_eq!(
        out.pointer("ResponseMetadata.RetryAttempts").as_i64(),
        Some(1)
    );
    assert_eq!(server.count(), 200 + 5 + 2);
}
