//! Fault injection: the SDK's retries against real servers behind a proxy
//! that breaks things on purpose (issue 13).
//!
//! Unit tests (`boto-runtime/src/retry.rs`) and the scripted-server tests
//! (`boto-runtime/tests/retries.rs`) check the retry rules one case at a
//! time. This suite checks the promise users rely on, end to end: under a
//! steady rate of transient faults, of every kind a network and a service
//! can produce, in each protocol's own error format, a standard-mode client
//! with `max_attempts = 10` completes every call, resends non-idempotent
//! calls with the same idempotency token, and never hands back wrong data.
//!
//! `proxy.rs` sits in front of moto (DynamoDB, SQS) and s3s-fs (S3, which
//! verifies signatures and checksums, so a resent request must still be
//! signed right); `inject.rs` has the faults; `workload.rs` the mixed
//! workload. Two tests:
//! - `every_fault_kind_is_retried`: each kind forced on the first attempt of
//!   calls of every service, so each kind is seen to be retried exactly once;
//! - `mixed_workload_under_20_percent_faults`: a few hundred calls at a 20%
//!   random fault rate (seed `BOTO_FAULT_SEED`, default fixed), with the
//!   figures printed: `faults: N operations, F faults injected (...), R retries,
//!   B bytes compared` and `fault-injection: N passed, M failed`.
//!
//! Per call, the proxies' records must show attempts 1..=n (n <= 10), each
//! but the last failed (an injected fault, or a real 5xx or timeout from a
//! loaded moto), the last clean and answered 2xx, and one token on all of
//! them; the client's reported retries must equal the proxies' count. The one
//! accepted non-2xx end is a CompleteMultipartUpload (no idempotency token)
//! whose earlier attempt the server answered 200: the retry cannot find the
//! finished upload; it is listed, and the object must still read back whole.
//! Backoff is botocore's standard one on a 100 ms base instead of 1 s (see
//! [`BASE_DELAY`]), so the run stays well under a minute.
//!
//! Both skip, saying why, when `BOTO_TEST_ENDPOINT` / `BOTO_TEST_S3S_*` are
//! unset (`scripts/test.sh` and `scripts/with_servers.sh` start the servers).

mod inject;
mod proxy;
mod workload;

use boto::core::auth::config::{AddressingStyle, Env, RetryMode};
use boto::{params, Client, ClientOptions, Session, Value};
use inject::Fault;
use proxy::{Attempt, Mode, Proxy};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use workload::{Plan, Tally, Targets};

const MAX_ATTEMPTS: u32 = 10;
const RATE: f64 = 0.20;
/// Short, so a stalled body costs two seconds, not the default sixty.
const READ_TIMEOUT: Duration = Duration::from_secs(2);
/// botocore's backoff base is 1 s; a tenth keeps the run well under a
/// minute (one unlucky call with 5 retries would otherwise sleep ~15 s).
/// Retry decisions, the retry quota and `max_attempts` are unchanged.
const BASE_DELAY: Duration = Duration::from_millis(100);

struct Servers {
    moto: String,
    s3s: String,
    s3s_key: String,
    s3s_secret: String,
}

fn servers(test: &str) -> Option<Servers> {
    let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    match (
        var("BOTO_TEST_ENDPOINT"),
        var("BOTO_TEST_S3S_ENDPOINT"),
        var("BOTO_TEST_S3S_ACCESS_KEY"),
        var("BOTO_TEST_S3S_SECRET_KEY"),
    ) {
        (Some(moto), Some(s3s), Some(s3s_key), Some(s3s_secret)) => Some(Servers {
            moto,
            s3s,
            s3s_key,
            s3s_secret,
        }),
        _ => {
            eprintln!(
                "skipping {test}: BOTO_TEST_ENDPOINT and BOTO_TEST_S3S_ENDPOINT/_ACCESS_KEY/_SECRET_KEY \
                 are not set (scripts/test.sh or scripts/with_servers.sh start moto and s3s-fs)"
            );
            None
        }
    }
}

