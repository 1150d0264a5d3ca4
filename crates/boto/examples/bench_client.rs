//! boto-rs side of `bench/compare_boto3.sh`; mirrors `bench/boto3_bench.py`.
//!
//! Each mode prints one JSON object, so the script can put boto3 and boto-rs
//! side by side:
//!
//! * `cpu ENDPOINT N WARMUP`: client-side CPU per DynamoDB GetItem and per S3
//!   HeadObject against the canned server (process CPU time over N calls,
//!   after WARMUP calls), on a current-thread runtime, like boto3's one thread.
//! * `first-client SERVICE`: create a session and one client, then exit (the
//!   script times the whole process, start-up included).
//! * `rss SERVICE...`: VmRSS before and after creating one client per service
//!   (also `bench/regress.sh`'s "RSS after 20 clients of different services").
//! * `warm N EVICT [CODE_ROWS [ECHO_ADDR]]`: the same two calls through a
//!   transport that answers at once (no socket), wall time per call, with
//!   what runs between calls chosen: EVICT bytes written (the data caches,
//!   and past the L2's size everything), CODE_ROWS rows (0-64) of a grid of
//!   functions run (the L1 instruction cache alone,
//!   `bench_client_parts/code_evict.rs`), and with ECHO_ADDR a loopback TCP
//!   round trip to an echo server (the kernel's share of a real call). Each
//!   call is preceded by a write to a marker that `bench/footprint_call.sh`
//!   finds in a valgrind trace.
//!
//! Build with `cargo build --release --example bench_client`.

use boto::core::auth::config::AddressingStyle;
use boto::{params, ClientOptions, Session};
use std::time::Instant;

#[path = "bench_client_parts/code_evict.rs"]
mod code_evict;
#[path = "bench_client_parts/warm.rs"]
mod warm;

/// Process CPU time (all threads), in seconds: `CLOCK_PROCESS_CPUTIME_ID`,
/// the clock behind Python's `time.process_time()`.
fn process_cpu_secs() -> f64 {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    const CLOCK_PROCESS_CPUTIME_ID: i32 = 2;
    let mut ts = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; clock_gettime only writes it.
    let rc = unsafe { clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime failed");
    ts.tv_sec as f64 + ts.tv_nsec as f64 / 1e9
}

fn vm_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

fn session() -> Result<Session, boto::Error> {
    Session::builder().region("us-east-1").build()
}

/// One call of the benchmark, `get_item` or `head_object`, as every mode
/// makes it, checking the answer the canned server (or transport) gives.
async fn call_once(name: &str, ddb: &boto::Client, s3: &boto::Client) -> Result<(), boto::Error> {
    if name == "get_item" {
        let out = ddb
            .call(
                "GetItem",
                params! {"TableName": "users", "Key": {"pk": {"S": "user#12345"}, "sk": {"S": "profile"}}},
            )
            .await?;
        assert_eq!(out.pointer("Item.name.S").as_str(), Some("Ada Lovelace"));
    } else {
        let out = s3
            .call(
                "HeadObject",
                params! {"Bucket": "bench-bucket", "Key": "data/object.txt"},
            )
            .await?;
        assert_eq!(out.get("ContentLength").as_i64(), Some(434_234));
    }
    Ok(())
}

async fn cpu(endpoint: String, n: u32, warmup: u32) -> Result<(), boto::Error> {
    let session = session()?;
    let ddb = session.client_with(
        "dynamodb",
        &ClientOptions {
            endpoint_url: Some(endpoint.clone()),
            ..Default::default()
        },
    )?;
    let s3 = session.client_with(
        "s3",
        &ClientOptions {
            endpoint_url: Some(endpoint),
            addressing_style: Some(AddressingStyle::Path),
            ..Default::default()
        },
    )?;
    let mut results = Vec::new();
    for name in ["get_item", "head_object"] {
        let once = || call_once(name, &ddb, &s3);
        for _ in 0..warmup {
            once().await?;
        }
        let (c0, w0) = (process_cpu_secs(), Instant::now());
        for _ in 0..n {
            once().await?;
        }
        let (c1, wall) = (process_cpu_secs(), w0.elapsed());
        results.push(format!(
            "\"{name}\": {{\"cpu_us\": {:.2}, \"wall_us\": {:.2}, \"n\": {n}}}",
            (c1 - c0) / f64::from(n) * 1e6,
            wall.as_secs_f64() / f64::from(n) * 1e6
        ));
    }
    println!(
        "{{\"boto_rs\": \"{}\", {}}}",
        env!("CARGO_PKG_VERSION"),
        results.join(", ")
    );
    Ok(())
}

/// One thread, like boto3's: the runtime both timed modes run on.
fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn main() -> Result<(), boto::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("cpu") => {
            let endpoint = args.get(1).expect("cpu ENDPOINT N WARMUP").clone();
            let n = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2000);
            let warmup = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(200);
            current_thread().block_on(cpu(endpoint, n, warmup))
        }
        Some("first-client") => {
            let service = args.get(1).map(String::as_str).unwrap_or("dynamodb");
            let started = Instant::now();
            let opts = ClientOptions {
                endpoint_url: Some("http://127.0.0.1:9".into()),
                ..Default::default()
            };
            let _client = session()?.client_with(service, &opts)?;
            println!(
                "{{\"ok\": true, \"in_process_ms\": {:.3}}}",
                started.elapsed().as_secs_f64() * 1e3
            );
            Ok(())
        }
        Some("rss") => {
            let before = vm_rss_kib();
            let session = session()?;
            let clients = args[1..]
                .iter()
                .map(|s| session.client(s))
                .collect::<Result<Vec<_>, _>>()?;
            let after = vm_rss_kib();
            println!(
                "{{\"clients\": {}, \"rss_before_kib\": {before}, \"rss_after_kib\": {after}}}",
                clients.len()
            );
            Ok(())
        }
        Some("warm") => {
            let n = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20_000);
            let evict = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0);
            let code_rows = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0);
            let echo = match args.get(4) {
                None => None,
                Some(addr) => match std::net::TcpStream::connect(addr) {
                    Ok(s) => {
                        let _ = s.set_nodelay(true);
                        Some(s)
                    }
                    Err(e) => {
                        eprintln!(
                            "bench_client warm: cannot connect to the echo server {addr}: {e}"
                        );
                        std::process::exit(2)
                    }
                },
            };
            let between = warm::Between {
                evict,
                code_rows,
                echo,
            };
            current_thread().block_on(warm::run(n, between))
        }
        _ => {
            eprintln!(
                "usage: bench_client cpu ENDPOINT N WARMUP | first-client SERVICE | rss SERVICE... | warm N EVICT_BYTES [CODE_ROWS [ECHO_ADDR]]"
            );
            std::process::exit(2)
        }
    }
}
