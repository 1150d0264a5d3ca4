//! The table of settings botocore reads from the environment and the profile.
//!
//! Each [`Setting`] names its environment variables and profile keys once, so
//! lookups, error messages and documentation agree on where a value can come from.

/// Where a setting lives in a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileKey {
    /// A top-level key, e.g. `region`.
    Key(&'static str),
    /// A key inside a nested block, e.g. `s3 = \n addressing_style = path`.
    Nested(&'static str, &'static str),
}

/// A setting: its logical name, environment variables (first set wins) and profile keys (first present wins).
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    /// The logical name, as botocore's config provider chain calls it (`region`, `retry_mode`).
    pub name: &'static str,
    /// Environment variables that set it, in order of precedence.
    pub env: &'static [&'static str],
    /// Profile keys that set it, in order of precedence.
    pub profile: &'static [ProfileKey],
}

macro_rules! setting {
    ($id:ident, $name:literal, [$($env:literal),*], [$($key:expr),*]) => {
        #[doc = concat!("The `", $name, "` setting.")]
        pub const $id: Setting = Setting { name: $name, env: &[$($env),*], profile: &[$($key),*] };
    };
}

use ProfileKey::{Key, Nested};

setting!(REGION, "region", ["AWS_DEFAULT_REGION"], [Key("region")]);
setting!(
    RETRY_MODE,
    "retry_mode",
    ["AWS_RETRY_MODE"],
    [Key("retry_mode")]
);
setting!(
    MAX_ATTEMPTS,
    "max_attempts",
    ["AWS_MAX_ATTEMPTS"],
    [Key("max_attempts")]
);
setting!(
    USE_FIPS_ENDPOINT,
    "use_fips_endpoint",
    ["AWS_USE_FIPS_ENDPOINT"],
    [Key("use_fips_endpoint")]
);
setting!(
    USE_DUALSTACK_ENDPOINT,
    "use_dualstack_endpoint",
    ["AWS_USE_DUALSTACK_ENDPOINT"],
    [Key("use_dualstack_endpoint")]
);
setting!(
    S3_ADDRESSING_STYLE,
    "s3.addressing_style",
    [],
    [Nested("s3", "addressing_style")]
);
setting!(
    S3_USE_ACCELERATE_ENDPOINT,
    "s3.use_accelerate_endpoint",
    [],
    [Nested("s3", "use_accelerate_endpoint")]
);
setting!(
    S3_USE_ARN_REGION,
    "s3.use_arn_region",
    ["AWS_S3_USE_ARN_REGION"],
    [Key("s3_use_arn_region"), Nested("s3", "use_arn_region")]
);
setting!(
    REQUEST_CHECKSUM_CALCULATION,
    "request_checksum_calculation",
    ["AWS_REQUEST_CHECKSUM_CALCULATION"],
    [Key("request_checksum_calculation")]
);
setting!(
    RESPONSE_CHECKSUM_VALIDATION,
    "response_checksum_validation",
    ["AWS_RESPONSE_CHECKSUM_VALIDATION"],
    [Key("response_checksum_validation")]
);
setting!(
    DISABLE_REQUEST_COMPRESSION,
    "disable_request_compression",
    ["AWS_DISABLE_REQUEST_COMPRESSION"],
    [Key("disable_request_compression")]
);
setting!(
    REQUEST_MIN_COMPRESSION_SIZE_BYTES,
    "request_min_compression_size_bytes",
    ["AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES"],
    [Key("request_min_compression_size_bytes")]
);
setting!(
    DEFAULTS_MODE,
    "defaults_mode",
    ["AWS_DEFAULTS_MODE"],
    [Key("defaults_mode")]
);
setting!(
    CA_BUNDLE,
    "ca_bundle",
    ["AWS_CA_BUNDLE"],
    [Key("ca_bundle")]
);
setting!(
    STS_REGIONAL_ENDPOINTS,
    "sts_regional_endpoints",
    ["AWS_STS_REGIONAL_ENDPOINTS"],
    [Key("sts_regional_endpoints")]
);
setting!(
    METADATA_SERVICE_TIMEOUT,
    "metadata_service_timeout",
    ["AWS_METADATA_SERVICE_TIMEOUT"],
    [Key("metadata_service_timeout")]
);
setting!(
    METADATA_SERVICE_NUM_ATTEMPTS,
    "metadata_service_num_attempts",
    ["AWS_METADATA_SERVICE_NUM_ATTEMPTS"],
    [Key("metadata_service_num_attempts")]
);
setting!(
    EC2_METADATA_SERVICE_ENDPOINT,
    "ec2_metadata_service_endpoint",
    ["AWS_EC2_METADATA_SERVICE_ENDPOINT"],
    [Key("ec2_metadata_service_endpoint")]
);
setting!(
    EC2_METADATA_SERVICE_ENDPOINT_MODE,
    "ec2_metadata_service_endpoint_mode",
    ["AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE"],
    [Key("ec2_metadata_service_endpoint_mode")]
);
setting!(
    EC2_METADATA_V1_DISABLED,
    "ec2_metadata_v1_disabled",
    ["AWS_EC2_METADATA_V1_DISABLED"],
    [Key("ec2_metadata_v1_disabled")]
);
setting!(
    IMDS_USE_IPV6,
    "imds_use_ipv6",
    ["AWS_IMDS_USE_IPV6"],
    [Key("imds_use_ipv6")]
);
setting!(
    IGNORE_CONFIGURED_ENDPOINT_URLS,
    "ignore_configured_endpoint_urls",
    ["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"],
    [Key("ignore_configured_endpoint_urls")]
);
setting!(
    ACCOUNT_ID_ENDPOINT_MODE,
    "account_id_endpoint_mode",
    ["AWS_ACCOUNT_ID_ENDPOINT_MODE"],
    [Key("account_id_endpoint_mode")]
);
setting!(
    USER_AGENT_APPID,
    "sdk_ua_app_id",
    ["AWS_SDK_UA_APP_ID"],
    [Key("sdk_ua_app_id")]
);
