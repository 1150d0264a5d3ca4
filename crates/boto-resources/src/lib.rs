//! boto3's resource layer (`boto3.resources`) on boto-rs: resources, collections and
//! DynamoDB's high-level API, interpreted from boto3's `resources-1.json` models.
//!
//! Nothing here is written per service except boto3's own injected
//! customizations ([`customizations`]): the classes, identifiers, attributes,
//! actions, references, sub-resources, collections and waiters of s3, ec2,
//! dynamodb, iam, sqs, sns, cloudformation, cloudwatch and glacier all come
//! from the models ([`model`]), checked by [`lint`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), boto::Error> {
//! use boto::params;
//! use boto_resources::ResourceExt;
//!
//! let s3 = boto::Session::new()?.resource("s3")?;           // s3.ServiceResource()
//! let bucket = s3.resource("Bucket", ["my-bucket"])?;      // s3.Bucket(name='my-bucket')
//! let obj = bucket.subresource("Object", ["notes.txt"])?;  // s3.Object(bucket_name=.., key=..)
//! obj.action("put", params! {"Body": (boto::Value::blob(b"hi".to_vec()))}).await?;
//! obj.wait_until("exists", boto::Value::Null).await?;
//! println!("{} bytes", obj.attr("content_length").await?);  // loads through HeadObject
//!
//! let images = bucket.collection("objects")?.filter(params! {"Prefix": "images/"});
//! let mut items = images.page_size(100).limit(250).items();
//! while let Some(summary) = items.next().await {
//!     let summary = summary?;
//!     println!("{} {}", summary.id_str("key").unwrap_or_default(), summary.attr("size").await?);
//! }
//! images.batch_action("delete", boto::Value::Null).await?;  // DeleteObjects per page
//! let client = obj.meta().client().expect("built from a session");
//! client.call("ListBuckets", boto::Value::Null).await?;
//! # Ok(()) }
//! ```
//!
//! # The API in one table
//!
//! | boto3 | boto-rs |
//! |---|---|
//! | `boto3.resource("s3")`, `session.resource("s3")` | [`default_resource`]`("s3")`, [`resource()`](fn@resource)`(&session, "s3")`, [`ResourceExt::resource`], [`from_client`], [`from_invoker`] |
//! | `s3.Object("b", "k")` | `s3.resource("Object", ["b", "k"])` (any class) or `s3.subresource("Object", ["b", "k"])` |
//! | `bucket.Object("k")` | `bucket.subresource("Object", ["k"])` |
//! | `obj.content_length`, `obj.load()`, `obj.reload()` | `obj.attr("content_length").await` (or `"ContentLength"`), [`Resource::load`], [`Resource::reload`] |
//! | `obj.key` (identifier) | `obj.identifier("key")`, `obj.id_str("key")`, `obj.attr("key")` |
//! | `bucket.delete()`, `bucket.put_object(Key=..)` | `bucket.action("delete", Value::Null)`, `bucket.action("put_object", params!{..})` → [`ActionOutput`] |
//! | `instance.vpc` (reference) | `instance.reference("vpc").await` → [`ActionOutput`] |
//! | `obj.wait_until_exists()` | `obj.wait_until("exists", Value::Null).await` |
//! | `bucket.objects.filter(..).limit(n).page_size(m)` | `bucket.collection("objects")?.filter(params!{..}).limit(n).page_size(m)` |
//! | iterate / `.pages()` | [`Collection::items`] / [`Collection::pages`] (async `Stream`s with an inherent `next()`); [`blocking`] iterators |
//! | `bucket.objects.all().delete()` | `collection.batch_action("delete", Value::Null).await` |
//! | `obj.meta.client`, `.meta.data`, `.meta.identifiers` | `obj.meta().client()`, `.data()`, `.identifiers()` |
//! | `repr(obj)`, `==`, `hash` | `{:?}` prints `s3.Object(bucket_name='b', key='k')`; `Eq`/`Hash` by service, class, identifiers |
//! | `dir(obj)`, `help` | [`introspect::class_info`], [`Resource::class_info`] (with "did you mean" errors for unknown names) |
//!
//! Names are accepted in the model's spelling (`ContentLength`, `Delete`,
//! `Exists`) or boto3's Python spelling (`content_length`, `delete`,
//! `wait_until_exists`, and boto3's collision renames such as `id_attribute`).
//! Parameters and results are [`boto::Value`]s, as with the client.
//!
//! # Sharing
//!
//! Unlike boto3's, every resource and collection is `Clone + Send + Sync`.
//! A clone is the same resource: loaded data is shared between clones (one
//! lock, single-flight loading), replaced by `load()`/`reload()`, and
//! dropped after an action on a class that can load (boto3 sets
//! `meta.data = None` there), so the next attribute read loads fresh data.
//! A resource never refreshes data behind your back otherwise.
//!
//! # Where boto-rs differs from boto3 on purpose
//!
//! * Sub-resource identifiers are matched by their model `target`; boto3
//!   passes them by position, which swaps the two identifiers of
//!   CloudFormation's `StackResourceSummary.Resource()`.
//! * An action whose response lacks the new resource's identifiers and whose
//!   operation has no output returns [`ActionOutput::None`]; boto3 raises
//!   `AttributeError` there (IAM `user.update()` without `NewUserName`).
//! * Waiters, like boto3's, do not refresh the data a resource already has:
//!   call `reload()` after `wait_until("running")` to read the new state.
//! * Not here: `upload_fileobj`/`download_fileobj` (file objects are a
//!   Python notion) and DynamoDB's `batch_writer` (see [`dynamodb`]).
//! * Three defects of boto3's models are reported by [`lint`] and behave as
//!   in boto3 (see `tests/model_lint.rs`).
//!
//! # Testing against this API
//!
//! [`from_invoker`] takes any [`boto::core::runtime::Invoke`], so tests can
//! record or fake every call (`tests/support/mod.rs` has `Fake`, which
//! answers from canned outputs, and `Recorder`, which records what a real
//! client is asked). The differential tests against boto3
//! (`tests/diff_<service>.rs` + `tests/diff_<service>.py`) share a harness:
//! `tests/diff_common.py` records boto3's calls on `provide-client-params`
//! step by step, `tests/support/diff.rs` does the same on the Rust side,
//! numbers run-specific ids and IPs in order of appearance, and prints
//! `resources-diff-<service>: N passed, M failed`.
//!
//! DynamoDB: calls made through a dynamodb resource are transformed by the
//! high-level layer in [`dynamodb`] (plain values in and out); calls made on
//! `meta().client()` directly are not (use `meta().invoker()` for that).

