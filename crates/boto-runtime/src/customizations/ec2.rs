//! EC2 (and Auto Scaling) customizations.
//!
//! Idempotency tokens (`ClientToken`) need nothing here: the serializer fills
//! absent `idempotencyToken` members (botocore `generate_idempotent_uuid`).
//! What remains is the base64 the EC2 API puts on user data and console
//! output, which botocore hides from callers in both directions.

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor};
use base64::Engine;
use boto_model::Value;

/// `ec2.user_data`: botocore `base64_encode_user_data` (ec2 RunInstances,
/// autoscaling CreateLaunchConfiguration). Callers give the script; the API
/// wants it base64-encoded.
#[derive(Debug, Default)]
pub struct UserData;

impl Interceptor for UserData {
    fn name(&self) -> &'static str {
        "ec2.user_data"
    }

    fn modify_before_serialization(
        &self,
        call: &CallInfo<'_>,
        params: &mut Value,
    ) -> Result<(), Error> {
        if !matches!(
            &*call.operation.name,
            "RunInstances" | "CreateLaunchConfiguration"
        ) {
            return Ok(());
        }
        let Some(map) = params.as_map_mut() else {
            return Ok(());
        };
        let encoded = match map.get("UserData") {
            Some(Value::String(s)) => {
                base64::engine::general_purpose::STANDARD.encode(s.as_bytes())
            }
            Some(Value::Blob(b)) => base64::engine::general_purpose::STANDARD.encode(b),
            _ => return Ok(()),
        };
        map.insert("UserData".into(), Value::String(encoded));
        Ok(())
    }
}

/// `ec2.console_output`: botocore `decode_console_output` (GetConsoleOutput).
/// The `Output` member arrives base64-encoded; callers get the text
/// (invalid UTF-8 replaced). Undecodable values are left as they are.
#[derive(Debug, Default)]
pub struct ConsoleOutput;

impl Interceptor for ConsoleOutput {
    fn name(&self) -> &'static str {
        "ec2.console_output"
    }

    fn modify_after_parse(
        &self,
        call: &CallInfo<'_>,
        _params: &Value,
        output: &mut Value,
    ) -> Result<(), Error> {
        if &*call.operation.name != "GetConsoleOutput" {
            return Ok(());
        }
        if let Some(Value::String(s)) = output.as_map_mut().and_then(|m| m.get_mut("Output")) {
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(s.trim()) {
                *s = String::from_utf8_lossy(&bytes).into_owned();
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
    fn user_data_is_encoded() {
        let h = Harness::new("ec2", "RunInstances");
        let mut p = Value::from_json(
            &serde_json::json!({"ImageId": "ami-1", "MinCount": 1, "MaxCount": 1,
                                                          "UserData": "#!/bin/sh\necho hi"}),
        );
        UserData
            .modify_before_serialization(&h.call(), &mut p)
            .unwrap();
        assert_eq!(p.get("UserData").as_str(), Some("IyEvYmluL3NoCmVjaG8gaGk="));
        let h = Harness::new("autoscaling", "CreateLaunchConfiguration");
        let mut p =
            Value::from_json(&serde_json::json!({"LaunchConfigurationName": "x", "UserData": "a"}));
        UserData
            .modify_before_serialization(&h.call(), &mut p)
            .unwrap();
        assert_eq!(p.get("UserData").as_str(), Some("YQ=="));
        // Other operations are untouched.
        let h = Harness::new("ec2", "DescribeInstances");
        let mut p = Value::from_json(&serde_json::json!({"UserData": "a"}));
        UserData
            .modify_before_serialization(&h.call(), &mut p)
            .unwrap();
        assert_eq!(p.get("UserData").as_str(), Some("a"));
    }

    #[test]
    fn console_output_is_decoded() {
        let h = Harness::new("ec2", "GetConsoleOutput");
        let mut out = Value::from_json(
            &serde_json::json!({"InstanceId": "i-1", "Output": "aGVsbG8gd29ybGQ="}),
        );
        ConsoleOutput
            .modify_after_parse(&h.call(), &Value::Null, &mut out)
            .unwrap();
        assert_eq!(out.get("Output").as_str(), Some("hello world"));
        let mut out = Value::from_json(&serde_json::json!({"Output": "not base64!"}));
        ConsoleOutput
            .modify_after_parse(&h.call(), &Value::Null, &mut out)
            .unwrap();
        assert_eq!(out.get("Output").as_str(), Some("not base64!"));
    }
}
