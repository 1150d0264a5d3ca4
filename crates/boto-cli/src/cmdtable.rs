//! The command table: aws-cli names for services, operations and parameters.
//!
//! aws-cli derives every name from the botocore model (`xform_name`), with a
//! few renames users rely on (`s3api`, `deploy`, `configservice`, argument
//! renames where a member would clash with a global option or reads badly).
//! Everything here is computed on demand from the one service model a command
//! touches, so startup stays in the low milliseconds.

use boto_model::{xform_name, Loader, MemberRef, Operation, ServiceModel, ShapeId, ShapeKind};
use serde_json::Value as Json;
use std::sync::Arc;

/// CLI service names that differ from the model (directory) name: (cli, model).
pub const SERVICE_RENAMES: &[(&str, &str)] = &[
    ("s3api", "s3"),
    ("deploy", "codedeploy"),
    ("configservice", "config"),
];

/// aws-cli's `ARGUMENT_RENAMES`: `service.operation.arg` (either may be `*`) → new name.
const ARG_RENAMES: &[(&str, &str)] = &[
    ("ec2.create-image.no-no-reboot", "reboot"),
    ("ec2.*.no-egress", "ingress"),
    ("ec2.*.no-disable-api-termination", "enable-api-termination"),
    ("swf.register-activity-type.version", "activity-version"),
    ("swf.register-workflow-type.version", "workflow-version"),
    ("datapipeline.*.query", "objects-query"),
    (
        "datapipeline.get-pipeline-definition.version",
        "pipeline-version",
    ),
    ("emr.*.job-flow-ids", "cluster-ids"),
    ("emr.*.job-flow-id", "cluster-id"),
    ("cloudsearchdomain.search.query", "search-query"),
    ("cloudsearchdomain.suggest.query", "suggest-query"),
    ("sns.subscribe.endpoint", "notification-endpoint"),
    ("deploy.*.s-3-location", "s3-location"),
    ("deploy.*.ec-2-tag-filters", "ec2-tag-filters"),
    ("codepipeline.get-pipeline.version", "pipeline-version"),
    (
        "codepipeline.create-custom-action-type.version",
        "action-version",
    ),
    (
        "codepipeline.delete-custom-action-type.version",
        "action-version",
    ),
    (
        "kinesisanalytics.add-application-output.output",
        "application-output",
    ),
    (
        "kinesisanalyticsv2.add-application-output.output",
        "application-output",
    ),
    (
        "route53.delete-traffic-policy.version",
        "traffic-policy-version",
    ),
    (
        "route53.get-traffic-policy.version",
        "traffic-policy-version",
    ),
    (
        "route53.update-traffic-policy-comment.version",
        "traffic-policy-version",
    ),
    ("gamelift.create-build.version", "build-version"),
    ("gamelift.update-build.version", "build-version"),
    ("gamelift.create-script.version", "script-version"),
    ("gamelift.update-script.version", "script-version"),
    ("route53domains.view-billing.start", "start-time"),
    ("route53domains.view-billing.end", "end-time"),
    ("apigateway.create-rest-api.version", "api-version"),
    ("apigatewayv2.create-api.version", "api-version"),
    ("apigatewayv2.update-api.version", "api-version"),
    ("pinpoint.get-campaign-version.version", "campaign-version"),
    ("pinpoint.get-segment-version.version", "segment-version"),
    ("pinpoint.delete-email-template.version", "template-version"),
    (
        "pinpoint.delete-in-app-template.version",
        "template-version",
    ),
    ("pinpoint.delete-push-template.version", "template-version"),
    ("pinpoint.delete-sms-template.version", "template-version"),
    ("pinpoint.delete-voice-template.version", "template-version"),
    ("pinpoint.get-email-template.version", "template-version"),
    ("pinpoint.get-in-app-template.version", "template-version"),
    ("pinpoint.get-push-template.version", "template-version"),
    ("pinpoint.get-sms-template.version", "template-version"),
    ("pinpoint.get-voice-template.version", "template-version"),
    ("pinpoint.update-email-template.version", "template-version"),
    (
        "pinpoint.update-in-app-template.version",
        "template-version",
    ),
    ("pinpoint.update-push-template.version", "template-version"),
    ("pinpoint.update-sms-template.version", "template-version"),
    ("pinpoint.update-voice-template.version", "template-version"),
    ("stepfunctions.send-task-success.output", "task-output"),
    ("clouddirectory.publish-schema.version", "schema-version"),
    ("mturk.list-qualification-types.query", "types-query"),
    (
        "workdocs.create-notification-subscription.endpoint",
        "notification-endpoint",
    ),
    ("workdocs.describe-users.query", "user-query"),
    ("lex-models.delete-bot.version", "bot-version"),
    ("lex-models.delete-intent.version", "intent-version"),
    ("lex-models.delete-slot-type.version", "slot-type-version"),
    ("lex-models.get-intent.version", "intent-version"),
    ("lex-models.get-slot-type.version", "slot-type-version"),
    ("lex-models.delete-bot-version.version", "bot-version"),
    ("lex-models.delete-intent-version.version", "intent-version"),
    (
        "lex-models.delete-slot-type-version.version",
        "slot-type-version",
    ),
    ("lex-models.get-export.version", "resource-version"),
    ("license-manager.get-grant.version", "grant-version"),
    ("license-manager.delete-grant.version", "grant-version"),
    ("license-manager.get-license.version", "license-version"),
    (
        "rekognition.create-stream-processor.output",
        "stream-processor-output",
    ),
    ("eks.create-cluster.version", "kubernetes-version"),
    ("eks.update-cluster-version.version", "kubernetes-version"),
    ("eks.create-nodegroup.version", "kubernetes-version"),
    ("eks.update-nodegroup-version.version", "kubernetes-version"),
    (
        "eks.update-cluster-components-version.version",
        "kubernetes-version",
    ),
    ("schemas.*.version", "schema-version"),
    ("sagemaker.delete-image-version.version", "version-number"),
    ("sagemaker.describe-image-version.version", "version-number"),
    ("sagemaker.list-aliases.version", "version-number"),
    ("sagemaker.update-image-version.version", "version-number"),
    ("iotwireless.*.lo-ra-wan", "lorawan"),
    ("codepipeline.get-action-type.version", "action-version"),
    ("ecs.*.no-enable-execute-command", "disable-execute-command"),
    ("ecs.execute-command.no-interactive", "non-interactive"),
    (
        "controltower.create-landing-zone.version",
        "landing-zone-version",
    ),
    (
        "controltower.update-landing-zone.version",
        "landing-zone-version",
    ),
    (
        "glue.get-unfiltered-partition-metadata.region",
        "resource-region",
    ),
    (
        "glue.get-unfiltered-partitions-metadata.region",
        "resource-region",
    ),
    (
        "glue.get-unfiltered-table-metadata.region",
        "resource-region",
    ),
];

