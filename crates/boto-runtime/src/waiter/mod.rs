//! Waiters: poll an operation until the resource reaches a state.
//!
//! `waiters-2.json` describes each waiter as an operation, a delay, a number
//! of attempts and an ordered list of acceptors; the first acceptor whose
//! matcher matches the response decides the state (`success` returns,
//! `failure` stops with an error, `retry` polls again). This follows
//! botocore's `Waiter.wait` exactly, including that a service error is a
//! response too (`{"Error": {"Code", "Message"}, "ResponseMetadata": ...}`)
//! so `error` and `status` matchers can see it, and the wording of its
//! `WaiterError` messages. A failure is an [`Error`] of kind
//! [`ErrorKind::Waiter`]; [`failure`] gives the waiter name, reason and the
//! last response.

#[cfg(test)]
mod tests;

use crate::error::{Error, ErrorKind};
use crate::Invoke;
use boto_jmespath::{Expression, Variable};
use boto_model::{Loader, Map, ModelFile, ServiceModel, Value};
use serde_json::Value as Json;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// Per-call overrides of the model's `delay` and `maxAttempts` (boto3's
/// `WaiterConfig={"Delay": .., "MaxAttempts": ..}`); unset values use the
/// waiter model's.
///
/// ```
/// use boto_runtime::waiter::WaiterConfig;
/// use std::time::Duration;
/// let cfg = WaiterConfig::new().delay(Duration::from_secs(2)).max_attempts(30);
/// assert_eq!(cfg.delay, Some(Duration::from_secs(2)));
/// assert_eq!(WaiterConfig::default().max_attempts, None);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WaiterConfig {
    /// Time between attempts (`Delay`).
    pub delay: Option<Duration>,
    /// Attempts before giving up, the first included (`MaxAttempts`).
    pub max_attempts: Option<u32>,
}

impl WaiterConfig {
    /// The model's delay and attempts (same as `default()`).
    pub fn new() -> Self {
        Self::default()
    }
    /// Sets the time between attempts (boto3's `Delay`).
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
    /// Sets the number of attempts, the first included (boto3's `MaxAttempts`).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }
}

/// The state an acceptor moves the waiter to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The wait is over: [`Waiter::wait`] returns the response.
    Success,
    /// The resource will never get there: the wait ends with an `ErrorKind::Waiter`
    /// error ("Waiter encountered a terminal failure state").
    Failure,
    /// Poll again after the delay (e.g. a modeled error code such as `ResourceNotFoundException`).
    Retry,
}

/// How an acceptor looks at a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatcherKind {
    /// The expression's result equals `expected`.
    Path,
    /// The expression gives a non-empty list whose every element equals `expected`.
    PathAll,
    /// The expression gives a list with at least one element equal to `expected`.
    PathAny,
    /// The HTTP status code equals `expected`.
    Status,
    /// `expected` is an error code, or `true` (any error) / `false` (no error).
    Error,
}

/// One acceptor of a waiter.
#[derive(Debug, Clone)]
pub struct Acceptor {
    /// Where a match moves the waiter.
    pub state: AcceptorState,
    /// What the acceptor compares (`path`, `pathAll`, `pathAny`, `status`, `error`).
    pub matcher: MatcherKind,
    /// The `expected` value as written in the model.
    pub expected: Json,
    expected_var: Variable,
    argument: Option<Expression>,
}

