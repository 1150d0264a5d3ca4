//! IAM policy documents.
//!
//! IAM returns policy documents as URL-encoded JSON strings (every member
//! whose shape is `policyDocumentType`). botocore's `json_decode_policies`
//! decodes them into structures so callers can read them; strings that do
//! not decode stay as they are.

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor};
use boto_model::{ServiceModel, ShapeId, ShapeKind, Value};

/// `iam.policy_documents`: see the module docs.
#[derive(Debug, Default)]
pub struct PolicyDocuments;

impl Interceptor for PolicyDocuments {
    fn name(&self) -> &'static str {
        "iam.policy_documents"
    }

    fn modify_after_parse(
        &self,
        call: &CallInfo<'_>,
        _params: &Value,
        output: &mut Value,
    ) -> Result<(), Error> {
        if let Some(out) = call.operation.output.as_ref() {
            decode(call.model, out.target, output, 0);
        }
        Ok(())
    }
}

/// Walks `value` along its shape; depth-capped since shapes can be recursive.
fn decode(model: &ServiceModel, shape: ShapeId, value: &mut Value, depth: usize) {
    if depth > 32 {
        return;
    }
    match (&model.shape(shape).kind, value) {
        (ShapeKind::Structure(st), Value::Map(map)) => {
            for m in &st.members {
                let Some(v) = map.get_mut(&m.name) else {
                    continue;
                };
                let target = model.shape(m.target);
                if matches!(target.kind, ShapeKind::String) && &*target.name == "policyDocumentType"
                {
                    if let Value::String(s) = v {
                        if let Some(doc) = decode_quoted_jsondoc(s) {
                            *v = doc;
                        }
                    }
                } else {
                    decode(model, m.target, v, depth + 1);
                }
            }
        }
        (ShapeKind::List { member }, Value::List(items)) => {
            for item in items {
                decode(model, member.target, item, depth + 1);
            }
        }
        _ => {}
    }
}

/// botocore `decode_quoted_jsondoc`: `json.loads(unquote(value))`.
pub(crate) fn decode_quoted_jsondoc(s: &str) -> Option<Value> {
    let unquoted = boto_util::percent::decode(s);
    serde_json::from_str::<serde_json::Value>(&unquoted)
        .ok()
        .map(|j| Value::from_json(&j))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customizations::testutil::Harness;

    #[test]
    fn policy_documents_are_decoded() {
        let h = Harness::new("iam", "GetRolePolicy");
        let doc = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%5D%7D";
        let mut out = Value::from_json(
            &serde_json::json!({"RoleName": "r", "PolicyName": "p", "PolicyDocument": doc}),
        );
        PolicyDocuments
            .modify_after_parse(&h.call(), &Value::Null, &mut out)
            .unwrap();
        assert_eq!(
            out.pointer("PolicyDocument.Version").as_str(),
            Some("2012-10-17")
        );
        assert_eq!(out.get("RoleName").as_str(), Some("r"));

        // Nested in lists (GetAccountAuthorizationDetails → RoleDetailList[].AssumeRolePolicyDocument).
        let h = Harness::new("iam", "GetAccountAuthorizationDetails");
        let mut out = Value::from_json(&serde_json::json!({"RoleDetailList": [
            {"RoleName": "r", "AssumeRolePolicyDocument": "%7B%22a%22%3A1%7D"}]}));
        PolicyDocuments
            .modify_after_parse(&h.call(), &Value::Null, &mut out)
            .unwrap();
        assert_eq!(
            out.pointer("RoleDetailList[0].AssumeRolePolicyDocument.a")
                .as_i64(),
            Some(1)
        );

        // Not JSON: left alone.
        let h = Harness::new("iam", "GetRolePolicy");
        let mut out = Value::from_json(&serde_json::json!({"PolicyDocument": "%7Bnot json"}));
        PolicyDocuments
            .modify_after_parse(&h.call(), &Value::Null, &mut out)
            .unwrap();
        assert_eq!(out.get("PolicyDocument").as_str(), Some("%7Bnot json"));
    }
}
