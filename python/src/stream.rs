//! Pull-style objects handed to Python: a streamed response body and page
//! iterators.
//!
//! `RawStream` is what botocore's `StreamingBody` wraps (urllib3's response):
//! `read(n)` pulls chunks from the core's `ByteStream` with the GIL released;
//! a body shorter than its `Content-Length` or failing its checksum is an
//! error, not a short read. `Pages` and `SearchItems` drive the core's
//! paginator one page (or item) at a time, like botocore's `PageIterator`.

use crate::client::blocking;
use crate::convert::to_py;
use crate::error::to_pyerr;
use boto::core::runtime::paginator::{Paginator, Search};
use boto::{ByteStream, Value};
use pyo3::exceptions::{PyRuntimeError, PyStopIteration};
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use std::sync::Mutex;

struct BodyState {
    stream: Option<ByteStream>,
    buf: Vec<u8>,
    pos: usize,
    read: u64,
}

#[pyclass(module = "boto_rs._core", frozen)]
pub struct RawStream {
    state: Mutex<BodyState>,
}

impl RawStream {
    pub fn new(stream: ByteStream) -> Self {
        RawStream {
            state: Mutex::new(BodyState {
                stream: Some(stream),
                buf: Vec::new(),
                pos: 0,
                read: 0,
            }),
        }
    }
}

fn poisoned() -> PyErr {
    PyRuntimeError::new_err("the response body was used by a thread that panicked")
}

#[pymethods]
impl RawStream {
    /// Up to `amt` bytes (all that is left when `amt` is `None`); `b""` at the end.
    #[pyo3(signature = (amt=None))]
    fn read<'py>(&self, py: Python<'py>, amt: Option<i64>) -> PyResult<Bound<'py, PyBytes>> {
        let want = amt.filter(|n| *n >= 0).map(|n| n as usize);
        let out = py.allow_threads(|| -> Result<Vec<u8>, boto::Error> {
            let mut st = self.state.lock().map_err(|_| {
                boto::Error::construction("the response body was used by a thread that panicked")
            })?;
            loop {
                let have = st.buf.len() - st.pos;
                if want.is_some_and(|w| have >= w) {
                    break;
                }
                let Some(stream) = st.stream.as_mut() else {
                    break;
                };
                match boto::blocking::block_on(stream.next_chunk())?? {
                    Some(chunk) => {
                        if st.pos > 0 {
                            let pos = st.pos;
                            st.buf.drain(..pos);
                            st.pos = 0;
                        }
                        st.buf.extend_from_slice(&chunk);
                    }
                    None => st.stream = None,
                }
            }
            let have = st.buf.len() - st.pos;
            let n = want.map_or(have, |w| w.min(have));
            let start = st.pos;
            let chunk = st.buf[start..start + n].to_vec();
            st.pos += n;
            st.read += n as u64;
            if st.pos == st.buf.len() {
                st.buf.clear();
                st.pos = 0;
            }
            Ok(chunk)
        });
        out.map(|b| PyBytes::new(py, &b)).map_err(to_pyerr)
    }

    /// Bytes handed out so far (botocore's `tell()`).
    fn tell(&self) -> PyResult<u64> {
        Ok(self.state.lock().map_err(|_| poisoned())?.read)
    }

    /// Drops the connection's remaining body; later reads return `b""`.
    fn close(&self) -> PyResult<()> {
        let mut st = self.state.lock().map_err(|_| poisoned())?;
        st.stream = None;
        st.buf.clear();
        st.pos = 0;
        Ok(())
    }
}

#[pyclass(module = "boto_rs._core", frozen)]
pub struct Pages {
    pages: Mutex<Option<Paginator>>,
}

impl Pages {
    pub fn new(p: Paginator) -> Self {
        Pages {
            pages: Mutex::new(Some(p)),
        }
    }

    fn take(&self) -> PyResult<Paginator> {
        self.pages
            .lock()
            .map_err(|_| poisoned())?
            .take()
            .ok_or_else(|| PyRuntimeError::new_err("this page iterator was already consumed"))
    }
}

#[pymethods]
impl Pages {
    /// The next page as a dict; raises `StopIteration` after the last.
    fn next_page<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let next = py.allow_threads(|| -> PyResult<Option<Result<Value, boto::Error>>> {
            let mut guard = self.pages.lock().map_err(|_| poisoned())?;
            let Some(p) = guard.as_mut() else {
                return Ok(None);
            };
            boto::blocking::block_on(p.next_page()).map_err(to_pyerr)
        })?;
        match next {
            Some(Ok(v)) => to_py(py, &v),
            Some(Err(e)) => Err(to_pyerr(e)),
            None => Err(PyStopIteration::new_err(())),
        }
    }

    /// The token to resume from once `MaxItems` stopped the iteration.
    fn resume_token(&self) -> PyResult<Option<String>> {
        let guard = self.pages.lock().map_err(|_| poisoned())?;
        Ok(guard
            .as_ref()
            .and_then(|p| p.resume_token().map(str::to_owned)))
    }

    /// Every remaining page merged (botocore's `build_full_result`).
    fn build_full_result<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let p = self.take()?;
        let v = blocking(py, async move { p.build_full_result().await })?;
        to_py(py, &v)
    }

    /// Items matched by a JMESPath expression across the remaining pages.
    fn search(&self, expression: &str) -> PyResult<SearchItems> {
        let p = self.take()?;
        let s = p.search(expression).map_err(to_pyerr)?;
        Ok(SearchItems {
            search: Mutex::new(s),
        })
    }
}

#[pyclass(module = "boto_rs._core", frozen)]
pub struct SearchItems {
    search: Mutex<Search>,
}

#[pymethods]
impl SearchItems {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let next = py.allow_threads(|| -> PyResult<Option<Result<Value, boto::Error>>> {
            let mut s = self.search.lock().map_err(|_| poisoned())?;
            boto::blocking::block_on(s.next()).map_err(to_pyerr)
        })?;
        match next {
            Some(Ok(v)) => to_py(py, &v),
            Some(Err(e)) => Err(to_pyerr(e)),
            None => Err(PyStopIteration::new_err(())),
        }
    }
}
