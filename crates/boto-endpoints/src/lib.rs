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
//!   [`EndpointError`] whose message matches botocore's.
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

mod arn;
mod endpoint;
mod error;
mod eval;
#[cfg(test)]
mod eval_tests;
pub mod functions;
pub mod hostcheck;
mod params;
mod partition;
mod regex;
mod ruleset;
mod template;
mod url;
mod value;

pub use endpoint::{AuthScheme, Endpoint};
pub use error::{EndpointError, RuleSetError};
pub use params::{ParamType, ParamValue, Parameter, Params};
pub use partition::Partitions;
pub use ruleset::{RuleSet, SUPPORTED_FUNCTIONS};

/// Well-known `builtIn` names that callers bind from client configuration.
pub mod builtins {
    pub const REGION: &str = "AWS::Region";
    pub const USE_FIPS: &str = "AWS::UseFIPS";
    pub const USE_DUAL_STACK: &str = "AWS::UseDualStack";
    pub const ENDPOINT: &str = "SDK::Endpoint";
    pub const S3_FORCE_PATH_STYLE: &str = "AWS::S3::ForcePathStyle";
    pub const S3_ACCELERATE: &str = "AWS::S3::Accelerate";
    pub const S3_USE_GLOBAL_ENDPOINT: &str = "AWS::S3::UseGlobalEndpoint";
    pub const S3_DISABLE_MRAP: &str = "AWS::S3::DisableMultiRegionAccessPoints";
    pub const S3_USE_ARN_REGION: &str = "AWS::S3::UseArnRegion";
    pub const S3_CONTROL_USE_ARN_REGION: &str = "AWS::S3Control::UseArnRegion";
    pub const STS_USE_GLOBAL_ENDPOINT: &str = "AWS::STS::UseGlobalEndpoint";
    pub const ACCOUNT_ID: &str = "AWS::Auth::AccountId";
    pub const ACCOUNT_ID_ENDPOINT_MODE: &str = "AWS::Auth::AccountIdEndpointMode";
}
