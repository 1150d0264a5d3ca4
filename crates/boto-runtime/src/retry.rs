//! Retries as botocore does them: `legacy`, `standard` and `adaptive`.
//!
//! Split like botocore's `retries/`: a classifier (is this failure worth
//! retrying, and why), a backoff (exponential with full jitter), a retry quota
//! (a token bucket shared by a client, so a failing service is not hammered),
//! and for `adaptive` a client-side rate limiter that slows down after
//! throttling (CUBIC, as in botocore's `retries/bucket.py` and `throttling.py`).

use crate::config::RetryMode;
use crate::error::{Error, ErrorKind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Why a failed attempt may be retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryReason {
    /// 500/502/503/504 or a transient error code.
    Transient,
    /// A throttling error code (`Throttling`, `SlowDown`, `ThrottlingException`, ...) or
    /// HTTP 429; adaptive mode also slows its send rate.
    Throttling,
    /// The connection failed or the request could not be sent (`ErrorKind::Dispatch`).
    Connection,
    /// A connect or read timeout; in standard mode it costs 10 quota tokens
    /// instead of 5 (botocore's `TIMEOUT_RETRY_COST`).
    Timeout,
    /// The request was signed with a skewed clock; retried with a corrected one.
    ClockSkew,
    /// The error shape is modeled `retryable`.
    Modeled,
}

const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];
const TRANSIENT_CODES: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
    "InternalError",
];
const TRANSIENT_STATUS: &[u16] = &[500, 502, 503, 504];
const CLOCK_SKEW_CODES: &[&str] = &[
    "RequestTimeTooSkewed",
    "RequestExpired",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "AuthFailure",
    "RequestInTheFuture",
];

/// Decides whether `err` is retryable. `modeled_retryable` says whether the
/// matched error shape carries the `retryable` trait.
pub fn classify(err: &Error, modeled_retryable: Option<bool>) -> Option<RetryReason> {
    match err.kind() {
        ErrorKind::Timeout => return Some(RetryReason::Timeout),
        ErrorKind::Dispatch => return Some(RetryReason::Connection),
        // Truncated bodies and checksum mismatches are retried; a body that
        // does not parse will not parse next time either.
        ErrorKind::Response if err.is_transient_response() => return Some(RetryReason::Transient),
        ErrorKind::Service => {}
        _ => return None,
    }
    let code = err.code().unwrap_or("");
    if THROTTLING_CODES.contains(&code)
        || modeled_retryable == Some(true) && code.contains("Throttl")
    {
        return Some(RetryReason::Throttling);
    }
    if modeled_retryable.is_some() {
        return Some(RetryReason::Modeled);
    }
    if TRANSIENT_CODES.contains(&code)
        || err.status().is_some_and(|s| TRANSIENT_STATUS.contains(&s))
    {
        return Some(RetryReason::Transient);
    }
    if CLOCK_SKEW_CODES.contains(&code) {
        return Some(RetryReason::ClockSkew);
    }
    if err.status() == Some(429) {
        return Some(RetryReason::Throttling);
    }
    None
}

/// A uniform random number in [0, 1), from std's randomly seeded hasher.
pub(crate) fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// botocore's standard-mode retry quota.
#[derive(Debug)]
pub struct RetryQuota {
    available: Mutex<u32>,
    max: u32,
}

const RETRY_COST: u32 = 5;
const TIMEOUT_RETRY_COST: u32 = 10;
const NO_RETRY_INCREMENT: u32 = 1;

impl Default for RetryQuota {
    fn default() -> Self {
        RetryQuota {
            available: Mutex::new(500),
            max: 500,
        }
    }
}

