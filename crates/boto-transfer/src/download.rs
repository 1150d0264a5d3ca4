//! Downloads: s3transfer's `download.py` (`DownloadSubmissionTask`,
//! `GetObjectTask`, `DownloadFilenameOutputManager`, `DeferQueue`).
//!
//! * HeadObject (with `ChecksumMode=ENABLED`) gives size, ETag and checksum.
//!   Below `multipart_threshold` one GetObject, above it ranges of
//!   `multipart_chunksize` fetched in parallel (one permit each) and written
//!   into place with positional writes; memory per range is one ~1 MiB
//!   write buffer, whatever the object size.
//! * Every GetObject carries `If-Match: <ETag>`, so an object replaced
//!   mid-download fails instead of mixing versions; a truncated or failed
//!   body resumes where it stopped (`Range: bytes=<done>-<end>`).
//! * A full-object checksum is verified: CRCs by combining the ranges' CRCs
//!   (no second read), digests by hashing the finished file. Composite
//!   (multipart) checksums cannot be checked from ranges whose boundaries
//!   differ from the parts', so they are reported unverified with a note.
//! * The data goes to `<name>.<random>` in the target directory, is synced,
//!   and renamed over the target only when complete and verified; on any
//!   error, cancellation or drop the temporary file is removed.
//!
//! [`get_object_to_file`] applies the same resume-and-verify loop to one
//! GetObject call with caller-chosen parameters (the CLI's `s3api get-object`).

use crate::args::{Direction, ExtraArgs};
use crate::checksum::{self, Algorithm, ChecksumInfo};
use crate::config::ranges;
use crate::error::{Result, TransferError};
use crate::fetch::{fetch, full_object_checksum, is_multipart_etag, Job, Sink, FLUSH};
use crate::manager::{opt_str, with, BoxFuture, Ctx, TransferManager, TransferOutput};
use crate::progress::TransferControl;
use crate::tempfile::{join_err, AbortOnDrop, TempFile};
use base64::Engine;
use boto::Value;
use bytes::{Bytes, BytesMut};
use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::sync::OwnedSemaphorePermit;
use tokio::task::JoinSet;

/// A range fetched into memory and its digest.
type MemRange = (Bytes, Option<Vec<u8>>);

impl TransferManager {
    /// Downloads an object to a local file (boto3's `download_file`). The file
    /// appears only when complete (and verified when the object has a
    /// full-object checksum); an existing file is replaced atomically.
    pub async fn download_file(
        &self,
        bucket: &str,
        key: &str,
        path: impl AsRef<Path>,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput> {
        let dest = path.as_ref().to_path_buf();
        self.download_file_boxed(bucket, key, dest, args, ctl).await
    }

    /// [`TransferManager::download_file`], boxed (see `manager.rs` on `BoxFuture`).
    #[inline(never)]
    fn download_file_boxed<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        dest: PathBuf,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> BoxFuture<'a, Result<TransferOutput>> {
        Box::pin(self.download_file_unboxed(bucket, key, dest, args, ctl))
    }

