//! Transfers through a fault-injecting proxy (resets before/after the
//! server acted, truncated and stalled bodies, 500s and 503 SlowDown at 15%
//! of requests) in front of s3s-fs and moto: a 50 MB file and a 50 MB
//! stream are uploaded and downloaded (file, writer, and a single GetObject
//! to a file via `get_object_to_file`) and must come out bit-identical every
//! round, with no temporary file and (moto) no multipart upload left behind.
//! Prints `transfer-faults: N passed, M failed`.

mod fault_proxy;
mod support;

use boto_transfer::{ExtraArgs, TransferConfig, TransferControl, TransferManager};
use fault_proxy::Proxy;
use std::time::{Duration, Instant};
use support::*;

const SIZE: usize = 50_000_000;
const ROUNDS: u64 = 3;
const RATE: f64 = 0.15;

fn fault_client(server: &Server, endpoint: &str) -> boto::Client {
    let home = std::env::temp_dir().join("boto-transfer-test-no-home");
    boto::Session::builder()
        .env(
            boto::core::auth::config::Env::from_vars(Vec::<(String, String)>::new())
                .with_home(home),
        )
        .credentials(&server.access_key, &server.secret_key, None)
        .region("us-east-1")
        .build()
        .expect("session")
        .client_with(
            "s3",
            &boto::ClientOptions {
                endpoint_url: Some(endpoint.to_string()),
                addressing_style: Some(boto::core::auth::config::AddressingStyle::Path),
                max_attempts: Some(3),
                read_timeout: Some(Duration::from_secs(2)),
                connect_timeout: Some(Duration::from_secs(2)),
                max_pool_connections: Some(32),
                ..Default::default()
            },
        )
        .expect("client")
}

