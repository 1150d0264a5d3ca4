//! botocore's `xform_name`: `ListObjectsV2` → `list_objects_v2`.
//!
//! The implementation lives in `boto-model-compile`, which needs it to write
//! the operation lookup table of compiled models.
//!
//! boto3 method names and aws-cli command names come from this transform, so
//! it must match botocore exactly, including its table of irregular names.

pub use boto_model_compile::names::xform_name;
