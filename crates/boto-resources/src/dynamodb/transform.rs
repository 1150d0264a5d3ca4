//! The DynamoDB resource's automatic conversions, replacing boto3's
//! `boto3.dynamodb.transform` (`TransformationInjector`,
//! `ParameterTransformer`, `ConditionExpressionTransformation`).
//!
//! boto3 registers three event handlers on a resource's client: conditions
//! in `ConditionExpression`/`KeyExpression` positions are compiled (one
//! builder, reset once per call, condition positions first and key
//! conditions second) and their placeholders merged into
//! `ExpressionAttributeNames`/`Values`; then every `AttributeValue` position
//! of the input is serialized; after the call every `AttributeValue` position
//! of the output is deserialized. Here the same walk over the operation's
//! shapes is a plain function: [`transform_input`]/[`transform_output`] for
//! [`boto::Value`] parameters (what the generic resource layer calls), and
//! [`transform_input_typed`]/[`transform_output_typed`] over [`Doc`], a
//! parameter tree that can also hold exact [`AttrValue`]s and [`Condition`]s.

use super::conditions::{Condition, ConditionExpressionBuilder};
use super::types::{AttrValue, Item, TypeDeserializer, TypeSerializer};
use boto::core::model::{ServiceModel, ShapeId, ShapeKind};
use boto::{Map, Value};
use indexmap::IndexMap;

const ATTRIBUTE_VALUE: &str = "AttributeValue";

/// A parameter or result tree whose leaves may be plain values, exact
/// DynamoDB values or (in input) conditions.
#[derive(Debug, Clone, PartialEq)]
pub enum Doc {
    /// A plain value, sent as is.
    Plain(Value),
    /// A DynamoDB value, serialized to its `{"S": ...}` form where the model expects an `AttributeValue`.
    Attr(AttrValue),
    /// A condition, compiled into an expression plus names and values.
    Condition(Condition),
    /// A map of documents.
    Map(IndexMap<String, Doc>),
    /// A list of documents.
    List(Vec<Doc>),
}

impl Doc {
    /// An empty map, to fill with [`Doc::with`].
    pub fn map() -> Doc {
        Doc::Map(IndexMap::new())
    }
    /// Adds (or replaces) a member of a map; other kinds are left unchanged.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<Doc>) -> Doc {
        if let Doc::Map(m) = &mut self {
            m.insert(key.into(), value.into());
        }
        self
    }
    /// A member of a map (`Doc::Plain` maps too).
    pub fn get(&self, key: &str) -> Option<Doc> {
        match self {
            Doc::Map(m) => m.get(key).cloned(),
            Doc::Plain(Value::Map(m)) => m.get(key).cloned().map(Doc::Plain),
            _ => None,
        }
    }
    /// The DynamoDB value, if this is one.
    pub fn as_attr(&self) -> Option<&AttrValue> {
        match self {
            Doc::Attr(a) => Some(a),
            _ => None,
        }
    }
    /// A map of DynamoDB values as an [`Item`] (`Item`, `Key`, `Attributes`, `LastEvaluatedKey`).
    pub fn as_item(&self) -> Option<Item> {
        match self {
            Doc::Map(m) => m
                .iter()
                .map(|(k, v)| v.as_attr().map(|a| (k.clone(), a.clone())))
                .collect(),
            _ => None,
        }
    }
    /// A list of items (`Items` of Query/Scan); `None` if any element is not an item.
    pub fn as_items(&self) -> Option<Vec<Item>> {
        match self {
            Doc::List(l) => l.iter().map(Doc::as_item).collect(),
            _ => None,
        }
    }
    /// The nearest plain value ([`AttrValue::to_plain`] for DynamoDB values;
    /// conditions become an error-free placeholder of their debug form).
    pub fn into_plain(self) -> Value {
        match self {
            Doc::Plain(v) => v,
            Doc::Attr(a) => a.to_plain(),
            Doc::Condition(c) => Value::String(format!("{c:?}").into()),
            Doc::Map(m) => Value::Map(m.into_iter().map(|(k, v)| (k, v.into_plain())).collect()),
            Doc::List(l) => Value::List(l.into_iter().map(Doc::into_plain).collect()),
        }
    }
}

