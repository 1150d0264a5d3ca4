//! The S3 work behind one file's transfer, done by boto-transfer's
//! [`TransferManager`]: multipart uploads and copies above the threshold,
//! ranged parallel downloads, checksums, retries of parts and truncated
//! bodies, and downloads that appear only when complete.
//!
//! This is the part of aws-cli's `S3TransferHandler` (`s3handler.py`) that
//! hands work to s3transfer. Objects below the multipart threshold are
//! fetched with one GetObject ([`get_object_to_file`], which resumes and
//! verifies like `download_file` but skips its HeadObject: the listing
//! already gave the size). Downloaded files get the object's LastModified as
//! their modification time, as aws-cli does and sync relies on.

use super::config::TransferSettings;
use boto::{Map, Value};
use boto_transfer::{
    get_object_to_file, CancelToken, CopySource, ExtraArgs, TransferConfig, TransferControl,
    TransferManager, MAX_PARTS,
};
use std::path::Path;
use std::sync::Arc;

/// Reports bytes as they are transferred.
pub type Progress = Arc<dyn Fn(u64) + Send + Sync>;

/// The transfer manager of one command.
#[derive(Clone)]
pub struct Backend {
    tm: TransferManager,
    client: boto::Client,
    threshold: u64,
    limited: bool,
    /// Cancelled on Ctrl-C: transfers stop, multipart uploads are aborted,
    /// temporary files removed.
    cancel: CancelToken,
}

fn config(s: &TransferSettings) -> TransferConfig {
    TransferConfig {
        multipart_threshold: s.multipart_threshold,
        multipart_chunksize: s.multipart_chunksize,
        max_concurrency: s.max_concurrent_requests.clamp(1, 10_000) as usize,
        max_bandwidth: s.max_bandwidth,
        ..TransferConfig::default()
    }
}

fn extra_args(extra: &Map) -> Result<ExtraArgs, String> {
    ExtraArgs::from_value(Value::Map(extra.clone())).map_err(|e| e.to_string())
}

/// Sets a downloaded file's modification time to the object's LastModified.
fn set_mtime(path: &Path, response: &Value) {
    if let Some(t) = response.get("LastModified").as_timestamp() {
        let us = super::walk::ts_us_of(&t).max(0) as u64;
        let when = std::time::UNIX_EPOCH + std::time::Duration::from_micros(us);
        if let Ok(f) = std::fs::File::options().write(true).open(path) {
            let _ = f.set_modified(when);
        }
    }
}

impl Backend {
    fn ctl(&self, progress: Progress) -> TransferControl {
        TransferControl::new()
            .progress_fn(progress)
            .cancel_token(self.cancel.clone())
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.is_cancelled()
    }

    pub fn new(
        client: &boto::Client,
        s: &TransferSettings,
        cancel: CancelToken,
    ) -> Result<Backend, String> {
        let tm =
            TransferManager::with_config(client.clone(), config(s)).map_err(|e| e.to_string())?;
        Ok(Backend {
            tm,
            client: client.clone(),
            threshold: s.multipart_threshold,
            limited: s.max_bandwidth.is_some(),
            cancel,
        })
    }

    pub async fn upload(
        &self,
        src: &str,
        (bucket, key): (&str, &str),
        extra: &Map,
        progress: Progress,
    ) -> Result<(), String> {
        self.tm
            .upload_file(src, bucket, key, extra_args(extra)?, self.ctl(progress))
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    pub async fn download(
        &self,
        (bucket, key): (&str, &str),
        dest: &str,
        size: u64,
        extra: &Map,
        progress: Progress,
    ) -> Result<(), String> {
        let dest = Path::new(dest);
        if let Some(dir) = dest.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(|e| format!("Could not create directory {}: {e}", dir.display()))?;
        }
        let response = if size < self.threshold && !self.limited {
            let mut p = extra.clone();
            p.insert("Bucket", bucket.into());
            p.insert("Key", key.into());
            p.insert("ChecksumMode", "ENABLED".into());
            let (v, n) = get_object_to_file(&self.client, Value::Map(p), dest)
                .await
                .map_err(|e| e.to_string())?;
            progress(n);
            v
        } else {
            self.tm
                .download_file(bucket, key, dest, extra_args(extra)?, self.ctl(progress))
                .await
                .map_err(|e| e.to_string())?
                .response
        };
        set_mtime(dest, &response);
        Ok(())
    }

    pub async fn copy(
        &self,
        (src_bucket, src_key): (&str, &str),
        (bucket, key): (&str, &str),
        extra: &Map,
        progress: Progress,
    ) -> Result<(), String> {
        let source = CopySource::new(src_bucket, src_key);
        self.tm
            .copy(&source, bucket, key, extra_args(extra)?, self.ctl(progress))
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    pub fn client(&self) -> &boto::Client {
        &self.client
    }

    pub async fn delete(&self, (bucket, key): (&str, &str), extra: &Map) -> Result<(), String> {
        let mut p = extra.clone();
        p.insert("Bucket", bucket.into());
        p.insert("Key", key.into());
        self.client
            .call("DeleteObject", Value::Map(p))
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    /// `cp - s3://b/k`: stdin to an object (multipart when it is large).
    /// `--expected-size` raises the part size so the stream fits in 10,000 parts.
    pub async fn upload_stdin(
        &self,
        s: &TransferSettings,
        (bucket, key): (&str, &str),
        expected_size: Option<u64>,
        extra: &Map,
    ) -> Result<(), String> {
        let mut cfg = config(s);
        if let Some(n) = expected_size {
            cfg.multipart_chunksize = cfg.multipart_chunksize.max(n.div_ceil(MAX_PARTS));
        }
        let tm =
            TransferManager::with_config(self.client.clone(), cfg).map_err(|e| e.to_string())?;
        tm.upload_reader(
            tokio::io::stdin(),
            bucket,
            key,
            extra_args(extra)?,
            self.ctl(Arc::new(|_| {})),
        )
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
    }

    /// `cp s3://b/k -`: an object to stdout.
    pub async fn download_stdout(
        &self,
        (bucket, key): (&str, &str),
        extra: &Map,
    ) -> Result<(), String> {
        let mut out = tokio::io::stdout();
        let r = self
            .tm
            .download_writer(
                bucket,
                key,
                &mut out,
                extra_args(extra)?,
                TransferControl::new(),
            )
            .await;
        let _ = tokio::io::AsyncWriteExt::flush(&mut out).await;
        r.map(|_| ()).map_err(|e| e.to_string())
    }
}
