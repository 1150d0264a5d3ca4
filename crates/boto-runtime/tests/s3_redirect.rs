//! S3 region redirects: a request sent to the wrong region is re-sent once to
//! the region S3 names, and the bucket's region is remembered for later calls.

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_model::params;
use boto_runtime::http::{BoxFuture, ByteStream, HttpClient, HttpRequest, HttpResponse};
use boto_runtime::{ClientBuilder, ClientConfig, Error};
use std::sync::{Arc, Mutex};

/// Answers like S3: 301 + `x-amz-bucket-region: eu-west-1` unless the request
/// went to an eu-west-1 host.
#[derive(Default)]
struct FakeS3 {
    urls: Mutex<Vec<String>>,
}

impl HttpClient for FakeS3 {
    fn send(&self, req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        self.urls.lock().unwrap().push(req.url.clone());
        let right = req.url.contains(".eu-west-1.");
        let auth_region_ok = req
            .headers
            .iter()
            .any(|(k, v)| k == "Authorization" && v.contains("/eu-west-1/s3/"));
        Box::pin(async move {
            let (status, body): (u16, &[u8]) = if right && auth_region_ok {
                (200, b"<ListBucketResult><Name>my-bucket</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>")
            } else {
                (301, b"<Error><Code>PermanentRedirect</Code><Message>use the right endpoint</Message></Error>")
            };
            Ok(HttpResponse {
                status,
                headers: vec![("x-amz-bucket-region".into(), "eu-west-1".into())],
                body: ByteStream::from_bytes(body.to_vec()),
            })
        })
    }
}

#[tokio::test]
async fn redirects_once_and_remembers_the_region() {
    let http = Arc::new(FakeS3::default());
    let client = ClientBuilder::new("s3")
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            ..Default::default()
        })
        .credentials(Arc::new(StaticProvider::new(Credentials::new(
            "AKID", "SECRET", None, None, "test",
        ))))
        .http_client(http.clone())
        .build()
        .unwrap();
    let out = client
        .call("ListObjectsV2", params! {"Bucket": "my-bucket"})
        .await
        .unwrap();
    assert_eq!(out.get("Name").as_str(), Some("my-bucket"));
    {
        let urls = http.urls.lock().unwrap();
        assert_eq!(urls.len(), 2, "{urls:?}");
        assert!(
            urls[0].starts_with("https://my-bucket.s3.amazonaws.com/"),
            "{}",
            urls[0]
        );
        assert!(
            urls[1].starts_with("https://my-bucket.s3.eu-west-1.amazonaws.com/"),
            "{}",
            urls[1]
        );
    }
    // Next call goes straight to eu-west-1.
    client
        .call("ListObjectsV2", params! {"Bucket": "my-bucket"})
        .await
        .unwrap();
    assert_eq!(http.urls.lock().unwrap().len(), 3);
}
