//! [`Client::call_duplex_stream`]: operations that send an event stream
//! while they receive one (Bedrock InvokeModelWithBidirectionalStream,
//! Transcribe StartStreamTranscription), over HTTP/2.
//!
//! botocore cannot call these (HTTP/1.1 only, no event-stream writer);
//! aws-sdk-rust sends them with `EventStreamSender` and
//! `aws-sigv4::event_stream`. The call is prepared like any other
//! (validation without the stream member, serialization, endpoint, auth
//! scheme), then:
//!
//! * the request is signed with the payload `STREAMING-AWS4-HMAC-SHA256-EVENTS`
//!   (also sent in `X-Amz-Content-SHA256`) and `Content-Type:
//!   application/vnd.amazon.eventstream`, without a length;
//! * each input event is encoded
//!   ([`encode_input_event`]),
//!   wrapped in an envelope message with `:chunk-signature` and `:date`
//!   chained from the request's signature
//!   ([`EventSigner`]) and written to the
//!   HTTP/2 request body as soon as the caller yields it; when the input ends
//!   a signed empty envelope closes the stream. Unsigned calls (and bearer
//!   tokens) send the events without envelopes;
//! * the response is read by the output event-stream reader of
//!   [`Client::call_event_stream`] while input is still being sent.
//!
//! Nothing is retried: the input stream is consumed as it is sent.

use crate::auth::AuthScheme;
use crate::client::{Client, ClientInner};
use crate::error::{Error, ErrorKind};
use crate::event_stream::{EventParser, EventStreamOutput};
use crate::http::{HttpRequest, HttpSettings, RequestBody};
use crate::interceptor::{CallInfo, CallPlan};
use boto_auth::sigv4::{self, EventSigner, SignableBody, SigningSettings};
use boto_model::{Map, Operation, ServiceModel, ShapeKind, Value};
use boto_protocols::ser::eventstream::{encode_input_event, encode_message, HeaderValue};
use bytes::Bytes;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// The sending half of [`channel`]: the caller's side of an input stream.
#[derive(Debug, Clone)]
pub struct EventSender(tokio::sync::mpsc::Sender<Value>);

impl EventSender {
    /// Queues one event (`{"EventType": {...}}`), waiting while the buffer
    /// is full. Fails once the call has ended (the service closed the stream).
    pub async fn send(&self, event: Value) -> Result<(), Error> {
        self.0
            .send(event)
            .await
            .map_err(|_| Error::dispatch("the input event stream is closed"))
    }

    /// [`send`](Self::send) from a thread outside the async runtime (an
    /// audio capture loop): blocks while the buffer is full.
    ///
    /// # Panics
    ///
    /// When called from an async task (tokio's `blocking_send` rule).
    pub fn blocking_send(&self, event: Value) -> Result<(), Error> {
        self.0
            .blocking_send(event)
            .map_err(|_| Error::dispatch("the input event stream is closed"))
    }
}

/// The receiving half of [`channel`]: hand it to [`Client::call_duplex_stream`].
/// The input ends when every [`EventSender`] is dropped.
#[derive(Debug)]
pub struct EventInput(tokio::sync::mpsc::Receiver<Value>);

impl futures_core::Stream for EventInput {
    type Item = Value;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Value>> {
        self.0.poll_recv(cx)
    }
}

/// An input stream fed from anywhere: events sent on the [`EventSender`]
/// (up to `buffer` queued) go out in order.
pub fn channel(buffer: usize) -> (EventSender, EventInput) {
    let (tx, rx) = tokio::sync::mpsc::channel(buffer.max(1));
    (EventSender(tx), EventInput(rx))
}

/// The name of the operation's input event-stream member.
fn input_stream_member(model: &ServiceModel, op: &Operation) -> Option<String> {
    let input = model.shape(op.input.as_ref()?.target).as_structure()?;
    input
        .members
        .iter()
        .find(|m| matches!(&model.shape(m.target).kind, ShapeKind::Structure(s) if s.eventstream))
        .map(|m| m.name.to_string())
}

