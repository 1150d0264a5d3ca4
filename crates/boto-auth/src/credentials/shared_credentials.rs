//! Static keys from the shared credentials file (`~/.aws/credentials`).
//!
//! Only the credentials file's own section for the profile is consulted (the
//! config file is [`super::ConfigFileProvider`]'s job), matching botocore's
//! `SharedCredentialProvider`. A section without `aws_access_key_id` does not
//! apply; one with an access key but no secret is an error.

use std::sync::Arc;

use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::config::{ProfileSet, Section};

/// Builds static credentials from `aws_access_key_id`, `aws_secret_access_key`,
/// `aws_security_token`/`aws_session_token` and `aws_account_id`.
pub(crate) fn static_from_section(
    section: Option<&Section>,
    provider: &'static str,
    file: &str,
) -> Result<Credentials, CredentialsError> {
    let Some(section) = section else {
        return Err(CredentialsError::not_loaded(
            provider,
            format!("the profile is not in the {file}"),
        ));
    };
    let Some(access_key) = section.get("aws_access_key_id") else {
        return Err(CredentialsError::not_loaded(
            provider,
            format!(
                "profile \"{}\" in the {file} has no aws_access_key_id",
                section.name()
            ),
        ));
    };
    let Some(secret) = section.get("aws_secret_access_key") else {
        return Err(CredentialsError::invalid_config(
            provider,
            format!(
                "partial credentials: profile \"{}\" in the {file} has no aws_secret_access_key",
                section.name()
            ),
        ));
    };
    let token = ["aws_security_token", "aws_session_token"]
        .iter()
        .find_map(|k| section.get(k));
    Ok(Credentials::new(
        access_key,
        secret,
        token.map(str::to_string),
        None,
        provider,
    )
    .with_account_id(section.get("aws_account_id").map(str::to_string)))
}

/// Reads a profile's keys from the shared credentials file.
#[derive(Debug, Clone)]
pub struct SharedCredentialsProvider {
    profiles: Arc<ProfileSet>,
    profile: String,
}

impl SharedCredentialsProvider {
    /// The provider name carried by the credentials it returns ([`Credentials::provider`](crate::credentials::Credentials::provider)), and shown by `--debug`.
    pub const NAME: &'static str = "shared-credentials-file";

    /// Reads `profile`'s keys from the shared credentials file (`~/.aws/credentials`).
    pub fn new(profiles: Arc<ProfileSet>, profile: impl Into<String>) -> Self {
        SharedCredentialsProvider {
            profiles,
            profile: profile.into(),
        }
    }
}

impl ProvideCredentials for SharedCredentialsProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let creds = static_from_section(
                self.profiles.credentials_file_profile(&self.profile),
                Self::NAME,
                "credentials file",
            )?;
            Ok(match self.profiles.credentials_path() {
                Some(path) => creds.with_source(path.display().to_string()),
                None => creds,
            })
        })
    }
    fn name(&self) -> &'static str {
        Self::NAME
    }
}
