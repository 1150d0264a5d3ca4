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

use crate::args::{
    Direction, ExtraArgs, ABORT_ARGS, COMPLETE_ARGS, FULL_OBJECT_CHECKSUM_ARGS, UPLOAD_PART_ARGS,
};
use crate::checksum::{self, Algorithm, ChecksumInfo};
use crate::config::{ranges, MAX_PARTS, MAX_PART_SIZE};
use crate::error::{Result, TransferError};
use crate::manager::{opt_str, with, Ctx, TransferManager, TransferOutput};
use crate::progress::TransferControl;
use boto::{RequestBody, Value};
use bytes::{Bytes, BytesMut};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::task::JoinSet;

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

/// One uploaded part.
#[derive(Debug, Clone)]
pub(crate) struct DonePart {
    pub number: u32,
    pub etag: String,
    pub checksum: Option<String>,
    pub len: u64,
}

/// An open multipart upload; dropping it unfinished aborts it in the background.
pub(crate) struct Mpu {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    pub args: ExtraArgs,
    pub algorithm: Option<Algorithm>,
    pub guard: AbortOnDrop,
}

impl Mpu {
    pub async fn create(ctx: &Ctx, bucket: &str, key: &str, args: &ExtraArgs) -> Result<Mpu> {
        let mut blocked: Vec<&str> = FULL_OBJECT_CHECKSUM_ARGS.to_vec();
        blocked.push("MpuObjectSize");
        Self::create_with(ctx, bucket, key, args, args.without(&blocked)).await
    }

    pub async fn create_with(
        ctx: &Ctx,
        bucket: &str,
        key: &str,
        args: &ExtraArgs,
        create_args: boto::Map,
    ) -> Result<Mpu> {
        let params = with(
            create_args,
            vec![("Bucket", bucket.into()), ("Key", key.into())],
        );
        let mut tries = 0u32;
        let resp = ctx
            .retry(|_| {
                tries += 1;
                ctx.call("CreateMultipartUpload", params.clone())
            })
            .await?;
        let upload_id = opt_str(&resp, "UploadId").ok_or_else(|| {
            TransferError::Sdk(boto::Error::response(
                "CreateMultipartUpload returned no UploadId",
            ))
        })?;
        let algorithm = args
            .get("ChecksumAlgorithm")
            .and_then(Value::as_str)
            .and_then(Algorithm::from_name);
        let guard = AbortOnDrop {
            client: Some(ctx.client().clone()),
            params: with(
                args.only(ABORT_ARGS),
                vec![
                    ("Bucket", bucket.into()),
                    ("Key", key.into()),
                    ("UploadId", upload_id.clone().into()),
                ],
            ),
        };
        let retried = tries > 1
            || resp
                .get("ResponseMetadata")
                .get("RetryAttempts")
                .as_i64()
                .is_some_and(|n| n > 0);
        if retried {
            sweep_orphans(ctx, bucket, key, &upload_id, &args.only(ABORT_ARGS)).await;
        }
        Ok(Mpu {
            bucket: bucket.into(),
            key: key.into(),
            upload_id,
            args: args.clone(),
            algorithm,
            guard,
        })
    }

