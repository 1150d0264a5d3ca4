//! Errors from reading shared config files and resolving settings.
//!
//! Every variant names where the problem is (file and line, profile, setting
//! and its source) so a user can fix it without guessing. Values of settings
//! are included only for non-secret settings, and a parse error never quotes
//! the file: it gives the line number and what is wrong with the line.

use std::fmt;
use std::path::PathBuf;

/// A problem with configuration files or values.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A file could not be parsed (or is not UTF-8) at a 1-based `line`.
    /// `message` describes the problem and never contains text from the file.
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// A file exists but could not be read.
    Read { path: PathBuf, message: String },
    /// The selected profile does not exist.
    ProfileNotFound {
        profile: String,
        available: Vec<String>,
    },
    /// The configuration is inconsistent or incomplete.
    Invalid { message: String },
    /// A setting has a value outside its allowed set.
    InvalidValue {
        setting: &'static str,
        value: String,
        source: String,
        expected: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Parse {
                path,
                line,
                message,
            } => {
                write!(
                    f,
                    "unable to parse config file {} at line {line}: {message}",
                    path.display()
                )
            }
            ConfigError::Read { path, message } => {
                write!(
                    f,
                    "unable to read config file {}: {message}",
                    path.display()
                )
            }
            ConfigError::ProfileNotFound { profile, available } => {
                write!(f, "the config profile ({profile}) could not be found; ")?;
                if available.is_empty() {
                    write!(f, "no profiles are defined")
                } else {
                    write!(f, "available profiles: {}", available.join(", "))
                }
            }
            ConfigError::Invalid { message } => write!(f, "invalid configuration: {message}"),
            ConfigError::InvalidValue {
                setting,
                value,
                source,
                expected,
            } => {
                write!(
                    f,
                    "invalid value {value:?} for {setting} (from {source}); expected {expected}"
                )
            }
        }
    }
}

impl std::error::Error for ConfigError {}
