//! DynamoDB's high-level layer for Python: boto3's `boto3.dynamodb.types`
//! (`TypeSerializer`, `TypeDeserializer`), the compiler behind
//! `boto3.dynamodb.conditions` (`ConditionExpressionBuilder`), the Table
//! resource's transformed calls (boto3's `TransformationInjector`) and
//! `batch_writer()`, all on `boto_resources::dynamodb`.
//!
//! Python values map to the core's exact `AttrValue`s with boto3's rules:
//! `int`/`Decimal` → `N` (38 digits, never a float; `float` is refused),
//! `str` → `S`, `bytes`/`bytearray`/`Binary` → `B`, `bool`, `None`, sets →
//! `SS`/`NS`/`BS`, lists/tuples → `L`, mappings → `M`. On the way back
//! numbers are `decimal.Decimal`, binaries `Binary` and sets `set`s. The
//! condition classes are plain Python (`boto_rs/dynamodb/conditions.py`,
//! boto3's class names and `get_expression()`); they are read here into the
//! core's `Condition` tree, which numbers `#n0`/`:v0` as boto3 does
//! (`conditions.rs`).

mod conditions;

use crate::client::CoreClient;
use crate::convert::{from_py, to_py};
use crate::error::to_pyerr;
use boto::core::model::{ServiceModel, ShapeId, ShapeKind};
use boto::Value;
use boto_resources::dynamodb::{
    transform_input_typed, transform_output_typed, AttrValue, BlockingBatchWriter, Decimal,
    DecimalError, Doc, Item, Table, TypeDeserializer, TypeSerializer,
};
pub use conditions::{py_to_condition, ConditionBuilder};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString,
    PyTuple, PyType,
};
use std::sync::Mutex;

pub(crate) struct PyTypes {
    pub(crate) decimal: Py<PyAny>,
    pub(crate) binary: Py<PyAny>,
    pub(crate) mapping: Py<PyAny>,
    pub(crate) set: Py<PyAny>,
    pub(crate) condition_base: Py<PyAny>,
    pub(crate) attribute_base: Py<PyAny>,
    pub(crate) key: Py<PyAny>,
}

static TYPES: GILOnceCell<PyTypes> = GILOnceCell::new();

pub(crate) fn types(py: Python<'_>) -> PyResult<&PyTypes> {
    TYPES.get_or_try_init(py, || {
        let t = py.import("boto_rs.dynamodb.types")?;
        let c = py.import("boto_rs.dynamodb.conditions")?;
        let abc = py.import("collections.abc")?;
        Ok(PyTypes {
            decimal: py.import("decimal")?.getattr("Decimal")?.unbind(),
            binary: t.getattr("Binary")?.unbind(),
            mapping: abc.getattr("Mapping")?.unbind(),
            set: abc.getattr("Set")?.unbind(),
            condition_base: c.getattr("ConditionBase")?.unbind(),
            attribute_base: c.getattr("AttributeBase")?.unbind(),
            key: c.getattr("Key")?.unbind(),
        })
    })
}

pub(crate) fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

/// A number under boto3's `DYNAMODB_CONTEXT`: the error is the `decimal`
/// signal Python would raise (`Inexact`, `Overflow`, ...), or `TypeError`
/// for NaN and infinities as boto3's serializer.
fn number(obj: &Bound<'_, PyAny>) -> PyResult<Decimal> {
    let text: String = obj.str()?.extract()?;
    Decimal::parse(&text).map_err(|e| {
        let signal = match &e {
            DecimalError::NotFinite(_) => return PyTypeError::new_err(e.to_string()),
            DecimalError::Syntax(_) => "InvalidOperation",
            DecimalError::Rounded(_) => "Inexact",
            DecimalError::Overflow(_) => "Overflow",
            DecimalError::Underflow(_) => "Underflow",
            DecimalError::Clamped(_) => "Clamped",
        };
        let py = obj.py();
        let cls = py
            .import("decimal")
            .and_then(|m| m.getattr(signal))
            .and_then(|c| c.downcast_into::<PyType>().map_err(PyErr::from));
        match cls {
            Ok(ty) => PyErr::from_type(ty, e.to_string()),
            Err(err) => err,
        }
    })
}

