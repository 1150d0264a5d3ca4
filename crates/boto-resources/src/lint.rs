//! The resource model lint: every element of every `resources-1.json`
//! checked against the service model, as botocore lints its paginators and
//! waiters.
//!
//! For each load, action, batch action, waiter, reference, sub-resource and
//! collection: the operation exists; every request `target`
//! (`Delete.Objects[*].Key`) resolves in the operation's input shape;
//! identifier sources name real identifiers; `data` paths resolve in the
//! resource's shape, `response` paths in the output shape and
//! `requestParameter` paths in the input shape; every JMESPath compiles
//! with `boto-jmespath`; response resources exist and get all their
//! identifiers; waiters exist in `waiters-2.json` and their parameters
//! resolve in the polled operation's input.

use crate::model::{Param, Request, ResourceDef, ResponseResource, ServiceResources, Source};
use boto::core::model::{Loader, ModelFile, ServiceModel, ShapeId, ShapeKind};
use std::collections::HashSet;

/// The lint result of one service.
#[derive(Debug, Default)]
pub struct LintReport {
    /// The service linted.
    pub service: String,
    /// Names of the elements that passed (`s3.Object.load`, ...).
    pub passed: Vec<String>,
    /// Elements that failed, with every problem found.
    pub failed: Vec<(String, Vec<String>)>,
}

/// Lints the resource model of every service that has one.
pub fn lint_all() -> Vec<LintReport> {
    crate::model::resource_services()
        .iter()
        .map(|s| lint_service(s))
        .collect()
}

/// Lints one service's resource model.
pub fn lint_service(service: &str) -> LintReport {
    let mut report = LintReport {
        service: service.to_string(),
        ..LintReport::default()
    };
    let loader = Loader::global();
    let model = match loader.service_model(service) {
        Ok(m) => m,
        Err(e) => {
            report.failed.push((service.into(), vec![e.to_string()]));
            return report;
        }
    };
    let doc = match loader.json(service, ModelFile::Resources) {
        Ok(Some(d)) => d,
        Ok(None) => {
            report
                .failed
                .push((service.into(), vec!["no resources-1.json".into()]));
            return report;
        }
        Err(e) => {
            report.failed.push((service.into(), vec![e.to_string()]));
            return report;
        }
    };
    lint_models(&model, &doc)
}

/// Lints a resource model document against a service model.
pub fn lint_models(model: &ServiceModel, doc: &serde_json::Value) -> LintReport {
    let service = model.service_name.as_str();
    let mut report = LintReport {
        service: service.to_string(),
        ..LintReport::default()
    };
    let models = match ServiceResources::from_json(service, doc, model) {
        Ok(m) => m,
        Err(e) => {
            report.failed.push((service.into(), vec![e.to_string()]));
            return report;
        }
    };
    let waiters: HashSet<String> = boto::core::runtime::waiter::waiter_names(model)
        .into_iter()
        .collect();
    let l = Linter {
        model,
        models: &models,
        waiters,
    };
    let classes = std::iter::once(&models.service_resource).chain(models.resources.iter());
    for def in classes {
        for (name, problems) in l.resource(def) {
            if problems.is_empty() {
                report.passed.push(name);
            } else {
                report.failed.push((name, problems));
            }
        }
    }
    report
}

struct Linter<'a> {
    model: &'a ServiceModel,
    models: &'a ServiceResources,
    waiters: HashSet<String>,
}

/// One step of a target or path.
enum Step<'s> {
    Member(&'s str),
    Element,
}

/// Splits `A.B[0].C[*]` into steps; `None` for expressions that are not
/// plain paths (`[A,B]|[]`), which are only compiled.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    if path == "@" {
        return Some(Vec::new());
    }
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        out.push(Step::Member(name));
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            let inner = &r[..end];
            if !(inner.is_empty() || inner == "*" || inner.parse::<i64>().is_ok()) {
                return None;
            }
            out.push(Step::Element);
            rest = &r[end + 1..];
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

