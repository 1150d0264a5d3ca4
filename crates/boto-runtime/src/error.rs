//! One error type for every call, with a kind users can match on.
//!
//! The taxonomy follows what a caller can do about a failure: fix the
//! parameters (validation), fix the setup (construction, credentials,
//! endpoint), retry later (dispatch, timeout), report a bug or a broken
//! server (response), or handle the service's answer (service, with code,
//! message, request id and HTTP status). Like reqwest's, the error is an
//! opaque struct with predicates, so internals can change freely.

use boto_protocols::ServiceError;
use std::fmt;

/// What went wrong, broadly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Parameters failed validation; nothing was sent.
    Validation,
    /// The client or request could not be built (unknown service/operation, bad config, unserializable input).
    Construction,
    /// No usable credentials, or they expired.
    Credentials,
    /// Endpoint resolution failed (e.g. invalid region, FIPS not supported).
    Endpoint,
    /// The request could not be sent or the connection failed.
    Dispatch,
    /// Connect or read timeout.
    Timeout,
    /// The response could not be read or parsed (truncated, malformed, checksum mismatch).
    Response,
    /// The service returned an error.
    Service,
    /// A waiter reached a failure state or ran out of attempts.
    Waiter,
    /// A [`boto_model::Value`] could not be converted to or from a user type
    /// (`from_value`/`to_value` through `?`).
    Conversion,
}

struct Inner {
    kind: ErrorKind,
    message: String,
    service: Option<ServiceError>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
    /// Set when the error wraps `source` whose text is `message`: Display
    /// then prints this short context instead, so the text appears once in
    /// the `source()` chain.
    context: Option<&'static str>,
    operation: Option<String>,
    /// The URL of the request that failed to connect or to get a response
    /// (botocore's `EndpointConnectionError.endpoint_url`).
    request_url: Option<String>,
    /// The connection itself could not be made (refused, DNS, TLS handshake).
    connect: bool,
    retry_attempts: u32,
    /// A response error worth retrying (truncated body, checksum mismatch).
    transient: bool,
    /// `message` already is the wrapped error's text (a validation report):
    /// `source()` skips to that error's own cause so the text prints once.
    source_in_message: bool,
}

/// The error of a boto-rs call: botocore's `ClientError` for service errors,
/// and its `ParamValidationError`, `NoCredentialsError`,
/// `EndpointConnectionError`, ... for the rest, told apart by
/// [`kind`](Self::kind).
///
/// Service errors carry the code, message, HTTP status and request id;
/// [`is_code`](Self::is_code) is boto3's `except client.exceptions.NoSuchKey`.
/// Display prints aws-cli's wording; [`report`](Self::report) adds the
/// causes.
///
/// ```
/// # use boto_model::params;
/// # use boto_runtime::{Client, Error, ErrorKind};
/// /// The object's text, or `None` when there is no such key.
/// async fn read_if_present(s3: &Client, bucket: &str, key: &str) -> Result<Option<String>, Error> {
///     match s3.call("GetObject", params! {"Bucket": bucket, "Key": key}).await {
///         Ok(out) => Ok(out.get("Body").as_blob().map(|b| String::from_utf8_lossy(b).into_owned())),
///         Err(e) if e.is_code("NoSuchKey") => Ok(None),   // except s3.exceptions.NoSuchKey:
///         Err(e) => Err(e),
///     }
/// }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let no_such_key = "<Error><Code>NoSuchKey</Code>\
/// #   <Message>The specified key does not exist.</Message><Key>gone.txt</Key></Error>";
/// # let s3 = boto_runtime::doc_support::client("s3", &[(404, no_such_key), (404, no_such_key)]);
/// assert_eq!(read_if_present(&s3, "my-bucket", "gone.txt").await?, None);
///
/// let err = s3.call("GetObject", params! {"Bucket": "my-bucket", "Key": "gone.txt"}).await.unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Service);
/// assert_eq!(err.code(), Some("NoSuchKey"));          // e.response["Error"]["Code"]
/// assert_eq!(err.status(), Some(404));
/// assert_eq!(err.request_id(), Some("EXAMPLE0REQUEST0ID"));
/// assert_eq!(
///     err.to_string(),
///     "An error occurred (NoSuchKey) when calling the GetObject operation: \
///      The specified key does not exist."
/// );
///
/// // Client-side failures have no code; their kind says what to fix.
/// let err = s3.call("GetObject", params! {"Bucket": "my-bucket"}).await.unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Validation);
/// assert_eq!(err.code(), None);
/// # Ok(()) }
/// ```
pub struct Error {
    inner: Box<Inner>,
}

