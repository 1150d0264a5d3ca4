//! [`Client::call_event_stream`]: the call pipeline up to the response
//! headers, then the body handed over as an [`EventStream`].
//!
//! botocore parses the response of an event-stream operation like any other
//! and leaves an `EventStream` object in the stream member
//! (`RestXMLParser._parse_payload`, `BaseJSONParser._handle_event_stream`,
//! which first reads the `initial-response` event). This is that path: the
//! same preparation, signing, retries (for failures before the response
//! starts: connection errors, throttling, 5xx), interceptors and parsers as
//! [`Client::call`], but the body is not collected. Once events have been
//! handed out nothing is retried, as in botocore and aws-sdk-rust.
//!
//! The attempts, retries and redirects are the pipeline's own
//! (`pipeline::invoke_in_span` with `Receive::Events`); this module supplies
//! what a successful response becomes.

use crate::client::{Client, ClientInner};
use crate::error::Error;
use crate::event_stream::{EventParser, EventStream, EventStreamOutput, Reader};
use crate::http::{HttpRequest, HttpResponse};
use crate::interceptor::{CallInfo, ResponseContext};
use crate::pipeline::Prepared;
use boto_model::{Map, Value};
use boto_protocols::Response;

impl Client {
    /// Calls an operation whose output is an event stream and returns as
    /// soon as the response starts: the output's other members, and the
    /// events as they arrive (boto3's `response["Payload"]` iterated,
    /// aws-sdk-rust's `EventReceiver`).
    ///
    /// For `json` and CBOR services (Kinesis SubscribeToShard, CloudWatch
    /// Logs StartLiveTail) the call also waits for the `initial-response`
    /// event, whose members go into [`EventStreamOutput::value`], as
    /// botocore does. Failures before the response starts are retried like
    /// any call; an exception event ends the stream with an
    /// [`ErrorKind::Service`](crate::ErrorKind::Service) error
    /// (botocore's `EventStreamError`).
    ///
    /// # Errors
    ///
    /// Besides the errors of [`Client::call`]: the operation has no
    /// event-stream output, or has an event-stream input (call it with
    /// [`Client::call_duplex_stream`]), both
    /// [`ErrorKind::Construction`](crate::ErrorKind::Construction).
    ///
    /// ```
    /// # use boto_model::params;
    /// # use boto_runtime::{Client, Error};
    /// /// The text a Bedrock model streams back, printed as it arrives.
    /// async fn chat(bedrock: &Client, prompt: &str) -> Result<String, Error> {
    ///     let mut out = bedrock
    ///         .call_event_stream(
    ///             "ConverseStream",
    ///             params! {
    ///                 "modelId": "anthropic.claude-3-haiku-20240307-v1:0",
    ///                 "messages": [{"role": "user", "content": [{"text": prompt}]}],
    ///             },
    ///         )
    ///         .await?;
    ///     let mut text = String::new();
    ///     while let Some(event) = out.events.recv().await? {   // for event in response["stream"]:
    ///         if let Some(delta) = event.pointer("contentBlockDelta.delta.text").as_str() {
    ///             print!("{delta}");
    ///             text.push_str(delta);
    ///         }
    ///     }
    ///     Ok(text)
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// # let bedrock = boto_runtime::event_stream_doc::client("bedrock-runtime", &[
    /// #     ("messageStart", r#"{"role":"assistant"}"#),
    /// #     ("contentBlockDelta", r#"{"contentBlockIndex":0,"delta":{"text":"Hello"}}"#),
    /// #     ("contentBlockDelta", r#"{"contentBlockIndex":0,"delta":{"text":", world"}}"#),
    /// #     ("messageStop", r#"{"stopReason":"end_turn"}"#),
    /// # ]);
    /// assert_eq!(chat(&bedrock, "Say hello").await?, "Hello, world");
    /// # Ok(()) }
    /// ```
    pub async fn call_event_stream(
        &self,
        operation: &str,
        params: Value,
    ) -> Result<EventStreamOutput, Error> {
        use tracing::Instrument;
        let c = &*self.inner;
        let span =
            tracing::debug_span!("call", service = %c.model.service_name, operation = %operation);
        invoke(c, operation, params).instrument(span).await
    }
}

/// The call, boxed behind a function that is never inlined, so its state
/// machine is compiled here once rather than in every crate that awaits
/// [`Client::call_event_stream`] (see `pipeline::invoke`).
#[inline(never)]
fn invoke<'a>(
    c: &'a ClientInner,
    operation: &'a str,
    params: Value,
) -> crate::http::BoxFuture<'a, Result<EventStreamOutput, Error>> {
    Box::pin(invoke_unboxed(c, operation, params))
}

