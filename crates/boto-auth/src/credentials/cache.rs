//! Caching and refreshing of temporary credentials, with boto3's timing.
//!
//! Credentials are reused until 15 minutes before expiry (advisory window).
//! Inside the advisory window one caller refreshes while everyone else keeps
//! using the still-valid credentials, and a failed refresh is ignored. Inside
//! the last 10 minutes (mandatory window), or when nothing is cached, callers
//! wait for the refresh and its failure is returned. Only one refresh is ever
//! in flight: it is guarded by an async mutex shared by all threads and tasks.

use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use tokio::sync::Mutex;

use super::{system_clock, BoxFuture, Clock, Credentials, CredentialsError, ProvideCredentials};

/// boto3's advisory refresh window.
pub const DEFAULT_ADVISORY_REFRESH: Duration = Duration::from_secs(15 * 60);
/// boto3's mandatory refresh window.
pub const DEFAULT_MANDATORY_REFRESH: Duration = Duration::from_secs(10 * 60);

/// Wraps a provider and caches what it returns.
pub struct CredentialsCache {
    inner: Arc<dyn ProvideCredentials>,
    current: RwLock<Option<Credentials>>,
    refresh_lock: Mutex<()>,
    advisory: Duration,
    mandatory: Duration,
    clock: Clock,
}

impl std::fmt::Debug for CredentialsCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialsCache")
            .field("inner", &self.inner.name())
            .field("advisory", &self.advisory)
            .field("mandatory", &self.mandatory)
            .finish()
    }
}

enum Window {
    Fresh,
    Advisory,
    Mandatory,
}

impl CredentialsCache {
    /// Caches `inner` with botocore's refresh windows (advisory 15 min, mandatory 10 min before expiry).
    pub fn new(inner: Arc<dyn ProvideCredentials>) -> Self {
        CredentialsCache {
            inner,
            current: RwLock::new(None),
            refresh_lock: Mutex::new(()),
            advisory: DEFAULT_ADVISORY_REFRESH,
            mandatory: DEFAULT_MANDATORY_REFRESH,
            clock: system_clock(),
        }
    }
    /// Sets both windows (the mandatory one is capped at the advisory one).
    pub fn with_windows(mut self, advisory: Duration, mandatory: Duration) -> Self {
        self.advisory = advisory;
        self.mandatory = mandatory.min(advisory);
        self
    }
    /// Use this clock instead of the system time (tests drive expiry and refresh with it).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
    /// The provider being cached.
    pub fn inner(&self) -> &Arc<dyn ProvideCredentials> {
        &self.inner
    }
    /// Drops the cached credentials; the next call fetches.
    pub fn invalidate(&self) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn cached(&self) -> Option<Credentials> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn store(&self, c: &Credentials) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(c.clone());
    }

    fn window(&self, c: &Credentials, now: SystemTime) -> Window {
        let Some(expiry) = c.expiry() else {
            return Window::Fresh;
        };
        let left = expiry.duration_since(now).unwrap_or(Duration::ZERO);
        if left >= self.advisory {
            Window::Fresh
        } else if left >= self.mandatory && !left.is_zero() {
            Window::Advisory
        } else {
            Window::Mandatory
        }
    }

    /// Returns valid credentials, refreshing according to the windows.
    pub async fn get(&self) -> Result<Credentials, CredentialsError> {
        if let Some(c) = self.cached() {
            match self.window(&c, (self.clock)()) {
                // The copy just taken from the cache is the answer.
                Window::Fresh => return Ok(c),
                Window::Advisory => {
                    let Ok(_guard) = self.refresh_lock.try_lock() else {
                        // Someone else is refreshing; the current credentials are still good.
                        return Ok(c);
                    };
                    if let Some(now_cached) = self.cached() {
                        if !matches!(
                            self.window(&now_cached, (self.clock)()),
                            Window::Advisory | Window::Mandatory
                        ) {
                            return Ok(now_cached);
                        }
                    }
                    return match self.inner.provide().await {
                        Ok(new) if !new.is_expired_at((self.clock)()) => {
                            self.store(&new);
                            Ok(new)
                        }
                        // Advisory refresh failures are ignored: keep what we have.
                        _ => Ok(c),
                    };
                }
                Window::Mandatory => {}
            }
        }
        let _guard = self.refresh_lock.lock().await;
        if let Some(c) = self.cached() {
            if matches!(
                self.window(&c, (self.clock)()),
                Window::Fresh | Window::Advisory
            ) {
                return Ok(c);
            }
        }
        let new = self.inner.provide().await?;
        if let (Some(expired_at), true) = (new.expiry(), new.is_expired_at((self.clock)())) {
            return Err(CredentialsError::Expired {
                provider: new.provider(),
                expired_at,
            });
        }
        self.store(&new);
        Ok(new)
    }
}

impl ProvideCredentials for CredentialsCache {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.get())
    }
    fn name(&self) -> &'static str {
        self.inner.name()
    }
}
