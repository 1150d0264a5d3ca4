//! An exact decimal number with DynamoDB's limits, replacing boto3's use of
//! Python's `decimal.Decimal` under `boto3.dynamodb.types.DYNAMODB_CONTEXT`
//! (precision 38, Emin -128, Emax 126, with Clamped, Overflow, Inexact,
//! Rounded and Underflow trapped).
//!
//! DynamoDB numbers carry up to 38 significant digits; a detour through `f64`
//! would silently lose them. [`Decimal`] keeps the sign, the coefficient's
//! digits and the exponent exactly as written (`1.0` stays `1.0`, `1E+2` stays
//! `1E+2`), refuses what boto3's context would have to round or clamp, and
//! formats with Python's `str(Decimal)` rules, which is what boto3 sends.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// Significant digits DynamoDB keeps (`DYNAMODB_CONTEXT.prec`).
pub const PRECISION: i64 = 38;
/// Largest adjusted exponent (`Emax`).
pub const EMAX: i64 = 126;
/// Smallest adjusted exponent of a normal number (`Emin`).
pub const EMIN: i64 = -128;
/// Smallest exponent of a subnormal number (`Etiny = Emin - prec + 1`).
pub const ETINY: i64 = EMIN - PRECISION + 1;

/// Why a number is not a valid DynamoDB number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecimalError {
    /// Not a number at all (Python: `ConversionSyntax`).
    Syntax(String),
    /// `NaN` or `Infinity` (boto3: "Infinity and NaN not supported").
    NotFinite(String),
    /// More than 38 significant digits (Python: `Rounded`/`Inexact`).
    Rounded(String),
    /// Adjusted exponent above 126 (Python: `Overflow`).
    Overflow(String),
    /// Too small to represent without rounding (Python: `Underflow`).
    Underflow(String),
    /// A zero whose exponent is out of range (Python: `Clamped`).
    Clamped(String),
}

impl fmt::Display for DecimalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecimalError::Syntax(s) => write!(f, "invalid number {s:?}"),
            DecimalError::NotFinite(_) => f.write_str("Infinity and NaN not supported"),
            DecimalError::Rounded(s) => write!(
                f,
                "number {s} has more than {PRECISION} significant digits (Rounded/Inexact: DynamoDB would round it)"
            ),
            DecimalError::Overflow(s) => {
                write!(f, "number {s} is too large for DynamoDB (Overflow: exponent above {EMAX})")
            }
            DecimalError::Underflow(s) => write!(
                f,
                "number {s} is too small for DynamoDB (Underflow: exponent below {ETINY})"
            ),
            DecimalError::Clamped(s) => {
                write!(f, "zero {s} has an exponent out of DynamoDB's range (Clamped)")
            }
        }
    }
}

impl std::error::Error for DecimalError {}

impl From<DecimalError> for boto::Error {
    fn from(e: DecimalError) -> Self {
        boto::Error::validation(e.to_string())
    }
}

/// An exact decimal number within DynamoDB's range. Equality, ordering and
/// hashing are by numeric value (`1.0 == 1`, `-0 == 0`), as for Python's
/// `Decimal`; [`fmt::Display`] keeps the written form.
#[derive(Clone)]
pub struct Decimal {
    negative: bool,
    /// ASCII digits without leading zeros; `"0"` for zero.
    digits: String,
    exponent: i64,
}

