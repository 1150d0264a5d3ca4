//! S3 Control: the account id host prefix.
//!
//! S3 Control operations carry both `endpoint.hostPrefix = "{AccountId}."`
//! and the static context parameter `RequiresAccountId`, and the endpoint
//! rules already put the account id into the host. Applying the model's prefix
//! too would give `123.123.s3-control...`; botocore's
//! `remove_accid_host_prefix_from_model` drops the model's prefix.

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor, RequestContext};

/// `s3control.account_id_prefix`: see the module docs.
#[derive(Debug, Default)]
pub struct AccountIdHostPrefix;

impl Interceptor for AccountIdHostPrefix {
    fn name(&self) -> &'static str {
        "s3control.account_id_prefix"
    }

    fn modify_before_signing(
        &self,
        call: &CallInfo<'_>,
        ctx: &mut RequestContext<'_>,
    ) -> Result<(), Error> {
        let op = call.operation;
        let requires = op.static_context_params.iter().any(|(name, v)| {
            &**name == "RequiresAccountId" && v.get("value") == Some(&serde_json::Value::Bool(true))
        });
        if requires && op.host_prefix.as_deref() == Some("{AccountId}.") {
            ctx.request.host_prefix = None;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customizations::testutil::Harness;
    use boto_model::Value;

    #[test]
    fn account_prefix_is_dropped() {
        let h = Harness::new("s3control", "GetPublicAccessBlock");
        let params = Value::from_json(&serde_json::json!({"AccountId": "123456789012"}));
        let req = h.serialize(&params);
        assert_eq!(
            req.host_prefix.as_deref(),
            Some("123456789012."),
            "serializer expands the model prefix"
        );
        let (req, _) = h
            .before_signing(&AccountIdHostPrefix, &params, None)
            .unwrap();
        assert_eq!(req.host_prefix, None);
    }
}
