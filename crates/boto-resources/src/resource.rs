//! The resource object (boto3's `ServiceResource` instances and `ResourceMeta`).
//!
//! A [`Resource`] is a class from the model plus identifier values. It is a
//! cheap handle (`Clone` copies an `Arc`) and `Send + Sync`: the loaded data
//! lives behind a lock shared by all clones of one resource. Data is loaded
//! on first attribute access (single flight: concurrent first accesses make
//! one call), replaced by [`Resource::load`]/[`Resource::reload`], and
//! dropped after any action on a resource that can load (as boto3 sets
//! `meta.data = None`), so the next attribute access loads fresh data.
//! Resources built from another call's response (collection items, action
//! results) start with the data found in that response.

use crate::context::Ctx;
use crate::model::ResourceDef;
use crate::path::cached as path;
use boto::core::runtime::http::BoxFuture;
use boto::core::runtime::Invoke;
use boto::{Error, Map, Value};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, RwLock};

/// A resource: a class of a service's resource model plus its identifiers.
///
/// boto3's `s3.Object("b", "k")`: identifiers are given positionally and
/// never cause a call; attributes load the data once (through the class's
/// load action, here `HeadObject`) and every clone shares it. Here on an
/// in-memory stand-in for the client (any [`Invoke`]):
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # use boto::core::model::{Loader, ServiceModel};
/// # use boto::core::runtime::{http::BoxFuture, Invoke};
/// # use boto::{value, Error, Value};
/// # use std::sync::{Arc, Mutex};
/// # /// A stand-in for the S3 client: canned ListObjects, every call recorded.
/// # struct FakeS3 { model: Arc<ServiceModel>, calls: Mutex<Vec<(String, Value)>> }
/// # impl Invoke for FakeS3 {
/// #     fn model(&self) -> &Arc<ServiceModel> { &self.model }
/// #     fn invoke<'a>(&'a self, op: &'a str, params: Value) -> BoxFuture<'a, Result<Value, Error>> {
/// #         self.calls.lock().unwrap().push((op.to_string(), params));
/// #         let out = match op {
/// #             "ListObjects" => value!({"Contents": [{"Key": "img/a.png", "Size": 10},
/// #                                                  {"Key": "img/b.png", "Size": 20}]}),
/// #             "HeadObject" => value!({"ContentLength": 10, "ETag": "\"abc\"",
/// #                                 "ResponseMetadata": {"HTTPStatusCode": 200}}),
/// #             _ => value!({}),
/// #         };
/// #         Box::pin(async move { Ok(out) })
/// #     }
/// # }
/// # let fake = Arc::new(FakeS3 { model: Loader::global().service_model("s3")?, calls: Mutex::default() });
/// let s3 = boto_resources::from_invoker(fake.clone())?;
/// let obj = s3.resource("Object", ["my-bucket", "notes.txt"])?;   // s3.Object("my-bucket", "notes.txt")
/// assert_eq!(obj.class_name(), "s3.Object");
/// assert_eq!(obj.id_str("key"), Some("notes.txt"));              // obj.key: no call
/// assert_eq!(format!("{obj:?}"), "s3.Object(bucket_name='my-bucket', key='notes.txt')");
///
/// boto::blocking::block_on(async {
///     assert_eq!(obj.attr("content_length").await?, Value::Integer(10)); // HeadObject
///     assert_eq!(obj.attr("ETag").await?.as_str(), Some("\"abc\""));    // no second call
///     obj.wait_until("exists", Value::Null).await?;               // obj.wait_until_exists()
///     Ok::<_, Error>(())
/// })??;
/// let ops: Vec<String> = fake.calls.lock().unwrap().iter().map(|c| c.0.clone()).collect();
/// assert_eq!(ops, ["HeadObject", "HeadObject"]);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Resource {
    inner: Arc<Inner>,
}

struct Inner {
    ctx: Arc<Ctx>,
    def: Arc<ResourceDef>,
    ids: Vec<Value>,
    data: RwLock<Option<Arc<Value>>>,
    load_gate: tokio::sync::Mutex<()>,
}