async fn round(
    server: &Server,
    direct: &boto::Client,
    bucket: &str,
    dir: &std::path::Path,
    data: &[u8],
    src: &std::path::Path,
    seed: u64,
) -> Result<String, String> {
    let proxy = Proxy::start(&server.endpoint, RATE, seed).await;
    let client = fault_client(server, &proxy.url());
    let tm = TransferManager::with_config(client.clone(), TransferConfig::default())
        .map_err(|e| e.to_string())?;
    let t = Instant::now();
    let key = format!("faults/{seed}");
    tm.upload_file(src, bucket, &key, ExtraArgs::new(), TransferControl::new())
        .await
        .map_err(|e| format!("upload_file: {e}"))?;
    // What the server stored, read without the proxy.
    let stored = direct
        .call("GetObject", boto::params! {"Bucket": bucket, "Key": (&key)})
        .await
        .map_err(|e| e.to_string())?;
    if stored.get("Body").as_blob() != Some(data) {
        return Err("uploaded object differs from the file".into());
    }
    let dest = dir.join(format!("down-{seed}"));
    tm.download_file(
        bucket,
        &key,
        &dest,
        ExtraArgs::new(),
        TransferControl::new(),
    )
    .await
    .map_err(|e| format!("download_file: {e}"))?;
    if std::fs::read(&dest).map_err(|e| e.to_string())? != data {
        return Err("download_file result differs".into());
    }
    let key2 = format!("faults-stream/{seed}");
    tm.upload_reader(
        std::io::Cursor::new(data.to_vec()),
        bucket,
        &key2,
        ExtraArgs::new(),
        TransferControl::new(),
    )
    .await
    .map_err(|e| format!("upload_reader: {e}"))?;
    let mut out = Vec::with_capacity(SIZE);
    tm.download_writer(
        bucket,
        &key2,
        &mut out,
        ExtraArgs::new(),
        TransferControl::new(),
    )
    .await
    .map_err(|e| format!("download_writer: {e}"))?;
    if out != data {
        return Err("stream round trip differs".into());
    }
    let dest2 = dir.join(format!("get-{seed}"));
    let (meta, n) = boto_transfer::get_object_to_file(
        &client,
        boto::params! {"Bucket": bucket, "Key": (&key)},
        &dest2,
    )
    .await
    .map_err(|e| format!("get_object_to_file: {e}"))?;
    if n != SIZE as u64 || meta.get("ContentLength").as_i64() != Some(SIZE as i64) {
        return Err(format!("get_object_to_file wrote {n} bytes"));
    }
    if std::fs::read(&dest2).map_err(|e| e.to_string())? != data {
        return Err("get_object_to_file result differs".into());
    }
    let temps: Vec<String> = other_files(dir, &[])
        .into_iter()
        .filter(|f| {
            f.starts_with("down-") && f.contains('.') || f.starts_with("get-") && f.contains('.')
        })
        .collect();
    if !temps.is_empty() {
        return Err(format!("temporary files left: {temps:?}"));
    }
    let _ = std::fs::remove_file(&dest);
    let _ = std::fs::remove_file(&dest2);
    let mut kinds = proxy.faults();
    kinds.sort();
    Ok(format!(
        "{} requests, {} faults {:?}, {:.1}s",
        proxy.requests(),
        kinds.len(),
        kinds,
        t.elapsed().as_secs_f64()
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_megabytes_through_faults() -> TestResult {
    let Some(servers) = servers("fifty_megabytes_through_faults") else {
        return Ok(());
    };
    let data = pattern(SIZE, 42);
    let mut tally = Tally::new("transfer-faults");
    for server in servers {
        let direct = server.client();
        let bucket = new_bucket(&direct, "tfaults").await;
        let dir = temp_dir("faults");
        let src = write_file(&dir, "src.bin", &data);
        for r in 0..ROUNDS {
            let seed = 1000 + r * 7919 + if server.name == "moto" { 1 } else { 0 };
            let name = format!("{} round {r}", server.name);
            let res = round(&server, &direct, &bucket, &dir, &data, &src, seed).await;
            if let Ok(d) = &res {
                eprintln!("ok {name}: {d}");
            }
            tally.record(name, res.map(|_| ()));
        }
        if server.name == "moto" {
            let open = open_uploads(&direct, &bucket).await;
            tally.record(
                "moto: no multipart upload left open".into(),
                if open == 0 {
                    Ok(())
                } else {
                    let l = direct
                        .call("ListMultipartUploads", boto::params! {"Bucket": (&bucket)})
                        .await
                        .map(|v| format!("{:?}", v.get("Uploads")))
                        .unwrap_or_default();
                    Err(format!("{open} open uploads: {l}"))
                },
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    tally.finish();
    Ok(())
}

/// Lost answers to the non-idempotent calls: the server created the upload /
/// completed it, the client saw a reset and retried. The transfer must
/// succeed and leave no orphaned upload (moto lists them).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_create_and_complete_responses() -> TestResult {
    let Some(servers) = servers("lost_create_and_complete_responses") else {
        return Ok(());
    };
    let mut tally = Tally::new("transfer-lost-responses");
    let data = pattern(12 * 1024 * 1024 + 5, 77);
    for server in servers {
        let direct = server.client();
        let bucket = new_bucket(&direct, "tlost").await;
        let dir = temp_dir("lost");
        let src = write_file(&dir, "src.bin", &data);
        for (what, pattern) in [
            ("CreateMultipartUpload", "?uploads"),
            ("CompleteMultipartUpload", "?uploadId="),
        ] {
            let proxy = Proxy::start(&server.endpoint, 0.0, 1).await;
            proxy.target(pattern, fault_proxy::Fault::ResetAfterForward, 1);
            let tm = TransferManager::new(fault_client(&server, &proxy.url()));
            let key = format!("lost-{what}");
            let r = tm
                .upload_file(
                    &src,
                    &bucket,
                    &key,
                    ExtraArgs::new(),
                    TransferControl::new(),
                )
                .await;
            let mut res = match r {
                Ok(o) if o.bytes == data.len() as u64 => Ok(()),
                Ok(o) => Err(format!("{} bytes", o.bytes)),
                Err(e) => Err(e.to_string()),
            };
            if res.is_ok() {
                let got = direct
                    .call(
                        "GetObject",
                        boto::params! {"Bucket": (&bucket), "Key": (&key)},
                    )
                    .await?;
                if got.get("Body").as_blob() != Some(&data[..]) {
                    res = Err("stored object differs".into());
                }
            }
            if res.is_ok() && proxy.faults().is_empty() {
                res = Err("the targeted fault was not injected".into());
            }
            if res.is_ok() && server.name == "moto" {
                let open = open_uploads(&direct, &bucket).await;
                if open > 0 {
                    res = Err(format!("{open} uploads left open"));
                }
            }
            tally.record(format!("{}: reset after {what}", server.name), res);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    tally.finish();
    Ok(())
}

/// Response bodies with a flipped byte (length intact) on GETs: a whole-object
/// GET fails its checksum and is fetched again; a ranged download's combined
/// CRC does not match and the ranges are fetched again; `get_object_to_file`
/// retries. The results are bit-identical.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corrupted_bodies_are_caught() -> TestResult {
    let Some(server) = s3s() else {
        eprintln!("skipping corrupted_bodies_are_caught: BOTO_TEST_S3S_ENDPOINT not set");
        return Ok(());
    };
    let mut tally = Tally::new("transfer-corruption");
    let direct = server.client();
    let bucket = new_bucket(&direct, "tcorrupt").await;
    let dir = temp_dir("corrupt");
    for (name, size) in [
        ("whole", 3 * 1024 * 1024 + 1),
        ("ranged", 20 * 1024 * 1024 + 3),
    ] {
        let data = pattern(size, 11);
        let key = format!("{name}.bin");
        // Stored by one PutObject so it has a full-object CRC32.
        direct
            .call_stream(
                "PutObject",
                boto::params! {"Bucket": (&bucket), "Key": (&key)},
                Some(boto::RequestBody::Bytes(data.clone().into())),
            )
            .await?;
        let proxy = Proxy::start(&server.endpoint, 0.0, 5).await;
        proxy.target("GET /", fault_proxy::Fault::CorruptBody, 2);
        let client = fault_client(&server, &proxy.url());
        let tm = TransferManager::new(client.clone());
        let dest = dir.join(format!("{name}.down"));
        let r = tm
            .download_file(
                &bucket,
                &key,
                &dest,
                ExtraArgs::new(),
                TransferControl::new(),
            )
            .await;
        let res = match r {
            Ok(o) if std::fs::read(&dest).ok() == Some(data.clone()) => match o.checksum {
                Some(c) if c.verified && proxy.faults().len() == 2 => Ok(()),
                c => Err(format!("checksum {c:?}, faults {:?}", proxy.faults())),
            },
            Ok(_) => Err("download differs".into()),
            Err(e) => Err(e.to_string()),
        };
        tally.record(
            format!("s3s-fs: {name} download with 2 corrupted GETs"),
            res,
        );
        proxy.target("GET /", fault_proxy::Fault::CorruptBody, 1);
        let dest2 = dir.join(format!("{name}.get"));
        let r = boto_transfer::get_object_to_file(
            &client,
            boto::params! {"Bucket": (&bucket), "Key": (&key)},
            &dest2,
        )
        .await;
        let res = match r {
            Ok(_) if std::fs::read(&dest2).ok() == Some(data.clone()) => Ok(()),
            Ok(_) => Err("get_object_to_file differs".into()),
            Err(e) => Err(e.to_string()),
        };
        tally.record(
            format!("s3s-fs: {name} get_object_to_file with a corrupted GET"),
            res,
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    tally.finish();
    Ok(())
}
