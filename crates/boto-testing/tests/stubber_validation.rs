//! Canned-response validation against botocore's `Stubber` as the oracle.
//!
//! `stubber_oracle.py` (run with the test venv's Python) builds valid
//! responses for operations of a dozen services and mutates them (wrong
//! types, unknown/missing members, `None`, too-short strings and lists,
//! unions, map keys, several at once); botocore's `Stubber.add_response`
//! says whether each is accepted and with which message; modeled fields of
//! `add_client_error` for a few error codes likewise. Each case is replayed
//! through [`boto_testing::Stubber::add_response`] (or `add_client_error`),
//! whose error must read exactly the same. Prints `stubber-validation: N passed, M failed`.
//! Needs BOTO_TEST_PYTHON (scripts/test.sh sets it); skips with a notice
//! otherwise.

use boto::Value;
use boto_testing::{ClientError, Stubber};
use std::collections::HashMap;

fn main() {
    let Ok(python) = std::env::var("BOTO_TEST_PYTHON") else {
        println!("skipped: BOTO_TEST_PYTHON not set (scripts/test.sh sets it)");
        println!("stubber-validation: 0 passed, 0 failed");
        return;
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/stubber_oracle.py");
    let out = std::process::Command::new(&python)
        .arg(script)
        .output()
        .expect("run the oracle");
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8 oracle output");
    let mut stubbers: HashMap<String, Stubber> = HashMap::new();
    let (mut passed, mut failed, mut invalid) = (0, 0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("oracle JSON");
        let service = case["service"].as_str().expect("service");
        let operation = case["operation"].as_str().expect("operation");
        let expected = case["error"].as_str().map(str::to_owned);
        invalid += usize::from(expected.is_some());
        let stubber = stubbers
            .entry(service.to_string())
            .or_insert_with(|| Stubber::for_service(service).expect("stubber for the service"));
        let got = match case["code"].as_str() {
            // add_client_error with modeled fields.
            Some(code) => stubber.add_client_error(
                operation,
                ClientError::new(code, "msg").modeled_fields(Value::from_json(&case["modeled"])),
            ),
            None => stubber.add_response(operation, Value::from_json(&case["response"])),
        }
        .err()
        .map(|e| e.to_string());
        if got == expected {
            passed += 1;
        } else {
            failed += 1;
            println!(
                "MISMATCH {service}.{operation} {}\n  botocore: {expected:?}\n  boto-rs:  {got:?}",
                case
            );
        }
    }
    println!("({invalid} of the cases are invalid responses botocore refuses)");
    println!("stubber-validation: {passed} passed, {failed} failed");
    if failed > 0 || invalid < 50 {
        std::process::exit(1);
    }
}
