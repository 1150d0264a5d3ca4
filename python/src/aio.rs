//! The native half of `boto_rs.aio`: calls, pages and waiters as Tokio tasks
//! whose outcome is handed to asyncio.
//!
//! boto3 has no asyncio client (aiobotocore re-implements botocore's I/O on
//! aiohttp); here the core's own futures run on a Tokio runtime and the Python
//! side gets a callback: each function takes `done(ok, value)`, called once
//! from a runtime thread with the GIL held, with the converted result or the
//! `CoreError` exception. `boto_rs/aio.py` passes a `done` that moves the
//! outcome onto the event loop with `loop.call_soon_threadsafe`, so nothing
//! blocks the loop and no Python thread waits. A cancelled asyncio call lets
//! its task finish; the result is dropped.

use crate::client::{note_checksum_algorithm, CoreClient};
use crate::convert::{map_to_py, to_py};
use crate::error::{construction, to_pyerr};
use crate::stream::RawStream;
use boto::core::runtime::{paginator::Paginator, waiter};
use boto::Value;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The runtime the asyncio calls run on (two workers; I/O and timers).
fn runtime() -> PyResult<&'static tokio::runtime::Runtime> {
    static RT: OnceLock<Result<tokio::runtime::Runtime, String>> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("boto-rs-aio")
            .enable_all()
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(|e| construction(format!("cannot start the asyncio runtime: {e}")))
}

type Convert<T> = fn(Python<'_>, T) -> PyResult<Py<PyAny>>;

/// Runs `fut` on the runtime; hands its converted outcome to `done(ok, value)`.
fn spawn<T: Send + 'static>(
    done: Py<PyAny>,
    fut: impl Future<Output = Result<T, boto::Error>> + Send + 'static,
    convert: Convert<T>,
) -> PyResult<()> {
    runtime()?.spawn(async move {
        let outcome = fut.await;
        Python::with_gil(|py| {
            let (ok, value) = match outcome.map_err(to_pyerr).and_then(|v| convert(py, v)) {
                Ok(v) => (true, v),
                Err(e) => (false, e.into_value(py).into_any()),
            };
            if let Err(e) = done.call1(py, (ok, value)) {
                e.write_unraisable(py, None);
            }
        });
    });
    Ok(())
}

fn dict_of(py: Python<'_>, v: Value) -> PyResult<Py<PyAny>> {
    match &v {
        Value::Map(m) => Ok(map_to_py(py, m)?.into_any().unbind()),
        _ => Ok(PyDict::new(py).into_any().unbind()),
    }
}

fn any_of(py: Python<'_>, v: Value) -> PyResult<Py<PyAny>> {
    Ok(to_py(py, &v)?.unbind())
}

/// `CoreClient.call` as a task: `done(True, dict)` (a streamed payload as a
/// `RawStream` under its member) or `done(False, CoreError)`.
#[pyfunction]
#[pyo3(signature = (client, operation, params, done))]
pub fn call_async(
    client: PyRef<'_, CoreClient>,
    operation: &str,
    params: Option<&Bound<'_, PyAny>>,
    done: Py<PyAny>,
) -> PyResult<()> {
    let p = CoreClient::params(params)?;
    let validating = client.validates_response_checksum(operation, &p);
    let member = client.streamed_member(operation);
    let c = client.shared();
    let op = operation.to_string();
    match member {
        None => spawn(
            done,
            async move {
                let mut v = c.call(&op, p).await?;
                if validating {
                    note_checksum_algorithm(&mut v);
                }
                Ok(v)
            },
            dict_of,
        ),
        Some(member) => spawn(
            done,
            async move {
                let mut out = c.call_stream(&op, p, None).await?;
                if validating {
                    note_checksum_algorithm(&mut out.value);
                }
                Ok((out, member))
            },
            |py, (out, member)| {
                let dict = match &out.value {
                    Value::Map(m) => map_to_py(py, m)?,
                    _ => PyDict::new(py),
                };
                if let Some(body) = out.body {
                    dict.set_item(member, Bound::new(py, RawStream::new(body))?)?;
                }
                Ok(dict.into_any().unbind())
            },
        ),
    }
}

/// A waiter as a task: `done(True, last response)` or `done(False, CoreError)`.
#[pyfunction]
#[pyo3(signature = (client, name, params, delay, max_attempts, done))]
pub fn wait_async(
    client: PyRef<'_, CoreClient>,
    name: &str,
    params: Option<&Bound<'_, PyAny>>,
    delay: Option<f64>,
    max_attempts: Option<u32>,
    done: Py<PyAny>,
) -> PyResult<()> {
    let p = CoreClient::params(params)?;
    let delay = delay
        .map(|d| {
            Duration::try_from_secs_f64(d)
                .map_err(|_| construction(format!("Delay must be a non-negative number, got {d}")))
        })
        .transpose()?;
    let w = client.shared().waiter(name).map_err(to_pyerr)?;
    spawn(
        done,
        async move {
            w.wait(
                p,
                waiter::WaiterConfig {
                    delay,
                    max_attempts,
                },
            )
            .await
        },
        any_of,
    )
}

/// Pages fetched one task at a time (`boto_rs.aio`'s async page iterator).
#[pyclass(module = "boto_rs._core", frozen)]
pub struct AsyncPages {
    pages: Arc<tokio::sync::Mutex<Option<Paginator>>>,
}

#[pymethods]
impl AsyncPages {
    #[new]
    #[pyo3(signature = (client, operation, params=None, max_items=None, page_size=None, starting_token=None))]
    fn new(
        client: PyRef<'_, CoreClient>,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
        max_items: Option<u64>,
        page_size: Option<u64>,
        starting_token: Option<String>,
    ) -> PyResult<Self> {
        let p = CoreClient::params(params)?;
        let mut pg = client.shared().paginate(operation, p).map_err(to_pyerr)?;
        if let Some(n) = max_items {
            pg = pg.max_items(n);
        }
        if let Some(n) = page_size {
            pg = pg.page_size(n);
        }
        if let Some(t) = starting_token {
            pg = pg.starting_token(t);
        }
        Ok(AsyncPages {
            pages: Arc::new(tokio::sync::Mutex::new(Some(pg))),
        })
    }

    /// The next page: `done(True, page)`, `done(True, None)` at the end, or `done(False, error)`.
    fn next(&self, done: Py<PyAny>) -> PyResult<()> {
        let pages = self.pages.clone();
        spawn(
            done,
            async move {
                let mut guard = pages.lock().await;
                match guard.as_mut() {
                    Some(p) => p.next_page().await.transpose(),
                    None => Ok(None),
                }
            },
            |py, page: Option<Value>| match page {
                Some(v) => any_of(py, v),
                None => Ok(py.None()),
            },
        )
    }

    /// All pages merged (botocore's `build_full_result`); consumes the iterator.
    fn full(&self, done: Py<PyAny>) -> PyResult<()> {
        let pages = self.pages.clone();
        spawn(
            done,
            async move {
                let taken = pages.lock().await.take();
                match taken {
                    Some(p) => p.build_full_result().await,
                    None => Ok(Value::Map(Default::default())),
                }
            },
            any_of,
        )
    }

    /// The token to resume from once `MaxItems` stopped the iteration.
    fn resume_token(&self) -> Option<String> {
        let guard = self.pages.try_lock().ok()?;
        guard.as_ref()?.resume_token().map(str::to_owned)
    }
}
