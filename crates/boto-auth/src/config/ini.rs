//! An INI reader with the exact semantics of Python's `configparser.RawConfigParser`
//! as botocore configures it.
//!
//! botocore's behaviour is defined by that parser, quirks included: `=` and `:`
//! both separate keys from values, keys are lower-cased, `#`/`;` start a comment
//! only at the start of a line (inline comments stay part of the value), lines
//! indented deeper than their key continue its value, duplicate sections or keys
//! are errors, and a `[DEFAULT]` section supplies values to every other section.
//! Matching it keeps files that work with boto3 working here, and vice versa.
//!
//! Errors name the line and the problem but never quote the line: these files
//! hold secrets, and error messages end up in terminals, logs and bug reports.

/// One `key = value` entry. Continuation lines are joined with `\n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IniEntry {
    pub key: String,
    pub value: String,
    /// 1-based line of the key.
    pub line: usize,
    /// The 1-based line of each `\n`-separated part of `value` (comment
    /// lines inside a value are skipped, so parts and lines can drift apart).
    pub part_lines: Vec<usize>,
}

/// One `[section]` with its entries in file order (`[DEFAULT]` entries merged in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IniSection {
    pub name: String,
    pub line: usize,
    pub entries: Vec<IniEntry>,
}

/// A syntax error at a 1-based line. `message` describes the problem without
/// quoting any of the file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IniError {
    pub line: usize,
    pub message: String,
}

const DEFAULT_SECTION: &str = "DEFAULT";

/// A value part (one line of a possibly multi-line value) and its line.
type Part = (String, usize);
/// (key, value parts, line of the key)
type RawEntry = (String, Vec<Part>, usize);

struct Building {
    name: String,
    line: usize,
    entries: Vec<RawEntry>,
}

/// Parses `text`; the first syntax error is returned with its line number.
pub(crate) fn parse_ini(text: &str) -> Result<Vec<IniSection>, IniError> {
    let mut sections: Vec<Building> = Vec::new();
    let mut defaults = Building {
        name: DEFAULT_SECTION.into(),
        line: 0,
        entries: Vec::new(),
    };
    // Index into `sections`, or usize::MAX for the DEFAULT section.
    let mut cur: Option<usize> = None;
    let mut optname: Option<usize> = None;
    let mut indent_level = 0usize;
    let mut seen_default_keys: Vec<(String, usize)> = Vec::new();

    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    for (idx, line) in normalized.split('\n').enumerate() {
        let lineno = idx + 1;
        let trimmed = line.trim();
        let is_comment = trimmed.starts_with('#') || trimmed.starts_with(';');
        let value = if is_comment { "" } else { trimmed };
        if value.is_empty() {
            // An empty (non-comment) line inside a value becomes an empty value line.
            if !is_comment {
                if let (Some(c), Some(o)) = (cur, optname) {
                    let sect = if c == usize::MAX {
                        &mut defaults
                    } else {
                        &mut sections[c]
                    };
                    sect.entries[o].1.push((String::new(), lineno));
                }
            }
            continue;
        }
        let cur_indent = line.len() - line.trim_start().len();
        if let (Some(c), Some(o)) = (cur, optname) {
            if cur_indent > indent_level {
                let sect = if c == usize::MAX {
                    &mut defaults
                } else {
                    &mut sections[c]
                };
                sect.entries[o].1.push((value.to_string(), lineno));
                continue;
            }
        }
        indent_level = cur_indent;
        if let Some(name) = section_header(value) {
            if name == DEFAULT_SECTION {
                cur = Some(usize::MAX);
            } else if let Some(first) = sections.iter().find(|s| s.name == name) {
                return Err(IniError {
                    line: lineno,
                    message: format!(
                        "duplicate section header: the same section starts at line {}",
                        first.line
                    ),
                });
            } else {
                sections.push(Building {
                    name: name.to_string(),
                    line: lineno,
                    entries: Vec::new(),
                });
                cur = Some(sections.len() - 1);
            }
            optname = None;
            continue;
        }
        let Some(c) = cur else {
            return Err(IniError {
                line: lineno,
                message: "the line comes before the first [section] header".into(),
            });
        };
        let Some((key, val)) = split_option(value) else {
            return Err(IniError {
                line: lineno,
                message: "expected a [section] header or a `key = value` line".into(),
            });
        };
        let key = key.to_lowercase();
        if key.is_empty() {
            return Err(IniError {
                line: lineno,
                message: "a key is missing before `=`".into(),
            });
        }
        let sect = if c == usize::MAX {
            &mut defaults
        } else {
            &mut sections[c]
        };
        let first = if c == usize::MAX {
            let first = seen_default_keys
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, l)| *l);
            seen_default_keys.push((key.clone(), lineno));
            first
        } else {
            sect.entries
                .iter()
                .find(|(k, _, _)| *k == key)
                .map(|(_, _, l)| *l)
        };
        if let Some(first) = first {
            return Err(IniError {
                line: lineno,
                message: format!(
                    "duplicate key: the same key is already set at line {first} in this section"
                ),
            });
        }
        sect.entries
            .push((key, vec![(val.to_string(), lineno)], lineno));
        optname = Some(sect.entries.len() - 1);
    }

    let finish = |entries: Vec<RawEntry>| -> Vec<IniEntry> {
        entries
            .into_iter()
            .map(|(key, parts, line)| {
                let part_lines = parts.iter().map(|(_, l)| *l).collect();
                let text: Vec<String> = parts.into_iter().map(|(t, _)| t).collect();
                IniEntry {
                    key,
                    value: text.join("\n").trim_end().to_string(),
                    line,
                    part_lines,
                }
            })
            .collect()
    };
    let default_entries = finish(defaults.entries);
    Ok(sections
        .into_iter()
        .map(|s| {
            let mut entries = finish(s.entries);
            for d in &default_entries {
                if !entries.iter().any(|e| e.key == d.key) {
                    entries.push(d.clone());
                }
            }
            IniSection {
                name: s.name,
                line: s.line,
                entries,
            }
        })
        .collect())
}

