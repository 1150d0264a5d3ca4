//! Every kind of model element against a fake invoker that records the
//! `(operation, params)` sent and returns canned outputs.

mod support;

use boto::{params, value, Value};
use boto_resources::{ActionOutput, Resource};
use std::collections::HashSet;
use support::*;

#[tokio::test]
#[allow(clippy::mutable_key_type)] // Hash uses only the immutable identifiers
async fn identifiers_repr_eq_hash() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    assert_eq!(format!("{s3:?}"), "s3.ServiceResource()");
    let o = s3.resource("Object", ["b", "it's"])?;
    assert_eq!(format!("{o:?}"), "s3.Object(bucket_name='b', key=\"it's\")");
    assert_eq!(o.id_str("key"), Some("it's"));
    assert_eq!(o.id_str("Key"), Some("it's"));
    assert_eq!(o.meta().identifiers(), vec!["bucket_name", "key"]);
    let same = s3.subresource("Object", ["b", "it's"])?;
    assert_eq!(o, same);
    let other = s3.resource("ObjectSummary", ["b", "it's"])?;
    assert_ne!(o, other);
    let set: HashSet<Resource> = [o.clone(), same, other].into_iter().collect();
    assert_eq!(set.len(), 2);
    assert!(fake.calls().is_empty(), "building resources makes no call");
    Ok(())
}

#[tokio::test]
async fn bad_identifiers_are_clear_errors() -> TestResult {
    let (_f, s3) = fake_resource("s3");
    let e = s3.resource("Object", ["only-bucket"]).unwrap_err();
    assert_eq!(
        e.message(),
        "s3.Object takes 2 identifiers (bucket_name, key), got 1"
    );
    let e = s3.resource("Objet", ["b", "k"]).unwrap_err();
    assert!(e.message().contains("did you mean \"Object\""), "{e}");
    let bucket = s3.resource("Bucket", ["b"])?;
    let e = bucket.subresource("Object", ["k", "extra"]).unwrap_err();
    assert_eq!(
        e.message(),
        "s3.Bucket.Object takes 1 identifier (key), got 2"
    );
    let e = s3.resource("Bucket", [Value::Null]).unwrap_err();
    assert!(e.message().contains("required identifier name"), "{e}");
    Ok(())
}

#[tokio::test]
async fn load_on_first_access_then_cached_reload_and_action_clears() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    let o = s3.resource("Object", ["b", "k"])?;
    fake.respond("HeadObject", value!({"ContentLength": 5, "ETag": "\"e\""}));
    assert_eq!(o.attr("content_length").await?, Value::from(5u64));
    assert_eq!(o.attr("ContentLength").await?, Value::from(5u64));
    assert_eq!(o.attr("e_tag").await?, Value::from("\"e\""));
    assert_eq!(o.attr("content_type").await?, Value::Null);
    assert_eq!(fake.ops(), vec!["HeadObject"]);
    assert_eq!(fake.calls()[0].1, params! {"Bucket": "b", "Key": "k"});
    // Clones share the data.
    assert!(o.clone().data().is_some());
    fake.respond("HeadObject", value!({"ContentLength": 7}));
    o.reload().await?;
    assert_eq!(o.attr("content_length").await?, Value::from(7u64));
    // An action drops the data; the next read loads again.
    o.action("delete", Value::Null).await?;
    assert!(o.data().is_none());
    o.attr("content_length").await?;
    assert_eq!(
        fake.ops(),
        vec!["HeadObject", "HeadObject", "DeleteObject", "HeadObject"]
    );
    let e = o.attr("content_lenght").await.unwrap_err();
    assert!(
        e.message().contains("did you mean \"content_length\""),
        "{e}"
    );
    Ok(())
}

