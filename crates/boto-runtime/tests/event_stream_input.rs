//! `Client::call_duplex_stream` end to end against a local HTTP/2 (h2c)
//! server: the server reads the request body frame by frame, decodes every
//! envelope, recomputes its chained signature with the secret it knows (its
//! own SigV4 code, not boto-auth's) and answers each input event with an
//! output event while the input is still open; the client waits for each
//! answer before it sends the next event, so the exchange only completes if
//! both directions stream. Transcribe StartStreamTranscription (its model is
//! not in botocore, so the test writes a minimal one under the target
//! directory) and Bedrock InvokeModelWithBidirectionalStream (embedded
//! model), over h2c and over TLS with ALPN `h2`; a wrong secret is rejected
//! by the server and surfaces as a service error. The server is in
//! `event_stream_input_support/`.

#[path = "event_stream_input_support/mod.rs"]
mod server;

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_model::{Map, Value};
use boto_runtime::{event_stream_input, Client, ClientConfig, ErrorKind};
use server::{amz_date, serve, serve_on, tls_server, Log, SECRET};
use std::sync::Arc;
use std::time::Duration;

// ---------------------------------------------------------------- clients

fn config(url: String) -> ClientConfig {
    ClientConfig {
        region: Some("us-west-2".into()),
        endpoint_url: Some(url),
        read_timeout: Duration::from_secs(10),
        ..ClientConfig::default()
    }
}

fn creds(secret: &str) -> Arc<StaticProvider> {
    Arc::new(StaticProvider::new(Credentials::new(
        "AKIDEXAMPLE",
        secret,
        None,
        None,
        StaticProvider::NAME,
    )))
}

const TRANSCRIBE_MODEL: &str = r#"{"version":"2.0",
 "metadata":{"apiVersion":"2017-10-26","endpointPrefix":"transcribestreaming","protocol":"rest-json",
   "serviceFullName":"Amazon Transcribe Streaming Service","serviceId":"Transcribe Streaming",
   "signatureVersion":"v4","signingName":"transcribe","uid":"transcribe-streaming-2017-10-26"},
 "operations":{"StartStreamTranscription":{"name":"StartStreamTranscription",
   "http":{"method":"POST","requestUri":"/stream-transcription"},
   "input":{"shape":"StartStreamTranscriptionRequest"},"output":{"shape":"StartStreamTranscriptionResponse"}}},
 "shapes":{
  "StartStreamTranscriptionRequest":{"type":"structure",
    "required":["LanguageCode","MediaSampleRateHertz","MediaEncoding","AudioStream"],
    "members":{
      "LanguageCode":{"shape":"String","location":"header","locationName":"x-amzn-transcribe-language-code"},
      "MediaSampleRateHertz":{"shape":"Integer","location":"header","locationName":"x-amzn-transcribe-sample-rate"},
      "MediaEncoding":{"shape":"String","location":"header","locationName":"x-amzn-transcribe-media-encoding"},
      "AudioStream":{"shape":"AudioStream"}},
    "payload":"AudioStream"},
  "AudioStream":{"type":"structure","members":{"AudioEvent":{"shape":"AudioEvent"}},"eventstream":true},
  "AudioEvent":{"type":"structure","members":{"AudioChunk":{"shape":"AudioChunk","eventpayload":true}},"event":true},
  "AudioChunk":{"type":"blob"},
  "StartStreamTranscriptionResponse":{"type":"structure","members":{
      "RequestId":{"shape":"String","location":"header","locationName":"x-amzn-request-id"},
      "TranscriptResultStream":{"shape":"TranscriptResultStream"}},
    "payload":"TranscriptResultStream"},
  "TranscriptResultStream":{"type":"structure","members":{
      "TranscriptEvent":{"shape":"TranscriptEvent"},
      "BadRequestException":{"shape":"BadRequestException"}},"eventstream":true},
  "TranscriptEvent":{"type":"structure","members":{"Transcript":{"shape":"Transcript"}},"event":true},
  "Transcript":{"type":"structure","members":{"Results":{"shape":"ResultList"}}},
  "ResultList":{"type":"list","member":{"shape":"Result"}},
  "Result":{"type":"structure","members":{"ResultId":{"shape":"String"},"IsPartial":{"shape":"Boolean"},
      "Alternatives":{"shape":"AlternativeList"}}},
  "AlternativeList":{"type":"list","member":{"shape":"Alternative"}},
  "Alternative":{"type":"structure","members":{"Transcript":{"shape":"String"}}},
  "BadRequestException":{"type":"structure","members":{"Message":{"shape":"String"}},
      "error":{"httpStatusCode":400,"senderFault":true},"exception":true},
  "String":{"type":"string"},"Integer":{"type":"integer"},"Boolean":{"type":"boolean"}}}"#;

