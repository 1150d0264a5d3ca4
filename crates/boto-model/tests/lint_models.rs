//! Lints every embedded model the way the runtime will use it.
//!
//! The models are data we do not control; this test proves that each one
//! loads, that every shape reachable from an operation resolves, and that the
//! cross references the protocols rely on (required names, payload members,
//! URI and host labels, paginator and waiter operations) point at something
//! real. A new botocore release that breaks an assumption fails here, not in a
//! user's call.

use boto_model::{
    xform_name, Loader, Location, MemberRef, ModelFile, ServiceModel, ShapeId, ShapeKind,
};
use std::collections::{HashMap, HashSet};

/// Walks every shape reachable from `root`, checking references on the way.
fn walk(model: &ServiceModel, root: &MemberRef, seen: &mut HashSet<u32>, errors: &mut Vec<String>) {
    let n = model.shapes().count();
    let mut stack: Vec<ShapeId> = vec![root.target];
    while let Some(id) = stack.pop() {
        if id.0 as usize >= n {
            errors.push(format!("dangling shape id {}", id.0));
            continue;
        }
        if !seen.insert(id.0) {
            continue;
        }
        let shape = model.shape(id);
        let mut push = |r: &MemberRef| stack.push(r.target);
        match &shape.kind {
            ShapeKind::Structure(s) => {
                s.members.iter().for_each(&mut push);
                for req in &s.required {
                    if s.member(req).is_none() {
                        errors.push(format!("{}: required {req:?} is not a member", shape.name));
                    }
                }
                if let Some(p) = &s.payload {
                    if s.member(p).is_none() {
                        errors.push(format!("{}: payload {p:?} is not a member", shape.name));
                    }
                }
            }
            ShapeKind::List { member } => push(member),
            ShapeKind::Map { key, value } => {
                push(key);
                push(value);
            }
            _ => {}
        }
    }
}

/// The label a member is bound to in a URI or host prefix template.
fn label<'a>(model: &'a ServiceModel, m: &'a MemberRef) -> &'a str {
    model.location_name(m).unwrap_or(&m.name)
}

/// The `{name}` labels of a template.
fn labels(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(l, _)| l))
}

struct Totals {
    services: usize,
    operations: usize,
    shapes: usize,
    reachable: usize,
    paginators: usize,
    waiters: usize,
}

fn lint_service(loader: &Loader, name: &str, totals: &mut Totals, errors: &mut Vec<String>) {
    let model = match loader.service_model(name) {
        Ok(m) => m,
        Err(e) => return errors.push(format!("{name}: does not load: {e}")),
    };
    let mut errs = Vec::new();
    let rest = model.metadata.protocol.starts_with("rest-");
    let mut snake: HashMap<String, &str> = HashMap::new();
    let mut seen = HashSet::new();
    for op in model.operations() {
        let s = xform_name(&op.name, '_');
        if s != s.to_lowercase() || s.contains('-') {
            errs.push(format!(
                "xform_name({}) = {s:?} is not lowercase snake_case",
                op.name
            ));
        }
        if let Some(other) = snake.insert(s.clone(), &op.name) {
            errs.push(format!("{} and {other} both map to {s:?}", op.name));
        }
        if !std::ptr::eq(model.operation(&s).unwrap_or(op), op) {
            errs.push(format!("{s:?} does not look up {}", op.name));
        }
        for r in op.input.iter().chain(op.output.iter()) {
            walk(&model, r, &mut seen, &mut errs);
        }
        let Some(input) = &op.input else { continue };
        let Some(st) = model.shape(input.target).as_structure() else {
            errs.push(format!("{}: input is not a structure", op.name));
            continue;
        };
        let uri = &*op.http.request_uri;
        for m in &st.members {
            if rest && m.traits.location == Some(Location::Uri) {
                let l = label(&model, m);
                if !uri.contains(&format!("{{{l}}}")) && !uri.contains(&format!("{{{l}+}}")) {
                    errs.push(format!(
                        "{}: uri member {} has no label {{{l}}} in {uri}",
                        op.name, m.name
                    ));
                }
            }
            // A hostLabel without a hostPrefix is inert (botocore ignores it).
            if let Some(prefix) = op.host_prefix.as_deref().filter(|_| m.traits.host_label) {
                if !prefix.contains(&format!("{{{}}}", m.name)) {
                    errs.push(format!(
                        "{}: hostLabel {} is not in hostPrefix {prefix:?}",
                        op.name, m.name
                    ));
                }
            }
        }
        // And the other way round: every label must be filled by a member.
        for l in labels(op.host_prefix.as_deref().unwrap_or("")) {
            if !st
                .members
                .iter()
                .any(|m| m.traits.host_label && &*m.name == l)
            {
                errs.push(format!(
                    "{}: hostPrefix label {{{l}}} has no hostLabel member",
                    op.name
                ));
            }
        }
        if rest {
            for l in labels(uri) {
                let l = l.trim_end_matches('+');
                let bound = st
                    .members
                    .iter()
                    .any(|m| m.traits.location == Some(Location::Uri) && label(&model, m) == l);
                if !bound {
                    errs.push(format!("{}: uri label {{{l}}} has no uri member", op.name));
                }
            }
        }
    }
    match loader.json(name, ModelFile::Paginators) {
        Err(e) => errs.push(format!("paginators: {e}")),
        Ok(None) => {}
        Ok(Some(p)) => {
            for op in p
                .get("pagination")
                .and_then(|p| p.as_object())
                .into_iter()
                .flatten()
                .map(|(k, _)| k)
            {
                totals.paginators += 1;
                if model.operation(op).is_none() {
                    errs.push(format!("paginator for unknown operation {op}"));
                }
            }
        }
    }
    match loader.json(name, ModelFile::Waiters) {
        Err(e) => errs.push(format!("waiters: {e}")),
        Ok(None) => {}
        Ok(Some(w)) => {
            for (wn, wj) in w
                .get("waiters")
                .and_then(|w| w.as_object())
                .into_iter()
                .flatten()
            {
                totals.waiters += 1;
                match wj.get("operation").and_then(|o| o.as_str()) {
                    Some(op) if model.operation(op).is_some() => {}
                    other => errs.push(format!("waiter {wn}: unknown operation {other:?}")),
                }
            }
        }
    }
    totals.services += 1;
    totals.operations += model.operations().len();
    totals.shapes += model.shapes().count();
    totals.reachable += seen.len();
    errors.extend(errs.into_iter().map(|e| format!("{name}: {e}")));
}

