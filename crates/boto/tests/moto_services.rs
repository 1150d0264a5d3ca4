//! One flow per service and protocol against moto:
//!
//! * SQS (json with awsQueryCompatible): queues, attributes, send (MD5s
//!   checked by the client), batch send, receive with attributes, delete,
//!   `QueueDoesNotExist`;
//! * IAM (query): users and roles, the ListUsers paginator, decoded policy
//!   documents, `NoSuchEntity`, `EntityAlreadyExists`;
//! * STS (query): GetCallerIdentity, AssumeRole;
//! * SNS (query): topics, an SQS subscription that receives a publish,
//!   the ListTopics paginator, `NotFound`;
//! * Lambda (rest-json): create (zipped handler)/get/list/delete — moto
//!   needs docker to invoke, so Invoke is not covered;
//! * Secrets Manager (json): versions, ListSecrets, `ResourceNotFoundException`;
//! * Kinesis (json): stream waiter, PutRecord/PutRecords/GetRecords with binary blobs;
//! * CloudWatch: the model lists `smithy-rpc-v2-cbor`, `json`, `query`;
//!   boto-rs prefers json (moto does not speak CBOR), so PutMetricData,
//!   ListMetrics and GetMetricStatistics go over awsJson1_0;
//! * CloudFormation (query): a stack with an S3 bucket, the
//!   `stack_create_complete` / `stack_delete_complete` waiters.

#[macro_use]
mod support;

use boto::core::runtime::waiter::WaiterConfig;
use boto::{params, ErrorKind, Timestamp, Value};
use std::collections::BTreeSet;
use std::time::Duration;
use support::{client, list_len, unique, zip_stored, TestResult};

fn fast() -> WaiterConfig {
    WaiterConfig {
        delay: Some(Duration::from_millis(200)),
        max_attempts: Some(50),
    }
}

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

#[tokio::test]
async fn iam_users_roles_and_policies() -> TestResult {
    let ep = moto_or_skip!();
    let iam = client(&ep, "iam");
    let prefix = unique("it-iam");
    for i in 0..7 {
        let out = iam
            .call(
                "CreateUser",
                params! {"UserName": (format!("{prefix}-u{i}")), "Path": (format!("/{prefix}/"))},
            )
            .await?;
        assert_eq!(
            out.pointer("User.UserName").as_str(),
            Some(format!("{prefix}-u{i}").as_str())
        );
        assert!(out.pointer("User.CreateDate").as_timestamp().is_some());
    }
    // moto ignores MaxItems for ListUsers (one page); ListRoles pages properly.
    let users = iam
        .paginate("ListUsers", params! {"PathPrefix": (format!("/{prefix}/"))})?
        .build_full_result()
        .await?;
    let names: BTreeSet<&str> = users
        .get("Users")
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|u| u.get("UserName").as_str())
        .collect();
    assert_eq!(
        names,
        (0..7)
            .map(|i| format!("{prefix}-u{i}"))
            .collect::<BTreeSet<_>>()
            .iter()
            .map(String::as_str)
            .collect()
    );

    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    for i in 0..7 {
        iam.call(
            "CreateRole",
            params! {"RoleName": (format!("{prefix}-r{i}")), "Path": (format!("/{prefix}/")), "AssumeRolePolicyDocument": trust},
        )
        .await?;
    }
    let mut pages = iam
        .paginate("ListRoles", params! {"PathPrefix": (format!("/{prefix}/"))})?
        .page_size(3);
    let (mut n_pages, mut names) = (0, BTreeSet::new());
    while let Some(page) = pages.next_page().await {
        n_pages += 1;
        for r in page?.get("Roles").as_list().unwrap_or_default() {
            assert!(
                names.insert(r.get("RoleName").as_str().unwrap_or_default().to_string()),
                "listed once"
            );
        }
    }
    assert_eq!(n_pages, 3, "7 roles, 3 per page");
    assert_eq!(
        names,
        (0..7)
            .map(|i| format!("{prefix}-r{i}"))
            .collect::<BTreeSet<_>>()
    );

    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let role = format!("{prefix}-role");
    let created = iam
        .call("CreateRole", params! {"RoleName": (&role), "AssumeRolePolicyDocument": policy, "Description": "it & <test>"})
        .await?;
    assert!(created
        .pointer("Role.Arn")
        .as_str()
        .is_some_and(|a| a.ends_with(&format!(":role/{role}"))));
    let got = iam.call("GetRole", params! {"RoleName": (&role)}).await?;
    assert_eq!(
        got.pointer("Role.Description").as_str(),
        Some("it & <test>"),
        "XML entities decoded"
    );
    // The URL-encoded policy document comes back decoded into a structure.
    let doc = got.pointer("Role.AssumeRolePolicyDocument");
    assert_eq!(
        doc.pointer("Statement[0].Principal.Service").as_str(),
        Some("lambda.amazonaws.com"),
        "{doc}"
    );

    let err = iam
        .call(
            "GetUser",
            params! {"UserName": (format!("{prefix}-nobody"))},
        )
        .await
        .expect_err("missing");
    assert!(err.is_code("NoSuchEntity"), "{err:?}");
    assert_eq!(err.status(), Some(404));
    let err = iam
        .call(
            "CreateRole",
            params! {"RoleName": (&role), "AssumeRolePolicyDocument": policy},
        )
        .await
        .expect_err("dup");
    assert!(err.is_code("EntityAlreadyExists"), "{err:?}");
    assert_eq!(err.status(), Some(409));
    Ok(())
}

