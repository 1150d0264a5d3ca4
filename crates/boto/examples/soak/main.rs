//! Soak and concurrency test (issue 13): one client, many concurrent tasks,
//! a million calls against a local keep-alive server, and credentials
//! refreshed while hundreds of tasks call. Run by `bench/soak.sh`.
//!
//! A leak in the call path (a cache keyed by something per call, a pool that
//! never shrinks, a buffer kept per request) is invisible in a short benchmark
//! and fatal in a long-running service, so this measures memory over a long
//! run: VmRSS after the first 1% of the calls (10,000 of 1,000,000: pool,
//! models, allocator arenas warmed up) and again at the end must differ by at
//! most 2 MiB. Every call is one attempt (no retries hide a failure), is
//! signed for real and has its response parsed and checked.
//!
//! The canned server is this same binary (`soak server`) in its own process,
//! so the RSS measured is the client's alone; it is the scripted test server
//! of `boto-runtime/tests/support` answering every request with a DynamoDB
//! GetItem (with a correct `x-amz-crc32`), and it reports how many
//! connections it accepted, which shows how the client's pool behaved.
//!
//! ```text
//! soak [--calls N] [--tasks N] [--refresh-tasks N] [--max-growth-kib N] [--endpoint URL]
//! soak server
//! ```
//! Exits 1 if a call failed, RSS grew more than the limit, or a refresh
//! scenario did not see exactly one refresh.

mod scenario;
#[path = "../../../boto-runtime/tests/support/mod.rs"]
mod support;

use scenario::Window;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Args {
    calls: u64,
    tasks: usize,
    refresh_tasks: usize,
    max_growth_kib: u64,
    endpoint: Option<String>,
}

fn parse_args(args: &[String]) -> Args {
    let mut a = Args {
        calls: 1_000_000,
        tasks: 1_000,
        refresh_tasks: 256,
        max_growth_kib: 2048,
        endpoint: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| usage());
        let num = || value.parse::<u64>().unwrap_or_else(|_| usage());
        match flag.as_str() {
            "--calls" => a.calls = num(),
            "--tasks" => a.tasks = num() as usize,
            "--refresh-tasks" => a.refresh_tasks = num() as usize,
            "--max-growth-kib" => a.max_growth_kib = num(),
            "--endpoint" => a.endpoint = Some(value.clone()),
            _ => usage(),
        }
    }
    if a.calls < 100 || a.tasks == 0 {
        usage()
    }
    a
}

fn usage() -> ! {
    eprintln!(
        "usage: soak [--calls N] [--tasks N] [--refresh-tasks N] [--max-growth-kib N] [--endpoint URL]\n       soak server"
    );
    std::process::exit(2)
}

/// Memory after `calls` calls, in KiB: VmRSS and its anonymous (heap,
/// stacks) and file-backed (the binary's code and embedded models, shared
/// libraries) parts, and the heap in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Sample {
    calls: u64,
    rss: u64,
    anon: u64,
    file: u64,
    heap: u64,
}

impl Sample {
    fn take(calls: u64) -> Sample {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next().and_then(|n| n.parse().ok()))
                .unwrap_or(0)
        };
        Sample {
            calls,
            rss: field("VmRSS:"),
            anon: field("RssAnon:"),
            file: field("RssFile:"),
            heap: heap_in_use_kib(),
        }
    }
}

/// Heap bytes in use (allocated and not freed) per glibc's `mallinfo2`,
/// summed over all arenas: unlike RSS it does not include memory the
/// allocator keeps after a free, so it tells a leak (grows) from allocator
/// retention or fragmentation (RSS grows, this does not). 0 elsewhere.
fn heap_in_use_kib() -> u64 {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        #[repr(C)]
        struct MallInfo2 {
            arena: usize,
            ordblks: usize,
            smblks: usize,
            hblks: usize,
            hblkhd: usize,
            usmblks: usize,
            fsmblks: usize,
            uordblks: usize,
            fordblks: usize,
            keepcost: usize,
        }
        extern "C" {
            fn mallinfo2() -> MallInfo2;
        }
        // SAFETY: mallinfo2 takes no arguments and returns a plain struct by value.
        let m = unsafe { mallinfo2() };
        ((m.uordblks + m.hblkhd) / 1024) as u64
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        0
    }
}

/// `soak server`: serve canned GetItem responses on 127.0.0.1 until stdin
/// closes; print `port N` when listening and `requests N connections N` at the end.
fn serve() {
    let body = scenario::GET_ITEM_BODY;
    let crc = scenario::crc32(body.as_bytes()).to_string();
    let reply = support::Reply::json(200, body).header("x-amz-crc32", &crc);
    let server =
        support::TestServer::start_unrecorded(move |_, _| support::Action::Reply(reply.clone()));
    println!("port {}", server.addr().port());
    std::io::stdout().flush().expect("stdout");
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    println!(
        "requests {} connections {}",
        server.count(),
        server.connections()
    );
}

/// The canned server in a child process.
struct ServerProcess {
    child: Child,
    stdout: BufReader<std::process::ChildStdout>,
    endpoint: String,
}

