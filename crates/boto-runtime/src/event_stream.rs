//! Event-stream outputs read while they arrive: botocore's
//! `botocore.eventstream.EventStream` (and its `EventStreamBuffer`), the
//! `EventReceiver` of aws-sdk-rust.
//!
//! Operations such as S3 SelectObjectContent, Lambda
//! InvokeWithResponseStream, Bedrock ConverseStream, Kinesis
//! SubscribeToShard or CloudWatch Logs StartLiveTail answer with a body of
//! `application/vnd.amazon.eventstream` messages that can run for minutes.
//! [`Client::call`](crate::Client::call) waits for the end and returns them
//! as a list; [`Client::call_event_stream`](crate::Client::call_event_stream)
//! returns as soon as the response starts and hands out each event once its
//! message is complete, so a caller can print tokens as a model produces
//! them.
//!
//! Each event is shaped as botocore shapes it, `{"EventName": {...}}`,
//! because it goes through the same protocol parser as the buffered path
//! (`boto_protocols::parse_response` over that one message). Unknown event
//! types are skipped, as botocore's iterator skips empty events. Modeled
//! exception events and `:message-type: error` messages end the stream with
//! [`ErrorKind::Service`](crate::ErrorKind::Service) errors carrying
//! botocore's `EventStreamError` code and message; a bad checksum, a
//! malformed message or a body that ends inside a message end it with an
//! [`ErrorKind::Response`](crate::ErrorKind::Response) error. Nothing here
//! panics on what the server sends.

use crate::error::Error;
use crate::http::{BoxFuture, ByteStream};
use boto_model::{Map, Operation, ServiceModel, ShapeKind, Value};
use boto_protocols::de::eventstream::{crc32, decode_message, HeaderValue as Decoded, Message};
use boto_protocols::ser::eventstream::{encode_message, HeaderValue};
use boto_protocols::{Response, ServiceError};
use bytes::{Bytes, BytesMut};
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Largest message accepted (aws-smithy-eventstream's limits: a 16 MiB
/// payload plus 128 KiB of headers). A larger length in a prelude whose
/// checksum holds is refused instead of buffered.
pub const MAX_MESSAGE_LEN: usize = 16 * 1024 * 1024 + 128 * 1024 + 16;

/// What [`Client::call_event_stream`](crate::Client::call_event_stream)
/// returns: the output's other members, and the events still to come.
#[derive(Debug)]
pub struct EventStreamOutput {
    /// botocore's response dict without the event-stream member: for REST
    /// protocols the members bound to headers and the status code (Lambda's
    /// `StatusCode`, `ExecutedVersion`), for `json`/CBOR protocols the members
    /// of the `initial-response` event; `ResponseMetadata` included.
    pub value: Value,
    /// The events, read from the connection as they are asked for.
    pub events: EventStream,
}

/// The events of an event-stream output, in arrival order: botocore's
/// `EventStream` iterator, aws-sdk-rust's `EventReceiver`.
///
/// Read it with [`recv`](Self::recv) (`Ok(None)` at the end of the stream)
/// or as a [`futures_core::Stream`] of `Result<Value, Error>`. After an
/// error the stream is over. Dropping it closes the connection.
pub struct EventStream {
    state: State,
    member: Arc<str>,
}

/// A read in progress: gives the reader back with what it read.
type Read = BoxFuture<'static, (Box<Reader>, Result<Option<Value>, Error>)>;

enum State {
    Idle(Box<Reader>),
    Reading(Read),
    Done,
}

impl std::fmt::Debug for EventStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventStream")
            .field("member", &self.member)
            .field("done", &matches!(self.state, State::Done))
            .finish()
    }
}

impl EventStream {
    pub(crate) fn new(reader: Reader) -> Self {
        EventStream {
            member: reader.parser.member.clone(),
            state: State::Idle(Box::new(reader)),
        }
    }

    /// The output member the events belong to (`Payload`, `EventStream`,
    /// `stream`, ...): where [`Client::call`](crate::Client::call) puts them
    /// as a list.
    pub fn member(&self) -> &str {
        &self.member
    }

