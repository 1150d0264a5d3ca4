//! The blocking twin of [`crate::TransferManager`] (boto3's transfer methods
//! are synchronous; this is what a plain-threads program or the CLI's
//! synchronous parts use). Calls run on boto's shared background runtime
//! (`boto::blocking`); readers and writers are plain `std::io` types, read
//! and written on the calling thread.

use crate::args::ExtraArgs;
use crate::config::TransferConfig;
use crate::copy::CopySource;
use crate::error::{Result, TransferError};
use crate::manager::TransferOutput;
use crate::progress::TransferControl;
use std::io::{Read, Write};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A blocking transfer manager; `Clone + Send + Sync`, share it between threads.
#[derive(Clone, Debug)]
pub struct TransferManager {
    inner: crate::TransferManager,
}

fn run<T>(f: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    boto::blocking::block_on(f).map_err(TransferError::Sdk)?
}

impl TransferManager {
    /// A manager with boto3's default settings.
    pub fn new(client: boto::blocking::Client) -> Self {
        TransferManager {
            inner: crate::TransferManager::new(client.async_client().clone()),
        }
    }
    /// A manager with these settings; invalid settings (a zero part size, ...) are an error.
    pub fn with_config(client: boto::blocking::Client, config: TransferConfig) -> Result<Self> {
        Ok(TransferManager {
            inner: crate::TransferManager::with_config(client.async_client().clone(), config)?,
        })
    }
    /// The async manager underneath.
    pub fn async_manager(&self) -> &crate::TransferManager {
        &self.inner
    }

    /// See [`crate::TransferManager::upload_file`].
    pub fn upload_file(
        &self,
        path: impl AsRef<Path>,
        bucket: &str,
        key: &str,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput> {
        run(self.inner.upload_file(path, bucket, key, args, ctl))
    }

    /// Uploads everything a `std::io::Read` yields (boto3's `upload_fileobj`).
    pub fn upload_fileobj<R: Read + Send + Unpin>(
        &self,
        reader: R,
        bucket: &str,
        key: &str,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput> {
        run(self
            .inner
            .upload_reader(SyncIo(reader), bucket, key, args, ctl))
    }

    /// See [`crate::TransferManager::download_file`].
    pub fn download_file(
        &self,
        bucket: &str,
        key: &str,
        path: impl AsRef<Path>,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput> {
        run(self.inner.download_file(bucket, key, path, args, ctl))
    }

    /// Downloads into a `std::io::Write` (boto3's `download_fileobj`).
    pub fn download_fileobj<W: Write + Send + Unpin>(
        &self,
        bucket: &str,
        key: &str,
        writer: W,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput> {
        let mut w = SyncIo(writer);
        run(self.inner.download_writer(bucket, key, &mut w, args, ctl))
    }

    /// See [`crate::TransferManager::copy`].
    pub fn copy(
        &self,
        source: &CopySource,
        bucket: &str,
        key: &str,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput> {
        run(self.inner.copy(source, bucket, key, args, ctl))
    }
}

/// [`crate::get_object_to_file`] for synchronous code.
pub fn get_object_to_file(
    client: &boto::blocking::Client,
    params: boto::Value,
    path: impl AsRef<Path>,
) -> Result<(boto::Value, u64)> {
    run(crate::get_object_to_file(
        client.async_client(),
        params,
        path,
    ))
}

/// A std reader/writer driven from the future that `block_on` runs on the
/// calling thread (not a runtime worker), so blocking in `poll_*` is fine.
struct SyncIo<T>(T);

impl<R: Read + Unpin> tokio::io::AsyncRead for SyncIo<R> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let n = self.0.read(buf.initialize_unfilled())?;
        buf.advance(n);
        Poll::Ready(Ok(()))
    }
}

impl<W: Write + Unpin> tokio::io::AsyncWrite for SyncIo<W> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Poll::Ready(self.0.write(buf))
    }
    fn poll_flush(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(self.0.flush())
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Poll::Ready(self.0.flush())
    }
}
