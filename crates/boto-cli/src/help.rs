//! Help pages generated from the models: `boto help`, `boto <service> help`,
//! `boto <service> <operation> help`, `boto <service> wait help`.
//!
//! aws-cli renders reStructuredText through a pager; here pages are plain
//! text in the same section layout (NAME, DESCRIPTION, SYNOPSIS, OPTIONS,
//! OUTPUT), built straight from `service-2.json` and `docs-2.json`, so help
//! works offline, instantly, and pipes cleanly into `grep`.

use crate::args::{GLOBAL_FLAGS, GLOBAL_VALUED};
use crate::cmdtable::{self, ArgKind, OpSpec};
use crate::html;
use boto_model::{Loader, ModelFile, ServiceModel, ShapeId, ShapeKind};
use serde_json::Value as Json;

const WIDTH: usize = 80;

/// Prints a page.
pub fn show(page: &str) {
    crate::driver::print(page);
}

fn docs(service: &str) -> Option<std::sync::Arc<Json>> {
    Loader::global()
        .json(service, ModelFile::Docs)
        .ok()
        .flatten()
}

fn heading(out: &mut String, title: &str) {
    out.push_str(title);
    out.push_str("\n\n");
}

const GLOBAL_HELP: &[(&str, &str)] = &[
    (
        "debug",
        "Turn on debug logging (credentials and signatures are redacted).",
    ),
    (
        "endpoint-url",
        "Override the command's default URL with the given URL.",
    ),
    ("no-verify-ssl", "Do not verify TLS certificates."),
    (
        "no-paginate",
        "Disable automatic pagination: only the first page is returned.",
    ),
    (
        "output",
        "The formatting style for command output: json, text, table, yaml, yaml-stream.",
    ),
    (
        "query",
        "A JMESPath query to use in filtering the response data.",
    ),
    (
        "profile",
        "Use a specific profile from your credential file.",
    ),
    (
        "region",
        "The region to use. Overrides config/env settings.",
    ),
    ("version", "Display the version of this tool."),
    ("color", "Turn on/off color output: on, off, auto."),
    (
        "no-sign-request",
        "Do not sign requests. Credentials will not be loaded.",
    ),
    (
        "ca-bundle",
        "The CA certificate bundle to use when verifying TLS certificates.",
    ),
    (
        "cli-read-timeout",
        "The maximum socket read time in seconds (0 = blocking).",
    ),
    (
        "cli-connect-timeout",
        "The maximum socket connect time in seconds (0 = blocking).",
    ),
    (
        "cli-binary-format",
        "How blob parameters are read: base64 (default) or raw-in-base64-out.",
    ),
    (
        "print-request",
        "Build and sign the request, print it as JSON, and do not send it.",
    ),
];

fn global_options(out: &mut String) {
    for (name, help) in GLOBAL_HELP {
        let arg = if GLOBAL_VALUED.contains(name) {
            " (string)"
        } else {
            " (boolean)"
        };
        out.push_str(&format!("  --{name}{arg}\n\n"));
        for l in html::wrap(help, WIDTH - 6) {
            out.push_str(&format!("      {l}\n"));
        }
        out.push('\n');
    }
    let _ = GLOBAL_FLAGS;
}

/// `boto help`.
pub fn main_help() -> String {
    let mut out = String::new();
    heading(&mut out, "BOTO()");
    heading(&mut out, "NAME");
    out.push_str("  boto -\n\n");
    heading(&mut out, "DESCRIPTION");
    out.push_str(
        "  The boto command line: an aws-cli compatible tool for every AWS service,\n  driven by the botocore models.\n\n",
    );
    heading(&mut out, "SYNOPSIS");
    out.push_str("  boto [options] <command> <subcommand> [parameters]\n\n");
    out.push_str("  Use boto <command> help for information on a specific command.\n\n");
    heading(&mut out, "OPTIONS");
    global_options(&mut out);
    heading(&mut out, "AVAILABLE SERVICES");
    let mut names = cmdtable::services();
    names.extend(["configure".to_string(), "completion".to_string()]);
    names.sort();
    for n in names {
        out.push_str(&format!("  o {n}\n\n"));
    }
    out
}

