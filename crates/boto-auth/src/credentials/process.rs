//! `credential_process`: run a command and read credentials from its JSON output.
//!
//! The command line is split like a POSIX shell would (botocore uses
//! `shlex.split`) and run without a shell. The output must be
//! `{"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken"?,
//! "Expiration"?, "AccountId"?}`. A non-zero exit reports the command's stderr.
//! stdout is never echoed into errors because it holds secrets.

use std::process::Stdio;
use std::sync::Arc;

use serde_json::Value;

use super::time::parse_timestamp;
use super::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use crate::config::{shlex, ProfileSet};

/// Runs the profile's `credential_process`.
#[derive(Debug, Clone)]
pub struct ProcessProvider {
    profiles: Arc<ProfileSet>,
    profile: String,
}

const NAME: &str = "custom-process";

fn fail(msg: impl Into<String>) -> CredentialsError {
    CredentialsError::failed(NAME, msg)
}

impl ProcessProvider {
    /// The provider name carried by the credentials it returns ([`Credentials::provider`](crate::credentials::Credentials::provider)), and shown by `--debug`.
    pub const NAME: &'static str = NAME;

    /// Runs `profile`'s `credential_process` and reads its JSON output.
    pub fn new(profiles: Arc<ProfileSet>, profile: impl Into<String>) -> Self {
        ProcessProvider {
            profiles,
            profile: profile.into(),
        }
    }

    /// Parses the command's stdout (exposed for tests of the JSON contract).
    pub fn parse_output(
        stdout: &[u8],
        profile_account_id: Option<&str>,
    ) -> Result<Credentials, CredentialsError> {
        let parsed: Value = serde_json::from_slice(stdout)
            .map_err(|e| fail(format!("the command's output is not valid JSON ({e})")))?;
        let version = parsed.get("Version");
        if version.and_then(Value::as_f64) != Some(1.0) {
            let shown = version.map_or("<Version key not provided>".to_string(), |v| v.to_string());
            return Err(fail(format!(
                "unsupported version '{shown}' for credential process provider, supported versions: 1"
            )));
        }
        let required = |key: &str| {
            parsed
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| fail(format!("missing required key in response: '{key}'")))
        };
        let access_key = required("AccessKeyId")?;
        let secret = required("SecretAccessKey")?;
        let token = parsed
            .get("SessionToken")
            .and_then(Value::as_str)
            .map(str::to_string);
        let expiry = match parsed.get("Expiration") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => {
                Some(parse_timestamp(s).ok_or_else(|| {
                    fail(format!("Expiration is not an ISO 8601 timestamp: {s:?}"))
                })?)
            }
            Some(other) => return Err(fail(format!("Expiration must be a string, got {other}"))),
        };
        let account = parsed
            .get("AccountId")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .or(profile_account_id)
            .map(str::to_string);
        Ok(Credentials::new(access_key, secret, token, expiry, NAME).with_account_id(account))
    }
}

impl ProvideCredentials for ProcessProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let profile = self.profiles.profile(&self.profile);
            let Some(command) = profile.and_then(|p| p.get("credential_process")) else {
                return Err(CredentialsError::not_loaded(
                    NAME,
                    "no credential_process in the profile",
                ));
            };
            let Some(argv) = shlex::split(command).filter(|a| !a.is_empty()) else {
                return Err(CredentialsError::invalid_config(
                    NAME,
                    format!(
                        "credential_process of profile \"{}\" is not a valid command line",
                        self.profile
                    ),
                ));
            };
            let output = tokio::process::Command::new(&argv[0])
                .args(&argv[1..])
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .kill_on_drop(true)
                .output()
                .await
                .map_err(|e| fail(format!("could not run {:?}: {e}", argv[0])))?;
            if !output.status.success() {
                let stderr = String::from_utf8_lossy(&output.stderr);
                let stderr: String = stderr.trim().chars().take(2000).collect();
                return Err(fail(format!(
                    "the command exited with {}: {stderr}",
                    output.status
                )));
            }
            Self::parse_output(
                &output.stdout,
                profile.and_then(|p| p.get("aws_account_id")),
            )
        })
    }
    fn name(&self) -> &'static str {
        NAME
    }
}
