//! UTC timestamps and the three wire formats AWS uses for them.
//!
//! Protocols write timestamps as ISO 8601 (`2015-01-25T08:00:00Z`), HTTP dates
//! (`Sun, 25 Jan 2015 08:00:00 GMT`) or epoch seconds with fractions. A tiny
//! self-contained type (seconds + nanoseconds since the epoch) covers all of
//! them without pulling a date crate into every build.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use boto_util::civil::{civil_from_days, days_from_civil};

/// A point in time, UTC, with nanosecond precision.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp {
    secs: i64,
    nanos: u32,
}

/// A timestamp string that none of the accepted formats matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampParseError(pub String);

impl fmt::Display for TimestampParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid timestamp: {:?}", self.0)
    }
}
impl std::error::Error for TimestampParseError {}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

impl Timestamp {
    /// From seconds and nanoseconds since the epoch; nanoseconds past a second carry into `secs`.
    pub fn new(secs: i64, nanos: u32) -> Self {
        let extra = (nanos / 1_000_000_000) as i64;
        Timestamp {
            secs: secs + extra,
            nanos: nanos % 1_000_000_000,
        }
    }
    /// From whole seconds since the epoch.
    pub fn from_epoch_secs(secs: i64) -> Self {
        Timestamp { secs, nanos: 0 }
    }
    /// From fractional epoch seconds, rounded to the microsecond like botocore.
    pub fn from_epoch_f64(f: f64) -> Option<Self> {
        if !f.is_finite() || f.abs() > 1e14 {
            return None;
        }
        let micros = (f * 1_000_000.0).round() as i64;
        Some(Timestamp {
            secs: micros.div_euclid(1_000_000),
            nanos: (micros.rem_euclid(1_000_000) * 1000) as u32,
        })
    }
    /// The current system time.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }
    /// Whole seconds since the epoch (negative before 1970).
    pub fn epoch_secs(&self) -> i64 {
        self.secs
    }
    /// The nanoseconds past [`epoch_secs`](Self::epoch_secs), below 10^9.
    pub fn subsec_nanos(&self) -> u32 {
        self.nanos
    }
    /// Fractional seconds since the epoch (the JSON protocols' `unixTimestamp` form).
    pub fn epoch_f64(&self) -> f64 {
        self.secs as f64 + self.nanos as f64 / 1e9
    }

    fn parts(&self) -> (i64, u32, u32, u32, u32, u32) {
        let days = self.secs.div_euclid(86400);
        let rem = self.secs.rem_euclid(86400);
        let (y, mo, d) = civil_from_days(days);
        (
            y,
            mo,
            d,
            (rem / 3600) as u32,
            ((rem % 3600) / 60) as u32,
            (rem % 60) as u32,
        )
    }

    /// `2015-01-25T08:00:00Z`, or with `.123456` microseconds when there are any (botocore's form).
    pub fn to_iso8601(&self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        let micros = self.nanos / 1000;
        if micros == 0 {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
        } else {
            format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{micros:06}Z")
        }
    }

    /// ISO 8601 with exactly three fractional digits (`...T08:00:00.000Z`), as S3 lists it.
    pub fn to_iso8601_millis(&self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        let ms = self.nanos / 1_000_000;
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
    }

    /// `Sun, 25 Jan 2015 08:00:00 GMT` (RFC 7231 IMF-fixdate).
    pub fn to_http_date(&self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        let wd = WEEKDAYS[self.secs.div_euclid(86400).rem_euclid(7) as usize];
        format!(
            "{wd}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} GMT",
            MONTHS[(mo - 1) as usize]
        )
    }

    /// `20150125T080000Z`, the SigV4 date-time form.
    pub fn to_amz_date(&self) -> String {
        let (y, mo, d, h, mi, s) = self.parts();
        format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
    }

    /// Epoch seconds as JSON protocols write them: an integer when whole,
    /// otherwise up to millisecond precision.
    pub fn to_epoch_number(&self) -> serde_json::Number {
        if self.nanos == 0 {
            serde_json::Number::from(self.secs)
        } else {
            let ms = (self.nanos / 1_000_000) as f64 / 1000.0;
            serde_json::Number::from_f64(self.secs as f64 + ms)
                .unwrap_or_else(|| serde_json::Number::from(self.secs))
        }
    }