    /// The next event, `Ok(None)` once the stream has ended cleanly
    /// (aws-sdk-rust's `EventReceiver::recv`). Waits for the server; the
    /// client's read timeout applies to each wait.
    pub async fn recv(&mut self) -> Result<Option<Value>, Error> {
        use futures_core::Stream;
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx))
            .await
            .transpose()
    }

    /// Reads every remaining event (what [`Client::call`](crate::Client::call)
    /// puts in the output's event-stream member).
    pub async fn collect(mut self) -> Result<Vec<Value>, Error> {
        let mut out = Vec::new();
        while let Some(e) = self.recv().await? {
            out.push(e);
        }
        Ok(out)
    }
}

impl futures_core::Stream for EventStream {
    type Item = Result<Value, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Idle(mut reader) => {
                    self.state = State::Reading(Box::pin(async move {
                        let next = reader.next_event().await;
                        (reader, next)
                    }));
                }
                State::Reading(mut fut) => match fut.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::Reading(fut);
                        return Poll::Pending;
                    }
                    Poll::Ready((reader, Ok(Some(event)))) => {
                        self.state = State::Idle(reader);
                        return Poll::Ready(Some(Ok(event)));
                    }
                    Poll::Ready((_, Ok(None))) => return Poll::Ready(None),
                    Poll::Ready((_, Err(e))) => return Poll::Ready(Some(Err(e))),
                },
            }
        }
    }
}

/// Reads messages off the body and turns them into events.
pub(crate) struct Reader {
    body: Option<ByteStream>,
    buf: BytesMut,
    queued: VecDeque<Value>,
    pub(crate) parser: EventParser,
}

impl Reader {
    /// Events from a response body.
    pub(crate) fn new(body: ByteStream, parser: EventParser) -> Self {
        Reader {
            body: Some(body),
            buf: BytesMut::new(),
            queued: VecDeque::new(),
            parser,
        }
    }

    /// Events already parsed (an interceptor's answer, e.g. the Stubber's).
    pub(crate) fn from_events(events: Vec<Value>, parser: EventParser) -> Self {
        Reader {
            body: None,
            buf: BytesMut::new(),
            queued: events.into(),
            parser,
        }
    }

    /// The next complete message, `None` at a clean end of the body.
    async fn next_message(&mut self) -> Result<Option<Bytes>, Error> {
        loop {
            if let Some(frame) = split_frame(&mut self.buf).map_err(|e| self.parser.err(e))? {
                return Ok(Some(frame));
            }
            let Some(body) = self.body.as_mut() else {
                return Ok(None);
            };
            match body.next_chunk().await {
                Ok(Some(chunk)) => self.buf.extend_from_slice(&chunk),
                Ok(None) => {
                    self.body = None;
                    if self.buf.is_empty() {
                        return Ok(None);
                    }
                    let n = self.buf.len();
                    self.buf.clear();
                    return Err(self.parser.err(format!(
                        "truncated event stream: the body ended {n} bytes into a message"
                    )));
                }
                Err(e) => {
                    self.body = None;
                    return Err(e.with_operation(&self.parser.op));
                }
            }
        }
    }

    /// The next event, skipping messages that parse to nothing.
    pub(crate) async fn next_event(&mut self) -> Result<Option<Value>, Error> {
        loop {
            if let Some(event) = self.queued.pop_front() {
                return Ok(Some(event));
            }
            let Some(frame) = self.next_message().await? else {
                return Ok(None);
            };
            let msg = decode_message(&frame)
                .map_err(|e| self.parser.err(e.message))?
                .0;
            if let Some(event) = self.parser.event(&msg, &frame)? {
                return Ok(Some(event));
            }
        }
    }

    /// `json`/CBOR protocols: the first message must be the
    /// `initial-response` event; its members are returned.
    pub(crate) async fn initial_response(&mut self) -> Result<Map, Error> {
        let first = self.next_message().await?;
        let Some(frame) = first else {
            return Err(self
                .parser
                .err("First event was not of type initial-response"));
        };
        let msg = decode_message(&frame)
            .map_err(|e| self.parser.err(e.message))?
            .0;
        match header_str(&msg, ":message-type").unwrap_or("event") {
            "exception" => return Err(self.parser.exception(&msg)),
            "error" => return Err(self.parser.error_message(&msg)),
            _ => {}
        }
        if header_str(&msg, ":event-type") != Some("initial-response") {
            return Err(self
                .parser
                .err("First event was not of type initial-response"));
        }
        let mut parsed = self.parser.parse(&frame, false)?;
        parsed.shift_remove(&self.parser.member);
        parsed.shift_remove("ResponseMetadata");
        Ok(parsed)
    }
}

