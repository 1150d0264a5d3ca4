//! The three clients, each doing the same three calls and checking the answer
//! (so a client that stopped parsing would fail, not look fast).

use bytes::Bytes;
use http_body_util::{BodyExt, Full};

#[derive(Clone, Copy, Debug)]
pub enum Impl {
    Boto,
    Sdk,
    Bare,
}

impl Impl {
    pub fn parse(s: &str) -> Option<Impl> {
        Some(match s {
            "boto" => Impl::Boto,
            "sdk" => Impl::Sdk,
            "bare" => Impl::Bare,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Op {
    GetItem,
    HeadObject,
    List,
}

impl Op {
    pub fn parse(s: &str) -> Option<Op> {
        Some(match s {
            "getitem" => Op::GetItem,
            "headobject" => Op::HeadObject,
            "list" => Op::List,
            _ => return None,
        })
    }
}

#[derive(Clone)]
pub enum Client {
    Boto {
        ddb: boto::Client,
        s3: boto::Client,
    },
    Sdk {
        ddb: aws_sdk_dynamodb::Client,
        s3: aws_sdk_s3::Client,
    },
    Bare {
        http: hyper_util::client::legacy::Client<
            hyper_util::client::legacy::connect::HttpConnector,
            Full<Bytes>,
        >,
        base: String,
        host: String,
    },
}

const AUTH: &str = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240501/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

impl Client {
    pub fn new(imp: Impl, url: &str) -> Client {
        match imp {
            Impl::Boto => {
                let session = boto::Session::builder()
                    .region("us-east-1")
                    .credentials("AKIDBENCH", "benchsecret", None)
                    .build()
                    .expect("session");
                let opts = |path: bool| boto::ClientOptions {
                    endpoint_url: Some(url.to_string()),
                    addressing_style: path
                        .then_some(boto::core::auth::config::AddressingStyle::Path),
                    ..Default::default()
                };
                Client::Boto {
                    ddb: session
                        .client_with("dynamodb", &opts(false))
                        .expect("dynamodb"),
                    s3: session.client_with("s3", &opts(true)).expect("s3"),
                }
            }
            Impl::Sdk => {
                use aws_sdk_dynamodb::config as dc;
                use aws_sdk_s3::config as sc;
                let ddb = dc::Builder::new()
                    .behavior_version(dc::BehaviorVersion::latest())
                    .region(dc::Region::new("us-east-1"))
                    .endpoint_url(url)
                    .credentials_provider(dc::Credentials::new(
                        "AKIDBENCH",
                        "benchsecret",
                        None,
                        None,
                        "bench",
                    ))
                    .build();
                let s3 = sc::Builder::new()
                    .behavior_version(sc::BehaviorVersion::latest())
                    .region(sc::Region::new("us-east-1"))
                    .endpoint_url(url)
                    .force_path_style(true)
                    .credentials_provider(sc::Credentials::new(
                        "AKIDBENCH",
                        "benchsecret",
                        None,
                        None,
                        "bench",
                    ))
                    .build();
                Client::Sdk {
                    ddb: aws_sdk_dynamodb::Client::from_conf(ddb),
                    s3: aws_sdk_s3::Client::from_conf(s3),
                }
            }
            Impl::Bare => Client::Bare {
                http: hyper_util::client::legacy::Client::builder(
                    hyper_util::rt::TokioExecutor::new(),
                )
                .build_http(),
                base: url.trim_end_matches('/').to_string(),
                host: url
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .to_string(),
            },
        }
    }

    pub async fn call(&self, op: Op) -> Result<(), String> {
        let e = |x: &dyn std::fmt::Display| x.to_string();
        match (self, op) {
            (Client::Boto { ddb, .. }, Op::GetItem) => {
                let out = ddb
                    .call(
                        "GetItem",
                        boto::params! {"TableName": "users", "Key": {"pk": {"S": "user#12345"}, "sk": {"S": "profile"}}},
                    )
                    .await
                    .map_err(|x| e(&x))?;
                check(out.pointer("Item.name.S").as_str() == Some("Ada Lovelace"))
            }
            (Client::Boto { s3, .. }, Op::HeadObject) => {
                let out = s3
                    .call(
                        "HeadObject",
                        boto::params! {"Bucket": "bench", "Key": "photos/a.jpg"},
                    )
                    .await
                    .map_err(|x| e(&x))?;
                check(out.get("ContentLength").as_i64() == Some(123_456))
            }
            (Client::Boto { s3, .. }, Op::List) => {
                let out = s3
                    .call("ListObjectsV2", boto::params! {"Bucket": "bench"})
                    .await
                    .map_err(|x| e(&x))?;
                check(out.get("Contents").as_list().map(|l| l.len()) == Some(1000))
            }
            (Client::Sdk { ddb, .. }, Op::GetItem) => {
                use aws_sdk_dynamodb::types::AttributeValue as A;
                let out = ddb
                    .get_item()
                    .table_name("users")
                    .key("pk", A::S("user#12345".into()))
                    .key("sk", A::S("profile".into()))
                    .send()
                    .await
                    .map_err(|x| e(&aws_sdk_dynamodb::error::DisplayErrorContext(x)))?;
                check(
                    out.item()
                        .and_then(|i| i.get("name"))
                        .and_then(|v| v.as_s().ok())
                        .map(String::as_str)
                        == Some("Ada Lovelace"),
                )
            }
            (Client::Sdk { s3, .. }, Op::HeadObject) => {
                let out = s3
                    .head_object()
                    .bucket("bench")
                    .key("photos/a.jpg")
                    .send()
                    .await
                    .map_err(|x| e(&aws_sdk_s3::error::DisplayErrorContext(x)))?;
                check(out.content_length() == Some(123_456))
            }
            (Client::Sdk { s3, .. }, Op::List) => {
                let out = s3
                    .list_objects_v2()
                    .bucket("bench")
                    .send()
                    .await
                    .map_err(|x| e(&aws_sdk_s3::error::DisplayErrorContext(x)))?;
                check(out.contents().len() == 1000)
            }
            (Client::Bare { http, base, host }, op) => {
                let req = bare_request(op, base, host);
                let resp = http.request(req).await.map_err(|x| e(&x))?;
                let status = resp.status();
                let body = resp.into_body().collect().await.map_err(|x| e(&x))?;
                let len = body.to_bytes().len();
                check(status == 200 && (len > 0) == !matches!(op, Op::HeadObject))
            }
        }
    }
}

fn check(ok: bool) -> Result<(), String> {
    ok.then_some(())
        .ok_or_else(|| "unexpected response".to_string())
}

/// The request a signed SDK call puts on the wire, as fixed bytes.
fn bare_request(op: Op, base: &str, host: &str) -> hyper::Request<Full<Bytes>> {
    let b = hyper::Request::builder()
        .header("host", host)
        .header("user-agent", "bench/1.0 md/bare")
        .header("x-amz-date", "20240501T120000Z")
        .header("authorization", AUTH);
    let r = match op {
        Op::GetItem => {
            const BODY: &str =
                r#"{"TableName":"users","Key":{"pk":{"S":"user#12345"},"sk":{"S":"profile"}}}"#;
            b.method("POST")
                .uri(format!("{base}/"))
                .header("content-type", "application/x-amz-json-1.0")
                .header("x-amz-target", "DynamoDB_20120810.GetItem")
                .header("content-length", BODY.len())
                .body(Full::new(Bytes::from_static(BODY.as_bytes())))
        }
        Op::HeadObject => b
            .method("HEAD")
            .uri(format!("{base}/bench/photos/a.jpg"))
            .header(
                "x-amz-content-sha256",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            )
            .body(Full::new(Bytes::new())),
        Op::List => b
            .method("GET")
            .uri(format!("{base}/bench?list-type=2"))
            .header(
                "x-amz-content-sha256",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            )
            .body(Full::new(Bytes::new())),
    };
    r.expect("static request")
}