#[tokio::test]
async fn sts_caller_identity_and_assume_role() -> TestResult {
    let ep = moto_or_skip!();
    let sts = client(&ep, "sts");
    let me = sts.call("GetCallerIdentity", params! {}).await?;
    assert_eq!(me.get("Account").as_str(), Some("123456789012"));
    assert!(me
        .get("Arn")
        .as_str()
        .is_some_and(|a| a.starts_with("arn:aws:")));
    assert!(me.pointer("ResponseMetadata.RequestId").as_str().is_some());
    assert_eq!(
        me.pointer("ResponseMetadata.HTTPStatusCode").as_i64(),
        Some(200)
    );

    let session_name = unique("it-sts");
    let out = sts
        .call(
            "AssumeRole",
            params! {"RoleArn": "arn:aws:iam::123456789012:role/it-role", "RoleSessionName": (&session_name),
                     "DurationSeconds": 900},
        )
        .await?;
    let creds = out.get("Credentials");
    assert!(
        creds
            .get("AccessKeyId")
            .as_str()
            .is_some_and(|k| k.starts_with("ASIA")),
        "{creds:?}"
    );
    assert!(creds
        .get("SecretAccessKey")
        .as_str()
        .is_some_and(|k| !k.is_empty()));
    assert!(creds
        .get("SessionToken")
        .as_str()
        .is_some_and(|k| !k.is_empty()));
    let expiry = creds
        .get("Expiration")
        .as_timestamp()
        .expect("Expiration is a timestamp");
    let ttl = expiry.epoch_f64() - Timestamp::now().epoch_f64();
    assert!(
        (800.0..=1000.0).contains(&ttl),
        "expires in ~900 s, got {ttl}"
    );
    assert_eq!(
        out.pointer("AssumedRoleUser.Arn").as_str(),
        Some(format!("arn:aws:sts::123456789012:assumed-role/it-role/{session_name}").as_str())
    );
    Ok(())
}

