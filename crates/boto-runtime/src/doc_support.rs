//! Not part of the API (hidden from the docs): a canned transport so the
//! examples in this crate's and `boto`'s documentation run as doc tests
//! offline — no network, no credentials lookup, no files read.
//!
//! The examples show code that takes a [`Client`]; a hidden line makes that
//! client here. The whole pipeline still runs (validation, serialization,
//! endpoint resolution, SigV4 signing, response parsing); only the socket is
//! replaced. For tests of your own code use `boto-testing`'s `Stubber` (the
//! botocore `Stubber`) or its `Replayer`.

use crate::http::{BoxFuture, ByteStream, HttpClient, HttpRequest, HttpResponse};
use crate::{Client, ClientConfig, Error};
use boto_auth::credentials::{Credentials, StaticProvider};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

/// Answers each request with the next `(status, body)`; a request with no
/// answer left fails as a dispatch error.
#[derive(Debug, Default)]
pub struct Canned {
    responses: Mutex<VecDeque<(u16, String)>>,
    requests: Mutex<Vec<HttpRequest>>,
}

impl Canned {
    /// The requests sent so far, in order (signed, as they would go out).
    pub fn requests(&self) -> Vec<HttpRequest> {
        self.requests.lock().map(|r| r.clone()).unwrap_or_default()
    }
}

impl HttpClient for Canned {
    fn send(&self, req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        if let Ok(mut r) = self.requests.lock() {
            r.push(req);
        }
        let next = self.responses.lock().ok().and_then(|mut r| r.pop_front());
        Box::pin(async move {
            let (status, body) =
                next.ok_or_else(|| Error::dispatch("doc_support: no canned response left"))?;
            Ok(HttpResponse {
                status,
                headers: vec![
                    ("content-length".into(), body.len().to_string()),
                    ("x-amz-request-id".into(), "EXAMPLE0REQUEST0ID".into()),
                ],
                body: ByteStream::from_bytes(body.into_bytes()),
            })
        })
    }
}

/// A client for `service` in `us-east-1`, signing with AWS's documentation
/// example keys, whose transport answers with `responses` in order.
pub fn client(service: &str, responses: &[(u16, &str)]) -> Client {
    client_and_transport(service, responses).0
}

/// [`client`], plus the transport to inspect the requests it sent.
pub fn client_and_transport(service: &str, responses: &[(u16, &str)]) -> (Client, Arc<Canned>) {
    let canned = Arc::new(Canned {
        responses: Mutex::new(
            responses
                .iter()
                .map(|(s, b)| (*s, (*b).to_string()))
                .collect(),
        ),
        requests: Mutex::default(),
    });
    let credentials = Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
        StaticProvider::NAME,
    );
    let client = Client::builder(service)
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            ..ClientConfig::default()
        })
        .credentials(Arc::new(StaticProvider::new(credentials)))
        .http_client(canned.clone())
        .build()
        .expect("the doc-test client builds");
    (client, canned)
}
