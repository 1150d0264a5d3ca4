//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
//! `AWS_SECURITY_TOKEN`/`AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION` and
//! `AWS_ACCOUNT_ID`.
//!
//! As in botocore, an access key without a secret key is an error (not a
//! reason to try the next provider), and an expiration makes the credentials
//! refreshable: the cache will re-read the environment snapshot when they expire.

use super::time::parse_timestamp;
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::config::Env;

/// Reads credentials from environment variables.
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: Env,
}

impl EnvironmentProvider {
    /// The provider name carried by the credentials it returns ([`Credentials::provider`](crate::credentials::Credentials::provider)), and shown by `--debug`.
    pub const NAME: &'static str = "env";

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (and `AWS_CREDENTIAL_EXPIRATION`) from `env`.
    pub fn new(env: Env) -> Self {
        EnvironmentProvider { env }
    }

    /// The lookup itself, synchronous.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let env = &self.env;
        let Some(access_key) = env.get_non_empty("AWS_ACCESS_KEY_ID") else {
            return Err(CredentialsError::not_loaded(
                Self::NAME,
                "AWS_ACCESS_KEY_ID is not set",
            ));
        };
        let Some(secret) = env.get_non_empty("AWS_SECRET_ACCESS_KEY") else {
            return Err(CredentialsError::invalid_config(
                Self::NAME,
                "partial credentials found: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is missing",
            ));
        };
        let token = ["AWS_SECURITY_TOKEN", "AWS_SESSION_TOKEN"]
            .iter()
            .find_map(|k| env.get_non_empty(k));
        let expiry = match env.get_non_empty("AWS_CREDENTIAL_EXPIRATION") {
            None => None,
            Some(text) => Some(parse_timestamp(text).ok_or_else(|| {
                CredentialsError::invalid_config(
                    Self::NAME,
                    format!("AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 timestamp: {text:?}"),
                )
            })?),
        };
        let account = env.get_non_empty("AWS_ACCOUNT_ID").map(str::to_string);
        Ok(Credentials::new(
            access_key,
            secret,
            token.map(str::to_string),
            expiry,
            Self::NAME,
        )
        .with_account_id(account))
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { self.load() })
    }
    fn name(&self) -> &'static str {
        Self::NAME
    }
}
