//! Event-stream outputs in the blocking client: the events as an
//! `Iterator`, each read from the connection when `next` asks for it, the
//! way boto3 code iterates botocore's `EventStream`
//! (`for event in response["Payload"]:`).

use super::{block_on_send, Client};
use crate::{Error, Value};

/// What [`Client::call_event_stream`] returns: the output's other members
/// and the events still to come.
#[derive(Debug)]
pub struct EventStreamOutput {
    /// botocore's response dict without the event-stream member (see
    /// [`crate::EventStreamOutput::value`]).
    pub value: Value,
    /// The events, an `Iterator` of `Result<Value, Error>`.
    pub events: EventStream,
}

/// A blocking [`crate::EventStream`]: each `next()` waits for the next
/// event; `None` after the last one or after an error. Dropping it closes
/// the connection.
#[derive(Debug)]
pub struct EventStream {
    inner: Option<crate::EventStream>,
}

impl EventStream {
    /// The output member the events belong to (`Payload`, `EventStream`, ...).
    pub fn member(&self) -> &str {
        self.inner.as_ref().map_or("", |s| s.member())
    }
}

impl Iterator for EventStream {
    type Item = Result<Value, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        let stream = self.inner.as_mut()?;
        let next = match block_on_send(stream.recv()) {
            Ok(r) => r.transpose(),
            Err(e) => Some(Err(e)),
        };
        if !matches!(next, Some(Ok(_))) {
            self.inner = None;
        }
        next
    }
}

impl Client {
    /// Calls an operation whose output is an event stream (S3
    /// SelectObjectContent, Bedrock ConverseStream, Kinesis SubscribeToShard,
    /// ...) and returns once the response starts, like
    /// [`crate::Client::call_event_stream`]; the events are an `Iterator`.
    ///
    /// ```
    /// # fn main() -> Result<(), boto::Error> {
    /// use boto::{blocking, params};
    ///
    /// # let async_client = boto::core::runtime::event_stream_doc::client("bedrock-runtime", &[
    /// #     ("contentBlockDelta", r#"{"contentBlockIndex":0,"delta":{"text":"Hello"}}"#),
    /// #     ("contentBlockDelta", r#"{"contentBlockIndex":0,"delta":{"text":"!"}}"#),
    /// #     ("messageStop", r#"{"stopReason":"end_turn"}"#),
    /// # ]);
    /// let bedrock = blocking::Client::new(async_client);
    /// let out = bedrock.call_event_stream(
    ///     "ConverseStream",
    ///     params! {"modelId": "anthropic.claude-3-haiku-20240307-v1:0",
    ///              "messages": [{"role": "user", "content": [{"text": "Hi"}]}]},
    /// )?;
    /// let mut reply = String::new();
    /// for event in out.events {                       // for event in response["stream"]:
    ///     let event = event?;                         // an exception event is an Err
    ///     if let Some(text) = event.pointer("contentBlockDelta.delta.text").as_str() {
    ///         reply.push_str(text);
    ///     }
    /// }
    /// assert_eq!(reply, "Hello!");
    /// # Ok(()) }
    /// ```
    pub fn call_event_stream(
        &self,
        operation: &str,
        params: Value,
    ) -> Result<EventStreamOutput, Error> {
        let out = block_on_send(self.async_client().call_event_stream(operation, params))??;
        Ok(EventStreamOutput {
            value: out.value,
            events: EventStream {
                inner: Some(out.events),
            },
        })
    }
}
