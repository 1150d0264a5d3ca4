//! Updating `~/.aws/config` and `~/.aws/credentials` in place, safely.
//!
//! The edit itself follows aws-cli's `ConfigFileWriter`: existing lines,
//! comments and other sections stay as they are, a key is replaced where it
//! is or added to the end of its section, and a missing section is appended.
//! Around it, three guarantees aws-cli does not give:
//!
//! * **No line injection.** A section name, key or value containing a line
//!   break (`\n` or `\r`, which the reader also treats as one) is refused with
//!   aws-cli's own messages before anything is touched; the value itself is
//!   never echoed. Keys that would read back as something else (`a=b`, `[x]`,
//!   `#x`, leading blanks) are refused too.
//! * **Atomic replacement.** The new contents go to a temporary file in the
//!   same folder which is then renamed over the target, so a reader sees the
//!   old file or the new one, never a half-written one. The target keeps its
//!   permission bits (and, where allowed, its owner); a new file is created
//!   `0600`, as aws-cli creates both files. A symlinked target is followed, so
//!   the link stays a link.
//! * **No lost updates.** Writers take an exclusive advisory lock on a sidecar
//!   file next to the target (`credentials.lock` for `credentials`) and hold it
//!   across read, edit and rename. The lock cannot live on the target itself:
//!   the rename puts a new inode at that path, so a writer queued on the old
//!   inode would wake holding a lock nobody else contends for. The sidecar is
//!   never removed (removing it would reopen the same race).
//!
//! Locking is `flock(2)` on Unix. On Windows the sidecar is opened with no
//! sharing allowed, which excludes other writers the same way; a writer retries
//! for up to 30 seconds. On other platforms there is no lock: writes are still
//! atomic, but two simultaneous writers may lose one update.

use std::fmt;
use std::fs::OpenOptions;
use std::io;
use std::path::{Path, PathBuf};

/// One setting to write: `key = value`, or `sub_key = value` inside the
/// indented block of `key` (`s3 =\n    max_concurrency = 10`).
///
/// `Debug` never shows the value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ConfigSetting<'a> {
    key: &'a str,
    sub_key: Option<&'a str>,
    value: &'a str,
}

impl<'a> ConfigSetting<'a> {
    /// `key = value`.
    pub fn new(key: &'a str, value: &'a str) -> Self {
        ConfigSetting {
            key,
            sub_key: None,
            value,
        }
    }
    /// `sub_key = value` in the nested block of `key`.
    pub fn nested(key: &'a str, sub_key: &'a str, value: &'a str) -> Self {
        ConfigSetting {
            key,
            sub_key: Some(sub_key),
            value,
        }
    }
    /// The key (for a nested setting, the parent key).
    pub fn key(&self) -> &'a str {
        self.key
    }
    /// The key inside the nested block, if any.
    pub fn sub_key(&self) -> Option<&'a str> {
        self.sub_key
    }
}

impl fmt::Debug for ConfigSetting<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigSetting")
            .field("key", &self.key)
            .field("sub_key", &self.sub_key)
            .field("value", &"** redacted **")
            .finish()
    }
}

/// Why a config or credentials file was not updated.
///
/// The `Invalid*` variants display aws-cli's messages word for word. No
/// variant carries a value being written.
#[derive(Debug)]
#[non_exhaustive]
pub enum ConfigWriteError {
    /// The section name contains a line break.
    InvalidSectionName {
        /// The rejected section name.
        name: String,
    },
    /// A key contains a line break.
    InvalidKey {
        /// The rejected key.
        key: String,
    },
    /// A key would not read back as itself (`a=b`, `[x]`, `#x`, surrounding blanks, empty).
    UnwritableKey {
        /// The rejected key.
        key: String,
    },
    /// The section name is empty.
    EmptySectionName,
    /// A value contains a line break; `key` is the top-level key, as aws-cli reports it.
    InvalidValue {
        /// The top-level key whose value was rejected.
        key: String,
    },
    /// Reading, locking or replacing the file failed.
    Io {
        /// The file being written.
        path: PathBuf,
        /// What was being done (`read`, `lock`, `write`, `rename`).
        action: &'static str,
        /// The underlying I/O error.
        source: io::Error,
    },
}

const NO_NEWLINES: &str = "newline characters and carriage returns are not allowed";

