//! Calls over smithy-rpc-v2-cbor against the recording server: round trips, errors, retries.

use super::*;

fn builder(service: &str, server: &TestServer, max_attempts: u32) -> boto_runtime::ClientBuilder {
    Client::builder(service)
        .config(ClientConfig {
            region: Some("us-west-2".into()),
            endpoint_url: Some(server.url()),
            max_attempts: Some(max_attempts),
            ..ClientConfig::default()
        })
        .credentials(Arc::new(StaticProvider::new(Credentials::new(
            "AKIDTEST",
            "SECRETTEST",
            None,
            None,
            "test",
        ))))
}

fn client(service: &str, server: &TestServer) -> Client {
    builder(service, server, 1).build().expect("client builds")
}

/// A loader whose data path holds CloudWatch's model with only `smithy-rpc-v2-cbor` listed.
fn cbor_only_cloudwatch_loader() -> &'static Loader {
    static LOADER: OnceLock<&'static Loader> = OnceLock::new();
    LOADER.get_or_init(|| {
        // The embedded models are compiled; the JSON comes from the fetched model tree.
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../.data/models/cloudwatch/service-2.json");
        let raw = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{} (run scripts/fetch_data.py): {e}", path.display()));
        let mut doc: serde_json::Value = serde_json::from_slice(&raw).unwrap();
        doc["metadata"]["protocols"] = serde_json::json!(["smithy-rpc-v2-cbor"]);
        doc["metadata"]["protocol"] = serde_json::json!("smithy-rpc-v2-cbor");
        let version = doc["metadata"]["apiVersion"].as_str().unwrap().to_string();
        let root = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("boto-cbor-model-{}", std::process::id()));
        let dir = root.join("cloudwatch").join(version);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("service-2.json"),
            serde_json::to_vec(&doc).unwrap(),
        )
        .unwrap();
        Box::leak(Box::new(Loader::with_data_paths(vec![root])))
    })
}

fn cbor_cloudwatch(server: &TestServer, max_attempts: u32) -> Client {
    let c = builder("cloudwatch", server, max_attempts)
        .loader(cbor_only_cloudwatch_loader())
        .build()
        .unwrap();
    assert_eq!(c.model().metadata.protocol, "smithy-rpc-v2-cbor");
    c
}

fn cbor_reply(status: u16, body: &Cbor) -> Reply {
    Reply::new(status)
        .header("Content-Type", "application/cbor")
        .header("smithy-protocol", "rpc-v2-cbor")
        .header("x-amzn-RequestId", "REQ-CBOR")
        .body(body.to_bytes())
}

fn only_request(server: &TestServer) -> Recorded {
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    reqs.into_iter().next().unwrap()
}

const START: i64 = 1_700_000_000;
const RA_ID: &str = "ra-0123456789abc";