#[test]
fn every_embedded_model_is_consistent() {
    if Loader::embedded_file_count() == 0 {
        eprintln!("skipped: this build embeds no models (run scripts/fetch_data.py)");
        return;
    }
    let loader = Loader::global();
    let names = loader.service_names();
    println!("services available: {}", names.len());
    assert!(
        names.len() >= 429,
        "expected at least 429 services, found {}",
        names.len()
    );
    let mut totals = Totals {
        services: 0,
        operations: 0,
        shapes: 0,
        reachable: 0,
        paginators: 0,
        waiters: 0,
    };
    let mut errors = Vec::new();
    for name in &names {
        lint_service(loader, name, &mut totals, &mut errors);
    }
    println!(
        "linted {} services, {} operations, {} shapes ({} reachable from operations), {} paginators, {} waiters",
        totals.services, totals.operations, totals.shapes, totals.reachable, totals.paginators, totals.waiters
    );
    assert!(
        errors.is_empty(),
        "{} problems:\n{}",
        errors.len(),
        errors.join("\n")
    );
    assert_eq!(totals.services, names.len());
}

/// Pairs produced by botocore 1.43.67's `xform_name` (snake and kebab).
#[test]
fn xform_name_matches_botocore_samples() {
    for (camel, snake, kebab) in [
        (
            "AdminSetUserMFAPreference",
            "admin_set_user_mfa_preference",
            "admin-set-user-mfa-preference",
        ),
        (
            "CreateAutomationRuleV2",
            "create_automation_rule_v2",
            "create-automation-rule-v2",
        ),
        (
            "CreateDHCPOptions",
            "create_dhcp_options",
            "create-dhcp-options",
        ),
        (
            "CreateOAuth2Token",
            "create_oauth2_token",
            "create-oauth2-token",
        ),
        ("CreateQApp", "create_q_app", "create-q-app"),
        (
            "CreateVPCAssociationAuthorization",
            "create_vpc_association_authorization",
            "create-vpc-association-authorization",
        ),
        (
            "DeleteAIAgentVersion",
            "delete_ai_agent_version",
            "delete-ai-agent-version",
        ),
        (
            "DeleteAggregatorV2",
            "delete_aggregator_v2",
            "delete-aggregator-v2",
        ),
        ("DeleteDBCluster", "delete_db_cluster", "delete-db-cluster"),
        (
            "DeleteV2LoggingLevel",
            "delete_v2_logging_level",
            "delete-v2-logging-level",
        ),
        (
            "DeregisterDBProxyTargets",
            "deregister_db_proxy_targets",
            "deregister-db-proxy-targets",
        ),
        (
            "DescribeCachediSCSIVolumes",
            "describe_cached_iscsi_volumes",
            "describe-cached-iscsi-volumes",
        ),
        (
            "DescribeQAppPermissions",
            "describe_q_app_permissions",
            "describe-q-app-permissions",
        ),
        (
            "DescribeReservedDBInstancesOfferings",
            "describe_reserved_db_instances_offerings",
            "describe-reserved-db-instances-offerings",
        ),
        (
            "DetectEntitiesV2",
            "detect_entities_v2",
            "detect-entities-v2",
        ),
        ("DetectPHI", "detect_phi", "detect-phi"),
        (
            "ExecutePartiQLStatement",
            "execute_partiql_statement",
            "execute-partiql-statement",
        ),
        ("GatewayARNs", "gateway_arns", "gateway-arns"),
        ("Get3DModel", "get3_d_model", "get3-d-model"),
        ("GetAIGuardrail", "get_ai_guardrail", "get-ai-guardrail"),
        (
            "GetAssociatedIpv6PoolCidrs",
            "get_associated_ipv6_pool_cidrs",
            "get-associated-ipv6-pool-cidrs",
        ),
        ("GetIPSet", "get_ip_set", "get-ip-set"),
        ("GetMLEndpoint", "get_ml_endpoint", "get-ml-endpoint"),
        (
            "GetOTelEnrichment",
            "get_otel_enrichment",
            "get-otel-enrichment",
        ),
        ("ListAMIs", "list_amis", "list-amis"),
        (
            "ListAutomationRulesV2",
            "list_automation_rules_v2",
            "list-automation-rules-v2",
        ),
        (
            "ListCollaborationMLInputChannels",
            "list_collaboration_ml_input_channels",
            "list-collaboration-ml-input-channels",
        ),
        (
            "ListEntitiesDetectionV2Jobs",
            "list_entities_detection_v2_jobs",
            "list-entities-detection-v2-jobs",
        ),
        (
            "ListHITsForQualificationType",
            "list_hits_for_qualification_type",
            "list-hits-for-qualification-type",
        ),
        (
            "ListOpenIDConnectProviderTags",
            "list_open_id_connect_provider_tags",
            "list-open-id-connect-provider-tags",
        ),
        (
            "ListRealtimeContactAnalysisSegmentsV2",
            "list_realtime_contact_analysis_segments_v2",
            "list-realtime-contact-analysis-segments-v2",
        ),
        (
            "ListVPCEConfigurations",
            "list_vpce_configurations",
            "list-vpce-configurations",
        ),
        ("ListWebACLs", "list_web_acls", "list-web-acls"),
        (
            "ModifyDBRecommendation",
            "modify_db_recommendation",
            "modify-db-recommendation",
        ),
        (
            "ModifyDBSubnetGroup",
            "modify_db_subnet_group",
            "modify-db-subnet-group",
        ),
        (
            "ModifyQev2IdcApplication",
            "modify_qev2_idc_application",
            "modify-qev2-idc-application",
        ),
        (
            "PurchaseReservedDBInstancesOffering",
            "purchase_reserved_db_instances_offering",
            "purchase-reserved-db-instances-offering",
        ),
        ("PutBucketACL", "put_bucket_acl", "put-bucket-acl"),
        (
            "RestoreDBClusterFromS3",
            "restore_db_cluster_from_s3",
            "restore-db-cluster-from-s3",
        ),
        ("ResyncMFADevice", "resync_mfa_device", "resync-mfa-device"),
        ("StopDBInstance", "stop_db_instance", "stop-db-instance"),
        (
            "StopEntitiesDetectionV2Job",
            "stop_entities_detection_v2_job",
            "stop-entities-detection-v2-job",
        ),
        (
            "StopOTelEnrichment",
            "stop_otel_enrichment",
            "stop-otel-enrichment",
        ),
        (
            "StopSNOMEDCTInferenceJob",
            "stop_snomedct_inference_job",
            "stop-snomedct-inference-job",
        ),
        (
            "TagOpenIDConnectProvider",
            "tag_open_id_connect_provider",
            "tag-open-id-connect-provider",
        ),
        (
            "UpdateAIGuardrail",
            "update_ai_guardrail",
            "update-ai-guardrail",
        ),
        (
            "UpdateLocationS3",
            "update_location_s3",
            "update-location-s3",
        ),
    ] {
        assert_eq!(xform_name(camel, '_'), snake, "{camel}");
        assert_eq!(xform_name(camel, '-'), kebab, "{camel}");
    }
}
