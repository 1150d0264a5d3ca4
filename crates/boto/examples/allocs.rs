//! Heap allocations per call (issue 14's per-call work, counted rather than
//! timed): GetItem, HeadObject and a 1,000-key ListObjectsV2 through a whole
//! client against an in-process keep-alive server.
//!
//! ```text
//! cargo run --release -p boto --example allocs
//! GetItem: 191 allocations, 27654 bytes per call
//! HeadObject: 172 allocations, 29338 bytes per call
//! ListObjectsV2 (1,000 keys): 8195 allocations, 2132097 bytes per call
//! ```
//!
//! Only the calling thread's allocations count (the server runs on its own
//! thread), and a reallocation counts as one. Unlike CPU time the count does
//! not move with the machine's load, so a change to the per-call path shows up
//! exactly; `bench/regress.md` says how to find the allocating sites.

#[path = "../../boto-runtime/tests/support/mod.rs"]
mod support;

use boto::core::auth::config::AddressingStyle;
use boto::{params, ClientOptions, Session, Value};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use support::{Action, Reply, TestServer};

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

const GET_ITEM: &str = r#"{"Item":{"pk":{"S":"user#12345"},"sk":{"S":"profile"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"},"tags":{"SS":["math","poetry"]},"address":{"M":{"city":{"S":"London"}}}}}"#;

/// The client bench's page: 1,000 keys.
fn list_body() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bench</Name><KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>",
    );
    for i in 0..1000 {
        s.push_str(&format!(
            "<Contents><Key>photos/2024/05/img-{i:05}.jpg</Key><LastModified>2024-05-01T12:{:02}:00.000Z</LastModified><ETag>&quot;fba9dede5f27731c9771645a3986{i:04}&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
            i % 60,
            100_000 + i * 7
        ));
    }
    s.push_str("</ListBucketResult>");
    s
}

fn main() {
    let list = list_body();
    let server = TestServer::start_unrecorded(move |req, _| {
        Action::Reply(if req.method == "HEAD" {
            Reply::new(200)
                .header("ETag", "\"fba9dede5f27731c9771645a39863328\"")
                .header("Content-Type", "text/plain")
        } else if req.target.contains("list-type=2") {
            Reply::xml(200, &list)
        } else {
            Reply::json(200, GET_ITEM)
        })
    });
    let session = Session::builder()
        .region("us-east-1")
        .credentials("AKIDBENCH", "benchsecret", None)
        .build()
        .expect("session");
    let opts = |path: bool| ClientOptions {
        endpoint_url: Some(server.url()),
        addressing_style: path.then_some(AddressingStyle::Path),
        ..Default::default()
    };
    let ddb = session
        .client_with("dynamodb", &opts(false))
        .expect("dynamodb");
    let s3 = session.client_with("s3", &opts(true)).expect("s3");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");

    let key =
        params! {"TableName": "users", "Key": {"pk": {"S": "user#12345"}, "sk": {"S": "profile"}}};
    let calls: [(&str, &boto::Client, &str, Value, usize); 3] = [
        ("GetItem", &ddb, "GetItem", key, 200),
        (
            "HeadObject",
            &s3,
            "HeadObject",
            params! {"Bucket": "bench", "Key": "k"},
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
