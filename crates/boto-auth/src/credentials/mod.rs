//! Credentials and the providers that find them.
//!
//! [`Credentials`] never prints its secret parts: `Debug` shows only the access
//! key id, so a credential can be logged or put in an error safely.

use std::fmt;
use std::time::SystemTime;

/// A set of AWS credentials. Cheap to clone (the strings are shared).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: std::sync::Arc<str>,
    secret_access_key: std::sync::Arc<str>,
    session_token: Option<std::sync::Arc<str>>,
    expiry: Option<SystemTime>,
    provider: &'static str,
}

impl Credentials {
    /// Credentials with no expiry, labelled with the provider that found them.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiry: Option<SystemTime>,
        provider: &'static str,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into().into(),
            secret_access_key: secret_access_key.into().into(),
            session_token: session_token.map(Into::into),
            expiry,
            provider,
        }
    }
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
    pub fn expiry(&self) -> Option<SystemTime> {
        self.expiry
    }
    /// Name of the provider that produced these credentials (e.g. `env`, `shared-credentials-file`).
    pub fn provider(&self) -> &'static str {
        self.provider
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"** redacted **")
            .field("session_token", &self.session_token.as_ref().map(|_| "** redacted **"))
            .field("expiry", &self.expiry)
            .field("provider", &self.provider)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let c = Credentials::new("AKIDEXAMPLE", "s3cr3tKEY", Some("T0KEN".into()), None, "test");
        let s = format!("{c:?}");
        assert!(s.contains("AKIDEXAMPLE"));
        assert!(!s.contains("s3cr3tKEY"));
        assert!(!s.contains("T0KEN"));
    }
}
