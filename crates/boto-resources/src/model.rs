//! The resource model: boto3's `resources-1.json` parsed into typed structs.
//!
//! Replaces `boto3.resources.model` (`ResourceModel`, `Action`, `Request`,
//! `Parameter`, `ResponseResource`, `Collection`, `Waiter`). The Python names
//! (`snake_case`, with boto3's collision renames such as `id_attribute`) are
//! computed once here, in boto3's order of precedence: load, identifiers,
//! actions, sub-resources, references, collections, waiters, attributes.
//! The service resource gets every resource of the service as a
//! sub-resource, as boto3's `_get_has_definition` does.

mod parse;

use boto::core::model::{xform_name, ServiceModel};
use boto::{Error, Value};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// Where a request parameter or an identifier value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// One of the resource's identifiers (`name`).
    Identifier,
    /// The resource's loaded data, through a JMESPath `path`.
    Data,
    /// A literal (`value`).
    String,
    /// A literal integer (`value`).
    Integer,
    /// A literal boolean (`value`).
    Boolean,
    /// Supplied by the caller.
    Input,
    /// The request that was sent, through `path`.
    RequestParameter,
    /// The response received, through `path`.
    Response,
}

impl Source {
    pub(crate) fn parse(s: &str) -> Option<Source> {
        Some(match s {
            "identifier" => Source::Identifier,
            "data" => Source::Data,
            "string" => Source::String,
            "integer" => Source::Integer,
            "boolean" => Source::Boolean,
            "input" => Source::Input,
            "requestParameter" => Source::RequestParameter,
            "response" => Source::Response,
            _ => return None,
        })
    }
    /// The model's spelling (`identifier`, `requestParameter`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Identifier => "identifier",
            Source::Data => "data",
            Source::String => "string",
            Source::Integer => "integer",
            Source::Boolean => "boolean",
            Source::Input => "input",
            Source::RequestParameter => "requestParameter",
            Source::Response => "response",
        }
    }
}

/// A request parameter (`target` in the request) or a response identifier
/// (`target` = the new resource's identifier name).
#[derive(Debug, Clone)]
pub struct Param {
    /// Where the value goes: a request parameter path (`Bucket`, `Filters[0].Values[0]`) or the new resource's identifier.
    pub target: String,
    /// Where the value comes from.
    pub source: Source,
    /// The identifier name, for `identifier` sources.
    pub name: Option<String>,
    /// A JMESPath expression, for `data`, `requestParameter` and `response` sources.
    pub path: Option<String>,
    /// The literal, for `string`/`integer`/`boolean` sources.
    pub value: Option<Value>,
}

/// An operation call with its parameter mapping.
#[derive(Debug, Clone)]
pub struct Request {
    /// The client operation (`DeleteObject`).
    pub operation: String,
    /// How its parameters are filled.
    pub params: Vec<Param>,
}

/// The resource(s) an action, reference or collection yields.
#[derive(Debug, Clone)]
pub struct ResponseResource {
    /// The class of the resources made (`Object`).
    pub type_name: String,
    /// How their identifiers are filled.
    pub identifiers: Vec<Param>,
    /// Where the new resources' data is found in the response.
    pub path: Option<String>,
}

/// An action (also the `load` action and batch actions).
#[derive(Debug, Clone)]
pub struct Action {
    /// The model name (`Delete`, `PutObject`).
    pub name: String,
    /// The Python name (`delete`, `put_object`).
    pub py_name: String,
    /// The call made.
    pub request: Request,
    /// The resource(s) the action returns, if any.
    pub resource: Option<ResponseResource>,
    /// A JMESPath into the raw response (load actions, raw data).
    pub path: Option<String>,
}

/// An identifier of a resource.
#[derive(Debug, Clone)]
pub struct Identifier {
    /// The model name (`BucketName`).
    pub name: String,
    /// The Python name (`bucket_name`).
    pub py_name: String,
    /// The shape member that holds the same value (`memberName`).
    pub member_name: Option<String>,
}

/// A `has` entry: a sub-resource (built from identifiers) or a reference
/// (needs the resource's data).
#[derive(Debug, Clone)]
pub struct Related {
    /// The model name (`Object`, `Vpc`).
    pub name: String,
    /// Sub-resources keep their model name (`Object`); references are snake_case.
    pub py_name: String,
    /// The resource it yields and how its identifiers are filled.
    pub resource: ResponseResource,
}

impl Related {
    /// True when an identifier comes from the resource's data (a reference).
    pub fn needs_data(&self) -> bool {
        self.resource
            .identifiers
            .iter()
            .any(|p| p.source == Source::Data)
    }
}

