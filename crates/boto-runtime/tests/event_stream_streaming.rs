//! `Client::call_event_stream` end to end against a local server that
//! writes event-stream messages with pauses: each case proves what a caller
//! sees while the response is still being written (the first event arrives
//! while the server is blocked before the last one), and what exception
//! events, error messages, corrupt and truncated bodies and retried error
//! responses turn into. Prints `event-stream-streaming: N passed, M failed`.

#[path = "event_stream_support/mod.rs"]
mod es;
use boto_protocols as es_protocols;

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_model::{params, Value};
use boto_runtime::{Client, ClientConfig, ErrorKind, EventStreamOutput};
use es::{event, exception, message, stream_head, EsServer, Step};
use std::sync::Arc;
use std::time::Duration;

type CaseResult = Result<(), String>;
type Case = std::pin::Pin<Box<dyn std::future::Future<Output = CaseResult>>>;

fn client(service: &str, server: &EsServer) -> Client {
    let creds = Credentials::new("AKID", "SECRET", None, None, StaticProvider::NAME);
    Client::builder(service)
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            endpoint_url: Some(server.url()),
            retry_base_delay: Duration::from_millis(5),
            read_timeout: Duration::from_secs(10),
            // StartLiveTail's `streaming-` host prefix would not resolve on 127.0.0.1.
            disable_host_prefix_injection: true,
            ..ClientConfig::default()
        })
        .credentials(Arc::new(StaticProvider::new(creds)))
        .build()
        .expect("client")
}

fn check(ok: bool, what: impl std::fmt::Display) -> CaseResult {
    if ok {
        Ok(())
    } else {
        Err(what.to_string())
    }
}

fn select_params() -> Value {
    params! {
        "Bucket": "b", "Key": "k.csv", "Expression": "SELECT * FROM S3Object",
        "ExpressionType": "SQL", "InputSerialization": {"CSV": {}},
        "OutputSerialization": {"CSV": {}},
    }
}

fn converse_params() -> Value {
    params! {"modelId": "m", "messages": [{"role": "user", "content": [{"text": "hi"}]}]}
}

async fn start(c: &Client, op: &str, p: Value) -> Result<EventStreamOutput, String> {
    c.call_event_stream(op, p)
        .await
        .map_err(|e| format!("call failed: {}", e.report()))
}

async fn next(out: &mut EventStreamOutput) -> Result<Value, String> {
    match out.events.recv().await {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err("stream ended early".into()),
        Err(e) => Err(format!("unexpected error: {}", e.report())),
    }
}

/// S3 Select: Records arrives while the server waits before Stats and End.
async fn s3_select_arrives_incrementally() -> CaseResult {
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("Records", b"a,1\n")),
        Step::Wait,
        Step::Chunk(event("Records", b"b,2\n")),
        Step::Wait,
        Step::Chunk(event(
            "Stats",
            b"<Stats><BytesScanned>8</BytesScanned><BytesProcessed>8</BytesProcessed>\
              <BytesReturned>8</BytesReturned></Stats>",
        )),
        Step::Chunk(event("End", b"")),
        Step::End,
    ]]);
    let c = client("s3", &server);
    let mut out = start(&c, "SelectObjectContent", select_params()).await?;
    check(out.events.member() == "Payload", "member")?;
    let first = next(&mut out).await?;
    check(
        first.pointer("Records.Payload").as_blob() == Some(b"a,1\n"),
        format!("first event {first:?}"),
    )?;
    // The server is parked at its first Wait: one chunk out of four written.
    check(
        server.sent() == 1,
        format!("server had sent {}", server.sent()),
    )?;
    server.go();
    let second = next(&mut out).await?;
    check(
        server.sent() == 2,
        format!("server had sent {}", server.sent()),
    )?;
    check(
        second.pointer("Records.Payload").as_blob() == Some(b"b,2\n"),
        "second",
    )?;
    server.go();
    let stats = next(&mut out).await?;
    check(
        stats.pointer("Stats.Details.BytesReturned").as_i64() == Some(8),
        "stats",
    )?;
    let end = next(&mut out).await?;
    check(end.get("End").as_map().is_some(), format!("end {end:?}"))?;
    check(matches!(out.events.recv().await, Ok(None)), "clean end")?;
    check(matches!(out.events.recv().await, Ok(None)), "stays ended")
}

