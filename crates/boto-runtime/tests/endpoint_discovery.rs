//! Endpoint discovery end to end (botocore `discovery.py`), against a local
//! server that plays Timestream and DynamoDB's discovery flow.
//!
//! Discovered hosts are real AWS names (`query-cell2.timestream...`), and the
//! pipeline only sends to plain `https` hosts. So the client's transport is
//! the real hyper client behind a router: every request goes to the local
//! server over plain HTTP with its `Host` header kept, as a virtual-hosting
//! front end would see it. The server then checks the flow the way the
//! service does: `DescribeEndpoints` must arrive at the regional endpoint,
//! operations only at the discovered host (anything else gets
//! `InvalidEndpointException`), and every request is signed for the service
//! and region, not for the discovered host.

mod router;
mod support;

use boto_auth::credentials::{Credentials, StaticProvider};
use boto_model::params;
use boto_runtime::config::EndpointDiscovery;
use boto_runtime::{Client, ClientConfig, ErrorKind};
use router::Router;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use support::{Action, Recorded, Reply, TestServer};

const QUERY_HOST: &str = "query.timestream.us-east-1.amazonaws.com";

fn client(service: &str, base: String, mode: EndpointDiscovery) -> Client {
    Client::builder(service)
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            endpoint_discovery: mode,
            max_attempts: Some(2),
            ..Default::default()
        })
        .credentials(Arc::new(StaticProvider::new(Credentials::new(
            "AKIDEXAMPLE",
            "SECRET",
            None,
            None,
            "test",
        ))))
        .http_client(Arc::new(Router::new(base)))
        .build()
        .unwrap()
}

fn target(r: &Recorded) -> &str {
    r.header("x-amz-target").unwrap_or("")
}

/// Timestream: `DescribeEndpoints` at the regional host answers with
/// `cells[n]` (the n-th discovery) and `minutes`; `Query` succeeds only at
/// the host discovered last.
fn timestream(cells: &'static [&'static str], minutes: u32) -> TestServer {
    let discoveries = Arc::new(AtomicUsize::new(0));
    let current = Arc::new(std::sync::Mutex::new(String::new()));
    TestServer::start(move |r, _| {
        let host = r.header("host").unwrap_or("");
        let signed_for_service = r
            .header("authorization")
            .is_some_and(|a| a.contains("/us-east-1/timestream/aws4_request"));
        if !signed_for_service {
            return Action::Reply(Reply::json_error(403, "InvalidSignatureException", "scope"));
        }
        if target(r).ends_with(".DescribeEndpoints") {
            if host != QUERY_HOST {
                return Action::Reply(Reply::json_error(400, "ValidationException", host));
            }
            let n = discoveries.fetch_add(1, Ordering::SeqCst);
            let cell = cells[n.min(cells.len() - 1)];
            *current.lock().unwrap() = cell.to_string();
            return Action::Reply(Reply::json(
                200,
                &format!(
                    r#"{{"Endpoints":[{{"Address":"{cell}","CachePeriodInMinutes":{minutes}}}]}}"#
                ),
            ));
        }
        if host == current.lock().unwrap().as_str() {
            Action::Reply(Reply::json(
                200,
                r#"{"QueryId":"q-1","Rows":[],"ColumnInfo":[]}"#,
            ))
        } else {
            Action::Reply(Reply::json_error(
                400,
                "InvalidEndpointException",
                "The requested endpoint was not valid.",
            ))
        }
    })
}

/// (target suffix, Host) of each request the server read.
fn flow(server: &TestServer) -> Vec<(String, String)> {
    server
        .requests()
        .iter()
        .map(|r| {
            let t = target(r);
            let op = t.rsplit('.').next().unwrap_or(t).to_string();
            (op, r.header("host").unwrap_or("").to_string())
        })
        .collect()
}

fn step(op: &str, host: &str) -> (String, String) {
    (op.to_string(), host.to_string())
}

const CELL2: &str = "query-cell2.timestream.us-east-1.amazonaws.com";
const CELL3: &str = "query-cell3.timestream.us-east-1.amazonaws.com";

#[tokio::test]
async fn required_discovery_sends_to_the_discovered_host_and_caches_it() {
    let server = timestream(&[CELL2], 10);
    let c = client("timestream-query", server.url(), EndpointDiscovery::Auto);
    for _ in 0..2 {
        let out = c
            .call("Query", params! {"QueryString": "SELECT 1"})
            .await
            .unwrap();
        assert_eq!(out.get("QueryId").as_str(), Some("q-1"));
    }
    assert_eq!(
        flow(&server),
        [
            step("DescribeEndpoints", QUERY_HOST),
            step("Query", CELL2),
            step("Query", CELL2)
        ]
    );
    // `Client::prepare` sends nothing; with a fresh endpoint cached it builds
    // the operation's request for the discovered host.
    let req = c
        .prepare("Query", params! {"QueryString": "SELECT 1"})
        .await
        .unwrap();
    assert_eq!(req.url, format!("https://{CELL2}/"));
}

