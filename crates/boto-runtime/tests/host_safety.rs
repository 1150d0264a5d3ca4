//! Nothing is signed or sent to a host that a value has bent: hostile regions
//! (from any source reaching the client), hostile custom endpoint URLs, a
//! hostile region named by a server in an S3 redirect, and an input value
//! pasted into a host by a rule set are all refused before a request exists.

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_model::{params, Loader, Value};
use boto_runtime::http::{BoxFuture, ByteStream, HttpClient, HttpRequest, HttpResponse};
use boto_runtime::{ClientBuilder, ClientConfig, Error, ErrorKind};
use std::sync::{Arc, Mutex};

const HOSTILE_REGIONS: &[&str] = &[
    "x@127.0.0.2:36206/",
    "us-east-1.evil.example",
    "us-east-1/",
    "us-east-1:443",
    "us-east-1\r\nHost: evil",
    "123",
    "-us-east-1",
];

/// Records every request; answers with `status` and `headers`.
struct Recorder {
    urls: Mutex<Vec<String>>,
    status: u16,
    headers: Vec<(String, String)>,
    body: &'static [u8],
}

impl Recorder {
    fn ok() -> Arc<Self> {
        Self::answering(200, vec![], b"{}")
    }
    fn answering(status: u16, headers: Vec<(String, String)>, body: &'static [u8]) -> Arc<Self> {
        Arc::new(Recorder {
            urls: Mutex::new(Vec::new()),
            status,
            headers,
            body,
        })
    }
    fn urls(&self) -> Vec<String> {
        self.urls.lock().unwrap().clone()
    }
}

impl HttpClient for Recorder {
    fn send(&self, req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, Error>> {
        self.urls.lock().unwrap().push(req.url.clone());
        Box::pin(async move {
            Ok(HttpResponse {
                status: self.status,
                headers: self.headers.clone(),
                body: ByteStream::from_bytes(self.body.to_vec()),
            })
        })
    }
}

fn creds() -> Arc<StaticProvider> {
    Arc::new(StaticProvider::new(Credentials::new(
        "AKIDEXAMPLE",
        "SECRETEXAMPLE",
        Some("TOKENEXAMPLE".into()),
        None,
        "test",
    )))
}

fn client(
    service: &str,
    config: ClientConfig,
    http: Arc<Recorder>,
) -> Result<boto_runtime::Client, Error> {
    ClientBuilder::new(service)
        .config(config)
        .credentials(creds())
        .http_client(http)
        .build()
}

#[test]
fn hostile_regions_are_refused_when_the_client_is_built() {
    for service in ["sts", "secretsmanager", "dynamodb", "s3"] {
        for region in HOSTILE_REGIONS {
            let http = Recorder::ok();
            let config = ClientConfig {
                region: Some(region.to_string()),
                ..Default::default()
            };
            let err = client(service, config, http.clone()).expect_err(region);
            assert_eq!(err.kind(), ErrorKind::Construction, "{service} {region:?}");
            let shown = region.escape_debug().to_string();
            assert_eq!(
                err.message(),
                format!("Provided region_name '{shown}' doesn't match a supported format."),
                "{service} {region:?}"
            );
            assert!(http.urls().is_empty());
        }
    }
}

#[test]
fn plain_regions_still_work() {
    for region in [
        "us-east-1",
        "eu-west-1",
        "cn-north-1",
        "us-gov-west-1",
        "local",
    ] {
        let config = ClientConfig {
            region: Some(region.into()),
            ..Default::default()
        };
        client("dynamodb", config, Recorder::ok()).expect(region);
    }
}

#[test]
fn hostile_endpoint_urls_are_refused() {
    for url in [
        "not a url",
        "ftp://example.com",
        "http://user@evil.example/",
        "http://a b/",
        "http://example.com:99999/",
        "http://example.com/pa th",
        "http://exa\nmple.com/",
        "http:///path",
    ] {
        let config = ClientConfig {
            region: Some("us-east-1".into()),
            endpoint_url: Some(url.into()),
            ..Default::default()
        };
        let err = client("s3", config, Recorder::ok()).expect_err(url);
        assert_eq!(err.kind(), ErrorKind::Construction, "{url:?}");
        assert!(
            err.message().starts_with("Invalid endpoint: "),
            "{url:?}: {err}"
        );
    }
    for url in [
        "http://127.0.0.1:4566",
        "https://localhost:8443/base/",
        "http://[::1]:9000",
    ] {
        let config = ClientConfig {
            region: Some("us-east-1".into()),
            endpoint_url: Some(url.into()),
            ..Default::default()
        };
        client("s3", config, Recorder::ok()).expect(url);
    }
}

#[tokio::test]
async fn a_server_named_hostile_region_is_not_followed() {
    let hostile = "x@127.0.0.2:36206/";
    let http = Recorder::answering(
        301,
        vec![("x-amz-bucket-region".into(), hostile.into())],
        b"<Error><Code>PermanentRedirect</Code><Message>elsewhere</Message></Error>",
    );
    let config = ClientConfig {
        region: Some("us-east-1".into()),
        ..Default::default()
    };
    let s3 = client("s3", config, http.clone()).unwrap();
    let err = s3
        .call("ListObjectsV2", params! {"Bucket": "my-bucket"})
        .await
        .expect_err("a redirect to a hostile region must fail");
    assert!(err.is_code("PermanentRedirect"), "{err}");
    let urls = http.urls();
    assert_eq!(urls.len(), 1, "{urls:?}");
    assert!(
        urls[0].starts_with("https://my-bucket.s3.amazonaws.com/"),
        "{urls:?}"
    );
}

/// A service whose rule set pastes an input member into the host unchecked,
/// loaded through a data path the way `BOTO_DATA_PATH` models are.
fn hostile_model_loader() -> &'static Loader {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("boto-host-safety-{}", std::process::id()));
    let v = dir.join("hostile").join("2020-01-01");
    std::fs::create_dir_all(&v).unwrap();
    std::fs::write(
        v.join("service-2.json"),
        r#"{"version":"2.0","metadata":{"apiVersion":"2020-01-01","endpointPrefix":"hostile",
        "jsonVersion":"1.0","protocol":"json","serviceFullName":"Hostile","serviceId":"Hostile",
        "signatureVersion":"v4","signingName":"hostile","targetPrefix":"Hostile","uid":"hostile-2020-01-01"},
        "operations":{"Go":{"name":"Go","http":{"method":"POST","requestUri":"/"},"input":{"shape":"GoInput"}}},
        "shapes":{"GoInput":{"type":"structure","members":{"Name":{"shape":"S","contextParam":{"name":"Name"}}}},
        "S":{"type":"string"}}}"#,
    )
    .unwrap();
    std::fs::write(
        v.join("endpoint-rule-set-1.json"),
        r#"{"version":"1.0","parameters":{
          "Region":{"type":"String","builtIn":"AWS::Region","required":false},
          "Name":{"type":"String","required":false}},
        "rules":[{"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Name"}]}],
                  "endpoint":{"url":"https://{Name}.example.com"}},
                 {"type":"error","conditions":[],"error":"Name is required"}]}"#,
    )
    .unwrap();
    Box::leak(Box::new(Loader::with_data_paths(vec![dir])))
}

