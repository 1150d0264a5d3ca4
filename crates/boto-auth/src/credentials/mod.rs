//! Credentials and the providers that find them.
//!
//! [`Credentials`] never prints its secret parts: `Debug` shows only the access
//! key id, so a credential can be logged or put in an error safely.
//!
//! Providers implement [`ProvideCredentials`] (one file per provider) and are
//! composed by [`DefaultChainBuilder`] in boto3's order; the chain is wrapped
//! in a [`CredentialsCache`] that refreshes expiring credentials with boto3's
//! advisory/mandatory windows. Providers that must call AWS (STS, SSO,
//! SSO-OIDC) do so through the [`StsApi`], [`SsoApi`] and [`SsoOidcApi`]
//! traits, implemented by the generic client layer.

mod assume_role;
mod cache;
mod chain;
mod config_file;
mod container;
mod environment;
mod error;
mod explicit;
pub mod http;
mod imds;
mod process;
mod shared_credentials;
mod sso;
mod sso_cache;
mod sso_token;
mod sts;
pub mod time;
mod web_identity;

pub use assume_role::{
    plan_assume_role, AssumeRoleProvider, CredentialSource, MfaPrompt, RolePlan, RoleStep,
    SourceCredentials,
};
pub use cache::{CredentialsCache, DEFAULT_ADVISORY_REFRESH, DEFAULT_MANDATORY_REFRESH};
pub use chain::{ChainProvider, DefaultChainBuilder, ProviderFactory};
pub use config_file::ConfigFileProvider;
pub use container::ContainerProvider;
pub use environment::EnvironmentProvider;
pub use error::CredentialsError;
pub use explicit::StaticProvider;
pub use imds::{ImdsConfig, ImdsProvider};
pub use process::ProcessProvider;
pub use shared_credentials::SharedCredentialsProvider;
pub use sso::SsoProvider;
pub use sso_cache::{
    json_files, pkce_pair, random_uuid4, registration_cache_key, write_file_atomic, CachedSsoToken,
    ClientRegistration, SsoCacheDir,
};
pub use sso_token::{
    cache_key as sso_token_cache_key, ProvideToken, SsoToken, SsoTokenProvider, StaticToken,
};
pub use sts::{
    ApiError, AssumeRoleRequest, AssumeRoleWithWebIdentityRequest, CreateTokenRequest,
    CreateTokenResponse, GetRoleCredentialsRequest, SsoApi, SsoOidcApi, StsApi,
};
pub use web_identity::WebIdentityProvider;

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

/// A boxed, `Send` future: the return type of the async trait methods in this crate.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// The current time; injectable so expiry logic can be tested.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(SystemTime::now)
}

/// Something that can produce credentials.
pub trait ProvideCredentials: Send + Sync {
    /// Fetches credentials. [`CredentialsError::NotLoaded`] means this source does not apply.
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;

    /// Short name used in errors and in the chain's "tried" list.
    fn name(&self) -> &'static str {
        "custom"
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide()
    }
    fn name(&self) -> &'static str {
        (**self).name()
    }
}

/// A set of AWS credentials. Cheap to clone (the strings are shared).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: std::sync::Arc<str>,
    secret_access_key: std::sync::Arc<str>,
    session_token: Option<std::sync::Arc<str>>,
    expiry: Option<SystemTime>,
    provider: &'static str,
    account_id: Option<std::sync::Arc<str>>,
    /// Where the provider found them (a file path), for `--debug`; never secret.
    source: Option<std::sync::Arc<str>>,
}

