//! The HTTP/2 server of `tests/event_stream_input.rs`: it reads the request
//! body frame by frame, decodes every envelope, recomputes its chained
//! signature with the secret it knows (its own SigV4 code, not boto-auth's),
//! rejects a bad one with an `InvalidSignatureException` error message and
//! answers each input event with an output event while input still arrives.
//! Plain h2c, or TLS offering only `h2` by ALPN.

use boto_protocols::de::eventstream::{decode_message, HeaderValue as Decoded};
use boto_protocols::ser::eventstream::{encode_message, HeaderValue};
use bytes::Bytes;
use http_body_util::BodyExt;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{SystemTime, UNIX_EPOCH};

/// The secret the server checks signatures with.
pub const SECRET: &str = "test/secret/KEY";

// ---------------------------------------------------------------- SigV4, independently

pub fn hmac(key: &[u8], msg: &[u8]) -> Vec<u8> {
    let k = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key);
    ring::hmac::sign(&k, msg).as_ref().to_vec()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(ring::digest::digest(&ring::digest::SHA256, data).as_ref())
}

pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// `YYYYMMDD` and `YYYYMMDDTHHMMSSZ` of Unix seconds (civil-from-days).
pub fn amz_date(secs: i64) -> (String, String) {
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
pub fn expected_signature(
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
pub struct Log {
    pub headers: Vec<(String, String)>,
    pub version: Option<http::Version>,
    /// Each verified input event's `:event-type`, then `end` for the closing envelope.
    pub events: Vec<String>,
    pub rejected: Option<String>,
    /// The protocol the TLS handshake agreed on.
    pub alpn: Option<Vec<u8>>,
}

/// How the server answers one decoded input event: output event type and JSON payload.
pub type Answer = fn(&str, &[u8]) -> (String, Vec<u8>);

pub struct Service {
    region: &'static str,
    name: &'static str,
    answer: Answer,
    log: Arc<Mutex<Log>>,
}

/// A response body fed from a channel.
pub struct ChannelBody(tokio::sync::mpsc::Receiver<Bytes>);

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

pub fn event_message(ty: &str, payload: &[u8]) -> Bytes {
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

pub fn error_message(code: &str, text: &str) -> Bytes {
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
pub async fn read_input(
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

pub async fn handle(
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
pub async fn serve(
    region: &'static str,
    name: &'static str,
    answer: Answer,
) -> (String, Arc<Mutex<Log>>) {
    serve_on(region, name, answer, None).await
}

/// [`serve`], over TLS with `acceptor` when given (`https://`).
pub async fn serve_on(
    region: &'static str,
    name: &'static str,
    answer: Answer,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> (String, Arc<Mutex<Log>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let scheme = if tls.is_some() { "https" } else { "http" };
    let url = format!("{scheme}://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Log::default()));
    let svc = Arc::new(Service {
        region,
        name,
        answer,
        log: log.clone(),
    });
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let (svc, tls) = (svc.clone(), tls.clone());
            tokio::spawn(async move {
                let service = {
                    let svc = svc.clone();
                    hyper::service::service_fn(move |req| handle(svc.clone(), req))
                };
                let h2 =
                    hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new());
                match tls {
                    None => {
                        let _ = h2
                            .serve_connection(hyper_util::rt::TokioIo::new(tcp), service)
                            .await;
                    }
                    Some(acceptor) => {
                        let Ok(stream) = acceptor.accept(tcp).await else {
                            return;
                        };
                        svc.log.lock().unwrap().alpn =
                            stream.get_ref().1.alpn_protocol().map(<[u8]>::to_vec);
                        let _ = h2
                            .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                            .await;
                    }
                }
            });
        }
    });
    (url, log)
}

/// A TLS acceptor for 127.0.0.1 that offers only `h2`, and a CA bundle
/// (under the target directory) that trusts it.
pub fn tls_server() -> (tokio_rustls::TlsAcceptor, std::path::PathBuf) {
    let mut p = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    p.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    p.subject_alt_names
        .push(rcgen::SanType::IpAddress("127.0.0.1".parse().unwrap()));
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = p.self_signed(&key).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    config.alpn_protocols = vec![b"h2".to_vec()];
    let bundle = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("event_stream_input_ca_{}.pem", std::process::id()));
    std::fs::write(&bundle, cert.pem()).unwrap();
    (tokio_rustls::TlsAcceptor::from(Arc::new(config)), bundle)
}