#[tokio::test]
async fn no_load_method_is_a_clear_error() -> TestResult {
    let (_f, ec2) = fake_resource("ec2");
    let route = ec2.resource("Route", ["rtb-1", "0.0.0.0/0"])?;
    let e = route.attr("gateway_id").await.unwrap_err();
    assert!(e.message().contains("ec2.Route has no load method"), "{e}");
    assert!(route.load().await.is_err());
    Ok(())
}

#[tokio::test]
async fn request_params_from_every_source() -> TestResult {
    let (fake, ec2) = fake_resource("ec2");
    let i = ec2.resource("Instance", ["i-1"])?;
    // identifier into a list ([0]) + string literal
    i.action("reset_kernel", Value::Null).await?;
    assert_eq!(
        fake.calls()[0],
        (
            "ResetInstanceAttribute".into(),
            params! {"InstanceId": "i-1", "Attribute": "kernel"}
        )
    );
    // input: the caller's parameters are added
    i.action("Stop", params! {"Force": true}).await?;
    assert_eq!(
        fake.calls()[1],
        (
            "StopInstances".into(),
            params! {"InstanceIds": ["i-1"], "Force": true}
        )
    );
    // data: ClassicAddress.release reads PublicIp from the loaded data
    fake.clear();
    let addr = ec2.resource("ClassicAddress", ["1.2.3.4"])?;
    fake.respond(
        "DescribeAddresses",
        value!({"Addresses": [{"PublicIp": "1.2.3.4", "Domain": "standard"}]}),
    );
    addr.action("release", Value::Null).await?;
    assert_eq!(
        fake.calls(),
        vec![
            (
                "DescribeAddresses".to_string(),
                params! {"PublicIps": ["1.2.3.4"]}
            ),
            (
                "ReleaseAddress".to_string(),
                params! {"PublicIp": "1.2.3.4"}
            ),
        ]
    );
    let e = i.action("stpo", Value::Null).await.unwrap_err();
    assert!(e.message().contains("did you mean \"stop\""), "{e}");
    Ok(())
}

#[tokio::test]
async fn response_resources_single_plural_and_raw() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    let bucket = s3.resource("Bucket", ["b"])?;
    // requestParameter identifier
    let out = bucket.action("put_object", params! {"Key": "k"}).await?;
    assert_eq!(
        out,
        ActionOutput::Resource(s3.resource("Object", ["b", "k"])?)
    );
    assert_eq!(
        fake.calls()[0],
        ("PutObject".into(), params! {"Bucket": "b", "Key": "k"})
    );
    // raw data
    fake.respond("GetObject", value!({"ContentLength": 1}));
    let obj = s3.resource("Object", ["b", "k"])?;
    let out = obj.action("get", Value::Null).await?;
    assert_eq!(out, ActionOutput::Data(value!({"ContentLength": 1})));

    // plural: ec2.create_instances → instances with their data
    let (fake, ec2) = fake_resource("ec2");
    fake.respond(
        "RunInstances",
        value!({"Instances": [{"InstanceId": "i-1", "State": {"Name": "pending"}}, {"InstanceId": "i-2"}]}),
    );
    let out = ec2
        .action(
            "create_instances",
            params! {"ImageId": "ami-1", "MinCount": 2, "MaxCount": 2},
        )
        .await?;
    let instances = out.into_resources();
    assert_eq!(
        format!("{instances:?}"),
        "[ec2.Instance(id='i-1'), ec2.Instance(id='i-2')]"
    );
    assert_eq!(
        instances[0].attr("state").await?,
        value!({"Name": "pending"})
    );
    assert_eq!(
        instances[0].attr("instance_id").await?,
        Value::from("i-1"),
        "memberName alias"
    );
    assert_eq!(
        fake.ops(),
        vec!["RunInstances"],
        "data came with the response"
    );
    // response identifier; sqs.create_queue → Queue
    let (fake, sqs) = fake_resource("sqs");
    fake.respond("CreateQueue", value!({"QueueUrl": "http://q/1"}));
    let q = sqs
        .action("create_queue", params! {"QueueName": "q"})
        .await?
        .into_resource();
    assert_eq!(format!("{q:?}"), "Some(sqs.Queue(url='http://q/1'))");
    // empty plural response → empty list (build_empty_response)
    let q = q.unwrap();
    let out = q.action("receive_messages", Value::Null).await?;
    assert_eq!(out, ActionOutput::Resources(Vec::new()));
    Ok(())
}

