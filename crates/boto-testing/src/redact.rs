//! Redaction and matching rules of recordings: which headers, query
//! parameters and body members are secrets (never written), and which
//! request headers are volatile (never compared on replay).

use serde_json::Value as Json;

pub(crate) const REDACTED: &str = "[redacted]";

/// Request headers whose values are secrets.
pub(crate) const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-amz-security-token",
    "x-amz-s3session-token",
    "x-amz-sso_bearer_token",
    "x-amz-server-side-encryption-customer-key",
    "x-amz-copy-source-server-side-encryption-customer-key",
];

/// Query parameters of presigned URLs that carry credentials or signatures.
pub(crate) const SECRET_QUERY: &[&str] = &[
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-amz-s3session-token",
    "signature",
    "awsaccesskeyid",
];

/// Request headers that change from run to run (or follow from the body)
/// and are not compared on replay.
pub(crate) const VOLATILE_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "x-amz-date",
    "date",
    "x-amz-security-token",
    "x-amz-s3session-token",
    "x-amz-content-sha256",
    "user-agent",
    "x-amz-user-agent",
    "amz-sdk-invocation-id",
    "amz-sdk-request",
    "content-md5",
    "content-length",
    "expect",
    "x-amzn-trace-id",
    "x-amz-sso_bearer_token",
    "x-amz-server-side-encryption-customer-key",
    "x-amz-server-side-encryption-customer-key-md5",
    "x-amz-copy-source-server-side-encryption-customer-key",
    "x-amz-copy-source-server-side-encryption-customer-key-md5",
];

/// Body members (JSON keys, XML elements, form fields; compared without
/// case) holding credentials or tokens.
pub(crate) const SECRET_FIELDS: &[&str] = &[
    "secretaccesskey",
    "sessiontoken",
    "secretkey",
    "accesstoken",
    "refreshtoken",
    "clientsecret",
    "idtoken",
    "webidentitytoken",
    "samlassertion",
    "tokencode",
    "password",
];

/// Request body members holding generated idempotency tokens (a fresh UUID
/// per call), masked before bodies are compared on replay.
pub(crate) const TOKEN_FIELDS: &[&str] = &["clienttoken", "clientrequesttoken", "idempotencytoken"];

/// Whether a member name (its last dotted segment, any case) is in `list`.
pub(crate) fn field_in(list: &[String], name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    list.iter().any(|s| last.eq_ignore_ascii_case(s))
}

pub(crate) fn is_secret_field(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or(name);
    SECRET_FIELDS.iter().any(|s| last.eq_ignore_ascii_case(s))
}

/// `body` with credentials and tokens replaced (JSON, XML or form bodies).
pub(crate) fn redact_body(body: &[u8]) -> Vec<u8> {
    mask_body(body, &is_secret_field)
}

/// `body` with the values of the members `field` selects replaced.
pub(crate) fn mask_body(body: &[u8], field: &dyn Fn(&str) -> bool) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(body) else {
        return body.to_vec();
    };
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(mut j) = serde_json::from_str::<Json>(text) {
            if redact_json(&mut j, field) {
                return j.to_string().into_bytes();
            }
            return body.to_vec();
        }
    }
    if trimmed.starts_with('<') {
        return redact_xml(text, field).into_bytes();
    }
    if !text.contains(char::is_whitespace) && text.contains('=') {
        return redact_form(text, field).into_bytes();
    }
    body.to_vec()
}

pub(crate) fn redact_json(j: &mut Json, field: &dyn Fn(&str) -> bool) -> bool {
    match j {
        Json::Object(m) => {
            let mut changed = false;
            for (k, v) in m.iter_mut() {
                if field(k) && v.is_string() {
                    *v = Json::String(REDACTED.into());
                    changed = true;
                } else {
                    changed |= redact_json(v, field);
                }
            }
            changed
        }
        Json::Array(a) => a.iter_mut().fold(false, |c, v| redact_json(v, field) | c),
        _ => false,
    }
}

