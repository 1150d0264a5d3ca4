//! Percent-encoding as Python's `urllib.parse` does it.
//!
//! botocore encodes with `quote(s, safe=...)` over UTF-8: the RFC 3986
//! unreserved characters `A-Z a-z 0-9 - _ . ~` are always kept, the caller's
//! `safe` bytes too, and every other byte becomes `%XX` with upper-case hex.
//! With an empty safe set this is botocore's `percent_encode` (SigV4 query
//! strings, endpoint rules' `uriEncode`); SigV4's canonical path uses
//! `safe=b"/~"`, S3 keys `safe=b"/"`-style sets, SigV2's form body
//! `quote_plus`. Decoding follows `unquote` / `unquote_plus`: a `%` not
//! followed by two hex digits stays as it is, and bytes that are not UTF-8
//! become U+FFFD (Python's `errors='replace'`).

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `b` stays as it is: unreserved, or an ASCII byte of `safe`.
#[inline]
fn keep(b: u8, safe: &[u8]) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(b, b'-' | b'_' | b'.' | b'~')
        || (b.is_ascii() && safe.contains(&b))
}

#[inline]
fn push_escaped(out: &mut String, b: u8) {
    out.push('%');
    out.push(HEX_UPPER[(b >> 4) as usize] as char);
    out.push(HEX_UPPER[(b & 15) as usize] as char);
}

/// Python's `quote(input, safe)`, appended to `out`: every UTF-8 byte of
/// `input` outside the unreserved set `A-Za-z0-9-_.~` and the ASCII bytes of
/// `safe` becomes `%XX` (upper-case hex).
pub fn encode_into(out: &mut String, input: &str, safe: &[u8]) {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !keep(b, safe) {
            // Kept bytes are ASCII: a non-empty `start..i` lies on char boundaries.
            if start < i {
                out.push_str(&input[start..i]);
            }
            push_escaped(out, b);
            start = i + 1;
        }
    }
    out.push_str(&input[start..]);
}

/// Python's `quote(input, safe)` as a new string (see [`encode_into`]).
/// `encode(s, b"")` is botocore's `percent_encode`.
pub fn encode(input: &str, safe: &[u8]) -> String {
    let mut out = String::with_capacity(input.len());
    encode_into(&mut out, input, safe);
    out
}

/// Python's `quote_plus(input, safe)`, appended to `out`: like
/// [`encode_into`], but a space becomes `+` (and `+` itself, unless safe,
/// `%2B`).
pub fn encode_plus_into(out: &mut String, input: &str, safe: &[u8]) {
    for (i, &b) in input.as_bytes().iter().enumerate() {
        if keep(b, safe) {
            out.push_str(&input[i..i + 1]);
        } else if b == b' ' {
            out.push('+');
        } else {
            push_escaped(out, b);
        }
    }
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn decode_with(s: &str, plus: bool) -> String {
    let b = s.as_bytes();
    if !b.iter().any(|&c| c == b'%' || (plus && c == b'+')) {
        return s.to_string();
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => match (hex_value(b[i + 1]), hex_value(b[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h << 4 | l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// Python's `unquote(s)`: `%XX` (either case of hex) becomes that byte; a `%`
/// without two hex digits after it stays; `+` stays; the bytes are read as
/// UTF-8 with invalid sequences replaced by U+FFFD.
pub fn decode(s: &str) -> String {
    decode_with(s, false)
}

/// Python's `unquote_plus(s)` (form encoding, `parse_qs`): [`decode`], but a
/// literal `+` is a space first.
pub fn decode_plus(s: &str) -> String {
    decode_with(s, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreserved_always_safe() {
        assert_eq!(encode("AZaz09-_.~", b""), "AZaz09-_.~");
        assert_eq!(encode("a b+c/d~", b""), "a%20b%2Bc%2Fd~");
        assert_eq!(encode("a/b c~", b"/"), "a/b%20c~");
        assert_eq!(encode("", b""), "");
        assert_eq!(encode("!*'()", b""), "%21%2A%27%28%29");
        // Every ASCII byte outside the unreserved set is escaped.
        for b in 0u8..0x80 {
            let s = (b as char).to_string();
            let unreserved = b.is_ascii_alphanumeric() || b"-_.~".contains(&b);
            let want = if unreserved {
                s.clone()
            } else {
                format!("%{b:02X}")
            };
            assert_eq!(encode(&s, b""), want);
        }
    }

    #[test]
    fn non_ascii_is_utf8_upper_hex() {
        assert_eq!(encode("é", b""), "%C3%A9");
        assert_eq!(encode("😹", b"/"), "%F0%9F%98%B9");
        // Non-ASCII bytes in `safe` never leave a raw byte behind.
        assert_eq!(encode("é", "é".as_bytes()), "%C3%A9");
    }

    #[test]
    fn safe_set_is_extra() {
        assert_eq!(encode("a:b,c", b":,"), "a:b,c");
        assert_eq!(encode("a=b;c", b"=;"), "a=b;c");
        let mut out = String::from("x=");
        encode_into(&mut out, "1 2", b"");
        assert_eq!(out, "x=1%202");
    }

    #[test]
    fn quote_plus() {
        let mut out = String::new();
        encode_plus_into(&mut out, "a b+c/é~", b"");
        assert_eq!(out, "a+b%2Bc%2F%C3%A9~");
        let mut out = String::new();
        encode_plus_into(&mut out, "a+b", b"+");
        assert_eq!(out, "a+b");
    }

    #[test]
    fn decode_like_unquote() {
        assert_eq!(decode("a%20b%zz%4"), "a b%zz%4");
        assert_eq!(decode("%"), "%");
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("%41"), "A");
        assert_eq!(decode("%%41"), "%A");
        assert_eq!(decode("%2b+%2B"), "+++");
        assert_eq!(decode("%c3%A9"), "é");
        assert_eq!(decode("é%7E"), "é~");
        // `from_str_radix` would take a sign; Python does not.
        assert_eq!(decode("%+F"), "%+F");
        // A `%` before a multi-byte character is kept without splitting it.
        assert_eq!(decode("%aé"), "%aé");
        assert_eq!(decode("%é"), "%é");
    }

    #[test]
    fn decode_invalid_utf8_is_replaced() {
        assert_eq!(decode("%FF"), "\u{FFFD}");
        assert_eq!(decode("a%E2%82x"), "a\u{FFFD}x");
        assert_eq!(decode("%E2%82%AC"), "€");
    }

    #[test]
    fn decode_plus_like_unquote_plus() {
        assert_eq!(decode_plus("a+b%2B%20c"), "a b+ c");
        assert_eq!(decode_plus("+"), " ");
        assert_eq!(decode_plus("%zz+"), "%zz ");
        assert_eq!(decode_plus("plain"), "plain");
    }

    #[test]
    fn round_trip() {
        for s in ["", "a b", "é/😹~+%", "100%", "x=1&y=2"] {
            assert_eq!(decode(&encode(s, b"")), s);
            let mut plus = String::new();
            encode_plus_into(&mut plus, s, b"");
            assert_eq!(decode_plus(&plus), s);
        }
    }
}
