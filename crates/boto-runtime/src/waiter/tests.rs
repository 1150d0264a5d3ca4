//! Waiter tests against a scripted fake service.

use super::*;
use crate::paginator::tests::Fake;
use boto_model::value;
use boto_protocols::ServiceError;
use serde_json::json;

fn service_error(code: &str, status: u16) -> Error {
    Error::service(ServiceError {
        code: code.into(),
        message: format!("{code} happened"),
        request_id: Some("req-1".into()),
        status,
        shape: None,
        fields: value!({"Code": (code.to_string()), "Message": (format!("{code} happened"))}),
    })
}

/// Answers call `i` with `script[i]` (then the last one again).
fn fake(script: Vec<Result<Value, (String, u16)>>) -> Arc<Fake> {
    Fake::new(move |_, i| match script.get(i).or(script.last()) {
        Some(Ok(v)) => Ok(v.clone()),
        Some(Err((code, status))) => Err(service_error(code, *status)),
        None => Ok(Value::Null),
    })
}

fn ok(status: i64, body: Value) -> Result<Value, (String, u16)> {
    let mut body = body;
    if let Some(m) = body.as_map_mut() {
        m.insert("ResponseMetadata", value!({"HTTPStatusCode": status}));
    }
    Ok(body)
}

fn err(code: &str, status: u16) -> Result<Value, (String, u16)> {
    Err((code.to_string(), status))
}

fn waiter(f: &Arc<Fake>, acceptors: serde_json::Value) -> Waiter {
    let j = json!({"operation": "DescribeThing", "delay": 15, "maxAttempts": 40, "acceptors": acceptors});
    let spec = WaiterSpec::from_json("ThingReady", &j).expect("spec");
    Waiter::with_spec(f.clone(), Arc::new(spec))
}

fn fast(max: u32) -> WaiterConfig {
    WaiterConfig {
        delay: Some(Duration::from_millis(1)),
        max_attempts: Some(max),
    }
}

fn state_acceptors() -> serde_json::Value {
    json!([
        {"state": "success", "matcher": "path", "argument": "Thing.State", "expected": "ready"},
        {"state": "failure", "matcher": "path", "argument": "Thing.State", "expected": "failed"},
        {"state": "retry", "matcher": "error", "expected": "Throttled"}
    ])
}

#[tokio::test]
async fn path_polls_until_success_and_returns_the_response() {
    let f = fake(vec![
        ok(200, value!({"Thing": {"State": "pending"}})),
        err("Throttled", 400),
        ok(200, value!({"Thing": {"State": "ready"}, "Id": 7})),
    ]);
    let out = waiter(&f, state_acceptors())
        .wait(value!({"Id": 7}), fast(10))
        .await
        .expect("success");
    assert_eq!(out.get("Id"), &Value::Integer(7));
    assert_eq!(f.params().len(), 3);
    assert!(f.params().iter().all(|p| p == &value!({"Id": 7})));
    assert_eq!(
        f.calls.lock().map(|c| c[0].0.clone()).ok().as_deref(),
        Some("DescribeThing")
    );
}

#[tokio::test]
async fn failure_state_is_a_waiter_error_with_the_last_response() {
    let f = fake(vec![ok(200, value!({"Thing": {"State": "failed"}}))]);
    let e = waiter(&f, state_acceptors())
        .wait(Value::Null, fast(10))
        .await
        .expect_err("failure");
    assert_eq!(e.kind(), ErrorKind::Waiter);
    assert_eq!(
        e.message(),
        "Waiter ThingReady failed: Waiter encountered a terminal failure state: \
         For expression \"Thing.State\" we matched expected path: \"failed\""
    );
    let fail = failure(&e).expect("details");
    assert_eq!(fail.waiter, "ThingReady");
    assert_eq!(
        fail.last_response.pointer("Thing.State").as_str(),
        Some("failed")
    );
    // Display is botocore's WaiterError text; the last response is the source.
    assert!(!e.to_string().contains("last response"), "{e}");
    assert!(e.report().contains("last response: {\"Thing\""), "{e}");
    assert_eq!(f.params().len(), 1);
}

#[tokio::test]
async fn max_attempts_exceeded_names_the_previous_state() {
    let f = fake(vec![ok(200, value!({"Thing": {"State": "pending"}}))]);
    let e = waiter(&f, state_acceptors())
        .wait(Value::Null, fast(3))
        .await
        .expect_err("timeout");
    assert_eq!(
        e.message(),
        "Waiter ThingReady failed: Max attempts exceeded"
    );
    assert_eq!(f.params().len(), 3);

    let f = fake(vec![err("Throttled", 400)]);
    let e = waiter(&f, state_acceptors())
        .wait(Value::Null, fast(2))
        .await
        .expect_err("timeout");
    assert_eq!(
        e.message(),
        "Waiter ThingReady failed: Max attempts exceeded. Previously accepted state: \
         Matched expected service error code: Throttled"
    );
    let last = &failure(&e).expect("details").last_response;
    assert_eq!(last.pointer("Error.Code").as_str(), Some("Throttled"));
    assert_eq!(
        last.pointer("ResponseMetadata.HTTPStatusCode"),
        &Value::Integer(400)
    );
}

