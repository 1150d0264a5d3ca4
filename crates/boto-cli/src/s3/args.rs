//! Command-line parsing for `boto s3 <command>`: aws-cli's `ARG_TABLE`s
//! (`awscli/customizations/s3/subcommands.py`) as data.
//!
//! aws-cli lets options and positionals mix in any order and keeps
//! `--include`/`--exclude` in the order given (later filters win), so this is
//! a small word-level parser of its own rather than the model-driven one in
//! [`crate::args`]. Errors read like argparse's and exit 252.

use crate::error::CliError;

/// Which filter an `--include`/`--exclude` word was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    Include,
    Exclude,
}

/// Parsed options of one `boto s3` command.
#[derive(Debug, Default, Clone)]
pub struct S3Args {
    pub paths: Vec<String>,
    pub recursive: bool,
    pub dryrun: bool,
    pub quiet: bool,
    pub only_show_errors: bool,
    pub no_progress: bool,
    pub human_readable: bool,
    pub summarize: bool,
    pub force: bool,
    pub delete: bool,
    pub size_only: bool,
    pub exact_timestamps: bool,
    pub follow_symlinks: bool,
    pub guess_mime_type: bool,
    pub ignore_glacier_warnings: bool,
    pub force_glacier_transfer: bool,
    pub page_size: Option<u64>,
    pub expires_in: Option<u64>,
    pub filters: Vec<(FilterKind, String)>,
    pub acl: Option<String>,
    pub sse: Option<String>,
    pub sse_kms_key_id: Option<String>,
    pub storage_class: Option<String>,
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    pub content_disposition: Option<String>,
    pub content_encoding: Option<String>,
    pub content_language: Option<String>,
    pub expires: Option<String>,
    pub website_redirect: Option<String>,
    pub metadata: Vec<(String, String)>,
    pub metadata_directive: Option<String>,
    pub expected_size: Option<u64>,
    pub request_payer: Option<String>,
}

const TRANSFER_FLAGS: &[&str] = &[
    "dryrun",
    "quiet",
    "follow-symlinks",
    "no-follow-symlinks",
    "no-guess-mime-type",
    "only-show-errors",
    "no-progress",
    "ignore-glacier-warnings",
    "force-glacier-transfer",
];
const TRANSFER_VALUED: &[&str] = &[
    "include",
    "exclude",
    "acl",
    "sse",
    "sse-kms-key-id",
    "storage-class",
    "website-redirect",
    "content-type",
    "cache-control",
    "content-disposition",
    "content-encoding",
    "content-language",
    "expires",
    "page-size",
    "request-payer",
];

/// (flags, valued options) accepted by `cmd`.
fn table(cmd: &str) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut flags: Vec<&str> = Vec::new();
    let mut valued: Vec<&str> = Vec::new();
    match cmd {
        "ls" => {
            flags.extend(["recursive", "human-readable", "summarize"]);
            valued.extend(["page-size", "request-payer"]);
        }
        "cp" | "mv" | "sync" => {
            flags.extend(TRANSFER_FLAGS);
            valued.extend(TRANSFER_VALUED);
            valued.extend(["metadata", "metadata-directive"]);
            if cmd == "sync" {
                flags.extend(["delete", "size-only", "exact-timestamps"]);
            } else {
                flags.push("recursive");
            }
            if cmd == "cp" {
                valued.push("expected-size");
            }
        }
        "rm" => {
            flags.extend(["dryrun", "quiet", "recursive", "only-show-errors"]);
            valued.extend(["include", "exclude", "page-size", "request-payer"]);
        }
        "rb" => flags.push("force"),
        "presign" => valued.push("expires-in"),
        _ => {}
    }
    (flags, valued)
}

/// How many positionals `cmd` takes: (min, max).
fn arity(cmd: &str) -> (usize, usize) {
    match cmd {
        "ls" => (0, 1),
        "cp" | "mv" | "sync" => (2, 2),
        _ => (1, 1),
    }
}

fn int_arg(name: &str, v: &str) -> Result<u64, CliError> {
    v.trim()
        .parse::<i64>()
        .map(|n| n.max(0) as u64)
        .map_err(|_| CliError::usage(format!("argument --{name}: invalid int value: '{v}'")))
}

/// `--metadata` as `k=v,k2=v2` (shorthand) or a JSON object.
fn parse_metadata(v: &str) -> Result<Vec<(String, String)>, CliError> {
    let t = v.trim();
    if t.starts_with('{') {
        let parsed: serde_json::Value = serde_json::from_str(t).map_err(|e| {
            CliError::param(format!(
                "Error parsing parameter '--metadata': Invalid JSON: {e}\nJSON received: {v}"
            ))
        })?;
        let Some(obj) = parsed.as_object() else {
            return Err(CliError::param(
                "Error parsing parameter '--metadata': expected a JSON object",
            ));
        };
        return obj
            .iter()
            .map(|(k, v)| match v.as_str() {
                Some(s) => Ok((k.clone(), s.to_string())),
                None => Err(CliError::param(format!(
                    "Invalid type for parameter Metadata.{k}, value: {v}, type: <class 'int'>, valid types: <class 'str'>"
                ))),
            })
            .collect();
    }
    let mut out = Vec::new();
    for pair in t.split(',').filter(|p| !p.is_empty()) {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(CliError::param(format!(
                "Error parsing parameter '--metadata': Expected: '=', received: 'EOF' for input:\n{v}"
            )));
        };
        out.push((k.trim().to_string(), v.trim().to_string()));
    }
    Ok(out)
}

