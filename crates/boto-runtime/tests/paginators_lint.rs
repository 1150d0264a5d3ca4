//! Every paginator and waiter in the bundled models must construct.
//!
//! botocore only discovers a broken `paginators-1.json` or `waiters-2.json`
//! entry when someone calls it. This walks all of them once: the operation
//! exists, every JMESPath expression compiles with boto-jmespath, the
//! `limit_key` and `input_token`s are input members, and every acceptor is
//! well formed. A model update that breaks one fails here, listing it.

use boto_model::{Loader, ServiceModel};
use boto_runtime::paginator::{paginator_names, PaginatorSpec};
use boto_runtime::waiter::{waiter_names, WaiterSpec};

fn input_members(model: &ServiceModel, operation: &str) -> Vec<String> {
    let Some(op) = model.operation(operation) else {
        return Vec::new();
    };
    op.input
        .as_ref()
        .and_then(|r| model.shape(r.target).as_structure())
        .map(|s| s.members.iter().map(|m| m.name.to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn every_paginator_and_waiter_constructs() {
    let loader = Loader::global();
    let services = loader.service_names();
    assert!(
        !services.is_empty(),
        "no models bundled: run scripts/fetch_data.py before building"
    );
    let (mut paginators, mut waiters) = (0usize, 0usize);
    let mut broken = Vec::new();
    for service in &services {
        let model = match loader.service_model(service) {
            Ok(m) => m,
            Err(e) => {
                broken.push(format!("{service}: model does not load: {e}"));
                continue;
            }
        };
        for op in paginator_names(&model) {
            paginators += 1;
            match PaginatorSpec::load(&model, &op) {
                Ok(spec) => {
                    let members = input_members(&model, &op);
                    for t in spec.input_token.iter().filter(|t| !members.contains(t)) {
                        broken.push(format!(
                            "{service} paginator {op}: input_token {t:?} is not an input member"
                        ));
                    }
                    if spec.result_keys().next().is_none() {
                        broken.push(format!("{service} paginator {op}: no result_key"));
                    }
                }
                Err(e) => broken.push(format!("{service} paginator {op}: {e}")),
            }
        }
        for name in waiter_names(&model) {
            waiters += 1;
            match WaiterSpec::load(&model, &name) {
                Ok(spec) if spec.acceptors.is_empty() => {
                    broken.push(format!("{service} waiter {name}: no acceptors"))
                }
                Ok(_) => {}
                Err(e) => broken.push(format!("{service} waiter {name}: {e}")),
            }
        }
    }
    println!("services: {} checked", services.len());
    println!("paginators: {paginators} checked");
    println!("waiters: {waiters} checked");
    assert!(
        paginators > 0 && waiters > 0,
        "no paginators or waiters found"
    );
    assert!(
        broken.is_empty(),
        "{} broken:\n{}",
        broken.len(),
        broken.join("\n")
    );
}
