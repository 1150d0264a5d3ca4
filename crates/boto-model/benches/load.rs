//! Cold-load cost of a service model: open the embedded compiled model (the
//! header and metadata; shapes and operations are decoded on first use).
//! This is what the first client of a process pays per service, so it bounds
//! CLI start-up time. The second group adds what a first call then decodes:
//! the operation, found by its snake_case name, and its input's members.
//! Measured in thread CPU time (`bench/cpu_time.rs`), so a busy machine
//! does not move the figure; `bench/regress.sh` guards "first load s3/ec2".

#[path = "../../../bench/cpu_time.rs"]
mod cpu_time;

use boto_model::Loader;
use cpu_time::ThreadCpu;
use criterion::{criterion_group, criterion_main, Criterion};

const CASES: [(&str, &str); 3] = [
    ("s3", "list_objects_v2"),
    ("ec2", "describe_instances"),
    ("dynamodb", "get_item"),
];

fn cold_load(c: &mut Criterion<ThreadCpu>) {
    if Loader::embedded_file_count() == 0 {
        eprintln!("no embedded models; nothing to measure");
        return;
    }
    for (service, _) in CASES {
        c.bench_function(&format!("first load {service}"), |b| {
            b.iter(|| {
                // A fresh loader has an empty cache, so every iteration is a first load.
                let loader = Loader::with_data_paths(vec![]);
                loader
                    .service_model(std::hint::black_box(service))
                    .map(|m| m.operations().len())
            })
        });
    }
    for (service, op) in CASES {
        c.bench_function(&format!("first load {service} + {op} input"), |b| {
            b.iter(|| {
                let loader = Loader::with_data_paths(vec![]);
                let m = loader.service_model(service).unwrap();
                let op = m.operation(std::hint::black_box(op)).unwrap();
                let input = m.shape(op.input.as_ref().unwrap().target);
                let members = input.as_structure().unwrap().members.iter();
                members.map(|r| m.shape(r.target).name.len()).sum::<usize>()
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = cold_load
}
criterion_main!(benches);
