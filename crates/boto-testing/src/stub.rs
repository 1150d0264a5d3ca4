//! [`Stubber`]: canned responses for a client, like botocore's `Stubber`
//! (`botocore/stub.py`).
//!
//! A stubber owns a *stubbed client*: a copy of the client you give it (same
//! service, region and configuration) whose calls never reach the network.
//! Each call must match the next queued stub in order; it is still checked
//! against the model and serialized like a real call (so invalid parameters
//! fail as they would against AWS), then answered from the queue before
//! credentials are looked up or anything is signed. The stubbed client is a
//! distinct value, so stubs are scoped to the code you hand it to: tests
//! running in parallel, each with its own stubber, cannot see each other's
//! stubs, and the original client is untouched.
//!
//! It hooks into the pipeline through two interceptor points of
//! `boto-runtime` (`read_before_execution` to check the expected parameters
//! as the caller gave them, `respond_before_send` to answer), botocore's
//! `before-parameter-build` and `before-call` events.

use crate::validate::validate_response;
use boto::core::protocols::ServiceError;
use boto::core::runtime::interceptor::{CallInfo, Interceptor};
use boto::{Client, Error, ErrorKind, Map, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};

/// The text [`any`] stands for; not a value anyone sends by accident.
const ANY_MARKER: &str = "\u{1}boto-testing:ANY\u{1}";

/// A value that matches anything in expected parameters, like botocore's
/// `stub.ANY` (usable at any depth):
/// `params! {"Bucket": "b", "Key": (any())}`.
pub fn any() -> Value {
    Value::String(ANY_MARKER.into())
}

fn is_any(v: &Value) -> bool {
    matches!(v, Value::String(s) if s == ANY_MARKER)
}

/// Whether `actual` matches `expected` (with [`any`], and numbers compared by
/// value as Python's `==` does: `1 == 1.0`).
fn matches(expected: &Value, actual: &Value) -> bool {
    if is_any(expected) {
        return true;
    }
    match (expected, actual) {
        (Value::Integer(a), Value::Float(b)) | (Value::Float(b), Value::Integer(a)) => {
            *a as f64 == *b
        }
        (Value::List(a), Value::List(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| matches(x, y))
        }
        (Value::Map(a), Value::Map(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, x)| b.get(k).is_some_and(|y| matches(x, y)))
        }
        (a, b) => a == b,
    }
}

/// A value for messages: compact JSON, `ANY` for [`any`], shortened.
fn show(v: &Value) -> String {
    let s = v.to_json().to_string().replace(
        &serde_json::Value::String(ANY_MARKER.into()).to_string(),
        "ANY",
    );
    if s.chars().count() > 300 {
        format!("{}...", s.chars().take(300).collect::<String>())
    } else {
        s
    }
}

/// A modeled service error to answer a call with (botocore's
/// `add_client_error` arguments).
#[derive(Debug, Clone)]
pub struct ClientError {
    code: String,
    message: String,
    status: u16,
    error_meta: Map,
    response_meta: Map,
    modeled_fields: Option<Value>,
    expected_params: Option<Value>,
}

impl ClientError {
    /// An error with this code (`NoSuchKey`) and message, HTTP status 400.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ClientError {
            code: code.into(),
            message: message.into(),
            status: 400,
            error_meta: Map::new(),
            response_meta: Map::new(),
            modeled_fields: None,
            expected_params: None,
        }
    }
    /// The HTTP status (botocore's `http_status_code`).
    pub fn status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }
    /// Extra keys of the `Error` member (`service_error_meta`).
    pub fn error_meta(mut self, key: impl Into<String>, value: Value) -> Self {
        self.error_meta.insert(key.into(), value);
        self
    }
    /// Extra keys of `ResponseMetadata` (`response_meta`), e.g. `RequestId`.
    pub fn response_meta(mut self, key: impl Into<String>, value: Value) -> Self {
        self.response_meta.insert(key.into(), value);
        self
    }
    /// Members of the modeled error shape for this code (`modeled_fields`),
    /// validated against that shape when the error is added.
    pub fn modeled_fields(mut self, fields: Value) -> Self {
        self.modeled_fields = Some(fields);
        self
    }
    /// The parameters the call must be made with (see [`Stubber::add_response_with_params`]).
    pub fn expected_params(mut self, params: Value) -> Self {
        self.expected_params = Some(params);
        self
    }
}

