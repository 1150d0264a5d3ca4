//! The provider chain and the builder of boto3's default chain.
//!
//! Order (botocore's `create_credential_resolver`): explicit keys → environment
//! (skipped when the profile was named explicitly) → assume-role profile →
//! web identity → SSO → shared credentials file → `credential_process` →
//! config-file keys → container → IMDS. The first provider that returns
//! credentials wins and is asked again on refresh (as botocore refreshes through
//! the provider that found the credentials); a provider that does not apply
//! ([`CredentialsError::NotLoaded`]) passes to the next; any other error stops
//! the chain. The chain is wrapped in a [`CredentialsCache`].

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::assume_role::{AssumeRoleProvider, CredentialSource, MfaPrompt, SourceCredentials};
use super::http::{HttpClient, TcpHttpClient};
use super::imds::ImdsConfig;
use super::sts::{SsoApi, SsoOidcApi, StsApi};
use super::{
    system_clock, BoxFuture, Clock, ConfigFileProvider, ContainerProvider, Credentials,
    CredentialsCache, CredentialsError, EnvironmentProvider, ImdsProvider, ProcessProvider,
    ProvideCredentials, SharedCredentialsProvider, SsoProvider, StaticProvider,
    WebIdentityProvider,
};
use crate::config::{ConfigError, ConfigResolver, Env, ProfileSelection, ProfileSet, Section};

/// Tries providers in order.
pub struct ChainProvider {
    providers: Vec<Arc<dyn ProvideCredentials>>,
    winner: Mutex<Option<usize>>,
}

impl std::fmt::Debug for ChainProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainProvider")
            .field("providers", &self.names())
            .finish()
    }
}

impl ChainProvider {
    /// Tries `providers` in order; the first that loads credentials wins, a `NotLoaded` moves on, any other error stops the chain.
    pub fn new(providers: Vec<Arc<dyn ProvideCredentials>>) -> Self {
        ChainProvider {
            providers,
            winner: Mutex::new(None),
        }
    }
    /// Provider names in order.
    pub fn names(&self) -> Vec<&'static str> {
        self.providers.iter().map(|p| p.name()).collect()
    }
    fn winner(&self) -> Option<usize> {
        *self.winner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl ProvideCredentials for ChainProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            if let Some(i) = self.winner() {
                let p = &self.providers[i];
                return p.provide().await.map_err(|e| match e {
                    CredentialsError::NotLoaded { provider, reason } => CredentialsError::failed(
                        provider,
                        format!("credential refresh failed: {reason}"),
                    ),
                    e => e,
                });
            }
            let mut tried = Vec::new();
            for (i, p) in self.providers.iter().enumerate() {
                match p.provide().await {
                    Ok(c) => {
                        *self.winner.lock().unwrap_or_else(|e| e.into_inner()) = Some(i);
                        return Ok(c);
                    }
                    Err(CredentialsError::NotLoaded { provider, reason }) => {
                        tried.push((provider, reason))
                    }
                    Err(e) => return Err(e),
                }
            }
            Err(CredentialsError::NoCredentials { tried })
        })
    }
    fn name(&self) -> &'static str {
        "chain"
    }
}

/// Everything needed to build providers for a profile; shared by the default
/// chain and by assume-role (which builds its source profile's providers).
pub struct ProviderFactory {
    pub(crate) env: Env,
    pub(crate) profiles: Arc<ProfileSet>,
    pub(crate) sts: Option<Arc<dyn StsApi>>,
    pub(crate) sso: Option<Arc<dyn SsoApi>>,
    pub(crate) sso_oidc: Option<Arc<dyn SsoOidcApi>>,
    pub(crate) region: Option<String>,
    pub(crate) mfa_prompt: Option<MfaPrompt>,
    pub(crate) clock: Clock,
    pub(crate) sso_cache_dir: Option<PathBuf>,
    pub(crate) container: ContainerProvider,
    pub(crate) imds: ImdsProvider,
}

impl std::fmt::Debug for ProviderFactory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderFactory")
            .field("region", &self.region)
            .field("has_sts", &self.sts.is_some())
            .finish()
    }
}

