//! STS AssumeRoleWithWebIdentity from a token file (EKS IRSA, GitHub OIDC, ...).
//!
//! Each of `web_identity_token_file`, `role_arn` and `role_session_name` is
//! taken from its environment variable (`AWS_WEB_IDENTITY_TOKEN_FILE`,
//! `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`) unless the caller named a profile
//! explicitly, and otherwise from the profile, as botocore does. The token file
//! is re-read on every call because it is rotated underneath us.

use std::sync::Arc;

use super::sts::{default_session_name, AssumeRoleWithWebIdentityRequest, StsApi};
use super::{system_clock, BoxFuture, Clock, Credentials, CredentialsError, ProvideCredentials};
use crate::config::{Env, Profile};

const NAME: &str = "assume-role-with-web-identity";

/// Exchanges a web identity token for role credentials.
#[derive(Clone)]
pub struct WebIdentityProvider {
    env: Option<Env>,
    home_env: Env,
    profile: Profile,
    sts: Option<Arc<dyn StsApi>>,
    region: Option<String>,
    clock: Clock,
}

impl std::fmt::Debug for WebIdentityProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebIdentityProvider")
            .field("profile", &self.profile.name())
            .field("uses_env", &self.env.is_some())
            .finish()
    }
}

impl WebIdentityProvider {
    /// The provider name carried by the credentials it returns ([`Credentials::provider`](crate::credentials::Credentials::provider)), and shown by `--debug`.
    pub const NAME: &'static str = NAME;

    /// `use_env_vars` is false when the profile was named explicitly.
    pub fn new(
        env: Env,
        use_env_vars: bool,
        profile: Profile,
        sts: Option<Arc<dyn StsApi>>,
    ) -> Self {
        WebIdentityProvider {
            env: use_env_vars.then(|| env.clone()),
            home_env: env,
            profile,
            sts,
            region: None,
            clock: system_clock(),
        }
    }
    /// Region for the STS call (the session's).
    pub fn with_region(mut self, region: Option<String>) -> Self {
        self.region = region;
        self
    }
    /// Use this clock instead of the system time (tests drive expiry and refresh with it).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    fn setting(&self, key: &str, env_var: &str) -> Option<String> {
        if let Some(v) = self.env.as_ref().and_then(|e| e.get(env_var)) {
            return Some(v.to_string());
        }
        self.profile.get(key).map(str::to_string)
    }
}

impl ProvideCredentials for WebIdentityProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let Some(token_file) = self
                .setting("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE")
                .filter(|s| !s.is_empty())
            else {
                return Err(CredentialsError::not_loaded(
                    NAME,
                    "no web_identity_token_file configured",
                ));
            };
            let Some(role_arn) = self
                .setting("role_arn", "AWS_ROLE_ARN")
                .filter(|s| !s.is_empty())
            else {
                return Err(CredentialsError::invalid_config(
                    NAME,
                    "the profile or environment is configured to assume role with web identity but has no role ARN \
                     configured; set role_arn in the profile or the AWS_ROLE_ARN environment variable",
                ));
            };
            let Some(sts) = &self.sts else {
                return Err(CredentialsError::NeedsClient {
                    provider: NAME,
                    api: "STS AssumeRoleWithWebIdentity",
                });
            };
            let path = self.home_env.expand_path(&token_file);
            let token = tokio::fs::read_to_string(&path).await.map_err(|e| {
                CredentialsError::failed(
                    NAME,
                    format!(
                        "could not read the web identity token file {}: {e}",
                        path.display()
                    ),
                )
            })?;
            let session_name = self
                .setting("role_session_name", "AWS_ROLE_SESSION_NAME")
                .unwrap_or_else(|| default_session_name((self.clock)()));
            let request = AssumeRoleWithWebIdentityRequest {
                role_arn: role_arn.clone(),
                role_session_name: session_name,
                web_identity_token: token,
                region: self.region.clone(),
            };
            sts.assume_role_with_web_identity(request)
                .await
                .map(|c| c.with_provider(NAME))
                .map_err(|e| {
                    CredentialsError::failed(
                        NAME,
                        format!("AssumeRoleWithWebIdentity for {role_arn} failed: {e}"),
                    )
                })
        })
    }
    fn name(&self) -> &'static str {
        NAME
    }
}