const RULES: &str = r#"{"version":"1.0",
 "parameters":{"Region":{"builtIn":"AWS::Region","required":false,"type":"String"},
   "Endpoint":{"builtIn":"SDK::Endpoint","required":false,"type":"String"}},
 "rules":[{"conditions":[{"fn":"isSet","argv":[{"ref":"Endpoint"}]}],
   "endpoint":{"url":{"ref":"Endpoint"},"properties":{},"headers":{}},"type":"endpoint"},
  {"conditions":[],"error":"an endpoint_url is needed","type":"error"}]}"#;

/// A loader that knows `transcribe-streaming` (written under the target dir).
fn transcribe_loader() -> &'static boto_model::Loader {
    static LOADER: std::sync::OnceLock<&'static boto_model::Loader> = std::sync::OnceLock::new();
    LOADER.get_or_init(|| {
        let root =
            std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("event_stream_input_models");
        let dir = root.join("transcribe-streaming").join("2017-10-26");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("service-2.json"), TRANSCRIBE_MODEL).unwrap();
        std::fs::write(dir.join("endpoint-rule-set-1.json"), RULES).unwrap();
        Box::leak(Box::new(boto_model::Loader::with_data_paths(vec![root])))
    })
}

fn transcribe(url: String, secret: &str) -> Client {
    Client::builder("transcribe-streaming")
        .loader(transcribe_loader())
        .config(config(url))
        .credentials(creds(secret))
        .build()
        .expect("client")
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Map>(),
    )
}

fn audio(n: usize) -> Value {
    map(vec![(
        "AudioEvent",
        map(vec![("AudioChunk", Value::Blob(vec![7; n]))]),
    )])
}

fn transcript_answer(ty: &str, payload: &[u8]) -> (String, Vec<u8>) {
    let text = format!("{ty} of {} bytes", payload.len());
    let body = serde_json::json!({"Transcript": {"Results": [{"ResultId": "r", "IsPartial": false,
        "Alternatives": [{"Transcript": text}]}]}});
    ("TranscriptEvent".into(), serde_json::to_vec(&body).unwrap())
}

fn transcribe_params() -> Value {
    map(vec![
        ("LanguageCode", Value::String("en-US".into())),
        ("MediaSampleRateHertz", Value::Integer(16_000)),
        ("MediaEncoding", Value::String("pcm".into())),
    ])
}

fn header<'a>(log: &'a Log, name: &str) -> Option<&'a str> {
    log.headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn transcribe_audio_events_are_signed_in_a_chain_and_answered_while_streaming() {
    let (url, log) = serve("us-west-2", "transcribe", transcript_answer).await;
    let client = transcribe(url, SECRET);
    let (tx, input) = event_stream_input::channel(1);
    let mut out = client
        .call_duplex_stream("StartStreamTranscription", transcribe_params(), input)
        .await
        .unwrap_or_else(|e| panic!("call failed: {}", e.report()));
    assert_eq!(out.value.get("RequestId").as_str(), Some("req-1"));
    for n in [320usize, 640, 960] {
        tx.send(audio(n)).await.unwrap();
        // The answer to this event arrives before the next one is sent.
        let event = out.events.recv().await.unwrap().expect("a transcript");
        let results = event.pointer("TranscriptEvent.Transcript.Results");
        let text = results.as_list().and_then(|r| r.first()).map(|r| {
            r.pointer("Alternatives")
                .as_list()
                .and_then(|a| a.first())
                .map(|a| a.get("Transcript").as_str().unwrap_or_default().to_string())
        });
        let text = text.flatten();
        assert_eq!(
            text.as_deref(),
            Some(&*format!("AudioEvent of {n} bytes")),
            "{event:?}"
        );
    }
    drop(tx);
    assert!(
        out.events.recv().await.unwrap().is_none(),
        "the stream ends after the input"
    );
    let log = log.lock().unwrap();
    assert_eq!(log.rejected, None);
    assert_eq!(
        log.events,
        ["AudioEvent", "AudioEvent", "AudioEvent", "end"]
    );
    assert_eq!(log.version, Some(http::Version::HTTP_2));
    assert_eq!(
        header(&log, "x-amz-content-sha256"),
        Some("STREAMING-AWS4-HMAC-SHA256-EVENTS")
    );
    assert_eq!(
        header(&log, "content-type"),
        Some("application/vnd.amazon.eventstream")
    );
    assert_eq!(
        header(&log, "x-amzn-transcribe-language-code"),
        Some("en-US")
    );
    assert_eq!(header(&log, "content-length"), None);
    let auth = header(&log, "authorization").unwrap_or_default();
    assert!(
        auth.contains("/us-west-2/transcribe/aws4_request"),
        "{auth}"
    );
    assert!(auth.contains("x-amz-content-sha256"), "{auth}");
}

