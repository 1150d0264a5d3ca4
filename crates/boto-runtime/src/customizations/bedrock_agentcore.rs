//! `bedrock_agentcore.millisecond_timestamps`: botocore's
//! `enable_millisecond_timestamp_precision` handler.
//!
//! botocore creates bedrock-agentcore's serializer with
//! `timestamp_precision='millisecond'`, so its timestamps always carry a
//! `.mmm` fraction; this interceptor switches the same serializer option.

use crate::interceptor::{CallInfo, Interceptor};
use boto_protocols::SerializeOptions;

/// Serializes bedrock-agentcore timestamps with millisecond precision.
#[derive(Debug, Default)]
pub struct MillisecondTimestamps;

impl Interceptor for MillisecondTimestamps {
    fn name(&self) -> &'static str {
        "bedrock_agentcore.millisecond_timestamps"
    }

    fn modify_serialize_options(&self, _call: &CallInfo<'_>, options: &mut SerializeOptions) {
        options.millisecond_timestamps = true;
    }
}
