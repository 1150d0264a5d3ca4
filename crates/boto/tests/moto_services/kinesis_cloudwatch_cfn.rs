//! Kinesis binary records, CloudWatch metrics over json, a CloudFormation stack with its waiters.

use super::*;

#[tokio::test]
async fn kinesis_records_with_binary_data() -> TestResult {
    let ep = moto_or_skip!();
    let kinesis = client(&ep, "kinesis");
    let name = unique("it-kinesis");
    kinesis
        .call(
            "CreateStream",
            params! {"StreamName": (&name), "ShardCount": 1},
        )
        .await?;
    let desc = kinesis
        .waiter("stream_exists")?
        .wait(params! {"StreamName": (&name)}, fast())
        .await?;
    assert_eq!(
        desc.pointer("StreamDescription.StreamStatus").as_str(),
        Some("ACTIVE")
    );
    let shard = desc
        .pointer("StreamDescription.Shards[0].ShardId")
        .as_str()
        .expect("a shard")
        .to_string();

    let payloads: Vec<Vec<u8>> = vec![
        vec![0, 1, 2, 3, 255, 254],
        b"plain text".to_vec(),
        (0..=255).collect(),
    ];
    let first = kinesis
        .call("PutRecord", params! {"StreamName": (&name), "Data": (Value::blob(payloads[0].clone())), "PartitionKey": "pk"})
        .await?;
    assert_eq!(first.get("ShardId").as_str(), Some(shard.as_str()));
    let records: Vec<Value> = payloads[1..]
        .iter()
        .map(|p| params! {"Data": (Value::blob(p.clone())), "PartitionKey": "pk"})
        .collect();
    let batch = kinesis
        .call(
            "PutRecords",
            params! {"StreamName": (&name), "Records": (records)},
        )
        .await?;
    assert_eq!(batch.get("FailedRecordCount").as_i64(), Some(0));
    assert_eq!(list_len(batch.get("Records")), 2);

    let it = kinesis
        .call(
            "GetShardIterator",
            params! {"StreamName": (&name), "ShardId": (&shard), "ShardIteratorType": "TRIM_HORIZON"},
        )
        .await?;
    let iterator = it
        .get("ShardIterator")
        .as_str()
        .expect("an iterator")
        .to_string();
    let got = kinesis
        .call(
            "GetRecords",
            params! {"ShardIterator": iterator, "Limit": 10},
        )
        .await?;
    let data: Vec<Vec<u8>> = got
        .get("Records")
        .as_list()
        .unwrap_or_default()
        .iter()
        .map(|r| r.get("Data").as_blob().unwrap_or_default().to_vec())
        .collect();
    assert_eq!(
        data, payloads,
        "blobs are base64 on the wire and bytes here"
    );
    assert!(got
        .pointer("Records[0].ApproximateArrivalTimestamp")
        .as_timestamp()
        .is_some());
    assert_eq!(
        got.pointer("Records[0].SequenceNumber").as_str(),
        first.get("SequenceNumber").as_str()
    );

    let err = kinesis
        .call(
            "DescribeStream",
            params! {"StreamName": (format!("{name}-missing"))},
        )
        .await
        .expect_err("missing stream");
    assert!(err.is_code("ResourceNotFoundException"), "{err:?}");
    kinesis
        .call("DeleteStream", params! {"StreamName": (&name)})
        .await?;
    Ok(())
}

#[tokio::test]
async fn cloudwatch_metrics_over_json() -> TestResult {
    let ep = moto_or_skip!();
    let cw = client(&ep, "cloudwatch");
    let meta = &cw.model().metadata;
    assert!(
        meta.protocols.iter().any(|p| p == "smithy-rpc-v2-cbor"),
        "{:?}",
        meta.protocols
    );
    assert_eq!(
        meta.protocol, "json",
        "boto-rs picks json over CBOR when both are listed"
    );

    let ns = unique("It/Metrics");
    let now = Timestamp::now();
    let data: Vec<Value> = (1..=4)
        .map(|i| {
            params! {"MetricName": "Latency", "Value": (f64::from(i) * 10.0), "Unit": "Milliseconds", "Timestamp": now,
                     "Dimensions": [{"Name": "Api", "Value": "get"}]}
        })
        .collect();
    cw.call(
        "PutMetricData",
        params! {"Namespace": (&ns), "MetricData": (data)},
    )
    .await?;
    cw.call(
        "PutMetricData",
        params! {"Namespace": (&ns), "MetricData": [{"MetricName": "Errors", "Value": 1.0}]},
    )
    .await?;

    let listed = cw
        .paginate("ListMetrics", params! {"Namespace": (&ns)})?
        .build_full_result()
        .await?;
    let names: BTreeSet<&str> = listed
        .get("Metrics")
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|m| m.get("MetricName").as_str())
        .collect();
    assert_eq!(names, BTreeSet::from(["Errors", "Latency"]));
    let latency = listed
        .get("Metrics")
        .as_list()
        .unwrap_or_default()
        .iter()
        .find(|m| m.get("MetricName").as_str() == Some("Latency"));
    assert_eq!(
        latency.map(|m| m.pointer("Dimensions[0].Value").as_str()),
        Some(Some("get"))
    );

    let start = Timestamp::from_epoch_secs(now.epoch_f64() as i64 - 600);
    let end = Timestamp::from_epoch_secs(now.epoch_f64() as i64 + 600);
    let stats = cw
        .call(
            "GetMetricStatistics",
            params! {"Namespace": (&ns), "MetricName": "Latency", "Dimensions": [{"Name": "Api", "Value": "get"}],
                     "StartTime": start, "EndTime": end, "Period": 3600, "Statistics": ["Sum", "Maximum", "SampleCount"]},
        )
        .await?;
    let points = stats.get("Datapoints").as_list().unwrap_or_default();
    let sum: f64 = points.iter().filter_map(|p| p.get("Sum").as_f64()).sum();
    let count: f64 = points
        .iter()
        .filter_map(|p| p.get("SampleCount").as_f64())
        .sum();
    assert_eq!(sum, 100.0, "{stats}");
    assert_eq!(count, 4.0);
    assert_eq!(
        points
            .iter()
            .filter_map(|p| p.get("Maximum").as_f64())
            .fold(0.0, f64::max),
        40.0
    );
    Ok(())
}

