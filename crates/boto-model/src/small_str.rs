//! [`Str`]: the string inside [`crate::Value::String`] and the name of every
//! [`crate::Map`] entry ([`crate::Key`]), stored inline when short.
//!
//! A parsed response is mostly short strings: member names (`Key`,
//! `LastModified`, `S`, `Item`), enum values (`STANDARD`, `running`),
//! DynamoDB attribute names and numbers (`N` values are strings), tag keys
//! and values, header values. A `String` for each was one heap allocation
//! and one free: for a DynamoDB GetItem about half of the blocks a parse
//! built. Nearly all of them fit in 23 bytes, so a `Str` keeps them inside
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
use std::ptr::NonNull;

/// Longest string kept inline.
const INLINE: usize = 23;

/// The last byte of a heap string (an inline one keeps its length there).
const HEAP: u8 = 0xff;

/// A string, kept inline up to 23 bytes: what [`crate::Value::String`]
/// holds and what names a [`crate::Map`] entry.
pub struct Str(Repr);

/// Three words. Inline: the bytes, zero past the length, and the length in
/// the last byte. Heap: a `Box<str>`'s pointer and length, and [`HEAP`] in
/// the last byte.
///
/// Why not `enum { Inline { len: u8, buf: [u8; 22] }, Heap(Box<str>) }`
/// (what this was): its inline bytes sat at an odd offset, after the
/// variant tag and the length. Built byte range by byte range and then read
/// back as whole words (moved into a `Value`, into a map entry), each short
/// string made the CPU wait for stores it could not forward: with string
/// values inline, a DynamoDB parse ran no faster for 10% fewer
/// instructions. Here an inline string is made in registers from word
/// loads of its source and written as three aligned words.
#[repr(C)]
union Repr {
    /// The bytes, as three words in memory order (`to_le` values).
    inline: [u64; 3],
    heap: Heap,
}

#[derive(Clone, Copy)]
#[repr(C)]
struct Heap {
    ptr: NonNull<u8>,
    len: usize,
    /// [`HEAP`] in its last byte in memory, zero elsewhere.
    tag: u64,
}

// SAFETY: a `Str` owns its bytes (inline, or a `Box<str>` no one else
// points to), like a `String`, so it may move to and be shared between
// threads as one.
unsafe impl Send for Str {}
// SAFETY: as above; `&Str` only gives out `&str`.
unsafe impl Sync for Str {}

impl Drop for Str {
    #[inline]
    fn drop(&mut self) {
        if let Some(h) = self.heap() {
            // SAFETY: `ptr`/`len` came from `Box::leak` of a `Box<str>`
            // in `from_box`, and nothing else owns it.
            drop(unsafe {
                Box::from_raw(std::ptr::slice_from_raw_parts_mut(h.ptr.as_ptr(), h.len) as *mut str)
            });
        }
    }
}

impl Clone for Str {
    /// An inline string is copied as its three words.
    #[inline]
    fn clone(&self) -> Str {
        match self.heap() {
            None => Str(Repr {
                // SAFETY: every byte of an inline `Str` is initialized.
                inline: unsafe { self.0.inline },
            }),
            Some(_) => Str::from_box(self.as_str().into()),
        }
    }
}

/// `s[at..at + 8]` as a little-endian word (`s` has at least `at + 8` bytes).
#[inline(always)]
fn word(s: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(s[at..at + 8].try_into().unwrap_or_default())
}

/// `s[at..at + 4]` as a little-endian word.
#[inline(always)]
fn half(s: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes(
        s[at..at + 4].try_into().unwrap_or_default(),
    ))
}