impl Credentials {
    /// Credentials with no expiry, labelled with the provider that found them.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiry: Option<SystemTime>,
        provider: &'static str,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into().into(),
            secret_access_key: secret_access_key.into().into(),
            session_token: session_token.map(Into::into),
            expiry,
            provider,
            account_id: None,
            source: None,
        }
    }
    /// The same credentials noting where they were found (a file path).
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into().into());
        self
    }
    /// Where the provider found these credentials, when it is a place worth
    /// naming (the shared credentials or config file's path).
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
    /// aws-cli's `--debug` line for these credentials, e.g. `Found
    /// credentials in shared credentials file: ~/.aws/credentials`. Names the
    /// provider and file only: no key material.
    pub fn found_message(&self) -> String {
        let src = self.source.as_deref();
        match (self.provider, src) {
            ("env", _) => "Found credentials in environment variables.".to_string(),
            ("shared-credentials-file", Some(p)) => {
                format!("Found credentials in shared credentials file: {p}")
            }
            ("config-file", Some(p)) => format!("Found credentials in config file: {p}"),
            ("explicit", _) => "Using the credentials passed explicitly.".to_string(),
            ("iam-role", _) => "Found credentials from IAM Role (instance metadata).".to_string(),
            ("container-role", _) => "Found credentials from the container provider.".to_string(),
            (provider, Some(p)) => format!("Found credentials from the {provider} provider: {p}"),
            (provider, None) => format!("Found credentials from the {provider} provider."),
        }
    }
    /// The same credentials with an AWS account id attached.
    pub fn with_account_id(mut self, account_id: Option<String>) -> Self {
        self.account_id = account_id.map(Into::into);
        self
    }
    /// The same credentials labelled with another provider name.
    pub fn with_provider(mut self, provider: &'static str) -> Self {
        self.provider = provider;
        self
    }
    /// The same credentials with another expiry.
    pub fn with_expiry(mut self, expiry: Option<SystemTime>) -> Self {
        self.expiry = expiry;
        self
    }
    /// The account these credentials belong to, when the provider knows it.
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }
    /// True when the credentials have an expiry at or before `now`.
    pub fn is_expired_at(&self, now: SystemTime) -> bool {
        self.expiry.is_some_and(|e| e <= now)
    }
    /// The access key id (`AKIA...`/`ASIA...`); not secret, it appears in the Authorization header.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    /// The secret access key. Never log it: `Debug` of these credentials hides it.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }
    /// The session token of temporary credentials (STS, SSO, IMDS, container).
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
    /// When temporary credentials expire; `None` for long-term keys.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
    /// Name of the provider that produced these credentials (e.g. `env`, `shared-credentials-file`).
    pub fn provider(&self) -> &'static str {
        self.provider
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "** redacted **"),
            )
            .field("expiry", &self.expiry)
            .field("provider", &self.provider)
            .field("account_id", &self.account_id)
            .field("source", &self.source)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let c = Credentials::new(
            "AKIDEXAMPLE",
            "s3cr3tKEY",
            Some("T0KEN".into()),
            None,
            "test",
        );
        let s = format!("{c:?}");
        assert!(s.contains("AKIDEXAMPLE"));
        assert!(!s.contains("s3cr3tKEY"));
        assert!(!s.contains("T0KEN"));
    }

    #[test]
    fn found_message_names_provider_and_file_only() {
        let c = Credentials::new(
            "AKID",
            "s3cr3tKEY",
            Some("T0KEN".into()),
            None,
            "shared-credentials-file",
        )
        .with_source("/home/u/.aws/credentials");
        assert_eq!(
            c.found_message(),
            "Found credentials in shared credentials file: /home/u/.aws/credentials"
        );
        assert_eq!(c.source(), Some("/home/u/.aws/credentials"));
        let env = Credentials::new("AKID", "s3cr3tKEY", None, None, "env");
        assert_eq!(
            env.found_message(),
            "Found credentials in environment variables."
        );
        let other = Credentials::new("AKID", "s3cr3tKEY", Some("T0KEN".into()), None, "sso");
        for m in [
            c.found_message(),
            env.found_message(),
            other.found_message(),
        ] {
            assert!(!m.contains("s3cr3tKEY") && !m.contains("T0KEN"), "{m}");
        }
    }
}
