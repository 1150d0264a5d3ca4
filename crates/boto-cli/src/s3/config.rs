//! Transfer settings from the config file's nested `s3 =` block, and sizes.
//!
//! Replaces aws-cli's `transferconfig.RuntimeConfig` and the size helpers of
//! `customizations/s3/utils.py` (`human_readable_size`,
//! `human_readable_to_bytes`): `multipart_threshold = 64MB`,
//! `max_bandwidth = 10MB/s`, `max_concurrent_requests = 20`, with aws-cli's
//! error messages for bad values.

use crate::error::CliError;

/// The s3 transfer settings in effect (aws-cli's defaults when not configured).
#[derive(Debug, Clone, PartialEq)]
pub struct TransferSettings {
    pub max_concurrent_requests: u64,
    pub multipart_threshold: u64,
    pub multipart_chunksize: u64,
    pub max_bandwidth: Option<u64>,
}

impl Default for TransferSettings {
    fn default() -> Self {
        TransferSettings {
            max_concurrent_requests: 10,
            multipart_threshold: 8 * 1024 * 1024,
            multipart_chunksize: 8 * 1024 * 1024,
            max_bandwidth: None,
        }
    }
}

fn suffix_multiplier(s: &str) -> Option<u64> {
    Some(match s {
        "kb" | "kib" => 1 << 10,
        "mb" | "mib" => 1 << 20,
        "gb" | "gib" => 1 << 30,
        "tb" | "tib" => 1 << 40,
        _ => return None,
    })
}

/// aws-cli's `human_readable_to_bytes`: `10MB`, `1GiB`, `1024`.
pub fn human_readable_to_bytes(value: &str) -> Result<u64, String> {
    let v = value.to_ascii_lowercase();
    let suffix_len = if v.ends_with("ib") { 3 } else { 2 };
    let invalid = || format!("Invalid size value: {value}");
    if v.len() >= 2 {
        let split = v.len().saturating_sub(suffix_len);
        if v.is_char_boundary(split) {
            if let Some(m) = suffix_multiplier(&v[split..]) {
                let n: i64 = v[..split].trim().parse().map_err(|_| invalid())?;
                return u64::try_from(n)
                    .ok()
                    .and_then(|n| n.checked_mul(m))
                    .ok_or_else(invalid);
            }
        }
    }
    let n: i64 = v.trim().parse().map_err(|_| invalid())?;
    u64::try_from(n).map_err(|_| invalid())
}

/// aws-cli's `human_readable_size`: `1 Byte`, `10 Bytes`, `1.0 KiB`, `3.5 MiB`.
pub fn human_readable_size(value: u64) -> String {
    const SUFFIXES: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let b = value as f64;
    if value == 1 {
        return "1 Byte".into();
    }
    if value < 1024 {
        return format!("{value} Bytes");
    }
    for (i, suffix) in SUFFIXES.iter().enumerate() {
        let unit = 1024f64.powi(i as i32 + 2);
        if ((b / unit) * 1024.0).round() < 1024.0 {
            return format!("{:.1} {suffix}", 1024.0 * b / unit);
        }
    }
    format!("{:.1} EiB", b / 1024f64.powi(6))
}

/// Reads the `s3` block of the selected profile (`s3.max_concurrent_requests`, ...).
pub fn load(profile: Option<&str>) -> Result<TransferSettings, CliError> {
    let get = |k: &str| crate::configure::profile_value(profile, &format!("s3.{k}"));
    from_values(get)
}

