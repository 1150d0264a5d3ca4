//! Uploads: s3transfer's `upload.py` (`UploadSubmissionTask`,
//! `PutObjectTask`, `UploadPartTask`, `CompleteMultipartUploadTask`, the
//! filename/seekable/non-seekable input managers).
//!
//! * A file below `multipart_threshold` is one PutObject whose body is the
//!   file itself (streamed from disk, resent on retry); above it, a multipart
//!   upload whose parts are file regions, so no part is held in memory.
//! * A reader (any `AsyncRead`, length unknown) is read part by part into
//!   buffers; a permit of the manager's semaphore is taken before each buffer
//!   is filled, so at most `max_concurrency` buffers exist at once.
//! * Checksums as botocore 1.43 does them: with `request_checksum_calculation
//!   = when_supported` the upload defaults to `ChecksumAlgorithm=CRC32`
//!   (s3transfer's `set_default_checksum_algorithm`), every part carries its
//!   CRC32 (computed by the runtime's checksum interceptor, checked by S3),
//!   the parts' checksums go into CompleteMultipartUpload, and the composite
//!   checksum S3 answers with is recomputed here and compared.
//! * Any failure or cancellation aborts the multipart upload; so does
//!   dropping the future (a guard spawns AbortMultipartUpload).

use crate::args::{Direction, ExtraArgs};
use crate::checksum::{self, ChecksumInfo};
use crate::config::{ranges, MAX_PARTS, MAX_PART_SIZE};
use crate::error::{Result, TransferError};
use crate::manager::{opt_str, with, BoxFuture, Ctx, TransferManager, TransferOutput};
use crate::mpu::{Mpu, Parts};
use crate::progress::TransferControl;
use boto::RequestBody;
use bytes::{Bytes, BytesMut};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt};

