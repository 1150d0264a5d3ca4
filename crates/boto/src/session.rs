//! `Session`: where configuration and credentials come from, like `boto3.Session`.
//!
//! A session reads the environment and the shared config/credentials files
//! once, resolves settings with boto3's precedence (explicit > environment >
//! profile > defaults) and owns one refreshing credentials cache, which every
//! client it creates shares. A process-wide default session backs the
//! module-level helpers, and switching its profile is one call
//! ([`setup_default_session`]).

use crate::sts_bridge::Bridge;
use boto_auth::config::{
    resolve_configured_endpoint_url, settings, snake_case_service_id, AccountIdEndpointMode,
    AddressingStyle, ConfigError, ConfigResolver, ConfigValues, EndpointDiscovery, Env,
    ExplicitConfig, RegionalEndpoints, RetryMode, Setting,
};
use boto_auth::credentials::{
    Credentials, CredentialsCache, DefaultChainBuilder, ProvideCredentials, ProvideToken,
    SsoTokenProvider, StaticToken,
};
use boto_auth::sigv4::BearerToken;
use boto_runtime::{Client, ClientConfig, Error, ErrorKind};
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Duration;

/// Per-client overrides, like boto3's `session.client(..., region_name=, endpoint_url=, config=Config(...))`.
#[derive(Debug, Clone, Default)]
pub struct ClientOptions {
    /// `region_name=`: the region for this client instead of the session's.
    pub region: Option<String>,
    /// `endpoint_url=`: a custom endpoint (a local emulator, a VPC endpoint); it wins over
    /// `AWS_ENDPOINT_URL[_<SERVICE>]` and the profile's `endpoint_url`.
    pub endpoint_url: Option<String>,
    /// `verify=False` when `Some(false)`: accept any TLS certificate (local testing only).
    pub verify_tls: Option<bool>,
    /// `verify="bundle.pem"`: a PEM file of extra trusted CA certificates (over `AWS_CA_BUNDLE`
    /// and the profile's `ca_bundle`).
    pub ca_bundle: Option<String>,
    /// `Config(connect_timeout=)`; default 60 s.
    pub connect_timeout: Option<Duration>,
    /// `Config(read_timeout=)`: for the headers and each body chunk; default 60 s.
    pub read_timeout: Option<Duration>,
    /// `Some(false)` sends unsigned requests (`--no-sign-request`).
    pub sign_requests: Option<bool>,
    /// `Config(retries={"mode": ...})`: legacy, standard or adaptive.
    pub retry_mode: Option<RetryMode>,
    /// `Config(retries={"total_max_attempts": ...})`: attempts, the first included.
    pub max_attempts: Option<u32>,
    /// `Config(s3={"addressing_style": ...})`: auto, virtual or path.
    pub addressing_style: Option<AddressingStyle>,
    /// `Config(max_pool_connections=)`: requests in flight at once; default 10.
    pub max_pool_connections: Option<usize>,
    /// `Config(disable_request_compression=)`: never gzip request bodies (over
    /// `AWS_DISABLE_REQUEST_COMPRESSION` and the profile's key).
    pub disable_request_compression: Option<bool>,
    /// `Config(request_min_compression_size_bytes=)`: gzip bodies at least this long
    /// (1..=1048576, default 10240; over `AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES`).
    pub request_min_compression_size_bytes: Option<u64>,
    /// `Config(account_id_endpoint_mode=)`: preferred (default), required or disabled (over
    /// `AWS_ACCOUNT_ID_ENDPOINT_MODE` and the profile's key; unsigned clients use disabled).
    pub account_id_endpoint_mode: Option<AccountIdEndpointMode>,
    /// `Config(endpoint_discovery_enabled=)`: auto (default), true or false (over
    /// `AWS_ENDPOINT_DISCOVERY_ENABLED` and the profile's key).
    pub endpoint_discovery: Option<EndpointDiscovery>,
    /// `Config(user_agent_appid=)`: an application id sent as `app/<id>` in the `User-Agent`
    /// (over `AWS_SDK_UA_APP_ID` and the profile's `sdk_ua_app_id`).
    pub user_agent_appid: Option<String>,
    /// `Config(s3={"disable_s3_express_session_auth": ...})`: sign S3 directory-bucket
    /// requests with the caller's own credentials instead of `CreateSession` session keys
    /// (over `AWS_S3_DISABLE_EXPRESS_SESSION_AUTH` and the profile's
    /// `s3_disable_express_session_auth`; S3 clients only).
    pub s3_disable_express_session_auth: Option<bool>,
    /// `Config(signature_version=)` other than `UNSIGNED` (that is `sign_requests`):
    /// `v4`, `s3v4`, `v4a` or `v2` for the operations the model signs.
    pub signature_version: Option<boto_runtime::config::SignatureVersion>,
    /// `Config(sigv4a_signing_region_set=)`: the region set SigV4a signs for (over
    /// `AWS_SIGV4A_SIGNING_REGION_SET` and the profile's key).
    pub sigv4a_signing_region_set: Option<String>,
}

