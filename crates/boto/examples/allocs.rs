//! Heap allocations per call (issue 14's per-call work, counted rather than
//! timed): GetItem, HeadObject and a 1,000-key ListObjectsV2 through a whole
//! client against an in-process keep-alive server, the same calls and server
//! as the client bench (`benches/common`).
//!
//! ```text
//! cargo run --release -p boto --example allocs
//! GetItem: 99 allocations, 22568 bytes per call
//! GetItem (credentials with an account id): 101 allocations, 22592 bytes per call
//! HeadObject: 92 allocations, 22596 bytes per call
//! ListObjectsV2 (1,000 keys): 4110 allocations, 871911 bytes per call
//! ```
//!
//! Only the calling thread's allocations count (the server runs on its own
//! thread), and a reallocation counts as one. Unlike CPU time the count does
//! not move with the machine's load, so a change to the per-call path shows up
//! exactly (the bytes do move a little: hyper sizes its read buffer from how
//! much each read returned). `bench/regress.md` says how to find the
//! allocating sites.

#[path = "../benches/common/mod.rs"]
mod common;
#[path = "../../boto-runtime/tests/support/mod.rs"]
mod support;

use boto::{params, Value};
use common::{clients, get_item_params, server};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting what the flagged thread allocates.
struct Counting;

static CALLS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn count(bytes: usize) {
    if COUNTING.with(Cell::get) {
        CALLS.fetch_add(1, Relaxed);
        BYTES.fetch_add(bytes, Relaxed);
    }
}

// SAFETY: every method forwards to `System` unchanged; counting touches only
// atomics and a const-initialized thread-local, neither of which allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        count(l.size());
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        count(n);
        System.realloc(p, l, n)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let server = server();
    let (ddb, s3) = clients(&server.url());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");

    // Credentials that carry an account id (SSO, `AWS_ACCOUNT_ID`): DynamoDB's
    // rule set binds it, so the endpoint is resolved with the identity's.
    let env = boto::core::auth::config::Env::from_vars([
        ("AWS_ACCESS_KEY_ID", "AKIDBENCH"),
        ("AWS_SECRET_ACCESS_KEY", "benchsecret"),
        ("AWS_ACCOUNT_ID", "123456789012"),
    ]);
    let ddb_account = boto::Session::builder()
        .region("us-east-1")
        .env(env)
        .build()
        .expect("session")
        .client_with(
            "dynamodb",
            &boto::ClientOptions {
                endpoint_url: Some(server.url()),
                ..Default::default()
            },
        )
        .expect("dynamodb client");

    let calls: [(&str, &boto::Client, &str, Value, usize); 4] = [
        ("GetItem", &ddb, "GetItem", get_item_params(), 200),
        (
            "GetItem (credentials with an account id)",
            &ddb_account,
            "GetItem",
            get_item_params(),
            200,
        ),
        (
            "HeadObject",
            &s3,
            "HeadObject",
            params! {"Bucket": "bench-bucket", "Key": "data/object.txt"},
            200,
        ),
        (
            "ListObjectsV2 (1,000 keys)",
            &s3,
            "ListObjectsV2",
            params! {"Bucket": "bench"},
            20,
        ),
    ];
    for (label, client, op, input, n) in calls {
        // Warm up: connection, endpoint cache, lazily built model parts.
        for _ in 0..5 {
            rt.block_on(client.call(op, input.clone())).expect(op);
        }
        let (c0, b0) = (CALLS.load(Relaxed), BYTES.load(Relaxed));
        for _ in 0..n {
            let input = input.clone();
            COUNTING.with(|c| c.set(true));
            let out = rt.block_on(client.call(op, input)).expect(op);
            drop(out);
            COUNTING.with(|c| c.set(false));
        }
        let (calls, bytes) = (CALLS.load(Relaxed) - c0, BYTES.load(Relaxed) - b0);
        println!(
            "{label}: {} allocations, {} bytes per call",
            calls / n,
            bytes / n
        );
    }
}
