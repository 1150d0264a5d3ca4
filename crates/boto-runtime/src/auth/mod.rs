//! Which auth scheme a request uses, and applying it: the one place that
//! knows about SigV4, SigV4a, SigV2, S3 Express session auth, bearer tokens
//! and unsigned requests.
//!
//! botocore spreads this over four places: `resolve_auth_type` in
//! `auth.py` reads the model's `auth` trait (or `signatureVersion`),
//! `EndpointRulesetResolver.auth_schemes_to_signing_ctx` lets the endpoint's
//! `authSchemes` override it (with signing name, region and region set),
//! `RequestSigner.get_auth_instance` builds the signer, and
//! `generate_presigned_url` does the same again for query signing. Here
//! [`select`] makes the choice once per call from the model, the resolved
//! endpoint and the config, producing an [`AuthScheme`]; the send path
//! (`sign::sign_attempt`), presigning (`sign::presign_url`) and anything
//! else that signs (event streams) take that value, so a new scheme is one
//! variant and its arms, not edits scattered over the pipeline.
//!
//! The signatures themselves are pure functions in `boto-auth`
//! (`sigv4`, `sigv4a`, `sigv2`, `bearer_authorization`). The one scheme
//! with its own identity, `sigv4-s3express` (botocore's `S3ExpressAuth`),
//! gets its session credentials from the S3 customization's cache
//! (`customizations::s3::express`).

pub(crate) mod sign;

use crate::config::{ClientConfig, SignatureVersion};
use crate::error::{Error, ErrorKind};
use boto_endpoints::Endpoint;
use boto_model::{Operation, ServiceModel};

/// The auth scheme chosen for a call, with what it signs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthScheme {
    /// Sent unsigned: `smithy.api#noAuth` operations, or `sign_requests = false`
    /// (botocore's `signature_version=UNSIGNED`, aws-cli's `--no-sign-request`).
    None,
    /// `Authorization: Bearer <token>` from the token provider (`smithy.api#httpBearerAuth`).
    Bearer,
    /// Signature Version 4 (`aws.auth#sigv4`, endpoint scheme `sigv4`).
    SigV4(Scope),
    /// Signature Version 4a: ECDSA, valid in a set of regions (`aws.auth#sigv4a`,
    /// endpoint scheme `sigv4a`, e.g. S3 multi-region access points).
    SigV4a(Scope),
    /// SigV4 with S3 Express One Zone session credentials (endpoint scheme
    /// `sigv4-s3express`, directory buckets): signed with the keys of a
    /// `CreateSession` on the bucket, the session token in
    /// `x-amz-s3session-token` (botocore's `S3ExpressAuth`).
    SigV4S3Express(Scope),
    /// Signature Version 2 in the form body (`signatureVersion: v2`: SimpleDB).
    SigV2,
}

/// Signing name and region (or region set) of a SigV4/SigV4a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The service name in the credential scope (`s3`, `execute-api`, ...): the endpoint's
    /// `signingName`, else the model's `signingName`, else its endpoint prefix.
    pub signing_name: String,
    /// SigV4: the region in the credential scope (the endpoint's `signingRegion`, else the
    /// client's region, else `us-east-1`). SigV4a: the comma-separated region set (the
    /// endpoint's `signingRegionSet`, else the client's region).
    pub signing_region: String,
    /// Sign the path as given rather than encoding it twice (S3's `disableDoubleEncoding`).
    pub disable_double_encoding: bool,
}

impl AuthScheme {
    /// The scheme's name as the endpoint rule sets spell it, for `--debug` and errors.
    pub fn name(&self) -> &'static str {
        match self {
            AuthScheme::None => "none",
            AuthScheme::Bearer => "bearer",
            AuthScheme::SigV4(_) => "sigv4",
            AuthScheme::SigV4a(_) => "sigv4a",
            AuthScheme::SigV4S3Express(_) => "sigv4-s3express",
            AuthScheme::SigV2 => "sigv2",
        }
    }

    /// The SigV4/SigV4a scope, if the scheme has one.
    pub fn scope(&self) -> Option<&Scope> {
        match self {
            AuthScheme::SigV4(s) | AuthScheme::SigV4a(s) | AuthScheme::SigV4S3Express(s) => Some(s),
            _ => None,
        }
    }

    /// Whether requests need the client's credentials (SigV4, SigV4a, SigV2, and
    /// S3 Express, whose sessions the client's credentials open).
    pub fn needs_credentials(&self) -> bool {
        matches!(
            self,
            AuthScheme::SigV4(_)
                | AuthScheme::SigV4a(_)
                | AuthScheme::SigV4S3Express(_)
                | AuthScheme::SigV2
        )
    }
}

/// What the model asks for, before the endpoint has its say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ModelAuth {
    None,
    Bearer,
    SigV4,
    SigV4a,
    SigV2,
}

/// botocore's `resolve_auth_type` over the operation's `auth` trait (else the
/// service's), falling back to `signatureVersion`. SigV4a is chosen only when
/// the list offers no SigV4: botocore as installed by `pip install boto3`
/// (without awscrt) skips SigV4a and signs SigV4, so requests stay the ones
/// boto3 users send; where SigV4a is the only way (multi-region access
/// points) boto-rs signs it natively, as botocore with awscrt does.
fn model_auth(model: &ServiceModel, op: &Operation) -> ModelAuth {
    const SIGV4: &str = "aws.auth#sigv4";
    // The first scheme listed, and whether SigV4 is listed at all.
    let (first, offers_sigv4) = if op.auth.is_empty() {
        let list = &model.metadata.auth;
        (
            list.first().map(String::as_str),
            list.iter().any(|a| a == SIGV4),
        )
    } else {
        (
            op.auth.first().map(|a| &**a),
            op.auth.iter().any(|a| &**a == SIGV4),
        )
    };
    match first {
        Some("smithy.api#noAuth") => return ModelAuth::None,
        Some("smithy.api#httpBearerAuth") if !offers_sigv4 => return ModelAuth::Bearer,
        Some("aws.auth#sigv4a") if !offers_sigv4 => return ModelAuth::SigV4a,
        Some(_) => return ModelAuth::SigV4,
        None => {}
    }
    match model.metadata.signature_version.as_deref() {
        Some("bearer") => ModelAuth::Bearer,
        Some("v2") => ModelAuth::SigV2,
        _ => ModelAuth::SigV4,
    }
}

