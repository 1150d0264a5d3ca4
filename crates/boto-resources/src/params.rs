//! Request parameters from a resource (boto3's `resources/params.py`).
//!
//! Each model parameter names a `target` in the request (`Bucket`,
//! `Delete.Objects[*].Key`, `Filters[0].Values[0]`) and a `source`: an
//! identifier, a member of the loaded data, a literal, or the caller.
//! [`build_param_structure`] is boto3's small "reverse JMESPath" that
//! creates the nested maps and lists on the way.

use crate::model::{Param, Source};
use crate::Resource;
use boto::{Error, Map, Value};

/// Sets `value` at `target` inside `params`, creating maps and lists as
/// needed. `index` places the value in lists marked `[*]` (batch actions
/// fill one list element per resource); `[]` appends; `[n]` is explicit.
pub fn build_param_structure(params: &mut Map, target: &str, value: Value, index: Option<usize>) {
    let parts: Vec<&str> = target.split('.').collect();
    let mut index = index;
    let mut pos: &mut Map = params;
    let mut value = Some(value);
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        let bracket = part.ends_with(']').then(|| part.find('[')).flatten();
        if let Some(open) = bracket {
            let name = &part[..open];
            match &part[open + 1..part.len() - 1] {
                "" => index = None,
                "*" => {}
                n => index = n.parse().ok(),
            }
            let entry = pos
                .entry(name.to_string())
                .or_insert_with(|| Value::List(Vec::new()));
            if !matches!(entry, Value::List(_)) {
                *entry = Value::List(Vec::new());
            }
            let Value::List(list) = entry else {
                return;
            };
            let idx = index.unwrap_or(list.len());
            index = Some(idx);
            while list.len() <= idx {
                list.push(Value::Map(Map::new()));
            }
            if last {
                list[idx] = value.take().unwrap_or_default();
                return;
            }
            let slot = &mut list[idx];
            if !matches!(slot, Value::Map(_)) {
                *slot = Value::Map(Map::new());
            }
            let Value::Map(m) = slot else { return };
            pos = m;
        } else {
            if last {
                pos.insert(part.to_string(), value.take().unwrap_or_default());
                return;
            }
            let entry = pos
                .entry(part.to_string())
                .or_insert_with(|| Value::Map(Map::new()));
            if !matches!(entry, Value::Map(_)) {
                *entry = Value::Map(Map::new());
            }
            let Value::Map(m) = entry else { return };
            pos = m;
        }
    }
}

/// The value of one non-input parameter, read from `parent`.
pub(crate) async fn param_value(parent: &Resource, p: &Param) -> Result<Option<Value>, Error> {
    Ok(Some(match p.source {
        Source::Identifier => {
            let name = p.name.as_deref().unwrap_or_default();
            parent.identifier(name).cloned().ok_or_else(|| {
                Error::validation(format!(
                    "{} has no identifier {name:?} (resource model)",
                    parent.class_name()
                ))
            })?
        }
        Source::Data => {
            let path = p.path.as_deref().unwrap_or("@");
            parent.data_member(path).await?
        }
        Source::String | Source::Integer | Source::Boolean => p.value.clone().unwrap_or_default(),
        Source::Input => return Ok(None),
        Source::RequestParameter | Source::Response => {
            return Err(Error::validation(format!(
                "{}: source {:?} is not valid in a request",
                parent.class_name(),
                p.source.as_str()
            )))
        }
    }))
}

/// boto3's `create_request_parameters`: fills `params` from `parent`.
pub(crate) async fn create_request_parameters(
    parent: &Resource,
    defs: &[Param],
    params: &mut Map,
    index: Option<usize>,
) -> Result<(), Error> {
    for p in defs {
        if let Some(v) = param_value(parent, p).await? {
            build_param_structure(params, &p.target, v, index);
        }
    }
    Ok(())
}

/// botocore's `merge_dicts(a, b, append_lists=True)`: maps merge
/// recursively, lists append, anything else is replaced.
pub fn merge_params(a: &mut Map, b: &Map) {
    for (k, v) in b {
        match (a.get_mut(k), v) {
            (Some(Value::Map(x)), Value::Map(y)) => merge_params(x, y),
            (Some(Value::List(x)), Value::List(y)) => x.extend(y.iter().cloned()),
            _ => {
                a.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Caller parameters as a map (`null` = none); anything else is an error.
pub(crate) fn user_params(what: &str, v: Value) -> Result<Map, Error> {
    match v {
        Value::Null => Ok(Map::new()),
        Value::Map(m) => Ok(m),
        other => Err(Error::validation(format!(
            "{what}: parameters must be a map, got {}",
            other.type_name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto::value;

    fn build(steps: &[(&str, Value, Option<usize>)]) -> Value {
        let mut m = Map::new();
        for (t, v, i) in steps {
            build_param_structure(&mut m, t, v.clone(), *i);
        }
        Value::Map(m)
    }

    #[test]
    fn reverse_jmespath_like_boto3() {
        assert_eq!(
            build(&[("test[0]", 1u64.into(), None)]),
            value!({"test": [1]})
        );
        assert_eq!(
            build(&[("foo.bar[0].baz", "hello".into(), None)]),
            value!({"foo": {"bar": [{"baz": "hello"}]}})
        );
        assert_eq!(
            build(&[
                ("Bucket", "b".into(), Some(0)),
                ("Delete.Objects[*].Key", "k0".into(), Some(0)),
                ("Delete.Objects[*].Key", "k1".into(), Some(1)),
                ("Delete.Objects[*].VersionId", "v1".into(), Some(1)),
            ]),
            value!({"Bucket": "b", "Delete": {"Objects": [{"Key": "k0"}, {"Key": "k1", "VersionId": "v1"}]}})
        );
        assert_eq!(
            build(&[
                ("InstanceIds[]", "a".into(), None),
                ("InstanceIds[]", "b".into(), None)
            ]),
            value!({"InstanceIds": ["a", "b"]})
        );
        assert_eq!(
            build(&[
                ("Filters[0].Name", "vpc-id".into(), None),
                ("Filters[0].Values[0]", "v".into(), None),
                ("Filters[1].Name", "x".into(), None),
            ]),
            value!({"Filters": [{"Name": "vpc-id", "Values": ["v"]}, {"Name": "x"}]})
        );
        assert_eq!(
            build(&[
                ("Tags[*].Key", "k".into(), None),
                ("Tags[*].Value", "v".into(), None)
            ]),
            value!({"Tags": [{"Key": "k"}, {"Value": "v"}]})
        );
    }

    #[test]
    fn merge_appends_lists() {
        let mut a = value!({"Filters": [{"Name": "a"}], "X": {"Y": 1}, "Z": 1});
        let b = value!({"Filters": [{"Name": "b"}], "X": {"W": 2}, "Z": 2});
        merge_params(a.as_map_mut().unwrap(), b.as_map().unwrap());
        assert_eq!(
            a,
            value!({"Filters": [{"Name": "a"}, {"Name": "b"}], "X": {"Y": 1, "W": 2}, "Z": 2})
        );
    }
}