/// Builds settings from a lookup of the `s3` block's keys (aws-cli's `build_config`).
pub fn from_values(get: impl Fn(&str) -> Option<String>) -> Result<TransferSettings, CliError> {
    let mut t = TransferSettings::default();
    let bad = |m: String| CliError::other(m);
    let positive = |name: &str, raw: &str, n: Result<u64, String>| -> Result<u64, CliError> {
        match n {
            Ok(n) if n > 0 => Ok(n),
            Ok(_) => Err(bad(format!(
                "Value for {name} must be a positive integer: {raw}"
            ))),
            Err(e) if e.starts_with("Invalid size") => Err(bad(e)),
            Err(_) => Err(bad(format!(
                "Value for {name} must be a positive integer: {raw}"
            ))),
        }
    };
    for name in ["multipart_threshold", "multipart_chunksize"] {
        if let Some(raw) = get(name) {
            let n = positive(name, &raw, human_readable_to_bytes(&raw))?;
            if name == "multipart_threshold" {
                t.multipart_threshold = n;
            } else {
                t.multipart_chunksize = n;
            }
        }
    }
    if let Some(raw) = get("max_concurrent_requests") {
        let n = raw.trim().parse::<i64>().map_err(|e| e.to_string());
        let n = n.and_then(|n| u64::try_from(n).map_err(|e| e.to_string()));
        t.max_concurrent_requests = positive("max_concurrent_requests", &raw, n)?;
    }
    if let Some(raw) = get("max_bandwidth") {
        let n = if raw.trim().chars().all(|c| c.is_ascii_digit()) {
            human_readable_to_bytes(&raw)
        } else if let Some(r) = raw.strip_suffix("B/s") {
            human_readable_to_bytes(&format!("{r}B"))
        } else {
            return Err(bad(format!(
                "Invalid rate: {raw}. The value must be expressed as a rate in terms of \
                 bytes per seconds (e.g. 10MB/s or 800KB/s)"
            )));
        };
        t.max_bandwidth = Some(positive("max_bandwidth", &raw, n)?);
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_like_aws_cli() {
        assert_eq!(human_readable_to_bytes("8MB").unwrap(), 8 << 20);
        assert_eq!(human_readable_to_bytes("1GiB").unwrap(), 1 << 30);
        assert_eq!(human_readable_to_bytes("10kb").unwrap(), 10 << 10);
        assert_eq!(human_readable_to_bytes("1234").unwrap(), 1234);
        assert!(human_readable_to_bytes("8XB").is_err());
        assert!(human_readable_to_bytes("MB").is_err());
        assert!(human_readable_to_bytes("é").is_err());
        assert!(human_readable_to_bytes("99999999999999TB").is_err());
    }

    #[test]
    fn sizes_print_like_aws_cli() {
        assert_eq!(human_readable_size(0), "0 Bytes");
        assert_eq!(human_readable_size(1), "1 Byte");
        assert_eq!(human_readable_size(1023), "1023 Bytes");
        assert_eq!(human_readable_size(1024), "1.0 KiB");
        assert_eq!(human_readable_size(1024 * 1024 - 1), "1.0 MiB");
        assert_eq!(human_readable_size(3 * 1024 * 1024 / 2), "1.5 MiB");
        assert_eq!(human_readable_size(u64::MAX), "16.0 EiB");
    }

    #[test]
    fn settings_from_the_s3_block() {
        let t = from_values(|k| match k {
            "max_concurrent_requests" => Some("20".into()),
            "multipart_threshold" => Some("64MB".into()),
            "multipart_chunksize" => Some("16MiB".into()),
            "max_bandwidth" => Some("10MB/s".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(t.max_concurrent_requests, 20);
        assert_eq!(t.multipart_threshold, 64 << 20);
        assert_eq!(t.multipart_chunksize, 16 << 20);
        assert_eq!(t.max_bandwidth, Some(10 << 20));
        let e = from_values(|k| (k == "max_bandwidth").then(|| "10MB".into())).unwrap_err();
        assert!(
            e.message.starts_with("Invalid rate: 10MB."),
            "{}",
            e.message
        );
        let e = from_values(|k| (k == "max_concurrent_requests").then(|| "0".into())).unwrap_err();
        assert_eq!(
            e.message,
            "Value for max_concurrent_requests must be a positive integer: 0"
        );
        assert_eq!(from_values(|_| None).unwrap(), TransferSettings::default());
    }
}
