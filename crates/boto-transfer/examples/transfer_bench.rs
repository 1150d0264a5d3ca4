//! The boto-rs side of `bench/transfer.sh`: one upload or download, of one
//! file or of every file in a directory, through one shared TransferManager
//! (default TransferConfig: 8 MiB parts, 10 requests in flight).
//!
//! ```text
//! transfer_bench upload   <endpoint> <bucket> <file>  <key>
//! transfer_bench download <endpoint> <bucket> <key>   <file>
//! transfer_bench upload-dir   <endpoint> <bucket> <dir> <prefix>
//! transfer_bench download-dir <endpoint> <bucket> <prefix> <dir>
//! ```
//! `TRANSFER_MAX_CONCURRENCY=n` raises the requests in flight (and the pool).
//! Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, region
//! us-east-1, path-style addressing. Prints `bytes=<n> seconds=<s>`.

use boto::core::auth::config::{AddressingStyle, Env};
use boto_transfer::{ExtraArgs, TransferControl, TransferManager};
use std::time::Instant;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn client(endpoint: &str) -> Res<boto::Client> {
    let key = std::env::var("AWS_ACCESS_KEY_ID")?;
    let secret = std::env::var("AWS_SECRET_ACCESS_KEY")?;
    let session = boto::Session::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()).with_home(std::env::temp_dir()))
        .credentials(&key, &secret, None)
        .region("us-east-1")
        .build()?;
    Ok(session.client_with(
        "s3",
        &boto::ClientOptions {
            endpoint_url: Some(endpoint.into()),
            addressing_style: Some(AddressingStyle::Path),
            max_pool_connections: std::env::var("TRANSFER_MAX_CONCURRENCY")
                .ok()
                .and_then(|v| v.parse().ok()),
            ..Default::default()
        },
    )?)
}

#[tokio::main]
async fn main() -> Res<()> {
    let a: Vec<String> = std::env::args().collect();
    if a.len() != 6 {
        eprintln!("usage: transfer_bench upload|download|upload-dir|download-dir <endpoint> <bucket> <from> <to>");
        std::process::exit(2);
    }
    let (mode, bucket, from, to) = (a[1].as_str(), a[3].clone(), a[4].clone(), a[5].clone());
    // TRANSFER_MAX_CONCURRENCY overrides the default 10 requests in flight.
    let mut config = boto_transfer::TransferConfig::default();
    if let Some(n) = std::env::var("TRANSFER_MAX_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        config.max_concurrency = n;
    }
    let tm = TransferManager::with_config(client(&a[2])?, config)?;
    let t = Instant::now();
    let bytes = match mode {
        "upload" => {
            tm.upload_file(
                &from,
                &bucket,
                &to,
                ExtraArgs::new(),
                TransferControl::new(),
            )
            .await?
            .bytes
        }
        "download" => {
            tm.download_file(
                &bucket,
                &from,
                &to,
                ExtraArgs::new(),
                TransferControl::new(),
            )
            .await?
            .bytes
        }
        "upload-dir" => {
            let mut set = tokio::task::JoinSet::new();
            for e in std::fs::read_dir(&from)? {
                let p = e?.path();
                let key = format!(
                    "{to}/{}",
                    p.file_name().unwrap_or_default().to_string_lossy()
                );
                let (tm, b) = (tm.clone(), bucket.clone());
                set.spawn(async move {
                    tm.upload_file(&p, &b, &key, ExtraArgs::new(), TransferControl::new())
                        .await
                });
            }
            let mut n = 0;
            while let Some(r) = set.join_next().await {
                n += r??.bytes;
            }
            n
        }
        "download-dir" => {
            std::fs::create_dir_all(&to)?;
            let mut keys = Vec::new();
            let mut token: Option<String> = None;
            loop {
                let mut p = boto::params! {"Bucket": (&bucket), "Prefix": (format!("{from}/"))};
                if let (Some(t), Some(m)) = (&token, p.as_map_mut()) {
                    m.insert("ContinuationToken", t.clone().into());
                }
                let page = tm.client().call("ListObjectsV2", p).await?;
                for o in page.get("Contents").as_list().unwrap_or_default() {
                    keys.push(o.get("Key").as_str().unwrap_or_default().to_string());
                }
                token = page
                    .get("NextContinuationToken")
                    .as_str()
                    .map(str::to_string);
                if token.is_none() {
                    break;
                }
            }
            let mut set = tokio::task::JoinSet::new();
            for key in keys {
                let name = key.rsplit('/').next().unwrap_or_default().to_string();
                let (tm, b, dest) = (
                    tm.clone(),
                    bucket.clone(),
                    std::path::Path::new(&to).join(name),
                );
                set.spawn(async move {
                    tm.download_file(&b, &key, &dest, ExtraArgs::new(), TransferControl::new())
                        .await
                });
            }
            let mut n = 0;
            while let Some(r) = set.join_next().await {
                n += r??.bytes;
            }
            n
        }
        _ => return Err(format!("unknown mode {mode}").into()),
    };
    println!("bytes={bytes} seconds={:.3}", t.elapsed().as_secs_f64());
    Ok(())
}
