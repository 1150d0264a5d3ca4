//! The parsers of the settings table: configured text to typed values, with
//! botocore's conversions and, where botocore has one, its error message.
//!
//! botocore converts some settings in the provider chain (`ensure_boolean`,
//! `int`) and validates others where they are used (`args.py`'s
//! `_compute_account_id_endpoint_mode_config`, `_get_sts_regional_endpoints_config`,
//! `client.py`'s `_normalize_endpoint_discovery_config`, `compress.py`'s
//! `_validate_min_compression_size`); here both happen in the setting's parser,
//! so every source (environment, profile, explicit text) gets the same checks.

use super::enums::{AccountIdEndpointMode, EndpointDiscovery, RegionalEndpoints};
use super::settings::Invalid;
use super::values::ensure_boolean;
use std::str::FromStr;

/// botocore's default `request_min_compression_size_bytes`.
pub const DEFAULT_MIN_COMPRESSION_SIZE: u64 = 10240;
/// The largest `request_min_compression_size_bytes` botocore accepts (1 MiB).
pub const MAX_MIN_COMPRESSION_SIZE: u64 = 1_048_576;

/// The text as it is.
pub fn text(v: &str) -> Result<String, Invalid> {
    Ok(v.to_string())
}

/// botocore's `ensure_boolean` (case-insensitive `true`; anything else is false).
pub fn boolean(v: &str) -> Result<bool, Invalid> {
    Ok(ensure_boolean(v))
}

/// `ensure_boolean` without trimming (as the request-compression switch always read it).
pub fn exact_boolean(v: &str) -> Result<bool, Invalid> {
    Ok(v.eq_ignore_ascii_case("true"))
}

/// `s3_disable_express_session_auth`: `true` or `false` in any case, nothing
/// else (botocore's `_validate_s3_disable_express_session_auth`, an
/// `InvalidConfigError`).
pub fn s3_disable_express_session_auth(v: &str) -> Result<bool, Invalid> {
    match v.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(Invalid::Message(format!(
            "Invalid value \"{v}\" for s3_disable_express_session_auth. Value must be a boolean"
        ))),
    }
}

/// `sigv4a_signing_region_set`: comma-separated regions or `*` wildcards
/// (`us-*`), blanks around them dropped. The set is signed into the
/// `X-Amz-Region-Set` header, so anything but region characters is refused.
pub fn region_set(v: &str) -> Result<String, Invalid> {
    if v.trim().is_empty() {
        // Unset, as botocore reads an empty value (then the endpoint's set).
        return Ok(String::new());
    }
    let parts: Vec<&str> = v.split(',').map(str::trim).collect();
    let valid = parts.iter().all(|p| {
        !p.is_empty()
            && p.len() <= 64
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'*')
    });
    if valid {
        Ok(parts.join(","))
    } else {
        Err(Invalid::Expected(
            "comma-separated region names or wildcards (us-east-1,us-west-*,*)".into(),
        ))
    }
}

/// An integer (botocore's `int`).
pub fn integer<T: FromStr>(v: &str) -> Result<T, Invalid> {
    v.trim()
        .parse()
        .map_err(|_| Invalid::Expected("an integer".into()))
}

/// `max_attempts`: an integer of at least 1.
pub fn max_attempts(v: &str) -> Result<u32, Invalid> {
    match v.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(Invalid::Expected("an integer of at least 1".into())),
    }
}

fn legacy_or_regional(v: &str) -> Option<RegionalEndpoints> {
    match v.trim() {
        "legacy" => Some(RegionalEndpoints::Legacy),
        "regional" => Some(RegionalEndpoints::Regional),
        _ => None,
    }
}

/// `sts_regional_endpoints`: an empty value is the default (`regional`);
/// otherwise `legacy` or `regional` (`InvalidSTSRegionalEndpointsConfigError`).
pub fn sts_regional_endpoints(v: &str) -> Result<RegionalEndpoints, Invalid> {
    if v.trim().is_empty() {
        return Ok(RegionalEndpoints::Regional);
    }
    legacy_or_regional(v).ok_or_else(|| {
        Invalid::Message(format!(
            "STS regional endpoints option {v} is invalid. Valid options are: \"legacy\", \"regional\""
        ))
    })
}

/// `s3.us_east_1_regional_endpoint`: `legacy` or `regional`
/// (`InvalidS3UsEast1RegionalEndpointConfigError`).
pub fn s3_us_east_1_regional_endpoint(v: &str) -> Result<RegionalEndpoints, Invalid> {
    legacy_or_regional(v).ok_or_else(|| {
        Invalid::Message(format!(
            "S3 us-east-1 regional endpoint option {v} is invalid. Valid options are: \"legacy\", \"regional\""
        ))
    })
}

/// `account_id_endpoint_mode`: `preferred`, `disabled` or `required`, any case
/// (botocore's `InvalidConfigError` text, which quotes the lower-cased value).
pub fn account_id_endpoint_mode(v: &str) -> Result<AccountIdEndpointMode, Invalid> {
    let lower = v.to_lowercase();
    match lower.as_str() {
        "preferred" => Ok(AccountIdEndpointMode::Preferred),
        "disabled" => Ok(AccountIdEndpointMode::Disabled),
        "required" => Ok(AccountIdEndpointMode::Required),
        _ => Err(Invalid::Message(format!(
            "The configured value '{lower}' for 'account_id_endpoint_mode' is invalid. \
             Valid values are: ('preferred', 'disabled', 'required')."
        ))),
    }
}

/// `endpoint_discovery_enabled`: `auto`, `true` or `false`, any case, blanks
/// ignored (`InvalidEndpointDiscoveryConfigurationError`, which quotes the
/// normalized value).
pub fn endpoint_discovery(v: &str) -> Result<EndpointDiscovery, Invalid> {
    let norm = v.trim().to_lowercase();
    match norm.as_str() {
        "auto" => Ok(EndpointDiscovery::Auto),
        "true" => Ok(EndpointDiscovery::Enabled),
        "false" => Ok(EndpointDiscovery::Disabled),
        _ => Err(Invalid::Message(format!(
            "Unsupported configuration value for endpoint_discovery_enabled. \
             Expected one of (\"true\", \"false\", \"auto\") but got {norm}."
        ))),
    }
}

/// `request_min_compression_size_bytes`: an integer (Python's `int()`: blanks, a
/// sign and `_` separators accepted) from 1 to 1048576, with the texts of
/// botocore's `_validate_min_compression_size`.
pub fn min_compression_size(value: &str) -> Result<u64, Invalid> {
    let base = format!("Invalid value \"{value}\" for request_min_compression_size_bytes.");
    let t = value.trim();
    let digits = t.strip_prefix('+').unwrap_or(t);
    let negative = digits.starts_with('-');
    let digits = digits.strip_prefix('-').unwrap_or(digits);
    let valid = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_')
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__");
    if !valid {
        return Err(Invalid::Message(format!(
            "{base} Value must be an integer. Received <class 'str'> instead."
        )));
    }
    let n: u128 = digits.replace('_', "").parse().unwrap_or(u128::MAX);
    if negative || n < 1 || n > u128::from(MAX_MIN_COMPRESSION_SIZE) {
        return Err(Invalid::Message(format!(
            "{base} Value must be between 1 and {MAX_MIN_COMPRESSION_SIZE}."
        )));
    }
    Ok(n as u64)
}
