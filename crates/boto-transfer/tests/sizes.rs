//! The size matrix against s3s-fs (signatures and checksums verified by the
//! server) and moto: 0 B, 1 B, one byte under a part, exactly one part, one
//! part + 1 byte and several parts, each uploaded from a file and from a
//! stream of unknown length, downloaded to a file and to a writer, and
//! copied (CopyObject below the threshold, UploadPartCopy above), every
//! result compared byte for byte. Prints `transfer-sizes: N passed, M failed`.

mod support;

use boto_transfer::{CopySource, ExtraArgs, TransferConfig, TransferControl, TransferManager};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use support::*;

const MIB: u64 = 1024 * 1024;

async fn case(
    tm: &TransferManager,
    bucket: &str,
    dir: &std::path::Path,
    size: u64,
    seed: u64,
) -> Result<String, String> {
    let data = pattern(size as usize, seed);
    let name = format!("f{size}");
    let src = write_file(dir, &name, &data);
    let key = format!("obj/ä ö+{size}%20~.bin");
    let progress = Arc::new(AtomicU64::new(0));
    let p2 = progress.clone();
    let ctl = TransferControl::new().on_progress(move |n| {
        p2.fetch_add(n, Ordering::Relaxed);
    });
    let up = tm
        .upload_file(&src, bucket, &key, ExtraArgs::new(), ctl.clone())
        .await
        .map_err(|e| format!("upload_file: {e}"))?;
    if up.bytes != size || progress.load(Ordering::Relaxed) != size {
        return Err(format!(
            "upload reported {} bytes, progress {}",
            up.bytes,
            progress.load(Ordering::Relaxed)
        ));
    }
    let head = tm
        .client()
        .call(
            "HeadObject",
            boto::params! {"Bucket": bucket, "Key": (&key)},
        )
        .await
        .map_err(|e| e.to_string())?;
    if head.get("ContentLength").as_i64() != Some(size as i64) {
        return Err(format!("HeadObject size {:?}", head.get("ContentLength")));
    }
    // Download to a file.
    let dest = dir.join(format!("{name}.down"));
    let down = tm
        .download_file(
            bucket,
            &key,
            &dest,
            ExtraArgs::new(),
            TransferControl::new(),
        )
        .await
        .map_err(|e| format!("download_file: {e}"))?;
    let got = std::fs::read(&dest).map_err(|e| e.to_string())?;
    if got != data {
        return Err(format!(
            "download_file: content differs ({} vs {size} bytes)",
            got.len()
        ));
    }
    if down.bytes != size {
        return Err(format!("download reported {} bytes", down.bytes));
    }
    // Unknown-length stream up, writer down.
    let key2 = format!("stream/sp ace/ü{size}?x=1");
    let reader = std::io::Cursor::new(data.clone());
    let up2 = tm
        .upload_reader(
            reader,
            bucket,
            &key2,
            ExtraArgs::new().set("ContentType", "application/x-test"),
            TransferControl::new(),
        )
        .await
        .map_err(|e| format!("upload_reader: {e}"))?;
    let mut out = Vec::new();
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
        return Err(format!(
            "stream round trip differs ({} vs {size} bytes)",
            out.len()
        ));
    }
    // Copy.
    let key3 = format!("copy/日本/{size} (copy)");
    let cp = tm
        .copy(
            &CopySource::new(bucket, &key2),
            bucket,
            &key3,
            ExtraArgs::new(),
            TransferControl::new(),
        )
        .await
        .map_err(|e| format!("copy: {e}"))?;
    let mut out = Vec::new();
    tm.download_writer(
        bucket,
        &key3,
        &mut out,
        ExtraArgs::new(),
        TransferControl::new(),
    )
    .await
    .map_err(|e| format!("download copy: {e}"))?;
    if out != data {
        return Err("copy differs".into());
    }
    let ct = tm
        .client()
        .call(
            "HeadObject",
            boto::params! {"Bucket": bucket, "Key": (&key3)},
        )
        .await
        .map_err(|e| e.to_string())?;
    if ct.get("ContentType").as_str() != Some("application/x-test") {
        return Err(format!(
            "copy lost ContentType: {:?}",
            ct.get("ContentType")
        ));
    }
    let leftovers: Vec<String> = other_files(dir, &[])
        .into_iter()
        .filter(|f| f.starts_with(&format!("{name}.down.")))
        .collect();
    if !leftovers.is_empty() {
        return Err(format!("files left behind: {leftovers:?}"));
    }
    let ck = |o: &boto_transfer::TransferOutput| {
        o.checksum
            .as_ref()
            .map(|c| {
                format!(
                    "{}:{}{}",
                    c.algorithm,
                    c.checksum_type,
                    if c.verified { "✓" } else { "?" }
                )
            })
            .unwrap_or_else(|| "-".into())
    };
    Ok(format!(
        "up {} parts={} ck={} | down parts={} ck={} | stream parts={} | copy parts={}",
        size,
        up.parts,
        ck(&up),
        down.parts,
        ck(&down),
        up2.parts,
        cp.parts
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn size_matrix() -> TestResult {
    let Some(servers) = servers("size_matrix") else {
        return Ok(());
    };
    let mut tally = Tally::new("transfer-sizes");
    for server in servers {
        let s3 = server.client();
        let bucket = new_bucket(&s3, "tsizes").await;
        let dir = temp_dir("sizes");
        // 5 MiB parts (the smallest S3 allows) keep the matrix fast; the
        // default 8 MiB settings get the boundary cases too.
        let small = TransferConfig {
            multipart_threshold: 5 * MIB,
            multipart_chunksize: 5 * MIB,
            ..TransferConfig::default()
        };
        for (cfg_name, cfg, sizes) in [
            (
                "5MiB",
                small,
                vec![
                    0,
                    1,
                    5 * MIB - 1,
                    5 * MIB,
                    5 * MIB + 1,
                    3 * 5 * MIB + 12_345,
                ],
            ),
            (
                "default",
                TransferConfig::default(),
                vec![8 * MIB, 8 * MIB + 1],
            ),
        ] {
            let tm = TransferManager::with_config(s3.clone(), cfg)?;
            for (i, size) in sizes.into_iter().enumerate() {
                let name = format!("{} {cfg_name} {size}B", server.name);
                let r = case(&tm, &bucket, &dir, size, i as u64 + 1).await;
                if let Ok(detail) = &r {
                    eprintln!("ok {name}: {detail}");
                }
                tally.record(name, r.map(|_| ()));
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    tally.finish();
    Ok(())
}
