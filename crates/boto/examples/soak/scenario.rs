//! What the soak program and its regression test share: the canned DynamoDB
//! GetItem exchange, the client the calls go through, and the
//! credential-refresh scenario.
//!
//! The refresh scenario is the one that matters most under concurrency: many
//! tasks share one client whose credentials expire, and the cache must refresh
//! them exactly once (single flight) with no call failing. Rather than waiting
//! real minutes for credentials to age, the cache and the provider read a
//! shifted clock that the scenario moves forward into the refresh window while
//! the tasks are calling; the transport and signing still use real time.
//! `crates/boto/tests/concurrency.rs` runs this same code with counts
//! asserted, so the soak figure and the test cannot drift apart (and so not
//! every target uses every item).
#![allow(dead_code)]

use boto::core::auth::config::Env;
use boto::core::auth::credentials::{
    BoxFuture, Clock, Credentials, CredentialsCache, CredentialsError, ProvideCredentials,
    DEFAULT_ADVISORY_REFRESH, DEFAULT_MANDATORY_REFRESH,
};
use boto::{params, Client, ClientOptions, Session};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// The GetItem response the canned server sends (the same item as
/// `bench/boto3_bench.py`: ten attributes of every kind).
pub const GET_ITEM_BODY: &str = concat!(
    r#"{"Item":{"pk":{"S":"user#12345"},"sk":{"S":"profile"},"name":{"S":"Ada Lovelace"},"#,
    r#""email":{"S":"ada@example.com"},"age":{"N":"36"},"score":{"N":"98.5"},"active":{"BOOL":true},"#,
    r#""tags":{"SS":["math","engines","poetry"]},"address":{"M":{"city":{"S":"London"},"zip":{"S":"W1"}}},"#,
    r#""logins":{"L":[{"N":"1"},{"N":"2"},{"N":"3"}]}}}"#
);

/// CRC-32 (IEEE), for the `x-amz-crc32` header DynamoDB sends and the client checks.
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

/// A DynamoDB client for `endpoint` in us-east-1, built from a hermetic
/// session (no config files, no environment), with one attempt per call so
/// every failure is counted instead of being retried away. `credentials`
/// replaces the session's (static) credentials when given.
pub fn client(
    endpoint: &str,
    credentials: Option<Arc<dyn ProvideCredentials>>,
) -> Result<Client, boto::Error> {
    let env = Env::from_vars([
        ("AWS_CONFIG_FILE", "/dev/null"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
    ]);
    let session = Session::builder()
        .env(env)
        .region("us-east-1")
        .credentials("AKIDSOAKSTATIC", "soak-static-secret", None)
        .build()?;
    let options = ClientOptions {
        endpoint_url: Some(endpoint.to_string()),
        max_attempts: Some(1),
        ..Default::default()
    };
    match credentials {
        None => session.client_with("dynamodb", &options),
        Some(c) => Client::builder("dynamodb")
            .config(session.client_config("dynamodb", &options)?)
            .credentials(c)
            .build(),
    }
}

/// One GetItem; `Err` carries a description when the call failed or the
/// parsed item is not the canned one.
pub async fn get_item(client: &Client) -> Result<(), String> {
    let out = client
        .call(
            "GetItem",
            params! {"TableName": "users", "Key": {"pk": {"S": "user#12345"}, "sk": {"S": "profile"}}},
        )
        .await
        .map_err(|e| e.to_string())?;
    match out.pointer("Item.name.S").as_str() {
        Some("Ada Lovelace") => Ok(()),
        other => Err(format!("unexpected Item.name.S: {other:?}")),
    }
}

/// Which refresh window the credentials age into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// boto3's windows (15/10 minutes): one caller refreshes, the others keep
    /// using the still-valid credentials.
    Advisory,
    /// No advisory window (both 10 minutes): every caller waits for the one refresh.
    Mandatory,
}

/// A provider that counts its calls, is slow (`delay`), and hands out
/// credentials that enter the refresh window one minute after the first
/// fetch; later ones live an hour. Keys are `AKIDREFRESH<n>`.
pub struct Expiring {
    calls: AtomicUsize,
    finished: AtomicUsize,
    delay: Duration,
    first_life: Duration,
    clock: Clock,
}

impl ProvideCredentials for Expiring {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let n = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
            tokio::time::sleep(self.delay).await;
            let life = if n == 1 {
                self.first_life
            } else {
                Duration::from_secs(3600)
            };
            let creds = Credentials::new(
                format!("AKIDREFRESH{n}"),
                "refresh-secret",
                Some(format!("session-token-{n}")),
                Some((self.clock)() + life),
                "soak-expiring",
            );
            self.finished.fetch_add(1, Ordering::SeqCst);
            Ok(creds)
        })
    }
    fn name(&self) -> &'static str {
        "soak-expiring"
    }
}