impl Acceptor {
    fn from_json(j: &Json) -> Result<Acceptor, String> {
        let state = match j.get("state").and_then(Json::as_str) {
            Some("success") => AcceptorState::Success,
            Some("failure") => AcceptorState::Failure,
            Some("retry") => AcceptorState::Retry,
            other => return Err(format!("unknown acceptor state {other:?}")),
        };
        let matcher = match j.get("matcher").and_then(Json::as_str) {
            Some("path") => MatcherKind::Path,
            Some("pathAll") => MatcherKind::PathAll,
            Some("pathAny") => MatcherKind::PathAny,
            Some("status") => MatcherKind::Status,
            Some("error") => MatcherKind::Error,
            other => return Err(format!("Unknown acceptor: {other:?}")),
        };
        let expected = j
            .get("expected")
            .cloned()
            .ok_or("acceptor without expected")?;
        let argument = match (matcher, j.get("argument").and_then(Json::as_str)) {
            (MatcherKind::Path | MatcherKind::PathAll | MatcherKind::PathAny, None) => {
                return Err("path acceptor without argument".into())
            }
            (_, Some(a)) => {
                Some(boto_jmespath::compile(a).map_err(|e| format!("argument {a:?}: {e}"))?)
            }
            (_, None) => None,
        };
        Ok(Acceptor {
            state,
            matcher,
            expected_var: Variable::from(&expected),
            expected,
            argument,
        })
    }

    /// The JMESPath argument of a path matcher.
    pub fn argument(&self) -> Option<&str> {
        self.argument.as_ref().map(Expression::as_str)
    }

    /// Whether this acceptor matches `response` (botocore's `matcher_func`).
    pub fn matches(&self, response: &Value) -> bool {
        let search = || {
            let arg = self.argument.as_ref()?;
            arg.search(&crate::jmespath::to_variable(response)).ok()
        };
        match self.matcher {
            MatcherKind::Path => {
                !is_error(response) && search().is_some_and(|r| r == self.expected_var)
            }
            MatcherKind::PathAll | MatcherKind::PathAny if is_error(response) => false,
            MatcherKind::PathAll => match search() {
                Some(Variable::Array(items)) if !items.is_empty() => {
                    items.iter().all(|i| *i == self.expected_var)
                }
                _ => false,
            },
            MatcherKind::PathAny => match search() {
                Some(Variable::Array(items)) => items.contains(&self.expected_var),
                _ => false,
            },
            MatcherKind::Status => {
                let status = response.get("ResponseMetadata").get("HTTPStatusCode");
                status
                    .as_i64()
                    .is_some_and(|s| Some(s) == self.expected.as_i64())
            }
            MatcherKind::Error => {
                let err = response.get("Error");
                match &self.expected {
                    Json::Bool(true) => matches!(err, Value::Map(m) if m.contains_key("Code")),
                    Json::Bool(false) => response.as_map().is_none_or(|m| !m.contains_key("Error")),
                    Json::String(code) => err.get("Code").as_str() == Some(code),
                    _ => false,
                }
            }
        }
    }

    /// botocore's `AcceptorConfig.explanation`.
    pub fn explanation(&self) -> String {
        let arg = self.argument().unwrap_or_default();
        let exp = match &self.expected {
            Json::String(s) => s.clone(),
            Json::Bool(b) => if *b { "True" } else { "False" }.to_string(),
            other => other.to_string(),
        };
        match self.matcher {
            MatcherKind::Path => {
                format!("For expression \"{arg}\" we matched expected path: \"{exp}\"")
            }
            MatcherKind::PathAll => {
                format!("For expression \"{arg}\" all members matched expected path: \"{exp}\"")
            }
            MatcherKind::PathAny => {
                format!(
                    "For expression \"{arg}\" we matched expected path: \"{exp}\" at least once"
                )
            }
            MatcherKind::Status => format!("Matched expected HTTP status code: {exp}"),
            MatcherKind::Error => format!("Matched expected service error code: {exp}"),
        }
    }
}

/// botocore's `is_valid_waiter_error`: the response is a service error.
fn is_error(response: &Value) -> bool {
    matches!(response.get("Error"), Value::Map(m) if m.contains_key("Code"))
}

/// One waiter of `waiters-2.json`, compiled.
#[derive(Debug, Clone)]
pub struct WaiterSpec {
    /// The waiter's model name (`ObjectExists`).
    pub name: String,
    /// The operation polled (model name).
    pub operation: String,
    /// The wait between attempts (the model's `delay`, seconds; boto3's `WaiterConfig.Delay`).
    pub delay: Duration,
    /// Attempts before giving up, the first included (the model's `maxAttempts`).
    pub max_attempts: u32,
    /// The acceptors in model order; the first that matches a response decides.
    pub acceptors: Vec<Acceptor>,
}