/// Lambda: header-bound members and the status code are in the value
/// before any event; blob event payloads.
async fn lambda_headers_then_chunks() -> CaseResult {
    let server = EsServer::start(vec![vec![
        stream_head(&[("X-Amz-Executed-Version", "7")]),
        Step::Chunk(message(
            &[
                (":message-type", "event"),
                (":event-type", "PayloadChunk"),
                (":content-type", "application/octet-stream"),
            ],
            b"{\"partial\":",
        )),
        Step::Wait,
        Step::Chunk(event("PayloadChunk", b"1}")),
        Step::Chunk(event("InvokeComplete", br#"{"LogResult":"bG9n"}"#)),
        Step::End,
    ]]);
    let c = client("lambda", &server);
    let mut out = start(
        &c,
        "InvokeWithResponseStream",
        params! {"FunctionName": "f"},
    )
    .await?;
    check(
        out.value.get("StatusCode").as_i64() == Some(200),
        format!("{:?}", out.value),
    )?;
    check(
        out.value.get("ExecutedVersion").as_str() == Some("7"),
        "ExecutedVersion",
    )?;
    check(
        out.value.get("EventStream").is_null(),
        "stream member left out",
    )?;
    check(
        out.value.pointer("ResponseMetadata.RequestId").as_str() == Some("REQ-STREAM"),
        "request id",
    )?;
    let a = next(&mut out).await?;
    check(server.sent() == 1, "first chunk before the rest")?;
    server.go();
    let b = next(&mut out).await?;
    let mut joined = a
        .pointer("PayloadChunk.Payload")
        .as_blob()
        .unwrap_or_default()
        .to_vec();
    joined.extend_from_slice(
        b.pointer("PayloadChunk.Payload")
            .as_blob()
            .unwrap_or_default(),
    );
    check(joined == b"{\"partial\":1}", "payload chunks")?;
    let done = next(&mut out).await?;
    check(
        done.pointer("InvokeComplete.LogResult").as_str() == Some("bG9n"),
        "complete",
    )?;
    check(matches!(out.events.recv().await, Ok(None)), "end")
}

/// Bedrock ConverseStream: a modeled exception event after two events.
async fn bedrock_exception_event() -> CaseResult {
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("messageStart", br#"{"role":"assistant"}"#)),
        Step::Wait,
        Step::Chunk(event(
            "contentBlockDelta",
            br#"{"contentBlockIndex":0,"delta":{"text":"Hel"}}"#,
        )),
        Step::Chunk(exception(
            "throttlingException",
            br#"{"message":"Too many tokens, please wait."}"#,
        )),
        Step::Chunk(event("messageStop", br#"{"stopReason":"end_turn"}"#)),
        Step::End,
    ]]);
    let c = client("bedrock-runtime", &server);
    let mut out = start(&c, "ConverseStream", converse_params()).await?;
    let first = next(&mut out).await?;
    check(
        first.pointer("messageStart.role").as_str() == Some("assistant"),
        "start",
    )?;
    check(
        server.sent() == 1,
        format!("first event before the rest: {}", server.sent()),
    )?;
    server.go();
    let delta = next(&mut out).await?;
    check(
        delta.pointer("contentBlockDelta.delta.text").as_str() == Some("Hel"),
        format!("{delta:?}"),
    )?;
    let err = match out.events.recv().await {
        Err(e) => e,
        other => return Err(format!("expected the exception, got {other:?}")),
    };
    check(err.kind() == ErrorKind::Service, "kind")?;
    check(
        err.code() == Some("throttlingException"),
        format!("{err:?}"),
    )?;
    check(
        err.to_string()
            == "An error occurred (throttlingException) when calling the ConverseStream \
                operation: Too many tokens, please wait.",
        err.to_string(),
    )?;
    check(err.request_id() == Some("REQ-STREAM"), "request id")?;
    check(
        matches!(out.events.recv().await, Ok(None)),
        "ended after the error",
    )
}

/// Kinesis SubscribeToShard (json): the call returns after the
/// initial-response, before any event has been written.
async fn kinesis_initial_response() -> CaseResult {
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("initial-response", b"{}")),
        Step::Wait,
        Step::Chunk(event(
            "SubscribeToShardEvent",
            br#"{"Records":[{"SequenceNumber":"1","Data":"aGk=","PartitionKey":"p",
                "ApproximateArrivalTimestamp":1700000000}],
                "ContinuationSequenceNumber":"1","MillisBehindLatest":0}"#,
        )),
        Step::Wait,
        Step::Chunk(event(
            "SubscribeToShardEvent",
            br#"{"Records":[],"ContinuationSequenceNumber":"2","MillisBehindLatest":0}"#,
        )),
        Step::End,
    ]]);
    let c = client("kinesis", &server);
    let mut out = start(
        &c,
        "SubscribeToShard",
        params! {"ConsumerARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s/consumer/c:1",
        "ShardId": "shardId-0", "StartingPosition": {"Type": "LATEST"}},
    )
    .await?;
    check(
        server.sent() == 1,
        "returned after the initial-response only",
    )?;
    check(out.events.member() == "EventStream", "member")?;
    check(
        out.value.get("EventStream").is_null(),
        "no stream member in the value",
    )?;
    check(
        out.value.get("ResponseMetadata").as_map().is_some(),
        "ResponseMetadata",
    )?;
    server.go();
    let first = next(&mut out).await?;
    let rec = first.pointer("SubscribeToShardEvent.Records[0]");
    check(
        rec.get("Data").as_blob() == Some(b"hi"),
        format!("{first:?}"),
    )?;
    check(
        matches!(rec.get("ApproximateArrivalTimestamp"), Value::Timestamp(_)),
        "timestamp",
    )?;
    check(server.sent() == 2, "second event not written yet")?;
    server.go();
    let second = next(&mut out).await?;
    check(
        second
            .pointer("SubscribeToShardEvent.ContinuationSequenceNumber")
            .as_str()
            == Some("2"),
        "second",
    )?;
    check(matches!(out.events.recv().await, Ok(None)), "end")
}

