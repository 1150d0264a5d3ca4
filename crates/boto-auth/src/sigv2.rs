//! AWS Signature Version 2 for query-style services (SimpleDB).
//!
//! A few old services still declare `signatureVersion: v2` in their model:
//! SimpleDB (`sdb`) is the one botocore still ships. botocore signs them with
//! `botocore.auth.SigV2Auth`: the signature is not a header but four extra
//! request parameters (`AWSAccessKeyId`, `SignatureVersion=2`,
//! `SignatureMethod=HmacSHA256`, `Timestamp`, plus `SecurityToken` with
//! temporary credentials) and a `Signature`, an HMAC-SHA256 (base64) over
//!
//! ```text
//! METHOD \n host[:port] \n path \n k1=v1&k2=v2...   (parameters sorted by name)
//! ```
//!
//! where names and values are percent-encoded as Python's `quote(s, safe='-_~')`
//! (RFC 3986 unreserved characters stay). For a POST (every query-protocol
//! call) the parameters travel in the form body, appended after the
//! operation's own in this order, `urlencode`d (`quote_plus`: a space is `+`).
//!
//! Like [`sigv4`](crate::sigv4) this is a pure function of request parts,
//! credentials and time; the runtime decides when a service needs it.

use crate::sigv4::time::UtcTime;
use crate::sigv4::SigningError;
use crate::Credentials;
use base64::Engine as _;
use boto_util::percent;
use ring::hmac;
use std::time::SystemTime;

/// `SignatureMethod`: botocore signs SigV2 with HMAC-SHA256 only.
pub const SIGNATURE_METHOD: &str = "HmacSHA256";

/// The parameters of a SigV2-signed request, in botocore's wire order: the
/// request's own parameters first, then the auth parameters and `Signature`.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedParams {
    params: Vec<(String, String)>,
    string_to_sign: String,
}

impl SignedParams {
    /// All parameters, decoded, in the order they are sent.
    pub fn params(&self) -> &[(String, String)] {
        &self.params
    }

    /// The `Signature` value (base64).
    pub fn signature(&self) -> &str {
        self.params
            .iter()
            .rev()
            .find(|(k, _)| k == "Signature")
            .map_or("", |(_, v)| v.as_str())
    }

    /// What was signed (no secrets: the session token is redacted), for tests and `--debug`.
    pub fn string_to_sign(&self) -> &str {
        &self.string_to_sign
    }

    /// The parameters as an `application/x-www-form-urlencoded` body (or query
    /// string), encoded as Python's `urlencode` does.
    pub fn to_form(&self) -> String {
        form_encode(&self.params)
    }
}

impl std::fmt::Debug for SignedParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown: Vec<(&str, &str)> = self
            .params
            .iter()
            .map(|(k, v)| match k.as_str() {
                "SecurityToken" | "Signature" => (k.as_str(), "<redacted>"),
                _ => (k.as_str(), v.as_str()),
            })
            .collect();
        f.debug_struct("SignedParams")
            .field("params", &shown)
            .finish_non_exhaustive()
    }
}

