//! boto3's injected resource customizations — the only per-service code in
//! this crate; everything else comes from the models.
//!
//! | boto3 handler | here |
//! |---|---|
//! | `s3.inject.bucket_load` (Bucket `load` through ListBuckets) | [`s3`] |
//! | `s3.inject.object_summary_load` (HeadObject, `ContentLength` → `Size`) | [`s3`] |
//! | `s3.inject` Bucket/Object `upload_file`, `download_file`, `copy` | [`s3`] (single-request paths until the transfer manager lands) |
//! | `ec2.createtags.inject_create_tags` (service resource `create_tags`) | [`ec2`] |
//! | `ec2.deletetags.inject_delete_tags` (Instance `delete_tags`) | [`ec2`] |
//! | `dynamodb.transform.register_high_level_interface` | the DynamoDB hook in `context.rs` |
//!
//! Injected actions are called like model actions
//! (`object.action("upload_file", params!{"Filename": "/tmp/x"})`) and are
//! listed by the introspection; typed helpers are in the submodules.

pub mod ec2;
pub mod s3;

use crate::model::ResourceDef;
use crate::response::ActionOutput;
use crate::Resource;
use boto::core::runtime::http::BoxFuture;
use boto::{Error, Value};

/// The injected actions of a class (for introspection and suggestions).
pub fn action_names(def: &ResourceDef) -> &'static [&'static str] {
    match (def.service.as_str(), def.name.as_str(), def.is_service) {
        ("s3", "Bucket" | "Object", false) => &["copy", "download_file", "upload_file"],
        ("ec2", _, true) => &["create_tags"],
        ("ec2", "Instance", false) => &["delete_tags"],
        _ => &[],
    }
}

pub(crate) fn has_custom_load(def: &ResourceDef) -> bool {
    def.service == "s3"
        && !def.is_service
        && matches!(def.name.as_str(), "Bucket" | "ObjectSummary")
}

pub(crate) fn custom_load(r: &Resource) -> Option<BoxFuture<'_, Result<Value, Error>>> {
    if !has_custom_load(r.model()) {
        return None;
    }
    Some(match r.resource_name() {
        "Bucket" => Box::pin(s3::bucket_load(r)),
        _ => Box::pin(s3::object_summary_load(r)),
    })
}

pub(crate) fn action<'a>(
    r: &'a Resource,
    name: &str,
    params: Value,
) -> Option<BoxFuture<'a, Result<ActionOutput, Error>>> {
    let def = r.model();
    let name = action_names(def).iter().find(|n| **n == name)?;
    Some(match *name {
        "create_tags" => Box::pin(ec2::create_tags_action(r, params)),
        "delete_tags" => Box::pin(ec2::delete_tags_action(r, params)),
        "upload_file" => Box::pin(s3::upload_file_action(r, params)),
        "download_file" => Box::pin(s3::download_file_action(r, params)),
        _ => Box::pin(s3::copy_action(r, params)),
    })
}

/// A string member of the caller's parameters, or a clear error.
pub(crate) fn required_str(params: &boto::Map, what: &str, key: &str) -> Result<String, Error> {
    params
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| {
            Error::validation(format!(
                "{what}: missing required parameter {key:?} (a string)"
            ))
        })
}
