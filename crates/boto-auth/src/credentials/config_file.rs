//! Static keys written directly in a profile of the config file (`~/.aws/config`).
//!
//! botocore's `ConfigProvider` reads only the config file's profile (not the
//! credentials file); it comes after `credential_process` in the chain.

use std::sync::Arc;

use super::shared_credentials::static_from_section;
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::config::ProfileSet;

/// Reads a profile's keys from the config file.
#[derive(Debug, Clone)]
pub struct ConfigFileProvider {
    profiles: Arc<ProfileSet>,
    profile: String,
}

impl ConfigFileProvider {
    /// The provider name carried by the credentials it returns ([`Credentials::provider`](crate::credentials::Credentials::provider)), and shown by `--debug`.
    pub const NAME: &'static str = "config-file";

    /// Reads `aws_access_key_id`/`aws_secret_access_key`/`aws_session_token` of `profile` in the config file.
    pub fn new(profiles: Arc<ProfileSet>, profile: impl Into<String>) -> Self {
        ConfigFileProvider {
            profiles,
            profile: profile.into(),
        }
    }
}

impl ProvideCredentials for ConfigFileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let creds = static_from_section(
                self.profiles.config_file_profile(&self.profile),
                Self::NAME,
                "config file",
            )?;
            Ok(match self.profiles.config_path() {
                Some(path) => creds.with_source(path.display().to_string()),
                None => creds,
            })
        })
    }
    fn name(&self) -> &'static str {
        Self::NAME
    }
}
