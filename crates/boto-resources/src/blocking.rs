//! The blocking twin of the resource API, for plain threads (the pattern of
//! [`boto::blocking::Client`]: calls run on boto's shared background
//! runtime; inside a current-thread Tokio runtime they are refused with an
//! error, on a multi-thread one they run through `block_in_place`).
//!
//! ```no_run
//! # fn demo() -> Result<(), boto::Error> {
//! let s3 = boto_resources::blocking::resource(&boto::Session::new()?, "s3")?;
//! let bucket = s3.resource("Bucket", ["my-bucket"])?;
//! for obj in bucket.collection("objects")?.limit(10).items() {
//!     println!("{:?}", obj?);
//! }
//! # Ok(()) }
//! ```

use crate::{ActionOutput, Identifiers, Value};
use boto::blocking::block_on;
use boto::{Error, Session};

/// A blocking resource: the async [`crate::Resource`] with blocking calls.
///
/// Every call blocks the calling thread; in async code use
/// [`crate::Resource`]. Here on an in-memory stand-in for the S3 client:
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
/// use boto_resources::blocking::Resource;
///
/// let s3 = Resource::new(boto_resources::from_invoker(fake.clone())?);
/// let bucket = s3.resource("Bucket", ["my-bucket"])?;
/// let keys: Vec<String> = bucket
///     .collection("objects")?
///     .filter(value!({"Prefix": "img/"}))
///     .items()
///     .map(|o| o.map(|o| o.id_str("key").unwrap_or_default().to_string()))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(keys, ["img/a.png", "img/b.png"]);
///
/// let obj = bucket.subresource("Object", ["img/a.png"])?;
/// assert_eq!(obj.attr("content_length")?, Value::Integer(10));    // HeadObject
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Resource {
    inner: crate::Resource,
}

impl std::fmt::Debug for Resource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

impl From<crate::Resource> for Resource {
    fn from(inner: crate::Resource) -> Self {
        Resource::new(inner)
    }
}

/// The blocking service resource for `service` on a new client of `session`.
pub fn resource(session: &Session, service: &str) -> Result<Resource, Error> {
    Ok(Resource::new(crate::resource(session, service)?))
}

/// The blocking service resource with client options (endpoint URL, ...).
pub fn resource_with(
    session: &Session,
    service: &str,
    options: &boto::ClientOptions,
) -> Result<Resource, Error> {
    use crate::ResourceExt as _;
    Ok(Resource::new(session.resource_with(service, options)?))
}

/// The blocking service resource on an existing client.
pub fn from_client(client: boto::Client) -> Result<Resource, Error> {
    Ok(Resource::new(crate::from_client(client)?))
}