impl TransferManager {
    /// Uploads a local file (boto3's `upload_file`).
    pub async fn upload_file(
        &self,
        path: impl AsRef<Path>,
        bucket: &str,
        key: &str,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput> {
        let path = path.as_ref().to_path_buf();
        self.upload_file_boxed(path, bucket, key, args, ctl).await
    }

    /// [`TransferManager::upload_file`], boxed (see `manager.rs` on `BoxFuture`).
    #[inline(never)]
    fn upload_file_boxed<'a>(
        &'a self,
        path: PathBuf,
        bucket: &'a str,
        key: &'a str,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> BoxFuture<'a, Result<TransferOutput>> {
        Box::pin(self.upload_file_unboxed(path, bucket, key, args, ctl))
    }

    async fn upload_file_unboxed(
        &self,
        path: PathBuf,
        bucket: &str,
        key: &str,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput> {
        let args = prepare_args(self, args)?;
        let ctx = Ctx::new(self, &ctl);
        ctx.check()?;
        let meta = tokio::fs::metadata(&path)
            .await
            .map_err(|e| TransferError::io_path("read", &path, e))?;
        if !meta.is_file() {
            return Err(TransferError::invalid(format!(
                "{} is not a regular file",
                path.display()
            )));
        }
        let size = meta.len();
        if size < self.config().multipart_threshold {
            return put_object(
                &ctx,
                bucket,
                key,
                &args,
                RequestBody::File {
                    path,
                    offset: 0,
                    len: size,
                },
            )
            .await;
        }
        let part = self.config().part_size(Some(size));
        let mpu = Mpu::create(&ctx, bucket, key, &args).await?;
        let src = Source::File(Arc::new(path));
        let result = async {
            let mut parts = Parts::new();
            for (i, (off, len)) in ranges(size, part).into_iter().enumerate() {
                let permit = ctx.permit().await?;
                let body = src.body(off, len);
                parts.spawn(mpu.part_task(&ctx, i as u32 + 1, body, permit));
                parts.reap()?;
            }
            parts.finish().await
        }
        .await;
        mpu.finish(&ctx, result, size).await
    }

    #[doc(alias = "upload_fileobj")]
    /// Uploads everything `reader` yields (boto3's `upload_fileobj`; the
    /// length need not be known). Memory stays below `max_concurrency` part buffers.
    pub async fn upload_reader<R>(
        &self,
        mut reader: R,
        bucket: &str,
        key: &str,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput>
    where
        R: AsyncRead + Unpin + Send,
    {
        let args = prepare_args(self, args)?;
        let ctx = Ctx::new(self, &ctl);
        let threshold = self.config().multipart_threshold.min(MAX_PART_SIZE) as usize;
        let part = self.config().part_size(None) as usize;
        // The first read decides: below the threshold it is one PutObject.
        let permit = ctx.permit().await?;
        let first = ctx.guard(fill(&mut reader, threshold)).await?;
        if first.len() < threshold {
            drop(permit);
            return put_object(&ctx, bucket, key, &args, RequestBody::Bytes(first)).await;
        }
        let mpu = Mpu::create(&ctx, bucket, key, &args).await?;
        let result = async {
            let mut parts = Parts::new();
            let mut number = 0u32;
            let mut carry = first;
            let mut carry_permit = Some(permit);
            let mut spawn = |parts: &mut Parts, body: Bytes, p| -> Result<()> {
                number += 1;
                if u64::from(number) > MAX_PARTS {
                    return Err(TransferError::invalid(format!(
                        "the stream is longer than {MAX_PARTS} parts of {part} bytes; raise multipart_chunksize"
                    )));
                }
                parts.spawn(mpu.part_task(&ctx, number, RequestBody::Bytes(body), p));
                Ok(())
            };
            loop {
                while carry.len() >= part {
                    let body = carry.split_to(part);
                    let p = match carry_permit.take() {
                        Some(p) => p,
                        None => ctx.permit().await?,
                    };
                    spawn(&mut parts, body, p)?;
                    parts.reap()?;
                }
                let p = match carry_permit.take() {
                    Some(p) => p,
                    None => ctx.permit().await?,
                };
                let need = part - carry.len();
                let more = ctx.guard(fill(&mut reader, need)).await?;
                let eof = more.len() < need;
                let body = if carry.is_empty() {
                    more
                } else {
                    let mut joined = BytesMut::with_capacity(carry.len() + more.len());
                    joined.extend_from_slice(&carry);
                    joined.extend_from_slice(&more);
                    carry = Bytes::new();
                    joined.freeze()
                };
                if !body.is_empty() {
                    spawn(&mut parts, body, p)?;
                    parts.reap()?;
                }
                if eof {
                    break;
                }
            }
            parts.finish().await
        }
        .await;
        let size = match &result {
            Ok(parts) => parts.iter().map(|p| p.len).sum(),
            Err(_) => 0,
        };
        mpu.finish(&ctx, result, size).await
    }
}

/// Reads until `n` bytes or the end of the stream.
async fn fill<R: AsyncRead + Unpin>(reader: &mut R, n: usize) -> Result<Bytes> {
    let mut buf = BytesMut::with_capacity(n);
    while buf.len() < n {
        let before = buf.len();
        let mut limited = (&mut *reader).take((n - before) as u64);
        let got = limited
            .read_buf(&mut buf)
            .await
            .map_err(|e| TransferError::io("cannot read the upload stream", e))?;
        if got == 0 {
            break;
        }
    }
    Ok(buf.freeze())
}

/// Validates ExtraArgs and applies the defaults s3transfer adds.
fn prepare_args(tm: &TransferManager, mut args: ExtraArgs) -> Result<ExtraArgs> {
    args.validate(Direction::Upload)?;
    if let Some((member, _)) = args.full_object_checksum() {
        // s3transfer: a caller-supplied full-object checksum makes the upload FULL_OBJECT.
        let algo = member.trim_start_matches("Checksum").to_string();
        args.insert("ChecksumType", "FULL_OBJECT");
        args.insert("ChecksumAlgorithm", algo);
    } else if tm.client().config().request_checksum_calculation
        == boto::core::auth::config::ChecksumMode::WhenSupported
        && !args.contains("ChecksumAlgorithm")
    {
        args.insert("ChecksumAlgorithm", "CRC32");
    }
    Ok(args)
}

async fn put_object(
    ctx: &Ctx,
    bucket: &str,
    key: &str,
    args: &ExtraArgs,
    body: RequestBody,
) -> Result<TransferOutput> {
    let size = body.len();
    let mut base = args.without(&["ChecksumType", "MpuObjectSize"]);
    if args.full_object_checksum().is_some() {
        base.shift_remove("ChecksumAlgorithm");
    }
    let params = with(base, vec![("Bucket", bucket.into()), ("Key", key.into())]);
    let permit = ctx.permit().await?;
    ctx.throttle(size).await;
    let resp = ctx
        .retry(|_| {
            let c = ctx.client().clone();
            let (p, b) = (params.clone(), body.clone());
            async move {
                let out = c.call_stream("PutObject", p, Some(b)).await?;
                Ok(out.value)
            }
        })
        .await?;
    drop(permit);
    ctx.report(size);
    let checksum = checksum::from_response(&resp).map(|(a, value, ty)| ChecksumInfo {
        algorithm: a.name().to_ascii_uppercase(),
        value,
        checksum_type: ty,
        verified: true,
        note: Some("checked by S3 against the checksum sent with the body".into()),
    });
    Ok(TransferOutput {
        bytes: size,
        etag: opt_str(&resp, "ETag"),
        version_id: opt_str(&resp, "VersionId"),
        checksum,
        parts: 0,
        response: resp,
    })
}

/// Where part bodies come from.
enum Source {
    File(Arc<PathBuf>),
}

impl Source {
    fn body(&self, offset: u64, len: u64) -> RequestBody {
        match self {
            Source::File(p) => RequestBody::File {
                path: p.as_ref().clone(),
                offset,
                len,
            },
        }
    }
}
