//! `batch_writer()`: against a scripted in-process DynamoDB transport that
//! answers BatchWriteItem with `UnprocessedItems` (proving they are resent,
//! with backoff, and that nothing is lost on a stall or a drop), and against
//! moto (`BOTO_TEST_ENDPOINT`): 1,000 items stored exactly, counted with a
//! paginated `Select: COUNT` Scan, and `overwrite_by_pkeys` de-duplication.

use boto::core::auth::credentials::{Credentials, StaticProvider};
use boto::core::runtime::http::{BoxFuture, ByteStream, HttpClient, HttpRequest, HttpResponse};
use boto::core::runtime::{ClientBuilder, ClientConfig};
use boto_resources::dynamodb::{AttrValue, Key, Table, WriteRequest};
use boto_resources::item;
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A DynamoDB that stores BatchWriteItem puts by `pk` and, while `stingy`
/// calls remain, hands back the second half of each batch as unprocessed.
#[derive(Default)]
struct Scripted {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    stored: BTreeMap<String, Json>,
    deleted: Vec<String>,
    calls: usize,
    requests_received: usize,
    unprocessed_returned: usize,
    stingy: usize,
    refuse_all: bool,
}

impl HttpClient for Scripted {
    fn send(&self, req: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, boto::Error>> {
        let body: Json =
            serde_json::from_slice(req.body.bytes().unwrap_or_default()).unwrap_or_default();
        let mut st = self.state.lock().unwrap();
        st.calls += 1;
        let mut unprocessed = serde_json::Map::new();
        for (table, requests) in body["RequestItems"]
            .as_object()
            .cloned()
            .unwrap_or_default()
        {
            let requests = requests.as_array().cloned().unwrap_or_default();
            st.requests_received += requests.len();
            let keep = if st.refuse_all {
                0
            } else if st.stingy > 0 {
                requests.len().div_ceil(2)
            } else {
                requests.len()
            };
            for r in &requests[..keep] {
                if let Some(pk) = r.pointer("/PutRequest/Item/pk/S").and_then(Json::as_str) {
                    st.stored
                        .insert(pk.to_string(), r["PutRequest"]["Item"].clone());
                }
                if let Some(pk) = r.pointer("/DeleteRequest/Key/pk/S").and_then(Json::as_str) {
                    st.stored.remove(pk);
                    st.deleted.push(pk.to_string());
                }
            }
            if keep < requests.len() {
                st.unprocessed_returned += requests.len() - keep;
                unprocessed.insert(table, Json::Array(requests[keep..].to_vec()));
            }
        }
        st.stingy = st.stingy.saturating_sub(1);
        let out = json!({"UnprocessedItems": unprocessed}).to_string();
        Box::pin(async move {
            Ok(HttpResponse {
                status: 200,
                headers: vec![("Content-Type".into(), "application/x-amz-json-1.0".into())],
                body: ByteStream::from_bytes(out.into_bytes()),
            })
        })
    }
}

fn scripted_table(stingy: usize) -> (Table, Arc<Scripted>) {
    let fake = Arc::new(Scripted::default());
    fake.state.lock().unwrap().stingy = stingy;
    let client = ClientBuilder::new("dynamodb")
        .config(ClientConfig {
            region: Some("us-east-1".into()),
            ..Default::default()
        })
        .credentials(Arc::new(StaticProvider::new(Credentials::new(
            "AKID", "SECRET", None, None, "test",
        ))))
        .http_client(fake.clone())
        .build()
        .expect("client builds");
    (Table::new(client, "t"), fake)
}

fn item_n(i: usize) -> boto_resources::dynamodb::Item {
    item! {"pk" => format!("k{i:04}"), "n" => i as i64, "blob" => AttrValue::binary(vec![i as u8; 3])}
}

#[tokio::test]
async fn unprocessed_items_are_resent_until_stored() {
    let (table, fake) = scripted_table(6);
    let mut writer = table
        .batch_writer()
        .backoff(Duration::from_millis(1), Duration::from_millis(8));
    for i in 0..100 {
        writer.put_item(item_n(i)).await.unwrap();
    }
    writer.close().await.unwrap();
    assert_eq!(writer.pending(), 0);
    let st = fake.state.lock().unwrap();
    assert_eq!(st.stored.len(), 100, "every item stored exactly once");
    assert!(
        st.unprocessed_returned >= 50,
        "the script returned {} unprocessed",
        st.unprocessed_returned
    );
    // Every request was sent once plus once more per time it came back unprocessed.
    assert_eq!(st.requests_received, 100 + st.unprocessed_returned);
    assert_eq!(st.calls as u64, writer.batches_sent());
    assert_eq!(
        st.stored["k0042"]["blob"],
        json!({"B": "Kioq"}),
        "b'***' in base64"
    );
    assert_eq!(st.stored["k0042"]["n"], json!({"N": "42"}));
    println!(
        "dynamodb-batch-unprocessed: 100 items stored, {} unprocessed resent, {} calls",
        st.unprocessed_returned, st.calls
    );
}

#[tokio::test]
async fn a_stalled_writer_errors_and_keeps_its_requests() {
    let (table, fake) = scripted_table(0);
    fake.state.lock().unwrap().refuse_all = true;
    let mut writer = table
        .batch_writer()
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
        .max_stalled_rounds(3);
    for i in 0..10 {
        writer.put_item(item_n(i)).await.unwrap();
    }
    let err = writer.flush().await.unwrap_err();
    assert!(err.message().contains("unprocessed"), "{err}");
    assert_eq!(writer.pending(), 10, "nothing dropped");
    assert_eq!(fake.state.lock().unwrap().calls, 3);
    fake.state.lock().unwrap().refuse_all = false;
    writer.close().await.unwrap();
    assert_eq!(fake.state.lock().unwrap().stored.len(), 10);
}

#[tokio::test]
async fn overwrite_by_pkeys_keeps_the_last_request_per_key() {
    let (table, fake) = scripted_table(0);
    let mut writer = table.batch_writer_overwrite_by_pkeys(["pk"]);
    writer
        .put_item(item! {"pk" => "a", "v" => 1})
        .await
        .unwrap();
    writer
        .put_item(item! {"pk" => "b", "v" => 1})
        .await
        .unwrap();
    writer
        .put_item(item! {"pk" => "a", "v" => 2})
        .await
        .unwrap();
    writer.delete_item(item! {"pk" => "b"}).await.unwrap();
    writer
        .put_item(item! {"pk" => "c", "v" => 3})
        .await
        .unwrap();
    assert_eq!(writer.pending(), 3, "a (v=2), delete b, c");
    assert!(
        writer.put_item(item! {"other" => 1}).await.is_err(),
        "missing pkey is an error"
    );
    writer.close().await.unwrap();
    {
        let st = fake.state.lock().unwrap();
        assert_eq!(st.requests_received, 3);
        assert_eq!(st.stored["a"]["v"], json!({"N": "2"}));
        assert_eq!(st.deleted, vec!["b".to_string()]);
    }
    assert!(
        writer.put_item(item! {"pk" => "d"}).await.is_err(),
        "closed writers refuse requests"
    );
}

#[tokio::test]
async fn a_dropped_writer_flushes_on_the_runtime() {
    let (table, fake) = scripted_table(1);
    let mut writer = table
        .batch_writer()
        .backoff(Duration::from_millis(1), Duration::from_millis(2));
    for i in 0..30 {
        writer.put_item(item_n(i)).await.unwrap();
    }
    let report = writer.report();
    drop(writer);
    report.wait_idle().await;
    assert!(report.errors().is_empty(), "{:?}", report.errors());
    assert_eq!(fake.state.lock().unwrap().stored.len(), 30);
}

#[test]
fn a_writer_dropped_outside_a_runtime_records_its_requests() {
    let (table, fake) = scripted_table(0);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut writer = table.batch_writer();
    rt.block_on(async {
        for i in 0..3 {
            writer.put_item(item_n(i)).await.unwrap();
        }
    });
    drop(rt);
    let report = writer.report();
    drop(writer);
    assert_eq!(report.errors().len(), 1);
    assert!(
        report.errors()[0].contains("3 unsent requests"),
        "{:?}",
        report.errors()
    );
    let unsent = report.take_unsent();
    assert_eq!(unsent.len(), 3);
    assert!(
        matches!(&unsent[0], WriteRequest::Put(item) if item["pk"] == AttrValue::from("k0000"))
    );
    assert_eq!(fake.state.lock().unwrap().calls, 0);
}

#[test]
fn the_blocking_writer_flushes_on_drop() {
    let (table, fake) = scripted_table(2);
    let mut writer = table.blocking_batch_writer();
    for i in 0..30 {
        writer.put_item(item_n(i)).unwrap();
    }
    assert!(writer.pending() > 0);
    drop(writer);
    assert_eq!(fake.state.lock().unwrap().stored.len(), 30);
}

fn moto_table(endpoint: &str, name: &str) -> Table {
    let session = boto::Session::builder()
        .region("us-east-1")
        .credentials("testing", "testing", None)
        .build()
        .unwrap();
    let opts = boto::ClientOptions {
        endpoint_url: Some(endpoint.to_string()),
        ..Default::default()
    };
    Table::new(session.client_with("dynamodb", &opts).unwrap(), name)
}

async fn create_table(table: &Table) {
    table
        .client()
        .call(
            "CreateTable",
            boto::params! {
                "TableName": (table.name()),
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST"
            },
        )
        .await
        .unwrap();
}

fn unique(prefix: &str) -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        t.as_nanos() % 1_000_000_000
    )
}

