//! CloudFormation `GetTemplate`.
//!
//! `TemplateBody` is a string holding the template; botocore's
//! `json_decode_template_body` parses JSON templates into a structure (YAML
//! templates fail to parse and stay strings).

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor};
use boto_model::Value;

/// `cloudformation.template_body`: see the module docs.
#[derive(Debug, Default)]
pub struct TemplateBody;

impl Interceptor for TemplateBody {
    fn name(&self) -> &'static str {
        "cloudformation.template_body"
    }

    fn modify_after_parse(
        &self,
        call: &CallInfo<'_>,
        _params: &Value,
        output: &mut Value,
    ) -> Result<(), Error> {
        if &*call.operation.name != "GetTemplate" {
            return Ok(());
        }
        if let Some(v) = output.as_map_mut().and_then(|m| m.get_mut("TemplateBody")) {
            if let Some(j) = v
                .as_str()
                .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
            {
                *v = Value::from_json(&j);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customizations::testutil::Harness;

    #[test]
    fn json_templates_are_parsed_yaml_kept() {
        let h = Harness::new("cloudformation", "GetTemplate");
        let mut out = Value::from_json(
            &serde_json::json!({"TemplateBody": "{\"Resources\": {\"B\": {\"Type\": \"AWS::S3::Bucket\"}}}"}),
        );
        TemplateBody
            .modify_after_parse(&h.call(), &Value::Null, &mut out)
            .unwrap();
        assert_eq!(
            out.pointer("TemplateBody.Resources.B.Type").as_str(),
            Some("AWS::S3::Bucket")
        );
        let yaml = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n";
        let mut out = Value::from_json(&serde_json::json!({"TemplateBody": yaml}));
        TemplateBody
            .modify_after_parse(&h.call(), &Value::Null, &mut out)
            .unwrap();
        assert_eq!(out.get("TemplateBody").as_str(), Some(yaml));
    }
}
