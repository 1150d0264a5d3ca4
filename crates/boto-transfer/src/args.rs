//! `ExtraArgs`: the extra S3 parameters of a transfer, restricted per
//! direction to s3transfer's `ALLOWED_UPLOAD_ARGS`, `ALLOWED_DOWNLOAD_ARGS`
//! and `ALLOWED_COPY_ARGS` (`s3transfer/manager.py`, `constants.py`), and
//! the per-operation filters s3transfer applies when it splits one transfer
//! into PutObject / CreateMultipartUpload / UploadPart / Complete calls.

use crate::error::TransferError;
use boto::{Map, Value};

const SHARED: &[&str] = &[
    "ACL",
    "CacheControl",
    "ChecksumAlgorithm",
    "ContentDisposition",
    "ContentEncoding",
    "ContentLanguage",
    "ContentType",
    "ExpectedBucketOwner",
    "Expires",
    "GrantFullControl",
    "GrantRead",
    "GrantReadACP",
    "GrantWriteACP",
    "Metadata",
    "ObjectLockLegalHoldStatus",
    "ObjectLockMode",
    "ObjectLockRetainUntilDate",
    "RequestPayer",
    "ServerSideEncryption",
    "StorageClass",
    "SSECustomerAlgorithm",
    "SSECustomerKey",
    "SSECustomerKeyMD5",
    "SSEKMSKeyId",
    "SSEKMSEncryptionContext",
    "Tagging",
    "WebsiteRedirectLocation",
];

/// s3transfer's `FULL_OBJECT_CHECKSUM_ARGS`.
pub const FULL_OBJECT_CHECKSUM_ARGS: &[&str] = &[
    "ChecksumCRC32",
    "ChecksumCRC32C",
    "ChecksumCRC64NVME",
    "ChecksumMD5",
    "ChecksumSHA1",
    "ChecksumSHA256",
    "ChecksumSHA512",
    "ChecksumXXHASH3",
    "ChecksumXXHASH64",
    "ChecksumXXHASH128",
];

const UPLOAD_ONLY: &[&str] = &["ChecksumType", "MpuObjectSize"];

/// s3transfer's `ALLOWED_DOWNLOAD_ARGS`.
pub const ALLOWED_DOWNLOAD_ARGS: &[&str] = &[
    "ChecksumMode",
    "VersionId",
    "SSECustomerAlgorithm",
    "SSECustomerKey",
    "SSECustomerKeyMD5",
    "RequestPayer",
    "ExpectedBucketOwner",
];

const COPY_ONLY: &[&str] = &[
    "CopySourceIfMatch",
    "CopySourceIfModifiedSince",
    "CopySourceIfNoneMatch",
    "CopySourceIfUnmodifiedSince",
    "CopySourceSSECustomerAlgorithm",
    "CopySourceSSECustomerKey",
    "CopySourceSSECustomerKeyMD5",
    "MetadataDirective",
    "TaggingDirective",
    "AnnotationDirective",
];

/// The direction of a transfer, for validating [`ExtraArgs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// `upload_file`/`upload_fileobj`: boto3's `ALLOWED_UPLOAD_ARGS`.
    Upload,
    /// `download_file`/`download_fileobj`: boto3's `ALLOWED_DOWNLOAD_ARGS`.
    Download,
    /// `copy`: boto3's `ALLOWED_COPY_ARGS`.
    Copy,
}

impl Direction {
    /// The keys boto3 allows for this direction, in boto3's order.
    pub fn allowed(self) -> Vec<&'static str> {
        match self {
            Direction::Upload => SHARED
                .iter()
                .chain(UPLOAD_ONLY)
                .chain(FULL_OBJECT_CHECKSUM_ARGS)
                .copied()
                .collect(),
            Direction::Download => ALLOWED_DOWNLOAD_ARGS.to_vec(),
            Direction::Copy => SHARED.iter().chain(COPY_ONLY).copied().collect(),
        }
    }
}

/// Extra parameters for a transfer (boto3's `ExtraArgs`), e.g. `ContentType`,
/// `Metadata`, `ServerSideEncryption`, `VersionId` (downloads).
///
/// ```
/// use boto_transfer::ExtraArgs;
/// let args = ExtraArgs::new().set("ContentType", "text/plain").set("StorageClass", "STANDARD_IA");
/// assert_eq!(args.get("ContentType").and_then(|v| v.as_str()), Some("text/plain"));
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct ExtraArgs {
    map: Map,
}

