//! boto-rs: boto3's programming model on a Rust core.
//!
//! ```no_run
//! # async fn demo() -> Result<(), boto::Error> {
//! use boto::params;
//! let s3 = boto::Session::new()?.client("s3")?;
//! let out = s3.call("ListObjectsV2", params! {"Bucket": "my-bucket", "Prefix": "images/"}).await?;
//! for obj in out.get("Contents").as_list().unwrap_or_default() {
//!     println!("{}", obj.get("Key").as_str().unwrap_or_default());
//! }
//! # Ok(()) }
//! ```
//!
//! * [`Session`] — profile, region, credentials and configuration, like `boto3.Session`.
//! * [`Client`] — any operation of any service, async; [`blocking::Client`] for sync code.
//! * Paginators and waiters from the models ([`Client::paginate`], [`Client::waiter`]).
//! * Event-stream outputs (S3 Select, Bedrock, Kinesis, Lambda streams) read as the
//!   events arrive ([`Client::call_event_stream`], an `Iterator` in [`blocking::Client`]).
//! * Results are [`Value`]s; read them into your own types with [`from_value`].

#![deny(missing_docs)]

pub mod blocking;
mod session;
mod sts_bridge;

#[cfg(test)]
mod link_tests;

pub use boto_model::{
    from_value, from_value_ref, params, to_value, value, Map, Timestamp, Value, ValueError,
};
pub use boto_protocols::ServiceError;
pub use boto_runtime::{
    paginator::Paginator,
    waiter::{Waiter, WaiterConfig, WaiterFailure},
    ByteStream, Client, ClientConfig, Error, ErrorKind, EventStream, EventStreamOutput, Output,
    RequestBody,
};
pub use session::{
    default_session, set_default_session, setup_default_session, ClientOptions, Session,
    SessionBuilder,
};

/// Lower layers, for advanced use.
pub mod core {
    pub use boto_auth as auth;
    pub use boto_model as model;
    pub use boto_protocols as protocols;
    pub use boto_runtime as runtime;
}

/// The README's examples, compiled as doc tests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
mod readme {}
