//! Splitting the command line into global options and operation arguments.
//!
//! aws-cli lets global options (`--region`, `--output`, ...) appear anywhere,
//! and operation options take one word, a list of words, or nothing
//! (booleans). This module does that word-level work with no knowledge of
//! value syntax; [`crate::build`] turns the words into parameters.

use crate::cmdtable::{ArgKind, OpSpec};
use crate::error::CliError;

/// Global options and their values, as given.
#[derive(Debug, Default, Clone)]
pub struct Globals {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    pub output: Option<String>,
    pub query: Option<String>,
    pub color: Option<String>,
    pub ca_bundle: Option<String>,
    pub read_timeout: Option<String>,
    pub connect_timeout: Option<String>,
    pub binary_format: Option<String>,
    pub debug: bool,
    pub no_paginate: bool,
    pub no_verify_ssl: bool,
    pub no_sign_request: bool,
    pub version: bool,
    pub print_request: bool,
}

/// Global options that take a value.
pub const GLOBAL_VALUED: &[&str] = &[
    "profile",
    "region",
    "endpoint-url",
    "output",
    "query",
    "color",
    "ca-bundle",
    "cli-read-timeout",
    "cli-connect-timeout",
    "cli-binary-format",
];
/// Global flags.
pub const GLOBAL_FLAGS: &[&str] = &[
    "debug",
    "no-paginate",
    "no-verify-ssl",
    "no-sign-request",
    "version",
    "print-request",
    "no-cli-pager",
    "no-cli-auto-prompt",
    "cli-auto-prompt",
];

/// Removes global options from `argv`, returning them and the remaining words.
pub fn split_globals(argv: &[String]) -> Result<(Globals, Vec<String>), CliError> {
    let mut g = Globals::default();
    let mut rest = Vec::with_capacity(argv.len());
    let mut i = 0;
    while i < argv.len() {
        let word = &argv[i];
        i += 1;
        let Some(opt) = word.strip_prefix("--") else {
            rest.push(word.clone());
            continue;
        };
        let (name, inline) = match opt.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (opt, None),
        };
        if GLOBAL_FLAGS.contains(&name) && inline.is_none() {
            match name {
                "debug" => g.debug = true,
                "no-paginate" => g.no_paginate = true,
                "no-verify-ssl" => g.no_verify_ssl = true,
                "no-sign-request" => g.no_sign_request = true,
                "version" => g.version = true,
                "print-request" => g.print_request = true,
                _ => {}
            }
            continue;
        }
        if !GLOBAL_VALUED.contains(&name) {
            rest.push(word.clone());
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => match argv.get(i) {
                Some(v) if !v.starts_with("--") => {
                    i += 1;
                    v.clone()
                }
                _ => {
                    return Err(CliError::usage(format!(
                        "argument --{name}: expected one argument"
                    )))
                }
            },
        };
        let slot = match name {
            "profile" => &mut g.profile,
            "region" => &mut g.region,
            "endpoint-url" => &mut g.endpoint_url,
            "output" => &mut g.output,
            "query" => &mut g.query,
            "color" => &mut g.color,
            "ca-bundle" => &mut g.ca_bundle,
            "cli-read-timeout" => &mut g.read_timeout,
            "cli-connect-timeout" => &mut g.connect_timeout,
            _ => &mut g.binary_format,
        };
        *slot = Some(value);
    }
    if let Some(url) = &g.endpoint_url {
        // aws-cli's own check (customizations/globalargs.py); the runtime
        // then validates the host like botocore's is_valid_endpoint_url.
        if !url.contains("://") {
            return Err(CliError::param(format!(
                "Bad value for --endpoint-url \"{url}\": scheme is missing.  \
                 Must be of the form http://<hostname>/ or https://<hostname>/"
            )));
        }
    }
    check_choice(
        "output",
        &g.output,
        &["json", "text", "table", "yaml", "yaml-stream"],
    )?;
    check_choice("color", &g.color, &["on", "off", "auto"])?;
    check_choice(
        "cli-binary-format",
        &g.binary_format,
        &["base64", "raw-in-base64-out"],
    )?;
    Ok((g, rest))
}

fn check_choice(name: &str, v: &Option<String>, choices: &[&str]) -> Result<(), CliError> {
    match v {
        Some(v) if !choices.contains(&v.as_str()) => Err(CliError::usage(format!(
            "argument --{name}: Invalid choice, valid choices are:\n\n{}",
            choices.join(" | ")
        ))),
        _ => Ok(()),
    }
}

/// The value words given for one argument.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgValue {
    Flag(bool),
    Words(Vec<String>),
}

