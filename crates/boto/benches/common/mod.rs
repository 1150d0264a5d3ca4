//! The client bench's server and clients, shared with `examples/allocs.rs`
//! (which counts allocations for the same calls). Its includer also
//! includes `boto-runtime/tests/support` as `crate::support`.

use crate::support::{self, Reply, TestServer};
use boto::core::auth::config::AddressingStyle;
use boto::{params, Client, ClientOptions, Session};

pub const GET_ITEM: &str = r#"{"Item":{"pk":{"S":"user#12345"},"sk":{"S":"profile"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"},"tags":{"SS":["math","poetry"]},"address":{"M":{"city":{"S":"London"}}}}}"#;

/// A ListObjectsV2 page of 1,000 keys, the body `bench/peers`'s server sends.
pub fn list_body() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>bench</Name><Prefix></Prefix><KeyCount>1000</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>",
    );
    for i in 0..1000 {
        s.push_str(&format!(
            "<Contents><Key>photos/2024/05/img-{i:05}.jpg</Key><LastModified>2024-05-01T12:{:02}:00.000Z</LastModified><ETag>&quot;fba9dede5f27731c9771645a3986{i:04}&quot;</ETag><ChecksumAlgorithm>CRC32</ChecksumAlgorithm><ChecksumType>FULL_OBJECT</ChecksumType><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
            i % 60,
            100_000 + i * 7
        ));
    }
    s.push_str("</ListBucketResult>");
    s
}

pub fn server() -> TestServer {
    let list = list_body();
    TestServer::start_unrecorded(move |req, _| {
        if req.method == "HEAD" {
            support::Action::Reply(
                Reply::new(200)
                    .header("ETag", "\"fba9dede5f27731c9771645a39863328\"")
                    .header("Last-Modified", "Wed, 12 Oct 2023 17:50:00 GMT")
                    .header("Content-Type", "text/plain")
                    .header("x-amz-meta-owner", "ada"),
            )
        } else if req.target.contains("list-type=2") {
            support::Action::Reply(Reply::xml(200, &list))
        } else {
            support::Action::Reply(Reply::json(200, GET_ITEM))
        }
    })
}

pub fn session() -> Session {
    Session::builder()
        .region("us-east-1")
        .credentials("AKIDBENCH", "benchsecret", None)
        .build()
        .expect("session")
}

pub fn clients(endpoint: &str) -> (Client, Client) {
    let session = session();
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

pub fn get_item_params() -> boto::Value {
    params! {"TableName": "users", "Key": {"pk": {"S": "user#12345"}, "sk": {"S": "profile"}}}
}