impl Resource {
    /// Wraps an async resource.
    pub fn new(inner: crate::Resource) -> Self {
        Resource { inner }
    }
    /// The async resource underneath (same data, same identity).
    pub fn async_resource(&self) -> &crate::Resource {
        &self.inner
    }
    /// boto3's class name: `s3.Object`, `s3.ServiceResource`.
    pub fn class_name(&self) -> String {
        self.inner.class_name()
    }
    /// boto3's `resource.meta`: the client, the service name, the loaded data.
    pub fn meta(&self) -> crate::Meta<'_> {
        self.inner.meta()
    }
    /// The identifiers as `(snake_name, value)`, in model order.
    pub fn identifiers(&self) -> Vec<(String, Value)> {
        self.inner.identifiers()
    }
    /// One identifier by model (`BucketName`) or snake (`bucket_name`) name.
    pub fn identifier(&self, name: &str) -> Option<&Value> {
        self.inner.identifier(name)
    }
    /// One identifier as a string (most are); `None` if unknown or not a string.
    pub fn id_str(&self, name: &str) -> Option<&str> {
        self.inner.id_str(name)
    }
    /// What the class offers (boto3's `dir()` grouped by kind).
    pub fn class_info(&self) -> crate::introspect::ClassInfo {
        self.inner.class_info()
    }
    /// Any class of the service from identifiers (no call).
    pub fn resource(&self, class: &str, ids: impl Identifiers) -> Result<Resource, Error> {
        self.inner.resource(class, ids).map(Resource::new)
    }
    /// A sub-resource (no call).
    pub fn subresource(&self, name: &str, ids: impl Identifiers) -> Result<Resource, Error> {
        self.inner.subresource(name, ids).map(Resource::new)
    }
    /// An attribute; a call (through the runtime) only when the data must be loaded.
    pub fn attr(&self, name: &str) -> Result<Value, Error> {
        match self.inner.attr_local(name) {
            Ok(r) => r,
            Err(_) => block_on(self.inner.attr(name))?,
        }
    }
    /// Calls the load action and stores its result as the data (boto3's `load()`), blocking.
    pub fn load(&self) -> Result<(), Error> {
        block_on(self.inner.load())?
    }
    /// Same as [`load`](Self::load) (boto3's `reload` is an alias).
    pub fn reload(&self) -> Result<(), Error> {
        block_on(self.inner.reload())?
    }
    /// The loaded data (`meta.data`), if any. Shared by all clones.
    pub fn data(&self) -> Option<std::sync::Arc<Value>> {
        self.inner.data()
    }
    /// An action; resources in the output are async resources (wrap them with [`Resource::new`]).
    pub fn action(&self, name: &str, params: Value) -> Result<ActionOutput, Error> {
        block_on(self.inner.action(name, params))?
    }
    /// A reference: a `has` entry whose identifiers come from the loaded data
    /// (`instance.vpc`), loading the data first if needed.
    pub fn reference(&self, name: &str) -> Result<ActionOutput, Error> {
        block_on(self.inner.reference(name))?
    }
    /// Polls the resource waiter `name` (`exists` or `wait_until_exists`) until it succeeds or gives up.
    pub fn wait_until(&self, name: &str, params: Value) -> Result<(), Error> {
        block_on(self.inner.wait_until(name, params))?
    }
    /// A collection (`objects`, `instances`) by model or snake name; no call until iterated.
    pub fn collection(&self, name: &str) -> Result<Collection, Error> {
        self.inner
            .collection(name)
            .map(|inner| Collection { inner })
    }
}

/// A blocking collection.
#[derive(Clone, Debug)]
pub struct Collection {
    inner: crate::Collection,
}

impl Collection {
    /// The async collection underneath (same parameters).
    pub fn async_collection(&self) -> &crate::Collection {
        &self.inner
    }
    /// All items (a copy of this collection), boto3's `.all()`.
    pub fn all(&self) -> Collection {
        self.clone()
    }
    /// Adds request parameters (a map); maps merge and lists append, as boto3's chained `filter` calls do.
    pub fn filter(&self, params: Value) -> Collection {
        Collection {
            inner: self.inner.filter(params),
        }
    }
    /// At most `n` items in all.
    pub fn limit(&self, n: u64) -> Collection {
        Collection {
            inner: self.inner.limit(n),
        }
    }
    /// At most `n` items per request.
    pub fn page_size(&self, n: u64) -> Collection {
        Collection {
            inner: self.inner.page_size(n),
        }
    }
    /// Pages, fetched as the iterator advances.
    pub fn pages(&self) -> Pages {
        Pages {
            inner: self.inner.pages(),
            failed: false,
        }
    }
    /// Items, fetched a page at a time as the iterator advances.
    pub fn items(&self) -> Items {
        Items {
            pages: self.pages(),
            buffer: std::collections::VecDeque::new(),
        }
    }
    /// Runs a batch action (`delete`) over every page of the collection, one call per page; returns each call's output.
    pub fn batch_action(&self, name: &str, params: Value) -> Result<Vec<ActionOutput>, Error> {
        block_on(self.inner.batch_action(name, params))?
    }
}

/// A blocking page iterator.
pub struct Pages {
    inner: crate::Pages,
    failed: bool,
}

impl Iterator for Pages {
    type Item = Result<Vec<Resource>, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match block_on(self.inner.next()) {
            Ok(next) => next.map(|r| r.map(|v| v.into_iter().map(Resource::new).collect())),
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// A blocking item iterator: one trip through the runtime per page, not per item.
pub struct Items {
    pages: Pages,
    buffer: std::collections::VecDeque<Resource>,
}

impl Iterator for Items {
    type Item = Result<Resource, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(r) = self.buffer.pop_front() {
                return Some(Ok(r));
            }
            match self.pages.next()? {
                Ok(page) => self.buffer.extend(page),
                Err(e) => return Some(Err(e)),
            }
        }
    }
}
