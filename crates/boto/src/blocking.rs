//! A blocking API over the async client, like reqwest's `blocking`.
//!
//! Calls run on one shared background Tokio runtime, so blocking clients can
//! be used from plain threads (and from many at once: the client is
//! `Send + Sync` and cheap to clone), and from `tokio::task::spawn_blocking`
//! closures, where blocking is what the thread is for. From an async task a
//! blocking call still completes (on a multi-thread runtime through
//! `block_in_place`; on a current-thread runtime by waiting for a helper
//! thread, which stalls that runtime meanwhile), but the async
//! [`crate::Client`] is the right tool there. Only boto's own runtime threads
//! refuse, with an error, since blocking them would starve the call itself.
//!
//! The shapes match the async client: `client.paginate(op, params)?` gives a
//! [`Paginator`] (an `Iterator` of pages) and `client.waiter(name)?.wait(params,
//! WaiterConfig)` polls like [`crate::Waiter::wait`].

use crate::{Error, Session, Value, WaiterConfig};

mod event_stream;
pub use event_stream::{EventStream, EventStreamOutput};
use std::future::Future;
use std::sync::OnceLock;

const THREAD_NAME: &str = "boto-blocking";

fn runtime() -> Result<&'static tokio::runtime::Runtime, Error> {
    static RT: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(THREAD_NAME)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| Error::construction(format!("cannot start the blocking runtime: {e}")))
}