/// aws-cli's `HIDDEN_ALIASES`: extra, undocumented names for an argument.
const HIDDEN_ALIASES: &[(&str, &str)] = &[
    (
        "cognito-identity.create-identity-pool.open-id-connect-provider-arns",
        "open-id-connect-provider-ar-ns",
    ),
    ("storagegateway.describe-tapes.tape-arns", "tape-ar-ns"),
    (
        "storagegateway.describe-tape-archives.tape-arns",
        "tape-ar-ns",
    ),
    (
        "storagegateway.describe-vtl-devices.vtl-device-arns",
        "vtl-device-ar-ns",
    ),
    (
        "storagegateway.describe-cached-iscsi-volumes.volume-arns",
        "volume-ar-ns",
    ),
    (
        "storagegateway.describe-stored-iscsi-volumes.volume-arns",
        "volume-ar-ns",
    ),
    ("route53domains.view-billing.start-time", "start"),
    ("deploy.create-deployment-group.ec2-tag-set", "ec-2-tag-set"),
    ("deploy.list-application-revisions.s3-bucket", "s-3-bucket"),
    (
        "deploy.list-application-revisions.s3-key-prefix",
        "s-3-key-prefix",
    ),
    ("deploy.update-deployment-group.ec2-tag-set", "ec-2-tag-set"),
    (
        "iam.enable-mfa-device.authentication-code1",
        "authentication-code-1",
    ),
    (
        "iam.enable-mfa-device.authentication-code2",
        "authentication-code-2",
    ),
    (
        "iam.resync-mfa-device.authentication-code1",
        "authentication-code-1",
    ),
    (
        "iam.resync-mfa-device.authentication-code2",
        "authentication-code-2",
    ),
    ("importexport.get-shipping-label.street1", "street-1"),
    ("importexport.get-shipping-label.street2", "street-2"),
    ("importexport.get-shipping-label.street3", "street-3"),
    ("lambda.publish-version.code-sha256", "code-sha-256"),
    (
        "lightsail.import-key-pair.public-key-base64",
        "public-key-base-64",
    ),
    (
        "mgn.*.replication-servers-security-groups-ids",
        "replication-servers-security-groups-i-ds",
    ),
    ("mgn.*.source-server-ids", "source-server-i-ds"),
    (
        "mgn.*.replication-configuration-template-ids",
        "replication-configuration-template-i-ds",
    ),
    (
        "elasticache.create-replication-group.preferred-cache-cluster-azs",
        "preferred-cache-cluster-a-zs",
    ),
];

