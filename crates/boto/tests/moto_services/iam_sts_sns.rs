//! The query protocol: IAM users, roles and policies, STS identity and AssumeRole, SNS topics publishing to SQS.

use super::*;

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
