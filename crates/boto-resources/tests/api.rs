//! API-level guarantees: thread-safety of the public types, constructors,
//! and errors for unknown services.

mod support;

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
