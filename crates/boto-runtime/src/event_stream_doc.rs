//! Not part of the API (hidden from the docs): a canned event-stream
//! transport for the examples of [`Client::call_event_stream`] here and in
//! `boto`, as [`doc_support`](crate::doc_support) is for plain calls. The
//! whole pipeline runs (validation, endpoint, signing, parsing); only the
//! socket is replaced by a body of encoded messages.

use crate::http::{BoxFuture, ByteStream, HttpClient, HttpRequest, HttpResponse};
use crate::{Client, ClientConfig, Error};
use boto_auth::credentials::{Credentials, StaticProvider};
use boto_protocols::ser::eventstream::{encode_message, HeaderValue};
use std::sync::Arc;

/// One event message: `:event-type` `event_type`, a JSON `payload`.
pub fn message(event_type: &str, payload: &str) -> Vec<u8> {
    encode_message(
        &[
            (":message-type", HeaderValue::String("event")),
            (":event-type", HeaderValue::String(event_type)),
            (":content-type", HeaderValue::String("application/json")),
        ],
        payload.as_bytes(),
    )
    .unwrap_or_default()
}

struct Events(Vec<u8>);

impl HttpClient for Events {
    fn send(&self, _req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        let body = self.0.clone();
        Box::pin(async move {
            Ok(HttpResponse {
                status: 200,
                headers: vec![
                    (
                        "content-type".into(),
                        "application/vnd.amazon.eventstream".into(),
                    ),
                    ("x-amzn-requestid".into(), "EXAMPLE0REQUEST0ID".into()),
                ],
                body: ByteStream::from_bytes(body),
            })
        })
    }
}

/// A client for `service` in `us-east-1` (AWS's documentation keys) whose
/// every call is answered with these `(event type, JSON payload)` events
/// (after an empty `initial-response` for `json`/CBOR services).
pub fn client(service: &str, events: &[(&str, &str)]) -> Client {
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        StaticProvider::NAME,
    );
    let build = |http: Arc<dyn HttpClient>| {
        Client::builder(service)
            .config(ClientConfig {
                region: Some("us-east-1".into()),
                ..ClientConfig::default()
            })
            .credentials(Arc::new(StaticProvider::new(credentials.clone())))
            .http_client(http)
            .build()
            .expect("the doc-test client builds")
    };
    let mut body = Vec::new();
    let probe = build(Arc::new(Events(Vec::new())));
    if matches!(
        probe.model().metadata.protocol.as_str(),
        "json" | "smithy-rpc-v2-cbor"
    ) {
        body.extend(message("initial-response", "{}"));
    }
    for (ty, payload) in events {
        body.extend(message(ty, payload));
    }
    build(Arc::new(Events(body)))
}