impl WaiterSpec {
    /// Compiles one entry of the `waiters` object.
    pub fn from_json(name: &str, j: &Json) -> Result<WaiterSpec, Error> {
        let bad = |m: String| Error::construction(format!("waiter {name}: {m}"));
        let operation = j
            .get("operation")
            .and_then(Json::as_str)
            .ok_or_else(|| bad("no operation".into()))?;
        let delay = j
            .get("delay")
            .and_then(Json::as_f64)
            .filter(|d| *d >= 0.0 && d.is_finite());
        let max_attempts = j
            .get("maxAttempts")
            .and_then(Json::as_u64)
            .and_then(|n| u32::try_from(n).ok());
        let (Some(delay), Some(max_attempts)) = (delay, max_attempts) else {
            return Err(bad("delay and maxAttempts are required".into()));
        };
        let acceptors = j
            .get("acceptors")
            .and_then(Json::as_array)
            .ok_or_else(|| bad("no acceptors".into()))?
            .iter()
            .map(|a| Acceptor::from_json(a).map_err(bad))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(WaiterSpec {
            name: name.to_string(),
            operation: operation.to_string(),
            delay: Duration::from_secs_f64(delay),
            max_attempts,
            acceptors,
        })
    }

    /// The waiter `name` (`ObjectExists`, `object_exists` or `object-exists`)
    /// of the model's service, checked: version 2 file, operation in the model.
    pub fn load(model: &ServiceModel, name: &str) -> Result<WaiterSpec, Error> {
        let doc = Loader::global().json(&model.service_name, ModelFile::Waiters)?;
        if let Some(v) = doc.as_deref().and_then(|d| d.get("version")) {
            if v.as_u64() != Some(2) {
                return Err(Error::construction(format!(
                    "Unsupported waiter version, supported version must be: 2, but version of waiter config is: {v}"
                )));
            }
        }
        let waiters = doc
            .as_deref()
            .and_then(|d| d.get("waiters"))
            .and_then(Json::as_object);
        let wanted = name.replace('-', "_");
        let found = waiters.and_then(|w| {
            w.get_key_value(name).or_else(|| {
                w.iter()
                    .find(|(k, _)| boto_model::xform_name(k, '_') == wanted)
            })
        });
        let Some((key, config)) = found else {
            let names: Vec<String> = waiters
                .map(|w| w.keys().cloned().collect())
                .unwrap_or_default();
            let snake: Vec<String> = names
                .iter()
                .map(|n| boto_model::xform_name(n, '_'))
                .collect();
            let hint =
                boto_model::suggest::closest(name, names.iter().chain(&snake).map(String::as_str))
                    .map(|s| format!(" (did you mean {s:?}?)"))
                    .unwrap_or_default();
            return Err(Error::construction(format!(
                "Waiter does not exist: {name} ({} has {} waiters){hint}",
                model.service_name,
                names.len()
            )));
        };
        let mut spec = WaiterSpec::from_json(key, config)?;
        spec.operation = model.require_operation(&spec.operation)?.name.to_string();
        Ok(spec)
    }
}

/// Model names of the service's waiters, sorted (empty when it has none).
pub fn waiter_names(model: &ServiceModel) -> Vec<String> {
    let doc = Loader::global()
        .json(&model.service_name, ModelFile::Waiters)
        .ok()
        .flatten();
    let mut names: Vec<String> = doc
        .as_deref()
        .and_then(|d| d.get("waiters"))
        .and_then(Json::as_object)
        .map(|w| w.keys().cloned().collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// Why a waiter gave up, carried as the source of its [`Error`].
#[derive(Debug, Clone, PartialEq)]
pub struct WaiterFailure {
    /// The waiter's model name.
    pub waiter: String,
    /// botocore's reason text (`Max attempts exceeded`, ...).
    pub reason: String,
    /// The last response; for a service error, botocore's error shape
    /// `{"Error": {"Code", "Message", ...}, "ResponseMetadata": {...}}`.
    pub last_response: Value,
}

impl fmt::Display for WaiterFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let json = self.last_response.to_json().to_string();
        match json.char_indices().nth(300) {
            Some((i, _)) => write!(f, "last response: {}...", &json[..i]),
            None => write!(f, "last response: {json}"),
        }
    }
}

