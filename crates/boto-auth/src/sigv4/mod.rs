//! AWS Signature Version 4, as botocore does it.
//!
//! Signing is a pure function: plain request parts ([`SignableRequest`]),
//! [`Credentials`](crate::Credentials) and [`SigningParams`] (scope, time and a
//! few per-service switches) go in; instructions come out (headers to set, or a
//! presigned URL). Nothing here knows about an HTTP library, a clock or a
//! service model, so the runtime pipeline, presigners and tests all share one
//! implementation and the official test suite can drive it directly.
//!
//! The behaviour follows botocore's `auth.py` (`SigV4Auth`, `S3SigV4Auth`,
//! `SigV4QueryAuth`, `S3SigV4QueryAuth`, `S3SigV4PostAuth`) rather than the
//! prose spec wherever the two could differ, because parity with boto3 is the
//! point of this project:
//!
//! * every header is signed except a fixed blacklist (`user-agent`, `expect`,
//!   hop-by-hop headers, `x-amzn-trace-id`);
//! * a request carrying a `Date` header is re-dated through `Date`, otherwise
//!   `X-Amz-Date` is set;
//! * non-S3 paths are dot-segment normalised and percent-encoded again
//!   ("double encoding"); S3 paths are signed exactly as sent;
//! * query parameters are encoded with botocore's `percent_encode` (safe
//!   characters `-_.~`) and sorted by encoded name, then encoded value.
//!
//! Secrets never leak through formatting: no type in this module prints the
//! secret key or the session token in `Debug` (or `Display`).

mod bearer;
pub(crate) mod canonical;
mod chunked;
mod error;
mod event;
mod key_cache;
mod post;
pub(crate) mod presign;
mod request;
pub(crate) mod sign;
pub(crate) mod time;

pub use bearer::{bearer_authorization, BearerToken};
pub use canonical::percent_encode;
pub use chunked::ChunkSigner;
pub use error::SigningError;
pub use event::{date_header, EventSignature, EventSigner, STREAMING_EVENTS_PAYLOAD};
pub use post::{presign_post, PresignedPost, PresignedPostInput};
pub use presign::{presign, PresignedUrl};
pub use request::{
    SessionTokenMode, SignableBody, SignableRequest, SigningParams, SigningSettings,
};
pub use sign::{sign, SigningOutput};

/// The only algorithm name SigV4 uses.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// Payload hash placeholder when the body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// Payload hash placeholder for unsigned streaming bodies with trailing checksums.
pub const STREAMING_UNSIGNED_PAYLOAD_TRAILER: &str = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
/// Payload hash placeholder for signed `aws-chunked` bodies with trailing
/// headers (chunks and trailer signed by [`ChunkSigner`]).
pub const STREAMING_SIGNED_PAYLOAD_TRAILER: &str = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
/// Hex SHA-256 of the empty string.
pub const EMPTY_SHA256_HASH: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/// Longest validity AWS accepts for a presigned URL (7 days).
pub const MAX_PRESIGN_EXPIRY_SECS: u64 = 7 * 24 * 60 * 60;
/// botocore's default validity for presigned URLs and POSTs.
pub const DEFAULT_PRESIGN_EXPIRY_SECS: u64 = 3600;

#[cfg(test)]
mod tests;