#[tokio::test]
async fn a_wrong_secret_is_rejected_by_the_server() {
    let (url, log) = serve("us-west-2", "transcribe", transcript_answer).await;
    let client = transcribe(url, "not-the-secret");
    let (tx, input) = event_stream_input::channel(1);
    let mut out = client
        .call_duplex_stream("StartStreamTranscription", transcribe_params(), input)
        .await
        .unwrap_or_else(|e| panic!("call failed: {}", e.report()));
    tx.send(audio(320)).await.unwrap();
    let err = out
        .events
        .recv()
        .await
        .expect_err("the server rejects the signature");
    assert_eq!(err.kind(), ErrorKind::Service, "{}", err.report());
    assert_eq!(
        err.service_error().map(|s| s.code.as_str()),
        Some("InvalidSignatureException")
    );
    let log = log.lock().unwrap();
    assert!(log
        .rejected
        .as_deref()
        .unwrap_or_default()
        .contains("does not match"));
    assert!(log.events.is_empty());
}

fn echo_answer(ty: &str, payload: &[u8]) -> (String, Vec<u8>) {
    // {"bytes": base64} in, the same bytes upper-cased out.
    let v: serde_json::Value = serde_json::from_slice(payload).unwrap();
    let b64 = v["bytes"].as_str().unwrap_or_default().to_string();
    assert_eq!(ty, "chunk");
    use base64::Engine as _;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    let up = base64::engine::general_purpose::STANDARD.encode(raw.to_ascii_uppercase());
    (
        "chunk".into(),
        serde_json::to_vec(&serde_json::json!({"bytes": up})).unwrap(),
    )
}

#[tokio::test]
async fn bedrock_bidirectional_stream_echoes_chunks() {
    let (url, log) = serve("us-west-2", "bedrock", echo_answer).await;
    let client = Client::builder("bedrock-runtime")
        .config(config(url))
        .credentials(creds(SECRET))
        .build()
        .unwrap();
    let (tx, input) = event_stream_input::channel(1);
    let params = map(vec![(
        "modelId",
        Value::String("amazon.nova-sonic-v1:0".into()),
    )]);
    let mut out = client
        .call_duplex_stream("InvokeModelWithBidirectionalStream", params, input)
        .await
        .unwrap_or_else(|e| panic!("call failed: {}", e.report()));
    for word in ["hello", "duplex", "world"] {
        let chunk = map(vec![(
            "chunk",
            map(vec![("bytes", Value::Blob(word.into()))]),
        )]);
        tx.send(chunk).await.unwrap();
        let event = out.events.recv().await.unwrap().expect("an answer");
        assert_eq!(
            event.pointer("chunk.bytes"),
            &Value::Blob(word.to_ascii_uppercase().into_bytes()),
            "{event:?}"
        );
    }
    drop(tx);
    assert!(out.events.recv().await.unwrap().is_none());
    let log = log.lock().unwrap();
    assert_eq!(log.events, ["chunk", "chunk", "chunk", "end"]);
    assert!(header(&log, "authorization")
        .unwrap_or_default()
        .contains("/us-west-2/bedrock/aws4_request"));
}

