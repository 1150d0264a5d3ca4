//! Typed settings resolved with botocore's precedence: explicit (client config)
//! > environment variable > profile > default.
//!
//! Each setting is described once by a [`Setting`] (its environment variables,
//! profile keys, default and parser); [`ConfigResolver::get`] looks it up and
//! converts it. Settings with a fixed set of values become enums and an
//! unknown value is an error that names the setting, the value and where it
//! came from (or botocore's own message where botocore has one).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

pub use super::enums::{
    AccountIdEndpointMode, AddressingStyle, ChecksumMode, DefaultsMode, EndpointDiscovery,
    ImdsEndpointMode, RegionalEndpoints, RetryMode, StsRegionalEndpoints,
};
use super::env::Env;
use super::error::ConfigError;
use super::profile::{Profile, ProfileSelection, ProfileSet};
use super::settings::{self, Setting};

/// Where a resolved value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueSource {
    /// Set in code, on the session or the client.
    Explicit,
    /// From the named environment variable.
    Environment(&'static str),
    /// From a key of a profile in the config file.
    Profile {
        /// The profile's name.
        profile: String,
        /// The key (`region`, or `s3.addressing_style` for a nested one).
        key: String,
    },
    /// Nothing set it: botocore's default.
    Default,
}

impl fmt::Display for ValueSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValueSource::Explicit => f.write_str("client configuration"),
            ValueSource::Environment(v) => write!(f, "environment variable {v}"),
            ValueSource::Profile { profile, key } => write!(f, "profile \"{profile}\" key {key}"),
            ValueSource::Default => f.write_str("default"),
        }
    }
}

/// A value and its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved<T> {
    /// The resolved value.
    pub value: T,
    /// Where it came from (shown by `--debug` and `boto configure list`).
    pub source: ValueSource,
}

/// HTTP proxies, from explicit config or `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY`
/// (lower-case names win, as in Python's `urllib`). `Debug` masks passwords
/// in the proxy URLs.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Proxies {
    /// Proxy URL for `http://` endpoints (`HTTP_PROXY`).
    pub http: Option<String>,
    /// Proxy URL for `https://` endpoints, reached through a `CONNECT` tunnel (`HTTPS_PROXY`).
    pub https: Option<String>,
    /// Comma-separated hosts, domains and CIDRs that bypass the proxies (`NO_PROXY`).
    pub no_proxy: Option<String>,
}

/// `scheme://user:pass@host` → `scheme://user:***@host`.
fn mask_proxy_password(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let Some((userinfo, host)) = rest.rsplit_once('@') else {
        return url.to_string();
    };
    let user = userinfo.split(':').next().unwrap_or_default();
    let sep = if scheme.is_empty() { "" } else { "://" };
    if userinfo.contains(':') {
        format!("{scheme}{sep}{user}:***@{host}")
    } else {
        format!("{scheme}{sep}{user}@{host}")
    }
}

impl std::fmt::Debug for Proxies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxies")
            .field("http", &self.http.as_deref().map(mask_proxy_password))
            .field("https", &self.https.as_deref().map(mask_proxy_password))
            .field("no_proxy", &self.no_proxy)
            .finish()
    }
}

#[cfg(test)]
mod proxy_debug_tests {
    #[test]
    fn proxy_passwords_are_masked() {
        let p = super::Proxies {
            http: Some("http://bob:hunter2@proxy:3128".into()),
            https: Some("proxy:3128".into()),
            no_proxy: Some("localhost".into()),
        };
        let s = format!("{p:?}");
        assert!(!s.contains("hunter2"), "{s}");
        assert!(
            s.contains("http://bob:***@proxy:3128") && s.contains("proxy:3128"),
            "{s}"
        );
    }
}