impl Client {
    /// Calls an operation with an event-stream input and output over
    /// HTTP/2: `input` is sent event by event (`{"EventType": {...}}`, as
    /// botocore shapes events) while the output events are read, which
    /// arrive in the returned [`EventStreamOutput`] as with
    /// [`Client::call_event_stream`]. The stream member of `params` is
    /// left out (it is `input`). Build `input` with [`channel`] or any
    /// [`futures_core::Stream`].
    ///
    /// # Errors
    ///
    /// Those of [`Client::call_event_stream`] (the operation has no
    /// event-stream input or output: [`ErrorKind::Construction`]); an
    /// input event that does not encode ends the request stream, and the
    /// output stream then fails.
    pub async fn call_duplex_stream<S>(
        &self,
        operation: &str,
        params: Value,
        input: S,
    ) -> Result<EventStreamOutput, Error>
    where
        S: futures_core::Stream<Item = Value> + Send + 'static,
    {
        use tracing::Instrument;
        let c = &self.inner;
        let span =
            tracing::debug_span!("call", service = %c.model.service_name, operation = %operation);
        let op_name = operation.to_string();
        invoke(c, &op_name, params, Box::pin(input))
            .instrument(span)
            .await
            .map_err(|e| e.with_operation(&op_name))
    }
}

type Input = Pin<Box<dyn futures_core::Stream<Item = Value> + Send>>;

/// The call, boxed behind a function that is never inlined, so its state
/// machine is compiled here once rather than in every crate that awaits
/// [`Client::call_duplex_stream`] (see `pipeline::invoke`).
#[inline(never)]
fn invoke<'a>(
    c: &'a Arc<ClientInner>,
    operation: &'a str,
    params: Value,
    input: Input,
) -> crate::http::BoxFuture<'a, Result<EventStreamOutput, Error>> {
    Box::pin(invoke_unboxed(c, operation, params, input))
}

async fn invoke_unboxed(
    c: &Arc<ClientInner>,
    operation: &str,
    mut params: Value,
    input: Input,
) -> Result<EventStreamOutput, Error> {
    let op = c.model.require_operation(operation)?;
    let parser = EventParser::for_operation(&c.model, op);
    let (Some(member), Some(parser)) = (input_stream_member(&c.model, op), parser) else {
        return Err(Error::construction(format!(
            "{} does not both send and receive an event stream; use Client::call_event_stream \
             or Client::call",
            op.name
        )));
    };
    // The stream travels in the body; an empty placeholder lets validation
    // and serialization see a complete input.
    if params.is_null() {
        params = Value::Map(Map::new());
    }
    if let Some(m) = params.as_map_mut() {
        m.insert(member, Value::Map(Map::new()));
    }
    let call = CallInfo {
        model: &c.model,
        operation: op,
        config: &c.config,
        presigning: false,
    };
    for i in &c.interceptors {
        i.read_before_execution(&call, &params)?;
    }
    let plan = CallPlan {
        account_id: crate::pipeline::identity_account_id(c).await,
        ..CallPlan::default()
    };
    let p = crate::pipeline::prepare_with(c, operation, params, None, &plan, false)?;
    for i in &c.interceptors {
        if let Some(answer) = i.respond_before_send(&call, &p.params) {
            return crate::event_stream_call::answered(c, &call, &p, answer, parser);
        }
    }
    let mut headers: Vec<(String, String)> = p
        .headers
        .iter()
        .filter(|(k, _)| {
            !k.eq_ignore_ascii_case("content-type") && !k.eq_ignore_ascii_case("content-length")
        })
        .cloned()
        .collect();
    headers.push((
        "Content-Type".into(),
        "application/vnd.amazon.eventstream".into(),
    ));
    headers.push(("User-Agent".into(), c.user_agent.clone()));
    headers.push(("amz-sdk-invocation-id".into(), p.invocation_id.clone()));
    headers.push(("amz-sdk-request".into(), "attempt=1; max=1".into()));
    let signer = sign(c, &p, &mut headers).await?;
    let mut request = HttpRequest {
        method: p.method.clone(),
        url: p.target.url().to_string(),
        headers,
        body: RequestBody::Empty,
    };
    for i in &c.interceptors {
        i.modify_before_transmit(&call, &mut request)?;
    }
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let writer = tokio::spawn(write_input(
        c.clone(),
        op.name.to_string(),
        input,
        signer,
        tx,
    ));
    let settings = HttpSettings {
        connect_timeout: c.config.connect_timeout,
        read_timeout: c.config.read_timeout,
        max_pool_connections: 1,
        verify_tls: c.config.verify_tls,
        ca_bundle: c.config.ca_bundle.clone(),
        proxies: Default::default(),
    };
    tracing::trace!(method = %request.method, url = %request.url,
        headers = ?crate::pipeline::redact_headers(&request.headers), "sending (HTTP/2, duplex)");
    let resp = crate::http::h2::send_duplex(
        &settings,
        &request.method,
        &request.url,
        &request.headers,
        rx,
    )
    .await
    .map_err(|e| {
        writer.abort();
        e.with_request_url(&request.url)
    })?;
    crate::event_stream_call::respond(c, &call, &p, &request, resp, &parser, 1).await
}