/// An operation's arguments, at word level.
#[derive(Debug, Default)]
pub struct OpArgs {
    /// (index into `OpSpec::args`, value), last occurrence wins.
    pub values: Vec<(usize, ArgValue)>,
    pub outfile: Option<String>,
    pub cli_input_json: Option<String>,
    pub cli_input_yaml: Option<String>,
    /// `Some("input")`/`Some("output")` when `--generate-cli-skeleton` was given.
    pub skeleton: Option<String>,
    pub starting_token: Option<String>,
    pub page_size: Option<String>,
    pub max_items: Option<String>,
}

/// Parses the words after `<service> <operation>`.
pub fn parse_op_args(spec: &OpSpec, words: &[String]) -> Result<OpArgs, CliError> {
    let mut out = OpArgs::default();
    let mut unknown: Vec<String> = Vec::new();
    let mut positionals: Vec<String> = Vec::new();
    let mut i = 0;
    let takes_values = |i: usize| words.get(i).filter(|w| !w.starts_with("--"));
    while i < words.len() {
        let word = &words[i];
        i += 1;
        let Some(opt) = word.strip_prefix("--") else {
            positionals.push(word.clone());
            continue;
        };
        let (name, inline) = match opt.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (opt, None),
        };
        let single = |i: &mut usize| -> Result<String, CliError> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            match takes_values(*i) {
                Some(v) => {
                    *i += 1;
                    Ok(v.clone())
                }
                None => Err(CliError::usage(format!(
                    "argument --{name}: expected one argument"
                ))),
            }
        };
        let extra = spec.extra_options();
        if extra.contains(&name) {
            match name {
                "generate-cli-skeleton" => {
                    let v = match (&inline, takes_values(i)) {
                        (Some(v), _) => v.clone(),
                        (None, Some(v)) if v == "input" || v == "output" => {
                            i += 1;
                            v.clone()
                        }
                        _ => "input".to_string(),
                    };
                    if v != "input" && v != "output" {
                        return Err(CliError::usage(format!(
                            "argument --generate-cli-skeleton: Invalid choice: '{v}' (choose from 'input', 'output')"
                        )));
                    }
                    out.skeleton = Some(v);
                }
                "cli-input-json" => out.cli_input_json = Some(single(&mut i)?),
                "cli-input-yaml" => out.cli_input_yaml = Some(single(&mut i)?),
                "starting-token" => out.starting_token = Some(single(&mut i)?),
                "page-size" => out.page_size = Some(single(&mut i)?),
                _ => out.max_items = Some(single(&mut i)?),
            }
            continue;
        }
        let Some((idx, positive)) = spec.find_arg(name) else {
            unknown.push(word.clone());
            while let Some(v) = takes_values(i) {
                unknown.push(v.clone());
                i += 1;
            }
            continue;
        };
        let value = match spec.args[idx].kind {
            ArgKind::Bool => {
                if let Some(v) = inline {
                    return Err(CliError::usage(format!(
                        "argument --{name}: ignored explicit argument '{v}'"
                    )));
                }
                ArgValue::Flag(positive)
            }
            ArgKind::List => {
                let mut vals = Vec::new();
                if let Some(v) = inline {
                    vals.push(v);
                } else {
                    while let Some(v) = takes_values(i) {
                        vals.push(v.clone());
                        i += 1;
                    }
                }
                ArgValue::Words(vals)
            }
            ArgKind::Single | ArgKind::StreamIn => ArgValue::Words(vec![single(&mut i)?]),
        };
        out.values.push((idx, value));
    }
    if spec.outfile.is_some() && !positionals.is_empty() {
        out.outfile = Some(positionals.remove(0));
    }
    unknown.extend(positionals);
    if !unknown.is_empty() {
        let mut msg = format!("Unknown options: {}", unknown.join(", "));
        if let Some(first) = unknown.iter().find_map(|u| u.strip_prefix("--")) {
            let first = first.split('=').next().unwrap_or(first);
            let names = spec.option_names();
            if let Some(s) = boto_model::suggest::closest(first, names.iter().map(String::as_str)) {
                msg.push_str(&format!(", did you mean --{s}?"));
            }
        }
        return Err(CliError::usage(msg));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn globals_are_taken_from_anywhere() {
        let (g, rest) = split_globals(&v(&[
            "s3api",
            "--region",
            "eu-west-1",
            "list-buckets",
            "--output=text",
            "--debug",
            "--bucket",
            "b",
        ]))
        .unwrap();
        assert_eq!(g.region.as_deref(), Some("eu-west-1"));
        assert_eq!(g.output.as_deref(), Some("text"));
        assert!(g.debug);
        assert_eq!(rest, v(&["s3api", "list-buckets", "--bucket", "b"]));
    }

    #[test]
    fn global_errors_are_usage_errors() {
        let e = split_globals(&v(&["--region"])).unwrap_err();
        assert_eq!(e.code, 252);
        assert!(e.message.contains("expected one argument"));
        let e = split_globals(&v(&["--output", "xml"])).unwrap_err();
        assert!(e.message.contains("Invalid choice"), "{}", e.message);
    }
}