    /// Parses any timestamp form AWS sends: ISO 8601 (with or without
    /// fraction, `Z` or an offset, date-only), HTTP dates (RFC 1123/850,
    /// asctime), or epoch seconds as a string.
    #[inline]
    pub fn parse(s: &str) -> Result<Self, TimestampParseError> {
        // The two forms services send nearly always (`2024-05-01T12:00:00Z`,
        // `2024-05-01T12:00:00.000Z`) are read by position, inlined into the
        // parsers; anything else, or anything out of range, takes the
        // general path.
        match parse_iso8601_exact(s.as_bytes()) {
            Some(ts) => Ok(ts),
            None => Self::parse_general(s),
        }
    }

    #[inline(never)]
    fn parse_general(s: &str) -> Result<Self, TimestampParseError> {
        let t = s.trim();
        let err = || TimestampParseError(s.to_string());
        if t.is_empty() {
            return Err(err());
        }
        // ISO 8601 (`2024-05-01T...`, what XML and most JSON services send)
        // is not a number: skip trying it as one.
        let b = t.as_bytes();
        let iso = b.len() > 4 && b[4] == b'-' && b[..4].iter().all(u8::is_ascii_digit);
        if !iso {
            if let Ok(f) = t.parse::<f64>() {
                return Self::from_epoch_f64(f).ok_or_else(err);
            }
        }
        if t.as_bytes()[0].is_ascii_digit() {
            parse_iso8601(t).ok_or_else(err)
        } else {
            parse_http_date(t).ok_or_else(err)
        }
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    /// `min` to `max` digits (callers ask for at most 4, so no overflow).
    fn num(&mut self, min: usize, max: usize) -> Option<i64> {
        let start = self.i;
        let mut n = 0i64;
        while self.i - start < max {
            match self.b.get(self.i) {
                Some(&d) if d.is_ascii_digit() => n = n * 10 + i64::from(d - b'0'),
                _ => break,
            }
            self.i += 1;
        }
        (self.i - start >= min).then_some(n)
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.b.get(self.i) == Some(&c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.i += 1;
        }
    }
    fn word(&mut self) -> &'a [u8] {
        let start = self.i;
        while self.i < self.b.len() && self.b[self.i].is_ascii_alphabetic() {
            self.i += 1;
        }
        &self.b[start..self.i]
    }
    fn done(&self) -> bool {
        self.i >= self.b.len()
    }
}

#[inline]
fn build(y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64, nanos: u32) -> Option<Timestamp> {
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 24 || mi > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(y, mo as u32, d as u32);
    Some(Timestamp::new(days * 86400 + h * 3600 + mi * 60 + s, nanos))
}

fn fraction(c: &mut Cursor) -> u32 {
    let mut nanos = 0u32;
    let mut digits = 0;
    while let Some(ch) = c.peek().filter(u8::is_ascii_digit) {
        if digits < 9 {
            nanos = nanos * 10 + (ch - b'0') as u32;
            digits += 1;
        }
        c.i += 1;
    }
    while digits < 9 {
        nanos *= 10;
        digits += 1;
    }
    nanos
}

/// `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.mmmZ` exactly, as
/// [`parse_iso8601`] reads them. A tenth of a 1,000-key listing's parse went
/// to the general scanner's per-character steps.
#[inline]
fn parse_iso8601_exact(b: &[u8]) -> Option<Timestamp> {
    let millis = match b.len() {
        20 => false,
        24 => true,
        _ => return None,
    };
    let seps = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if b[b.len() - 1] != b'Z' || seps.iter().any(|&(i, c)| b[i] != c) || (millis && b[19] != b'.') {
        return None;
    }
    #[inline(always)]
    fn digit(b: &[u8], i: usize) -> Option<i64> {
        b[i].is_ascii_digit().then(|| i64::from(b[i] - b'0'))
    }
    #[inline(always)]
    fn two(b: &[u8], i: usize) -> Option<i64> {
        Some(digit(b, i)? * 10 + digit(b, i + 1)?)
    }
    let two = |i: usize| two(b, i);
    let y = two(0)? * 100 + two(2)?;
    let nanos = if millis {
        (two(20)? * 10 + digit(b, 22)?) as u32 * 1_000_000
    } else {
        0
    };
    build(y, two(5)?, two(8)?, two(11)?, two(14)?, two(17)?, nanos)
}

