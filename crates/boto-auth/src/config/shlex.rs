//! POSIX shell-style word splitting, as Python's `shlex.split` does it.
//!
//! botocore uses it to read section headers such as `[profile "my name"]` and
//! to turn `credential_process` into an argument list without a shell.

/// Splits `s` into words, honouring single quotes, double quotes (with `\`
/// escaping `"`, `\`, `$`, `` ` `` and newline) and backslash escapes.
/// Returns `None` on an unterminated quote or a trailing backslash.
pub(crate) fn split(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => cur.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => {
                            let n = chars.next()?;
                            if !matches!(n, '"' | '\\' | '$' | '`' | '\n') {
                                cur.push('\\');
                            }
                            cur.push(n);
                        }
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn splits_like_python() {
        assert_eq!(split("profile foo").unwrap(), vec!["profile", "foo"]);
        assert_eq!(
            split("profile \"my name\"").unwrap(),
            vec!["profile", "my name"]
        );
        assert_eq!(
            split("sh -c 'echo {\"a\": 1}'").unwrap(),
            vec!["sh", "-c", "echo {\"a\": 1}"]
        );
        assert_eq!(
            split(r#"a "b\"c" d\ e ''"#).unwrap(),
            vec!["a", "b\"c", "d e", ""]
        );
        assert!(split("a 'b").is_none());
    }
}
