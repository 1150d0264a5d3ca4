//! API-level guarantees: thread-safety of the public types, constructors,
//! and errors for unknown services.

mod support;

use boto::Value;
use boto_resources::ResourceExt as _;
use support::*;

fn shareable<T: Clone + Send + Sync + 'static>() {}
fn sendable<T: Send + 'static>() {}

#[test]
fn public_types_are_shareable() {
    shareable::<boto_resources::Resource>();
    shareable::<boto_resources::Collection>();
    shareable::<boto_resources::ActionOutput>();
    shareable::<boto_resources::blocking::Resource>();
    shareable::<boto_resources::blocking::Collection>();
    sendable::<boto_resources::Pages>();
    sendable::<boto_resources::Items>();
}

#[test]
fn constructors_and_unknown_services() -> TestResult {
    let session = session();
    let s3 = session.resource("s3")?;
    assert_eq!(s3.class_name(), "s3.ServiceResource");
    assert!(
        s3.meta().client().is_some(),
        "a session resource carries its client"
    );
    let (_f, fake) = fake_resource("s3");
    assert!(fake.meta().client().is_none());
    let e = session.resource("lambda").unwrap_err();
    assert!(e.message().contains("does not exist"), "{e}");
    assert!(
        e.message().contains("dynamodb"),
        "lists the services with resources: {e}"
    );
    let mut services = boto_resources::model::resource_services();
    services.sort();
    assert_eq!(
        services,
        [
            "cloudformation",
            "cloudwatch",
            "dynamodb",
            "ec2",
            "glacier",
            "iam",
            "s3",
            "sns",
            "sqs"
        ]
    );
    for s in &services {
        let r = session.resource(s)?;
        assert_eq!(format!("{r:?}"), format!("{s}.ServiceResource()"));
        let info = r.class_info();
        assert!(!info.subresources.is_empty(), "{s}");
    }
    Ok(())
}

#[test]
fn service_has_entries_replace_like_a_dict() -> TestResult {
    // boto3: ec2.KeyPair(name) is a KeyPairInfo (the declared `has` replaces
    // the implicit sub-resource of the KeyPair class); the class itself stays
    // reachable by class name.
    let (_f, ec2) = fake_resource("ec2");
    let kp = ec2.subresource("KeyPair", ["k"])?;
    assert_eq!(format!("{kp:?}"), "ec2.KeyPairInfo(name='k')");
    assert_eq!(
        format!("{:?}", ec2.resource("KeyPair", ["k"])?),
        "ec2.KeyPair(name='k')"
    );
    assert!(!ec2
        .class_info()
        .subresources
        .iter()
        .any(|s| s.ends_with("_subresource")));
    Ok(())
}

#[tokio::test]
async fn limit_zero_is_one_call_and_no_items_like_boto3() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    let page = boto::value!({"Contents": [{"Key": "a"}, {"Key": "b"}, {"Key": "c"}], "IsTruncated": false});
    fake.respond("ListObjects", page.clone());
    let objects = s3.resource("Bucket", ["bk"])?.collection("objects")?;
    assert!(objects.limit(0).to_vec().await?.is_empty());
    assert_eq!(fake.ops(), vec!["ListObjects"]);
    fake.respond("ListObjects", page);
    let two = objects.limit(2).to_vec().await?;
    assert_eq!(format!("{two:?}"), "[s3.ObjectSummary(bucket_name='bk', key='a'), s3.ObjectSummary(bucket_name='bk', key='b')]");
    Ok(())
}

// ---- Bad input: clear errors, never a panic ------------------------------

