//! Introspection: boto3's `dir(resource)` and the generated resource docs.
//!
//! [`ClassInfo`] lists what a resource class offers, with boto3's Python
//! names; [`markdown_reference`] renders every class of a service as a
//! Markdown page (`cargo run -p boto-resources --example resource_reference`
//! writes the nine services' pages).

use crate::model::{ResourceDef, ServiceResources, Source};
use crate::Resource;
use boto::Error;
use std::fmt::Write;

/// What a resource class offers (boto3's `dir()` grouped by kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassInfo {
    /// `s3.Object`, `s3.ServiceResource`.
    pub class_name: String,
    /// Identifier names (snake_case), in model order.
    pub identifiers: Vec<String>,
    /// Shape members (identifier aliases included).
    pub attributes: Vec<String>,
    /// Model actions and injected ones (`load`/`reload` are not listed here).
    pub actions: Vec<String>,
    /// True when `load()`/`reload()` work (a model load or an injected one).
    pub can_load: bool,
    /// True when the load comes from the model (boto3 then also has
    /// `reload`; its injected loads — S3 Bucket, ObjectSummary — come alone).
    pub model_load: bool,
    /// References (`has` entries that need the data).
    pub references: Vec<String>,
    /// Sub-resources (built from identifiers, no call).
    pub subresources: Vec<String>,
    /// Collections with their batch actions.
    pub collections: Vec<(String, Vec<String>)>,
    /// `wait_until_exists`, ...
    pub waiters: Vec<String>,
}

impl ClassInfo {
    /// From a parsed class.
    pub fn of(models: &ServiceResources, def: &ResourceDef) -> ClassInfo {
        let batch = |type_name: &str| {
            models
                .get(type_name)
                .map(|d| d.batch_actions.iter().map(|a| a.py_name.clone()).collect())
                .unwrap_or_default()
        };
        let mut actions: Vec<String> = def.actions.iter().map(|a| a.py_name.clone()).collect();
        actions.extend(
            crate::customizations::action_names(def)
                .iter()
                .map(|s| s.to_string()),
        );
        ClassInfo {
            class_name: def.class_name(),
            identifiers: def.identifiers.iter().map(|i| i.py_name.clone()).collect(),
            attributes: def.attributes.iter().map(|a| a.py_name.clone()).collect(),
            actions,
            can_load: def.load.is_some() || crate::customizations::has_custom_load(def),
            model_load: def.load.is_some(),
            references: def.references.iter().map(|r| r.py_name.clone()).collect(),
            subresources: def.subresources.iter().map(|r| r.py_name.clone()).collect(),
            collections: def
                .collections
                .iter()
                .map(|c| (c.py_name.clone(), batch(&c.resource.type_name)))
                .collect(),
            waiters: def.waiters.iter().map(|w| w.py_name.clone()).collect(),
        }
    }