impl ServerProcess {
    fn start() -> ServerProcess {
        let exe = std::env::current_exe().expect("current exe");
        let mut child = Command::new(exe)
            .arg("server")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the canned server");
        let mut stdout = BufReader::new(child.stdout.take().expect("server stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("server port");
        let port: u16 = line
            .trim()
            .strip_prefix("port ")
            .and_then(|p| p.parse().ok())
            .expect("server prints `port N`");
        ServerProcess {
            child,
            stdout,
            endpoint: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Stops the server; returns its `requests N connections N` line.
    fn stop(mut self) -> String {
        drop(self.child.stdin.take());
        let mut line = String::new();
        let _ = self.stdout.read_line(&mut line);
        let _ = self.child.wait();
        line.trim().to_string()
    }
}

struct SoakReport {
    calls: u64,
    errors: u64,
    first_error: Option<String>,
    wall: Duration,
    /// After 1%, 10%, 25%, 50%, 75%, 99% and 100% of the calls. At 100%
    /// the other tasks have finished, so the heap in use is compared at 99%.
    samples: Vec<Sample>,
    after_join: Sample,
}

/// `tasks` tasks share one client and claim calls from one counter until
/// `calls` have been made; memory is read by whichever task completes a
/// sample point's call.
async fn soak(endpoint: &str, calls: u64, tasks: usize) -> Result<SoakReport, boto::Error> {
    let client = scenario::client(endpoint, None)?;
    let points: Arc<Vec<u64>> = Arc::new(
        [1, 10, 25, 50, 75, 99, 100]
            .iter()
            .map(|p| calls * p / 100)
            .collect(),
    );
    let next = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let first_error = Arc::new(Mutex::new(None::<String>));
    let samples = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|_| {
            let (client, next, done, errors) =
                (client.clone(), next.clone(), done.clone(), errors.clone());
            let (first_error, samples, points) =
                (first_error.clone(), samples.clone(), points.clone());
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    if let Err(e) = scenario::get_item(&client).await {
                        errors.fetch_add(1, Ordering::Relaxed);
                        first_error.lock().unwrap().get_or_insert(e);
                    }
                    let n = done.fetch_add(1, Ordering::AcqRel) + 1;
                    if points.contains(&n) {
                        samples.lock().unwrap().push(Sample::take(n));
                    }
                }
            })
        })
        .collect();
    for h in handles {
        h.await.expect("soak task panicked");
    }
    let wall = started.elapsed();
    let mut samples = samples.lock().unwrap().clone();
    samples.sort_unstable();
    let first_error = first_error.lock().unwrap().take();
    Ok(SoakReport {
        calls: done.load(Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        first_error,
        wall,
        samples,
        after_join: Sample::take(calls),
    })
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("server") {
        serve();
        return;
    }
    let a = parse_args(&args);
    let server = a.endpoint.is_none().then(ServerProcess::start);
    let endpoint = a
        .endpoint
        .clone()
        .or_else(|| server.as_ref().map(|s| s.endpoint.clone()))
        .expect("endpoint");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut failed = Vec::new();

    println!(
        "soak: {} DynamoDB GetItem calls from {} concurrent tasks sharing one client \
         (default pool, 1 attempt per call), server {endpoint}, pid {}",
        a.calls,
        a.tasks,
        std::process::id()
    );
    let r = rt
        .block_on(soak(&endpoint, a.calls, a.tasks))
        .expect("soak client");
    println!("  calls           {}", r.calls);
    println!("  errors          {}", r.errors);
    if let Some(e) = &r.first_error {
        println!("  first error     {e}");
    }
    println!("  wall            {:.1} s", r.wall.as_secs_f64());
    println!(
        "  calls/s         {:.0}",
        r.calls as f64 / r.wall.as_secs_f64()
    );
    let show = |label: &str, s: &Sample| {
        println!(
            "  {label:<14}  RSS {} KiB (anon {}, file {}), heap in use {} KiB",
            s.rss, s.anon, s.file, s.heap
        )
    };
    for s in &r.samples {
        show(&format!("after {}", s.calls), s);
    }
    show("after join", &r.after_join);
    let (first, last) = (r.samples[0], r.samples[r.samples.len() - 1]);
    let at_99 = r.samples[r.samples.len() - 2];
    let diff = |a: u64, b: u64| b as i64 - a as i64;
    let growth = diff(first.rss, last.rss);
    println!(
        "  RSS growth      {growth:+} KiB from {} to {} calls (limit {} KiB; anon {:+}, file {:+})",
        first.calls,
        last.calls,
        a.max_growth_kib,
        diff(first.anon, last.anon),
        diff(first.file, last.file)
    );
    println!(
        "  heap growth     {:+} KiB from {} to {} calls",
        diff(first.heap, at_99.heap),
        first.calls,
        at_99.calls
    );
    if r.errors > 0 || r.calls != a.calls {
        failed.push(format!("{} of {} calls failed", r.errors, r.calls));
    }
    if growth > a.max_growth_kib as i64 {
        failed.push(format!("RSS grew {growth} KiB"));
    }

    for window in [Window::Advisory, Window::Mandatory] {
        let r = rt
            .block_on(scenario::refresh_scenario(
                &endpoint,
                window,
                a.refresh_tasks,
                20,
                Duration::from_millis(100),
                Duration::from_secs(120),
            ))
            .expect("refresh client");
        println!(
            "refresh ({:?} window): {} tasks, {} calls ({} across the refresh), {} errors, \
             provider called {} times = {} refresh(es), {:.1} s",
            r.window,
            r.tasks,
            r.calls,
            r.calls_across_refresh,
            r.errors,
            r.provider_calls,
            r.refreshes(),
            r.wall.as_secs_f64()
        );
        if let Some(e) = &r.first_error {
            println!("  first error     {e}");
        }
        if !r.ok() {
            failed.push(format!("{:?} refresh scenario", r.window));
        }
    }
    if let Some(s) = server {
        println!("server: {}", s.stop());
    }
    if failed.is_empty() {
        println!("PASS");
    } else {
        println!("FAIL: {}", failed.join("; "));
        std::process::exit(1);
    }
}
