//! The blocking `Table` twin on a plain thread against moto
//! (`BOTO_TEST_ENDPOINT`): a batch writer flushed on drop, query pages,
//! count, get/update/delete with a failing condition, scan, the handle from
//! a blocking `dynamodb.Table` resource, and a clear error (not a hang or a
//! panic) when called from inside an async runtime.

use boto::{params, ClientOptions, Session};
use boto_resources::dynamodb::blocking::Table;
use boto_resources::dynamodb::{Attr, AttrValue, Key, WriteOptions};
use boto_resources::item;

#[test]
fn blocking_table_on_a_plain_thread() {
    let Some(endpoint) = std::env::var("BOTO_TEST_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty())
    else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/with_servers.sh starts moto)");
        return;
    };
    let session = Session::builder()
        .region("us-east-1")
        .credentials("testing", "testing", None)
        .build()
        .unwrap();
    let opts = ClientOptions {
        endpoint_url: Some(endpoint),
        ..Default::default()
    };
    let client = boto::blocking::Client::new(session.client_with("dynamodb", &opts).unwrap());
    let name = format!("blocking-{}", std::process::id());
    client
        .call(
            "CreateTable",
            params! {
                "TableName": (name.as_str()),
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "n", "AttributeType": "N"}],
                "BillingMode": "PAY_PER_REQUEST"
            },
        )
        .unwrap();
    let table = Table::from_client(&client, &name);

    {
        let mut writer = table.batch_writer();
        for n in 0..60 {
            let pk = if n % 2 == 0 { "even" } else { "odd" };
            writer
                .put_item(item! {"pk" => pk, "n" => n, "sq" => n * n})
                .unwrap();
        }
        // 10 left unsent here: the drop flushes them.
        assert_eq!(writer.pending(), 10);
    }
    assert_eq!(table.scan().count().unwrap(), 60);

    let pages: Vec<_> = table
        .query(Key("pk").eq("even"))
        .limit(7)
        .pages()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(pages.len() >= 5, "30 items in pages of 7: {}", pages.len());
    let items: Vec<_> = pages.into_iter().flat_map(|p| p.items).collect();
    assert_eq!(items.len(), 30);
    assert!(items.iter().all(|i| i["pk"] == AttrValue::from("even")));
    let big = table
        .query(Key("pk").eq("odd") & Key("n").gt(40))
        .filter(Attr("sq").gte(2000))
        .all()
        .unwrap();
    assert_eq!(
        big.len(),
        8,
        "odd n > 40 with n * n >= 2000: 45, 47, ..., 59"
    );

    let got = table
        .get_item(item! {"pk" => "odd", "n" => 7})
        .unwrap()
        .unwrap();
    assert_eq!(got["sq"], AttrValue::from(49));
    let updated = table
        .update_item(
            item! {"pk" => "odd", "n" => 7},
            "SET sq = sq + :one",
            WriteOptions::default()
                .value(":one", 1)
                .return_values("UPDATED_NEW"),
        )
        .unwrap()
        .unwrap();
    assert_eq!(updated["sq"], AttrValue::from(50));
    let err = table
        .delete_item(
            item! {"pk" => "odd", "n" => 7},
            WriteOptions::default().condition(Attr("sq").eq(49)),
        )
        .unwrap_err();
    assert!(err.is_code("ConditionalCheckFailedException"), "{err}");
    assert!(table
        .get_item(item! {"pk" => "odd", "n" => 7})
        .unwrap()
        .is_some());

    // From the generic blocking resource.
    let res = boto_resources::blocking::resource_with(&session, "dynamodb", &opts).unwrap();
    let t2 = Table::from_resource(&res.resource("Table", [name.as_str()]).unwrap()).unwrap();
    assert_eq!(t2.name(), name);
    assert_eq!(t2.scan().count().unwrap(), 60);

    // Inside an async runtime: an error, not a deadlock.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let inside = rt.block_on(async { table.get_item(item! {"pk" => "odd", "n" => 1}) });
    assert!(inside.is_err(), "blocking call inside a runtime must fail");

    client
        .call("DeleteTable", params! {"TableName": (name.as_str())})
        .unwrap();
}
