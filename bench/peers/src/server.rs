//! The canned server: HTTP/1.1 keep-alive on 127.0.0.1, one thread, answers
//! DynamoDB GetItem (with the `x-amz-crc32` both SDKs check), S3 HeadObject
//! and ListObjectsV2 with 1,000 keys. The answers are built once.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::{body::Incoming, Request, Response};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::sync::OnceLock;

pub const GET_ITEM: &str = r#"{"Item":{"pk":{"S":"user#12345"},"sk":{"S":"profile"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"},"tags":{"SS":["math","poetry"]},"address":{"M":{"city":{"S":"London"}}}}}"#;

fn list_body() -> &'static Bytes {
    static BODY: OnceLock<Bytes> = OnceLock::new();
    BODY.get_or_init(|| {
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
        Bytes::from(s)
    })
}

async fn handle(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let target = req
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let method = req.method().clone();
    let list = req.uri().query().is_some_and(|q| q.contains("list-type=2"));
    let _ = req.into_body().collect().await;
    let common = |b: hyper::http::response::Builder| {
        b.header(
            "x-amzn-requestid",
            "BENCHREQUESTID0000000000000000000000000000000",
        )
        .header("date", "Wed, 01 May 2024 12:00:00 GMT")
    };
    let resp = if target.ends_with(".GetItem") {
        common(Response::builder())
            .header("content-type", "application/x-amz-json-1.0")
            .header(
                "x-amz-crc32",
                crc32fast::hash(GET_ITEM.as_bytes()).to_string(),
            )
            .body(Full::new(Bytes::from_static(GET_ITEM.as_bytes())))
    } else if method == hyper::Method::HEAD {
        common(Response::builder())
            .header("x-amz-request-id", "BENCH0000000000")
            .header("etag", "\"fba9dede5f27731c9771645a39863328\"")
            .header("last-modified", "Wed, 01 May 2024 12:00:00 GMT")
            .header("content-type", "image/jpeg")
            .header("content-length", "123456")
            .header("accept-ranges", "bytes")
            .header("x-amz-meta-owner", "ada")
            .body(Full::new(Bytes::new()))
    } else if list {
        common(Response::builder())
            .header("x-amz-request-id", "BENCH0000000000")
            .header("content-type", "application/xml")
            .body(Full::new(list_body().clone()))
    } else {
        common(Response::builder().status(404)).body(Full::new(Bytes::new()))
    };
    Ok(resp.expect("static response"))
}

pub fn run(portfile: &str) {
    super::runtime().block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let tmp = format!("{portfile}.tmp");
        std::fs::write(&tmp, port.to_string()).expect("write port file");
        std::fs::rename(&tmp, portfile).expect("rename port file");
        list_body();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(async move {
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), hyper::service::service_fn(handle))
                    .await;
            });
        }
    })
}