/// What one refresh scenario observed.
#[derive(Debug, Clone)]
pub struct RefreshReport {
    pub window: Window,
    pub tasks: usize,
    /// Calls completed, in total and while the refresh was due (from the clock
    /// jump until the refresh had finished and every task had called again).
    pub calls: u64,
    pub calls_across_refresh: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    /// How many times the provider was asked: 1 initial fetch + refreshes.
    pub provider_calls: usize,
    pub wall: Duration,
}

impl RefreshReport {
    pub fn refreshes(&self) -> usize {
        self.provider_calls.saturating_sub(1)
    }
    /// Exactly one initial fetch and one refresh, and no failed call.
    pub fn ok(&self) -> bool {
        self.provider_calls == 2 && self.errors == 0
    }
}

/// Runs `tasks` tasks calling GetItem on one client against `endpoint` in a
/// loop, from a cold cache (all of them wait for the single initial fetch),
/// then moves the clock so the credentials are inside `window` while they
/// keep calling, waits until the refresh has finished and every task has
/// completed `calls_after` more calls, and stops them. Gives up after
/// `timeout` (the report then shows what happened).
pub async fn refresh_scenario(
    endpoint: &str,
    window: Window,
    tasks: usize,
    calls_after: u64,
    delay: Duration,
    timeout: Duration,
) -> Result<RefreshReport, boto::Error> {
    let shift_ms = Arc::new(AtomicU64::new(0));
    let clock: Clock = {
        let shift_ms = shift_ms.clone();
        Arc::new(move || SystemTime::now() + Duration::from_millis(shift_ms.load(Ordering::SeqCst)))
    };
    let (advisory, mandatory) = match window {
        Window::Advisory => (DEFAULT_ADVISORY_REFRESH, DEFAULT_MANDATORY_REFRESH),
        Window::Mandatory => (DEFAULT_MANDATORY_REFRESH, DEFAULT_MANDATORY_REFRESH),
    };
    let provider = Arc::new(Expiring {
        calls: AtomicUsize::new(0),
        finished: AtomicUsize::new(0),
        delay,
        // Fresh for one minute, then one more minute inside the window.
        first_life: advisory + Duration::from_secs(60),
        clock: clock.clone(),
    });
    let cache = CredentialsCache::new(provider.clone())
        .with_windows(advisory, mandatory)
        .with_clock(clock);
    let client = client(endpoint, Some(Arc::new(cache)))?;

    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let first_error = Arc::new(std::sync::Mutex::new(None::<String>));
    let per_task: Arc<Vec<AtomicU64>> = Arc::new((0..tasks).map(|_| AtomicU64::new(0)).collect());
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|i| {
            let (client, stop, calls, errors) =
                (client.clone(), stop.clone(), calls.clone(), errors.clone());
            let (first_error, per_task) = (first_error.clone(), per_task.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::SeqCst) {
                    if let Err(e) = get_item(&client).await {
                        errors.fetch_add(1, Ordering::SeqCst);
                        first_error.lock().unwrap().get_or_insert(e);
                    }
                    calls.fetch_add(1, Ordering::SeqCst);
                    per_task[i].fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();

    let deadline = started + timeout;
    let every_task_reached = |n: &[u64]| {
        per_task
            .iter()
            .zip(n)
            .all(|(c, &m)| c.load(Ordering::SeqCst) >= m)
    };
    // Phase 1: every task has made `calls_after` calls on the first credentials.
    let marks = vec![calls_after; tasks];
    while !every_task_reached(&marks) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Phase 2: one minute later the credentials are inside the window.
    let at_jump = calls.load(Ordering::SeqCst);
    shift_ms.fetch_add(61_000, Ordering::SeqCst);
    while provider.finished.load(Ordering::SeqCst) < 2 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    // Phase 3: every task calls `calls_after` more times after the refresh.
    let marks: Vec<u64> = per_task
        .iter()
        .map(|c| c.load(Ordering::SeqCst) + calls_after)
        .collect();
    while !every_task_reached(&marks) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let calls_across_refresh = calls.load(Ordering::SeqCst) - at_jump;
    stop.store(true, Ordering::SeqCst);
    for h in handles {
        let _ = h.await;
    }
    let first_error = first_error.lock().unwrap().take();
    Ok(RefreshReport {
        window,
        tasks,
        calls: calls.load(Ordering::SeqCst),
        calls_across_refresh,
        errors: errors.load(Ordering::SeqCst),
        first_error,
        provider_calls: provider.calls.load(Ordering::SeqCst),
        wall: started.elapsed(),
    })
}