#[tokio::test]
async fn references_and_subresources() -> TestResult {
    let (fake, ec2) = fake_resource("ec2");
    let i = ec2.resource("Instance", ["i-1"])?;
    fake.respond(
        "DescribeInstances",
        value!({"Reservations": [{"Instances": [{"InstanceId": "i-1", "VpcId": "vpc-1"}]}]}),
    );
    let vpc = i.reference("vpc").await?.into_resource();
    assert_eq!(vpc, Some(ec2.resource("Vpc", ["vpc-1"])?));
    assert_eq!(fake.calls()[0].1, params! {"InstanceIds": ["i-1"]});
    // Missing in the data → nothing.
    assert_eq!(i.reference("subnet").await?, ActionOutput::None);
    assert_eq!(fake.ops().len(), 1, "data loaded once");
    let e = i.reference("vcp").await.unwrap_err();
    assert!(e.message().contains("did you mean \"vpc\""), "{e}");

    let (_f, s3) = fake_resource("s3");
    let b = s3.resource("Bucket", ["b"])?;
    let o = b.subresource("Object", ["k"])?;
    assert_eq!(format!("{o:?}"), "s3.Object(bucket_name='b', key='k')");
    let acl = o.subresource("Acl", ())?;
    assert_eq!(
        format!("{acl:?}"),
        "s3.ObjectAcl(bucket_name='b', object_key='k')"
    );
    assert_eq!(
        format!(
            "{:?}",
            b.subresource("Object", ["k"])?.subresource("Bucket", ())?
        ),
        "s3.Bucket(name='b')"
    );
    Ok(())
}

#[tokio::test]
async fn waiters_from_the_model() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    let o = s3.resource("Object", ["b", "k"])?;
    o.wait_until("exists", Value::Null).await?;
    o.wait_until("wait_until_exists", params! {"VersionId": "v"})
        .await?;
    assert_eq!(
        fake.calls(),
        vec![
            (
                "HeadObject".to_string(),
                params! {"Bucket": "b", "Key": "k"}
            ),
            (
                "HeadObject".to_string(),
                params! {"Bucket": "b", "Key": "k", "VersionId": "v"}
            ),
        ]
    );
    fake.fail("HeadObject", boto::Error::validation("boom"));
    let e = o
        .wait_until(
            "Exists",
            params! {"WaiterConfig": {"Delay": 0, "MaxAttempts": 1}},
        )
        .await
        .unwrap_err();
    assert!(!e.message().is_empty());
    let e = o.wait_until("exist", Value::Null).await.unwrap_err();
    assert!(e.message().contains("did you mean"), "{e}");
    Ok(())
}

fn page(keys: &[&str], next: Option<&str>) -> Value {
    let contents: Vec<Value> = keys
        .iter()
        .map(|k| value!({"Key": (*k), "Size": 1}))
        .collect();
    let mut v = value!({"IsTruncated": (next.is_some()), "Contents": contents});
    if let Some(n) = next {
        v.as_map_mut().unwrap().insert("NextMarker", n.into());
    }
    v
}

