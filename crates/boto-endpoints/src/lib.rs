//! Endpoint rule-set interpreter for boto-rs.
//!
//! Every AWS service model ships an `endpoint-rule-set-1.json`: a small
//! decision-tree program that maps request parameters (region, FIPS,
//! dual-stack, custom endpoint, bucket, ...) to a URL plus signing
//! properties. Rather than generating code per service, boto-rs — like
//! botocore — interprets those programs with one engine. This crate is
//! that engine:
//!
//! * [`RuleSet::from_json`] parses a rule set once into a typed tree with
//!   interned variable slots, so per-request evaluation never re-parses and
//!   allocates little;
//! * [`Partitions::from_json`] loads `partitions.json`, which the caller
//!   owns and passes in (no global state);
//! * [`RuleSet::resolve`] evaluates [`Params`] to an [`Endpoint`] or an
//!   [`EndpointError`] whose message matches botocore's;
//! * [`ResolveCache`] remembers what equal parameters resolved to (one per
//!   client), so repeated calls skip the evaluation.
//!
//! ```
//! use boto_endpoints::{Params, Partitions, RuleSet};
//!
//! let partitions = Partitions::from_json(br#"{"partitions":[{"id":"aws",
//!     "regionRegex":"^us\\-\\w+\\-\\d+$","regions":{},
//!     "outputs":{"dnsSuffix":"amazonaws.com"}}]}"#).unwrap();
//! let rules = RuleSet::from_json(br#"{"version":"1.0",
//!     "parameters":{"Region":{"type":"string","builtIn":"AWS::Region","required":true}},
//!     "rules":[{"type":"endpoint","conditions":[
//!         {"fn":"aws.partition","argv":[{"ref":"Region"}],"assign":"p"}],
//!       "endpoint":{"url":"https://svc.{Region}.{p#dnsSuffix}"}}]}"#).unwrap();
//! let ep = rules
//!     .resolve(&Params::new().with("Region", "us-west-2"), &partitions)
//!     .unwrap();
//! assert_eq!(ep.url, "https://svc.us-west-2.amazonaws.com");
//! ```

#![deny(missing_docs)]

mod arn;
mod cache;
mod endpoint;
mod error;
mod eval;
#[cfg(test)]
mod eval_tests;
pub mod functions;
pub mod hostcheck;
mod lite;
mod params;
mod partition;
mod regex;
mod ruleset;
mod template;
mod url;
mod value;

pub use cache::ResolveCache;
pub use endpoint::{AuthScheme, Endpoint};
pub use error::{EndpointError, RuleSetError};
pub use params::{ParamType, ParamValue, Parameter, Params};
pub use partition::Partitions;
pub use ruleset::{RuleSet, SUPPORTED_FUNCTIONS};

/// Well-known `builtIn` names that callers bind from client configuration.
///
/// botocore's `EndpointResolverBuiltins` enum: a rule-set parameter that
/// declares one of these `builtIn`s is filled from the client's settings
/// rather than from the operation's input.
pub mod builtins {
    /// The client's region (`region_name`, `AWS_DEFAULT_REGION`, `region =`).
    pub const REGION: &str = "AWS::Region";
    /// `use_fips_endpoint` / `AWS_USE_FIPS_ENDPOINT`: pick FIPS endpoints.
    pub const USE_FIPS: &str = "AWS::UseFIPS";
    /// `use_dualstack_endpoint` / `AWS_USE_DUALSTACK_ENDPOINT`: pick IPv4+IPv6 endpoints.
    pub const USE_DUAL_STACK: &str = "AWS::UseDualStack";
    /// A custom endpoint URL (`endpoint_url=`, `AWS_ENDPOINT_URL*`, `endpoint_url =`).
    pub const ENDPOINT: &str = "SDK::Endpoint";
    /// S3 `addressing_style = path`: bucket in the path instead of the host.
    pub const S3_FORCE_PATH_STYLE: &str = "AWS::S3::ForcePathStyle";
    /// S3 `use_accelerate_endpoint`: Transfer Acceleration hosts.
    pub const S3_ACCELERATE: &str = "AWS::S3::Accelerate";
    /// S3 `us_east_1_regional_endpoint = legacy`: `s3.amazonaws.com` for us-east-1.
    pub const S3_USE_GLOBAL_ENDPOINT: &str = "AWS::S3::UseGlobalEndpoint";
    /// S3 `s3_disable_multiregion_access_points`: refuse Multi-Region Access Point ARNs.
    pub const S3_DISABLE_MRAP: &str = "AWS::S3::DisableMultiRegionAccessPoints";
    /// S3 `use_arn_region`: let an access-point ARN's region override the client's.
    pub const S3_USE_ARN_REGION: &str = "AWS::S3::UseArnRegion";
    /// S3 Control's `use_arn_region`, the same switch for `s3control`.
    pub const S3_CONTROL_USE_ARN_REGION: &str = "AWS::S3Control::UseArnRegion";
    /// `sts_regional_endpoints = legacy`: the global `sts.amazonaws.com` endpoint.
    pub const STS_USE_GLOBAL_ENDPOINT: &str = "AWS::STS::UseGlobalEndpoint";
    /// The account id of the credentials, for account-based endpoints (DynamoDB).
    pub const ACCOUNT_ID: &str = "AWS::Auth::AccountId";
    /// `account_id_endpoint_mode` (`preferred`, `required`, `disabled`).
    pub const ACCOUNT_ID_ENDPOINT_MODE: &str = "AWS::Auth::AccountIdEndpointMode";
}