/// Resolves client configuration; shared by the session and its STS/SSO bridge.
pub(crate) struct Resolver {
    pub env: Env,
    pub config: ConfigResolver,
    pub explicit: ExplicitConfig,
}

impl Resolver {
    pub(crate) fn client_config(
        &self,
        service: &str,
        o: &ClientOptions,
    ) -> Result<ClientConfig, Error> {
        let mut explicit = self.explicit.clone();
        if o.region.is_some() {
            explicit.region = o.region.clone();
        }
        explicit.retry_mode = o.retry_mode.or(explicit.retry_mode);
        explicit.max_attempts = o.max_attempts.or(explicit.max_attempts);
        explicit.addressing_style = o.addressing_style.or(explicit.addressing_style);
        explicit.connect_timeout = o.connect_timeout.or(explicit.connect_timeout);
        explicit.read_timeout = o.read_timeout.or(explicit.read_timeout);
        if o.ca_bundle.is_some() {
            explicit.ca_bundle = o.ca_bundle.clone();
        }
        let v: ConfigValues = self.config.resolve_all(&explicit)?;
        let profile = self.config.profile();
        let endpoint_url = resolve_configured_endpoint_url(
            o.endpoint_url.as_deref(),
            None,
            &snake_case_service_id(service),
            &self.env,
            self.config.profiles(),
            profile,
        )?
        .map(|c| c.url);
        // Every other setting: one entry of boto_auth's settings table, one typed lookup.
        let sign_requests = o.sign_requests.unwrap_or(true);
        // botocore's `_compute_account_id_endpoint_mode_config`: unsigned clients have no
        // account id to use, so the mode is `disabled` without reading the setting.
        let account_id_endpoint_mode = match sign_requests {
            true => self.setting(
                &settings::ACCOUNT_ID_ENDPOINT_MODE,
                o.account_id_endpoint_mode,
            )?,
            false => AccountIdEndpointMode::Disabled,
        };
        let min_size = &settings::REQUEST_MIN_COMPRESSION_SIZE_BYTES;
        let explicit_min_size = o
            .request_min_compression_size_bytes
            .map(|n| min_size.parse_explicit(&n.to_string()))
            .transpose()
            .map_err(config_error)?;
        // botocore's `_is_s3_dualstack_mode`: S3's own `s3.use_dualstack_endpoint = true`
        // turns dual-stack on for S3 clients; otherwise the general setting decides.
        let s3_dualstack = service == "s3"
            && (self.config.get(&settings::S3_USE_DUALSTACK_ENDPOINT, None))
                .map_err(config_error)?
                .is_some_and(|r| r.value);
        // botocore's `_build_app_id`: `app/<id>`, characters outside the User-Agent token
        // set replaced by `-`.
        let app_id = (self.config)
            .get(&settings::USER_AGENT_APPID, o.user_agent_appid.clone())
            .map_err(config_error)?
            .map(|r| r.value)
            .filter(|id| !id.is_empty())
            .map(|id| format!("app/{}", user_agent_token(&id)));
        // botocore checks `endpoint_discovery_enabled` only where discovery can happen
        // (`_register_endpoint_discovery`: no endpoint_url argument, a service with a
        // discovery operation); elsewhere the value is unused.
        let endpoint_discovery =
            match self.setting(&settings::ENDPOINT_DISCOVERY_ENABLED, o.endpoint_discovery) {
                Ok(v) => v,
                Err(e) if o.endpoint_url.is_none() && has_discovery_operation(service) => {
                    return Err(e)
                }
                Err(_) => EndpointDiscovery::Auto,
            };
        // botocore's `_compute_s3_disable_express_session_auth`, passed to S3's rule set
        // as the client context parameter `DisableS3ExpressSessionAuth`.
        let mut client_context_params = Vec::new();
        if service == "s3" {
            let disable = self.setting(
                &settings::S3_DISABLE_EXPRESS_SESSION_AUTH,
                o.s3_disable_express_session_auth,
            )?;
            client_context_params.push((
                "DisableS3ExpressSessionAuth".to_string(),
                boto_runtime::config::ParamValue::Bool(disable),
            ));
        }
        // Checked like the environment's and profile's text: it is signed into a header.
        let explicit_region_set = (o.sigv4a_signing_region_set.as_deref())
            .map(|t| settings::SIGV4A_SIGNING_REGION_SET.parse_explicit(t))
            .transpose()
            .map_err(config_error)?;
        let legacy = |s: &Setting<RegionalEndpoints>| -> Result<bool, Error> {
            Ok(self.setting(s, None)? == RegionalEndpoints::Legacy)
        };
        Ok(ClientConfig {
            region: v.region.map(|r| r.value),
            endpoint_url,
            use_fips: v.use_fips_endpoint.is_some_and(|r| r.value),
            use_dualstack: s3_dualstack || v.use_dualstack_endpoint.is_some_and(|r| r.value),
            retry_mode: v.retry_mode.value,
            max_attempts: v.max_attempts.map(|r| r.value),
            connect_timeout: v.connect_timeout.value,
            read_timeout: v.read_timeout.value,
            max_pool_connections: o.max_pool_connections.unwrap_or(10),
            verify_tls: o.verify_tls.unwrap_or(true),
            ca_bundle: v.ca_bundle.map(|r| r.value.into()),
            proxies: v.proxies.into(),
            sign_requests,
            addressing_style: v.addressing_style.value,
            s3_use_accelerate: self.setting(&settings::S3_USE_ACCELERATE_ENDPOINT, None)?,
            s3_use_arn_region: (self.config.get(&settings::S3_USE_ARN_REGION, None))
                .map_err(config_error)?
                .map(|r| r.value),
            s3_disable_multiregion_access_points: self
                .setting(&settings::S3_DISABLE_MULTIREGION_ACCESS_POINTS, None)?,
            s3_us_east_1_global: legacy(&settings::S3_US_EAST_1_REGIONAL_ENDPOINT)?,
            sts_global: legacy(&settings::STS_REGIONAL_ENDPOINTS)?,
            request_checksum_calculation: v.request_checksum_calculation.value,
            response_checksum_validation: v.response_checksum_validation.value,
            request_compression: boto_runtime::compression::CompressionConfig {
                disabled: self.setting(
                    &settings::DISABLE_REQUEST_COMPRESSION,
                    o.disable_request_compression,
                )?,
                min_size: self.setting(min_size, explicit_min_size)?,
            },
            account_id_endpoint_mode: Some(account_id_endpoint_mode.as_str().to_string()),
            // botocore's `_compute_inject_host_prefix` (an explicit `inject_host_prefix` is
            // applied over this by the caller).
            disable_host_prefix_injection: (self.config)
                .get(&settings::DISABLE_HOST_PREFIX_INJECTION, None)
                .map_err(config_error)?
                .is_some_and(|r| r.value),
            endpoint_discovery,
            user_agent_extra: app_id,
            client_context_params,
            signature_version: o.signature_version,
            sigv4a_signing_region_set: (self.config)
                .get(&settings::SIGV4A_SIGNING_REGION_SET, explicit_region_set)
                .map_err(config_error)?
                .map(|r| r.value)
                .filter(|set| !set.is_empty()),
            ..ClientConfig::default()
        })
    }

