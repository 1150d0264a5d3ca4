//! A smoke run of the other resource models against moto: service actions
//! returning resources, loads, sub-resources, references, collections and
//! waiters of sqs, sns, iam, dynamodb, ec2, glacier and cloudwatch.
//! (The wide differential tests against boto3 live elsewhere.)

mod support;

use boto::{params, Value};
use boto_resources::{Resource, ResourceExt as _};
use support::*;

macro_rules! moto_or_skip {
    () => {
        match endpoint() {
            Some(e) => e,
            None => {
                eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/test.sh starts moto)");
                return Ok(());
            }
        }
    };
}

fn res(service: &str, ep: &str) -> Resource {
    session()
        .resource_with(service, &options(ep))
        .expect("resource")
}

#[tokio::test]
async fn sqs_queue_messages() -> TestResult {
    let ep = moto_or_skip!();
    let sqs = res("sqs", &ep);
    let name = unique("resq");
    let q = sqs
        .action("create_queue", params! {"QueueName": (name.as_str())})
        .await?
        .into_resource()
        .expect("queue");
    assert!(q
        .attr("attributes")
        .await?
        .get("QueueArn")
        .as_str()
        .is_some());
    for i in 0..3 {
        q.action("send_message", params! {"MessageBody": (format!("m{i}"))})
            .await?;
    }
    let msgs = q
        .action("receive_messages", params! {"MaxNumberOfMessages": 10})
        .await?
        .into_resources();
    assert!(!msgs.is_empty());
    assert_eq!(msgs[0].resource_name(), "Message");
    assert!(msgs[0]
        .attr("body")
        .await?
        .as_str()
        .unwrap()
        .starts_with('m'));
    assert_eq!(msgs[0].subresource("Queue", ())?, q);
    msgs[0].action("delete", Value::Null).await?;
    let found = sqs
        .collection("queues")?
        .filter(params! {"QueueNamePrefix": (name.as_str())})
        .to_vec()
        .await?;
    assert_eq!(found, vec![q.clone()]);
    let by_name = sqs
        .action("get_queue_by_name", params! {"QueueName": (name.as_str())})
        .await?;
    assert_eq!(by_name.into_resource(), Some(q.clone()));
    q.action("delete", Value::Null).await?;
    Ok(())
}

#[tokio::test]
async fn sns_topics_and_iam_users() -> TestResult {
    let ep = moto_or_skip!();
    let sns = res("sns", &ep);
    let topic = sns
        .action("create_topic", params! {"Name": (unique("rest"))})
        .await?
        .into_resource()
        .expect("topic");
    assert_eq!(
        topic.attr("attributes").await?.get("TopicArn").as_str(),
        topic.id_str("arn")
    );
    assert!(sns.collection("topics")?.to_vec().await?.contains(&topic));
    topic.action("delete", Value::Null).await?;

    let iam = res("iam", &ep);
    let uname = unique("resu");
    let user = iam
        .action("create_user", params! {"UserName": (uname.as_str())})
        .await?
        .into_resource()
        .expect("user");
    assert_eq!(format!("{user:?}"), format!("iam.User(name='{uname}')"));
    assert!(user.attr("arn").await?.as_str().unwrap().ends_with(&uname));
    assert_eq!(
        user.attr("user_name").await?,
        Value::from(uname.as_str()),
        "memberName alias"
    );
    let users = iam.collection("users")?.to_vec().await?;
    assert!(users.contains(&user));
    let key = user
        .action("create_access_key_pair", Value::Null)
        .await?
        .into_resource()
        .expect("key");
    assert_eq!(key.resource_name(), "AccessKeyPair");
    assert!(key.data().is_some());
    assert_eq!(user.collection("access_keys")?.to_vec().await?.len(), 1);
    key.action("delete", Value::Null).await?;
    user.action("delete", Value::Null).await?;
    Ok(())
}

#[tokio::test]
async fn dynamodb_table_with_waiter_and_plain_items() -> TestResult {
    let ep = moto_or_skip!();
    let ddb = res("dynamodb", &ep);
    let name = unique("rest");
    let table = ddb
        .action(
            "create_table",
            params! {
                "TableName": (name.as_str()),
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST"
            },
        )
        .await?
        .into_resource()
        .expect("table");
    table
        .wait_until("exists", params! {"WaiterConfig": {"Delay": 1}})
        .await?;
    table
        .action(
            "put_item",
            params! {"Item": {"pk": "a", "n": 3, "tags": ["x"]}},
        )
        .await?;
    let got = table
        .action("get_item", params! {"Key": {"pk": "a"}})
        .await?
        .into_data()
        .unwrap();
    assert_eq!(got.get("Item").get("pk"), &Value::from("a"));
    assert_eq!(
        table
            .attr("key_schema")
            .await?
            .as_list()
            .map(<[Value]>::len),
        Some(1)
    );
    assert!(ddb.collection("tables")?.to_vec().await?.contains(&table));
    table.action("delete", Value::Null).await?;
    table
        .wait_until("not_exists", params! {"WaiterConfig": {"Delay": 1}})
        .await?;
    Ok(())
}

