//! The table of settings botocore reads from the environment and the profile.
//!
//! This replaces botocore's `configprovider.BOTOCORE_DEFAUT_SESSION_VARIABLES`
//! and `DEFAULT_S3_CONFIG_VARS`: each [`Setting`] names its environment
//! variables, profile keys, default and parser once, so lookups, conversions,
//! error messages and documentation agree on where a value can come from and
//! what it may be. [`ConfigResolver::get`](super::ConfigResolver::get) is the
//! one typed lookup (explicit > environment > profile > default); adding a
//! setting is one entry here plus its use.

use super::enums::{
    AccountIdEndpointMode, AddressingStyle, ChecksumMode, DefaultsMode, EndpointDiscovery,
    ImdsEndpointMode, RegionalEndpoints, RetryMode,
};
use super::env::Env;
use super::error::ConfigError;
use super::parsers as p;
use super::profile::Profile;
use super::values::{Resolved, ValueSource};

/// Where a setting lives in a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKey {
    /// A top-level key, e.g. `region`.
    Key(&'static str),
    /// A key inside a nested block, e.g. `s3 = \n addressing_style = path`.
    Nested(&'static str, &'static str),
}

/// Why configured text was refused by a setting's parser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invalid {
    /// What was expected (`one of legacy, standard, adaptive`); the error names
    /// the setting, the value and its source around it.
    Expected(String),
    /// botocore's own message for this setting, shown as it is.
    Message(String),
}

/// A setting: its logical name, environment variables (first set wins),
/// profile keys (first present wins), default and parser.
#[derive(Debug, Clone, Copy)]
pub struct Setting<T = String> {
    /// The logical name, as botocore's config provider chain calls it (`region`, `retry_mode`).
    pub name: &'static str,
    /// Environment variables that set it, in order of precedence.
    pub env: &'static [&'static str],
    /// Profile keys that set it, in order of precedence.
    pub profile: &'static [ProfileKey],
    /// botocore's default, used when nothing sets it (`None`: unset).
    pub default: Option<T>,
    /// Converts and validates configured text (botocore's conversion function
    /// and the check made where the value is used).
    pub parse: fn(&str) -> Result<T, Invalid>,
}

impl<T> Setting<T> {
    /// The raw text of the setting in `env` (first variable set, even empty), else in
    /// `profile` (first key present), with where it was found.
    pub fn find(&self, env: &Env, profile: &Profile) -> Option<Resolved<String>> {
        for &var in self.env {
            if let Some(v) = env.get(var) {
                return Some(Resolved {
                    value: v.to_string(),
                    source: ValueSource::Environment(var),
                });
            }
        }
        for key in self.profile {
            let (found, key_name) = match key {
                ProfileKey::Key(k) => (profile.get(k), k.to_string()),
                ProfileKey::Nested(k, sub) => (profile.get_nested(k, sub), format!("{k}.{sub}")),
            };
            if let Some(v) = found {
                return Some(Resolved {
                    value: v.to_string(),
                    source: ValueSource::Profile {
                        profile: profile.name().to_string(),
                        key: key_name,
                    },
                });
            }
        }
        None
    }

    /// Parses `text` found at `source`; a refusal names the setting and where the text came from.
    pub fn parse_from(&self, text: &str, source: ValueSource) -> Result<T, ConfigError> {
        (self.parse)(text).map_err(|why| match why {
            Invalid::Expected(expected) => ConfigError::InvalidValue {
                setting: self.name,
                value: text.to_string(),
                source: source.to_string(),
                expected,
            },
            Invalid::Message(message) => ConfigError::Rejected {
                setting: self.name,
                source: source.to_string(),
                message,
            },
        })
    }

    /// Parses text given in code (`Config(account_id_endpoint_mode="...")`), with the
    /// same checks and messages as configured text.
    pub fn parse_explicit(&self, text: &str) -> Result<T, ConfigError> {
        self.parse_from(text, ValueSource::Explicit)
    }
}

macro_rules! setting {
    ($id:ident: $t:ty = $default:expr, $name:literal, [$($env:literal),*], [$($key:expr),*], $parse:expr) => {
        #[doc = concat!("The `", $name, "` setting.")]
        pub const $id: Setting<$t> = Setting {
            name: $name,
            env: &[$($env),*],
            profile: &[$($key),*],
            default: $default,
            parse: $parse,
        };
    };
}