#[tokio::test]
async fn delay_override_is_used_between_attempts() {
    let f = fake(vec![ok(200, value!({"Thing": {"State": "pending"}}))]);
    let cfg = WaiterConfig {
        delay: Some(Duration::from_millis(20)),
        max_attempts: Some(3),
    };
    let start = std::time::Instant::now();
    assert!(waiter(&f, state_acceptors())
        .wait(Value::Null, cfg)
        .await
        .is_err());
    assert!(
        start.elapsed() >= Duration::from_millis(40),
        "two sleeps of 20ms"
    );
}

#[tokio::test]
async fn unmatched_service_error_stops_the_wait() {
    let f = fake(vec![err("AccessDenied", 403)]);
    let e = waiter(&f, state_acceptors())
        .wait(Value::Null, fast(5))
        .await
        .expect_err("error");
    assert_eq!(
        e.message(),
        "Waiter ThingReady failed: An error occurred (AccessDenied): AccessDenied happened"
    );
    assert_eq!(f.params().len(), 1);
}

#[tokio::test]
async fn other_errors_propagate_unchanged() {
    let f = Fake::script(vec![Err("connection reset".into())]);
    let e = waiter(&f, state_acceptors())
        .wait(Value::Null, fast(5))
        .await
        .expect_err("error");
    assert_eq!(e.kind(), ErrorKind::Response);
    assert!(failure(&e).is_none());
}

#[tokio::test]
async fn path_all_needs_a_non_empty_list_of_matches() {
    let acc = json!([{"state": "success", "matcher": "pathAll", "argument": "Things[].State", "expected": "ok"}]);
    let f = fake(vec![
        ok(200, value!({"Things": []})),
        ok(200, value!({"Things": [{"State": "ok"}, {"State": "no"}]})),
        ok(200, value!({"Things": [{"State": "ok"}, {"State": "ok"}]})),
    ]);
    waiter(&f, acc)
        .wait(Value::Null, fast(5))
        .await
        .expect("success");
    assert_eq!(f.params().len(), 3);
}

#[tokio::test]
async fn path_any_matches_one_element_and_numbers_and_booleans_compare() {
    let acc = json!([
        {"state": "failure", "matcher": "pathAny", "argument": "Things[].State", "expected": "broken"},
        {"state": "success", "matcher": "path", "argument": "length(Things) == `2`", "expected": true},
        {"state": "retry", "matcher": "path", "argument": "Count", "expected": 1}
    ]);
    let f = fake(vec![
        ok(200, value!({"Things": [], "Count": 1.0})),
        ok(200, value!({"Things": [{"State": "x"}, {"State": "y"}]})),
    ]);
    waiter(&f, acc.clone())
        .wait(Value::Null, fast(5))
        .await
        .expect("success");
    let f = fake(vec![ok(
        200,
        value!({"Things": [{"State": "x"}, {"State": "broken"}]}),
    )]);
    let e = waiter(&f, acc)
        .wait(Value::Null, fast(5))
        .await
        .expect_err("failure");
    assert!(
        e.message()
            .ends_with("we matched expected path: \"broken\" at least once"),
        "{e}"
    );
}

#[tokio::test]
async fn status_matcher_sees_successes_and_errors() {
    let acc = json!([
        {"state": "success", "matcher": "status", "expected": 200},
        {"state": "retry", "matcher": "status", "expected": 404}
    ]);
    let f = fake(vec![err("NoSuchThing", 404), ok(200, value!({}))]);
    waiter(&f, acc)
        .wait(Value::Null, fast(5))
        .await
        .expect("success");
    assert_eq!(f.params().len(), 2);
}

#[tokio::test]
async fn error_matcher_codes_and_booleans() {
    // Like S3's ObjectNotExists: success when the error is NotFound.
    let acc = json!([{"state": "success", "matcher": "error", "expected": "NotFound"}]);
    let f = fake(vec![ok(200, value!({})), err("NotFound", 404)]);
    let out = waiter(&f, acc)
        .wait(Value::Null, fast(5))
        .await
        .expect("success");
    assert_eq!(out.pointer("Error.Code").as_str(), Some("NotFound"));
    assert_eq!(
        out.pointer("ResponseMetadata.RequestId").as_str(),
        Some("req-1")
    );

    let acc = json!([{"state": "success", "matcher": "error", "expected": true}]);
    let f = fake(vec![ok(200, value!({})), err("Anything", 500)]);
    waiter(&f, acc)
        .wait(Value::Null, fast(5))
        .await
        .expect("any error");
    assert_eq!(f.params().len(), 2);

    let acc = json!([
        {"state": "success", "matcher": "error", "expected": false},
        {"state": "retry", "matcher": "error", "expected": "Oops"}
    ]);
    let f = fake(vec![err("Oops", 500), ok(200, value!({}))]);
    waiter(&f, acc)
        .wait(Value::Null, fast(5))
        .await
        .expect("no error");
    assert_eq!(f.params().len(), 2);
}

