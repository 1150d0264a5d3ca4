//! The Stubber through every way a client is used: calls in order, errors,
//! expected parameters with and without `any()`, streamed bodies, paginators,
//! waiters (async and blocking), resources, and parallel tests. No network,
//! no credentials.

use boto::{params, Value};
use boto_testing::{any, ClientError, Stubber};
use std::time::Duration;

fn fast() -> boto::core::runtime::waiter::WaiterConfig {
    boto::core::runtime::waiter::WaiterConfig {
        delay: Some(Duration::ZERO),
        max_attempts: Some(5),
    }
}

#[tokio::test]
async fn responses_and_errors_in_order() {
    let stubber = Stubber::for_service("s3").unwrap();
    stubber
        .add_response(
            "ListBuckets",
            params! {"Buckets": [{"Name": "a"}, {"Name": "b"}]},
        )
        .unwrap();
    stubber
        .add_client_error(
            "get_object",
            ClientError::new("NoSuchKey", "The specified key does not exist.")
                .status(404)
                .error_meta("Key", Value::from("k"))
                .response_meta("RequestId", Value::from("req-1")),
        )
        .unwrap();
    stubber.add_response("DeleteObject", params! {}).unwrap();
    let s3 = stubber.client();
    let out = s3.call("ListBuckets", params! {}).await.unwrap();
    assert_eq!(out.pointer("Buckets[1].Name").as_str(), Some("b"));
    let err = s3
        .call("GetObject", params! {"Bucket": "b", "Key": "k"})
        .await
        .unwrap_err();
    assert!(err.is_code("NoSuchKey"), "{err}");
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.request_id(), Some("req-1"));
    assert_eq!(
        err.to_string(),
        "An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist."
    );
    let se = err.service_error().unwrap();
    assert_eq!(se.shape.as_deref(), Some("NoSuchKey"));
    assert_eq!(se.fields.pointer("Error.Key").as_str(), Some("k"));
    assert_eq!(
        se.fields
            .pointer("ResponseMetadata.HTTPStatusCode")
            .as_i64(),
        Some(404)
    );
    assert_eq!(stubber.pending(), 1);
    s3.call("DeleteObject", params! {"Bucket": "b", "Key": "k"})
        .await
        .unwrap();
    stubber.assert_no_pending_responses();

    // Nothing left: an unexpected call, named.
    let err = s3.call("ListBuckets", params! {}).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("Error getting response stub for operation ListBuckets: Unexpected API Call"),
        "{err}"
    );
    // Out of order: an operation mismatch, both named.
    stubber.add_response("ListBuckets", params! {}).unwrap();
    let err = s3
        .call("HeadBucket", params! {"Bucket": "b"})
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("operation HeadBucket: Operation mismatch: found response for ListBuckets."),
        "{err}"
    );
    assert_eq!(stubber.failures().len(), 2);
    let pending = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stubber.assert_no_pending_responses()
    }))
    .expect_err("a stub is left");
    let msg = pending
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert_eq!(msg, "1 responses remaining in queue. (next: ListBuckets)");
}