impl RetryQuota {
    /// Takes the cost of a retry; `None` when the quota is exhausted.
    pub fn acquire(&self, reason: RetryReason) -> Option<u32> {
        let cost = if matches!(reason, RetryReason::Timeout) {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        let mut a = self.available.lock().ok()?;
        if *a < cost {
            return None;
        }
        *a -= cost;
        Some(cost)
    }
    /// After a success: refund the retry's cost, or a token for a first-try success.
    pub fn release(&self, cost: Option<u32>) {
        if let Ok(mut a) = self.available.lock() {
            *a = (*a + cost.unwrap_or(NO_RETRY_INCREMENT)).min(self.max);
        }
    }
    /// Tokens left (500 to start with, as botocore's `INITIAL_CAPACITY`).
    pub fn available(&self) -> u32 {
        self.available.lock().map(|a| *a).unwrap_or(0)
    }
}

/// Client-side rate limiting for `adaptive` mode (CUBIC on throttling).
#[derive(Debug)]
pub struct RateLimiter {
    state: Mutex<LimiterState>,
}

#[derive(Debug)]
struct LimiterState {
    enabled: bool,
    fill_rate: f64,
    max_capacity: f64,
    capacity: f64,
    last_refill: Instant,
    measured_rate: f64,
    last_measure: Instant,
    requests_in_bucket: u32,
    last_max_rate: f64,
    last_throttle: Instant,
    w_max: f64,
}

const BETA: f64 = 0.7;
const SCALE: f64 = 0.4;
const MIN_FILL_RATE: f64 = 0.5;

impl Default for RateLimiter {
    fn default() -> Self {
        let now = Instant::now();
        RateLimiter {
            state: Mutex::new(LimiterState {
                enabled: false,
                fill_rate: MIN_FILL_RATE,
                max_capacity: 1.0,
                capacity: 0.0,
                last_refill: now,
                measured_rate: 0.0,
                last_measure: now,
                requests_in_bucket: 0,
                last_max_rate: 0.0,
                last_throttle: now,
                w_max: 0.0,
            }),
        }
    }
}

impl RateLimiter {
    /// How long to wait before sending (zero until the first throttle).
    pub fn acquire_delay(&self) -> Duration {
        let Ok(mut s) = self.state.lock() else {
            return Duration::ZERO;
        };
        if !s.enabled {
            return Duration::ZERO;
        }
        let now = Instant::now();
        let elapsed = now.duration_since(s.last_refill).as_secs_f64();
        s.capacity = (s.capacity + elapsed * s.fill_rate).min(s.max_capacity);
        s.last_refill = now;
        if s.capacity >= 1.0 {
            s.capacity -= 1.0;
            Duration::ZERO
        } else {
            let wait = (1.0 - s.capacity) / s.fill_rate;
            s.capacity = 0.0;
            Duration::from_secs_f64(wait.min(20.0))
        }
    }

    /// Feeds the outcome of an attempt into the rate estimate.
    pub fn update(&self, throttled: bool) {
        let Ok(mut s) = self.state.lock() else { return };
        let now = Instant::now();
        s.requests_in_bucket += 1;
        let since = now.duration_since(s.last_measure).as_secs_f64();
        if since >= 0.5 {
            let rate = s.requests_in_bucket as f64 / since;
            s.measured_rate = rate * 0.8 + s.measured_rate * 0.2;
            s.requests_in_bucket = 0;
            s.last_measure = now;
        }
        let new_rate = if throttled {
            let rate_to_use = if s.enabled {
                s.fill_rate.min(s.measured_rate.max(MIN_FILL_RATE))
            } else {
                s.measured_rate.max(MIN_FILL_RATE)
            };
            s.last_max_rate = rate_to_use;
            s.w_max = rate_to_use;
            s.last_throttle = now;
            s.enabled = true;
            rate_to_use * BETA
        } else {
            if !s.enabled {
                return;
            }
            let t = now.duration_since(s.last_throttle).as_secs_f64();
            let k = (s.w_max * (1.0 - BETA) / SCALE).cbrt();
            SCALE * (t - k).powi(3) + s.w_max
        };
        let new_rate = new_rate
            .min(2.0 * s.measured_rate.max(MIN_FILL_RATE))
            .max(MIN_FILL_RATE);
        s.fill_rate = new_rate;
        s.max_capacity = new_rate.max(1.0);
    }
}

/// The retry behaviour of one client.
#[derive(Debug)]
pub struct RetryPolicy {
    /// Legacy, standard or adaptive (botocore's `retries.mode`).
    pub mode: RetryMode,
    /// Total attempts, the first included (at least 1).
    pub max_attempts: u32,
    /// The longest wait between attempts (20 s, botocore's `MAX_BACKOFF`).
    pub max_backoff: Duration,
    /// The scale of the exponential backoff (botocore: 1 s).
    pub base_delay: Duration,
    /// The retry token bucket shared by all calls of the client (standard and adaptive modes).
    pub quota: RetryQuota,
    /// The client-side send-rate limiter (adaptive mode only).
    pub limiter: RateLimiter,
}

impl RetryPolicy {
    /// A policy for `mode` with `max_attempts` total attempts (raised to 1), a 1 s
    /// backoff base and a full quota.
    pub fn new(mode: RetryMode, max_attempts: u32) -> Self {
        RetryPolicy {
            mode,
            max_attempts: max_attempts.max(1),
            max_backoff: Duration::from_secs(20),
            base_delay: Duration::from_secs(1),
            quota: RetryQuota::default(),
            limiter: RateLimiter::default(),
        }
    }