async fn invoke_unboxed(
    c: &ClientInner,
    operation: &str,
    params: Value,
) -> Result<EventStreamOutput, Error> {
    let op = c.model.require_operation(operation)?;
    let Some(parser) = EventParser::for_operation(&c.model, op) else {
        return Err(Error::construction(format!(
            "{} has no event-stream output; use Client::call or Client::call_stream",
            op.name
        ))
        .with_operation(&op.name));
    };
    let input_stream = op
        .input
        .as_ref()
        .and_then(|r| c.model.shape(r.target).as_structure())
        .is_some_and(|s| {
            s.members.iter().any(|m| {
                matches!(&c.model.shape(m.target).kind,
                    boto_model::ShapeKind::Structure(t) if t.eventstream)
            })
        });
    if input_stream {
        return Err(Error::construction(format!(
            "{} sends an input event stream (HTTP/2): use Client::call_duplex_stream",
            op.name
        ))
        .with_operation(&op.name));
    }
    let receive = crate::pipeline::Receive::Events(&parser);
    match crate::pipeline::invoke_in_span(c, operation, params, None, receive).await? {
        crate::pipeline::Received::Events(out) => Ok(out),
        crate::pipeline::Received::Output(_) => unreachable!("Receive::Events yields events"),
    }
}

/// The response of one attempt: an error response is read whole and parsed
/// as the service error; a success hands its body to the event reader.
pub(crate) async fn respond(
    c: &ClientInner,
    call: &CallInfo<'_>,
    p: &Prepared<'_>,
    request: &HttpRequest,
    resp: HttpResponse,
    parser: &EventParser,
    attempt: u32,
) -> Result<EventStreamOutput, Error> {
    let HttpResponse {
        status,
        headers,
        body,
    } = resp;
    let success = (200..300).contains(&status);
    let (bytes, body) = if success {
        (Vec::new(), Some(body))
    } else {
        if let Some(date) = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("date")) {
            c.record_server_date(&date.1);
        }
        (body.collect().await?, None)
    };
    let ctx = ResponseContext {
        status,
        headers: &headers,
        body: &bytes,
        request,
    };
    for i in &c.interceptors {
        i.read_after_response(call, &ctx)?;
    }
    let r = Response {
        status,
        headers: &headers,
        body: &bytes,
    };
    let Some(body) = body else {
        return Err(Error::service(boto_protocols::parse_error(
            &c.model, p.op, &r,
        )));
    };
    // The output without its events: header-bound members (REST) and
    // ResponseMetadata.
    let mut value = match boto_protocols::parse_response(&c.model, p.op, &r)? {
        Value::Map(m) => m,
        _ => Map::new(),
    };
    value.shift_remove(&parser.member);
    let mut parser = parser.clone();
    parser.status = status;
    parser.request_id = headers
        .iter()
        .find(|(k, _)| {
            k.eq_ignore_ascii_case("x-amzn-requestid") || k.eq_ignore_ascii_case("x-amz-request-id")
        })
        .map(|(_, v)| v.clone());
    let rpc = parser.rpc;
    let mut reader = Reader::new(body, parser);
    if rpc {
        let mut initial = reader.initial_response().await?;
        initial.extend(value);
        value = initial;
    }
    if let Some(Value::Map(meta)) = value.get_mut("ResponseMetadata") {
        meta.insert("RetryAttempts", Value::Integer(i64::from(attempt - 1)));
    }
    let mut value = Value::Map(value);
    for i in &c.interceptors {
        i.modify_after_parse(call, &p.params, &mut value)?;
    }
    Ok(EventStreamOutput {
        value,
        events: EventStream::new(reader),
    })
}

/// An interceptor answered without sending (the Stubber): the events are the
/// list in the answer's event-stream member.
pub(crate) fn answered(
    c: &ClientInner,
    call: &CallInfo<'_>,
    p: &Prepared<'_>,
    answer: Result<Value, Error>,
    parser: EventParser,
) -> Result<EventStreamOutput, Error> {
    let mut value = answer.map_err(|e| e.with_operation(&p.op.name))?;
    let events = match value
        .as_map_mut()
        .and_then(|m| m.shift_remove(&parser.member))
    {
        Some(Value::List(l)) => l,
        _ => Vec::new(),
    };
    for i in &c.interceptors {
        i.modify_after_parse(call, &p.params, &mut value)
            .map_err(|e| e.with_operation(&p.op.name))?;
    }
    Ok(EventStreamOutput {
        value,
        events: EventStream::new(Reader::from_events(events, parser)),
    })
}