enum Answer {
    Response(Value),
    Error(ServiceError),
}

struct Stub {
    /// The operation's model name.
    operation: String,
    answer: Answer,
    expected: Option<Value>,
}

#[derive(Default)]
struct State {
    queue: Mutex<VecDeque<Stub>>,
    failures: Mutex<Vec<String>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl State {
    /// A stub failure: remembered (code under test may swallow the error)
    /// and returned as the call's error.
    fn fail(&self, operation: &str, reason: String) -> Error {
        let msg = format!("Error getting response stub for operation {operation}: {reason}");
        lock(&self.failures).push(msg.clone());
        Error::new(ErrorKind::Construction, msg)
    }

    /// botocore's `_assert_expected_call_order`.
    fn check_order(&self, queue: &VecDeque<Stub>, operation: &str) -> Result<(), Error> {
        match queue.front() {
            None => Err(self.fail(
                operation,
                "Unexpected API Call: A call was made but no additional calls expected. \
                 Either the API Call was not stubbed or it was called multiple times."
                    .into(),
            )),
            Some(s) if s.operation != operation => Err(self.fail(
                operation,
                format!("Operation mismatch: found response for {}.", s.operation),
            )),
            Some(_) => Ok(()),
        }
    }
}

/// The interceptor the stubbed client carries.
struct StubInterceptor {
    state: Arc<State>,
}

impl Interceptor for StubInterceptor {
    fn name(&self) -> &'static str {
        "boto-testing.stubber"
    }

    fn read_before_execution(&self, call: &CallInfo<'_>, params: &Value) -> Result<(), Error> {
        let op = &*call.operation.name;
        let queue = lock(&self.state.queue);
        self.state.check_order(&queue, op)?;
        let Some(expected) = queue.front().and_then(|s| s.expected.as_ref()) else {
            return Ok(());
        };
        let empty = Value::Map(Map::new());
        let params = if params.is_null() { &empty } else { params };
        let diffs = param_diffs(expected, params);
        if diffs.is_empty() {
            return Ok(());
        }
        Err(self.state.fail(
            op,
            format!(
                "Expected parameters:\n{},\nbut received:\n{}\ndiffering members: {}",
                show(expected),
                show(params),
                diffs.join("; ")
            ),
        ))
    }

    fn respond_before_send(
        &self,
        call: &CallInfo<'_>,
        _params: &Value,
    ) -> Option<Result<Value, Error>> {
        let op = &*call.operation.name;
        let mut queue = lock(&self.state.queue);
        if let Err(e) = self.state.check_order(&queue, op) {
            return Some(Err(e));
        }
        let stub = queue.pop_front()?;
        Some(match stub.answer {
            Answer::Response(v) => Ok(v),
            Answer::Error(se) => Err(Error::service(se)),
        })
    }
}

/// The top-level members that differ, each with what was expected and got.
fn param_diffs(expected: &Value, actual: &Value) -> Vec<String> {
    let (Value::Map(e), Value::Map(a)) = (expected, actual) else {
        return if matches(expected, actual) {
            Vec::new()
        } else {
            vec![format!("expected {}, got {}", show(expected), show(actual))]
        };
    };
    let mut out = Vec::new();
    for (k, ev) in e {
        match a.get(k) {
            None => out.push(format!("{k} (expected {}, missing)", show(ev))),
            Some(av) if !matches(ev, av) => {
                out.push(format!("{k} (expected {}, got {})", show(ev), show(av)))
            }
            Some(_) => {}
        }
    }
    for (k, av) in a {
        if !e.contains_key(k) {
            out.push(format!("{k} (not expected, got {})", show(av)));
        }
    }
    out
}

