//! [`Str`]: the string inside [`crate::Value::String`] and the name of every
//! [`crate::Map`] entry ([`crate::Key`]), stored inline when short.
//!
//! A parsed response is mostly short strings: member names (`Key`,
//! `LastModified`, `S`, `Item`), enum values (`STANDARD`, `running`),
//! DynamoDB attribute names and numbers (`N` values are strings), tag keys
//! and values, header values. A `String` for each was one heap allocation
//! and one free: for a DynamoDB GetItem about half of the blocks a parse
//! built. Nearly all of them fit in 22 bytes, so a `Str` keeps them inside
//! itself and only longer text goes to the heap (as a `Box<str>`, one
//! allocation, as a `String` was). A `Str` is 24 bytes, like a `String`, and
//! reads as a `&str` (`Deref`, `AsRef`, `Borrow`, `Display`, comparisons
//! with `str` and `String`), so most code never names the type. botocore has
//! no counterpart: Python's `str` is always a heap object.
//!
//! Build one with `.into()` from `&str`, `String`, `Box<str>` or `Cow<str>`;
//! take the text back with [`Str::as_str`], [`Str::into_string`] or
//! `String::from`.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// Longest name kept inline.
const INLINE: usize = 22;

/// A string, kept inline up to 22 bytes: what [`crate::Value::String`]
/// holds and what names a [`crate::Map`] entry.
pub struct Str(Repr);

enum Repr {
    Inline { len: u8, buf: [u8; INLINE] },
    Heap(Box<str>),
}

impl Clone for Str {
    /// An inline key is copied as one 24-byte block. A derived `clone`
    /// copied its fields one by one at odd offsets, and the parser's next
    /// read of the whole key then waited for those stores to drain.
    #[inline]
    fn clone(&self) -> Str {
        match &self.0 {
            Repr::Heap(s) => Str(Repr::Heap(s.clone())),
            // SAFETY: an inline key owns no heap memory and has no `Drop`
            // of its own, so a bitwise copy is a valid, independent value.
            Repr::Inline { .. } => unsafe { std::ptr::read(self) },
        }
    }
}

impl Str {
    /// The name as a string slice.
    #[inline]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, buf } => {
                let bytes = &buf[..*len as usize];
                debug_assert!(std::str::from_utf8(bytes).is_ok());
                // SAFETY: `buf[..len]` is only ever written by `From<&str>`,
                // which copies a whole `&str` (so valid UTF-8) and sets `len`
                // to its length; nothing else mutates a `Str`. Checking it
                // again on every read cost a tenth of a DynamoDB response's
                // parse time.
                unsafe { std::str::from_utf8_unchecked(bytes) }
            }
            Repr::Heap(s) => s,
        }
    }

    /// The string's bytes as an owned vector.
    pub fn into_bytes(self) -> Vec<u8> {
        self.into_string().into_bytes()
    }

    /// `s` with its ASCII letters lowercased (HTTP header names), built in
    /// place without an intermediate `String`.
    pub fn ascii_lowercase(s: &str) -> Str {
        if s.len() <= INLINE {
            // Lowercased byte by byte as copied (ASCII lowercasing keeps
            // UTF-8 valid). Copying first and lowercasing the copy reread
            // bytes still in flight from overlapping stores: 30 ns a name.
            let mut buf = [0u8; INLINE];
            for (d, c) in buf.iter_mut().zip(s.as_bytes()) {
                *d = c.to_ascii_lowercase();
            }
            Str(Repr::Inline {
                len: s.len() as u8,
                buf,
            })
        } else {
            Str(Repr::Heap(s.to_ascii_lowercase().into_boxed_str()))
        }
    }

    /// The name as an owned `String`.
    pub fn into_string(self) -> String {
        match self.0 {
            Repr::Heap(s) => s.into_string(),
            Repr::Inline { .. } => self.as_str().to_owned(),
        }
    }
}

/// Copies `src` (at most [`INLINE`] bytes) to the start of a fresh buffer
/// with two overlapping fixed-size moves: a `copy_from_slice` of variable
/// length is a `memcpy` call, a tenth of the cost of building a short key.
#[inline]
fn inline_buf(src: &[u8]) -> [u8; INLINE] {
    let n = src.len();
    debug_assert!(n <= INLINE);
    let mut buf = [0u8; INLINE];
    match n {
        0 => {}
        1..=3 => {
            buf[0] = src[0];
            buf[n / 2] = src[n / 2];
            buf[n - 1] = src[n - 1];
        }
        4..=7 => {
            buf[..4].copy_from_slice(&src[..4]);
            buf[n - 4..n].copy_from_slice(&src[n - 4..]);
        }
        8..=15 => {
            buf[..8].copy_from_slice(&src[..8]);
            buf[n - 8..n].copy_from_slice(&src[n - 8..]);
        }
        _ => {
            buf[..16].copy_from_slice(&src[..16]);
            buf[n - 16..n].copy_from_slice(&src[n - 16..]);
        }
    }
    buf
}

impl Default for Str {
    /// The empty name (inline, no allocation).
    #[inline]
    fn default() -> Str {
        Str(Repr::Inline {
            len: 0,
            buf: [0; INLINE],
        })
    }
}