    /// The typed value of a table setting that has a default: explicit, else
    /// environment, else profile, else the default.
    fn setting<T: Clone>(&self, s: &Setting<T>, explicit: Option<T>) -> Result<T, Error> {
        self.config.value(s, explicit).map_err(config_error)
    }
}

/// Whether the service's model has an endpoint-discovery operation (`endpointoperation`).
fn has_discovery_operation(service: &str) -> bool {
    boto_model::Loader::global()
        .service_model(service)
        .is_ok_and(|m| m.operations().iter().any(|op| op.endpoint_operation))
}

/// botocore's `sanitize_user_agent_string_component` (with `#` allowed).
fn user_agent_token(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => c,
            '!' | '$' | '%' | '&' | '\'' | '*' | '+' | '-' | '.' | '^' | '_' | '`' | '|' | '~'
            | '#' => c,
            _ => '-',
        })
        .collect()
}

/// A setting refused with botocore's own message becomes a construction error with
/// exactly that message (as botocore raises it); other configuration errors keep
/// their context.
fn config_error(e: ConfigError) -> Error {
    match e {
        ConfigError::Rejected { message, .. } => Error::construction(message),
        e => e.into(),
    }
}

struct Inner {
    resolver: Arc<Resolver>,
    profile: Option<String>,
    explicit_credentials: Option<Credentials>,
    credentials: OnceLock<Result<Arc<CredentialsCache>, ConfigError>>,
}

