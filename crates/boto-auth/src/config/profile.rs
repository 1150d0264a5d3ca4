//! The parsed `~/.aws/config` and `~/.aws/credentials` files as a typed [`ProfileSet`].
//!
//! botocore's `configloader` turns `[profile x]`/`[default]` into profiles,
//! `[sso-session x]` and `[services x]` into their own maps, and folds the
//! credentials file's sections into the profiles (credentials-file values win).
//! The providers need both the merged view and each file on its own (the
//! shared-credentials and config-file providers each read only their file), so
//! all three are kept.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::env::Env;
use super::error::ConfigError;
use super::ini::{parse_ini, parse_nested, IniError};
use super::shlex;

/// A setting's value: plain text, or an indented block of sub-settings
/// (`s3 =\n  addressing_style = path`).
#[derive(Clone, PartialEq, Eq)]
pub enum ConfigValue {
    /// A plain `key = value` value.
    Text(String),
    /// An indented block of sub-settings (`s3 =` followed by `  addressing_style = path`).
    Nested(BTreeMap<String, String>),
}

impl ConfigValue {
    /// The text, if this is not a nested block.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            ConfigValue::Text(s) => Some(s),
            ConfigValue::Nested(_) => None,
        }
    }
    /// The sub-settings, if this is a nested block.
    pub fn as_nested(&self) -> Option<&BTreeMap<String, String>> {
        match self {
            ConfigValue::Nested(m) => Some(m),
            ConfigValue::Text(_) => None,
        }
    }
}

/// Whether a key's value must never be printed.
pub(crate) fn is_sensitive_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("secret")
        || k.ends_with("session_token")
        || k.ends_with("security_token")
        || k == "accesstoken"
}

/// A named group of settings: a profile, an sso-session or a services section.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Section {
    name: String,
    values: BTreeMap<String, ConfigValue>,
}

/// A profile (`[default]` or `[profile name]`, or a credentials-file section).
pub type Profile = Section;

impl Section {
    /// An empty section.
    pub fn new(name: impl Into<String>) -> Self {
        Section {
            name: name.into(),
            values: BTreeMap::new(),
        }
    }
    /// Returns the section with `key` set to a text value.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.values
            .insert(key.into(), ConfigValue::Text(value.into()));
        self
    }
    /// The section's name (without `profile `/`sso-session ` prefix).
    pub fn name(&self) -> &str {
        &self.name
    }
    /// A text value.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).and_then(ConfigValue::as_text)
    }
    /// A raw value (text or nested).
    pub fn value(&self, key: &str) -> Option<&ConfigValue> {
        self.values.get(key)
    }
    /// A value inside a nested block, e.g. `("s3", "addressing_style")`.
    pub fn get_nested(&self, key: &str, sub_key: &str) -> Option<&str> {
        self.values
            .get(key)?
            .as_nested()?
            .get(sub_key)
            .map(String::as_str)
    }
    /// Whether `key` is present (text or nested).
    pub fn contains(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }
    /// All keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }
    fn merge_from(&mut self, other: &Section) {
        for (k, v) in &other.values {
            self.values.insert(k.clone(), v.clone());
        }
    }
}

impl fmt::Debug for Section {
    /// Secret values are shown as `** redacted **`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Redacted<'a>(&'a BTreeMap<String, ConfigValue>);
        impl fmt::Debug for Redacted<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut m = f.debug_map();
                for (k, v) in self.0 {
                    match v {
                        _ if is_sensitive_key(k) => m.entry(k, &"** redacted **"),
                        ConfigValue::Text(t) => m.entry(k, t),
                        ConfigValue::Nested(n) => m.entry(k, n),
                    };
                }
                m.finish()
            }
        }
        f.debug_struct("Section")
            .field("name", &self.name)
            .field("values", &Redacted(&self.values))
            .finish()
    }
}

impl fmt::Debug for ConfigValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigValue::Text(_) => f.write_str("Text(..)"),
            ConfigValue::Nested(m) => f.debug_set().entries(m.keys()).finish(),
        }
    }
}

/// Everything read from the shared config and credentials files.
#[derive(Clone, Default, Debug)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
    config_profiles: BTreeMap<String, Profile>,
    credentials_profiles: BTreeMap<String, Profile>,
    sso_sessions: BTreeMap<String, Section>,
    services: BTreeMap<String, Section>,
    other_sections: BTreeMap<String, Section>,
    config_path: Option<PathBuf>,
    credentials_path: Option<PathBuf>,
}

/// Parses one file into sections, nested blocks expanded.
fn parse_file(text: &str, path: &Path) -> Result<Vec<Section>, ConfigError> {
    let to_err = |e: IniError| ConfigError::Parse {
        path: path.to_path_buf(),
        line: e.line,
        message: e.message,
    };
    let raw = parse_ini(text).map_err(to_err)?;
    let mut out = Vec::with_capacity(raw.len());
    for s in raw {
        let mut section = Section::new(s.name);
        for e in s.entries {
            let value = if e.value.starts_with('\n') {
                ConfigValue::Nested(
                    parse_nested(&e.value, e.line, &e.part_lines)
                        .map_err(to_err)?
                        .into_iter()
                        .collect(),
                )
            } else {
                ConfigValue::Text(e.value)
            };
            section.values.insert(e.key, value);
        }
        out.push(section);
    }
    Ok(out)
}