impl std::error::Error for WaiterFailure {}

/// The details of a waiter failure, when `err` is one.
pub fn failure(err: &Error) -> Option<&WaiterFailure> {
    if err.kind() != ErrorKind::Waiter {
        return None;
    }
    err.get_ref()?.downcast_ref::<WaiterFailure>()
}

fn waiter_error(waiter: &str, reason: String, last_response: Value) -> Error {
    Error::new(
        ErrorKind::Waiter,
        format!("Waiter {waiter} failed: {reason}"),
    )
    .with_source(WaiterFailure {
        waiter: waiter.to_string(),
        reason,
        last_response,
    })
}

/// A service error as botocore's `ClientError.response`: `{"Error": {"Code",
/// "Message", ...}, "ResponseMetadata": {...}}` plus any modeled members,
/// `Error` one level deep.
fn error_response(err: &Error) -> Option<Value> {
    let se = err.service_error()?;
    let mut out = match &se.fields {
        Value::Map(m) => m.clone(),
        _ => Map::new(),
    };
    // The protocol parsers already give that shape; a hand-built
    // `ServiceError` may hold just the error's own members.
    if !matches!(out.get("Error"), Some(Value::Map(_))) {
        let members = std::mem::take(&mut out);
        out.insert("Error", Value::Map(members));
    }
    if let Some(Value::Map(e)) = out.get_mut("Error") {
        e.insert("Code", Value::String(se.code.as_str().into()));
        e.entry("Message".to_string())
            .or_insert_with(|| Value::String(se.message.as_str().into()));
    }
    let meta = out
        .entry("ResponseMetadata".to_string())
        .or_insert_with(|| Value::Map(Map::new()));
    if let Value::Map(meta) = meta {
        if let Some(id) = &se.request_id {
            meta.entry("RequestId".to_string())
                .or_insert_with(|| Value::String(id.as_str().into()));
        }
        meta.insert("HTTPStatusCode", Value::Integer(se.status.into()));
        meta.entry("RetryAttempts".to_string())
            .or_insert_with(|| Value::Integer(err.retry_attempts().into()));
    }
    Some(Value::Map(out))
}

/// Polls one operation until an acceptor says success or failure: botocore's
/// `Waiter`, from [`Client::waiter`](crate::Client::waiter).
///
/// A failure state, a service error no acceptor expects, or running out of
/// attempts ends the wait with an [`ErrorKind::Waiter`] error (botocore's
/// `WaiterError`); [`failure`] gives its reason and last response.
///
/// ```
/// # use boto_model::params;
/// # use boto_runtime::{waiter::{self, WaiterConfig}, Error, ErrorKind};
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let not_found = r#"{"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
/// #                    "message": "Requested resource not found: Table: jobs not found"}"#;
/// # let creating = r#"{"Table": {"TableName": "jobs", "TableStatus": "CREATING"}}"#;
/// # let active = r#"{"Table": {"TableName": "jobs", "TableStatus": "ACTIVE"}}"#;
/// # let ddb = boto_runtime::doc_support::client("dynamodb",
/// #     &[(400, not_found), (200, creating), (200, active), (200, creating)]);
/// use std::time::Duration;
///
/// // ddb.get_waiter("table_exists").wait(TableName="jobs", WaiterConfig={"Delay": ...})
/// let waiter = ddb.waiter("table_exists")?;
/// assert_eq!(waiter.spec().operation, "DescribeTable");
/// let fast = WaiterConfig::new().delay(Duration::from_millis(10)); // the model says 20 s
/// let table = waiter.wait(params! {"TableName": "jobs"}, fast).await?;
/// assert_eq!(table.pointer("Table.TableStatus").as_str(), Some("ACTIVE"));
///
/// // Out of attempts: an error carrying botocore's reason and the last response.
/// let err = waiter.wait(params! {"TableName": "jobs"}, fast.max_attempts(1)).await.unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Waiter);
/// assert_eq!(err.message(), "Waiter TableExists failed: Max attempts exceeded");
/// let why = waiter::failure(&err).expect("a waiter error");
/// assert_eq!(why.last_response.pointer("Table.TableStatus").as_str(), Some("CREATING"));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Waiter {
    invoker: Arc<dyn Invoke>,
    spec: Arc<WaiterSpec>,
}

