//! RFC 3339 / ISO 8601 timestamps for credential expiry, without a date crate.
//!
//! Providers receive expirations as text (`2024-05-01T12:00:00Z`, sometimes with
//! fractional seconds or an offset) and the SSO token cache stores them the same
//! way, so both parsing and formatting are needed.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use boto_util::civil::{civil_from_days, days_from_civil};

fn num(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Parses `YYYY-MM-DD[T ]HH:MM:SS[.fff][Z|UTC|±HH:MM|±HHMM]`; no zone means UTC.
pub fn parse_timestamp(s: &str) -> Option<SystemTime> {
    let s = s.trim();
    if s.len() < 19 || !s.is_char_boundary(10) || !s.is_char_boundary(19) {
        return None;
    }
    let (date, rest) = s.split_at(10);
    let mut dp = date.split('-');
    let (y, mo, d) = (num(dp.next()?)?, num(dp.next()?)?, num(dp.next()?)?);
    let sep = rest.as_bytes()[0];
    if sep != b'T' && sep != b't' && sep != b' ' {
        return None;
    }
    let (time, zone) = rest[1..].split_at(8);
    let mut tp = time.split(':');
    let (h, mi, sec) = (num(tp.next()?)?, num(tp.next()?)?, num(tp.next()?)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut zone = zone;
    let mut nanos = 0u32;
    if let Some(frac) = zone.strip_prefix('.') {
        let end = frac
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(frac.len());
        let digits = &frac[..end];
        if digits.is_empty() {
            return None;
        }
        let padded: String = digits
            .chars()
            .chain(std::iter::repeat('0'))
            .take(9)
            .collect();
        nanos = padded.parse().ok()?;
        zone = &frac[end..];
    }
    let offset_secs: i64 = match zone {
        "" | "Z" | "z" | "UTC" | "GMT" | "+00:00" => 0,
        z if z.len() == 6 || z.len() == 5 => {
            let sign = match &z[..1] {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let (hh, mm) = if z.len() == 6 {
                if &z[3..4] != ":" {
                    return None;
                }
                (num(&z[1..3])?, num(&z[4..6])?)
            } else {
                (num(&z[1..3])?, num(&z[3..5])?)
            };
            sign * (hh * 3600 + mm * 60)
        }
        _ => return None,
    };
    let secs =
        days_from_civil(y, mo as u32, d as u32) * 86400 + h * 3600 + mi * 60 + sec - offset_secs;
    if secs >= 0 {
        Some(UNIX_EPOCH + Duration::new(secs as u64, nanos))
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_secs(secs.unsigned_abs()))
    }
}

/// Formats as `YYYY-MM-DDTHH:MM:SSZ` (whole seconds, UTC).
pub fn format_timestamp(t: SystemTime) -> String {
    let secs = match t.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    };
    let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let t = parse_timestamp("2024-02-29T23:59:58Z").unwrap();
        assert_eq!(format_timestamp(t), "2024-02-29T23:59:58Z");
        assert_eq!(t.duration_since(UNIX_EPOCH).unwrap().as_secs(), 1709251198);
        let f = parse_timestamp("2024-02-29T23:59:58.5+01:00").unwrap();
        assert_eq!(
            f.duration_since(UNIX_EPOCH).unwrap().as_millis(),
            1709247598500
        );
        assert_eq!(parse_timestamp("2024-02-29 23:59:58UTC"), Some(t));
        assert_eq!(format_timestamp(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        assert!(parse_timestamp("nope").is_none());
        assert!(parse_timestamp("2024-13-01T00:00:00Z").is_none());
        assert!(parse_timestamp("2024-01-01T00:00:00Q").is_none());
    }
}