#[tokio::test]
async fn a_bent_host_from_a_rule_set_is_refused_before_signing() {
    let loader = hostile_model_loader();
    let http = Recorder::ok();
    let c = ClientBuilder::new("hostile")
        .loader(loader)
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            ..Default::default()
        })
        .credentials(creds())
        .http_client(http.clone())
        .build()
        .unwrap();
    // Caught while the rule set renders the URL (a value may not carry
    // `/?#@`, whitespace or controls into the host) ...
    for name in [
        "x@127.0.0.2:36206/",
        "a/b",
        "a b",
        "a?b",
        "a#b",
        "a\\b",
        "a\r\nb",
    ] {
        let err = c
            .call("Go", params! {"Name": (Value::from(name))})
            .await
            .expect_err(name);
        assert_eq!(err.kind(), ErrorKind::Endpoint, "{name:?}: {err}");
        assert!(
            err.message()
                .contains("cannot be part of an endpoint's host name"),
            "{name:?}: {err}"
        );
    }
    // ... or by the authority check before signing (a port without a custom endpoint).
    for name in ["evil.example:8443", "evil.example:"] {
        let err = c
            .call("Go", params! {"Name": (Value::from(name))})
            .await
            .expect_err(name);
        assert_eq!(err.kind(), ErrorKind::Endpoint, "{name:?}: {err}");
        assert!(
            err.message().contains("refusing to send"),
            "{name:?}: {err}"
        );
    }
    assert!(http.urls().is_empty(), "{:?}", http.urls());
    c.call("Go", params! {"Name": "good"}).await.unwrap();
    assert_eq!(http.urls(), vec!["https://good.example.com/".to_string()]);
}