impl ProviderFactory {
    /// The profile-scoped providers: web identity, SSO, credentials file,
    /// `credential_process`, config file (botocore's `ProfileProviderBuilder`).
    pub fn profile_providers(&self, profile: &str, use_env_vars: bool) -> ChainProvider {
        let section = self
            .profiles
            .profile(profile)
            .cloned()
            .unwrap_or_else(|| Section::new(profile));
        let mut sso = SsoProvider::new(&self.env, self.profiles.clone(), profile)
            .with_clients(self.sso.clone(), self.sso_oidc.clone())
            .with_clock(self.clock.clone());
        if let Some(dir) = &self.sso_cache_dir {
            sso = sso.with_cache_dir(dir.clone());
        }
        ChainProvider::new(vec![
            Arc::new(
                WebIdentityProvider::new(self.env.clone(), use_env_vars, section, self.sts.clone())
                    .with_region(self.region.clone())
                    .with_clock(self.clock.clone()),
            ),
            Arc::new(sso),
            Arc::new(SharedCredentialsProvider::new(
                self.profiles.clone(),
                profile,
            )),
            Arc::new(ProcessProvider::new(self.profiles.clone(), profile)),
            Arc::new(ConfigFileProvider::new(self.profiles.clone(), profile)),
        ])
    }

    /// Base credentials for an assume-role plan, cached.
    pub(crate) fn source_provider(
        self: &Arc<Self>,
        source: &SourceCredentials,
    ) -> Arc<dyn ProvideCredentials> {
        let inner: Arc<dyn ProvideCredentials> = match source {
            SourceCredentials::Profile(p) => Arc::new(self.profile_providers(p, false)),
            SourceCredentials::Named {
                source: CredentialSource::Environment,
                ..
            } => Arc::new(EnvironmentProvider::new(self.env.clone())),
            SourceCredentials::Named {
                source: CredentialSource::EcsContainer,
                ..
            } => Arc::new(self.container.clone()),
            SourceCredentials::Named {
                source: CredentialSource::Ec2InstanceMetadata,
                ..
            } => Arc::new(self.imds.clone()),
        };
        Arc::new(CredentialsCache::new(inner).with_clock(self.clock.clone()))
    }
}

/// Builds boto3's default credential chain from an [`Env`] and the shared files.
pub struct DefaultChainBuilder {
    env: Env,
    profiles: Option<Arc<ProfileSet>>,
    profile: Option<String>,
    explicit: Option<Credentials>,
    sts: Option<Arc<dyn StsApi>>,
    sso: Option<Arc<dyn SsoApi>>,
    sso_oidc: Option<Arc<dyn SsoOidcApi>>,
    region: Option<String>,
    http: Arc<dyn HttpClient>,
    https: Option<Arc<dyn HttpClient>>,
    mfa_prompt: Option<MfaPrompt>,
    clock: Clock,
    sso_cache_dir: Option<PathBuf>,
    container: Option<ContainerProvider>,
    imds: Option<ImdsProvider>,
}

