//! `s3.region_redirect`: botocore's `S3RegionRedirectorv2`.
//!
//! A bucket lives in one region. A request signed for another one is refused
//! (301 `PermanentRedirect`, 307, 400 `AuthorizationHeaderMalformed` or
//! `IllegalLocationConstraintException`) and the answer names the bucket's
//! region (`x-amz-bucket-region`, or `<Region>` in the error body). The call is
//! then prepared again for that region and sent once more, and the region is
//! remembered per bucket so later calls on the client go there directly.
//!
//! This is a per-attempt hook ([`Interceptor::after_attempt`]) plus a plan
//! for the call ([`Interceptor::plan_call`]); the cache belongs to the
//! interceptor, so one client's cache is its own, as botocore's is.

use crate::error::Error;
use crate::interceptor::{AttemptDecision, CallInfo, CallPlan, Interceptor};
use boto_model::Value;
use std::collections::HashMap;
use std::sync::Mutex;
use tracing::debug;

/// Bucket regions remembered per client; cleared when it grows past this.
const MAX_CACHED_BUCKETS: usize = 10_000;

/// `s3.region_redirect`: follow a wrong-region answer once, and cache the bucket's region.
#[derive(Debug, Default)]
pub struct RegionRedirect {
    regions: Mutex<HashMap<String, String>>,
}

impl RegionRedirect {
    /// The region remembered for `bucket`.
    pub fn cached_region(&self, bucket: &str) -> Option<String> {
        self.regions.lock().ok()?.get(bucket).cloned()
    }

    fn remember(&self, bucket: &str, region: &str) {
        if let Ok(mut m) = self.regions.lock() {
            if m.len() >= MAX_CACHED_BUCKETS {
                m.clear();
            }
            m.insert(bucket.to_string(), region.to_string());
        }
    }
}

impl Interceptor for RegionRedirect {
    fn name(&self) -> &'static str {
        "s3.region_redirect"
    }

    fn plan_call(&self, _call: &CallInfo<'_>, params: &Value, plan: &mut CallPlan) {
        if let Some(bucket) = params.get("Bucket").as_str() {
            plan.may_redirect = true;
            if plan.region.is_none() {
                plan.region = self.cached_region(bucket);
            }
        }
    }

    fn after_attempt(
        &self,
        _call: &CallInfo<'_>,
        params: &Value,
        error: &Error,
    ) -> AttemptDecision {
        let (Some(bucket), Some(region)) = (params.get("Bucket").as_str(), redirect_region(error))
        else {
            return AttemptDecision::Continue;
        };
        debug!(bucket, %region, "redirecting to the bucket's region");
        self.remember(bucket, &region);
        AttemptDecision::Redirect { region }
    }
}

/// The region S3 says a bucket lives in, when an error is a wrong-region answer
/// (301 PermanentRedirect, 307, 400 AuthorizationHeaderMalformed / IllegalLocationConstraintException).
fn redirect_region(err: &Error) -> Option<String> {
    let se = err.service_error()?;
    let wrong_region = matches!(se.status, 301 | 307)
        || matches!(
            se.code.as_str(),
            "AuthorizationHeaderMalformed"
                | "IllegalLocationConstraintException"
                | "PermanentRedirect"
        );
    if !wrong_region {
        return None;
    }
    let headers = se.fields.pointer("ResponseMetadata.HTTPHeaders");
    headers
        .get("x-amz-bucket-region")
        .as_str()
        .or_else(|| se.fields.pointer("Error.Region").as_str())
        // A region from the server becomes part of the next host name: follow
        // only a plain region, never one that would change the host.
        .filter(|r| !r.is_empty() && boto_endpoints::hostcheck::is_valid_region(r))
        .map(str::to_owned)
}