/// `boto <service> help`.
pub fn service_help(cli: &str, model: &ServiceModel) -> String {
    let mut out = String::new();
    heading(&mut out, &cli.to_uppercase());
    heading(&mut out, "NAME");
    out.push_str(&format!("  {cli} -\n\n"));
    heading(&mut out, "DESCRIPTION");
    if let Some(d) = docs(&model.service_name)
        .and_then(|d| d.get("service").and_then(Json::as_str).map(str::to_owned))
    {
        out.push_str(&html::to_text(&d, 2, WIDTH));
    } else if !model.metadata.service_full_name.is_empty() {
        out.push_str(&format!("  {}\n\n", model.metadata.service_full_name));
    }
    heading(&mut out, "AVAILABLE COMMANDS");
    let mut names: Vec<String> = cmdtable::operations(model)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    if !cmdtable::waiters(&model.service_name).is_empty() {
        names.push("wait".into());
    }
    // Commands the CLI adds to a service, as aws-cli's customizations do
    // (`sso logout` replaces the operation of the same name).
    if model.service_name == "sso" {
        names.extend(["login".into(), "logout".into()]);
    }
    names.push("help".into());
    names.sort();
    names.dedup();
    for n in names {
        out.push_str(&format!("  o {n}\n\n"));
    }
    out
}

/// `boto <service> wait help`.
pub fn wait_help(cli: &str, service: &str, waiters: &[(String, String)]) -> String {
    let mut out = String::new();
    heading(&mut out, "WAIT");
    heading(&mut out, "DESCRIPTION");
    out.push_str("  Wait until a particular condition is satisfied. Each subcommand polls an\n  API until the listed requirement is met.\n\n");
    heading(&mut out, "AVAILABLE WAITERS");
    let doc = Loader::global()
        .json(service, ModelFile::Waiters)
        .ok()
        .flatten();
    for (kebab, name) in waiters {
        out.push_str(&format!("  o {kebab}\n"));
        if let Some(w) = doc
            .as_ref()
            .and_then(|d| d.get("waiters"))
            .and_then(|w| w.get(name))
        {
            let op = w.get("operation").and_then(Json::as_str).unwrap_or("");
            let delay = w.get("delay").and_then(Json::as_u64).unwrap_or(0);
            let max = w.get("maxAttempts").and_then(Json::as_u64).unwrap_or(0);
            out.push_str(&format!(
                "      Polls {cli} {} every {delay} seconds until a successful state is\n      reached (at most {max} checks).\n",
                boto_model::xform_name(op, '-')
            ));
        }
        out.push('\n');
    }
    out
}

/// The type name aws-cli prints next to an option.
fn type_label(model: &ServiceModel, id: ShapeId) -> &'static str {
    let s = model.shape(id);
    if s.is_document() {
        return "document";
    }
    match &s.kind {
        ShapeKind::Double | ShapeKind::Float => "double",
        ShapeKind::Long => "long",
        _ => s.type_name(),
    }
}

