//! boto3's resource layer (`boto3.resources`) on boto-rs: resources, collections and
//! DynamoDB's high-level API, interpreted from boto3's `resources-1.json` models.
//!
//! Unlike boto3's, every resource is `Clone + Send + Sync`.

pub mod dynamodb;
