//! Copies inside S3: s3transfer's `copies.py` (`CopySubmissionTask`,
//! `CopyObjectTask`, `CopyPartTask`).
//!
//! HeadObject on the source gives its size and ETag; below
//! `multipart_threshold` one CopyObject, above it a multipart upload whose
//! parts are UploadPartCopy ranges (`CopySourceRange`, `CopySourceIfMatch`
//! on the ETag so a source replaced mid-copy fails), part size adjusted so
//! objects up to 5 TiB fit in 10,000 parts. Like s3transfer, a multipart copy
//! carries the source's content headers and metadata over (CopyObject does
//! that itself) unless the caller set them or `MetadataDirective=REPLACE`.

use crate::args::{Direction, ExtraArgs, COPY_CREATE_BLOCKLIST, UPLOAD_PART_COPY_ARGS};
use crate::checksum;
use crate::config::{ranges, MAX_OBJECT_SIZE};
use crate::error::{Result, TransferError};
use crate::manager::{opt_str, with, BoxFuture, Ctx, TransferManager, TransferOutput};
use crate::mpu::{DonePart, Mpu, Parts};
use crate::progress::TransferControl;
use boto::Value;

/// The object to copy from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopySource {
    /// The source bucket.
    pub bucket: String,
    /// The source key.
    pub key: String,
    /// A specific version of the source (`VersionId`); the latest when `None`.
    pub version_id: Option<String>,
}

impl CopySource {
    /// The latest version of `bucket`/`key` (boto3's `{"Bucket": .., "Key": ..}` copy source).
    pub fn new(bucket: impl Into<String>, key: impl Into<String>) -> Self {
        CopySource {
            bucket: bucket.into(),
            key: key.into(),
            version_id: None,
        }
    }
    /// Copies this version of the source object.
    pub fn version(mut self, version_id: impl Into<String>) -> Self {
        self.version_id = Some(version_id.into());
        self
    }
    fn value(&self) -> Value {
        let mut m = boto::Map::new();
        m.insert("Bucket", self.bucket.clone().into());
        m.insert("Key", self.key.clone().into());
        if let Some(v) = &self.version_id {
            m.insert("VersionId", v.clone().into());
        }
        Value::Map(m)
    }
}

/// s3transfer's `EXTRA_ARGS_TO_HEAD_ARGS_MAPPING`.
const HEAD_MAPPING: &[(&str, &str)] = &[
    ("CopySourceIfMatch", "IfMatch"),
    ("CopySourceIfModifiedSince", "IfModifiedSince"),
    ("CopySourceIfNoneMatch", "IfNoneMatch"),
    ("CopySourceIfUnmodifiedSince", "IfUnmodifiedSince"),
    ("CopySourceSSECustomerKey", "SSECustomerKey"),
    ("CopySourceSSECustomerAlgorithm", "SSECustomerAlgorithm"),
    ("CopySourceSSECustomerKeyMD5", "SSECustomerKeyMD5"),
    ("RequestPayer", "RequestPayer"),
    ("ExpectedBucketOwner", "ExpectedBucketOwner"),
];

/// s3transfer's `PRESERVED_METADATA_FIELDS`.
const PRESERVED: &[&str] = &[
    "CacheControl",
    "ContentDisposition",
    "ContentEncoding",
    "ContentLanguage",
    "ContentType",
    "Expires",
    "Metadata",
];