#[tokio::test]
async fn expected_params_exact_and_any() {
    let stubber = Stubber::for_service("s3").unwrap();
    let s3 = stubber.client();
    // Exact.
    stubber
        .add_response_with_params(
            "PutObject",
            params! {"ETag": "\"e1\""},
            params! {"Bucket": "b", "Key": "k", "Body": (Value::blob(b"hi".to_vec()))},
        )
        .unwrap();
    let out = s3
        .call(
            "PutObject",
            params! {"Bucket": "b", "Key": "k", "Body": (Value::blob(b"hi".to_vec()))},
        )
        .await
        .unwrap();
    assert_eq!(out.get("ETag").as_str(), Some("\"e1\""));
    // ANY for chosen members.
    stubber
        .add_response_with_params(
            "PutObject",
            params! {},
            params! {"Bucket": "b", "Key": (any()), "Body": (any())},
        )
        .unwrap();
    s3.call(
        "PutObject",
        params! {"Bucket": "b", "Key": "whatever", "Body": "text"},
    )
    .await
    .unwrap();
    // A mismatch names the operation and every differing member; the stub stays queued.
    stubber
        .add_response_with_params(
            "PutObject",
            params! {},
            params! {"Bucket": "b", "Key": "k", "ContentType": "text/plain"},
        )
        .unwrap();
    let err = s3
        .call(
            "PutObject",
            params! {"Bucket": "other", "Key": "k", "ACL": "private"},
        )
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("Error getting response stub for operation PutObject: Expected parameters:"),
        "{msg}"
    );
    assert!(
        msg.contains("Bucket (expected \"b\", got \"other\")"),
        "{msg}"
    );
    assert!(
        msg.contains("ContentType (expected \"text/plain\", missing)"),
        "{msg}"
    );
    assert!(msg.contains("ACL (not expected, got \"private\")"), "{msg}");
    assert!(
        !msg.contains("Key ("),
        "matching members are not listed: {msg}"
    );
    assert_eq!(stubber.pending(), 1);
    // The parameters are checked as the caller gave them, before S3's
    // customizations add anything (ListObjects gets EncodingType=url).
    let stubber = Stubber::for_service("s3").unwrap();
    stubber
        .add_response_with_params("ListObjects", params! {}, params! {"Bucket": "b"})
        .unwrap();
    stubber
        .client()
        .call("ListObjects", params! {"Bucket": "b"})
        .await
        .unwrap();
    // Inputs are still validated like a real call.
    stubber.add_response("ListObjects", params! {}).unwrap();
    let err = stubber
        .client()
        .call("ListObjects", params! {"Bucket": 5})
        .await
        .unwrap_err();
    assert_eq!(err.kind(), boto::ErrorKind::Validation, "{err}");
}

#[test]
fn invalid_responses_are_refused_with_botocore_wording() {
    let stubber = Stubber::for_service("s3").unwrap();
    let err = stubber
        .add_response(
            "ListObjectsV2",
            params! {"Contents": [{"Key": "a", "Size": "big"}], "Bogus": 1},
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Parameter validation failed:\n\
         Unknown parameter in input: \"Bogus\", must be one of: IsTruncated, Contents, Name, Prefix, \
         Delimiter, MaxKeys, CommonPrefixes, EncodingType, KeyCount, ContinuationToken, \
         NextContinuationToken, StartAfter, RequestCharged\n\
         Invalid type for parameter Contents[0].Size, value: big, type: <class 'str'>, valid types: <class 'int'>"
    );
    // ResponseMetadata is not validated; unknown operations are named.
    stubber
        .add_response(
            "ListObjectsV2",
            params! {"ResponseMetadata": {"HTTPStatusCode": 200}},
        )
        .unwrap();
    let err = stubber.add_response("NoSuchOp", params! {}).unwrap_err();
    assert!(
        err.to_string()
            .contains("Client s3 does not have method: NoSuchOp"),
        "{err}"
    );
    // Modeled error fields are validated against the error's shape.
    let stubber = Stubber::for_service("dynamodb").unwrap();
    let err = stubber
        .add_client_error(
            "PutItem",
            ClientError::new("ConditionalCheckFailedException", "failed")
                .modeled_fields(params! {"Item": "not-a-map"}),
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("Invalid type for parameter Item, value: not-a-map"),
        "{err}"
    );
}