impl fmt::Debug for Waiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Waiter")
            .field("spec", &self.spec)
            .finish_non_exhaustive()
    }
}

impl Waiter {
    /// The waiter `name` (PascalCase, snake_case or kebab-case) of the invoker's service.
    pub fn new(invoker: Arc<dyn Invoke>, name: &str) -> Result<Waiter, Error> {
        let spec = WaiterSpec::load(invoker.model(), name)?;
        Ok(Waiter::with_spec(invoker, Arc::new(spec)))
    }

    /// A waiter with an explicit spec (tests, custom waiters).
    pub fn with_spec(invoker: Arc<dyn Invoke>, spec: Arc<WaiterSpec>) -> Waiter {
        Waiter { invoker, spec }
    }

    /// The waiter's model name.
    pub fn name(&self) -> &str {
        &self.spec.name
    }
    /// The compiled definition: operation, delay, attempts and acceptors.
    pub fn spec(&self) -> &WaiterSpec {
        &self.spec
    }

    /// Calls the operation with `params` until an acceptor reaches success
    /// (returns that response) or failure, or attempts run out (an error of
    /// kind [`ErrorKind::Waiter`]). Errors other than service errors
    /// (connection, credentials, validation) end the wait as they are.
    pub async fn wait(&self, params: Value, config: WaiterConfig) -> Result<Value, Error> {
        let spec = &self.spec;
        let delay = config.delay.unwrap_or(spec.delay);
        let max_attempts = config.max_attempts.unwrap_or(spec.max_attempts);
        let mut last_matched: Option<&Acceptor> = None;
        let mut attempts = 0u32;
        loop {
            let response = match self.invoker.invoke(&spec.operation, params.clone()).await {
                Ok(v) => v,
                Err(e) => error_response(&e).ok_or(e)?,
            };
            attempts += 1;
            match spec.acceptors.iter().find(|a| a.matches(&response)) {
                Some(a) => {
                    last_matched = Some(a);
                    match a.state {
                        AcceptorState::Success => return Ok(response),
                        AcceptorState::Failure => {
                            let reason = format!(
                                "Waiter encountered a terminal failure state: {}",
                                a.explanation()
                            );
                            return Err(waiter_error(&spec.name, reason, response));
                        }
                        AcceptorState::Retry => {}
                    }
                }
                None if is_error(&response) => {
                    let e = response.get("Error");
                    let field = |k: &str| e.get(k).as_str().unwrap_or("Unknown").to_string();
                    let reason = format!(
                        "An error occurred ({}): {}",
                        field("Code"),
                        field("Message")
                    );
                    return Err(waiter_error(&spec.name, reason, response));
                }
                None => {}
            }
            if attempts >= max_attempts {
                let reason = match last_matched {
                    None => "Max attempts exceeded".to_string(),
                    Some(a) => format!(
                        "Max attempts exceeded. Previously accepted state: {}",
                        a.explanation()
                    ),
                };
                return Err(waiter_error(&spec.name, reason, response));
            }
            tokio::time::sleep(delay).await;
        }
    }
}
