//! SQS over json with awsQueryCompatible: queues, messages, FIFO order, the query-compatible error code.

use super::*;

#[tokio::test]
async fn sqs_queue_messages_and_errors() -> TestResult {
    let ep = moto_or_skip!();
    let sqs = client(&ep, "sqs");
    assert_eq!(sqs.model().metadata.protocol, "json");
    let name = unique("it-sqs");
    let created = sqs
        .call(
            "CreateQueue",
            params! {"QueueName": (&name), "Attributes": {"VisibilityTimeout": "45"}},
        )
        .await?;
    let url = created
        .get("QueueUrl")
        .as_str()
        .expect("a queue URL")
        .to_string();
    assert!(url.ends_with(&format!("/{name}")), "{url}");
    let got = sqs
        .call("GetQueueUrl", params! {"QueueName": (&name)})
        .await?;
    assert_eq!(got.get("QueueUrl").as_str(), Some(url.as_str()));
    let attrs = sqs
        .call(
            "GetQueueAttributes",
            params! {"QueueUrl": (&url), "AttributeNames": ["All"]},
        )
        .await?;
    assert_eq!(
        attrs.pointer("Attributes.VisibilityTimeout").as_str(),
        Some("45")
    );

    let sent = sqs
        .call(
            "SendMessage",
            params! {"QueueUrl": (&url), "MessageBody": "héllo wörld ✓",
                     "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "greeting"},
                                           "bin": {"DataType": "Binary", "BinaryValue": (Value::blob(vec![0u8, 1, 255]))}}},
        )
        .await?;
    assert_eq!(
        sent.get("MD5OfMessageBody").as_str().map(str::len),
        Some(32)
    );
    assert!(sent.get("MessageId").as_str().is_some());

    let entries: Vec<Value> = (0..5)
        .map(|i| params! {"Id": (format!("m{i}")), "MessageBody": (format!("batch {i}"))})
        .collect();
    let batch = sqs
        .call(
            "SendMessageBatch",
            params! {"QueueUrl": (&url), "Entries": (entries)},
        )
        .await?;
    assert_eq!(list_len(batch.get("Successful")), 5);
    assert_eq!(list_len(batch.get("Failed")), 0);

    let attrs = sqs
        .call(
            "GetQueueAttributes",
            params! {"QueueUrl": (&url), "AttributeNames": ["ApproximateNumberOfMessages"]},
        )
        .await?;
    assert_eq!(
        attrs
            .pointer("Attributes.ApproximateNumberOfMessages")
            .as_str(),
        Some("6")
    );

    let mut bodies = Vec::new();
    for _ in 0..10 {
        let out = sqs
            .call(
                "ReceiveMessage",
                params! {"QueueUrl": (&url), "MaxNumberOfMessages": 10, "MessageAttributeNames": ["All"],
                         "MessageSystemAttributeNames": ["All"]},
            )
            .await?;
        for m in out.get("Messages").as_list().unwrap_or_default() {
            let body = m.get("Body").as_str().unwrap_or_default().to_string();
            if body.starts_with("héllo") {
                assert_eq!(
                    m.pointer("MessageAttributes.kind.StringValue").as_str(),
                    Some("greeting")
                );
                assert_eq!(
                    m.pointer("MessageAttributes.bin.BinaryValue").as_blob(),
                    Some(&[0u8, 1, 255][..])
                );
                assert_eq!(
                    m.pointer("Attributes.ApproximateReceiveCount").as_str(),
                    Some("1")
                );
            }
            let handle = m
                .get("ReceiptHandle")
                .as_str()
                .expect("a receipt handle")
                .to_string();
            sqs.call(
                "DeleteMessage",
                params! {"QueueUrl": (&url), "ReceiptHandle": handle},
            )
            .await?;
            bodies.push(body);
        }
        if bodies.len() == 6 {
            break;
        }
    }
    bodies.sort();
    assert_eq!(
        bodies,
        [
            "batch 0",
            "batch 1",
            "batch 2",
            "batch 3",
            "batch 4",
            "héllo wörld ✓"
        ]
    );

    let listed = sqs
        .paginate("ListQueues", params! {"QueueNamePrefix": (&name)})?
        .build_full_result()
        .await?;
    assert_eq!(
        listed.get("QueueUrls").as_list().map(<[Value]>::to_vec),
        Some(vec![Value::from(&url)])
    );

    sqs.call("DeleteQueue", params! {"QueueUrl": (&url)})
        .await?;
    let err = sqs
        .call("GetQueueUrl", params! {"QueueName": (&name)})
        .await
        .expect_err("deleted");
    assert_eq!(err.kind(), ErrorKind::Service);
    // botocore: Code comes from x-amzn-query-error, the JSON type stays as QueryErrorCode.
    assert_eq!(
        err.code(),
        Some("AWS.SimpleQueueService.NonExistentQueue"),
        "{err:?}"
    );
    assert_eq!(
        err.service_error()
            .map(|s| s.fields.pointer("Error.QueryErrorCode").as_str()),
        Some(Some("QueueDoesNotExist"))
    );
    assert_eq!(err.status(), Some(400));
    Ok(())
}

#[tokio::test]
async fn sqs_fifo_queue_keeps_order_and_deduplicates() -> TestResult {
    let ep = moto_or_skip!();
    let sqs = client(&ep, "sqs");
    let name = format!("{}.fifo", unique("it-fifo"));
    let created = sqs
        .call(
            "CreateQueue",
            params! {"QueueName": (&name), "Attributes": {"FifoQueue": "true"}},
        )
        .await?;
    let url = created
        .get("QueueUrl")
        .as_str()
        .expect("a queue URL")
        .to_string();
    for (i, dedup) in ["a", "b", "a", "c"].iter().enumerate() {
        let out = sqs
            .call(
                "SendMessage",
                params! {"QueueUrl": (&url), "MessageBody": (format!("m{i}")), "MessageGroupId": "g",
                         "MessageDeduplicationId": (*dedup)},
            )
            .await?;
        assert!(
            out.get("SequenceNumber").as_str().is_some(),
            "FIFO sends return a sequence number"
        );
    }
    let msgs = sqs
        .call(
            "ReceiveMessage",
            params! {"QueueUrl": (&url), "MaxNumberOfMessages": 10},
        )
        .await?;
    let bodies: Vec<&str> = msgs
        .get("Messages")
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|m| m.get("Body").as_str())
        .collect();
    assert_eq!(
        bodies,
        ["m0", "m1", "m3"],
        "in order, the duplicate dropped"
    );
    Ok(())
}

/// botocore looks the exception class up by `QueryErrorCode or Code`, so
/// `except sqs.exceptions.QueueDoesNotExist` catches this error; `is_code`
/// promises the same.
#[tokio::test]
async fn sqs_query_compatible_error_matches_modeled_exception() -> TestResult {
    let ep = moto_or_skip!();
    let sqs = client(&ep, "sqs");
    let err = sqs
        .call(
            "GetQueueUrl",
            params! {"QueueName": (unique("it-sqs-none"))},
        )
        .await
        .expect_err("no queue");
    assert_eq!(err.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
    assert!(err.is_code("QueueDoesNotExist"), "{err:?}");
    assert_eq!(
        err.service_error().and_then(|s| s.shape.as_deref()),
        Some("QueueDoesNotExist")
    );
    Ok(())
}