/// Every class of every service, async and blocking: too few and too many
/// identifiers name the class, the count and the identifiers.
#[test]
fn wrong_number_of_identifiers_for_every_class() -> TestResult {
    let mut checked = 0;
    for service in boto_resources::model::resource_services() {
        let (_f, svc) = fake_resource(&service);
        let blocking = boto_resources::blocking::Resource::new(svc.clone());
        let models = boto_resources::model::ServiceResources::load(&service)?;
        for def in &models.resources {
            let n = def.identifiers.len();
            let names: Vec<&str> = def.identifiers.iter().map(|i| i.py_name.as_str()).collect();
            for m in [n.saturating_sub(1), n + 1] {
                if m == n {
                    continue;
                }
                let want = format!(
                    "{service}.{} takes {n} identifier{} ({}), got {m}",
                    def.name,
                    if n == 1 { "" } else { "s" },
                    names.join(", ")
                );
                let ids = vec!["x"; m];
                let e = svc.resource(&def.name, ids.clone()).unwrap_err();
                assert_eq!(e.message(), want);
                let e = blocking.resource(&def.name, ids).unwrap_err();
                assert_eq!(e.message(), want);
                checked += 1;
            }
        }
    }
    assert!(checked > 150, "{checked} classes checked");
    // A sub-resource counts only the identifiers its parent does not give.
    let (_f, s3) = fake_resource("s3");
    let bucket = s3.resource("Bucket", ["b"])?;
    let e = bucket.subresource("Object", ()).unwrap_err();
    assert_eq!(
        e.message(),
        "s3.Bucket.Object takes 1 identifier (key), got 0"
    );
    let e = s3.resource("Object", Vec::<String>::new()).unwrap_err();
    assert_eq!(
        e.message(),
        "s3.Object takes 2 identifiers (bucket_name, key), got 0"
    );
    Ok(())
}

/// Unknown names of every kind answer with the closest valid name.
#[tokio::test]
async fn unknown_names_suggest_the_closest() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    let obj = s3.resource("Object", ["b", "k"])?;
    let bucket = s3.resource("Bucket", ["b"])?;
    let (_f2, ec2) = fake_resource("ec2");
    let instance = ec2.resource("Instance", ["i-1"])?;
    let objects = bucket.collection("objects")?;
    let cases: Vec<(&str, boto::Error, &str)> = vec![
        (
            "service",
            boto_resources::from_invoker(Fake::new("lambda")).unwrap_err(),
            "does not exist",
        ),
        (
            "class",
            s3.resource("Bukcet", ["b"]).unwrap_err(),
            "did you mean \"Bucket\"",
        ),
        (
            "sub-resource",
            bucket.subresource("Objet", ["k"]).unwrap_err(),
            "did you mean \"Object\"",
        ),
        (
            "attribute",
            obj.attr("content_lenght").await.unwrap_err(),
            "did you mean \"content_length\"",
        ),
        (
            "attribute (model name)",
            obj.attr("ContentLenght").await.unwrap_err(),
            "did you mean \"content_length\"",
        ),
        (
            "action",
            obj.action("delet", Value::Null).await.unwrap_err(),
            "did you mean \"delete\"",
        ),
        (
            "action (model name)",
            obj.action("CopyFrm", Value::Null).await.unwrap_err(),
            "did you mean \"copy_from\"",
        ),
        (
            "collection",
            bucket.collection("object").unwrap_err(),
            "did you mean \"objects\"",
        ),
        (
            "waiter",
            obj.wait_until("exsts", Value::Null).await.unwrap_err(),
            "did you mean \"exists\"",
        ),
        (
            "waiter (full name)",
            obj.wait_until("wait_until_not_exist", Value::Null)
                .await
                .unwrap_err(),
            "did you mean \"wait_until_not_exists\"",
        ),
        (
            "reference",
            instance.reference("subnett").await.unwrap_err(),
            "did you mean \"subnet\"",
        ),
        (
            "batch action",
            objects
                .batch_action("delet", Value::Null)
                .await
                .unwrap_err(),
            "did you mean \"delete\"",
        ),
    ];
    for (kind, e, want) in &cases {
        assert!(e.message().contains(want), "{kind}: {e}");
        assert!(
            e.message().contains("has no") || e.message().contains("does not exist"),
            "{kind}: {e}"
        );
    }
    // Nothing close: the valid names are listed instead (short lists).
    let e = obj.action("zzzzzzzz", Value::Null).await.unwrap_err();
    assert!(
        e.message().contains("valid names:") && e.message().contains("delete"),
        "{e}"
    );
    assert!(
        fake.calls().is_empty(),
        "no unknown name made a call: {:?}",
        fake.ops()
    );
    Ok(())
}