/// A json stream whose first message is an event: botocore's parser error.
async fn missing_initial_response() -> CaseResult {
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("sessionStart", br#"{"sessionId":"s"}"#)),
        Step::End,
    ]]);
    let c = client("logs", &server);
    let err = c
        .call_event_stream("StartLiveTail", params! {"logGroupIdentifiers": ["g"]})
        .await
        .err()
        .ok_or("expected an error")?;
    check(err.kind() == ErrorKind::Response, format!("{err:?}"))?;
    check(
        err.to_string()
            .contains("First event was not of type initial-response"),
        err.to_string(),
    )
}

/// A corrupted second message: the first event, then a checksum error.
async fn crc_error() -> CaseResult {
    let mut bad = event("Records", b"b,2\n");
    let n = bad.len();
    bad[n - 6] ^= 0x01;
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("Records", b"a,1\n")),
        Step::Chunk(bad),
        Step::Chunk(event("End", b"")),
        Step::End,
    ]]);
    let c = client("s3", &server);
    let mut out = start(&c, "SelectObjectContent", select_params()).await?;
    next(&mut out).await?;
    let err = match out.events.recv().await {
        Err(e) => e,
        other => return Err(format!("expected a checksum error, got {other:?}")),
    };
    check(err.kind() == ErrorKind::Response, format!("{err:?}"))?;
    check(
        err.to_string().contains("message checksum mismatch"),
        err.to_string(),
    )?;
    check(matches!(out.events.recv().await, Ok(None)), "ended")
}

/// A body that ends cleanly in the middle of a message.
async fn truncated_at_eof() -> CaseResult {
    let whole = event("Records", b"b,2\n");
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("Records", b"a,1\n")),
        Step::Chunk(whole[..whole.len() / 2].to_vec()),
        Step::End,
    ]]);
    let c = client("s3", &server);
    let mut out = start(&c, "SelectObjectContent", select_params()).await?;
    next(&mut out).await?;
    match out.events.recv().await {
        Err(e) if e.to_string().contains("truncated event stream") => Ok(()),
        other => Err(format!("expected truncation, got {other:?}")),
    }
}

/// The connection drops mid-stream (no terminating chunk).
async fn connection_cut() -> CaseResult {
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("Records", b"a,1\n")),
        Step::Cut,
    ]]);
    let c = client("s3", &server);
    let mut out = start(&c, "SelectObjectContent", select_params()).await?;
    next(&mut out).await?;
    match out.events.recv().await {
        Err(e) if matches!(e.kind(), ErrorKind::Response | ErrorKind::Dispatch) => Ok(()),
        other => Err(format!("expected a broken-connection error, got {other:?}")),
    }
}

/// `:message-type: error`: code and message from its headers.
async fn error_message() -> CaseResult {
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(message(
            &[
                (":message-type", "error"),
                (":error-code", "InternalError"),
                (":error-message", "We encountered an internal error."),
            ],
            b"",
        )),
        Step::End,
    ]]);
    let c = client("s3", &server);
    let mut out = start(&c, "SelectObjectContent", select_params()).await?;
    match out.events.recv().await {
        Err(e) => check(
            e.code() == Some("InternalError")
                && e.to_string()
                    == "An error occurred (InternalError) when calling the SelectObjectContent \
                        operation: We encountered an internal error.",
            e.to_string(),
        ),
        other => Err(format!("expected the error, got {other:?}")),
    }
}