/// Signs a query-style request: `params` are its decoded name/value pairs
/// (the form body of a POST, or the query of a GET), `authority` its
/// `host[:port]` and `path` its URL path (empty means `/`).
///
/// ```
/// use boto_auth::{sigv2, Credentials};
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None, None, "explicit");
/// let when = UNIX_EPOCH + Duration::from_secs(1_440_938_160); // 2015-08-30T12:36:00Z
/// let params = vec![("Action".to_string(), "ListDomains".to_string()),
///                   ("Version".to_string(), "2009-04-15".to_string())];
/// let signed = sigv2::sign("POST", "sdb.amazonaws.com", "/", &params, &creds, when).unwrap();
/// assert!(signed.string_to_sign().starts_with("POST\nsdb.amazonaws.com\n/\nAWSAccessKeyId=AKIDEXAMPLE&Action=ListDomains"));
/// assert!(signed.to_form().contains("&Timestamp=2015-08-30T12%3A36%3A00Z&Signature="));
/// assert!(!format!("{signed:?}").contains(signed.signature()));
/// ```
pub fn sign(
    method: &str,
    authority: &str,
    path: &str,
    params: &[(String, String)],
    credentials: &Credentials,
    time: SystemTime,
) -> Result<SignedParams, SigningError> {
    let now = UtcTime::from_system_time(time)?;
    // botocore sets these on the request's dict: an existing key keeps its
    // position, a new one goes last; a previous Signature is not signed.
    let mut out: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "Signature")
        .cloned()
        .collect();
    let mut set = |k: &str, v: &str| match out.iter_mut().find(|(n, _)| n == k) {
        Some(slot) => slot.1 = v.to_string(),
        None => out.push((k.to_string(), v.to_string())),
    };
    set("AWSAccessKeyId", credentials.access_key_id());
    set("SignatureVersion", "2");
    set("SignatureMethod", SIGNATURE_METHOD);
    set("Timestamp", &now.iso8601());
    if let Some(token) = credentials.session_token() {
        set("SecurityToken", token);
    }
    let mut sorted: Vec<&(String, String)> = out.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut query = String::new();
    for (i, (k, v)) in sorted.iter().enumerate() {
        if i > 0 {
            query.push('&');
        }
        percent::encode_into(&mut query, k, b"");
        query.push('=');
        percent::encode_into(&mut query, v, b"");
    }
    let path = if path.is_empty() { "/" } else { path };
    let string_to_sign = format!("{method}\n{authority}\n{path}\n{query}");
    let key = hmac::Key::new(
        hmac::HMAC_SHA256,
        credentials.secret_access_key().as_bytes(),
    );
    let tag = hmac::sign(&key, string_to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(tag.as_ref());
    out.push(("Signature".to_string(), signature));
    let shown = match credentials.session_token() {
        Some(token) => string_to_sign.replace(&encoded(token), "<redacted>"),
        None => string_to_sign,
    };
    Ok(SignedParams {
        params: out,
        string_to_sign: shown,
    })
}

fn encoded(s: &str) -> String {
    percent::encode(s, b"")
}

/// Python's `urlencode(pairs)`: `quote_plus` on names and values.
pub fn form_encode(pairs: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent::encode_plus_into(&mut out, k, b"");
        out.push('=');
        percent::encode_plus_into(&mut out, v, b"");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn creds(token: Option<&str>) -> Credentials {
        Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            token.map(str::to_owned),
            None,
            "test",
        )
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn signature_is_hmac_sha256_over_the_sorted_encoded_parameters() {
        let when = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let p = pairs(&[
            ("Action", "PutAttributes"),
            ("DomainName", "my domain/é"),
            ("Attribute.1.Name", "a~b*c"),
        ]);
        let s = sign("POST", "sdb.amazonaws.com", "", &p, &creds(None), when).unwrap();
        assert_eq!(
            s.string_to_sign(),
            "POST\nsdb.amazonaws.com\n/\nAWSAccessKeyId=AKIDEXAMPLE&Action=PutAttributes\
             &Attribute.1.Name=a~b%2Ac&DomainName=my%20domain%2F%C3%A9&SignatureMethod=HmacSHA256\
             &SignatureVersion=2&Timestamp=2015-08-30T12%3A36%3A00Z"
        );
        // The signature is the HMAC of exactly that text under the secret key.
        let key = hmac::Key::new(
            hmac::HMAC_SHA256,
            b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        );
        let raw = base64::engine::general_purpose::STANDARD
            .decode(s.signature())
            .unwrap();
        hmac::verify(&key, s.string_to_sign().as_bytes(), &raw).unwrap();
        let names: Vec<&str> = s.params().iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            names,
            [
                "Action",
                "DomainName",
                "Attribute.1.Name",
                "AWSAccessKeyId",
                "SignatureVersion",
                "SignatureMethod",
                "Timestamp",
                "Signature"
            ]
        );
        assert!(s
            .to_form()
            .starts_with("Action=PutAttributes&DomainName=my+domain%2F%C3%A9&"));
    }

    #[test]
    fn session_token_is_signed_but_never_shown() {
        let when = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let p = pairs(&[("Action", "ListDomains"), ("Signature", "stale")]);
        let s = sign("GET", "h:8080", "/x", &p, &creds(Some("TOK/EN")), when).unwrap();
        assert!(s
            .params()
            .contains(&("SecurityToken".into(), "TOK/EN".into())));
        assert_eq!(
            s.params().iter().filter(|(k, _)| k == "Signature").count(),
            1
        );
        assert!(s.string_to_sign().starts_with("GET\nh:8080\n/x\n"));
        assert!(!s.string_to_sign().contains("TOK"));
        assert!(!format!("{s:?}").contains("TOK") && !format!("{s:?}").contains(s.signature()));
    }
}