/// Where a blocking call is being made from.
enum Context {
    /// A plain thread (no Tokio runtime): block right here.
    Plain(&'static tokio::runtime::Runtime),
    /// Inside a multi-thread Tokio runtime (a worker, its `block_on`, or a
    /// `spawn_blocking` thread): `block_in_place` steps out of the runtime
    /// context first (a worker hands its tasks to another thread).
    MultiThread(&'static tokio::runtime::Runtime),
    /// Inside a current-thread runtime: a helper thread drives the call.
    CurrentThread(&'static tokio::runtime::Runtime),
}

fn context() -> Result<Context, Error> {
    let rt = runtime()?;
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        return Ok(Context::Plain(rt));
    };
    if std::thread::current().name() == Some(THREAD_NAME) {
        return Err(Error::construction(
            "a blocking boto client was used on boto's own runtime threads; use the async `boto::Client` there",
        ));
    }
    Ok(match handle.runtime_flavor() {
        tokio::runtime::RuntimeFlavor::CurrentThread => Context::CurrentThread(rt),
        _ => Context::MultiThread(rt),
    })
}

/// Runs a future to completion on the shared runtime, blocking the calling
/// thread: from plain threads, and from any thread of a multi-thread Tokio
/// runtime (`spawn_blocking` closures, or tasks via `block_in_place`). On a
/// current-thread runtime it is an error (the blocking client's own methods
/// work there too: they move their `Send` futures to a helper thread).
pub fn block_on<F: Future>(f: F) -> Result<F::Output, Error> {
    let mut out = None;
    run(Box::pin(async {
        out = Some(f.await);
    }))?;
    Ok(out.expect("block_on returns once its future has completed"))
}

/// [`block_on`]'s work for a future of any type, behind one boxed type and a
/// function that is never inlined: Tokio's `block_on` (the runtime's
/// context, the park loop) is compiled once, here, instead of once per
/// future type in each crate that calls a blocking method (it was about a
/// fifth of `boto-resources`' generated code; `bench/regress.md`, session
/// 25). The output comes back through the caller's slot.
#[inline(never)]
fn run(f: std::pin::Pin<Box<dyn Future<Output = ()> + '_>>) -> Result<(), Error> {
    match context()? {
        Context::Plain(rt) => rt.block_on(f),
        Context::MultiThread(rt) => tokio::task::block_in_place(|| rt.block_on(f)),
        Context::CurrentThread(_) => {
            return Err(Error::construction(
                "a blocking boto call inside a current-thread Tokio runtime; \
                 use the async `boto::Client`, or `spawn_blocking` on a multi-thread runtime",
            ))
        }
    }
    Ok(())
}

/// [`block_on`] for `Send` futures, which also works on a current-thread
/// runtime (including its `spawn_blocking` threads): the future is driven
/// from a helper thread with no runtime context while this one waits.
fn block_on_send<F>(f: F) -> Result<F::Output, Error>
where
    F: Future + Send,
    F::Output: Send,
{
    let mut out = None;
    run_send(Box::pin(async {
        out = Some(f.await);
    }))?;
    Ok(out.expect("block_on returns once its future has completed"))
}

/// [`block_on_send`]'s work, type-erased as [`run`]'s is.
#[inline(never)]
fn run_send(f: std::pin::Pin<Box<dyn Future<Output = ()> + Send + '_>>) -> Result<(), Error> {
    let Context::CurrentThread(rt) = context()? else {
        return run(f);
    };
    std::thread::scope(|scope| {
        let helper = std::thread::Builder::new()
            .name("boto-blocking-call".into())
            .spawn_scoped(scope, move || rt.block_on(f))
            .map_err(|e| Error::construction(format!("cannot start a helper thread: {e}")))?;
        helper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok(())
    })
}

/// A blocking service client: the async [`crate::Client`] with calls that
/// block the current thread, the way boto3 code reads. Same operations,
/// parameters and results; paginators are `Iterator`s of pages.
///
/// ```
/// # fn main() -> Result<(), boto::Error> {
/// use boto::{blocking, params};
///
/// # let page1 = "<ListBucketResult><Contents><Key>a</Key></Contents><IsTruncated>true</IsTruncated>\
/// #   <NextContinuationToken>t1</NextContinuationToken></ListBucketResult>";
/// # let page2 = "<ListBucketResult><Contents><Key>b</Key></Contents>\
/// #   <IsTruncated>false</IsTruncated></ListBucketResult>";
/// # let async_client = boto::core::runtime::doc_support::client("s3",
/// #     &[(200, "<ListAllMyBucketsResult><Buckets><Bucket><Name>my-bucket</Name></Bucket>\
/// #               </Buckets></ListAllMyBucketsResult>"), (200, page1), (200, page2), (200, "")]);
/// // boto3.client("s3") is blocking::Client::from_default_session("s3")?
/// let s3 = blocking::Client::new(async_client);
///
/// let out = s3.call("ListBuckets", params! {})?;               // s3.list_buckets()
/// assert_eq!(out.pointer("Buckets[0].Name").as_str(), Some("my-bucket"));
///
/// let mut keys = Vec::new();
/// for page in s3.paginate("ListObjectsV2", params! {"Bucket": "my-bucket"})? {
///     for obj in page?.get("Contents").as_list_or_empty() {
///         keys.push(obj.get("Key").as_str().unwrap_or_default().to_string());
///     }
/// }
/// assert_eq!(keys, ["a", "b"]);
///
/// // s3.get_waiter("bucket_exists").wait(Bucket="my-bucket")
/// s3.waiter("bucket_exists")?.wait(params! {"Bucket": "my-bucket"}, boto::WaiterConfig::new())?;
/// # Ok(()) }
/// ```
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
    /// The service model (botocore's `client.meta.service_model`).
    pub fn model(&self) -> &std::sync::Arc<boto_model::ServiceModel> {
        self.inner.model()
    }

    /// Calls an operation and returns its output.
    pub fn call(&self, operation: &str, params: Value) -> Result<Value, Error> {
        block_on_send(self.inner.call(operation, params))?
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
        // The sink runs on this thread (it need not be `Send`); only the
        // reads are driven on the runtime.
        let out = block_on_send(self.inner.call_stream(operation, params, body))??;
        if let Some(mut stream) = out.body {
            while let Some(chunk) = block_on_send(stream.next_chunk())?? {
                sink(&chunk)
                    .map_err(|e| Error::construction(format!("writing the response body: {e}")))?;
            }
        }
        Ok(out.value)
    }

    /// Builds and signs a request without sending it.
    pub fn prepare(
        &self,
        operation: &str,
        params: Value,
    ) -> Result<boto_runtime::http::HttpRequest, Error> {
        block_on_send(self.inner.prepare(operation, params))?
    }

    /// A presigned URL (S3 GetObject/PutObject and others).
    pub fn presign_url(
        &self,
        operation: &str,
        params: Value,
        expires_in: std::time::Duration,
    ) -> Result<String, Error> {
        block_on_send(self.inner.presign_url(operation, params, expires_in))?
    }

    /// A presigned URL signed for `http_method` (botocore's `HttpMethod=`).
    pub fn presign_url_with_method(
        &self,
        operation: &str,
        params: Value,
        expires_in: std::time::Duration,
        http_method: &str,
    ) -> Result<String, Error> {
        block_on_send(self.inner.presign_url_with_method(
            operation,
            params,
            expires_in,
            http_method,
        ))?
    }

    /// All pages of a paginated operation, fetched lazily as the iterator advances.
    pub fn paginate(&self, operation: &str, params: Value) -> Result<Paginator, Error> {
        Ok(Paginator {
            inner: self.inner.paginate(operation, params)?,
        })
    }

    /// A waiter by name (`BucketExists` or `bucket_exists`), like
    /// [`crate::Client::waiter`]: `client.waiter("BucketExists")?.wait(params, WaiterConfig::default())`.
    pub fn waiter(&self, name: &str) -> Result<Waiter, Error> {
        Ok(Waiter {
            inner: self.inner.waiter(name)?,
        })
    }

    /// Waits with a named waiter, optionally overriding delay and attempts.
    #[deprecated(
        note = "use `client.waiter(name)?.wait(params, WaiterConfig)`, the async client's shape"
    )]
    pub fn wait(
        &self,
        waiter: &str,
        params: Value,
        delay: Option<std::time::Duration>,
        max_attempts: Option<u32>,
    ) -> Result<Value, Error> {
        let config = WaiterConfig {
            delay,
            max_attempts,
        };
        self.waiter(waiter)?.wait(params, config)
    }
}