    async fn download_file_unboxed(
        &self,
        bucket: &str,
        key: &str,
        dest: PathBuf,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput> {
        args.validate(Direction::Download)?;
        let ctx = Ctx::new(self, &ctl);
        // One GetObject instead of s3transfer's HeadObject + GetObject: its
        // headers give size, ETag and checksum, its body is the whole object
        // (below the threshold) or the first range (the rest is dropped).
        let base = get_params(bucket, key, &args);
        let permit = ctx.permit().await?;
        let probe = ctx
            .retry(|_| {
                let (c, p) = (ctx.client().clone(), base.clone());
                async move { Ok(c.call_stream("GetObject", p, None).await?) }
            })
            .await?;
        let obj = object_info(probe.value.clone());
        let temp = TempFile::create(&dest).await?;
        let file = temp.file.clone();
        let size = obj.size;
        tokio::task::spawn_blocking({
            let f = file.clone();
            move || f.set_len(size)
        })
        .await
        .map_err(join_err)?
        .map_err(|e| TransferError::io_path("write", &temp.path, e))?;
        let crc_algo = obj
            .checksum
            .as_ref()
            .filter(|c| c.2 != "COMPOSITE" && checksum::crc_params(c.0).is_some())
            .map(|c| c.0);
        let whole = size < self.config().multipart_threshold;
        let spans = if whole {
            vec![(0, size)]
        } else {
            ranges(size, self.config().multipart_chunksize)
        };
        let plan = Plan {
            base: &base,
            etag: &obj.etag,
            spans: &spans,
            whole,
            crc_algo,
            file: &file,
        };
        let mut crcs = plan.fetch_all(&ctx, Some((probe, permit))).await?;
        let mut info = None;
        let mut refetched = false;
        while let Some((algo, value, ty)) = obj.checksum.clone() {
            let mut ci = ChecksumInfo {
                algorithm: algo.name().to_ascii_uppercase(),
                value: value.clone(),
                checksum_type: ty.clone(),
                verified: false,
                note: None,
            };
            let actual = if !checksum::well_formed(algo, &value) {
                ci.note = Some("the server's checksum value is malformed: not verifiable".into());
                None
            } else if ty == "COMPOSITE" || value.contains('-') {
                ci.note = Some(
                    "composite checksum of the upload's parts: not verifiable from ranges".into(),
                );
                None
            } else if crc_algo.is_some() {
                let parts: Vec<(u64, u64)> = crcs
                    .iter()
                    .zip(&spans)
                    .map(|(c, (_, len))| (checksum::crc_to_u64(c.as_deref().unwrap_or(&[])), *len))
                    .collect();
                checksum::combine_ranges(algo, &parts)
            } else {
                Some(hash_file(temp.path.clone(), algo).await?)
            };
            if let Some(actual) = actual {
                if !checksum::same(&actual, &value) {
                    if !refetched {
                        // Ranges carry no checksum of their own, so which one
                        // was damaged is unknown: fetch them all once more
                        // (progress is not reported twice).
                        refetched = true;
                        let quiet = Ctx {
                            progress: None,
                            ..ctx.clone()
                        };
                        crcs = plan.fetch_all(&quiet, None).await?;
                        continue;
                    }
                    return Err(TransferError::Integrity(format!(
                        "s3://{bucket}/{key}: expected {} {value}, downloaded data gives {actual}",
                        ci.algorithm
                    )));
                }
                ci.verified = true;
            }
            info = Some(ci);
            break;
        }
        ctx.check()?;
        temp.persist(&dest).await?;
        Ok(TransferOutput {
            bytes: size,
            etag: obj.etag,
            version_id: opt_str(&obj.head, "VersionId"),
            checksum: info,
            parts: if whole { 0 } else { spans.len() },
            response: obj.head,
        })
    }

    #[doc(alias = "download_fileobj")]
    /// Downloads an object into any writer (boto3's `download_fileobj`),
    /// in order; ranges are fetched in parallel, at most `max_concurrency`
    /// of them (one part each) held in memory.
    pub async fn download_writer<W>(
        &self,
        bucket: &str,
        key: &str,
        writer: &mut W,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput>
    where
        W: AsyncWrite + Unpin + Send,
    {
        args.validate(Direction::Download)?;
        let ctx = Ctx::new(self, &ctl);
        let obj = head(&ctx, bucket, key, &args).await?;
        let size = obj.size;
        let algo = obj
            .checksum
            .as_ref()
            .filter(|c| c.2 != "COMPOSITE" && !c.1.contains('-'))
            .map(|c| c.0);
        let crc_algo = algo.filter(|a| checksum::crc_params(*a).is_some());
        let whole = size < self.config().multipart_threshold;
        let spans = if whole {
            vec![(0, size)]
        } else {
            ranges(size, self.config().multipart_chunksize)
        };
        let base = get_params(bucket, key, &args);
        let mut queue: VecDeque<AbortOnDrop<Result<MemRange>>> = VecDeque::new();
        let mut next = 0;
        let mut parts = Vec::new();
        // Sequential digests (SHA) are fed in order as the ranges are written.
        let mut seq = algo.filter(|_| crc_algo.is_none()).map(Algorithm::hasher);
        while next < spans.len() || !queue.is_empty() {
            while next < spans.len() && queue.len() < self.config().max_concurrency {
                let (off, len) = spans[next];
                let job = Job {
                    params: base.clone(),
                    etag: obj.etag.clone(),
                    off,
                    len: Some(len),
                    whole,
                    algo: crc_algo,
                    auto_algo: false,
                    opened: None,
                    prefix_only: false,
                };
                let ctx2 = ctx.clone();
                queue.push_back(AbortOnDrop(tokio::spawn(async move {
                    let permit = ctx2.permit().await?;
                    let mut mem = BytesMut::with_capacity(len as usize);
                    let r = fetch(&ctx2, job, Sink::Mem(&mut mem)).await?;
                    drop(permit);
                    Ok((mem.freeze(), r.digest))
                })));
                next += 1;
            }
            let Some(mut h) = queue.pop_front() else {
                break;
            };
            let (data, digest) = ctx
                .guard(async { (&mut h.0).await.map_err(join_err)? })
                .await?;
            if let Some(s) = &mut seq {
                s.update(&data);
            }
            parts.push((
                checksum::crc_to_u64(digest.as_deref().unwrap_or(&[])),
                data.len() as u64,
            ));
            ctx.guard(async {
                writer
                    .write_all(&data)
                    .await
                    .map_err(|e| TransferError::io("cannot write the download", e))
            })
            .await?;
        }
        writer
            .flush()
            .await
            .map_err(|e| TransferError::io("cannot write the download", e))?;
        let mut info = None;
        if let Some((a, value, ty)) = obj.checksum.clone() {
            let actual = match (crc_algo, seq) {
                _ if algo.is_none() || !checksum::well_formed(a, &value) => None,
                (Some(_), _) => checksum::combine_ranges(a, &parts),
                (None, Some(h)) => Some(h.finish_base64()),
                _ => None,
            };
            let verified = match &actual {
                Some(x) if checksum::same(x, &value) => true,
                Some(x) => {
                    return Err(TransferError::Integrity(format!(
                        "s3://{bucket}/{key}: expected {} {value}, downloaded data gives {x}",
                        a.name().to_ascii_uppercase()
                    )))
                }
                None => false,
            };
            info = Some(ChecksumInfo {
                algorithm: a.name().to_ascii_uppercase(),
                value,
                checksum_type: ty,
                verified,
                note: (!verified).then(|| {
                    "composite (per-part) or malformed checksum: not verifiable from ranges".into()
                }),
            });
        }
        Ok(TransferOutput {
            bytes: size,
            etag: obj.etag,
            version_id: opt_str(&obj.head, "VersionId"),
            checksum: info,
            parts: if whole { 0 } else { spans.len() },
            response: obj.head,
        })
    }
}

/// Runs one GetObject call with `params` (any GetObject parameters, e.g.
/// from `boto s3api get-object`) and writes the body to `path`.
///
/// The body goes to a temporary file next to `path`; a truncated or failed
/// body is resumed with `Range` + `If-Match` (the first response's ETag)
/// up to 5 attempts; a full-object checksum in the response is verified
/// over the whole file; then the file is synced and renamed into place.
/// On failure nothing is left at `path` (an existing file is untouched).
/// Returns the first response's metadata (the GetObject output without
/// `Body`) and the number of bytes written.
pub async fn get_object_to_file(
    client: &boto::Client,
    params: Value,
    path: impl AsRef<Path>,
) -> Result<(Value, u64)> {
    let tm = TransferManager::new(client.clone());
    let ctx = Ctx::new(&tm, &TransferControl::new());
    let dest = path.as_ref().to_path_buf();
    let user_range = params.get("Range").as_str().is_some();
    let temp = TempFile::create(&dest).await?;
    let mut etag = opt_str(&params, "IfMatch");
    for round in 0..2 {
        let job = Job {
            etag: etag.clone(),
            params: params.clone(),
            off: 0,
            len: None,
            whole: true,
            algo: None,
            auto_algo: !user_range,
            opened: None,
            prefix_only: false,
        };
        let r = fetch(&ctx, job, Sink::File(&temp.file)).await?;
        if let (Some(digest), Some((a, value))) = (&r.digest, full_object_checksum(&r.first)) {
            let actual = base64::engine::general_purpose::STANDARD.encode(digest);
            if !checksum::same(&actual, &value) {
                if round == 0 {
                    // A resumed body that does not add up: once more from the start,
                    // pinned to the same object version.
                    etag = opt_str(&r.first, "ETag");
                    continue;
                }
                return Err(TransferError::Integrity(format!(
                    "expected {} {value}, the body gives {actual}",
                    a.name().to_ascii_uppercase()
                )));
            }
        }
        temp.persist(&dest).await?;
        return Ok((r.first, r.len));
    }
    Err(TransferError::Integrity(
        "the body never matched its checksum".into(),
    ))
}

/// The ranges of one download to a file.
struct Plan<'a> {
    base: &'a Value,
    etag: &'a Option<String>,
    spans: &'a [(u64, u64)],
    whole: bool,
    crc_algo: Option<Algorithm>,
    file: &'a Arc<std::fs::File>,
}

impl Plan<'_> {
    /// Fetches every range in parallel (one permit each) into the file;
    /// returns each range's CRC when a CRC is being verified.
    async fn fetch_all(
        &self,
        ctx: &Ctx,
        mut probe: Option<(boto::Output, OwnedSemaphorePermit)>,
    ) -> Result<Vec<Option<Vec<u8>>>> {
        let mut set: JoinSet<Result<(usize, Option<Vec<u8>>)>> = JoinSet::new();
        let mut crcs: Vec<Option<Vec<u8>>> = vec![None; self.spans.len()];
        for (i, (off, len)) in self.spans.iter().copied().enumerate() {
            let (opened, permit) = match probe.take() {
                Some((o, p)) => (Some(o), p),
                None => (None, ctx.permit().await?),
            };
            let job = Job {
                params: self.base.clone(),
                etag: self.etag.clone(),
                off,
                len: Some(len),
                whole: self.whole || opened.is_some(),
                algo: self.crc_algo,
                auto_algo: false,
                prefix_only: opened.is_some() && !self.whole,
                opened,
            };
            let (ctx2, file) = (ctx.clone(), self.file.clone());
            set.spawn(async move {
                let r = fetch(&ctx2, job, Sink::File(&file)).await?;
                drop(permit);
                Ok((i, r.digest))
            });
            while let Some(r) = set.try_join_next() {
                let (i, d) = r.map_err(join_err)??;
                crcs[i] = d;
            }
        }
        while let Some(r) = set.join_next().await {
            let (i, d) = r.map_err(join_err)??;
            crcs[i] = d;
        }
        Ok(crcs)
    }
}

