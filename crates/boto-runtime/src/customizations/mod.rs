//! Service customizations, one module per service, each a named [`Interceptor`].
//!
//! botocore scatters these over `handlers.py` as event handlers; here every
//! service's behaviour lives in one file and is registered in one table
//! ([`for_service`]), so what a service does differently is visible at a glance.
//!
//! # What replaces what
//!
//! | interceptor | botocore handler(s) | hook |
//! |---|---|---|
//! | `checksums` (all services) | `httpchecksum.resolve_checksum_context` / `apply_request_checksum` (header and trailer variants; framing in [`crate::aws_chunked`]) / `handle_checksum_body`, `_handle_request_validation_mode_member` | before_serialization, before_signing, after_response (+ [`checksums::StreamValidator`] for streams) |
//! | `common.recursion_detection` (all) | `add_recursion_detection_header` | before_signing |
//! | `common.request_compression` (all; CloudWatch `PutMetricData` today) | `compress.maybe_compress_request` (gzip, see [`crate::compression`]) | before_signing |
//! | `common.api_version_header` (all; the `DescribeEndpoints` of dynamodb, timestream-query, timestream-write) | `inject_api_version_header_if_needed` | before_signing |
//! | `common.parameter_aliases` (ec2, logs, cloudsearchdomain) | `_add_parameter_aliases` / `ParameterAlias` | before_serialization |
//! | `s3.validate_params` | `validate_bucket_name`, `validate_ascii_metadata` | before_serialization |
//! | `s3.sse_c` | `sse_md5`, `copy_source_sse_md5` | before_serialization |
//! | `s3.copy_source` | `handle_copy_source_param` | before_serialization |
//! | `s3.endpoint_params` | `customize_endpoint_resolver_builtins` (ForcePathStyle part) | endpoint_params |
//! | `s3.bucket_path` | `remove_bucket_from_url_paths_from_model` | before_signing |
//! | `s3.encoding_type` | `set_list_objects_encoding_type_url`, `decode_list_object`, `decode_list_object_v2`, `decode_list_object_versions` | before_signing, after_parse |
//! | `s3.escape_xml_payload` | `escape_xml_payload` | before_signing |
//! | `s3.expect_continue` | `add_expect_header` | before_signing |
//! | `s3.error_in_200` | `_handle_200_error`, `_update_status_code` (`check_for_200_error`) | after_response |
//! | `s3.get_bucket_location` | `parse_get_bucket_location` | after_response + after_parse |
//! | `s3.expires` | `handle_expires_header` | after_parse |
//! | `s3.region_redirect` | `S3RegionRedirectorv2` (`redirect_from_error`, bucket-region cache) | plan_call, after_attempt |
//! | `bedrock_agentcore.millisecond_timestamps` | `enable_millisecond_timestamp_precision` | serialize_options |
//! | `s3control.account_id_prefix` | `remove_accid_host_prefix_from_model` | before_signing |
//! | `glacier.defaults` | `inject_account_id`, `add_glacier_version`, `add_glacier_checksums` | before_serialization, before_signing |
//! | `route53.ids` | `fix_route53_ids` | before_serialization |
//! | `ec2.user_data` (ec2, autoscaling) | `base64_encode_user_data` | before_serialization |
//! | `ec2.console_output` | `decode_console_output` | after_parse |
//! | `ec2.presigned_url` | `inject_presigned_url_ec2` (`CopySnapshot`; `_get_cross_region_presigned_url`) | presign_request, modify_with_presigned_url |
//! | `rds.presigned_url` (rds, neptune, docdb) | `inject_presigned_url_rds` (`_get_cross_region_presigned_url`) | before_serialization, presign_request, modify_with_presigned_url |
//! | `importexport.sigv4` | `_set_importexport_signature_version` (`_default_signer_to_sigv4`) | choose_signature_version |
//! | `iam.policy_documents` | `json_decode_policies` | after_parse |
//! | `cloudformation.template_body` | `json_decode_template_body` | after_parse |
//! | `apigateway.accept` | `add_accept_header` | before_signing |
//! | `sso_oidc.oauth2_errors` | `_map_oauth2_errors` | after_response |
//! | `cloudsearchdomain.search_post` | `change_get_to_post` | before_signing |
//! | `machinelearning.predict_endpoint` | `switch_host_machinelearning` | before_signing |
//! | `sqs.md5` | none (botocore has no check; Java/.NET/Go SDKs do) | after_parse |
//! | `dynamodb.crc32` | `retryhandler.CRC32Checker` (`_retry.json` `crc32`) | after_response |
//!
//! Not needed here: `generate_idempotent_uuid` (the serializer fills
//! idempotency tokens), `convert_body_to_file_like_object` (bodies are
//! `RequestBody`), `_update_status_code` (`s3.error_in_200` reports 500).
//!
//! # Postponed botocore handlers
//!
//! * `handle_service_name_alias` (choose-service-name): service-name aliases belong to client construction.
//! * `ClientMethodAlias` (mturk, socialmessaging, cloudwatch, signin `getattr`): operation-name aliases belong to name resolution.
//! * `add_generate_presigned_url`, `add_generate_presigned_post`, `add_generate_db_auth_token`, `add_dsql_generate_db_auth_token_methods`: presigning APIs, not interceptors.
//! * `remove_content_type_header_for_presigning` (polly): presigning only.
//! * `check_openssl_supports_tls_version_1_2` (iot-data): rustls always has TLS 1.2.
//! * `remove_lex_v2_start_conversation`, `remove_qbusiness_chat`, `remove_bedrock_runtime_invoke_model_with_bidirectional_stream`, `remove_connecthealth_start_medical_scribe_listening_session`, `remove_polly_start_speech_synthesis_stream`: the client should refuse these bidirectional-stream operations (no HTTP/2 event streams).
//! * `_handle_sqs_compatible_error`: the query-compatible error code (`QueryErrorCode`) belongs to the protocol error parser.
//! * `customize_endpoint_resolver_builtins`, global-endpoint part: applies to presigned URLs only.
//! * `add_retry_headers`: the pipeline sends `amz-sdk-invocation-id` / `amz-sdk-request` itself.
//! * `set_operation_specific_signer`, `_set_auth_scheme_preference_signer`, `disable_signing` (cognito-identity, sts): auth selection lives in [`crate::auth`] (`auth` / `smithy.api#noAuth` in the models).
//! * `remove_arn_from_signing_path`: only affects S3's `HmacV1` auth path, which boto-rs does not offer.
//! * `_set_extra_headers_for_unsigned_request`: its trailer headers are set by `checksums` (`_apply_request_trailer_checksum`, see [`crate::aws_chunked`]); the default is still header checksums (`ClientConfig::trailing_checksums = Never`), botocore's https rule is opt-in (`WhenHttps`).
//! * `docs.*` handlers (`DocumentModifiedShape`, `AutoPopulatedParam`, `HideParamFromOperations`, `document_*`): documentation only.

