//! The resolved, typed configuration of one client.
//!
//! Resolution (explicit arguments > environment > profile > defaults) lives in
//! `boto_auth::config::ConfigResolver`; the `boto` facade turns its result
//! into this plain struct, which the pipeline reads without any lookups.

use crate::error::Error;
pub use crate::http::ProxyConfig;
pub use boto_auth::config::{AddressingStyle, ChecksumMode, EndpointDiscovery, RetryMode};
pub use boto_endpoints::ParamValue;
use std::time::Duration;

/// Refuses a region that is not a DNS label (botocore's `validate_region_name`,
/// `InvalidRegionError`): the region becomes part of the endpoint's host name,
/// so `x@evil:1/` would send signed requests elsewhere. An empty region counts
/// as no region. The message names the value (control characters escaped).
pub fn check_region(region: &str) -> Result<(), Error> {
    if boto_endpoints::hostcheck::is_valid_region(region) {
        Ok(())
    } else {
        Err(Error::construction(format!(
            "Provided region_name '{}' doesn't match a supported format.",
            region.escape_debug()
        )))
    }
}

/// Refuses a custom endpoint URL that is not `http(s)://host[:port][/path]`
/// with a plain host (botocore's `is_valid_endpoint_url`, "Invalid endpoint").
pub fn check_endpoint_url(url: &str) -> Result<(), Error> {
    let bad = |why: &str| {
        Error::construction(format!("Invalid endpoint: {} ({why})", url.escape_debug()))
    };
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(bad(
            "the scheme is missing; it must look like http://<hostname>/ or https://<hostname>/",
        ));
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(bad("the scheme must be http or https"));
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    boto_endpoints::hostcheck::check_authority(&rest[..end], true)
        .map_err(|why| bad(&why.to_string()))?;
    if rest[end..]
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad("it contains whitespace or control characters"));
    }
    Ok(())
}

/// Everything a client needs to know about how to call its service.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The region to call and sign for (`region_name`). `None` works only for global services and
    /// custom endpoints; otherwise the endpoint rules fail with botocore's "You must specify a
    /// region".
    pub region: Option<String>,
    /// A custom endpoint (`--endpoint-url`, `AWS_ENDPOINT_URL[_<SERVICE>]`, profile `endpoint_url`).
    pub endpoint_url: Option<String>,
    /// Use the FIPS endpoint variant (`use_fips_endpoint`, `AWS_USE_FIPS_ENDPOINT`).
    pub use_fips: bool,
    /// Use the dual-stack (IPv4 and IPv6) endpoint variant (`use_dualstack_endpoint`).
    pub use_dualstack: bool,
    /// The retry mode (botocore's `retries.mode`: legacy, standard or adaptive; see
    /// [`crate::retry`]). `ClientConfig::default()` uses standard.
    pub retry_mode: RetryMode,
    /// Total attempts including the first; `None` means the mode's default (legacy 5, standard/adaptive 3).
    pub max_attempts: Option<u32>,
    /// Scale of the retry backoff: delays are random in `[0, base × 2^(n-1))`, at most 20 s.
    pub retry_base_delay: Duration,
    /// How long to wait for a TCP (and TLS) connection (`connect_timeout`, default 60 s).
    pub connect_timeout: Duration,
    /// How long to wait for response headers and then for each body chunk (`read_timeout`, default
    /// 60 s), like botocore's socket timeout.
    pub read_timeout: Duration,
    /// Requests in flight at once on this client (`max_pool_connections`, default 10); further
    /// calls wait for a slot.
    pub max_pool_connections: usize,
    /// `false` skips TLS certificate verification (`verify=False`, `--no-verify-ssl`); for local
    /// testing only.
    pub verify_tls: bool,
    /// A PEM file of extra trusted CA certificates (`ca_bundle`, `AWS_CA_BUNDLE`), used besides the
    /// system roots.
    pub ca_bundle: Option<std::path::PathBuf>,
    /// HTTP/HTTPS proxies and `NO_PROXY`; the default is no proxy. `Debug` masks passwords.
    pub proxies: ProxyConfig,
    /// `false` for `--no-sign-request` / `UNSIGNED`.
    pub sign_requests: bool,
    /// S3 bucket addressing: `auto` (virtual-hosted when the bucket name allows it), `virtual` or
    /// `path` (`s3.addressing_style`).
    pub addressing_style: AddressingStyle,
    /// Use S3 Transfer Acceleration endpoints (`s3.use_accelerate_endpoint`).
    pub s3_use_accelerate: bool,
    /// `None` when not configured: the rule set then applies its own default.
    pub s3_use_arn_region: Option<bool>,
    /// Refuse S3 multi-Region access point ARNs (`s3.s3_disable_multiregion_access_points`).
    pub s3_disable_multiregion_access_points: bool,
    /// `s3.us_east_1_regional_endpoint = legacy` (botocore's default) → us-east-1 uses `s3.amazonaws.com`.
    pub s3_us_east_1_global: bool,
    /// `sts_regional_endpoints = legacy` → use the global endpoint.
    pub sts_global: bool,
    /// When to compute request checksums (`request_checksum_calculation`): `when_supported`
    /// (default) or `when_required`.
    pub request_checksum_calculation: ChecksumMode,
    /// When to validate response checksums (`response_checksum_validation`): `when_supported`
    /// (default) or `when_required`.
    pub response_checksum_validation: ChecksumMode,
    /// When uploads go `aws-chunked` with a trailing checksum (default: never; botocore: https only).
    pub trailing_checksums: crate::aws_chunked::TrailingChecksums,
    /// Do not prepend the modeled host prefix (`data.`, `{AccountId}.`) to the endpoint
    /// (`inject_host_prefix=False`).
    pub disable_host_prefix_injection: bool,
    /// `false` skips checking parameters against the model before serializing
    /// (botocore's `Config(parameter_validation=False)`); default `true`.
    pub parameter_validation: bool,
    /// How account-based endpoints (DynamoDB) use the account id: `preferred`, `required` or
    /// `disabled` (`account_id_endpoint_mode`, `AWS_ACCOUNT_ID_ENDPOINT_MODE`). `None` means
    /// botocore's default, `preferred` (the session always sets it, and `disabled` for
    /// unsigned clients as botocore does).
    pub account_id_endpoint_mode: Option<String>,
    /// The account id for account-based endpoints (`AWS::Auth::AccountId`).
    pub account_id: Option<String>,
    /// Text appended to the `User-Agent` header (`user_agent_extra`).
    pub user_agent_extra: Option<String>,
    /// Client context parameters of the endpoint rule set (e.g. S3's
    /// `Accelerate`, `DisableS3ExpressSessionAuth`), as botocore's per-service config.
    pub client_context_params: Vec<(String, boto_endpoints::ParamValue)>,
    /// Request bodies at least this large (bytes) are sent with `Expect: 100-continue` (S3 uploads).
    pub expect_continue_threshold: u64,
    /// gzip request bodies of operations with the `requestcompression` trait
    /// (`disable_request_compression`, `request_min_compression_size_bytes`; see
    /// [`crate::compression`]).
    pub request_compression: crate::compression::CompressionConfig,
    /// Endpoint discovery (`endpoint_discovery_enabled`: `auto`, `true`, `false`;
    /// see [`crate::discovery`]).
    pub endpoint_discovery: EndpointDiscovery,
    /// botocore's `Config(signature_version=)` other than `UNSIGNED` (that is
    /// [`ClientConfig::sign_requests`]): the signature for operations the model
    /// signs (not `noAuth` or bearer ones). `None`: the model and endpoint decide.
    pub signature_version: Option<SignatureVersion>,
    /// The region set SigV4a signs for (`sigv4a_signing_region_set`, e.g.
    /// `us-east-1,us-west-2` or `*`), over the endpoint's `signingRegionSet`.
    pub sigv4a_signing_region_set: Option<String>,
}

