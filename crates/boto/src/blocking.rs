//! A blocking API over the async client, like reqwest's `blocking`.
//!
//! Calls run on one shared background Tokio runtime, so blocking clients can
//! be used from plain threads (and from many at once: the client is
//! `Send + Sync` and cheap to clone). Calling them from inside an async
//! runtime is refused with an error instead of deadlocking.

use crate::{Error, Session, Value};
use std::future::Future;
use std::sync::OnceLock;

fn runtime() -> Result<&'static tokio::runtime::Runtime, Error> {
    static RT: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("boto-blocking")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| Error::construction(format!("cannot start the blocking runtime: {e}")))
}

/// Runs a future to completion on the shared runtime.
pub fn block_on<F: Future>(f: F) -> Result<F::Output, Error> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(Error::construction(
            "a blocking boto client was used inside an async runtime; use the async `boto::Client` there",
        ));
    }
    Ok(runtime()?.block_on(f))
}

/// A blocking service client.
#[derive(Clone, Debug)]
pub struct Client {
    inner: crate::Client,
}

impl Client {
    /// Wraps an async client.
    pub fn new(inner: crate::Client) -> Self {
        Client { inner }
    }
    /// A blocking client for `service` from the default session.
    pub fn from_default_session(service: &str) -> Result<Self, Error> {
        Ok(Client::new(crate::default_session()?.client(service)?))
    }
    /// A blocking client for `service` from `session`.
    pub fn from_session(session: &Session, service: &str) -> Result<Self, Error> {
        Ok(Client::new(session.client(service)?))
    }
    /// The async client underneath.
    pub fn async_client(&self) -> &crate::Client {
        &self.inner
    }
    pub fn model(&self) -> &std::sync::Arc<boto_model::ServiceModel> {
        self.inner.model()
    }

    /// Calls an operation and returns its output.
    pub fn call(&self, operation: &str, params: Value) -> Result<Value, Error> {
        block_on(self.inner.call(operation, params))?
    }

    /// Calls an operation with a streamed request body; a streamed output
    /// body is read in chunks by `sink` (never held whole in memory).
    pub fn call_stream(
        &self,
        operation: &str,
        params: Value,
        body: Option<crate::RequestBody>,
        mut sink: impl FnMut(&[u8]) -> std::io::Result<()>,
    ) -> Result<Value, Error> {
        block_on(async {
            let out = self.inner.call_stream(operation, params, body).await?;
            if let Some(mut stream) = out.body {
                while let Some(chunk) = stream.next_chunk().await? {
                    sink(&chunk).map_err(|e| {
                        Error::construction(format!("writing the response body: {e}"))
                    })?;
                }
            }
            Ok(out.value)
        })?
    }

    /// Builds and signs a request without sending it.
    pub fn prepare(
        &self,
        operation: &str,
        params: Value,
    ) -> Result<boto_runtime::http::HttpRequest, Error> {
        block_on(self.inner.prepare(operation, params))?
    }

    /// A presigned URL (S3 GetObject/PutObject and others).
    pub fn presign_url(
        &self,
        operation: &str,
        params: Value,
        expires_in: std::time::Duration,
    ) -> Result<String, Error> {
        block_on(self.inner.presign_url(operation, params, expires_in))?
    }

    /// All pages of a paginated operation, fetched lazily as the iterator advances.
    pub fn paginate(&self, operation: &str, params: Value) -> Result<Pages, Error> {
        Ok(Pages {
            inner: self.inner.paginate(operation, params)?,
        })
    }

    /// Waits with a named waiter (`ObjectExists`/`object_exists`), optionally overriding delay and attempts.
    pub fn wait(
        &self,
        waiter: &str,
        params: Value,
        delay: Option<std::time::Duration>,
        max_attempts: Option<u32>,
    ) -> Result<Value, Error> {
        let w = self.inner.waiter(waiter)?;
        block_on(w.wait(
            params,
            boto_runtime::waiter::WaiterConfig {
                delay,
                max_attempts,
            },
        ))?
    }
}

/// A blocking page iterator.
pub struct Pages {
    inner: crate::Paginator,
}

impl Pages {
    /// Sets `MaxItems`, `PageSize` or `StartingToken` like boto3's `PaginationConfig`.
    pub fn config(mut self, f: impl FnOnce(crate::Paginator) -> crate::Paginator) -> Self {
        self.inner = f(self.inner);
        self
    }
    /// Aggregates every page into one result (boto3's `build_full_result`).
    pub fn build_full_result(self) -> Result<Value, Error> {
        block_on(self.inner.build_full_result())?
    }
}

impl Iterator for Pages {
    type Item = Result<Value, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        match block_on(self.inner.next_page()) {
            Ok(next) => next,
            Err(e) => Some(Err(e)),
        }
    }
}
