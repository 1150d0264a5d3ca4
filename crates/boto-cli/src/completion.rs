//! Shell completion: `boto completion bash|zsh|fish` prints a script whose
//! completer calls back into `boto __complete <words...>`.
//!
//! Completion is model-driven and computed by the binary itself (services,
//! operations, waiters, option names, enum values, global option values), so
//! the scripts stay tiny and always match the models in the build; one
//! completion loads at most one service model, which keeps it fast enough to
//! run on every Tab.

use crate::args::{GLOBAL_FLAGS, GLOBAL_VALUED};
use crate::cmdtable;
use crate::error::{code, CliError};
use boto_model::{Loader, ShapeKind};

const BASH: &str = r#"# boto bash completion: eval "$(boto completion bash)"
_boto_complete() {
    local IFS=$'\n'
    COMPREPLY=( $(boto __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null) )
}
complete -o default -F _boto_complete boto
"#;

const ZSH: &str = r#"#compdef boto
# boto zsh completion: eval "$(boto completion zsh)"
_boto() {
    local -a candidates
    candidates=("${(@f)$(boto __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    compadd -- $candidates
}
compdef _boto boto
"#;

const FISH: &str = r#"# boto fish completion: boto completion fish | source
function __boto_complete
    set -l tokens (commandline -opc) (commandline -ct)
    boto __complete $tokens[2..-1] 2>/dev/null
end
complete -c boto -f -a '(__boto_complete)'
"#;

/// `boto completion <shell>`.
pub fn script(words: &[String]) -> Result<i32, CliError> {
    let s = match words.first().map(String::as_str) {
        Some("bash") => BASH,
        Some("zsh") => ZSH,
        Some("fish") => FISH,
        Some(other) => {
            return Err(crate::driver::invalid_choice(
                "shell",
                other,
                &["bash".into(), "zsh".into(), "fish".into()],
            ))
        }
        None => {
            return Err(CliError::usage(
                "the following arguments are required: shell (bash, zsh or fish)",
            ))
        }
    };
    crate::driver::print(s);
    Ok(code::OK)
}

/// `boto __complete <words...>`: prints candidates for the last word, one per line.
pub fn complete(words: &[String]) -> Result<i32, CliError> {
    let out = candidates(words);
    let mut s = out.join("\n");
    if !s.is_empty() {
        s.push('\n');
    }
    crate::driver::print(&s);
    Ok(code::OK)
}

fn choices_for_global(name: &str) -> Vec<String> {
    let v: &[&str] = match name {
        "output" => &["json", "text", "table", "yaml", "yaml-stream"],
        "color" => &["on", "off", "auto"],
        "cli-binary-format" => &["base64", "raw-in-base64-out"],
        "profile" => return profiles(),
        _ => &[],
    };
    v.iter().map(|s| s.to_string()).collect()
}

fn profiles() -> Vec<String> {
    let mut out = Vec::new();
    for (path, strip) in [
        (crate::configure::config_path(), true),
        (crate::configure::credentials_path(), false),
    ] {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for line in text.lines() {
            let t = line.trim();
            if let Some(sec) = t.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
                let name = if strip {
                    sec.strip_prefix("profile ").unwrap_or(sec)
                } else {
                    sec
                };
                let name = name.trim().to_string();
                if !name.starts_with("sso-session")
                    && !name.starts_with("services")
                    && !out.contains(&name)
                {
                    out.push(name);
                }
            }
        }
    }
    out
}

fn globals() -> Vec<String> {
    GLOBAL_VALUED
        .iter()
        .chain(GLOBAL_FLAGS.iter())
        .map(|s| format!("--{s}"))
        .collect()
}

