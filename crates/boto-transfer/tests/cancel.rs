//! Cancelled, dropped and failed transfers leave nothing behind: no open
//! multipart upload (checked with ListMultipartUploads on moto), no partial
//! or temporary file, and an existing destination file untouched. Also the
//! ExtraArgs errors, the blocking twin and `get_object_to_file` on a missing
//! key. Prints `transfer-cancel: N passed, M failed`.

mod support;

use boto_transfer::{
    CancelToken, ExtraArgs, TransferConfig, TransferControl, TransferError, TransferManager,
};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::*;

const MIB: u64 = 1024 * 1024;
const SIZE: usize = 30 * MIB as usize;

/// A slow manager (5 MiB parts, 2 at a time, 20 MB/s) so there is time to cancel.
fn slow(client: &boto::Client) -> TransferManager {
    TransferManager::with_config(
        client.clone(),
        TransferConfig {
            multipart_threshold: 5 * MIB,
            multipart_chunksize: 5 * MIB,
            max_concurrency: 2,
            max_bandwidth: Some(20_000_000),
            ..TransferConfig::default()
        },
    )
    .expect("config")
}

/// A control that cancels `token` once `after` bytes went by.
fn cancel_after(token: &CancelToken, after: u64) -> (TransferControl, Arc<AtomicU64>) {
    let seen = Arc::new(AtomicU64::new(0));
    let (s, t) = (seen.clone(), token.clone());
    let ctl = TransferControl::new()
        .cancel_token(token.clone())
        .on_progress(move |n| {
            if s.fetch_add(n, Ordering::SeqCst) + n >= after {
                t.cancel();
            }
        });
    (ctl, seen)
}