/// Takes the first complete message off `buf`, checking the prelude as soon
/// as it is in (so a corrupt length is never waited for).
fn split_frame(buf: &mut BytesMut) -> Result<Option<Bytes>, String> {
    if buf.len() < 12 {
        return Ok(None);
    }
    let be32 = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if crc32(&buf[..8]) != be32(&buf[8..12]) {
        return Err("invalid event stream message: prelude checksum mismatch".into());
    }
    let total = be32(&buf[..4]) as usize;
    if !(16..=MAX_MESSAGE_LEN).contains(&total) {
        return Err(format!(
            "invalid event stream message: length {total} out of range"
        ));
    }
    if buf.len() < total {
        return Ok(None);
    }
    Ok(Some(buf.split_to(total).freeze()))
}

fn header_str<'a>(msg: &Message<'a>, name: &str) -> Option<&'a str> {
    match msg.header(name) {
        Some(Decoded::String(s)) => Some(s),
        _ => None,
    }
}

/// Parses the messages of one operation's output stream with the model.
#[derive(Clone)]
pub(crate) struct EventParser {
    model: Arc<ServiceModel>,
    /// The operation's model name.
    pub(crate) op: String,
    /// The event-stream member of the output.
    pub(crate) member: Arc<str>,
    /// `json`/CBOR: an `initial-response` message comes first, and every
    /// message is parsed behind a synthetic one (the protocol parser expects it).
    pub(crate) rpc: bool,
    initial: Arc<[u8]>,
    /// The HTTP response's request id and status, for exception events.
    pub(crate) request_id: Option<String>,
    pub(crate) status: u16,
}

impl EventParser {
    /// The parser for `op`, when its output has an event-stream member.
    pub(crate) fn for_operation(model: &Arc<ServiceModel>, op: &Operation) -> Option<Self> {
        let out = model.shape(op.output.as_ref()?.target).as_structure()?;
        let member = out.members.iter().find(
            |m| matches!(&model.shape(m.target).kind, ShapeKind::Structure(s) if s.eventstream),
        )?;
        let (rpc, empty): (bool, &[u8]) = match model.metadata.protocol.as_str() {
            "json" => (true, b"{}"),
            "smithy-rpc-v2-cbor" => (true, &[0xa0]),
            _ => (false, b""),
        };
        let initial = encode_message(
            &[
                (":message-type", HeaderValue::String("event")),
                (":event-type", HeaderValue::String("initial-response")),
            ],
            empty,
        )
        .ok()?;
        Some(EventParser {
            model: model.clone(),
            op: op.name.to_string(),
            member: Arc::from(&*member.name),
            rpc,
            initial: initial.into(),
            request_id: None,
            status: 200,
        })
    }

    /// A response error about the stream itself (framing, checksums, order).
    pub(crate) fn err(&self, message: impl Into<String>) -> Error {
        Error::response(message).with_operation(&self.op)
    }

    /// The protocol parser's output for a body that is this one message.
    /// `as_event`: for `json`/CBOR, behind the synthetic `initial-response`.
    fn parse(&self, frame: &[u8], as_event: bool) -> Result<Map, Error> {
        let op = self
            .model
            .operation(&self.op)
            .ok_or_else(|| self.err(format!("unknown operation {}", self.op)))?;
        let joined;
        let body = if self.rpc && as_event {
            joined = [&self.initial[..], frame].concat();
            &joined[..]
        } else {
            frame
        };
        let resp = Response {
            status: 200,
            headers: &[],
            body,
        };
        match boto_protocols::parse_response(&self.model, op, &resp) {
            Ok(Value::Map(m)) => Ok(m),
            Ok(_) => Ok(Map::new()),
            Err(e) => Err(Error::from(e).with_operation(&self.op)),
        }
    }

