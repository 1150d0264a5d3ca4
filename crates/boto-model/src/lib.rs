//! The bottom layer of boto-rs: service models and the values that flow through them.
//!
//! * [`Value`] — the dynamic value of parameters and results, with serde interop.
//! * [`ServiceModel`] — a service's shapes (an arena with integer ids) and operations.
//! * [`Loader`] — models embedded in the build, plus botocore-layout data paths.
//! * [`validate`] — botocore's parameter validation, every problem reported at once.
//!
//! Nothing here does I/O beyond reading model files, and nothing depends on HTTP.

#![deny(missing_docs)]

pub mod coerce;
mod error;
pub mod loader;
pub mod map;
pub mod names;
mod serde_impl;
mod shape;
mod small_str;
pub mod suggest;
mod timestamp;
pub mod validate;
mod value;

pub use error::ModelError;
pub use small_str::Str;

/// The name of a [`Map`] entry: a [`Str`] (the name says what it is for).
pub type Key = Str;
pub use loader::{Loader, ModelFile};
pub use names::xform_name;
pub use serde_impl::{
    from_value, from_value_ref, to_value, PathSegment, ValueError, ValueSerializer,
};
pub use shape::*;
pub use timestamp::{Timestamp, TimestampParseError};
pub use value::{format_special_float, Map, Value};
