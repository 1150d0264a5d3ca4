//! Top-level dispatch: `boto [globals] <command> <subcommand> [args]`.
//!
//! Kept free of I/O beyond printing so that every path a typo can take ends
//! in a [`CliError`] with aws-cli's exit code rather than a panic. Only a real
//! call reaches [`crate::exec`]; help, completion, skeletons and parameter
//! errors never start an async runtime or read credentials.

use crate::args::{self, Globals};
use crate::build::{self, BinaryFormat};
use crate::cmdtable::{self, OpSpec};
use crate::error::{code, CliError};
use crate::output::{self, Format, Style};
use boto_model::Loader;
use std::io::Write;

/// Runs the CLI and returns the exit code.
pub fn run(argv: Vec<String>) -> i32 {
    match dispatch(argv) {
        Ok(c) => c,
        Err(e) => {
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(e.render().as_bytes());
            e.code
        }
    }
}

/// Writes to stdout, ignoring a closed pipe (`boto ... | head`).
pub fn print(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

pub fn version() -> String {
    let v = env!("CARGO_PKG_VERSION");
    format!(
        "boto-cli/{v} boto-rs/{v} {}/{}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn dispatch(argv: Vec<String>) -> Result<i32, CliError> {
    let (g, rest) = args::split_globals(&argv)?;
    if g.version {
        print(&format!("{}\n", version()));
        return Ok(code::OK);
    }
    let Some(cmd) = rest.first() else {
        return Err(CliError::usage(
            "the following arguments are required: command",
        ));
    };
    match cmd.as_str() {
        "help" => {
            crate::help::show(&crate::help::main_help());
            return Ok(code::OK);
        }
        "configure" if rest.get(1).is_some_and(|w| w == "export-credentials") => {
            return crate::export_creds::run(&g, &rest[2..])
        }
        "configure" => return crate::configure::run(&g, &rest[1..]),
        "sso" => {
            if let Some(r) = crate::sso::run(&g, &rest[1..]) {
                return r;
            }
        }
        "completion" => return crate::completion::script(&rest[1..]),
        "__complete" => return crate::completion::complete(&rest[1..]),
        "s3" => return crate::s3::run(&g, &rest[1..]),
        _ => {}
    }
    let Some(model_name) = cmdtable::model_name(cmd) else {
        return Err(CliError::usage(
            "the high-level `s3` commands (cp, ls, sync, ...) are not available yet; use `boto s3api <operation>`",
        ));
    };
    let model = match Loader::global().service_model(&model_name) {
        Ok(m) => m,
        Err(boto_model::ModelError::UnknownService { .. }) => {
            let mut choices = cmdtable::services();
            choices.extend(["configure", "help", "completion"].map(String::from));
            return Err(invalid_choice("command", cmd, &choices));
        }
        Err(e) => {
            return Err(CliError::other(format!(
                "Unable to load the {model_name} model: {e}"
            )))
        }
    };
    let Some(op_name) = rest.get(1) else {
        return Err(CliError::usage(
            "the following arguments are required: operation",
        ));
    };
    if op_name == "help" {
        crate::help::show(&crate::help::service_help(cmd, &model));
        return Ok(code::OK);
    }
    if op_name == "wait" && !cmdtable::waiters(&model.service_name).is_empty() {
        return crate::exec::wait_command(&g, cmd, model, &rest[2..]);
    }
    let Some(idx) = cmdtable::find_operation(&model, op_name) else {
        let mut choices: Vec<String> = cmdtable::operations(&model)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        if !cmdtable::waiters(&model.service_name).is_empty() {
            choices.push("wait".into());
        }
        choices.push("help".into());
        return Err(invalid_choice("operation", op_name, &choices));
    };
    let spec = cmdtable::op_spec(cmd, model, idx);
    let words = &rest[2..];
    if words.first().is_some_and(|w| w == "help") {
        crate::help::show(&crate::help::operation_help(&spec));
        return Ok(code::OK);
    }
    run_operation(&g, &spec, words)
}

fn run_operation(g: &Globals, spec: &OpSpec, words: &[String]) -> Result<i32, CliError> {
    let op_args = args::parse_op_args(spec, words)?;
    if let Some(kind) = &op_args.skeleton {
        return skeleton(g, spec, kind == "output");
    }
    let fmt = binary_format(g);
    let built = build::build(spec, &op_args, fmt)?;
    crate::exec::execute(g, spec, built, &op_args)
}

/// The effective `--cli-binary-format` (option, else the profile's `cli_binary_format`).
pub fn binary_format(g: &Globals) -> BinaryFormat {
    let v = g
        .binary_format
        .clone()
        .or_else(|| crate::configure::profile_value(g.profile.as_deref(), "cli_binary_format"));
    match v.as_deref() {
        Some("raw-in-base64-out") => BinaryFormat::RawInBase64Out,
        _ => BinaryFormat::Base64,
    }
}

/// The effective output format: `--output`, `AWS_DEFAULT_OUTPUT`, the profile's `output`, else json.
pub fn output_format(g: &Globals, profile_output: Option<String>) -> Result<Format, CliError> {
    let name = g
        .output
        .clone()
        .or_else(|| {
            std::env::var("AWS_DEFAULT_OUTPUT")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .or(profile_output)
        .unwrap_or_else(|| "json".into());
    Format::parse(&name).ok_or_else(|| {
        CliError::usage(format!(
            "argument --output: Invalid choice, valid choices are:\n\njson | text | table | yaml | yaml-stream\n(got {name:?})"
        ))
    })
}

/// The output style: colour per `--color` (auto = stdout is a terminal), terminal width.
pub fn style(g: &Globals) -> Style {
    let width = output::table::terminal_width();
    let color = match g.color.as_deref() {
        Some("on") => true,
        Some("off") => false,
        _ => width.is_some() && std::env::var_os("NO_COLOR").is_none(),
    };
    Style {
        color,
        width: width.unwrap_or(80),
    }
}

/// The compiled `--query`, if any.
pub fn compile_query(g: &Globals) -> Result<Option<boto_jmespath::Expression>, CliError> {
    match &g.query {
        Some(q) => boto_jmespath::compile(q)
            .map(Some)
            .map_err(|e| CliError::param(format!("Bad value for --query {q}: {e}"))),
        None => Ok(None),
    }
}

/// Formats and prints a result with `--query` applied.
pub fn print_result(
    g: &Globals,
    format: Format,
    title: &str,
    v: &boto_model::Value,
) -> Result<(), CliError> {
    let mut d = output::to_display(v);
    output::strip_metadata(&mut d);
    let query = compile_query(g)?;
    let d = output::apply_query(query.as_ref(), d).map_err(CliError::param)?;
    print(&output::render(format, title, &d, style(g)));
    Ok(())
}

fn skeleton(g: &Globals, spec: &OpSpec, for_output: bool) -> Result<i32, CliError> {
    let model = &spec.model;
    if for_output {
        let v = match &spec.op().output {
            Some(r) => build::skeleton(model, r.target, true),
            None => boto_model::Value::Map(Default::default()),
        };
        let profile_output = crate::configure::profile_value(g.profile.as_deref(), "output");
        let format = output_format(g, profile_output)?;
        print_result(g, format, &spec.op().name, &v)?;
        return Ok(code::OK);
    }
    let v = match spec.input_ref() {
        Some(r) => build::skeleton(model, r.target, false),
        None => boto_model::Value::Map(Default::default()),
    };
    print(&format!(
        "{}\n",
        output::json::to_string(&output::to_display(&v), Some(4))
    ));
    Ok(code::OK)
}

/// argparse's "Invalid choice" error with a "maybe you meant" hint.
pub fn invalid_choice(what: &str, value: &str, choices: &[String]) -> CliError {
    let mut msg = format!("argument {what}: Invalid choice: '{value}'");
    let mut close: Vec<&String> = choices
        .iter()
        .filter(|c| c.starts_with(value) && !value.is_empty())
        .take(5)
        .collect();
    if let Some(s) = boto_model::suggest::closest(value, choices.iter().map(String::as_str)) {
        if let Some(c) = choices.iter().find(|c| **c == s) {
            close.retain(|x| *x != c);
            close.insert(0, c);
        }
    }
    if close.is_empty() {
        if choices.len() <= 60 {
            msg.push_str(", valid choices are:\n\n");
            for pair in choices.chunks(2) {
                let row: Vec<String> = pair.iter().map(|c| format!("{c:<40}")).collect();
                msg.push_str(row.join(" | ").trim_end());
                msg.push('\n');
            }
        } else {
            msg.push_str(", run `boto help` for the list of choices");
        }
    } else {
        msg.push_str(", maybe you meant:\n");
        for c in close {
            msg.push_str(&format!("\n  * {c}"));
        }
    }
    CliError::usage(msg)
}