/// Chooses the auth scheme of a call: unsigned config first, then the
/// model's `auth` trait, then (for SigV4-family schemes) the endpoint's
/// `authSchemes` (SigV4 when offered, else SigV4a), which may switch SigV4
/// to SigV4a or back and set the signing name and region. A directory
/// bucket's endpoint offers `sigv4-s3express` (session auth), unless
/// `DisableS3ExpressSessionAuth` is set or the operation is `CreateSession`
/// (the rule set then offers `sigv4`, signing name `s3express`). `region`
/// is the region the call is resolved for (the client's, or a redirect's).
///
/// # Errors
///
/// The endpoint lists only auth schemes boto-rs does not support.
pub fn select(
    model: &ServiceModel,
    op: &Operation,
    config: &ClientConfig,
    signature_version: Option<SignatureVersion>,
    endpoint: &Endpoint,
    region: Option<&str>,
) -> Result<AuthScheme, Error> {
    if !config.sign_requests {
        return Ok(AuthScheme::None);
    }
    // A configured (or customization-chosen) signature version replaces the
    // model's signature, not its `noAuth` or bearer operations (botocore's
    // `set_operation_specific_signer` answers those first).
    let wanted = match (model_auth(model, op), signature_version) {
        (w @ (ModelAuth::None | ModelAuth::Bearer), _) | (w, None) => w,
        (_, Some(SignatureVersion::V4 | SignatureVersion::S3V4)) => ModelAuth::SigV4,
        (_, Some(SignatureVersion::V4a)) => ModelAuth::SigV4a,
        (_, Some(SignatureVersion::V2)) => {
            if !matches!(model.metadata.protocol.as_str(), "query" | "ec2") {
                return Err(Error::construction(format!(
                    "signature version v2 signs query-protocol requests; {} uses {}",
                    model.service_name, model.metadata.protocol
                )));
            }
            ModelAuth::SigV2
        }
    };
    let forced_v4 = matches!(
        signature_version,
        Some(SignatureVersion::V4 | SignatureVersion::S3V4)
    ) && wanted == ModelAuth::SigV4;
    let default_name = || {
        model
            .metadata
            .signing_name
            .clone()
            .unwrap_or_else(|| model.metadata.endpoint_prefix.clone())
    };
    let client_region = || region.unwrap_or("us-east-1").to_string();
    // botocore's `_resolve_sigv4a_region`: the configured set first.
    let configured_set = config.sigv4a_signing_region_set.clone();
    let from_model = |sigv4a: bool| {
        let scope = Scope {
            signing_name: default_name(),
            signing_region: match (sigv4a, &configured_set) {
                (true, Some(set)) => set.clone(),
                _ => client_region(),
            },
            disable_double_encoding: false,
        };
        if sigv4a {
            AuthScheme::SigV4a(scope)
        } else {
            AuthScheme::SigV4(scope)
        }
    };
    let sigv4a = match wanted {
        ModelAuth::None => return Ok(AuthScheme::None),
        ModelAuth::Bearer => return Ok(AuthScheme::Bearer),
        ModelAuth::SigV2 => return Ok(AuthScheme::SigV2),
        ModelAuth::SigV4 => false,
        ModelAuth::SigV4a => true,
    };
    let schemes = endpoint.auth_schemes();
    if schemes.is_empty() {
        return Ok(from_model(sigv4a));
    }
    // SigV4 wherever the endpoint offers it (see `model_auth`), else SigV4a.
    let offers_sigv4 = schemes
        .iter()
        .any(|s| matches!(s.name, "sigv4" | "sigv4-s3express"));
    if forced_v4 && !offers_sigv4 {
        return Ok(from_model(false));
    }
    for s in &schemes {
        let name = || {
            s.signing_name
                .map(str::to_owned)
                .unwrap_or_else(default_name)
        };
        let double = s.disable_double_encoding.unwrap_or(false);
        match s.name {
            "sigv4" | "sigv4-s3express" => {
                let scope = Scope {
                    signing_name: name(),
                    signing_region: s
                        .signing_region
                        .map(str::to_owned)
                        .unwrap_or_else(client_region),
                    disable_double_encoding: double,
                };
                return Ok(if s.name == "sigv4" {
                    AuthScheme::SigV4(scope)
                } else {
                    AuthScheme::SigV4S3Express(scope)
                });
            }
            "sigv4a" if !offers_sigv4 => {
                let set = match (&configured_set, &s.signing_region_set) {
                    (Some(set), _) => set.clone(),
                    (None, Some(list)) if !list.is_empty() => list.join(","),
                    _ => client_region(),
                };
                return Ok(AuthScheme::SigV4a(Scope {
                    signing_name: name(),
                    signing_region: set,
                    disable_double_encoding: double,
                }));
            }
            _ => {}
        }
    }
    let names: Vec<&str> = schemes.iter().map(|s| s.name).collect();
    Err(Error::new(
        ErrorKind::Endpoint,
        format!(
            "the endpoint requires auth schemes {names:?}; boto-rs supports sigv4, sigv4a and \
             sigv4-s3express"
        ),
    ))
}

#[cfg(test)]
mod tests;