    fn part_task(
        &self,
        ctx: &Ctx,
        number: u32,
        body: RequestBody,
        permit: tokio::sync::OwnedSemaphorePermit,
    ) -> impl std::future::Future<Output = Result<DonePart>> + Send + 'static {
        let ctx = ctx.clone();
        let params = with(
            self.args.only(UPLOAD_PART_ARGS),
            vec![
                ("Bucket", self.bucket.clone().into()),
                ("Key", self.key.clone().into()),
                ("UploadId", self.upload_id.clone().into()),
                ("PartNumber", Value::Integer(i64::from(number))),
            ],
        );
        let member = self.algorithm.map(checksum::member);
        async move {
            let len = body.len();
            ctx.throttle(len).await;
            let resp = ctx
                .retry(|_| {
                    let c = ctx.client().clone();
                    let (p, b) = (params.clone(), body.clone());
                    async move { Ok(c.call_stream("UploadPart", p, Some(b)).await?.value) }
                })
                .await?;
            drop(permit);
            ctx.report(len);
            let etag = opt_str(&resp, "ETag").ok_or_else(|| {
                TransferError::Sdk(boto::Error::response("UploadPart returned no ETag"))
            })?;
            Ok(DonePart {
                number,
                etag,
                checksum: member.and_then(|m| opt_str(&resp, &m)),
                len,
            })
        }
    }

    /// Completes on success (checking the composite checksum) or aborts on failure.
    pub async fn finish(
        mut self,
        ctx: &Ctx,
        result: Result<Vec<DonePart>>,
        size: u64,
    ) -> Result<TransferOutput> {
        let parts = match result {
            Ok(p) => p,
            Err(e) => {
                self.abort(ctx).await;
                return Err(e);
            }
        };
        match self.complete(ctx, parts, size).await {
            Ok(out) => {
                self.guard.disarm();
                Ok(out)
            }
            Err(e) => {
                self.abort(ctx).await;
                Err(e)
            }
        }
    }

    async fn complete(
        &self,
        ctx: &Ctx,
        mut parts: Vec<DonePart>,
        size: u64,
    ) -> Result<TransferOutput> {
        parts.sort_by_key(|p| p.number);
        let member = self.algorithm.map(checksum::member);
        let list: Vec<Value> = parts
            .iter()
            .map(|p| {
                let mut m = boto::Map::new();
                m.insert("ETag".into(), p.etag.clone().into());
                m.insert("PartNumber".into(), Value::Integer(i64::from(p.number)));
                if let (Some(mem), Some(c)) = (&member, &p.checksum) {
                    m.insert(mem.clone(), c.clone().into());
                }
                Value::Map(m)
            })
            .collect();
        let mut mp = boto::Map::new();
        mp.insert("Parts".into(), Value::List(list));
        let params = with(
            self.args.only(COMPLETE_ARGS),
            vec![
                ("Bucket", self.bucket.clone().into()),
                ("Key", self.key.clone().into()),
                ("UploadId", self.upload_id.clone().into()),
                ("MultipartUpload", Value::Map(mp)),
            ],
        );
        ctx.check()?;
        let resp = ctx
            .retry(|_| {
                let c = ctx.client().clone();
                let p = params.clone();
                // Not cancellable once sent: a half-sent Complete is resolved by the abort.
                async move { Ok(c.call("CompleteMultipartUpload", p).await?) }
            })
            .await?;
        let mut info = checksum::from_response(&resp).map(|(a, value, ty)| ChecksumInfo {
            algorithm: a.name().to_ascii_uppercase(),
            value,
            checksum_type: ty,
            verified: false,
            note: None,
        });
        if let (Some(i), Some(a)) = (&mut info, self.algorithm) {
            let sums: Option<Vec<String>> = parts.iter().map(|p| p.checksum.clone()).collect();
            match (
                i.value.contains('-'),
                sums.and_then(|s| checksum::composite(a, &s)),
            ) {
                (true, Some(want)) if checksum::same(&want, &i.value) => i.verified = true,
                (true, Some(want)) => {
                    return Err(TransferError::Integrity(format!(
                        "S3 reports composite checksum {} for s3://{}/{}, the parts give {want}",
                        i.value, self.bucket, self.key
                    )))
                }
                _ => {
                    i.verified = true;
                    i.note = Some("parts checked by S3; full-object value not recomputed".into())
                }
            }
        }
        Ok(TransferOutput {
            bytes: size,
            etag: opt_str(&resp, "ETag"),
            version_id: opt_str(&resp, "VersionId"),
            checksum: info,
            parts: parts.len(),
            response: resp,
        })
    }

    async fn abort(&mut self, ctx: &Ctx) {
        let params = self.guard.params.clone();
        let c = ctx.client().clone();
        // Not cancellable: the abort is the cleanup of a cancellation.
        for _ in 0..3 {
            match c.call("AbortMultipartUpload", params.clone()).await {
                Ok(_) => break,
                Err(e) if e.is_code("NoSuchUpload") => break,
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
            }
        }
        self.guard.disarm();
    }
}

