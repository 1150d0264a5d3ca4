//! `boto_rs._core`: the native half of the `boto_rs` Python package.
//!
//! boto3 and botocore are pure Python; `boto_rs` keeps their API (written in
//! Python under `python/boto_rs/`) and replaces the machinery under it with
//! the boto-rs core: this module exposes a session, a client that calls any
//! operation of any service, page iterators, waiters, presigning and
//! streamed bodies. Values cross the boundary as botocore's Python types
//! (`convert.rs`); errors cross as one exception that the Python layer maps
//! to botocore's exception classes (`error.rs`). I/O runs with the GIL
//! released on the core's shared Tokio runtime (`boto::blocking`).

mod aio;
mod client;
mod convert;
mod dynamodb;
mod error;
mod resource;
mod session;
mod stream;
mod stub;
mod transfer;

use pyo3::prelude::*;

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("CoreError", m.py().get_type::<error::CoreError>())?;
    m.add_class::<session::CoreSession>()?;
    m.add_class::<client::CoreClient>()?;
    m.add_class::<stream::RawStream>()?;
    m.add_class::<stream::Pages>()?;
    m.add_class::<stream::SearchItems>()?;
    m.add_class::<stub::CoreStubber>()?;
    m.add("STUB_ANY", stub::any_marker())?;
    m.add_class::<aio::AsyncPages>()?;
    m.add_function(wrap_pyfunction!(aio::call_async, m)?)?;
    m.add_function(wrap_pyfunction!(aio::wait_async, m)?)?;
    m.add_function(wrap_pyfunction!(client::py_xform_name, m)?)?;
    m.add_function(wrap_pyfunction!(client::jmespath_search, m)?)?;
    resource::register(m)?;
    transfer::register(m)?;
    dynamodb::register(m)?;
    m.add("BOTOCORE_VERSION", "1.43.67")?;
    Ok(())
}
