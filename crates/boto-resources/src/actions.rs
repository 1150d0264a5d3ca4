//! Actions, sub-resources, references and waiters of a resource (boto3's
//! `ServiceAction`, `WaiterAction` and the factory's `has` properties).

use crate::model::{Action, Source};
use crate::params::{create_request_parameters, user_params};
use crate::response::{handle, raw, ActionOutput};
use crate::{did_you_mean, Collection, Identifiers, Resource};
use boto::core::runtime::waiter::{Waiter, WaiterConfig};
use boto::{Error, Map, Value};
use std::time::Duration;

impl Resource {
    /// Calls an action by model (`Delete`) or snake (`delete`) name with the
    /// caller's parameters (a map, or `Value::Null`). Parameters from the
    /// model (identifiers, data, literals) are filled in first and the
    /// caller's replace them key by key, as boto3's `params.update(kwargs)`.
    /// Afterwards the loaded data is dropped (when the class can load), so
    /// the next attribute access reloads.
    pub async fn action(&self, name: &str, params: Value) -> Result<ActionOutput, Error> {
        if let Some(fut) = crate::customizations::action(self, name, params.clone()) {
            return fut.await;
        }
        let def = self.model().clone();
        let Some(action) = def.action(name) else {
            let names = def
                .actions
                .iter()
                .map(|a| a.py_name.clone())
                .chain(
                    crate::customizations::action_names(&def)
                        .iter()
                        .map(|s| s.to_string()),
                )
                .collect::<Vec<_>>();
            return Err(Error::validation(format!(
                "{} has no action {name:?}{}",
                self.class_name(),
                did_you_mean(name, names.iter().map(String::as_str))
            )));
        };
        let user = user_params(&format!("{}.{}", self.class_name(), action.py_name), params)?;
        let out = self.run_action(action, user).await;
        if self.can_load() {
            self.set_data(None);
        }
        out
    }

    /// Runs `action` (boto3's `ServiceAction.__call__`).
    pub(crate) async fn run_action(
        &self,
        action: &Action,
        user: Map,
    ) -> Result<ActionOutput, Error> {
        let mut params = Map::new();
        create_request_parameters(self, &action.request.params, &mut params, None).await?;
        for (k, v) in user {
            params.insert(k, v);
        }
        let params = Value::Map(params);
        let response = self
            .ctx()
            .call(&action.request.operation, params.clone())
            .await?;
        match &action.resource {
            Some(rr) => handle(rr, self, &params, response, Some(&action.request.operation)).await,
            None => Ok(ActionOutput::Data(raw(action.path.as_deref(), response)?)),
        }
    }

    /// A sub-resource (`bucket.subresource("Object", ["key"])`): the parent
    /// supplies its identifiers, the caller the rest, in model order. On a
    /// service resource every class is a sub-resource
    /// (`s3.subresource("Bucket", ["name"])`). Makes no call.
    pub fn subresource(&self, name: &str, ids: impl Identifiers) -> Result<Resource, Error> {
        let def = self.model();
        let Some(sub) = def.subresource(name) else {
            let names = def.subresources.iter().map(|s| s.py_name.as_str());
            return Err(Error::validation(format!(
                "{} has no sub-resource {name:?}{}",
                self.class_name(),
                did_you_mean(name, names)
            )));
        };
        let class = self.ctx().models.require(&sub.resource.type_name)?.clone();
        let mut given = ids.into_values().into_iter();
        let inputs = class.identifiers.len()
            - sub
                .resource
                .identifiers
                .iter()
                .filter(|p| p.source != Source::Input)
                .count();
        let mut values = vec![Value::Null; class.identifiers.len()];
        let mut from_parent = vec![false; values.len()];
        for p in &sub.resource.identifiers {
            if p.source == Source::Input {
                continue;
            }
            let v = match p.source {
                Source::Identifier => self
                    .identifier(p.name.as_deref().unwrap_or_default())
                    .cloned()
                    .unwrap_or_default(),
                Source::String | Source::Integer | Source::Boolean => {
                    p.value.clone().unwrap_or_default()
                }
                _ => {
                    return Err(Error::validation(format!(
                        "{}.{name}: a sub-resource cannot take {:?} identifiers",
                        self.class_name(),
                        p.source.as_str()
                    )))
                }
            };
            if let Some(i) = class.identifier_index(&p.target) {
                values[i] = v;
                from_parent[i] = true;
            }
        }
        let given_count = given.len();
        if given_count != inputs {
            let names: Vec<&str> = class
                .identifiers
                .iter()
                .zip(&from_parent)
                .filter(|(_, p)| !**p)
                .map(|(i, _)| i.py_name.as_str())
                .collect();
            return Err(Error::validation(format!(
                "{}.{name} takes {inputs} identifier{} ({}), got {given_count}",
                self.class_name(),
                if inputs == 1 { "" } else { "s" },
                names.join(", ")
            )));
        }
        for (slot, parent) in values.iter_mut().zip(&from_parent) {
            if !parent {
                *slot = given.next().unwrap_or_default();
            }
        }
        Resource::with_ids(self.ctx(), &class, values)
    }