impl ExtraArgs {
    /// No extra parameters.
    pub fn new() -> Self {
        ExtraArgs::default()
    }
    /// Adds or replaces one parameter.
    pub fn set(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.map.insert(key.into(), value.into());
        self
    }
    /// Adds or replaces one parameter in place.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<Value>) {
        self.map.insert(key.into(), value.into());
    }
    /// From a map value (e.g. parsed from JSON); anything else is an error.
    pub fn from_value(v: Value) -> Result<Self, TransferError> {
        match v {
            Value::Map(map) => Ok(ExtraArgs { map }),
            Value::Null => Ok(ExtraArgs::default()),
            other => Err(TransferError::invalid(format!(
                "ExtraArgs must be a map, got a {}",
                other.type_name()
            ))),
        }
    }
    /// One parameter's value.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.map.get(key)
    }
    /// Whether the parameter is set.
    pub fn contains(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }
    /// Removes one parameter, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        self.map.shift_remove(key)
    }
    /// Whether no parameter is set.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
    /// The parameter names, in the order they were set.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(|k| k.as_str())
    }
    /// The parameters as a map, as merged into each S3 call's parameters.
    pub fn as_map(&self) -> &Map {
        &self.map
    }

    /// s3transfer's `_validate_all_known_args`: every key must be allowed for `direction`.
    pub fn validate(&self, direction: Direction) -> Result<(), TransferError> {
        let allowed = direction.allowed();
        for k in self.map.keys() {
            if !allowed.contains(&k.as_str()) {
                return Err(TransferError::invalid(format!(
                    "Invalid extra_args key '{k}', must be one of: {}",
                    allowed.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// The parameters whose keys are in `keys`.
    pub(crate) fn only(&self, keys: &[&str]) -> Map {
        self.map
            .iter()
            .filter(|(k, _)| keys.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The parameters whose keys are not in `keys`.
    pub(crate) fn without(&self, keys: &[&str]) -> Map {
        self.map
            .iter()
            .filter(|(k, _)| !keys.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The full-object checksum the caller supplied (`ChecksumCRC32`...), if any.
    pub(crate) fn full_object_checksum(&self) -> Option<(&'static str, String)> {
        FULL_OBJECT_CHECKSUM_ARGS.iter().find_map(|k| {
            self.map
                .get(k)
                .and_then(Value::as_str)
                .map(|v| (*k, v.to_string()))
        })
    }
}

impl std::fmt::Debug for ExtraArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.map {
            if k.ends_with("SSECustomerKey") {
                m.entry(k, &"***");
            } else {
                m.entry(k, v);
            }
        }
        m.finish()
    }
}

/// s3transfer `upload.py`: parameters of UploadPart.
pub(crate) const UPLOAD_PART_ARGS: &[&str] = &[
    "ChecksumAlgorithm",
    "SSECustomerKey",
    "SSECustomerAlgorithm",
    "SSECustomerKeyMD5",
    "RequestPayer",
    "ExpectedBucketOwner",
];

/// s3transfer `upload.py`/`copies.py`: parameters of CompleteMultipartUpload.
pub(crate) const COMPLETE_ARGS: &[&str] = &[
    "SSECustomerKey",
    "SSECustomerAlgorithm",
    "SSECustomerKeyMD5",
    "RequestPayer",
    "ExpectedBucketOwner",
    "ChecksumType",
    "MpuObjectSize",
    "ChecksumCRC32",
    "ChecksumCRC32C",
    "ChecksumCRC64NVME",
    "ChecksumMD5",
    "ChecksumSHA1",
    "ChecksumSHA256",
    "ChecksumSHA512",
    "ChecksumXXHASH3",
    "ChecksumXXHASH64",
    "ChecksumXXHASH128",
];

/// Parameters of AbortMultipartUpload.
pub(crate) const ABORT_ARGS: &[&str] = &["RequestPayer", "ExpectedBucketOwner"];

/// s3transfer `copies.py`: `UPLOAD_PART_COPY_ARGS`.
pub(crate) const UPLOAD_PART_COPY_ARGS: &[&str] = &[
    "CopySourceIfMatch",
    "CopySourceIfModifiedSince",
    "CopySourceIfNoneMatch",
    "CopySourceIfUnmodifiedSince",
    "CopySourceSSECustomerKey",
    "CopySourceSSECustomerAlgorithm",
    "CopySourceSSECustomerKeyMD5",
    "SSECustomerKey",
    "SSECustomerAlgorithm",
    "SSECustomerKeyMD5",
    "RequestPayer",
    "ExpectedBucketOwner",
];

/// s3transfer `copies.py`: `CREATE_MULTIPART_ARGS_BLACKLIST`.
pub(crate) const COPY_CREATE_BLOCKLIST: &[&str] = &[
    "CopySourceIfMatch",
    "CopySourceIfModifiedSince",
    "CopySourceIfNoneMatch",
    "CopySourceIfUnmodifiedSince",
    "CopySourceSSECustomerKey",
    "CopySourceSSECustomerAlgorithm",
    "CopySourceSSECustomerKeyMD5",
    "MetadataDirective",
    "TaggingDirective",
    "AnnotationDirective",
    "Tagging",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_key_and_allowed() {
        let a = ExtraArgs::new().set("Bogus", "x");
        let e = a.validate(Direction::Download).unwrap_err().to_string();
        assert!(
            e.starts_with(
                "Invalid extra_args key 'Bogus', must be one of: ChecksumMode, VersionId"
            ),
            "{e}"
        );
        assert!(ExtraArgs::new()
            .set("ContentType", "a")
            .validate(Direction::Download)
            .is_err());
        assert!(ExtraArgs::new()
            .set("ContentType", "a")
            .set("ChecksumCRC32", "AAAAAA==")
            .validate(Direction::Upload)
            .is_ok());
        assert!(ExtraArgs::new()
            .set("MetadataDirective", "REPLACE")
            .validate(Direction::Copy)
            .is_ok());
        assert!(ExtraArgs::new()
            .set("MetadataDirective", "REPLACE")
            .validate(Direction::Upload)
            .is_err());
    }

    #[test]
    fn debug_masks_sse_c_keys() {
        let a = ExtraArgs::new()
            .set("SSECustomerKey", "secret-key-material")
            .set("CopySourceSSECustomerKey", "other-secret");
        let s = format!("{a:?}");
        assert!(!s.contains("secret"), "{s}");
    }
}
