//! Proleptic Gregorian calendar arithmetic without a date crate.
//!
//! botocore gets dates from Python's `datetime` (and `calendar.timegm`),
//! which count days on the proleptic Gregorian calendar; boto-rs keeps
//! timestamps as seconds since 1970-01-01 UTC and converts with Howard
//! Hinnant's branch-light algorithms
//! (<https://howardhinnant.github.io/date_algorithms.html>), exact for every
//! year an `i64` day count can hold, before 1970 and before year 1 included.
//! Used for the protocols' ISO 8601 / HTTP dates, SigV4's `X-Amz-Date`,
//! credential expiry and the Python binding's `datetime` conversion.

/// Days since 1970-01-01 of the date `y`-`m`-`d` (Hinnant's
/// `days_from_civil`; `m` is 1-12, `d` 1-31; like the algorithm, a day past
/// the end of its month counts on into the next).
#[inline]
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // [0, 399]
    let mp = if m > 2 { m - 3 } else { m + 9 }; // March is 0
    let doy = (153 * mp + 2) / 5 + d - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The date of day `z` counted from 1970-01-01: (year, month 1-12,
/// day 1-31) (Hinnant's `civil_from_days`, the inverse of
/// [`days_from_civil`]).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Whether `y` is a Gregorian leap year (`calendar.isleap`).
pub fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        // 2015-08-30, SigV4's test-suite day.
        assert_eq!(days_from_civil(2015, 8, 30), 1_440_938_160 / 86_400);
        assert_eq!(civil_from_days(16_677), (2015, 8, 30));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn leap_years() {
        assert!(is_leap(2000) && is_leap(2024) && is_leap(1600) && is_leap(0));
        assert!(!is_leap(1900) && !is_leap(2100) && !is_leap(2023));
        assert!(is_leap(-4) && !is_leap(-100) && is_leap(-400));
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        // 1900 is not a leap year: February 29th is March 1st.
        assert_eq!(civil_from_days(days_from_civil(1900, 2, 29)), (1900, 3, 1));
        assert_eq!(
            days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28),
            2
        );
        assert_eq!(
            days_from_civil(2100, 3, 1) - days_from_civil(2100, 2, 28),
            1
        );
    }

    #[test]
    fn before_1970() {
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(days_from_civil(1900, 1, 1), -25_567);
        assert_eq!(civil_from_days(-25_567), (1900, 1, 1));
        // datetime.date(1, 1, 1).toordinal() is 1; 1970-01-01's is 719163.
        assert_eq!(days_from_civil(1, 1, 1), -719_162);
        assert_eq!(civil_from_days(-719_162), (1, 1, 1));
        assert_eq!(civil_from_days(-719_163), (0, 12, 31));
        assert_eq!(civil_from_days(days_from_civil(-1, 3, 1)), (-1, 3, 1));
    }

    #[test]
    fn year_9999() {
        // 9999-12-31T23:59:59Z is 253402300799.
        assert_eq!(days_from_civil(9999, 12, 31), 253_402_300_799 / 86_400);
        assert_eq!(civil_from_days(2_932_896), (9999, 12, 31));
        assert_eq!(civil_from_days(2_932_897), (10000, 1, 1));
    }

    #[test]
    fn round_trips_every_day_of_four_centuries_and_more() {
        let start = days_from_civil(1599, 12, 31);
        let mut prev = civil_from_days(start - 1);
        for z in start..start + 146_097 * 2 + 400 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
            assert!((1..=12).contains(&m) && (1..=31).contains(&d));
            // Consecutive days: the next day of the month, or the 1st.
            if d != 1 {
                assert_eq!((y, m, d - 1), prev);
            } else if m == 3 {
                assert_eq!(prev.2, if is_leap(y) { 29 } else { 28 });
            }
            prev = (y, m, d);
        }
    }
}
