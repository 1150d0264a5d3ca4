//! JSON string literals exactly as Python's `json.dumps` writes them.
//!
//! Two flavours are needed, and their bytes matter (signed POST policies,
//! pagination tokens that must round-trip with botocore's, the SSO token
//! cache that the AWS CLI also reads, `--output json`):
//!
//! * [`write_string`] / [`push_string`]: `json.dumps(s, ensure_ascii=False)`,
//!   which is also what `serde_json::to_string(s)` produces. `"` and `\` are
//!   backslash-escaped, `\b \f \n \r \t` use their short forms, the other
//!   control characters below U+0020 become `\u00XX` (lower-case hex), and
//!   everything else (DEL and non-ASCII included) is written as it is.
//! * [`write_string_ascii`] / [`push_string_ascii`]: `json.dumps(s)` with the
//!   default `ensure_ascii=True`: the same escapes, and every character
//!   outside `' '..='~'` (DEL included) becomes `\uXXXX`, as UTF-16 surrogate
//!   pairs above U+FFFF.

use std::fmt::{self, Write};

const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// The short escape for `c`, if it has one.
#[inline]
fn short_escape(c: char) -> Option<&'static str> {
    Some(match c {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\r' => "\\r",
        '\t' => "\\t",
        '\u{8}' => "\\b",
        '\u{c}' => "\\f",
        _ => return None,
    })
}

/// `\uXXXX` with lower-case hex, as Python and serde_json write it.
fn write_unit<W: Write + ?Sized>(out: &mut W, unit: u16) -> fmt::Result {
    let mut buf = *b"\\u0000";
    for (i, shift) in [12, 8, 4, 0].into_iter().enumerate() {
        buf[2 + i] = HEX_LOWER[((unit >> shift) & 15) as usize];
    }
    // The buffer is ASCII.
    out.write_str(std::str::from_utf8(&buf).map_err(|_| fmt::Error)?)
}

fn write_quoted<W: Write + ?Sized>(out: &mut W, s: &str, ascii: bool) -> fmt::Result {
    out.write_char('"')?;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        let plain = if ascii {
            matches!(c, ' '..='~') && c != '"' && c != '\\'
        } else {
            c >= ' ' && c != '"' && c != '\\'
        };
        if plain {
            continue;
        }
        out.write_str(&s[start..i])?;
        start = i + c.len_utf8();
        if let Some(e) = short_escape(c) {
            out.write_str(e)?;
        } else {
            let mut units = [0u16; 2];
            for &u in c.encode_utf16(&mut units).iter() {
                write_unit(out, u)?;
            }
        }
    }
    out.write_str(&s[start..])?;
    out.write_char('"')
}

/// Writes `s` as a quoted JSON string, `json.dumps(s, ensure_ascii=False)`
/// (and `serde_json::to_string(s)`): only `"`, `\` and control characters
/// below U+0020 are escaped.
pub fn write_string<W: Write + ?Sized>(out: &mut W, s: &str) -> fmt::Result {
    write_quoted(out, s, false)
}

/// [`write_string`] appended to a `String` (which cannot fail).
pub fn push_string(out: &mut String, s: &str) {
    let _ = write_quoted(out, s, false);
}

/// Writes `s` as a quoted JSON string, `json.dumps(s)` with
/// `ensure_ascii=True`: [`write_string`]'s escapes plus `\uXXXX` for every
/// character outside printable ASCII (DEL too), as surrogate pairs beyond
/// the Basic Multilingual Plane.
pub fn write_string_ascii<W: Write + ?Sized>(out: &mut W, s: &str) -> fmt::Result {
    write_quoted(out, s, true)
}

/// [`write_string_ascii`] appended to a `String` (which cannot fail).
pub fn push_string_ascii(out: &mut String, s: &str) {
    let _ = write_quoted(out, s, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> String {
        let mut out = String::new();
        push_string(&mut out, s);
        out
    }

    fn ascii(s: &str) -> String {
        let mut out = String::new();
        push_string_ascii(&mut out, s);
        out
    }

    #[test]
    fn short_escapes() {
        assert_eq!(plain(""), "\"\"");
        assert_eq!(plain("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(plain("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(ascii("\n\r\t\u{8}\u{c}"), r#""\n\r\t\b\f""#);
        assert_eq!(plain("/ ~+%"), "\"/ ~+%\"");
    }

    #[test]
    fn other_controls_are_lower_hex() {
        assert_eq!(plain("\u{0}\u{1f}\u{1b}"), r#""\u0000\u001f\u001b""#);
        assert_eq!(ascii("\u{0}\u{1f}"), r#""\u0000\u001f""#);
    }

    #[test]
    fn non_ascii() {
        // ensure_ascii=False keeps DEL and non-ASCII as they are.
        assert_eq!(plain("é\u{7f}😀"), "\"é\u{7f}😀\"");
        // ensure_ascii=True: `\uXXXX`, surrogate pairs above the BMP.
        assert_eq!(ascii("é\u{7f}😀"), r#""\u00e9\u007f\ud83d\ude00""#);
        assert_eq!(ascii("\u{2028}\u{FFFF}"), r#""\u2028\uffff""#);
    }

    #[test]
    fn every_char_below_0x100_matches_reference() {
        // Reference: Python's escaping rules written out directly.
        for n in 0u32..0x100 {
            let c = char::from_u32(n).unwrap();
            let s = c.to_string();
            let want_plain = match c {
                '"' => "\\\"".to_string(),
                '\\' => "\\\\".to_string(),
                '\u{8}' => "\\b".into(),
                '\u{9}' => "\\t".into(),
                '\u{a}' => "\\n".into(),
                '\u{c}' => "\\f".into(),
                '\u{d}' => "\\r".into(),
                c if n < 0x20 => format!("\\u{:04x}", c as u32),
                c => c.to_string(),
            };
            assert_eq!(plain(&s), format!("\"{want_plain}\""), "{n:#x}");
            let want_ascii = if (0x20..0x7f).contains(&n) || want_plain.starts_with('\\') {
                want_plain
            } else {
                format!("\\u{n:04x}")
            };
            assert_eq!(ascii(&s), format!("\"{want_ascii}\""), "{n:#x}");
        }
    }

    #[test]
    fn fmt_write_target() {
        struct Wrap<'a>(&'a str);
        impl fmt::Display for Wrap<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_string(f, self.0)
            }
        }
        assert_eq!(Wrap("a\"é").to_string(), "\"a\\\"é\"");
        let mut s = String::from("[");
        write_string_ascii(&mut s, "é").unwrap();
        assert_eq!(s, r#"["\u00e9""#);
    }

    #[test]
    fn runs_between_escapes_are_kept() {
        assert_eq!(plain("ab\ncd\"ef"), r#""ab\ncd\"ef""#);
        assert_eq!(ascii("abécd"), r#""ab\u00e9cd""#);
    }
}