/// Canned responses and errors for one client, checked in order.
///
/// ```
/// use boto::params;
/// use boto_testing::{any, ClientError, Stubber};
///
/// # fn main() -> Result<(), boto::Error> {
/// let stubber = Stubber::for_service("s3")?;
/// stubber.add_response_with_params(
///     "GetObject",
///     params! {"ContentLength": 5, "Body": (boto::Value::blob(b"hello".to_vec()))},
///     params! {"Bucket": "my-bucket", "Key": (any())},
/// )?;
/// stubber.add_client_error(
///     "GetObject",
///     ClientError::new("NoSuchKey", "The specified key does not exist.").status(404),
/// )?;
/// let s3 = stubber.blocking_client();
/// let out = s3.call("GetObject", params! {"Bucket": "my-bucket", "Key": "a.txt"})?;
/// assert_eq!(out.get("ContentLength").as_i64(), Some(5));
/// let err = s3.call("GetObject", params! {"Bucket": "my-bucket", "Key": "b.txt"}).unwrap_err();
/// assert!(err.is_code("NoSuchKey"));
/// stubber.assert_no_pending_responses();
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Stubber {
    state: Arc<State>,
    client: Client,
}

impl std::fmt::Debug for Stubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stubber")
            .field("service", &self.client.model().service_name)
            .field("pending", &self.pending())
            .finish()
    }
}

impl Stubber {
    /// A stubber for a copy of `client`: same service and configuration (a
    /// missing region becomes `us-east-1`; no credentials are used). Hand
    /// [`Stubber::client`] to the code under test.
    pub fn new(client: &Client) -> Result<Stubber, Error> {
        let mut config = client.config().clone();
        Self::build(&client.model().service_name, {
            config.region.get_or_insert_with(|| "us-east-1".into());
            config
        })
    }

    /// A stubber for a fresh client of `service` in `us-east-1`.
    pub fn for_service(service: &str) -> Result<Stubber, Error> {
        Self::build(
            service,
            boto::ClientConfig {
                region: Some("us-east-1".into()),
                ..Default::default()
            },
        )
    }

    fn build(service: &str, mut config: boto::ClientConfig) -> Result<Stubber, Error> {
        // As botocore's stubber: the account id is not needed for endpoints.
        config.account_id = None;
        let state = Arc::new(State::default());
        let client = Client::builder(service)
            .config(config)
            .interceptor(Arc::new(StubInterceptor {
                state: state.clone(),
            }))
            .build()?;
        Ok(Stubber { state, client })
    }

    /// The stubbed client (clone it freely; clones share the queue).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The stubbed client as a blocking client.
    pub fn blocking_client(&self) -> boto::blocking::Client {
        boto::blocking::Client::new(self.client.clone())
    }

    fn operation_name(&self, operation: &str) -> Result<String, Error> {
        let model = self.client.model();
        model
            .require_operation(operation)
            .map(|op| op.name.to_string())
            .map_err(|_| {
                Error::construction(format!(
                    "Client {} does not have method: {operation}",
                    model.service_name
                ))
            })
    }

    /// Queues a response for the next call, which must be `operation`. The
    /// response is validated against the operation's output shape with
    /// botocore's rules and wording (`ResponseMetadata` aside); an invalid
    /// one is refused with a validation error.
    pub fn add_response(&self, operation: &str, response: Value) -> Result<(), Error> {
        self.push_response(operation, response, None)
    }

    /// [`Stubber::add_response`], and the call must be made with exactly
    /// these top-level parameters (as passed, before defaults are filled in);
    /// [`any`] matches any value.
    pub fn add_response_with_params(
        &self,
        operation: &str,
        response: Value,
        expected_params: Value,
    ) -> Result<(), Error> {
        self.push_response(operation, response, Some(expected_params))
    }

