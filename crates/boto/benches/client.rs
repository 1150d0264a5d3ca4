//! Round-trip cost of a call through the whole client against an in-process server.
//!
//! `bench/compare_boto3.sh` compares with boto3 across processes; this is the
//! in-repo regression guard: DynamoDB GetItem (json) and S3 HeadObject
//! (rest-xml) over a real loopback socket with keep-alive, so it covers
//! serialization, endpoint resolution, SigV4, hyper, parsing and the
//! customizations, but not the network. The server is the scripted test
//! server from `boto-runtime/tests/support` on its own thread.

#[path = "../../boto-runtime/tests/support/mod.rs"]
mod support;

use boto::core::auth::config::AddressingStyle;
use boto::{params, Client, ClientOptions, Session};
use criterion::{criterion_group, criterion_main, Criterion};
use support::{Reply, TestServer};

const GET_ITEM: &str = r#"{"Item":{"pk":{"S":"user#12345"},"sk":{"S":"profile"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"},"tags":{"SS":["math","poetry"]},"address":{"M":{"city":{"S":"London"}}}}}"#;

fn server() -> TestServer {
    TestServer::start_unrecorded(|req, _| {
        if req.method == "HEAD" {
            support::Action::Reply(
                Reply::new(200)
                    .header("ETag", "\"fba9dede5f27731c9771645a39863328\"")
                    .header("Last-Modified", "Wed, 12 Oct 2023 17:50:00 GMT")
                    .header("Content-Type", "text/plain")
                    .header("x-amz-meta-owner", "ada"),
            )
        } else {
            support::Action::Reply(Reply::json(200, GET_ITEM))
        }
    })
}

fn clients(endpoint: &str) -> (Client, Client) {
    let session = Session::builder()
        .region("us-east-1")
        .credentials("AKIDBENCH", "benchsecret", None)
        .build()
        .expect("session");
    let ddb = session
        .client_with(
            "dynamodb",
            &ClientOptions {
                endpoint_url: Some(endpoint.into()),
                ..Default::default()
            },
        )
        .expect("dynamodb client");
    let s3 = session
        .client_with(
            "s3",
            &ClientOptions {
                endpoint_url: Some(endpoint.into()),
                addressing_style: Some(AddressingStyle::Path),
                ..Default::default()
            },
        )
        .expect("s3 client");
    (ddb, s3)
}

fn round_trips(c: &mut Criterion) {
    let server = server();
    let (ddb, s3) = clients(&server.url());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let key =
        params! {"TableName": "users", "Key": {"pk": {"S": "user#12345"}, "sk": {"S": "profile"}}};
    c.bench_function("dynamodb_get_item_round_trip", |b| {
        b.iter(|| {
            let out = rt
                .block_on(ddb.call("GetItem", key.clone()))
                .expect("GetItem");
            assert!(out.pointer("Item.name.S").as_str().is_some());
        })
    });
    c.bench_function("s3_head_object_round_trip", |b| {
        b.iter(|| {
            let out = rt
                .block_on(s3.call(
                    "HeadObject",
                    params! {"Bucket": "bench-bucket", "Key": "data/object.txt"},
                ))
                .expect("HeadObject");
            assert!(out.get("ETag").as_str().is_some());
        })
    });
    c.bench_function("client_creation_dynamodb_and_s3", |b| {
        b.iter(|| clients(&server.url()))
    });
}

criterion_group!(benches, round_trips);
criterion_main!(benches);