#[tokio::test]
async fn collections_paginate_filter_limit_page_size() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    let objects = s3.resource("Bucket", ["b"])?.collection("objects")?;
    fake.respond("ListObjects", page(&["a", "b"], Some("b")));
    fake.respond("ListObjects", page(&["c", "d"], Some("d")));
    fake.respond("ListObjects", page(&["e"], None));
    let filtered = objects.filter(params! {"Prefix": "p/"}).page_size(2);
    assert!(fake.calls().is_empty(), "collections are lazy");
    let all = filtered.to_vec().await?;
    assert_eq!(all.len(), 5);
    assert_eq!(
        format!("{:?}", all[4]),
        "s3.ObjectSummary(bucket_name='b', key='e')"
    );
    assert_eq!(all[0].attr("size").await?, Value::from(1u64));
    assert_eq!(
        fake.calls()
            .iter()
            .map(|(_, p)| p.clone())
            .collect::<Vec<_>>(),
        vec![
            params! {"Bucket": "b", "Prefix": "p/", "MaxKeys": 2},
            params! {"Bucket": "b", "Prefix": "p/", "MaxKeys": 2, "Marker": "b"},
            params! {"Bucket": "b", "Prefix": "p/", "MaxKeys": 2, "Marker": "d"},
        ]
    );
    // limit stops early, across pages.
    fake.clear();
    fake.respond("ListObjects", page(&["a", "b"], Some("b")));
    fake.respond("ListObjects", page(&["c", "d"], Some("d")));
    let mut items = objects.limit(3).items();
    let mut keys = Vec::new();
    while let Some(r) = items.next().await {
        keys.push(r?.id_str("key").unwrap().to_string());
    }
    assert_eq!(keys, vec!["a", "b", "c"]);
    assert_eq!(fake.ops().len(), 2);
    // pages()
    fake.respond("ListObjects", page(&["x"], None));
    let mut pages = objects.pages();
    let p = pages.next().await.unwrap()?;
    assert_eq!(p.len(), 1);
    assert!(pages.next().await.is_none());
    // An empty listing is an empty collection.
    fake.respond("ListObjects", value!({"IsTruncated": false}));
    assert!(objects.to_vec().await?.is_empty());
    let e = s3
        .resource("Bucket", ["b"])?
        .collection("objcts")
        .unwrap_err();
    assert!(e.message().contains("did you mean \"objects\""), "{e}");
    Ok(())
}

#[tokio::test]
async fn collection_is_a_stream() -> TestResult {
    use futures_core::Stream;
    let (fake, s3) = fake_resource("s3");
    fake.respond("ListObjects", page(&["a", "b"], None));
    let mut items = s3.resource("Bucket", ["b"])?.collection("objects")?.items();
    let mut n = 0;
    while let Some(r) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut items).poll_next(cx)).await
    {
        r?;
        n += 1;
    }
    assert_eq!(n, 2);
    Ok(())
}

#[tokio::test]
async fn unpaginated_collection_is_one_call_with_literals() -> TestResult {
    let (fake, ec2) = fake_resource("ec2");
    fake.respond(
        "DescribeAddresses",
        value!({"Addresses": [{"PublicIp": "1.1.1.1"}]}),
    );
    let out = ec2.collection("classic_addresses")?.to_vec().await?;
    assert_eq!(
        format!("{out:?}"),
        "[ec2.ClassicAddress(public_ip='1.1.1.1')]"
    );
    assert_eq!(
        fake.calls(),
        vec![(
            "DescribeAddresses".to_string(),
            params! {"Filters": [{"Name": "domain", "Values": ["standard"]}]}
        )]
    );
    Ok(())
}