/// A `hasMany` entry.
#[derive(Debug, Clone)]
pub struct CollectionDef {
    /// The model name (`Objects`).
    pub name: String,
    /// The Python name (`objects`).
    pub py_name: String,
    /// The listing call (paginated when the operation has a paginator).
    pub request: Request,
    /// The resources it yields, one per item.
    pub resource: ResponseResource,
}

/// A resource waiter (`wait_until_exists`).
#[derive(Debug, Clone)]
pub struct WaiterDef {
    /// The model name (`Exists`).
    pub name: String,
    /// `wait_until_exists`.
    pub py_name: String,
    /// The client waiter (`ObjectExists`).
    pub waiter_name: String,
    /// Parameters of the waiter call (usually identifiers).
    pub params: Vec<Param>,
}

/// An attribute: a member of the resource's shape.
#[derive(Debug, Clone)]
pub struct Attribute {
    /// The shape member's name (`ContentLength`).
    pub name: String,
    /// The Python name (`content_length`).
    pub py_name: String,
}

/// One resource class (or the service resource).
#[derive(Debug, Clone)]
pub struct ResourceDef {
    /// The service (`s3`).
    pub service: String,
    /// The resource name (`Object`); the service name for the service resource.
    pub name: String,
    /// True for the service resource (`boto3.resource("s3")` itself).
    pub is_service: bool,
    /// The identifiers, in the order they are given positionally.
    pub identifiers: Vec<Identifier>,
    /// The output shape whose members are the attributes.
    pub shape: Option<String>,
    /// The load action (`HeadObject` for `s3.Object`), if the model has one.
    pub load: Option<Action>,
    /// Actions.
    pub actions: Vec<Action>,
    /// Batch actions (run per page of a collection).
    pub batch_actions: Vec<Action>,
    /// Sub-resources (built from identifiers).
    pub subresources: Vec<Related>,
    /// References (need the loaded data).
    pub references: Vec<Related>,
    /// Collections (`hasMany`).
    pub collections: Vec<CollectionDef>,
    /// Resource waiters.
    pub waiters: Vec<WaiterDef>,
    /// Shape members that are not identifiers (identifier aliases included).
    pub attributes: Vec<Attribute>,
}

impl ResourceDef {
    /// boto3's class name: `s3.Object`, `s3.ServiceResource`.
    pub fn class_name(&self) -> String {
        if self.is_service {
            format!("{}.ServiceResource", self.service)
        } else {
            format!("{}.{}", self.service, self.name)
        }
    }
    /// An action by model (`Delete`) or Python (`delete`) name.
    pub fn action(&self, name: &str) -> Option<&Action> {
        self.actions
            .iter()
            .find(|a| a.name == name || a.py_name == name)
    }
    /// A batch action by model or Python name.
    pub fn batch_action(&self, name: &str) -> Option<&Action> {
        self.batch_actions
            .iter()
            .find(|a| a.name == name || a.py_name == name || xform_name(&a.name, '_') == name)
    }
    /// A collection by model or Python name.
    pub fn collection(&self, name: &str) -> Option<&CollectionDef> {
        self.collections
            .iter()
            .find(|c| c.name == name || c.py_name == name)
    }
    /// A sub-resource by model or snake name.
    pub fn subresource(&self, name: &str) -> Option<&Related> {
        self.subresources
            .iter()
            .find(|r| r.name == name || r.py_name == name || xform_name(&r.name, '_') == name)
    }
    /// A reference by model or Python name.
    pub fn reference(&self, name: &str) -> Option<&Related> {
        self.references
            .iter()
            .find(|r| r.name == name || r.py_name == name)
    }
    /// A waiter by model name (`Exists`), `exists` or `wait_until_exists`.
    pub fn waiter(&self, name: &str) -> Option<&WaiterDef> {
        let stripped = name.strip_prefix("wait_until_").unwrap_or(name);
        self.waiters
            .iter()
            .find(|w| w.name == name || w.py_name == name || xform_name(&w.name, '_') == stripped)
    }
    /// The position of an identifier by model or snake name.
    ///
    /// On the hot path of every attribute read (`attr` asks here first), so
    /// it does not allocate: `py_name` is the snake name, except after a
    /// collision rename (`meta` → `meta_identifier`), where the snake name
    /// is `py_name` without its `_identifier` suffix.
    pub fn identifier_index(&self, name: &str) -> Option<usize> {
        self.identifiers
            .iter()
            .position(|i| i.name == name || i.py_name == name)
            .or_else(|| {
                self.identifiers.iter().position(|i| {
                    i.py_name.strip_suffix("_identifier") == Some(name)
                        && xform_name(&i.name, '_') == name
                })
            })
    }
    /// An attribute by shape-member or Python name.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes
            .iter()
            .find(|a| a.name == name || a.py_name == name)
    }
}

