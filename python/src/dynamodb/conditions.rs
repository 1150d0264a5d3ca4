//! boto3's `boto3.dynamodb.conditions` compiler for Python: the condition
//! objects of `boto_rs/dynamodb/conditions.py` (boto3's classes, plain
//! Python) are read into the core's `Condition` tree, and
//! `ConditionExpressionBuilder` (`boto_resources::dynamodb`) numbers the
//! `#n0`/`:v0` placeholders exactly as boto3 does.

use super::{attr_to_py, py_to_attr, type_name, types, PyTypes};
use crate::error::to_pyerr;
use boto_resources::dynamodb::conditions::{Cmp, Path};
use boto_resources::dynamodb::{Condition, ConditionExpressionBuilder, Operand};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use std::sync::Mutex;

fn operand(obj: &Bound<'_, PyAny>, t: &PyTypes) -> PyResult<Operand> {
    let py = obj.py();
    if obj.is_instance(t.condition_base.bind(py))? {
        let op: String = obj.getattr("expression_operator")?.extract()?;
        if op == "size" {
            return Ok(Operand::Size(path(
                &obj.getattr("_values")?.get_item(0)?,
                t,
            )?));
        }
        return Err(PyTypeError::new_err(format!(
            "a condition ({op}) cannot be used as a value"
        )));
    }
    if obj.is_instance(t.attribute_base.bind(py))? {
        return Ok(Operand::Path(path(obj, t)?));
    }
    py_to_attr(obj).map(Operand::Value)
}

fn path(obj: &Bound<'_, PyAny>, t: &PyTypes) -> PyResult<Path> {
    Ok(Path {
        name: obj.getattr("name")?.extract()?,
        is_key: obj.is_instance(t.key.bind(obj.py()))?,
    })
}

/// A Python condition object (`boto_rs.dynamodb.conditions`) as the core's tree.
pub fn py_to_condition(obj: &Bound<'_, PyAny>) -> PyResult<Condition> {
    let t = types(obj.py())?;
    if !obj.is_instance(t.condition_base.bind(obj.py()))? {
        return Err(PyTypeError::new_err(format!(
            "expected a condition (Key(...).eq(...), Attr(...)...), got {}",
            type_name(obj)
        )));
    }
    let op: String = obj.getattr("expression_operator")?.extract()?;
    let values: Vec<Bound<'_, PyAny>> = obj
        .getattr("_values")?
        .try_iter()?
        .collect::<PyResult<_>>()?;
    let v = |i: usize| -> PyResult<&Bound<'_, PyAny>> {
        values
            .get(i)
            .ok_or_else(|| PyValueError::new_err(format!("condition {op} lacks value {i}")))
    };
    let cmp = |c: Cmp| -> PyResult<Condition> {
        Ok(Condition::Compare(
            c,
            operand(v(0)?, t)?,
            operand(v(1)?, t)?,
        ))
    };
    let sub = |i: usize| -> PyResult<Box<Condition>> { Ok(Box::new(py_to_condition(v(i)?)?)) };
    Ok(match op.as_str() {
        "=" => cmp(Cmp::Eq)?,
        "<>" => cmp(Cmp::Ne)?,
        "<" => cmp(Cmp::Lt)?,
        "<=" => cmp(Cmp::Lte)?,
        ">" => cmp(Cmp::Gt)?,
        ">=" => cmp(Cmp::Gte)?,
        "IN" => {
            let list = v(1)?
                .try_iter()?
                .map(|i| py_to_attr(&i?))
                .collect::<PyResult<_>>()?;
            Condition::In(operand(v(0)?, t)?, list)
        }
        "BETWEEN" => Condition::Between(operand(v(0)?, t)?, operand(v(1)?, t)?, operand(v(2)?, t)?),
        "begins_with" => Condition::BeginsWith(operand(v(0)?, t)?, operand(v(1)?, t)?),
        "contains" => Condition::Contains(operand(v(0)?, t)?, operand(v(1)?, t)?),
        "attribute_type" => Condition::AttributeType(operand(v(0)?, t)?, operand(v(1)?, t)?),
        "attribute_exists" => Condition::Exists(operand(v(0)?, t)?),
        "attribute_not_exists" => Condition::NotExists(operand(v(0)?, t)?),
        "size" => Condition::Size(path(v(0)?, t)?),
        "AND" => Condition::And(sub(0)?, sub(1)?),
        "OR" => Condition::Or(sub(0)?, sub(1)?),
        "NOT" => Condition::Not(sub(0)?),
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown condition operator {other:?}"
            )))
        }
    })
}

/// boto3's `ConditionExpressionBuilder` (counters run on until `reset()`).
#[pyclass(module = "boto_rs._core", frozen)]
pub struct ConditionBuilder {
    inner: Mutex<ConditionExpressionBuilder>,
}

#[pymethods]
impl ConditionBuilder {
    #[new]
    fn new() -> Self {
        ConditionBuilder {
            inner: Mutex::new(ConditionExpressionBuilder::new()),
        }
    }
    fn reset(&self) {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).reset();
    }
    /// `(expression, {placeholder: name}, [(placeholder, value)])`.
    #[allow(clippy::type_complexity)]
    fn build<'py>(
        &self,
        py: Python<'py>,
        condition: &Bound<'py, PyAny>,
        is_key_condition: bool,
    ) -> PyResult<(
        String,
        Vec<(String, String)>,
        Vec<(String, Bound<'py, PyAny>)>,
    )> {
        let c = py_to_condition(condition)?;
        let built = self
            .inner
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .build_expression(&c, is_key_condition)
            .map_err(to_pyerr)?;
        let values = built
            .attribute_value_placeholders
            .iter()
            .map(|(k, v)| Ok((k.clone(), attr_to_py(py, v)?)))
            .collect::<PyResult<_>>()?;
        Ok((
            built.condition_expression,
            built.attribute_name_placeholders.into_iter().collect(),
            values,
        ))
    }
}
