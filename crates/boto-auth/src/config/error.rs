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
        /// The file being parsed.
        path: PathBuf,
        /// The 1-based line of the problem.
        line: usize,
        /// What is wrong (never the line's text, which may hold a secret).
        message: String,
    },
    /// A file exists but could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error's description.
        message: String,
    },
    /// The selected profile does not exist.
    ProfileNotFound {
        /// The profile that was asked for.
        profile: String,
        /// The profiles the files define, for the message.
        available: Vec<String>,
    },
    /// The configuration is inconsistent or incomplete.
    Invalid {
        /// What is inconsistent or missing.
        message: String,
    },
    /// A setting has a value outside its allowed set.
    InvalidValue {
        /// The setting's name (`retry_mode`, `max_attempts`, ...).
        setting: &'static str,
        /// The value found.
        value: String,
        /// Where it was found (argument, environment variable or profile key).
        source: String,
        /// What was expected instead (the allowed values or a type).
        expected: String,
    },
    /// A setting's value was refused with botocore's own message for it
    /// (`account_id_endpoint_mode`, `endpoint_discovery_enabled`, ...).
    Rejected {
        /// The setting's name.
        setting: &'static str,
        /// Where the value was found (argument, environment variable or profile key).
        source: String,
        /// botocore's message, shown as it is.
        message: String,
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
            ConfigError::Rejected { message, .. } => f.write_str(message),
        }
    }
}

impl std::error::Error for ConfigError {}
