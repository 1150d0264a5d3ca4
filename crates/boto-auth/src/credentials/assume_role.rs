//! Profiles with `role_arn`: STS AssumeRole from a source profile or a named
//! credential source, possibly through a chain of source profiles.
//!
//! The whole chain is planned from the config before anything is called
//! ([`plan_assume_role`]): each hop's settings are validated, `source_profile`
//! and `credential_source` are mutually exclusive, and a loop is an error
//! (except a profile naming itself while holding static keys, which botocore
//! allows). The plan then runs: the base credentials come from the last source
//! profile's own providers (web identity, SSO, files, process) or from
//! `Environment`/`Ec2InstanceMetadata`/`EcsContainer`, and each role is assumed
//! in turn with the previous hop's credentials.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::chain::ProviderFactory;
use super::sts::{default_session_name, AssumeRoleRequest};
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::config::{Profile, ProfileSet};

const NAME: &str = "assume-role";

/// Asks the user for an MFA code; the argument is the `mfa_serial`.
pub type MfaPrompt = Arc<dyn Fn(&str) -> Result<String, String> + Send + Sync>;

/// A named source of base credentials (`credential_source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialSource {
    /// `Environment`: the `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` variables.
    Environment,
    /// `Ec2InstanceMetadata`: the instance role from IMDS.
    Ec2InstanceMetadata,
    /// `EcsContainer`: the container credentials endpoint.
    EcsContainer,
}

impl CredentialSource {
    /// Case-insensitive, as botocore compares canonical names.
    pub fn parse(s: &str) -> Option<CredentialSource> {
        [
            ("environment", CredentialSource::Environment),
            ("ec2instancemetadata", CredentialSource::Ec2InstanceMetadata),
            ("ecscontainer", CredentialSource::EcsContainer),
        ]
        .into_iter()
        .find_map(|(n, v)| s.eq_ignore_ascii_case(n).then_some(v))
    }
}

/// Where the first hop's credentials come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceCredentials {
    /// The providers of this profile (static keys, web identity, SSO, process).
    Profile(String),
    /// A `credential_source`, named in the given profile.
    Named {
        /// The named source.
        source: CredentialSource,
        /// The profile whose `credential_source` names it.
        profile: String,
    },
}

/// One AssumeRole call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleStep {
    /// The profile holding these settings.
    pub profile: String,
    /// `role_arn`: the role to assume.
    pub role_arn: String,
    /// `external_id`, passed to AssumeRole as `ExternalId`.
    pub external_id: Option<String>,
    /// `role_session_name`; botocore's `botocore-session-<time>` when absent.
    pub role_session_name: Option<String>,
    /// `duration_seconds`, the session's lifetime.
    pub duration_seconds: Option<i32>,
    /// `mfa_serial`: the MFA device; the code is asked for with the MFA prompt.
    pub mfa_serial: Option<String>,
}

/// The planned chain: base credentials, then roles in the order they are assumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolePlan {
    /// Where the first role's caller credentials come from.
    pub source: SourceCredentials,
    /// The roles, first assumed first (`source_profile` chains).
    pub steps: Vec<RoleStep>,
}

fn has_static(p: &Profile) -> bool {
    p.contains("aws_access_key_id") || p.contains("aws_secret_access_key")
}

fn has_assume_role(p: &Profile) -> bool {
    p.contains("role_arn") && !p.contains("web_identity_token_file")
}

fn invalid(msg: String) -> CredentialsError {
    CredentialsError::invalid_config(NAME, msg)
}

/// Plans the role chain for `profile_name`; `Ok(None)` if it has no `role_arn`
/// (or is a web identity profile).
pub fn plan_assume_role(
    profiles: &ProfileSet,
    profile_name: &str,
) -> Result<Option<RolePlan>, CredentialsError> {
    match profiles.profile(profile_name) {
        Some(p) if has_assume_role(p) => {}
        _ => return Ok(None),
    }
    let mut visited = vec![profile_name.to_string()];
    let mut steps = Vec::new();
    let mut current = profile_name.to_string();
    let source = loop {
        let Some(profile) = profiles.profile(&current) else {
            return Err(invalid(format!("the profile \"{current}\" does not exist")));
        };
        let role_arn = profile.get("role_arn").unwrap_or_default().to_string();
        steps.push(RoleStep {
            profile: current.clone(),
            role_arn,
            external_id: profile.get("external_id").map(str::to_string),
            role_session_name: profile.get("role_session_name").map(str::to_string),
            duration_seconds: profile
                .get("duration_seconds")
                .and_then(|d| d.trim().parse().ok()),
            mfa_serial: profile.get("mfa_serial").map(str::to_string),
        });
        match (profile.get("source_profile"), profile.get("credential_source")) {
            (Some(_), Some(_)) => {
                return Err(invalid(format!("the profile \"{current}\" contains both source_profile and credential_source")))
            }
            (None, None) => {
                return Err(invalid(format!(
                    "partial credentials: the profile \"{current}\" has role_arn but neither source_profile nor \
                     credential_source"
                )))
            }
            (None, Some(named)) => {
                let source = CredentialSource::parse(named).ok_or_else(|| {
                    invalid(format!(
                        "the credential source \"{named}\" referenced in profile \"{current}\" is not valid \
                         (expected Environment, Ec2InstanceMetadata or EcsContainer)"
                    ))
                })?;
                break SourceCredentials::Named { source, profile: current.clone() };
            }
            (Some(src), None) => {
                let Some(src_profile) = profiles.profile(src) else {
                    return Err(invalid(format!(
                        "the source_profile \"{src}\" referenced in the profile \"{current}\" does not exist"
                    )));
                };
                if visited.iter().any(|v| v == src) && (src != current || !has_static(src_profile)) {
                    return Err(invalid(format!(
                        "infinite loop in credential configuration detected: attempting to load from profile {src} \
                         which has already been visited; visited profiles: {}",
                        visited.join(", ")
                    )));
                }
                visited.push(src.to_string());
                if has_static(src_profile) || !has_assume_role(src_profile) {
                    break SourceCredentials::Profile(src.to_string());
                }
                current = src.to_string();
            }
        }
    };
    steps.reverse();
    Ok(Some(RolePlan { source, steps }))
}