/// Configuration and credentials for creating clients: `boto3.Session`.
/// Cheap to clone; clients made from one session share its credentials
/// cache.
///
/// [`Session::new`] reads what boto3 reads, in boto3's order: environment
/// (`AWS_PROFILE`, `AWS_DEFAULT_REGION`, `AWS_ACCESS_KEY_ID`, ...), then the
/// profile in `~/.aws/config` and `~/.aws/credentials`, then container and
/// instance credentials. [`Session::builder`] overrides any of it in code.
/// Credentials are looked up on the first signed call, not here.
///
/// ```
/// # fn main() -> Result<(), boto::Error> {
/// use boto::{ClientOptions, Session};
///
/// // boto3.Session(region_name="eu-west-1", aws_access_key_id=..., aws_secret_access_key=...)
/// let session = Session::builder()
///     .region("eu-west-1")
///     .credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None)
/// #   .env(boto::core::auth::config::Env::default()) // the doc test reads no environment or files
///     .build()?;
/// assert_eq!(session.region().as_deref(), Some("eu-west-1"));
///
/// let s3 = session.client("s3")?;                            // session.client("s3")
/// assert_eq!(s3.config().region.as_deref(), Some("eu-west-1"));
///
/// // session.client("dynamodb", region_name="us-west-2", endpoint_url="http://localhost:8000")
/// let local = session.client_with("dynamodb", &ClientOptions {
///     region: Some("us-west-2".into()),
///     endpoint_url: Some("http://localhost:8000".into()),
///     ..Default::default()
/// })?;
/// assert_eq!(local.config().endpoint_url.as_deref(), Some("http://localhost:8000"));
///
/// // session.get_credentials()
/// let creds = boto::blocking::block_on(session.credentials())??;
/// assert_eq!(creds.access_key_id(), "AKIDEXAMPLE");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Session {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("profile", &self.profile_name())
            .field("region", &self.region())
            .finish_non_exhaustive()
    }
}

/// Builds a [`Session`].
#[derive(Default)]
pub struct SessionBuilder {
    profile: Option<String>,
    region: Option<String>,
    credentials: Option<Credentials>,
    env: Option<Env>,
    explicit: ExplicitConfig,
}