fn parse_iso8601(t: &str) -> Option<Timestamp> {
    let mut c = Cursor {
        b: t.as_bytes(),
        i: 0,
    };
    let y = c.num(4, 4)?;
    c.eat(b'-');
    let mo = c.num(2, 2)?;
    c.eat(b'-');
    let d = c.num(2, 2)?;
    if c.done() {
        return build(y, mo, d, 0, 0, 0, 0);
    }
    if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
        return None;
    }
    let h = c.num(2, 2)?;
    c.eat(b':');
    let mi = c.num(2, 2)?;
    let mut s = 0;
    if c.eat(b':') || c.peek().is_some_and(|b| b.is_ascii_digit()) {
        s = c.num(2, 2)?;
    }
    let nanos = if c.eat(b'.') || c.eat(b',') {
        fraction(&mut c)
    } else {
        0
    };
    let mut offset = 0i64;
    match c.peek() {
        None => {}
        Some(b'Z') | Some(b'z') => c.i += 1,
        Some(sign @ (b'+' | b'-')) => {
            c.i += 1;
            let oh = c.num(2, 2)?;
            c.eat(b':');
            let om = if c.done() { 0 } else { c.num(2, 2)? };
            offset = (oh * 3600 + om * 60) * if sign == b'+' { 1 } else { -1 };
        }
        _ => return None,
    }
    if !c.done() {
        return None;
    }
    let ts = build(y, mo, d, h, mi, s, nanos)?;
    Some(Timestamp::new(ts.secs - offset, ts.nanos))
}

fn month_from(name: &[u8]) -> Option<i64> {
    MONTHS
        .iter()
        .position(|m| m.as_bytes().eq_ignore_ascii_case(name))
        .map(|p| p as i64 + 1)
}

fn parse_http_date(t: &str) -> Option<Timestamp> {
    let mut c = Cursor {
        b: t.as_bytes(),
        i: 0,
    };
    c.word(); // weekday, ignored
    c.eat(b',');
    c.skip_spaces();
    let (y, mo, d);
    if c.peek().is_some_and(|b| b.is_ascii_digit()) {
        // RFC 1123 `25 Jan 2015` or RFC 850 `25-Jan-15`
        d = c.num(1, 2)?;
        let dash = c.eat(b'-');
        c.skip_spaces();
        mo = month_from(c.word())?;
        if dash {
            c.eat(b'-');
        }
        c.skip_spaces();
        let start = c.i;
        let yy = c.num(2, 4)?;
        y = if c.i - start == 2 {
            if yy < 70 {
                2000 + yy
            } else {
                1900 + yy
            }
        } else {
            yy
        };
        c.skip_spaces();
    } else {
        // asctime `Jan 25 08:00:00 2015`
        mo = month_from(c.word())?;
        c.skip_spaces();
        d = c.num(1, 2)?;
        c.skip_spaces();
        let (h, mi, s) = hms(&mut c)?;
        c.skip_spaces();
        y = c.num(4, 4)?;
        return build(y, mo, d, h, mi, s, 0);
    }
    let (h, mi, s) = hms(&mut c)?;
    let nanos = if c.eat(b'.') { fraction(&mut c) } else { 0 };
    c.skip_spaces();
    let zone = c.word();
    if !(zone.is_empty() || zone.eq_ignore_ascii_case(b"GMT") || zone.eq_ignore_ascii_case(b"UTC"))
    {
        return None;
    }
    let mut offset = 0;
    if zone.is_empty() {
        if let Some(sign @ (b'+' | b'-')) = c.peek() {
            c.i += 1;
            let hhmm = c.num(4, 4)?;
            offset = ((hhmm / 100) * 3600 + (hhmm % 100) * 60) * if sign == b'+' { 1 } else { -1 };
        }
    }
    c.skip_spaces();
    if !c.done() {
        return None;
    }
    let ts = build(y, mo, d, h, mi, s, nanos)?;
    Some(Timestamp::new(ts.secs - offset, ts.nanos))
}

fn hms(c: &mut Cursor) -> Option<(i64, i64, i64)> {
    let h = c.num(1, 2)?;
    if !c.eat(b':') {
        return None;
    }
    let mi = c.num(2, 2)?;
    let s = if c.eat(b':') { c.num(2, 2)? } else { 0 };
    Some((h, mi, s))
}

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => Timestamp {
                secs: d.as_secs() as i64,
                nanos: d.subsec_nanos(),
            },
            Err(e) => {
                let d = e.duration();
                let t = Timestamp {
                    secs: -(d.as_secs() as i64),
                    nanos: 0,
                };
                Timestamp::new(
                    t.secs - i64::from(d.subsec_nanos() > 0),
                    (1_000_000_000 - d.subsec_nanos()) % 1_000_000_000,
                )
            }
        }
    }
}