#[test]
fn path_matchers_ignore_error_responses() {
    let acc = Acceptor::from_json(
        &json!({"state": "success", "matcher": "path", "argument": "Error.Code", "expected": "X"}),
    )
    .expect("acceptor");
    assert!(!acc.matches(&value!({"Error": {"Code": "X"}})));
    let acc = Acceptor::from_json(
        &json!({"state": "success", "matcher": "path", "argument": "Error", "expected": "X"}),
    )
    .expect("acceptor");
    assert!(
        acc.matches(&value!({"Error": "X"})),
        "not a service error: no Code"
    );
}

#[test]
fn bad_specs_are_rejected() {
    let base = |acc: serde_json::Value| json!({"operation": "Op", "delay": 1, "maxAttempts": 2, "acceptors": [acc]});
    for acc in [
        json!({"state": "done", "matcher": "path", "argument": "a", "expected": 1}),
        json!({"state": "success", "matcher": "regex", "argument": "a", "expected": 1}),
        json!({"state": "success", "matcher": "path", "expected": 1}),
        json!({"state": "success", "matcher": "path", "argument": "a[", "expected": 1}),
        json!({"state": "success", "matcher": "status"}),
    ] {
        assert!(
            WaiterSpec::from_json("W", &base(acc.clone())).is_err(),
            "{acc}"
        );
    }
    assert!(WaiterSpec::from_json("W", &json!({"operation": "Op", "acceptors": []})).is_err());
}

#[test]
fn real_waiters_resolve_by_any_spelling() {
    let Ok(s3) = boto_model::Loader::global().service_model("s3") else {
        return;
    };
    let e =
        Waiter::new(Fake::new(|_, _| Ok(Value::Null)), "ObjectExists").expect_err("tiny has none");
    assert!(
        e.message()
            .starts_with("Waiter does not exist: ObjectExists"),
        "{e}"
    );
    assert!(waiter_names(&s3).iter().any(|n| n == "ObjectExists"));
    for name in ["ObjectExists", "object_exists", "object-exists"] {
        let spec = WaiterSpec::load(&s3, name).expect(name);
        assert_eq!(spec.name, "ObjectExists");
        assert_eq!(spec.operation, "HeadObject");
        assert_eq!(spec.delay, Duration::from_secs(5));
    }
    let e = WaiterSpec::load(&s3, "object_exist").expect_err("typo");
    assert!(
        e.message().contains("did you mean \"object_exists\""),
        "{e}"
    );
}

#[tokio::test]
async fn last_response_of_a_service_error_is_botocores_shape() {
    // What the protocol parsers produce: the parsed error response.
    let parsed = value!({
        "Error": {"Code": "ResourceNotFoundException", "Message": "gone"},
        "ResponseMetadata": {"RequestId": "r-9", "HTTPStatusCode": 400},
        "Reason": "modeled member",
    });
    let f = Fake::new(move |_, _| {
        Err(Error::service(ServiceError {
            code: "ResourceNotFoundException".into(),
            message: "gone".into(),
            request_id: Some("r-9".into()),
            status: 400,
            shape: None,
            fields: parsed.clone(),
        }))
    });
    let acceptors = json!([
        {"state": "failure", "matcher": "error", "expected": "ResourceNotFoundException"}
    ]);
    let e = waiter(&f, acceptors)
        .wait(Value::Null, fast(3))
        .await
        .expect_err("failure");
    let last = &failure(&e).expect("details").last_response;
    assert_eq!(
        last.pointer("Error.Code").as_str(),
        Some("ResourceNotFoundException")
    );
    assert_eq!(last.pointer("Error.Message").as_str(), Some("gone"));
    assert!(last.pointer("Error.Error").is_null(), "{last:?}");
    assert_eq!(last.pointer("Reason").as_str(), Some("modeled member"));
    assert_eq!(
        last.pointer("ResponseMetadata.RequestId").as_str(),
        Some("r-9")
    );
    assert_eq!(
        last.pointer("ResponseMetadata.HTTPStatusCode").as_i64(),
        Some(400)
    );
    assert_eq!(
        last.pointer("ResponseMetadata.RetryAttempts").as_i64(),
        Some(0)
    );
}
