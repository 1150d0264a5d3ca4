//! RDS-family customizations (rds, neptune, docdb).
//!
//! Copies across regions (a snapshot, a read replica, a cluster, automated
//! backups) are asked of the destination region, which checks with the source
//! region that the caller may read the source: the request carries a URL of
//! itself presigned for the source region (`PreSignedUrl`). botocore builds it
//! from the `SourceRegion` parameter, which its `service-2.sdk-extras.json`
//! adds to these operations (and which the API does not know, so it is never
//! sent).

use crate::error::Error;
use crate::interceptor::{CallInfo, Interceptor, PresignRequest};
use boto_model::Value;

/// `rds.presigned_url`: botocore `inject_presigned_url_rds`, registered in
/// `handlers.py` for [`CrossRegionPresignedUrl::RDS`] (rds) and
/// [`CrossRegionPresignedUrl::CLUSTERS`] (neptune, docdb).
///
/// When the caller gives `SourceRegion`: it is removed from the request, and
/// unless the caller gave a `PreSignedUrl`, the call carries one for the same
/// request (without `SourceRegion`, with `DestinationRegion` = the client's
/// region) in the source region, valid one hour.
#[derive(Debug, Clone, Copy)]
pub struct CrossRegionPresignedUrl {
    /// The operations of the client's service that take `SourceRegion`.
    pub operations: &'static [&'static str],
}

impl CrossRegionPresignedUrl {
    /// rds's operations (`before-call.rds.*`).
    pub const RDS: CrossRegionPresignedUrl = CrossRegionPresignedUrl {
        operations: &[
            "CopyDBClusterSnapshot",
            "CreateDBCluster",
            "CopyDBSnapshot",
            "CreateDBInstanceReadReplica",
            "StartDBInstanceAutomatedBackupsReplication",
        ],
    };
    /// neptune's and docdb's operations (`before-call.neptune.*`, `before-call.docdb.*`).
    pub const CLUSTERS: CrossRegionPresignedUrl = CrossRegionPresignedUrl {
        operations: &["CopyDBClusterSnapshot", "CreateDBCluster"],
    };

    fn applies(&self, call: &CallInfo<'_>) -> bool {
        self.operations.contains(&&*call.operation.name)
    }
}

impl Interceptor for CrossRegionPresignedUrl {
    fn name(&self) -> &'static str {
        "rds.presigned_url"
    }

    /// Runs on the presigned copy too, so neither carries `SourceRegion`.
    fn modify_before_serialization(
        &self,
        call: &CallInfo<'_>,
        params: &mut Value,
    ) -> Result<(), Error> {
        if self.applies(call) {
            if let Some(map) = params.as_map_mut() {
                map.shift_remove("SourceRegion");
            }
        }
        Ok(())
    }

    fn presign_request(&self, call: &CallInfo<'_>, params: &Value) -> Option<PresignRequest> {
        if !self.applies(call) || !params.get("PreSignedUrl").is_null() {
            return None;
        }
        let source = params.get("SourceRegion").as_str()?;
        // botocore's `request_signer._region_name`; without a region the call
        // fails in endpoint resolution anyway.
        let destination = call.config.region.as_deref()?;
        // DestinationRegion is not an RDS API member: it is set in the
        // serialized request, as botocore does.
        Some(PresignRequest::cross_region(source, params, destination))
    }

    fn modify_with_presigned_url(
        &self,
        _call: &CallInfo<'_>,
        params: &mut Value,
        url: String,
    ) -> Result<(), Error> {
        if let Some(map) = params.as_map_mut() {
            map.insert("PreSignedUrl", Value::String(url.into()));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customizations::testutil::{v, Harness};

    fn harness(service: &str, op: &str) -> Harness {
        Harness::new(service, op).with_config(|c| c.region = Some("us-east-1".into()))
    }

    #[test]
    fn operations_exist_in_the_models() {
        // `Harness::new` asserts the operation exists, and each takes SourceRegion (sdk-extras).
        for (service, i) in [
            ("rds", CrossRegionPresignedUrl::RDS),
            ("neptune", CrossRegionPresignedUrl::CLUSTERS),
            ("docdb", CrossRegionPresignedUrl::CLUSTERS),
        ] {
            for op in i.operations {
                let h = harness(service, op);
                let input = h.model.shape(h.operation().input.as_ref().unwrap().target);
                let s = input.as_structure().unwrap();
                assert!(s.member("SourceRegion").is_some(), "{service}.{op}");
                assert!(s.member("PreSignedUrl").is_some(), "{service}.{op}");
            }
        }
    }

    #[test]
    fn source_region_asks_for_a_url_and_is_never_sent() {
        let h = harness("rds", "CopyDBSnapshot");
        let i = CrossRegionPresignedUrl::RDS;
        let mut p = v(
            serde_json::json!({"SourceDBSnapshotIdentifier": "arn:aws:rds:us-west-2:123456789012:snapshot:s",
                                         "TargetDBSnapshotIdentifier": "copy", "SourceRegion": "us-west-2"}),
        );
        let req = i.presign_request(&h.call(), &p).expect("a URL is wanted");
        assert_eq!(req.region, "us-west-2");
        assert_eq!(
            req.set_pairs,
            vec![("DestinationRegion".to_string(), "us-east-1".to_string())]
        );
        assert_eq!(req.expires_in.as_secs(), 3600);
        i.modify_with_presigned_url(&h.call(), &mut p, "https://u".into())
            .unwrap();
        i.modify_before_serialization(&h.call(), &mut p).unwrap();
        let body = String::from_utf8(h.serialize(&p).body.as_bytes().to_vec()).unwrap();
        assert_eq!(
            body,
            "Action=CopyDBSnapshot&Version=2014-10-31\
             &SourceDBSnapshotIdentifier=arn%3Aaws%3Ards%3Aus-west-2%3A123456789012%3Asnapshot%3As\
             &TargetDBSnapshotIdentifier=copy&PreSignedUrl=https%3A%2F%2Fu"
        );
    }

    #[test]
    fn given_url_or_no_source_region_leaves_the_call_alone() {
        let i = CrossRegionPresignedUrl::CLUSTERS;
        let h = harness("docdb", "CopyDBClusterSnapshot");
        let mut p = v(serde_json::json!({"SourceDBClusterSnapshotIdentifier": "a",
            "TargetDBClusterSnapshotIdentifier": "b", "SourceRegion": "eu-west-1", "PreSignedUrl": "mine"}));
        assert!(i.presign_request(&h.call(), &p).is_none());
        i.modify_before_serialization(&h.call(), &mut p).unwrap();
        assert!(p.get("SourceRegion").is_null());
        assert_eq!(p.get("PreSignedUrl").as_str(), Some("mine"));
        // A copy within the region.
        let p = v(serde_json::json!({"SourceDBClusterSnapshotIdentifier": "a",
            "TargetDBClusterSnapshotIdentifier": "b"}));
        assert!(i.presign_request(&h.call(), &p).is_none());
        // Other operations (neptune has no CopyDBSnapshot hook).
        let h = harness("neptune", "CopyDBParameterGroup");
        let p = v(serde_json::json!({"SourceRegion": "eu-west-1"}));
        assert!(i.presign_request(&h.call(), &p).is_none());
    }
}