/// Values set directly on a client; each overrides every other source.
#[derive(Debug, Clone, Default)]
pub struct ExplicitConfig {
    /// `region_name`.
    pub region: Option<String>,
    /// `Config(retries={"mode": ...})`.
    pub retry_mode: Option<RetryMode>,
    /// Total attempts including the first (botocore's `total_max_attempts`).
    pub max_attempts: Option<u32>,
    /// `Config(use_fips_endpoint=...)`.
    pub use_fips_endpoint: Option<bool>,
    /// `Config(use_dualstack_endpoint=...)`.
    pub use_dualstack_endpoint: Option<bool>,
    /// `Config(s3={"addressing_style": ...})`.
    pub addressing_style: Option<AddressingStyle>,
    /// `Config(request_checksum_calculation=...)`: when to compute request checksums.
    pub request_checksum_calculation: Option<ChecksumMode>,
    /// `Config(response_checksum_validation=...)`: when to validate response checksums.
    pub response_checksum_validation: Option<ChecksumMode>,
    /// `Config(defaults_mode=...)`.
    pub defaults_mode: Option<DefaultsMode>,
    /// `verify=` given a path: a PEM bundle of trusted CAs.
    pub ca_bundle: Option<String>,
    /// `Config(connect_timeout=...)`.
    pub connect_timeout: Option<Duration>,
    /// `Config(read_timeout=...)`.
    pub read_timeout: Option<Duration>,
    /// `Config(proxies=...)`: replaces the environment's proxies.
    pub proxies: Option<Proxies>,
}

/// Every setting a client needs, resolved.
#[derive(Debug, Clone)]
pub struct ConfigValues {
    /// The region, if any source sets one (clients of regional services then fail with "You must specify a region").
    pub region: Option<Resolved<String>>,
    /// Retry mode (default `legacy`, as botocore).
    pub retry_mode: Resolved<RetryMode>,
    /// Total attempts including the first; `None` leaves it to the retry mode's default.
    pub max_attempts: Option<Resolved<u32>>,
    /// Whether FIPS endpoints were asked for.
    pub use_fips_endpoint: Option<Resolved<bool>>,
    /// Whether dual-stack endpoints were asked for.
    pub use_dualstack_endpoint: Option<Resolved<bool>>,
    /// S3 addressing style (default `auto`).
    pub addressing_style: Resolved<AddressingStyle>,
    /// When request checksums are computed (default `when_supported`).
    pub request_checksum_calculation: Resolved<ChecksumMode>,
    /// When response checksums are validated (default `when_supported`).
    pub response_checksum_validation: Resolved<ChecksumMode>,
    /// The defaults mode (default `legacy`).
    pub defaults_mode: Resolved<DefaultsMode>,
    /// Extra trusted CAs (`ca_bundle`, `AWS_CA_BUNDLE`).
    pub ca_bundle: Option<Resolved<String>>,
    /// Connection timeout (default 60 s, botocore's).
    pub connect_timeout: Resolved<Duration>,
    /// Read timeout (default 60 s, botocore's).
    pub read_timeout: Resolved<Duration>,
    /// Proxies from the explicit configuration, else the environment.
    pub proxies: Proxies,
}

/// botocore's default socket timeouts (seconds).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Looks settings up in an [`Env`] and the selected profile of a [`ProfileSet`].
#[derive(Debug, Clone)]
pub struct ConfigResolver {
    env: Env,
    profiles: Arc<ProfileSet>,
    profile: Profile,
}

/// botocore's `ensure_boolean`: case-insensitive `true` is true, anything else false.
pub fn ensure_boolean(s: &str) -> bool {
    s.trim().eq_ignore_ascii_case("true")
}

impl ConfigResolver {
    /// Uses the given profile set and profile (a missing `default` is allowed
    /// unless `selection.required`).
    pub fn new(
        env: Env,
        profiles: Arc<ProfileSet>,
        selection: &ProfileSelection,
    ) -> Result<Self, ConfigError> {
        let profile = selection.scoped(&profiles)?.into_owned();
        Ok(ConfigResolver {
            env,
            profiles,
            profile,
        })
    }