/// Every resource class of one service.
#[derive(Debug)]
pub struct ServiceResources {
    /// The service (`s3`).
    pub service: String,
    /// The service resource (`boto3.resource("s3")`).
    pub service_resource: Arc<ResourceDef>,
    /// Every other class.
    pub resources: Vec<Arc<ResourceDef>>,
    index: HashMap<String, usize>,
}

impl ServiceResources {
    /// Parses `resources-1.json` against the service model.
    pub fn from_json(
        service: &str,
        doc: &serde_json::Value,
        model: &ServiceModel,
    ) -> Result<ServiceResources, Error> {
        parse::service_resources(service, doc, model)
    }

    /// The models of `service` from the bundle, parsed once per process.
    pub fn load(service: &str) -> Result<Arc<ServiceResources>, Error> {
        static CACHE: OnceLock<Mutex<HashMap<String, Arc<ServiceResources>>>> = OnceLock::new();
        let cache = CACHE.get_or_init(Default::default);
        if let Some(r) = cache.lock().unwrap_or_else(|e| e.into_inner()).get(service) {
            return Ok(r.clone());
        }
        let loader = boto::core::model::Loader::global();
        let model = loader
            .service_model(service)
            .map_err(|e| Error::construction(e.to_string()))?;
        let doc = loader
            .json(service, boto::core::model::ModelFile::Resources)
            .map_err(|e| Error::construction(e.to_string()))?
            .ok_or_else(|| {
                Error::construction(format!(
                    "the resource {service:?} does not exist; services with resources: {}",
                    resource_services().join(", ")
                ))
            })?;
        let parsed = Arc::new(ServiceResources::from_json(service, &doc, &model)?);
        cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(service.to_string(), parsed.clone());
        Ok(parsed)
    }

    pub(crate) fn new(
        service: String,
        service_resource: ResourceDef,
        resources: Vec<ResourceDef>,
    ) -> Self {
        let resources: Vec<Arc<ResourceDef>> = resources.into_iter().map(Arc::new).collect();
        let index = resources
            .iter()
            .enumerate()
            .map(|(i, r)| (r.name.clone(), i))
            .collect();
        ServiceResources {
            service,
            service_resource: Arc::new(service_resource),
            resources,
            index,
        }
    }

    /// A resource class by name (`Object`); `None` for unknown names.
    pub fn get(&self, name: &str) -> Option<&Arc<ResourceDef>> {
        self.index.get(name).map(|&i| &self.resources[i])
    }

    /// A resource class by name, or an error with a suggestion.
    pub fn require(&self, name: &str) -> Result<&Arc<ResourceDef>, Error> {
        if let Some(r) = self.get(name) {
            return Ok(r);
        }
        if name == "ServiceResource" || name == self.service {
            return Ok(&self.service_resource);
        }
        let names: Vec<&str> = self.resources.iter().map(|r| r.name.as_str()).collect();
        Err(Error::validation(format!(
            "{} has no resource {name:?}{}",
            self.service,
            crate::did_you_mean(name, names.iter().copied())
        )))
    }
}

/// The services that have a `resources-1.json`.
pub fn resource_services() -> Vec<String> {
    let loader = boto::core::model::Loader::global();
    loader
        .service_names()
        .into_iter()
        .filter(|s| {
            matches!(
                loader.json(s, boto::core::model::ModelFile::Resources),
                Ok(Some(_))
            )
        })
        .collect()
}

/// boto3's rename map: the final Python name of every element, with
/// collisions renamed `<name>_<category>`.
#[derive(Default)]
pub(crate) struct Names {
    used: HashSet<String>,
    renamed: HashMap<(&'static str, String), String>,
}

impl Names {
    pub(crate) fn new(has_load: bool) -> Self {
        let mut n = Names::default();
        n.used.insert("meta".into());
        if has_load {
            n.used.insert("load".into());
        }
        n
    }
    pub(crate) fn add(
        &mut self,
        name: &str,
        category: &'static str,
        snake: bool,
    ) -> Result<(), Error> {
        let mut name = if snake {
            xform_name(name, '_')
        } else {
            name.to_string()
        };
        if self.used.contains(&name) {
            let renamed = format!("{name}_{category}");
            self.renamed.insert((category, name), renamed.clone());
            name = renamed;
            if self.used.contains(&name) {
                return Err(Error::construction(format!(
                    "resource model: cannot rename {category} to {name}"
                )));
            }
        }
        self.used.insert(name);
        Ok(())
    }
    pub(crate) fn get(&self, category: &'static str, name: &str, snake: bool) -> String {
        let name = if snake {
            xform_name(name, '_')
        } else {
            name.to_string()
        };
        self.renamed
            .get(&(category, name.clone()))
            .cloned()
            .unwrap_or(name)
    }
}
