//! Times compiling and evaluating paginator-style expressions over a
//! 1,000-element response, the workload boto-rs paginators generate.

use boto_jmespath::{compile, Variable};
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;

fn document() -> Variable {
    let reservations: Vec<_> = (0..1_000)
        .map(|i| {
            json!({
                "ReservationId": format!("r-{i}"),
                "Instances": [
                    {"InstanceId": format!("i-{i}a"), "State": {"Name": "running"}, "CpuCount": i % 8},
                    {"InstanceId": format!("i-{i}b"), "State": {"Name": "stopped"}, "CpuCount": 2}
                ]
            })
        })
        .collect();
    Variable::from(json!({"Reservations": reservations, "NextToken": "abc"}))
}

fn bench(c: &mut Criterion) {
    let doc = document();
    let exprs = [
        "Reservations[].Instances[].InstanceId",
        "length(Reservations) > `0`",
        "Reservations[].Instances[?State.Name == 'running'] | [].InstanceId",
        "sort_by(Reservations[].Instances[], &CpuCount)[-1].InstanceId",
    ];
    for expr in exprs {
        c.bench_function(&format!("compile+search {expr}"), |b| {
            b.iter(|| {
                compile(expr)
                    .and_then(|e| e.search(std::hint::black_box(&doc)))
                    .ok()
            })
        });
    }
    let compiled = compile("Reservations[].Instances[].InstanceId").ok();
    c.bench_function("search only Reservations[].Instances[].InstanceId", |b| {
        b.iter(|| compiled.as_ref().and_then(|e| e.search(&doc).ok()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
