//! `file://` and `fileb://` parameter values, as aws-cli's `paramfile.py`.
//!
//! Any parameter value may name a file instead of holding the value: `file://`
//! reads UTF-8 text (for JSON documents, policies, scripts) and `fileb://`
//! reads raw bytes (for blobs). `~` and `$VARS` in the path are expanded like
//! Python's `expanduser`/`expandvars`.

use crate::raw::Raw;

/// Resolves `value` if it starts with a file prefix. `Ok(None)` when it does not.
pub fn resolve(value: &str) -> Result<Option<Raw>, String> {
    let (binary, path) = if let Some(p) = strip_prefix_ci(value, "fileb://") {
        (true, p)
    } else if let Some(p) = strip_prefix_ci(value, "file://") {
        (false, p)
    } else {
        return Ok(None);
    };
    let expanded = expand(path);
    let bytes = std::fs::read(&expanded).map_err(|e| {
        format!(
            "Unable to load paramfile {value}: {}",
            describe_io(&e, &expanded)
        )
    })?;
    if binary {
        return Ok(Some(Raw::Bytes(bytes)));
    }
    match String::from_utf8(bytes) {
        Ok(s) => Ok(Some(Raw::Str(s))),
        Err(_) => Err(format!(
            "Unable to load paramfile ({value}), text contents could not be decoded.  If this is a binary \
             file, please use the fileb:// prefix instead of the file:// prefix."
        )),
    }
}

/// Like [`resolve`] for shorthand `key@=file://...` values; an unreadable file
/// leaves the text as written (the error surfaces when the value is used).
pub fn resolve_lossy(value: &str) -> Option<Raw> {
    resolve(value).ok().flatten()
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn describe_io(e: &std::io::Error, path: &str) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => format!("[Errno 2] No such file or directory: '{path}'"),
        std::io::ErrorKind::PermissionDenied => format!("[Errno 13] Permission denied: '{path}'"),
        _ => format!("{e}: '{path}'"),
    }
}

/// `~` and `$VAR`/`${VAR}` expansion (unknown variables are left as written).
pub fn expand(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut chars = path.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        let rest = &path[i + 1..];
        let (name, consumed) = if let Some(inner) = rest.strip_prefix('{') {
            match inner.find('}') {
                Some(end) => (&inner[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            (&rest[..end], end)
        };
        match (name.is_empty(), std::env::var(name)) {
            (false, Ok(v)) => {
                out.push_str(&v);
                for _ in 0..rest[..consumed].chars().count() {
                    chars.next();
                }
            }
            _ => out.push('$'),
        }
    }
    if out == "~" || out.starts_with("~/") {
        if let Some(home) = std::env::var_os("HOME") {
            return format!("{}{}", home.to_string_lossy(), &out[1..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_text_and_bytes() {
        let dir = std::env::temp_dir().join(format!("boto-cli-pf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.json");
        std::fs::write(&p, b"{\"a\": 1}").unwrap();
        let f = format!("file://{}", p.display());
        assert_eq!(resolve(&f).unwrap(), Some(Raw::Str("{\"a\": 1}".into())));
        let fb = format!("fileb://{}", p.display());
        assert_eq!(
            resolve(&fb).unwrap(),
            Some(Raw::Bytes(b"{\"a\": 1}".to_vec()))
        );
        std::fs::write(&p, [0xff, 0xfe]).unwrap();
        assert!(resolve(&f).unwrap_err().contains("fileb://"));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn missing_file_is_an_error_and_plain_values_pass() {
        let e = resolve("file:///nonexistent/x").unwrap_err();
        assert!(e.contains("No such file or directory"), "{e}");
        assert_eq!(resolve("hello").unwrap(), None);
        assert_eq!(resolve("").unwrap(), None);
    }

    #[test]
    fn expands_vars_and_home() {
        std::env::set_var("BOTO_CLI_PF_TEST", "xyz");
        assert_eq!(
            expand("/a/$BOTO_CLI_PF_TEST/${BOTO_CLI_PF_TEST}"),
            "/a/xyz/xyz"
        );
        assert_eq!(expand("/a/$NOPE_NOT_SET_42/b"), "/a/$NOPE_NOT_SET_42/b");
        assert_eq!(expand("$"), "$");
        assert_eq!(expand("${unterminated"), "${unterminated");
    }
}
