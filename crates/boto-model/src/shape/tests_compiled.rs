//! The compiled models against the old JSON builder, for every embedded service.
//!
//! Each service's committed `service-2.json.gz` (what the build script
//! compiled) is built the old way (`raw`) and compared with the model read
//! from the embedded compiled form: every shape, every operation, the
//! metadata, and every shape and operation name lookup.

use super::*;
use crate::loader::Loader;
use std::io::Read;
use std::path::Path;

fn json_of(service: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../boto-model-data/data")
        .join(service)
        .join("service-2.json.gz");
    let gz = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// Every difference between the compiled model and the reference (empty when equal).
fn differences(m: &ServiceModel, r: &raw::Reference) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |what: String, a: String, b: String| {
        if a != b && out.len() < 5 {
            out.push(format!("{what}: compiled {a} != reference {b}"));
        }
    };
    check(
        "metadata".into(),
        format!("{:?}", m.metadata),
        format!("{:?}", r.metadata),
    );
    check(
        "clientContextParams".into(),
        m.client_context_params.to_string(),
        r.client_context_params.to_string(),
    );
    check(
        "shape count".into(),
        m.shapes().count().to_string(),
        r.shapes.len().to_string(),
    );
    for ((id, s), rs) in m.shapes().zip(&r.shapes) {
        check(format!("shape {id:?}"), format!("{s:?}"), format!("{rs:?}"));
    }
    for (name, id) in &r.shape_index {
        check(
            format!("shape_id({name})"),
            format!("{:?}", m.shape_id(name)),
            format!("{:?}", Some(id)),
        );
    }
    check(
        "operation count".into(),
        m.operations().len().to_string(),
        r.operations.len().to_string(),
    );
    for (op, rop) in m.operations().iter().zip(&r.operations) {
        check(
            format!("operation {}", rop.name),
            format!("{op:?}"),
            format!("{rop:?}"),
        );
    }
    for (name, &i) in &r.op_index {
        check(
            format!("operation({name})"),
            format!("{:?}", m.operation(name).map(|o| &o.name)),
            format!("{:?}", Some(&r.operations[i].name)),
        );
    }
    out
}

#[test]
fn every_embedded_model_matches_the_json_builder() {
    let loader = Loader::with_data_paths(vec![]);
    let services = loader.service_names();
    let (mut passed, mut failed) = (0, 0);
    for service in &services {
        let reference = raw::from_slice(service, &json_of(service)).unwrap();
        let model = loader.service_model(service).unwrap();
        let diffs = differences(&model, &reference);
        // The same JSON compiled at run time (the data-path route) reads the same.
        let runtime = ServiceModel::from_slice(service, &json_of(service)).unwrap();
        let diffs2 = if service == "s3" || service == "ec2" || service == "dynamodb" {
            differences(&runtime, &reference)
        } else {
            Vec::new()
        };
        if diffs.is_empty() && diffs2.is_empty() {
            passed += 1;
        } else {
            failed += 1;
            eprintln!("{service}: {:#?}", [diffs, diffs2].concat());
        }
    }
    println!("compiled-models: {passed} passed, {failed} failed");
    assert!(passed > 0 || Loader::embedded_file_count() == 0);
    assert_eq!(failed, 0);
}

/// One operation, a structure and an enum: small enough to corrupt byte by byte.
const TINY: &[u8] =
    br#"{"metadata": {"protocol": "json"}, "operations": {"Op": {"input": {"shape": "S"}}},
                    "shapes": {"S": {"type": "structure", "members": {"A": {"shape": "T"}}},
                               "T": {"type": "string", "enum": ["a"]}}}"#;

