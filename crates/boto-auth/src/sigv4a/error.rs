//! The error type for SigV4a signing.
//!
//! Everything SigV4 can reject (bad header names, non-UTF-8 values, times out
//! of range, bad expiry) is reported through [`SigningError`]; SigV4a adds the
//! region set and the key derivation. No variant carries a header value, a
//! key or a token, so an error can be logged as-is.

use std::fmt;

use crate::sigv4::SigningError;

/// Why a request could not be signed or presigned with SigV4a.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Sigv4aError {
    /// A problem shared with SigV4 (header, time, URL, expiry).
    Signing(SigningError),
    /// The region set is empty or has an entry that is not a region name or `*`.
    InvalidRegionSet,
    /// No private key could be derived from the credentials (the KDF's
    /// counter ran out; for real keys the chance is about 2^-32 per try).
    KeyDerivation,
    /// A signature could not be produced or checked (malformed key or signature).
    Ecdsa,
}

impl From<SigningError> for Sigv4aError {
    fn from(e: SigningError) -> Self {
        Sigv4aError::Signing(e)
    }
}

impl fmt::Display for Sigv4aError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sigv4aError::Signing(e) => e.fmt(f),
            Sigv4aError::InvalidRegionSet => f.write_str(
                "invalid SigV4a region set: expected comma-separated region names or `*`",
            ),
            Sigv4aError::KeyDerivation => {
                f.write_str("could not derive a SigV4a signing key from the credentials")
            }
            Sigv4aError::Ecdsa => f.write_str("ECDSA P-256 signing or verification failed"),
        }
    }
}

impl std::error::Error for Sigv4aError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Sigv4aError::Signing(e) => Some(e),
            _ => None,
        }
    }
}