impl Linter<'_> {
    /// Resolves `path` from `shape`; compiles it as JMESPath too.
    fn resolve(&self, shape: Option<ShapeId>, path: &str, what: &str, problems: &mut Vec<String>) {
        if let Err(e) = boto_jmespath::compile(path) {
            problems.push(format!("{what}: invalid JMESPath {path:?}: {e}"));
            return;
        }
        let (Some(mut cur), Some(steps)) = (shape, steps(path)) else {
            return;
        };
        for s in steps {
            let shape = self.model.shape(cur);
            cur = match (s, &shape.kind) {
                (Step::Member(m), ShapeKind::Structure(st)) => match st.member(m) {
                    Some(r) => r.target,
                    None => {
                        problems.push(format!(
                            "{what}: {path:?}: shape {} has no member {m:?}",
                            shape.name
                        ));
                        return;
                    }
                },
                (Step::Element, ShapeKind::List { member }) => member.target,
                (Step::Member(m), _) => {
                    problems.push(format!(
                        "{what}: {path:?}: {m:?} is inside {} (a {}), not a structure",
                        shape.name,
                        shape.type_name()
                    ));
                    return;
                }
                (Step::Element, _) => {
                    problems.push(format!(
                        "{what}: {path:?}: {} is a {}, not a list",
                        shape.name,
                        shape.type_name()
                    ));
                    return;
                }
            };
        }
    }

    fn shape_of(&self, def: &ResourceDef) -> Option<ShapeId> {
        def.shape.as_deref().and_then(|s| self.model.shape_id(s))
    }

    fn input(&self, op: &str) -> Option<ShapeId> {
        self.model
            .operation(op)
            .and_then(|o| o.input.as_ref())
            .map(|r| r.target)
    }

    fn output(&self, op: &str) -> Option<ShapeId> {
        self.model
            .operation(op)
            .and_then(|o| o.output.as_ref())
            .map(|r| r.target)
    }

    /// A request parameter list against `input` (the shape targets resolve in).
    fn params(
        &self,
        def: &ResourceDef,
        params: &[Param],
        input: Option<ShapeId>,
        what: &str,
        p: &mut Vec<String>,
    ) {
        for param in params {
            let w = format!("{what} param {}", param.target);
            match input {
                Some(_) => self.resolve(input, &param.target, &w, p),
                None => p.push(format!("{w}: the operation has no input")),
            }
            self.source(def, param, &w, p);
            if param.source == Source::Response || param.source == Source::RequestParameter {
                p.push(format!(
                    "{w}: source {} is not valid in a request",
                    param.source.as_str()
                ));
            }
        }
    }

    /// The `identifier`/`data`/literal part of a parameter, read from `def`.
    fn source(&self, def: &ResourceDef, param: &Param, w: &str, p: &mut Vec<String>) {
        match param.source {
            Source::Identifier => match param.name.as_deref() {
                Some(n) if def.identifiers.iter().any(|i| i.name == n) => {}
                other => p.push(format!(
                    "{w}: {} has no identifier {other:?}",
                    def.class_name()
                )),
            },
            Source::Data => match param.path.as_deref() {
                Some(path) => self.resolve(self.shape_of(def), path, w, p),
                None => p.push(format!("{w}: data source without a path")),
            },
            Source::String | Source::Integer | Source::Boolean => {
                let ok = match (&param.source, &param.value) {
                    (Source::String, Some(v)) => v.as_str().is_some(),
                    (Source::Integer, Some(v)) => v.as_i64().is_some(),
                    (Source::Boolean, Some(v)) => v.as_bool().is_some(),
                    _ => false,
                };
                if !ok {
                    p.push(format!(
                        "{w}: {} literal without a matching value",
                        param.source.as_str()
                    ));
                }
            }
            Source::Input | Source::Response | Source::RequestParameter => {}
        }
    }

    fn request(&self, def: &ResourceDef, req: &Request, what: &str, p: &mut Vec<String>) {
        if self.model.operation(&req.operation).is_none() {
            p.push(format!(
                "{what}: no operation {:?} in {}",
                req.operation, self.model.service_name
            ));
            return;
        }
        self.params(def, &req.params, self.input(&req.operation), what, p);
    }

    /// A response resource; `op` is the operation whose response it reads.
    fn response_resource(
        &self,
        def: &ResourceDef,
        rr: &ResponseResource,
        op: Option<&str>,
        what: &str,
        p: &mut Vec<String>,
    ) {
        let Some(target) = self.models.get(&rr.type_name) else {
            p.push(format!("{what}: no resource {:?}", rr.type_name));
            return;
        };
        let mut covered = HashSet::new();
        for id in &rr.identifiers {
            let w = format!("{what} identifier {}", id.target);
            if target.identifier_index(&id.target).is_none() {
                p.push(format!(
                    "{w}: {} has no identifier {:?}",
                    target.class_name(),
                    id.target
                ));
            }
            covered.insert(id.target.as_str());
            match id.source {
                Source::Response => match (op, id.path.as_deref()) {
                    (Some(op), Some(path)) => self.resolve(self.output(op), path, &w, p),
                    (None, _) => p.push(format!("{w}: response source without a request")),
                    (_, None) => p.push(format!("{w}: response source without a path")),
                },
                Source::RequestParameter => match (op, id.path.as_deref()) {
                    (Some(op), Some(path)) => self.resolve(self.input(op), path, &w, p),
                    (None, _) => p.push(format!("{w}: requestParameter source without a request")),
                    (_, None) => p.push(format!("{w}: requestParameter source without a path")),
                },
                _ => self.source(def, id, &w, p),
            }
        }
        for i in &target.identifiers {
            if !covered.contains(i.name.as_str()) {
                p.push(format!(
                    "{what}: identifier {} of {} is not provided",
                    i.name,
                    target.class_name()
                ));
            }
        }
        if let Some(path) = &rr.path {
            let from = match op {
                Some(op) => self.output(op),
                None => self.shape_of(def),
            };
            self.resolve(from, path, &format!("{what} path"), p);
        }
    }

    fn resource(&self, def: &ResourceDef) -> Vec<(String, Vec<String>)> {
        let class = def.class_name();
        let mut out = Vec::new();
        let mut p = Vec::new();
        if let Some(s) = &def.shape {
            match self.model.shape_by_name(s) {
                Some(sh) if sh.as_structure().is_some() => {
                    let st = sh.as_structure().expect("structure");
                    for i in &def.identifiers {
                        if let Some(m) = &i.member_name {
                            if st.member(m).is_none() {
                                p.push(format!(
                                    "identifier {}: memberName {m:?} not in {s}",
                                    i.name
                                ));
                            }
                        }
                    }
                }
                Some(_) => p.push(format!("shape {s:?} is not a structure")),
                None => p.push(format!("no shape {s:?} in the service model")),
            }
        }
        out.push((
            format!("{class} (shape, identifiers)"),
            std::mem::take(&mut p),
        ));
        if let Some(load) = &def.load {
            let what = format!("{class}.load");
            self.request(def, &load.request, &what, &mut p);
            if let Some(path) = &load.path {
                self.resolve(
                    self.output(&load.request.operation),
                    path,
                    &format!("{what} path"),
                    &mut p,
                );
            }
            out.push((what, std::mem::take(&mut p)));
        }
        let actions = def
            .actions
            .iter()
            .map(|a| (a, ""))
            .chain(def.batch_actions.iter().map(|a| (a, "batch ")));
        for (a, kind) in actions {
            let what = format!("{class}.{kind}{}", a.py_name);
            self.request(def, &a.request, &what, &mut p);
            if let Some(rr) = &a.resource {
                self.response_resource(def, rr, Some(&a.request.operation), &what, &mut p);
            }
            if let Some(path) = &a.path {
                self.resolve(
                    self.output(&a.request.operation),
                    path,
                    &format!("{what} path"),
                    &mut p,
                );
            }
            out.push((what, std::mem::take(&mut p)));
        }
        for w in &def.waiters {
            let what = format!("{class}.{}", w.py_name);
            if !self.waiters.contains(&w.waiter_name) {
                p.push(format!(
                    "{what}: no waiter {:?} in waiters-2.json",
                    w.waiter_name
                ));
            } else {
                match boto::core::runtime::waiter::WaiterSpec::load(self.model, &w.waiter_name) {
                    Ok(spec) => {
                        self.params(def, &w.params, self.input(&spec.operation), &what, &mut p)
                    }
                    Err(e) => p.push(format!("{what}: {e}")),
                }
            }
            out.push((what, std::mem::take(&mut p)));
        }
        for (kind, list) in [
            ("reference", &def.references),
            ("subresource", &def.subresources),
        ] {
            for r in list {
                let what = format!("{class}.{} ({kind})", r.py_name);
                self.response_resource(def, &r.resource, None, &what, &mut p);
                out.push((what, std::mem::take(&mut p)));
            }
        }
        for c in &def.collections {
            let what = format!("{class}.{} (collection)", c.py_name);
            self.request(def, &c.request, &what, &mut p);
            self.response_resource(def, &c.resource, Some(&c.request.operation), &what, &mut p);
            out.push((what, std::mem::take(&mut p)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_models_fail() {
        let loader = Loader::global();
        let model = loader.service_model("s3").unwrap();
        let mut doc = (*loader.json("s3", ModelFile::Resources).unwrap().unwrap()).clone();
        let obj = doc.pointer_mut("/resources/Object").unwrap();
        obj["actions"]["Delete"]["request"]["operation"] = "DeleteObjekt".into();
        obj["actions"]["Get"]["request"]["params"][0]["target"] = "Bukket".into();
        obj["waiters"]["Exists"]["waiterName"] = "ObjectExist".into();
        obj["load"]["path"] = "Contents[.Key".into();
        obj["batchActions"]["Delete"]["request"]["params"][1]["target"] =
            "Delete.Objekts[].Key".into();
        let report = lint_models(&model, &doc);
        let failed: Vec<&str> = report.failed.iter().map(|(n, _)| n.as_str()).collect();
        for want in [
            "s3.Object.delete",
            "s3.Object.get",
            "s3.Object.wait_until_exists",
            "s3.Object.load",
            "s3.Object.batch delete",
        ] {
            assert!(failed.contains(&want), "{want} not caught: {failed:?}");
        }
        assert_eq!(failed.len(), 5, "{:?}", report.failed);
    }
}