/// CreateMultipartUpload is not idempotent: when an attempt failed after the
/// server acted (a reset after forwarding, a lost response) and was retried,
/// the first attempt's upload is orphaned. After a retried create, uploads of
/// the same key that the server initiated up to two minutes before ours (by
/// the server's own clock, so client skew does not matter) are aborted.
/// Best effort: errors (no ListMultipartUploads permission, servers without
/// it) are ignored.
async fn sweep_orphans(ctx: &Ctx, bucket: &str, key: &str, ours: &str, extra: &boto::Map) {
    let params = with(
        extra.clone(),
        vec![("Bucket", bucket.into()), ("Prefix", key.into())],
    );
    let Ok(list) = ctx.client().call("ListMultipartUploads", params).await else {
        return;
    };
    let uploads = list.get("Uploads").as_list().unwrap_or_default();
    let initiated = |u: &Value| u.get("Initiated").as_timestamp().map(|t| t.epoch_secs());
    let Some(mine) = uploads
        .iter()
        .find(|u| u.get("UploadId").as_str() == Some(ours))
        .and_then(initiated)
    else {
        return;
    };
    for u in uploads {
        let (Some(k), Some(id)) = (u.get("Key").as_str(), u.get("UploadId").as_str()) else {
            continue;
        };
        let close = initiated(u).is_some_and(|t| t <= mine && t >= mine - 120);
        if k == key && id != ours && close {
            let p = with(
                extra.clone(),
                vec![
                    ("Bucket", bucket.into()),
                    ("Key", key.into()),
                    ("UploadId", id.into()),
                ],
            );
            let _ = ctx.client().call("AbortMultipartUpload", p).await;
        }
    }
}

/// Aborts the multipart upload from a background task if dropped armed.
pub(crate) struct AbortOnDrop {
    client: Option<boto::Client>,
    params: Value,
}

impl AbortOnDrop {
    fn disarm(&mut self) {
        self.client = None;
    }
}

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        let Some(client) = self.client.take() else {
            return;
        };
        let params = std::mem::take(&mut self.params);
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(async move {
                for _ in 0..3 {
                    match client.call("AbortMultipartUpload", params.clone()).await {
                        Ok(_) => break,
                        Err(e) if e.is_code("NoSuchUpload") => break,
                        Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
                    }
                }
            });
        }
    }
}

/// The part tasks of one multipart upload or copy.
pub(crate) struct Parts {
    set: JoinSet<Result<DonePart>>,
    done: Vec<DonePart>,
}

impl Parts {
    pub fn new() -> Self {
        Parts {
            set: JoinSet::new(),
            done: Vec::new(),
        }
    }
    pub fn spawn(
        &mut self,
        f: impl std::future::Future<Output = Result<DonePart>> + Send + 'static,
    ) {
        self.set.spawn(f);
    }
    /// Collects the parts finished so far; the first error stops the transfer
    /// (dropping `self` aborts the other part tasks).
    pub fn reap(&mut self) -> Result<()> {
        while let Some(r) = self.set.try_join_next() {
            self.done.push(flatten(r)?);
        }
        Ok(())
    }
    /// Waits for every part.
    pub async fn finish(mut self) -> Result<Vec<DonePart>> {
        while let Some(r) = self.set.join_next().await {
            self.done.push(flatten(r)?);
        }
        Ok(self.done)
    }
}

fn flatten(r: std::result::Result<Result<DonePart>, tokio::task::JoinError>) -> Result<DonePart> {
    match r {
        Ok(x) => x,
        Err(e) if e.is_cancelled() => Err(TransferError::Cancelled),
        Err(e) => Err(TransferError::invalid(format!("a part task panicked: {e}"))),
    }
}
