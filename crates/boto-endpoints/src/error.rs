//! Error types.
//!
//! Loading (a rule set or the partitions table) and resolving are separate
//! phases with separate failure modes, so they get separate error types: a
//! [`RuleSetError`] means the *model* is malformed and is reported once at
//! load time, while an [`EndpointError`] is the per-request outcome of
//! evaluating a well-formed rule set against caller input.

use std::fmt;

/// A rule set or partitions document could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleSetError {
    /// The bytes were not valid JSON.
    Json(String),
    /// The JSON was valid but did not have the expected shape.
    Invalid(String),
    /// A parameter declared an unknown `type`.
    UnknownParameterType {
        /// The parameter's name.
        name: String,
        /// The `type` it declared.
        ty: String,
    },
    /// A rule declared an unknown `type`.
    UnknownRuleType(String),
    /// A function call named a function this engine does not implement.
    UnknownFunction(String),
}

impl fmt::Display for RuleSetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleSetError::Json(m) => write!(f, "invalid JSON: {m}"),
            RuleSetError::Invalid(m) => write!(f, "invalid rule set: {m}"),
            RuleSetError::UnknownParameterType { name, ty } => write!(
                f,
                "Unknown parameter type: {ty} (parameter {name}). \
                 A parameter must be of type string, boolean, or stringarray."
            ),
            RuleSetError::UnknownRuleType(t) => write!(
                f,
                "Unknown rule type: {t}. A rule must be of type tree, endpoint or error."
            ),
            RuleSetError::UnknownFunction(n) => write!(f, "unknown rule-set function: {n}"),
        }
    }
}

impl std::error::Error for RuleSetError {}

/// Endpoint resolution failed.
///
/// `Display` yields exactly the message botocore would put in its
/// `EndpointResolutionError`, so for [`EndpointError::Rule`] it is the rule
/// set's own error text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndpointError {
    /// An `error` rule matched; the payload is its (templated) message.
    Rule(String),
    /// No rule matched the input. The payload lists the input parameters.
    NoMatch(String),
    /// A `required` parameter had neither a value nor a default.
    MissingRequired(String),
    /// A parameter value had the wrong type for its declaration.
    WrongType {
        /// The parameter's name.
        name: String,
        /// The declared type, in botocore's Python spelling (`<class 'str'>`, ...).
        expected: &'static str,
    },
    /// A function was given arguments it cannot accept, a template
    /// referenced an unknown variable, an assignment clashed, etc.
    Evaluation(String),
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EndpointError::Rule(m) | EndpointError::Evaluation(m) => f.write_str(m),
            EndpointError::NoMatch(params) => {
                write!(f, "No endpoint found for parameters:\n{params}")
            }
            EndpointError::MissingRequired(n) => {
                write!(f, "Cannot find value for required parameter {n}")
            }
            EndpointError::WrongType { name, expected } => {
                write!(f, "Value ({name}) is the wrong type. Must be {expected}.")
            }
        }
    }
}

impl std::error::Error for EndpointError {}
