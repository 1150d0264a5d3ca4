//! The refreshing cache: advisory and mandatory windows, single-flight
//! refresh across many concurrent tasks, and expired credentials.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use boto_auth::credentials::{
    BoxFuture, Credentials, CredentialsCache, CredentialsError, ProvideCredentials,
};
use common::ManualClock;

/// Counts calls; each returns `KEY<n>` with the next scripted lifetime (or error).
struct Counting {
    calls: AtomicUsize,
    delay: Duration,
    clock: ManualClock,
    script: Mutex<Vec<Option<Duration>>>,
}

impl Counting {
    fn new(clock: &ManualClock, delay: Duration, script: Vec<Option<Duration>>) -> Arc<Counting> {
        Arc::new(Counting {
            calls: AtomicUsize::new(0),
            delay,
            clock: clock.clone(),
            script: Mutex::new(script),
        })
    }
    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }
}

impl ProvideCredentials for Counting {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            let next = {
                let mut s = self.script.lock().unwrap();
                if s.is_empty() {
                    Some(Duration::from_secs(3600))
                } else {
                    s.remove(0)
                }
            };
            match next {
                Some(life) => Ok(Credentials::new(
                    format!("KEY{n}"),
                    "s",
                    None,
                    Some(self.clock.now() + life),
                    "counting",
                )),
                None => Err(CredentialsError::failed("counting", "refresh failed")),
            }
        })
    }
    fn name(&self) -> &'static str {
        "counting"
    }
}

fn cache(p: &Arc<Counting>, clock: &ManualClock) -> Arc<CredentialsCache> {
    Arc::new(CredentialsCache::new(p.clone()).with_clock(clock.clock()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn exactly_one_fetch_for_many_concurrent_callers() {
    let clock = ManualClock::new(SystemTime::now());
    let p = Counting::new(&clock, Duration::from_millis(100), vec![]);
    let c = cache(&p, &clock);
    let tasks: Vec<_> = (0..200)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.provide().await.unwrap().access_key_id().to_string() })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), "KEY1");
    }
    assert_eq!(p.calls(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn advisory_window_one_refresher_others_keep_old_credentials() {
    let clock = ManualClock::new(SystemTime::now());
    let p = Counting::new(
        &clock,
        Duration::from_millis(300),
        vec![
            Some(Duration::from_secs(3600)),
            Some(Duration::from_secs(7200)),
        ],
    );
    let c = cache(&p, &clock);
    assert_eq!(c.provide().await.unwrap().access_key_id(), "KEY1");
    // 12 minutes left: advisory window.
    clock.advance(Duration::from_secs(48 * 60));
    let refresher = {
        let c = c.clone();
        tokio::spawn(async move { c.provide().await.unwrap().access_key_id().to_string() })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    let start = Instant::now();
    let others: Vec<_> = (0..50)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.provide().await.unwrap().access_key_id().to_string() })
        })
        .collect();
    for t in others {
        assert_eq!(
            t.await.unwrap(),
            "KEY1",
            "others are not blocked and use the still-valid credentials"
        );
    }
    assert!(
        start.elapsed() < Duration::from_millis(200),
        "callers did not wait for the refresh"
    );
    assert_eq!(refresher.await.unwrap(), "KEY2");
    assert_eq!(p.calls(), 2);
    assert_eq!(c.provide().await.unwrap().access_key_id(), "KEY2");
}

#[tokio::test]
async fn advisory_failure_keeps_old_credentials() {
    let clock = ManualClock::new(SystemTime::now());
    let p = Counting::new(
        &clock,
        Duration::ZERO,
        vec![Some(Duration::from_secs(3600)), None],
    );
    let c = cache(&p, &clock);
    c.provide().await.unwrap();
    clock.advance(Duration::from_secs(47 * 60));
    assert_eq!(c.provide().await.unwrap().access_key_id(), "KEY1");
    assert_eq!(p.calls(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mandatory_window_everyone_waits_for_one_refresh() {
    let clock = ManualClock::new(SystemTime::now());
    let p = Counting::new(
        &clock,
        Duration::from_millis(100),
        vec![
            Some(Duration::from_secs(3600)),
            Some(Duration::from_secs(3600)),
        ],
    );
    let c = cache(&p, &clock);
    c.provide().await.unwrap();
    // 5 minutes left: mandatory window.
    clock.advance(Duration::from_secs(55 * 60));
    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.provide().await.unwrap().access_key_id().to_string() })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), "KEY2");
    }
    assert_eq!(p.calls(), 2);
}

#[tokio::test]
async fn mandatory_failure_is_returned() {
    let clock = ManualClock::new(SystemTime::now());
    let p = Counting::new(
        &clock,
        Duration::ZERO,
        vec![Some(Duration::from_secs(3600)), None],
    );
    let c = cache(&p, &clock);
    c.provide().await.unwrap();
    clock.advance(Duration::from_secs(55 * 60));
    let err = c.provide().await.unwrap_err();
    assert!(err.to_string().contains("refresh failed"), "{err}");
}

#[tokio::test]
async fn expired_credentials_are_a_clear_error() {
    let clock = ManualClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let p = Arc::new(boto_auth::credentials::StaticProvider::new(
        Credentials::new(
            "AK",
            "s",
            None,
            Some(clock.now() - Duration::from_secs(10)),
            "env",
        ),
    ));
    let c = CredentialsCache::new(p).with_clock(clock.clock());
    let err = c.provide().await.unwrap_err();
    assert!(matches!(
        err,
        CredentialsError::Expired {
            provider: "env",
            ..
        }
    ));
    assert_eq!(
        err.to_string(),
        "credentials from the env provider expired at 2023-11-14T22:13:10Z"
    );
}

#[tokio::test]
async fn credentials_without_expiry_are_never_refreshed() {
    let clock = ManualClock::new(SystemTime::now());
    let p = Arc::new(boto_auth::credentials::StaticProvider::new(
        Credentials::new("AK", "s", None, None, "explicit"),
    ));
    let c = CredentialsCache::new(p).with_clock(clock.clock());
    c.provide().await.unwrap();
    clock.advance(Duration::from_secs(10 * 365 * 86400));
    assert_eq!(c.provide().await.unwrap().access_key_id(), "AK");
}

#[tokio::test]
async fn expiry_passing_while_cached_triggers_refresh() {
    let clock = ManualClock::new(SystemTime::now());
    let p = Counting::new(
        &clock,
        Duration::ZERO,
        vec![
            Some(Duration::from_secs(3600)),
            Some(Duration::from_secs(3600)),
        ],
    );
    let c = cache(&p, &clock);
    c.provide().await.unwrap();
    clock.advance(Duration::from_secs(2 * 3600));
    assert_eq!(c.provide().await.unwrap().access_key_id(), "KEY2");
}