/// A configured signature version (botocore's `signature_version` names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureVersion {
    /// `v4`: SigV4.
    V4,
    /// `s3v4`: SigV4 with S3's rules (the same as `v4` for S3 clients).
    S3V4,
    /// `v4a`: SigV4a (region sets).
    V4a,
    /// `v2`: SigV2, for query-protocol services.
    V2,
}

impl SignatureVersion {
    /// botocore's names; anything else is its `UnsupportedSignatureVersionError`.
    pub fn parse(value: &str) -> Result<Self, Error> {
        match value {
            "v4" => Ok(SignatureVersion::V4),
            "s3v4" => Ok(SignatureVersion::S3V4),
            "v4a" => Ok(SignatureVersion::V4a),
            "v2" => Ok(SignatureVersion::V2),
            _ => Err(Error::construction(format!(
                "Signature version is not supported: {}",
                value.escape_debug()
            ))),
        }
    }
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            region: None,
            endpoint_url: None,
            use_fips: false,
            use_dualstack: false,
            retry_mode: RetryMode::Standard,
            max_attempts: None,
            retry_base_delay: Duration::from_secs(1),
            connect_timeout: Duration::from_secs(60),
            read_timeout: Duration::from_secs(60),
            max_pool_connections: 10,
            verify_tls: true,
            ca_bundle: None,
            proxies: ProxyConfig::default(),
            sign_requests: true,
            addressing_style: AddressingStyle::Auto,
            s3_use_accelerate: false,
            s3_use_arn_region: None,
            s3_disable_multiregion_access_points: false,
            s3_us_east_1_global: true,
            sts_global: false,
            request_checksum_calculation: ChecksumMode::WhenSupported,
            response_checksum_validation: ChecksumMode::WhenSupported,
            trailing_checksums: crate::aws_chunked::TrailingChecksums::Never,
            disable_host_prefix_injection: false,
            parameter_validation: true,
            account_id_endpoint_mode: None,
            account_id: None,
            user_agent_extra: None,
            client_context_params: Vec::new(),
            expect_continue_threshold: 2 * 1024 * 1024,
            request_compression: crate::compression::CompressionConfig::default(),
            endpoint_discovery: EndpointDiscovery::Auto,
            signature_version: None,
            sigv4a_signing_region_set: None,
        }
    }
}

impl ClientConfig {
    /// Total attempts for the retry mode.
    pub fn total_attempts(&self) -> u32 {
        self.max_attempts.unwrap_or(match self.retry_mode {
            RetryMode::Legacy => 5,
            _ => 3,
        })
    }
}
