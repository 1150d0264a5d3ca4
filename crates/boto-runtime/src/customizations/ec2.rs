//! EC2 (and Auto Scaling) customizations.
//!
//! Idempotency tokens (`ClientToken`) need nothing here: the serializer fills
//! absent `idempotencyToken` members (botocore `generate_idempotent_uuid`).
//! What remains is the base64 the EC2 API puts on user data and console
//! output, which botocore hides from callers in both directions, and the
//! presigned URL a cross-region `CopySnapshot` carries.

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor, PresignRequest};
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
        map.insert("UserData", Value::String(encoded.into()));
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
                *s = String::from_utf8_lossy(&bytes).into();
            }
        }
        Ok(())
    }
}

/// `ec2.presigned_url`: botocore `inject_presigned_url_ec2` (CopySnapshot).
/// Unless the caller gave a `PresignedUrl`, the call carries one for the same
/// request in the source region (`SourceRegion`) with `DestinationRegion` set
/// to the client's region, valid one hour, and sends `DestinationRegion` too.
#[derive(Debug, Default)]
pub struct CopySnapshotPresignedUrl;

impl CopySnapshotPresignedUrl {
    fn regions<'a>(call: &'a CallInfo<'_>, params: &'a Value) -> Option<(&'a str, &'a str)> {
        if &*call.operation.name != "CopySnapshot" || !params.get("PresignedUrl").is_null() {
            return None;
        }
        // Without either region botocore fails deep in its signer; here the
        // call goes on and validation or endpoint resolution reports it.
        Some((
            params.get("SourceRegion").as_str()?,
            call.config.region.as_deref()?,
        ))
    }
}

impl Interceptor for CopySnapshotPresignedUrl {
    fn name(&self) -> &'static str {
        "ec2.presigned_url"
    }

    fn presign_request(&self, call: &CallInfo<'_>, params: &Value) -> Option<PresignRequest> {
        let (source, destination) = Self::regions(call, params)?;
        Some(PresignRequest::cross_region(source, params, destination))
    }

    fn modify_with_presigned_url(
        &self,
        call: &CallInfo<'_>,
        params: &mut Value,
        url: String,
    ) -> Result<(), Error> {
        let Some(destination) = Self::regions(call, params).map(|(_, d)| d.to_string()) else {
            return Ok(());
        };
        if let Some(map) = params.as_map_mut() {
            map.insert("PresignedUrl", Value::String(url.into()));
            map.insert("DestinationRegion", Value::String(destination.into()));
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
    fn copy_snapshot_asks_for_a_url_unless_given_one() {
        let h = Harness::new("ec2", "CopySnapshot")
            .with_config(|c| c.region = Some("eu-west-1".into()));
        let i = CopySnapshotPresignedUrl;
        let mut p = Value::from_json(
            &serde_json::json!({"SourceRegion": "us-east-2", "SourceSnapshotId": "snap-1",
                                                         "DestinationRegion": "ignored"}),
        );
        let req = i.presign_request(&h.call(), &p).expect("a URL is wanted");
        assert_eq!(req.region, "us-east-2");
        assert_eq!(req.params, p);
        assert_eq!(
            req.set_pairs,
            vec![("DestinationRegion".to_string(), "eu-west-1".to_string())]
        );
        assert_eq!(req.expires_in.as_secs(), 3600);
        // Debug output names no parameter values.
        assert!(!format!("{req:?}").contains("snap-1"));
        i.modify_with_presigned_url(&h.call(), &mut p, "https://u".into())
            .unwrap();
        let body = String::from_utf8(h.serialize(&p).body.as_bytes().to_vec()).unwrap();
        // A given DestinationRegion is replaced where it stands, as botocore's dict update does.
        assert_eq!(
            body,
            "Action=CopySnapshot&Version=2016-11-15&SourceRegion=us-east-2&SourceSnapshotId=snap-1\
             &DestinationRegion=eu-west-1&PresignedUrl=https%3A%2F%2Fu"
        );
        // A given URL, or another operation: nothing to do.
        assert!(i.presign_request(&h.call(), &p).is_none());
        let h =
            Harness::new("ec2", "CopyImage").with_config(|c| c.region = Some("eu-west-1".into()));
        let p = Value::from_json(&serde_json::json!({"SourceRegion": "us-east-2"}));
        assert!(i.presign_request(&h.call(), &p).is_none());
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
