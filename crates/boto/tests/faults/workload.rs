//! The mixed workload the suite runs through the fault proxy, and its tally.
//!
//! Every operation goes through [`Tally::call`], which counts it, adds the
//! retries the client reports (`ResponseMetadata.RetryAttempts`) and keeps
//! every failure with its error. Data is checked end to end: each S3 object
//! (single-part and multipart, random content) is read back and compared
//! byte for byte, every DynamoDB item is read back (GetItem and Query) and
//! compared, and every SQS message sent is received. Calls run concurrently
//! (a semaphore of [`CONCURRENCY`]) so backoff sleeps overlap.

use crate::inject::Rng;
use boto::{params, Client, Error, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

pub const CONCURRENCY: usize = 12;
const MIB: usize = 1024 * 1024;

#[derive(Default)]
pub struct Tally {
    pub ops: AtomicU64,
    pub retries: AtomicU64,
    pub bytes_compared: AtomicU64,
    pub by_op: Mutex<BTreeMap<String, u64>>,
    pub failed_calls: AtomicU64,
    pub failures: Mutex<Vec<String>>,
    /// Non-idempotent calls that failed only because an earlier attempt had
    /// already done the work (checked at the proxy, and by reading back).
    pub completed_earlier: Mutex<Vec<String>>,
}

impl Tally {
    /// One logical call: counted, its retries added, a failure recorded (then `None`).
    pub async fn call(&self, client: &Client, op: &str, params: Value) -> Option<Value> {
        match self.call_raw(client, op, params).await {
            Ok(out) => Some(out),
            Err(e) => {
                self.failed_calls.fetch_add(1, Ordering::Relaxed);
                self.fail(format!(
                    "{op}: {e} (kind {:?}, after {} retries)",
                    e.kind(),
                    e.retry_attempts()
                ));
                None
            }
        }
    }
    /// Counts the call and its retries (failed or not) and returns its result.
    pub async fn call_raw(&self, client: &Client, op: &str, params: Value) -> Result<Value, Error> {
        self.ops.fetch_add(1, Ordering::Relaxed);
        *self
            .by_op
            .lock()
            .unwrap()
            .entry(op.to_string())
            .or_default() += 1;
        let out = client.call(op, params).await;
        let retries = match &out {
            Ok(v) => v.pointer("ResponseMetadata.RetryAttempts").as_i64(),
            Err(e) => Some(i64::from(e.retry_attempts())),
        };
        self.retries
            .fetch_add(retries.unwrap_or(0) as u64, Ordering::Relaxed);
        if retries.is_none() {
            self.fail(format!("{op}: no ResponseMetadata.RetryAttempts"));
        }
        out
    }
    pub fn fail(&self, what: String) {
        self.failures.lock().unwrap().push(what);
    }
    /// Compares data read back with what was written.
    pub fn compare(&self, what: &str, got: Option<&[u8]>, want: &[u8]) {
        match got {
            Some(g) if g == want => {
                self.bytes_compared
                    .fetch_add(want.len() as u64, Ordering::Relaxed);
            }
            Some(g) => self.fail(format!(
                "{what}: read back {} bytes that differ from the {} written",
                g.len(),
                want.len()
            )),
            None => self.fail(format!("{what}: nothing read back")),
        }
    }
}

/// What the workload runs against (through the proxies).
#[derive(Clone)]
pub struct Targets {
    pub s3: Client,
    pub bucket: String,
    pub ddb: Client,
    pub table: String,
    pub sqs: Client,
    pub queue_url: String,
}

/// Sizes of the single-part objects (cycled), from empty to a few hundred KiB.
const SIZES: [usize; 8] = [0, 1, 777, 4096, 65_536, 100_003, 262_144, 300_001];

pub struct Plan {
    pub objects: usize,
    /// Part sizes of each multipart upload (all but the last at least 5 MiB).
    pub multipart: Vec<Vec<usize>>,
    pub partitions: usize,
    pub items_per_partition: usize,
    pub transactions: usize,
    pub messages: usize,
}

impl Plan {
    pub fn standard() -> Plan {
        Plan {
            objects: 48,
            multipart: vec![vec![5 * MIB, 5 * MIB, MIB + 17], vec![5 * MIB, 1234]],
            partitions: 6,
            items_per_partition: 9,
            transactions: 40,
            messages: 48,
        }
    }
}

/// Runs the whole workload; every failure lands in `tally`.
pub async fn run(t: &Targets, plan: &Plan, seed: u64, tally: &Arc<Tally>) {
    let sem = Arc::new(Semaphore::new(CONCURRENCY));
    let mut rng = Rng::new(seed ^ 0x5EED);
    let mut tasks = JoinSet::new();
    // Independent chains run side by side: each object is put then read
    // back, each item put then read back, each message sent.
    for i in 0..plan.objects {
        let data = rng.bytes(SIZES[i % SIZES.len()]);
        let (t, tally, sem) = (t.clone(), tally.clone(), sem.clone());
        tasks.spawn(async move {
            let _p = sem.acquire().await;
            put_and_check(&t, &tally, &format!("obj/{i:03}"), &data).await;
        });
    }
    for (m, parts) in plan.multipart.iter().enumerate() {
        let parts: Vec<Vec<u8>> = parts.iter().map(|n| rng.bytes(*n)).collect();
        let (t, tally, sem) = (t.clone(), tally.clone(), sem.clone());
        tasks.spawn(async move {
            let _p = sem.acquire().await;
            multipart(&t, &tally, &format!("obj/multi-{m}"), &parts).await;
        });
    }
    let mut items = BTreeMap::new();
    for p in 0..plan.partitions {
        for s in 0..plan.items_per_partition {
            let n = 1 + rng.below(2000) as usize;
            let data = rng.bytes(n);
            items.insert((format!("p{p}"), s as i64), data.clone());
            let (t, tally, sem) = (t.clone(), tally.clone(), sem.clone());
            tasks.spawn(async move {
                let _p = sem.acquire().await;
                item_put_get(&t, &tally, &format!("p{p}"), s as i64, &data, false).await;
            });
        }
    }
    for s in 0..plan.transactions {
        let n = 1 + rng.below(500) as usize;
        let data = rng.bytes(n);
        let (t, tally, sem) = (t.clone(), tally.clone(), sem.clone());
        tasks.spawn(async move {
            let _p = sem.acquire().await;
            item_put_get(&t, &tally, "tx", s as i64, &data, true).await;
        });
    }
    let mut bodies = BTreeSet::new();
    for i in 0..plan.messages {
        let body = format!("message {i} {:016x}", rng.next_u64());
        bodies.insert(body.clone());
        let (t, tally, sem) = (t.clone(), tally.clone(), sem.clone());
        tasks.spawn(async move {
            let _p = sem.acquire().await;
            let p = params! {"QueueUrl": (&t.queue_url), "MessageBody": (&body)};
            tally.call(&t.sqs, "SendMessage", p).await;
        });
    }
    while tasks.join_next().await.is_some() {}

    // Then the reads that need everything written: listing, queries, receiving.
    let mut expected: BTreeMap<String, usize> = (0..plan.objects)
        .map(|i| (format!("obj/{i:03}"), SIZES[i % SIZES.len()]))
        .collect();
    for (m, parts) in plan.multipart.iter().enumerate() {
        expected.insert(format!("obj/multi-{m}"), parts.iter().sum());
    }
    let mut tasks = JoinSet::new();
    {
        let (t, tally) = (t.clone(), tally.clone());
        tasks.spawn(async move { list_and_check(&t, &tally, &expected).await });
    }
    for p in 0..plan.partitions {
        let want: Vec<(i64, Vec<u8>)> = items
            .range((format!("p{p}"), i64::MIN)..=(format!("p{p}"), i64::MAX))
            .map(|((_, s), d)| (*s, d.clone()))
            .collect();
        let (t, tally) = (t.clone(), tally.clone());
        tasks.spawn(async move { query_and_check(&t, &tally, &format!("p{p}"), &want).await });
    }
    {
        let (t, tally) = (t.clone(), tally.clone());
        tasks.spawn(async move { receive_all(&t, &tally, bodies).await });
    }
    while tasks.join_next().await.is_some() {}
}

async fn put_and_check(t: &Targets, tally: &Tally, key: &str, data: &[u8]) {
    let put = params! {"Bucket": (&t.bucket), "Key": key, "Body": (Value::blob(data.to_vec()))};
    if tally.call(&t.s3, "PutObject", put).await.is_none() {
        return;
    }
    get_and_check(t, tally, key, data).await;
}

async fn get_and_check(t: &Targets, tally: &Tally, key: &str, data: &[u8]) {
    let get = params! {"Bucket": (&t.bucket), "Key": key, "ChecksumMode": "ENABLED"};
    if let Some(out) = tally.call(&t.s3, "GetObject", get).await {
        tally.compare(
            &format!("s3://{}/{key}", t.bucket),
            out.get("Body").as_blob(),
            data,
        );
    }
}

/// CreateMultipartUpload (CRC32), UploadPart each part, CompleteMultipartUpload, read back.
async fn multipart(t: &Targets, tally: &Tally, key: &str, parts: &[Vec<u8>]) {
    let create = params! {"Bucket": (&t.bucket), "Key": key, "ChecksumAlgorithm": "CRC32"};
    let Some(created) = tally.call(&t.s3, "CreateMultipartUpload", create).await else {
        return;
    };
    let upload_id = created
        .get("UploadId")
        .as_str()
        .unwrap_or_default()
        .to_string();
    let mut done = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let n = i as i64 + 1;
        let p = params! {"Bucket": (&t.bucket), "Key": key, "UploadId": (&upload_id),
        "PartNumber": n, "ChecksumAlgorithm": "CRC32", "Body": (Value::blob(part.clone()))};
        let Some(out) = tally.call(&t.s3, "UploadPart", p).await else {
            return;
        };
        done.push(params! {"PartNumber": n, "ETag": (out.get("ETag").clone()),
        "ChecksumCRC32": (out.get("ChecksumCRC32").clone())});
    }
    let complete = params! {"Bucket": (&t.bucket), "Key": key, "UploadId": (&upload_id),
    "MultipartUpload": {"Parts": (Value::List(done))}};
    // CompleteMultipartUpload has no idempotency token: when an attempt
    // completes the upload but its answer is lost, the retry finds no such
    // upload (real S3: NoSuchUpload; s3s-fs: AccessDenied). That is accepted
    // only after a retry, and only if the object then reads back whole (the
    // test also checks at the proxy that an earlier attempt got a 200).
    match tally
        .call_raw(&t.s3, "CompleteMultipartUpload", complete)
        .await
    {
        Ok(_) => {}
        Err(e)
            if e.retry_attempts() > 0
                && (e.is_code("NoSuchUpload") || e.is_code("AccessDenied")) =>
        {
            let code = e.code().unwrap_or_default().to_string();
            let mut done = tally.completed_earlier.lock().unwrap();
            done.push(format!("CompleteMultipartUpload {key}: {code} on retry"));
        }
        Err(e) => {
            tally.failed_calls.fetch_add(1, Ordering::Relaxed);
            tally.fail(format!("CompleteMultipartUpload {key}: {e}"));
            return;
        }
    }
    get_and_check(t, tally, key, &parts.concat()).await;
}