#[test]
fn blocking_unknown_names_suggest_the_closest() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    let obj = boto_resources::blocking::Resource::new(s3.resource("Object", ["b", "k"])?);
    let cases = [
        (
            obj.attr("content_lenght").unwrap_err(),
            "did you mean \"content_length\"",
        ),
        (
            obj.action("delet", Value::Null).unwrap_err(),
            "did you mean \"delete\"",
        ),
        (
            obj.wait_until("exsts", Value::Null).unwrap_err(),
            "did you mean \"exists\"",
        ),
        (obj.reference("buckt").unwrap_err(), "has no reference"),
        (
            obj.subresource("Bukcet", ()).unwrap_err(),
            "did you mean \"Bucket\"",
        ),
        (obj.collection("parts").unwrap_err(), "has no collection"),
    ];
    for (e, want) in &cases {
        assert!(e.message().contains(want), "{e}");
    }
    let bucket = boto_resources::blocking::Resource::new(s3.resource("Bucket", ["b"])?);
    let e = bucket
        .collection("objects")?
        .batch_action("delet", Value::Null)
        .unwrap_err();
    assert!(e.message().contains("did you mean \"delete\""), "{e}");
    assert!(
        fake.calls().is_empty(),
        "no unknown name made a call: {:?}",
        fake.ops()
    );
    Ok(())
}

/// boto3 accepts any non-None identifier when building a resource
/// (`s3.Bucket("")`, `s3.Bucket(5)`) and fails at the call; so does boto-rs,
/// with botocore's validation messages (where boto3 raises a bare
/// `TypeError` for a non-string). Against moto.
#[tokio::test]
async fn odd_identifiers_build_and_fail_clearly_at_the_call() -> TestResult {
    let Some(ep) = endpoint() else {
        println!("skipped: BOTO_TEST_ENDPOINT not set (run under scripts/with_servers.sh)");
        return Ok(());
    };
    let s3 = session().resource_with("s3", &options(&ep))?;
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            Value::from(""),
            "s3.Bucket(name='')",
            "Invalid bucket name \"\"",
        ),
        (
            Value::from(5i64),
            "s3.Bucket(name=5)",
            "Invalid type for parameter Bucket, value: 5, type: <integer>, valid types: <string>",
        ),
        (
            Value::from(true),
            "s3.Bucket(name=True)",
            "Invalid type for parameter Bucket, value: True",
        ),
        (
            boto::value!(["a"]),
            "s3.Bucket(name=['a'])",
            "Invalid type for parameter Bucket",
        ),
        (
            boto::value!({"a": 1}),
            "s3.Bucket(name={'a': 1})",
            "Invalid type for parameter Bucket",
        ),
    ];
    for (id, repr, want) in cases {
        let b = s3.resource("Bucket", [id])?;
        assert_eq!(format!("{b:?}"), repr);
        let e = b.action("delete", Value::Null).await.unwrap_err();
        assert!(e.message().contains(want), "{repr}.delete(): {e}");
        let e = b.collection("objects")?.to_vec().await.unwrap_err();
        assert!(e.message().contains(want), "{repr}.objects: {e}");
        let e = b
            .collection("objects")?
            .batch_action("delete", Value::Null)
            .await
            .unwrap_err();
        assert!(e.message().contains(want), "{repr}.objects.delete(): {e}");
        // boto3's injected Bucket.load lists the buckets and finds none.
        assert_eq!(b.attr("creation_date").await?, Value::Null);
    }
    let o = s3.resource("Object", ["b", ""])?;
    assert_eq!(format!("{o:?}"), "s3.Object(bucket_name='b', key='')");
    let e = o.attr("content_length").await.unwrap_err();
    assert!(
        e.message()
            .contains("Invalid length for parameter Key, value: 0, valid min length: 1"),
        "{e}"
    );
    // None is the one value boto3 refuses up front ("Required parameter name not set").
    let e = s3.resource("Bucket", [Value::Null]).unwrap_err();
    assert_eq!(
        e.message(),
        "s3.Bucket: required identifier name is not set"
    );
    let e = s3
        .resource("Object", [Value::from("b"), Value::Null])
        .unwrap_err();
    assert_eq!(e.message(), "s3.Object: required identifier key is not set");
    Ok(())
}