    /// A reference (`instance.reference("vpc")`): a related resource whose
    /// identifiers come from this resource's data (loaded if needed).
    /// `ActionOutput::None` when the data does not name one; plural
    /// references give `ActionOutput::Resources`.
    pub async fn reference(&self, name: &str) -> Result<ActionOutput, Error> {
        let def = self.model().clone();
        let Some(r) = def.reference(name) else {
            let names = def.references.iter().map(|s| s.py_name.as_str());
            return Err(Error::validation(format!(
                "{} has no reference {name:?}{}",
                self.class_name(),
                did_you_mean(name, names)
            )));
        };
        let data = if r.needs_data() && self.data().is_none() && self.can_load() {
            self.ensure_loaded().await?
        } else {
            self.data().unwrap_or_default()
        };
        handle(
            &r.resource,
            self,
            &Value::Map(Map::new()),
            (*data).clone(),
            None,
        )
        .await
    }

    /// A collection (`bucket.collection("objects")`).
    pub fn collection(&self, name: &str) -> Result<Collection, Error> {
        let def = self.model();
        let Some(index) = def
            .collections
            .iter()
            .position(|c| c.name == name || c.py_name == name)
        else {
            let names = def.collections.iter().map(|s| s.py_name.as_str());
            return Err(Error::validation(format!(
                "{} has no collection {name:?}{}",
                self.class_name(),
                did_you_mean(name, names)
            )));
        };
        Ok(Collection::new(self.clone(), index))
    }

    /// Waits with a resource waiter (`Exists` or `wait_until_exists`).
    /// `params` may add request parameters and a boto3-style
    /// `WaiterConfig: {Delay, MaxAttempts}`.
    pub async fn wait_until(&self, name: &str, params: Value) -> Result<(), Error> {
        let def = self.model().clone();
        let Some(w) = def.waiter(name) else {
            let short: Vec<String> = def
                .waiters
                .iter()
                .map(|w| boto::core::model::xform_name(&w.name, '_'))
                .collect();
            let names = def
                .waiters
                .iter()
                .map(|s| s.py_name.as_str())
                .chain(short.iter().map(String::as_str));
            return Err(Error::validation(format!(
                "{} has no waiter {name:?}{}",
                self.class_name(),
                did_you_mean(name, names)
            )));
        };
        let mut user = user_params(&format!("{}.{}", self.class_name(), w.py_name), params)?;
        let mut config = WaiterConfig::default();
        if let Some(c) = user.shift_remove("WaiterConfig") {
            config.delay = c
                .get("Delay")
                .as_f64()
                .map(|s| Duration::from_secs_f64(s.max(0.0)));
            config.max_attempts = c
                .get("MaxAttempts")
                .as_i64()
                .map(|n| n.clamp(1, u32::MAX as i64) as u32);
        }
        let mut req = Map::new();
        create_request_parameters(self, &w.params, &mut req, None).await?;
        for (k, v) in user {
            req.insert(k, v);
        }
        let waiter = Waiter::new(self.meta().invoker().clone(), &w.waiter_name)?;
        waiter.wait(Value::Map(req), config).await.map(|_| ())
    }
}