/// Model name for a CLI service name, `None` for `s3` (the high-level commands).
pub fn model_name(cli: &str) -> Option<String> {
    if let Some((_, m)) = SERVICE_RENAMES.iter().find(|(c, _)| *c == cli) {
        return Some(m.to_string());
    }
    if SERVICE_RENAMES.iter().any(|(_, m)| *m == cli) {
        return None;
    }
    Some(cli.to_string())
}

/// CLI name of a model.
pub fn cli_name(model: &str) -> String {
    SERVICE_RENAMES
        .iter()
        .find(|(_, m)| *m == model)
        .map_or(model, |(c, _)| c)
        .to_string()
}

/// All CLI service names, sorted.
pub fn services() -> Vec<String> {
    let mut v: Vec<String> = Loader::global()
        .service_names()
        .iter()
        .map(|m| cli_name(m))
        .collect();
    v.sort();
    v
}

/// How an argument takes its value on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// `--flag` / `--no-flag`.
    Bool,
    /// `--names a b c` (one or more words).
    List,
    /// One word.
    Single,
    /// A streaming blob: a local file path (e.g. `put-object --body`).
    StreamIn,
}

/// One `--option` of an operation, bound to an input member.
#[derive(Debug, Clone)]
pub struct ArgSpec {
    /// Name without the leading `--`.
    pub name: String,
    /// Name of the `--no-...` form for booleans.
    pub negative: Option<String>,
    /// Undocumented extra names.
    pub aliases: Vec<String>,
    pub member: String,
    pub target: ShapeId,
    pub required: bool,
    pub kind: ArgKind,
    pub jsonvalue: bool,
    /// Pagination input tokens: accepted but not documented (aws-cli hides them).
    pub hidden: bool,
}

/// An operation as the CLI sees it.
pub struct OpSpec {
    pub service_cli: String,
    pub model: Arc<ServiceModel>,
    pub op_index: usize,
    pub cli_op: String,
    pub args: Vec<ArgSpec>,
    /// The member written to the positional `outfile` (streaming output).
    pub outfile: Option<String>,
    /// `paginators-1.json` entry for the operation.
    pub paginator: Option<Json>,
}

impl OpSpec {
    pub fn op(&self) -> &Operation {
        &self.model.operations()[self.op_index]
    }

    pub fn input_ref(&self) -> Option<&MemberRef> {
        self.op().input.as_ref()
    }

    /// Finds an argument by any of its names (without `--`); the bool is `false` for `--no-x`.
    pub fn find_arg(&self, name: &str) -> Option<(usize, bool)> {
        self.args.iter().enumerate().find_map(|(i, a)| {
            if a.name == name || a.aliases.iter().any(|x| x == name) {
                Some((i, true))
            } else if a.negative.as_deref() == Some(name) {
                Some((i, false))
            } else {
                None
            }
        })
    }