/// The three words of an inline string of `s` (at most [`INLINE`] bytes):
/// the bytes in order, zero after them. Loads overlap rather than copy a
/// variable length, so there is no `memcpy` call and no partial store.
#[inline(always)]
fn inline_words(s: &[u8]) -> [u64; 3] {
    let n = s.len();
    debug_assert!(n <= INLINE);
    // The top `k` bytes of the word ending at `n`, moved to the bottom.
    let tail = |k: usize| {
        word(s, n - 8)
            .checked_shr(((8 - k) * 8) as u32)
            .unwrap_or(0)
    };
    match n {
        0 => [0; 3],
        1..=3 => {
            let (a, b, c) = (u64::from(s[0]), u64::from(s[n / 2]), u64::from(s[n - 1]));
            [a | b << (n / 2 * 8) | c << ((n - 1) * 8), 0, 0]
        }
        4..=7 => [half(s, 0) | half(s, n - 4) << ((n - 4) * 8), 0, 0],
        8..=15 => [word(s, 0), tail(n - 8), 0],
        _ => [word(s, 0), word(s, 8), tail(n - 16)],
    }
}

/// Sets the 0x20 bit of each byte of `w` that is an ASCII capital, by word
/// (no byte above 0x7f is touched, so UTF-8 stays valid).
#[inline(always)]
fn lower_word(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let low7 = w & (0x7f * ONES);
    let from_a = low7 + (0x80 - u64::from(b'A')) * ONES;
    let past_z = low7 + (0x80 - u64::from(b'Z') - 1) * ONES;
    let capital = from_a & !past_z & !w & (0x80 * ONES);
    w | capital >> 2
}

impl Str {
    /// An inline string from its words and length.
    #[inline(always)]
    fn from_words(w: [u64; 3], len: usize) -> Str {
        let last = w[2] | (len as u64) << 56;
        Str(Repr {
            inline: [w[0].to_le(), w[1].to_le(), last.to_le()],
        })
    }

    /// A heap string (for text longer than [`INLINE`] bytes).
    fn from_box(s: Box<str>) -> Str {
        debug_assert!(s.len() > INLINE);
        let len = s.len();
        let ptr = NonNull::from(Box::leak(s)).cast::<u8>();
        Str(Repr {
            heap: Heap {
                ptr,
                len,
                tag: (u64::from(HEAP) << 56).to_le(),
            },
        })
    }

    /// The last byte: the length of an inline string, or [`HEAP`].
    #[inline(always)]
    fn tag(&self) -> u8 {
        // SAFETY: both views are three initialized words, and the third
        // is never a pointer's.
        (u64::from_le(unsafe { self.0.inline[2] }) >> 56) as u8
    }

    #[inline(always)]
    fn heap(&self) -> Option<Heap> {
        if self.tag() == HEAP {
            // SAFETY: the tag says the heap view was written. (Read only
            // then: an inline string's bytes are no valid `NonNull`.)
            Some(unsafe { self.0.heap })
        } else {
            None
        }
    }

