//! Request serializers, one walker per protocol (being written).

use crate::{Request, SerializeError};
use boto_model::{Operation, ServiceModel, Value};

pub(crate) fn serialize(model: &ServiceModel, _op: &Operation, _params: &Value) -> Result<Request, SerializeError> {
    Err(SerializeError::new(format!("protocol {} not implemented yet", model.metadata.protocol)))
}
