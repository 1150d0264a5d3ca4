//! A pull reader over JSON text, for the shape-directed walk in [`super::json`].
//!
//! Why not serde_json's `Deserializer` (what this replaced): response bodies
//! are read into [`Value`]s guided by the model, and through serde every
//! token went through a visitor and a `Result<Value, serde_json::Error>`
//! hand-off; a ten-attribute DynamoDB item spent more time in that plumbing
//! than in reading its 640 bytes. This reader only tokenizes: the walker asks
//! for the next key, string or number and builds the value itself.
//!
//! It accepts exactly RFC 8259 JSON, as serde_json does: the body must be
//! UTF-8 (checked once, up front), strings may not hold raw control
//! characters, `\u` escapes must pair surrogates, numbers follow the JSON
//! grammar and must be finite, and nothing but whitespace may follow the
//! value. Numbers read as serde_json reads them: an integer that fits `i64`
//! is an [`Value::Integer`], anything else (fractions, exponents, `-0`, out
//! of range) a [`Value::Float`]. Nesting is capped at [`MAX_DEPTH`]; errors
//! name the byte offset.

use super::MAX_DEPTH;
use crate::ParseError;
use boto_model::{Map, Value};
use std::borrow::Cow;

/// The end of the run of plain string bytes from `i`: the position of the
/// next `"`, `\\` or control character, or the end of `b`. Eight bytes at a
/// time (the lowest flagged byte of a word is always a real match).
#[inline]
fn plain_run(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(word) = b.get(i..i + 8) {
        let w = u64::from_le_bytes(word.try_into().unwrap_or_default());
        let quote = w ^ (ONES * u64::from(b'"'));
        let slash = w ^ (ONES * u64::from(b'\\'));
        let found = ((quote.wrapping_sub(ONES) & !quote)
            | (slash.wrapping_sub(ONES) & !slash)
            | (w.wrapping_sub(ONES * 0x20) & !w))
            & HIGH;
        if found != 0 {
            return i + (found.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            break;
        }
        i += 1;
    }
    i
}

/// A cursor over a JSON document.
pub(crate) struct Reader<'a> {
    s: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `body`, which must be UTF-8.
    pub fn new(body: &'a [u8]) -> Result<Reader<'a>, ParseError> {
        let s = std::str::from_utf8(body).map_err(|e| {
            ParseError::new(format!(
                "invalid JSON body: invalid UTF-8 at byte {}",
                e.valid_up_to()
            ))
        })?;
        Ok(Reader {
            s,
            pos: 0,
            depth: 0,
        })
    }

    /// An error at the current position.
    pub fn error(&self, what: &str) -> ParseError {
        ParseError::new(format!("invalid JSON body: {what} at byte {}", self.pos))
    }

    fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    /// The next significant byte, after whitespace (not consumed).
    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        match self.bytes().get(self.pos) {
            Some(&c) if c > b' ' => Some(c),
            _ => self.peek_past_space(),
        }
    }

    #[cold]
    fn peek_past_space(&mut self) -> Option<u8> {
        let b = self.bytes();
        while let Some(&c) = b.get(self.pos) {
            if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(c);
            }
            self.pos += 1;
        }
        None
    }

    /// Requires that only whitespace is left.
    pub fn end(&mut self) -> Result<(), ParseError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters")),
        }
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<(), ParseError> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        Ok(())
    }

    /// Consumes `null` if it is next.
    #[inline]
    pub fn null(&mut self) -> Result<bool, ParseError> {
        if self.peek() != Some(b'n') {
            return Ok(false);
        }
        self.literal("null")?;
        Ok(true)
    }

    fn literal(&mut self, word: &str) -> Result<(), ParseError> {
        if self.s[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("expected a value"))
        }
    }

    /// Consumes `{`: the start of an object whose entries follow.
    pub fn begin_object(&mut self) -> Result<(), ParseError> {
        self.expect(b'{', "expected an object")?;
        self.enter()
    }

    /// The next key of the object being read (its `:` consumed), or `None`
    /// at its `}`. `first` is true for the first call on an object.
    #[inline]
    pub fn next_key(&mut self, first: &mut bool) -> Result<Option<Cow<'a, str>>, ParseError> {
        if !self.next_in(first, b'}', "expected `,` or `}`")? {
            return Ok(None);
        }
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string key"));
        }
        let key = self.string()?;
        self.expect(b':', "expected `:`")?;
        Ok(Some(key))
    }

    /// Consumes `[`: the start of an array whose items follow.
    pub fn begin_array(&mut self) -> Result<(), ParseError> {
        self.expect(b'[', "expected an array")?;
        self.enter()
    }

    /// True if another item of the array being read follows (its `,`
    /// consumed); false at its `]`.
    #[inline]
    pub fn next_item(&mut self, first: &mut bool) -> Result<bool, ParseError> {
        self.next_in(first, b']', "expected `,` or `]`")
    }

    /// Inside an object or array: false (and the container left) at its
    /// `close`; true with the separating `,` consumed if another entry follows.
    #[inline]
    fn next_in(&mut self, first: &mut bool, close: u8, what: &str) -> Result<bool, ParseError> {
        match self.peek() {
            Some(c) if c == close => {
                self.pos += 1;
                self.depth -= 1;
                return Ok(false);
            }
            Some(b',') if !*first => self.pos += 1,
            _ if *first => {}
            _ => return Err(self.error(what)),
        }
        *first = false;
        Ok(true)
    }

    /// A string token (the next byte is `"`), borrowed unless it has escapes.
    pub fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        self.expect(b'"', "expected a string")?;
        let b = self.bytes();
        let start = self.pos;
        let i = plain_run(b, start);
        if let Some(&c) = b.get(i) {
            match c {
                b'"' => {
                    self.pos = i + 1;
                    return Ok(Cow::Borrowed(&self.s[start..i]));
                }
                b'\\' => {
                    self.pos = i;
                    return self.escaped(start).map(Cow::Owned);
                }
                _ => {
                    self.pos = i;
                    return Err(self.error("control character in string"));
                }
            }
        }
        self.pos = i;
        Err(self.error("unterminated string"))
    }

    /// The rest of a string with escapes, from `start` (pos is at a `\`).
    fn escaped(&mut self, start: usize) -> Result<String, ParseError> {
        let b = self.bytes();
        let mut out = String::with_capacity(self.pos - start + 16);
        out.push_str(&self.s[start..self.pos]);
        loop {
            let Some(&c) = b.get(self.pos) else {
                return Err(self.error("unterminated string"));
            };
            match c {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    let Some(&e) = b.get(self.pos + 1) else {
                        return Err(self.error("unterminated string"));
                    };
                    self.pos += 2;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return Err(self.error("invalid escape")),
                    }
                }
                0..=0x1f => return Err(self.error("control character in string")),
                _ => {
                    // Copy the run up to the next quote, backslash or control byte.
                    let run = plain_run(b, self.pos);
                    out.push_str(&self.s[self.pos..run]);
                    self.pos = run;
                }
            }
        }
    }

    /// The character of a `\uXXXX` escape (after its `\u`), with a following
    /// low surrogate if this is a high one.
    fn unicode_escape(&mut self) -> Result<char, ParseError> {
        let hi = self.hex4()?;
        let code = match hi {
            0xD800..=0xDBFF => {
                if !self.s[self.pos..].starts_with("\\u") {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                self.pos += 2;
                let lo = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&lo) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate in hex escape")),
            c => c,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid hex escape"))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self
            .s
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid hex escape"))?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid hex escape"))
    }

    /// A number token, as serde_json reads it.
    pub fn number(&mut self) -> Result<Value, ParseError> {
        let b = self.bytes();
        let start = self.pos;
        let mut i = start;
        let neg = b.get(i) == Some(&b'-');
        i += neg as usize;
        let digits = |i: &mut usize| {
            let from = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i - from
        };
        let int_start = i;
        match digits(&mut i) {
            0 => {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
            n if n > 1 && b[int_start] == b'0' => {
                self.pos = int_start + 1;
                return Err(self.error("invalid number"));
            }
            _ => {}
        }
        let int_end = i;
        let mut integer = true;
        if b.get(i) == Some(&b'.') {
            i += 1;
            integer = false;
            if digits(&mut i) == 0 {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            integer = false;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if digits(&mut i) == 0 {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
        }
        self.pos = i;
        if integer && int_end - int_start <= 19 {
            // At most 19 digits fit a u64 without overflow.
            let mut n: u64 = 0;
            for &d in &b[int_start..int_end] {
                n = n * 10 + u64::from(d - b'0');
            }
            return Ok(match (neg, n) {
                (false, n) => Value::from(n),
                // serde_json reads `-0` as the float -0.0.
                (true, 0) => Value::Float(-0.0),
                (true, n) if n <= 1 << 63 => Value::Integer((n as i64).wrapping_neg()),
                (true, n) => Value::Float(-(n as f64)),
            });
        }
        match self.s[start..i].parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(self.error("number out of range")),
        }
    }

    /// Skips one value; true if it was `null`.
    pub fn skip(&mut self) -> Result<bool, ParseError> {
        match self.peek() {
            Some(b'n') => return self.null(),
            Some(b'{') => {
                self.begin_object()?;
                let mut first = true;
                while self.next_key(&mut first)?.is_some() {
                    self.skip()?;
                }
            }
            Some(b'[') => {
                self.begin_array()?;
                let mut first = true;
                while self.next_item(&mut first)? {
                    self.skip()?;
                }
            }
            Some(b'"') => {
                self.string()?;
            }
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
            }
            _ => {
                self.doc()?;
            }
        }
        Ok(false)
    }

    /// Any JSON value, without a shape (documents, and the raw form of
    /// scalars): objects keep their key order, a repeated key keeps its
    /// first position and its last value.
    pub fn doc(&mut self) -> Result<Value, ParseError> {
        Ok(match self.peek() {
            Some(b'{') => {
                self.begin_object()?;
                let mut out = Map::new();
                let mut first = true;
                while let Some(k) = self.next_key(&mut first)? {
                    let v = self.doc()?;
                    out.insert(&*k, v);
                }
                Value::Map(out)
            }
            Some(b'[') => {
                self.begin_array()?;
                let mut out = Vec::new();
                let mut first = true;
                while self.next_item(&mut first)? {
                    out.push(self.doc()?);
                }
                Value::List(out)
            }
            Some(b'"') => Value::String(self.string()?.into()),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => {
                self.literal("true")?;
                Value::Bool(true)
            }
            Some(b'f') => {
                self.literal("false")?;
                Value::Bool(false)
            }
            Some(b'n') => {
                self.literal("null")?;
                Value::Null
            }
            Some(_) => return Err(self.error("expected a value")),
            None => return Err(self.error("unexpected end of input")),
        })
    }
}