/// Reads a file; a missing file (or a directory) is `None`, like botocore's `ConfigNotFound`.
fn read_optional(path: &Path) -> Result<Option<String>, ConfigError> {
    if !path.is_file() {
        return Ok(None);
    }
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|e| {
            // Name the line, never the bytes (they may be part of a secret).
            let bad = e.utf8_error().valid_up_to();
            ConfigError::Parse {
                path: path.to_path_buf(),
                line: line_of(e.as_bytes(), bad),
                message: "the line is not valid UTF-8".into(),
            }
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError::Read {
            path: path.to_path_buf(),
            message: e.to_string(),
        }),
    }
}

/// The 1-based line holding byte `at`, counting `\r\n`, `\r` and `\n` as
/// line ends like the parser does.
fn line_of(bytes: &[u8], at: usize) -> usize {
    let before = &bytes[..at.min(bytes.len())];
    let lf = before.iter().filter(|&&b| b == b'\n').count();
    let lone_cr = before
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count();
    1 + lf + lone_cr
}

/// `[profile x]` → `x`, as botocore's `_parse_section` (shlex split, exactly two words).
fn second_word(header: &str) -> Option<String> {
    let mut parts = shlex::split(header)?;
    (parts.len() == 2).then(|| parts.remove(1))
}

impl ProfileSet {
    /// Loads the files named by `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`
    /// (default `~/.aws/config` and `~/.aws/credentials`). Missing files are empty.
    pub fn load(env: &Env) -> Result<ProfileSet, ConfigError> {
        Self::load_files(&env.config_file_path(), &env.credentials_file_path())
    }

    /// Loads the given files. Missing files are treated as empty.
    pub fn load_files(
        config_path: &Path,
        credentials_path: &Path,
    ) -> Result<ProfileSet, ConfigError> {
        let config = read_optional(config_path)?;
        let creds = read_optional(credentials_path)?;
        let mut set = Self::parse_with_paths(
            config.as_deref(),
            config_path,
            creds.as_deref(),
            credentials_path,
        )?;
        set.config_path = config.as_ref().map(|_| config_path.to_path_buf());
        set.credentials_path = creds.as_ref().map(|_| credentials_path.to_path_buf());
        Ok(set)
    }

    /// Parses file contents directly (`None` = file absent).
    pub fn parse(
        config: Option<&str>,
        credentials: Option<&str>,
    ) -> Result<ProfileSet, ConfigError> {
        Self::parse_with_paths(
            config,
            Path::new("<config>"),
            credentials,
            Path::new("<credentials>"),
        )
    }

    fn parse_with_paths(
        config: Option<&str>,
        config_path: &Path,
        credentials: Option<&str>,
        credentials_path: &Path,
    ) -> Result<ProfileSet, ConfigError> {
        let mut set = ProfileSet::default();
        if let Some(text) = config {
            for mut section in parse_file(text, config_path)? {
                let header = section.name.clone();
                let target = if header.starts_with("profile") {
                    second_word(&header).map(|n| (n, &mut set.config_profiles))
                } else if header.starts_with("sso-session") {
                    second_word(&header).map(|n| (n, &mut set.sso_sessions))
                } else if header.starts_with("services") {
                    second_word(&header).map(|n| (n, &mut set.services))
                } else if header == "default" {
                    Some((header, &mut set.config_profiles))
                } else {
                    Some((header, &mut set.other_sections))
                };
                if let Some((name, map)) = target {
                    section.name = name.clone();
                    map.insert(name, section);
                }
            }
        }
        if let Some(text) = credentials {
            for section in parse_file(text, credentials_path)? {
                set.credentials_profiles
                    .insert(section.name.clone(), section);
            }
        }
        set.profiles = set.config_profiles.clone();
        for (name, section) in &set.credentials_profiles {
            set.profiles
                .entry(name.clone())
                .or_insert_with(|| Section::new(name.clone()))
                .merge_from(section);
        }
        Ok(set)
    }

    /// A profile from the merged view (config file + credentials file).
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// Like [`profile`](Self::profile) but a missing profile is an error listing the ones that exist.
    pub fn require_profile(&self, name: &str) -> Result<&Profile, ConfigError> {
        self.profiles
            .get(name)
            .ok_or_else(|| ConfigError::ProfileNotFound {
                profile: name.to_string(),
                available: self.profile_names().map(str::to_string).collect(),
            })
    }

    /// Names of all profiles (merged view), sorted.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// A profile as it appears in the config file alone.
    pub fn config_file_profile(&self, name: &str) -> Option<&Profile> {
        self.config_profiles.get(name)
    }

