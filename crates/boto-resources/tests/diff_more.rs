//! Differential tests against boto3 for DynamoDB, CloudWatch, Glacier and
//! CloudFormation: the scenarios of `diff_dynamodb.py`,
//! `diff_cloudwatch.py`, `diff_glacier.py` and `diff_cfn.py`, step by step
//! with boto-rs resources on the same moto server (method in `diff_s3.rs`;
//! the Rust halves live in `diff_parts/`). Prints
//! `resources-diff-<service>: N passed, M failed` for each. What each
//! covers, and what moto cannot run, is in each Python scenario's docstring.

#[path = "diff_parts/cfn.rs"]
mod cfn;
#[path = "diff_parts/cloudwatch.rs"]
mod cloudwatch;
#[path = "diff_parts/dynamodb.rs"]
mod dynamodb;
#[path = "diff_parts/glacier.rs"]
mod glacier;
mod support;

use support::diff::*;
use support::unique;

/// Deliberate deviations from boto3 (see "Where boto-rs differs" in lib.rs).
const KNOWN: &[(&str, &str)] = &[(
    "summary_resource_reference",
    "boto3 fills sub-resource identifiers by position; StackResourceSummary.Resource lists \
     LogicalId before StackName, so boto3 swaps them; boto-rs maps by target",
)];

fn main() {
    let Some(endpoint) = live() else { return };
    let rt = runtime();
    let mut failed = 0;
    let suites: [(&str, &str, &str, &[&'static str]); 4] = [
        (
            "dynamodb",
            "dynamodb",
            "diff_dynamodb.py",
            &["ExclusiveStartTableName"],
        ),
        ("cloudwatch", "cloudwatch", "diff_cloudwatch.py", &[]),
        (
            "glacier",
            "glacier",
            "diff_glacier.py",
            &["jobId", "archiveId", "ArchiveId"],
        ),
        ("cloudformation", "cfn", "diff_cfn.py", &[]),
    ];
    for (service, suite, script, masked) in suites {
        let (rs, py) = (unique(&format!("rs{suite}")), unique(&format!("py{suite}")));
        let rec = recorder(service, &endpoint);
        let rust = rt
            .block_on(async {
                match service {
                    "dynamodb" => dynamodb::scenario(rec, &rs).await,
                    "cloudwatch" => cloudwatch::scenario(rec, &rs).await,
                    "glacier" => glacier::scenario(rec, &rs).await,
                    _ => cfn::scenario(rec, &rs).await,
                }
            })
            .expect("scenario");
        failed += compare_known(
            suite,
            &rust,
            script,
            &[&endpoint, &py],
            Normalizer::new(&[(&rs, "P")], masked),
            Normalizer::new(&[(&py, "P")], masked),
            KNOWN,
        )
        .1;
    }
    if failed > 0 {
        std::process::exit(1);
    }
}
