//! botocore's `xform_name`: `ListObjectsV2` → `list_objects_v2` (re-exported by `boto_model::names`).
//!
//! boto3 method names and aws-cli command names come from this transform, so
//! it must match botocore exactly, including its table of irregular names.

/// Names botocore maps by hand because the regular rules get them wrong.
const SPECIAL: &[(&str, &str)] = &[
    ("CreateCachediSCSIVolume", "create_cached_iscsi_volume"),
    (
        "DescribeCachediSCSIVolumes",
        "describe_cached_iscsi_volumes",
    ),
    (
        "DescribeStorediSCSIVolumes",
        "describe_stored_iscsi_volumes",
    ),
    ("CreateStorediSCSIVolume", "create_stored_iscsi_volume"),
    (
        "ListHITsForQualificationType",
        "list_hits_for_qualification_type",
    ),
    ("ExecutePartiQLStatement", "execute_partiql_statement"),
    ("ExecutePartiQLTransaction", "execute_partiql_transaction"),
    ("ExecutePartiQLBatch", "execute_partiql_batch"),
    ("CreateOAuth2Token", "create_oauth2_token"),
    ("CreateOAuth2TokenWithIAM", "create_oauth2_token_with_iam"),
    (
        "IntrospectOAuth2TokenWithIAM",
        "introspect_oauth2_token_with_iam",
    ),
    ("RevokeOAuth2TokenWithIAM", "revoke_oauth2_token_with_iam"),
    (
        "AssociateWhatsAppBusinessAccount",
        "associate_whatsapp_business_account",
    ),
    ("CreateWhatsAppDataset", "create_whatsapp_dataset"),
    ("CreateWhatsAppFlow", "create_whatsapp_flow"),
    (
        "CreateWhatsAppMessageTemplate",
        "create_whatsapp_message_template",
    ),
    (
        "CreateWhatsAppMessageTemplateFromLibrary",
        "create_whatsapp_message_template_from_library",
    ),
    (
        "CreateWhatsAppMessageTemplateMedia",
        "create_whatsapp_message_template_media",
    ),
    ("DeleteWhatsAppFlow", "delete_whatsapp_flow"),
    (
        "DeleteWhatsAppMessageMedia",
        "delete_whatsapp_message_media",
    ),
    (
        "DeleteWhatsAppMessageTemplate",
        "delete_whatsapp_message_template",
    ),
    ("DeprecateWhatsAppFlow", "deprecate_whatsapp_flow"),
    (
        "DisassociateWhatsAppBusinessAccount",
        "disassociate_whatsapp_business_account",
    ),
    (
        "GetLinkedWhatsAppBusinessAccount",
        "get_linked_whatsapp_business_account",
    ),
    (
        "GetLinkedWhatsAppBusinessAccountPhoneNumber",
        "get_linked_whatsapp_business_account_phone_number",
    ),
    ("GetOTelEnrichment", "get_otel_enrichment"),
    ("GetWhatsAppFlow", "get_whatsapp_flow"),
    ("GetWhatsAppFlowPreview", "get_whatsapp_flow_preview"),
    ("GetWhatsAppMessageMedia", "get_whatsapp_message_media"),
    (
        "GetWhatsAppMessageTemplate",
        "get_whatsapp_message_template",
    ),
    (
        "ListLinkedWhatsAppBusinessAccounts",
        "list_linked_whatsapp_business_accounts",
    ),
    ("ListWhatsAppFlowAssets", "list_whatsapp_flow_assets"),
    ("ListWhatsAppFlows", "list_whatsapp_flows"),
    (
        "ListWhatsAppMessageTemplates",
        "list_whatsapp_message_templates",
    ),
    (
        "ListWhatsAppTemplateLibrary",
        "list_whatsapp_template_library",
    ),
    ("PostWhatsAppMessageMedia", "post_whatsapp_message_media"),
    ("PublishWhatsAppFlow", "publish_whatsapp_flow"),
    (
        "PutWhatsAppBusinessAccountEventDestinations",
        "put_whatsapp_business_account_event_destinations",
    ),
    (
        "SendWhatsAppConversionEvent",
        "send_whatsapp_conversion_event",
    ),
    ("SendWhatsAppMessage", "send_whatsapp_message"),
    ("StartOTelEnrichment", "start_otel_enrichment"),
    ("StopOTelEnrichment", "stop_otel_enrichment"),
    ("UpdateWhatsAppFlow", "update_whatsapp_flow"),
    ("UpdateWhatsAppFlowAssets", "update_whatsapp_flow_assets"),
    (
        "UpdateWhatsAppMessageTemplate",
        "update_whatsapp_message_template",
    ),
];

