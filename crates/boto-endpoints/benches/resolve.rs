//! Loading a rule set (s3, the largest; ec2; dynamodb), then resolution cost
//! with pre-parsed rule sets: an S3 virtual-hosted bucket endpoint and a plain
//! DynamoDB regional endpoint.
//! Needs the git-ignored model data (`BOTO_MODELS_DIR`, default
//! `<workspace>/.data/models`).

use std::path::PathBuf;

use boto_endpoints::{Params, Partitions, RuleSet};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn models_dir() -> PathBuf {
    std::env::var_os("BOTO_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.data/models"))
}

fn load(svc: &str) -> RuleSet {
    let bytes = std::fs::read(models_dir().join(svc).join("endpoint-rule-set-1.json"))
        .expect("model data present");
    RuleSet::from_json(&bytes).expect("rule set parses")
}

fn bench(c: &mut Criterion) {
    let partitions = Partitions::from_json(
        &std::fs::read(models_dir().join("_global/partitions.json")).expect("partitions present"),
    )
    .expect("partitions parse");

    for svc in ["s3", "ec2", "dynamodb"] {
        let bytes = std::fs::read(models_dir().join(svc).join("endpoint-rule-set-1.json"))
            .expect("model data present");
        c.bench_function(
            &format!("parse {svc} rule set ({} KB)", bytes.len() / 1024),
            |b| b.iter(|| RuleSet::from_json(black_box(&bytes)).expect("rule set parses")),
        );
    }

    let s3 = load("s3");
    let s3_params = Params::new()
        .with("Bucket", "my-bucket")
        .with("Region", "us-east-1");
    assert_eq!(
        s3.resolve(&s3_params, &partitions)
            .expect("s3 resolves")
            .url,
        "https://my-bucket.s3.us-east-1.amazonaws.com"
    );
    c.bench_function("s3 virtual-hosted (my-bucket, us-east-1)", |b| {
        b.iter(|| s3.resolve(black_box(&s3_params), &partitions))
    });
    // What a client pays on a repeated call: a hit in its ResolveCache.
    let cache = boto_endpoints::ResolveCache::default();
    c.bench_function("s3 virtual-hosted, cached", |b| {
        b.iter(|| cache.resolve(&s3, black_box(&s3_params), &partitions))
    });

    let ddb = load("dynamodb");
    let ddb_params = Params::new().with("Region", "us-west-2");
    assert_eq!(
        ddb.resolve(&ddb_params, &partitions)
            .expect("ddb resolves")
            .url,
        "https://dynamodb.us-west-2.amazonaws.com"
    );
    c.bench_function("dynamodb regional (us-west-2)", |b| {
        b.iter(|| ddb.resolve(black_box(&ddb_params), &partitions))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
