//! Round-trip cost of a call through the whole client against an in-process server.
//!
//! `bench/compare_boto3.sh` and `bench/peers.sh` compare with boto3 and
//! aws-sdk-rust across processes; this is the in-repo regression guard for
//! issue 14's client figures (`bench/regress.sh` saves and checks them).
//! Client CPU per call, in the bench thread's CPU time (`bench/cpu_time.rs`;
//! the client runs on a current-thread runtime, so this is all of its work
//! and none of the server's):
//!
//! * `dynamodb_get_item_round_trip`, `s3_head_object_round_trip`: one call,
//!   json and rest-xml, over a real loopback socket with keep-alive, so it
//!   covers serialization, endpoint resolution, SigV4, hyper, parsing and the
//!   customizations, but not the network;
//! * `whole_client/s3_list_objects_v2_1000_keys`: one ListObjectsV2 call whose
//!   answer is a 1,000-key page (the same body as `bench/peers`);
//!
//! and in wall-clock time:
//!
//! * `whole_client_wall/dynamodb_get_item_1024_calls_64_tasks`: 1,024 GetItem
//!   calls spread over 64 tasks on one client (calls/s = 1,024 / time);
//! * `whole_client_wall/first_ec2_client_new_process`: this bench binary
//!   started again in a child mode that builds a `Session` and an ec2 client
//!   and exits, timed from spawn to exit (process start, model load,
//!   endpoint rules, client), as `bench/compare_core.sh` times `bench_core
//!   first-client ec2`.
//!
//! The server is the scripted test server from `boto-runtime/tests/support`
//! on its own thread.

mod common;
#[path = "../../../bench/cpu_time.rs"]
mod cpu_time;
#[path = "../../boto-runtime/tests/support/mod.rs"]
mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use boto::{params, Client};
use common::{clients, get_item_params, server, session};
use cpu_time::ThreadCpu;
use criterion::measurement::WallTime;
use criterion::{Criterion, SamplingMode, Throughput};
use support::TestServer;

/// Set in the environment of the child process that `first_ec2_client_new_process` times.
const CHILD_ENV: &str = "BOTO_BENCH_CHILD";
/// Calls and tasks of the concurrency bench (bench/peers.sh uses 64 tasks too).
const CALLS: usize = 1024;
const TASKS: usize = 64;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn round_trips(c: &mut Criterion<ThreadCpu>, server: &TestServer) {
    let (ddb, s3) = clients(&server.url());
    let rt = runtime();
    let key = get_item_params();
    c.bench_function("dynamodb_get_item_round_trip", |b| {
        b.iter(|| {
            let out = rt
                .block_on(ddb.call("GetItem", key.clone()))
                .expect("GetItem");
            assert!(out.pointer("Item.name.S").as_str().is_some());
        })
    });
    c.bench_function("s3_head_object_round_trip", |b| {
        b.iter(|| {
            let out = rt
                .block_on(s3.call(
                    "HeadObject",
                    params! {"Bucket": "bench-bucket", "Key": "data/object.txt"},
                ))
                .expect("HeadObject");
            assert!(out.get("ETag").as_str().is_some());
        })
    });
    c.bench_function("client_creation_dynamodb_and_s3", |b| {
        b.iter(|| clients(&server.url()))
    });

    // Iterations of milliseconds: flat sampling keeps these to a few seconds each.
    let mut g = c.benchmark_group("whole_client");
    g.sampling_mode(SamplingMode::Flat).sample_size(20);
    g.bench_function("s3_list_objects_v2_1000_keys", |b| {
        b.iter(|| {
            let out = rt
                .block_on(s3.call("ListObjectsV2", params! {"Bucket": "bench"}))
                .expect("ListObjectsV2");
            assert_eq!(out.get("Contents").as_list().map(<[_]>::len), Some(1000));
        })
    });
    g.finish();
}

fn wall_clock(c: &mut Criterion<WallTime>, server: &TestServer) {
    let (ddb, _) = clients(&server.url());
    let rt = runtime();
    // Iterations of milliseconds: flat sampling keeps these to a few seconds each.
    let mut g = c.benchmark_group("whole_client_wall");
    g.sampling_mode(SamplingMode::Flat).sample_size(20);
    let exe = std::env::current_exe().expect("current exe");
    g.bench_function("first_ec2_client_new_process", |b| {
        b.iter(|| {
            let status = Command::new(&exe)
                .env(CHILD_ENV, "first-client-ec2")
                .env("AWS_CONFIG_FILE", "/dev/null")
                .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
                .env("AWS_EC2_METADATA_DISABLED", "true")
                .stdin(Stdio::null())
                .status()
                .expect("spawn child");
            assert!(status.success(), "child failed: {status}");
        })
    });
    g.throughput(Throughput::Elements(CALLS as u64));
    g.bench_function("dynamodb_get_item_1024_calls_64_tasks", |b| {
        b.iter(|| rt.block_on(concurrent_calls(&ddb)))
    });
    g.finish();
}

/// `CALLS` GetItem calls from `TASKS` tasks sharing one client.
async fn concurrent_calls(ddb: &Client) {
    let tasks: Vec<_> = (0..TASKS)
        .map(|_| {
            let ddb = ddb.clone();
            tokio::spawn(async move {
                for _ in 0..CALLS / TASKS {
                    let out = ddb.call("GetItem", get_item_params()).await;
                    assert!(out
                        .expect("GetItem")
                        .pointer("Item.name.S")
                        .as_str()
                        .is_some());
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
}

/// The child process of `first_ec2_client_new_process`: one ec2 client, then exit.
fn child(mode: &str) {
    match mode {
        "first-client-ec2" => {
            std::hint::black_box(session().client("ec2").expect("ec2 client"));
        }
        other => panic!("unknown {CHILD_ENV} mode {other:?}"),
    }
}

/// One second of warm-up, three of measurement (command-line flags override).
fn quick<M: criterion::measurement::Measurement>(c: Criterion<M>) -> Criterion<M> {
    c.warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args()
}

fn main() {
    if let Ok(mode) = std::env::var(CHILD_ENV) {
        child(&mode);
        return;
    }
    let server = server();
    let mut cpu = quick(Criterion::default().with_measurement(ThreadCpu));
    round_trips(&mut cpu, &server);
    cpu.final_summary();
    let mut wall = quick(Criterion::default());
    wall_clock(&mut wall, &server);
    wall.final_summary();
}