impl From<Timestamp> for SystemTime {
    fn from(t: Timestamp) -> Self {
        if t.secs >= 0 {
            UNIX_EPOCH + Duration::new(t.secs as u64, t.nanos)
        } else {
            UNIX_EPOCH - Duration::from_secs(t.secs.unsigned_abs())
                + Duration::from_nanos(t.nanos as u64)
        }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_iso8601())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let t = Timestamp::from_epoch_secs(1422172800);
        assert_eq!(t.to_iso8601(), "2015-01-25T08:00:00Z");
        assert_eq!(t.to_http_date(), "Sun, 25 Jan 2015 08:00:00 GMT");
        assert_eq!(t.to_amz_date(), "20150125T080000Z");
        assert_eq!(t.to_epoch_number().to_string(), "1422172800");
        let f = Timestamp::from_epoch_f64(1422172800.123).unwrap();
        assert_eq!(f.to_iso8601(), "2015-01-25T08:00:00.123000Z");
        assert_eq!(f.to_iso8601_millis(), "2015-01-25T08:00:00.123Z");
        assert_eq!(f.to_epoch_number().to_string(), "1422172800.123");
    }

    /// The positional reader agrees with the general one wherever it
    /// answers, and answers for the usual forms.
    #[test]
    fn exact_iso8601_agrees_with_the_scanner() {
        let mut answered = 0;
        let bases = [
            "2024-05-01T12:34:56Z",
            "1969-12-31T23:59:60.999Z",
            "2015-01-25T08:00:00.123Z",
        ];
        for base in bases {
            assert!(parse_iso8601_exact(base.as_bytes()).is_some(), "{base}");
            // Every character replaced by each of a few others.
            for i in 0..base.len() {
                for c in ['0', '9', '3', '6', 'Z', 'T', '-', ':', '.', ' ', 'x'] {
                    let mut t: Vec<char> = base.chars().collect();
                    t[i] = c;
                    let t: String = t.into_iter().collect();
                    if let Some(ts) = parse_iso8601_exact(t.as_bytes()) {
                        answered += 1;
                        assert_eq!(Some(ts), parse_iso8601(&t), "{t}");
                        assert_eq!(Timestamp::parse(&t).ok(), Some(ts), "{t}");
                    } else {
                        assert_eq!(
                            Timestamp::parse(&t).ok(),
                            parse_iso8601(t.trim()).filter(|_| t.as_bytes()[0].is_ascii_digit()),
                            "{t}"
                        );
                    }
                }
            }
        }
        assert!(answered > 100, "{answered}");
        assert!(parse_iso8601_exact(b"2024-13-01T00:00:00Z").is_none());
        assert!(parse_iso8601_exact(b" 2024-05-01T12:34:56Z").is_none());
    }

    #[test]
    fn parses_every_form() {
        let want = Timestamp::from_epoch_secs(1422172800);
        for s in [
            "2015-01-25T08:00:00Z",
            "2015-01-25T08:00:00.000Z",
            "2015-01-25T10:00:00+02:00",
            "2015-01-25t08:00:00z",
            "Sun, 25 Jan 2015 08:00:00 GMT",
            "Sunday, 25-Jan-15 08:00:00 GMT",
            "Sun Jan 25 08:00:00 2015",
            "1422172800",
            "1422172800.0",
            "1.4221728e9",
            "14221728e2",
        ] {
            assert_eq!(Timestamp::parse(s), Ok(want), "{s}");
        }
        assert_eq!(
            Timestamp::parse("2015-01-25").unwrap().epoch_secs(),
            1422144000
        );
        // A number with a `-` at the fifth byte is still a number.
        assert_eq!(
            Timestamp::parse("1.5e-3").unwrap().subsec_nanos(),
            1_500_000
        );
        for bad in [
            "",
            "nope",
            "2015-13-01T00:00:00Z",
            "Sun, 25 Foo 2015 08:00:00 GMT",
            "2015-01-25T08:00:00Zjunk",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 59, 60, 365, 11_016, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        let before = Timestamp::from_epoch_f64(-1.5).unwrap();
        assert_eq!(
            (before.epoch_secs(), before.subsec_nanos()),
            (-2, 500_000_000)
        );
        assert_eq!(Timestamp::from(SystemTime::from(before)), before);
    }
}
