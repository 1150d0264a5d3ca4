//! The DynamoDB half of `diff_more.rs`: the scenario of `diff_dynamodb.py`
//! with the generic `dynamodb.Table` resource (plain values in and out
//! through boto-rs's DynamoDB hook).

use crate::support::diff::*;
use crate::support::Recorder;
use boto::{params, Value};
use boto_resources::Resource;
use serde_json::{json, Value as Json};
use std::sync::Arc;

fn schema(name: &str) -> Value {
    params! {
        "TableName": name,
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
        "BillingMode": "PAY_PER_REQUEST"
    }
}

/// The reprs of the tables whose name starts with `p`.
fn mine(tables: &[Resource], p: &str) -> Json {
    let v: Vec<Resource> = tables
        .iter()
        .filter(|t| t.id_str("name").is_some_and(|n| n.starts_with(p)))
        .cloned()
        .collect();
    reprs(&v)
}

pub async fn scenario(rec: Arc<Recorder>, p: &str) -> Result<Vec<Json>, boto::Error> {
    let ddb = boto_resources::from_invoker(rec.clone())?;
    let mut run = Run::new(rec);
    let name = format!("{p}-t");
    let mut created = None;

    run.step("create_table", async {
        let t = one(ddb.action("create_table", schema(&name)).await?)?;
        let j = repr(&t);
        created = Some(t);
        Ok(j)
    })
    .await;
    // The table as create_table returned it, with its TableDescription data.
    let t = created.expect("table");
    run.step("wait_until_exists", async {
        t.wait_until("exists", Value::Null)
            .await
            .map(|_| Json::Null)
    })
    .await;
    run.step("table_load", async {
        attrs(
            &t,
            &[
                "table_name",
                "key_schema",
                "attribute_definitions",
                "table_status",
            ],
        )
        .await
    })
    .await;
    run.step("put_items", async {
        let mut v = Vec::new();
        for i in 0..6 {
            let item = params! {"pk": "a", "sk": i, "name": (format!("n{i}")), "nested": {"l": [i, "two", true, null]}};
            v.push(act(&t, "put_item", params! {"Item": item}).await?);
        }
        Ok(Json::Array(v))
    })
    .await;
    run.step("get_item", async {
        act(&t, "get_item", params! {"Key": {"pk": "a", "sk": 3}}).await
    })
    .await;
    run.step("update_item", async {
        act(
            &t,
            "update_item",
            params! {
                "Key": {"pk": "a", "sk": 1},
                "UpdateExpression": "SET #n = :v, extra = :e",
                "ExpressionAttributeNames": {"#n": "name"},
                "ExpressionAttributeValues": {":v": "renamed", ":e": {"k": [1, 2]}},
                "ReturnValues": "ALL_NEW"
            },
        )
        .await
    })
    .await;
    run.step("delete_item", async {
        act(
            &t,
            "delete_item",
            params! {"Key": {"pk": "a", "sk": 5}, "ReturnValues": "ALL_OLD"},
        )
        .await
    })
    .await;
    run.step("conditional_put_fails", async {
        act(
            &t,
            "put_item",
            params! {"Item": {"pk": "a", "sk": 0}, "ConditionExpression": "attribute_not_exists(pk)"},
        )
        .await
    })
    .await;
    run.step("query", async {
        act(
            &t,
            "query",
            params! {
                "KeyConditionExpression": "pk = :p AND sk > :s",
                "ExpressionAttributeValues": {":p": "a", ":s": 1},
                "Limit": 2
            },
        )
        .await
    })
    .await;
    run.step("scan", async {
        act(
            &t,
            "scan",
            params! {"FilterExpression": "sk >= :m", "ExpressionAttributeValues": {":m": 3}, "ProjectionExpression": "pk, sk"},
        )
        .await
    })
    .await;
    run.step("batch_write_item", async {
        let mut items = boto::Map::new();
        items.insert(
            name.clone(),
            boto::value!([
                {"PutRequest": {"Item": {"pk": "b", "sk": 1, "bin": (Value::blob(vec![0u8, 1]))}}},
                {"DeleteRequest": {"Key": {"pk": "a", "sk": 0}}}
            ]),
        );
        act(
            &ddb,
            "batch_write_item",
            params! {"RequestItems": (Value::Map(items))},
        )
        .await
    })
    .await;
    run.step("batch_get_item", async {
        let mut items = boto::Map::new();
        items.insert(
            name.clone(),
            boto::value!({"Keys": [{"pk": "b", "sk": 1}, {"pk": "a", "sk": 2}]}),
        );
        let o = act(
            &ddb,
            "batch_get_item",
            params! {"RequestItems": (Value::Map(items))},
        )
        .await?;
        let mut keys: Vec<Json> = o["Responses"][name.as_str()]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|x| json!([x["pk"], x["sk"]]))
            .collect();
        keys.sort_by_key(|k| k.to_string());
        Ok(Json::Array(keys))
    })
    .await;
    run.step("table_update", async {
        act(
            &t,
            "update",
            params! {"StreamSpecification": {"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"}},
        )
        .await
    })
    .await;
    run.step("table_reload", async {
        t.reload().await?;
        let count = t.attr("item_count").await?;
        Ok(json!([
            null,
            count.as_i64().is_some_and(|c| c >= 0),
            t.attr("stream_specification").await?.to_json()
        ]))
    })
    .await;
    run.step("more_tables", async {
        let mut v = Vec::new();
        for i in 0..4 {
            v.push(act(&ddb, "create_table", schema(&format!("{p}-m{i}"))).await?);
        }
        Ok(Json::Array(v))
    })
    .await;
    let tables = ddb.collection("tables")?;
    run.step("tables_page_size", async {
        Ok(mine(&tables.page_size(2).to_vec().await?, p))
    })
    .await;
    run.step("tables_limit", async {
        Ok(json!(tables.page_size(2).limit(3).to_vec().await?.len()))
    })
    .await;
    run.step("tables_pages", async {
        let mut pages = tables.page_size(2).pages();
        let mut n = 0;
        while let Some(pg) = pages.next().await {
            pg?;
            n += 1;
        }
        Ok(json!(n >= 3))
    })
    .await;
    run.step("delete_more", async {
        let mut v = Vec::new();
        for i in 0..4 {
            let o = act(
                &ddb.resource("Table", [format!("{p}-m{i}")])?,
                "delete",
                Value::Null,
            )
            .await?;
            v.push(o["TableDescription"]["TableName"].clone());
        }
        Ok(Json::Array(v))
    })
    .await;
    run.step("table_delete", async {
        Ok(act(&t, "delete", Value::Null).await?["TableDescription"]["TableName"].clone())
    })
    .await;
    run.step("wait_until_not_exists", async {
        t.wait_until("not_exists", Value::Null)
            .await
            .map(|_| Json::Null)
    })
    .await;
    run.step("deleted_load_fails", async {
        t.reload().await.map(|_| Json::Null)
    })
    .await;
    Ok(run.steps)
}
