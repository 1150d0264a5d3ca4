//! The resource model lint over all nine `resources-1.json` files (boto3
//! 1.43.67): every load, action, batch action, waiter, reference,
//! sub-resource and collection resolves to a real operation, real shapes,
//! valid JMESPath and real waiters. Prints `resource-model-lint: N passed, M failed`.

const SERVICES: [&str; 9] = [
    "cloudformation",
    "cloudwatch",
    "dynamodb",
    "ec2",
    "glacier",
    "iam",
    "s3",
    "sns",
    "sqs",
];

/// Defects in boto3's own models that the lint finds; they are printed as
/// KNOWN and do not fail the run. The runtime behaves as boto3 does on them.
const KNOWN: [(&str, &str); 3] = [
    (
        "ec2.NetworkInterfaceAssociation.address (reference)",
        "reads AllocationId from InstanceNetworkInterfaceAssociation, which has no such member: boto3's reference is always None",
    ),
    (
        "iam.ServiceResource.create_signing_certificate",
        "the response resource gets Id only, SigningCertificate also needs UserName: boto3 raises 'Required parameter user_name not set'",
    ),
    (
        "iam.ServiceResource.Policy (subresource)",
        "targets PolicyArn, Policy's identifier is Arn: boto3 (and boto-rs) fill it by position",
    ),
];

fn main() {
    let services = boto_resources::model::resource_services();
    let mut failed = 0;
    let mut passed = 0;
    let mut known = 0;
    for s in SERVICES {
        if !services.iter().any(|x| x == s) {
            println!("FAIL {s}: no resources-1.json in the bundle");
            failed += 1;
        }
    }
    for report in boto_resources::lint::lint_all() {
        // Per service, "lint" in front: the summary grep of scripts/test.sh
        // must not read a known model defect as a failed suite.
        let known_here = report
            .failed
            .iter()
            .filter(|(name, _)| KNOWN.iter().any(|(k, _)| k == name))
            .count();
        println!(
            "  lint {}: {} elements resolve, {} unknown problems, {known_here} known",
            report.service,
            report.passed.len(),
            report.failed.len() - known_here,
        );
        for (name, problems) in &report.failed {
            if let Some((_, why)) = KNOWN.iter().find(|(k, _)| k == name) {
                println!("KNOWN {name}: {why}");
                known += 1;
                continue;
            }
            println!("FAIL {name}");
            for p in problems {
                println!("    {p}");
            }
            failed += 1;
        }
        passed += report.passed.len();
    }
    println!(
        "resource-model-lint: {passed} passed, {failed} failed ({known} known defects of boto3's models, listed above)"
    );
    if failed > 0 || passed == 0 {
        std::process::exit(1);
    }
}