    /// Backoff before retry number `attempt` (1 for the first retry): full jitter
    /// over `2^(attempt-1)` seconds, capped at 20 s.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let base =
            2f64.powi(attempt.saturating_sub(1).min(16) as i32) * self.base_delay.as_secs_f64();
        Duration::from_secs_f64((jitter() * base).min(self.max_backoff.as_secs_f64()))
    }

    /// Whether to retry after `attempts` attempts failed with `reason`;
    /// returns the quota cost taken (standard/adaptive) when retrying.
    pub fn should_retry(&self, attempts: u32, reason: RetryReason) -> Option<Option<u32>> {
        if attempts >= self.max_attempts {
            return None;
        }
        match self.mode {
            RetryMode::Legacy => Some(None),
            _ => self.quota.acquire(reason).map(Some),
        }
    }

    /// True in adaptive mode, where calls wait on [`RetryPolicy::limiter`] before sending.
    pub fn adaptive(&self) -> bool {
        matches!(self.mode, RetryMode::Adaptive)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_protocols::ServiceError;

    fn svc(code: &str, status: u16) -> Error {
        Error::service(ServiceError {
            code: code.into(),
            message: String::new(),
            request_id: None,
            status,
            shape: None,
            fields: boto_model::Value::Null,
        })
    }

    #[test]
    fn classifies_like_botocore() {
        assert_eq!(
            classify(&svc("ThrottlingException", 400), None),
            Some(RetryReason::Throttling)
        );
        assert_eq!(
            classify(&svc("SlowDown", 503), None),
            Some(RetryReason::Throttling)
        );
        assert_eq!(
            classify(&svc("InternalError", 500), None),
            Some(RetryReason::Transient)
        );
        assert_eq!(
            classify(&svc("Whatever", 503), None),
            Some(RetryReason::Transient)
        );
        assert_eq!(
            classify(&svc("RequestTimeTooSkewed", 403), None),
            Some(RetryReason::ClockSkew)
        );
        assert_eq!(classify(&svc("NoSuchKey", 404), None), None);
        assert_eq!(classify(&svc("ValidationException", 400), None), None);
        assert_eq!(
            classify(&svc("Custom", 400), Some(false)),
            Some(RetryReason::Modeled)
        );
        assert_eq!(
            classify(&Error::timeout("t"), None),
            Some(RetryReason::Timeout)
        );
        assert_eq!(
            classify(&Error::dispatch("reset"), None),
            Some(RetryReason::Connection)
        );
        assert_eq!(classify(&Error::validation("bad"), None), None);
        assert_eq!(classify(&Error::response("unparseable"), None), None);
        assert_eq!(
            classify(&Error::response_transient("truncated"), None),
            Some(RetryReason::Transient)
        );
    }

    #[test]
    fn quota_drains_and_refills() {
        let q = RetryQuota::default();
        let mut n = 0;
        while q.acquire(RetryReason::Transient).is_some() {
            n += 1;
        }
        assert_eq!(n, 100);
        q.release(Some(5));
        assert_eq!(q.available(), 5);
        assert!(q.acquire(RetryReason::Timeout).is_none());
    }

    #[test]
    fn backoff_is_bounded_and_jittered() {
        let p = RetryPolicy::new(RetryMode::Standard, 3);
        for attempt in 1..20 {
            assert!(p.backoff(attempt) <= Duration::from_secs(20));
        }
        let samples: Vec<_> = (0..20).map(|_| p.backoff(3)).collect();
        assert!(samples.iter().any(|d| *d != samples[0]), "jitter varies");
        assert!(p.should_retry(3, RetryReason::Transient).is_none());
        assert!(p.should_retry(1, RetryReason::Transient).is_some());
    }

    #[test]
    fn adaptive_limiter_slows_after_throttling() {
        let l = RateLimiter::default();
        assert_eq!(l.acquire_delay(), Duration::ZERO);
        l.update(true);
        let _ = l.acquire_delay();
        assert!(
            l.acquire_delay() > Duration::ZERO,
            "second token must wait at the reduced rate"
        );
    }
}
