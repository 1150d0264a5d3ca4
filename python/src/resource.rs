//! Resources for Python: boto3's `boto3.resources` (`ResourceFactory`,
//! `ServiceResource`, `ResourceCollection`, `CollectionManager`) on
//! `boto_resources`, which interprets `resources-1.json`.
//!
//! The native objects here do the work — identifiers, lazy loading (single
//! flight, shared by every copy of a resource), actions, references,
//! sub-resources, collections with pagination and batch actions, waiters —
//! and `boto_rs/resources.py` gives them boto3's Python shape (attributes
//! as properties, actions as methods). Every call releases the GIL; the
//! resources are `Send + Sync`, so threads may share them (boto3's may not).

use crate::client::CoreClient;
use crate::convert::{from_py, to_py};
use crate::error::to_pyerr;
use boto::Value;
use boto_resources::blocking::{Collection, Pages, Resource};
use boto_resources::model::{ServiceResources, Source};
use boto_resources::ActionOutput;
use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Mutex;

fn params(p: Option<&Bound<'_, PyAny>>) -> PyResult<Value> {
    match p {
        Some(p) if !p.is_none() => from_py(p),
        _ => Ok(Value::Null),
    }
}

fn ids(values: &Bound<'_, PyList>) -> PyResult<Vec<Value>> {
    values.iter().map(|v| from_py(&v)).collect()
}

fn output<'py>(py: Python<'py>, out: ActionOutput) -> PyResult<Bound<'py, PyAny>> {
    Ok(match out {
        ActionOutput::None => py.None().into_bound(py),
        ActionOutput::Data(v) => to_py(py, &v)?,
        ActionOutput::Resource(r) => Bound::new(py, CoreResource::new(r.into()))?.into_any(),
        ActionOutput::Resources(v) => {
            let list = PyList::empty(py);
            for r in v {
                list.append(Bound::new(py, CoreResource::new(r.into()))?)?;
            }
            list.into_any()
        }
    })
}

/// The service resource for `client`'s service (`boto3.resource(...)`).
#[pyfunction]
pub fn resource_from_client(client: &CoreClient) -> PyResult<CoreResource> {
    let r = boto_resources::blocking::from_client(client.inner().clone()).map_err(to_pyerr)?;
    Ok(CoreResource::new(r))
}

/// The services that have resources (`Session.get_available_resources()`).
#[pyfunction]
pub fn resource_services() -> Vec<String> {
    boto_resources::model::resource_services()
}

/// One resource (any class, the service resource included).
#[pyclass(module = "boto_rs._core", frozen)]
pub struct CoreResource {
    r: Resource,
}

impl CoreResource {
    fn new(r: Resource) -> Self {
        CoreResource { r }
    }
}

#[pymethods]
impl CoreResource {
    /// `s3.Object`, `s3.ServiceResource`.
    #[getter]
    fn class_name(&self) -> String {
        self.r.class_name()
    }
    #[getter]
    fn service_name(&self) -> String {
        self.r.meta().service_name().to_string()
    }
    /// The model name (`Object`), or the service name for a service resource.
    #[getter]
    fn resource_name(&self) -> String {
        self.r.async_resource().resource_name().to_string()
    }
    #[getter]
    fn is_service(&self) -> bool {
        self.r.async_resource().model().is_service
    }

