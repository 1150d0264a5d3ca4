//! IAM Identity Center (SSO) role credentials via SSO GetRoleCredentials.
//!
//! A profile uses SSO when it has `sso_role_name` or `sso_account_id`. With
//! `sso_session = name` the start URL and region come from `[sso-session name]`
//! (values present in both places must agree) and the token may be refreshed;
//! without it the legacy `sso_start_url`/`sso_region` keys in the profile are
//! used. All four of role name, account id, start URL and region are required.

use std::path::PathBuf;
use std::sync::Arc;

use super::sso_token::SsoTokenProvider;
use super::sts::{GetRoleCredentialsRequest, SsoApi, SsoOidcApi};
use super::{system_clock, BoxFuture, Clock, Credentials, CredentialsError, ProvideCredentials};
use crate::config::{Env, ProfileSet};

const NAME: &str = "sso";

/// Resolved SSO settings of a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SsoConfig {
    pub start_url: String,
    pub region: String,
    pub role_name: String,
    pub account_id: String,
    pub session_name: Option<String>,
}

/// `Ok(None)` when the profile is not an SSO profile.
pub(crate) fn sso_config(
    profiles: &ProfileSet,
    profile_name: &str,
) -> Result<Option<SsoConfig>, CredentialsError> {
    let Some(profile) = profiles.profile(profile_name) else {
        return Ok(None);
    };
    if !profile.contains("sso_role_name") && !profile.contains("sso_account_id") {
        return Ok(None);
    }
    let mut values: Vec<(String, String)> = profile
        .keys()
        .filter_map(|k| profile.get(k).map(|v| (k.to_string(), v.to_string())))
        .collect();
    let session_name = profile.get("sso_session").map(str::to_string);
    if let Some(name) = &session_name {
        let session = profiles.sso_session(name).ok_or_else(|| {
            CredentialsError::invalid_config(
                NAME,
                format!("the specified sso-session does not exist: \"{name}\""),
            )
        })?;
        for key in session.keys() {
            let Some(val) = session.get(key) else {
                continue;
            };
            match values.iter().find(|(k, _)| k == key) {
                Some((_, existing)) if existing != val => {
                    return Err(CredentialsError::invalid_config(
                        NAME,
                        format!("the value for {key} is inconsistent between profile ({existing}) and sso-session ({val})"),
                    ))
                }
                Some(_) => {}
                None => values.push((key.to_string(), val.to_string())),
            }
        }
    }
    let get = |k: &str| {
        values
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    let required = [
        "sso_role_name",
        "sso_account_id",
        "sso_start_url",
        "sso_region",
    ];
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|k| get(k).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(CredentialsError::invalid_config(
            NAME,
            format!(
                "the profile \"{profile_name}\" is configured to use SSO but is missing required configuration: {}",
                missing.join(", ")
            ),
        ));
    }
    Ok(Some(SsoConfig {
        start_url: get("sso_start_url").unwrap_or_default(),
        region: get("sso_region").unwrap_or_default(),
        role_name: get("sso_role_name").unwrap_or_default(),
        account_id: get("sso_account_id").unwrap_or_default(),
        session_name,
    }))
}

/// Gets role credentials from the SSO portal with the cached login token.
#[derive(Clone)]
pub struct SsoProvider {
    profiles: Arc<ProfileSet>,
    profile: String,
    cache_dir: Option<PathBuf>,
    sso: Option<Arc<dyn SsoApi>>,
    oidc: Option<Arc<dyn SsoOidcApi>>,
    clock: Clock,
}

impl std::fmt::Debug for SsoProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SsoProvider")
            .field("profile", &self.profile)
            .field("cache_dir", &self.cache_dir)
            .finish()
    }
}

impl SsoProvider {
    /// The provider name carried by the credentials it returns ([`Credentials::provider`](crate::credentials::Credentials::provider)), and shown by `--debug`.
    pub const NAME: &'static str = NAME;

    /// The token cache is `~/.aws/sso/cache` under `env`'s home directory.
    pub fn new(env: &Env, profiles: Arc<ProfileSet>, profile: impl Into<String>) -> Self {
        SsoProvider {
            profiles,
            profile: profile.into(),
            cache_dir: env
                .home_dir()
                .map(|h| h.join(".aws").join("sso").join("cache")),
            sso: None,
            oidc: None,
            clock: system_clock(),
        }
    }
    /// The SSO portal client (GetRoleCredentials) and the SSO-OIDC client (token refresh).
    pub fn with_clients(
        mut self,
        sso: Option<Arc<dyn SsoApi>>,
        oidc: Option<Arc<dyn SsoOidcApi>>,
    ) -> Self {
        self.sso = sso;
        self.oidc = oidc;
        self
    }
    /// Read and write cached SSO tokens in `dir` instead of `~/.aws/sso/cache`.
    pub fn with_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }
    /// Use this clock instead of the system time (tests drive expiry and refresh with it).
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
}

impl ProvideCredentials for SsoProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let Some(config) = sso_config(&self.profiles, &self.profile)? else {
                return Err(CredentialsError::not_loaded(
                    NAME,
                    "the profile has no sso_role_name or sso_account_id",
                ));
            };
            let Some(sso) = &self.sso else {
                return Err(CredentialsError::NeedsClient {
                    provider: NAME,
                    api: "SSO GetRoleCredentials",
                });
            };
            let Some(cache_dir) = &self.cache_dir else {
                return Err(CredentialsError::failed(
                    NAME,
                    "no home directory to find the SSO token cache in",
                ));
            };
            let token = SsoTokenProvider::new(
                cache_dir.clone(),
                config.start_url.clone(),
                config.region.clone(),
                config.session_name.clone(),
                self.oidc.clone(),
            )
            .with_clock(self.clock.clone())
            .load_token()
            .await?;
            let request = GetRoleCredentialsRequest {
                role_name: config.role_name.clone(),
                account_id: config.account_id.clone(),
                access_token: token.access_token,
                region: config.region.clone(),
            };
            match sso.get_role_credentials(request).await {
                Ok(c) => Ok(c.with_provider(NAME).with_account_id(Some(config.account_id))),
                Err(e) if e.code.as_deref() == Some("UnauthorizedException") => Err(CredentialsError::failed(
                    NAME,
                    "the SSO session associated with this profile has expired or is otherwise invalid; to refresh \
                     this SSO session run `aws sso login` with the corresponding profile",
                )),
                Err(e) => Err(CredentialsError::failed(
                    NAME,
                    format!("GetRoleCredentials for role {} in account {} failed: {e}", config.role_name, config.account_id),
                )),
            }
        })
    }
    fn name(&self) -> &'static str {
        NAME
    }
}
