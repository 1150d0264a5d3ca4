//! One error type for transfers: s3transfer raises `ValueError` for bad
//! arguments, `CancelledError`, `S3UploadFailedError`/`S3DownloadFailedError`
//! wrapping botocore errors, and `RetriesExceededError`; here they are kinds
//! of [`TransferError`]. Messages never contain secrets (SSE-C keys are
//! parameters and never printed).

use std::fmt;
use std::path::Path;

/// What went wrong in a transfer.
#[derive(Debug)]
#[non_exhaustive]
pub enum TransferError {
    /// Bad arguments or settings (an ExtraArgs key not allowed for the direction, a zero setting...).
    InvalidArgument(String),
    /// The transfer was cancelled (token or dropped future). Partial state was cleaned up.
    Cancelled,
    /// A local file could not be read or written.
    Io {
        /// What was being done, naming the file (`cannot open /tmp/x`).
        context: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The data did not check out: checksum mismatch, wrong size, object changed mid-transfer.
    Integrity(String),
    /// An S3 call failed (after the client's and the transfer's retries).
    Sdk(boto::Error),
}

impl TransferError {
    pub(crate) fn invalid(msg: impl Into<String>) -> Self {
        TransferError::InvalidArgument(msg.into())
    }
    pub(crate) fn io(context: impl Into<String>, source: std::io::Error) -> Self {
        TransferError::Io {
            context: context.into(),
            source,
        }
    }
    pub(crate) fn io_path(what: &str, path: &Path, source: std::io::Error) -> Self {
        TransferError::io(format!("cannot {what} {}", path.display()), source)
    }
    /// True when the transfer was cancelled (by its token or by dropping its future).
    pub fn is_cancelled(&self) -> bool {
        matches!(self, TransferError::Cancelled)
    }
    /// The S3 error, when the failure came from a call.
    pub fn sdk_error(&self) -> Option<&boto::Error> {
        match self {
            TransferError::Sdk(e) => Some(e),
            _ => None,
        }
    }
    /// True for failures a later attempt may cure (connection problems,
    /// timeouts, truncated bodies, 5xx, throttling).
    pub fn is_retryable(&self) -> bool {
        match self {
            TransferError::Sdk(e) => sdk_retryable(e),
            TransferError::Io { source, .. } => matches!(
                source.kind(),
                std::io::ErrorKind::Interrupted | std::io::ErrorKind::TimedOut
            ),
            _ => false,
        }
    }
}

pub(crate) fn sdk_retryable(e: &boto::Error) -> bool {
    use boto::ErrorKind as K;
    match e.kind() {
        K::Dispatch | K::Timeout => true,
        K::Response => e.is_transient_response(),
        K::Service => {
            e.status().is_some_and(|s| s >= 500 || s == 429)
                || e.code().is_some_and(|c| {
                    matches!(
                        c,
                        "SlowDown"
                            | "Throttling"
                            | "ThrottlingException"
                            | "RequestTimeout"
                            | "RequestTimeTooSkewed"
                            | "InternalError"
                            | "ServiceUnavailable"
                            | "BadDigest"
                            | "IncompleteBody"
                    )
                })
        }
        _ => false,
    }
}

impl fmt::Display for TransferError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransferError::InvalidArgument(m) => f.write_str(m),
            TransferError::Cancelled => f.write_str("the transfer was cancelled"),
            TransferError::Io { context, source } => write!(f, "{context}: {source}"),
            TransferError::Integrity(m) => write!(f, "integrity check failed: {m}"),
            TransferError::Sdk(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for TransferError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TransferError::Io { source, .. } => Some(source),
            TransferError::Sdk(e) => Some(e),
            _ => None,
        }
    }
}

impl From<boto::Error> for TransferError {
    fn from(e: boto::Error) -> Self {
        TransferError::Sdk(e)
    }
}

pub type Result<T, E = TransferError> = std::result::Result<T, E>;
