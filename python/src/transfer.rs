//! S3 transfers for Python: boto3's `upload_file`/`download_file`/
//! `upload_fileobj`/`download_fileobj`/`copy` (`boto3/s3/inject.py`,
//! `boto3/s3/transfer.py` and s3transfer) on `boto_transfer`'s manager.
//!
//! Files are read and written by the core (multipart uploads sent from disk,
//! ranged parallel downloads into a temporary file renamed into place).
//! File objects are read or written on the calling thread, taking the GIL
//! for each `read()`/`write()`. `Callback` is called with byte counts from
//! the transfer's worker threads (taking the GIL each time), as s3transfer
//! calls it from its threads. The GIL is released while a transfer runs.

use crate::client::CoreClient;
use crate::convert::{from_py, to_py};
use crate::error::to_pyerr;
use boto::blocking::block_on;
use boto_transfer::{
    CancelToken, CopySource, ExtraArgs, TransferConfig, TransferControl, TransferError,
    TransferManager, TransferOutput,
};
use pyo3::exceptions::{PyFileNotFoundError, PyOSError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

fn get<'py, T: FromPyObject<'py>>(
    d: Option<&Bound<'py, PyDict>>,
    key: &str,
) -> PyResult<Option<T>> {
    match d.map(|d| d.get_item(key)).transpose()?.flatten() {
        Some(v) if !v.is_none() => Ok(Some(v.extract()?)),
        _ => Ok(None),
    }
}

/// A manager with the settings of a `TransferConfig` (passed as a dict).
fn manager(client: &CoreClient, config: Option<&Bound<'_, PyDict>>) -> PyResult<TransferManager> {
    let mut c = TransferConfig::default();
    if let Some(v) = get(config, "multipart_threshold")? {
        c.multipart_threshold = v;
    }
    if let Some(v) = get(config, "multipart_chunksize")? {
        c.multipart_chunksize = v;
    }
    if let Some(v) = get(config, "max_concurrency")? {
        c.max_concurrency = v;
    }
    if get::<bool>(config, "use_threads")? == Some(false) {
        c.max_concurrency = 1;
    }
    if let Some(v) = get(config, "num_download_attempts")? {
        c.num_download_attempts = v;
    }
    if let Some(v) = get(config, "io_chunksize")? {
        c.io_chunksize = v;
    }
    c.max_bandwidth = get(config, "max_bandwidth")?;
    TransferManager::with_config(client.inner().clone(), c).map_err(transfer_err)
}

fn extra(args: Option<&Bound<'_, PyAny>>) -> PyResult<ExtraArgs> {
    match args {
        Some(a) if !a.is_none() => ExtraArgs::from_value(from_py(a)?).map_err(transfer_err),
        _ => Ok(ExtraArgs::new()),
    }
}

/// The first Python exception raised by a `Callback` or a file object's
/// `read()`/`write()`: it cancels the transfer and is raised in its place
/// (as s3transfer fails the transfer with it).
#[derive(Clone, Default)]
struct Failure(Arc<Mutex<Option<PyErr>>>);

impl Failure {
    fn set(&self, e: PyErr) {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if slot.is_none() {
            *slot = Some(e);
        }
    }
    fn take(&self) -> Option<PyErr> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

fn control(callback: Option<PyObject>, failure: &Failure) -> TransferControl {
    let token = CancelToken::new();
    let ctl = TransferControl::new().cancel_token(token.clone());
    match callback {
        None => ctl,
        Some(cb) => {
            let failure = failure.clone();
            ctl.on_progress(move |n| {
                Python::with_gil(|py| {
                    if let Err(e) = cb.call1(py, (n,)) {
                        failure.set(e);
                        token.cancel();
                    }
                })
            })
        }
    }
}

/// The transfer's response, or the Python exception that stopped it, or its error.
fn finish<'py>(
    py: Python<'py>,
    out: Result<TransferOutput, TransferError>,
    failure: &Failure,
) -> PyResult<Bound<'py, PyAny>> {
    if let Some(e) = failure.take() {
        return Err(e);
    }
    to_py(py, &out.map_err(transfer_err)?.response)
}

/// A transfer failure as a Python exception: S3 errors as `CoreError` (the
/// Python layer makes them `ClientError`s), bad arguments as `ValueError`,
/// local file problems as `OSError`.
fn transfer_err(e: TransferError) -> PyErr {
    match e {
        TransferError::Sdk(e) => to_pyerr(e),
        TransferError::InvalidArgument(m) => PyValueError::new_err(m),
        TransferError::Io { context, source } => {
            let msg = format!("{context}: {source}");
            if source.kind() == std::io::ErrorKind::NotFound {
                PyFileNotFoundError::new_err(msg)
            } else {
                PyOSError::new_err(msg)
            }
        }
        other => PyRuntimeError::new_err(other.to_string()),
    }
}

fn run<'py>(
    py: Python<'py>,
    f: impl std::future::Future<Output = Result<TransferOutput, TransferError>> + Send,
    failure: &Failure,
) -> PyResult<Bound<'py, PyAny>> {
    let out = py.allow_threads(|| block_on(f)).map_err(to_pyerr)?;
    finish(py, out, failure)
}

#[pyfunction]
#[pyo3(signature = (client, filename, bucket, key, extra_args=None, callback=None, config=None))]
#[allow(clippy::too_many_arguments)]
pub fn upload_file<'py>(
    py: Python<'py>,
    client: &CoreClient,
    filename: std::path::PathBuf,
    bucket: String,
    key: String,
    extra_args: Option<&Bound<'py, PyAny>>,
    callback: Option<PyObject>,
    config: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let tm = manager(client, config)?;
    let args = extra(extra_args)?;
    let failure = Failure::default();
    let ctl = control(callback, &failure);
    let f = async move { tm.upload_file(&filename, &bucket, &key, args, ctl).await };
    run(py, f, &failure)
}

