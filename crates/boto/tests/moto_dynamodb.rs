//! DynamoDB (json 1.0) end to end against moto: CreateTable and the
//! `table_exists` waiter, PutItem/GetItem with every attribute type (read
//! into user serde structs with `boto::from_value`), Query and Scan through
//! paginators with a small `Limit` (several pages, counts summed by
//! `build_full_result`, `max_items` resume), UpdateItem, and the
//! `ResourceNotFoundException` / `ConditionalCheckFailedException` errors.

#[macro_use]
mod support;

use boto::core::runtime::waiter::WaiterConfig;
use boto::{params, Client, ErrorKind, Value};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::time::Duration;
use support::{client, list_len, unique, TestResult};

/// DynamoDB's attribute-value wire format, read with serde.
#[derive(Debug, Deserialize, PartialEq)]
struct S {
    #[serde(rename = "S")]
    s: String,
}
#[derive(Debug, Deserialize, PartialEq)]
struct N {
    #[serde(rename = "N")]
    n: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
struct Order {
    customer: S,
    order_no: N,
    item: S,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct KeySchemaElement {
    attribute_name: String,
    key_type: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TableDescription {
    table_name: String,
    table_status: String,
    key_schema: Vec<KeySchemaElement>,
    table_arn: String,
    item_count: Option<i64>,
}

async fn create_table(ddb: &Client) -> Result<String, boto::Error> {
    let table = unique("it-ddb");
    let out = ddb
        .call(
            "CreateTable",
            params! {
                "TableName": (&table),
                "AttributeDefinitions": [
                    {"AttributeName": "customer", "AttributeType": "S"},
                    {"AttributeName": "order_no", "AttributeType": "N"}
                ],
                "KeySchema": [
                    {"AttributeName": "customer", "KeyType": "HASH"},
                    {"AttributeName": "order_no", "KeyType": "RANGE"}
                ],
                "BillingMode": "PAY_PER_REQUEST"
            },
        )
        .await?;
    assert_eq!(
        out.pointer("TableDescription.TableName").as_str(),
        Some(table.as_str())
    );
    let config = WaiterConfig {
        delay: Some(Duration::from_millis(100)),
        max_attempts: Some(50),
    };
    let described = ddb
        .waiter("table_exists")?
        .wait(params! {"TableName": (&table)}, config)
        .await?;
    assert_eq!(
        described.pointer("Table.TableStatus").as_str(),
        Some("ACTIVE")
    );
    Ok(table)
}

async fn put_orders(
    ddb: &Client,
    table: &str,
    customer: &str,
    n: usize,
) -> Result<(), boto::Error> {
    for i in 0..n {
        ddb.call(
            "PutItem",
            params! {"TableName": table, "Item": {
                "customer": {"S": customer},
                "order_no": {"N": (i.to_string())},
                "item": {"S": (format!("widget-{i}"))}
            }},
        )
        .await?;
    }
    Ok(())
}

#[tokio::test]
async fn table_lifecycle_and_typed_items() -> TestResult {
    let ep = moto_or_skip!();
    let ddb = client(&ep, "dynamodb");
    let table = create_table(&ddb).await?;

    let described = ddb
        .call("DescribeTable", params! {"TableName": (&table)})
        .await?;
    let desc: TableDescription = boto::from_value(described.get("Table").clone())?;
    assert_eq!(desc.table_name, table);
    assert_eq!(desc.table_status, "ACTIVE");
    assert!(
        desc.table_arn.ends_with(&format!(":table/{table}")),
        "{}",
        desc.table_arn
    );
    assert_eq!(desc.item_count, Some(0));
    let schema: Vec<(&str, &str)> = desc
        .key_schema
        .iter()
        .map(|k| (k.attribute_name.as_str(), k.key_type.as_str()))
        .collect();
    assert_eq!(schema, [("customer", "HASH"), ("order_no", "RANGE")]);

    let listed = ddb
        .paginate("ListTables", params! {})?
        .build_full_result()
        .await?;
    assert!(listed
        .get("TableNames")
        .as_list()
        .unwrap_or_default()
        .iter()
        .any(|t| t.as_str() == Some(&table)));

    // Every attribute type survives the round trip.
    let blob = vec![0u8, 159, 146, 150, 255, 10];
    ddb.call(
        "PutItem",
        params! {"TableName": (&table), "Item": {
            "customer": {"S": "ada"},
            "order_no": {"N": "42"},
            "item": {"S": "analytical engine"},
            "price": {"N": "1234.5678"},
            "paid": {"BOOL": true},
            "note": {"NULL": true},
            "raw": {"B": (Value::blob(blob.clone()))},
            "tags": {"SS": ["b", "a"]},
            "sizes": {"NS": ["1", "2.5"]},
            "blobs": {"BS": [(Value::blob(vec![1u8, 2])), (Value::blob(vec![3u8]))]},
            "lines": {"L": [{"S": "x"}, {"N": "7"}, {"M": {"deep": {"BOOL": false}}}]},
            "address": {"M": {"city": {"S": "London"}, "zip": {"N": "12345"}}}
        }},
    )
    .await?;
    let got = ddb
        .call(
            "GetItem",
            params! {"TableName": (&table), "Key": {"customer": {"S": "ada"}, "order_no": {"N": "42"}},
                     "ConsistentRead": true},
        )
        .await?;
    let item = got.get("Item");
    let order: Order = boto::from_value(item.clone())?;
    assert_eq!(order.customer, S { s: "ada".into() });
    assert_eq!(order.order_no, N { n: "42".into() });
    assert_eq!(order.item.s, "analytical engine");
    assert_eq!(item.pointer("price.N").as_str(), Some("1234.5678"));
    assert_eq!(item.pointer("paid.BOOL").as_bool(), Some(true));
    assert_eq!(item.pointer("note.NULL").as_bool(), Some(true));
    assert_eq!(
        item.pointer("raw.B").as_blob(),
        Some(&blob[..]),
        "binary attributes are base64-decoded"
    );
    let tags: BTreeSet<&str> = item
        .pointer("tags.SS")
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(tags, BTreeSet::from(["a", "b"]));
    assert_eq!(list_len(item.pointer("sizes.NS")), 2);
    assert_eq!(list_len(item.pointer("blobs.BS")), 2);
    assert_eq!(item.pointer("lines.L[1].N").as_str(), Some("7"));
    assert_eq!(
        item.pointer("lines.L[2].M.deep.BOOL").as_bool(),
        Some(false)
    );
    assert_eq!(item.pointer("address.M.city.S").as_str(), Some("London"));

    // UpdateItem with an expression returns the new values.
    let updated = ddb
        .call(
            "UpdateItem",
            params! {"TableName": (&table), "Key": {"customer": {"S": "ada"}, "order_no": {"N": "42"}},
                     "UpdateExpression": "SET price = price + :inc, #s = :s",
                     "ExpressionAttributeNames": {"#s": "status"},
                     "ExpressionAttributeValues": {":inc": {"N": "0.4322"}, ":s": {"S": "shipped"}},
                     "ReturnValues": "UPDATED_NEW"},
        )
        .await?;
    assert_eq!(
        updated.pointer("Attributes.status.S").as_str(),
        Some("shipped")
    );
    let price: f64 = updated
        .pointer("Attributes.price.N")
        .as_str()
        .unwrap_or_default()
        .parse()?;
    assert!((price - 1235.0).abs() < 1e-9, "{price}");

    // A missing item: no Item key at all.
    let none = ddb
        .call("GetItem", params! {"TableName": (&table), "Key": {"customer": {"S": "nobody"}, "order_no": {"N": "1"}}})
        .await?;
    assert!(none.get("Item").is_null(), "{none}");

    ddb.call("DeleteTable", params! {"TableName": (&table)})
        .await?;
    let err = ddb
        .call("DescribeTable", params! {"TableName": (&table)})
        .await
        .expect_err("deleted");
    assert!(err.is_code("ResourceNotFoundException"), "{err:?}");
    Ok(())
}

#[tokio::test]
async fn query_and_scan_paginate_with_small_limits() -> TestResult {
    let ep = moto_or_skip!();
    let ddb = client(&ep, "dynamodb");
    let table = create_table(&ddb).await?;
    put_orders(&ddb, &table, "alice", 25).await?;
    put_orders(&ddb, &table, "bob", 5).await?;

    // Query: 25 items, Limit 4 → 7 pages, 25 items, all alice's.
    let query = params! {"TableName": (&table), "KeyConditionExpression": "customer = :c",
    "ExpressionAttributeValues": {":c": {"S": "alice"}}};
    let mut pages = ddb.paginate("Query", query.clone())?.page_size(4);
    let (mut n_pages, mut count, mut order_nos) = (0, 0, Vec::new());
    while let Some(page) = pages.next_page().await {
        let page = page?;
        n_pages += 1;
        let items = page.get("Items").as_list().unwrap_or_default();
        assert!(items.len() <= 4);
        assert_eq!(page.get("Count").as_i64(), Some(items.len() as i64));
        count += items.len();
        for it in items {
            let o: Order = boto::from_value(it.clone())?;
            assert_eq!(o.customer.s, "alice");
            order_nos.push(o.order_no.n.parse::<i64>()?);
        }
    }
    assert!(
        n_pages >= 7,
        "Limit 4 over 25 items gives at least 7 pages, got {n_pages}"
    );
    assert_eq!(count, 25);
    assert_eq!(
        order_nos,
        (0..25).collect::<Vec<_>>(),
        "sorted by the range key, each once"
    );

    // build_full_result adds the Count of every page.
    let full = ddb
        .paginate("Query", query.clone())?
        .page_size(4)
        .build_full_result()
        .await?;
    assert_eq!(full.get("Count").as_i64(), Some(25));
    assert_eq!(list_len(full.get("Items")), 25);

    // MaxItems cuts inside a page; the token resumes at the next item.
    let first = ddb
        .paginate("Query", query.clone())?
        .page_size(4)
        .max_items(10)
        .build_full_result()
        .await?;
    assert_eq!(list_len(first.get("Items")), 10);
    let token = first
        .get("NextToken")
        .as_str()
        .expect("a resume token")
        .to_string();
    let rest = ddb
        .paginate("Query", query)?
        .page_size(4)
        .starting_token(token)
        .build_full_result()
        .await?;
    assert_eq!(list_len(rest.get("Items")), 15);
    assert_eq!(rest.pointer("Items[0].order_no.N").as_str(), Some("10"));

    // Scan: 30 items, Limit 7 → at least 5 pages.
    let mut pages = ddb
        .paginate("Scan", params! {"TableName": (&table)})?
        .page_size(7);
    let (mut n_pages, mut count, mut scanned) = (0, 0, 0);
    while let Some(page) = pages.next_page().await {
        let page = page?;
        n_pages += 1;
        count += list_len(page.get("Items"));
        scanned += page.get("ScannedCount").as_i64().unwrap_or(0);
    }
    assert!(n_pages >= 5, "{n_pages} pages");
    assert_eq!(count, 30);
    assert_eq!(scanned, 30);

    // Scan with a filter: every item is scanned, only bob's are returned.
    let full = ddb
        .paginate(
            "Scan",
            params! {"TableName": (&table), "FilterExpression": "customer = :c",
            "ExpressionAttributeValues": {":c": {"S": "bob"}}},
        )?
        .page_size(7)
        .build_full_result()
        .await?;
    assert_eq!(full.get("Count").as_i64(), Some(5));
    assert_eq!(full.get("ScannedCount").as_i64(), Some(30));
    Ok(())
}

#[tokio::test]
async fn service_errors() -> TestResult {
    let ep = moto_or_skip!();
    let ddb = client(&ep, "dynamodb");

    let missing = unique("it-ddb-missing");
    let err = ddb
        .call(
            "GetItem",
            params! {"TableName": (&missing), "Key": {"customer": {"S": "x"}}},
        )
        .await
        .expect_err("no such table");
    assert_eq!(err.kind(), ErrorKind::Service);
    assert!(err.is_code("ResourceNotFoundException"), "{err:?}");
    assert_eq!(err.status(), Some(400));
    assert!(
        err.message().contains("not found") || err.message().contains("Requested resource"),
        "{}",
        err.message()
    );
    assert!(err.request_id().is_some_and(|id| !id.is_empty()));

    let table = create_table(&ddb).await?;
    let item = params! {"customer": {"S": "carol"}, "order_no": {"N": "1"}, "item": {"S": "first"}};
    ddb.call(
        "PutItem",
        params! {"TableName": (&table), "Item": (item.clone())},
    )
    .await?;
    let err = ddb
        .call(
            "PutItem",
            params! {"TableName": (&table), "Item": {"customer": {"S": "carol"}, "order_no": {"N": "1"}, "item": {"S": "second"}},
                     "ConditionExpression": "attribute_not_exists(customer)",
                     "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
        )
        .await
        .expect_err("the item exists");
    assert!(err.is_code("ConditionalCheckFailedException"), "{err:?}");
    assert_eq!(err.status(), Some(400));
    assert!(
        err.to_string()
            .contains("when calling the PutItem operation"),
        "{err}"
    );
    // The first write is untouched.
    let got = ddb
        .call("GetItem", params! {"TableName": (&table), "Key": {"customer": {"S": "carol"}, "order_no": {"N": "1"}}})
        .await?;
    assert_eq!(got.pointer("Item.item.S").as_str(), Some("first"));

    // A key without its range part is the service's ValidationException.
    let err = ddb
        .call(
            "GetItem",
            params! {"TableName": (&table), "Key": {"customer": {"S": "carol"}}},
        )
        .await
        .expect_err("wrong key type");
    assert!(err.is_code("ValidationException"), "{err:?}");
    Ok(())
}

#[tokio::test]
async fn batch_and_transaction_with_modeled_error_fields() -> TestResult {
    let ep = moto_or_skip!();
    let ddb = client(&ep, "dynamodb");
    let table = create_table(&ddb).await?;

    let requests: Vec<Value> = (0..20)
        .map(|i| {
            params! {"PutRequest": {"Item": {"customer": {"S": "dave"}, "order_no": {"N": (i.to_string())},
                                             "item": {"S": (format!("batch-{i}"))}}}}
        })
        .collect();
    let mut request_items = boto::Map::new();
    request_items.insert(table.clone(), Value::List(requests));
    let out = ddb
        .call("BatchWriteItem", params! {"RequestItems": (request_items)})
        .await?;
    assert_eq!(
        out.get("UnprocessedItems").as_map().map_or(0, |m| m.len()),
        0,
        "{out}"
    );

    let keys: Vec<Value> = [3, 7, 19]
        .iter()
        .map(|i| params! {"customer": {"S": "dave"}, "order_no": {"N": (i.to_string())}})
        .collect();
    let mut request_items = boto::Map::new();
    request_items.insert(
        table.clone(),
        params! {"Keys": (keys), "ProjectionExpression": "#i", "ExpressionAttributeNames": {"#i": "item"}},
    );
    let got = ddb
        .call("BatchGetItem", params! {"RequestItems": (request_items)})
        .await?;
    let items: BTreeSet<&str> = got
        .pointer("Responses")
        .get(&table)
        .as_list()
        .unwrap_or_default()
        .iter()
        .filter_map(|i| i.pointer("item.S").as_str())
        .collect();
    assert_eq!(items, BTreeSet::from(["batch-19", "batch-3", "batch-7"]));

    // A transaction whose condition fails: TransactionCanceledException with
    // the modeled CancellationReasons, one per action.
    let err = ddb
        .call(
            "TransactWriteItems",
            params! {"TransactItems": [
                {"Put": {"TableName": (&table), "Item": {"customer": {"S": "erin"}, "order_no": {"N": "1"}}}},
                {"ConditionCheck": {"TableName": (&table), "Key": {"customer": {"S": "dave"}, "order_no": {"N": "3"}},
                                    "ConditionExpression": "attribute_not_exists(customer)"}}
            ]},
        )
        .await
        .expect_err("the condition fails");
    assert!(err.is_code("TransactionCanceledException"), "{err:?}");
    let fields = &err.service_error().expect("a service error").fields;
    let reasons = fields.pointer("CancellationReasons");
    assert_eq!(
        list_len(reasons),
        2,
        "modeled error fields are parsed: {fields}"
    );
    assert_eq!(
        reasons.pointer("[1].Code").as_str(),
        Some("ConditionalCheckFailed")
    );
    assert_eq!(reasons.pointer("[0].Code").as_str(), Some("None"));
    // Nothing of the transaction was written.
    let none = ddb
        .call("GetItem", params! {"TableName": (&table), "Key": {"customer": {"S": "erin"}, "order_no": {"N": "1"}}})
        .await?;
    assert!(none.get("Item").is_null());
    Ok(())
}