/// Converts a CamelCase name to snake_case (`sep = '_'`) or kebab-case (`sep = '-'`),
/// exactly as botocore does. A name that already contains `sep` is returned unchanged.
pub fn xform_name(name: &str, sep: char) -> String {
    if name.contains(sep) {
        return name.to_string();
    }
    if let Some((_, v)) = SPECIAL.iter().find(|(k, _)| *k == name) {
        return if sep == '_' {
            v.to_string()
        } else {
            v.replace('_', &sep.to_string())
        };
    }
    let chars: Vec<char> = name.chars().collect();
    // `[A-Z]{2,}s$`: a pluralised acronym (`GatewayARNs`) becomes `Gateway_arns`.
    let mut work: Vec<char> = chars.clone();
    if chars.len() >= 3 && chars[chars.len() - 1] == 's' {
        let mut i = chars.len() - 1;
        while i > 0 && chars[i - 1].is_ascii_uppercase() {
            i -= 1;
        }
        if chars.len() - 1 - i >= 2 {
            work = chars[..i].to_vec();
            work.push(sep);
            work.extend(chars[i..].iter().map(|c| c.to_ascii_lowercase()));
        }
    }
    // `(.)([A-Z][a-z]+)` → `\1 sep \2`, scanning left to right without overlaps.
    let mut s1: Vec<char> = Vec::with_capacity(work.len() + 8);
    let mut i = 0;
    while i < work.len() {
        if i + 2 < work.len() + 1
            && i + 1 < work.len()
            && work[i + 1].is_ascii_uppercase()
            && i + 2 < work.len()
            && work[i + 2].is_ascii_lowercase()
        {
            let mut j = i + 2;
            while j < work.len() && work[j].is_ascii_lowercase() {
                j += 1;
            }
            s1.push(work[i]);
            s1.push(sep);
            s1.extend(&work[i + 1..j]);
            i = j;
        } else {
            s1.push(work[i]);
            i += 1;
        }
    }
    // `([a-z0-9])([A-Z])` → `\1 sep \2`, then lowercase.
    let mut out = String::with_capacity(s1.len() + 8);
    let mut i = 0;
    while i < s1.len() {
        let c = s1[i];
        out.push(c.to_ascii_lowercase());
        if (c.is_ascii_lowercase() || c.is_ascii_digit())
            && i + 1 < s1.len()
            && s1[i + 1].is_ascii_uppercase()
        {
            out.push(sep);
            out.push(s1[i + 1].to_ascii_lowercase());
            i += 2;
            continue;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::xform_name;

    #[test]
    fn matches_botocore() {
        for (camel, snake) in [
            ("ListObjectsV2", "list_objects_v2"),
            ("GetItem", "get_item"),
            ("DescribeDBInstances", "describe_db_instances"),
            ("ListWebACLs", "list_web_acls"),
            ("CreateCachediSCSIVolume", "create_cached_iscsi_volume"),
            ("PutBucketACL", "put_bucket_acl"),
            ("GetBucketAcl", "get_bucket_acl"),
            ("AssumeRoleWithSAML", "assume_role_with_saml"),
            (
                "DescribeVpcEndpointServicePermissions",
                "describe_vpc_endpoint_service_permissions",
            ),
            ("ListAMIs", "list_amis"),
            ("Get3DModel", "get3_d_model"),
            ("already_snake", "already_snake"),
            ("HeadObject", "head_object"),
        ] {
            assert_eq!(xform_name(camel, '_'), snake, "{camel}");
        }
        assert_eq!(xform_name("ListObjectsV2", '-'), "list-objects-v2");
        assert_eq!(xform_name("CreateOAuth2Token", '-'), "create-oauth2-token");
    }
}