/// Assumes the role(s) configured in a profile.
pub struct AssumeRoleProvider {
    factory: Arc<ProviderFactory>,
    profile: String,
    source: Mutex<Option<Arc<dyn ProvideCredentials>>>,
    mfa_used: AtomicBool,
}

impl std::fmt::Debug for AssumeRoleProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AssumeRoleProvider")
            .field("profile", &self.profile)
            .finish()
    }
}

impl AssumeRoleProvider {
    /// The provider name carried by the credentials it returns ([`Credentials::provider`](crate::credentials::Credentials::provider)), and shown by `--debug`.
    pub const NAME: &'static str = NAME;

    /// Assumes the role of `profile` (`role_arn` with `source_profile` or `credential_source`), building the source providers with `factory`.
    pub fn new(factory: Arc<ProviderFactory>, profile: impl Into<String>) -> Self {
        AssumeRoleProvider {
            factory,
            profile: profile.into(),
            source: Mutex::new(None),
            mfa_used: AtomicBool::new(false),
        }
    }

    fn source_provider(&self, plan: &RolePlan) -> Arc<dyn ProvideCredentials> {
        let mut slot = self.source.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert_with(|| self.factory.source_provider(&plan.source))
            .clone()
    }

    async fn base_credentials(&self, plan: &RolePlan) -> Result<Credentials, CredentialsError> {
        match self.source_provider(plan).provide().await {
            Ok(c) => Ok(c),
            Err(CredentialsError::NoCredentials { tried }) => {
                let tried: Vec<&str> = tried.iter().map(|(p, _)| *p).collect();
                let source = match &plan.source {
                    SourceCredentials::Profile(p) => format!("source profile \"{p}\""),
                    SourceCredentials::Named { source, profile } => format!("credential_source {source:?} of profile {profile}"),
                };
                Err(invalid(format!("the {source} must have credentials (tried {})", tried.join(", "))))
            }
            Err(CredentialsError::NotLoaded { provider, reason }) => Err(match &plan.source {
                SourceCredentials::Profile(p) => invalid(format!("the source profile \"{p}\" must have credentials ({provider}: {reason})")),
                SourceCredentials::Named { source, profile } => CredentialsError::failed(
                    NAME,
                    format!("no credentials found in credential_source {source:?} referenced in profile {profile} ({reason})"),
                ),
            }),
            Err(e) => Err(e),
        }
    }
}

impl ProvideCredentials for AssumeRoleProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let Some(plan) = plan_assume_role(&self.factory.profiles, &self.profile)? else {
                return Err(CredentialsError::not_loaded(
                    NAME,
                    "the profile has no role_arn",
                ));
            };
            let Some(sts) = self.factory.sts.clone() else {
                return Err(CredentialsError::NeedsClient {
                    provider: NAME,
                    api: "STS AssumeRole",
                });
            };
            let needs_mfa = plan.steps.iter().any(|s| s.mfa_serial.is_some());
            if needs_mfa && self.mfa_used.load(Ordering::SeqCst) {
                return Err(CredentialsError::failed(
                    NAME,
                    "cannot refresh credentials: MFA-protected role credentials can't be refreshed without a new MFA \
                     code; create a new session",
                ));
            }
            let mut creds = self.base_credentials(&plan).await?;
            for step in &plan.steps {
                let token_code = match &step.mfa_serial {
                    None => None,
                    Some(serial) => {
                        let prompt = self.factory.mfa_prompt.as_ref().ok_or_else(|| {
                            invalid(format!("profile \"{}\" needs an MFA code for {serial} but no prompt is configured", step.profile))
                        })?;
                        self.mfa_used.store(true, Ordering::SeqCst);
                        Some(prompt(serial).map_err(|e| {
                            CredentialsError::failed(NAME, format!("MFA prompt failed: {e}"))
                        })?)
                    }
                };
                let request = AssumeRoleRequest {
                    role_arn: step.role_arn.clone(),
                    role_session_name: step
                        .role_session_name
                        .clone()
                        .unwrap_or_else(|| default_session_name((self.factory.clock)())),
                    external_id: step.external_id.clone(),
                    serial_number: step.mfa_serial.clone(),
                    token_code,
                    duration_seconds: step.duration_seconds,
                    source_credentials: creds,
                    region: self.factory.region.clone(),
                };
                creds = sts
                    .assume_role(request)
                    .await
                    .map(|c| c.with_provider(NAME))
                    .map_err(|e| {
                        CredentialsError::failed(
                            NAME,
                            format!(
                                "AssumeRole for {} (profile \"{}\") failed: {e}",
                                step.role_arn, step.profile
                            ),
                        )
                    })?;
            }
            Ok(creds)
        })
    }
    fn name(&self) -> &'static str {
        NAME
    }
}