impl SessionBuilder {
    /// Uses a named profile (`AWS_PROFILE` otherwise, then `default`).
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }
    /// [`SessionBuilder::profile`] when `name` is `Some`; `None` keeps the default lookup.
    pub fn profile_opt(mut self, name: Option<String>) -> Self {
        self.profile = name;
        self
    }
    /// The default region of the session's clients (`region_name=`); over
    /// `AWS_DEFAULT_REGION`/`AWS_REGION` and the profile's `region`.
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }
    /// [`SessionBuilder::region`] when `region` is `Some`; `None` resolves it as usual.
    pub fn region_opt(mut self, region: Option<String>) -> Self {
        self.region = region;
        self
    }
    /// Explicit credentials (`aws_access_key_id=...` in boto3).
    pub fn credentials(
        mut self,
        access_key_id: &str,
        secret_access_key: &str,
        session_token: Option<&str>,
    ) -> Self {
        self.credentials = Some(Credentials::new(
            access_key_id,
            secret_access_key,
            session_token.map(str::to_owned),
            None,
            "explicit",
        ));
        self
    }
    /// Reads settings from this environment instead of the process's (tests, sandboxes).
    pub fn env(mut self, env: Env) -> Self {
        self.env = Some(env);
        self
    }
    /// Session-wide setting overrides.
    pub fn config(mut self, explicit: ExplicitConfig) -> Self {
        self.explicit = explicit;
        self
    }

    /// Reads the shared config and credentials files (unless the environment points
    /// elsewhere) and makes the session. Credentials are not resolved yet: that happens on
    /// the first signed call, or [`Session::credentials`].
    ///
    /// # Errors
    ///
    /// A named profile that does not exist (botocore's `ProfileNotFound`, "the config profile
    /// (dev) could not be found") or a config file that cannot be parsed.
    pub fn build(self) -> Result<Session, Error> {
        let env = self.env.unwrap_or_else(Env::from_process);
        let config = ConfigResolver::from_env(env.clone(), self.profile.as_deref())?;
        let mut explicit = self.explicit;
        if self.region.is_some() {
            explicit.region = self.region;
        }
        Ok(Session {
            inner: Arc::new(Inner {
                resolver: Arc::new(Resolver {
                    env,
                    config,
                    explicit,
                }),
                profile: self.profile,
                explicit_credentials: self.credentials,
                credentials: OnceLock::new(),
            }),
        })
    }
}

impl Session {
    /// A session from the process environment and default profile.
    pub fn new() -> Result<Session, Error> {
        Session::builder().build()
    }
    /// A builder for a session with a profile, region, credentials or settings of its own
    /// (`boto3.Session(profile_name=..., region_name=..., aws_access_key_id=...)`).
    pub fn builder() -> SessionBuilder {
        SessionBuilder::default()
    }

    /// The profile in effect.
    pub fn profile_name(&self) -> String {
        self.inner.resolver.config.profile().name().to_string()
    }
    /// Profiles defined in the config and credentials files.
    pub fn available_profiles(&self) -> Vec<String> {
        self.inner
            .resolver
            .config
            .profiles()
            .profile_names()
            .map(str::to_owned)
            .collect()
    }
    /// The region clients get by default.
    pub fn region(&self) -> Option<String> {
        self.inner
            .resolver
            .config
            .region(self.inner.resolver.explicit.region.as_deref())
            .map(|r| r.value)
    }
    /// A setting of the selected profile (e.g. `output`), for tools built on the session.
    pub fn profile_setting(&self, key: &str) -> Option<String> {
        self.inner
            .resolver
            .config
            .profile()
            .get(key)
            .map(str::to_owned)
    }
    /// Names of every service with a model.
    pub fn available_services(&self) -> Vec<String> {
        boto_model::Loader::global().service_names()
    }

    /// The session's credentials provider (built on first use, then shared).
    pub fn credentials_provider(&self) -> Result<Arc<CredentialsCache>, Error> {
        self.inner
            .credentials
            .get_or_init(|| {
                let bridge = Arc::new(Bridge {
                    resolver: self.inner.resolver.clone(),
                });
                let mut b = DefaultChainBuilder::new(self.inner.resolver.env.clone())
                    .profile_set(self.inner.resolver.config.profiles().clone())
                    .sts(bridge.clone())
                    .sso(bridge.clone())
                    .sso_oidc(bridge);
                if let Some(p) = &self.inner.profile {
                    b = b.profile(p.clone());
                }
                if let Some(r) = self.region() {
                    b = b.region(r);
                }
                if let Some(c) = &self.inner.explicit_credentials {
                    b = b.explicit_credentials(c.clone());
                }
                b.build().map(Arc::new)
            })
            .clone()
            .map_err(|e| {
                Error::wrap(
                    ErrorKind::Credentials,
                    "cannot set up the credential providers",
                    e,
                )
            })
    }

