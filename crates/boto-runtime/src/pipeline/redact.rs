//! Secrets out of logs: the header values `--debug`, tracing and error
//! reports never show (botocore logs headers as sent; aws-cli's `--debug`
//! prints the `Authorization` header, boto-rs does not).

/// Header names whose values never appear in logs.
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "x-amz-security-token",
    // S3 Express session token (directory buckets).
    "x-amz-s3session-token",
    "x-amz-server-side-encryption-customer-key",
    "x-amz-copy-source-server-side-encryption-customer-key",
    // SSO GetRoleCredentials / Logout carry the access token in this header.
    "x-amz-sso_bearer_token",
];

/// Headers with credentials and signatures replaced, for logs and `--debug`.
pub fn redact_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let secret = SECRET_HEADERS.iter().any(|s| k.eq_ignore_ascii_case(s));
            (
                k.clone(),
                if secret {
                    "<redacted>".to_string()
                } else {
                    v.clone()
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redaction_hides_credentials() {
        let h = vec![
            (
                "Authorization".to_string(),
                "AWS4-HMAC-SHA256 Credential=AKID/..., Signature=abc".to_string(),
            ),
            ("X-Amz-Security-Token".to_string(), "TOKEN".to_string()),
            (
                "x-amz-s3session-token".to_string(),
                "SESSIONTOK".to_string(),
            ),
            ("Host".to_string(), "example.com".to_string()),
        ];
        let r = format!("{:?}", redact_headers(&h));
        assert!(!r.contains("Signature=abc") && !r.contains("TOKEN") && !r.contains("SESSIONTOK"));
        assert!(r.contains("example.com"));
    }
}
