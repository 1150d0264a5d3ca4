//! Python objects ⇄ `boto::Value`, with the Python types botocore uses.
//!
//! Replaces what botocore's serializers accept on input and its parsers
//! produce on output: `dict`/`list`/`str`/`bytes`/`int`/`float`/`bool`/`None`
//! and `datetime` (timezone-aware, UTC, on output; naive input counts as UTC,
//! as botocore's `parse_to_aware_datetime` does). File-like inputs (anything
//! with `read()`) are read whole into a blob; `Decimal` becomes a float.
//! The abi3 build cannot use PyO3's datetime types, so datetimes are made and
//! read through the `datetime` module, with the calendar arithmetic here.

use boto::{Map, Timestamp, Value};
use boto_util::civil::{civil_from_days, days_from_civil};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

struct DateTimeTypes {
    datetime: Py<PyAny>,
    utc: Py<PyAny>,
}

static DATETIME: GILOnceCell<DateTimeTypes> = GILOnceCell::new();
static DECIMAL: GILOnceCell<Py<PyAny>> = GILOnceCell::new();

fn datetime_types(py: Python<'_>) -> PyResult<&DateTimeTypes> {
    DATETIME.get_or_try_init(py, || {
        let m = py.import("datetime")?;
        Ok(DateTimeTypes {
            datetime: m.getattr("datetime")?.unbind(),
            utc: m.getattr("timezone")?.getattr("utc")?.unbind(),
        })
    })
}

fn decimal_type(py: Python<'_>) -> PyResult<&Py<PyAny>> {
    DECIMAL.get_or_try_init(py, || {
        Ok(py.import("decimal")?.getattr("Decimal")?.unbind())
    })
}

fn timestamp_to_py<'py>(py: Python<'py>, t: &Timestamp) -> PyResult<Bound<'py, PyAny>> {
    let types = datetime_types(py)?;
    let secs = t.epoch_secs();
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    let micros = t.subsec_nanos() / 1000;
    if !(1..=9999).contains(&y) {
        // Outside what `datetime` can hold: botocore would fail too; keep the text.
        return Ok(PyString::new(py, &t.to_iso8601()).into_any());
    }
    types.datetime.bind(py).call1((
        y,
        mo,
        d,
        rem / 3600,
        (rem / 60) % 60,
        rem % 60,
        micros,
        types.utc.bind(py),
    ))
}

fn py_to_timestamp(obj: &Bound<'_, PyAny>) -> PyResult<Timestamp> {
    let py = obj.py();
    let types = datetime_types(py)?;
    let utc = types.utc.bind(py);
    let dt = if obj.getattr("tzinfo")?.is_none() {
        obj.clone()
    } else {
        obj.call_method1("astimezone", (utc,))?
    };
    let get = |name: &str| -> PyResult<i64> { dt.getattr(name)?.extract() };
    let month: u32 = dt.getattr("month")?.extract()?;
    let day: u32 = dt.getattr("day")?.extract()?;
    let days = days_from_civil(get("year")?, month, day);
    let secs = days * 86_400 + get("hour")? * 3600 + get("minute")? * 60 + get("second")?;
    Ok(Timestamp::new(secs, (get("microsecond")? as u32) * 1000))
}

/// A `Value` as the Python object botocore would return.
pub fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Integer(i) => i.into_pyobject(py)?.into_any(),
        Value::Float(f) => PyFloat::new(py, *f).into_any(),
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Blob(b) => PyBytes::new(py, b).into_any(),
        Value::Timestamp(t) => timestamp_to_py(py, t)?,
        Value::List(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Map(m) => map_to_py(py, m)?.into_any(),
    })
}

pub fn map_to_py<'py>(py: Python<'py>, m: &Map) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    for (k, item) in m {
        dict.set_item(k.as_str(), to_py(py, item)?)?;
    }
    Ok(dict)
}

/// A Python parameter value as a `Value`; `depth` guards against cycles.
pub fn from_py(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    from_py_depth(obj, 0)
}

fn from_py_depth(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<Value> {
    if depth > 64 {
        return Err(PyValueError::new_err(
            "parameters nested more than 64 levels deep (a cycle?)",
        ));
    }
    let py = obj.py();
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.downcast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if let Ok(s) = obj.downcast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into()));
    }
    if let Ok(d) = obj.downcast::<PyDict>() {
        let mut m = Map::with_capacity(d.len());
        for (k, v) in d.iter() {
            let key = k.downcast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "parameter names must be str, got {}",
                    k.get_type()
                        .name()
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                ))
            })?;
            m.insert(key.to_cow()?.into_owned(), from_py_depth(&v, depth + 1)?);
        }
        return Ok(Value::Map(m));
    }
    if let Ok(l) = obj.downcast::<PyList>() {
        return l
            .iter()
            .map(|i| from_py_depth(&i, depth + 1))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::List);
    }
    if let Ok(t) = obj.downcast::<PyTuple>() {
        return t
            .iter()
            .map(|i| from_py_depth(&i, depth + 1))
            .collect::<PyResult<Vec<_>>>()
            .map(Value::List);
    }
    if let Ok(b) = obj.downcast::<PyBytes>() {
        return Ok(Value::Blob(b.as_bytes().to_vec()));
    }
    if let Ok(f) = obj.downcast::<PyFloat>() {
        return Ok(Value::Float(f.value()));
    }
    if obj.downcast::<PyInt>().is_ok() {
        return obj.extract::<i64>().map(Value::Integer).map_err(|_| {
            PyValueError::new_err("integer parameter out of range (must fit in 64 bits)")
        });
    }
    if obj.is_instance(datetime_types(py)?.datetime.bind(py))? {
        return Ok(Value::Timestamp(py_to_timestamp(obj)?));
    }
    if obj.is_instance(decimal_type(py)?.bind(py))? {
        return Ok(Value::Float(obj.extract::<f64>()?));
    }
    if let Ok(v) = obj.call_method0("tobytes") {
        // bytearray / memoryview
        if let Ok(b) = v.downcast::<PyBytes>() {
            return Ok(Value::Blob(b.as_bytes().to_vec()));
        }
    }
    if obj.hasattr("read")? {
        let data = obj.call_method0("read")?;
        return match data.downcast::<PyBytes>() {
            Ok(b) => Ok(Value::Blob(b.as_bytes().to_vec())),
            Err(_) => Ok(Value::String(data.extract::<String>()?.into())),
        };
    }
    if let Ok(b) = obj.extract::<Vec<u8>>() {
        return Ok(Value::Blob(b));
    }
    Err(PyTypeError::new_err(format!(
        "cannot send a value of type {} as a parameter",
        obj.get_type()
            .name()
            .map(|n| n.to_string())
            .unwrap_or_default()
    )))
}
