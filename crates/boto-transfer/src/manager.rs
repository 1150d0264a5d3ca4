//! The [`TransferManager`]: boto3's `S3Transfer`/s3transfer's
//! `TransferManager` (`manager.py`, `futures.py`, `tasks.py`).
//!
//! s3transfer runs each transfer as a tree of tasks on thread pools with a
//! `TransferCoordinator` tracking failures and cancellation. Here a transfer
//! is one future: it spawns its part requests on a `JoinSet`, every request
//! holds a permit of the manager's semaphore (so `max_concurrency` bounds the
//! requests in flight across all transfers, and with them the memory used
//! for buffers), and cancellation is a token checked around every request.
//! Dropping the future aborts the part tasks (JoinSet) and, through guards,
//! aborts an open multipart upload or removes a temporary download file.

use crate::checksum::ChecksumInfo;
use crate::config::TransferConfig;
use crate::error::{Result, TransferError};
use crate::progress::{Bandwidth, CancelToken, ProgressFn, TransferControl};
use boto::Value;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// What a finished transfer reports.
#[derive(Debug, Clone, Default)]
pub struct TransferOutput {
    /// Bytes transferred (the object size).
    pub bytes: u64,
    /// The object's ETag, quotes included as S3 sends it.
    pub etag: Option<String>,
    /// The object's version id, on a versioned bucket.
    pub version_id: Option<String>,
    /// The object's checksum and whether it was verified.
    pub checksum: Option<ChecksumInfo>,
    /// Number of parts (multipart upload/copy) or ranges (download); 0 for a single request.
    pub parts: usize,
    /// The final S3 response (PutObject, CompleteMultipartUpload, CopyObject or HeadObject/GetObject metadata).
    pub response: Value,
}

/// An S3 transfer manager: uploads, downloads and copies with multipart,
/// ranged parallel requests, checksums, retries, progress and cancellation.
///
/// `Clone + Send + Sync`; clones share the client, the settings, the
/// concurrency limit and the bandwidth budget.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use boto_transfer::{ExtraArgs, TransferControl, TransferManager};
/// let s3 = boto::Session::new()?.client("s3")?;
/// let tm = TransferManager::new(s3);
/// let out = tm
///     .upload_file("big.bin", "my-bucket", "big.bin", ExtraArgs::new(), TransferControl::new())
///     .await?;
/// println!("{} bytes, etag {:?}", out.bytes, out.etag);
/// tm.download_file("my-bucket", "big.bin", "copy.bin", ExtraArgs::new(), TransferControl::new())
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TransferManager {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub client: boto::Client,
    pub config: TransferConfig,
    pub permits: Arc<Semaphore>,
    pub bandwidth: Option<Bandwidth>,
}

impl std::fmt::Debug for TransferManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransferManager")
            .field("client", &self.inner.client)
            .field("config", &self.inner.config)
            .finish()
    }
}

// Each public transfer method's state machine is boxed (the runtime's
// `BoxFuture`) behind a function that is never inlined, so it is compiled
// once, here: an `async fn`'s body is otherwise compiled again in every
// crate that awaits it (the resources, the CLI's `boto s3`, the Python
// module), and a generic one (`impl AsRef<Path>`) once per argument type.
pub(crate) use boto::core::runtime::http::BoxFuture;

impl TransferManager {
    /// A manager with boto3's default settings.
    pub fn new(client: boto::Client) -> Self {
        Self::build(client, TransferConfig::default())
    }

    /// A manager with the given settings (checked: zero values are refused).
    pub fn with_config(client: boto::Client, config: TransferConfig) -> Result<Self> {
        config.validate()?;
        Ok(Self::build(client, config))
    }

    fn build(client: boto::Client, config: TransferConfig) -> Self {
        TransferManager {
            inner: Arc::new(Inner {
                permits: Arc::new(Semaphore::new(config.max_concurrency)),
                bandwidth: config.max_bandwidth.map(Bandwidth::new),
                client,
                config,
            }),
        }
    }

    /// The client the transfers use.
    pub fn client(&self) -> &boto::Client {
        &self.inner.client
    }

    /// The settings.
    pub fn config(&self) -> &TransferConfig {
        &self.inner.config
    }
}

/// What every task of one transfer shares: client, settings, permits,
/// bandwidth, progress and the transfer's cancellation token.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub inner: Arc<Inner>,
    pub token: CancelToken,
    pub progress: Option<ProgressFn>,
}

impl Ctx {
    pub fn new(tm: &TransferManager, ctl: &TransferControl) -> Self {
        Ctx {
            inner: tm.inner.clone(),
            token: ctl.cancel.child(),
            progress: ctl.progress.clone(),
        }
    }
    pub fn client(&self) -> &boto::Client {
        &self.inner.client
    }
    pub fn config(&self) -> &TransferConfig {
        &self.inner.config
    }
    pub fn report(&self, n: u64) {
        if n > 0 {
            if let Some(p) = &self.progress {
                p(n);
            }
        }
    }
    pub fn check(&self) -> Result<()> {
        if self.token.is_cancelled() {
            Err(TransferError::Cancelled)
        } else {
            Ok(())
        }
    }
    /// Runs `fut` unless the transfer is cancelled first.
    pub async fn guard<T>(&self, fut: impl Future<Output = Result<T>>) -> Result<T> {
        self.check()?;
        tokio::select! {
            r = fut => r,
            _ = self.token.cancelled() => Err(TransferError::Cancelled),
        }
    }
    /// One of the manager's request permits (cancellable wait).
    pub async fn permit(&self) -> Result<OwnedSemaphorePermit> {
        let sem = self.inner.permits.clone();
        self.guard(async move {
            sem.acquire_owned()
                .await
                .map_err(|_| TransferError::Cancelled)
        })
        .await
    }
    pub async fn throttle(&self, n: u64) {
        if let Some(b) = &self.inner.bandwidth {
            b.consume(n).await;
        }
    }
    /// A call of an S3 operation, cancellable.
    pub async fn call(&self, op: &str, params: Value) -> Result<Value> {
        let c = self.client().clone();
        self.guard(async move { c.call(op, params).await.map_err(TransferError::from) })
            .await
    }
    /// A call that holds one of the manager's permits while in flight.
    pub async fn call_permitted(&self, op: &str, params: Value) -> Result<Value> {
        let _permit = self.permit().await?;
        self.call(op, params).await
    }
    /// Runs `f` until it succeeds, fails for good, or the transfer is cancelled;
    /// retryable failures are tried again `num_download_attempts` times in all.
    pub async fn retry<T, F, Fut>(&self, mut f: F) -> Result<T>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let attempts = self.config().num_download_attempts.max(1);
        let mut attempt = 1;
        loop {
            match self.guard(f(attempt)).await {
                Ok(v) => return Ok(v),
                Err(e) if attempt < attempts && e.is_retryable() => {
                    let delay = Duration::from_millis(100u64 << attempt.min(5));
                    self.guard(async {
                        tokio::time::sleep(delay).await;
                        Ok(())
                    })
                    .await?;
                    attempt += 1;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// Inserts `(k, v)` pairs into a map value.
pub(crate) fn with(mut base: boto::Map, pairs: Vec<(&str, Value)>) -> Value {
    for (k, v) in pairs {
        base.insert(k.to_string(), v);
    }
    Value::Map(base)
}

pub(crate) fn opt_str(v: &Value, key: &str) -> Option<String> {
    v.get(key).as_str().map(str::to_string)
}