impl From<&str> for Str {
    #[inline]
    fn from(s: &str) -> Str {
        if s.len() <= INLINE {
            let buf = inline_buf(s.as_bytes());
            Str(Repr::Inline {
                len: s.len() as u8,
                buf,
            })
        } else {
            Str(Repr::Heap(s.into()))
        }
    }
}

impl From<String> for Str {
    #[inline]
    fn from(s: String) -> Str {
        if s.len() <= INLINE {
            Str::from(s.as_str())
        } else {
            Str(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl From<&String> for Str {
    fn from(s: &String) -> Str {
        Str::from(s.as_str())
    }
}

impl From<&Str> for Str {
    fn from(k: &Str) -> Str {
        k.clone()
    }
}

impl From<Box<str>> for Str {
    fn from(s: Box<str>) -> Str {
        if s.len() <= INLINE {
            Str::from(&*s)
        } else {
            Str(Repr::Heap(s))
        }
    }
}

impl From<std::borrow::Cow<'_, str>> for Str {
    fn from(s: std::borrow::Cow<'_, str>) -> Str {
        match s {
            std::borrow::Cow::Borrowed(s) => Str::from(s),
            std::borrow::Cow::Owned(s) => Str::from(s),
        }
    }
}

impl FromIterator<char> for Str {
    fn from_iter<I: IntoIterator<Item = char>>(chars: I) -> Str {
        Str::from(chars.into_iter().collect::<String>())
    }
}

impl From<Str> for String {
    fn from(k: Str) -> String {
        k.into_string()
    }
}

impl Deref for Str {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Str {
    #[inline]
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Str {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        match (&self.0, &other.0) {
            // Inline buffers are zero past `len` (see `inline_buf`), so two
            // inline keys are equal exactly when their bytes are: a few word
            // compares instead of a `memcmp` call (parsers check map keys
            // for repeats this way).
            (Repr::Inline { len: a, buf: x }, Repr::Inline { len: b, buf: y }) => a == b && x == y,
            _ => self.as_str() == other.as_str(),
        }
    }
}
impl Eq for Str {}

impl PartialEq<str> for Str {
    #[inline]
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<&str> for Str {
    #[inline]
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}
impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}
impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == other.as_str()
    }
}
impl PartialEq<Str> for String {
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Hash for Str {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.as_str().hash(h)
    }
}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Str) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Str {
    fn cmp(&self, other: &Str) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Str {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Str {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Str, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Str;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E>(self, s: &str) -> Result<Str, E> {
                Ok(Str::from(s))
            }
            fn visit_string<E>(self, s: String) -> Result<Str, E> {
                Ok(Str::from(s))
            }
        }
        d.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_inline_length_round_trips() {
        let src = "aé€𝄞ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for end in (0..=src.len()).filter(|&i| src.is_char_boundary(i)) {
            for start in (0..=end).filter(|&i| src.is_char_boundary(i)) {
                let s = &src[start..end];
                assert_eq!(Str::from(s).as_str(), s);
                assert_eq!(Str::ascii_lowercase(s).as_str(), s.to_ascii_lowercase());
            }
        }
    }

    #[test]
    fn short_and_long_names_read_back_the_same() {
        for s in [
            "",
            "S",
            "LastModified",
            &"x".repeat(22),
            &"y".repeat(23),
            "Ünïcödé-ключ",
        ] {
            let k = Str::from(s);
            assert_eq!(k.as_str(), s);
            assert_eq!(k, *s);
            assert_eq!(Str::from(s.to_string()), k);
            assert_eq!(k.clone().into_string(), s);
            assert_eq!(format!("{k}"), s);
            assert_eq!(format!("{k:?}"), format!("{s:?}"));
        }
        for s in ["X-Amz-Date", "Content-Type-And-Then-Some-More", "ÄB-c"] {
            assert_eq!(Str::ascii_lowercase(s), *s.to_ascii_lowercase());
        }
        // Str == Str compares inline buffers directly: equal exactly as the strings are.
        assert_eq!(Str::ascii_lowercase("X-Amz-Date"), Str::from("x-amz-date"));
        assert_ne!(Str::from("ab"), Str::from("ac"));
        assert_ne!(Str::from("a"), Str::from("a\0"));
        assert_ne!(Str::from("x".repeat(22)), Str::from("x".repeat(23)));
        assert_eq!(Str::from("y".repeat(30)), Str::from("y".repeat(30)));
        assert!(matches!(Str::from("x".repeat(22)).0, Repr::Inline { .. }));
        assert!(matches!(Str::from("x".repeat(23)).0, Repr::Heap(_)));
        assert_eq!(std::mem::size_of::<Str>(), 24);
    }

    #[test]
    fn orders_and_hashes_as_its_str() {
        use std::collections::hash_map::DefaultHasher;
        let h = |x: &dyn Fn(&mut DefaultHasher)| {
            let mut s = DefaultHasher::new();
            x(&mut s);
            s.finish()
        };
        let k = Str::from("Contents");
        assert_eq!(h(&|s| k.hash(s)), h(&|s| "Contents".hash(s)));
        let mut v = [Str::from("b"), Str::from("a"), Str::from("a".repeat(30))];
        v.sort();
        assert_eq!(v[0], "a");
        assert_eq!(v[2], "b");
    }
}
