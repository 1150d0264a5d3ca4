//! The blocking twin of the resource API, for plain threads (the pattern of
//! [`boto::blocking::Client`]: calls run on boto's shared background
//! runtime; using these inside an async runtime is refused with an error).
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
    pub fn class_name(&self) -> String {
        self.inner.class_name()
    }
    pub fn meta(&self) -> crate::Meta<'_> {
        self.inner.meta()
    }
    pub fn identifiers(&self) -> Vec<(String, Value)> {
        self.inner.identifiers()
    }
    pub fn identifier(&self, name: &str) -> Option<&Value> {
        self.inner.identifier(name)
    }
    pub fn id_str(&self, name: &str) -> Option<&str> {
        self.inner.id_str(name)
    }
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
    pub fn load(&self) -> Result<(), Error> {
        block_on(self.inner.load())?
    }
    pub fn reload(&self) -> Result<(), Error> {
        block_on(self.inner.reload())?
    }
    pub fn data(&self) -> Option<std::sync::Arc<Value>> {
        self.inner.data()
    }
    /// An action; resources in the output are async resources (wrap them with [`Resource::new`]).
    pub fn action(&self, name: &str, params: Value) -> Result<ActionOutput, Error> {
        block_on(self.inner.action(name, params))?
    }
    pub fn reference(&self, name: &str) -> Result<ActionOutput, Error> {
        block_on(self.inner.reference(name))?
    }
    pub fn wait_until(&self, name: &str, params: Value) -> Result<(), Error> {
        block_on(self.inner.wait_until(name, params))?
    }
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
    pub fn async_collection(&self) -> &crate::Collection {
        &self.inner
    }
    pub fn all(&self) -> Collection {
        self.clone()
    }
    pub fn filter(&self, params: Value) -> Collection {
        Collection {
            inner: self.inner.filter(params),
        }
    }
    pub fn limit(&self, n: u64) -> Collection {
        Collection {
            inner: self.inner.limit(n),
        }
    }
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
