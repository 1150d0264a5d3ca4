//! The temporary file a download is written to: created next to the
//! destination (same file system, so the final rename is atomic) as
//! `<name>.<8 hex>` like s3transfer's `DownloadFilenameOutputManager`,
//! synced and renamed over the destination only when complete, removed on
//! any error, cancellation or drop.

use crate::error::{Result, TransferError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A temporary file next to the destination, removed unless persisted.
pub(crate) struct TempFile {
    pub path: PathBuf,
    pub file: Arc<std::fs::File>,
    keep: bool,
}

impl TempFile {
    pub async fn create(dest: &Path) -> Result<TempFile> {
        let dest = dest.to_path_buf();
        tokio::task::spawn_blocking(move || {
            let name = dest.file_name().ok_or_else(|| {
                TransferError::invalid(format!("{} is not a file path", dest.display()))
            })?;
            for _ in 0..16 {
                let mut tmp_name = name.to_os_string();
                tmp_name.push(format!(".{:08x}", random_u32()));
                let path = dest.with_file_name(tmp_name);
                match std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create_new(true)
                    .open(&path)
                {
                    Ok(f) => {
                        return Ok(TempFile {
                            path,
                            file: Arc::new(f),
                            keep: false,
                        })
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                    Err(e) => return Err(TransferError::io_path("create", &path, e)),
                }
            }
            Err(TransferError::invalid("cannot pick a temporary file name"))
        })
        .await
        .map_err(join_err)?
    }

    /// fsync, then rename over `dest` (and sync the directory).
    pub async fn persist(mut self, dest: &Path) -> Result<()> {
        let (file, from, to) = (self.file.clone(), self.path.clone(), dest.to_path_buf());
        tokio::task::spawn_blocking(move || {
            file.sync_all()
                .map_err(|e| TransferError::io_path("sync", &from, e))?;
            std::fs::rename(&from, &to)
                .map_err(|e| TransferError::io_path("rename into", &to, e))?;
            if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty()) {
                if let Ok(d) = std::fs::File::open(dir) {
                    let _ = d.sync_all();
                }
            }
            Ok::<(), TransferError>(())
        })
        .await
        .map_err(join_err)??;
        self.keep = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn random_u32() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish() as u32
}

pub(crate) fn join_err(e: tokio::task::JoinError) -> TransferError {
    if e.is_cancelled() {
        TransferError::Cancelled
    } else {
        TransferError::invalid(format!("a transfer task panicked: {e}"))
    }
}

/// Aborts a spawned task when dropped.
pub(crate) struct AbortOnDrop<T>(pub tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}