/// A standard-mode client with 10 attempts and a short read timeout, from a
/// hermetic session (no environment, no config files). The backoff is
/// botocore's (full jitter, doubling, 20 s cap) on a [`BASE_DELAY`] base.
fn client(service: &str, endpoint: &str, key: &str, secret: &str) -> Client {
    let home = std::env::temp_dir().join("boto-faults-test-no-home");
    let session = Session::builder()
        .env(Env::from_vars(Vec::<(String, String)>::new()).with_home(home))
        .credentials(key, secret, None)
        .region("us-east-1")
        .build()
        .expect("session");
    let options = ClientOptions {
        endpoint_url: Some(endpoint.to_string()),
        retry_mode: Some(RetryMode::Standard),
        max_attempts: Some(MAX_ATTEMPTS),
        read_timeout: Some(READ_TIMEOUT),
        connect_timeout: Some(Duration::from_secs(2)),
        addressing_style: Some(AddressingStyle::Path),
        max_pool_connections: Some(32),
        ..ClientOptions::default()
    };
    let mut config = session.client_config(service, &options).expect("config");
    config.retry_base_delay = BASE_DELAY;
    Client::builder(service)
        .config(config)
        .credentials(session.credentials_provider().expect("credentials"))
        .build()
        .expect("client")
}

fn unique(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
        % 1_000_000_000_000;
    format!("{prefix}-{}-{nanos:x}", std::process::id())
}