    /// Resolves credentials now (like `session.get_credentials()`).
    pub async fn credentials(&self) -> Result<Credentials, Error> {
        Ok(self.credentials_provider()?.provide().await?)
    }

    /// A client for `service` (botocore's name: `s3`, `dynamodb`, `ec2`, ...).
    pub fn client(&self, service: &str) -> Result<Client, Error> {
        self.client_with(service, &ClientOptions::default())
    }

    /// A client with per-client overrides.
    pub fn client_with(&self, service: &str, options: &ClientOptions) -> Result<Client, Error> {
        let config = self.inner.resolver.client_config(service, options)?;
        let mut b = Client::builder(service).config(config);
        if options.sign_requests != Some(false) {
            b = b.credentials(self.credentials_provider()?);
            if let Some(t) = self.token_provider(service) {
                b = b.token_provider(t);
            }
        }
        b.build()
    }

    /// Bearer tokens for `httpBearerAuth` services: `AWS_BEARER_TOKEN_<SERVICE>`
    /// (botocore's variable, service id upper-cased with `_`), else the SSO
    /// token of the profile's `sso_session` (from `~/.aws/sso/cache`, refreshed
    /// through SSO-OIDC).
    pub fn token_provider(&self, service: &str) -> Option<Arc<dyn ProvideToken>> {
        let r = &self.inner.resolver;
        let var = format!(
            "AWS_BEARER_TOKEN_{}",
            service.to_ascii_uppercase().replace('-', "_")
        );
        if let Some(t) = r.env.get_non_empty(&var) {
            return Some(Arc::new(StaticToken(BearerToken::new(t))));
        }
        let profile = r.config.profile();
        let session_name = profile.get("sso_session")?;
        let section = r.config.profiles().sso_session(session_name)?;
        let start_url = section.get("sso_start_url")?;
        let region = section.get("sso_region")?;
        let cache = r.env.home_dir()?.join(".aws").join("sso").join("cache");
        let oidc = Arc::new(Bridge {
            resolver: r.clone(),
        });
        Some(Arc::new(SsoTokenProvider::new(
            cache,
            start_url,
            region,
            Some(session_name.to_string()),
            Some(oidc),
        )))
    }

    /// The resolved configuration a client for `service` would get.
    pub fn client_config(
        &self,
        service: &str,
        options: &ClientOptions,
    ) -> Result<ClientConfig, Error> {
        self.inner.resolver.client_config(service, options)
    }
}

fn default_slot() -> &'static RwLock<Option<Session>> {
    static SLOT: OnceLock<RwLock<Option<Session>>> = OnceLock::new();
    SLOT.get_or_init(|| RwLock::new(None))
}

/// The process-wide default session, created from the environment on first use.
pub fn default_session() -> Result<Session, Error> {
    if let Some(s) = default_slot().read().ok().and_then(|s| s.clone()) {
        return Ok(s);
    }
    let s = Session::new()?;
    if let Ok(mut slot) = default_slot().write() {
        return Ok(slot.get_or_insert(s).clone());
    }
    Ok(s)
}

/// Replaces the default session.
pub fn set_default_session(session: Session) {
    if let Ok(mut slot) = default_slot().write() {
        *slot = Some(session);
    }
}

/// Like `boto3.setup_default_session(profile_name=...)`: switches the default
/// session to `profile` (and optionally a region) in one call.
pub fn setup_default_session(
    profile: Option<&str>,
    region: Option<&str>,
) -> Result<Session, Error> {
    let s = Session::builder()
        .profile_opt(profile.map(str::to_owned))
        .region_opt(region.map(str::to_owned))
        .build()?;
    set_default_session(s.clone());
    Ok(s)
}