    /// Loads the shared files named by `env` and selects the profile
    /// (`explicit_profile`, else `AWS_DEFAULT_PROFILE`/`AWS_PROFILE`, else `default`).
    pub fn from_env(env: Env, explicit_profile: Option<&str>) -> Result<Self, ConfigError> {
        let profiles = Arc::new(ProfileSet::load(&env)?);
        let selection = ProfileSelection::resolve(explicit_profile, &env);
        Self::new(env, profiles, &selection)
    }

    /// The environment this configuration was resolved from.
    pub fn env(&self) -> &Env {
        &self.env
    }
    /// The parsed config and credentials files.
    pub fn profiles(&self) -> &Arc<ProfileSet> {
        &self.profiles
    }
    /// The profile in effect (empty if `default` is absent).
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The raw text of a setting from the environment or profile (not explicit, no default).
    pub fn lookup<S>(&self, setting: &Setting<S>) -> Option<Resolved<String>> {
        setting.find(&self.env, &self.profile)
    }

    /// The typed value of a setting: `explicit`, else the environment or profile
    /// text through the setting's parser, else the setting's default; `None`
    /// when nothing sets it and it has no default. This is the lookup every
    /// client setting goes through.
    pub fn get<T: Clone>(
        &self,
        setting: &Setting<T>,
        explicit: Option<T>,
    ) -> Result<Option<Resolved<T>>, ConfigError> {
        if let Some(value) = explicit {
            return Ok(Some(Resolved {
                value,
                source: ValueSource::Explicit,
            }));
        }
        if let Some(raw) = self.lookup(setting) {
            let value = setting.parse_from(&raw.value, raw.source.clone())?;
            return Ok(Some(Resolved {
                value,
                source: raw.source,
            }));
        }
        Ok(setting.default.clone().map(|value| Resolved {
            value,
            source: ValueSource::Default,
        }))
    }

    /// [`ConfigResolver::get`] for a setting with a default in the table.
    ///
    /// # Errors
    ///
    /// An invalid configured value, or a setting without a default that nothing set
    /// ([`ConfigError::Invalid`]; the table's settings used this way all have one).
    pub fn get_defaulted<T: Clone>(
        &self,
        setting: &Setting<T>,
        explicit: Option<T>,
    ) -> Result<Resolved<T>, ConfigError> {
        self.get(setting, explicit)?
            .ok_or_else(|| ConfigError::Invalid {
                message: format!("{} is not set and has no default", setting.name),
            })
    }

    /// The value of [`ConfigResolver::get_defaulted`] alone.
    pub fn value<T: Clone>(
        &self,
        setting: &Setting<T>,
        explicit: Option<T>,
    ) -> Result<T, ConfigError> {
        Ok(self.get_defaulted(setting, explicit)?.value)
    }