/// `[name]` as Python's `\[(?P<header>.+)\]` matches it: the last `]` closes
/// the name, text after it is ignored, and the name is not trimmed.
pub(crate) fn section_header(value: &str) -> Option<&str> {
    let rest = value.strip_prefix('[')?;
    let end = rest.rfind(']')?;
    (end > 0).then(|| &rest[..end])
}

/// `key = value` or `key: value`, split at whichever delimiter comes first.
pub(crate) fn split_option(value: &str) -> Option<(&str, &str)> {
    let pos = value.find(['=', ':'])?;
    Some((value[..pos].trim_end(), value[pos + 1..].trim()))
}

/// Splits an indented block (a value that starts with a newline) into
/// `key = value` pairs, like botocore's `_parse_nested`. Keys are not lower-cased.
/// `part_lines` gives the file line of each `\n`-separated part of `value`
/// ([`IniEntry::part_lines`]); `first_line` is used where it has none.
pub(crate) fn parse_nested(
    value: &str,
    first_line: usize,
    part_lines: &[usize],
) -> Result<Vec<(String, String)>, IniError> {
    let mut out = Vec::new();
    for (i, line) in value.split('\n').enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            return Err(IniError {
                line: part_lines.get(i).copied().unwrap_or(first_line + i),
                message: "expected `key = value` in the indented block of a nested setting".into(),
            });
        };
        out.push((k.trim().to_string(), v.trim().to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(s: &IniSection) -> Vec<(&str, &str)> {
        s.entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect()
    }

    #[test]
    fn basic_sections_and_keys() {
        let s = parse_ini("# c\n[default]\nRegion = us-east-1 # not a comment\n; c\nout:json\n[profile x]\n  a=1\n").unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(
            entries(&s[0]),
            vec![("region", "us-east-1 # not a comment"), ("out", "json")]
        );
        assert_eq!(entries(&s[1]), vec![("a", "1")]);
    }

    #[test]
    fn continuation_and_nested() {
        let s = parse_ini("[p]\ns3 =\n  addressing_style = path\n\n  x = y\nother = 1\n  more\n")
            .unwrap();
        assert_eq!(
            entries(&s[0]),
            vec![
                ("s3", "\naddressing_style = path\n\nx = y"),
                ("other", "1\nmore")
            ]
        );
        let e = &s[0].entries[0];
        assert_eq!(e.part_lines, vec![2, 3, 4, 5]);
        let nested = parse_nested(&e.value, e.line, &e.part_lines).unwrap();
        assert_eq!(
            nested,
            vec![
                ("addressing_style".into(), "path".into()),
                ("x".into(), "y".into())
            ]
        );
    }

    #[test]
    fn errors_have_lines() {
        assert_eq!(parse_ini("a=1\n").unwrap_err().line, 1);
        assert_eq!(parse_ini("[a]\nx=1\nnovalue\n").unwrap_err().line, 3);
        assert_eq!(parse_ini("[a]\n[a]\n").unwrap_err().line, 2);
        assert_eq!(parse_ini("[a]\nx=1\nX=2\n").unwrap_err().line, 3);
        assert_eq!(parse_nested("\nno equals", 4, &[]).unwrap_err().line, 5);
        // Comment lines inside a block are skipped but still counted.
        let s = parse_ini("[a]\ns3 =\n# c\n  x = 1\n; c\n  bad\n").unwrap();
        let e = &s[0].entries[0];
        assert_eq!(
            parse_nested(&e.value, e.line, &e.part_lines)
                .unwrap_err()
                .line,
            6
        );
    }

    #[test]
    fn errors_never_quote_the_file() {
        const S: &str = "SUPERSECRETMARKER";
        for (text, line) in [
            (format!("{S}\n"), 1),
            (format!("k = {S}\n"), 1),
            (format!("[a]\naws_secret_access_key {S}\n"), 2),
            (format!("[a]\n[{S}\n"), 2),
            (format!("[a]\n  {S}\n"), 2),
            (format!("[{S}]\n[{S}]\n"), 2),
            (format!("[a]\n{S}=1\n{S}=2\n"), 3),
            (format!("[DEFAULT]\n{S}=1\n{S}=2\n"), 3),
            (format!("[a]\n= {S}\n"), 2),
            (format!("[a]\r\nx=1\r{S}\r\n"), 3),
        ] {
            let e = parse_ini(&text).unwrap_err();
            assert_eq!(e.line, line, "{text:?}");
            assert!(!format!("{e:?}").contains(S), "{text:?}: {e:?}");
        }
        let e = parse_nested(&format!("\n{S}"), 1, &[1, 2]).unwrap_err();
        assert!(!format!("{e:?}").contains(S));
    }

    #[test]
    fn default_section_is_inherited() {
        let s = parse_ini("[DEFAULT]\nk=v\n[a]\nx=1\n").unwrap();
        assert_eq!(entries(&s[0]), vec![("x", "1"), ("k", "v")]);
    }
}
