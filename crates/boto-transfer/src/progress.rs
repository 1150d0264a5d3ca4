//! Progress callbacks, cancellation and bandwidth limiting: s3transfer's
//! `Callback`/`subscribers.py` (`on_progress`), `TransferFuture.cancel()`
//! (`futures.py`) and `bandwidth.py` (`BandwidthLimiter`, a leaky bucket).
//!
//! A progress callback is called from many tasks at once with the number of
//! bytes just transferred (never negative: ranges resume where they stopped,
//! so bytes are never counted twice). The sum of all calls of a successful
//! transfer is the object size.

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

/// A progress callback: receives byte counts as they are transferred.
pub type ProgressFn = Arc<dyn Fn(u64) + Send + Sync>;

/// A cancellation token: clone it, give a clone to a transfer
/// ([`TransferControl::cancel_token`]) and call [`cancel`](CancelToken::cancel)
/// from anywhere. A cancelled upload aborts its multipart upload; a cancelled
/// download removes its temporary file. One token may cancel many transfers.
#[derive(Clone, Default)]
pub struct CancelToken {
    inner: Arc<TokenInner>,
}

#[derive(Default)]
struct TokenInner {
    flag: AtomicBool,
    notify: Notify,
    parent: Option<CancelToken>,
}

impl CancelToken {
    /// A token not yet cancelled.
    pub fn new() -> Self {
        CancelToken::default()
    }
    /// Cancels every transfer holding this token (or a child of it).
    pub fn cancel(&self) {
        self.inner.flag.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }
    /// True once this token or a parent of it is cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.inner.flag.load(Ordering::SeqCst)
            || self.inner.parent.as_ref().is_some_and(|p| p.is_cancelled())
    }
    /// A token cancelled with this one, or on its own.
    pub fn child(&self) -> CancelToken {
        CancelToken {
            inner: Arc::new(TokenInner {
                parent: Some(self.clone()),
                ..TokenInner::default()
            }),
        }
    }
    /// Resolves once the token (or its parent) is cancelled.
    pub fn cancelled(&self) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        Box::pin(async move {
            loop {
                let notified = self.inner.notify.notified();
                tokio::pin!(notified);
                notified.as_mut().enable();
                if self.is_cancelled() {
                    return;
                }
                match &self.inner.parent {
                    Some(p) => {
                        tokio::select! {
                            _ = notified => {}
                            _ = p.cancelled() => return,
                        }
                    }
                    None => notified.await,
                }
            }
        })
    }
}

impl std::fmt::Debug for CancelToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CancelToken")
            .field("cancelled", &self.is_cancelled())
            .finish()
    }
}

/// Per-transfer hooks: a progress callback and a cancellation token
/// (boto3's `Callback=` and `future.cancel()`).
///
/// ```
/// use boto_transfer::{CancelToken, TransferControl};
/// let token = CancelToken::new();
/// let ctl = TransferControl::new()
///     .on_progress(|n| eprintln!("+{n} bytes"))
///     .cancel_token(token.clone());
/// # let _ = ctl;
/// ```
#[derive(Clone, Default)]
pub struct TransferControl {
    pub(crate) progress: Option<ProgressFn>,
    pub(crate) cancel: CancelToken,
}

impl TransferControl {
    /// No progress callback and a fresh cancel token.
    pub fn new() -> Self {
        TransferControl::default()
    }
    /// Called with the number of bytes just transferred, from any task.
    pub fn on_progress(mut self, f: impl Fn(u64) + Send + Sync + 'static) -> Self {
        self.progress = Some(Arc::new(f));
        self
    }
    /// Shares an existing callback.
    pub fn progress_fn(mut self, f: ProgressFn) -> Self {
        self.progress = Some(f);
        self
    }
    /// Cancels the transfer when `token` is cancelled.
    pub fn cancel_token(mut self, token: CancelToken) -> Self {
        self.cancel = token;
        self
    }
}

impl std::fmt::Debug for TransferControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransferControl")
            .field("progress", &self.progress.is_some())
            .field("cancel", &self.cancel)
            .finish()
    }
}

/// A shared bandwidth budget (bytes per second) across all transfers of a
/// manager: callers ask for `n` bytes and sleep until the budget allows them.
#[derive(Debug)]
pub(crate) struct Bandwidth {
    rate: f64,
    state: Mutex<Instant>,
}

impl Bandwidth {
    pub fn new(bytes_per_sec: u64) -> Self {
        Bandwidth {
            rate: bytes_per_sec as f64,
            state: Mutex::new(Instant::now()),
        }
    }
    /// Reserves `n` bytes of the budget and waits until they are due.
    pub async fn consume(&self, n: u64) {
        let wait = {
            let mut next = self.state.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            // Allow a burst of at most ~0.1 s worth of unused budget.
            let floor = now.checked_sub(Duration::from_millis(100)).unwrap_or(now);
            let start = (*next).max(floor);
            *next = start + Duration::from_secs_f64(n as f64 / self.rate);
            start.saturating_duration_since(now)
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn child_token_follows_parent() {
        let parent = CancelToken::new();
        let child = parent.child();
        assert!(!child.is_cancelled());
        let c2 = child.clone();
        let waiter = tokio::spawn(async move { c2.cancelled().await });
        tokio::time::sleep(Duration::from_millis(10)).await;
        parent.cancel();
        tokio::time::timeout(Duration::from_secs(5), waiter)
            .await
            .expect("child wakes when the parent is cancelled")
            .unwrap();
        assert!(child.is_cancelled());
        // Cancelling a child leaves the parent alone.
        let p = CancelToken::new();
        let c = p.child();
        c.cancel();
        assert!(c.is_cancelled() && !p.is_cancelled());
    }

    #[tokio::test]
    async fn bandwidth_paces() {
        let b = Bandwidth::new(1_000_000);
        let t = Instant::now();
        for _ in 0..4 {
            b.consume(100_000).await;
        }
        // 400 kB at 1 MB/s: ~0.3 s after the first (burst allowance aside).
        assert!(
            t.elapsed() >= Duration::from_millis(200),
            "{:?}",
            t.elapsed()
        );
    }
}
