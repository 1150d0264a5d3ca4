//! Reading `resources-1.json` into the typed model (boto3's `ResourceModel`
//! properties, computed once instead of on every attribute access).

use super::*;
use boto::core::model::ShapeKind;
use serde_json::Value as Json;

type Obj = serde_json::Map<String, Json>;

fn err(ctx: &str, msg: impl std::fmt::Display) -> Error {
    Error::construction(format!("resource model {ctx}: {msg}"))
}

fn obj<'a>(j: &'a Json, key: &str) -> Option<&'a Obj> {
    j.get(key).and_then(Json::as_object)
}

fn string(j: &Json, key: &str, ctx: &str) -> Result<String, Error> {
    j.get(key)
        .and_then(Json::as_str)
        .map(str::to_string)
        .ok_or_else(|| err(ctx, format!("missing string {key:?}")))
}

fn opt_string(j: &Json, key: &str) -> Option<String> {
    j.get(key).and_then(Json::as_str).map(str::to_string)
}

fn params(j: Option<&Json>, ctx: &str) -> Result<Vec<Param>, Error> {
    let Some(list) = j.and_then(Json::as_array) else {
        return Ok(Vec::new());
    };
    list.iter()
        .map(|p| {
            let src = string(p, "source", ctx)?;
            let source =
                Source::parse(&src).ok_or_else(|| err(ctx, format!("unknown source {src:?}")))?;
            Ok(Param {
                target: string(p, "target", ctx)?,
                source,
                name: opt_string(p, "name"),
                path: opt_string(p, "path"),
                value: p.get("value").map(Value::from_json),
            })
        })
        .collect()
}

fn request(j: &Json, ctx: &str) -> Result<Request, Error> {
    let r = j
        .get("request")
        .ok_or_else(|| err(ctx, "missing \"request\""))?;
    Ok(Request {
        operation: string(r, "operation", ctx)?,
        params: params(r.get("params"), ctx)?,
    })
}

fn response_resource(j: Option<&Json>, ctx: &str) -> Result<Option<ResponseResource>, Error> {
    let Some(r) = j else { return Ok(None) };
    Ok(Some(ResponseResource {
        type_name: string(r, "type", ctx)?,
        identifiers: params(r.get("identifiers"), ctx)?,
        path: opt_string(r, "path"),
    }))
}

fn action(name: &str, py_name: String, j: &Json, ctx: &str) -> Result<Action, Error> {
    let ctx = format!("{ctx} action {name}");
    Ok(Action {
        name: name.to_string(),
        py_name,
        request: request(j, &ctx)?,
        resource: response_resource(j.get("resource"), &ctx)?,
        path: opt_string(j, "path"),
    })
}

/// The `has` definition, with the service resource's implicit sub-resources.
fn has_definition(def: &Json, is_service: bool, all: &Obj) -> Vec<(String, Json)> {
    let own: Vec<(String, Json)> = obj(def, "has")
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    if !is_service {
        return own;
    }
    // A dict in boto3: a later entry with the same name replaces an earlier
    // one in place (ec2's `KeyPair` is first the implicit KeyPair class, then
    // the declared `KeyPair` → KeyPairInfo).
    let mut out: Vec<(String, Json)> = Vec::new();
    let set = |out: &mut Vec<(String, Json)>, k: &str, v: Json| match out
        .iter_mut()
        .find(|(n, _)| n == k)
    {
        Some(slot) => slot.1 = v,
        None => out.push((k.to_string(), v)),
    };
    for (name, rdef) in all {
        let mut found = false;
        for (has_name, has_def) in &own {
            let ty = has_def.pointer("/resource/type").and_then(Json::as_str);
            if ty == Some(name.as_str()) {
                set(&mut out, has_name, has_def.clone());
                found = true;
            }
        }
        if !found {
            let ids: Vec<Json> = rdef
                .get("identifiers")
                .and_then(Json::as_array)
                .map(|l| {
                    l.iter()
                        .map(|i| {
                            serde_json::json!({"target": i.get("name").cloned().unwrap_or(Json::Null), "source": "input"})
                        })
                        .collect()
                })
                .unwrap_or_default();
            set(
                &mut out,
                name,
                serde_json::json!({"resource": {"type": name, "identifiers": ids}}),
            );
        }
    }
    out
}

