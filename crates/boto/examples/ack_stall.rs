//! Calls that would wait for a delayed TCP ACK (`bench/ack_stall.sh`).
//!
//! boto-rs acknowledges a read at once only when the server may be waiting
//! for it (`boto-runtime/src/http/ack.rs`); a wrong guess costs a call
//! 40 ms or more against a server with Nagle's algorithm on. This times every
//! call of three workloads on one connection each and prints the slowest:
//! - s3s-fs: PUTs, then rounds of five HEADs and a GET of 700 B to 200 KB
//!   (s3s-fs writes a GET's headers, then its body);
//! - each `NAGLE_URL` given (`bench/nagle_server.py`): GetItem calls against a
//!   server that writes headers and body in two sends (`https://` ones need
//!   `AWS_CA_BUNDLE` naming the CA of their certificate).
//!
//! ```text
//! BOTO_TEST_S3S_ENDPOINT=... BOTO_TEST_S3S_ACCESS_KEY=... BOTO_TEST_S3S_SECRET_KEY=... \
//!   cargo run --release -p boto --example ack_stall -- [NAGLE_URL...]
//! ```
//! Exits 1 if any call took longer than `LIMIT_MS` (default 20).

use boto::{params, ClientOptions, Session, Value};
use std::time::{Duration, Instant};

const SIZES: [usize; 6] = [700, 2_000, 5_000, 20_000, 65_536, 200_000];

fn client(service: &str, url: &str, key: &str, secret: &str) -> Result<boto::Client, boto::Error> {
    let session = Session::builder()
        .region("us-east-1")
        .credentials(key, secret, None)
        .build()?;
    session.client_with(
        service,
        &ClientOptions {
            endpoint_url: Some(url.to_string()),
            addressing_style: Some(boto::core::auth::config::AddressingStyle::Path),
            ..Default::default()
        },
    )
}

/// Runs `f` once, timed; a call over the limit is named on stderr.
async fn timed<F, T>(times: &mut Vec<Duration>, what: &str, f: F) -> Result<T, boto::Error>
where
    F: std::future::Future<Output = Result<T, boto::Error>>,
{
    let start = Instant::now();
    let out = f.await?;
    let took = start.elapsed();
    if took > limit() {
        eprintln!("slow: {what} (call {}) took {took:?}", times.len() + 1);
    }
    times.push(took);
    Ok(out)
}

fn limit() -> Duration {
    Duration::from_millis(
        std::env::var("LIMIT_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(20),
    )
}

async fn s3s(url: &str, key: &str, secret: &str) -> Result<Vec<Duration>, boto::Error> {
    let s3 = client("s3", url, key, secret)?;
    let bucket = "ack-stall";
    let mut times = Vec::new();
    if let Err(e) = s3.call("CreateBucket", params! {"Bucket": bucket}).await {
        if !e.is_code("BucketAlreadyOwnedByYou") && !e.is_code("BucketAlreadyExists") {
            return Err(e);
        }
    }
    for size in SIZES {
        let body = Value::blob(vec![b'x'; size]);
        let put = params! {"Bucket": bucket, "Key": format!("k{size}"), "Body": body};
        timed(
            &mut times,
            &format!("PutObject {size} B"),
            s3.call("PutObject", put),
        )
        .await?;
    }
    for _round in 0..3 {
        for size in SIZES {
            for _ in 0..5 {
                let head = params! {"Bucket": bucket, "Key": "k700"};
                timed(&mut times, "HeadObject", s3.call("HeadObject", head)).await?;
            }
            let get = params! {"Bucket": bucket, "Key": format!("k{size}")};
            let out = timed(
                &mut times,
                &format!("GetObject {size} B"),
                s3.call("GetObject", get),
            )
            .await?;
            let got = out.get("Body").as_blob().map_or(0, <[u8]>::len);
            if got != size {
                eprintln!("GetObject k{size}: {got} bytes");
                std::process::exit(2);
            }
        }
    }
    Ok(times)
}

async fn nagle(url: &str) -> Result<Vec<Duration>, boto::Error> {
    let ddb = client("dynamodb", url, "AKIDSTALL", "stallsecret")?;
    let mut times = Vec::new();
    for _ in 0..200 {
        let get = params! {"TableName": "t", "Key": {"pk": {"S": "user#12345"}}};
        let out = timed(&mut times, "GetItem", ddb.call("GetItem", get)).await?;
        if out.pointer("Item.name.S").as_str() != Some("Ada Lovelace") {
            eprintln!("GetItem: unexpected answer");
            std::process::exit(2);
        }
    }
    Ok(times)
}

fn report(name: &str, mut times: Vec<Duration>, limit: Duration) -> bool {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let max = times.last().copied().unwrap_or_default();
    let slow = times.iter().filter(|t| **t > limit).count();
    println!(
        "ack-stall {name}: {} calls, median {:.2} ms, slowest {:.2} ms, {slow} over {:.0} ms",
        times.len(),
        ms(times[times.len() / 2]),
        ms(max),
        ms(limit)
    );
    slow == 0
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), boto::Error> {
    let limit = limit();
    let mut ok = true;
    if let Ok(url) = std::env::var("BOTO_TEST_S3S_ENDPOINT") {
        let key = std::env::var("BOTO_TEST_S3S_ACCESS_KEY").unwrap_or_default();
        let secret = std::env::var("BOTO_TEST_S3S_SECRET_KEY").unwrap_or_default();
        ok &= report("s3s-fs", s3s(&url, &key, &secret).await?, limit);
    }
    for url in std::env::args().skip(1) {
        ok &= report(&format!("nagle {url}"), nagle(&url).await?, limit);
    }
    if !ok {
        std::process::exit(1);
    }
    Ok(())
}