/// Parses the words after `boto s3 <cmd>`.
pub fn parse(cmd: &str, words: &[String]) -> Result<S3Args, CliError> {
    let (flags, valued) = table(cmd);
    let mut a = S3Args {
        follow_symlinks: true,
        guess_mime_type: true,
        ..Default::default()
    };
    let mut unknown = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        i += 1;
        // A lone `-` is stdin/stdout, a positional.
        let Some(opt) = word.strip_prefix("--") else {
            a.paths.push(word.clone());
            continue;
        };
        let (name, inline) = match opt.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (opt, None),
        };
        if flags.contains(&name) {
            if let Some(v) = inline {
                return Err(CliError::usage(format!(
                    "argument --{name}: ignored explicit argument '{v}'"
                )));
            }
            match name {
                "recursive" => a.recursive = true,
                "dryrun" => a.dryrun = true,
                "quiet" => a.quiet = true,
                "only-show-errors" => a.only_show_errors = true,
                "no-progress" => a.no_progress = true,
                "human-readable" => a.human_readable = true,
                "summarize" => a.summarize = true,
                "force" => a.force = true,
                "delete" => a.delete = true,
                "size-only" => a.size_only = true,
                "exact-timestamps" => a.exact_timestamps = true,
                "follow-symlinks" => a.follow_symlinks = true,
                "no-follow-symlinks" => a.follow_symlinks = false,
                "no-guess-mime-type" => a.guess_mime_type = false,
                "ignore-glacier-warnings" => a.ignore_glacier_warnings = true,
                "force-glacier-transfer" => a.force_glacier_transfer = true,
                _ => {}
            }
            continue;
        }
        if !valued.contains(&name) {
            unknown.push(word.clone());
            continue;
        }
        let value = match inline {
            Some(v) => v,
            None => match words.get(i) {
                // argparse takes a following word unless it looks like an option.
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
            "include" => {
                a.filters.push((FilterKind::Include, value));
                continue;
            }
            "exclude" => {
                a.filters.push((FilterKind::Exclude, value));
                continue;
            }
            "page-size" => {
                a.page_size = Some(int_arg(name, &value)?);
                continue;
            }
            "expires-in" => {
                a.expires_in = Some(int_arg(name, &value)?);
                continue;
            }
            "expected-size" => {
                a.expected_size = Some(int_arg(name, &value)?);
                continue;
            }
            "metadata" => {
                a.metadata = parse_metadata(&value)?;
                continue;
            }
            "acl" => &mut a.acl,
            "sse" => &mut a.sse,
            "sse-kms-key-id" => &mut a.sse_kms_key_id,
            "storage-class" => &mut a.storage_class,
            "content-type" => &mut a.content_type,
            "cache-control" => &mut a.cache_control,
            "content-disposition" => &mut a.content_disposition,
            "content-encoding" => &mut a.content_encoding,
            "content-language" => &mut a.content_language,
            "expires" => &mut a.expires,
            "website-redirect" => &mut a.website_redirect,
            "metadata-directive" => &mut a.metadata_directive,
            _ => &mut a.request_payer,
        };
        *slot = Some(value);
    }
    let (min, max) = arity(cmd);
    if a.paths.len() > max {
        unknown.extend(a.paths.drain(max..));
    }
    if !unknown.is_empty() {
        return Err(CliError::usage(format!(
            "Unknown options: {}",
            unknown.join(", ")
        )));
    }
    if a.paths.len() < min {
        return Err(CliError::usage(
            "the following arguments are required: paths",
        ));
    }
    if let Some(sse) = &a.sse {
        if sse != "AES256" && sse != "aws:kms" {
            return Err(CliError::usage(format!(
                "argument --sse: Invalid choice, valid choices are:\n\nAES256 | aws:kms\n(got '{sse}')"
            )));
        }
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn filters_keep_their_order_and_options_mix_with_paths() {
        let a = parse(
            "sync",
            &w(&[
                "--exclude",
                "*",
                "src",
                "--include=*.txt",
                "s3://b/p",
                "--delete",
            ]),
        )
        .unwrap();
        assert_eq!(a.paths, w(&["src", "s3://b/p"]));
        assert_eq!(
            a.filters,
            vec![
                (FilterKind::Exclude, "*".to_string()),
                (FilterKind::Include, "*.txt".to_string())
            ]
        );
        assert!(a.delete && a.follow_symlinks);
    }

    #[test]
    fn bad_command_lines_are_usage_errors() {
        assert_eq!(parse("cp", &w(&["a"])).unwrap_err().code, 252);
        assert_eq!(parse("cp", &w(&["a", "b", "c"])).unwrap_err().code, 252);
        assert_eq!(parse("ls", &w(&["--delete"])).unwrap_err().code, 252);
        assert_eq!(parse("cp", &w(&["a", "b", "--acl"])).unwrap_err().code, 252);
        assert_eq!(
            parse("ls", &w(&["--page-size", "x"])).unwrap_err().code,
            252
        );
        assert!(parse("cp", &w(&["a", "b", "--sse", "bad"])).is_err());
    }

    #[test]
    fn metadata_shorthand_and_json() {
        let a = parse("cp", &w(&["a", "b", "--metadata", "k=v,x=y"])).unwrap();
        assert_eq!(a.metadata[1], ("x".into(), "y".into()));
        let a = parse("cp", &w(&["a", "b", "--metadata", r#"{"k":"v"}"#])).unwrap();
        assert_eq!(a.metadata, vec![("k".into(), "v".into())]);
        assert!(parse("cp", &w(&["a", "b", "--metadata", "novalue"])).is_err());
    }
}
