//! The boto-rs side of `bench/resources.sh`: iterating a large S3 listing
//! through a resource collection, as boto3's
//! `for o in bucket.objects.filter(Prefix=p): o.key, o.size` does.
//!
//! ```text
//! resources_bench seed    <endpoint> <bucket> <prefix> <n>   # bucket + n objects under prefix (+ n/100 outside)
//! resources_bench iterate <endpoint> <bucket> <prefix>       # async collection (items stream)
//! resources_bench iterate-blocking <endpoint> <bucket> <prefix>  # boto_resources::blocking iterator
//! ```
//! Seeding puts the objects through the client, 64 requests in flight;
//! object `i` has `i % 1000` bytes. Iterating prints one JSON line:
//! `{"count", "bytes", "user", "sys", "wall"}` where user/sys are this
//! process's CPU seconds (getrusage) spent in the iteration alone (after the
//! session, client and resource exist), and bytes is the sum of the sizes.
//! Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, region
//! us-east-1, path-style addressing.

use boto::core::auth::config::{AddressingStyle, Env};
use boto::{params, Value};
use boto_resources::ResourceExt as _;
use std::time::Instant;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// `(user, sys)` CPU seconds of this process so far.
fn cpu_times() -> (f64, f64) {
    #[cfg(all(target_os = "linux", target_pointer_width = "64"))]
    {
        // struct rusage on 64-bit Linux: two timevals, then 14 longs.
        extern "C" {
            fn getrusage(who: i32, usage: *mut [i64; 18]) -> i32;
        }
        let mut ru = [0i64; 18];
        // SAFETY: `ru` is exactly as large as `struct rusage` here; RUSAGE_SELF = 0.
        if unsafe { getrusage(0, &mut ru) } == 0 {
            let tv = |s: i64, us: i64| s as f64 + us as f64 / 1e6;
            return (tv(ru[0], ru[1]), tv(ru[2], ru[3]));
        }
    }
    // Elsewhere: /proc/self/stat (clock ticks, assumed 100 Hz), or nothing.
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let f: Vec<f64> = s
                .rsplit_once(')')?
                .1
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            Some((f.get(11)? / 100.0, f.get(12)? / 100.0))
        })
        .unwrap_or((0.0, 0.0))
}

fn session() -> Res<boto::Session> {
    let key = std::env::var("AWS_ACCESS_KEY_ID")?;
    let secret = std::env::var("AWS_SECRET_ACCESS_KEY")?;
    Ok(boto::Session::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()).with_home(std::env::temp_dir()))
        .credentials(&key, &secret, None)
        .region("us-east-1")
        .build()?)
}

fn options(endpoint: &str) -> boto::ClientOptions {
    boto::ClientOptions {
        endpoint_url: Some(endpoint.into()),
        addressing_style: Some(AddressingStyle::Path),
        max_pool_connections: Some(64),
        ..Default::default()
    }
}

async fn seed(endpoint: &str, bucket: &str, prefix: &str, n: usize) -> Res<()> {
    let client = session()?.client_with("s3", &options(endpoint))?;
    client
        .call("CreateBucket", params! {"Bucket": bucket})
        .await?;
    let keys: Vec<String> = (0..n)
        .map(|i| format!("{prefix}{i:06}"))
        .chain((0..n / 100).map(|i| format!("other/{i:06}")))
        .collect();
    let gate = std::sync::Arc::new(tokio::sync::Semaphore::new(64));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, key) in keys.into_iter().enumerate() {
        let permit = gate.clone().acquire_owned().await?;
        let (client, bucket) = (client.clone(), bucket.to_string());
        tasks.spawn(async move {
            let body = Value::blob(vec![b'x'; i % 1000]);
            let r = client
                .call(
                    "PutObject",
                    params! {"Bucket": bucket, "Key": key, "Body": body},
                )
                .await;
            drop(permit);
            r.map(|_| ())
        });
        while let Some(done) = tasks.try_join_next() {
            done??;
        }
    }
    while let Some(done) = tasks.join_next().await {
        done??;
    }
    Ok(())
}

fn report(count: u64, bytes: u64, before: (f64, f64), wall: Instant) {
    let after = cpu_times();
    println!(
        "{{\"count\": {count}, \"bytes\": {bytes}, \"user\": {:.4}, \"sys\": {:.4}, \"wall\": {:.4}}}",
        after.0 - before.0,
        after.1 - before.1,
        wall.elapsed().as_secs_f64()
    );
}

async fn iterate(endpoint: &str, bucket: &str, prefix: &str) -> Res<()> {
    let s3 = session()?.resource_with("s3", &options(endpoint))?;
    let bucket = s3.resource("Bucket", [bucket])?;
    let (before, wall) = (cpu_times(), Instant::now());
    let mut items = bucket
        .collection("objects")?
        .filter(params! {"Prefix": prefix})
        .items();
    let (mut count, mut bytes) = (0u64, 0u64);
    while let Some(obj) = items.next().await {
        let obj = obj?;
        let key = obj.id_str("key").unwrap_or_default();
        let size = obj.attr("size").await?;
        count += u64::from(key.starts_with(prefix));
        bytes += size.as_i64().unwrap_or_default() as u64;
    }
    report(count, bytes, before, wall);
    Ok(())
}

fn iterate_blocking(endpoint: &str, bucket: &str, prefix: &str) -> Res<()> {
    let s3 = boto_resources::blocking::resource_with(&session()?, "s3", &options(endpoint))?;
    let bucket = s3.resource("Bucket", [bucket])?;
    let (before, wall) = (cpu_times(), Instant::now());
    let (mut count, mut bytes) = (0u64, 0u64);
    for obj in bucket
        .collection("objects")?
        .filter(params! {"Prefix": prefix})
        .items()
    {
        let obj = obj?;
        let key = obj.id_str("key").unwrap_or_default();
        let size = obj.attr("size")?;
        count += u64::from(key.starts_with(prefix));
        bytes += size.as_i64().unwrap_or_default() as u64;
    }
    report(count, bytes, before, wall);
    Ok(())
}

fn main() -> Res<()> {
    let a: Vec<String> = std::env::args().collect();
    let usage =
        "usage: resources_bench seed|iterate|iterate-blocking <endpoint> <bucket> <prefix> [n]";
    if a.len() < 5 {
        eprintln!("{usage}");
        std::process::exit(2);
    }
    let (ep, bucket, prefix) = (a[2].as_str(), a[3].as_str(), a[4].as_str());
    if a[1] == "iterate-blocking" {
        return iterate_blocking(ep, bucket, prefix);
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    match a[1].as_str() {
        "seed" => {
            let n = a.get(5).and_then(|n| n.parse().ok()).ok_or(usage)?;
            rt.block_on(seed(ep, bucket, prefix, n))
        }
        "iterate" => rt.block_on(iterate(ep, bucket, prefix)),
        _ => {
            eprintln!("{usage}");
            std::process::exit(2);
        }
    }
}