/// A batch action on an empty collection (an empty bucket, or a filter
/// matching nothing) makes only the listing call and returns no responses,
/// on a real client against moto; async and blocking.
#[test]
fn batch_action_on_an_empty_collection_only_lists() -> TestResult {
    let Some(ep) = endpoint() else {
        println!("skipped: BOTO_TEST_ENDPOINT not set (run under scripts/with_servers.sh)");
        return Ok(());
    };
    let rec = Recorder::new(session().client_with("s3", &options(&ep))?);
    let s3 = boto_resources::blocking::Resource::new(boto_resources::from_invoker(rec.clone())?);
    let name = unique("empty-batch");
    let bucket = s3
        .action("create_bucket", boto::params! {"Bucket": (name.as_str())})?
        .into_resource()
        .map(boto_resources::blocking::Resource::new)
        .ok_or("CreateBucket gives a Bucket")?;
    rec.take();
    let ops = |rec: &Recorder| rec.take().into_iter().map(|(o, _)| o).collect::<Vec<_>>();
    // Empty bucket.
    assert!(bucket
        .collection("objects")?
        .batch_action("delete", Value::Null)?
        .is_empty());
    assert_eq!(ops(&rec), ["ListObjects"]);
    // A filter matching nothing; the object outside it survives.
    let keep = bucket.subresource("Object", ["keep/me"])?;
    keep.action("put", boto::params! {"Body": (Value::blob(b"x".to_vec()))})?;
    rec.take();
    let none = bucket
        .collection("objects")?
        .filter(boto::params! {"Prefix": "nothing/"});
    assert!(none.batch_action("delete", Value::Null)?.is_empty());
    assert_eq!(ops(&rec), ["ListObjects"]);
    // The async API, on another thread's runtime, says the same.
    let coll = none.async_collection().clone();
    let out = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(coll.batch_action("delete", Value::Null))?;
    assert!(out.is_empty());
    assert_eq!(ops(&rec), ["ListObjects"]);
    let left = bucket
        .collection("objects")?
        .items()
        .collect::<Result<Vec<_>, _>>()?;
    assert_eq!(
        format!("{left:?}"),
        format!("[s3.ObjectSummary(bucket_name='{name}', key='keep/me')]")
    );
    // Clean up (a batch delete that does delete).
    assert_eq!(
        bucket
            .collection("objects")?
            .batch_action("delete", Value::Null)?
            .len(),
        1
    );
    bucket.action("delete", Value::Null)?;
    Ok(())
}