/// `boto <service> <operation> help`.
pub fn operation_help(spec: &OpSpec) -> String {
    let model = &*spec.model;
    let op = spec.op();
    let d = docs(&model.service_name);
    let mut out = String::new();
    heading(&mut out, &spec.cli_op.to_uppercase());
    heading(&mut out, "NAME");
    out.push_str(&format!("  {} -\n\n", spec.cli_op));
    heading(&mut out, "DESCRIPTION");
    if let Some(text) = d
        .as_ref()
        .and_then(|d| d.pointer(&format!("/operations/{}", op.name)))
        .and_then(Json::as_str)
    {
        out.push_str(&html::to_text(text, 2, WIDTH));
    }
    if spec.paginator.is_some() {
        out.push_str(&format!(
            "  {} is a paginated operation. Multiple API calls may be issued in\n  order to retrieve the entire data set of results. You can disable\n  pagination by providing the --no-paginate argument.\n\n",
            spec.cli_op
        ));
    }
    if let Some(url) = &op.documentation_url {
        out.push_str(&format!("  See also: {url}\n\n"));
    }
    heading(&mut out, "SYNOPSIS");
    out.push_str(&format!("    {}\n", spec.cli_op));
    for a in spec.args.iter().filter(|a| !a.hidden) {
        let form = match (a.kind, &a.negative) {
            (ArgKind::Bool, Some(n)) => format!("--{} | --{n}", a.name),
            (ArgKind::List, _) => format!("--{} <value>", a.name),
            _ => format!("--{} <value>", a.name),
        };
        if a.required {
            out.push_str(&format!("    {form}\n"));
        } else {
            out.push_str(&format!("    [{form}]\n"));
        }
    }
    for e in spec.extra_options() {
        let v = if e == "generate-cli-skeleton" {
            "<input | output>"
        } else {
            "<value>"
        };
        out.push_str(&format!("    [--{e} {v}]\n"));
    }
    if spec.outfile.is_some() {
        out.push_str("    <outfile>\n");
    }
    out.push('\n');
    heading(&mut out, "OPTIONS");
    let input_shape = spec
        .input_ref()
        .map(|r| model.shape(r.target).name.to_string())
        .unwrap_or_default();
    for a in spec.args.iter().filter(|a| !a.hidden) {
        let req = if a.required { " [required]" } else { "" };
        out.push_str(&format!(
            "  --{} ({}){req}\n",
            a.name,
            type_label(model, a.target)
        ));
        if let Some(n) = &a.negative {
            out.push_str(&format!("  --{n}\n"));
        }
        out.push('\n');
        let member_doc = d
            .as_ref()
            .and_then(|d| d.get("shapes"))
            .and_then(|s| s.get(&input_shape))
            .and_then(|s| s.get(&a.member))
            .and_then(Json::as_str);
        if let Some(text) = member_doc {
            out.push_str(&html::to_text(text, 6, WIDTH));
        }
        if a.kind == ArgKind::StreamIn {
            out.push_str(
                "      The value is the path of a local file whose contents are sent.\n\n",
            );
        }
        let shape = model.shape(a.target);
        if !shape.enum_values.is_empty() {
            out.push_str("      Possible values:\n\n");
            for e in &shape.enum_values {
                out.push_str(&format!("      o {e}\n\n"));
            }
        }
        if let ShapeKind::Structure(_) | ShapeKind::List { .. } | ShapeKind::Map { .. } = shape.kind
        {
            if !shape.is_document() {
                out.push_str("      JSON Syntax:\n\n");
                let sk = crate::build::skeleton(model, a.target, false);
                let json = crate::output::json::to_string(&crate::output::to_display(&sk), Some(2));
                for l in json.lines() {
                    out.push_str(&format!("        {l}\n"));
                }
                out.push('\n');
            }
        }
    }
    if let Some(m) = &spec.outfile {
        out.push_str(&format!(
            "  outfile (string)\n\n      Filename where the content ({m}) will be saved.\n\n"
        ));
    }
    out.push_str("  --cli-input-json | --cli-input-yaml (string) Reads arguments from the JSON\n  (or YAML) string provided. Arguments given on the command line override it.\n\n");
    out.push_str("  --generate-cli-skeleton (string) Prints a JSON skeleton of the input\n  (`input`, the default) or a sample output (`output`) without calling the service.\n\n");
    if spec.paginator.is_some() {
        out.push_str("  --starting-token (string)\n\n      A token to specify where to start paginating (the NextToken of a\n      previously truncated response).\n\n");
        out.push_str("  --page-size (integer)\n\n      The size of each page to get in the AWS service call.\n\n");
        out.push_str("  --max-items (integer)\n\n      The total number of items to return in the command's output. If more\n      are available, a NextToken is provided to resume.\n\n");
    }
    heading(&mut out, "GLOBAL OPTIONS");
    out.push_str("  See 'boto help' for descriptions of global parameters.\n\n");
    heading(&mut out, "OUTPUT");
    match op
        .output
        .as_ref()
        .and_then(|o| model.shape(o.target).as_structure().map(|s| (o, s)))
    {
        Some((o, st)) if !st.members.is_empty() => {
            let shape_name = model.shape(o.target).name.to_string();
            for m in &st.members {
                output_member(
                    &mut out,
                    model,
                    d.as_deref(),
                    &shape_name,
                    &m.name,
                    m.target,
                    2,
                    0,
                );
            }
        }
        _ => out.push_str("  None\n\n"),
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn output_member(
    out: &mut String,
    model: &ServiceModel,
    d: Option<&Json>,
    parent: &str,
    name: &str,
    target: ShapeId,
    indent: usize,
    depth: usize,
) {
    let pad = " ".repeat(indent);
    out.push_str(&format!(
        "{pad}{name} -> ({})\n\n",
        type_label(model, target)
    ));
    if let Some(text) = d
        .and_then(|d| d.get("shapes"))
        .and_then(|s| s.get(parent))
        .and_then(|s| s.get(name))
        .and_then(Json::as_str)
    {
        out.push_str(&html::to_text(text, indent + 4, WIDTH));
    }
    if depth >= 3 {
        return;
    }
    let shape = model.shape(target);
    let (inner_target, inner_name) = match &shape.kind {
        ShapeKind::List { member } => (member.target, None),
        ShapeKind::Map { value, .. } => (value.target, None),
        _ => (target, Some(())),
    };
    let inner = model.shape(inner_target);
    if let Some(st) = inner.as_structure().filter(|s| !s.document) {
        if inner_name.is_none() || matches!(shape.kind, ShapeKind::Structure(_)) {
            let parent = inner.name.to_string();
            for m in &st.members {
                output_member(
                    out,
                    model,
                    d,
                    &parent,
                    &m.name,
                    m.target,
                    indent + 4,
                    depth + 1,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(service: &str, op: &str) -> Option<OpSpec> {
        if Loader::embedded_file_count() == 0 {
            return None;
        }
        let m = Loader::global()
            .service_model(&cmdtable::model_name(service)?)
            .ok()?;
        let i = cmdtable::find_operation(&m, op)?;
        Some(cmdtable::op_spec(service, m, i))
    }

    #[test]
    fn operation_help_has_all_sections() {
        let Some(s) = spec("s3api", "get-object") else {
            return;
        };
        let h = operation_help(&s);
        for needle in [
            "GET-OBJECT\n",
            "DESCRIPTION\n",
            "SYNOPSIS\n",
            "    --bucket <value>\n",
            "    [--version-id <value>]\n",
            "    <outfile>\n",
            "  --bucket (string) [required]\n",
            "  outfile (string)",
            "OUTPUT\n",
            "  ContentLength -> (long)",
        ] {
            assert!(h.contains(needle), "missing {needle:?} in:\n{h}");
        }
        assert!(!h.contains("<p>"), "{h}");
    }

    #[test]
    fn service_and_main_help_list_commands() {
        if Loader::embedded_file_count() == 0 {
            return;
        }
        let m = Loader::global().service_model("s3").unwrap();
        let h = service_help("s3api", &m);
        assert!(h.contains("  o list-objects-v2\n"), "{h}");
        assert!(h.contains("  o wait\n"));
        let h = main_help();
        assert!(
            h.contains("  o s3api\n") && h.contains("  o dynamodb\n") && !h.contains("  o s3\n")
        );
        assert!(h.contains("--endpoint-url (string)"));
    }

    #[test]
    fn boolean_and_enum_options_are_documented() {
        let Some(s) = spec("s3api", "list-objects-v2") else {
            return;
        };
        let h = operation_help(&s);
        assert!(h.contains("[--fetch-owner | --no-fetch-owner]"), "{h}");
        assert!(h.contains("Possible values:\n\n      o url"), "{h}");
        assert!(h.contains("--max-items (integer)"));
        assert!(
            !h.contains("--continuation-token"),
            "paging tokens are hidden"
        );
    }
}
