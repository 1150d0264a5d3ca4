//! An open multipart upload (s3transfer's `CreateMultipartUploadTask`,
//! `UploadPartTask`, `CompleteMultipartUploadTask` and the cleanup its
//! `TransferCoordinator` registers): create (and sweep uploads orphaned by a
//! retried create), parts on a `JoinSet`, complete with the parts'
//! checksums and check the composite checksum S3 reports, or abort — on
//! failure, on cancellation, and from a guard when the future is dropped.
//! Shared by uploads and multipart copies.

use crate::args::{
    ExtraArgs, ABORT_ARGS, COMPLETE_ARGS, FULL_OBJECT_CHECKSUM_ARGS, UPLOAD_PART_ARGS,
};
use crate::checksum::{self, Algorithm, ChecksumInfo};
use crate::error::{Result, TransferError};
use crate::manager::{opt_str, with, Ctx, TransferOutput};
use boto::{RequestBody, Value};
use tokio::task::JoinSet;

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

    pub(crate) fn part_task(
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
                m.insert("ETag", p.etag.clone().into());
                m.insert("PartNumber", Value::Integer(i64::from(p.number)));
                if let (Some(mem), Some(c)) = (&member, &p.checksum) {
                    m.insert(mem.clone(), c.clone().into());
                }
                Value::Map(m)
            })
            .collect();
        let mut mp = boto::Map::new();
        mp.insert("Parts", Value::List(list));
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
            .await;
        let resp = match resp {
            Ok(r) => r,
            Err(e) => match self.completed_anyway(ctx, &parts).await {
                // A retried Complete whose first attempt did succeed (the
                // response was lost): the upload id is gone, the object is ours.
                Some(head) => head,
                None => return Err(e),
            },
        };
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

    /// Whether the object now at the key is this upload's: its ETag is the
    /// multipart ETag of our parts (`md5(concat(part md5s))-N`). Only
    /// decidable for ETags that are MD5s (not SSE-KMS/SSE-C objects).
    async fn completed_anyway(&self, ctx: &Ctx, parts: &[DonePart]) -> Option<Value> {
        use md5::{Digest, Md5};
        let mut h = Md5::new();
        for p in parts {
            let hex = p.etag.trim_matches('"');
            if hex.len() != 32 {
                return None;
            }
            let raw: Option<Vec<u8>> = (0..16)
                .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok())
                .collect();
            h.update(raw?);
        }
        let want: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        let want = format!("{want}-{}", parts.len());
        let mut m = self.args.only(&[
            "SSECustomerKey",
            "SSECustomerAlgorithm",
            "SSECustomerKeyMD5",
            "RequestPayer",
            "ExpectedBucketOwner",
        ]);
        m.insert("Bucket", self.bucket.clone().into());
        m.insert("Key", self.key.clone().into());
        let head = ctx.client().call("HeadObject", Value::Map(m)).await.ok()?;
        (head.get("ETag").as_str()?.trim_matches('"') == want).then_some(head)
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
