//! Read and connect timeouts through the real transport.
//!
//! botocore's `read_timeout` is a socket timeout: it bounds the wait for the
//! response headers and for every later read of the body; `connect_timeout`
//! bounds the TCP handshake. Both surface as `ErrorKind::Timeout` and are
//! retried. These tests use the scripted server in `support/` with
//! `read_timeout = 300 ms` and a server that answers late or stalls mid-body.
//!
//! Connect timeout: the usual trick, connecting to a non-routable address
//! such as 10.255.255.1, needs a network route and fails instantly with
//! "network unreachable" in a sandbox without one, so it would test nothing.
//! Instead the test fills the accept queue of a local listener that never
//! accepts (`listen(0)`): Linux then drops further SYNs, so the handshake
//! hangs exactly like an unreachable host, without any network. If the kernel
//! does not behave that way (the probe connection succeeds), the test says so
//! and returns.

mod support;

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_model::params;
use boto_runtime::config::RetryMode;
use boto_runtime::{Client, ClientConfig, ErrorKind};
use std::sync::Arc;
use std::time::{Duration, Instant};
use support::{Action, Reply, TestServer};

const GET_ITEM_OK: &str = r#"{"Item":{"id":{"S":"1"}}}"#;

fn client(
    service: &str,
    url: String,
    max_attempts: u32,
    connect: Duration,
    read: Duration,
) -> Client {
    Client::builder(service)
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            endpoint_url: Some(url),
            retry_mode: RetryMode::Standard,
            max_attempts: Some(max_attempts),
            connect_timeout: connect,
            read_timeout: read,
            addressing_style: boto_runtime::config::AddressingStyle::Path,
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

const READ: Duration = Duration::from_millis(300);
const CONNECT: Duration = Duration::from_secs(5);

fn slow(d: Duration, reply: Reply) -> Action {
    Action::Delay(d, Box::new(Action::Reply(reply)))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_response_is_a_timeout_and_is_retried() {
    let server = TestServer::scripted(
        Vec::new(),
        slow(Duration::from_millis(1500), Reply::json(200, GET_ITEM_OK)),
    );
    let c = client("dynamodb", server.url(), 2, CONNECT, READ);
    let started = Instant::now();
    let err = c
        .call(
            "GetItem",
            params! {"TableName": "t", "Key": {"id": {"S": "1"}}},
        )
        .await
        .expect_err("times out");
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
    assert!(err.is_timeout());
    assert_eq!(server.count(), 2, "the timed-out attempt is retried");
    assert_eq!(err.retry_attempts(), 1);
    assert!(err.to_string().contains("timeout"), "{err}");
    // Two attempts of ~300 ms each (plus at most 1 s of backoff), never the 1.5 s answer.
    let took = started.elapsed();
    assert!(
        took >= 2 * READ && took < Duration::from_millis(2800),
        "{took:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_first_answer_then_fast_succeeds() {
    let server = TestServer::scripted(
        vec![slow(
            Duration::from_millis(1000),
            Reply::json(200, GET_ITEM_OK),
        )],
        Action::Reply(Reply::json(200, GET_ITEM_OK)),
    );
    let c = client("dynamodb", server.url(), 3, CONNECT, READ);
    let out = c
        .call(
            "GetItem",
            params! {"TableName": "t", "Key": {"id": {"S": "1"}}},
        )
        .await
        .expect("second attempt");
    assert_eq!(out.pointer("Item.id.S").as_str(), Some("1"));
    assert_eq!(
        out.pointer("ResponseMetadata.RetryAttempts").as_i64(),
        Some(1)
    );
    assert_eq!(server.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn body_stalled_mid_stream_is_a_read_timeout() {
    // Headers arrive at once, then half the body, then nothing for 1.5 s.
    let body = "x".repeat(4096);
    let stalled = Action::StallBody(
        Reply::new(200)
            .header("Content-Type", "text/plain")
            .body(body.clone()),
        Duration::from_millis(1500),
    );
    let server = TestServer::scripted(
        vec![stalled.clone(), stalled],
        Action::Reply(Reply::new(200).body(body.clone())),
    );
    let c = client("s3", server.url(), 2, CONNECT, READ);
    let err = c
        .call("GetObject", params! {"Bucket": "b", "Key": "k"})
        .await
        .expect_err("body read times out");
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
    assert!(
        err.message().contains("body"),
        "says where it stalled: {err}"
    );
    assert_eq!(server.count(), 2);

    // With a third attempt allowed, the good response on the third request wins.
    let server = TestServer::scripted(
        vec![Action::StallBody(
            Reply::new(200).body(body.clone()),
            Duration::from_millis(1500),
        )],
        Action::Reply(Reply::new(200).body(body.clone())),
    );
    let c = client("s3", server.url(), 3, CONNECT, READ);
    let out = c
        .call("GetObject", params! {"Bucket": "b", "Key": "k"})
        .await
        .expect("retry succeeds");
    assert_eq!(out.get("Body").as_blob().map(<[u8]>::len), Some(4096));
    assert_eq!(server.count(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_body_honours_read_timeout_per_chunk() {
    let body = "y".repeat(8192);
    let server = TestServer::scripted(
        Vec::new(),
        Action::StallBody(Reply::new(200).body(body), Duration::from_millis(1500)),
    );
    let c = client("s3", server.url(), 1, CONNECT, READ);
    let out = c
        .call_stream("GetObject", params! {"Bucket": "b", "Key": "k"}, None)
        .await
        .expect("headers arrive");
    let mut stream = out.body.expect("GetObject streams its body");
    let mut got = 0usize;
    let err = loop {
        match stream.next_chunk().await {
            Ok(Some(chunk)) => got += chunk.len(),
            Ok(None) => panic!("body should stall, got {got} bytes and EOF"),
            Err(e) => break e,
        }
    };
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
    assert_eq!(got, 4096, "the first half arrived before the stall");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_timeout_when_the_handshake_hangs() {
    use std::net::{SocketAddr, TcpStream};
    // A listener with the smallest accept queue that never accepts.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    // Fill the queue until a handshake hangs.
    let mut held = Vec::new();
    let mut hung = false;
    for _ in 0..16 {
        match tokio::task::spawn_blocking(move || {
            TcpStream::connect_timeout(&addr, Duration::from_millis(300))
        })
        .await
        .unwrap()
        {
            Ok(s) => held.push(s),
            Err(e)
                if e.kind() == std::io::ErrorKind::TimedOut
                    || e.kind() == std::io::ErrorKind::WouldBlock =>
            {
                hung = true;
                break;
            }
            Err(e) => panic!("unexpected connect error: {e}"),
        }
    }
    if !hung {
        eprintln!("skipping: this kernel accepts handshakes beyond a full accept queue, cannot simulate a hanging connect");
        return;
    }
    let c = client(
        "dynamodb",
        format!("http://{addr}"),
        2,
        Duration::from_millis(300),
        Duration::from_secs(10),
    );
    let started = Instant::now();
    let err = c
        .call("ListTables", params! {})
        .await
        .expect_err("cannot connect");
    let took = started.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
    assert!(err.to_string().contains("connect"), "{err}");
    assert_eq!(err.retry_attempts(), 1, "connect timeouts are retried");
    assert!(
        took >= Duration::from_millis(600) && took < Duration::from_secs(4),
        "{took:?}"
    );
    drop(held);
    drop(listener);
}