#[tokio::test]
async fn cbor_only_service_round_trip() {
    let arn = format!(
        "arn:aws:partnercentral:us-west-2:123456789012:catalog/AWS/revenue-attribution/{RA_ID}"
    );
    let response = map(vec![
        ("Arn", text(&arn)),
        ("Id", text(RA_ID)),
        ("Catalog", text("AWS")),
        ("TenancyModel", text("MULTI_TENANT")),
        (
            "MarketplaceProduct",
            map(vec![
                ("ProductId", text("prod-1")),
                ("ProductName", text("Widget")),
            ]),
        ),
        (
            "CreatedDate",
            Cbor::Tag(1, Box::new(Cbor::Uint(START as u64))),
        ),
        (
            "LastModifiedDate",
            Cbor::Tag(1, Box::new(Cbor::Float(START as f64 + 0.25))),
        ),
        ("TotalRevenueAttributionAllocationCount", Cbor::Uint(7)),
        ("Description", Cbor::Null), // null members are dropped, as botocore does
    ]);
    let server = TestServer::always(cbor_reply(200, &response));
    let c = client("partnercentral-revenue-measurement", &server);
    assert_eq!(c.model().metadata.protocol, "smithy-rpc-v2-cbor");
    let out = c
        .call(
            "GetRevenueAttribution",
            params! {"Catalog": "AWS", "Identifier": RA_ID},
        )
        .await
        .unwrap_or_else(|e| panic!("GetRevenueAttribution: {e:?}"));

    let req = only_request(&server);
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.target,
        "/service/PartnerCentralRevenueMeasurement/operation/GetRevenueAttribution"
    );
    assert_eq!(req.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(req.header("content-type"), Some("application/cbor"));
    assert_eq!(req.header("accept"), Some("application/cbor"));
    assert!(
        req.header("x-amz-target").is_none(),
        "rpc-v2-cbor routes by path, not X-Amz-Target"
    );
    assert!(
        req.header("x-amzn-query-mode").is_none(),
        "not awsQueryCompatible"
    );
    let auth = req.header("authorization").expect("signed");
    assert!(
        auth.contains("/us-west-2/partnercentral/aws4_request"),
        "signing name from the model: {auth}"
    );
    assert_eq!(
        Cbor::decode(&req.body),
        map(vec![("Catalog", text("AWS")), ("Identifier", text(RA_ID))])
    );

    assert_eq!(out.get("Arn").as_str(), Some(arn.as_str()));
    assert_eq!(out.get("TenancyModel").as_str(), Some("MULTI_TENANT"));
    assert_eq!(
        out.pointer("MarketplaceProduct.ProductName").as_str(),
        Some("Widget")
    );
    assert_eq!(
        out.get("CreatedDate")
            .as_timestamp()
            .map(|t| t.epoch_secs()),
        Some(START)
    );
    assert_eq!(
        out.get("LastModifiedDate")
            .as_timestamp()
            .map(|t| t.epoch_f64()),
        Some(START as f64 + 0.25)
    );
    assert_eq!(
        out.get("TotalRevenueAttributionAllocationCount").as_i64(),
        Some(7)
    );
    assert!(out.get("Description").is_null(), "null members are omitted");
    assert!(out.as_map().unwrap().get("Description").is_none());
    assert_eq!(
        out.pointer("ResponseMetadata.RequestId").as_str(),
        Some("REQ-CBOR")
    );
    assert_eq!(
        out.pointer("ResponseMetadata.HTTPStatusCode").as_i64(),
        Some(200)
    );
}

#[tokio::test]
async fn cbor_error_with_type_becomes_a_service_error() {
    let body = map(vec![
        (
            "__type",
            text("com.amazonaws.partnercentral#ResourceNotFoundException"),
        ),
        ("Message", text("revenue attribution not found")),
        ("Reason", text("RESOURCE_NOT_FOUND")),
    ]);
    let server = TestServer::always(cbor_reply(404, &body));
    let c = builder("partnercentral-revenue-measurement", &server, 3)
        .build()
        .unwrap();
    let err = c
        .call(
            "GetRevenueAttribution",
            params! {"Catalog": "AWS", "Identifier": RA_ID},
        )
        .await
        .expect_err("404");
    assert_eq!(err.kind(), ErrorKind::Service, "{err:?}");
    assert_eq!(
        err.code(),
        Some("ResourceNotFoundException"),
        "namespace stripped from __type"
    );
    assert!(err.is_code("ResourceNotFoundException"));
    assert_eq!(err.message(), "revenue attribution not found");
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("REQ-CBOR"));
    assert_eq!(
        err.service_error().unwrap().fields.get("Reason").as_str(),
        Some("RESOURCE_NOT_FOUND")
    );
    assert_eq!(server.count(), 1, "404 is not retried");
    assert_eq!(
        err.to_string(),
        "An error occurred (ResourceNotFoundException) when calling the GetRevenueAttribution operation: revenue attribution not found"
    );
}