/// Identifier values given positionally: `["bucket", "key"]`, `vec![..]`, `()`.
pub trait Identifiers {
    /// The identifier values, in the class's identifier order.
    fn into_values(self) -> Vec<Value>;
}
impl<T: Into<Value>, const N: usize> Identifiers for [T; N] {
    fn into_values(self) -> Vec<Value> {
        self.into_iter().map(Into::into).collect()
    }
}
impl<T: Into<Value>> Identifiers for Vec<T> {
    fn into_values(self) -> Vec<Value> {
        self.into_iter().map(Into::into).collect()
    }
}
impl<T: Into<Value> + Clone> Identifiers for &[T] {
    fn into_values(self) -> Vec<Value> {
        self.iter().cloned().map(Into::into).collect()
    }
}
impl Identifiers for () {
    fn into_values(self) -> Vec<Value> {
        Vec::new()
    }
}

impl Resource {
    fn build(ctx: Arc<Ctx>, def: Arc<ResourceDef>, ids: Vec<Value>, data: Option<Value>) -> Self {
        Resource {
            inner: Arc::new(Inner {
                ctx,
                def,
                ids,
                data: RwLock::new(data.map(Arc::new)),
                load_gate: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The service resource of `ctx`.
    pub(crate) fn service(ctx: Arc<Ctx>) -> Self {
        let def = ctx.models.service_resource.clone();
        Resource::build(ctx, def, Vec::new(), None)
    }

    /// A resource from positional identifier values, checked.
    pub(crate) fn with_ids(
        ctx: &Arc<Ctx>,
        def: &Arc<ResourceDef>,
        ids: Vec<Value>,
    ) -> Result<Self, Error> {
        let want = &def.identifiers;
        if ids.len() != want.len() {
            let names: Vec<&str> = want.iter().map(|i| i.py_name.as_str()).collect();
            return Err(Error::validation(format!(
                "{} takes {} identifier{} ({}), got {}",
                def.class_name(),
                want.len(),
                if want.len() == 1 { "" } else { "s" },
                names.join(", "),
                ids.len()
            )));
        }
        for (v, i) in ids.iter().zip(want) {
            if v.is_null() {
                return Err(Error::validation(format!(
                    "{}: required identifier {} is not set",
                    def.class_name(),
                    i.py_name
                )));
            }
        }
        Ok(Resource::build(ctx.clone(), def.clone(), ids, None))
    }

    /// A resource from `(target, value)` pairs (response handling), with data.
    pub(crate) fn from_response(
        ctx: &Arc<Ctx>,
        def: &Arc<ResourceDef>,
        values: Vec<(&str, Value)>,
        data: Option<Value>,
    ) -> Result<Self, Error> {
        let mut ids = vec![Value::Null; def.identifiers.len()];
        for (target, v) in values {
            let i = def.identifier_index(target).ok_or_else(|| {
                Error::validation(format!(
                    "{}: unknown identifier {target:?} in the resource model",
                    def.class_name()
                ))
            })?;
            ids[i] = v;
        }
        let r = Resource::with_ids(ctx, def, ids)?;
        if let Some(d) = data {
            r.set_data(Some(d));
        }
        Ok(r)
    }

    pub(crate) fn ctx(&self) -> &Arc<Ctx> {
        &self.inner.ctx
    }

    /// The class model (identifiers, actions, ... as parsed from the model).
    pub fn model(&self) -> &Arc<ResourceDef> {
        &self.inner.def
    }

    /// boto3's class name: `s3.Object`, `s3.ServiceResource`.
    pub fn class_name(&self) -> String {
        self.inner.def.class_name()
    }

    /// The resource name in the model (`Object`), or the service name for a service resource.
    pub fn resource_name(&self) -> &str {
        &self.inner.def.name
    }

    /// The service (`s3`).
    pub fn service_name(&self) -> &str {
        &self.inner.ctx.service
    }

    /// A resource of any class of this service from its identifiers:
    /// `s3.resource("Object", ["bucket", "key"])`.
    pub fn resource(&self, class: &str, ids: impl Identifiers) -> Result<Resource, Error> {
        let def = self.inner.ctx.models.require(class)?.clone();
        Resource::with_ids(&self.inner.ctx, &def, ids.into_values())
    }

    /// The identifiers as `(snake_name, value)`, in model order.
    pub fn identifiers(&self) -> Vec<(String, Value)> {
        self.inner
            .def
            .identifiers
            .iter()
            .zip(&self.inner.ids)
            .map(|(i, v)| (i.py_name.clone(), v.clone()))
            .collect()
    }

    /// One identifier by model (`BucketName`) or snake (`bucket_name`) name.
    pub fn identifier(&self, name: &str) -> Option<&Value> {
        self.inner
            .def
            .identifier_index(name)
            .map(|i| &self.inner.ids[i])
    }

    /// One identifier as a string (most are); `None` if unknown or not a string.
    pub fn id_str(&self, name: &str) -> Option<&str> {
        self.identifier(name).and_then(Value::as_str)
    }

    /// boto3's `resource.meta`.
    pub fn meta(&self) -> Meta<'_> {
        Meta { r: self }
    }

    /// The loaded data (`meta.data`), if any. Shared by all clones.
    pub fn data(&self) -> Option<Arc<Value>> {
        self.inner
            .data
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the loaded data (`meta.data = ...`); `None` forces a load on next access.
    pub fn set_data(&self, data: Option<Value>) {
        *self.inner.data.write().unwrap_or_else(|e| e.into_inner()) = data.map(Arc::new);
    }

    /// True when the class can load its attributes (a model `load`, or one of
    /// boto3's injected loads: S3 `Bucket` and `ObjectSummary`).
    pub fn can_load(&self) -> bool {
        self.inner.def.load.is_some() || crate::customizations::has_custom_load(&self.inner.def)
    }

    /// Calls the load action and stores its result as the data (`load()`).
    pub async fn load(&self) -> Result<(), Error> {
        let _gate = self.inner.load_gate.lock().await;
        self.load_unlocked().await.map(|_| ())
    }

    /// Same as [`Resource::load`] (boto3's `reload` is an alias).
    pub async fn reload(&self) -> Result<(), Error> {
        self.load().await
    }

    fn load_unlocked(&self) -> BoxFuture<'_, Result<Arc<Value>, Error>> {
        Box::pin(self.load_inner())
    }

    async fn load_inner(&self) -> Result<Arc<Value>, Error> {
        let data = if let Some(fut) = crate::customizations::custom_load(self) {
            fut.await?
        } else {
            let Some(load) = &self.inner.def.load else {
                return Err(self.no_load());
            };
            let mut params = Map::new();
            crate::params::create_request_parameters(self, &load.request.params, &mut params, None)
                .await?;
            let response = self
                .inner
                .ctx
                .call(&load.request.operation, Value::Map(params))
                .await?;
            crate::response::raw(load.path.as_deref(), response)?
        };
        let data = Arc::new(data);
        *self.inner.data.write().unwrap_or_else(|e| e.into_inner()) = Some(data.clone());
        Ok(data)
    }

    fn no_load(&self) -> Error {
        Error::validation(format!(
            "{} has no load method: its attributes come only from the response that created it",
            self.class_name()
        ))
    }

    /// The data, loading it first when there is none yet.
    pub(crate) async fn ensure_loaded(&self) -> Result<Arc<Value>, Error> {
        if let Some(d) = self.data() {
            return Ok(d);
        }
        if !self.can_load() {
            return Err(self.no_load());
        }
        let _gate = self.inner.load_gate.lock().await;
        if let Some(d) = self.data() {
            return Ok(d);
        }
        self.load_unlocked().await
    }

    /// boto3's `get_data_member`: a JMESPath into the (loaded) data.
    pub(crate) async fn data_member(&self, p: &str) -> Result<Value, Error> {
        let data = self.ensure_loaded().await?;
        Ok(path(p)?.search(&data))
    }

    /// An attribute (`ContentLength` or `content_length`), loading the data on
    /// first access. Identifiers (and attributes aliasing them through
    /// `memberName`) are returned without a call. A member absent from the
    /// data reads as `Value::Null`, as boto3 returns `None`.
    pub async fn attr(&self, name: &str) -> Result<Value, Error> {
        match self.attr_local(name) {
            Ok(r) => r,
            Err(member) => Ok(self.ensure_loaded().await?.get(member).clone()),
        }
    }

    /// An attribute when it needs no call: an identifier, an alias of one,
    /// a member of data already there, or the unknown-name error.
    /// `Err(member)` when the data must be loaded first. The blocking twin
    /// answers from here without a trip through the runtime.
    pub(crate) fn attr_local(&self, name: &str) -> Result<Result<Value, Error>, &str> {
        let def = &self.inner.def;
        if let Some(v) = self.identifier(name) {
            return Ok(Ok(v.clone()));
        }
        let Some(a) = def.attribute(name) else {
            let candidates = def
                .identifiers
                .iter()
                .map(|i| i.py_name.as_str())
                .chain(def.attributes.iter().map(|a| a.py_name.as_str()));
            return Ok(Err(Error::validation(format!(
                "{} has no attribute {name:?}{}",
                self.class_name(),
                crate::did_you_mean(name, candidates)
            ))));
        };
        if let Some(i) = def
            .identifiers
            .iter()
            .position(|i| i.member_name.as_deref() == Some(a.name.as_str()))
        {
            return Ok(Ok(self.inner.ids[i].clone()));
        }
        match self.data() {
            Some(data) => Ok(Ok(data.get(&a.name).clone())),
            None => Err(&a.name),
        }
    }
}

/// boto3's `ResourceMeta`: the client, the data, the identifiers.
pub struct Meta<'a> {
    r: &'a Resource,
}

impl<'a> Meta<'a> {
    /// The low-level client, when the service resource was built from one
    /// (always, through a session). Calls made on it directly are not
    /// transformed by the DynamoDB layer; use [`Meta::invoker`] for that.
    pub fn client(&self) -> Option<&'a boto::Client> {
        self.r.inner.ctx.client.as_ref()
    }
    /// What every call of this resource goes through (the client, or a test double).
    pub fn invoker(&self) -> &'a Arc<dyn Invoke> {
        &self.r.inner.ctx.invoker
    }
    /// The service (`s3`).
    pub fn service_name(&self) -> &'a str {
        &self.r.inner.ctx.service
    }
    /// The loaded data, if any.
    pub fn data(&self) -> Option<Arc<Value>> {
        self.r.data()
    }
    /// The identifier names (snake_case), in model order.
    pub fn identifiers(&self) -> Vec<&'a str> {
        self.r
            .inner
            .def
            .identifiers
            .iter()
            .map(|i| i.py_name.as_str())
            .collect()
    }
    /// The class model.
    pub fn resource_model(&self) -> &'a ResourceDef {
        &self.r.inner.def
    }
}