/// What HeadObject told us.
struct ObjectInfo {
    size: u64,
    etag: Option<String>,
    checksum: Option<(Algorithm, String, String)>,
    head: Value,
}

async fn head(ctx: &Ctx, bucket: &str, key: &str, args: &ExtraArgs) -> Result<ObjectInfo> {
    let mut m = args.as_map().clone();
    if ctx.client().config().response_checksum_validation
        == boto::core::auth::config::ChecksumMode::WhenSupported
    {
        m.entry("ChecksumMode".to_string())
            .or_insert_with(|| "ENABLED".into());
    }
    let params = with(m, vec![("Bucket", bucket.into()), ("Key", key.into())]);
    let head = ctx
        .retry(|_| ctx.call_permitted("HeadObject", params.clone()))
        .await?;
    Ok(object_info(head))
}

/// Size, ETag and checksum from HeadObject or GetObject metadata.
fn object_info(head: Value) -> ObjectInfo {
    let size = head.get("ContentLength").as_i64().unwrap_or(0).max(0) as u64;
    let etag = opt_str(&head, "ETag");
    let mut checksum = checksum::from_response(&head);
    if let Some(c) = &mut checksum {
        // A multipart object's checksum is composite unless S3 says FULL_OBJECT
        // (moto omits both ChecksumType and the `-N` suffix).
        if head.get("ChecksumType").as_str().is_none()
            && etag.as_deref().is_some_and(is_multipart_etag)
        {
            c.2 = "COMPOSITE".into();
        }
    }
    ObjectInfo {
        size,
        etag,
        checksum,
        head,
    }
}

fn get_params(bucket: &str, key: &str, args: &ExtraArgs) -> Value {
    with(
        args.as_map().clone(),
        vec![("Bucket", bucket.into()), ("Key", key.into())],
    )
}

async fn hash_file(path: PathBuf, algo: Algorithm) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        use std::io::Read;
        let mut f =
            std::fs::File::open(&path).map_err(|e| TransferError::io_path("read", &path, e))?;
        let mut h = algo.hasher();
        let mut buf = vec![0u8; FLUSH];
        loop {
            let n = f
                .read(&mut buf)
                .map_err(|e| TransferError::io_path("read", &path, e))?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
        Ok(h.finish_base64())
    })
    .await
    .map_err(join_err)?
}
