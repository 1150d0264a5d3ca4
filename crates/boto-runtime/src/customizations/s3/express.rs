//! S3 Express One Zone session auth: botocore's `S3ExpressIdentityCache` and
//! `S3ExpressIdentityResolver` (`utils.py`), with the `RefreshableCredentials`
//! they wrap.
//!
//! A directory bucket (`name--<az>--x-s3`) is served by a zonal endpoint
//! whose rule set asks for the `sigv4-s3express` auth scheme. Requests to it
//! are not signed with the caller's credentials but with short-lived session
//! credentials from S3 `CreateSession` on that bucket (itself signed with the
//! caller's credentials: its model sets `DisableS3ExpressSessionAuth`, so the
//! rule set answers plain `sigv4` for it and it does not recurse). The
//! session token travels as `x-amz-s3session-token` (presigned URLs:
//! `X-Amz-S3session-Token`), which `boto_auth::sigv4` does under
//! `SessionTokenMode::S3Express`.
//!
//! As in botocore:
//! * one cache per client, at most [`CAPACITY`] (100) buckets, least recently
//!   used first out (botocore's `functools.lru_cache(maxsize=100)`; that one
//!   is shared by all clients of the process, this one is per client);
//! * session credentials are refreshed ahead of their `Expiration`: within
//!   [`ADVISORY`] (45 s) a refresh is tried but a failure keeps the old ones,
//!   within [`MANDATORY`] (10 s) the refresh must succeed (botocore's
//!   `advisory_timeout=45, mandatory_timeout=10`); while one caller refreshes
//!   in the advisory window, the others keep signing with the current ones;
//! * concurrent callers needing a session for the same bucket wait for one
//!   `CreateSession`.
//!
//! The key is the bucket *and* the caller's access key id, so a client whose
//! credentials change (assumed roles, refreshed temporary keys) never signs
//! with a session the old identity opened.

use crate::client::ClientInner;
use crate::error::{Error, ErrorKind};
use crate::pipeline::Prepared;
use boto_auth::Credentials;
use boto_model::Value;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tracing::debug;

/// Buckets whose sessions one client keeps.
pub(crate) const CAPACITY: usize = 100;
/// Within this of `Expiration` a refresh is tried; failing, the old session is used.
pub(crate) const ADVISORY: Duration = Duration::from_secs(45);
/// Within this of `Expiration` the session is not used any more.
pub(crate) const MANDATORY: Duration = Duration::from_secs(10);
/// The operation that opens a session (it is never signed with one).
const CREATE_SESSION: &str = "CreateSession";

/// Session credentials per (bucket, caller identity), least recently used out.
pub(crate) struct SessionCache {
    capacity: usize,
    state: Mutex<Lru>,
}

#[derive(Default)]
struct Lru {
    entries: HashMap<Key, (Arc<Slot>, u64)>,
    tick: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    bucket: String,
    /// The caller's access key id (not secret).
    caller: String,
}

/// One bucket's session: the current credentials, and the lock a refresher holds.
#[derive(Default)]
struct Slot {
    current: Mutex<Option<Credentials>>,
    refresh: tokio::sync::Mutex<()>,
}

impl Default for SessionCache {
    fn default() -> Self {
        SessionCache::with_capacity(CAPACITY)
    }
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Bucket names only: the credentials stay out of logs.
        let buckets = self.state.lock().map_or(0, |s| s.entries.len());
        f.debug_struct("SessionCache")
            .field("capacity", &self.capacity)
            .field("sessions", &buckets)
            .finish()
    }
}

impl SessionCache {
    /// A cache keeping at most `capacity` sessions.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        SessionCache {
            capacity: capacity.max(1),
            state: Mutex::new(Lru::default()),
        }
    }

    /// How many sessions are kept.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.state.lock().map_or(0, |s| s.entries.len())
    }

    /// The slot of `key`, made most recently used; a new one evicts the least
    /// recently used when the cache is full.
    fn slot(&self, key: Key) -> Result<Arc<Slot>, Error> {
        let mut s = self
            .state
            .lock()
            .map_err(|_| Error::new(ErrorKind::Credentials, "S3 Express session cache poisoned"))?;
        s.tick += 1;
        let tick = s.tick;
        if let Some((slot, used)) = s.entries.get_mut(&key) {
            *used = tick;
            return Ok(slot.clone());
        }
        if s.entries.len() >= self.capacity {
            if let Some(oldest) = s
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            {
                s.entries.remove(&oldest);
            }
        }
        let slot = Arc::new(Slot::default());
        s.entries.insert(key, (slot.clone(), tick));
        Ok(slot)
    }

    /// The cached session for `bucket` and `caller` if it is good for more
    /// than [`ADVISORY`] at `now` (nothing is fetched).
    pub(crate) fn fresh(&self, bucket: &str, caller: &str, now: SystemTime) -> Option<Credentials> {
        let key = Key {
            bucket: bucket.to_string(),
            caller: caller.to_string(),
        };
        let slot = self.state.lock().ok()?.entries.get(&key)?.0.clone();
        let current = slot.current.lock().ok()?.clone();
        current.filter(|c| left(c, now) > ADVISORY)
    }

    /// The session credentials for `bucket` opened by the identity `caller`
    /// (its access key id), from the cache when they are good for more than
    /// [`ADVISORY`] at `now`, else from `fetch` (one `CreateSession`, shared by
    /// concurrent callers).
    pub(crate) async fn get<F, Fut>(
        &self,
        bucket: &str,
        caller: &str,
        now: SystemTime,
        fetch: F,
    ) -> Result<Credentials, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Credentials, Error>>,
    {
        let slot = self.slot(Key {
            bucket: bucket.to_string(),
            caller: caller.to_string(),
        })?;
        let current = || slot.current.lock().ok().and_then(|c| c.clone());
        let cur = current();
        if let Some(c) = cur.as_ref().filter(|c| left(c, now) > ADVISORY) {
            return Ok(c.clone());
        }
        let usable = cur.filter(|c| left(c, now) > MANDATORY);
        let _refreshing = match &usable {
            // Advisory window: one caller refreshes, the rest carry on.
            Some(c) => match slot.refresh.try_lock() {
                Ok(g) => g,
                Err(_) => return Ok(c.clone()),
            },
            None => slot.refresh.lock().await,
        };
        // Another caller may have refreshed while this one waited.
        if let Some(c) = current().filter(|c| left(c, now) > ADVISORY) {
            return Ok(c);
        }
        match fetch().await {
            Ok(fresh) if left(&fresh, now) > MANDATORY => {
                if let Ok(mut c) = slot.current.lock() {
                    *c = Some(fresh.clone());
                }
                Ok(fresh)
            }
            Ok(_) => Err(Error::new(
                ErrorKind::Credentials,
                format!(
                    "S3 Express session credentials for bucket {bucket} were refreshed, but the \
                     refreshed credentials are still expired."
                ),
            )),
            Err(e) => match usable {
                Some(c) => {
                    debug!(%bucket, error = %e.report(), "S3 Express session refresh failed; using the current session until it nears expiry");
                    Ok(c)
                }
                None => Err(e),
            },
        }
    }
}