    /// Names a user could type, for suggestions and completion.
    pub fn option_names(&self) -> Vec<String> {
        let mut v = Vec::new();
        for a in &self.args {
            if a.hidden {
                continue;
            }
            v.push(a.name.clone());
            if let Some(n) = &a.negative {
                v.push(n.clone());
            }
        }
        v.extend(self.extra_options().iter().map(|s| s.to_string()));
        v
    }

    /// Options every operation takes besides its members.
    pub fn extra_options(&self) -> Vec<&'static str> {
        let mut v = vec!["cli-input-json", "cli-input-yaml", "generate-cli-skeleton"];
        if self.paginator.is_some() {
            v.extend(["starting-token", "page-size", "max-items"]);
        }
        v
    }

    /// The paginator's input token and limit members (strings in the config).
    pub fn paging_inputs(&self) -> Vec<String> {
        let Some(p) = &self.paginator else {
            return vec![];
        };
        let mut out = strings(p.get("input_token"));
        out.extend(strings(p.get("limit_key")));
        out
    }
}

/// A JSON string or list of strings, as paginator configs use.
pub fn strings(j: Option<&Json>) -> Vec<String> {
    match j {
        Some(Json::String(s)) => vec![s.clone()],
        Some(Json::Array(a)) => a
            .iter()
            .filter_map(Json::as_str)
            .map(str::to_owned)
            .collect(),
        _ => vec![],
    }
}

fn lookup<'a>(
    table: &'a [(&str, &str)],
    service: &str,
    op: &str,
    arg: &str,
) -> impl Iterator<Item = &'a str> {
    let (service, op, arg) = (service.to_string(), op.to_string(), arg.to_string());
    table.iter().filter_map(move |(k, v)| {
        let mut parts = k.rsplitn(2, '.');
        let a = parts.next()?;
        let (s, o) = parts.next()?.split_once('.')?;
        (a == arg && (s == service || s == "*") && (o == op || o == "*")).then_some(*v)
    })
}

/// Builds the argument table of `op` in service `service_cli`.
pub fn op_spec(service_cli: &str, model: Arc<ServiceModel>, op_index: usize) -> OpSpec {
    let op = &model.operations()[op_index];
    let cli_op = xform_name(&op.name, '-');
    let paginator = Loader::global()
        .json(&model.service_name, boto_model::ModelFile::Paginators)
        .ok()
        .flatten()
        .and_then(|p| p.get("pagination").and_then(|p| p.get(&*op.name)).cloned());
    // An event-stream output is printed as it arrives (exec/event_stream.rs);
    // only S3 Select keeps aws-cli's outfile (its `Records` payloads).
    let outfile = op
        .streaming_output(&model)
        .filter(|m| {
            !matches!(&model.shape(m.target).kind, ShapeKind::Structure(s) if s.eventstream)
                || (model.service_name == "s3" && &*op.name == "SelectObjectContent")
        })
        .map(|m| m.name.to_string());
    let stream_in = op.streaming_input(&model).map(|m| m.name.to_string());
    let mut args = Vec::new();
    let mut spec_paging: Vec<String> = Vec::new();
    if let Some(p) = &paginator {
        spec_paging = strings(p.get("input_token"));
        spec_paging.extend(strings(p.get("limit_key")));
    }
    if let Some(input) = &op.input {
        if let Some(st) = model.shape(input.target).as_structure() {
            for m in &st.members {
                let shape = model.shape(m.target);
                let kind = if stream_in.as_deref() == Some(&*m.name)
                    && matches!(shape.kind, ShapeKind::Blob)
                {
                    ArgKind::StreamIn
                } else {
                    match shape.kind {
                        ShapeKind::Boolean => ArgKind::Bool,
                        ShapeKind::List { .. } => ArgKind::List,
                        _ => ArgKind::Single,
                    }
                };
                let base = xform_name(&m.name, '-');
                let name = lookup(ARG_RENAMES, service_cli, &cli_op, &base)
                    .next()
                    .unwrap_or(&base)
                    .to_string();
                let negative = (kind == ArgKind::Bool).then(|| {
                    let neg = format!("no-{base}");
                    lookup(ARG_RENAMES, service_cli, &cli_op, &neg)
                        .next()
                        .unwrap_or(&neg)
                        .to_string()
                });
                let aliases = lookup(HIDDEN_ALIASES, service_cli, &cli_op, &name)
                    .map(str::to_owned)
                    .collect();
                args.push(ArgSpec {
                    name,
                    negative,
                    aliases,
                    member: m.name.to_string(),
                    target: m.target,
                    required: st.is_required(&m.name),
                    kind,
                    jsonvalue: m.traits.jsonvalue || shape.traits.jsonvalue,
                    hidden: spec_paging.iter().any(|p| *p == *m.name),
                });
            }
        }
    }
    OpSpec {
        service_cli: service_cli.to_string(),
        model,
        op_index,
        cli_op,
        args,
        outfile,
        paginator,
    }
}