#[tokio::test]
async fn batch_actions_one_request_per_page_and_none_when_empty() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    let objects = s3.resource("Bucket", ["b"])?.collection("objects")?;
    fake.respond("ListObjects", page(&["a", "b"], Some("b")));
    fake.respond("ListObjects", page(&["c"], None));
    let out = objects
        .batch_action("delete", params! {"ExpectedBucketOwner": "1"})
        .await?;
    assert_eq!(out.len(), 2);
    let deletes: Vec<Value> = fake
        .calls()
        .into_iter()
        .filter(|(o, _)| o == "DeleteObjects")
        .map(|(_, p)| p)
        .collect();
    assert_eq!(
        deletes,
        vec![
            params! {"Bucket": "b", "Delete": {"Objects": [{"Key": "a"}, {"Key": "b"}]}, "ExpectedBucketOwner": "1"},
            params! {"Bucket": "b", "Delete": {"Objects": [{"Key": "c"}]}, "ExpectedBucketOwner": "1"},
        ]
    );
    fake.clear();
    fake.respond("ListObjects", value!({"IsTruncated": false}));
    assert!(objects
        .batch_action("delete", Value::Null)
        .await?
        .is_empty());
    assert_eq!(
        fake.ops(),
        vec!["ListObjects"],
        "no DeleteObjects for an empty collection"
    );
    // versions: [*] keeps Key and VersionId in the same element
    fake.clear();
    fake.respond(
        "ListObjectVersions",
        value!({"Versions": [{"Key": "a", "VersionId": "1"}, {"Key": "b", "VersionId": "2"}], "IsTruncated": false}),
    );
    let versions = s3
        .resource("Bucket", ["b"])?
        .collection("object_versions")?;
    versions.batch_action("delete", Value::Null).await?;
    assert_eq!(
        fake.calls()[1].1,
        params! {"Bucket": "b", "Delete": {"Objects": [{"Key": "a", "VersionId": "1"}, {"Key": "b", "VersionId": "2"}]}}
    );
    let e = objects
        .batch_action("remove", Value::Null)
        .await
        .unwrap_err();
    assert!(e.message().contains("has no batch action"), "{e}");
    Ok(())
}

#[tokio::test]
async fn introspection_lists_every_kind() -> TestResult {
    let (_f, s3) = fake_resource("s3");
    let info = s3.resource("Object", ["b", "k"])?.class_info();
    assert_eq!(info.identifiers, vec!["bucket_name", "key"]);
    assert!(info.attributes.contains(&"content_length".to_string()));
    assert!(info.actions.contains(&"delete".to_string()));
    assert!(info.actions.contains(&"upload_file".to_string()));
    assert!(info.subresources.contains(&"Acl".to_string()));
    assert_eq!(
        info.waiters,
        vec!["wait_until_exists", "wait_until_not_exists"]
    );
    assert!(info.can_load);
    let dir = info.dir();
    assert!(dir.contains(&"reload".to_string()) && dir.contains(&"meta".to_string()));
    let b = boto_resources::introspect::class_info("s3", "Bucket")?;
    assert!(b
        .collections
        .contains(&("objects".to_string(), vec!["delete".to_string()])));
    let i = boto_resources::introspect::class_info("ec2", "Instance")?;
    assert!(i.references.contains(&"vpc".to_string()));
    assert!(i.actions.contains(&"delete_tags".to_string()));
    assert!(i.help().contains("wait_until_running"));
    let md = boto_resources::introspect::markdown_reference("s3")?;
    assert!(md.contains("## s3.Object"));
    Ok(())
}

#[tokio::test]
async fn ec2_create_and_delete_tags_customizations() -> TestResult {
    let (fake, ec2) = fake_resource("ec2");
    let tags = ec2
        .action(
            "create_tags",
            params! {"Resources": ["i-1", "i-2"], "Tags": [{"Key": "k", "Value": "v"}]},
        )
        .await?
        .into_resources();
    assert_eq!(format!("{tags:?}"), "[ec2.Tag(resource_id='i-1', key='k', value='v'), ec2.Tag(resource_id='i-2', key='k', value='v')]");
    let i = ec2.resource("Instance", ["i-1"])?;
    i.action("delete_tags", params! {"Tags": [{"Key": "k"}]})
        .await?;
    assert_eq!(
        fake.calls()[1],
        (
            "DeleteTags".into(),
            params! {"Tags": [{"Key": "k"}], "Resources": ["i-1"]}
        )
    );
    // The model's own per-resource create_tags builds Tag resources from the request.
    let out = i
        .action(
            "create_tags",
            params! {"Tags": [{"Key": "a", "Value": "1"}]},
        )
        .await?;
    assert_eq!(
        format!("{out:?}"),
        "Resources([ec2.Tag(resource_id='i-1', key='a', value='1')])"
    );
    Ok(())
}

