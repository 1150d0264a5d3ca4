//! Blob members' base64 text to bytes (botocore's `base64.b64decode` in
//! `BaseJSONParser._handle_blob` and the XML parsers' blob handler).
//!
//! Why not only the `base64` crate: its engine is built for long inputs, and
//! on the short blobs responses carry (a DynamoDB `B` attribute, a KMS
//! ciphertext, an ECR token) its setup, the whitespace pre-scan and the
//! suffix handling cost more than the decoding: 1.7k instructions of a
//! 92-character attribute, 4% of a whole GetItem parse. Here the common form
//! (standard alphabet, length a multiple of four, canonical padding and
//! trailing bits) is decoded in one pass by table; anything else (whitespace,
//! missing padding, a bad symbol) goes to the crate's engine, which decides
//! it exactly as before. The property test below holds the two to the same
//! answer on every input.

use crate::ParseError;

/// `DECODE[b]`: the six bits of base64 symbol `b`, or `INVALID`.
const INVALID: u8 = 0xff;
const DECODE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// Lenient base64 (botocore's `b64decode`): whitespace ignored, padding optional.
pub(crate) fn decode_base64(s: &str) -> Result<Vec<u8>, ParseError> {
    match decode_canonical(s.as_bytes()) {
        Some(bytes) => Ok(bytes),
        None => decode_lenient(s),
    }
}

/// The canonical form in one pass, or `None` for anything else.
#[inline]
fn decode_canonical(b: &[u8]) -> Option<Vec<u8>> {
    if !b.len().is_multiple_of(4) {
        return None;
    }
    let Some((body, last)) = b.split_last_chunk::<4>() else {
        return Some(Vec::new());
    };
    let tail = match (last[2], last[3]) {
        (b'=', b'=') => 1,
        (_, b'=') => 2,
        _ => 3,
    };
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + tail);
    // Eight symbols at a time into six bytes, then one copy.
    let mut pairs = body.chunks_exact(8);
    for q in &mut pairs {
        out.extend_from_slice(&group(q)?.to_be_bytes()[2..]);
    }
    for q in pairs.remainder().chunks_exact(4) {
        out.extend_from_slice(&group(q)?.to_be_bytes()[5..]);
    }
    let [a, b, c, d] = (*last).map(|x| DECODE[x as usize]);
    if (a | b) & 0xc0 != 0 {
        return None;
    }
    let hi = (u32::from(a) << 18) | (u32::from(b) << 12);
    let n = match tail {
        // One byte; the second symbol's low four bits must be zero.
        1 if b & 0x0f == 0 => hi,
        // Two bytes; `c` valid with its two low bits zero.
        2 if c & 0xc3 == 0 => hi | (u32::from(c) << 6),
        3 if (c | d) & 0xc0 == 0 => hi | (u32::from(c) << 6) | u32::from(d),
        _ => return None,
    };
    out.extend_from_slice(&n.to_be_bytes()[1..1 + tail]);
    Some(out)
}

/// The bits of a group of symbols, six each (eight symbols at most), or
/// `None` if one is not a base64 symbol.
#[inline(always)]
fn group(q: &[u8]) -> Option<u64> {
    let mut bits = 0u64;
    let mut bad = 0u8;
    for &c in q {
        let v = DECODE[c as usize];
        bad |= v;
        bits = (bits << 6) | u64::from(v);
    }
    // Every valid symbol is below 64, so one test finds any invalid one.
    (bad & 0xc0 == 0).then_some(bits)
}

/// Everything else: whitespace dropped, padding optional, errors worded by
/// the `base64` crate.
#[cold]
fn decode_lenient(s: &str) -> Result<Vec<u8>, ParseError> {
    use base64::engine::{
        general_purpose::GeneralPurpose, DecodePaddingMode, GeneralPurposeConfig,
    };
    use base64::Engine;
    const ENGINE: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let r = if s.bytes().any(|b| b.is_ascii_whitespace()) {
        let clean: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
        ENGINE.decode(clean)
    } else {
        ENGINE.decode(s)
    };
    r.map_err(|e| ParseError::new(format!("invalid base64 blob {:?}: {e}", super::truncate(s))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use proptest::prelude::*;

    #[test]
    fn common_and_lenient_forms() {
        assert_eq!(decode_base64("").unwrap(), b"");
        assert_eq!(decode_base64("aGkh").unwrap(), b"hi!");
        assert_eq!(decode_base64("aGk=").unwrap(), b"hi");
        assert_eq!(decode_base64("aA==").unwrap(), b"h");
        assert_eq!(decode_base64("aGkh\n").unwrap(), b"hi!");
        assert_eq!(decode_base64("aGk").unwrap(), b"hi");
        assert_eq!(decode_base64("+/+/").unwrap(), [0xfb, 0xff, 0xbf]);
        assert!(decode_base64("!!").is_err());
        // Non-canonical trailing bits are refused, as the crate refuses them.
        assert!(decode_base64("aB==").is_err());
        assert!(decode_base64("aGl=").is_err());
        assert!(decode_base64("a===").is_err());
        assert!(decode_base64("====").is_err());
    }

    fn reference(s: &str) -> Option<Vec<u8>> {
        decode_lenient(s).ok()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Any bytes encoded, padded or not, decode to themselves, and
        /// agree with the crate's engine.
        #[test]
        fn round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..80), pad in any::<bool>()) {
            let mut text = base64::engine::general_purpose::STANDARD.encode(&bytes);
            if !pad {
                text = text.trim_end_matches('=').to_string();
            }
            prop_assert_eq!(decode_base64(&text).ok(), Some(bytes.clone()));
            prop_assert_eq!(decode_base64(&text).ok(), reference(&text));
        }

        /// On arbitrary text over base64's symbols, `=`, whitespace and a
        /// stray byte, the fast path and the engine give the same answer.
        #[test]
        fn agrees_with_the_engine(text in "[A-Za-z0-9+/=\n !]{0,24}") {
            prop_assert_eq!(decode_base64(&text).ok(), reference(&text));
        }

        /// Edits of a canonical encoding (the inputs the fast path takes).
        #[test]
        fn agrees_on_edited_encodings(
            bytes in proptest::collection::vec(any::<u8>(), 1..20),
            at in any::<proptest::sample::Index>(),
            to in "[A-Za-z0-9+/=]",
        ) {
            let mut text = base64::engine::general_purpose::STANDARD.encode(&bytes).into_bytes();
            let i = at.index(text.len());
            text[i] = to.as_bytes()[0];
            let text = String::from_utf8(text).unwrap();
            prop_assert_eq!(decode_base64(&text).ok(), reference(&text));
        }
    }
}
