//! Bearer token auth (`smithy.api#httpBearerAuth`, botocore's `BearerAuth`).
//!
//! Some services (e.g. CodeCatalyst, SSO-backed ones) authenticate with an
//! opaque token instead of SigV4. It lives here beside SigV4 so the runtime
//! picks an auth scheme from one module; the token type redacts itself so it
//! can sit in configs and errors safely.

use std::fmt;

use super::SigningError;

/// An opaque bearer token. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct BearerToken(String);

impl BearerToken {
    /// Wrap a token string.
    pub fn new(token: impl Into<String>) -> Self {
        BearerToken(token.into())
    }

    /// The raw token.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BearerToken(** redacted **)")
    }
}

/// The `Authorization: Bearer <token>` header to set (replacing any existing one).
///
/// Fails on an empty token or one with control characters, which would
/// corrupt the header.
pub fn bearer_authorization(token: &BearerToken) -> Result<(&'static str, String), SigningError> {
    let t = token.as_str();
    if t.is_empty() || t.chars().any(|c| c.is_control()) {
        return Err(SigningError::InvalidBearerToken);
    }
    Ok(("Authorization", format!("Bearer {t}")))
}