/// Messages split into one-byte chunks and two messages in one chunk.
async fn reassembles_frames() -> CaseResult {
    let two = [event("Records", b"b\n"), event("Records", b"c\n")].concat();
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Trickle(event("Records", b"a\n")),
        Step::Chunk(two),
        Step::Trickle(event("End", b"")),
        Step::End,
    ]]);
    let c = client("s3", &server);
    let out = start(&c, "SelectObjectContent", select_params()).await?;
    let events = out.events.collect().await.map_err(|e| e.report())?;
    let payloads: Vec<&[u8]> = events
        .iter()
        .filter_map(|e| e.pointer("Records.Payload").as_blob())
        .collect();
    check(payloads == [b"a\n", b"b\n", b"c\n"], format!("{events:?}"))?;
    check(events.len() == 4, "End event")
}

/// A 503 before the stream starts is retried; an HTTP error is the call's error.
async fn retried_then_streams() -> CaseResult {
    let unavailable = Step::Reply(
        503,
        vec![(
            "x-amzn-ErrorType".into(),
            "ServiceUnavailableException".into(),
        )],
        br#"{"message":"busy"}"#.to_vec(),
    );
    let server = EsServer::start(vec![
        vec![unavailable],
        vec![
            stream_head(&[]),
            Step::Chunk(event("messageStart", br#"{"role":"assistant"}"#)),
            Step::End,
        ],
    ]);
    let c = client("bedrock-runtime", &server);
    let mut out = start(&c, "ConverseStream", converse_params()).await?;
    check(
        out.value.pointer("ResponseMetadata.RetryAttempts").as_i64() == Some(1),
        format!("{:?}", out.value),
    )?;
    next(&mut out).await?;
    check(server.requests().len() == 2, "two requests")?;

    let server = EsServer::start(vec![vec![Step::Reply(
        400,
        vec![("x-amzn-ErrorType".into(), "ValidationException".into())],
        br#"{"message":"bad model"}"#.to_vec(),
    )]]);
    let c = client("bedrock-runtime", &server);
    let err = c
        .call_event_stream("ConverseStream", converse_params())
        .await
        .err()
        .ok_or("expected an error")?;
    check(
        err.code() == Some("ValidationException"),
        format!("{err:?}"),
    )?;
    check(err.message() == "bad model", err.message())
}

/// Operations without an event-stream output are refused before sending.
async fn refuses_other_operations() -> CaseResult {
    let server = EsServer::start(vec![vec![]]);
    let c = client("s3", &server);
    let err = c
        .call_event_stream("ListBuckets", params! {})
        .await
        .err()
        .ok_or("expected an error")?;
    check(err.kind() == ErrorKind::Construction, format!("{err:?}"))?;
    check(server.requests().is_empty(), "nothing sent")
}

/// The same events through `futures_core::Stream`.
async fn as_futures_stream() -> CaseResult {
    use futures_core::Stream;
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("Records", b"a\n")),
        Step::Sleep(Duration::from_millis(30)),
        Step::Chunk(event("End", b"")),
        Step::End,
    ]]);
    let c = client("s3", &server);
    let mut out = start(&c, "SelectObjectContent", select_params()).await?;
    let mut n = 0;
    while let Some(item) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut out.events).poll_next(cx)).await
    {
        item.map_err(|e| e.report())?;
        n += 1;
    }
    check(n == 2, format!("{n} events"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_stream_streaming() {
    let cases: Vec<(&str, Case)> = vec![
        (
            "s3-select-arrives-incrementally",
            Box::pin(s3_select_arrives_incrementally()),
        ),
        (
            "lambda-headers-then-chunks",
            Box::pin(lambda_headers_then_chunks()),
        ),
        (
            "bedrock-exception-event",
            Box::pin(bedrock_exception_event()),
        ),
        (
            "kinesis-initial-response",
            Box::pin(kinesis_initial_response()),
        ),
        (
            "missing-initial-response",
            Box::pin(missing_initial_response()),
        ),
        ("crc-error", Box::pin(crc_error())),
        ("truncated-at-eof", Box::pin(truncated_at_eof())),
        ("connection-cut", Box::pin(connection_cut())),
        ("error-message", Box::pin(error_message())),
        ("reassembles-frames", Box::pin(reassembles_frames())),
        ("retried-then-streams", Box::pin(retried_then_streams())),
        (
            "refuses-other-operations",
            Box::pin(refuses_other_operations()),
        ),
        ("as-futures-stream", Box::pin(as_futures_stream())),
    ];
    let (mut passed, mut failed) = (0, 0);
    for (name, case) in cases {
        match tokio::time::timeout(Duration::from_secs(20), case).await {
            Ok(Ok(())) => passed += 1,
            Ok(Err(e)) => {
                failed += 1;
                println!("FAIL {name}: {e}");
            }
            Err(_) => {
                failed += 1;
                println!("FAIL {name}: timed out");
            }
        }
    }
    println!("event-stream-streaming: {passed} passed, {failed} failed");
    assert_eq!(failed, 0);
}
