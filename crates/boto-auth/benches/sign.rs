//! Signing cost: one small header-signed request, and presigning S3 GetObject
//! URLs in bulk (reported per URL), the two hot paths of the runtime.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use boto_auth::sigv4::{
    presign, sign, SignableBody, SignableRequest, SigningParams, SigningSettings,
};
use boto_auth::Credentials;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn creds() -> Credentials {
    Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        Some("session-token".into()),
        None,
        "bench",
    )
}

fn bench_sign(c: &mut Criterion) {
    let creds = creds();
    let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
    let body = br#"{"TableName":"music","Key":{"Artist":{"S":"No One You Know"}}}"#;
    let params = SigningParams::new("us-east-1", "dynamodb", time);
    c.bench_function("sign_small_request", |b| {
        b.iter(|| {
            let req =
                SignableRequest::new("POST", "https", "dynamodb.us-east-1.amazonaws.com", "/")
                    .header("Content-Type", "application/x-amz-json-1.0")
                    .header("X-Amz-Target", "DynamoDB_20120810.GetItem")
                    .header("User-Agent", "boto-rs/0.1")
                    .body(SignableBody::Bytes(body));
            black_box(sign(black_box(&req), &creds, &params).unwrap())
        })
    });

    // The headers boto-rs sends with a DynamoDB GetItem (as `--debug` shows
    // them), against a local endpoint with a port: what a call signs in place.
    let body = br#"{"TableName":"t","Key":{"pk":{"S":"user#1"}}}"#;
    c.bench_function("sign_getitem_request (7 headers)", |b| {
        b.iter(|| {
            let req = SignableRequest::new("POST", "http", "127.0.0.1:45123", "/")
                .header("X-Amz-Target", "DynamoDB_20120810.GetItem")
                .header("Content-Type", "application/x-amz-json-1.0")
                .header(
                    "User-Agent",
                    "boto-rs/0.1.0 md/rustc os/linux lang/rust api/dynamodb#2012-08-10",
                )
                .header(
                    "amz-sdk-invocation-id",
                    "98abaa68-f261-4c15-ac8a-cd3ad54c88de",
                )
                .header("amz-sdk-request", "attempt=1; max=5")
                .header("Content-Length", "45")
                .body(SignableBody::Bytes(body));
            black_box(sign(black_box(&req), &creds, &params).unwrap())
        })
    });

    let keys: Vec<String> = (0..1000)
        .map(|i| format!("/photos/2024/img-{i:04}.jpg"))
        .collect();
    let s3 = SigningParams::new("us-west-2", "s3", time).with_settings(SigningSettings::s3());
    let mut group = c.benchmark_group("presign_s3_get_object");
    group.throughput(Throughput::Elements(keys.len() as u64));
    group.bench_function("1000_urls", |b| {
        b.iter(|| {
            for key in &keys {
                let req = SignableRequest::new(
                    "GET",
                    "https",
                    "examplebucket.s3.us-west-2.amazonaws.com",
                    key,
                );
                black_box(presign(&req, &creds, &s3).unwrap());
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_sign);
criterion_main!(benches);