impl fmt::Display for ConfigWriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigWriteError::InvalidSectionName { name } => {
                write!(f, "Invalid section name: {NO_NEWLINES}: {}", py_repr(name))
            }
            ConfigWriteError::InvalidKey { key } => {
                write!(f, "Invalid key: {NO_NEWLINES}: {}", py_repr(key))
            }
            ConfigWriteError::UnwritableKey { key } => write!(
                f,
                "Invalid key: a key cannot be empty, contain \"=\" or \":\", start with \"[\", \"#\" \
                 or \";\", or begin or end with whitespace: {}",
                py_repr(key)
            ),
            ConfigWriteError::EmptySectionName => f.write_str("Invalid section name: it is empty"),
            ConfigWriteError::InvalidValue { key } => {
                write!(f, "Invalid value for key {key}: {NO_NEWLINES}.")
            }
            ConfigWriteError::Io {
                path,
                action,
                source,
            } => write!(f, "Unable to {action} {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for ConfigWriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigWriteError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

fn has_line_break(s: &str) -> bool {
    s.contains(['\n', '\r'])
}

/// A key the reader would not give back unchanged from `key = value`.
fn unwritable_key(key: &str) -> bool {
    key.is_empty()
        || key.contains(['=', ':'])
        || key.starts_with(['[', '#', ';'])
        || key.trim() != key
}

/// Checks names, keys and values in aws-cli's order: the section name, then
/// each key followed by its value (a nested key's sub-key before its value).
pub fn validate_settings(
    section: &str,
    settings: &[ConfigSetting<'_>],
) -> Result<(), ConfigWriteError> {
    if has_line_break(section) {
        return Err(ConfigWriteError::InvalidSectionName {
            name: section.to_string(),
        });
    }
    if section.is_empty() {
        return Err(ConfigWriteError::EmptySectionName);
    }
    for s in settings {
        for key in std::iter::once(s.key).chain(s.sub_key) {
            if has_line_break(key) {
                return Err(ConfigWriteError::InvalidKey {
                    key: key.to_string(),
                });
            }
            if unwritable_key(key) {
                return Err(ConfigWriteError::UnwritableKey {
                    key: key.to_string(),
                });
            }
        }
        if has_line_break(s.value) {
            return Err(ConfigWriteError::InvalidValue {
                key: s.key.to_string(),
            });
        }
    }
    Ok(())
}

/// Python's `repr()` of a string, as aws-cli puts names into its messages:
/// single quotes unless the text has `'` and no `"`, backslash escapes for
/// `\\`, the quote, `\t`, `\n`, `\r`, and `\xNN`/`\uNNNN`/`\UNNNNNNNN` for
/// characters Python does not consider printable (control and format
/// characters, separators other than the space, private use).
pub(crate) fn py_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !py_printable(c) => {
                let n = c as u32;
                if n <= 0xff {
                    out.push_str(&format!("\\x{n:02x}"));
                } else if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04x}"));
                } else {
                    out.push_str(&format!("\\U{n:08x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `str.isprintable()` for one character, for the categories Python excludes
/// (Cc, Cf, Co, Zl, Zp, Zs except the space). Unassigned code points are
/// treated as printable.
fn py_printable(c: char) -> bool {
    let n = c as u32;
    !matches!(n,
        0x00..=0x1f | 0x7f..=0xa0 | 0xad
        | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x890..=0x891 | 0x8e2
        | 0x1680 | 0x180e
        | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x2064 | 0x2066..=0x206f
        | 0x3000 | 0xe000..=0xf8ff | 0xfeff | 0xfff9..=0xfffb
        | 0x110bd | 0x110cd | 0x13430..=0x1343f | 0x1bca0..=0x1bca3
        | 0x1d173..=0x1d17a | 0xe0001 | 0xe0020..=0xe007f
        | 0xf0000..=0xffffd | 0x100000..=0x10fffd)
}

// ---------------------------------------------------------------------------
// Editing the text.

/// How the reader (`ini::parse_ini`, Python's `RawConfigParser`) sees a line.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    Blank,
    Comment,
    Header(String),
    /// `key = value` at this indentation (key lower-cased, as the reader stores it).
    Option {
        key: String,
        indent: usize,
    },
    /// A deeper-indented line continuing the value of the option at this index.
    Continuation {
        owner: usize,
    },
    /// Anything the reader would reject; kept as is.
    Other,
}

/// Splits like the reader: `\r\n`, `\r` and `\n` all end a line.
fn split_lines(text: &str) -> Vec<String> {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<String> = normalized.split('\n').map(str::to_owned).collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// Classifies every line with the reader's rules (without its errors).
fn classify(lines: &[String]) -> Vec<Line> {
    let mut out = Vec::with_capacity(lines.len());
    let mut in_section = false;
    let mut option: Option<usize> = None;
    let mut indent_level = 0;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with(['#', ';']) {
            out.push(Line::Comment);
            continue;
        }
        if trimmed.is_empty() {
            out.push(Line::Blank);
            continue;
        }
        let indent = indent_of(line);
        if let Some(owner) = option {
            if indent > indent_level {
                out.push(Line::Continuation { owner });
                continue;
            }
        }
        indent_level = indent;
        if let Some(name) = super::ini::section_header(trimmed) {
            in_section = true;
            option = None;
            out.push(Line::Header(name.to_string()));
            continue;
        }
        match super::ini::split_option(trimmed) {
            Some((key, _)) if in_section && !key.is_empty() => {
                option = Some(i);
                out.push(Line::Option {
                    key: key.to_lowercase(),
                    indent,
                });
            }
            _ => out.push(Line::Other),
        }
    }
    out
}

/// Applies `settings` to the `[section]` of `text` and returns the new text
/// (always `\n` line endings, ending in a newline). Everything else is kept.
///
/// A key is matched case-insensitively, like the reader, so `Region = x`
/// is replaced rather than duplicated; a replaced plain value loses its old
/// continuation lines. Setting a nested value under a key that holds a plain
/// value turns that key into a nested block.
pub fn apply_settings(
    text: &str,
    section: &str,
    settings: &[ConfigSetting<'_>],
) -> Result<String, ConfigWriteError> {
    validate_settings(section, settings)?;
    let mut lines = split_lines(text);
    for s in settings {
        apply_one(&mut lines, section, s);
    }
    let mut out = lines.join("\n");
    out.push('\n');
    Ok(out)
}

fn apply_one(lines: &mut Vec<String>, section: &str, s: &ConfigSetting<'_>) {
    let classes = classify(lines);
    let Some(start) = classes
        .iter()
        .position(|c| matches!(c, Line::Header(n) if n == section))
    else {
        if lines.last().is_some_and(|l| !l.trim().is_empty()) {
            lines.push(String::new());
        }
        lines.push(format!("[{section}]"));
        lines.extend(new_lines(s, 0));
        return;
    };
    let end = classes[start + 1..]
        .iter()
        .position(|c| matches!(c, Line::Header(_)))
        .map_or(lines.len(), |i| start + 1 + i);
    // Where new lines go: after the section's last setting (or its header).
    let last_content = (start + 1..end)
        .rev()
        .find(|&i| matches!(classes[i], Line::Option { .. } | Line::Continuation { .. }))
        .unwrap_or(start);
    let wanted = s.key.to_lowercase();
    let found = (start + 1..end).find_map(|i| match &classes[i] {
        Line::Option { key, indent } if *key == wanted => Some((i, *indent)),
        _ => None,
    });
    let continuations = |owner: usize| -> Vec<usize> {
        (owner + 1..end)
            .filter(|&i| classes[i] == Line::Continuation { owner })
            .collect()
    };
    match (found, s.sub_key) {
        (None, _) => {
            // Indent like the line the reader compares the next lines with,
            // so they keep their meaning (an indented header after a
            // less-indented key would turn into a continuation line).
            let level = match classes[last_content] {
                Line::Option { indent, .. } => indent,
                Line::Continuation { owner } => match classes[owner] {
                    Line::Option { indent, .. } => indent,
                    _ => 0,
                },
                _ => indent_of(&lines[last_content]),
            };
            let next_header = if end < lines.len() {
                indent_of(&lines[end])
            } else {
                0
            };
            let at = last_content + 1;
            lines.splice(at..at, new_lines(s, level.max(next_header)));
        }
        (Some((i, indent)), None) => {
            // Drop the old value's continuation lines (and blank or comment
            // lines between them), then rewrite the key line.
            if let Some(&last) = continuations(i).last() {
                lines.drain(i + 1..=last);
            }
            lines[i] = format!("{}{} = {}", " ".repeat(indent), s.key, s.value);
        }
        (Some((i, indent)), Some(sub)) => {
            if super::ini::split_option(lines[i].trim()).is_some_and(|(_, v)| !v.is_empty()) {
                lines[i] = format!("{}{} =", " ".repeat(indent), s.key);
            }
            let block = continuations(i);
            let existing = block.iter().copied().find(|&j| {
                lines[j]
                    .trim()
                    .split_once('=')
                    .is_some_and(|(k, _)| k.trim() == sub)
            });
            match existing {
                Some(j) => {
                    let pad = indent_of(&lines[j]);
                    lines[j] = format!("{}{sub} = {}", " ".repeat(pad), s.value);
                }
                None => {
                    let pad = block.first().map_or(indent + 4, |&j| indent_of(&lines[j]));
                    let at = block.last().map_or(i, |&j| j) + 1;
                    lines.insert(at, format!("{}{sub} = {}", " ".repeat(pad), s.value));
                }
            }
        }
    }
}

/// The lines for a setting written from scratch, indented by `pad` spaces.
fn new_lines(s: &ConfigSetting<'_>, pad: usize) -> Vec<String> {
    let pad = " ".repeat(pad);
    match s.sub_key {
        None => vec![format!("{pad}{} = {}", s.key, s.value)],
        Some(sub) => vec![
            format!("{pad}{} =", s.key),
            format!("{pad}    {sub} = {}", s.value),
        ],
    }
}

// ---------------------------------------------------------------------------
// Writing the file.

/// Sets `settings` in `[section]` of the file at `path`, creating the file
/// (`0600`) and its folder (`0700`) if needed. See the module docs for the
/// validation, atomicity and locking this provides.
pub fn update_config_file(
    path: &Path,
    section: &str,
    settings: &[ConfigSetting<'_>],
) -> Result<(), ConfigWriteError> {
    validate_settings(section, settings)?;
    let target = resolve_symlinks(path);
    let io_err = |action: &'static str, p: &Path| {
        let p = p.to_path_buf();
        move |source: io::Error| ConfigWriteError::Io {
            path: p,
            action,
            source,
        }
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        create_private_dir(&dir).map_err(io_err("create the folder", &dir))?;
    }
    let name = target
        .file_name()
        .ok_or_else(|| ConfigWriteError::Io {
            path: target.clone(),
            action: "write",
            source: io::Error::new(io::ErrorKind::InvalidInput, "not a file name"),
        })?
        .to_string_lossy()
        .into_owned();
    // `/dev/null`, a FIFO or a folder must not be replaced by a regular file
    // (or read: a FIFO would block). Checked before creating the lock file
    // next to it, and again once the lock is held.
    let regular_or_missing = || match std::fs::metadata(&target) {
        Ok(m) if !m.is_file() => Err(ConfigWriteError::Io {
            path: target.clone(),
            action: "update",
            source: io::Error::new(io::ErrorKind::InvalidInput, "it is not a regular file"),
        }),
        _ => Ok(()),
    };
    regular_or_missing()?;
    let lock_path = dir.join(format!("{name}.lock"));
    let _lock = lock::acquire(&lock_path).map_err(io_err("lock", &lock_path))?;
    regular_or_missing()?;

    let (existing, meta) = match std::fs::read(&target) {
        Ok(bytes) => {
            let meta = std::fs::metadata(&target).map_err(io_err("read", &target))?;
            let text = String::from_utf8(bytes).map_err(|_| ConfigWriteError::Io {
                path: target.clone(),
                action: "update",
                source: io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the file is not valid UTF-8; it was left unchanged",
                ),
            })?;
            (text, Some(meta))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => (String::new(), None),
        Err(e) => return Err(io_err("read", &target)(e)),
    };
    if meta.is_some() {
        // Writing in place would fail on a file we may not write (aws-cli
        // gets EACCES); the rename would not, so ask first.
        OpenOptions::new()
            .write(true)
            .open(&target)
            .map_err(io_err("write", &target))?;
    }
    let text = apply_settings(&existing, section, settings)?;
    replace_file(&dir, &name, &target, text.as_bytes(), meta.as_ref())
        .map_err(io_err("write", &target))
}

mod files;
mod lock;
use files::{create_private_dir, replace_file, resolve_symlinks};

#[cfg(test)]
mod tests;
