//! One operation's entry in `paginators-1.json`, compiled once.
//!
//! The config names the request members that carry the continuation token
//! (`input_token`), where the next token is found in a response
//! (`output_token`, JMESPath), the lists to aggregate (`result_key`), the
//! page-size member (`limit_key`), a "more pages" flag (`more_results`) and
//! members kept from the first page only (`non_aggregate_keys`). Result keys
//! are dotted paths in every botocore model, so they are read and written on
//! [`Value`] directly — that keeps blobs and timestamps intact, which a trip
//! through JMESPath values would turn into strings.

use crate::error::Error;
use boto_model::{Loader, Map, ModelFile, ServiceModel, Value};
use serde_json::Value as Json;

/// A compiled expression: a plain dotted path when possible, JMESPath otherwise.
#[derive(Debug, Clone)]
pub struct Expr {
    text: String,
    path: Option<Vec<String>>,
    compiled: boto_jmespath::Expression,
}

impl Expr {
    /// Compiles `text`, failing on JMESPath syntax errors.
    pub fn new(text: &str) -> Result<Expr, Error> {
        let compiled = boto_jmespath::compile(text).map_err(|e| {
            Error::construction(format!("invalid JMESPath expression {text:?}: {e}"))
        })?;
        let is_ident = |s: &str| {
            let mut c = s.chars();
            c.next()
                .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
                && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
        };
        let path = text
            .split('.')
            .all(is_ident)
            .then(|| text.split('.').map(str::to_owned).collect());
        Ok(Expr {
            text: text.to_string(),
            path,
            compiled,
        })
    }

    /// The expression text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The dotted path, when the expression is one.
    pub(crate) fn path(&self) -> Option<&[String]> {
        self.path.as_deref()
    }

    /// Evaluates on `v`; evaluation errors propagate.
    pub fn try_eval(&self, v: &Value) -> Result<Value, Error> {
        match &self.path {
            Some(p) => Ok(p.iter().fold(v, |cur, k| cur.get(k)).clone()),
            None => self
                .compiled
                .search(&crate::jmespath::to_variable(v))
                .map(|r| crate::jmespath::from_variable(&r))
                .map_err(|e| Error::response(format!("evaluating {:?}: {e}", self.text))),
        }
    }

    /// Evaluates on `v`; an evaluation error (a function given the wrong
    /// type) reads as null, i.e. "not present".
    pub fn eval(&self, v: &Value) -> Value {
        self.try_eval(v).unwrap_or(Value::Null)
    }
}

/// Sets a dotted path, creating maps on the way (botocore's `set_value_from_jmespath`).
pub(crate) fn set_path(target: &mut Value, path: &[String], value: Value) {
    let Some((last, init)) = path.split_last() else {
        return;
    };
    let mut cur = target;
    for k in init {
        if !matches!(cur, Value::Map(_)) {
            *cur = Value::Map(Map::new());
        }
        let Value::Map(m) = cur else { return };
        cur = m.entry(k.clone()).or_insert_with(|| Value::Map(Map::new()));
    }
    if !matches!(cur, Value::Map(_)) {
        *cur = Value::Map(Map::new());
    }
    if let Value::Map(m) = cur {
        m.insert(last.clone(), value);
    }
}

/// A compiled paginator config.
#[derive(Debug, Clone)]
pub struct PaginatorSpec {
    /// Request members that carry the continuation token(s).
    pub input_token: Vec<String>,
    pub(crate) output_token: Vec<Expr>,
    pub(crate) more_results: Option<Expr>,
    pub(crate) result_keys: Vec<Expr>,
    pub(crate) non_aggregate_keys: Vec<Expr>,
    /// The request member that sets the page size, if any.
    pub limit_key: Option<String>,
    /// Whether `limit_key` is a string member (then PageSize is sent as text).
    pub limit_is_string: bool,
}

