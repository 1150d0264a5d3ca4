//! The typed `Table` against moto (`BOTO_TEST_ENDPOINT`): put/get with exact
//! 38-digit numbers, sets, binary and nested values; conditional writes that
//! pass and fail; update expressions with conditions; query with key
//! conditions, filters, projections and paging; scan with filters; delete;
//! and the plain `transform_input`/`transform_output` path on the same table.

use boto::{params, ClientOptions, Session, Value};
use boto_resources::dynamodb::{
    transform_input, transform_output, Attr, AttrValue, Decimal, Key, Table, WriteOptions,
};
use boto_resources::item;

fn table(endpoint: &str) -> Table {
    let session = Session::builder()
        .region("us-east-1")
        .credentials("testing", "testing", None)
        .build()
        .unwrap();
    let opts = ClientOptions {
        endpoint_url: Some(endpoint.to_string()),
        ..Default::default()
    };
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    // Tests run in parallel in one process: a counter keeps names apart even
    // when two read the same clock value.
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!(
        "music-{}-{}-{n}",
        std::process::id(),
        t.as_nanos() % 1_000_000_000
    );
    Table::new(session.client_with("dynamodb", &opts).unwrap(), name)
}

#[tokio::test]
async fn table_round_trip_against_moto() {
    let Some(endpoint) = std::env::var("BOTO_TEST_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty())
    else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/with_servers.sh starts moto)");
        return;
    };
    let table = table(&endpoint);
    table
        .client()
        .call(
            "CreateTable",
            params! {
                "TableName": (table.name()),
                "KeySchema": [{"AttributeName": "artist", "KeyType": "HASH"}, {"AttributeName": "year", "KeyType": "RANGE"}],
                "AttributeDefinitions": [{"AttributeName": "artist", "AttributeType": "S"}, {"AttributeName": "year", "AttributeType": "N"}],
                "BillingMode": "PAY_PER_REQUEST"
            },
        )
        .await
        .unwrap();

    // Put: exact numbers, sets, binary, nested values.
    let big = Decimal::parse("12345678901234567890.123456789012345678").unwrap();
    let tiny = Decimal::parse("1E-130").unwrap();
    let first = item! {
        "artist" => "Arvo", "year" => 1977, "title" => "Fratres",
        "plays" => big.clone(), "tiny" => tiny.clone(),
        "tags" => AttrValue::string_set(["minimal", "tintinnabuli"]),
        "scores" => AttrValue::number_set([3, 5]),
        "raw" => AttrValue::binary(vec![0, 255, 7]),
        "meta" => AttrValue::Map(item! {"label" => "ECM", "tracks" => vec![1, 2, 3], "none" => AttrValue::Null}),
        "live" => false, "listens" => 41,
    };
    table.put_item(first.clone()).await.unwrap();
    let got = table
        .get_item(item! {"artist" => "Arvo", "year" => 1977})
        .await
        .unwrap()
        .expect("item stored");
    for (k, v) in &first {
        assert_eq!(got.get(k), Some(v), "attribute {k}");
    }
    assert_eq!(
        got["plays"].as_number().unwrap().to_string(),
        "12345678901234567890.123456789012345678"
    );

    // A conditional put that must fail, then one that must pass.
    let only_new = WriteOptions::default().condition(Attr("artist").not_exists());
    let err = table
        .put_item_with(first.clone(), only_new.clone())
        .await
        .unwrap_err();
    assert!(err.is_code("ConditionalCheckFailedException"), "{err}");
    for (year, title) in [
        (1978, "Spiegel im Spiegel"),
        (1980, "Cantus"),
        (1984, "Te Deum"),
    ] {
        table
            .put_item_with(item! {"artist" => "Arvo", "year" => year, "title" => title, "plays" => year - 1900}, only_new.clone())
            .await
            .unwrap();
    }
    table
        .put_item(item! {"artist" => "Hildegard", "year" => 1150, "title" => "O vis aeternitatis"})
        .await
        .unwrap();

    // Update with a condition on a nested path and size().
    let cond =
        Attr("meta.label").eq("ECM") & Attr("tags").size().gte(2) & Attr("meta.tracks[1]").eq(2);
    let opts = WriteOptions::default()
        .condition(cond)
        .return_values("ALL_NEW")
        .name("#p", "listens")
        .value(":one", 1);
    let updated = table
        .update_item(
            item! {"artist" => "Arvo", "year" => 1977},
            "SET #p = #p + :one",
            opts,
        )
        .await
        .unwrap()
        .expect("ALL_NEW attributes");
    // (moto does update arithmetic in Python's default 28-digit context: small numbers here.)
    assert_eq!(updated["listens"].as_i64(), Some(42));
    assert_eq!(updated["plays"].as_number(), Some(&big), "38 digits intact");
    let failing = WriteOptions::default().condition(Attr("live").eq(true));
    let err = table
        .update_item(
            item! {"artist" => "Arvo", "year" => 1977},
            "REMOVE live",
            failing,
        )
        .await
        .unwrap_err();
    assert!(err.is_code("ConditionalCheckFailedException"), "{err}");

    // Query: key condition + filter + projection, one item per page.
    let between = Key("artist").eq("Arvo") & Key("year").between(1977, 1981);
    let items = table.query(between.clone()).all().await.unwrap();
    assert_eq!(
        items
            .iter()
            .map(|i| i["year"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        vec![1977, 1978, 1980]
    );
    let filtered = table
        .query(between.clone())
        .filter(Attr("title").begins_with("Spiegel") | Attr("title").contains("antu"))
        .projection(&["title", "year"])
        .scan_forward(false)
        .all()
        .await
        .unwrap();
    assert_eq!(filtered.len(), 2);
    assert_eq!(filtered[0]["title"], AttrValue::from("Cantus"));
    assert_eq!(
        filtered[0].len(),
        2,
        "projection keeps two attributes: {:?}",
        filtered[0]
    );
    let mut pages = table.query(Key("artist").eq("Arvo")).limit(1).pages();
    let mut n_pages = 0;
    let mut seen = 0;
    while let Some(page) = pages.next_page().await {
        seen += page.unwrap().items.len();
        n_pages += 1;
    }
    assert_eq!(seen, 4);
    assert!(n_pages >= 4, "{n_pages} pages");
    assert!(
        table.query(Attr("artist").eq("Arvo")).all().await.is_err(),
        "Attr in a key condition is refused"
    );

    // Scan with a filter using is_in, attribute_type and a Not.
    let scanned = table
        .scan()
        .filter(Attr("year").is_in([1150, 1984]) & !Attr("title").attribute_type("N"))
        .all()
        .await
        .unwrap();
    let mut titles: Vec<_> = scanned
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect();
    titles.sort();
    assert_eq!(titles, ["O vis aeternitatis", "Te Deum"]);
    assert_eq!(table.scan().count().await.unwrap(), 5);

    // Delete: conditional, returning the old item.
    let gone = table
        .delete_item(
            item! {"artist" => "Hildegard", "year" => 1150},
            WriteOptions::default()
                .condition(Attr("year").lt(1200))
                .return_values("ALL_OLD"),
        )
        .await
        .unwrap()
        .expect("ALL_OLD attributes");
    assert_eq!(gone["title"], AttrValue::from("O vis aeternitatis"));
    assert!(table
        .get_item(item! {"artist" => "Hildegard", "year" => 1150})
        .await
        .unwrap()
        .is_none());

    // The plain path (what generic resource actions use) on the same table.
    let model = table.client().model().clone();
    let wire = transform_input(
        &model,
        "GetItem",
        params! {"TableName": (table.name()), "Key": {"artist": "Arvo", "year": 1984}},
    )
    .unwrap();
    assert_eq!(wire.pointer("Key.year.N").as_str(), Some("1984"));
    let out = table.client().call("GetItem", wire).await.unwrap();
    let plain = transform_output(&model, "GetItem", out).unwrap();
    assert_eq!(plain.pointer("Item.title").as_str(), Some("Te Deum"));
    assert_eq!(plain.pointer("Item.plays"), &Value::Integer(84));
    let float = transform_input(
        &model,
        "PutItem",
        params! {"TableName": "t", "Item": {"x": 1.5}},
    );
    assert_eq!(
        float.unwrap_err().message(),
        "Float types are not supported. Use Decimal types instead."
    );
    println!("dynamodb-table-moto: put/get/update/query/scan/delete checks passed");
}

#[tokio::test]
async fn table_from_the_generic_resource() {
    let Some(endpoint) = std::env::var("BOTO_TEST_ENDPOINT")
        .ok()
        .filter(|e| !e.is_empty())
    else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/with_servers.sh starts moto)");
        return;
    };
    let typed = table(&endpoint);
    let service = boto_resources::from_client(typed.client().clone()).unwrap();
    let resource = service.resource("Table", [typed.name()]).unwrap();
    let table = Table::from_resource(&resource).unwrap();
    assert_eq!(table.name(), typed.name());
    assert!(
        Table::from_resource(&service).is_err(),
        "the service resource is not a Table"
    );
    table
        .client()
        .call(
            "CreateTable",
            params! {
                "TableName": (table.name()),
                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                "BillingMode": "PAY_PER_REQUEST"
            },
        )
        .await
        .unwrap();
    table.put_item(item! {"pk" => "a", "n" => 7}).await.unwrap();
    let got = table.get_item(item! {"pk" => "a"}).await.unwrap().unwrap();
    assert_eq!(got["n"].as_i64(), Some(7));
}
