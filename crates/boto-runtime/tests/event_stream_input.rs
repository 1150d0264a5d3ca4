//! `Client::call_duplex_stream` end to end against a local HTTP/2 (h2c)
//! server: the server reads the request body frame by frame, decodes every
//! envelope, recomputes its chained signature with the secret it knows (its
//! own SigV4 code, not boto-auth's) and answers each input event with an
//! output event while the input is still open; the client waits for each
//! answer before it sends the next event, so the exchange only completes if
//! both directions stream. Transcribe StartStreamTranscription (its model is
//! not in botocore, so the test writes a minimal one under the target
//! directory) and Bedrock InvokeModelWithBidirectionalStream (embedded
//! model); a wrong secret is rejected by the server and surfaces as a
//! service error.

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_model::{Map, Value};
use boto_protocols::de::eventstream::{decode_message, HeaderValue as Decoded};
use boto_protocols::ser::eventstream::{encode_message, HeaderValue};
use boto_runtime::{event_stream_input, Client, ClientConfig, ErrorKind};
use bytes::Bytes;
use http_body_util::BodyExt;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const SECRET: &str = "test/secret/KEY";

// ---------------------------------------------------------------- SigV4, independently

fn hmac(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    ring::hmac::sign(&k, msg).as_ref().to_vec()
}

fn sha256_hex(data: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, data).as_ref())
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `YYYYMMDD` and `YYYYMMDDTHHMMSSZ` of Unix seconds (civil-from-days).
fn amz_date(secs: i64) -> (String, String) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let date = format!("{y:04}{m:02}{d:02}");
    let time = format!(
        "{date}T{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
    (date, time)
}

/// The signature an envelope with `:date` = `millis` around `payload` must carry.
fn expected_signature(
    secret: &str,
    region: &str,
    service: &str,
    prev: &str,
    millis: i64,
    payload: &[u8],
) -> String {
    let (date, datetime) = amz_date(millis / 1000);
    let mut date_header = vec![5u8];
    date_header.extend_from_slice(b":date");
    date_header.push(8);
    date_header.extend_from_slice(&millis.to_be_bytes());
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let sts = format!(
        "AWS4-HMAC-SHA256-PAYLOAD\n{datetime}\n{scope}\n{prev}\n{}\n{}",
        sha256_hex(&date_header),
        sha256_hex(payload)
    );
    let mut key = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    for part in [region, service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    hex(&hmac(&key, sts.as_bytes()))
}

// ---------------------------------------------------------------- the server

/// What the server saw, for the assertions.
#[derive(Default, Debug)]
struct Log {
    headers: Vec<(String, String)>,
    version: Option<http::Version>,
    /// Each verified input event's `:event-type`, then `end` for the closing envelope.
    events: Vec<String>,
    rejected: Option<String>,
}

/// How the server answers one decoded input event: output event type and JSON payload.
type Answer = fn(&str, &[u8]) -> (String, Vec<u8>);

struct Service {
    region: &'static str,
    name: &'static str,
    answer: Answer,
    log: Arc<Mutex<Log>>,
}

/// A response body fed from a channel.
struct ChannelBody(tokio::sync::mpsc::Receiver<Bytes>);

impl http_body::Body for ChannelBody {
    type Data = Bytes;
    type Error = Infallible;
    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        self.0
            .poll_recv(cx)
            .map(|o| o.map(|b| Ok(http_body::Frame::data(b))))
    }
}

fn event_message(ty: &str, payload: &[u8]) -> Bytes {
    encode_message(
        &[
            (":message-type", HeaderValue::String("event")),
            (":event-type", HeaderValue::String(ty)),
            (":content-type", HeaderValue::String("application/json")),
        ],
        payload,
    )
    .unwrap()
    .into()
}