async fn wait_no_uploads(s3: &boto::Client, bucket: &str) -> Result<(), String> {
    for _ in 0..50 {
        if open_uploads(s3, bucket).await == 0 {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(format!(
        "{} multipart uploads still open",
        open_uploads(s3, bucket).await
    ))
}

fn temps(dir: &std::path::Path, stem: &str) -> Vec<String> {
    other_files(dir, &[])
        .into_iter()
        .filter(|f| f.starts_with(&format!("{stem}.")))
        .collect()
}

struct FailingReader {
    left: usize,
}

impl tokio::io::AsyncRead for FailingReader {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        if self.left == 0 {
            return std::task::Poll::Ready(Err(std::io::Error::other("disk on fire")));
        }
        let n = buf.remaining().min(self.left).min(64 * 1024);
        buf.put_slice(&vec![7u8; n]);
        self.left -= n;
        std::task::Poll::Ready(Ok(()))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_and_failures() -> TestResult {
    let Some(servers) = servers("cancel_and_failures") else {
        return Ok(());
    };
    let mut tally = Tally::new("transfer-cancel");
    let data = pattern(SIZE, 9);
    for server in servers {
        let s3 = server.client();
        let moto = server.name == "moto";
        let bucket = new_bucket(&s3, "tcancel").await;
        let dir = temp_dir("cancel");
        let src = write_file(&dir, "src.bin", &data);
        let tm = slow(&s3);
        let n = server.name;

        // 1. Cancel an upload mid-way with a token.
        let token = CancelToken::new();
        let (ctl, seen) = cancel_after(&token, 5 * MIB);
        let r = tm
            .upload_file(&src, &bucket, "up-cancel", ExtraArgs::new(), ctl)
            .await;
        let mut res = match r {
            Err(TransferError::Cancelled) if seen.load(Ordering::SeqCst) < SIZE as u64 => Ok(()),
            other => Err(format!(
                "expected Cancelled mid-way, got {:?}",
                other.map(|o| o.bytes)
            )),
        };
        if res.is_ok() && moto {
            res = wait_no_uploads(&s3, &bucket).await;
        }
        tally.record(format!("{n}: token cancels an upload"), res);

        // 2. Drop an upload future mid-way.
        let seen = Arc::new(AtomicU64::new(0));
        let s2 = seen.clone();
        let (tm2, src2, b2) = (tm.clone(), src.clone(), bucket.clone());
        let task = tokio::spawn(async move {
            let ctl = TransferControl::new().on_progress(move |n| {
                s2.fetch_add(n, Ordering::SeqCst);
            });
            tm2.upload_file(&src2, &b2, "up-drop", ExtraArgs::new(), ctl)
                .await
        });
        while seen.load(Ordering::SeqCst) == 0 && !task.is_finished() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        task.abort();
        let _ = task.await;
        let mut res = Ok(());
        if moto {
            res = wait_no_uploads(&s3, &bucket).await;
        }
        let exists = s3
            .call(
                "HeadObject",
                boto::params! {"Bucket": (&bucket), "Key": "up-drop"},
            )
            .await
            .is_ok();
        if exists {
            res = Err("the dropped upload completed".into());
        }
        tally.record(format!("{n}: dropping an upload aborts it"), res);

        // 3. A failing stream aborts its multipart upload.
        let r = tm
            .upload_reader(
                FailingReader {
                    left: 12 * MIB as usize,
                },
                &bucket,
                "up-fail",
                ExtraArgs::new(),
                TransferControl::new(),
            )
            .await;
        let mut res = match r {
            Err(TransferError::Io { .. }) => Ok(()),
            other => Err(format!(
                "expected an I/O error, got {:?}",
                other.map(|o| o.bytes)
            )),
        };
        if res.is_ok() && moto {
            res = wait_no_uploads(&s3, &bucket).await;
        }
        tally.record(format!("{n}: a failing stream aborts the upload"), res);

        // 4. Cancel a download mid-way: no file, and an existing file stays intact.
        let fast = TransferManager::new(s3.clone());
        fast.upload_file(
            &src,
            &bucket,
            "obj",
            ExtraArgs::new(),
            TransferControl::new(),
        )
        .await?;
        let dest = dir.join("dest.bin");
        let token = CancelToken::new();
        let (ctl, _) = cancel_after(&token, 3 * MIB);
        let r = tm
            .download_file(&bucket, "obj", &dest, ExtraArgs::new(), ctl)
            .await;
        let res = match r {
            Err(TransferError::Cancelled)
                if !dest.exists() && temps(&dir, "dest.bin").is_empty() =>
            {
                Ok(())
            }
            Err(TransferError::Cancelled) => Err(format!(
                "left behind: {:?} exists={}",
                temps(&dir, "dest.bin"),
                dest.exists()
            )),
            other => Err(format!(
                "expected Cancelled, got {:?}",
                other.map(|o| o.bytes)
            )),
        };
        tally.record(format!("{n}: token cancels a download, no file"), res);
        std::fs::write(&dest, b"previous content")?;
        let token = CancelToken::new();
        let (ctl, _) = cancel_after(&token, 3 * MIB);
        let _ = tm
            .download_file(&bucket, "obj", &dest, ExtraArgs::new(), ctl)
            .await;
        let res =
            if std::fs::read(&dest)? == b"previous content" && temps(&dir, "dest.bin").is_empty() {
                Ok(())
            } else {
                Err("the existing file was touched or a temp file left".into())
            };
        tally.record(
            format!("{n}: cancelled download leaves an existing file intact"),
            res,
        );
        std::fs::remove_file(&dest)?;

        // 5. Drop a download future mid-way.
        let seen = Arc::new(AtomicU64::new(0));
        let s2 = seen.clone();
        let (tm2, b2, d2) = (tm.clone(), bucket.clone(), dest.clone());
        let task = tokio::spawn(async move {
            let ctl = TransferControl::new().on_progress(move |n| {
                s2.fetch_add(n, Ordering::SeqCst);
            });
            tm2.download_file(&b2, "obj", &d2, ExtraArgs::new(), ctl)
                .await
        });
        while seen.load(Ordering::SeqCst) == 0 && !task.is_finished() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        task.abort();
        let _ = task.await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        let res = if !dest.exists() && temps(&dir, "dest.bin").is_empty() {
            Ok(())
        } else {
            Err(format!(
                "left behind: {:?}",
                other_files(&dir, &["src.bin"])
            ))
        };
        tally.record(format!("{n}: dropping a download leaves no file"), res);

        // 6. A missing key: error, no file.
        let miss = dir.join("missing.bin");
        let r = tm
            .download_file(
                &bucket,
                "no-such-key",
                &miss,
                ExtraArgs::new(),
                TransferControl::new(),
            )
            .await;
        let r2 = boto_transfer::get_object_to_file(
            &s3,
            boto::params! {"Bucket": (&bucket), "Key": "no-such-key"},
            &miss,
        )
        .await;
        let res = match (r, r2) {
            (Err(TransferError::Sdk(_)), Err(TransferError::Sdk(_)))
                if other_files(&dir, &["src.bin"]).is_empty() =>
            {
                Ok(())
            }
            (a, b) => Err(format!(
                "expected errors and no file: {:?} {:?} {:?}",
                a.is_ok(),
                b.is_ok(),
                other_files(&dir, &["src.bin"])
            )),
        };
        tally.record(format!("{n}: missing key leaves no file"), res);

        // 7. ExtraArgs outside boto3's lists fail before any request.
        let bad = ExtraArgs::new().set("ContentTypo", "x");
        let e1 = tm
            .upload_file(&src, &bucket, "x", bad.clone(), TransferControl::new())
            .await;
        let e2 = tm
            .download_file(
                &bucket,
                "obj",
                dir.join("x"),
                ExtraArgs::new().set("ContentType", "x"),
                TransferControl::new(),
            )
            .await;
        let e3 = tm
            .copy(
                &boto_transfer::CopySource::new(&bucket, "obj"),
                &bucket,
                "y",
                ExtraArgs::new().set("VersionId", "v"),
                TransferControl::new(),
            )
            .await;
        let res = match (e1, e2, e3) {
            (
                Err(TransferError::InvalidArgument(a)),
                Err(TransferError::InvalidArgument(b)),
                Err(TransferError::InvalidArgument(c)),
            ) if a.contains("'ContentTypo'")
                && a.contains("must be one of: ACL, CacheControl")
                && b.contains("'ContentType'")
                && b.contains("ChecksumMode, VersionId")
                && c.contains("'VersionId'")
                && c.contains("MetadataDirective") =>
            {
                Ok(())
            }
            (a, b, c) => Err(format!("{:?} / {:?} / {:?}", a.err(), b.err(), c.err())),
        };
        tally.record(
            format!("{n}: ExtraArgs errors name the key and the allowed ones"),
            res,
        );

        if moto {
            tally.record(
                format!("{n}: no multipart upload open at the end"),
                wait_no_uploads(&s3, &bucket).await,
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    tally.finish();
    Ok(())
}

/// The blocking twin on plain threads (no runtime of the caller's), several at once.
#[test]
fn blocking_twin() -> TestResult {
    let Some(servers) = servers("blocking_twin") else {
        return Ok(());
    };
    let mut tally = Tally::new("transfer-blocking");
    for server in servers {
        let client = boto::blocking::Client::new(server.client());
        let bucket = boto::blocking::block_on(new_bucket(client.async_client(), "tblocking"))?;
        let dir = temp_dir("blocking");
        let data = pattern(12 * MIB as usize + 3, 5);
        let src = write_file(&dir, "src.bin", &data);
        let btm = boto_transfer::blocking::TransferManager::new(client.clone());
        let threads: Vec<_> = (0..3)
            .map(|i| {
                let (btm, bucket, src, dir, data) = (
                    btm.clone(),
                    bucket.clone(),
                    src.clone(),
                    dir.clone(),
                    data.clone(),
                );
                let client_b = client.clone();
                std::thread::spawn(move || -> Result<(), String> {
                    let key = format!("b{i}");
                    btm.upload_file(
                        &src,
                        &bucket,
                        &key,
                        ExtraArgs::new(),
                        TransferControl::new(),
                    )
                    .map_err(|e| e.to_string())?;
                    let d = dir.join(format!("d{i}"));
                    btm.download_file(&bucket, &key, &d, ExtraArgs::new(), TransferControl::new())
                        .map_err(|e| e.to_string())?;
                    let mut v = Vec::new();
                    btm.download_fileobj(
                        &bucket,
                        &key,
                        &mut v,
                        ExtraArgs::new(),
                        TransferControl::new(),
                    )
                    .map_err(|e| e.to_string())?;
                    let key2 = format!("s{i}");
                    btm.upload_fileobj(
                        std::io::Cursor::new(data.clone()),
                        &bucket,
                        &key2,
                        ExtraArgs::new(),
                        TransferControl::new(),
                    )
                    .map_err(|e| e.to_string())?;
                    let d2 = dir.join(format!("g{i}"));
                    boto_transfer::blocking::get_object_to_file(
                        &client_b,
                        boto::params! {"Bucket": (&bucket), "Key": (&key2)},
                        &d2,
                    )
                    .map_err(|e| e.to_string())?;
                    let ok = std::fs::read(&d).map_err(|e| e.to_string())? == data
                        && v == data
                        && std::fs::read(&d2).map_err(|e| e.to_string())? == data;
                    if ok {
                        Ok(())
                    } else {
                        Err("round trip differs".into())
                    }
                })
            })
            .collect();
        for (i, t) in threads.into_iter().enumerate() {
            let r = t
                .join()
                .map_err(|_| "thread panicked".to_string())
                .and_then(|r| r);
            tally.record(format!("{}: blocking thread {i}", server.name), r);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    tally.finish();
    Ok(())
}
