//! Differential tests against boto3 for the S3 and EC2 resource classes
//! that `diff_s3.rs` and `diff_ec2.rs` do not reach: the scenarios of
//! `diff_s3_more.py` and `diff_ec2_more.py`, step by step with boto-rs
//! resources on the same moto server (method in `diff_s3.rs`; the Rust
//! halves live in `diff_parts/`). Prints `resources-diff-s3-more: N
//! passed, M failed` and the same for `ec2-more`.

#[path = "diff_parts/ec2_more.rs"]
mod ec2_more;
#[path = "diff_parts/ec2_more_b.rs"]
mod ec2_more_b;
#[path = "diff_parts/ec2_more_c.rs"]
mod ec2_more_c;
#[path = "diff_parts/s3_more.rs"]
mod s3_more;
mod support;

use support::diff::*;
use support::unique;

fn main() {
    let Some(endpoint) = live() else { return };
    let rt = runtime();
    let mut failed = 0;
    let (rs, py) = (unique("rs3more"), unique("py3more"));
    let rust = rt
        .block_on(s3_more::scenario(recorder("s3", &endpoint), &rs))
        .expect("scenario");
    let masked = ["UploadId"];
    failed += compare(
        "s3-more",
        &rust,
        "diff_s3_more.py",
        &[&endpoint, &py],
        Normalizer::new(&[(&rs, "BUCKET")], &masked),
        Normalizer::new(&[(&py, "BUCKET")], &masked),
    )
    .1;
    let (rs, py) = (unique("rs"), unique("py"));
    let rust = rt
        .block_on(ec2_more::scenario(recorder("ec2", &endpoint), &rs))
        .expect("scenario");
    let masked = [
        "KeyMaterial",
        "KeyFingerprint",
        "Output",
        "Timestamp",
        "AttachTime",
    ];
    failed += compare(
        "ec2-more",
        &rust,
        "diff_ec2_more.py",
        &[&endpoint, &py],
        Normalizer::new(&[(&rs, "TAG")], &masked),
        Normalizer::new(&[(&py, "TAG")], &masked),
    )
    .1;
    if failed > 0 {
        std::process::exit(1);
    }
}