fn one_or_many(v: Option<&Json>) -> Vec<String> {
    match v {
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Array(a)) => a
            .iter()
            .filter_map(Json::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

impl PaginatorSpec {
    /// Compiles one entry of the `pagination` object.
    pub fn from_json(config: &Json) -> Result<PaginatorSpec, Error> {
        let input_token = one_or_many(config.get("input_token"));
        let output_token = one_or_many(config.get("output_token"));
        if input_token.is_empty() || input_token.len() != output_token.len() {
            return Err(Error::construction(format!(
                "paginator config needs as many input_token as output_token entries: {config}"
            )));
        }
        let compile_all = |v: Vec<String>| {
            v.iter()
                .map(|s| Expr::new(s))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(PaginatorSpec {
            input_token,
            output_token: compile_all(output_token)?,
            more_results: config
                .get("more_results")
                .and_then(Json::as_str)
                .map(Expr::new)
                .transpose()?,
            result_keys: compile_all(one_or_many(config.get("result_key")))?,
            non_aggregate_keys: compile_all(one_or_many(config.get("non_aggregate_keys")))?,
            limit_key: config
                .get("limit_key")
                .and_then(Json::as_str)
                .map(str::to_owned),
            limit_is_string: false,
        })
    }

    /// The paginator of `operation` (model, snake_case or kebab-case name)
    /// from the service's `paginators-1.json`, checked against the model:
    /// the operation exists and `limit_key` is one of its input members.
    pub fn load(model: &ServiceModel, operation: &str) -> Result<PaginatorSpec, Error> {
        let doc = Loader::global().json(&model.service_name, ModelFile::Paginators)?;
        let configs = doc
            .as_deref()
            .and_then(|d| d.get("pagination"))
            .and_then(Json::as_object);
        let op = model.operation(operation).map(|o| o.name.to_string());
        let config = op.as_deref().and_then(|o| configs?.get(o));
        let (Some(op), Some(config)) = (op, config) else {
            let names: Vec<String> = configs
                .map(|c| c.keys().cloned().collect())
                .unwrap_or_default();
            let snake: Vec<String> = names
                .iter()
                .map(|n| boto_model::xform_name(n, '_'))
                .collect();
            let hint = boto_model::suggest::closest(
                operation,
                names.iter().chain(snake.iter()).map(String::as_str),
            )
            .map(|s| format!(" (did you mean {s:?}?)"))
            .unwrap_or_default();
            return Err(Error::construction(format!(
                "Operation cannot be paginated: {operation} ({} has {} paginators){hint}",
                model.service_name,
                names.len()
            )));
        };
        let mut spec = PaginatorSpec::from_json(config)?;
        spec.check_against(model, &op)?;
        Ok(spec)
    }

    /// Checks `limit_key` against the operation's input shape and records its type.
    pub fn check_against(&mut self, model: &ServiceModel, operation: &str) -> Result<(), Error> {
        let op = model.require_operation(operation)?;
        let input = op
            .input
            .as_ref()
            .and_then(|r| model.shape(r.target).as_structure());
        if let Some(limit) = &self.limit_key {
            let member = input.and_then(|s| s.member(limit)).ok_or_else(|| {
                Error::construction(format!(
                    "limit_key {limit:?} is not an input member of {}",
                    op.name
                ))
            })?;
            self.limit_is_string = model.shape(member.target).type_name() == "string";
        }
        Ok(())
    }

    /// The result key expressions, in order (the first is the primary one).
    pub fn result_keys(&self) -> impl Iterator<Item = &str> {
        self.result_keys.iter().map(Expr::as_str)
    }
    /// The output token expressions.
    pub fn output_tokens(&self) -> impl Iterator<Item = &str> {
        self.output_token.iter().map(Expr::as_str)
    }
    /// The non-aggregate key expressions.
    pub fn non_aggregate_keys(&self) -> impl Iterator<Item = &str> {
        self.non_aggregate_keys.iter().map(Expr::as_str)
    }
    /// The `more_results` expression, if any.
    pub fn more_results(&self) -> Option<&str> {
        self.more_results.as_ref().map(Expr::as_str)
    }
}

/// Model names of the operations that can be paginated, sorted (empty when
/// the service has no paginators file).
pub fn paginator_names(model: &ServiceModel) -> Vec<String> {
    let doc = Loader::global()
        .json(&model.service_name, ModelFile::Paginators)
        .ok()
        .flatten();
    let mut names: Vec<String> = doc
        .as_deref()
        .and_then(|d| d.get("pagination"))
        .and_then(Json::as_object)
        .map(|c| c.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    names
}
