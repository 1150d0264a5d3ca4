//! The public API's ergonomics from issue 12, through the `boto` facade and
//! without a server: `params!` with expressions and bytes, `from_value`
//! errors through `?`, missing lists, path getters, the crate-root
//! re-exports, and error chains that name each cause once.

use boto::{params, Error, ErrorKind, Value, WaiterConfig};
use std::time::Duration;

/// Every level's Display, outermost first: what anyhow's `{:#}` prints.
fn chain(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut src = e.source();
    while let Some(s) = src {
        out.push(s.to_string());
        src = s.source();
    }
    out
}

fn session() -> boto::Session {
    boto::Session::builder()
        .region("us-east-1")
        .credentials("AKIDTEST", "secret", None)
        .build()
        .expect("session")
}

#[test]
fn unknown_service_is_named_once_in_the_error_chain() {
    let e = session().client("s3z").expect_err("no such service");
    let levels = chain(&e);
    let joined = levels.join(": ");
    let text = "unknown service \"s3z\"";
    assert_eq!(joined.matches(text).count(), 1, "{joined}");
    assert_eq!(e.report().matches(text).count(), 1, "{}", e.report());
    assert!(
        e.report().contains("did you mean \"s3\"?"),
        "{}",
        e.report()
    );
    assert_eq!(e.kind(), ErrorKind::Construction);
    // The model's own error is the source, for downcasting.
    let src = std::error::Error::source(&e).expect("a source");
    assert!(src
        .downcast_ref::<boto::core::model::ModelError>()
        .is_some());
}

#[test]
fn from_value_errors_convert_with_question_mark() {
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Obj {
        #[serde(rename = "Key")]
        key: String,
    }
    fn read(v: Value) -> Result<Vec<Obj>, Error> {
        Ok(boto::from_value(v)?)
    }
    let e = read(boto::value!([{"Key": 1}])).expect_err("Key is a number");
    assert_eq!(e.kind(), ErrorKind::Conversion);
    assert!(e.report().contains("[0].Key"), "{}", e.report());
    let src = std::error::Error::source(&e).expect("a source");
    assert!(src.downcast_ref::<boto::ValueError>().is_some());
    // S3 omits `Contents` when a listing is empty: an empty Vec, not an error.
    let listing = boto::value!({"KeyCount": 0});
    assert!(read(listing.get("Contents").clone()).unwrap().is_empty());
    assert!(listing.get("Contents").as_list_or_empty().is_empty());
    assert_eq!(listing.at("Contents[0].Key"), None);
}

#[test]
fn params_take_expressions_and_bytes() {
    let bucket = String::from("b");
    let keys = ["a.txt", "b.txt"];
    let body: Vec<u8> = b"hello".to_vec();
    let p = params! {
        "Bucket": bucket.clone(),
        "Key": format!("dir/{}", keys[0]),
        "MaxKeys": keys.len() * 10,
        "Body": body.clone(),
        "Delete": {"Objects": keys.iter().map(|k| params! {"Key": *k}).collect::<Vec<_>>()},
    };
    assert_eq!(p.at("Key").and_then(Value::as_str), Some("dir/a.txt"));
    assert_eq!(p.at("MaxKeys").and_then(Value::as_i64), Some(20));
    assert_eq!(p.get("Body"), &Value::Blob(body));
    assert_eq!(
        p.at("Delete.Objects[1].Key").and_then(Value::as_str),
        Some("b.txt")
    );
    // A struct with a `Vec<u8>` field becomes a blob through `to_value` too.
    #[derive(serde::Serialize)]
    struct Put {
        #[serde(rename = "Body")]
        body: Vec<u8>,
    }
    let v = boto::to_value(&Put {
        body: vec![1, 2, 3],
    })
    .unwrap();
    assert_eq!(v.get("Body"), &Value::Blob(vec![1, 2, 3]));
    // The request serializer takes it as a blob (no list-of-numbers error).
    let s3 = session().client("s3").expect("s3");
    let mut put = params! {"Bucket": "b", "Key": "k"};
    put.as_map_mut()
        .unwrap()
        .insert("Body", v.get("Body").clone());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let req = rt.block_on(s3.prepare("PutObject", put)).expect("prepared");
    assert_eq!(req.body.bytes(), Some(&[1u8, 2, 3][..]));
}

#[test]
fn waiter_config_builder_at_the_crate_root() {
    let cfg = WaiterConfig::new()
        .delay(Duration::from_millis(5))
        .max_attempts(3);
    assert_eq!(cfg.delay, Some(Duration::from_millis(5)));
    assert_eq!(cfg.max_attempts, Some(3));
    assert_eq!(WaiterConfig::default(), WaiterConfig::new());
    // Async and blocking waiters have one shape: waiter(name)? then wait(params, cfg).
    let s3 = session().client("s3").expect("s3");
    assert_eq!(
        s3.waiter("bucket_exists").expect("waiter").name(),
        "BucketExists"
    );
    let blocking = boto::blocking::Client::new(s3);
    assert_eq!(
        blocking.waiter("BucketExists").expect("waiter").name(),
        "BucketExists"
    );
    let e = blocking.waiter("NoSuchWaiter").expect_err("unknown waiter");
    assert_eq!(e.kind(), ErrorKind::Construction);
}
