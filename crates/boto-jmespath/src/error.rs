//! Error type shared by the lexer, parser and interpreter.
//!
//! The JMESPath compliance suite classifies failures into a handful of kinds
//! (`syntax`, `invalid-type`, ...). Callers such as waiters and the CLI need to
//! tell a malformed expression apart from a well-formed one that met data of
//! the wrong shape, so every error carries one of those kinds plus, for
//! syntax errors, the byte offset in the expression where parsing failed.

use std::fmt;

/// The classification of a [`JmesError`], matching the compliance suite's
/// error names (see [`ErrorKind::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The expression is not valid JMESPath (reported by [`crate::compile`]).
    Syntax,
    /// A function received an argument of the wrong type.
    InvalidType,
    /// A value is out of its allowed domain (e.g. a slice step of zero).
    InvalidValue,
    /// A function was called with the wrong number of arguments.
    InvalidArity,
    /// A function name that JMESPath does not define.
    UnknownFunction,
}

impl ErrorKind {
    /// The compliance-suite spelling: `syntax`, `invalid-type`,
    /// `invalid-value`, `invalid-arity` or `unknown-function`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::InvalidType => "invalid-type",
            ErrorKind::InvalidValue => "invalid-value",
            ErrorKind::InvalidArity => "invalid-arity",
            ErrorKind::UnknownFunction => "unknown-function",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from compiling or evaluating a JMESPath expression.
///
/// Boxed so that `Result<T, JmesError>` stays pointer-sized on the error
/// side: the parser and interpreter recurse, and smaller frames mean more
/// nesting fits on a thread's stack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JmesError(Box<Inner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    message: String,
    position: Option<usize>,
    expression: Option<String>,
}

impl JmesError {
    /// A new error of `kind` with a human-readable `message`.
    #[cold]
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        JmesError(Box::new(Inner {
            kind,
            message: message.into(),
            position: None,
            expression: None,
        }))
    }

    /// A syntax error at byte offset `position` of the expression.
    #[cold]
    pub(crate) fn syntax(position: usize, message: impl Into<String>) -> Self {
        JmesError(Box::new(Inner {
            kind: ErrorKind::Syntax,
            message: message.into(),
            position: Some(position),
            expression: None,
        }))
    }

    /// Attaches the expression text so [`fmt::Display`] can point at the
    /// offending position.
    pub(crate) fn with_expression(mut self, expression: &str) -> Self {
        self.0.expression = Some(expression.to_string());
        self
    }

    /// The error's kind.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The message without position information.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Byte offset into the expression for syntax errors.
    pub fn position(&self) -> Option<usize> {
        self.0.position
    }

    /// The expression the error refers to, when known.
    pub fn expression(&self) -> Option<&str> {
        self.0.expression.as_deref()
    }
}

impl fmt::Display for JmesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = &self.0;
        match e.position {
            Some(pos) => write!(f, "{} error at position {}: {}", e.kind, pos, e.message)?,
            None => write!(f, "{} error: {}", e.kind, e.message)?,
        }
        if let (Some(expr), Some(pos)) = (&e.expression, e.position) {
            // Point at the character under `pos`, counting characters rather
            // than bytes so the caret lines up for non-ASCII expressions.
            let column = expr
                .get(..pos.min(expr.len()))
                .map_or(0, |prefix| prefix.chars().count());
            write!(f, "\n  {}\n  {}^", expr, " ".repeat(column))?;
        }
        Ok(())
    }
}

impl std::error::Error for JmesError {}

/// Shorthand used throughout the crate.
pub type Result<T> = std::result::Result<T, JmesError>;