/// ListObjectsV2 page by page (MaxKeys 9): every key, with its size, exactly once.
async fn list_and_check(t: &Targets, tally: &Tally, expected: &BTreeMap<String, usize>) {
    let mut seen = BTreeMap::new();
    let mut token: Option<String> = None;
    loop {
        let mut p = params! {"Bucket": (&t.bucket), "Prefix": "obj/", "MaxKeys": 9};
        if let (Some(tok), Some(m)) = (&token, p.as_map_mut()) {
            m.insert("ContinuationToken", Value::from(tok.as_str()));
        }
        let Some(page) = tally.call(&t.s3, "ListObjectsV2", p).await else {
            return;
        };
        for o in page.get("Contents").as_list().unwrap_or_default() {
            let key = o.get("Key").as_str().unwrap_or_default().to_string();
            let size = o.get("Size").as_i64().unwrap_or(-1) as usize;
            if seen.insert(key.clone(), size).is_some() {
                tally.fail(format!("ListObjectsV2 listed {key} twice"));
            }
        }
        token = page
            .get("NextContinuationToken")
            .as_str()
            .map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    if &seen != expected {
        tally.fail(format!(
            "ListObjectsV2: {} keys listed, {} expected (or sizes differ)",
            seen.len(),
            expected.len()
        ));
    }
}

/// PutItem (or a one-item TransactWriteItems, whose `ClientRequestToken` the
/// client fills in), then a consistent GetItem compared with what was written.
async fn item_put_get(t: &Targets, tally: &Tally, pk: &str, sk: i64, data: &[u8], txn: bool) {
    let item = params! {"pk": {"S": pk}, "sk": {"N": (sk.to_string())},
    "data": {"B": (Value::blob(data.to_vec()))}, "len": {"N": (data.len().to_string())}};
    let written = if txn {
        let p = params! {"TransactItems": [{"Put": {"TableName": (&t.table), "Item": item}}]};
        tally.call(&t.ddb, "TransactWriteItems", p).await
    } else {
        let p = params! {"TableName": (&t.table), "Item": item};
        tally.call(&t.ddb, "PutItem", p).await
    };
    if written.is_none() {
        return;
    }
    let key = params! {"pk": {"S": pk}, "sk": {"N": (sk.to_string())}};
    let p = params! {"TableName": (&t.table), "Key": key, "ConsistentRead": true};
    if let Some(out) = tally.call(&t.ddb, "GetItem", p).await {
        tally.compare(
            &format!("item {pk}/{sk}"),
            out.pointer("Item.data.B").as_blob(),
            data,
        );
    }
}

/// Query one partition: every item, in sort-key order, with its data.
async fn query_and_check(t: &Targets, tally: &Tally, pk: &str, want: &[(i64, Vec<u8>)]) {
    let p = params! {"TableName": (&t.table), "KeyConditionExpression": "pk = :p",
    "ExpressionAttributeValues": {":p": {"S": pk}}, "ConsistentRead": true};
    let Some(out) = tally.call(&t.ddb, "Query", p).await else {
        return;
    };
    let got = out.get("Items").as_list().unwrap_or_default();
    if got.len() != want.len() {
        tally.fail(format!(
            "Query {pk}: {} items, {} expected",
            got.len(),
            want.len()
        ));
        return;
    }
    for (item, (sk, data)) in got.iter().zip(want) {
        if item.pointer("sk.N").as_str() != Some(sk.to_string().as_str()) {
            tally.fail(format!("Query {pk}: sort key order differs at {sk}"));
        }
        tally.compare(
            &format!("query {pk}/{sk}"),
            item.pointer("data.B").as_blob(),
            data,
        );
    }
}

/// Receives until every sent body has been seen (SQS is at-least-once: a
/// SendMessage retried after the server stored it, or a receive whose answer
/// was lost, means duplicates or a short wait for the visibility timeout),
/// deleting what arrives.
async fn receive_all(t: &Targets, tally: &Tally, mut pending: BTreeSet<String>) {
    let deadline = Instant::now() + Duration::from_secs(30);
    let total = pending.len();
    while !pending.is_empty() && Instant::now() < deadline {
        let p = params! {"QueueUrl": (&t.queue_url), "MaxNumberOfMessages": 10,
        "VisibilityTimeout": 2, "WaitTimeSeconds": 0};
        let Some(out) = tally.call(&t.sqs, "ReceiveMessage", p).await else {
            continue;
        };
        let msgs = out.get("Messages").as_list().unwrap_or_default();
        if msgs.is_empty() {
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        }
        let mut entries = Vec::new();
        for (i, m) in msgs.iter().enumerate() {
            let body = m.get("Body").as_str().unwrap_or_default();
            if pending.remove(body) {
                tally
                    .bytes_compared
                    .fetch_add(body.len() as u64, Ordering::Relaxed);
            }
            entries.push(params! {"Id": (format!("m{i}")),
            "ReceiptHandle": (m.get("ReceiptHandle").clone())});
        }
        let p = params! {"QueueUrl": (&t.queue_url), "Entries": (Value::List(entries))};
        tally.call(&t.sqs, "DeleteMessageBatch", p).await;
    }
    if !pending.is_empty() {
        tally.fail(format!(
            "SQS: {} of {total} messages never received",
            pending.len()
        ));
    }
}
