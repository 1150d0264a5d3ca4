//! The blocking client's event streams: an `Iterator` whose first item
//! arrives while the local server is still holding back the rest, an
//! exception event as the last item, and the async facade's re-exports.

#[path = "../../boto-runtime/tests/event_stream_support/mod.rs"]
mod es;
use boto::core::protocols as es_protocols;

use boto::core::auth::credentials::{Credentials, StaticProvider};
use boto::{blocking, params, Client, ClientConfig, ErrorKind, Value};
use es::{event, exception, stream_head, EsServer, Step};
use std::sync::Arc;
use std::time::Duration;

fn client(service: &str, server: &EsServer) -> blocking::Client {
    let creds = Credentials::new("AKID", "SECRET", None, None, StaticProvider::NAME);
    let c = Client::builder(service)
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            endpoint_url: Some(server.url()),
            read_timeout: Duration::from_secs(10),
            ..ClientConfig::default()
        })
        .credentials(Arc::new(StaticProvider::new(creds)))
        .build()
        .expect("client");
    blocking::Client::new(c)
}

fn select_params() -> Value {
    params! {
        "Bucket": "b", "Key": "k.csv", "Expression": "SELECT * FROM S3Object",
        "ExpressionType": "SQL", "InputSerialization": {"CSV": {}},
        "OutputSerialization": {"CSV": {}},
    }
}

#[test]
fn blocking_iterator_yields_events_as_they_arrive() {
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("Records", b"a,1\n")),
        Step::Wait,
        Step::Chunk(event("Records", b"b,2\n")),
        Step::Chunk(event("End", b"")),
        Step::End,
    ]]);
    let s3 = client("s3", &server);
    let out = s3
        .call_event_stream("SelectObjectContent", select_params())
        .expect("call");
    assert_eq!(out.events.member(), "Payload");
    let mut events = out.events;
    let first = events.next().expect("an event").expect("not an error");
    assert_eq!(
        first.pointer("Records.Payload").as_blob(),
        Some(&b"a,1\n"[..])
    );
    assert_eq!(
        server.sent(),
        1,
        "the server is still holding the rest back"
    );
    server.go();
    let rest: Vec<Value> = events.map(|e| e.expect("event")).collect();
    assert_eq!(rest.len(), 2);
    assert_eq!(
        rest[0].pointer("Records.Payload").as_blob(),
        Some(&b"b,2\n"[..])
    );
    assert!(rest[1].get("End").as_map().is_some());
}

#[test]
fn blocking_iterator_ends_with_the_exception() {
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("messageStart", br#"{"role":"assistant"}"#)),
        Step::Chunk(exception(
            "validationException",
            br#"{"message":"bad input"}"#,
        )),
        Step::Chunk(event("messageStop", br#"{"stopReason":"end_turn"}"#)),
        Step::End,
    ]]);
    let bedrock = client("bedrock-runtime", &server);
    let out = bedrock
        .call_event_stream(
            "ConverseStream",
            params! {"modelId": "m", "messages": [{"role": "user", "content": [{"text": "hi"}]}]},
        )
        .expect("call");
    let items: Vec<Result<Value, boto::Error>> = out.events.collect();
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok());
    let err = items[1].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Service);
    assert_eq!(err.code(), Some("validationException"));
    assert_eq!(
        err.to_string(),
        "An error occurred (validationException) when calling the ConverseStream operation: bad input"
    );
}

#[test]
fn blocking_iterator_inside_a_current_thread_runtime() {
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("Records", b"x\n")),
        Step::Chunk(event("End", b"")),
        Step::End,
    ]]);
    let s3 = client("s3", &server);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let n = rt.block_on(async {
        let out = s3
            .call_event_stream("SelectObjectContent", select_params())
            .expect("call");
        let events: Vec<Value> = out.events.map(|e| e.expect("event")).collect();
        events.len()
    });
    assert_eq!(n, 2);
}

#[tokio::test]
async fn async_facade_exports_the_event_stream_types() {
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("Records", b"y\n")),
        Step::End,
    ]]);
    let s3 = client("s3", &server).async_client().clone();
    let out: boto::EventStreamOutput = s3
        .call_event_stream("SelectObjectContent", select_params())
        .await
        .expect("call");
    let events: boto::EventStream = out.events;
    assert_eq!(events.collect().await.expect("events").len(), 1);
}
