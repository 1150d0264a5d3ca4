//! A snapshot of environment variables plus a home directory.
//!
//! Every lookup in [`crate::config`] and [`crate::credentials`] goes through
//! [`Env`] instead of `std::env`, so tests (and embedders) can inject variables
//! and a home directory without touching the process environment, and a
//! session sees one consistent view even if the process environment changes.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Environment variables and the home directory used to expand `~`.
#[derive(Clone, Default)]
pub struct Env {
    vars: Arc<HashMap<String, String>>,
    home: Option<PathBuf>,
}

impl Env {
    /// A snapshot of the current process environment (non-UTF-8 entries are skipped).
    ///
    /// Sessions made while the environment stays the same share one snapshot
    /// (the last one taken, compared by value), so a process with many
    /// sessions keeps one copy of its environment, not one per session.
    pub fn from_process() -> Self {
        static LAST: std::sync::Mutex<Option<Arc<HashMap<String, String>>>> =
            std::sync::Mutex::new(None);
        let vars: HashMap<String, String> = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        let mut last = LAST
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let vars = match &*last {
            Some(shared) if **shared == vars => shared.clone(),
            _ => {
                let fresh = Arc::new(vars);
                *last = Some(fresh.clone());
                fresh
            }
        };
        Env { vars, home: None }
    }

    /// An environment holding exactly these variables.
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Env {
            vars: Arc::new(
                vars.into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            ),
            home: None,
        }
    }

    /// Returns a copy with `key` set to `value`.
    pub fn with_var(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        Arc::make_mut(&mut self.vars).insert(key.into(), value.into());
        self
    }

    /// Returns a copy with `key` removed.
    pub fn without_var(mut self, key: &str) -> Self {
        Arc::make_mut(&mut self.vars).remove(key);
        self
    }

    /// Returns a copy whose home directory is `home` (overrides `HOME`/`USERPROFILE`).
    pub fn with_home(mut self, home: impl Into<PathBuf>) -> Self {
        self.home = Some(home.into());
        self
    }

    /// The value of a variable, if set (possibly empty).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars.get(key).map(String::as_str)
    }

    /// The value of a variable if it is set and not empty.
    pub fn get_non_empty(&self, key: &str) -> Option<&str> {
        self.get(key).filter(|v| !v.is_empty())
    }

    /// The first of `keys` that is set.
    pub fn get_first(&self, keys: &[&str]) -> Option<(&str, String)> {
        keys.iter().find_map(|k| {
            self.vars
                .get_key_value(*k)
                .map(|(k, v)| (k.as_str(), v.clone()))
        })
    }

    /// The home directory: the injected one, else `HOME`, else `USERPROFILE`.
    pub fn home_dir(&self) -> Option<PathBuf> {
        if let Some(h) = &self.home {
            return Some(h.clone());
        }
        self.get_non_empty("HOME")
            .or_else(|| self.get_non_empty("USERPROFILE"))
            .map(PathBuf::from)
    }

    /// Expands `$VAR`/`${VAR}` (unknown variables are left as written) and then
    /// a leading `~` or `~/`, like Python's `expandvars` + `expanduser`.
    pub fn expand_path(&self, path: &str) -> PathBuf {
        let expanded = self.expand_vars(path);
        if expanded == "~" || expanded.starts_with("~/") || expanded.starts_with("~\\") {
            if let Some(home) = self.home_dir() {
                let rest = expanded[1..].trim_start_matches(['/', '\\']);
                return if rest.is_empty() {
                    home
                } else {
                    home.join(rest)
                };
            }
        }
        PathBuf::from(expanded)
    }

    fn expand_vars(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(pos) = rest.find('$') {
            out.push_str(&rest[..pos]);
            let after = &rest[pos + 1..];
            let (name, consumed) = if let Some(braced) = after.strip_prefix('{') {
                match braced.find('}') {
                    Some(end) => (&braced[..end], end + 2),
                    None => ("", 0),
                }
            } else {
                let end = after
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], end)
            };
            match (name.is_empty(), self.get(name)) {
                (false, Some(v)) => out.push_str(v),
                _ => out.push_str(&rest[pos..pos + 1 + consumed]),
            }
            rest = &after[consumed..];
        }
        out.push_str(rest);
        out
    }

    /// `AWS_CONFIG_FILE`, else `~/.aws/config`, expanded.
    pub fn config_file_path(&self) -> PathBuf {
        self.expand_path(self.get("AWS_CONFIG_FILE").unwrap_or("~/.aws/config"))
    }

    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`, expanded.
    pub fn credentials_file_path(&self) -> PathBuf {
        self.expand_path(
            self.get("AWS_SHARED_CREDENTIALS_FILE")
                .unwrap_or("~/.aws/credentials"),
        )
    }

    /// The profile named by `AWS_DEFAULT_PROFILE`, else `AWS_PROFILE` (botocore's order).
    pub fn profile_name(&self) -> Option<String> {
        self.get_first(&["AWS_DEFAULT_PROFILE", "AWS_PROFILE"])
            .map(|(_, v)| v)
    }
}

impl fmt::Debug for Env {
    /// Only variable names are shown: values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut names: Vec<&str> = self.vars.keys().map(String::as_str).collect();
        names.sort_unstable();
        f.debug_struct("Env")
            .field("vars", &names)
            .field("home", &self.home)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn process_snapshots_are_shared_while_the_environment_is_unchanged() {
        // No test in this crate changes the process environment.
        let (a, b) = (Env::from_process(), Env::from_process());
        assert!(Arc::ptr_eq(&a.vars, &b.vars));
        assert_eq!(a.get("PATH"), std::env::var("PATH").ok().as_deref());
        // A copy-on-write change does not leak into the shared snapshot.
        let c = b.with_var("BOTO_RS_ENV_TEST", "1");
        assert_eq!(c.get("BOTO_RS_ENV_TEST"), Some("1"));
        assert_eq!(Env::from_process().get("BOTO_RS_ENV_TEST"), None);
    }

    #[test]
    fn expands_vars_and_home() {
        let env = Env::from_vars([("X", "abc")]).with_home("/h");
        assert_eq!(
            env.expand_path("~/a/$X/${X}/$NOPE"),
            PathBuf::from("/h/a/abc/abc/$NOPE")
        );
        assert_eq!(env.expand_path("~"), PathBuf::from("/h"));
        assert_eq!(env.expand_path("~bob/x"), PathBuf::from("~bob/x"));
        assert_eq!(env.expand_path("a$"), PathBuf::from("a$"));
        assert_eq!(env.expand_path("${X"), PathBuf::from("${X"));
    }

    #[test]
    fn profile_env_order() {
        let env = Env::from_vars([("AWS_PROFILE", "b"), ("AWS_DEFAULT_PROFILE", "a")]);
        assert_eq!(env.profile_name().as_deref(), Some("a"));
    }
}
