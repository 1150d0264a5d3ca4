//! Route 53 resource ids.
//!
//! Route 53 returns ids with a type prefix (`/hostedzone/Z123`,
//! `/change/C456`, `/delegationset/N789`) but expects the bare id as input.
//! botocore's `fix_route53_ids` strips everything up to the last `/` of
//! every input member whose shape is `ResourceId`, `DelegationSetId` or
//! `ChangeId`, so one call's output can feed the next.

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor};
use boto_model::Value;

/// `route53.ids`: see the module docs.
#[derive(Debug, Default)]
pub struct FixIds;

impl Interceptor for FixIds {
    fn name(&self) -> &'static str {
        "route53.ids"
    }

    fn modify_before_serialization(
        &self,
        call: &CallInfo<'_>,
        params: &mut Value,
    ) -> Result<(), Error> {
        let model = call.model;
        let Some(input) = call
            .operation
            .input
            .as_ref()
            .and_then(|i| model.shape(i.target).as_structure())
        else {
            return Ok(());
        };
        let Some(map) = params.as_map_mut() else {
            return Ok(());
        };
        for member in &input.members {
            if !matches!(
                &*model.shape(member.target).name,
                "ResourceId" | "DelegationSetId" | "ChangeId"
            ) {
                continue;
            }
            if let Some(Value::String(s)) = map.get_mut(&member.name) {
                if let Some(i) = s.rfind('/') {
                    *s = s[i + 1..].into();
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customizations::testutil::Harness;

    fn fixed(op: &str, params: serde_json::Value) -> Value {
        let h = Harness::new("route53", op);
        let mut p = Value::from_json(&params);
        FixIds
            .modify_before_serialization(&h.call(), &mut p)
            .unwrap();
        p
    }

    #[test]
    fn strips_prefixes() {
        assert_eq!(
            fixed(
                "GetHostedZone",
                serde_json::json!({"Id": "/hostedzone/Z123"})
            )
            .get("Id")
            .as_str(),
            Some("Z123")
        );
        assert_eq!(
            fixed("GetChange", serde_json::json!({"Id": "/change/C9"}))
                .get("Id")
                .as_str(),
            Some("C9")
        );
        assert_eq!(
            fixed(
                "GetReusableDelegationSet",
                serde_json::json!({"Id": "/delegationset/N1"})
            )
            .get("Id")
            .as_str(),
            Some("N1")
        );
        let p = fixed(
            "ChangeResourceRecordSets",
            serde_json::json!({"HostedZoneId": "/hostedzone/Z1", "ChangeBatch": {"Changes": []}}),
        );
        assert_eq!(p.get("HostedZoneId").as_str(), Some("Z1"));
        // Already bare: unchanged. Members of other shapes: untouched.
        assert_eq!(
            fixed("GetHostedZone", serde_json::json!({"Id": "Z123"}))
                .get("Id")
                .as_str(),
            Some("Z123")
        );
        let p = fixed(
            "CreateHostedZone",
            serde_json::json!({"Name": "a/b.com", "CallerReference": "x/y"}),
        );
        assert_eq!(p.get("Name").as_str(), Some("a/b.com"));
        assert_eq!(p.get("CallerReference").as_str(), Some("x/y"));
    }
}
