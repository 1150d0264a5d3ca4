//! UTC date formatting for signing, without a date/time dependency.
//!
//! SigV4 needs four renderings of one instant (`20150830T123600Z`, the
//! `20150830` scope date, RFC 2822 for a `Date` header and ISO 8601 for POST
//! policies). A civil-from-days conversion is a dozen lines, far smaller than
//! pulling in a calendar crate.

use std::time::{SystemTime, UNIX_EPOCH};

use super::SigningError;

/// Broken-down UTC time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct UtcTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 = Monday.
    pub weekday: u32,
}

/// Largest supported instant (end of year 9999) in Unix seconds.
const MAX_SECS: u64 = 253_402_300_799;

impl UtcTime {
    pub(crate) fn from_system_time(t: SystemTime) -> Result<Self, SigningError> {
        let secs = t
            .duration_since(UNIX_EPOCH)
            .map_err(|_| SigningError::InvalidTime)?
            .as_secs();
        Self::from_unix(secs)
    }

    pub(crate) fn from_unix(secs: u64) -> Result<Self, SigningError> {
        if secs > MAX_SECS {
            return Err(SigningError::InvalidTime);
        }
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        let (year, month, day) = boto_util::civil::civil_from_days(days);
        Ok(UtcTime {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem / 60 % 60) as u32,
            second: (rem % 60) as u32,
            // 1970-01-01 was a Thursday (index 3 when Monday is 0).
            weekday: ((days + 3) % 7) as u32,
        })
    }

    /// `%Y%m%dT%H%M%SZ`, the `X-Amz-Date` format. Written digit by digit:
    /// through `write!` it was a third of a microsecond of every signature.
    pub(crate) fn amz_date(&self) -> String {
        let mut b = *b"00000000T000000Z";
        // `from_unix` keeps the year within 1970..=9999: four digits.
        put_decimal(&mut b[0..4], self.year.unsigned_abs());
        put_decimal(&mut b[4..6], self.month.into());
        put_decimal(&mut b[6..8], self.day.into());
        put_decimal(&mut b[9..11], self.hour.into());
        put_decimal(&mut b[11..13], self.minute.into());
        put_decimal(&mut b[13..15], self.second.into());
        // Digits and two letters only: always UTF-8.
        std::str::from_utf8(&b).map_or_else(|_| String::new(), str::to_owned)
    }

    /// `%Y-%m-%dT%H:%M:%SZ`, botocore's `ISO8601` (used for POST policy expiry).
    pub(crate) fn iso8601(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `email.utils.formatdate(ts)` (RFC 2822, `-0000` zone), for a `Date` header.
    pub(crate) fn rfc2822(&self) -> String {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!(
            "{}, {:02} {} {:04} {:02}:{:02}:{:02} -0000",
            DAYS[self.weekday as usize],
            self.day,
            MONTHS[(self.month - 1) as usize],
            self.year,
            self.hour,
            self.minute,
            self.second
        )
    }
}

/// Writes the low `out.len()` decimal digits of `v` into `out`, zero-padded.
fn put_decimal(out: &mut [u8], mut v: u64) {
    for d in out.iter_mut().rev() {
        *d = b'0' + (v % 10) as u8;
        v /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_date_matches_the_formatted_rendering() {
        let mut secs = 0u64;
        while secs <= MAX_SECS {
            let t = UtcTime::from_unix(secs).unwrap();
            let want = format!(
                "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                t.year, t.month, t.day, t.hour, t.minute, t.second
            );
            assert_eq!(t.amz_date(), want, "{secs}");
            secs += 86_400 * 37 + 3_661 * 7;
        }
    }

    #[test]
    fn formats_known_instants() {
        // 2015-08-30T12:36:00Z, the test-suite time (a Sunday).
        let t = UtcTime::from_unix(1_440_938_160).unwrap();
        assert_eq!(t.amz_date(), "20150830T123600Z");
        assert_eq!(t.iso8601(), "2015-08-30T12:36:00Z");
        assert_eq!(t.rfc2822(), "Sun, 30 Aug 2015 12:36:00 -0000");
        let leap = UtcTime::from_unix(951_782_400).unwrap(); // 2000-02-29
        assert_eq!(leap.amz_date(), "20000229T000000Z");
        assert_eq!(
            UtcTime::from_unix(0).unwrap().rfc2822(),
            "Thu, 01 Jan 1970 00:00:00 -0000"
        );
        assert_eq!(
            UtcTime::from_unix(MAX_SECS).unwrap().amz_date(),
            "99991231T235959Z"
        );
        assert!(UtcTime::from_unix(MAX_SECS + 1).is_err());
    }
}