/// Time left before `c` expires (credentials without expiry never do).
fn left(c: &Credentials, now: SystemTime) -> Duration {
    match c.expiry() {
        Some(e) => e.duration_since(now).unwrap_or(Duration::ZERO),
        None => Duration::MAX,
    }
}

/// The credentials a `sigv4-s3express` request signs with: the session of
/// its bucket, opened (or reused) for `caller`. `None`: sign with the
/// caller's own credentials (`CreateSession` itself, should a rule set ever
/// ask for session auth on it).
///
/// # Errors
///
/// The call has no `Bucket` parameter, or `CreateSession` failed.
pub(crate) async fn session_credentials(
    c: &ClientInner,
    p: &Prepared<'_>,
    caller: &Credentials,
) -> Result<Option<Credentials>, Error> {
    if &*p.op.name == CREATE_SESSION {
        return Ok(None);
    }
    let bucket = p.params.get("Bucket").as_str().ok_or_else(|| {
        Error::new(
            ErrorKind::Construction,
            format!(
                "{} is sent to an S3 Express endpoint, whose session auth needs a Bucket",
                p.op.name
            ),
        )
    })?;
    let now = c.now();
    let creds = c
        .s3_express
        .get(bucket, caller.access_key_id(), now, || {
            create_session(c, bucket)
        })
        .await?;
    Ok(Some(creds))
}

/// For `Client::prepare`, which sends nothing: when `p` signs with S3 Express
/// session auth and no fresh session is cached for the caller, the call's
/// first request is `CreateSession`; its operation name and parameters.
pub(crate) async fn opening_call(
    c: &ClientInner,
    p: &Prepared<'_>,
) -> Result<Option<(&'static str, Value)>, Error> {
    if !matches!(p.auth, crate::auth::AuthScheme::SigV4S3Express(_))
        || &*p.op.name == CREATE_SESSION
    {
        return Ok(None);
    }
    let (Some(provider), Some(bucket)) = (&c.credentials, p.params.get("Bucket").as_str()) else {
        return Ok(None); // signing reports what is missing
    };
    let caller = provider.provide().await?;
    if c.s3_express
        .fresh(bucket, caller.access_key_id(), c.now())
        .is_some()
    {
        return Ok(None);
    }
    let mut params = boto_model::Map::default();
    params.insert("Bucket".to_string(), Value::String(bucket.into()));
    Ok(Some((CREATE_SESSION, Value::Map(params))))
}

/// `CreateSession(Bucket=bucket)` through the client's own pipeline.
async fn create_session(c: &ClientInner, bucket: &str) -> Result<Credentials, Error> {
    debug!(%bucket, "opening an S3 Express session (CreateSession)");
    let mut params = boto_model::Map::default();
    params.insert("Bucket".to_string(), Value::String(bucket.into()));
    // CreateSession goes through the pipeline, which signs through here
    // (`invoke` puts the call behind a pointer, so the recursion has a size).
    let out = crate::pipeline::invoke(c, CREATE_SESSION, Value::Map(params), None, false).await?;
    parse_session(&out.value)
}

/// `Credentials: {AccessKeyId, SecretAccessKey, SessionToken, Expiration}`.
pub(crate) fn parse_session(out: &Value) -> Result<Credentials, Error> {
    let creds = out.get("Credentials");
    let field = |name: &str| {
        creds.get(name).as_str().map(str::to_owned).ok_or_else(|| {
            Error::new(
                ErrorKind::Response,
                format!("CreateSession returned no Credentials.{name}"),
            )
        })
    };
    let expiry = match creds.get("Expiration") {
        Value::Timestamp(t) if t.epoch_secs() >= 0 => {
            UNIX_EPOCH + Duration::new(t.epoch_secs() as u64, t.subsec_nanos())
        }
        _ => {
            return Err(Error::new(
                ErrorKind::Response,
                "CreateSession returned no Credentials.Expiration",
            ))
        }
    };
    Ok(Credentials::new(
        field("AccessKeyId")?,
        field("SecretAccessKey")?,
        Some(field("SessionToken")?),
        Some(expiry),
        "s3express",
    ))
}

#[cfg(test)]
#[path = "express_tests.rs"]
mod tests;
