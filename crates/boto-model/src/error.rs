//! Errors from loading and using models.

use std::fmt;

/// Something wrong with a model, its lookup, or the model bundle.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ModelError {
    /// No such service (botocore's `UnknownServiceError`).
    UnknownService {
        /// The name asked for.
        service: String,
        /// The closest known service name, for "did you mean".
        suggestion: Option<String>,
    },
    /// The service has no such operation (botocore's `OperationNotFoundError`).
    UnknownOperation {
        /// The service.
        service: String,
        /// The name asked for.
        operation: String,
        /// The closest operation name, for "did you mean".
        suggestion: Option<String>,
    },
    /// A model file could not be read or parsed.
    Parse {
        /// The file or bundle entry.
        what: String,
        /// The parser's message.
        message: String,
    },
    /// A model parsed but is inconsistent (dangling shape reference, bad type, ...).
    Invalid {
        /// The service.
        service: String,
        /// What is inconsistent.
        message: String,
    },
    /// A botocore service whose model this build leaves out (its cargo feature is off).
    NotEmbedded {
        /// The service.
        service: String,
    },
    /// No models are embedded and none were found on the data path.
    NoModels,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::UnknownService { service, suggestion } => {
                write!(f, "unknown service {service:?}")?;
                if let Some(s) = suggestion {
                    write!(f, "; did you mean {s:?}?")?;
                }
                Ok(())
            }
            ModelError::UnknownOperation { service, operation, suggestion } => {
                write!(f, "service {service:?} has no operation {operation:?}")?;
                if let Some(s) = suggestion {
                    write!(f, "; did you mean {s:?}?")?;
                }
                Ok(())
            }
            ModelError::Parse { what, message } => write!(f, "cannot parse {what}: {message}"),
            ModelError::Invalid { service, message } => {
                write!(f, "invalid model for {service:?}: {message}")
            }
            ModelError::NotEmbedded { service } => write!(
                f,
                "the model of service {service:?} is not in this build: enable the {service:?} cargo \
                 feature of boto (or boto-model-data), or put the model on BOTO_DATA_PATH"
            ),
            ModelError::NoModels => f.write_str(
                "no service models are available: this build embeds none (boto was built with no \
                 service features) and BOTO_DATA_PATH/AWS_DATA_PATH point at no model directory",
            ),
        }
    }
}

impl std::error::Error for ModelError {}
