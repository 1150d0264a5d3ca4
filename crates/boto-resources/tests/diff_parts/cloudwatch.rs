//! The CloudWatch part of `diff_more.rs`: the scenario of
//! `diff_cloudwatch.py` (Metric and Alarm, batch actions on alarms).

use crate::support::diff::*;
use crate::support::Recorder;
use boto::{params, Value};
use serde_json::{json, Value as Json};
use std::sync::Arc;

fn alarm(name: String) -> Value {
    params! {
        "AlarmName": name, "ComparisonOperator": "GreaterThanThreshold",
        "EvaluationPeriods": 1, "Threshold": 1.0, "Statistic": "Average", "Period": 60
    }
}

fn sorted_keys(j: Json) -> Json {
    let mut k: Vec<String> = j
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    k.sort();
    json!(k)
}

pub async fn scenario(rec: Arc<Recorder>, p: &str) -> Result<Vec<Json>, boto::Error> {
    let cw = boto_resources::from_invoker(rec.clone())?;
    let mut run = Run::new(rec);
    let ns = format!("{p}/ns");
    let m = cw.resource("Metric", [ns.as_str(), "Latency"])?;
    let mut slot = None;

    run.step("identifiers", async {
        Ok(json!([repr(&m), m.id_str("namespace"), m.id_str("name")]))
    })
    .await;
    run.step("put_data_without_name", async {
        act(
            &m,
            "put_data",
            params! {"MetricData": [{"Value": 1.5, "Unit": "Seconds"}]},
        )
        .await
    })
    .await;
    run.step("put_data", async {
        act(
            &m,
            "put_data",
            params! {"MetricData": [
                {"MetricName": "Latency", "Value": 1.5, "Unit": "Seconds"},
                {"MetricName": "Latency", "Value": 2.5}
            ]},
        )
        .await
    })
    .await;
    run.step("metric_load", async {
        attrs(&m, &["metric_name", "namespace", "dimensions"]).await
    })
    .await;
    run.step("get_statistics", async {
        let o = act(
            &m,
            "get_statistics",
            params! {"StartTime": "2020-01-01T00:00:00Z", "EndTime": "2100-01-01T00:00:00Z", "Period": 86400, "Statistics": ["Sum"]},
        )
        .await?;
        Ok(sorted_keys(o))
    })
    .await;
    run.step("put_alarm", async {
        let a = one(m.action("put_alarm", alarm(format!("{p}-a0"))).await?)?;
        let j = repr(&a);
        slot = Some(a);
        Ok(j)
    })
    .await;
    let a = slot.take().expect("alarm");
    run.step("alarm_load", async {
        attrs(
            &a,
            &[
                "alarm_name",
                "metric_name",
                "namespace",
                "threshold",
                "state_value",
            ],
        )
        .await
    })
    .await;
    run.step("alarm_metric_reference", async {
        Ok(out(a.reference("metric").await?))
    })
    .await;
    run.step("set_state", async {
        let o = act(
            &a,
            "set_state",
            params! {"StateValue": "ALARM", "StateReason": "diff"},
        )
        .await?;
        Ok(json!([o, a.attr("state_value").await?.to_json()]))
    })
    .await;
    run.step("describe_history", async {
        let o = act(
            &a,
            "describe_history",
            params! {"HistoryItemType": "StateUpdate"},
        )
        .await?;
        Ok(sorted_keys(o))
    })
    .await;
    run.step("disable_enable_actions", async {
        Ok(json!([
            act(&a, "disable_actions", Value::Null).await?,
            act(&a, "enable_actions", Value::Null).await?
        ]))
    })
    .await;
    run.step("more_alarms", async {
        let mut v = Vec::new();
        for i in 1..4 {
            v.push(act(&m, "put_alarm", alarm(format!("{p}-a{i}"))).await?);
        }
        Ok(Json::Array(v))
    })
    .await;
    run.step("metric_alarms", async {
        coll(&m.collection("alarms")?.all()).await
    })
    .await;
    let mine = cw
        .collection("alarms")?
        .filter(params! {"AlarmNamePrefix": p});
    run.step("alarms_page_size", async { coll(&mine.page_size(2)).await })
        .await;
    run.step("alarms_limit", async { coll(&mine.limit(3)).await })
        .await;
    run.step("metrics_collection", async {
        coll(
            &cw.collection("metrics")?
                .filter(params! {"Namespace": (ns.as_str())}),
        )
        .await
    })
    .await;
    for name in ["disable_actions", "enable_actions"] {
        run.step(&format!("batch_{name}"), async {
            Ok(json!(mine.batch_action(name, Value::Null).await?.len()))
        })
        .await;
    }
    run.step("alarm_delete", async {
        act(&a, "delete", Value::Null).await
    })
    .await;
    run.step("batch_delete", async {
        Ok(json!(mine.batch_action("delete", Value::Null).await?.len()))
    })
    .await;
    run.step("batch_delete_empty", async {
        let out = mine.batch_action("delete", Value::Null).await?;
        Ok(Json::Array(out.into_iter().map(|_| Json::Null).collect()))
    })
    .await;
    Ok(run.steps)
}