impl DefaultChainBuilder {
    /// A builder for boto3's default chain, reading variables and files through `env`.
    pub fn new(env: Env) -> Self {
        DefaultChainBuilder {
            env,
            profiles: None,
            profile: None,
            explicit: None,
            sts: None,
            sso: None,
            sso_oidc: None,
            region: None,
            http: Arc::new(TcpHttpClient),
            https: None,
            mfa_prompt: None,
            clock: system_clock(),
            sso_cache_dir: None,
            container: None,
            imds: None,
        }
    }
    /// Use these parsed files instead of loading them from the paths in `env`.
    pub fn profile_set(mut self, profiles: Arc<ProfileSet>) -> Self {
        self.profiles = Some(profiles);
        self
    }
    /// Name the profile explicitly (disables environment-variable credentials, like botocore).
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }
    /// Keys given directly to the session/client; they win over everything.
    pub fn explicit_credentials(mut self, credentials: Credentials) -> Self {
        self.explicit = Some(credentials);
        self
    }
    /// The STS client for assume-role and web-identity profiles (without it they fail with `NeedsClient`).
    pub fn sts(mut self, sts: Arc<dyn StsApi>) -> Self {
        self.sts = Some(sts);
        self
    }
    /// The SSO portal client for `sso_*` profiles.
    pub fn sso(mut self, sso: Arc<dyn SsoApi>) -> Self {
        self.sso = Some(sso);
        self
    }
    /// The SSO-OIDC client that refreshes expired SSO tokens.
    pub fn sso_oidc(mut self, oidc: Arc<dyn SsoOidcApi>) -> Self {
        self.sso_oidc = Some(oidc);
        self
    }
    /// Region passed to STS requests (the session's region).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }
    /// HTTP client for IMDS and container endpoints (default: built-in plain-http client).
    pub fn http_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.http = client;
        self
    }
    /// Client used for `https` container full URIs.
    pub fn https_client(mut self, client: Arc<dyn HttpClient>) -> Self {
        self.https = Some(client);
        self
    }
    /// Asks for MFA codes of assume-role profiles with `mfa_serial` (without one they fail).
    pub fn mfa_prompt(mut self, prompt: MfaPrompt) -> Self {
        self.mfa_prompt = Some(prompt);
        self
    }
    /// Use this clock instead of the system time (tests drive expiry and refresh with it).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }
    /// Directory of SSO token cache files (default `~/.aws/sso/cache`).
    pub fn sso_cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.sso_cache_dir = Some(dir.into());
        self
    }
    /// Replace the container provider (e.g. other timeouts).
    pub fn container_provider(mut self, p: ContainerProvider) -> Self {
        self.container = Some(p);
        self
    }
    /// Replace the IMDS provider (e.g. another endpoint).
    pub fn imds_provider(mut self, p: ImdsProvider) -> Self {
        self.imds = Some(p);
        self
    }

    /// The uncached chain and the factory behind it.
    pub fn build_chain(self) -> Result<(ChainProvider, Arc<ProviderFactory>), ConfigError> {
        let profiles = match self.profiles {
            Some(p) => p,
            None => Arc::new(ProfileSet::load(&self.env)?),
        };
        let selection = ProfileSelection::resolve(self.profile.as_deref(), &self.env);
        let resolver = ConfigResolver::new(self.env.clone(), profiles.clone(), &selection)?;
        let imds = match self.imds {
            Some(p) => p,
            None => ImdsProvider::new(ImdsConfig::from_config(&resolver)?)
                .with_http_client(self.http.clone())
                .with_clock(self.clock.clone()),
        };
        let container = self.container.unwrap_or_else(|| {
            let c = ContainerProvider::new(self.env.clone()).with_http_client(self.http.clone());
            match &self.https {
                Some(h) => c.with_https_client(h.clone()),
                None => c,
            }
        });
        let factory = Arc::new(ProviderFactory {
            env: self.env.clone(),
            profiles,
            sts: self.sts,
            sso: self.sso,
            sso_oidc: self.sso_oidc,
            region: self
                .region
                .or_else(|| resolver.region(None).map(|r| r.value)),
            mfa_prompt: self.mfa_prompt,
            clock: self.clock,
            sso_cache_dir: self.sso_cache_dir,
            container,
            imds,
        });
        let mut providers: Vec<Arc<dyn ProvideCredentials>> = Vec::new();
        if let Some(c) = self.explicit {
            providers.push(Arc::new(StaticProvider::new(c)));
        }
        if !selection.explicit {
            providers.push(Arc::new(EnvironmentProvider::new(self.env.clone())));
        }
        providers.push(Arc::new(AssumeRoleProvider::new(
            factory.clone(),
            selection.name.clone(),
        )));
        let profile_chain = factory.profile_providers(&selection.name, !selection.explicit);
        providers.extend(profile_chain.providers);
        providers.push(Arc::new(factory.container.clone()));
        providers.push(Arc::new(factory.imds.clone()));
        Ok((ChainProvider::new(providers), factory))
    }

    /// The default chain wrapped in a [`CredentialsCache`]: call `provide()`/`get()` on it.
    pub fn build(self) -> Result<CredentialsCache, ConfigError> {
        let clock = self.clock.clone();
        // Explicit credentials come first and always answer, so the rest of
        // the chain would never be asked: don't build it (botocore's
        // `create_client` with keys does not set up its resolver either).
        if let Some(c) = self.explicit {
            return Ok(CredentialsCache::new(Arc::new(StaticProvider::new(c))).with_clock(clock));
        }
        let (chain, _) = self.build_chain()?;
        Ok(CredentialsCache::new(Arc::new(chain)).with_clock(clock))
    }
}