/// The completion candidates for `words` (the last one is the word being typed).
pub fn candidates(words: &[String]) -> Vec<String> {
    let (current, before) = match words.split_last() {
        Some((c, b)) => (c.as_str(), b),
        None => ("", &[][..]),
    };
    // Previous word a valued global option: complete its value.
    if let Some(prev) = before.last().and_then(|p| p.strip_prefix("--")) {
        if GLOBAL_VALUED.contains(&prev) {
            return filter(choices_for_global(prev), current);
        }
    }
    // Positional words with global options (and their values) removed.
    let mut pos: Vec<&str> = Vec::new();
    let mut used: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < before.len() {
        let w = before[i].as_str();
        i += 1;
        if let Some(name) = w.strip_prefix("--") {
            if GLOBAL_VALUED.contains(&name) {
                i += 1;
            } else {
                used.push(name);
            }
            continue;
        }
        pos.push(w);
    }
    let mut out: Vec<String> = Vec::new();
    if current.starts_with('-') {
        out.extend(globals());
    }
    match pos.as_slice() {
        [] => {
            if !current.starts_with('-') {
                out.extend(cmdtable::services());
                out.extend(["configure", "help", "completion"].map(String::from));
            }
        }
        ["configure"] => out.extend(["list", "get", "set"].map(String::from)),
        ["completion"] => out.extend(["bash", "zsh", "fish"].map(String::from)),
        [service, rest @ ..] => {
            let Some(model) =
                cmdtable::model_name(service).and_then(|m| Loader::global().service_model(&m).ok())
            else {
                return filter(out, current);
            };
            match rest {
                [] => {
                    out.extend(cmdtable::operations(&model).into_iter().map(|(n, _)| n));
                    if !cmdtable::waiters(&model.service_name).is_empty() {
                        out.push("wait".into());
                    }
                    out.push("help".into());
                }
                ["wait"] => out.extend(
                    cmdtable::waiters(&model.service_name)
                        .into_iter()
                        .map(|(k, _)| k),
                ),
                [op, ..] => {
                    let op_idx = if *op == "wait" {
                        rest.get(1).and_then(|w| waiter_operation(&model, w))
                    } else {
                        cmdtable::find_operation(&model, op)
                    };
                    if let Some(idx) = op_idx {
                        let spec = cmdtable::op_spec(service, model.clone(), idx);
                        if current.starts_with('-') {
                            for n in spec.option_names() {
                                if !used.contains(&n.as_str()) {
                                    out.push(format!("--{n}"));
                                }
                            }
                        } else if let Some((ai, _)) = before
                            .last()
                            .and_then(|p| p.strip_prefix("--"))
                            .and_then(|p| spec.find_arg(p))
                        {
                            let shape = spec.model.shape(spec.args[ai].target);
                            out.extend(shape.enum_values.iter().map(|e| e.to_string()));
                            if let ShapeKind::List { member } = &shape.kind {
                                out.extend(
                                    spec.model
                                        .shape(member.target)
                                        .enum_values
                                        .iter()
                                        .map(|e| e.to_string()),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    filter(out, current)
}

fn waiter_operation(model: &boto_model::ServiceModel, waiter: &str) -> Option<usize> {
    let waiters = cmdtable::waiters(&model.service_name);
    let (_, name) = waiters.iter().find(|(k, _)| k == waiter)?;
    let doc = Loader::global()
        .json(&model.service_name, boto_model::ModelFile::Waiters)
        .ok()??;
    let op = doc.get("waiters")?.get(name)?.get("operation")?.as_str()?;
    model.operations().iter().position(|o| &*o.name == op)
}

fn filter(mut v: Vec<String>, prefix: &str) -> Vec<String> {
    v.retain(|c| c.starts_with(prefix));
    v.sort();
    v.dedup();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(words: &[&str]) -> Vec<String> {
        candidates(&words.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn completes_globals_and_values() {
        assert_eq!(c(&["--output", "t"]), vec!["table", "text"]);
        assert!(c(&["--reg"]).contains(&"--region".to_string()));
        assert_eq!(c(&["completion", "z"]), vec!["zsh"]);
    }

    #[test]
    fn completes_services_operations_and_options() {
        if Loader::embedded_file_count() == 0 {
            return;
        }
        assert!(c(&["dynam"]).contains(&"dynamodb".to_string()));
        assert!(c(&["s3"]).contains(&"s3api".to_string()));
        assert!(c(&["s3api", "list-obj"]).contains(&"list-objects-v2".to_string()));
        assert!(c(&["--region", "x", "s3api", "list-objects-v2", "--buc"])
            .contains(&"--bucket".to_string()));
        assert!(
            c(&["s3api", "list-objects-v2", "--encoding-type", ""]).contains(&"url".to_string())
        );
        assert!(c(&["s3api", "wait", "bucket"]).contains(&"bucket-exists".to_string()));
        assert!(c(&["s3api", "wait", "bucket-exists", "--"]).contains(&"--bucket".to_string()));
        assert!(c(&["nosuchservice", ""]).is_empty());
    }
}
