//! Differential tests against boto3 for SQS and SNS: the scenarios of
//! `diff_sqs.py` and `diff_sns.py`, step by step with boto-rs resources on
//! the same moto server (see `diff_s3.rs` for the method). Prints
//! `resources-diff-sqs: N passed, M failed` and the same for `sns`.
//! The classes covered, and why the few elements left out cannot be run,
//! are listed at the top of each Python scenario.

mod support;

use boto::{params, Value};
use boto_resources::Resource;
use serde_json::{json, Value as Json};
use std::sync::Arc;
use support::diff::*;
use support::*;

async fn sqs_scenario(rec: Arc<Recorder>, p: &str) -> Result<Vec<Json>, boto::Error> {
    let sqs = boto_resources::from_invoker(rec.clone())?;
    let mut run = Run::new(rec);
    let (mut q, mut dlq): (Option<Resource>, Option<Resource>) = (None, None);
    let main_name = format!("{p}-main");

    run.step("create_queues", async {
        let a = one(sqs
            .action(
                "create_queue",
                params! {"QueueName": (main_name.as_str()), "Attributes": {"VisibilityTimeout": "40"}},
            )
            .await?)?;
        let b = one(sqs
            .action("create_queue", params! {"QueueName": (format!("{p}-dlq"))})
            .await?)?;
        let r = json!([repr(&a), a.id_str("url"), repr(&b)]);
        (q, dlq) = (Some(a), Some(b));
        Ok(r)
    })
    .await;
    let (q, dlq) = (q.expect("queue"), dlq.expect("dlq"));
    run.step("get_queue_by_name", async {
        Ok(out(sqs
            .action(
                "get_queue_by_name",
                params! {"QueueName": (main_name.as_str())},
            )
            .await?))
    })
    .await;
    run.step("queue_load", async {
        let a = q.attr("attributes").await?;
        Ok(json!([
            a.get("VisibilityTimeout").to_json(),
            a.get("QueueArn").to_json()
        ]))
    })
    .await;
    run.step("set_attributes_reload", async {
        let set = out(q
            .action(
                "set_attributes",
                params! {"Attributes": {"VisibilityTimeout": "50"}},
            )
            .await?);
        let before = q
            .attr("attributes")
            .await?
            .get("VisibilityTimeout")
            .to_json();
        q.reload().await?;
        let after = q
            .attr("attributes")
            .await?
            .get("VisibilityTimeout")
            .to_json();
        Ok(json!([set, before, null, after]))
    })
    .await;
    run.step("send_message", async {
        let o = out(q
            .action("send_message", params! {"MessageBody": "m0"})
            .await?);
        let mut keys: Vec<String> = o
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        keys.sort();
        Ok(json!(keys))
    })
    .await;
    run.step("send_messages", async {
        let entries: Vec<Value> = (1..5)
            .map(|i| params! {"Id": (i.to_string()), "MessageBody": (format!("m{i}"))})
            .collect();
        let o = out(q
            .action("send_messages", params! {"Entries": entries})
            .await?);
        Ok(json!(o["Successful"].as_array().map_or(0, Vec::len)))
    })
    .await;
    let mut msgs = Vec::new();
    run.step("receive_messages_plural", async {
        msgs = q
            .action(
                "receive_messages",
                params! {"MaxNumberOfMessages": 10, "AttributeNames": ["All"]},
            )
            .await?
            .into_resources();
        let mut rows = Vec::new();
        for m in &msgs {
            rows.push(json!([
                m.attr("body").await?.to_json(),
                m.attr("md5_of_body").await?.to_json(),
                m.id_str("queue_url"),
                repr(&m.subresource("Queue", ())?)
            ]));
        }
        let mut order: Vec<usize> = (0..msgs.len()).collect();
        order.sort_by_key(|&i| rows[i][0].as_str().unwrap_or_default().to_string());
        msgs = order.iter().map(|&i| msgs[i].clone()).collect();
        Ok(Json::Array(
            order.iter().map(|&i| rows[i].clone()).collect(),
        ))
    })
    .await;
    run.step("message_subresource", async {
        Ok(repr(&q.subresource("Message", ["handle-x"])?))
    })
    .await;
    let handle = |i: usize| -> Value {
        msgs.get(i)
            .and_then(|m| m.identifier("receipt_handle").cloned())
            .unwrap_or_default()
    };
    run.step("message_change_visibility", async {
        Ok(out(msgs[0]
            .action("change_visibility", params! {"VisibilityTimeout": 0})
            .await?))
    })
    .await;
    run.step("message_delete", async {
        Ok(out(msgs[0].action("delete", Value::Null).await?))
    })
    .await;
    run.step("queue_delete_messages", async {
        let entries: Vec<Value> = (0..2)
            .map(|i| params! {"Id": (i.to_string()), "ReceiptHandle": (handle(i + 1))})
            .collect();
        let o = out(q
            .action("delete_messages", params! {"Entries": entries})
            .await?);
        let mut ids: Vec<Json> = o["Successful"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|x| x["Id"].clone())
            .collect();
        ids.sort_by_key(|x| x.as_str().unwrap_or_default().to_string());
        Ok(Json::Array(ids))
    })
    .await;
    run.step("change_message_visibility_batch", async {
        let entries =
            vec![params! {"Id": "a", "ReceiptHandle": (handle(3)), "VisibilityTimeout": 0}];
        let o = out(q
            .action(
                "change_message_visibility_batch",
                params! {"Entries": entries},
            )
            .await?);
        Ok(json!(o["Successful"].as_array().map_or(0, Vec::len)))
    })
    .await;
    run.step("add_permission", async {
        Ok(out(q
            .action(
                "add_permission",
                params! {"Label": "lbl", "AWSAccountIds": ["111122223333"], "Actions": ["SendMessage"]},
            )
            .await?))
    })
    .await;
    run.step("remove_permission", async {
        Ok(out(q
            .action("remove_permission", params! {"Label": "lbl"})
            .await?))
    })
    .await;
    run.step("purge", async {
        Ok(out(q.action("purge", Value::Null).await?))
    })
    .await;
    run.step("redrive_to_dlq", async {
        let arn = dlq
            .attr("attributes")
            .await?
            .get("QueueArn")
            .as_str()
            .unwrap_or_default()
            .to_string();
        let policy = format!("{{\"deadLetterTargetArn\": \"{arn}\", \"maxReceiveCount\": \"3\"}}");
        Ok(out(q
            .action(
                "set_attributes",
                params! {"Attributes": {"RedrivePolicy": policy}},
            )
            .await?))
    })
    .await;
    run.step("dead_letter_source_queues", async {
        coll(&dlq.collection("dead_letter_source_queues")?.all()).await
    })
    .await;
    run.step("create_many", async {
        let mut v = Vec::new();
        for i in 0..5 {
            let name = format!("{p}-many-{i}");
            v.push(one(sqs
                .action("create_queue", params! {"QueueName": name})
                .await?)?);
        }
        Ok(reprs(&v))
    })
    .await;
    let queues = sqs.collection("queues")?;
    let many = params! {"QueueNamePrefix": (format!("{p}-many"))};
    run.step("queues_filter_page_size", async {
        coll(&queues.filter(many.clone()).page_size(2)).await
    })
    .await;
    run.step("queues_limit", async {
        coll(&queues.filter(many.clone()).page_size(2).limit(3)).await
    })
    .await;
    run.step("queues_pages", async {
        let mut pages = queues
            .filter(params! {"QueueNamePrefix": p})
            .page_size(3)
            .pages();
        let mut sizes = Vec::new();
        while let Some(pg) = pages.next().await {
            sizes.push(json!(pg?.len()));
        }
        Ok(Json::Array(sizes))
    })
    .await;
    run.step("queue_identifier", async {
        let again = sqs.resource("Queue", [q.id_str("url").unwrap_or_default()])?;
        Ok(json!([repr(&again), again == q]))
    })
    .await;
    run.step("delete_all", async {
        let mut all = queues
            .filter(params! {"QueueNamePrefix": p})
            .to_vec()
            .await?;
        all.sort_by_key(|r| r.id_str("url").unwrap_or_default().to_string());
        let mut v = Vec::new();
        for r in all {
            v.push(out(r.action("delete", Value::Null).await?));
        }
        Ok(Json::Array(v))
    })
    .await;
    run.step("deleted_load_fails", async {
        q.reload().await.map(|_| Json::Null)
    })
    .await;
    Ok(run.steps)
}

