//! One flow per service and protocol against moto:
//!
//! * SQS (json with awsQueryCompatible): queues, attributes, send (MD5s
//!   checked by the client), batch send, receive with attributes, delete,
//!   `QueueDoesNotExist`;
//! * IAM (query): users and roles, the ListUsers paginator, decoded policy
//!   documents, `NoSuchEntity`, `EntityAlreadyExists`;
//! * STS (query): GetCallerIdentity, AssumeRole;
//! * SNS (query): topics, an SQS subscription that receives a publish,
//!   the ListTopics paginator, `NotFound`;
//! * Lambda (rest-json): create (zipped handler)/get/list/delete — moto
//!   needs docker to invoke, so Invoke is not covered;
//! * Secrets Manager (json): versions, ListSecrets, `ResourceNotFoundException`;
//! * Kinesis (json): stream waiter, PutRecord/PutRecords/GetRecords with binary blobs;
//! * CloudWatch: the model lists `smithy-rpc-v2-cbor`, `json`, `query`;
//!   boto-rs prefers json (moto does not speak CBOR), so PutMetricData,
//!   ListMetrics and GetMetricStatistics go over awsJson1_0;
//! * CloudFormation (query): a stack with an S3 bucket, the
//!   `stack_create_complete` / `stack_delete_complete` waiters.

#[macro_use]
#[path = "../support/mod.rs"]
mod support;

use boto::core::runtime::waiter::WaiterConfig;
use boto::{params, ErrorKind, Timestamp, Value};
use std::collections::BTreeSet;
use std::time::Duration;
use support::{client, list_len, unique, zip_stored, TestResult};

fn fast() -> WaiterConfig {
    WaiterConfig {
        delay: Some(Duration::from_millis(200)),
        max_attempts: Some(50),
    }
}

mod iam_sts_sns;
mod kinesis_cloudwatch_cfn;
mod lambda_secrets;
mod sqs;