#[tokio::test]
async fn ec2_vpc_subnet_instance_references_and_tags() -> TestResult {
    let ep = moto_or_skip!();
    let ec2 = res("ec2", &ep);
    let vpc = ec2
        .action("create_vpc", params! {"CidrBlock": "10.9.0.0/16"})
        .await?
        .into_resource()
        .expect("vpc");
    assert_eq!(vpc.attr("cidr_block").await?, Value::from("10.9.0.0/16"));
    vpc.wait_until("available", Value::Null).await?;
    let subnet = vpc
        .action("create_subnet", params! {"CidrBlock": "10.9.1.0/24"})
        .await?
        .into_resource()
        .expect("subnet");
    assert_eq!(
        subnet.reference("vpc").await?.into_resource(),
        Some(vpc.clone())
    );
    let in_vpc = vpc.collection("subnets")?.to_vec().await?;
    assert_eq!(in_vpc, vec![subnet.clone()]);
    let instances = subnet
        .action(
            "create_instances",
            params! {"ImageId": "ami-12c6146b", "MinCount": 2, "MaxCount": 2, "InstanceType": "t2.micro"},
        )
        .await?
        .into_resources();
    assert_eq!(instances.len(), 2);
    let i = &instances[0];
    i.wait_until("running", Value::Null).await?;
    // As in boto3, a waiter does not refresh the data the resource came with.
    assert_eq!(i.attr("state").await?.get("Name"), &Value::from("pending"));
    i.reload().await?;
    assert_eq!(i.attr("state").await?.get("Name"), &Value::from("running"));
    assert_eq!(
        i.reference("subnet").await?.into_resource(),
        Some(subnet.clone())
    );
    let ids: Vec<Value> = instances
        .iter()
        .map(|x| x.identifier("id").cloned().unwrap())
        .collect();
    let tags = ec2
        .action(
            "create_tags",
            params! {"Resources": ids, "Tags": [{"Key": "team", "Value": "rs"}]},
        )
        .await?
        .into_resources();
    assert_eq!(tags.len(), 2);
    let tagged = ec2
        .collection("instances")?
        .filter(params! {"Filters": [{"Name": "tag:team", "Values": ["rs"]}]})
        .to_vec()
        .await?;
    assert_eq!(tagged.len(), 2);
    i.action("delete_tags", params! {"Tags": [{"Key": "team"}]})
        .await?;
    for x in &instances {
        x.action("terminate", Value::Null).await?;
    }
    i.wait_until("terminated", Value::Null).await?;
    subnet.action("delete", Value::Null).await?;
    vpc.action("delete", Value::Null).await?;
    Ok(())
}

#[tokio::test]
async fn glacier_vaults_and_cloudwatch_metrics() -> TestResult {
    let ep = moto_or_skip!();
    let glacier = res("glacier", &ep);
    let name = unique("resv");
    let vault = glacier
        .action(
            "create_vault",
            params! {"vaultName": (name.as_str()), "accountId": "-"},
        )
        .await?
        .into_resource()
        .expect("vault");
    assert_eq!(
        format!("{vault:?}"),
        format!("glacier.Vault(account_id='-', name='{name}')")
    );
    assert!(vault
        .attr("vault_arn")
        .await?
        .as_str()
        .unwrap()
        .ends_with(&name));
    let account = glacier.resource("Account", ["-"])?;
    assert!(account
        .collection("vaults")?
        .to_vec()
        .await?
        .contains(&vault));
    vault.action("delete", Value::Null).await?;

    let cw = res("cloudwatch", &ep);
    let ns = unique("resns");
    let metric = cw.resource("Metric", [ns.as_str(), "latency"])?;
    metric
        .action(
            "put_data",
            params! {"MetricData": [{"MetricName": "latency", "Value": 1.5}]},
        )
        .await?;
    let found = cw
        .collection("metrics")?
        .filter(params! {"Namespace": (ns.as_str())})
        .to_vec()
        .await?;
    assert_eq!(found, vec![metric.clone()]);
    assert_eq!(found[0].attr("metric_name").await?, Value::from("latency"));
    Ok(())
}