/// A blocking waiter: [`crate::Waiter`] with a blocking `wait`.
#[derive(Clone, Debug)]
pub struct Waiter {
    inner: crate::Waiter,
}

impl Waiter {
    /// The waiter's model name.
    pub fn name(&self) -> &str {
        self.inner.name()
    }
    /// Polls until success (returns that response), a failure state or the
    /// last attempt (an error of kind [`crate::ErrorKind::Waiter`]).
    pub fn wait(&self, params: Value, config: WaiterConfig) -> Result<Value, Error> {
        block_on_send(self.inner.wait(params, config))?
    }
}

/// A blocking paginator: an `Iterator` over the pages of
/// [`crate::Paginator`], fetched as it advances, with the same
/// `max_items`/`page_size`/`starting_token` settings.
pub struct Paginator {
    inner: crate::Paginator,
}

/// The old name of [`Paginator`].
pub type Pages = Paginator;

impl Paginator {
    /// Stops after `n` items in total (boto3's `PaginationConfig.MaxItems`).
    pub fn max_items(mut self, n: u64) -> Self {
        self.inner = self.inner.max_items(n);
        self
    }
    /// Items per page (`PaginationConfig.PageSize`).
    pub fn page_size(mut self, n: u64) -> Self {
        self.inner = self.inner.page_size(n);
        self
    }
    /// Resumes from a previous run's `NextToken` (`PaginationConfig.StartingToken`).
    pub fn starting_token(mut self, token: impl Into<String>) -> Self {
        self.inner = self.inner.starting_token(token);
        self
    }
    /// Sets `MaxItems`, `PageSize` or `StartingToken` like boto3's `PaginationConfig`.
    pub fn config(mut self, f: impl FnOnce(crate::Paginator) -> crate::Paginator) -> Self {
        self.inner = f(self.inner);
        self
    }
    /// The token to resume from after the pages read so far (when `max_items` stopped early).
    pub fn resume_token(&self) -> Option<&str> {
        self.inner.resume_token()
    }
    /// Aggregates every page into one result (boto3's `build_full_result`).
    pub fn build_full_result(self) -> Result<Value, Error> {
        block_on_send(self.inner.build_full_result())?
    }
}

impl Iterator for Paginator {
    type Item = Result<Value, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        match block_on_send(self.inner.next_page()) {
            Ok(next) => next,
            Err(e) => Some(Err(e)),
        }
    }
}