    /// `[(snake name, value)]` in model order.
    fn identifiers<'py>(&self, py: Python<'py>) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
        self.r
            .identifiers()
            .into_iter()
            .map(|(k, v)| Ok((k, to_py(py, &v)?)))
            .collect()
    }

    /// What the class offers, by kind (boto3's `dir()` grouped), plus the
    /// operation behind each action: `{identifiers, attributes, actions,
    /// operations, references, subresources, collections, waiters, can_load, model_load}`.
    fn class_info<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let i = self.r.class_info();
        let d = PyDict::new(py);
        d.set_item("class_name", &i.class_name)?;
        d.set_item("identifiers", &i.identifiers)?;
        d.set_item("attributes", &i.attributes)?;
        d.set_item("actions", &i.actions)?;
        d.set_item("references", &i.references)?;
        d.set_item("subresources", &i.subresources)?;
        d.set_item("collections", &i.collections)?;
        d.set_item("waiters", &i.waiters)?;
        d.set_item("can_load", i.can_load)?;
        d.set_item("model_load", i.model_load)?;
        let ops = PyDict::new(py);
        for a in &self.r.async_resource().model().actions {
            ops.set_item(&a.py_name, &a.request.operation)?;
        }
        d.set_item("operations", ops)?;
        Ok(d)
    }

    /// The identifier names a sub-resource takes from the caller, in order.
    fn subresource_inputs(&self, name: &str) -> PyResult<Vec<String>> {
        let def = self.r.async_resource().model().clone();
        let Some(sub) = def.subresource(name) else {
            return Ok(Vec::new());
        };
        let models = ServiceResources::load(&def.service).map_err(to_pyerr)?;
        let class = models.require(&sub.resource.type_name).map_err(to_pyerr)?;
        let from_parent: Vec<usize> = sub
            .resource
            .identifiers
            .iter()
            .filter(|p| p.source != Source::Input)
            .filter_map(|p| class.identifier_index(&p.target))
            .collect();
        Ok(class
            .identifiers
            .iter()
            .enumerate()
            .filter(|(i, _)| !from_parent.contains(i))
            .map(|(_, id)| id.py_name.clone())
            .collect())
    }

    /// An attribute or identifier; loads the data first when needed.
    fn attr<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let r = self.r.clone();
        let name = name.to_string();
        let v = py.allow_threads(move || r.attr(&name)).map_err(to_pyerr)?;
        to_py(py, &v)
    }
    fn load(&self, py: Python<'_>) -> PyResult<()> {
        let r = self.r.clone();
        py.allow_threads(move || r.load()).map_err(to_pyerr)
    }
    /// `meta.data`: the loaded data, or `None`.
    fn data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.r.data() {
            Some(d) => to_py(py, &d),
            None => Ok(py.None().into_bound(py)),
        }
    }
    /// `meta.data = value` (`None` forces a load on next access).
    fn set_data(&self, data: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let v = match data {
            Some(d) if !d.is_none() => Some(from_py(d)?),
            _ => None,
        };
        self.r.async_resource().set_data(v);
        Ok(())
    }
    #[pyo3(signature = (name, params=None))]
    fn action<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        params: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let p = self::params(params)?;
        let r = self.r.clone();
        let name = name.to_string();
        let out = py
            .allow_threads(move || r.action(&name, p))
            .map_err(to_pyerr)?;
        output(py, out)
    }
    fn reference<'py>(&self, py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let r = self.r.clone();
        let name = name.to_string();
        let out = py
            .allow_threads(move || r.reference(&name))
            .map_err(to_pyerr)?;
        output(py, out)
    }
    #[pyo3(signature = (name, params=None))]
    fn wait_until(
        &self,
        py: Python<'_>,
        name: &str,
        params: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let p = self::params(params)?;
        let r = self.r.clone();
        let name = name.to_string();
        py.allow_threads(move || r.wait_until(&name, p))
            .map_err(to_pyerr)
    }
    /// A sub-resource from the caller's identifier values (no call).
    fn subresource(&self, name: &str, values: &Bound<'_, PyList>) -> PyResult<CoreResource> {
        let v = ids(values)?;
        self.r
            .subresource(name, v)
            .map(CoreResource::new)
            .map_err(to_pyerr)
    }
    /// Any class of the service from its identifiers (no call); with the
    /// service resource of another client this rebinds a resource to it.
    fn resource(&self, class: &str, values: &Bound<'_, PyList>) -> PyResult<CoreResource> {
        let v = ids(values)?;
        self.r
            .resource(class, v)
            .map(CoreResource::new)
            .map_err(to_pyerr)
    }
    fn collection(&self, name: &str) -> PyResult<CoreCollection> {
        let c = self.r.collection(name).map_err(to_pyerr)?;
        Ok(CoreCollection { c })
    }

    fn __repr__(&self) -> String {
        format!("{:?}", self.r)
    }
    fn __hash__(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.r.hash(&mut h);
        h.finish()
    }
    fn __richcmp__(&self, other: &Bound<'_, PyAny>, op: CompareOp) -> PyObject {
        let py = other.py();
        let Ok(o) = other.downcast::<CoreResource>() else {
            return py.NotImplemented();
        };
        let eq = self.r == o.get().r;
        match op {
            CompareOp::Eq => eq
                .into_pyobject(py)
                .map(|b| b.to_owned().into_any().unbind()),
            CompareOp::Ne => (!eq)
                .into_pyobject(py)
                .map(|b| b.to_owned().into_any().unbind()),
            _ => return py.NotImplemented(),
        }
        .unwrap_or_else(|_| py.NotImplemented())
    }
}

/// A collection query (`bucket.objects.filter(...)`); immutable, each
/// refinement is a new collection.
#[pyclass(module = "boto_rs._core", frozen)]
pub struct CoreCollection {
    c: Collection,
}

#[pymethods]
impl CoreCollection {
    fn filter(&self, params: &Bound<'_, PyAny>) -> PyResult<CoreCollection> {
        Ok(CoreCollection {
            c: self.c.filter(from_py(params)?),
        })
    }
    fn limit(&self, n: u64) -> CoreCollection {
        CoreCollection { c: self.c.limit(n) }
    }
    fn page_size(&self, n: u64) -> CoreCollection {
        CoreCollection {
            c: self.c.page_size(n),
        }
    }
    /// The pages, fetched as iterated; each page a list of resources.
    fn pages(&self) -> CorePages {
        CorePages {
            p: Mutex::new(self.c.pages()),
        }
    }
    /// The batch action names of the items' class (`delete`, ...).
    fn batch_action_names(&self) -> Vec<String> {
        self.c.async_collection().batch_action_names()
    }
    #[pyo3(signature = (name, params=None))]
    fn batch_action<'py>(
        &self,
        py: Python<'py>,
        name: &str,
        params: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let p = self::params(params)?;
        let c = self.c.clone();
        let name = name.to_string();
        let outs = py
            .allow_threads(move || c.batch_action(&name, p))
            .map_err(to_pyerr)?;
        let list = PyList::empty(py);
        for o in outs {
            list.append(output(py, o)?)?;
        }
        Ok(list)
    }
    fn __repr__(&self) -> String {
        format!("{:?}", self.c.async_collection())
    }
}

/// A page iterator of a collection.
#[pyclass(module = "boto_rs._core", frozen)]
pub struct CorePages {
    p: Mutex<Pages>,
}

#[pymethods]
impl CorePages {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }
    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Vec<CoreResource>>> {
        let next = py.allow_threads(|| self.p.lock().unwrap_or_else(|e| e.into_inner()).next());
        match next {
            None => Ok(None),
            Some(Err(e)) => Err(to_pyerr(e)),
            Some(Ok(page)) => Ok(Some(page.into_iter().map(CoreResource::new).collect())),
        }
    }
}

/// Adds this module's classes and functions to `_core`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<CoreResource>()?;
    m.add_class::<CoreCollection>()?;
    m.add_class::<CorePages>()?;
    m.add_function(wrap_pyfunction!(resource_from_client, m)?)?;
    m.add_function(wrap_pyfunction!(resource_services, m)?)?;
    Ok(())
}
