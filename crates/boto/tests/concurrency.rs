//! Many tasks on one client: the fast, count-only regression half of the soak
//! program (`crates/boto/examples/soak`, run by `bench/soak.sh`).
//!
//! * Credentials refreshed while 256 tasks call through the client: exactly
//!   one initial fetch and one refresh, in the advisory window (one caller
//!   refreshes, the others keep signing with the old keys) and in the
//!   mandatory window (everyone waits for the one refresh), with no call
//!   failing and the refreshed keys used afterwards. This runs the soak
//!   program's own scenario code, so the two cannot drift apart.
//! * 1,000 tasks on a client with the default pool of 10: every call
//!   succeeds and they queue for the pool instead of each opening a socket
//!   (which runs out of file descriptors under the common 1,024 limit).
//!
//! The server is the scripted in-process test server of
//! `boto-runtime/tests/support`; nothing here measures time.

#[path = "../examples/soak/scenario.rs"]
mod scenario;
#[path = "../../boto-runtime/tests/support/mod.rs"]
mod wire;

use scenario::Window;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use wire::{Action, Reply, TestServer};

/// A canned GetItem server that also counts the requests signed with the
/// refreshed keys (`AKIDREFRESH2`) and with any other key.
fn server() -> (TestServer, Arc<AtomicU64>, Arc<AtomicU64>) {
    let body = scenario::GET_ITEM_BODY;
    let crc = scenario::crc32(body.as_bytes()).to_string();
    let reply = Reply::json(200, body).header("x-amz-crc32", &crc);
    let (refreshed, other) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let (r, o) = (refreshed.clone(), other.clone());
    let server = TestServer::start_unrecorded(move |req, _| {
        let auth = req.header("authorization").unwrap_or_default();
        if auth.contains("Credential=AKIDREFRESH2/") {
            r.fetch_add(1, Ordering::SeqCst);
        } else {
            o.fetch_add(1, Ordering::SeqCst);
        }
        Action::Reply(reply.clone())
    });
    (server, refreshed, other)
}

async fn refresh_under_256_callers(window: Window) {
    let (server, refreshed, other) = server();
    let r = scenario::refresh_scenario(
        &server.url(),
        window,
        256,
        5,
        Duration::from_millis(100),
        Duration::from_secs(60),
    )
    .await
    .expect("client");
    assert_eq!(r.errors, 0, "{:?}", r.first_error);
    assert_eq!(
        r.provider_calls, 2,
        "one initial fetch and exactly one refresh: {r:?}"
    );
    // Every task called at least 5 times before the refresh and 5 after it.
    assert!(r.calls >= 256 * 10, "{r:?}");
    let (refreshed, other) = (
        refreshed.load(Ordering::SeqCst),
        other.load(Ordering::SeqCst),
    );
    assert!(
        refreshed >= 256 * 5,
        "refreshed keys used {refreshed} times"
    );
    assert!(other >= 256 * 5, "first keys used {other} times");
    assert_eq!(refreshed + other, r.calls);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_refresh_in_the_advisory_window_under_256_callers() {
    refresh_under_256_callers(Window::Advisory).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_refresh_in_the_mandatory_window_under_256_callers() {
    refresh_under_256_callers(Window::Mandatory).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_tasks_queue_for_the_default_pool() {
    let (server, _, _) = server();
    let client = scenario::client(&server.url(), None).expect("client");
    assert_eq!(client.config().max_pool_connections, 10);
    let tasks: Vec<_> = (0..1000)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..3 {
                    scenario::get_item(&client).await?;
                }
                Ok::<(), String>(())
            })
        })
        .collect();
    let mut errors = Vec::new();
    for t in tasks {
        if let Err(e) = t.await.expect("task") {
            errors.push(e);
        }
    }
    assert!(
        errors.is_empty(),
        "{} failed, first: {}",
        errors.len(),
        errors[0]
    );
    assert_eq!(server.count(), 3000);
    // Unbounded, this opens a connection per task (~1,000); queued, the pool
    // stays near its size (the bound here is loose on purpose).
    assert!(
        server.connections() <= 100,
        "{} connections for 1,000 tasks on a pool of 10",
        server.connections()
    );
}