fn resource(
    service: &str,
    name: &str,
    def: &Json,
    is_service: bool,
    all: &Obj,
    model: &ServiceModel,
) -> Result<ResourceDef, Error> {
    let ctx = if is_service {
        format!("{service}.ServiceResource")
    } else {
        format!("{service}.{name}")
    };
    let shape = opt_string(def, "shape");
    let members: Vec<String> = shape
        .as_deref()
        .and_then(|s| model.shape_by_name(s))
        .and_then(|s| match &s.kind {
            ShapeKind::Structure(st) => {
                Some(st.members.iter().map(|m| m.name.to_string()).collect())
            }
            _ => None,
        })
        .unwrap_or_default();
    let has = has_definition(def, is_service, all);
    let is_ref = |h: &Json| {
        h.pointer("/resource/identifiers")
            .and_then(Json::as_array)
            .is_some_and(|l| {
                l.iter()
                    .any(|i| i.get("source").and_then(Json::as_str) == Some("data"))
            })
    };

    let mut names = Names::new(def.get("load").is_some());
    let raw_ids: Vec<&Json> = def
        .get("identifiers")
        .and_then(Json::as_array)
        .map(|l| l.iter().collect())
        .unwrap_or_default();
    for i in &raw_ids {
        names.add(&string(i, "name", &ctx)?, "identifier", true)?;
    }
    if let Some(actions) = obj(def, "actions") {
        for n in actions.keys() {
            names.add(n, "action", true)?;
        }
    }
    for (n, h) in &has {
        if is_ref(h) {
            names.add(n, "reference", true)?;
        } else {
            names.add(n, "subresource", false)?;
        }
    }
    if let Some(many) = obj(def, "hasMany") {
        for n in many.keys() {
            names.add(n, "collection", true)?;
        }
    }
    if let Some(w) = obj(def, "waiters") {
        for n in w.keys() {
            names.add(&format!("WaitUntil{n}"), "waiter", true)?;
        }
    }
    for m in &members {
        names.add(m, "attribute", true)?;
    }

    let identifiers: Vec<Identifier> = raw_ids
        .iter()
        .map(|i| {
            let n = string(i, "name", &ctx)?;
            Ok(Identifier {
                py_name: names.get("identifier", &n, true),
                name: n,
                member_name: opt_string(i, "memberName"),
            })
        })
        .collect::<Result<_, Error>>()?;
    let load = match def.get("load") {
        Some(l) => Some(action("load", "load".into(), l, &ctx)?),
        None => None,
    };
    let mut actions = Vec::new();
    for (n, a) in obj(def, "actions").into_iter().flatten() {
        actions.push(action(n, names.get("action", n, true), a, &ctx)?);
    }
    let mut batch_actions = Vec::new();
    for (n, a) in obj(def, "batchActions").into_iter().flatten() {
        batch_actions.push(action(n, names.get("batch_action", n, true), a, &ctx)?);
    }
    let (mut subresources, mut references) = (Vec::new(), Vec::new());
    for (n, h) in &has {
        let hctx = format!("{ctx} has {n}");
        let resource = response_resource(h.get("resource"), &hctx)?
            .ok_or_else(|| err(&hctx, "missing \"resource\""))?;
        if is_ref(h) {
            let py_name = names.get("reference", n, true);
            references.push(Related {
                name: n.clone(),
                py_name,
                resource,
            });
        } else {
            let py_name = names.get("subresource", n, false);
            subresources.push(Related {
                name: n.clone(),
                py_name,
                resource,
            });
        }
    }
    let mut collections = Vec::new();
    for (n, c) in obj(def, "hasMany").into_iter().flatten() {
        let cctx = format!("{ctx} hasMany {n}");
        collections.push(CollectionDef {
            name: n.clone(),
            py_name: names.get("collection", n, true),
            request: request(c, &cctx)?,
            resource: response_resource(c.get("resource"), &cctx)?
                .ok_or_else(|| err(&cctx, "missing \"resource\""))?,
        });
    }
    let mut waiters = Vec::new();
    for (n, w) in obj(def, "waiters").into_iter().flatten() {
        let wctx = format!("{ctx} waiter {n}");
        waiters.push(WaiterDef {
            name: n.clone(),
            py_name: names.get("waiter", &format!("WaitUntil{n}"), true),
            waiter_name: string(w, "waiterName", &wctx)?,
            params: params(w.get("params"), &wctx)?,
        });
    }
    let id_names: Vec<&str> = identifiers.iter().map(|i| i.py_name.as_str()).collect();
    let attributes = members
        .iter()
        .filter(|m| !id_names.contains(&xform_name(m, '_').as_str()))
        .map(|m| Attribute {
            name: m.clone(),
            py_name: names.get("attribute", m, true),
        })
        .collect();
    Ok(ResourceDef {
        service: service.to_string(),
        name: name.to_string(),
        is_service,
        identifiers,
        shape,
        load,
        actions,
        batch_actions,
        subresources,
        references,
        collections,
        waiters,
        attributes,
    })
}

pub(super) fn service_resources(
    service: &str,
    doc: &Json,
    model: &ServiceModel,
) -> Result<ServiceResources, Error> {
    let empty = Obj::new();
    let all = obj(doc, "resources").unwrap_or(&empty);
    let service_def = doc
        .get("service")
        .cloned()
        .unwrap_or(Json::Object(Obj::new()));
    let service_resource = resource(service, service, &service_def, true, all, model)?;
    let resources = all
        .iter()
        .map(|(n, d)| resource(service, n, d, false, all, model))
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(ServiceResources::new(
        service.to_string(),
        service_resource,
        resources,
    ))
}