#[tokio::test]
async fn streamed_bodies_and_no_credentials() {
    // A client from a session without credentials: the stubbed copy needs none.
    let session = boto::Session::builder()
        .region("eu-west-1")
        .env(boto::core::auth::config::Env::from_vars(Vec::<(
            String,
            String,
        )>::new()))
        .build()
        .unwrap();
    let real = session
        .client_with(
            "s3",
            &boto::ClientOptions {
                sign_requests: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
    let stubber = Stubber::new(&real).unwrap();
    assert_eq!(
        stubber.client().config().region.as_deref(),
        Some("eu-west-1")
    );
    stubber
        .add_response(
            "GetObject",
            params! {"ContentLength": 5, "Body": (Value::blob(b"hello".to_vec()))},
        )
        .unwrap();
    let out = stubber
        .client()
        .call_stream("GetObject", params! {"Bucket": "b", "Key": "k"}, None)
        .await
        .unwrap();
    assert!(out.value.get("Body").is_null());
    assert_eq!(out.body.unwrap().collect().await.unwrap(), b"hello");
}

#[tokio::test]
async fn paginators_over_stubbed_pages() {
    let stubber = Stubber::for_service("s3").unwrap();
    for (token, next, keys) in [
        (None, Some("t1"), ["a", "b"]),
        (Some("t1"), Some("t2"), ["c", "d"]),
        (Some("t2"), None, ["e", "f"]),
    ] {
        let mut expected = params! {"Bucket": "b", "MaxKeys": 2};
        if let (Some(t), Some(m)) = (token, expected.as_map_mut()) {
            m.insert("ContinuationToken", Value::from(t));
        }
        let mut page = params! {
            "IsTruncated": (next.is_some()),
            "Contents": [{"Key": (keys[0])}, {"Key": (keys[1])}],
        };
        if let (Some(n), Some(m)) = (next, page.as_map_mut()) {
            m.insert("NextContinuationToken", Value::from(n));
        }
        stubber
            .add_response_with_params("ListObjectsV2", page, expected)
            .unwrap();
    }
    let all = stubber
        .client()
        .paginate("ListObjectsV2", params! {"Bucket": "b"})
        .unwrap()
        .page_size(2)
        .build_full_result()
        .await
        .unwrap();
    let keys: Vec<&str> = all
        .get("Contents")
        .as_list()
        .unwrap()
        .iter()
        .filter_map(|o| o.get("Key").as_str())
        .collect();
    assert_eq!(keys, ["a", "b", "c", "d", "e", "f"]);
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn waiters_over_stubbed_states() {
    // S3 ObjectExists: 404 twice, then found.
    let stubber = Stubber::for_service("s3").unwrap();
    for _ in 0..2 {
        stubber
            .add_client_error(
                "HeadObject",
                ClientError::new("404", "Not Found").status(404),
            )
            .unwrap();
    }
    stubber
        // Status matchers read ResponseMetadata.HTTPStatusCode, as in botocore.
        .add_response(
            "HeadObject",
            params! {"ContentLength": 3, "ResponseMetadata": {"HTTPStatusCode": 200}},
        )
        .unwrap();
    let out = stubber
        .client()
        .waiter("object_exists")
        .unwrap()
        .wait(params! {"Bucket": "b", "Key": "k"}, fast())
        .await
        .unwrap();
    assert_eq!(out.get("ContentLength").as_i64(), Some(3));
    stubber.assert_no_pending_responses();

    // EC2 InstanceRunning: pending, then a failure state ends the wait.
    let stubber = Stubber::for_service("ec2").unwrap();
    let state = |name: &str| {
        params! {"Reservations": [{"Instances": [{"InstanceId": "i-1", "State": {"Name": (name)}}]}]}
    };
    stubber
        .add_response("DescribeInstances", state("pending"))
        .unwrap();
    stubber
        .add_response("DescribeInstances", state("terminated"))
        .unwrap();
    let err = stubber
        .client()
        .waiter("InstanceRunning")
        .unwrap()
        .wait(params! {"InstanceIds": ["i-1"]}, fast())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), boto::ErrorKind::Waiter, "{err}");
    stubber.assert_no_pending_responses();
}

#[test]
fn blocking_client_paginator_and_waiter() {
    let stubber = Stubber::for_service("dynamodb").unwrap();
    stubber
        .add_response(
            "ListTables",
            params! {"TableNames": ["table1"], "LastEvaluatedTableName": "table1"},
        )
        .unwrap();
    stubber
        .add_response("ListTables", params! {"TableNames": ["table2"]})
        .unwrap();
    stubber
        .add_response(
            "DescribeTable",
            params! {"Table": {"TableName": "table1", "TableStatus": "CREATING"}},
        )
        .unwrap();
    stubber
        .add_response(
            "DescribeTable",
            params! {"Table": {"TableName": "table1", "TableStatus": "ACTIVE"}},
        )
        .unwrap();
    let ddb = stubber.blocking_client();
    let names: Vec<String> = ddb
        .paginate("ListTables", params! {})
        .unwrap()
        .map(|p| p.unwrap())
        .flat_map(|p| p.get("TableNames").as_list().unwrap_or_default().to_vec())
        .filter_map(|n| n.as_str().map(str::to_owned))
        .collect();
    assert_eq!(names, ["table1", "table2"]);
    let out = ddb
        .waiter("TableExists")
        .unwrap()
        .wait(
            params! {"TableName": "table1"},
            boto::WaiterConfig::new()
                .delay(Duration::ZERO)
                .max_attempts(3),
        )
        .unwrap();
    assert_eq!(out.pointer("Table.TableStatus").as_str(), Some("ACTIVE"));
    stubber.assert_no_pending_responses();
}

#[tokio::test]
async fn resources_over_a_stubbed_client() {
    let stubber = Stubber::for_service("s3").unwrap();
    stubber
        .add_response_with_params(
            "ListObjects",
            params! {"IsTruncated": false, "Contents": [{"Key": "x", "Size": 1}, {"Key": "y", "Size": 2}]},
            params! {"Bucket": "b", "Prefix": "p/"},
        )
        .unwrap();
    stubber
        .add_response_with_params(
            "HeadObject",
            params! {"ContentLength": 42},
            params! {"Bucket": "b", "Key": "x"},
        )
        .unwrap();
    let s3 = boto_resources::from_client(stubber.client().clone()).unwrap();
    let bucket = s3.resource("Bucket", ["b"]).unwrap();
    let mut items = bucket
        .collection("objects")
        .unwrap()
        .filter(params! {"Prefix": "p/"})
        .items();
    let mut keys = Vec::new();
    while let Some(item) = items.next().await {
        keys.push(item.unwrap().id_str("key").unwrap_or_default().to_string());
    }
    assert_eq!(keys, ["x", "y"]);
    let obj = bucket.subresource("Object", ["x"]).unwrap();
    assert_eq!(obj.attr("content_length").await.unwrap().as_i64(), Some(42));
    stubber.assert_no_pending_responses();
}

/// Many stubbers at once on many threads: each client sees only its own stubs.
#[test]
fn parallel_stubbers_do_not_interfere() {
    let threads: Vec<_> = (0..8)
        .map(|t| {
            std::thread::spawn(move || {
                let stubber = Stubber::for_service("sqs").unwrap();
                for i in 0..20 {
                    stubber
                        .add_response_with_params(
                            "GetQueueUrl",
                            params! {"QueueUrl": (format!("https://q/{t}/{i}"))},
                            params! {"QueueName": (format!("q-{t}-{i}"))},
                        )
                        .unwrap();
                }
                let sqs = stubber.blocking_client();
                for i in 0..20 {
                    let out = sqs
                        .call("GetQueueUrl", params! {"QueueName": (format!("q-{t}-{i}"))})
                        .unwrap();
                    assert_eq!(
                        out.get("QueueUrl").as_str(),
                        Some(format!("https://q/{t}/{i}").as_str())
                    );
                }
                stubber.assert_no_pending_responses();
                assert!(stubber.failures().is_empty());
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}