fn binary(obj: &Bound<'_, PyAny>, t: &PyTypes) -> PyResult<Option<Vec<u8>>> {
    let py = obj.py();
    if let Ok(b) = obj.downcast::<PyBytes>() {
        return Ok(Some(b.as_bytes().to_vec()));
    }
    if let Ok(b) = obj.downcast::<PyByteArray>() {
        return Ok(Some(b.to_vec()));
    }
    if obj.is_instance(t.binary.bind(py))? {
        return binary(&obj.getattr("value")?, t);
    }
    Ok(None)
}

fn is_number(obj: &Bound<'_, PyAny>, t: &PyTypes) -> PyResult<bool> {
    if obj.downcast::<PyBool>().is_ok() {
        return Ok(false);
    }
    if obj.downcast::<PyFloat>().is_ok() {
        return Err(PyTypeError::new_err(
            "Float types are not supported. Use Decimal types instead.",
        ));
    }
    Ok(obj.downcast::<PyInt>().is_ok() || obj.is_instance(t.decimal.bind(obj.py()))?)
}

/// A Python value as a DynamoDB value (boto3's `TypeSerializer` rules and errors).
pub fn py_to_attr(obj: &Bound<'_, PyAny>) -> PyResult<AttrValue> {
    py_to_attr_depth(obj, 0)
}

fn py_to_attr_depth(obj: &Bound<'_, PyAny>, depth: usize) -> PyResult<AttrValue> {
    if depth > 64 {
        return Err(PyValueError::new_err(
            "value nested more than 64 levels deep (a cycle?)",
        ));
    }
    let py = obj.py();
    let t = types(py)?;
    if obj.is_none() {
        return Ok(AttrValue::Null);
    }
    if let Ok(b) = obj.downcast::<PyBool>() {
        return Ok(AttrValue::Bool(b.is_true()));
    }
    if is_number(obj, t)? {
        return number(obj).map(AttrValue::Number);
    }
    if let Ok(s) = obj.downcast::<PyString>() {
        return Ok(AttrValue::String(s.to_cow()?.into_owned()));
    }
    if let Some(b) = binary(obj, t)? {
        return Ok(AttrValue::Binary(b));
    }
    if obj.downcast::<PySet>().is_ok()
        || obj.downcast::<PyFrozenSet>().is_ok()
        || obj.is_instance(t.set.bind(py))?
    {
        let items: Vec<Bound<'_, PyAny>> = obj.try_iter()?.collect::<PyResult<_>>()?;
        let mut all_num = true;
        for i in &items {
            all_num &= is_number(i, t)?;
        }
        if all_num {
            return items
                .iter()
                .map(number)
                .collect::<PyResult<_>>()
                .map(AttrValue::NumberSet);
        }
        if items.iter().all(|i| i.downcast::<PyString>().is_ok()) {
            return items
                .iter()
                .map(|i| i.extract::<String>())
                .collect::<PyResult<_>>()
                .map(AttrValue::StringSet);
        }
        let bins: Vec<Option<Vec<u8>>> = items
            .iter()
            .map(|i| binary(i, t))
            .collect::<PyResult<_>>()?;
        if bins.iter().all(Option::is_some) {
            return Ok(AttrValue::BinarySet(bins.into_iter().flatten().collect()));
        }
        return Err(unsupported(obj));
    }
    if obj.downcast::<PyDict>().is_ok() || obj.is_instance(t.mapping.bind(py))? {
        let mut item = Item::new();
        for k in obj.try_iter()? {
            let k = k?;
            let key: String = k.extract()?;
            item.insert(key, py_to_attr_depth(&obj.get_item(&k)?, depth + 1)?);
        }
        return Ok(AttrValue::Map(item));
    }
    if obj.downcast::<PyList>().is_ok() || obj.downcast::<PyTuple>().is_ok() {
        let mut out = Vec::new();
        for i in obj.try_iter()? {
            out.push(py_to_attr_depth(&i?, depth + 1)?);
        }
        return Ok(AttrValue::List(out));
    }
    Err(unsupported(obj))
}

fn unsupported(obj: &Bound<'_, PyAny>) -> PyErr {
    let repr = obj
        .str()
        .and_then(|s| s.extract::<String>())
        .unwrap_or_default();
    PyTypeError::new_err(format!(
        "Unsupported type \"{}\" for value \"{repr}\"",
        obj.get_type()
    ))
}

