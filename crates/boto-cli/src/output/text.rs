//! aws-cli's `text` output (`awscli/text.py`): tab-separated, grep-friendly rows.
//!
//! Scalars of an object go on one line (keys sorted); nested lists and
//! objects follow, each row led by its uppercased key. Lists of objects use
//! the union of their scalar keys as columns, so rows line up.

use super::py_str;
use boto_jmespath::Variable;

/// Formats a result.
pub fn format(v: &Variable) -> String {
    let mut out = String::new();
    item(&mut out, v, None, None);
    out
}

fn is_scalar(v: &Variable) -> bool {
    !matches!(v, Variable::Array(_) | Variable::Object(_))
}

fn item(out: &mut String, v: &Variable, ident: Option<&str>, scalar_keys: Option<&[String]>) {
    match v {
        Variable::Object(_) => dict(out, v, ident, scalar_keys),
        Variable::Array(a) => list(out, a, ident),
        other => {
            out.push_str(&py_str(other));
            out.push('\n');
        }
    }
}

fn list(out: &mut String, items: &[Variable], ident: Option<&str>) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(|e| matches!(e, Variable::Object(_))) {
        let keys = all_scalar_keys(items);
        for e in items {
            item(out, e, ident, Some(&keys));
        }
    } else if items.iter().any(|e| matches!(e, Variable::Array(_))) {
        let (scalars, rest): (Vec<&Variable>, Vec<&Variable>) =
            items.iter().partition(|e| is_scalar(e));
        if !scalars.is_empty() {
            scalar_list(out, &scalars, ident);
        }
        for e in rest {
            item(out, e, ident, None);
        }
    } else {
        let all: Vec<&Variable> = items.iter().collect();
        scalar_list(out, &all, ident);
    }
}

fn scalar_list(out: &mut String, items: &[&Variable], ident: Option<&str>) {
    match ident {
        Some(id) => {
            for e in items {
                out.push_str(&format!("{}\t{}\n", id.to_uppercase(), py_str(e)));
            }
        }
        None => {
            let parts: Vec<String> = items.iter().map(|e| py_str(e)).collect();
            out.push_str(&parts.join("\t"));
            out.push('\n');
        }
    }
}

fn all_scalar_keys(items: &[Variable]) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for e in items {
        if let Variable::Object(m) = e {
            for (k, v) in m {
                if is_scalar(v) && !keys.contains(k) {
                    keys.push(k.clone());
                }
            }
        }
    }
    keys.sort();
    keys
}

fn dict(out: &mut String, v: &Variable, ident: Option<&str>, scalar_keys: Option<&[String]>) {
    let Variable::Object(m) = v else { return };
    let mut scalars: Vec<String> = Vec::new();
    let mut rest: Vec<(&String, &Variable)> = Vec::new();
    match scalar_keys {
        None => {
            let mut entries: Vec<(&String, &Variable)> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            for (k, v) in entries {
                if is_scalar(v) {
                    scalars.push(py_str(v));
                } else {
                    rest.push((k, v));
                }
            }
        }
        Some(keys) => {
            for k in keys {
                scalars.push(m.get(k).map(py_str).unwrap_or_default());
            }
            let mut remaining: Vec<(&String, &Variable)> =
                m.iter().filter(|(k, _)| !keys.contains(k)).collect();
            remaining.sort_by(|a, b| a.0.cmp(b.0));
            rest = remaining;
        }
    }
    if !scalars.is_empty() {
        if let Some(id) = ident {
            scalars.insert(0, id.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (k, v) in rest {
        item(out, v, Some(k), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::to_display;
    use boto_model::value;

    #[test]
    fn matches_aws_cli_text() {
        let v = to_display(&value!({
            "Buckets": [
                {"Name": "b1", "CreationDate": "2024-01-01T00:00:00+00:00"},
                {"Name": "b2", "CreationDate": "2024-01-02T00:00:00+00:00"}
            ],
            "Owner": {"ID": "abc", "DisplayName": "me"}
        }));
        assert_eq!(
            format(&v),
            "BUCKETS\t2024-01-01T00:00:00+00:00\tb1\nBUCKETS\t2024-01-02T00:00:00+00:00\tb2\nOWNER\tme\tabc\n"
        );
    }

    /// Outputs of aws-cli's own `text.format_text` for the same data.
    const GOLDEN: &[(&str, &str)] = &[
        (r#"{"Account": "123456789012"}"#, "123456789012\n"),
        (r#"["a", "b"]"#, "a\tb\n"),
        (r#"{"A": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "B": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}"#, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\txxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"),
        (r#"{"Reservations": [{"ReservationId": "r-1", "Instances": [{"InstanceId": "i-1", "State": {"Name": "running", "Code": 16}, "Tags": [{"Key": "Name", "Value": "web"}]}, {"InstanceId": "i-2", "State": {"Name": "stopped", "Code": 80}}]}]}"#, "RESERVATIONS\tr-1\nINSTANCES\ti-1\nSTATE\t16\trunning\nTAGS\tName\tweb\nINSTANCES\ti-2\nSTATE\t80\tstopped\n"),
        (r#"[["a", 1], ["b", 2]]"#, "a\t1\nb\t2\n"),
        (r#"{"Name": "日本語テキスト", "Size": 1.5, "Ok": true, "N": null}"#, "None\t日本語テキスト\tTrue\t1.5\n"),
    ];

    #[test]
    fn matches_aws_cli_golden() {
        for (json, expected) in GOLDEN {
            let j: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(
                &format(&to_display(&boto_model::Value::from_json(&j))),
                expected,
                "{json}"
            );
        }
    }

    #[test]
    fn scalars_lists_and_missing_keys() {
        assert_eq!(format(&to_display(&value!(["a", "b", 1]))), "a\tb\t1\n");
        assert_eq!(format(&to_display(&value!("x"))), "x\n");
        assert_eq!(
            format(&to_display(&value!({"Names": ["a", "b"], "Flag": true}))),
            "True\nNAMES\ta\nNAMES\tb\n"
        );
        assert_eq!(
            format(&to_display(&value!([{"A": 1, "B": 2}, {"A": 3, "C": [4]}]))),
            "1\t2\n3\t\nC\t4\n"
        );
        assert_eq!(format(&to_display(&value!([[1, 2], [3]]))), "1\t2\n3\n");
        assert_eq!(format(&to_display(&value!(null))), "None\n");
    }
}