    /// A section of the credentials file alone.
    pub fn credentials_file_profile(&self, name: &str) -> Option<&Profile> {
        self.credentials_profiles.get(name)
    }

    /// An `[sso-session name]` section.
    pub fn sso_session(&self, name: &str) -> Option<&Section> {
        self.sso_sessions.get(name)
    }

    /// A `[services name]` section.
    pub fn services(&self, name: &str) -> Option<&Section> {
        self.services.get(name)
    }

    /// Any other section of the config file (e.g. `[preview]`), by its full header.
    pub fn other_section(&self, name: &str) -> Option<&Section> {
        self.other_sections.get(name)
    }

    /// The config file that was read, if it existed.
    pub fn config_path(&self) -> Option<&Path> {
        self.config_path.as_deref()
    }

    /// The credentials file that was read, if it existed.
    pub fn credentials_path(&self) -> Option<&Path> {
        self.credentials_path.as_deref()
    }

    /// Inserts or replaces a profile in the merged view and the config-file view.
    pub fn insert_profile(&mut self, profile: Profile) {
        self.config_profiles
            .insert(profile.name.clone(), profile.clone());
        self.profiles.insert(profile.name.clone(), profile);
    }
}

/// Which profile is in effect: the explicit one, else `AWS_DEFAULT_PROFILE` /
/// `AWS_PROFILE`, else `default`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileSelection {
    /// The profile's name (without the `profile ` prefix of the config file's section).
    pub name: String,
    /// True when the caller named the profile (botocore then skips env credentials).
    pub explicit: bool,
    /// True when the name came from the caller or the environment; such a
    /// profile must exist (a missing `default` is fine).
    pub required: bool,
}

impl ProfileSelection {
    /// Picks the profile from an explicit name or the environment.
    pub fn resolve(explicit: Option<&str>, env: &Env) -> ProfileSelection {
        if let Some(name) = explicit {
            return ProfileSelection {
                name: name.to_string(),
                explicit: true,
                required: true,
            };
        }
        match env.profile_name() {
            Some(name) => ProfileSelection {
                name,
                explicit: false,
                required: true,
            },
            None => ProfileSelection {
                name: "default".into(),
                explicit: false,
                required: false,
            },
        }
    }

    /// The profile's settings: an error if it was asked for and is missing, an
    /// empty profile if `default` is simply absent.
    pub fn scoped<'a>(
        &self,
        set: &'a ProfileSet,
    ) -> Result<std::borrow::Cow<'a, Profile>, ConfigError> {
        match set.profile(&self.name) {
            Some(p) => Ok(std::borrow::Cow::Borrowed(p)),
            None if !self.required => Ok(std::borrow::Cow::Owned(Section::new(self.name.clone()))),
            None => set
                .require_profile(&self.name)
                .map(std::borrow::Cow::Borrowed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_profile_map() {
        let config = "[default]\nregion=a\n[profile dev]\nregion=b\ns3 =\n  addressing_style = path\n\
                      [sso-session my]\nsso_region=c\n[services svc]\ns3 =\n  endpoint_url = http://x\n\
                      [preview]\nk=v\n[profile]\nx=1\n[profile \"sp ace\"]\nregion=d\n";
        let creds =
            "[default]\naws_access_key_id=AK\n[dev]\nregion=z\n[other]\naws_access_key_id=B\n";
        let set = ProfileSet::parse(Some(config), Some(creds)).unwrap();
        assert_eq!(set.profile("default").unwrap().get("region"), Some("a"));
        assert_eq!(
            set.profile("default").unwrap().get("aws_access_key_id"),
            Some("AK")
        );
        assert_eq!(set.profile("dev").unwrap().get("region"), Some("z"));
        assert_eq!(
            set.config_file_profile("dev").unwrap().get("region"),
            Some("b")
        );
        assert_eq!(
            set.profile("dev")
                .unwrap()
                .get_nested("s3", "addressing_style"),
            Some("path")
        );
        assert_eq!(set.sso_session("my").unwrap().get("sso_region"), Some("c"));
        assert_eq!(
            set.services("svc")
                .unwrap()
                .get_nested("s3", "endpoint_url"),
            Some("http://x")
        );
        assert_eq!(set.other_section("preview").unwrap().get("k"), Some("v"));
        assert_eq!(set.profile("sp ace").unwrap().get("region"), Some("d"));
        assert_eq!(
            set.profile_names().collect::<Vec<_>>(),
            vec!["default", "dev", "other", "sp ace"]
        );
        let err = set.require_profile("nope").unwrap_err().to_string();
        assert!(
            err.contains("nope") && err.contains("default, dev, other, sp ace"),
            "{err}"
        );
    }

    #[test]
    fn debug_redacts() {
        let set =
            ProfileSet::parse(Some("[default]\naws_secret_access_key=SEKRIT\n"), None).unwrap();
        assert!(!format!("{set:?}").contains("SEKRIT"));
    }
}
