//! Paths of `boto s3`: `s3://bucket/key` URIs, local paths, and where each
//! source file lands.
//!
//! Replaces aws-cli's `FileFormat` (`fileformat.py`), `find_bucket_key`,
//! `split_s3_bucket_key`, `find_dest_path_comp_key` and `relative_path`
//! (`utils.py`), the path checks of `CommandParameters` (`subcommands.py`)
//! and the download-side `_warn_parent_reference` (`s3handler.py`). Local
//! paths are normalised lexically like Python's `os.path.abspath`; nothing
//! here touches the file system except `exists`/`is_dir` checks.

use crate::error::CliError;

/// Where a path points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Local,
    S3,
}

/// One side of a transfer, formatted the way aws-cli's `FileFormat` does:
/// S3 paths are `bucket/key...` (no `s3://`), local paths are absolute; a
/// directory-like path ends with `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub kind: Kind,
    pub path: String,
}

/// Source and destination of a command (aws-cli's `files` dict).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub src: Side,
    pub dest: Side,
    pub dir_op: bool,
    pub use_src_name: bool,
}

/// `bucket/key` → (`bucket`, `key`); access-point ARNs keep their `/` inside the bucket.
pub fn find_bucket_key(path: &str) -> (String, String) {
    if path.starts_with("arn:") {
        if let Some(idx) = path
            .find(":accesspoint/")
            .or_else(|| path.find(":accesspoint:"))
        {
            let after = idx + ":accesspoint/".len();
            let rest = &path[after..];
            let (name, key) = rest.split_once('/').unwrap_or((rest, ""));
            return (format!("{}{name}", &path[..after]), key.to_string());
        }
    }
    match path.split_once('/') {
        Some((b, k)) => (b.to_string(), k.to_string()),
        None => (path.to_string(), String::new()),
    }
}

/// `s3://bucket/key` (or `bucket/key`) → (`bucket`, `key`).
pub fn split_s3(path: &str) -> (String, String) {
    find_bucket_key(path.strip_prefix("s3://").unwrap_or(path))
}

/// Python's `os.path.normpath` for POSIX paths.
pub fn normpath(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            c => parts.push(c),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

fn cwd() -> String {
    std::env::current_dir()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "/".into())
}

/// Python's `os.path.abspath`.
pub fn abspath(path: &str) -> String {
    if path.starts_with('/') {
        normpath(path)
    } else {
        normpath(&format!("{}/{path}", cwd()))
    }
}

/// Python's `os.path.relpath(path, start)` for absolute, normalised inputs.
fn relpath(path: &str, start: &str) -> String {
    let p: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let s: Vec<&str> = start.split('/').filter(|s| !s.is_empty()).collect();
    let common = p.iter().zip(&s).take_while(|(a, b)| a == b).count();
    let mut out: Vec<&str> = vec![".."; s.len() - common];
    out.extend(&p[common..]);
    if out.is_empty() {
        ".".into()
    } else {
        out.join("/")
    }
}

/// aws-cli's `relative_path`: the file's directory relative to the current
/// directory, then its name (`./a`, `../x/b`, `sub/c`).
pub fn relative_path(filename: &str) -> String {
    let (dir, base) = match filename.rfind('/') {
        Some(i) => (&filename[..i], &filename[i + 1..]),
        None => ("", filename),
    };
    let dir = if dir.is_empty() && filename.starts_with('/') {
        "/"
    } else {
        dir
    };
    let rel = relpath(&abspath(if dir.is_empty() { "." } else { dir }), &cwd());
    format!("{rel}/{base}")
}

fn format_side(raw: &str, dir_op: bool) -> (Side, bool) {
    if let Some(p) = raw.strip_prefix("s3://") {
        let mut path = p.to_string();
        if dir_op && !path.ends_with('/') {
            path.push('/');
        }
        let use_src_name = path.ends_with('/');
        (
            Side {
                kind: Kind::S3,
                path,
            },
            use_src_name,
        )
    } else {
        let mut full = abspath(raw);
        let is_dir = std::path::Path::new(&full).is_dir();
        let use_src_name = is_dir || dir_op || raw.ends_with('/');
        if use_src_name && !full.ends_with('/') {
            full.push('/');
        }
        (
            Side {
                kind: Kind::Local,
                path: full,
            },
            use_src_name,
        )
    }
}

/// aws-cli's `FileFormat.format`.
pub fn plan(src: &str, dest: &str, dir_op: bool) -> Plan {
    let (src, _) = format_side(src, dir_op);
    let (dest, use_src_name) = format_side(dest, dir_op);
    Plan {
        src,
        dest,
        dir_op,
        use_src_name,
    }
}

impl Plan {
    /// aws-cli's `find_dest_path_comp_key`: where `src_path` lands and the
    /// key sync compares on (`/`-separated, relative to the source root).
    pub fn dest_and_compare_key(&self, src_path: &str) -> (String, String) {
        let rel = if self.dir_op {
            src_path
                .get(self.src.path.len()..)
                .unwrap_or("")
                .to_string()
        } else {
            src_path.rsplit('/').next().unwrap_or(src_path).to_string()
        };
        let dest = if self.use_src_name {
            format!("{}{rel}", self.dest.path)
        } else {
            self.dest.path.clone()
        };
        (dest, rel)
    }
}