#[test]
fn corrupt_compiled_bytes_are_errors_not_panics() {
    let json = TINY;
    let good = boto_model_compile::compile_slice(json).unwrap();
    assert!(ServiceModel::from_compiled("x", Cow::Owned(good.clone())).is_ok());
    assert!(ServiceModel::from_compiled("x", Cow::Owned(b"BOTOCM01".to_vec())).is_err());
    assert!(ServiceModel::from_compiled("x", Cow::Owned(good[..good.len() - 1].to_vec())).is_err());
    // Flip every byte of the records: opening may fail, reading must not panic.
    let records = u32::from_le_bytes(good[8 + 4 * 9..8 + 4 * 10].try_into().unwrap()) as usize;
    for i in records..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0xff;
        if let Ok(m) = ServiceModel::from_compiled("x", Cow::Owned(bad)) {
            for (_, s) in m.shapes() {
                let _ = format!("{s:?}");
            }
            let _ = format!("{:?}", m.operations());
            let _ = m.operation("Op");
            let _ = m.shape_by_name("T");
        }
    }
}

#[test]
fn corrupt_packed_bytes_are_errors_not_panics() {
    let json = TINY;
    let good = boto_model_compile::compile_slice(json).unwrap();
    let packed = boto_model_compile::pack(&good).unwrap();
    let leak = |b: Vec<u8>| -> &'static [u8] { Box::leak(b.into_boxed_slice()) };
    let m = ServiceModel::from_packed("x", leak(packed.clone())).unwrap();
    let flat = ServiceModel::from_compiled("x", Cow::Owned(good.clone())).unwrap();
    assert_eq!(
        format!("{:?}", m.operation("Op")),
        format!("{:?}", flat.operation("Op"))
    );
    assert_eq!(
        m.shape_by_name("T").map(|s| s.enum_values.clone()),
        Some(vec!["a".into()])
    );
    assert!(ServiceModel::from_packed("x", leak(good)).is_err());
    assert!(ServiceModel::from_packed("x", leak(packed[..packed.len() - 1].to_vec())).is_err());
    // Flip every byte (chunk table, head and blocks): opening may fail,
    // reading must not panic.
    for i in 0..packed.len() {
        let mut bad = packed.clone();
        bad[i] ^= 0xff;
        if let Ok(m) = ServiceModel::from_packed("x", leak(bad)) {
            for (_, s) in m.shapes() {
                let _ = format!("{s:?}");
            }
            let _ = format!("{:?}", m.operations());
            let _ = m.operation("Op");
            let _ = m.shape_by_name("T");
        }
    }
}

#[test]
fn http_bindings_group_header_members_by_name_length() {
    let s3 = Loader::global().service_model("s3").expect("s3");
    let out = s3.operation("HeadObject").unwrap().output.clone().unwrap();
    let b = s3.http_bindings(out.target);
    let members = &s3.shape(out.target).as_structure().unwrap().members;
    let name_of = |j: u32| members[j as usize].name.as_str();
    let found: Vec<&str> = b.header_members("Content-Length").map(name_of).collect();
    assert_eq!(found, ["ContentLength"]);
    assert_eq!(
        b.header_members("LAST-MODIFIED")
            .map(name_of)
            .collect::<Vec<_>>(),
        ["LastModified"]
    );
    assert_eq!(b.header_members("x-amz-unknown").count(), 0);
    assert_eq!(b.header_members("").count(), 0);
    assert_eq!(b.header_members(&"x".repeat(500)).count(), 0);
    assert!(b.status.is_empty());
    assert_eq!(b.prefixed.len(), 1);
    assert_eq!(name_of(b.prefixed[0].0), "Metadata");
    // Every header member is there once, lowercased, grouped by length.
    let header_members = members
        .iter()
        .filter(|m| s3.location(m) == Some(Location::Header))
        .count();
    assert_eq!(b.headers.len(), header_members);
    assert!(header_members > 40);
    assert!(b.headers.iter().all(|(n, _)| **n == n.to_ascii_lowercase()));
    assert!(b.headers.windows(2).all(|w| w[0].0.len() <= w[1].0.len()));
    // Other shapes have none; a status member is found.
    assert_eq!(
        s3.http_bindings(members[0].target),
        &HttpBindings::default()
    );
    let lambda = Loader::global().service_model("lambda").expect("lambda");
    let inv = lambda.operation("Invoke").unwrap().output.clone().unwrap();
    let lb = lambda.http_bindings(inv.target);
    let inv_members = &lambda.shape(inv.target).as_structure().unwrap().members;
    assert_eq!(
        inv_members[lb.status[0] as usize].name.as_str(),
        "StatusCode"
    );
}