    /// The string as a string slice.
    #[inline]
    pub fn as_str(&self) -> &str {
        let bytes = match self.heap() {
            // SAFETY: a live `Box<str>`'s memory, owned by `self`.
            Some(h) => unsafe { std::slice::from_raw_parts(h.ptr.as_ptr(), h.len) },
            // SAFETY: an inline string's 24 bytes are initialized, and the
            // words hold them in memory order; the length is at most 23.
            None => unsafe {
                std::slice::from_raw_parts(self.0.inline.as_ptr().cast::<u8>(), self.tag() as usize)
            },
        };
        debug_assert!(std::str::from_utf8(bytes).is_ok());
        // SAFETY: every constructor copies a whole `&str` (so valid UTF-8)
        // or lowercases ASCII letters of one (which keeps it valid), and
        // nothing mutates a `Str`. Checking it again on every read cost a
        // tenth of a DynamoDB response's parse time.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }

    /// `s` with its ASCII letters lowercased (HTTP header names), built in
    /// place without an intermediate `String`.
    pub fn ascii_lowercase(s: &str) -> Str {
        if s.len() <= INLINE {
            Str::from_words(inline_words(s.as_bytes()).map(lower_word), s.len())
        } else {
            Str::from_box(s.to_ascii_lowercase().into_boxed_str())
        }
    }

    /// The string as an owned `String`.
    pub fn into_string(self) -> String {
        self.as_str().to_owned()
    }

    /// The string's bytes as an owned vector.
    pub fn into_bytes(self) -> Vec<u8> {
        self.into_string().into_bytes()
    }

    #[cfg(test)]
    fn is_inline(&self) -> bool {
        self.heap().is_none()
    }
}

impl Default for Str {
    /// The empty string (inline, no allocation).
    #[inline]
    fn default() -> Str {
        Str::from_words([0; 3], 0)
    }
}

impl From<&str> for Str {
    #[inline]
    fn from(s: &str) -> Str {
        if s.len() <= INLINE {
            Str::from_words(inline_words(s.as_bytes()), s.len())
        } else {
            Str::from_box(s.into())
        }
    }
}

impl From<String> for Str {
    #[inline]
    fn from(s: String) -> Str {
        if s.len() <= INLINE {
            Str::from(s.as_str())
        } else {
            Str::from_box(s.into_boxed_str())
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
            Str::from_box(s)
        }
    }
}

impl From<std::borrow::Cow<'_, str>> for Str {
    #[inline]
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
        if self.tag() != HEAP && other.tag() != HEAP {
            // Inline bytes are zero past the length and the length is the
            // last byte, so two inline strings are equal exactly when their
            // words are: three compares instead of a `memcmp` call (parsers
            // check map keys for repeats this way).
            // SAFETY: both are inline, all 24 bytes initialized.
            unsafe { self.0.inline == other.0.inline }
        } else {
            self.as_str() == other.as_str()
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
            &"z".repeat(24),
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
        assert_ne!(Str::from("x".repeat(23)), Str::from("x".repeat(24)));
        assert_ne!(Str::from("x".repeat(24)), Str::from("x".repeat(25)));
        assert_eq!(Str::from("y".repeat(30)), Str::from("y".repeat(30)));
        assert!(Str::from("x".repeat(23)).is_inline());
        assert!(!Str::from("x".repeat(24)).is_inline());
        assert_eq!(std::mem::size_of::<Str>(), 24);
        assert_eq!(std::mem::size_of::<Option<Str>>(), 32);
    }

    /// Every byte value at every position of every inline length, built
    /// from word loads, reads back as the same bytes, lowercases as
    /// `to_ascii_lowercase` does, and compares equal exactly as the
    /// strings do. Non-ASCII bytes are checked through two-byte characters.
    #[test]
    fn word_built_strings_match_their_bytes_at_every_length() {
        let fill = "abcdefghijklmnopqrstuvwxyz";
        for len in 1..=INLINE {
            for at in 0..len {
                for b in 0u8..0x80 {
                    let mut bytes = fill.as_bytes()[..len].to_vec();
                    bytes[at] = b;
                    let s = std::str::from_utf8(&bytes).unwrap();
                    let k = Str::from(s);
                    assert!(k.is_inline());
                    assert_eq!(k.as_str(), s);
                    assert_eq!(Str::ascii_lowercase(s).as_str(), s.to_ascii_lowercase());
                    let plain = Str::from(&fill[..len]);
                    assert_eq!(k == plain, s == &fill[..len]);
                }
            }
            for at in 0..len.saturating_sub(1) {
                for c in ['é', 'Ä', 'ß', 'Ω', 'ÿ'] {
                    let mut s = fill[..at].to_string();
                    s.push(c);
                    s.push_str(&fill[at + 2..len]);
                    assert_eq!(Str::from(s.as_str()).as_str(), s);
                    assert_eq!(Str::ascii_lowercase(&s).as_str(), s.to_ascii_lowercase());
                }
            }
        }
    }

    #[test]
    fn moves_between_threads_and_drops_its_heap_text_once() {
        let long = Str::from("a heap string longer than twenty-three bytes");
        let copies: Vec<Str> = (0..4).map(|_| long.clone()).collect();
        let back = std::thread::spawn(move || copies.concat()).join().unwrap();
        assert_eq!(back, long.repeat(4));
        let from_box = Str::from(Box::<str>::from("a boxed string longer than twenty-three"));
        assert_eq!(from_box.clone(), from_box);
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