/// CLI names of a model's operations, sorted, with their indexes.
pub fn operations(model: &ServiceModel) -> Vec<(String, usize)> {
    let mut v: Vec<(String, usize)> = model
        .operations()
        .iter()
        .enumerate()
        .map(|(i, o)| (xform_name(&o.name, '-'), i))
        .collect();
    v.sort();
    v
}

/// Finds an operation by CLI name.
pub fn find_operation(model: &ServiceModel, cli_op: &str) -> Option<usize> {
    model
        .operations()
        .iter()
        .position(|o| xform_name(&o.name, '-') == cli_op)
}

/// Waiter names of a service in kebab-case with their model names.
pub fn waiters(model_name: &str) -> Vec<(String, String)> {
    let Ok(Some(w)) = Loader::global().json(model_name, boto_model::ModelFile::Waiters) else {
        return vec![];
    };
    let mut v: Vec<(String, String)> = w
        .get("waiters")
        .and_then(Json::as_object)
        .map(|o| o.keys().map(|k| (xform_name(k, '-'), k.clone())).collect())
        .unwrap_or_default();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_names_map_both_ways() {
        assert_eq!(model_name("s3api").as_deref(), Some("s3"));
        assert_eq!(model_name("s3"), None);
        assert_eq!(model_name("dynamodb").as_deref(), Some("dynamodb"));
        assert_eq!(cli_name("codedeploy"), "deploy");
        assert_eq!(cli_name("sqs"), "sqs");
    }

    #[test]
    fn renames_match_wildcards() {
        assert_eq!(
            lookup(
                ARG_RENAMES,
                "ec2",
                "run-instances",
                "no-disable-api-termination"
            )
            .next(),
            Some("enable-api-termination")
        );
        assert_eq!(
            lookup(ARG_RENAMES, "cloudsearchdomain", "search", "query").next(),
            Some("search-query")
        );
        assert_eq!(lookup(ARG_RENAMES, "sqs", "search", "query").next(), None);
    }

    #[test]
    fn s3_get_object_has_outfile_and_paging_args_are_hidden() {
        if Loader::embedded_file_count() == 0 {
            return;
        }
        let m = Loader::global().service_model("s3").unwrap();
        let spec = op_spec(
            "s3api",
            m.clone(),
            find_operation(&m, "get-object").unwrap(),
        );
        assert_eq!(spec.outfile.as_deref(), Some("Body"));
        let bucket = &spec.args[spec.find_arg("bucket").unwrap().0];
        assert!(bucket.required);
        let spec = op_spec(
            "s3api",
            m.clone(),
            find_operation(&m, "list-objects-v2").unwrap(),
        );
        assert!(spec.paginator.is_some());
        assert!(spec.args[spec.find_arg("continuation-token").unwrap().0].hidden);
        let spec = op_spec(
            "s3api",
            m.clone(),
            find_operation(&m, "put-object").unwrap(),
        );
        assert_eq!(
            spec.args[spec.find_arg("body").unwrap().0].kind,
            ArgKind::StreamIn
        );
    }
}