#[tokio::test]
async fn s3_injected_loads() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    fake.respond(
        "ListBuckets",
        value!({"Buckets": [{"Name": "x"}, {"Name": "b", "CreationDate": "today"}]}),
    );
    let b = s3.resource("Bucket", ["b"])?;
    assert_eq!(b.attr("creation_date").await?, Value::from("today"));
    fake.respond("HeadObject", value!({"ContentLength": 9}));
    let summary = s3.resource("ObjectSummary", ["b", "k"])?;
    assert_eq!(summary.attr("size").await?, Value::from(9u64));
    assert_eq!(fake.ops(), vec!["ListBuckets", "HeadObject"]);
    Ok(())
}

#[tokio::test]
async fn s3_upload_download_copy_single_requests() -> TestResult {
    let (fake, s3) = fake_resource("s3");
    let dir = std::env::temp_dir().join(unique("boto-res-fake"));
    std::fs::create_dir_all(&dir)?;
    let src = dir.join("in.txt");
    std::fs::write(&src, b"hello")?;
    let obj = s3.resource("Object", ["b", "k"])?;
    obj.action(
        "upload_file",
        params! {"Filename": (src.to_str().unwrap()), "ExtraArgs": {"ContentType": "text/plain"}},
    )
    .await?;
    assert_eq!(
        fake.calls()[0],
        (
            "PutObject".into(),
            params! {"Bucket": "b", "Key": "k", "ContentType": "text/plain", "Body": (Value::blob(b"hello".to_vec()))}
        )
    );
    fake.respond(
        "GetObject",
        value!({"Body": (Value::blob(b"world".to_vec()))}),
    );
    let dst = dir.join("out.txt");
    boto_resources::customizations::s3::download_file(&obj, &dst, None, None).await?;
    assert_eq!(std::fs::read(&dst)?, b"world");
    let bucket = s3.resource("Bucket", ["b"])?;
    bucket
        .action(
            "copy",
            params! {"CopySource": {"Bucket": "o", "Key": "s"}, "Key": "dst"},
        )
        .await?;
    assert_eq!(
        fake.calls()[2],
        (
            "CopyObject".into(),
            params! {"Bucket": "b", "Key": "dst", "CopySource": {"Bucket": "o", "Key": "s"}}
        )
    );
    let e = bucket
        .action("upload_file", params! {"Filename": "/nonexistent/x"})
        .await
        .unwrap_err();
    assert!(e.message().contains("Key"), "{e}");
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

#[tokio::test]
async fn dynamodb_calls_go_through_the_high_level_transforms() -> TestResult {
    let (fake, ddb) = fake_resource("dynamodb");
    let table = ddb.resource("Table", ["t"])?;
    table
        .action("put_item", params! {"Item": {"pk": "a", "n": 3}})
        .await?;
    assert_eq!(
        fake.calls()[0],
        (
            "PutItem".into(),
            params! {"TableName": "t", "Item": {"pk": {"S": "a"}, "n": {"N": "3"}}}
        )
    );
    fake.respond(
        "GetItem",
        value!({"Item": {"pk": {"S": "a"}, "n": {"N": "3"}}}),
    );
    let out = table
        .action("get_item", params! {"Key": {"pk": "a"}})
        .await?
        .into_data()
        .unwrap();
    assert_eq!(out.get("Item").get("pk"), &Value::from("a"));
    assert_eq!(
        fake.calls()[1].1,
        params! {"TableName": "t", "Key": {"pk": {"S": "a"}}}
    );
    fake.respond(
        "DescribeTable",
        value!({"Table": {"TableName": "t", "ItemCount": 4}}),
    );
    assert_eq!(table.attr("item_count").await?, Value::from(4u64));
    Ok(())
}