    fn push_response(
        &self,
        operation: &str,
        response: Value,
        expected: Option<Value>,
    ) -> Result<(), Error> {
        let name = self.operation_name(operation)?;
        let model = self.client.model();
        let op = model.require_operation(&name)?;
        let mut checked = response.clone();
        if let Some(m) = checked.as_map_mut() {
            m.shift_remove("ResponseMetadata");
        }
        validate_response(model, op.output.as_ref(), &checked).map_err(report)?;
        lock(&self.state.queue).push_back(Stub {
            operation: name,
            answer: Answer::Response(response),
            expected,
        });
        Ok(())
    }

    /// Queues a service error for the next call, which must be `operation`
    /// (botocore's `add_client_error`). The error carries the code, message,
    /// HTTP status, `Error`/`ResponseMetadata` extras and modeled fields
    /// (validated against the error shape of that code).
    pub fn add_client_error(&self, operation: &str, error: ClientError) -> Result<(), Error> {
        let name = self.operation_name(operation)?;
        let model = self.client.model();
        let mut fields = Map::new();
        let mut meta = Map::from_iter([(
            "HTTPStatusCode".to_string(),
            Value::Integer(i64::from(error.status)),
        )]);
        meta.extend(error.response_meta.clone());
        let mut err_member = Map::from_iter([
            (
                "Message".to_string(),
                Value::String(error.message.as_str().into()),
            ),
            (
                "Code".to_string(),
                Value::String(error.code.as_str().into()),
            ),
        ]);
        err_member.extend(error.error_meta.clone());
        fields.insert("ResponseMetadata", Value::Map(meta));
        fields.insert("Error", Value::Map(err_member));
        let shape = error_shape(model, &error.code);
        if let Some(modeled) = &error.modeled_fields {
            let target = shape.as_ref().map(|(_, id)| boto::core::model::MemberRef {
                name: "error".into(),
                target: *id,
                traits: Default::default(),
            });
            validate_response(model, target.as_ref(), modeled).map_err(report)?;
            if let Value::Map(m) = modeled {
                fields.extend(m.clone());
            }
        }
        let se = ServiceError {
            code: error.code,
            message: error.message,
            request_id: error
                .response_meta
                .get("RequestId")
                .and_then(Value::as_str)
                .map(str::to_owned),
            status: error.status,
            shape: shape.map(|(n, _)| n),
            fields: Value::Map(fields),
        };
        lock(&self.state.queue).push_back(Stub {
            operation: name,
            answer: Answer::Error(se),
            expected: error.expected_params,
        });
        Ok(())
    }

    /// Stubs not yet consumed.
    pub fn pending(&self) -> usize {
        lock(&self.state.queue).len()
    }

    /// Every stub failure so far (unexpected calls, operation or parameter
    /// mismatches), also when the code under test swallowed the error.
    pub fn failures(&self) -> Vec<String> {
        lock(&self.state.failures).clone()
    }

    /// Panics unless every queued stub was used, like botocore's
    /// `assert_no_pending_responses` ("N responses remaining in queue.").
    #[track_caller]
    pub fn assert_no_pending_responses(&self) {
        let queue = lock(&self.state.queue);
        if !queue.is_empty() {
            let ops: Vec<String> = queue.iter().map(|s| s.operation.clone()).collect();
            let n = queue.len();
            drop(queue);
            panic!(
                "{n} responses remaining in queue. (next: {})",
                ops.join(", ")
            );
        }
    }
}

/// botocore's `shape_for_error_code`: the exception shape whose error code
/// (the `error.code` trait, else its name) is `code`.
fn error_shape(
    model: &boto::core::model::ServiceModel,
    code: &str,
) -> Option<(String, boto::core::model::ShapeId)> {
    model.shapes().find_map(|(id, s)| {
        let st = s.as_structure()?;
        if !st.exception {
            return None;
        }
        let wire = st.error.as_ref().and_then(|e| e.code.as_deref());
        (wire.unwrap_or(&s.name) == code).then(|| (s.name.to_string(), id))
    })
}

fn report(lines: Vec<String>) -> Error {
    Error::validation(format!(
        "Parameter validation failed:\n{}",
        lines.join("\n")
    ))
}