#[tokio::test]
async fn an_invalid_endpoint_is_forgotten_and_discovered_again() {
    // The first discovery names a cell the server then rejects (it already moved on).
    let server = timestream(&[CELL2, CELL3], 10);
    let c = client("timestream-query", server.url(), EndpointDiscovery::Auto);
    // Make the first discovered cell stale on the server's side.
    let out = c
        .call("Query", params! {"QueryString": "SELECT 1"})
        .await
        .unwrap();
    assert_eq!(out.get("QueryId").as_str(), Some("q-1"));
    let c2 = client("timestream-query", server.url(), EndpointDiscovery::Auto);
    // c2 discovers (CELL3 now), so the server's current cell is CELL3 and c's cached CELL2 is invalid.
    c2.call("Query", params! {"QueryString": "SELECT 1"})
        .await
        .unwrap();
    let out = c
        .call("Query", params! {"QueryString": "SELECT 2"})
        .await
        .unwrap();
    assert_eq!(out.get("QueryId").as_str(), Some("q-1"));
    assert_eq!(
        flow(&server),
        [
            step("DescribeEndpoints", QUERY_HOST),
            step("Query", CELL2),
            step("DescribeEndpoints", QUERY_HOST),
            step("Query", CELL3),
            // c: its cached CELL2 is rejected, it discovers again and retries there.
            step("Query", CELL2),
            step("DescribeEndpoints", QUERY_HOST),
            step("Query", CELL3),
        ]
    );
}

#[tokio::test]
async fn expired_endpoints_are_discovered_again() {
    let server = timestream(&[CELL2], 0);
    let c = client("timestream-query", server.url(), EndpointDiscovery::Auto);
    for _ in 0..2 {
        c.call("Query", params! {"QueryString": "SELECT 1"})
            .await
            .unwrap();
    }
    assert_eq!(
        flow(&server),
        [
            step("DescribeEndpoints", QUERY_HOST),
            step("Query", CELL2),
            step("DescribeEndpoints", QUERY_HOST),
            step("Query", CELL2)
        ]
    );
}

#[tokio::test]
async fn disabled_discovery_fails_required_operations_before_sending() {
    let server = timestream(&[CELL2], 10);
    let c = client(
        "timestream-query",
        server.url(),
        EndpointDiscovery::Disabled,
    );
    let err = c
        .call("Query", params! {"QueryString": "SELECT 1"})
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Endpoint);
    assert!(
        err.to_string()
            .contains("Endpoint Discovery is not enabled but this operation requires it."),
        "{err}"
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn a_custom_endpoint_url_turns_discovery_off() {
    let server = TestServer::always(Reply::json(
        200,
        r#"{"QueryId":"q-9","Rows":[],"ColumnInfo":[]}"#,
    ));
    let c = Client::builder("timestream-query")
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            endpoint_url: Some(server.url()),
            ..Default::default()
        })
        .credentials(Arc::new(StaticProvider::new(Credentials::new(
            "AKID", "SECRET", None, None, "test",
        ))))
        .build()
        .unwrap();
    let out = c
        .call("Query", params! {"QueryString": "SELECT 1"})
        .await
        .unwrap();
    assert_eq!(out.get("QueryId").as_str(), Some("q-9"));
    let targets: Vec<_> = server
        .requests()
        .iter()
        .map(|r| target(r).to_string())
        .collect();
    assert_eq!(targets, ["Timestream_20181101.Query"]);
}

#[tokio::test]
async fn required_discovery_that_cannot_connect_fails_clearly() {
    // Nothing listens on the discard port: discovery cannot connect.
    let c = client(
        "timestream-query",
        "http://127.0.0.1:9".into(),
        EndpointDiscovery::Auto,
    );
    let err = c
        .call("Query", params! {"QueryString": "SELECT 1"})
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("Endpoint Discovery failed to refresh the required endpoints."),
        "{err}"
    );
}

#[tokio::test]
async fn optional_discovery_runs_only_when_enabled() {
    const CELL: &str = "dynamodb-cell.us-east-1.amazonaws.com";
    let server = TestServer::start(|r, _| {
        if target(r).ends_with(".DescribeEndpoints") {
            return Action::Reply(Reply::json(
                200,
                &format!(r#"{{"Endpoints":[{{"Address":"{CELL}","CachePeriodInMinutes":5}}]}}"#),
            ));
        }
        Action::Reply(Reply::json(200, r#"{"Item":{"id":{"S":"1"}}}"#))
    });
    let get = || params! {"TableName": "t", "Key": {"id": {"S": "1"}}};
    let auto = client("dynamodb", server.url(), EndpointDiscovery::Auto);
    auto.call("GetItem", get()).await.unwrap();
    let enabled = client("dynamodb", server.url(), EndpointDiscovery::Enabled);
    enabled.call("GetItem", get()).await.unwrap();
    let steps = flow(&server);
    assert_eq!(steps.len(), 3, "{steps:?}");
    assert_eq!(steps[0].0, "GetItem");
    assert_eq!(
        steps[0],
        step("GetItem", "dynamodb.us-east-1.amazonaws.com")
    );
    assert_eq!(
        steps[1],
        step("DescribeEndpoints", "dynamodb.us-east-1.amazonaws.com")
    );
    assert_eq!(steps[2], step("GetItem", CELL));
}