#[pyfunction]
#[pyo3(signature = (client, bucket, key, filename, extra_args=None, callback=None, config=None))]
#[allow(clippy::too_many_arguments)]
pub fn download_file<'py>(
    py: Python<'py>,
    client: &CoreClient,
    bucket: String,
    key: String,
    filename: std::path::PathBuf,
    extra_args: Option<&Bound<'py, PyAny>>,
    callback: Option<PyObject>,
    config: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let tm = manager(client, config)?;
    let args = extra(extra_args)?;
    let failure = Failure::default();
    let ctl = control(callback, &failure);
    let f = async move { tm.download_file(&bucket, &key, &filename, args, ctl).await };
    run(py, f, &failure)
}

#[pyfunction]
#[pyo3(signature = (client, source_bucket, source_key, source_version, bucket, key, extra_args=None, callback=None, config=None))]
#[allow(clippy::too_many_arguments)]
pub fn copy<'py>(
    py: Python<'py>,
    client: &CoreClient,
    source_bucket: String,
    source_key: String,
    source_version: Option<String>,
    bucket: String,
    key: String,
    extra_args: Option<&Bound<'py, PyAny>>,
    callback: Option<PyObject>,
    config: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let tm = manager(client, config)?;
    let args = extra(extra_args)?;
    let failure = Failure::default();
    let ctl = control(callback, &failure);
    let mut src = CopySource::new(source_bucket, source_key);
    if let Some(v) = source_version {
        src = src.version(v);
    }
    let f = async move { tm.copy(&src, &bucket, &key, args, ctl).await };
    run(py, f, &failure)
}

/// A Python file object read on the calling thread (GIL taken per read).
struct PyReader(PyObject, Failure);

impl Read for PyReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        Python::with_gil(|py| {
            let data = self.0.call_method1(py, "read", (buf.len(),)).map_err(|e| {
                let err = std::io::Error::other(e.to_string());
                self.1.set(e);
                err
            })?;
            let data = data.bind(py);
            let bytes: Vec<u8> = if let Ok(b) = data.downcast::<PyBytes>() {
                b.as_bytes().to_vec()
            } else if let Ok(s) = data.extract::<String>() {
                s.into_bytes()
            } else {
                data.extract::<Vec<u8>>()
                    .map_err(|e| std::io::Error::other(e.to_string()))?
            };
            if bytes.len() > buf.len() {
                return Err(std::io::Error::other(
                    "read() returned more bytes than asked for",
                ));
            }
            buf[..bytes.len()].copy_from_slice(&bytes);
            Ok(bytes.len())
        })
    }
}

/// A Python file object written on the calling thread (GIL taken per write).
struct PyWriter(PyObject, Failure);

impl Write for PyWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Python::with_gil(|py| {
            self.0
                .call_method1(py, "write", (PyBytes::new(py, buf),))
                .map_err(|e| {
                    let err = std::io::Error::other(e.to_string());
                    self.1.set(e);
                    err
                })?;
            Ok(buf.len())
        })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn blocking_manager(tm: TransferManager) -> PyResult<boto_transfer::blocking::TransferManager> {
    let client = boto::blocking::Client::new(tm.client().clone());
    boto_transfer::blocking::TransferManager::with_config(client, tm.config().clone())
        .map_err(transfer_err)
}

#[pyfunction]
#[pyo3(signature = (client, fileobj, bucket, key, extra_args=None, callback=None, config=None))]
#[allow(clippy::too_many_arguments)]
pub fn upload_fileobj<'py>(
    py: Python<'py>,
    client: &CoreClient,
    fileobj: PyObject,
    bucket: String,
    key: String,
    extra_args: Option<&Bound<'py, PyAny>>,
    callback: Option<PyObject>,
    config: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let tm = blocking_manager(manager(client, config)?)?;
    let args = extra(extra_args)?;
    let failure = Failure::default();
    let ctl = control(callback, &failure);
    let reader = PyReader(fileobj, failure.clone());
    let out = py.allow_threads(|| tm.upload_fileobj(reader, &bucket, &key, args, ctl));
    finish(py, out, &failure)
}

#[pyfunction]
#[pyo3(signature = (client, bucket, key, fileobj, extra_args=None, callback=None, config=None))]
#[allow(clippy::too_many_arguments)]
pub fn download_fileobj<'py>(
    py: Python<'py>,
    client: &CoreClient,
    bucket: String,
    key: String,
    fileobj: PyObject,
    extra_args: Option<&Bound<'py, PyAny>>,
    callback: Option<PyObject>,
    config: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let tm = blocking_manager(manager(client, config)?)?;
    let args = extra(extra_args)?;
    let failure = Failure::default();
    let ctl = control(callback, &failure);
    let writer = PyWriter(fileobj, failure.clone());
    let out = py.allow_threads(|| tm.download_fileobj(&bucket, &key, writer, args, ctl));
    finish(py, out, &failure)
}

/// Adds the transfer functions to `_core` (as `transfer_upload_file`, ...).
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    for f in [
        wrap_pyfunction!(upload_file, m)?,
        wrap_pyfunction!(download_file, m)?,
        wrap_pyfunction!(upload_fileobj, m)?,
        wrap_pyfunction!(download_fileobj, m)?,
        wrap_pyfunction!(copy, m)?,
    ] {
        let name: String = f.getattr("__name__")?.extract()?;
        m.add(format!("transfer_{name}"), f)?;
    }
    Ok(())
}
