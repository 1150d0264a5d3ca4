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
    pub const NAME: &'static str = "explicit";

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
