//! Many concurrent uploads through one shared client — the seed's
//! "multithreaded upload" advice (boto3 docs: create one client, share it
//! between threads; a TransferManager per thread is unnecessary).
//!
//! One `boto::Client` (one connection pool, one credential cache) inside one
//! `TransferManager`; the manager is cloned into every task, and its
//! `max_concurrency` bounds the requests in flight across all of them, so
//! launching thousands of uploads at once is fine.
//!
//! ```text
//! cargo run -p boto-transfer --example concurrent_uploads -- <bucket> <file>...
//! ```
//! Uses the default session (profile, region, credentials, `AWS_ENDPOINT_URL`).

use boto_transfer::{ExtraArgs, TransferConfig, TransferControl, TransferManager};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut args = std::env::args().skip(1);
    let (Some(bucket), files) = (args.next(), args.collect::<Vec<_>>()) else {
        eprintln!("usage: concurrent_uploads <bucket> <file>...");
        std::process::exit(2);
    };
    // One client for everything.
    let client = boto::Session::new()?.client("s3")?;
    let config = TransferConfig {
        max_concurrency: 16,
        ..TransferConfig::default()
    };
    let tm = TransferManager::with_config(client, config)?;
    // One progress counter shared by every upload (callbacks run on many tasks).
    let total = Arc::new(AtomicU64::new(0));
    let t = total.clone();
    let ctl = TransferControl::new().on_progress(move |n| {
        t.fetch_add(n, Ordering::Relaxed);
    });
    let mut tasks = tokio::task::JoinSet::new();
    for file in files {
        let (tm, bucket, ctl) = (tm.clone(), bucket.clone(), ctl.clone());
        tasks.spawn(async move {
            let key = std::path::Path::new(&file)
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| file.clone());
            let r = tm
                .upload_file(&file, &bucket, &key, ExtraArgs::new(), ctl)
                .await;
            (file, key, r)
        });
    }
    let mut failed = 0;
    while let Some(joined) = tasks.join_next().await {
        let (file, key, r) = joined?;
        match r {
            Ok(out) => println!(
                "upload: {file} to s3://{bucket}/{key} ({} bytes, {} parts)",
                out.bytes, out.parts
            ),
            Err(e) => {
                failed += 1;
                eprintln!("upload failed: {file} to s3://{bucket}/{key}: {e}");
            }
        }
    }
    println!(
        "{} bytes uploaded, {failed} failed",
        total.load(Ordering::Relaxed)
    );
    if failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}
