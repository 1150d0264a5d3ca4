//! S3 presigned POST (`generate_presigned_post` / `S3SigV4PostAuth`).
//!
//! A browser upload form cannot carry an `Authorization` header, so S3 signs a
//! base64 *policy document* instead: the form fields plus the conditions the
//! upload must meet. The policy is serialised exactly as Python's
//! `json.dumps` would (`", "`/`": "` separators, ASCII-only escapes) so the
//! fields match boto3's for the same inputs.

use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

use super::canonical::credential_scope;
use super::key_cache::{sign_hex, signing_key};
use super::request::SigningParams;
use super::time::UtcTime;
use super::{SigningError, ALGORITHM, DEFAULT_PRESIGN_EXPIRY_SECS};
use crate::Credentials;

const FILENAME_VAR: &str = "${filename}";

/// What to presign: target URL, bucket, key and any extra fields/conditions.
#[derive(Clone, PartialEq)]
pub struct PresignedPostInput {
    /// The bucket's endpoint URL the form posts to (from endpoint resolution).
    pub url: String,
    /// Bucket name, added as a `{"bucket": ...}` condition.
    pub bucket: String,
    /// Object key; a trailing `${filename}` turns the key condition into a prefix match.
    pub key: String,
    /// Prefilled form fields, in order (e.g. `acl`, `Content-Type`).
    pub fields: Vec<(String, String)>,
    /// Extra policy conditions, e.g. `{"acl": "public-read"}` or
    /// `["content-length-range", 2, 5]`.
    pub conditions: Vec<Value>,
    /// How long the policy is valid (boto3's `ExpiresIn`, default 3600 s).
    pub expires_in: Duration,
}

impl PresignedPostInput {
    /// Input with no extra fields or conditions and the default validity.
    pub fn new(url: impl Into<String>, bucket: impl Into<String>, key: impl Into<String>) -> Self {
        PresignedPostInput {
            url: url.into(),
            bucket: bucket.into(),
            key: key.into(),
            fields: Vec::new(),
            conditions: Vec::new(),
            expires_in: Duration::from_secs(DEFAULT_PRESIGN_EXPIRY_SECS),
        }
    }

    /// Add a prefilled form field (replacing one of the same name).
    pub fn field(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        set_field(&mut self.fields, name.into(), value.into());
        self
    }

    /// Add a policy condition.
    pub fn condition(mut self, condition: Value) -> Self {
        self.conditions.push(condition);
        self
    }

    /// Set the validity.
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }
}

impl fmt::Debug for PresignedPostInput {
    // Field values and conditions are user data; print their names and count only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.fields.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("PresignedPostInput")
            .field("url", &self.url)
            .field("bucket", &self.bucket)
            .field("key", &self.key)
            .field("field_names", &names)
            .field("conditions", &self.conditions.len())
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// The URL and form fields for a browser upload.
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedPost {
    /// Where to POST the form.
    pub url: String,
    /// Form fields in boto3's order; `file` must be the last form part after these.
    /// Contains `x-amz-security-token` (and the token inside `policy`) when the
    /// credentials have one: treat as secret.
    pub fields: Vec<(String, String)>,
}

impl PresignedPost {
    /// Value of a field by exact name.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for PresignedPost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: Vec<(&str, &str)> = self
            .fields
            .iter()
            .map(|(n, v)| match n.as_str() {
                "key" | "x-amz-algorithm" | "x-amz-credential" | "x-amz-date"
                | "x-amz-signature" => (n.as_str(), v.as_str()),
                // The token, the policy (which embeds the token) and user fields.
                _ => (n.as_str(), "** redacted **"),
            })
            .collect();
        f.debug_struct("PresignedPost")
            .field("url", &self.url)
            .field("fields", &fields)
            .finish()
    }
}

/// Python dict assignment: replace in place if present, else append.
fn set_field(fields: &mut Vec<(String, String)>, name: String, value: String) {
    match fields.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = value,
        None => fields.push((name, value)),
    }
}

