//! The S3 Express session cache: reuse, refresh ahead of expiry (advisory and
//! mandatory windows), one `CreateSession` for concurrent callers, the LRU
//! bound, the caller identity in the key, and parsing `CreateSession`.

use super::*;
use boto_model::Timestamp;
use std::sync::atomic::{AtomicUsize, Ordering};

fn t0() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn session(n: usize, expires: SystemTime) -> Credentials {
    Credentials::new(
        format!("ASIASESSION{n}"),
        format!("session-secret-{n}"),
        Some(format!("session-token-{n}")),
        Some(expires),
        "s3express",
    )
}

/// A fetch that counts its calls and hands out sessions valid for `ttl` from `now`.
fn fetcher(
    calls: &AtomicUsize,
    now: SystemTime,
    ttl: Duration,
) -> impl FnOnce() -> std::future::Ready<Result<Credentials, Error>> + '_ {
    move || {
        let n = calls.fetch_add(1, Ordering::SeqCst);
        std::future::ready(Ok(session(n, now + ttl)))
    }
}

fn failing() -> std::future::Ready<Result<Credentials, Error>> {
    std::future::ready(Err(Error::new(ErrorKind::Dispatch, "no connection")))
}

#[tokio::test]
async fn a_fresh_session_is_reused() {
    let cache = SessionCache::default();
    let calls = AtomicUsize::new(0);
    let ttl = Duration::from_secs(300);
    let a = cache
        .get(
            "b--usw2-az1--x-s3",
            "AKIDCALLER",
            t0(),
            fetcher(&calls, t0(), ttl),
        )
        .await
        .unwrap();
    let later = t0() + Duration::from_secs(200);
    let b = cache
        .get(
            "b--usw2-az1--x-s3",
            "AKIDCALLER",
            later,
            fetcher(&calls, later, ttl),
        )
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(a, b);
    assert_eq!(a.session_token(), Some("session-token-0"));
}

#[tokio::test]
async fn sessions_are_refreshed_before_they_expire() {
    let cache = SessionCache::default();
    let calls = AtomicUsize::new(0);
    let ttl = Duration::from_secs(100);
    let bucket = "b--usw2-az1--x-s3";
    let first = cache
        .get(bucket, "AKID", t0(), fetcher(&calls, t0(), ttl))
        .await
        .unwrap();
    // 56 s left: still fresh.
    let at = t0() + Duration::from_secs(44);
    let same = cache.get(bucket, "AKID", at, failing).await.unwrap();
    assert_eq!(same, first);
    // 40 s left (advisory window): refreshed.
    let at = t0() + Duration::from_secs(60);
    let second = cache
        .get(bucket, "AKID", at, fetcher(&calls, at, ttl))
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(second.access_key_id(), "ASIASESSION1");
    // The second session in its advisory window, the refresh failing: the
    // current session is still used.
    let at = t0() + Duration::from_secs(60 + 70);
    let kept = cache.get(bucket, "AKID", at, failing).await.unwrap();
    assert_eq!(kept, second);
    // Within the mandatory 10 s, a failing refresh is the caller's error.
    let at = t0() + Duration::from_secs(60 + 95);
    let err = cache.get(bucket, "AKID", at, failing).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Dispatch);
    // And an expired session is replaced.
    let at = t0() + Duration::from_secs(1_000);
    let third = cache
        .get(bucket, "AKID", at, fetcher(&calls, at, ttl))
        .await
        .unwrap();
    assert_eq!(third.access_key_id(), "ASIASESSION2");
}

#[tokio::test]
async fn a_refresh_that_is_already_expired_is_an_error() {
    let cache = SessionCache::default();
    let calls = AtomicUsize::new(0);
    let err = cache
        .get(
            "b",
            "AKID",
            t0(),
            fetcher(&calls, t0(), Duration::from_secs(5)),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Credentials);
    assert!(err.to_string().contains("still expired"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_callers_share_one_create_session() {
    let cache = Arc::new(SessionCache::default());
    let calls = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (cache, calls) = (cache.clone(), calls.clone());
        tasks.push(tokio::spawn(async move {
            cache
                .get("b--usw2-az1--x-s3", "AKID", t0(), || async {
                    let n = calls.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    Ok(session(n, t0() + Duration::from_secs(300)))
                })
                .await
                .unwrap()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap().access_key_id(), "ASIASESSION0");
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn at_most_capacity_buckets_least_recently_used_out() {
    let cache = SessionCache::default();
    let calls = AtomicUsize::new(0);
    let ttl = Duration::from_secs(300);
    for i in 0..CAPACITY {
        cache
            .get(&format!("b{i}"), "AKID", t0(), fetcher(&calls, t0(), ttl))
            .await
            .unwrap();
    }
    assert_eq!(cache.len(), CAPACITY);
    // b0 is used again, so b1 is now the least recently used.
    cache.get("b0", "AKID", t0(), failing).await.unwrap();
    cache
        .get("b-new", "AKID", t0(), fetcher(&calls, t0(), ttl))
        .await
        .unwrap();
    assert_eq!(cache.len(), CAPACITY);
    assert_eq!(calls.load(Ordering::SeqCst), CAPACITY + 1);
    cache.get("b0", "AKID", t0(), failing).await.unwrap();
    cache.get("b2", "AKID", t0(), failing).await.unwrap();
    // b1 was evicted: it needs a new CreateSession.
    assert!(cache.get("b1", "AKID", t0(), failing).await.is_err());
    cache
        .get("b1", "AKID", t0(), fetcher(&calls, t0(), ttl))
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), CAPACITY + 2);
    assert_eq!(cache.len(), CAPACITY);
}

#[tokio::test]
async fn another_caller_identity_opens_its_own_session() {
    let cache = SessionCache::default();
    let calls = AtomicUsize::new(0);
    let ttl = Duration::from_secs(300);
    let a = cache
        .get("b", "AKIDONE", t0(), fetcher(&calls, t0(), ttl))
        .await
        .unwrap();
    let b = cache
        .get("b", "AKIDTWO", t0(), fetcher(&calls, t0(), ttl))
        .await
        .unwrap();
    assert_ne!(a, b);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn create_session_output_becomes_session_credentials() {
    let expires = Timestamp::parse("2024-01-02T03:09:05Z").unwrap();
    let out = boto_model::value!({
        "Credentials": {
            "AccessKeyId": "ASIASESSION",
            "SecretAccessKey": "s3cr3t",
            "SessionToken": "T0KEN",
            "Expiration": (Value::Timestamp(expires))
        }
    });
    let c = parse_session(&out).unwrap();
    assert_eq!(c.access_key_id(), "ASIASESSION");
    assert_eq!(c.secret_access_key(), "s3cr3t");
    assert_eq!(c.session_token(), Some("T0KEN"));
    assert_eq!(
        c.expiry(),
        Some(UNIX_EPOCH + Duration::from_secs(expires.epoch_secs() as u64))
    );
    let missing = boto_model::value!({"Credentials": {"AccessKeyId": "A"}});
    let err = parse_session(&missing).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Response);
}

#[tokio::test]
async fn debug_shows_no_session_secret() {
    let cache = SessionCache::default();
    let calls = AtomicUsize::new(0);
    cache
        .get(
            "b",
            "AKID",
            t0(),
            fetcher(&calls, t0(), Duration::from_secs(300)),
        )
        .await
        .unwrap();
    let d = format!("{cache:?}");
    assert!(d.contains("sessions: 1"), "{d}");
    assert!(!d.contains("session-secret") && !d.contains("session-token"));
}