#[tokio::test]
async fn sns_topic_publish_to_sqs_and_errors() -> TestResult {
    let ep = moto_or_skip!();
    let sns = client(&ep, "sns");
    let sqs = client(&ep, "sqs");
    let name = unique("it-sns");
    let topic = sns
        .call(
            "CreateTopic",
            params! {"Name": (&name), "Tags": [{"Key": "team", "Value": "boto-rs"}]},
        )
        .await?;
    let arn = topic
        .get("TopicArn")
        .as_str()
        .expect("a topic ARN")
        .to_string();
    assert!(arn.ends_with(&format!(":{name}")), "{arn}");

    let queue = sqs
        .call("CreateQueue", params! {"QueueName": (format!("{name}-q"))})
        .await?;
    let url = queue
        .get("QueueUrl")
        .as_str()
        .expect("queue URL")
        .to_string();
    let qattrs = sqs
        .call(
            "GetQueueAttributes",
            params! {"QueueUrl": (&url), "AttributeNames": ["QueueArn"]},
        )
        .await?;
    let qarn = qattrs
        .pointer("Attributes.QueueArn")
        .as_str()
        .expect("queue ARN")
        .to_string();
    let sub = sns
        .call(
            "Subscribe",
            params! {"TopicArn": (&arn), "Protocol": "sqs", "Endpoint": (&qarn), "Attributes": {"RawMessageDelivery": "true"},
                     "ReturnSubscriptionArn": true},
        )
        .await?;
    assert!(sub
        .get("SubscriptionArn")
        .as_str()
        .is_some_and(|s| s.starts_with(&arn)));

    let published = sns
        .call(
            "Publish",
            params! {"TopicArn": (&arn), "Message": "news & <updates>", "Subject": "s"},
        )
        .await?;
    assert!(published.get("MessageId").as_str().is_some());
    let msgs = sqs
        .call(
            "ReceiveMessage",
            params! {"QueueUrl": (&url), "MaxNumberOfMessages": 10},
        )
        .await?;
    assert_eq!(
        msgs.pointer("Messages[0].Body").as_str(),
        Some("news & <updates>")
    );
    let handle = msgs
        .pointer("Messages[0].ReceiptHandle")
        .as_str()
        .expect("a receipt handle")
        .to_string();
    sqs.call(
        "DeleteMessage",
        params! {"QueueUrl": (&url), "ReceiptHandle": handle},
    )
    .await?;

    // Message attributes: a query-protocol map of structures (entry.N.Name / entry.N.Value.*).
    sns.call(
        "Publish",
        params! {"TopicArn": (&arn), "Message": "with attributes",
        "MessageAttributes": {"colour": {"DataType": "String", "StringValue": "red"},
                              "size": {"DataType": "Number", "StringValue": "42"}}},
    )
    .await?;
    let msgs = sqs
        .call("ReceiveMessage", params! {"QueueUrl": (&url), "MaxNumberOfMessages": 10, "MessageAttributeNames": ["All"]})
        .await?;
    let m = msgs.pointer("Messages[0]");
    assert_eq!(m.get("Body").as_str(), Some("with attributes"));
    assert_eq!(
        m.pointer("MessageAttributes.colour.StringValue").as_str(),
        Some("red"),
        "{m}"
    );
    assert_eq!(
        m.pointer("MessageAttributes.size.DataType").as_str(),
        Some("Number")
    );

    let topics = sns
        .paginate("ListTopics", params! {})?
        .build_full_result()
        .await?;
    assert!(topics
        .get("Topics")
        .as_list()
        .unwrap_or_default()
        .iter()
        .any(|t| t.get("TopicArn").as_str() == Some(&arn)));
    let subs = sns
        .call("ListSubscriptionsByTopic", params! {"TopicArn": (&arn)})
        .await?;
    assert_eq!(
        subs.pointer("Subscriptions[0].Endpoint").as_str(),
        Some(qarn.as_str())
    );
    let attrs = sns
        .call("GetTopicAttributes", params! {"TopicArn": (&arn)})
        .await?;
    assert_eq!(
        attrs.pointer("Attributes.TopicArn").as_str(),
        Some(arn.as_str()),
        "query maps are read"
    );

    let err = sns
        .call(
            "GetTopicAttributes",
            params! {"TopicArn": "arn:aws:sns:us-east-1:123456789012:it-no-such-topic"},
        )
        .await
        .expect_err("missing topic");
    assert!(
        err.is_code("NotFound") || err.is_code("NotFoundException"),
        "{err:?}"
    );
    assert_eq!(err.status(), Some(404));
    Ok(())
}