#[tokio::test]
async fn cbor_throttling_error_is_retried() {
    let throttled = map(vec![
        (
            "__type",
            text("com.amazonaws.partnercentral#ThrottlingException"),
        ),
        ("Message", text("slow down")),
    ]);
    let server = TestServer::scripted(
        vec![Action::Reply(cbor_reply(429, &throttled))],
        Action::Reply(cbor_reply(
            200,
            &map(vec![(
                "MarketplaceRevenueShareSummaries",
                Cbor::Array(vec![]),
            )]),
        )),
    );
    let c = builder("partnercentral-revenue-measurement", &server, 3)
        .build()
        .unwrap();
    let out = c
        .call(
            "ListMarketplaceRevenueShares",
            params! {"Catalog": "AWS", "MaxResults": 10},
        )
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        out.get("MarketplaceRevenueShareSummaries"),
        &Value::List(vec![])
    );
    assert_eq!(
        out.pointer("ResponseMetadata.RetryAttempts").as_i64(),
        Some(1)
    );
    assert_eq!(server.count(), 2);
    let bodies: Vec<Cbor> = server
        .requests()
        .iter()
        .map(|r| Cbor::decode(&r.body))
        .collect();
    assert_eq!(
        bodies[0],
        map(vec![
            ("Catalog", text("AWS")),
            ("MaxResults", Cbor::Uint(10))
        ])
    );
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn cloudwatch_get_metric_data_over_cbor() {
    let response = map(vec![
        (
            "MetricDataResults",
            Cbor::Array(vec![map(vec![
                ("Id", text("q1")),
                ("Label", text("CPUUtilization")),
                (
                    "Timestamps",
                    Cbor::Array(vec![
                        Cbor::Tag(1, Box::new(Cbor::Uint(START as u64 + 60))),
                        Cbor::Tag(1, Box::new(Cbor::Float(START as f64 + 120.5))),
                    ]),
                ),
                ("Values", Cbor::Array(vec![Cbor::Float(1.5), Cbor::Uint(3)])),
                ("StatusCode", text("Complete")),
            ])]),
        ),
        ("Messages", Cbor::Array(vec![])),
    ]);
    let server = TestServer::always(cbor_reply(200, &response));
    let c = cbor_cloudwatch(&server, 1);
    let out = c
        .call(
            "GetMetricData",
            params! {
                "MetricDataQueries": [{
                    "Id": "q1",
                    "MetricStat": {
                        "Metric": {
                            "Namespace": "AWS/EC2",
                            "MetricName": "CPUUtilization",
                            "Dimensions": [{"Name": "InstanceId", "Value": "i-0abc"}]
                        },
                        "Period": 60,
                        "Stat": "Average"
                    },
                    "ReturnData": true
                }],
                "StartTime": (Timestamp::from_epoch_secs(START)),
                "EndTime": (Timestamp::from_epoch_secs(START + 3600)),
                "MaxDatapoints": 100
            },
        )
        .await
        .unwrap_or_else(|e| panic!("GetMetricData: {e:?}"));

    let req = only_request(&server);
    assert_eq!(
        req.target,
        "/service/GraniteServiceVersion20100801/operation/GetMetricData"
    );
    assert_eq!(req.header("smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(
        req.header("x-amzn-query-mode"),
        Some("true"),
        "CloudWatch is awsQueryCompatible"
    );
    let auth = req.header("authorization").expect("signed");
    assert!(
        auth.contains("/us-west-2/monitoring/aws4_request"),
        "{auth}"
    );

    let body = Cbor::decode(&req.body);
    assert_eq!(
        body.keys(),
        ["MetricDataQueries", "StartTime", "EndTime", "MaxDatapoints"]
    );
    let q = match body.get("MetricDataQueries") {
        Some(Cbor::Array(a)) if a.len() == 1 => &a[0],
        other => panic!("MetricDataQueries: {other:?}"),
    };
    assert_eq!(q.get("Id"), Some(&text("q1")));
    assert_eq!(q.get("ReturnData"), Some(&Cbor::Bool(true)));
    let stat = q.get("MetricStat").unwrap();
    assert_eq!(stat.get("Period"), Some(&Cbor::Uint(60)));
    assert_eq!(stat.get("Stat"), Some(&text("Average")));
    assert_eq!(
        stat.get("Metric").unwrap().get("Dimensions"),
        Some(&Cbor::Array(vec![map(vec![
            ("Name", text("InstanceId")),
            ("Value", text("i-0abc"))
        ])]))
    );
    for (k, secs) in [("StartTime", START), ("EndTime", START + 3600)] {
        match body.get(k) {
            Some(Cbor::Tag(1, v)) => assert_eq!(v.number(), Some(secs as f64), "{k}"),
            other => panic!("{k} must be tag 1 (epoch seconds), got {other:?}"),
        }
    }
    assert_eq!(body.get("MaxDatapoints"), Some(&Cbor::Uint(100)));

    let r = out.pointer("MetricDataResults[0]");
    assert_eq!(r.get("Id").as_str(), Some("q1"));
    assert_eq!(r.get("StatusCode").as_str(), Some("Complete"));
    let ts: Vec<f64> = r
        .get("Timestamps")
        .as_list()
        .unwrap()
        .iter()
        .map(|t| t.as_timestamp().expect("timestamp").epoch_f64())
        .collect();
    assert_eq!(ts, [START as f64 + 60.0, START as f64 + 120.5]);
    let values: Vec<f64> = r
        .get("Values")
        .as_list()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(values, [1.5, 3.0]);
    assert_eq!(out.get("Messages"), &Value::List(vec![]));
}

#[tokio::test]
async fn cbor_query_compatible_error_code_comes_from_header() {
    // awsQueryCompatible services keep their query-era error codes in
    // `x-amzn-query-error: <Code>;<Sender|Receiver>`; botocore prefers it to `__type`.
    let body = map(vec![
        (
            "__type",
            text("com.amazonaws.cloudwatch#DashboardNotFoundError"),
        ),
        ("message", text("Dashboard ops does not exist")),
    ]);
    let server = TestServer::always(
        cbor_reply(404, &body).header("x-amzn-query-error", "ResourceNotFound;Sender"),
    );
    let c = cbor_cloudwatch(&server, 1);
    let err = c
        .call("GetDashboard", params! {"DashboardName": "ops"})
        .await
        .expect_err("404");
    assert_eq!(err.kind(), ErrorKind::Service, "{err:?}");
    assert_eq!(err.code(), Some("ResourceNotFound"), "{err:?}");
    assert!(err.is_code("ResourceNotFound"));
    assert_eq!(err.message(), "Dashboard ops does not exist");
    let req = only_request(&server);
    assert_eq!(
        req.path(),
        "/service/GraniteServiceVersion20100801/operation/GetDashboard"
    );
    assert_eq!(
        Cbor::decode(&req.body),
        map(vec![("DashboardName", text("ops"))])
    );
}

#[tokio::test]
async fn cloudwatch_default_protocol_is_json_like_botocore() {
    // botocore's PRIORITY_ORDERED_SUPPORTED_PROTOCOLS puts json before smithy-rpc-v2-cbor.
    let server = TestServer::always(Reply::json(200, r#"{"DashboardEntries":[]}"#));
    let c = client("cloudwatch", &server);
    assert_eq!(c.model().metadata.protocol, "json");
    let out = c
        .call("ListDashboards", params! {})
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(out.get("DashboardEntries"), &Value::List(vec![]));
    let req = only_request(&server);
    assert_eq!(
        req.header("x-amz-target"),
        Some("GraniteServiceVersion20100801.ListDashboards")
    );
    assert!(req.header("smithy-protocol").is_none());
}

#[test]
fn codec_self_check() {
    let v = map(vec![
        (
            "a",
            Cbor::Array(vec![
                Cbor::Uint(1),
                Cbor::Nint(1),
                Cbor::Float(1.5),
                Cbor::Bytes(vec![1]),
                Cbor::Null,
            ]),
        ),
        ("t", Cbor::Tag(1, Box::new(Cbor::Uint(1_000_000_000)))),
    ]);
    assert_eq!(Cbor::decode(&v.to_bytes()), v);
    // Indefinite map, chunked text and a half float decode too.
    let indefinite = [
        0xbf, 0x61, b'k', 0x7f, 0x61, b'a', 0x61, b'b', 0xff, 0x61, b'h', 0xf9, 0x3e, 0x00, 0xff,
    ];
    assert_eq!(
        Cbor::decode(&indefinite),
        map(vec![("k", text("ab")), ("h", Cbor::Float(1.5))])
    );
}