/// Creates a bucket, a table and a queue straight on the servers (no faults),
/// and returns clients for them that go through the two proxies.
async fn targets(sv: &Servers, s3_proxy: &str, moto_proxy: &str) -> Targets {
    let (bucket, table, queue) = (unique("faults"), unique("faults"), unique("faults"));
    let s3 = client("s3", &sv.s3s, &sv.s3s_key, &sv.s3s_secret);
    s3.call("CreateBucket", params! {"Bucket": (&bucket)})
        .await
        .expect("CreateBucket");
    let ddb = client("dynamodb", &sv.moto, "testing", "testing");
    ddb.call(
        "CreateTable",
        params! {"TableName": (&table), "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                 {"AttributeName": "sk", "AttributeType": "N"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                      {"AttributeName": "sk", "KeyType": "RANGE"}]},
    )
    .await
    .expect("CreateTable");
    let sqs = client("sqs", &sv.moto, "testing", "testing");
    let created = sqs
        .call("CreateQueue", params! {"QueueName": (&queue)})
        .await
        .expect("CreateQueue");
    Targets {
        s3: client("s3", s3_proxy, &sv.s3s_key, &sv.s3s_secret),
        bucket,
        ddb: client("dynamodb", moto_proxy, "testing", "testing"),
        table,
        sqs: client("sqs", moto_proxy, "testing", "testing"),
        queue_url: created.get("QueueUrl").as_str().expect("QueueUrl").into(),
    }
}

/// Whether an attempt failed: a fault was injected, the server answered 5xx,
/// or the server took longer than the client's read timeout (a loaded moto).
fn failed(a: &Attempt) -> bool {
    a.fault.is_some()
        || a.upstream_status.is_some_and(|s| s >= 500)
        || a.elapsed >= READ_TIMEOUT - Duration::from_millis(100)
}

/// Retries caused by real server errors or slowness, not injected faults.
fn server_error_retries(calls: &BTreeMap<String, Vec<Attempt>>) -> usize {
    calls
        .values()
        .flat_map(|v| &v[..v.len() - 1])
        .filter(|a| a.fault.is_none())
        .count()
}

/// Writes a report to the stdout handle, not with `println!`, so the figures
/// show in `cargo test` output (and scripts/test.sh's summary) without
/// `--nocapture`.
fn show(report: &str) {
    let _ = std::io::Write::write_all(&mut std::io::stdout(), format!("\n{report}").as_bytes());
}

/// The proxies' records grouped by call (`amz-sdk-invocation-id`), attempts in order.
fn by_call(attempts: Vec<Attempt>) -> BTreeMap<String, Vec<Attempt>> {
    let mut calls: BTreeMap<String, Vec<Attempt>> = BTreeMap::new();
    for a in attempts {
        calls.entry(a.invocation.clone()).or_default().push(a);
    }
    for v in calls.values_mut() {
        v.sort_by_key(|a| a.attempt);
    }
    calls
}

/// What every call must look like at the proxy: attempts numbered 1..=n with
/// n <= 10, every attempt but the last faulted, the last clean and answered
/// 2xx by the server, and one idempotency token (if any) on all of them,
/// never reused. The one exception to "answered 2xx": a
/// CompleteMultipartUpload whose earlier attempt was forwarded and answered
/// 2xx (the upload is complete; the retry cannot find it). Returns the
/// problems and how many such calls there were.
fn check_calls(calls: &BTreeMap<String, Vec<Attempt>>) -> (Vec<String>, usize) {
    let mut bad = Vec::new();
    let mut completed_earlier = 0;
    let mut tokens = BTreeSet::new();
    for (id, atts) in calls {
        let op = format!("{} {}", atts[0].service.name(), atts[0].operation);
        let numbers: Vec<u32> = atts.iter().map(|a| a.attempt).collect();
        let want: Vec<u32> = (1..=atts.len() as u32).collect();
        if id.is_empty() || numbers != want || atts.iter().any(|a| a.max_attempts != MAX_ATTEMPTS) {
            bad.push(format!("{op} {id}: attempts {numbers:?}"));
        }
        let (last, earlier) = atts.split_last().expect("at least one attempt");
        // Every attempt before the last failed: by an injected fault, or by a
        // real 5xx from the server (moto answers 500 now and then under
        // concurrent load). The last attempt has no fault.
        if last.fault.is_some() || !earlier.iter().all(failed) {
            let seen: Vec<String> = atts
                .iter()
                .map(|a| format!("{:?}/{:?}", a.fault.map(Fault::name), a.upstream_status))
                .collect();
            bad.push(format!(
                "{op} {id}: a retry without a failure, or a fault not retried (fault/status: {seen:?})"
            ));
        }
        let ok = |a: &Attempt| a.upstream_status.is_some_and(|s| (200..300).contains(&s));
        if !ok(last) {
            if atts[0].operation == "CompleteMultipartUpload" && earlier.iter().any(ok) {
                completed_earlier += 1;
            } else {
                bad.push(format!(
                    "{op} {id}: the server answered {:?}",
                    last.upstream_status
                ));
            }
        }
        let toks: BTreeSet<_> = atts.iter().map(|a| a.token.clone()).collect();
        if toks.len() != 1 {
            bad.push(format!(
                "{op} {id}: idempotency tokens differ across attempts: {toks:?}"
            ));
        }
        if let Some(Some(t)) = toks.into_iter().next() {
            if !tokens.insert(t.clone()) {
                bad.push(format!("{op} {id}: token {t} reused by another call"));
            }
        }
    }
    (bad, completed_earlier)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn mixed_workload_under_20_percent_faults() {
    let Some(sv) = servers("mixed_workload_under_20_percent_faults") else {
        return;
    };
    let seed: u64 = std::env::var("BOTO_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_240_613);
    let started = Instant::now();
    let s3_proxy = Proxy::start(&sv.s3s, Mode::Off, seed).await;
    let moto_proxy = Proxy::start(&sv.moto, Mode::Off, seed.rotate_left(17)).await;
    let t = targets(&sv, &s3_proxy.url(), &moto_proxy.url()).await;
    s3_proxy.set_mode(Mode::Random { rate: RATE });
    moto_proxy.set_mode(Mode::Random { rate: RATE });

    let tally = Arc::new(Tally::default());
    workload::run(&t, &Plan::standard(), seed, &tally).await;
    let mut attempts = s3_proxy.attempts();
    attempts.extend(moto_proxy.attempts());
    let elapsed = started.elapsed();

    let requests = attempts.len();
    let mut faults: BTreeMap<Fault, usize> = BTreeMap::new();
    let mut short_lengths = 0;
    for a in &attempts {
        if let Some(f) = a.fault {
            *faults.entry(f).or_default() += 1;
            short_lengths += usize::from(a.short_length);
        }
    }
    let calls = by_call(attempts);
    let proxy_retries: usize = calls.values().map(|v| v.len() - 1).sum();
    let token_calls: Vec<&Vec<Attempt>> = calls.values().filter(|v| v[0].token.is_some()).collect();
    let token_retried = token_calls.iter().filter(|v| v.len() > 1).count();
    let token_replayed = token_calls
        .iter()
        .filter(|v| v.iter().any(|a| a.fault.is_some_and(Fault::forwards)))
        .count();
    let most = calls.values().map(Vec::len).max().unwrap_or(0);
    let ops = tally.ops.load(Ordering::Relaxed);
    let retries = tally.retries.load(Ordering::Relaxed);
    let bytes = tally.bytes_compared.load(Ordering::Relaxed);
    let failures = tally.failures.lock().unwrap().clone();
    let injected: usize = faults.values().sum();
    let kinds: Vec<String> = faults
        .iter()
        .map(|(k, n)| format!("{} {n}", k.name()))
        .collect();

    let mut report = String::new();
    writeln!(
        report,
        "faults: {ops} operations, {injected} faults injected ({}), {retries} retries, {bytes} bytes compared",
        kinds.join(", ")
    )
    .unwrap();
    writeln!(
        report,
        "faults: seed {seed}, rate {:.0}%, {requests} requests, at most {most} attempts for one call, \
         {} retries after a real server 5xx or timeout, \
         {} of {} token-carrying calls retried ({} after the server had done the work), \
         {short_lengths} short Content-Lengths on checksummed bodies, {:.1} s",
        RATE * 100.0,
        server_error_retries(&calls),
        token_retried,
        token_calls.len(),
        token_replayed,
        elapsed.as_secs_f64()
    )
    .unwrap();
    let by_op: Vec<String> = tally
        .by_op
        .lock()
        .unwrap()
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    writeln!(report, "faults: operations by kind: {}", by_op.join(", ")).unwrap();
    let (call_problems, completed_earlier) = check_calls(&calls);
    let mut problems = failures.clone();
    problems.extend(call_problems);
    if calls.len() as u64 != ops {
        problems.push(format!(
            "{} calls reached the proxies, {ops} were made",
            calls.len()
        ));
    }
    if proxy_retries as u64 != retries {
        problems.push(format!(
            "the client reported {retries} retries, the proxies saw {proxy_retries}"
        ));
    }
    let earlier = tally.completed_earlier.lock().unwrap().clone();
    if earlier.len() != completed_earlier {
        problems.push(format!(
            "{} calls accepted as completed by an earlier attempt, the proxies confirm {completed_earlier}",
            earlier.len()
        ));
    }
    for e in &earlier {
        writeln!(
            report,
            "faults: accepted: {e} (an earlier attempt completed it; the object read back whole)"
        )
        .unwrap();
    }
    let failed_calls = tally.failed_calls.load(Ordering::Relaxed);
    writeln!(
        report,
        "fault-injection: {} passed, {failed_calls} failed ({} other problems)",
        ops - failed_calls,
        problems.len() as u64 - failed_calls
    )
    .unwrap();
    for p in &problems {
        writeln!(report, "  {p}").unwrap();
    }
    show(&report);
    assert!(
        problems.is_empty(),
        "{} problems (listed above)",
        problems.len()
    );
    assert!(ops >= 300, "a few hundred operations ({ops})");
    assert!(
        (injected as f64) > 0.12 * requests as f64 && (injected as f64) < 0.28 * requests as f64,
        "about 20% of requests faulted ({injected} of {requests})"
    );
    assert_eq!(
        faults.len(),
        Fault::ALL.len(),
        "every kind injected: {kinds:?}"
    );
    assert!(token_retried > 0, "some token-carrying call was retried");
}

/// Each fault kind, forced on the first attempt of every call, costs exactly
/// one retry for each service's operations, and data still compares equal.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_fault_kind_is_retried() {
    let Some(sv) = servers("every_fault_kind_is_retried") else {
        return;
    };
    let started = Instant::now();
    let mut runs = tokio::task::JoinSet::new();
    for (k, fault) in Fault::ALL.into_iter().enumerate() {
        let s3p = Proxy::start(&sv.s3s, Mode::Off, k as u64).await;
        let motop = Proxy::start(&sv.moto, Mode::Off, k as u64).await;
        let t = targets(&sv, &s3p.url(), &motop.url()).await;
        s3p.set_mode(Mode::FirstAttempt(fault));
        motop.set_mode(Mode::FirstAttempt(fault));
        runs.spawn(async move {
            let tally = one_of_each(&t, k as u64).await;
            let mut attempts = s3p.attempts();
            attempts.extend(motop.attempts());
            (fault, tally, by_call(attempts))
        });
    }
    let (mut report, mut problems, mut passed) = (String::new(), Vec::new(), 0);
    while let Some(r) = runs.join_next().await {
        let (fault, tally, calls) = r.expect("task");
        let ops = tally.ops.load(Ordering::Relaxed);
        let retries = tally.retries.load(Ordering::Relaxed);
        let bytes = tally.bytes_compared.load(Ordering::Relaxed);
        let name = fault.name();
        writeln!(
            report,
            "fault {name:>12}: {ops} operations, {retries} retries, {bytes} bytes compared"
        )
        .unwrap();
        let before = problems.len();
        for f in tally.failures.lock().unwrap().iter() {
            problems.push(format!("{name}: {f}"));
        }
        for p in check_calls(&calls).0 {
            problems.push(format!("{name}: {p}"));
        }
        // One retry per call for the forced fault, plus any for real server errors.
        let expected = ops + server_error_retries(&calls) as u64;
        let first_faulted = calls.values().all(|v| v[0].fault == Some(fault));
        if retries != expected || calls.len() as u64 != ops || !first_faulted {
            problems.push(format!(
                "{name}: {ops} operations should cost {expected} retries, got {retries} ({} calls seen)",
                calls.len()
            ));
        }
        passed += usize::from(problems.len() == before);
    }
    writeln!(
        report,
        "fault-kinds: {passed} passed, {} failed (each kind forced on the first attempt of \
         S3, DynamoDB and SQS calls; {:.1} s)",
        Fault::ALL.len() - passed,
        started.elapsed().as_secs_f64()
    )
    .unwrap();
    for p in &problems {
        writeln!(report, "  {p}").unwrap();
    }
    show(&report);
    assert!(
        problems.is_empty(),
        "{} problems (listed above)",
        problems.len()
    );
}

/// One call of each kind the workload makes, data checked.
async fn one_of_each(t: &Targets, seed: u64) -> Arc<Tally> {
    let tally = Arc::new(Tally::default());
    let mut rng = inject::Rng::new(seed);
    let data = rng.bytes(70_000);
    let item =
        params! {"pk": {"S": "k"}, "sk": {"N": "1"}, "data": {"B": (Value::blob(data.clone()))}};
    let txn = params! {"TransactItems": [{"Put": {"TableName": (&t.table),
    "Item": {"pk": {"S": "k"}, "sk": {"N": "2"}}}}]};
    let put_obj = params! {"Bucket": (&t.bucket), "Key": "o", "Body": (Value::blob(data.clone()))};
    tokio::join!(
        tally.call(&t.s3, "PutObject", put_obj),
        tally.call(
            &t.ddb,
            "PutItem",
            params! {"TableName": (&t.table), "Item": item}
        ),
        tally.call(&t.ddb, "TransactWriteItems", txn),
        tally.call(
            &t.sqs,
            "SendMessage",
            params! {"QueueUrl": (&t.queue_url), "MessageBody": "m"}
        ),
    );
    let get_obj = params! {"Bucket": (&t.bucket), "Key": "o", "ChecksumMode": "ENABLED"};
    let get_item = params! {"TableName": (&t.table), "Key": {"pk": {"S": "k"}, "sk": {"N": "1"}},
    "ConsistentRead": true};
    let (obj, got, _) = tokio::join!(
        tally.call(&t.s3, "GetObject", get_obj),
        tally.call(&t.ddb, "GetItem", get_item),
        tally.call(
            &t.sqs,
            "ReceiveMessage",
            params! {"QueueUrl": (&t.queue_url)}
        ),
    );
    if let Some(o) = obj {
        tally.compare("object", o.get("Body").as_blob(), &data);
    }
    if let Some(g) = got {
        tally.compare("item", g.pointer("Item.data.B").as_blob(), &data);
    }
    tally
}

/// The per-call checks are not vacuous: each rule flags what it should.
#[test]
fn call_checks_flag_what_they_should() {
    let at = |op: &str, n: u32, fault: Option<Fault>, status: u16, token: &str| Attempt {
        service: inject::Service::DynamoDb,
        operation: op.to_string(),
        invocation: String::new(),
        attempt: n,
        max_attempts: MAX_ATTEMPTS,
        fault,
        token: (!token.is_empty()).then(|| token.to_string()),
        upstream_status: (status != 0).then_some(status),
        short_length: false,
        elapsed: Duration::ZERO,
    };
    let check = |calls: Vec<Vec<Attempt>>| {
        let map: BTreeMap<String, Vec<Attempt>> = calls
            .into_iter()
            .enumerate()
            .map(|(i, v)| (format!("call-{i}"), v))
            .collect();
        check_calls(&map)
    };
    let reset = Some(Fault::ResetAfterForward);
    let tw = "TransactWriteItems";
    let good = vec![at(tw, 1, reset, 200, "t"), at(tw, 2, None, 200, "t")];
    assert_eq!(check(vec![good.clone()]), (vec![], 0));
    let new_token = vec![at(tw, 1, reset, 200, "t"), at(tw, 2, None, 200, "u")];
    assert_eq!(
        check(vec![new_token]).0.len(),
        1,
        "token changed on a retry"
    );
    assert_eq!(check(vec![good.clone(), good]).0.len(), 1, "token reused");
    let needless = vec![at(tw, 1, None, 200, "t"), at(tw, 2, None, 200, "t")];
    assert_eq!(check(vec![needless]).0.len(), 1, "retry after a success");
    let server_500 = vec![at(tw, 1, None, 500, "t"), at(tw, 2, None, 200, "t")];
    assert!(
        check(vec![server_500]).0.is_empty(),
        "retry after a real 500"
    );
    let unretried = vec![at(tw, 1, Some(Fault::ResetBeforeForward), 0, "t")];
    assert_eq!(
        check(vec![unretried]).0.len(),
        2,
        "fault not retried, final not clean"
    );
    let gaps = vec![at(tw, 1, reset, 200, ""), at(tw, 3, None, 200, "")];
    assert_eq!(check(vec![gaps]).0.len(), 1, "attempt numbers 1, 3");
    let cmu = "CompleteMultipartUpload";
    let done = vec![at(cmu, 1, reset, 200, ""), at(cmu, 2, None, 403, "")];
    assert_eq!(
        check(vec![done]),
        (vec![], 1),
        "completed by an earlier attempt"
    );
    let not_done = vec![
        at(cmu, 1, Some(Fault::ResetBeforeForward), 0, ""),
        at(cmu, 2, None, 403, ""),
    ];
    assert_eq!(check(vec![not_done]).0.len(), 1, "never completed");
}