/// The repr of items whose repr mentions `p`, sorted (`diff_sns.mine`).
fn mine(items: &[Resource], p: &str) -> Json {
    let mut v: Vec<String> = items
        .iter()
        .map(|r| format!("{r:?}"))
        .filter(|s| s.contains(p))
        .collect();
    v.sort();
    json!(v)
}

/// The sorted keys of a data result.
fn keys(j: Json) -> Json {
    let mut k: Vec<String> = j
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    k.sort();
    json!(k)
}

async fn sns_scenario(rec: Arc<Recorder>, p: &str) -> Result<Vec<Json>, boto::Error> {
    let sns = boto_resources::from_invoker(rec.clone())?;
    let mut run = Run::new(rec);
    let (mut t, mut sub, mut app, mut ep) = (None, None, None, None);
    let attr = |r: &Resource, k: &'static str| {
        let r = r.clone();
        async move { Ok::<Json, boto::Error>(r.attr("attributes").await?.get(k).to_json()) }
    };

    run.step("create_topic", async {
        let topic = one(sns
            .action(
                "create_topic",
                params! {"Name": (format!("{p}-topic")), "Attributes": {"DisplayName": "first"}},
            )
            .await?)?;
        let r = json!([repr(&topic), topic.id_str("arn")]);
        t = Some(topic);
        Ok(r)
    })
    .await;
    let t = t.expect("topic");
    run.step("topic_load", async {
        Ok(json!([
            attr(&t, "DisplayName").await?,
            attr(&t, "TopicArn").await?
        ]))
    })
    .await;
    run.step("topic_set_attributes_reload", async {
        let o = out(t
            .action(
                "set_attributes",
                params! {"AttributeName": "DisplayName", "AttributeValue": "second"},
            )
            .await?);
        t.reload().await?;
        Ok(json!([o, null, attr(&t, "DisplayName").await?]))
    })
    .await;
    run.step("subscribe", async {
        let s = one(t
            .action(
                "subscribe",
                params! {"Protocol": "email", "Endpoint": (format!("{p}@example.com")), "ReturnSubscriptionArn": true},
            )
            .await?)?;
        let r = repr(&s);
        sub = Some(s);
        Ok(r)
    })
    .await;
    let sub = sub.expect("subscription");
    run.step("subscription_load", async {
        Ok(json!([
            attr(&sub, "Protocol").await?,
            attr(&sub, "Endpoint").await?
        ]))
    })
    .await;
    run.step("subscription_set_attributes", async {
        let o = out(sub
            .action(
                "set_attributes",
                params! {"AttributeName": "RawMessageDelivery", "AttributeValue": "true"},
            )
            .await?);
        Ok(json!([o, attr(&sub, "RawMessageDelivery").await?]))
    })
    .await;
    run.step("topic_subscriptions", async {
        coll(&t.collection("subscriptions")?.all()).await
    })
    .await;
    run.step("service_subscriptions", async {
        Ok(mine(&sns.collection("subscriptions")?.to_vec().await?, p))
    })
    .await;
    run.step("publish", async {
        Ok(keys(out(t
            .action("publish", params! {"Message": "hello", "Subject": "s"})
            .await?)))
    })
    .await;
    run.step("add_permission", async {
        Ok(out(t
            .action(
                "add_permission",
                params! {"Label": "lbl", "AWSAccountId": ["111122223333"], "ActionName": ["Publish"]},
            )
            .await?))
    })
    .await;
    run.step("remove_permission", async {
        Ok(out(t
            .action("remove_permission", params! {"Label": "lbl"})
            .await?))
    })
    .await;
    run.step("confirm_subscription_bad_token", async {
        Ok(out(t
            .action("confirm_subscription", params! {"Token": "not-a-token"})
            .await?))
    })
    .await;
    run.step("create_platform_application", async {
        let a = one(sns
            .action(
                "create_platform_application",
                params! {"Name": (format!("{p}-app")), "Platform": "GCM", "Attributes": {"PlatformCredential": "key"}},
            )
            .await?)?;
        let r = repr(&a);
        app = Some(a);
        Ok(r)
    })
    .await;
    let app = app.expect("application");
    run.step("application_load", async {
        attr(&app, "PlatformCredential").await
    })
    .await;
    run.step("application_set_attributes", async {
        let o = out(app
            .action(
                "set_attributes",
                params! {"Attributes": {"PlatformCredential": "key2"}},
            )
            .await?);
        Ok(json!([o, attr(&app, "PlatformCredential").await?]))
    })
    .await;
    run.step("create_platform_endpoint", async {
        let e = one(app
            .action(
                "create_platform_endpoint",
                params! {"Token": (format!("{p}-token")), "CustomUserData": "u"},
            )
            .await?)?;
        let r = repr(&e);
        ep = Some(e);
        Ok(r)
    })
    .await;
    let ep = ep.expect("endpoint");
    run.step("endpoint_load", async {
        Ok(json!([
            attr(&ep, "Token").await?,
            attr(&ep, "CustomUserData").await?
        ]))
    })
    .await;
    run.step("endpoint_set_attributes", async {
        let o = out(ep
            .action(
                "set_attributes",
                params! {"Attributes": {"CustomUserData": "v"}},
            )
            .await?);
        Ok(json!([o, attr(&ep, "CustomUserData").await?]))
    })
    .await;
    run.step("endpoint_publish", async {
        Ok(keys(out(ep
            .action("publish", params! {"Message": "hi"})
            .await?)))
    })
    .await;
    run.step("application_endpoints", async {
        coll(&app.collection("endpoints")?.all()).await
    })
    .await;
    run.step("service_platform_applications", async {
        Ok(mine(
            &sns.collection("platform_applications")?.to_vec().await?,
            p,
        ))
    })
    .await;
    run.step("endpoint_delete", async {
        Ok(out(ep.action("delete", Value::Null).await?))
    })
    .await;
    run.step("application_delete", async {
        Ok(out(app.action("delete", Value::Null).await?))
    })
    .await;
    run.step("subscription_delete", async {
        Ok(out(sub.action("delete", Value::Null).await?))
    })
    .await;
    run.step("create_many_topics", async {
        for i in 0..101 {
            sns.action(
                "create_topic",
                params! {"Name": (format!("{p}-many-{i:03}"))},
            )
            .await?;
        }
        Ok(json!(101))
    })
    .await;
    let topics = sns.collection("topics")?;
    run.step("topics_two_pages", async {
        Ok(json!(mine(&topics.all().to_vec().await?, p)
            .as_array()
            .map_or(0, Vec::len)))
    })
    .await;
    run.step("topics_page_size_unsupported", async {
        Ok(json!(topics.page_size(10).to_vec().await?.len()))
    })
    .await;
    run.step("topics_limit", async {
        Ok(json!(topics.limit(3).to_vec().await?.len()))
    })
    .await;
    run.step("topics_pages", async {
        let mut pages = topics.pages();
        let mut n = 0;
        while let Some(pg) = pages.next().await {
            pg?;
            n += 1;
        }
        Ok(json!(n >= 2))
    })
    .await;
    run.step("delete_topics", async {
        let mut n = 0;
        for topic in topics.all().to_vec().await? {
            if topic.id_str("arn").is_some_and(|a| a.contains(p)) {
                topic.action("delete", Value::Null).await?;
                n += 1;
            }
        }
        Ok(json!(n))
    })
    .await;
    run.step("topic_identifier", async {
        let again = sns.resource("Topic", [t.id_str("arn").unwrap_or_default()])?;
        Ok(json!([repr(&again), again == t]))
    })
    .await;
    Ok(run.steps)
}

fn main() {
    let Some(endpoint) = live() else { return };
    let rt = runtime();
    let mut failed = 0;
    let (rs, py) = (unique("rsq"), unique("pyq"));
    let rust = rt
        .block_on(sqs_scenario(recorder("sqs", &endpoint), &rs))
        .expect("scenario");
    let masked = ["ReceiptHandle", "NextToken"];
    failed += compare(
        "sqs",
        &rust,
        "diff_sqs.py",
        &[&endpoint, &py],
        Normalizer::new(&[(&rs, "P")], &masked),
        Normalizer::new(&[(&py, "P")], &masked),
    )
    .1;
    let (rs, py) = (unique("rsn"), unique("pyn"));
    let rust = rt
        .block_on(sns_scenario(recorder("sns", &endpoint), &rs))
        .expect("scenario");
    failed += compare(
        "sns",
        &rust,
        "diff_sns.py",
        &[&endpoint, &py],
        Normalizer::new(&[(&rs, "P")], &[]),
        Normalizer::new(&[(&py, "P")], &[]),
    )
    .1;
    if failed > 0 {
        std::process::exit(1);
    }
}