#[tokio::test]
async fn cloudformation_stack_with_a_bucket() -> TestResult {
    let ep = moto_or_skip!();
    let cfn = client(&ep, "cloudformation");
    let s3 = client(&ep, "s3");
    let stack = unique("it-stack");
    let bucket = unique("it-cfn-bucket");
    let template = r#"{"AWSTemplateFormatVersion": "2010-09-09",
        "Parameters": {"BucketName": {"Type": "String"}},
        "Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": {"Ref": "BucketName"}}}},
        "Outputs": {"Name": {"Value": {"Ref": "Bucket"}}}}"#;
    let created = cfn
        .call(
            "CreateStack",
            params! {"StackName": (&stack), "TemplateBody": template,
            "Parameters": [{"ParameterKey": "BucketName", "ParameterValue": (&bucket)}],
            "Tags": [{"Key": "team", "Value": "boto-rs"}]},
        )
        .await?;
    let stack_id = created
        .get("StackId")
        .as_str()
        .expect("StackId")
        .to_string();
    assert!(
        stack_id.starts_with("arn:aws:cloudformation:us-east-1:"),
        "{stack_id}"
    );

    let done = cfn
        .waiter("stack_create_complete")?
        .wait(params! {"StackName": (&stack)}, fast())
        .await?;
    assert_eq!(
        done.pointer("Stacks[0].StackStatus").as_str(),
        Some("CREATE_COMPLETE")
    );
    let described = cfn
        .call("DescribeStacks", params! {"StackName": (&stack)})
        .await?;
    let s = described.pointer("Stacks[0]");
    assert_eq!(s.get("StackName").as_str(), Some(stack.as_str()));
    assert_eq!(
        s.pointer("Outputs[0].OutputValue").as_str(),
        Some(bucket.as_str())
    );
    assert_eq!(
        s.pointer("Parameters[0].ParameterValue").as_str(),
        Some(bucket.as_str())
    );
    assert_eq!(s.pointer("Tags[0].Value").as_str(), Some("boto-rs"));
    assert!(s.get("CreationTime").as_timestamp().is_some());

    let resources = cfn
        .call("DescribeStackResources", params! {"StackName": (&stack)})
        .await?;
    assert_eq!(
        resources.pointer("StackResources[0].ResourceType").as_str(),
        Some("AWS::S3::Bucket")
    );
    assert_eq!(
        resources
            .pointer("StackResources[0].PhysicalResourceId")
            .as_str(),
        Some(bucket.as_str())
    );
    s3.call("HeadBucket", params! {"Bucket": (&bucket)}).await?;

    let summaries = cfn
        .paginate(
            "ListStacks",
            params! {"StackStatusFilter": ["CREATE_COMPLETE"]},
        )?
        .build_full_result()
        .await?;
    assert!(summaries
        .get("StackSummaries")
        .as_list()
        .unwrap_or_default()
        .iter()
        .any(|s| s.get("StackId").as_str() == Some(&stack_id)));

    cfn.call("DeleteStack", params! {"StackName": (&stack)})
        .await?;
    cfn.waiter("stack_delete_complete")?
        .wait(params! {"StackName": (&stack_id)}, fast())
        .await?;
    let err = s3
        .call("HeadBucket", params! {"Bucket": (&bucket)})
        .await
        .expect_err("bucket deleted with the stack");
    assert_eq!(err.status(), Some(404));

    let err = cfn
        .call(
            "DescribeStacks",
            params! {"StackName": (format!("{stack}-missing"))},
        )
        .await
        .expect_err("missing");
    assert!(err.is_code("ValidationError"), "{err:?}");
    assert_eq!(err.status(), Some(400));
    assert!(
        err.message().contains("does not exist"),
        "{}",
        err.message()
    );
    Ok(())
}
