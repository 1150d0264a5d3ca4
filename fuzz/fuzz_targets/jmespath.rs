//! JMESPath: compile arbitrary expressions and evaluate them on arbitrary JSON.
//!
//! Input: the expression, then optionally a NUL byte and a JSON document (a fixed
//! document with every JSON type is used when that part is missing or not JSON).
//!
//! Checked: no panic or hang (depth limits hold for hostile nesting), a compiled
//! expression keeps its source text, and every result serializes to valid JSON (the
//! CLI prints `--query` results that way).

#![no_main]

use boto_fuzz::seeds::{write_if_requested, Seeds};
use boto_fuzz::skeleton::{node, to_json};
use boto_jmespath::{compile, Variable};
use boto_model::{Loader, ModelFile};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const DEFAULT_DOC: &str = r#"{"a": {"b": [1, 2.5, -3, "x", null, true, false, [4, 5], {"c": "d"}]},
 "Reservations": [{"Instances": [{"InstanceId": "i-1", "State": {"Name": "running"}, "Tags": [{"Key": "Name", "Value": "web"}]},
                                 {"InstanceId": "i-2", "State": {"Name": "stopped"}, "Tags": []}]}],
 "NextToken": "tok", "IsTruncated": true, "n": 9007199254740993, "f": 1e300, "s": "héllo", "e": [], "o": {}}"#;

fn default_doc() -> &'static Variable {
    static D: OnceLock<Variable> = OnceLock::new();
    D.get_or_init(|| {
        Variable::from(serde_json::from_str::<serde_json::Value>(DEFAULT_DOC).expect("doc"))
    })
}

fuzz_target!(init: write_if_requested(collect_seeds), |data: &[u8]| {
    let (expr, doc) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(expr) = std::str::from_utf8(expr) else { return };
    let Ok(compiled) = compile(expr) else { return };
    assert_eq!(compiled.as_str(), expr);
    let parsed = doc.and_then(|d| serde_json::from_slice::<serde_json::Value>(d).ok()).map(Variable::from);
    let doc = parsed.as_ref().unwrap_or_else(|| default_doc());
    if let Ok(result) = compiled.search(doc) {
        let text = result.to_json_string();
        assert!(
            serde_json::from_str::<serde_json::Value>(&text).is_ok(),
            "result is not valid JSON: {text}"
        );
    }
});

fn collect_seeds(s: &mut Seeds) {
    let exprs = [
        "a.b[0]",
        "a.b[-1]",
        "a.b[1:3]",
        "a.b[::-1]",
        "a.b[?@ > `1`]",
        "a.*",
        "a.b[*]",
        "[a, a.b]",
        "{x: a, y: NextToken}",
        "a.b[] | [0]",
        "Reservations[].Instances[].InstanceId",
        "Reservations[].Instances[?State.Name=='running'].Tags[?Key=='Name'].Value | []",
        "length(a.b)",
        "sort_by(Reservations[0].Instances, &InstanceId)[].InstanceId",
        "max_by(Reservations[0].Instances, &InstanceId)",
        "to_string(n)",
        "to_number('12')",
        "join(',', ['a', 'b'])",
        "contains(s, 'é')",
        "starts_with(s, 'h')",
        "avg([`1`, `2`])",
        "sum([f, f])",
        "abs(`-1`)",
        "ceil(`1.5`)",
        "floor(`1.5`)",
        "keys(@)",
        "values(o)",
        "merge(`{\"a\":1}`, `{\"b\":2}`)",
        "not_null(e, o, a)",
        "reverse(s)",
        "type(n)",
        "map(&to_string(@), a.b)",
        "min_by(a.b[7:], &@)",
        "!IsTruncated",
        "IsTruncated && NextToken",
        "a || n",
        "`\"lit\"`",
        "'raw\\'s'",
        "\"quoted id\"",
        "@",
        "*[0]",
        "a.b[?!(@ == `null`)]",
        "ends_with(s, 'o')",
        "to_array(n)",
        "sort(keys(@))",
        "length(s)",
        "n > `1` || f < `2`",
    ];
    for e in exprs {
        s.add(e.as_bytes());
        s.add(format!("{e}\0{DEFAULT_DOC}").into_bytes());
    }
    // Paginator and waiter expressions from the models, each on a skeleton of its operation's output.
    for svc in [
        "s3",
        "ec2",
        "dynamodb",
        "iam",
        "lambda",
        "rds",
        "cloudformation",
        "ecs",
        "logs",
    ] {
        let model = Loader::global().service_model(svc).expect("model");
        let mut found: Vec<(String, String)> = Vec::new();
        if let Ok(Some(p)) = Loader::global().json(svc, ModelFile::Paginators) {
            for (op, cfg) in p["pagination"].as_object().into_iter().flatten() {
                for key in [
                    "result_key",
                    "output_token",
                    "more_results",
                    "non_aggregate_keys",
                ] {
                    for e in strings(&cfg[key]) {
                        found.push((op.clone(), e));
                    }
                }
            }
        }
        if let Ok(Some(w)) = Loader::global().json(svc, ModelFile::Waiters) {
            for cfg in w["waiters"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(_, v)| v)
            {
                let op = cfg["operation"].as_str().unwrap_or_default().to_string();
                for a in cfg["acceptors"].as_array().into_iter().flatten() {
                    if let Some(e) = a["argument"].as_str() {
                        found.push((op.clone(), e.to_string()));
                    }
                }
            }
        }
        for (op, e) in found.into_iter().take(40) {
            let doc = model
                .operation(&op)
                .and_then(|o| o.output.as_ref())
                .map(|r| to_json(&node(&model, r, 0)).to_string())
                .unwrap_or_else(|| "{}".into());
            s.add(format!("{e}\0{doc}").into_bytes());
        }
    }
    for w in [
        "[?",
        "]",
        "[*]",
        "[]",
        "&",
        "|",
        "||",
        "&&",
        "!",
        "==",
        "!=",
        "<=",
        ">=",
        "`",
        "'",
        "@",
        "length(",
        "sort_by(",
        "max_by(",
        "to_string(",
        "join(",
        "merge(",
        "map(",
        "keys(",
        "values(",
        "not_null(",
        "contains(",
        "to_number(",
        "reverse(",
        "abs(",
        "avg(",
        "sum(",
        "min(",
        "type(",
    ] {
        s.word(w);
    }
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}
