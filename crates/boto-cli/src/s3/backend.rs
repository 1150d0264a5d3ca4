//! The S3 calls behind one file's transfer: upload, download, copy, delete,
//! and the `-` streams.
//!
//! This is the part of aws-cli's `S3TransferHandler` that hands work to
//! s3transfer. Downloads are written to a temporary file next to the target
//! and renamed into place only when complete, so an interrupted command never
//! leaves a half-written file; the file gets the object's LastModified as its
//! modification time (aws-cli does the same, and sync relies on it).

use crate::s3::walk::ts_us_of;
use boto::{params, Map, RequestBody, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Reports bytes as they are transferred.
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

fn err(e: boto::Error) -> String {
    e.to_string()
}

fn with(base: &Map, pairs: Vec<(&str, Value)>) -> Value {
    let mut m = base.clone();
    for (k, v) in pairs {
        m.insert(k.to_string(), v);
    }
    Value::Map(m)
}

/// A temporary file removed on drop unless it was persisted.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn temp_path(dest: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let short: String = name.chars().take(64).collect();
    dest.with_file_name(format!(
        ".{short}.boto-{}-{}.tmp",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

pub async fn upload(
    client: &boto::Client,
    src: &str,
    bucket: &str,
    key: &str,
    extra: &Map,
    progress: Progress,
) -> Result<(), String> {
    let len = std::fs::metadata(src)
        .map_err(|e| format!("[Errno {}] {e}: '{src}'", e.raw_os_error().unwrap_or(0)))?
        .len();
    let body = RequestBody::File {
        path: src.into(),
        offset: 0,
        len,
    };
    let p = with(extra, vec![("Bucket", bucket.into()), ("Key", key.into())]);
    client
        .call_stream("PutObject", p, Some(body))
        .await
        .map_err(err)?;
    progress(len);
    Ok(())
}

pub async fn download(
    client: &boto::Client,
    bucket: &str,
    key: &str,
    dest: &str,
    extra: &Map,
    progress: Progress,
) -> Result<(), String> {
    let dest = Path::new(dest);
    if let Some(dir) = dest.parent() {
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| format!("Could not create directory {}: {e}", dir.display()))?;
    }
    let p = with(extra, vec![("Bucket", bucket.into()), ("Key", key.into())]);
    let out = client
        .call_stream("GetObject", p, None)
        .await
        .map_err(err)?;
    let mtime = out.value.get("LastModified").as_timestamp();
    let tmp = TempFile {
        path: temp_path(dest),
        keep: false,
    };
    let io = |e: std::io::Error| {
        format!(
            "[Errno {}] {e}: '{}'",
            e.raw_os_error().unwrap_or(0),
            dest.display()
        )
    };
    let mut f = std::io::BufWriter::with_capacity(
        256 * 1024,
        std::fs::File::create(&tmp.path).map_err(io)?,
    );
    if let Some(mut body) = out.body {
        while let Some(chunk) = body.next_chunk().await.map_err(err)? {
            f.write_all(&chunk).map_err(io)?;
            progress(chunk.len() as u64);
        }
    }
    let file = f.into_inner().map_err(|e| io(e.into_error()))?;
    if let Some(t) = mtime {
        let when =
            std::time::UNIX_EPOCH + std::time::Duration::from_micros(ts_us_of(&t).max(0) as u64);
        let _ = file.set_modified(when);
    }
    drop(file);
    std::fs::rename(&tmp.path, dest).map_err(io)?;
    let mut tmp = tmp;
    tmp.keep = true;
    Ok(())
}

pub async fn copy(
    client: &boto::Client,
    (src_bucket, src_key): (&str, &str),
    bucket: &str,
    key: &str,
    extra: &Map,
    size: u64,
    progress: Progress,
) -> Result<(), String> {
    let p = with(
        extra,
        vec![
            ("Bucket", bucket.into()),
            ("Key", key.into()),
            ("CopySource", params! {"Bucket": src_bucket, "Key": src_key}),
        ],
    );
    client.call("CopyObject", p).await.map_err(err)?;
    progress(size);
    Ok(())
}

pub async fn delete(
    client: &boto::Client,
    bucket: &str,
    key: &str,
    extra: &Map,
) -> Result<(), String> {
    let p = with(extra, vec![("Bucket", bucket.into()), ("Key", key.into())]);
    client.call("DeleteObject", p).await.map_err(err)?;
    Ok(())
}

/// `cp - s3://b/k`: stdin to an object.
pub async fn upload_stdin(
    client: &boto::Client,
    bucket: &str,
    key: &str,
    extra: &Map,
    progress: Progress,
) -> Result<(), String> {
    let data = tokio::task::spawn_blocking(|| {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf).map(|_| buf)
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| e.to_string())?;
    let n = data.len() as u64;
    let p = with(
        extra,
        vec![
            ("Bucket", bucket.into()),
            ("Key", key.into()),
            ("Body", Value::blob(data)),
        ],
    );
    client.call("PutObject", p).await.map_err(err)?;
    progress(n);
    Ok(())
}

/// `cp s3://b/k -`: an object to stdout.
pub async fn download_stdout(
    client: &boto::Client,
    bucket: &str,
    key: &str,
    extra: &Map,
) -> Result<(), String> {
    let p = with(extra, vec![("Bucket", bucket.into()), ("Key", key.into())]);
    let out = client
        .call_stream("GetObject", p, None)
        .await
        .map_err(err)?;
    if let Some(mut body) = out.body {
        while let Some(chunk) = body.next_chunk().await.map_err(err)? {
            let mut o = std::io::stdout().lock();
            if o.write_all(&chunk).is_err() {
                // A closed pipe (`| head`) ends the copy quietly.
                return Ok(());
            }
        }
    }
    let _ = std::io::stdout().lock().flush();
    Ok(())
}
