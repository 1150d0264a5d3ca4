//! boto-rs side of `bench/compare_core.sh`: core-path micro-benchmarks that
//! `bench/botocore_core.py` repeats with botocore 1.43.67, so the two can be
//! put side by side from one run.
//!
//! Every measurement prints one `name<TAB>microseconds` line: the median, over
//! several timed batches (after one untimed warm-up batch), of batch wall time
//! (`std::time::Instant`) divided by the batch's iteration count.
//!
//! Modes:
//!
//! * `gen-xml DIR`: writes `DIR/list_objects_v2.xml` (a 1,000-key S3
//!   ListObjectsV2 response, ~320 KB, 1,000 `LastModified` timestamps) and
//!   `DIR/get_item.json` (a DynamoDB GetItem response with a ten-attribute
//!   item), the same shapes of data as `boto-protocols/benches/parse.rs`, so
//!   both sides parse identical bytes.
//! * `first-client SERVICE`: builds a `Session` (static credentials "a"/"b",
//!   region us-east-1) and one client, then exits; the script times the whole
//!   process from outside (start-up + model load + endpoint rules + client).
//! * `micro [DIR]`: the in-process measurements (bodies read from `DIR`, or
//!   generated in memory without it):
//!   - cold model load of s3 and ec2 through a fresh
//!     `Loader::with_data_paths(vec![])` (empty cache) per iteration:
//!     decompress, parse JSON, build the shape arena;
//!   - DynamoDB GetItem: validate + serialize the request parameters, and
//!     parse the canned response body, with the real dynamodb model;
//!   - S3 ListObjectsV2: parse of the 1,000-key XML response;
//!   - `Client::presign_url` for 1,000 S3 GetObject URLs (distinct keys),
//!     reported per URL;
//!   - endpoint resolution, two ways, each for S3 GetObject virtual-hosted
//!     (a distinct bucket name per call) and DynamoDB GetItem regional:
//!     "rules" = the rule-set evaluation alone (`RuleSet::resolve` on
//!     parameters bound once by `boto_runtime::endpoint::bind_params`, with
//!     `Bucket` replaced per call); "client" = `Client::resolve_endpoint`
//!     (interceptors, validation, serialization, parameter binding and
//!     resolution — everything a call does before signing).
//!
//! Build with `cargo build --release -p boto --example bench_core`.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use boto::core::model::{validate::validate_operation, Loader};
use boto::core::protocols::{parse_response, serialize, Response};
use boto::core::runtime::endpoint::{bind_params, partitions, rule_set};
use boto::{params, Client, Session};

const LIST_FILE: &str = "list_objects_v2.xml";
const GET_ITEM_FILE: &str = "get_item.json";

const GET_ITEM: &str = r#"{"Item":{"pk":{"S":"user#8f14e45f-ceea-467f-a0e6-1e2c3b4d5e6f"},"sk":{"S":"profile#2024-05-01"},"name":{"S":"Ada Lovelace"},"age":{"N":"36"},"balance":{"N":"1234.56"},"active":{"BOOL":true},"tags":{"SS":["admin","beta","early-adopter"]},"scores":{"NS":["97","88.5","100"]},"address":{"M":{"street":{"S":"12 St James's Square"},"city":{"S":"London"},"zip":{"S":"SW1Y 4JH"}}},"history":{"L":[{"S":"login"},{"N":"1714560000"},{"NULL":true}]},"avatar":{"B":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="}}}"#;

/// The ListObjectsV2 body of `boto-protocols/benches/parse.rs`.
fn list_objects_body(n: usize) -> String {
    let mut s = String::with_capacity(n * 330 + 600);
    s.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    s.push_str(r#"<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>example-bucket</Name><Prefix>photos/</Prefix>"#);
    s.push_str(&format!(
        "<KeyCount>{n}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>true</IsTruncated>"
    ));
    for i in 0..n {
        s.push_str(&format!(
            "<Contents><Key>photos/2024/05/{i:06}/IMG_{i:06}-holiday-at-the-seaside.jpg</Key>\
             <LastModified>2024-05-{:02}T{:02}:{:02}:{:02}.000Z</LastModified>\
             <ETag>&quot;{:032x}&quot;</ETag><ChecksumAlgorithm>CRC64NVME</ChecksumAlgorithm>\
             <ChecksumType>FULL_OBJECT</ChecksumType><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents>",
            i % 28 + 1,
            i % 24,
            i % 60,
            (i * 7) % 60,
            (i as u128).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834),
            1_000_000 + i * 37,
        ));
    }
    s.push_str("<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>");
    s.push_str("</ListBucketResult>");
    s
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Runs `f` once as a warm-up, then `batches` times; each run does `iters`
/// iterations (`f` gets the iteration's global index). Prints the median
/// per-iteration time in microseconds.
fn measure(name: &str, batches: usize, iters: usize, mut f: impl FnMut(usize)) {
    let mut n = 0usize;
    for _ in 0..iters {
        f(n);
        n += 1;
    }
    let mut per_iter: Vec<f64> = (0..batches)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iters {
                f(n);
                n += 1;
            }
            start.elapsed().as_secs_f64() * 1e6 / iters as f64
        })
        .collect();
    per_iter.sort_by(f64::total_cmp);
    println!("{name}\t{:.3}", per_iter[per_iter.len() / 2]);
}

