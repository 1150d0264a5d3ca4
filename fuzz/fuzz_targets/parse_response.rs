//! Fuzzes every response parser with real models: the first byte picks the
//! protocol/operation and the status, the rest is the body.
//!
//! Run with `cargo +nightly fuzz run parse_response` from `fuzz/`.

#![no_main]

use boto_model::{Loader, ServiceModel};
use boto_protocols::de::{parse_error_as, parse_response_as, Protocol};
use boto_protocols::Response;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

const SUBJECTS: [(&str, &str, Protocol); 6] = [
    ("dynamodb", "GetItem", Protocol::Json),
    ("sts", "AssumeRole", Protocol::Query),
    ("ec2", "DescribeInstances", Protocol::Ec2),
    ("lambda", "GetFunction", Protocol::RestJson),
    ("s3", "ListObjectsV2", Protocol::RestXml),
    ("cloudwatch", "GetMetricData", Protocol::Cbor),
];

fn models() -> &'static Vec<Arc<ServiceModel>> {
    static MODELS: OnceLock<Vec<Arc<ServiceModel>>> = OnceLock::new();
    MODELS.get_or_init(|| {
        SUBJECTS
            .iter()
            .map(|(svc, _, _)| Loader::global().service_model(svc).expect("model"))
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let i = (sel & 0x0f) as usize % SUBJECTS.len();
    let status = [200u16, 400, 404, 500][(sel >> 4) as usize % 4];
    let (_, op_name, protocol) = SUBJECTS[i];
    let model = &models()[i];
    let Some(op) = model.operation(op_name) else {
        return;
    };
    let headers = vec![
        ("x-amzn-RequestId".to_string(), "RID".to_string()),
        ("x-amz-request-id".to_string(), "RID2".to_string()),
        ("x-amz-meta-a".to_string(), "b".to_string()),
    ];
    let resp = Response {
        status,
        headers: &headers,
        body,
    };
    let _ = parse_response_as(protocol, model, op, &resp);
    let err = parse_error_as(protocol, model, op, &resp);
    assert_eq!(err.status, status);
});
