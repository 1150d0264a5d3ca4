//! The CloudFormation part of `diff_more.rs`: the scenario of
//! `diff_cfn.py` (Stack, Event, StackResourceSummary, StackResource).

use crate::support::diff::*;
use crate::support::Recorder;
use boto::{params, Value};
use serde_json::{json, Value as Json};
use std::sync::Arc;

/// The template as Python's `json.dumps` spells it (`", "`, `": "`).
fn template(p: &str, timeout: i64) -> String {
    format!(
        r#"{{"Resources": {{"Q": {{"Type": "AWS::SQS::Queue", "Properties": {{"QueueName": "{p}-q", "VisibilityTimeout": {timeout}}}}}}}}}"#
    )
}

pub async fn scenario(rec: Arc<Recorder>, p: &str) -> Result<Vec<Json>, boto::Error> {
    let cfn = boto_resources::from_invoker(rec.clone())?;
    let mut run = Run::new(rec);
    let name = format!("{p}-s");
    let s = cfn.resource("Stack", [name.as_str()])?;

    run.step("create_stack", async {
        act(
            &cfn,
            "create_stack",
            params! {"StackName": (name.as_str()), "TemplateBody": (template(p, 30))},
        )
        .await
    })
    .await;
    run.step("stack_load", async {
        attrs(&s, &["stack_name", "stack_status", "parameters"]).await
    })
    .await;
    run.step("events", async {
        let mut rows = Vec::new();
        for e in s.collection("events")?.to_vec().await? {
            rows.push(
                attrs(
                    &e,
                    &[
                        "logical_resource_id",
                        "resource_status",
                        "resource_type",
                        "stack_name",
                    ],
                )
                .await?,
            );
        }
        rows.sort_by_key(|r| r.to_string());
        Ok(Json::Array(rows))
    })
    .await;
    run.step("event_identifiers", async {
        let all = s.collection("events")?.to_vec().await?;
        let distinct: std::collections::HashSet<String> =
            all.iter().map(|e| format!("{e:?}")).collect();
        Ok(json!(distinct.len()))
    })
    .await;
    run.step("resource_summaries", async {
        let mut rows = Vec::new();
        for x in s.collection("resource_summaries")?.to_vec().await? {
            rows.push(json!([
                repr(&x),
                x.attr("resource_type").await?.to_json(),
                x.attr("resource_status").await?.to_json()
            ]));
        }
        Ok(Json::Array(rows))
    })
    .await;
    run.step("summary_resource_reference", async {
        let mut rows = Vec::new();
        for x in s.collection("resource_summaries")?.to_vec().await? {
            rows.push(repr(&x.subresource("Resource", ())?));
        }
        Ok(Json::Array(rows))
    })
    .await;
    run.step("stack_resource", async {
        let r = s.subresource("Resource", ["Q"])?;
        Ok(json!([
            repr(&r),
            attrs(
                &r,
                &["resource_type", "resource_status", "physical_resource_id"]
            )
            .await?
        ]))
    })
    .await;
    run.step("stack_resource_stack", async {
        Ok(repr(
            &s.subresource("Resource", ["Q"])?.subresource("Stack", ())?,
        ))
    })
    .await;
    let stacks = cfn.collection("stacks")?;
    run.step("stacks_collection", async {
        coll(&stacks.filter(params! {"StackName": (name.as_str())})).await
    })
    .await;
    run.step("stacks_limit", async {
        Ok(json!(stacks.limit(1).to_vec().await?.len()))
    })
    .await;
    run.step("stacks_page_size", async {
        Ok(json!(stacks.page_size(1).to_vec().await?.len()))
    })
    .await;
    run.step("update", async {
        let o = act(&s, "update", params! {"TemplateBody": (template(p, 60))}).await?;
        let mut k: Vec<String> = o
            .as_object()
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        Ok(json!(k))
    })
    .await;
    run.step("reload", async {
        s.reload().await?;
        Ok(json!([null, s.attr("stack_status").await?.to_json()]))
    })
    .await;
    run.step("cancel_update", async {
        act(&s, "cancel_update", Value::Null).await
    })
    .await;
    run.step("event_subresource", async {
        Ok(repr(&cfn.resource("Event", ["e-1"])?))
    })
    .await;
    run.step("delete", async { act(&s, "delete", Value::Null).await })
        .await;
    run.step("deleted_reload", async {
        s.reload().await?;
        Ok(json!([null, s.attr("stack_status").await?.to_json()]))
    })
    .await;
    Ok(run.steps)
}