impl From<Value> for Doc {
    fn from(v: Value) -> Self {
        Doc::Plain(v)
    }
}
impl From<&str> for Doc {
    fn from(v: &str) -> Self {
        Doc::Plain(Value::String(v.into()))
    }
}
impl From<String> for Doc {
    fn from(v: String) -> Self {
        Doc::Plain(Value::String(v.into()))
    }
}
impl From<AttrValue> for Doc {
    fn from(v: AttrValue) -> Self {
        Doc::Attr(v)
    }
}
impl From<Item> for Doc {
    fn from(v: Item) -> Self {
        Doc::Map(v.into_iter().map(|(k, a)| (k, Doc::Attr(a))).collect())
    }
}
impl From<Condition> for Doc {
    fn from(v: Condition) -> Self {
        Doc::Condition(v)
    }
}
impl From<Vec<Doc>> for Doc {
    fn from(v: Vec<Doc>) -> Self {
        Doc::List(v)
    }
}

/// Plain input → wire input for `operation` (boto3's before-parameter-build handlers).
pub fn transform_input(
    model: &ServiceModel,
    operation: &str,
    params: Value,
) -> Result<Value, boto::Error> {
    transform_input_typed(model, operation, Doc::Plain(params))
}

/// Wire output → plain output for `operation` (boto3's after-call handler);
/// see [`AttrValue::to_plain`] for how numbers and sets come out.
pub fn transform_output(
    model: &ServiceModel,
    operation: &str,
    output: Value,
) -> Result<Value, boto::Error> {
    transform_output_typed(model, operation, output).map(Doc::into_plain)
}

/// Typed input → wire input: compiles conditions, merges their placeholders
/// into the expression attribute maps, serializes every `AttributeValue`.
pub fn transform_input_typed(
    model: &ServiceModel,
    operation: &str,
    params: Doc,
) -> Result<Value, boto::Error> {
    let op = model
        .require_operation(operation)
        .map_err(|e| boto::Error::validation(e.to_string()))?;
    let Some(input) = op.input.as_ref().map(|r| r.target) else {
        return Ok(params.into_plain());
    };
    let mut params = expand(params);
    let mut builder = ConditionExpressionBuilder::new();
    let mut names = IndexMap::new();
    let mut values = IndexMap::new();
    let mut pass = Conditions {
        model,
        builder: &mut builder,
        names: &mut names,
        values: &mut values,
    };
    pass.walk(input, &mut params, "ConditionExpression", false)?;
    pass.walk(input, &mut params, "KeyExpression", true)?;
    if let Doc::Map(top) = &mut params {
        merge(
            top,
            "ExpressionAttributeNames",
            names.into_iter().map(|(k, v)| (k, Doc::from(v))),
        );
        merge(
            top,
            "ExpressionAttributeValues",
            values.into_iter().map(|(k, v)| (k, Doc::Attr(v))),
        );
    }
    to_wire(model, input, params)
}

/// Wire output → typed output: every `AttributeValue` becomes a [`Doc::Attr`].
pub fn transform_output_typed(
    model: &ServiceModel,
    operation: &str,
    output: Value,
) -> Result<Doc, boto::Error> {
    let op = model
        .require_operation(operation)
        .map_err(|e| boto::Error::validation(e.to_string()))?;
    match op.output.as_ref() {
        Some(r) => from_wire(model, r.target, output),
        None => Ok(Doc::Plain(output)),
    }
}

/// Opens plain maps and lists so conditions and values inside can be replaced.
fn expand(doc: Doc) -> Doc {
    match doc {
        Doc::Plain(Value::Map(m)) => Doc::Map(
            m.into_iter()
                .map(|(k, v)| (k.into_string(), expand(Doc::Plain(v))))
                .collect(),
        ),
        Doc::Plain(Value::List(l)) => {
            Doc::List(l.into_iter().map(|v| expand(Doc::Plain(v))).collect())
        }
        Doc::Map(m) => Doc::Map(m.into_iter().map(|(k, v)| (k, expand(v))).collect()),
        Doc::List(l) => Doc::List(l.into_iter().map(expand).collect()),
        other => other,
    }
}

/// Adds generated placeholders to a user-given map (boto3: `dict.update`),
/// creating it only when something was generated.
fn merge(
    top: &mut IndexMap<String, Doc>,
    key: &str,
    generated: impl ExactSizeIterator<Item = (String, Doc)>,
) {
    if generated.len() == 0 && !top.contains_key(key) {
        return;
    }
    let entry = top.entry(key.to_string()).or_insert_with(Doc::map);
    if let Doc::Map(m) = entry {
        m.extend(generated);
    }
}