/// No panic anywhere on odd input: every class of the nine services built
/// from identifiers of every JSON type (and empty strings), then every
/// attribute, action, reference, sub-resource, collection and batch action
/// used with parameters that are not a map (a clear error) and with none
/// (answered by the fake). Waiters get only bad parameters (an error before
/// any polling).
#[tokio::test]
async fn odd_input_never_panics_on_any_class() -> TestResult {
    let odd = [
        Value::from(""),
        Value::from(7i64),
        Value::from(false),
        Value::from(1.5f64),
        boto::value!(["x", 1]),
        boto::value!({"k": [true]}),
        Value::blob(b"\xff".to_vec()),
    ];
    let bad_params = [
        boto::value!([1, 2]),
        Value::from("Bucket=b"),
        Value::from(3i64),
    ];
    let mut errors = 0usize;
    for service in boto_resources::model::resource_services() {
        let (_fake, svc) = fake_resource(&service);
        let models = boto_resources::model::ServiceResources::load(&service)?;
        let defs = std::iter::once(&models.service_resource).chain(&models.resources);
        for (n, def) in defs.enumerate() {
            let ids: Vec<Value> = (0..def.identifiers.len())
                .map(|i| odd[(n + i) % odd.len()].clone())
                .collect();
            let r = if def.is_service {
                svc.clone()
            } else {
                svc.resource(&def.name, ids)?
            };
            let _ = (format!("{r:?}"), r.class_info(), r.identifiers());
            for a in &def.attributes {
                let _ = r.attr(&a.py_name).await;
            }
            for a in def.actions.iter().map(|a| &a.py_name) {
                for p in &bad_params {
                    let e = r.action(a, p.clone()).await.unwrap_err();
                    assert!(e.message().contains("parameters must be a map"), "{e}");
                    errors += 1;
                }
                let _ = r.action(a, Value::Null).await;
            }
            for x in &def.references {
                let _ = r.reference(&x.py_name).await;
            }
            for x in &def.subresources {
                let _ = r.subresource(&x.py_name, vec![Value::from(""); 3]);
                let _ = r.subresource(&x.py_name, ());
            }
            for w in &def.waiters {
                for p in &bad_params {
                    let e = r.wait_until(&w.py_name, p.clone()).await.unwrap_err();
                    assert!(e.message().contains("parameters must be a map"), "{e}");
                    errors += 1;
                }
            }
            for c in &def.collections {
                let coll = r.collection(&c.py_name)?;
                for p in &bad_params {
                    let e = coll.filter(p.clone()).to_vec().await.unwrap_err();
                    assert!(
                        e.message().contains("filter: parameters must be a map"),
                        "{e}"
                    );
                    errors += 1;
                }
                let _ = coll.limit(0).to_vec().await;
                let _ = coll.page_size(0).limit(3).to_vec().await;
                for b in coll.batch_action_names() {
                    for p in &bad_params {
                        let e = coll.batch_action(&b, p.clone()).await.unwrap_err();
                        assert!(e.message().contains("parameters must be a map"), "{e}");
                        errors += 1;
                    }
                    let _ = coll.batch_action(&b, Value::Null).await;
                }
            }
        }
    }
    assert!(errors > 1000, "{errors} clear errors");
    Ok(())
}

/// The blocking item iterator crosses pages, reads attributes without a
/// call, and stops after an error (as the async stream does).
#[test]
fn blocking_items_cross_pages_and_stop_after_an_error() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    let page = |keys: &[&str], more: bool| {
        let contents: Vec<Value> = keys
            .iter()
            .map(|k| boto::value!({"Key": (*k), "Size": 2}))
            .collect();
        boto::value!({"IsTruncated": more, "Contents": contents})
    };
    fake.respond("ListObjects", page(&["a", "b"], true));
    fake.respond("ListObjects", page(&["c"], false));
    let bucket = boto_resources::blocking::Resource::new(s3.resource("Bucket", ["b"])?);
    let objects = bucket.collection("objects")?;
    let mut seen = Vec::new();
    for o in objects.items() {
        let o = o?;
        seen.push(format!(
            "{}={}",
            o.id_str("key").unwrap_or_default(),
            o.attr("size")?
        ));
    }
    assert_eq!(seen, ["a=2", "b=2", "c=2"]);
    assert_eq!(
        fake.ops(),
        ["ListObjects", "ListObjects"],
        "no call per attribute"
    );
    fake.clear();
    fake.respond("ListObjects", page(&["a"], true));
    fake.fail("ListObjects", boto::Error::response("page two broke"));
    let got: Vec<Result<_, _>> = objects.items().collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].is_ok());
    assert!(got[1]
        .as_ref()
        .unwrap_err()
        .message()
        .contains("page two broke"));
    assert_eq!(fake.ops().len(), 2, "nothing after the error");
    Ok(())
}