/// A whole document without a shape: one value and nothing after it.
pub(crate) fn parse_doc(body: &[u8]) -> Result<Value, ParseError> {
    let mut r = Reader::new(body)?;
    let v = r.doc()?;
    r.end()?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader agrees with serde_json (through `Value::from_json`) on
    /// what is valid JSON and on what it means.
    fn same_as_serde(text: &str) {
        let ours = parse_doc(text.as_bytes());
        let theirs = serde_json::from_str::<serde_json::Value>(text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => {
                let b = Value::from_json(b);
                assert!(same(a, &b), "{text}: ours {a:?}, serde_json {b:?}");
            }
            (Err(_), Err(_)) => {}
            _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

    /// Equal, keys in the same order, zeros of the same sign; floats may
    /// differ in the last bit (serde_json's default float parsing is not
    /// always correctly rounded; Rust's `f64::from_str`, used here, is).
    fn same(a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Float(x), Value::Float(y)) => {
                x.is_sign_negative() == y.is_sign_negative()
                    && (x == y || (x - y).abs() <= y.abs() * 4.0 * f64::EPSILON)
            }
            (Value::List(x), Value::List(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
            }
            (Value::Map(x), Value::Map(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .zip(y.iter())
                        .all(|((kx, x), (ky, y))| kx == ky && same(x, y))
            }
            _ => a == b,
        }
    }

    #[test]
    fn agrees_with_serde_json() {
        for text in [
            r#"{"a": 1, "b": [true, false, null], "c": {"d": "e"}, "a": 2}"#,
            r#""esc \" \\ \/ \b \f \n \r \t \u00e9 \ud83d\ude00""#,
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\ud83d\u0041""#,
            r#""\u12""#,
            r#""\x""#,
            "\"tab\there\"",
            "\"caf\u{e9}\"",
            "0",
            "-0",
            "-0.0",
            "01",
            "1.",
            ".5",
            "1e",
            "1e+",
            "2.5e-3",
            "1E400",
            "-1e400",
            "1e-400",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "18446744073709551615",
            "18446744073709551616",
            "123456789012345678901234567890",
            "-",
            "+1",
            "[1,]",
            "[,1]",
            "[1 2]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{1:2}",
            "{} x",
            "[] ",
            "  \n\t\r {}",
            "tru",
            "truex",
            "nul",
            "[",
            "{\"a\":",
            "\"open",
            "",
            "   ",
        ] {
            same_as_serde(text);
        }
    }

    #[test]
    fn rejects_invalid_utf8_and_deep_nesting() {
        assert!(parse_doc(b"\"\xff\"").is_err());
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(parse_doc(deep.as_bytes()).is_err());
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse_doc(ok.as_bytes()).is_ok());
        let e = parse_doc(b"[1, x]").unwrap_err();
        assert_eq!(e.message, "invalid JSON body: expected a value at byte 4");
    }

    proptest::proptest! {
        #[test]
        fn random_text_agrees_with_serde_json(text in "[\\[\\]{}\":,0-9eE.+\\-a-z\\\\ ]{0,24}") {
            same_as_serde(&text);
        }

        #[test]
        fn random_documents_agree_with_serde_json(v in json_value()) {
            let text = serde_json::to_string(&v).unwrap();
            same_as_serde(&text);
        }
    }

    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<u64>().prop_map(serde_json::Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(serde_json::Value::from),
            any::<String>().prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                proptest::collection::vec((any::<String>(), inner), 0..6)
                    .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
            ]
        })
    }
}