#[tokio::test]
async fn operations_without_both_streams_are_refused() {
    let client = Client::builder("bedrock-runtime")
        .config(config("http://127.0.0.1:9".into()))
        .credentials(creds(SECRET))
        .build()
        .unwrap();
    let (_tx, input) = event_stream_input::channel(1);
    let err = client
        .call_duplex_stream("ConverseStream", Value::Null, input)
        .await
        .expect_err("ConverseStream sends no event stream");
    assert_eq!(err.kind(), ErrorKind::Construction);
}

#[test]
fn civil_dates() {
    assert_eq!(amz_date(123_456_789).1, "19731129T213309Z");
    assert_eq!(amz_date(1_700_000_000).1, "20231114T221320Z");
}

#[tokio::test]
async fn https_negotiates_h2_by_alpn() {
    let (acceptor, bundle) = tls_server();
    let (url, log) = serve_on("us-west-2", "transcribe", transcript_answer, Some(acceptor)).await;
    let client = Client::builder("transcribe-streaming")
        .loader(transcribe_loader())
        .config(ClientConfig {
            ca_bundle: Some(bundle),
            ..config(url)
        })
        .credentials(creds(SECRET))
        .build()
        .expect("client");
    let (tx, input) = event_stream_input::channel(1);
    let mut out = client
        .call_duplex_stream("StartStreamTranscription", transcribe_params(), input)
        .await
        .unwrap_or_else(|e| panic!("call failed: {}", e.report()));
    tx.send(audio(100)).await.unwrap();
    let event = out.events.recv().await.unwrap().expect("a transcript");
    assert!(event.get("TranscriptEvent").as_map().is_some(), "{event:?}");
    drop(tx);
    assert!(out.events.recv().await.unwrap().is_none());
    let log = log.lock().unwrap();
    assert_eq!(log.alpn.as_deref(), Some(&b"h2"[..]));
    assert_eq!(log.events, ["AudioEvent", "end"]);
}

#[tokio::test]
async fn an_input_event_that_does_not_encode_ends_the_call_with_an_error() {
    let (url, log) = serve("us-west-2", "transcribe", transcript_answer).await;
    let client = transcribe(url, SECRET);
    let (tx, input) = event_stream_input::channel(1);
    let mut out = client
        .call_duplex_stream("StartStreamTranscription", transcribe_params(), input)
        .await
        .unwrap_or_else(|e| panic!("call failed: {}", e.report()));
    tx.send(map(vec![("NoSuchEvent", map(vec![]))]))
        .await
        .unwrap();
    let err = out
        .events
        .recv()
        .await
        .expect_err("the request stream was reset");
    assert_eq!(err.kind(), ErrorKind::Dispatch, "{}", err.report());
    assert!(log.lock().unwrap().events.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plain_thread_can_feed_the_stream_without_waiting_for_answers() {
    let (url, log) = serve("us-west-2", "bedrock", echo_answer).await;
    let client = Client::builder("bedrock-runtime")
        .config(config(url))
        .credentials(creds(SECRET))
        .build()
        .unwrap();
    let (tx, input) = event_stream_input::channel(2);
    let params = map(vec![("modelId", Value::String("m".into()))]);
    let mut out = client
        .call_duplex_stream("InvokeModelWithBidirectionalStream", params, input)
        .await
        .unwrap_or_else(|e| panic!("call failed: {}", e.report()));
    let feeder = std::thread::spawn(move || {
        for word in ["a", "b", "c", "d", "e"] {
            let chunk = map(vec![(
                "chunk",
                map(vec![("bytes", Value::Blob(word.into()))]),
            )]);
            tx.blocking_send(chunk).unwrap();
        }
    });
    let mut got = Vec::new();
    while let Some(event) = out.events.recv().await.unwrap() {
        got.push(
            event
                .pointer("chunk.bytes")
                .as_blob()
                .unwrap_or_default()
                .to_vec(),
        );
    }
    feeder.join().unwrap();
    assert_eq!(got, [b"A", b"B", b"C", b"D", b"E"]);
    assert_eq!(
        log.lock().unwrap().events,
        ["chunk", "chunk", "chunk", "chunk", "chunk", "end"]
    );
}