fn session() -> Session {
    Session::builder()
        .credentials("a", "b", None)
        .region("us-east-1")
        .build()
        .expect("session")
}

fn client(service: &str) -> Client {
    session().client(service).expect("client")
}

fn gen_files(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(LIST_FILE), list_objects_body(1000))?;
    std::fs::write(dir.join(GET_ITEM_FILE), GET_ITEM)
}

fn micro(dir: Option<&Path>) {
    let (list_xml, get_item) = match dir {
        Some(d) => (
            std::fs::read(d.join(LIST_FILE)).expect("read list_objects_v2.xml"),
            std::fs::read(d.join(GET_ITEM_FILE)).expect("read get_item.json"),
        ),
        None => (
            list_objects_body(1000).into_bytes(),
            GET_ITEM.as_bytes().to_vec(),
        ),
    };

    // (a) cold model load.
    for service in ["s3", "ec2"] {
        measure(&format!("cold model load {service}"), 7, 1, |_| {
            let loader = Loader::with_data_paths(vec![]);
            black_box(loader.service_model(black_box(service)).expect("model"));
        });
    }

    let loader = Loader::global();

    // (b) DynamoDB GetItem.
    let ddb = loader.service_model("dynamodb").expect("dynamodb model");
    let get_op = ddb.operation("GetItem").expect("GetItem");
    let request = params! {
        "TableName": "users",
        "Key": {"pk": {"S": "user#8f14e45f-ceea-467f-a0e6-1e2c3b4d5e6f"}, "sk": {"S": "profile#2024-05-01"}},
        "ProjectionExpression": "#n, age, balance, active, tags, scores, address, history, avatar",
        "ExpressionAttributeNames": {"#n": "name"},
        "ConsistentRead": true,
        "ReturnConsumedCapacity": "TOTAL"
    };
    measure("dynamodb GetItem validate+serialize", 9, 2000, |_| {
        validate_operation(&ddb, get_op, black_box(&request)).expect("valid");
        black_box(serialize(&ddb, get_op, black_box(&request)).expect("serialize"));
    });
    let h = headers(&[
        ("Server", "Server"),
        ("Date", "Wed, 01 May 2024 12:00:00 GMT"),
        ("Content-Type", "application/x-amz-json-1.0"),
        ("Content-Length", "640"),
        ("Connection", "keep-alive"),
        (
            "x-amzn-RequestId",
            "GJ7A3KQ8M1NQ5U2B4V6C8D0E2F4G6H8I9J0K1L2M3N4O5P6Q7R8",
        ),
        ("x-amz-crc32", "3245321145"),
    ]);
    let resp = Response {
        status: 200,
        headers: &h,
        body: &get_item,
    };
    let v = parse_response(&ddb, get_op, &resp).expect("GetItem parses");
    assert_eq!(v.pointer("Item.address.M.city.S").as_str(), Some("London"));
    measure("dynamodb GetItem parse (10 attributes)", 9, 2000, |_| {
        black_box(parse_response(&ddb, get_op, black_box(&resp)).expect("parse"));
    });

    // (c) S3 ListObjectsV2, 1,000 keys.
    let s3 = loader.service_model("s3").expect("s3 model");
    let list_op = s3.operation("ListObjectsV2").expect("ListObjectsV2");
    let h = headers(&[
        ("x-amz-id-2", "ef8yU9AS1ed4OpIszj7UDNEHGran"),
        ("x-amz-request-id", "318BC8BC143432E5"),
        ("Date", "Wed, 01 May 2024 12:00:00 GMT"),
        ("x-amz-bucket-region", "us-east-1"),
        ("Content-Type", "application/xml"),
        ("Transfer-Encoding", "chunked"),
        ("Server", "AmazonS3"),
    ]);
    let resp = Response {
        status: 200,
        headers: &h,
        body: &list_xml,
    };
    let v = parse_response(&s3, list_op, &resp).expect("ListObjectsV2 parses");
    assert_eq!(v.get("Contents").as_list().map(<[_]>::len), Some(1000));
    assert!(v
        .pointer("Contents[999].LastModified")
        .as_timestamp()
        .is_some());
    measure(
        &format!(
            "s3 ListObjectsV2 parse (1000 keys, {} KB)",
            list_xml.len() / 1024
        ),
        9,
        5,
        |_| {
            black_box(parse_response(&s3, list_op, black_box(&resp)).expect("parse"));
        },
    );

    // (d) presigned S3 GetObject URLs, per URL.
    let s3c = client("s3");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let keys: Vec<String> = (0..1000)
        .map(|i| format!("photos/2024/img-{i:04}.jpg"))
        .collect();
    let ttl = Duration::from_secs(3600);
    let url = rt
        .block_on(s3c.presign_url(
            "GetObject",
            params! {"Bucket": "examplebucket", "Key": "a.jpg"},
            ttl,
        ))
        .expect("presign");
    assert!(url.starts_with("https://examplebucket.s3.amazonaws.com/a.jpg?"));
    let mut samples = Vec::new();
    for round in 0..6 {
        let start = Instant::now();
        rt.block_on(async {
            for key in &keys {
                let key = key.as_str();
                let p = params! {"Bucket": "examplebucket", "Key": key};
                black_box(s3c.presign_url("GetObject", p, ttl).await.expect("presign"));
            }
        });
        if round > 0 {
            samples.push(start.elapsed().as_secs_f64() * 1e6 / keys.len() as f64);
        }
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "s3 presign GetObject (per URL, 1000 URLs)\t{:.3}",
        samples[samples.len() / 2]
    );

    // (e) endpoint resolution.
    let buckets: Vec<String> = (0..50_000).map(|i| format!("bucket-{i}")).collect();
    let parts = partitions().expect("partitions");

    let s3_rules = rule_set(loader, "s3").expect("s3 rules");
    let get_object = s3.operation("GetObject").expect("GetObject");
    let input = params! {"Bucket": "examplebucket", "Key": "photos/a.jpg"};
    let base = bind_params(&s3_rules, &s3, get_object, s3c.config(), &input);
    let ep = s3_rules.resolve(&base, &parts).expect("s3 resolves");
    assert_eq!(ep.url, "https://examplebucket.s3.amazonaws.com");
    measure("endpoint rules s3 GetObject virtual-hosted", 9, 2000, |i| {
        let mut p = base.clone();
        p.set("Bucket", buckets[i % buckets.len()].as_str());
        black_box(s3_rules.resolve(&p, &parts).expect("resolve"));
    });

    let ddbc = client("dynamodb");
    let ddb_rules = rule_set(loader, "dynamodb").expect("dynamodb rules");
    let key_input = params! {"TableName": "users", "Key": {"pk": {"S": "user#1"}}};
    let ddb_params = bind_params(&ddb_rules, &ddb, get_op, ddbc.config(), &key_input);
    let ep = ddb_rules
        .resolve(&ddb_params, &parts)
        .expect("ddb resolves");
    assert_eq!(ep.url, "https://dynamodb.us-east-1.amazonaws.com");
    measure("endpoint rules dynamodb regional", 9, 2000, |_| {
        black_box(
            ddb_rules
                .resolve(black_box(&ddb_params), &parts)
                .expect("resolve"),
        );
    });

    let ep = s3c
        .resolve_endpoint(
            "GetObject",
            params! {"Bucket": "examplebucket", "Key": "photos/a.jpg"},
        )
        .expect("client resolves");
    assert_eq!(ep.url, "https://examplebucket.s3.amazonaws.com");
    measure(
        "endpoint client s3 GetObject virtual-hosted",
        9,
        2000,
        |i| {
            let bucket = buckets[i % buckets.len()].as_str();
            let p = params! {"Bucket": bucket, "Key": "photos/a.jpg"};
            black_box(s3c.resolve_endpoint("GetObject", p).expect("resolve"));
        },
    );
    measure("endpoint client dynamodb regional", 9, 2000, |_| {
        black_box(
            ddbc.resolve_endpoint("GetItem", key_input.clone())
                .expect("resolve"),
        );
    });
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["gen-xml", dir] => gen_files(Path::new(dir)).expect("write bodies"),
        ["first-client", service] => {
            black_box(client(service));
        }
        ["micro"] => micro(None),
        ["micro", dir] => micro(Some(Path::new(dir))),
        _ => {
            eprintln!("usage: bench_core gen-xml DIR | first-client SERVICE | micro [DIR]");
            std::process::exit(2);
        }
    }
}