/// Signs the request for a streamed event body; returns the signer of the
/// envelopes (`None`: events go out unsigned).
async fn sign(
    c: &ClientInner,
    p: &crate::pipeline::Prepared<'_>,
    headers: &mut Vec<(String, String)>,
) -> Result<Option<EventSigner>, Error> {
    match &p.auth {
        AuthScheme::None => Ok(None),
        AuthScheme::Bearer => {
            let provider = c.token.as_ref().ok_or_else(|| {
                Error::new(
                    ErrorKind::Credentials,
                    "this operation needs a bearer token",
                )
            })?;
            let token = provider.token().await?;
            let (name, value) = sigv4::bearer_authorization(&token)?;
            headers.push((name.to_string(), value));
            Ok(None)
        }
        AuthScheme::SigV4(scope) => {
            let creds = c
                .credentials
                .as_ref()
                .ok_or_else(|| Error::new(ErrorKind::Credentials, "Unable to locate credentials"))?
                .provide()
                .await?;
            let mut settings = if p.signing.s3_rules {
                SigningSettings::s3()
            } else {
                SigningSettings::default()
            };
            settings.content_sha256_header = true;
            let mut req = crate::auth::sign::signable_request(p);
            for (k, v) in headers.iter() {
                req.push_header(k, v);
            }
            let req = req.body(SignableBody::Precomputed(
                sigv4::STREAMING_EVENTS_PAYLOAD.into(),
            ));
            let params =
                sigv4::SigningParams::new(&scope.signing_region, &scope.signing_name, c.now())
                    .with_settings(settings);
            let out = sigv4::sign(&req, &creds, &params)?;
            out.apply_to(headers);
            Ok(Some(EventSigner::new(
                &creds,
                &scope.signing_region,
                &scope.signing_name,
                out.signature(),
            )))
        }
        other => Err(Error::construction(format!(
            "input event streams are signed with SigV4 only, not {}",
            other.name()
        ))),
    }
}

/// One envelope: `:chunk-signature` and `:date` around `payload`.
pub(crate) fn envelope(
    signer: &mut EventSigner,
    payload: &[u8],
    time: std::time::SystemTime,
) -> Result<Vec<u8>, Error> {
    let sig = signer.sign(payload, time)?;
    let bytes = sig.bytes();
    Ok(encode_message(
        &[
            (":chunk-signature", HeaderValue::Bytes(&bytes)),
            (":date", HeaderValue::Timestamp(sig.date_millis)),
        ],
        payload,
    )?)
}