#[tokio::test]
async fn lambda_create_get_list_delete() -> TestResult {
    let ep = moto_or_skip!();
    let iam = client(&ep, "iam");
    let lambda = client(&ep, "lambda");
    let name = unique("it-fn");
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let role = iam
        .call(
            "CreateRole",
            params! {"RoleName": (format!("{name}-role")), "AssumeRolePolicyDocument": policy},
        )
        .await?;
    let role_arn = role
        .pointer("Role.Arn")
        .as_str()
        .expect("role ARN")
        .to_string();

    let handler = b"def handler(event, context):\n    return {'echo': event}\n";
    let zip = zip_stored(&[("handler.py", &handler[..])]);
    let created = lambda
        .call(
            "CreateFunction",
            params! {"FunctionName": (&name), "Runtime": "python3.12", "Role": (&role_arn),
            "Handler": "handler.handler", "Code": {"ZipFile": (Value::blob(zip.clone()))},
            "Description": "boto-rs integration test", "Timeout": 5, "MemorySize": 256,
            "Environment": {"Variables": {"MODE": "test"}}, "Tags": {"team": "boto-rs"}},
        )
        .await?;
    assert_eq!(created.get("FunctionName").as_str(), Some(name.as_str()));
    assert_eq!(created.get("CodeSize").as_i64(), Some(zip.len() as i64));
    assert_eq!(created.get("MemorySize").as_i64(), Some(256));
    assert_eq!(
        created.pointer("Environment.Variables.MODE").as_str(),
        Some("test")
    );
    let fn_arn = created
        .get("FunctionArn")
        .as_str()
        .expect("function ARN")
        .to_string();
    assert!(fn_arn.ends_with(&format!(":function:{name}")), "{fn_arn}");

    let got = lambda
        .call("GetFunction", params! {"FunctionName": (&name)})
        .await?;
    assert_eq!(
        got.pointer("Configuration.Handler").as_str(),
        Some("handler.handler")
    );
    assert_eq!(got.pointer("Configuration.Timeout").as_i64(), Some(5));
    assert_eq!(got.pointer("Tags.team").as_str(), Some("boto-rs"));
    // The function name is a URI label: an ARN works too (percent-encoded ':').
    let by_arn = lambda
        .call(
            "GetFunctionConfiguration",
            params! {"FunctionName": (&fn_arn)},
        )
        .await?;
    assert_eq!(
        by_arn.get("Description").as_str(),
        Some("boto-rs integration test")
    );

    let all = lambda
        .paginate("ListFunctions", params! {})?
        .build_full_result()
        .await?;
    assert!(all
        .get("Functions")
        .as_list()
        .unwrap_or_default()
        .iter()
        .any(|f| f.get("FunctionName").as_str() == Some(&name)));

    lambda
        .call("DeleteFunction", params! {"FunctionName": (&name)})
        .await?;
    let err = lambda
        .call("GetFunction", params! {"FunctionName": (&name)})
        .await
        .expect_err("deleted");
    assert!(err.is_code("ResourceNotFoundException"), "{err:?}");
    assert_eq!(err.status(), Some(404));
    Ok(())
}

#[tokio::test]
async fn secretsmanager_versions_and_errors() -> TestResult {
    let ep = moto_or_skip!();
    let sm = client(&ep, "secretsmanager");
    let name = unique("it-secret");
    let created = sm
        .call("CreateSecret", params! {"Name": (&name), "SecretString": "{\"password\":\"hunter2\"}", "Description": "d"})
        .await?;
    let arn = created.get("ARN").as_str().expect("ARN").to_string();
    let v1 = created
        .get("VersionId")
        .as_str()
        .expect("VersionId")
        .to_string();

    let got = sm
        .call("GetSecretValue", params! {"SecretId": (&name)})
        .await?;
    assert_eq!(
        got.get("SecretString").as_str(),
        Some("{\"password\":\"hunter2\"}")
    );
    assert_eq!(got.get("ARN").as_str(), Some(arn.as_str()));
    assert!(
        got.get("CreatedDate").as_timestamp().is_some(),
        "epoch-seconds timestamps are parsed"
    );

    let blob = vec![0u8, 1, 2, 254, 255];
    let put = sm
        .call(
            "PutSecretValue",
            params! {"SecretId": (&arn), "SecretBinary": (Value::blob(blob.clone()))},
        )
        .await?;
    let v2 = put
        .get("VersionId")
        .as_str()
        .expect("VersionId")
        .to_string();
    assert_ne!(v1, v2);
    let got = sm
        .call("GetSecretValue", params! {"SecretId": (&name)})
        .await?;
    assert_eq!(got.get("SecretBinary").as_blob(), Some(&blob[..]));
    let old = sm
        .call(
            "GetSecretValue",
            params! {"SecretId": (&name), "VersionId": (&v1)},
        )
        .await?;
    assert_eq!(
        old.get("SecretString").as_str(),
        Some("{\"password\":\"hunter2\"}")
    );

    let listed = sm
        .paginate(
            "ListSecrets",
            params! {"Filters": [{"Key": "name", "Values": [(&name)]}]},
        )?
        .build_full_result()
        .await?;
    assert_eq!(
        listed.pointer("SecretList[0].Name").as_str(),
        Some(name.as_str())
    );
    assert_eq!(list_len(listed.get("SecretList")), 1);

    sm.call(
        "DeleteSecret",
        params! {"SecretId": (&name), "ForceDeleteWithoutRecovery": true},
    )
    .await?;
    let err = sm
        .call("GetSecretValue", params! {"SecretId": (&name)})
        .await
        .expect_err("deleted");
    assert!(err.is_code("ResourceNotFoundException"), "{err:?}");
    assert!(!err.message().is_empty());
    Ok(())
}

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