use ProfileKey::{Key, Nested};

setting!(REGION: String = None, "region", ["AWS_DEFAULT_REGION"], [Key("region")], p::text);
setting!(
    RETRY_MODE: RetryMode = Some(RetryMode::Legacy),
    "retry_mode",
    ["AWS_RETRY_MODE"],
    [Key("retry_mode")],
    RetryMode::parse_setting
);
setting!(
    MAX_ATTEMPTS: u32 = None,
    "max_attempts",
    ["AWS_MAX_ATTEMPTS"],
    [Key("max_attempts")],
    p::max_attempts
);
setting!(
    USE_FIPS_ENDPOINT: bool = None,
    "use_fips_endpoint",
    ["AWS_USE_FIPS_ENDPOINT"],
    [Key("use_fips_endpoint")],
    p::boolean
);
setting!(
    USE_DUALSTACK_ENDPOINT: bool = None,
    "use_dualstack_endpoint",
    ["AWS_USE_DUALSTACK_ENDPOINT"],
    [Key("use_dualstack_endpoint")],
    p::boolean
);
setting!(
    S3_USE_DUALSTACK_ENDPOINT: bool = None,
    "s3.use_dualstack_endpoint",
    [],
    [Nested("s3", "use_dualstack_endpoint")],
    p::boolean
);
setting!(
    S3_ADDRESSING_STYLE: AddressingStyle = Some(AddressingStyle::Auto),
    "s3.addressing_style",
    [],
    [Nested("s3", "addressing_style")],
    AddressingStyle::parse_setting
);
setting!(
    S3_USE_ACCELERATE_ENDPOINT: bool = Some(false),
    "s3.use_accelerate_endpoint",
    [],
    [Nested("s3", "use_accelerate_endpoint")],
    p::boolean
);
setting!(
    S3_USE_ARN_REGION: bool = None,
    "s3.use_arn_region",
    ["AWS_S3_USE_ARN_REGION"],
    [Key("s3_use_arn_region"), Nested("s3", "use_arn_region")],
    p::boolean
);
setting!(
    S3_US_EAST_1_REGIONAL_ENDPOINT: RegionalEndpoints = Some(RegionalEndpoints::Legacy),
    "s3.us_east_1_regional_endpoint",
    ["AWS_S3_US_EAST_1_REGIONAL_ENDPOINT"],
    [
        Key("s3_us_east_1_regional_endpoint"),
        Nested("s3", "us_east_1_regional_endpoint")
    ],
    p::s3_us_east_1_regional_endpoint
);
setting!(
    S3_DISABLE_MULTIREGION_ACCESS_POINTS: bool = Some(false),
    "s3.s3_disable_multiregion_access_points",
    ["AWS_S3_DISABLE_MULTIREGION_ACCESS_POINTS"],
    [Nested("s3", "s3_disable_multiregion_access_points")],
    p::boolean
);
setting!(
    S3_DISABLE_EXPRESS_SESSION_AUTH: bool = Some(false),
    "s3_disable_express_session_auth",
    ["AWS_S3_DISABLE_EXPRESS_SESSION_AUTH"],
    [Key("s3_disable_express_session_auth")],
    p::s3_disable_express_session_auth
);
setting!(
    REQUEST_CHECKSUM_CALCULATION: ChecksumMode = Some(ChecksumMode::WhenSupported),
    "request_checksum_calculation",
    ["AWS_REQUEST_CHECKSUM_CALCULATION"],
    [Key("request_checksum_calculation")],
    ChecksumMode::parse_setting
);
setting!(
    RESPONSE_CHECKSUM_VALIDATION: ChecksumMode = Some(ChecksumMode::WhenSupported),
    "response_checksum_validation",
    ["AWS_RESPONSE_CHECKSUM_VALIDATION"],
    [Key("response_checksum_validation")],
    ChecksumMode::parse_setting
);
setting!(
    DISABLE_REQUEST_COMPRESSION: bool = Some(false),
    "disable_request_compression",
    ["AWS_DISABLE_REQUEST_COMPRESSION"],
    [Key("disable_request_compression")],
    p::exact_boolean
);
setting!(
    REQUEST_MIN_COMPRESSION_SIZE_BYTES: u64 = Some(p::DEFAULT_MIN_COMPRESSION_SIZE),
    "request_min_compression_size_bytes",
    ["AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"],
    [Key("request_min_compression_size_bytes")],
    p::min_compression_size
);
setting!(
    DEFAULTS_MODE: DefaultsMode = Some(DefaultsMode::Legacy),
    "defaults_mode",
    ["AWS_DEFAULTS_MODE"],
    [Key("defaults_mode")],
    DefaultsMode::parse_setting
);
setting!(CA_BUNDLE: String = None, "ca_bundle", ["AWS_CA_BUNDLE"], [Key("ca_bundle")], p::text);
setting!(
    STS_REGIONAL_ENDPOINTS: RegionalEndpoints = Some(RegionalEndpoints::Regional),
    "sts_regional_endpoints",
    ["AWS_STS_REGIONAL_ENDPOINTS"],
    [Key("sts_regional_endpoints")],
    p::sts_regional_endpoints
);
setting!(
    ENDPOINT_DISCOVERY_ENABLED: EndpointDiscovery = Some(EndpointDiscovery::Auto),
    "endpoint_discovery_enabled",
    ["AWS_ENDPOINT_DISCOVERY_ENABLED"],
    [Key("endpoint_discovery_enabled")],
    p::endpoint_discovery
);
setting!(
    METADATA_SERVICE_TIMEOUT: String = None,
    "metadata_service_timeout",
    ["AWS_METADATA_SERVICE_TIMEOUT"],
    [Key("metadata_service_timeout")],
    p::text
);
setting!(
    METADATA_SERVICE_NUM_ATTEMPTS: u32 = None,
    "metadata_service_num_attempts",
    ["AWS_METADATA_SERVICE_NUM_ATTEMPTS"],
    [Key("metadata_service_num_attempts")],
    p::integer
);
setting!(
    EC2_METADATA_SERVICE_ENDPOINT: String = None,
    "ec2_metadata_service_endpoint",
    ["AWS_EC2_METADATA_SERVICE_ENDPOINT"],
    [Key("ec2_metadata_service_endpoint")],
    p::text
);
setting!(
    EC2_METADATA_SERVICE_ENDPOINT_MODE: ImdsEndpointMode = None,
    "ec2_metadata_service_endpoint_mode",
    ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"],
    [Key("ec2_metadata_service_endpoint_mode")],
    ImdsEndpointMode::parse_setting
);
setting!(
    EC2_METADATA_V1_DISABLED: bool = Some(false),
    "ec2_metadata_v1_disabled",
    ["AWS_EC2_METADATA_V1_DISABLED"],
    [Key("ec2_metadata_v1_disabled")],
    p::boolean
);
setting!(
    IMDS_USE_IPV6: bool = Some(false),
    "imds_use_ipv6",
    ["AWS_IMDS_USE_IPV6"],
    [Key("imds_use_ipv6")],
    p::boolean
);
setting!(
    IGNORE_CONFIGURED_ENDPOINT_URLS: bool = None,
    "ignore_configured_endpoint_urls",
    ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"],
    [Key("ignore_configured_endpoint_urls")],
    p::exact_boolean
);
setting!(
    ACCOUNT_ID_ENDPOINT_MODE: AccountIdEndpointMode = Some(AccountIdEndpointMode::Preferred),
    "account_id_endpoint_mode",
    ["AWS_ACCOUNT_ID_ENDPOINT_MODE"],
    [Key("account_id_endpoint_mode")],
    p::account_id_endpoint_mode
);
setting!(
    DISABLE_HOST_PREFIX_INJECTION: bool = None,
    "disable_host_prefix_injection",
    ["AWS_DISABLE_HOST_PREFIX_INJECTION"],
    [Key("disable_host_prefix_injection")],
    p::boolean
);
setting!(
    SIGV4A_SIGNING_REGION_SET: String = None,
    "sigv4a_signing_region_set",
    ["AWS_SIGV4A_SIGNING_REGION_SET"],
    [Key("sigv4a_signing_region_set")],
    p::region_set
);
setting!(
    USER_AGENT_APPID: String = None,
    "sdk_ua_app_id",
    ["AWS_SDK_UA_APP_ID"],
    [Key("sdk_ua_app_id")],
    p::text
);
