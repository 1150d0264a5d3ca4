//! Template strings such as `https://{Region}.{PartitionResult#dnsSuffix}`.
//!
//! botocore decides whether a string is a template with the pattern
//! `\{[a-zA-Z#]+\}` and then renders it with Python's `string.Formatter`
//! grammar (`{{`/`}}` escapes). We reproduce both decisions at load time so
//! that evaluation only walks a pre-split list of literal and variable parts.

use crate::ruleset::Interner;

/// One piece of a template.
#[derive(Debug, Clone)]
pub(crate) enum Part {
    Lit(String),
    /// `{name}` or `{name#attr#attr}`: a scope variable plus attribute path.
    Var {
        slot: usize,
        path: Vec<String>,
    },
}

/// A parsed template string.
#[derive(Debug, Clone)]
pub(crate) enum Template {
    Parts(Vec<Part>),
    /// The string looked like a template but Python's formatter would reject
    /// it; the error surfaces only if the template is actually evaluated.
    Invalid(String),
}

/// Does botocore treat `s` as a template? (`\{[a-zA-Z#]+\}` anywhere.)
pub(crate) fn is_template(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'{' {
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'#') {
                j += 1;
            }
            if j > i + 1 && j < b.len() && b[j] == b'}' {
                return true;
            }
        }
        i += 1;
    }
    false
}

impl Template {
    /// Parse with `string.Formatter` rules. Call only when [`is_template`].
    pub(crate) fn parse(s: &str, names: &mut Interner) -> Template {
        match split_format(s) {
            Ok(pieces) => Template::Parts(
                pieces
                    .into_iter()
                    .map(|p| match p {
                        Piece::Lit(l) => Part::Lit(l),
                        Piece::Field(f) => {
                            let mut it = f.split('#');
                            let head = it.next().unwrap_or_default();
                            Part::Var {
                                slot: names.slot(head),
                                path: it.map(str::to_owned).collect(),
                            }
                        }
                    })
                    .collect(),
            ),
            Err(e) => Template::Invalid(e),
        }
    }
}

enum Piece<'s> {
    Lit(String),
    Field(&'s str),
}

/// Split a format string into literal text and field names, following
/// CPython's `MarkupIterator` (conversion `!x` and `:spec` are dropped since
/// botocore ignores them).
fn split_format(s: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' => {
                if let Some(&(_, '{')) = chars.peek() {
                    chars.next();
                    lit.push('{');
                    continue;
                }
                // Field: find the matching close brace, honouring nesting.
                let start = i + 1;
                let mut depth = 1usize;
                let mut end = None;
                for (j, d) in chars.by_ref() {
                    match d {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = Some(j);
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                let end = end.ok_or_else(|| {
                    if start >= s.len() {
                        "Single '{' encountered in format string".to_owned()
                    } else {
                        "expected '}' before end of string".to_owned()
                    }
                })?;
                let field = &s[start..end];
                let name_end = field.find(['!', ':']).unwrap_or(field.len());
                if !lit.is_empty() {
                    out.push(Piece::Lit(std::mem::take(&mut lit)));
                }
                out.push(Piece::Field(&field[..name_end]));
            }
            '}' => {
                if let Some(&(_, '}')) = chars.peek() {
                    chars.next();
                    lit.push('}');
                } else {
                    return Err("Single '}' encountered in format string".into());
                }
            }
            other => lit.push(other),
        }
    }
    if !lit.is_empty() {
        out.push(Piece::Lit(lit));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(s: &str) -> Vec<String> {
        let mut names = Interner::default();
        match Template::parse(s, &mut names) {
            Template::Parts(p) => p
                .iter()
                .map(|p| match p {
                    Part::Lit(l) => format!("L:{l}"),
                    Part::Var { slot, path } => format!("V:{slot}:{}", path.join("#")),
                })
                .collect(),
            Template::Invalid(e) => vec![format!("E:{e}")],
        }
    }

    #[test]
    fn detection() {
        assert!(is_template("https://{Region}.x"));
        assert!(is_template("{a#b}"));
        assert!(!is_template("{}"));
        assert!(!is_template("{Region1}"));
        assert!(!is_template("plain"));
        assert!(is_template("{{Region}}"));
    }

    #[test]
    fn splitting() {
        assert_eq!(render("https://{Region}.x"), ["L:https://", "V:0:", "L:.x"]);
        assert_eq!(render("{url#scheme}://"), ["V:0:scheme", "L:://"]);
        assert_eq!(render("{{Region}} {R}"), ["L:{Region} ", "V:0:"]);
        assert_eq!(
            render("{R} }"),
            ["E:Single '}' encountered in format string"]
        );
        assert_eq!(
            render("{R} {"),
            ["E:Single '{' encountered in format string"]
        );
    }
}