pub mod bedrock_agentcore;
pub mod checksums;
pub mod cloudformation;
pub mod common;
pub mod dynamodb;
pub mod ec2;
pub mod glacier;
pub mod iam;
pub mod importexport;
pub mod rds;
pub mod route53;
pub mod s3;
pub mod s3control;
pub mod sqs;

use crate::interceptor::Interceptor;
use std::sync::Arc;

/// The interceptors boto-rs applies to every call of `service` (botocore's service name).
///
/// Order matters within one hook: service interceptors run first, then the
/// shared ones, so `checksums` hashes the final body (after e.g.
/// `s3.escape_xml_payload`).
pub fn for_service(service: &str) -> Vec<Arc<dyn Interceptor>> {
    let mut list: Vec<Arc<dyn Interceptor>> = match service {
        "s3" => vec![
            Arc::new(s3::ValidateParams),
            Arc::new(s3::SseCustomerKey),
            Arc::new(s3::CopySource),
            Arc::new(s3::EndpointParams),
            Arc::new(s3::BucketPath),
            Arc::new(s3::list::EncodingTypeUrl),
            Arc::new(s3::EscapeXmlPayload),
            Arc::new(s3::ExpectContinue),
            Arc::new(s3::response::ErrorIn200),
            Arc::new(s3::response::GetBucketLocation),
            Arc::new(s3::response::ExpiresString),
            Arc::new(s3::redirect::RegionRedirect::default()),
        ],
        "bedrock-agentcore" => vec![Arc::new(bedrock_agentcore::MillisecondTimestamps)],
        "s3control" => vec![Arc::new(s3control::AccountIdHostPrefix)],
        "glacier" => vec![Arc::new(glacier::Glacier)],
        "route53" => vec![Arc::new(route53::FixIds)],
        "ec2" => vec![
            Arc::new(common::ParameterAlias {
                operation: None,
                original: "Filter",
                alias: "Filters",
            }),
            Arc::new(ec2::UserData),
            Arc::new(ec2::ConsoleOutput),
            Arc::new(ec2::CopySnapshotPresignedUrl),
        ],
        "rds" => vec![Arc::new(rds::CrossRegionPresignedUrl::RDS)],
        "neptune" | "docdb" => vec![Arc::new(rds::CrossRegionPresignedUrl::CLUSTERS)],
        "autoscaling" => vec![Arc::new(ec2::UserData)],
        "logs" => vec![Arc::new(common::ParameterAlias {
            operation: Some("CreateExportTask"),
            original: "from",
            alias: "fromTime",
        })],
        "cloudsearchdomain" => vec![
            Arc::new(common::ParameterAlias {
                operation: Some("Search"),
                original: "return",
                alias: "returnFields",
            }),
            Arc::new(common::SearchAsPost),
        ],
        "machinelearning" => vec![Arc::new(common::PredictEndpoint)],
        "iam" => vec![Arc::new(iam::PolicyDocuments)],
        "cloudformation" => vec![Arc::new(cloudformation::TemplateBody)],
        "apigateway" => vec![Arc::new(common::AcceptJson)],
        "sso-oidc" => vec![Arc::new(common::OAuth2Errors)],
        "sqs" => vec![Arc::new(sqs::MessageMd5)],
        "dynamodb" => vec![Arc::new(dynamodb::Crc32Check)],
        "importexport" => vec![Arc::new(importexport::SigV4ByDefault)],
        _ => Vec::new(),
    };
    list.push(Arc::new(common::RecursionDetection));
    list.push(Arc::new(common::RequestCompression));
    list.push(Arc::new(common::ApiVersionHeader));
    list.push(Arc::new(checksums::Checksums));
    list
}

#[cfg(test)]
pub(crate) mod testutil;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_names_are_unique_per_service() {
        for service in [
            "s3",
            "s3control",
            "glacier",
            "route53",
            "ec2",
            "sqs",
            "dynamodb",
            "iam",
            "rds",
            "neptune",
            "docdb",
            "unknown",
        ] {
            let list = for_service(service);
            let mut names: Vec<&str> = list.iter().map(|i| i.name()).collect();
            assert_eq!(
                names.last(),
                Some(&"checksums"),
                "{service}: checksums runs last"
            );
            names.sort();
            let n = names.len();
            names.dedup();
            assert_eq!(n, names.len(), "{service}: duplicate interceptor");
        }
        assert_eq!(for_service("s3")[0].name(), "s3.validate_params");
    }
}
