//! Introspection against boto3: for every resource class of the nine
//! services, boto-rs's `ClassInfo::dir()` equals the public names of boto3's
//! `dir(instance)` (identifiers, attributes with boto3's collision renames,
//! actions, references, sub-resources, collections, waiters, injected
//! methods). Names boto3 injects that belong elsewhere are listed in
//! `NOT_HERE`. Prints `resources-diff-dir: N passed, M failed` (one per class).
//! Needs BOTO_TEST_PYTHON; skips with a notice otherwise.

use serde_json::Value as Json;
use std::collections::BTreeSet;

/// boto3 names provided by other parts of boto-rs (or not yet).
const NOT_HERE: [(&str, &str, &str); 5] = [
    ("s3", "Bucket", "upload_fileobj"),
    ("s3", "Bucket", "download_fileobj"),
    ("s3", "Object", "upload_fileobj"),
    ("s3", "Object", "download_fileobj"),
    ("dynamodb", "Table", "batch_writer"),
];

fn main() {
    let Ok(python) = std::env::var("BOTO_TEST_PYTHON") else {
        println!("skipped: BOTO_TEST_PYTHON not set (scripts/test.sh sets it)");
        return;
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/diff_dir.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let boto3: Json = serde_json::from_slice(&out.stdout).expect("JSON");
    let (mut passed, mut failed) = (0, 0);
    for (service, classes) in boto3.as_object().expect("services") {
        for (class, names) in classes.as_object().expect("classes") {
            let want: BTreeSet<String> = names
                .as_array()
                .expect("names")
                .iter()
                .filter_map(|n| n.as_str())
                .filter(|n| !NOT_HERE.contains(&(service.as_str(), class.as_str(), n)))
                .map(str::to_string)
                .collect();
            let got: BTreeSet<String> = match boto_resources::introspect::class_info(service, class)
            {
                Ok(info) => info.dir().into_iter().collect(),
                Err(e) => {
                    failed += 1;
                    println!("FAIL {service}.{class}: {e}");
                    continue;
                }
            };
            if got == want {
                passed += 1;
            } else {
                failed += 1;
                println!("FAIL {service}.{class}");
                println!(
                    "  only in boto-rs: {:?}",
                    got.difference(&want).collect::<Vec<_>>()
                );
                println!(
                    "  only in boto3:   {:?}",
                    want.difference(&got).collect::<Vec<_>>()
                );
            }
        }
    }
    println!("resources-diff-dir: {passed} passed, {failed} failed");
    if failed > 0 || passed == 0 {
        std::process::exit(1);
    }
}
