//! The one error type for signing.
//!
//! Signing never panics on caller input; anything it cannot sign faithfully is
//! reported here instead. Variants carry only non-secret context (header
//! names, numbers), never header values or credentials, so an error can be
//! logged as-is.

use std::fmt;

/// Why a request could not be signed or presigned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SigningError {
    /// Presign expiry outside 1 second ..= 7 days.
    InvalidExpiry {
        /// The requested validity in whole seconds.
        seconds: u64,
    },
    /// A header value is not valid UTF-8 (botocore signs text only).
    InvalidHeaderValue {
        /// The offending header's name.
        name: String,
    },
    /// A header name is empty or contains `:`, whitespace or control characters.
    InvalidHeaderName {
        /// The offending header name, with control characters escaped.
        name: String,
    },
    /// The signing time is before the Unix epoch or too far in the future.
    InvalidTime,
    /// A URL could not be split into scheme, authority, path and query.
    InvalidUrl {
        /// What was wrong with it (the URL itself is not repeated: it may hold a token).
        reason: &'static str,
    },
    /// A bearer token is empty or contains characters that cannot go in a header.
    InvalidBearerToken,
    /// A presigned POST policy could not be built (e.g. non-finite number).
    InvalidPolicy {
        /// What was wrong with it.
        reason: String,
    },
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigningError::InvalidExpiry { seconds } => write!(
                f,
                "invalid presign expiry of {seconds} s: must be between 1 and {} seconds",
                super::MAX_PRESIGN_EXPIRY_SECS
            ),
            SigningError::InvalidHeaderValue { name } => {
                write!(f, "value of header {name:?} is not valid UTF-8")
            }
            SigningError::InvalidHeaderName { name } => {
                write!(f, "invalid header name {name:?}")
            }
            SigningError::InvalidTime => {
                f.write_str("signing time must be between 1970 and 9999 (UTC)")
            }
            SigningError::InvalidUrl { reason } => write!(f, "invalid URL: {reason}"),
            SigningError::InvalidBearerToken => {
                f.write_str("bearer token is empty or contains characters not allowed in a header")
            }
            SigningError::InvalidPolicy { reason } => {
                write!(f, "invalid presigned POST policy: {reason}")
            }
        }
    }
}

impl std::error::Error for SigningError {}
