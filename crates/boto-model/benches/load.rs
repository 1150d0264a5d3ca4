//! Cold-load cost of a service model: decompress the embedded file, parse the
//! JSON and build the shape arena. This is what the first call of a process
//! pays per service, so it bounds CLI start-up time.

use boto_model::Loader;
use criterion::{criterion_group, criterion_main, Criterion};

fn cold_load(c: &mut Criterion) {
    if Loader::embedded_file_count() == 0 {
        eprintln!("no embedded models; nothing to measure");
        return;
    }
    for service in ["s3", "ec2", "dynamodb"] {
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
}

criterion_group!(benches, cold_load);
criterion_main!(benches);