/// A DynamoDB value as the Python value boto3's `TypeDeserializer` returns.
pub fn attr_to_py<'py>(py: Python<'py>, a: &AttrValue) -> PyResult<Bound<'py, PyAny>> {
    let t = types(py)?;
    let dec = |d: &Decimal| t.decimal.bind(py).call1((d.to_string(),));
    let bin = |b: &[u8]| t.binary.bind(py).call1((PyBytes::new(py, b),));
    Ok(match a {
        AttrValue::Null => py.None().into_bound(py),
        AttrValue::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        AttrValue::Number(n) => dec(n)?,
        AttrValue::String(s) => PyString::new(py, s).into_any(),
        AttrValue::Binary(b) => bin(b)?,
        AttrValue::List(l) => {
            let out = PyList::empty(py);
            for v in l {
                out.append(attr_to_py(py, v)?)?;
            }
            out.into_any()
        }
        AttrValue::Map(m) => {
            let out = PyDict::new(py);
            for (k, v) in m {
                out.set_item(k, attr_to_py(py, v)?)?;
            }
            out.into_any()
        }
        AttrValue::StringSet(s) => PySet::new(py, s)?.into_any(),
        AttrValue::NumberSet(s) => {
            let out = PySet::empty(py)?;
            for d in s {
                out.add(dec(d)?)?;
            }
            out.into_any()
        }
        AttrValue::BinarySet(s) => {
            let out = PySet::empty(py)?;
            for b in s {
                out.add(bin(b)?)?;
            }
            out.into_any()
        }
    })
}

/// `TypeSerializer().serialize(value)`: `{'S': 'x'}`, `{'N': '1'}`, ...
#[pyfunction]
pub fn dynamodb_serialize<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let a = py_to_attr(value)?;
    let v = TypeSerializer.serialize(&a).map_err(to_pyerr)?;
    to_py(py, &v)
}

/// `TypeDeserializer().deserialize({'N': '1'})` → `Decimal('1')`.
#[pyfunction]
pub fn dynamodb_deserialize<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let v = from_py(value)?;
    let a = TypeDeserializer.deserialize(&v).map_err(to_pyerr)?;
    attr_to_py(py, &a)
}

// ---- transformed calls (the Table resource) ----

const ATTRIBUTE_VALUE: &str = "AttributeValue";

/// Python parameters as a typed tree, following the input shapes: values in
/// `AttributeValue` positions become exact `AttrValue`s, conditions stay conditions.
fn py_to_doc(model: &ServiceModel, shape: ShapeId, obj: &Bound<'_, PyAny>) -> PyResult<Doc> {
    let py = obj.py();
    let t = types(py)?;
    if obj.is_instance(t.condition_base.bind(py))? {
        return py_to_condition(obj).map(Doc::Condition);
    }
    let sh = model.shape(shape);
    if &*sh.name == ATTRIBUTE_VALUE {
        return py_to_attr(obj).map(Doc::Attr);
    }
    match &sh.kind {
        ShapeKind::Structure(s) => {
            if let Ok(d) = obj.downcast::<PyDict>() {
                let mut m = indexmap::IndexMap::new();
                for (k, v) in d.iter() {
                    let key: String = k.extract()?;
                    let doc = match s.members.iter().find(|r| *r.name == key) {
                        Some(member) => py_to_doc(model, member.target, &v)?,
                        None => Doc::Plain(from_py(&v)?),
                    };
                    m.insert(key, doc);
                }
                return Ok(Doc::Map(m));
            }
        }
        ShapeKind::Map { value, .. } => {
            if let Ok(d) = obj.downcast::<PyDict>() {
                let mut m = indexmap::IndexMap::new();
                for (k, v) in d.iter() {
                    m.insert(k.extract()?, py_to_doc(model, value.target, &v)?);
                }
                return Ok(Doc::Map(m));
            }
        }
        ShapeKind::List { member }
            if obj.downcast::<PyList>().is_ok() || obj.downcast::<PyTuple>().is_ok() =>
        {
            let mut out = Vec::new();
            for i in obj.try_iter()? {
                out.push(py_to_doc(model, member.target, &i?)?);
            }
            return Ok(Doc::List(out));
        }
        _ => {}
    }
    Ok(Doc::Plain(from_py(obj)?))
}