impl TransferManager {
    /// Copies an object (boto3's `copy`): CopyObject below the threshold,
    /// UploadPartCopy parts in parallel above it (up to 5 TiB).
    pub async fn copy(
        &self,
        source: &CopySource,
        bucket: &str,
        key: &str,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput> {
        self.copy_boxed(source, bucket, key, args, ctl).await
    }

    /// [`TransferManager::copy`], boxed (see `manager.rs` on `BoxFuture`).
    #[inline(never)]
    fn copy_boxed<'a>(
        &'a self,
        source: &'a CopySource,
        bucket: &'a str,
        key: &'a str,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> BoxFuture<'a, Result<TransferOutput>> {
        Box::pin(self.copy_unboxed(source, bucket, key, args, ctl))
    }

    async fn copy_unboxed(
        &self,
        source: &CopySource,
        bucket: &str,
        key: &str,
        args: ExtraArgs,
        ctl: TransferControl,
    ) -> Result<TransferOutput> {
        args.validate(Direction::Copy)?;
        let ctx = Ctx::new(self, &ctl);
        let mut hm = boto::Map::new();
        for (from, to) in HEAD_MAPPING {
            if let Some(v) = args.get(from) {
                hm.insert((*to).to_string(), v.clone());
            }
        }
        let mut pairs = vec![
            ("Bucket", source.bucket.clone().into()),
            ("Key", source.key.clone().into()),
        ];
        if let Some(v) = &source.version_id {
            pairs.push(("VersionId", v.clone().into()));
        }
        let head_params = with(hm, pairs);
        let head = ctx
            .retry(|_| ctx.call_permitted("HeadObject", head_params.clone()))
            .await?;
        let size = head.get("ContentLength").as_i64().unwrap_or(0).max(0) as u64;
        if size > MAX_OBJECT_SIZE {
            return Err(TransferError::invalid(format!(
                "the source is {size} bytes; S3 objects are at most {MAX_OBJECT_SIZE}"
            )));
        }
        let etag = opt_str(&head, "ETag");
        if size < self.config().multipart_threshold {
            let params = with(
                args.as_map().clone(),
                vec![
                    ("Bucket", bucket.into()),
                    ("Key", key.into()),
                    ("CopySource", source.value()),
                ],
            );
            let resp = ctx
                .retry(|_| ctx.call_permitted("CopyObject", params.clone()))
                .await?;
            ctx.report(size);
            let result = resp.get("CopyObjectResult");
            let checksum =
                checksum::from_response(result).map(|(a, value, ty)| crate::ChecksumInfo {
                    algorithm: a.name().to_ascii_uppercase(),
                    value,
                    checksum_type: ty,
                    verified: false,
                    note: Some("computed by S3 during the copy".into()),
                });
            return Ok(TransferOutput {
                bytes: size,
                etag: opt_str(result, "ETag"),
                version_id: opt_str(&resp, "VersionId"),
                checksum,
                parts: 0,
                response: resp,
            });
        }
        // Multipart: carry the source's content headers/metadata over.
        let mut create = args.without(COPY_CREATE_BLOCKLIST);
        let replace = args.get("MetadataDirective").and_then(Value::as_str) == Some("REPLACE");
        if !replace {
            for f in PRESERVED {
                let v = head.get(f);
                if !v.is_null() && !create.contains_key(f) {
                    create.insert((*f).to_string(), v.clone());
                }
            }
        }
        let part = self.config().part_size(Some(size));
        let mpu = Mpu::create_with(&ctx, bucket, key, &args, create).await?;
        let result = async {
            let mut parts = Parts::new();
            for (i, (off, len)) in ranges(size, part).into_iter().enumerate() {
                let permit = ctx.permit().await?;
                let mut pm = args.only(UPLOAD_PART_COPY_ARGS);
                if let Some(e) = &etag {
                    pm.insert("CopySourceIfMatch", e.clone().into());
                }
                let params = with(
                    pm,
                    vec![
                        ("Bucket", bucket.into()),
                        ("Key", key.into()),
                        ("UploadId", mpu.upload_id.clone().into()),
                        ("PartNumber", Value::Integer(i as i64 + 1)),
                        ("CopySource", source.value()),
                        (
                            "CopySourceRange",
                            format!("bytes={off}-{}", off + len - 1).into(),
                        ),
                    ],
                );
                let member = mpu.algorithm.map(checksum::member);
                let ctx2 = ctx.clone();
                parts.spawn(async move {
                    let resp = ctx2
                        .retry(|_| ctx2.call("UploadPartCopy", params.clone()))
                        .await?;
                    drop(permit);
                    ctx2.report(len);
                    let r = resp.get("CopyPartResult");
                    let etag = opt_str(r, "ETag").ok_or_else(|| {
                        TransferError::Sdk(boto::Error::response("UploadPartCopy returned no ETag"))
                    })?;
                    Ok(DonePart {
                        number: i as u32 + 1,
                        etag,
                        checksum: member.and_then(|m| opt_str(r, &m)),
                        len,
                    })
                });
                parts.reap()?;
            }
            parts.finish().await
        }
        .await;
        mpu.finish(&ctx, result, size).await
    }
}