/// Replaces the text of `<SecretAccessKey>…</SecretAccessKey>` and the like.
pub(crate) fn redact_xml(text: &str, field: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find('>') else { break };
        let tag = &rest[1..end];
        out.push_str(&rest[..=end]);
        rest = &rest[end + 1..];
        let name = tag.split_whitespace().next().unwrap_or("");
        if !tag.starts_with('/') && !tag.ends_with('/') && field(name) {
            let close = format!("</{name}>");
            if let Some(j) = rest.find(&close) {
                out.push_str(REDACTED);
                rest = &rest[j..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `a=1&WebIdentityToken=…` with the secret values replaced.
pub(crate) fn redact_form(text: &str, field: &dyn Fn(&str) -> bool) -> String {
    text.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if field(&boto_util::percent::decode_plus(k)) => format!("{k}={REDACTED}"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Splits a URL into (host without port, path, query).
pub(crate) fn split_url(url: &str) -> (String, String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (authority, path_query) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let host = authority.rsplit_once(':').map_or(authority, |(h, _)| h);
    let (path, query) = path_query.split_once('?').unwrap_or((path_query, ""));
    (host.to_string(), path.to_string(), query.to_string())
}

/// The query with credential parameters redacted (for the file).
pub(crate) fn redact_query(query: &str) -> String {
    if query.is_empty() {
        return String::new();
    }
    query
        .split('&')
        .map(|pair| {
            let k = pair.split_once('=').map_or(pair, |(k, _)| k);
            if SECRET_QUERY.iter().any(|s| k.eq_ignore_ascii_case(s)) {
                format!("{k}={REDACTED}")
            } else {
                pair.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The query as compared on replay: signature parameters dropped, sorted.
pub(crate) fn query_key(query: &str) -> Vec<String> {
    let mut parts: Vec<String> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter(|p| {
            let k = p.split_once('=').map_or(*p, |(k, _)| k);
            !SECRET_QUERY.iter().any(|s| k.eq_ignore_ascii_case(s))
                && !k.eq_ignore_ascii_case("x-amz-date")
        })
        .map(str::to_owned)
        .collect();
    parts.sort();
    parts
}

pub(crate) fn redact_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(k, v)| {
            let secret = SECRET_HEADERS.iter().any(|s| k.eq_ignore_ascii_case(s));
            (k.clone(), if secret { REDACTED.into() } else { v.clone() })
        })
        .collect()
}

pub(crate) fn significant_headers(headers: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.trim().to_string()))
        .filter(|(k, _)| {
            !VOLATILE_HEADERS.contains(&k.as_str()) && !k.starts_with("x-amz-checksum-")
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_redacted() {
        let xml = "<R><Credentials><AccessKeyId>AKID</AccessKeyId><SecretAccessKey>s3cr3t</SecretAccessKey>\
                   <SessionToken>t0k3n</SessionToken></Credentials></R>";
        let out = String::from_utf8(redact_body(xml.as_bytes())).unwrap();
        assert!(
            !out.contains("s3cr3t") && !out.contains("t0k3n") && out.contains("AKID"),
            "{out}"
        );
        let js = br#"{"roleCredentials":{"secretAccessKey":"s3cr3t","sessionToken":"t0k3n"}}"#;
        let out = String::from_utf8(redact_body(js)).unwrap();
        assert!(!out.contains("s3cr3t") && !out.contains("t0k3n"), "{out}");
        let form = b"Action=AssumeRoleWithWebIdentity&WebIdentityToken=eyJ.abc&Version=2011-06-15";
        let out = String::from_utf8(redact_body(form)).unwrap();
        assert!(
            !out.contains("eyJ") && out.contains("Version=2011-06-15"),
            "{out}"
        );
        let q = redact_query("X-Amz-Credential=AKID%2F2024&X-Amz-Signature=abc&a=1");
        assert_eq!(
            q,
            "X-Amz-Credential=[redacted]&X-Amz-Signature=[redacted]&a=1"
        );
    }
}