impl Error {
    /// An error of `kind` with `message` (what [`Error::message`] returns). For interceptors,
    /// custom transports and test doubles; the pipeline makes its own.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                service: None,
                source: None,
                context: None,
                operation: None,
                request_url: None,
                connect: false,
                retry_attempts: 0,
                transient: false,
                source_in_message: false,
            }),
        }
    }

    /// Attaches the underlying cause (what `source()` reports, and what callers downcast).
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.inner.source = Some(Box::new(source));
        self
    }

    /// Wraps `source` as an error of `kind`: [`Error::message`] is the
    /// source's text, `source()` the source itself, and Display prints
    /// `context` so an error report (`a: b: c`) names the cause once.
    pub fn wrap(
        kind: ErrorKind,
        context: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        let mut e = Error::new(kind, source.to_string()).with_source(source);
        e.inner.context = Some(context);
        e
    }

    /// The error this one wraps (a `ModelError`, `CredentialsError`,
    /// `ValidationError`, ...), for downcasting:
    /// `e.get_ref().and_then(|s| s.downcast_ref::<ValidationError>())`.
    pub fn get_ref(&self) -> Option<&(dyn std::error::Error + Send + Sync + 'static)> {
        self.inner.source.as_deref()
    }

    /// Replaces [`Error::message`] (what `message()` returns; Display prints
    /// the wrap context instead when there is one).
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.inner.message = message.into();
        self
    }

    /// The error and its causes on one line, each cause once: `a: b: c`.
    /// (`Display` prints the error's own message only; this is what the CLI
    /// and a `{:#}`-style report print.)
    pub fn report(&self) -> String {
        let mut text = self.to_string();
        let mut src = std::error::Error::source(self);
        while let Some(s) = src {
            let t = s.to_string();
            if !t.is_empty() && !text.contains(&t) {
                text.push_str(": ");
                text.push_str(&t);
            }
            src = s.source();
        }
        text
    }

    /// A service error (`ErrorKind::Service`) from a parsed error response: botocore's
    /// `ClientError`, whose `response['Error']` is `err`.
    pub fn service(err: ServiceError) -> Self {
        let mut e = Error::new(ErrorKind::Service, err.message.clone());
        e.inner.service = Some(err);
        e
    }

    /// For a dispatch or timeout error, the URL of the request that failed,
    /// as botocore's `EndpointConnectionError` and aws-cli print it
    /// (`Could not connect to the endpoint URL: "https://…/"`).
    pub fn request_url(&self) -> Option<&str> {
        self.inner.request_url.as_deref()
    }

    /// True when the connection could not be made at all (refused, name
    /// resolution, TLS handshake): botocore's `EndpointConnectionError`, as
    /// opposed to a connection that broke after the request was sent.
    pub fn is_connect(&self) -> bool {
        self.inner.connect
    }

    /// Marks a dispatch error as a failure to connect ([`Error::is_connect`]).
    pub fn with_connect(mut self) -> Self {
        self.inner.connect = true;
        self
    }

    pub(crate) fn with_request_url(mut self, url: &str) -> Self {
        if self.inner.request_url.is_none() {
            self.inner.request_url = Some(url.to_string());
        }
        self
    }

    pub(crate) fn with_operation(mut self, op: &str) -> Self {
        if self.inner.operation.is_none() {
            self.inner.operation = Some(op.to_string());
        }
        self
    }

    pub(crate) fn with_retry_attempts(mut self, n: u32) -> Self {
        self.inner.retry_attempts = n;
        self
    }

    /// An `ErrorKind::Validation` error; Display prefixes botocore's "Parameter validation failed:"
    /// line.
    pub fn validation(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Validation, message)
    }
    /// An `ErrorKind::Construction` error: the client or request could not be built.
    pub fn construction(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Construction, message)
    }
    /// An `ErrorKind::Dispatch` error: the request could not be sent (botocore's
    /// `EndpointConnectionError`, `ConnectionClosedError`). Retried by the retry policy.
    pub fn dispatch(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Dispatch, message)
    }
    /// An `ErrorKind::Timeout` error: connect or read timeout (botocore's `ConnectTimeoutError`,
    /// `ReadTimeoutError`). Retried by the retry policy.
    pub fn timeout(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Timeout, message)
    }
    /// An `ErrorKind::Response` error that retrying will not cure: a malformed response the parser
    /// rejects.
    pub fn response(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Response, message)
    }
    /// A response error that a retry may cure: a truncated body or a checksum mismatch.
    pub fn response_transient(message: impl Into<String>) -> Self {
        let mut e = Error::new(ErrorKind::Response, message);
        e.inner.transient = true;
        e
    }
    /// True for response errors a retry may cure.
    pub fn is_transient_response(&self) -> bool {
        self.inner.transient
    }

    /// What kind of failure this is; match on it to decide what to do.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    /// The error's own text without the "An error occurred (...)" frame: a service error's message,
    /// a validation report, a transport error's text.
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// The parsed service error, for [`ErrorKind::Service`].
    pub fn service_error(&self) -> Option<&ServiceError> {
        self.inner.service.as_ref()
    }
    /// The service error code (`NoSuchKey`, `ThrottlingException`, ...).
    pub fn code(&self) -> Option<&str> {
        self.inner.service.as_ref().map(|s| s.code.as_str())
    }
    /// Like boto3's `except client.exceptions.NoSuchKey`: true when the
    /// service error code (or the modeled shape name) is `code`.
    pub fn is_code(&self, code: &str) -> bool {
        self.inner
            .service
            .as_ref()
            .is_some_and(|s| s.code == code || s.shape.as_deref() == Some(code))
    }
    /// The request id of a service error (`x-amzn-RequestId`, `x-amz-request-id`, or the body's
    /// `RequestId`), as botocore's `ResponseMetadata.RequestId`; quote it to AWS support.
    pub fn request_id(&self) -> Option<&str> {
        self.inner
            .service
            .as_ref()
            .and_then(|s| s.request_id.as_deref())
    }
    /// The HTTP status of a service error (`ResponseMetadata.HTTPStatusCode`).
    pub fn status(&self) -> Option<u16> {
        self.inner.service.as_ref().map(|s| s.status)
    }
    /// The operation that failed, when known.
    pub fn operation(&self) -> Option<&str> {
        self.inner.operation.as_deref()
    }
    /// How many retries were made before giving up.
    pub fn retry_attempts(&self) -> u32 {
        self.inner.retry_attempts
    }
    /// True for connect and read timeouts (`ErrorKind::Timeout`).
    pub fn is_timeout(&self) -> bool {
        self.inner.kind == ErrorKind::Timeout
    }
    /// True when the service answered with an error (`ErrorKind::Service`); [`Error::code`] then
    /// says which.
    pub fn is_service(&self) -> bool {
        self.inner.kind == ErrorKind::Service
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let op = self.inner.operation.as_deref().unwrap_or("the");
        match (&self.inner.kind, &self.inner.service) {
            (ErrorKind::Service, Some(s)) => {
                // aws-cli's wording.
                write!(
                    f,
                    "An error occurred ({}) when calling the {op} operation",
                    s.code
                )?;
                if self.inner.retry_attempts > 0 {
                    write!(f, " (reached max retries: {})", self.inner.retry_attempts)?;
                }
                write!(f, ": {}", s.message)
            }
            // botocore's wording; the validator's own report already starts with it.
            (ErrorKind::Validation, _)
                if self
                    .inner
                    .message
                    .starts_with("Parameter validation failed") =>
            {
                f.write_str(&self.inner.message)
            }
            (ErrorKind::Validation, _) => {
                write!(f, "Parameter validation failed:\n{}", self.inner.message)
            }
            (kind, _) => {
                write!(f, "{kind:?} error")?;
                if let Some(op) = &self.inner.operation {
                    write!(f, " calling {op}")?;
                }
                // Only this error's own text: the cause is `source()`'s to print.
                let own = self.inner.context.unwrap_or(&self.inner.message);
                if !own.is_empty() {
                    write!(f, ": {own}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.inner.kind)
            .field("message", &self.inner.message)
            .field("operation", &self.inner.operation)
            .field("service", &self.inner.service)
            .field("retry_attempts", &self.inner.retry_attempts)
            .field("source", &self.inner.source.as_ref().map(|s| s.to_string()))
            .finish()
    }
}

impl std::error::Error for Error {
    /// The cause. A service error has none: its Display already says all the
    /// parsed [`ServiceError`] holds (read it with [`Error::service_error`]).
    /// An error whose Display already is its wrapped error's text (a
    /// validation report) skips to that error's own cause; [`Error::get_ref`]
    /// still gives the wrapped error.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let src = self.inner.source.as_deref()?;
        if self.inner.source_in_message {
            return src.source();
        }
        Some(src)
    }
}

impl From<boto_model::ModelError> for Error {
    fn from(e: boto_model::ModelError) -> Self {
        let context = match &e {
            boto_model::ModelError::UnknownService { .. }
            | boto_model::ModelError::NotEmbedded { .. } => "cannot create the client",
            boto_model::ModelError::UnknownOperation { .. } => "cannot build the request",
            _ => "cannot load the service model",
        };
        Error::wrap(ErrorKind::Construction, context, e)
    }
}
impl From<boto_model::validate::ValidationError> for Error {
    fn from(e: boto_model::validate::ValidationError) -> Self {
        // Display is botocore's report, which is the ValidationError's text.
        let mut err = Error::validation(e.to_string()).with_source(e);
        err.inner.source_in_message = true;
        err
    }
}
impl From<boto_model::ValueError> for Error {
    fn from(e: boto_model::ValueError) -> Self {
        Error::wrap(ErrorKind::Conversion, "cannot convert the value", e)
    }
}
impl From<boto_protocols::SerializeError> for Error {
    fn from(e: boto_protocols::SerializeError) -> Self {
        let message = e.message.clone();
        let mut e = Error::wrap(ErrorKind::Construction, "invalid request parameters", e);
        e.inner.message = message;
        e
    }
}
impl From<boto_protocols::ParseError> for Error {
    fn from(e: boto_protocols::ParseError) -> Self {
        let message = e.message.clone();
        let mut e = Error::wrap(ErrorKind::Response, "invalid response", e);
        e.inner.message = message;
        e
    }
}
impl From<boto_auth::credentials::CredentialsError> for Error {
    fn from(e: boto_auth::credentials::CredentialsError) -> Self {
        Error::wrap(ErrorKind::Credentials, "cannot get credentials", e)
    }
}
impl From<boto_auth::config::ConfigError> for Error {
    fn from(e: boto_auth::config::ConfigError) -> Self {
        Error::wrap(ErrorKind::Construction, "invalid configuration", e)
    }
}
impl From<boto_endpoints::EndpointError> for Error {
    fn from(e: boto_endpoints::EndpointError) -> Self {
        Error::wrap(ErrorKind::Endpoint, "cannot resolve the endpoint", e)
    }
}
impl From<boto_auth::sigv4::SigningError> for Error {
    fn from(e: boto_auth::sigv4::SigningError) -> Self {
        let mut e = Error::wrap(ErrorKind::Construction, "signing failed", e);
        e.inner.message = format!("signing failed: {}", e.inner.message);
        e
    }
}
impl From<boto_auth::sigv4a::Sigv4aError> for Error {
    fn from(e: boto_auth::sigv4a::Sigv4aError) -> Self {
        let mut e = Error::wrap(ErrorKind::Construction, "signing failed", e);
        e.inner.message = format!("signing failed: {}", e.inner.message);
        e
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use boto_model::Value;

    #[test]
    fn validation_errors_say_so_once() {
        let report =
            "Parameter validation failed:\nMissing required parameter in input: \"Bucket\"";
        assert_eq!(Error::validation(report).to_string(), report);
        assert_eq!(
            Error::validation("Invalid bucket name \"a b\"").to_string(),
            "Parameter validation failed:\nInvalid bucket name \"a b\""
        );
    }

    /// Every level's Display, outermost first (what anyhow's `{:#}` joins).
    fn chain(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
        let mut out = vec![e.to_string()];
        let mut src = e.source();
        while let Some(s) = src {
            out.push(s.to_string());
            src = s.source();
        }
        out
    }

    #[test]
    fn display_never_repeats_its_source() {
        let model = boto_model::ModelError::UnknownService {
            service: "s3z".into(),
            suggestion: Some("s3".into()),
        };
        let text = model.to_string();
        let e = Error::from(model);
        let levels = chain(&e);
        let joined = levels.join(": ");
        assert_eq!(joined.matches(&text).count(), 1, "{joined}");
        assert_eq!(levels.len(), 2, "{levels:?}");
        assert_eq!(e.report().matches(&text).count(), 1, "{}", e.report());
        // message() still carries the detail (the CLI and Python read it).
        assert_eq!(e.message(), text);
        let src = std::error::Error::source(&e).unwrap();
        assert!(src.downcast_ref::<boto_model::ModelError>().is_some());
    }

    #[test]
    fn wrapped_errors_keep_their_original_as_source() {
        use boto_auth::credentials::CredentialsError;
        let cred = CredentialsError::ProviderFailed {
            provider: "sts",
            message: "AccessDenied".into(),
        };
        let e = Error::from(cred.clone());
        assert_eq!(e.kind(), ErrorKind::Credentials);
        let src = std::error::Error::source(&e).expect("a source");
        assert_eq!(src.downcast_ref::<CredentialsError>(), Some(&cred));
        assert_eq!(chain(&e).join(": ").matches("AccessDenied").count(), 1);

        let ep = boto_endpoints::EndpointError::Rule("Invalid region".into());
        let e = Error::from(ep);
        assert_eq!(e.kind(), ErrorKind::Endpoint);
        let src = std::error::Error::source(&e).expect("a source");
        assert!(src
            .downcast_ref::<boto_endpoints::EndpointError>()
            .is_some());
        assert_eq!(e.report().matches("Invalid region").count(), 1);

        // An error built from a message alone still prints it.
        assert_eq!(
            Error::construction("bad thing").to_string(),
            "Construction error: bad thing"
        );
    }

    #[test]
    fn validation_errors_keep_their_problems_and_print_once() {
        use boto_model::validate::{Problem, ProblemKind, ValidationError};
        let v = ValidationError {
            problems: vec![Problem {
                path: "Bucket".into(),
                kind: ProblemKind::MissingRequired,
                message: "Missing required parameter in input: \"Bucket\"".into(),
            }],
        };
        let e = Error::from(v.clone());
        assert_eq!(e.kind(), ErrorKind::Validation);
        assert_eq!(e.to_string(), v.to_string());
        let joined = chain(&e).join(": ");
        assert_eq!(joined.matches("Missing required").count(), 1, "{joined}");
        let got = e
            .get_ref()
            .and_then(|s| s.downcast_ref::<ValidationError>());
        assert_eq!(got.map(|g| g.problems[0].path.as_str()), Some("Bucket"));
    }

    #[test]
    fn value_errors_convert_with_question_mark() {
        fn read(v: Value) -> Result<Vec<String>, Error> {
            Ok(boto_model::from_value::<Vec<String>>(v)?)
        }
        let e = read(Value::Integer(3)).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Conversion);
        let src = std::error::Error::source(&e).unwrap();
        assert!(src.downcast_ref::<boto_model::ValueError>().is_some());
        assert!(!e.message().is_empty());
        assert_eq!(e.report().matches(e.message()).count(), 1, "{}", e.report());
    }

    #[test]
    fn service_error_reads_like_aws_cli() {
        let e = Error::service(ServiceError {
            code: "NoSuchKey".into(),
            message: "The specified key does not exist.".into(),
            request_id: Some("REQ1".into()),
            status: 404,
            shape: Some("NoSuchKey".into()),
            fields: Value::Null,
        })
        .with_operation("GetObject");
        assert_eq!(
            e.to_string(),
            "An error occurred (NoSuchKey) when calling the GetObject operation: The specified key does not exist."
        );
        assert!(e.is_code("NoSuchKey"));
        assert!(!e.is_code("NoSuchBucket"));
        assert_eq!(e.request_id(), Some("REQ1"));
        assert_eq!(e.status(), Some(404));
        assert_eq!(e.kind(), ErrorKind::Service);
        // The Display says all the ServiceError holds: no source repeating it.
        assert!(std::error::Error::source(&e).is_none());
    }
}
