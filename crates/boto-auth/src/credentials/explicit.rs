//! Credentials handed to the session or client directly (first in the chain).
//!
//! boto3 lets callers pass keys explicitly; they win over everything else and
//! never expire unless the caller gave an expiry.

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};

/// Always returns the same credentials.
#[derive(Debug, Clone)]
pub struct StaticProvider {
    credentials: Credentials,
}

impl StaticProvider {
    /// The provider name carried by the credentials it returns ([`Credentials::provider`](crate::credentials::Credentials::provider)), and shown by `--debug`.
    pub const NAME: &'static str = "explicit";

    /// A provider that always returns `credentials` (keys passed to `Session`/client in code).
    pub fn new(credentials: Credentials) -> Self {
        StaticProvider { credentials }
    }
}

impl ProvideCredentials for StaticProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let c = self.credentials.clone();
        Box::pin(async move { Ok(c) })
    }
    fn name(&self) -> &'static str {
        Self::NAME
    }
}
