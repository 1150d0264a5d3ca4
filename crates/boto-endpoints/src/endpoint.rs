//! The resolved endpoint returned to callers.
//!
//! `properties` stays a JSON map because rule sets may attach arbitrary
//! service-specific properties; [`Endpoint::auth_schemes`] offers a typed
//! view of the one property every caller needs (`authSchemes`) without
//! committing to a closed schema.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value as Json};

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Endpoint {
    /// The endpoint URL (scheme, host, optional port and path), e.g. `https://s3.us-west-2.amazonaws.com`.
    pub url: String,
    /// Header name to values, to be added to the request.
    pub headers: BTreeMap<String, Vec<String>>,
    /// Endpoint properties (e.g. `authSchemes`), as produced by the rules.
    /// Shared: an endpoint from the resolution cache is cloned on every
    /// call, and copying S3's `authSchemes` was a dozen allocations.
    pub properties: Arc<Map<String, Json>>,
}

/// A typed view of one entry of the `authSchemes` property.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthScheme<'e> {
    /// Scheme name, e.g. `sigv4`, `sigv4a`, `sigv4-s3express`.
    pub name: &'e str,
    /// Service name to sign with, when it differs from the model's `signingName` (e.g. `s3-outposts`).
    pub signing_name: Option<&'e str>,
    /// Region to sign with, when it differs from the client's (e.g. `us-east-1` for global endpoints).
    pub signing_region: Option<&'e str>,
    /// For `sigv4a`: the region set (usually `["*"]`).
    pub signing_region_set: Option<Vec<&'e str>>,
    /// `disableDoubleEncoding`: S3 signs the path as sent, without the second URI-encoding pass SigV4 does elsewhere.
    pub disable_double_encoding: Option<bool>,
    /// The complete JSON object, for scheme-specific extras.
    pub raw: &'e Map<String, Json>,
}

impl Endpoint {
    /// The `authSchemes` property as typed entries, in rule-set order.
    /// Entries that are not objects or lack a `name` are skipped.
    pub fn auth_schemes(&self) -> Vec<AuthScheme<'_>> {
        let Some(Json::Array(list)) = self.properties.get("authSchemes") else {
            return Vec::new();
        };
        list.iter()
            .filter_map(|s| {
                let raw = s.as_object()?;
                let name = raw.get("name")?.as_str()?;
                let get = |k: &str| raw.get(k).and_then(Json::as_str);
                Some(AuthScheme {
                    name,
                    signing_name: get("signingName"),
                    signing_region: get("signingRegion"),
                    signing_region_set: raw
                        .get("signingRegionSet")
                        .and_then(Json::as_array)
                        .map(|a| a.iter().filter_map(Json::as_str).collect()),
                    disable_double_encoding: raw
                        .get("disableDoubleEncoding")
                        .and_then(Json::as_bool),
                    raw,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_scheme_view() {
        let ep = Endpoint {
            url: "https://x".into(),
            headers: BTreeMap::new(),
            properties: serde_json::json!({"authSchemes":[
                {"name":"sigv4a","signingName":"s3","signingRegionSet":["*"],"disableDoubleEncoding":true},
                {"name":"sigv4","signingName":"s3","signingRegion":"us-east-1"},
                {"noname":1}
            ]})
            .as_object()
            .cloned()
            .unwrap_or_default()
            .into(),
        };
        let s = ep.auth_schemes();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].name, "sigv4a");
        assert_eq!(s[0].signing_region_set, Some(vec!["*"]));
        assert_eq!(s[0].disable_double_encoding, Some(true));
        assert_eq!(s[1].signing_region, Some("us-east-1"));
    }
}