fn error_message(code: &str, text: &str) -> Bytes {
    encode_message(
        &[
            (":message-type", HeaderValue::String("error")),
            (":error-code", HeaderValue::String(code)),
            (":error-message", HeaderValue::String(text)),
        ],
        b"",
    )
    .unwrap()
    .into()
}

/// Reads the envelopes as they arrive, verifies the chain, answers each event.
async fn read_input(
    svc: Arc<Service>,
    mut body: hyper::body::Incoming,
    seed: String,
    tx: tokio::sync::mpsc::Sender<Bytes>,
) {
    let mut buf: Vec<u8> = Vec::new();
    let mut prev = seed;
    let reject = |why: String| {
        svc.log.lock().unwrap().rejected = Some(why.clone());
        error_message("InvalidSignatureException", &why)
    };
    while let Some(Ok(frame)) = body.frame().await {
        let Ok(data) = frame.into_data() else {
            continue;
        };
        buf.extend_from_slice(&data);
        while buf.len() >= 4 {
            let total = u32::from_be_bytes(buf[..4].try_into().unwrap()) as usize;
            if buf.len() < total {
                break;
            }
            let frame: Vec<u8> = buf.drain(..total).collect();
            let (env, _) = decode_message(&frame).expect("an envelope");
            let (Some(Decoded::Timestamp(millis)), Some(Decoded::Bytes(sig))) =
                (env.header(":date"), env.header(":chunk-signature"))
            else {
                let _ = tx
                    .send(reject("envelope without :date/:chunk-signature".into()))
                    .await;
                return;
            };
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_millis() as i64;
            if (now - millis).abs() > 300_000 || millis % 1000 != 0 {
                let _ = tx.send(reject(format!("bad :date {millis}"))).await;
                return;
            }
            let want =
                expected_signature(SECRET, svc.region, svc.name, &prev, *millis, env.payload);
            if hex(sig) != want {
                let _ = tx.send(reject("The request signature we calculated does not match the signature you provided".into())).await;
                return;
            }
            prev = want;
            if env.payload.is_empty() {
                svc.log.lock().unwrap().events.push("end".into());
                return; // dropping `tx` ends the response
            }
            let (inner, _) = decode_message(env.payload).expect("an event inside");
            let ty = match inner.header(":event-type") {
                Some(Decoded::String(s)) => s.to_string(),
                _ => String::new(),
            };
            svc.log.lock().unwrap().events.push(ty.clone());
            let (out_ty, out) = (svc.answer)(&ty, inner.payload);
            if tx.send(event_message(&out_ty, &out)).await.is_err() {
                return;
            }
        }
    }
}

async fn handle(
    svc: Arc<Service>,
    req: http::Request<hyper::body::Incoming>,
) -> Result<http::Response<ChannelBody>, Infallible> {
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let seed = headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .and_then(|(_, v)| v.split("Signature=").nth(1))
        .unwrap_or_default()
        .to_string();
    {
        let mut log = svc.log.lock().unwrap();
        log.headers = headers;
        log.version = Some(req.version());
    }
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    tokio::spawn(read_input(svc.clone(), req.into_body(), seed, tx));
    // The headers go out at once: events follow while input still arrives.
    Ok(http::Response::builder()
        .status(200)
        .header("content-type", "application/vnd.amazon.eventstream")
        .header("x-amzn-request-id", "req-1")
        .body(ChannelBody(rx))
        .unwrap())
}

/// An HTTP/2-only server on 127.0.0.1; returns its URL and its log.
async fn serve(
    region: &'static str,
    name: &'static str,
    answer: Answer,
) -> (String, Arc<Mutex<Log>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Log::default()));
    let svc = Arc::new(Service {
        region,
        name,
        answer,
        log: log.clone(),
    });
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let svc = svc.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |req| handle(svc.clone(), req));
                let _ =
                    hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
                        .serve_connection(hyper_util::rt::TokioIo::new(tcp), service)
                        .await;
            });
        }
    });
    (url, log)
}

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