/// Feeds the request body: each input event encoded (and enveloped when
/// signed), then the signed empty envelope. Stops when the connection goes.
async fn write_input(
    c: Arc<ClientInner>,
    op: String,
    mut input: Input,
    mut signer: Option<EventSigner>,
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
) {
    let fail = |e: Error| {
        tracing::debug!(error = %e.report(), "input event stream aborted");
        Err(std::io::Error::other(e.to_string()))
    };
    loop {
        let event = std::future::poll_fn(|cx| input.as_mut().poll_next(cx)).await;
        let frame = match event {
            Some(event) => {
                let Some(operation) = c.model.operation(&op) else {
                    return;
                };
                let encoded = encode_input_event(&c.model, operation, &event).map_err(Error::from);
                match (encoded, signer.as_mut()) {
                    (Ok(m), Some(s)) => envelope(s, &m, c.now()),
                    (Ok(m), None) => Ok(m),
                    (Err(e), _) => Err(e),
                }
            }
            None => match signer.as_mut() {
                Some(s) => envelope(s, &[], c.now()),
                None => return,
            },
        };
        let last = event_done(&frame);
        let msg = frame.map(Bytes::from).or_else(fail);
        let failed = msg.is_err();
        if tx.send(msg).await.is_err() || failed || last {
            return;
        }
    }
}

/// Whether `frame` was the closing (empty) envelope.
fn event_done(frame: &Result<Vec<u8>, Error>) -> bool {
    // An envelope around nothing: prelude, the two headers, no payload.
    matches!(frame, Ok(f) if f.len() == 16 + (1 + 16 + 1 + 2 + 32) + (1 + 5 + 1 + 8))
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_protocols::de::eventstream::{decode_message, HeaderValue as Decoded};
    use std::time::{Duration, UNIX_EPOCH};

    /// The whole aws-sdk-rust vector (`aws-sigv4` `event_stream.rs`, test
    /// `string_to_sign`), payload hash included: the message encoder and the
    /// chained string to sign agree with aws-sdk-rust's.
    #[test]
    fn string_to_sign_matches_aws_sdk_rust_vector() {
        let message = encode_message(
            &[("some-header", HeaderValue::String("value"))],
            b"test payload",
        )
        .unwrap();
        let creds = boto_auth::Credentials::new("ANOTREAL", "secret", None, None, "test");
        let last = "be1f8c7d79ef8e1abc5254a2c70e4da3bfaf4f07328f527444e1fc6ea67273e2";
        let s = EventSigner::new(&creds, "us-east-1", "testservice", last);
        let time = UNIX_EPOCH + Duration::new(123_456_789, 1234);
        assert_eq!(
            s.string_to_sign(&message, time).unwrap(),
            "AWS4-HMAC-SHA256-PAYLOAD\n19731129T213309Z\n\
             19731129/us-east-1/testservice/aws4_request\n\
             be1f8c7d79ef8e1abc5254a2c70e4da3bfaf4f07328f527444e1fc6ea67273e2\n\
             0c0e3b3bf66b59b976181bd7d401927bbd624107303c713fd1e5f3d3c8dd1b1e\n\
             f2eba0f2e95967ee9fbc6db5e678d2fd599229c0d04b11e4fc8e0f2a02a806c6"
        );
    }

    #[test]
    fn envelope_carries_signature_and_date() {
        let creds = boto_auth::Credentials::new("AKID", "secret", None, None, "test");
        let mut s = EventSigner::new(&creds, "us-east-1", "transcribe", "seed");
        let time = UNIX_EPOCH + Duration::new(1_700_000_000, 5);
        let frame = envelope(&mut s, b"inner", time).unwrap();
        assert!(!event_done(&Ok(frame.clone())));
        let (msg, _) = decode_message(&frame).unwrap();
        assert_eq!(msg.payload, b"inner");
        assert_eq!(
            msg.header(":date"),
            Some(&Decoded::Timestamp(1_700_000_000_000))
        );
        let Some(Decoded::Bytes(sig)) = msg.header(":chunk-signature") else {
            panic!("no signature")
        };
        assert_eq!(sig.len(), 32);
        let hex: String = sig.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, s.previous());
        assert!(event_done(&envelope(&mut s, b"", time)));
    }
}
