//! Resources from responses (boto3's `resources/response.py`).
//!
//! An action, reference or collection that names a `resource` builds it from
//! identifiers found in the response, the request that was sent, the parent's
//! identifiers or its data. When any identifier is a list the result is
//! plural (`ec2.create_instances` → instances), each resource taking the
//! element at its position and, when the model gives a `path`, its data.

use crate::model::{ResponseResource, Source};
use crate::path::cached as path;
use crate::{Resource, Value};
use boto::core::model::ShapeKind;
use boto::{Error, Map};

/// What an action returns.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionOutput {
    /// Nothing (a resource action whose identifiers were not in the response,
    /// and whose output shape is neither a list nor a structure).
    None,
    /// The raw response, or the part selected by the action's `path`.
    Data(Value),
    /// One resource.
    Resource(Resource),
    /// Several resources (plural identifiers).
    Resources(Vec<Resource>),
}

impl ActionOutput {
    /// The single resource, if that is what the action returned.
    pub fn into_resource(self) -> Option<Resource> {
        match self {
            ActionOutput::Resource(r) => Some(r),
            _ => None,
        }
    }
    /// The resources (one resource counts as a list of one).
    pub fn into_resources(self) -> Vec<Resource> {
        match self {
            ActionOutput::Resource(r) => vec![r],
            ActionOutput::Resources(v) => v,
            _ => Vec::new(),
        }
    }
    /// The raw data, if the action returned data.
    pub fn into_data(self) -> Option<Value> {
        match self {
            ActionOutput::Data(v) => Some(v),
            _ => None,
        }
    }
}

/// boto3's `build_identifiers`: `(target, value)` pairs, target snake_cased.
pub(crate) async fn build_identifiers(
    defs: &[crate::model::Param],
    parent: &Resource,
    params: &Value,
    raw: &Value,
) -> Result<Vec<(String, Value)>, Error> {
    let mut out = Vec::with_capacity(defs.len());
    for d in defs {
        let p = d.path.as_deref().unwrap_or("@");
        let v = match d.source {
            Source::Response => path(p)?.search(raw),
            Source::RequestParameter => path(p)?.search(params),
            Source::Input => continue,
            _ => match crate::params::param_value(parent, d).await? {
                Some(v) => v,
                None => continue,
            },
        };
        out.push((d.target.clone(), v));
    }
    Ok(out)
}

/// boto3's `ResourceHandler`: the resource(s) named by `rr` from a response.
/// `operation` is set for actions and collections (an empty response then
/// becomes an empty list or map, as boto3's `build_empty_response`).
pub(crate) async fn handle(
    rr: &ResponseResource,
    parent: &Resource,
    params: &Value,
    mut response: Value,
    operation: Option<&str>,
) -> Result<ActionOutput, Error> {
    let def = parent.ctx().models.require(&rr.type_name)?.clone();
    let mut ids = build_identifiers(&rr.identifiers, parent, params, &response).await?;
    // After the identifiers: the data is moved out of the response, not copied.
    let search = match rr.path.as_deref() {
        Some(p) => Some(path(p)?.take(&mut response)),
        None => None,
    };
    if let Some(n) = ids
        .iter()
        .find_map(|(_, v)| v.as_list().map(<[Value]>::len))
    {
        let mut items = match search {
            Some(Value::List(l)) if !l.is_empty() => l.into_iter().map(Some).collect(),
            _ => vec![None; n],
        };
        items.resize(n, None);
        let mut out = Vec::with_capacity(n);
        for (i, data) in items.into_iter().enumerate() {
            let values = ids
                .iter_mut()
                .map(|(t, v)| {
                    let v = match v {
                        Value::List(l) => l.get_mut(i).map(std::mem::take).unwrap_or_default(),
                        other => other.clone(),
                    };
                    (t.as_str(), v)
                })
                .collect::<Vec<_>>();
            out.push(Resource::from_response(parent.ctx(), &def, values, data)?);
        }
        return Ok(ActionOutput::Resources(out));
    }
    if ids.iter().all(|(_, v)| !v.is_null()) {
        let values = ids.iter().map(|(t, v)| (t.as_str(), v.clone())).collect();
        let data = search.filter(|v| !v.is_null());
        return Ok(ActionOutput::Resource(Resource::from_response(
            parent.ctx(),
            &def,
            values,
            data,
        )?));
    }
    Ok(match operation {
        Some(op) => empty_response(parent, rr.path.as_deref(), op),
        None => ActionOutput::None,
    })
}

/// boto3's `build_empty_response`: `[]` for a list, `{}` for a structure or
/// map, nothing otherwise.
fn empty_response(parent: &Resource, search_path: Option<&str>, operation: &str) -> ActionOutput {
    let model = parent.ctx().invoker.model().clone();
    let Some(mut shape) = model
        .operation(operation)
        .and_then(|o| o.output.as_ref())
        .map(|r| r.target)
    else {
        return ActionOutput::None;
    };
    for item in search_path
        .unwrap_or_default()
        .split('.')
        .filter(|s| !s.is_empty())
    {
        let item = item.trim_matches(|c: char| c.is_ascii_digit() || "[]$".contains(c));
        shape = match &model.shape(shape).kind {
            ShapeKind::Structure(s) => match s.member(item) {
                Some(m) => m.target,
                None => return ActionOutput::None,
            },
            ShapeKind::List { member } => member.target,
            _ => return ActionOutput::None,
        };
    }
    match &model.shape(shape).kind {
        ShapeKind::List { .. } => ActionOutput::Resources(Vec::new()),
        ShapeKind::Structure(_) | ShapeKind::Map { .. } => {
            ActionOutput::Data(Value::Map(Map::new()))
        }
        _ => ActionOutput::None,
    }
}

/// boto3's `RawHandler`: the response, or the part at `path`.
pub(crate) fn raw(search_path: Option<&str>, response: Value) -> Result<Value, Error> {
    match search_path {
        Some(p) if !p.is_empty() && p != "$" => Ok(path(p)?.search(&response)),
        _ => Ok(response),
    }
}