#[tokio::test]
async fn a_thousand_items_against_moto() {
    let Some(endpoint) = std::env::var("BOTO_TEST_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty())
    else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/with_servers.sh starts moto)");
        return;
    };
    let table = moto_table(&endpoint, &unique("batch"));
    create_table(&table).await;
    let mut writer = table.batch_writer();
    for i in 0..1000 {
        writer.put_item(item_n(i)).await.unwrap();
    }
    writer.close().await.unwrap();
    assert_eq!(writer.batches_sent(), 40);
    // Paginated COUNT (small pages so the count spans several).
    let mut pages = table.scan().select("COUNT").limit(150).pages();
    let (mut count, mut n_pages) = (0, 0);
    while let Some(page) = pages.next_page().await {
        count += page.unwrap().count;
        n_pages += 1;
    }
    assert_eq!(count, 1000);
    assert!(n_pages >= 7, "{n_pages} pages");
    assert_eq!(table.scan().count().await.unwrap(), 1000);
    let got = table
        .get_item(item! {"pk" => "k0999"})
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got["n"].as_i64(), Some(999));
    assert_eq!(got["blob"], AttrValue::binary(vec![999usize as u8; 3]));

    // overwrite_by_pkeys against the real thing: duplicates in one batch would be a ValidationException.
    let mut writer = table.batch_writer_overwrite_by_pkeys(["pk"]);
    for round in 0..3 {
        for i in 0..20 {
            writer
                .put_item(item! {"pk" => format!("dup{i}"), "round" => round})
                .await
                .unwrap();
        }
    }
    writer.delete_item(item! {"pk" => "k0000"}).await.unwrap();
    writer.close().await.unwrap();
    assert_eq!(table.scan().count().await.unwrap(), 1000 + 20 - 1);
    let dup = table
        .get_item(item! {"pk" => "dup7"})
        .await
        .unwrap()
        .unwrap();
    assert_eq!(dup["round"].as_i64(), Some(2));
    assert!(table
        .query(Key("pk").eq("k0000"))
        .all()
        .await
        .unwrap()
        .is_empty());
    println!("dynamodb-batch-moto: 1000 items stored and counted over {n_pages} pages; dedup kept 20 of 60");
}