/// The type of a command's paths: `locals3`, `s3local`, `s3s3`, `s3`; others are refused.
pub fn check_path_type(cmd: &str, usage: &str, paths: &[String]) -> Result<String, CliError> {
    let t: String = paths
        .iter()
        .map(|p| {
            if p.starts_with("s3://") {
                "s3"
            } else {
                "local"
            }
        })
        .collect();
    let ok = match t.as_str() {
        "s3s3" | "s3local" | "locals3" => ["cp", "sync", "mv"].contains(&cmd),
        "s3" => ["mb", "rb", "rm"].contains(&cmd),
        _ => false,
    };
    if ok {
        Ok(t)
    } else {
        Err(CliError::param(format!(
            "usage: boto s3 {cmd} {usage}\nError: Invalid argument type"
        )))
    }
}

/// aws-cli's `_warn_parent_reference`: a key that, joined to the destination
/// directory, would climb out of it. Returns the warning to print.
pub fn parent_reference_warning(compare_key: &str) -> Option<String> {
    let normalized = normpath(&format!("./{compare_key}"));
    (normalized == ".." || normalized.starts_with("../")).then(|| {
        format!("warning: Skipping file {compare_key}. File references a parent directory.")
    })
}

/// The local file a download writes: `dest` normalised, refused unless it is
/// inside `root` (a second line of defence after [`parent_reference_warning`]).
pub fn safe_local_dest(root: &str, dest: &str) -> Option<String> {
    let root = normpath(root);
    let d = normpath(dest);
    if dest.contains('\0') {
        return None;
    }
    let inside = d.starts_with(&format!("{}/", root.trim_end_matches('/'))) || root == "/";
    inside.then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_and_key() {
        assert_eq!(split_s3("s3://b/k/x"), ("b".into(), "k/x".into()));
        assert_eq!(split_s3("s3://b"), ("b".into(), "".into()));
        assert_eq!(split_s3("s3://b/"), ("b".into(), "".into()));
        let arn = "arn:aws:s3:us-west-2:123456789012:accesspoint/ap/key/x";
        assert_eq!(
            find_bucket_key(arn),
            (
                "arn:aws:s3:us-west-2:123456789012:accesspoint/ap".into(),
                "key/x".into()
            )
        );
    }

    #[test]
    fn normpath_like_python() {
        assert_eq!(normpath("./a/../../x"), "../x");
        assert_eq!(normpath(".//abs"), "abs");
        assert_eq!(normpath("/a/./b/../c/"), "/a/c");
        assert_eq!(normpath("/../x"), "/x");
        assert_eq!(normpath(""), ".");
        assert_eq!(normpath("a/.."), ".");
    }

    #[test]
    fn parent_references_are_refused() {
        for k in ["../evil", "a/../../evil", "..", "x/../../../etc/passwd"] {
            assert!(parent_reference_warning(k).is_some(), "{k}");
        }
        for k in ["/abs", "a/../b", "ok/file", "..file", "a..b/c"] {
            assert!(parent_reference_warning(k).is_none(), "{k}");
        }
        assert_eq!(
            parent_reference_warning("../evil").unwrap(),
            "warning: Skipping file ../evil. File references a parent directory."
        );
        assert_eq!(safe_local_dest("/t/", "/t//abs").as_deref(), Some("/t/abs"));
        assert_eq!(safe_local_dest("/t/", "/t/a/../../x"), None);
        assert_eq!(safe_local_dest("/t/", "/t/../t2/x"), None);
        assert_eq!(safe_local_dest("/t/", "/t/a\0b"), None);
    }

    #[test]
    fn plans_and_destinations() {
        let p = plan("s3://b/pre", "/tmp/x-does-not-exist/", true);
        assert_eq!(p.src.path, "b/pre/");
        assert!(p.use_src_name);
        assert_eq!(
            p.dest_and_compare_key("b/pre/d/f.txt"),
            ("/tmp/x-does-not-exist/d/f.txt".into(), "d/f.txt".into())
        );
        let p = plan("/tmp/x-does-not-exist/a.txt", "s3://b/k", false);
        assert!(!p.use_src_name);
        assert_eq!(
            p.dest_and_compare_key("/tmp/x-does-not-exist/a.txt"),
            ("b/k".into(), "a.txt".into())
        );
        let p = plan("/tmp/x-does-not-exist/a.txt", "s3://b/", false);
        assert_eq!(
            p.dest_and_compare_key("/tmp/x-does-not-exist/a.txt").0,
            "b/a.txt"
        );
    }

    #[test]
    fn path_types() {
        let v = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            check_path_type("cp", "", &v(&["a", "s3://b"])).unwrap(),
            "locals3"
        );
        assert!(check_path_type("cp", "", &v(&["a", "b"])).is_err());
        assert!(check_path_type("rm", "", &v(&["a"])).is_err());
        assert!(check_path_type("sync", "", &v(&["s3://a", "s3://b"])).is_ok());
    }

    #[test]
    fn relpaths() {
        assert_eq!(relpath("/a/b/c", "/a"), "b/c");
        assert_eq!(relpath("/a", "/a/b"), "..");
        assert_eq!(relpath("/x/y", "/a/b"), "../../x/y");
        assert_eq!(relpath("/a", "/a"), ".");
    }
}
