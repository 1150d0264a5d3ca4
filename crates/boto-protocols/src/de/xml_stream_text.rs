//! [`TextEnd`]: where a piece of character data ends, for the XML stream.

/// Finds the first `<`, `&` or `\r` of character data. On x86-64 the SSE2
/// searcher is built once per parse and called directly: through
/// `memchr::memchr3`, each of a listing's 7,000 short texts paid for the
/// CPU-feature dispatch and the needles' setup, about 5% of the parse's time
/// (`bench/regress.md`, session 23).
#[derive(Clone, Copy)]
pub(super) struct TextEnd {
    /// `None` only where SSE2 is not there (not x86-64, or built without
    /// it): then `memchr::memchr3` chooses.
    #[cfg(target_arch = "x86_64")]
    sse2: Option<memchr::arch::x86_64::sse2::memchr::Three>,
    /// The same for `<` alone (the rest of text that has an `&`).
    #[cfg(target_arch = "x86_64")]
    lt: Option<memchr::arch::x86_64::sse2::memchr::One>,
}

impl TextEnd {
    pub(super) fn new() -> TextEnd {
        TextEnd {
            #[cfg(target_arch = "x86_64")]
            sse2: memchr::arch::x86_64::sse2::memchr::Three::new(b'<', b'&', b'\r'),
            #[cfg(target_arch = "x86_64")]
            lt: memchr::arch::x86_64::sse2::memchr::One::new(b'<'),
        }
    }

    /// The index of the first `<`, `&` or `\r` in `hay`.
    #[inline(always)]
    pub(super) fn find(&self, hay: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(s) = &self.sse2 {
            return s.find(hay);
        }
        memchr::memchr3(b'<', b'&', b'\r', hay)
    }

    /// The index of the first `<` in `hay`.
    #[inline(always)]
    pub(super) fn find_lt(&self, hay: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(s) = &self.lt {
            return s.find(hay);
        }
        memchr::memchr(b'<', hay)
    }
}

#[cfg(test)]
mod tests {
    use super::TextEnd;

    #[test]
    fn finds_the_first_of_the_three_bytes_at_any_length_and_offset() {
        let t = TextEnd::new();
        for len in 0..80 {
            for at in 0..=len {
                for c in [b'<', b'&', b'\r'] {
                    let mut hay = vec![b'a'; len];
                    if at < len {
                        hay[at] = c;
                        // A later needle never wins over the first.
                        if at + 1 < len {
                            hay[len - 1] = b'<';
                        }
                    }
                    let want = (at < len).then_some(at);
                    assert_eq!(t.find(&hay), want, "len {len}, {c} at {at}");
                    assert_eq!(t.find(&hay), memchr::memchr3(b'<', b'&', b'\r', &hay));
                    assert_eq!(t.find_lt(&hay), memchr::memchr(b'<', &hay));
                }
            }
        }
    }
}