    /// An event message as botocore yields it (`None` when it parses to
    /// nothing, e.g. an event type this model does not know); exception and
    /// error messages become the error that ends the stream.
    pub(crate) fn event(&self, msg: &Message<'_>, frame: &[u8]) -> Result<Option<Value>, Error> {
        match header_str(msg, ":message-type").unwrap_or("event") {
            "exception" => Err(self.exception(msg)),
            "error" => Err(self.error_message(msg)),
            _ => Ok(self.first_event(frame)?),
        }
    }

    fn first_event(&self, frame: &[u8]) -> Result<Option<Value>, Error> {
        let mut parsed = self.parse(frame, true)?;
        let event = match parsed.shift_remove(&self.member) {
            Some(Value::List(mut l)) if !l.is_empty() => l.swap_remove(0),
            _ => return Ok(None),
        };
        Ok(match &event {
            Value::Map(m) if m.is_empty() => None,
            _ => Some(event),
        })
    }

    /// botocore's `_do_error_parse` for `:message-type: exception`: the code
    /// is the exception type and the message the modeled body's
    /// `Message`/`message`; the body's members are the error's fields.
    pub(crate) fn exception(&self, msg: &Message<'_>) -> Error {
        let ty = header_str(msg, ":exception-type").unwrap_or_default();
        // The same message as an event of that type parses the body with
        // the exception's shape, as botocore's parser does.
        let mut headers: Vec<(&str, HeaderValue<'_>)> = msg
            .headers
            .iter()
            .filter(|(k, _)| !matches!(*k, ":message-type" | ":event-type" | ":exception-type"))
            .map(|(k, v)| (*k, HeaderValue::from_decoded(v)))
            .collect();
        headers.push((":message-type", HeaderValue::String("event")));
        headers.push((":event-type", HeaderValue::String(ty)));
        let members = encode_message(&headers, msg.payload)
            .ok()
            .and_then(|frame| self.first_event(&frame).ok().flatten())
            .map(|v| v.get(ty).clone());
        let (code, message, fields) = match members {
            Some(Value::Map(m)) => {
                let text = m
                    .get("Message")
                    .or_else(|| m.get("message"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                (ty.to_string(), text, m)
            }
            // Not a member of the stream: botocore reads the error headers.
            _ => (
                header_str(msg, ":error-code").unwrap_or(ty).to_string(),
                header_str(msg, ":error-message")
                    .unwrap_or_default()
                    .to_string(),
                Map::new(),
            ),
        };
        let shape = self.shape_name(&code);
        self.service_error(code, message, shape, fields)
    }

    /// `:message-type: error`: code and message from `:error-code` and `:error-message`.
    pub(crate) fn error_message(&self, msg: &Message<'_>) -> Error {
        let code = header_str(msg, ":error-code")
            .unwrap_or_default()
            .to_string();
        let message = header_str(msg, ":error-message")
            .unwrap_or_default()
            .to_string();
        self.service_error(code, message, None, Map::new())
    }

    fn shape_name(&self, member: &str) -> Option<String> {
        let op = self.model.operation(&self.op)?;
        let out = self
            .model
            .shape(op.output.as_ref()?.target)
            .as_structure()?;
        let stream = out.members.iter().find(|m| *m.name == *self.member)?;
        let union = self.model.shape(stream.target).as_structure()?;
        let m = union.member(member)?;
        Some(self.model.shape(m.target).name.to_string())
    }

    fn service_error(
        &self,
        code: String,
        message: String,
        shape: Option<String>,
        mut fields: Map,
    ) -> Error {
        let mut error = Map::new();
        error.insert("Code", Value::String(code.as_str().into()));
        error.insert("Message", Value::String(message.as_str().into()));
        fields.insert("Error", Value::Map(error));
        Error::service(ServiceError {
            code,
            message,
            request_id: self.request_id.clone(),
            status: self.status,
            shape,
            fields: Value::Map(fields),
        })
        .with_operation(&self.op)
    }
}

#[cfg(test)]
#[path = "event_stream_tests.rs"]
mod tests;
