//! AWS Signature Version 4a (SigV4a): SigV4's canonical request, signed with
//! ECDSA P-256 so one signature is valid in a whole set of regions.
//!
//! botocore does not implement SigV4a itself: `SigV4AsymmetricAuth` (auth type
//! `v4a`, and `s3v4a` for S3) is `botocore.crt.auth.CrtSigV4AsymAuth` /
//! `CrtS3SigV4AsymAuth` (plus the `*QueryAuth` presigners), thin wrappers over
//! awscrt's `aws_sign_request` with `AwsSigningAlgorithm.V4_ASYMMETRIC`. This
//! module replaces that awscrt piece with pure functions in the style of
//! [`sigv4`](crate::sigv4): plain request parts ([`SignableRequest`]),
//! [`Credentials`](crate::Credentials) and [`SigningParams`] (region set,
//! service, time, the same [`SigningSettings`] as SigV4) go in; headers to set
//! or a presigned URL come out. Nothing here knows about an HTTP library, a
//! clock or a service model; choosing SigV4a for a request (model `auth`
//! traits, endpoint `sigv4a` auth schemes, S3 multi-region access points) is
//! the runtime's job.
//!
//! What differs from SigV4:
//!
//! * the key is not an HMAC chain but an ECDSA P-256 private key derived from
//!   the access key id and secret key ([`SigningKey::derive`]: NIST SP 800-108
//!   HMAC-SHA256 counter-mode KDF over `"AWS4A" + secret`, retried with a
//!   counter byte until the candidate is at most n-2, private key =
//!   candidate + 1), so it depends on neither date, region nor service;
//! * the algorithm is `AWS4-ECDSA-P256-SHA256` and the credential scope has no
//!   region (`20150830/service/aws4_request`);
//! * the region set (`us-east-1`, `us-east-1,us-west-2` or `*`) travels in the
//!   signed `X-Amz-Region-Set` header (or query parameter when presigning);
//! * the signature is the hex of the DER-encoded ECDSA signature over the
//!   SHA-256 of the string to sign. Signing is deterministic here (RFC 6979);
//!   awscrt uses a random nonce, so signatures differ byte-wise from botocore's
//!   but verify with the same public key.
//!
//! Canonicalisation (paths, queries, header trimming, the unsigned-header
//! blacklist, the default form content type dropped when presigning) is
//! shared with [`sigv4`](crate::sigv4), so both schemes sign a request alike.
//! Checked against the `aws-signing-test-suite/v4a` corpus (canonical request,
//! string to sign, signature verified with the corpus's public key, derived
//! public key) by `tests/sigv4a_suite.rs`.
//!
//! Secrets never leak through formatting: [`SigningKey`]'s `Debug` shows only
//! the public key, outputs redact the session token, and errors carry no
//! values.

mod error;
mod key;
mod presign;
mod sign;

pub use crate::sigv4::{
    SessionTokenMode, SignableBody, SignableRequest, SigningOutput, SigningSettings,
};
pub use error::Sigv4aError;
pub use key::{verify_signature, SigningKey};
pub use presign::{presign, PresignedUrl};
pub use sign::sign;

use std::time::SystemTime;

/// The SigV4a algorithm name.
pub const ALGORITHM: &str = "AWS4-ECDSA-P256-SHA256";
/// The header (and presign query parameter) carrying the region set.
pub const REGION_SET_HEADER: &str = "X-Amz-Region-Set";

/// Region set, scope and time of a signature, plus the service's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningParams<'a> {
    /// Comma-separated regions the signature is valid in (`us-east-1`,
    /// `us-east-1,us-west-2`), or `*` for all; botocore's
    /// `sigv4a_signing_region_set`. Signed as given.
    pub region_set: &'a str,
    /// Signing name of the service (e.g. `s3`), not its endpoint prefix.
    pub service: &'a str,
    /// The signing instant (the caller owns the clock, so tests can fix it).
    pub time: SystemTime,
    /// Per-service switches, the same as SigV4's ([`SigningSettings::s3`] for S3).
    pub settings: SigningSettings,
}

impl<'a> SigningParams<'a> {
    /// Params with [`SigningSettings::default`].
    pub fn new(region_set: &'a str, service: &'a str, time: SystemTime) -> Self {
        SigningParams {
            region_set,
            service,
            time,
            settings: SigningSettings::default(),
        }
    }

    /// Replace the settings.
    pub fn with_settings(mut self, settings: SigningSettings) -> Self {
        self.settings = settings;
        self
    }
}

/// Check a region set: non-empty, comma-separated, each entry `*` or made of
/// `a-z0-9-` (with `*` wildcards), so it can go in a header unescaped.
pub(crate) fn check_region_set(region_set: &str) -> Result<(), Sigv4aError> {
    let ok = !region_set.is_empty()
        && region_set.split(',').all(|r| {
            let r = r.trim();
            !r.is_empty()
                && r.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'*')
        });
    if ok {
        Ok(())
    } else {
        Err(Sigv4aError::InvalidRegionSet)
    }
}

/// `date/service/aws4_request`: SigV4's scope without the region.
pub(crate) fn credential_scope(date: &str, service: &str) -> String {
    format!("{date}/{service}/aws4_request")
}

/// The SigV4a string to sign.
pub(crate) fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!(
        "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
        crate::sigv4::canonical::sha256_hex(canonical_request.as_bytes())
    )
}

#[cfg(test)]
mod tests;