#![deny(missing_docs)]

pub mod actions;
pub mod blocking;
pub mod collection;
mod context;
pub mod customizations;
pub mod dynamodb;
pub mod introspect;
pub mod lint;
pub mod model;
pub mod params;
pub mod path;
pub mod resource;
pub mod response;

pub use boto::Value;
/// The S3 transfer manager (`boto-transfer`, boto3's `s3transfer`) behind the
/// S3 resources' `upload_file`/`download_file`/`copy` actions, re-exported so
/// its `TransferConfig` and `ExtraArgs` are at hand without another dependency.
pub use boto_transfer as transfer;
pub use collection::{Collection, Items, Pages};
pub use resource::{Identifiers, Meta, Resource};
pub use response::ActionOutput;

use boto::core::runtime::Invoke;
use boto::{Error, Session};
use std::sync::Arc;

/// The service resource type: a [`Resource`] of class `ServiceResource`.
pub type ServiceResource = Resource;

/// `session.resource(service)`: the service resource on a new client of `session`.
pub fn resource(session: &Session, service: &str) -> Result<ServiceResource, Error> {
    model::ServiceResources::load(service)?;
    from_client(session.client(service)?)
}

/// `boto3.resource(service)`: the service resource on the default session.
pub fn default_resource(service: &str) -> Result<ServiceResource, Error> {
    resource(&boto::default_session()?, service)
}

/// The service resource on an existing client (endpoint, config and all).
pub fn from_client(client: boto::Client) -> Result<ServiceResource, Error> {
    let ctx = context::Ctx::new(Arc::new(client.clone()), Some(client))?;
    Ok(Resource::service(ctx))
}

/// The service resource on anything that can invoke operations — a client
/// or a test double that records calls. `meta().client()` is then `None`.
pub fn from_invoker(invoker: Arc<dyn Invoke>) -> Result<ServiceResource, Error> {
    let ctx = context::Ctx::new(invoker, None)?;
    Ok(Resource::service(ctx))
}

/// `session.resource("s3")` on a [`boto::Session`].
pub trait ResourceExt {
    /// The service resource for `service`.
    fn resource(&self, service: &str) -> Result<ServiceResource, Error>;
    /// The service resource with client options (endpoint URL, ...).
    fn resource_with(
        &self,
        service: &str,
        options: &boto::ClientOptions,
    ) -> Result<ServiceResource, Error>;
}

impl ResourceExt for Session {
    fn resource(&self, service: &str) -> Result<ServiceResource, Error> {
        resource(self, service)
    }
    fn resource_with(
        &self,
        service: &str,
        options: &boto::ClientOptions,
    ) -> Result<ServiceResource, Error> {
        model::ServiceResources::load(service)?;
        from_client(self.client_with(service, options)?)
    }
}

/// `; did you mean "x"?` when a candidate is close, else an empty string.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let snake = boto::core::model::xform_name(name, '_');
    match boto::core::model::suggest::closest(name, candidates.iter().copied())
        .or_else(|| boto::core::model::suggest::closest(&snake, candidates.iter().copied()))
    {
        Some(s) => format!("; did you mean {s:?}?"),
        None if candidates.is_empty() => String::new(),
        None if candidates.len() <= 40 => format!("; valid names: {}", candidates.join(", ")),
        None => String::new(),
    }
}
