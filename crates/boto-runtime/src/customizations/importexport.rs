//! AWS Import/Export customizations.
//!
//! The importexport model still says `signatureVersion: v2`, but botocore
//! signs it with SigV4: endpoints.json switched it before endpoint rule sets
//! existed, and botocore keeps that with a `choose-signer.importexport`
//! handler unless the caller configured a signature version
//! (`ClientCreator._set_importexport_signature_version`).

use crate::config::SignatureVersion;
use crate::interceptor::{CallInfo, Interceptor};

/// `importexport.sigv4`: botocore `_default_signer_to_sigv4`.
#[derive(Debug, Default)]
pub struct SigV4ByDefault;

impl Interceptor for SigV4ByDefault {
    fn name(&self) -> &'static str {
        "importexport.sigv4"
    }

    fn choose_signature_version(&self, _call: &CallInfo<'_>) -> Option<SignatureVersion> {
        Some(SignatureVersion::V4)
    }
}

#[cfg(test)]
mod tests {
    use crate::config::SignatureVersion;
    use crate::doc_support::client_and_transport;
    use boto_model::{params, Loader};

    #[tokio::test]
    async fn importexport_is_signed_sigv4_unless_configured() {
        if Loader::embedded_file_count() == 0 {
            return;
        }
        let (c, _) = client_and_transport("importexport", &[]);
        let req = c.prepare("ListJobs", params! {}).await.unwrap();
        let auth = req
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("authorization"))
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential="), "{auth}");
        let body = String::from_utf8(req.body.bytes().unwrap().to_vec()).unwrap();
        assert!(!body.contains("SignatureVersion=2"), "{body}");

        // A configured version wins over the customization (v2 here).
        let mut config = c.config().clone();
        config.signature_version = Some(SignatureVersion::V2);
        let c2 = crate::Client::builder("importexport")
            .config(config)
            .credentials(c.credentials_provider().unwrap().clone())
            .build()
            .unwrap();
        let req = c2.prepare("ListJobs", params! {}).await.unwrap();
        let body = String::from_utf8(req.body.bytes().unwrap().to_vec()).unwrap();
        assert!(body.contains("SignatureVersion=2"), "{body}");
    }
}
