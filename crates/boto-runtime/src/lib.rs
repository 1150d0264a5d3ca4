//! The runtime that ties boto-rs together: configuration, the call pipeline,
//! HTTP, retries, service customizations, paginators and waiters.
//!
//! A call is one function (the private `pipeline` module): validate →
//! serialize → resolve the endpoint → per attempt (credentials → sign → send
//! → classify → back off) → parse. Service-specific behaviour hooks in through typed
//! [`interceptor::Interceptor`]s registered per service in [`customizations`].

#![deny(missing_docs)]

pub mod auth;
pub mod aws_chunked;
mod call_future;
pub mod client;
pub mod compression;
pub mod config;
pub mod customizations;
pub mod discovery;
#[doc(hidden)]
pub mod doc_support;
pub mod endpoint;
pub mod error;
pub mod event_stream;
mod event_stream_call;
#[doc(hidden)]
pub mod event_stream_doc;
pub mod event_stream_input;
pub mod http;
pub mod interceptor;
pub mod jmespath;
pub mod paginator;
mod pipeline;
pub mod retry;
pub mod waiter;

pub use client::{Client, ClientBuilder, Output};
pub use config::ClientConfig;
pub use error::{Error, ErrorKind};
pub use event_stream::{EventStream, EventStreamOutput};
pub use http::{ByteStream, RequestBody};
pub use pipeline::redact_headers;

use boto_model::Value;

/// Something that can call operations: a [`Client`], or a test double.
/// Paginators and waiters are written against this.
pub trait Invoke: Send + Sync {
    /// The service model the operations belong to.
    fn model(&self) -> &std::sync::Arc<boto_model::ServiceModel>;
    /// Calls `operation` (model name, snake_case or kebab-case) with `params`.
    fn invoke<'a>(
        &'a self,
        operation: &'a str,
        params: Value,
    ) -> http::BoxFuture<'a, Result<Value, Error>>;
}