fn doc_to_py<'py>(py: Python<'py>, d: &Doc) -> PyResult<Bound<'py, PyAny>> {
    Ok(match d {
        Doc::Plain(v) => to_py(py, v)?,
        Doc::Attr(a) => attr_to_py(py, a)?,
        Doc::Condition(c) => PyString::new(py, &format!("{c:?}")).into_any(),
        Doc::Map(m) => {
            let out = PyDict::new(py);
            for (k, v) in m {
                out.set_item(k, doc_to_py(py, v)?)?;
            }
            out.into_any()
        }
        Doc::List(l) => {
            let out = PyList::empty(py);
            for v in l {
                out.append(doc_to_py(py, v)?)?;
            }
            out.into_any()
        }
    })
}

/// Calls a DynamoDB operation with the resource layer's transformations
/// (Python values and conditions in, Python values out).
#[pyfunction]
pub fn dynamodb_call<'py>(
    py: Python<'py>,
    client: &CoreClient,
    operation: &str,
    params: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let c = client.inner().clone();
    let model = c.model().clone();
    let op = model
        .require_operation(operation)
        .map_err(|e| to_pyerr(boto::Error::validation(e.to_string())))?;
    let doc = match op.input.as_ref() {
        Some(r) if !params.is_none() => py_to_doc(&model, r.target, params)?,
        _ => Doc::Plain(Value::Map(Default::default())),
    };
    let wire = transform_input_typed(&model, operation, doc).map_err(to_pyerr)?;
    let name = op.name.to_string();
    let out = crate::client::blocking(py, async move { c.call(&name, wire).await })?;
    let typed = transform_output_typed(&model, operation, out).map_err(to_pyerr)?;
    doc_to_py(py, &typed)
}

fn item_of(obj: &Bound<'_, PyAny>) -> PyResult<Item> {
    match py_to_attr(obj)? {
        AttrValue::Map(m) => Ok(m),
        _ => Err(PyTypeError::new_err(format!(
            "an item must be a dict, got {}",
            type_name(obj)
        ))),
    }
}

/// `table.batch_writer(overwrite_by_pkeys=...)`: the core's batch writer
/// (25 requests per BatchWriteItem, unprocessed items resent with backoff).
#[pyclass(module = "boto_rs._core", frozen)]
pub struct CoreBatchWriter {
    inner: Mutex<Option<BlockingBatchWriter>>,
}

impl CoreBatchWriter {
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut BlockingBatchWriter) -> Result<T, boto::Error> + Send,
    ) -> PyResult<T> {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let w = guard
            .as_mut()
            .ok_or_else(|| PyValueError::new_err("the batch writer is closed"))?;
        py.allow_threads(|| f(w)).map_err(to_pyerr)
    }
}

#[pymethods]
impl CoreBatchWriter {
    #[new]
    /// `flush_amount`: requests per BatchWriteItem (1 to 25, boto3's default 25).
    #[pyo3(signature = (client, table_name, overwrite_by_pkeys=None, flush_amount=25))]
    fn new(
        client: &CoreClient,
        table_name: String,
        overwrite_by_pkeys: Option<Vec<String>>,
        flush_amount: usize,
    ) -> Self {
        let table = Table::new(client.inner().clone(), table_name);
        let w = match overwrite_by_pkeys {
            Some(k) => table.batch_writer_overwrite_by_pkeys(k),
            None => table.batch_writer(),
        };
        let w = BlockingBatchWriter::new(w.flush_amount(flush_amount));
        CoreBatchWriter {
            inner: Mutex::new(Some(w)),
        }
    }
    fn put_item(&self, py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<()> {
        let item = item_of(item)?;
        self.with(py, move |w| w.put_item(item))
    }
    fn delete_item(&self, py: Python<'_>, key: &Bound<'_, PyAny>) -> PyResult<()> {
        let key = item_of(key)?;
        self.with(py, move |w| w.delete_item(key))
    }
    fn flush(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, |w| w.flush())
    }
    /// Sends what is buffered and closes the writer.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let out = self.with(py, |w| w.close());
        let w = self.inner.lock().unwrap_or_else(|e| e.into_inner()).take();
        py.allow_threads(move || drop(w));
        out
    }
    fn pending(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map_or(0, |w| w.pending())
    }
}

/// Adds the DynamoDB classes and functions to `_core`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<ConditionBuilder>()?;
    m.add_class::<CoreBatchWriter>()?;
    m.add_function(wrap_pyfunction!(dynamodb_serialize, m)?)?;
    m.add_function(wrap_pyfunction!(dynamodb_deserialize, m)?)?;
    m.add_function(wrap_pyfunction!(dynamodb_call, m)?)?;
    Ok(())
}
