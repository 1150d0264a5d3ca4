//! The partitions table behind `aws.partition`.
//!
//! The table (`partitions.json`) is owned by the caller, who embeds it once
//! and passes it to every resolution; this keeps the engine free of global
//! state and lets tests substitute their own table. Lookup follows botocore:
//! the first partition whose explicit region list contains the region, or
//! whose `regionRegex` matches it, wins; otherwise the first partition (the
//! `aws` partition) is the fallback.

use std::collections::HashSet;

use serde_json::{Map, Value as Json};

use crate::error::RuleSetError;
use crate::regex::Regex;

#[derive(Debug, Clone)]
struct Partition {
    id: String,
    regex: Regex,
    regions: HashSet<String>,
    /// `outputs` with `name` forced to the partition id.
    outputs: Json,
}

/// A loaded partitions table.
#[derive(Debug, Clone)]
pub struct Partitions {
    partitions: Vec<Partition>,
}

fn invalid(msg: impl Into<String>) -> RuleSetError {
    RuleSetError::Invalid(msg.into())
}

impl Partitions {
    /// Load `partitions.json` from bytes.
    pub fn from_json(bytes: &[u8]) -> Result<Partitions, RuleSetError> {
        let v: Json =
            serde_json::from_slice(bytes).map_err(|e| RuleSetError::Json(e.to_string()))?;
        Partitions::from_value(&v)
    }

    /// Load from an already-decoded `partitions.json` document.
    pub fn from_value(v: &Json) -> Result<Partitions, RuleSetError> {
        let list = v
            .get("partitions")
            .and_then(Json::as_array)
            .ok_or_else(|| invalid("partitions document must have a partitions array"))?;
        let mut partitions = Vec::with_capacity(list.len());
        for p in list {
            let id = p
                .get("id")
                .and_then(Json::as_str)
                .ok_or_else(|| invalid("partition without id"))?
                .to_owned();
            let pattern = p
                .get("regionRegex")
                .and_then(Json::as_str)
                .ok_or_else(|| invalid(format!("partition {id} without regionRegex")))?;
            let regex = Regex::new(pattern)
                .map_err(|e| invalid(format!("partition {id}: bad regionRegex: {e}")))?;
            let regions = p
                .get("regions")
                .and_then(Json::as_object)
                .map(|r| r.keys().cloned().collect())
                .unwrap_or_default();
            let mut outputs: Map<String, Json> = p
                .get("outputs")
                .and_then(Json::as_object)
                .cloned()
                .unwrap_or_default();
            outputs.insert("name".into(), Json::String(id.clone()));
            partitions.push(Partition {
                id,
                regex,
                regions,
                outputs: Json::Object(outputs),
            });
        }
        Ok(Partitions { partitions })
    }

    /// The `aws.partition` result for `region` (as a JSON object), or
    /// `None` only when the table is empty.
    pub fn resolve(&self, region: Option<&str>) -> Option<&Json> {
        if let Some(region) = region {
            if let Some(p) = self.partitions.iter().find(|p| p.regions.contains(region)) {
                return Some(&p.outputs);
            }
            if let Some(p) = self.partitions.iter().find(|p| p.regex.is_match(region)) {
                return Some(&p.outputs);
            }
        }
        self.partitions.first().map(|p| &p.outputs)
    }

    /// The id of the partition `region` belongs to (with the same fallback
    /// as [`resolve`](Self::resolve)).
    pub fn partition_id(&self, region: &str) -> Option<&str> {
        self.resolve(Some(region))
            .and_then(|o| o.get("name"))
            .and_then(Json::as_str)
    }

    /// Partition ids in table order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.partitions.iter().map(|p| p.id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Partitions {
        Partitions::from_value(&serde_json::json!({"version":"1.1","partitions":[
            {"id":"aws","regionRegex":"^(us|eu)\\-\\w+\\-\\d+$",
             "regions":{"aws-global":{}},
             "outputs":{"name":"aws","dnsSuffix":"amazonaws.com","supportsFIPS":true}},
            {"id":"aws-cn","regionRegex":"^cn\\-\\w+\\-\\d+$",
             "regions":{"aws-cn-global":{}},
             "outputs":{"name":"ignored","dnsSuffix":"amazonaws.com.cn"}}
        ]}))
        .unwrap()
    }

    #[test]
    fn lookup() {
        let t = table();
        assert_eq!(t.partition_id("us-east-1"), Some("aws"));
        assert_eq!(t.partition_id("cn-north-1"), Some("aws-cn"));
        assert_eq!(t.partition_id("aws-cn-global"), Some("aws-cn"));
        // Unknown regions and no region fall back to the first partition.
        assert_eq!(t.partition_id("mars-1"), Some("aws"));
        assert_eq!(t.resolve(None).unwrap()["name"], "aws");
        assert_eq!(
            t.resolve(Some("cn-north-1")).unwrap()["dnsSuffix"],
            "amazonaws.com.cn"
        );
    }
}
