//! XML character data to text: the five predefined entities, character
//! references and line-end normalization (what `ElementTree` hands botocore
//! already resolved). Both XML readers use it: the tree for every text node,
//! the stream for the scalar texts it converts (an S3 listing's ETags are all
//! `&quot;...&quot;`).

use std::borrow::Cow;

/// Resolves the five predefined entities and character references, and
/// normalizes line ends like an XML parser must.
pub(crate) fn unescape(raw: &str) -> Result<Cow<'_, str>, String> {
    let Some(p) = memchr::memchr2(b'&', b'\r', raw.as_bytes()) else {
        return Ok(Cow::Borrowed(raw));
    };
    let mut out = String::with_capacity(raw.len());
    unescape_from(raw, p, &mut out)?;
    Ok(Cow::Owned(out))
}

/// [`unescape`] appending to `out`, for a reader that reuses one buffer:
/// the text is then copied once, at its final size (an S3 listing's ETags
/// went to a `String` of the escaped length, shrunk again by a `realloc`).
pub(crate) fn unescape_into(raw: &str, out: &mut String) -> Result<(), String> {
    match memchr::memchr2(b'&', b'\r', raw.as_bytes()) {
        Some(p) => unescape_from(raw, p, out),
        None => {
            out.push_str(raw);
            Ok(())
        }
    }
}

/// Appends `raw` unescaped to `out`; `p` is its first `&` or `\r`.
fn unescape_from(raw: &str, mut p: usize, out: &mut String) -> Result<(), String> {
    let mut rest = raw;
    loop {
        out.push_str(&rest[..p]);
        if rest.as_bytes()[p] == b'\r' {
            out.push('\n');
            rest = &rest[p + 1..];
            if rest.starts_with('\n') {
                rest = &rest[1..];
            }
        } else {
            let (c, used) = entity(&rest[p + 1..])?;
            out.push(c);
            rest = &rest[p + 1 + used..];
        }
        // The rest is searched only if there is one (an ETag's closing
        // `&quot;` ends the text).
        if rest.is_empty() {
            break;
        }
        match memchr::memchr2(b'&', b'\r', rest.as_bytes()) {
            Some(q) => p = q,
            None => break,
        }
    }
    out.push_str(rest);
    Ok(())
}

/// The entity reference after a `&`: its character and how many bytes it
/// takes, `;` included. The five predefined names are matched as byte
/// patterns (a `memcmp` call per entity was most of an ETag's unescaping).
#[inline]
fn entity(after: &str) -> Result<(char, usize), String> {
    Ok(match after.as_bytes() {
        [b'q', b'u', b'o', b't', b';', ..] => ('"', 5),
        [b'a', b'm', b'p', b';', ..] => ('&', 4),
        [b'l', b't', b';', ..] => ('<', 3),
        [b'g', b't', b';', ..] => ('>', 3),
        [b'a', b'p', b'o', b's', b';', ..] => ('\'', 5),
        _ => {
            let semi = after
                .bytes()
                .take(13)
                .position(|c| c == b';')
                .ok_or_else(|| "unterminated entity reference".to_string())?;
            (char_reference(&after[..semi])?, semi + 1)
        }
    })
}

/// A character reference's name (`#65`, `#x41`) as its character; any other
/// name is an undefined entity.
fn char_reference(ent: &str) -> Result<char, String> {
    let code = if let Some(h) = ent.strip_prefix("#x").or_else(|| ent.strip_prefix("#X")) {
        u32::from_str_radix(h, 16).ok()
    } else if let Some(d) = ent.strip_prefix('#') {
        d.parse::<u32>().ok()
    } else {
        return Err(format!("undefined entity &{ent};"));
    };
    code.and_then(char::from_u32)
        .filter(|&c| c != '\0')
        .ok_or_else(|| format!("invalid character reference &{ent};"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `unescape` as written before the entity patterns: one search per
    /// piece, the entity name cut at its `;`.
    fn unescape_by_pieces(raw: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = raw;
        while let Some(p) = memchr::memchr2(b'&', b'\r', rest.as_bytes()) {
            out.push_str(&rest[..p]);
            if rest.as_bytes()[p] == b'\r' {
                out.push('\n');
                rest = &rest[p + 1..];
                if rest.starts_with('\n') {
                    rest = &rest[1..];
                }
                continue;
            }
            let after = &rest[p + 1..];
            let semi = after
                .bytes()
                .take(13)
                .position(|c| c == b';')
                .ok_or_else(|| "unterminated entity reference".to_string())?;
            let ent = &after[..semi];
            match ent {
                "lt" => out.push('<'),
                "gt" => out.push('>'),
                "amp" => out.push('&'),
                "quot" => out.push('"'),
                "apos" => out.push('\''),
                // Character references decode as they always did; what
                // changed is how the five names above are matched.
                _ => out.push(char_reference(ent)?),
            }
            rest = &after[semi + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    #[test]
    fn unescape_agrees_with_the_piece_by_piece_reading() {
        // Every string of up to five pieces from a set that covers each
        // entity, partial and bad ones, line ends and plain text.
        let pieces = [
            "a",
            "&quot;",
            "&amp;",
            "&lt;",
            "&gt;",
            "&apos;",
            "&quot",
            "&am;",
            "&#65;",
            "&#x42;",
            "&#X43;",
            "&#0;",
            "&#x110000;",
            "&bogus;",
            "&",
            ";",
            "\r",
            "\n",
            "quot;",
            "é",
        ];
        let mut stack = vec![(String::new(), 0)];
        let mut n = 0;
        while let Some((s, len)) = stack.pop() {
            let got = unescape(&s).map(|c| c.into_owned());
            let want = unescape_by_pieces(&s);
            assert_eq!(got, want, "{s:?}");
            // Appended to a buffer already holding text: the same.
            let mut buf = String::from("<");
            let into = unescape_into(&s, &mut buf).map(|()| buf[1..].to_string());
            assert_eq!(into, want, "{s:?} (into)");
            n += 1;
            if len < 4 {
                for p in pieces {
                    stack.push((format!("{s}{p}"), len + 1));
                }
            }
        }
        assert!(n > 100_000, "{n}");
        let etag = "&quot;9b2cf535f27731c974343645a3985328&quot;";
        assert_eq!(
            unescape(etag).unwrap(),
            "\"9b2cf535f27731c974343645a3985328\""
        );
        assert!(matches!(unescape("plain").unwrap(), Cow::Borrowed("plain")));
    }
}
