//! `--include`/`--exclude` with aws-cli's rules (`customizations/s3/filters.py`).
//!
//! Every file starts included; each filter, in command-line order, that
//! matches flips it to included or excluded, so later filters win. Patterns
//! are joined to the source root (and, for files listed at the destination of
//! a sync, to the destination root) and matched with Python's `fnmatch`
//! semantics against the full path: `*` also matches `/`, `?` one character,
//! `[seq]`/`[!seq]` a set.

use super::args::FilterKind;
use super::path::{Kind, Plan};

/// Python's `fnmatch.fnmatchcase` (POSIX `fnmatch` does no case folding).
pub fn fnmatch(name: &str, pattern: &str) -> bool {
    let n: Vec<char> = name.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    // Iterative matcher with backtracking to the last `*`.
    let (mut ni, mut pi) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() {
            match p[pi] {
                '*' => {
                    star = Some((pi, ni));
                    pi += 1;
                    continue;
                }
                '?' => {
                    ni += 1;
                    pi += 1;
                    continue;
                }
                '[' => {
                    if let Some((matched, next)) = class(&p, pi, n[ni]) {
                        if matched {
                            ni += 1;
                            pi = next;
                            continue;
                        }
                    } else if n[ni] == '[' {
                        // An unclosed `[` is a literal.
                        ni += 1;
                        pi += 1;
                        continue;
                    }
                }
                c if c == n[ni] => {
                    ni += 1;
                    pi += 1;
                    continue;
                }
                _ => {}
            }
        }
        match star {
            Some((sp, sn)) => {
                pi = sp + 1;
                ni = sn + 1;
                star = Some((sp, sn + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Matches `c` against the set starting at `p[start] == '['`; `None` when the
/// set is not closed. Returns (matched, index after `]`).
fn class(p: &[char], start: usize, c: char) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = matches!(p.get(i), Some('!'));
    if negate {
        i += 1;
    }
    let first = i;
    let mut matched = false;
    loop {
        let ch = *p.get(i)?;
        if ch == ']' && i > first {
            return Some((matched != negate, i + 1));
        }
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|e| *e != ']') {
            let end = p[i + 2];
            if ch <= c && c <= end {
                matched = true;
            }
            i += 3;
        } else {
            if ch == c {
                matched = true;
            }
            i += 1;
        }
    }
}

/// The compiled filters of one command.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// (kind, pattern joined to the source root, pattern joined to the destination root).
    rules: Vec<(FilterKind, String, String)>,
}

fn root(side: &super::path::Side, dir_op: bool) -> String {
    match side.kind {
        Kind::S3 => {
            let (bucket, mut key) = super::path::find_bucket_key(&side.path);
            if !dir_op && !key.ends_with('/') {
                key = match key.rfind('/') {
                    Some(i) => key[..i].to_string(),
                    None => String::new(),
                };
            }
            format!("{bucket}/{key}")
        }
        Kind::Local => {
            let p = side.path.trim_end_matches('/');
            let p = if dir_op || side.path.ends_with('/') {
                p.to_string()
            } else {
                p.rsplit_once('/')
                    .map(|(d, _)| d.to_string())
                    .unwrap_or_default()
            };
            if p.is_empty() {
                "/".into()
            } else {
                p
            }
        }
    }
}

/// Python's `os.path.join(root, pattern)`: an absolute pattern replaces the root.
fn join(root: &str, pattern: &str) -> String {
    if pattern.starts_with('/') {
        pattern.to_string()
    } else if root.ends_with('/') {
        format!("{root}{pattern}")
    } else {
        format!("{root}/{pattern}")
    }
}

impl Filter {
    /// aws-cli's `create_filter`.
    pub fn new(filters: &[(FilterKind, String)], plan: &Plan) -> Filter {
        if filters.is_empty() {
            return Filter::default();
        }
        let src_root = root(&plan.src, plan.dir_op);
        let dst_root = root(&plan.dest, plan.dir_op);
        Filter {
            rules: filters
                .iter()
                .map(|(k, p)| (*k, join(&src_root, p), join(&dst_root, p)))
                .collect(),
        }
    }

    /// Whether a file (its full local path or `bucket/key`) passes the filters.
    pub fn includes(&self, path: &str) -> bool {
        let mut include = true;
        for (kind, src_pat, dst_pat) in &self.rules {
            if fnmatch(path, src_pat) || fnmatch(path, dst_pat) {
                include = *kind == FilterKind::Include;
            }
        }
        include
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::s3::path::plan;

    #[test]
    fn fnmatch_semantics() {
        assert!(fnmatch("/r/a/b.txt", "/r/*.txt"));
        assert!(fnmatch("/r/a.txt", "/r/?.txt"));
        assert!(!fnmatch("/r/ab.txt", "/r/?.txt"));
        assert!(fnmatch("x", "*"));
        assert!(fnmatch("", "*"));
        assert!(!fnmatch("abc", "ab"));
        assert!(fnmatch("a1", "a[0-9]"));
        assert!(!fnmatch("ax", "a[0-9]"));
        assert!(fnmatch("ax", "a[!0-9]"));
        assert!(fnmatch("a]", "a[]]"));
        assert!(fnmatch("a[", "a["));
        assert!(fnmatch("dir/ünï côde.txt", "dir/ü*.txt"));
        assert!(fnmatch("aaa/b", "*a*/b"));
        assert!(!fnmatch("a.TXT", "*.txt"));
    }

    #[test]
    fn later_filters_win_and_roots_apply() {
        let p = plan("s3://bucket/pre", "/tmp/nonexistent-h5/", true);
        let f = Filter::new(
            &[
                (FilterKind::Exclude, "*".into()),
                (FilterKind::Include, "*.txt".into()),
                (FilterKind::Exclude, "skip/*".into()),
            ],
            &p,
        );
        assert!(f.includes("bucket/pre/a.txt"));
        assert!(f.includes("bucket/pre/deep/b.txt"));
        assert!(!f.includes("bucket/pre/a.json"));
        assert!(!f.includes("bucket/pre/skip/c.txt"));
        // Files listed at the destination (sync --delete) match the dest root.
        assert!(!f.includes("/tmp/nonexistent-h5/x.json"));
        assert!(f.includes("/tmp/nonexistent-h5/x.txt"));
        // Patterns are relative to the root: "a*" does not match "sub/a".
        let f = Filter::new(&[(FilterKind::Exclude, "a*".into())], &p);
        assert!(!f.includes("bucket/pre/a1"));
        assert!(f.includes("bucket/pre/sub/a1"));
        assert!(Filter::new(&[], &p).includes("anything"));
    }
}