struct Conditions<'a> {
    model: &'a ServiceModel,
    builder: &'a mut ConditionExpressionBuilder,
    names: &'a mut IndexMap<String, String>,
    values: &'a mut IndexMap<String, AttrValue>,
}

impl Conditions<'_> {
    fn walk(
        &mut self,
        shape: ShapeId,
        doc: &mut Doc,
        target: &str,
        key: bool,
    ) -> Result<(), boto::Error> {
        let model = self.model;
        let visit = |this: &mut Self, child: ShapeId, d: &mut Doc| -> Result<(), boto::Error> {
            if &*model.shape(child).name == target {
                if let Doc::Condition(c) = d {
                    let built = this.builder.build_expression(c, key)?;
                    this.names.extend(built.attribute_name_placeholders);
                    this.values.extend(built.attribute_value_placeholders);
                    *d = Doc::from(built.condition_expression);
                }
                Ok(())
            } else {
                this.walk(child, d, target, key)
            }
        };
        match (&model.shape(shape).kind, doc) {
            (ShapeKind::Structure(s), Doc::Map(m)) => {
                for (name, d) in m.iter_mut() {
                    if let Some(member) = s.members.iter().find(|r| &*r.name == name) {
                        visit(self, member.target, d)?;
                    }
                }
            }
            (ShapeKind::Map { value, .. }, Doc::Map(m)) => {
                for d in m.values_mut() {
                    visit(self, value.target, d)?;
                }
            }
            (ShapeKind::List { member }, Doc::List(l)) => {
                for d in l.iter_mut() {
                    visit(self, member.target, d)?;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

fn to_wire(model: &ServiceModel, shape: ShapeId, doc: Doc) -> Result<Value, boto::Error> {
    let sh = model.shape(shape);
    if &*sh.name == ATTRIBUTE_VALUE {
        let value = match doc {
            Doc::Attr(a) => a,
            Doc::Plain(v) => AttrValue::from_plain(&v)?,
            other => AttrValue::from_plain(&other.into_plain())?,
        };
        return TypeSerializer.serialize(&value);
    }
    Ok(match (&sh.kind, doc) {
        (ShapeKind::Structure(s), Doc::Map(m)) => {
            let mut out = Map::with_capacity(m.len());
            for (name, d) in m {
                let v = match s.members.iter().find(|r| *r.name == name) {
                    Some(member) => to_wire(model, member.target, d)?,
                    None => d.into_plain(),
                };
                out.insert(name, v);
            }
            Value::Map(out)
        }
        (ShapeKind::Map { value, .. }, Doc::Map(m)) => Value::Map(
            m.into_iter()
                .map(|(k, d)| Ok((k, to_wire(model, value.target, d)?)))
                .collect::<Result<_, boto::Error>>()?,
        ),
        (ShapeKind::List { member }, Doc::List(l)) => Value::List(
            l.into_iter()
                .map(|d| to_wire(model, member.target, d))
                .collect::<Result<_, _>>()?,
        ),
        (_, Doc::Condition(c)) => {
            return Err(boto::Error::validation(format!(
                "a condition ({c:?}) can only be given for a ConditionExpression or KeyExpression parameter"
            )))
        }
        (_, other) => other.into_plain(),
    })
}

fn from_wire(model: &ServiceModel, shape: ShapeId, value: Value) -> Result<Doc, boto::Error> {
    let sh = model.shape(shape);
    if &*sh.name == ATTRIBUTE_VALUE {
        return TypeDeserializer.deserialize(&value).map(Doc::Attr);
    }
    Ok(match (&sh.kind, value) {
        (ShapeKind::Structure(s), Value::Map(m)) => Doc::Map(
            m.into_iter()
                .map(|(k, v)| {
                    let d = match s.members.iter().find(|r| *r.name == k) {
                        Some(member) => from_wire(model, member.target, v)?,
                        None => Doc::Plain(v),
                    };
                    Ok((k.into_string(), d))
                })
                .collect::<Result<_, boto::Error>>()?,
        ),
        (ShapeKind::Map { value: vr, .. }, Value::Map(m)) => Doc::Map(
            m.into_iter()
                .map(|(k, v)| Ok((k.into_string(), from_wire(model, vr.target, v)?)))
                .collect::<Result<_, boto::Error>>()?,
        ),
        (ShapeKind::List { member }, Value::List(l)) => Doc::List(
            l.into_iter()
                .map(|v| from_wire(model, member.target, v))
                .collect::<Result<_, _>>()?,
        ),
        (_, v) => Doc::Plain(v),
    })
}