/// Build and sign the POST policy (boto3 `generate_presigned_post`).
///
/// Conditions are the caller's, then `{"bucket"}`, the key condition, then
/// `x-amz-algorithm`, `x-amz-credential`, `x-amz-date` and
/// `x-amz-security-token` (if any). `params.settings` is not used; `service`
/// is normally `s3`.
pub fn presign_post(
    input: &PresignedPostInput,
    credentials: &Credentials,
    params: &SigningParams<'_>,
) -> Result<PresignedPost, SigningError> {
    let now = UtcTime::from_system_time(params.time)?;
    let expiry_time = params
        .time
        .checked_add(input.expires_in)
        .ok_or(SigningError::InvalidTime)?;
    let expiration = UtcTime::from_system_time(expiry_time)?.iso8601();
    let amz_date = now.amz_date();
    let scope = credential_scope(&amz_date[..8], params.region, params.service);
    let credential = format!("{}/{scope}", credentials.access_key_id());

    let mut conditions = input.conditions.clone();
    conditions.push(obj("bucket", &input.bucket));
    match input.key.strip_suffix(FILENAME_VAR) {
        Some(prefix) => conditions.push(Value::Array(vec![
            "starts-with".into(),
            "$key".into(),
            prefix.into(),
        ])),
        None => conditions.push(obj("key", &input.key)),
    }
    let mut fields = input.fields.clone();
    set_field(&mut fields, "key".into(), input.key.clone());
    set_field(&mut fields, "x-amz-algorithm".into(), ALGORITHM.into());
    set_field(&mut fields, "x-amz-credential".into(), credential.clone());
    set_field(&mut fields, "x-amz-date".into(), amz_date.clone());
    conditions.push(obj("x-amz-algorithm", ALGORITHM));
    conditions.push(obj("x-amz-credential", &credential));
    conditions.push(obj("x-amz-date", &amz_date));
    if let Some(token) = credentials.session_token() {
        set_field(&mut fields, "x-amz-security-token".into(), token.into());
        conditions.push(obj("x-amz-security-token", token));
    }

    // Written by hand rather than via a Map so the key order never depends
    // on serde_json's `preserve_order` feature.
    let mut json = String::from("{\"expiration\": ");
    boto_util::json::push_string_ascii(&mut json, &expiration);
    json.push_str(", \"conditions\": ");
    python_json(&Value::Array(conditions), &mut json)?;
    json.push('}');
    let policy_b64 = base64::engine::general_purpose::STANDARD.encode(json.as_bytes());

    let key = signing_key(
        credentials.secret_access_key(),
        &amz_date[..8],
        params.region,
        params.service,
    );
    let signature = sign_hex(&key, &policy_b64);
    set_field(&mut fields, "policy".into(), policy_b64);
    set_field(&mut fields, "x-amz-signature".into(), signature);
    Ok(PresignedPost {
        url: input.url.clone(),
        fields,
    })
}

fn obj(key: &str, value: &str) -> Value {
    let mut m = serde_json::Map::new();
    m.insert(key.into(), Value::String(value.into()));
    Value::Object(m)
}

/// Python's `json.dumps(value)` with default arguments.
pub(crate) fn python_json(value: &Value, out: &mut String) -> Result<(), SigningError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64()) {
                if !f.is_finite() {
                    return Err(SigningError::InvalidPolicy {
                        reason: "non-finite number".into(),
                    });
                }
            }
            out.push_str(&n.to_string());
        }
        Value::String(s) => boto_util::json::push_string_ascii(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_json(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                boto_util::json::push_string_ascii(out, k);
                out.push_str(": ");
                python_json(v, out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn python_json_matches_json_dumps() {
        let v = json!({"a": [1, "x\"y", {"k": null}], "é": true, "t": "\u{1F600}\n\u{7f}"});
        let mut s = String::new();
        python_json(&v, &mut s).unwrap();
        // json.dumps({"a": [1, "x\"y", {"k": None}], "é": True, "t": "😀\n\x7f"})
        assert_eq!(
            s,
            r#"{"a": [1, "x\"y", {"k": null}], "\u00e9": true, "t": "\ud83d\ude00\n\u007f"}"#
        );
    }
}
