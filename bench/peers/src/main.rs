//! Peer benchmark: boto-rs, aws-sdk-rust and a bare hyper client doing the same
//! calls against one local keep-alive canned server (issue 14).
//!
//! ```text
//! peers server PORTFILE                       serve canned answers until killed
//! peers client IMPL OP CALLS CONC URL         client CPU per call and calls/s
//! peers first-client IMPL URL                 one client, one GetItem (time the process)
//! peers rss IMPL URL                          RSS after 20 clients that made one call each
//! ```
//! IMPL is `boto`, `sdk` (aws-sdk-dynamodb / aws-sdk-s3) or `bare` (hyper-util's
//! client sending fixed request bytes: no signing, serializing or parsing, the
//! transport floor). OP is `getitem`, `headobject` or `list` (ListObjectsV2,
//! 1,000 keys). CPU is this process's user+system time (getrusage), so the
//! server's work is not counted; bench/peers.sh pins server and client to
//! different CPUs.

mod clients;
mod server;

use std::time::{Duration, Instant};

/// With the `mimalloc` feature (`ALLOC=mimalloc bench/peers.sh`) all three
/// clients (and the server: the same binary) allocate through mimalloc.
/// glibc's malloc keeps 7 freed blocks per size in its per-thread cache and
/// sends the rest, and every request of 1 KiB or more, down slower paths
/// (`bench/regress.md`, session 28).
#[cfg(feature = "mimalloc")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// This process's (user, system) CPU time. The user share alone is the
/// steadier figure for comparing two builds of the same client: the kernel's
/// share of a loopback round trip is the same for both and moves by several
/// microseconds from run to run on a shared VM.
fn cpu_times() -> (Duration, Duration) {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (tv(ru.ru_utime), tv(ru.ru_stime))
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn usage() -> ! {
    eprintln!("usage: peers server PORTFILE | client IMPL OP CALLS CONC URL | first-client IMPL URL | rss IMPL URL");
    std::process::exit(2)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or_else(|| usage());
    match arg(0) {
        "server" => server::run(arg(1)),
        "client" => {
            let imp = clients::Impl::parse(arg(1)).unwrap_or_else(|| usage());
            let op = clients::Op::parse(arg(2)).unwrap_or_else(|| usage());
            let calls: usize = arg(3).parse().unwrap_or_else(|_| usage());
            let conc: usize = arg(4).parse().unwrap_or_else(|_| usage());
            runtime().block_on(measure(imp, op, calls, conc.max(1), arg(5)));
        }
        "first-client" => {
            let imp = clients::Impl::parse(arg(1)).unwrap_or_else(|| usage());
            runtime().block_on(async {
                let c = clients::Client::new(imp, arg(2));
                c.call(clients::Op::GetItem).await.expect("first call");
            });
        }
        "rss" => {
            let imp = clients::Impl::parse(arg(1)).unwrap_or_else(|| usage());
            let url = arg(2).to_string();
            runtime().block_on(async move {
                let mut keep = Vec::new();
                for _ in 0..20 {
                    let c = clients::Client::new(imp, &url);
                    c.call(clients::Op::GetItem).await.expect("call");
                    keep.push(c);
                }
                println!("rss_kib={}", rss_kib());
            });
        }
        _ => usage(),
    }
}

async fn measure(imp: clients::Impl, op: clients::Op, calls: usize, conc: usize, url: &str) {
    let client = clients::Client::new(imp, url);
    for _ in 0..(calls / 10).clamp(20, 500) {
        client.call(op).await.expect("warm-up call");
    }
    let per_task = calls.div_ceil(conc);
    let (cpu0, wall0) = (cpu_times(), Instant::now());
    let tasks: Vec<_> = (0..conc)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move {
                for _ in 0..per_task {
                    c.call(op).await.expect("call");
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    let (cpu1, wall) = (cpu_times(), wall0.elapsed());
    let (user, sys) = (cpu1.0 - cpu0.0, cpu1.1 - cpu0.1);
    let n = (per_task * conc) as f64;
    println!(
        "cpu_us_per_call={:.2} calls_per_s={:.0} user_us_per_call={:.2} sys_us_per_call={:.2}",
        (user + sys).as_secs_f64() * 1e6 / n,
        n / wall.as_secs_f64(),
        user.as_secs_f64() * 1e6 / n,
        sys.as_secs_f64() * 1e6 / n,
    );
}