/// Python's `repr` of an identifier value.
fn py_repr(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => {
            let q = if s.contains('\'') && !s.contains('"') {
                '"'
            } else {
                '\''
            };
            out.push(q);
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if c == q => {
                        out.push('\\');
                        out.push(c);
                    }
                    c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                        out.push_str(&format!("\\x{:02x}", c as u32))
                    }
                    c => out.push(c),
                }
            }
            out.push(q);
        }
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Null => out.push_str("None"),
        Value::Integer(i) => out.push_str(&i.to_string()),
        Value::List(l) => {
            out.push('[');
            for (i, e) in l.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                py_repr(e, out);
            }
            out.push(']');
        }
        Value::Map(m) => {
            out.push('{');
            for (i, (k, e)) in m.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                py_repr(&Value::String(k.into()), out);
                out.push_str(": ");
                py_repr(e, out);
            }
            out.push('}');
        }
        other => out.push_str(&format!("{other:?}")),
    }
}

impl fmt::Debug for Resource {
    /// boto3's repr: `s3.Object(bucket_name='b', key='k')`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = self.class_name();
        s.push('(');
        for (n, (name, v)) in self.identifiers().iter().enumerate() {
            if n > 0 {
                s.push_str(", ");
            }
            s.push_str(name);
            s.push('=');
            py_repr(v, &mut s);
        }
        s.push(')');
        f.write_str(&s)
    }
}

impl PartialEq for Resource {
    /// Same service, class and identifiers (boto3's `__eq__`).
    fn eq(&self, other: &Self) -> bool {
        self.inner.ctx.service == other.inner.ctx.service
            && self.inner.def.name == other.inner.def.name
            && self.inner.def.is_service == other.inner.def.is_service
            && self.inner.ids == other.inner.ids
    }
}
impl Eq for Resource {}

impl Hash for Resource {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.inner.ctx.service.hash(state);
        self.inner.def.name.hash(state);
        for v in &self.inner.ids {
            v.to_json().to_string().hash(state);
        }
    }
}
