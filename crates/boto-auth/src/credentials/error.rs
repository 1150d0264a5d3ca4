//! Why credentials could not be had.
//!
//! Every error names the provider and the reason. [`CredentialsError::NotLoaded`]
//! means "this provider does not apply here" and lets a chain move on; every
//! other variant stops the chain, as botocore's exceptions do. Messages never
//! contain secrets: providers put only names, paths, ARNs and status codes in them.

use std::fmt;
use std::time::SystemTime;

use super::time::format_timestamp;
use crate::config::ConfigError;

/// A failure to obtain credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialsError {
    /// The provider is not configured for this environment/profile; a chain tries the next one.
    NotLoaded {
        /// The provider that reported it.
        provider: &'static str,
        /// Why it does not apply (e.g. "no aws_access_key_id in profile").
        reason: String,
    },
    /// The configuration that selects this provider is wrong or incomplete.
    InvalidConfig {
        /// The provider that reported it.
        provider: &'static str,
        /// What is wrong with the configuration.
        message: String,
    },
    /// The provider applies but fetching failed.
    ProviderFailed {
        /// The provider that reported it.
        provider: &'static str,
        /// What failed (the service's error or the transport's).
        message: String,
    },
    /// The only credentials available have expired.
    Expired {
        /// The provider that reported it.
        provider: &'static str,
        /// When they expired.
        expired_at: SystemTime,
    },
    /// The provider must call an AWS API (STS, SSO, SSO-OIDC) and no client was supplied.
    NeedsClient {
        /// The provider that needs the client.
        provider: &'static str,
        /// The API it needs (e.g. `STS AssumeRole`).
        api: &'static str,
    },
    /// No provider in a chain had credentials.
    NoCredentials {
        /// Each provider tried, with the reason it did not apply.
        tried: Vec<(&'static str, String)>,
    },
}

impl CredentialsError {
    /// [`NotLoaded`](Self::NotLoaded): this provider does not apply, the chain moves on.
    pub fn not_loaded(provider: &'static str, reason: impl Into<String>) -> Self {
        CredentialsError::NotLoaded {
            provider,
            reason: reason.into(),
        }
    }
    /// [`InvalidConfig`](Self::InvalidConfig): the provider applies but its settings are wrong.
    pub fn invalid_config(provider: &'static str, message: impl Into<String>) -> Self {
        CredentialsError::InvalidConfig {
            provider,
            message: message.into(),
        }
    }
    /// [`ProviderFailed`](Self::ProviderFailed): the provider applies but fetching failed.
    pub fn failed(provider: &'static str, message: impl Into<String>) -> Self {
        CredentialsError::ProviderFailed {
            provider,
            message: message.into(),
        }
    }
    /// A configuration error met while reading the provider's settings, as [`InvalidConfig`](Self::InvalidConfig).
    pub fn from_config(provider: &'static str, e: ConfigError) -> Self {
        CredentialsError::InvalidConfig {
            provider,
            message: e.to_string(),
        }
    }
    /// True for [`NotLoaded`](Self::NotLoaded): the chain should try the next provider.
    pub fn is_not_loaded(&self) -> bool {
        matches!(self, CredentialsError::NotLoaded { .. })
    }
    /// The provider the error is about (`chain` for [`NoCredentials`](Self::NoCredentials)).
    pub fn provider(&self) -> &'static str {
        match self {
            CredentialsError::NotLoaded { provider, .. }
            | CredentialsError::InvalidConfig { provider, .. }
            | CredentialsError::ProviderFailed { provider, .. }
            | CredentialsError::Expired { provider, .. }
            | CredentialsError::NeedsClient { provider, .. } => provider,
            CredentialsError::NoCredentials { .. } => "chain",
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CredentialsError::NotLoaded { provider, reason } => {
                write!(f, "{provider} provider found no credentials: {reason}")
            }
            CredentialsError::InvalidConfig { provider, message } => {
                write!(f, "{provider} provider is misconfigured: {message}")
            }
            CredentialsError::ProviderFailed { provider, message } => {
                write!(f, "{provider} provider failed to retrieve credentials: {message}")
            }
            CredentialsError::Expired { provider, expired_at } => {
                write!(f, "credentials from the {provider} provider expired at {}", format_timestamp(*expired_at))
            }
            CredentialsError::NeedsClient { provider, api } => write!(
                f,
                "{provider} provider needs a client for {api} to be supplied by the runtime, and none was configured"
            ),
            CredentialsError::NoCredentials { tried } => {
                f.write_str("unable to locate credentials; tried: ")?;
                for (i, (p, why)) in tried.iter().enumerate() {
                    if i > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{p} ({why})")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for CredentialsError {}
