//! rest-json bodies: the body members (or the payload member) as JSON, via
//! the json protocol's value walker.

use super::{json, Ctx};
use crate::SerializeError;
use boto_model::{MemberRef, StructureShape, Value};

/// Encodes `v` (a structure value of reference `r`) as the request body.
pub(crate) fn body(ctx: Ctx, r: &MemberRef, v: &Value) -> Result<Vec<u8>, SerializeError> {
    json::write(ctx, r, v, json::Style::Python)
}

/// botocore sends `{}` when the input has any body member, even if none is set.
pub(crate) fn requires_empty_body(ctx: Ctx, input: &StructureShape) -> bool {
    input
        .members
        .iter()
        .any(|m| m.traits.location.or(ctx.shape(m).traits.location).is_none())
}