    /// Explicit value, else environment/profile text converted by `parse` (instead of the
    /// setting's own parser), else `default`.
    pub fn resolve<S, T>(
        &self,
        setting: &Setting<S>,
        explicit: Option<T>,
        default: Option<T>,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<Option<Resolved<T>>, ConfigError> {
        if let Some(value) = explicit {
            return Ok(Some(Resolved {
                value,
                source: ValueSource::Explicit,
            }));
        }
        if let Some(raw) = self.lookup(setting) {
            return match parse(&raw.value) {
                Ok(value) => Ok(Some(Resolved {
                    value,
                    source: raw.source,
                })),
                Err(expected) => Err(ConfigError::InvalidValue {
                    setting: setting.name,
                    value: raw.value,
                    source: raw.source.to_string(),
                    expected,
                }),
            };
        }
        Ok(default.map(|value| Resolved {
            value,
            source: ValueSource::Default,
        }))
    }

    /// A string setting (explicit > env > profile), empty strings skipped.
    pub fn string<S>(&self, s: &Setting<S>, explicit: Option<&str>) -> Option<Resolved<String>> {
        self.resolve(s, explicit.map(str::to_string), None, |v| Ok(v.to_string()))
            .ok()
            .flatten()
            .filter(|r| !r.value.is_empty())
    }

    /// A boolean setting with botocore's lenient `ensure_boolean`.
    pub fn boolean<S>(&self, s: &Setting<S>, explicit: Option<bool>) -> Option<Resolved<bool>> {
        self.resolve(s, explicit, None, |v| Ok(ensure_boolean(v)))
            .ok()
            .flatten()
    }

    /// An integer setting; a non-integer is an error.
    pub fn integer<T: FromStr>(
        &self,
        s: &Setting<impl Sized>,
        explicit: Option<T>,
    ) -> Result<Option<Resolved<T>>, ConfigError> {
        self.resolve(s, explicit, None, |v| {
            v.trim().parse().map_err(|_| "an integer".to_string())
        })
    }

    /// `region`: explicit, else `AWS_DEFAULT_REGION`, else the profile's `region`; no default.
    pub fn region(&self, explicit: Option<&str>) -> Option<Resolved<String>> {
        self.string(&settings::REGION, explicit)
    }
    /// Default `legacy`, as in botocore.
    pub fn retry_mode(
        &self,
        explicit: Option<RetryMode>,
    ) -> Result<Resolved<RetryMode>, ConfigError> {
        self.get_defaulted(&settings::RETRY_MODE, explicit)
    }
    /// Total attempts (at least 1); no default (the retry handler decides).
    pub fn max_attempts(
        &self,
        explicit: Option<u32>,
    ) -> Result<Option<Resolved<u32>>, ConfigError> {
        self.get(&settings::MAX_ATTEMPTS, explicit)
    }
    /// `use_fips_endpoint`: explicit, `AWS_USE_FIPS_ENDPOINT` or the profile; `None` when unset.
    pub fn use_fips_endpoint(&self, explicit: Option<bool>) -> Option<Resolved<bool>> {
        self.boolean(&settings::USE_FIPS_ENDPOINT, explicit)
    }
    /// `use_dualstack_endpoint`: explicit, `AWS_USE_DUALSTACK_ENDPOINT` or the profile; `None` when unset.
    pub fn use_dualstack_endpoint(&self, explicit: Option<bool>) -> Option<Resolved<bool>> {
        self.boolean(&settings::USE_DUALSTACK_ENDPOINT, explicit)
    }
    /// Default `auto`.
    pub fn addressing_style(
        &self,
        explicit: Option<AddressingStyle>,
    ) -> Result<Resolved<AddressingStyle>, ConfigError> {
        self.get_defaulted(&settings::S3_ADDRESSING_STYLE, explicit)
    }
    /// Default `when_supported`.
    pub fn request_checksum_calculation(
        &self,
        explicit: Option<ChecksumMode>,
    ) -> Result<Resolved<ChecksumMode>, ConfigError> {
        self.get_defaulted(&settings::REQUEST_CHECKSUM_CALCULATION, explicit)
    }
    /// Default `when_supported`.
    pub fn response_checksum_validation(
        &self,
        explicit: Option<ChecksumMode>,
    ) -> Result<Resolved<ChecksumMode>, ConfigError> {
        self.get_defaulted(&settings::RESPONSE_CHECKSUM_VALIDATION, explicit)
    }
    /// Default `legacy`.
    pub fn defaults_mode(
        &self,
        explicit: Option<DefaultsMode>,
    ) -> Result<Resolved<DefaultsMode>, ConfigError> {
        self.get_defaulted(&settings::DEFAULTS_MODE, explicit)
    }
    /// `ca_bundle`: explicit, `AWS_CA_BUNDLE` or the profile; `None` means the system roots only.
    pub fn ca_bundle(&self, explicit: Option<&str>) -> Option<Resolved<String>> {
        self.string(&settings::CA_BUNDLE, explicit)
    }
    /// `ec2_metadata_service_endpoint_mode`, else `ipv6` if `imds_use_ipv6`, else `ipv4`.
    pub fn imds_endpoint_mode(&self) -> Result<ImdsEndpointMode, ConfigError> {
        let mode = self.get(&settings::EC2_METADATA_SERVICE_ENDPOINT_MODE, None)?;
        Ok(match mode {
            Some(r) => r.value,
            None if self
                .boolean(&settings::IMDS_USE_IPV6, None)
                .is_some_and(|r| r.value) =>
            {
                ImdsEndpointMode::Ipv6
            }
            None => ImdsEndpointMode::Ipv4,
        })
    }

    /// Connect timeout: explicit, else the smart default of a non-legacy
    /// `defaults_mode` (standard 3.1 s, in-region 1.1 s, cross-region 3.1 s,
    /// mobile 30 s; auto is treated as standard), else 60 s.
    pub fn connect_timeout(
        &self,
        explicit: Option<Duration>,
        mode: DefaultsMode,
    ) -> Resolved<Duration> {
        if let Some(value) = explicit {
            return Resolved {
                value,
                source: ValueSource::Explicit,
            };
        }
        let ms = match mode {
            DefaultsMode::Standard | DefaultsMode::CrossRegion | DefaultsMode::Auto => Some(3100),
            DefaultsMode::InRegion => Some(1100),
            DefaultsMode::Mobile => Some(30000),
            DefaultsMode::Legacy => None,
        };
        Resolved {
            value: ms.map_or(DEFAULT_TIMEOUT, Duration::from_millis),
            source: ValueSource::Default,
        }
    }

    /// Proxies: explicit, else environment (`http_proxy`, `HTTP_PROXY`, ...; lower case wins).
    pub fn proxies(&self, explicit: Option<&Proxies>) -> Proxies {
        if let Some(p) = explicit {
            return p.clone();
        }
        let get = |lower: &str, upper: &str| {
            self.env
                .get_non_empty(lower)
                .or_else(|| self.env.get_non_empty(upper))
                .map(str::to_string)
        };
        Proxies {
            http: get("http_proxy", "HTTP_PROXY"),
            https: get("https_proxy", "HTTPS_PROXY"),
            no_proxy: get("no_proxy", "NO_PROXY"),
        }
    }

    /// Resolves every client setting at once.
    pub fn resolve_all(&self, explicit: &ExplicitConfig) -> Result<ConfigValues, ConfigError> {
        let defaults_mode = self.defaults_mode(explicit.defaults_mode)?;
        let mut retry_mode = self.retry_mode(explicit.retry_mode)?;
        if retry_mode.source == ValueSource::Default
            && !matches!(defaults_mode.value, DefaultsMode::Legacy)
        {
            // Smart defaults: every non-legacy mode uses standard retries.
            retry_mode.value = RetryMode::Standard;
        }
        Ok(ConfigValues {
            region: self.region(explicit.region.as_deref()),
            retry_mode,
            max_attempts: self.max_attempts(explicit.max_attempts)?,
            use_fips_endpoint: self.use_fips_endpoint(explicit.use_fips_endpoint),
            use_dualstack_endpoint: self.use_dualstack_endpoint(explicit.use_dualstack_endpoint),
            addressing_style: self.addressing_style(explicit.addressing_style)?,
            request_checksum_calculation: self
                .request_checksum_calculation(explicit.request_checksum_calculation)?,
            response_checksum_validation: self
                .response_checksum_validation(explicit.response_checksum_validation)?,
            ca_bundle: self.ca_bundle(explicit.ca_bundle.as_deref()),
            connect_timeout: self.connect_timeout(explicit.connect_timeout, defaults_mode.value),
            read_timeout: explicit
                .read_timeout
                .map(|value| Resolved {
                    value,
                    source: ValueSource::Explicit,
                })
                .unwrap_or(Resolved {
                    value: DEFAULT_TIMEOUT,
                    source: ValueSource::Default,
                }),
            proxies: self.proxies(explicit.proxies.as_ref()),
            defaults_mode,
        })
    }
}