impl Decimal {
    /// Parses a number like Python's `DYNAMODB_CONTEXT.create_decimal(str)`:
    /// surrounding whitespace and underscores are ignored, and anything the
    /// context would round, clamp or overflow is an error.
    pub fn parse(text: &str) -> Result<Decimal, DecimalError> {
        let cleaned: String = text.trim().chars().filter(|&c| c != '_').collect();
        let syntax = || DecimalError::Syntax(text.to_string());
        let (negative, rest) = match cleaned.as_bytes().first() {
            Some(b'-') => (true, &cleaned[1..]),
            Some(b'+') => (false, &cleaned[1..]),
            _ => (false, &cleaned[..]),
        };
        let lower = rest.to_ascii_lowercase();
        if lower == "inf"
            || lower == "infinity"
            || lower.starts_with("nan")
            || lower.starts_with("snan")
        {
            return Err(DecimalError::NotFinite(text.to_string()));
        }
        let (mantissa, exp_text) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
            None => (mantissa, ""),
        };
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_part.len() + frac_part.len() == 0 || !all_digits(int_part) || !all_digits(frac_part)
        {
            return Err(syntax());
        }
        let mut exponent: i64 = match exp_text {
            None => 0,
            Some(e) => {
                let (neg, digits) = match e.as_bytes().first() {
                    Some(b'-') => (true, &e[1..]),
                    Some(b'+') => (false, &e[1..]),
                    _ => (false, e),
                };
                if digits.is_empty() || !all_digits(digits) {
                    return Err(syntax());
                }
                // Saturate: anything this large is out of range anyway.
                let magnitude = digits
                    .trim_start_matches('0')
                    .parse::<i64>()
                    .unwrap_or(if digits.trim_start_matches('0').is_empty() {
                        0
                    } else {
                        i64::MAX / 4
                    })
                    .min(i64::MAX / 4);
                if neg {
                    -magnitude
                } else {
                    magnitude
                }
            }
        };
        exponent -= frac_part.len() as i64;
        let joined = format!("{int_part}{frac_part}");
        let stripped = joined.trim_start_matches('0');
        let digits = if stripped.is_empty() {
            "0".to_string()
        } else {
            stripped.to_string()
        };
        Decimal {
            negative,
            digits,
            exponent,
        }
        .checked()
    }

    /// Applies `DYNAMODB_CONTEXT`'s traps (Python's `Decimal._fix`).
    fn checked(self) -> Result<Decimal, DecimalError> {
        let shown = || self.to_string();
        if self.is_zero() {
            if self.exponent < ETINY || self.exponent > EMAX {
                return Err(DecimalError::Clamped(shown()));
            }
            return Ok(self);
        }
        let adjusted = self.adjusted();
        if adjusted > EMAX {
            return Err(DecimalError::Overflow(shown()));
        }
        if self.digits.len() as i64 > PRECISION {
            return Err(DecimalError::Rounded(shown()));
        }
        if self.exponent < ETINY {
            return Err(DecimalError::Underflow(shown()));
        }
        Ok(self)
    }

    /// Builds a number from an integer's decimal text (already validated digits).
    fn from_integer_text(negative: bool, magnitude: String) -> Result<Decimal, DecimalError> {
        Decimal {
            negative,
            digits: magnitude,
            exponent: 0,
        }
        .checked()
    }

    /// True for zero (`0`, `-0`, `0.00` all normalise to it).
    pub fn is_zero(&self) -> bool {
        self.digits == "0"
    }
    /// True below zero.
    pub fn is_negative(&self) -> bool {
        self.negative
    }
    /// The exponent of the most significant digit (Python's `adjusted()`).
    pub fn adjusted(&self) -> i64 {
        self.exponent + self.digits.len() as i64 - 1
    }
    /// The value as an `i64`, when it is an integer in range (`1.0` → 1, `1E+2` → 100).
    pub fn to_i64(&self) -> Option<i64> {
        let (digits, exp) = self.normalized();
        if exp < 0 || digits.len() as i64 + exp > 19 {
            return None;
        }
        let text = format!(
            "{}{}{}",
            if self.negative { "-" } else { "" },
            digits,
            "0".repeat(exp as usize)
        );
        text.parse().ok()
    }
    /// Coefficient without trailing zeros and the matching exponent.
    fn normalized(&self) -> (&str, i64) {
        if self.is_zero() {
            return ("0", 0);
        }
        let trimmed = self.digits.trim_end_matches('0');
        (
            trimmed,
            self.exponent + (self.digits.len() - trimmed.len()) as i64,
        )
    }
}

impl fmt::Display for Decimal {
    /// Python's `str(Decimal)` (to-scientific-string).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = &self.digits;
        let n = digits.len() as i64;
        let left = self.exponent + n;
        let dot = if self.exponent <= 0 && left > -6 {
            left
        } else {
            1
        };
        let mut out = String::with_capacity(digits.len() + 8);
        if self.negative {
            out.push('-');
        }
        if dot <= 0 {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-dot) as usize));
            out.push_str(digits);
        } else if dot >= n {
            out.push_str(digits);
            out.extend(std::iter::repeat_n('0', (dot - n) as usize));
        } else {
            out.push_str(&digits[..dot as usize]);
            out.push('.');
            out.push_str(&digits[dot as usize..]);
        }
        if left != dot {
            out.push_str(&format!("E{:+}", left - dot));
        }
        f.write_str(&out)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal('{self}')")
    }
}

impl std::str::FromStr for Decimal {
    type Err = DecimalError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::parse(s)
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Decimal {}

impl Hash for Decimal {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let (digits, exp) = self.normalized();
        (self.negative && !self.is_zero()).hash(state);
        digits.hash(state);
        exp.hash(state);
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |d: &Decimal| {
            if d.is_zero() {
                0
            } else if d.negative {
                -1
            } else {
                1
            }
        };
        let (a, b) = (sign(self), sign(other));
        if a != b || a == 0 {
            return a.cmp(&b);
        }
        let magnitude = match self.adjusted().cmp(&other.adjusted()) {
            Ordering::Equal => {
                // Same leading position: compare digit strings padded to equal length.
                let (x, y) = (self.digits.as_bytes(), other.digits.as_bytes());
                let len = x.len().max(y.len());
                let at = |s: &[u8], i: usize| s.get(i).copied().unwrap_or(b'0');
                (0..len)
                    .map(|i| at(x, i).cmp(&at(y, i)))
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            }
            o => o,
        };
        if a < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

macro_rules! from_signed {
    ($($t:ty),*) => {$(
        impl From<$t> for Decimal {
            fn from(v: $t) -> Self {
                Decimal { negative: v < 0, digits: v.unsigned_abs().to_string(), exponent: 0 }
            }
        }
    )*};
}
macro_rules! from_unsigned {
    ($($t:ty),*) => {$(
        impl From<$t> for Decimal {
            fn from(v: $t) -> Self {
                Decimal { negative: false, digits: v.to_string(), exponent: 0 }
            }
        }
    )*};
}
// Up to 64 bits an integer has at most 20 digits: always in range.
from_signed!(i8, i16, i32, i64, isize);
from_unsigned!(u8, u16, u32, u64, usize);

impl TryFrom<i128> for Decimal {
    type Error = DecimalError;
    fn try_from(v: i128) -> Result<Self, Self::Error> {
        Decimal::from_integer_text(v < 0, v.unsigned_abs().to_string())
    }
}
impl TryFrom<u128> for Decimal {
    type Error = DecimalError;
    fn try_from(v: u128) -> Result<Self, Self::Error> {
        Decimal::from_integer_text(false, v.to_string())
    }
}