    /// Every public name, sorted, as boto3's `dir()` shows them (without Python's dunders).
    pub fn dir(&self) -> Vec<String> {
        let mut out: Vec<String> = ["meta", "get_available_subresources"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        if self.can_load {
            out.push("load".into());
        }
        if self.model_load {
            out.push("reload".into());
        }
        out.extend(self.identifiers.iter().cloned());
        out.extend(self.attributes.iter().cloned());
        out.extend(self.actions.iter().cloned());
        out.extend(self.references.iter().cloned());
        out.extend(self.subresources.iter().cloned());
        out.extend(self.collections.iter().map(|(c, _)| c.clone()));
        out.extend(self.waiters.iter().cloned());
        out.sort();
        out.dedup();
        out
    }

    /// A short text description (boto3's `help()`).
    pub fn help(&self) -> String {
        let mut s = format!("{}\n", self.class_name);
        let mut section = |title: &str, items: &[String]| {
            if !items.is_empty() {
                let _ = writeln!(s, "  {title}: {}", items.join(", "));
            }
        };
        section("identifiers", &self.identifiers);
        section("attributes", &self.attributes);
        let mut actions = self.actions.clone();
        if self.can_load {
            actions.insert(0, "load/reload".into());
        }
        section("actions", &actions);
        section("references", &self.references);
        section("sub-resources", &self.subresources);
        let cols: Vec<String> = self
            .collections
            .iter()
            .map(|(c, b)| {
                if b.is_empty() {
                    c.clone()
                } else {
                    format!("{c} (batch: {})", b.join(", "))
                }
            })
            .collect();
        section("collections", &cols);
        section("waiters", &self.waiters);
        s
    }
}

/// The class info of `class` (`"Object"`, or `"ServiceResource"`) of `service`.
pub fn class_info(service: &str, class: &str) -> Result<ClassInfo, Error> {
    let models = ServiceResources::load(service)?;
    let def = models.require(class)?.clone();
    Ok(ClassInfo::of(&models, &def))
}

impl Resource {
    /// What this resource's class offers (boto3's `dir()`).
    pub fn class_info(&self) -> ClassInfo {
        ClassInfo::of(&self.ctx().models, self.model())
    }
    /// boto3's `get_available_subresources()`: sub-resource names, sorted.
    pub fn available_subresources(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .model()
            .subresources
            .iter()
            .map(|s| s.py_name.clone())
            .collect();
        v.sort();
        v
    }
}

fn list(out: &mut String, title: &str, items: impl IntoIterator<Item = String>) {
    let items: Vec<String> = items.into_iter().collect();
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n**{title}**\n");
    for i in items {
        let _ = writeln!(out, "- {i}");
    }
}

/// A Markdown reference of every resource class of `service`.
pub fn markdown_reference(service: &str) -> Result<String, Error> {
    let models = ServiceResources::load(service)?;
    let mut out = format!(
        "# {service} resources\n\nGenerated from boto3's `resources-1.json` by `boto_resources::introspect::markdown_reference`.\n"
    );
    let classes = std::iter::once(&models.service_resource).chain(models.resources.iter());
    for def in classes {
        let info = ClassInfo::of(&models, def);
        let _ = writeln!(out, "\n## {}\n", info.class_name);
        if let Some(shape) = &def.shape {
            let _ = writeln!(out, "Shape: `{shape}`.");
        }
        if let Some(l) = &def.load {
            let _ = writeln!(out, "Loads through `{}`.", l.request.operation);
        } else if info.can_load {
            let _ = writeln!(out, "Loads through boto3's injected `load`.");
        }
        list(
            &mut out,
            "Identifiers",
            info.identifiers.iter().map(|i| format!("`{i}`")),
        );
        list(
            &mut out,
            "Attributes",
            info.attributes.iter().map(|i| format!("`{i}`")),
        );
        list(
            &mut out,
            "Actions",
            def.actions
                .iter()
                .map(|a| format!("`{}` → `{}`", a.py_name, a.request.operation))
                .chain(
                    crate::customizations::action_names(def)
                        .iter()
                        .map(|a| format!("`{a}` (boto3 customization)")),
                ),
        );
        list(
            &mut out,
            "References",
            def.references
                .iter()
                .map(|r| format!("`{}` → {}", r.py_name, r.resource.type_name)),
        );
        list(
            &mut out,
            "Sub-resources",
            def.subresources.iter().map(|r| {
                let inputs = r
                    .resource
                    .identifiers
                    .iter()
                    .filter(|p| p.source == Source::Input)
                    .count();
                format!(
                    "`{}` → {} ({inputs} identifier(s) to give)",
                    r.py_name, r.resource.type_name
                )
            }),
        );
        list(
            &mut out,
            "Collections",
            def.collections
                .iter()
                .zip(&info.collections)
                .map(|(c, (_, b))| {
                    let batch = if b.is_empty() {
                        String::new()
                    } else {
                        format!("; batch: {}", b.join(", "))
                    };
                    format!(
                        "`{}` → {} via `{}`{batch}",
                        c.py_name, c.resource.type_name, c.request.operation
                    )
                }),
        );
        list(
            &mut out,
            "Waiters",
            def.waiters
                .iter()
                .map(|w| format!("`{}` → `{}`", w.py_name, w.waiter_name)),
        );
    }
    Ok(out)
}
