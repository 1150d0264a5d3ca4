//! Runs botocore's configured-endpoint-URL conformance cases (`profile-tests.json`).
//!
//! Each case writes a config file exactly as botocore's test does, points
//! `AWS_CONFIG_FILE` at it, selects the profile and resolves the endpoint URL
//! for the service. When configured endpoints are ignored or absent, the
//! expected URL is the one endpoint rules would produce; this crate has no
//! rules engine, so such cases check that nothing configured was returned and
//! compare against `https://<service>.<region>.amazonaws.com` with the region
//! resolved from the same profile (exact for the services in the suite).
//!
//! It also runs botocore's two per-service checks over every model in
//! `$BOTO_MODELS_DIR` (default `.data/models`): `AWS_ENDPOINT_URL_<SERVICE_ID>`
//! and a `[services]` entry named after the service id must both be honoured
//! for the client name, which exercises the client-name → service-id table.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use boto_auth::config::{
    resolve_configured_endpoint_url, snake_case_service_id, ConfigResolver, Env, ProfileSelection,
    ProfileSet,
};
use serde_json::{Map, Value};

fn ini_section(values: &Map<String, Value>, header: &str) -> String {
    let mut out = format!("[{header}]\n");
    for (k, v) in values {
        match v {
            Value::Object(nested) => {
                out.push_str(&format!("{k} =\n"));
                for (nk, nv) in nested {
                    out.push_str(&format!("  {nk}={}\n", scalar(nv)));
                }
            }
            other => out.push_str(&format!("{k}={}\n", scalar(other))),
        }
    }
    out + "\n"
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        // Python writes booleans as True/False.
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        other => other.to_string(),
    }
}

fn normalize(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => format!(
            "{scheme}://{}",
            rest.split(['/', '?', '#']).next().unwrap_or("")
        ),
        None => url.to_string(),
    }
}

fn run_case(suite: &Value, case: &Value, dir: &std::path::Path) -> Result<(), String> {
    let profile_name = case["profile"].as_str().ok_or("case without profile")?;
    let service = case["service"].as_str().ok_or("case without service")?;
    let expected = case["output"]["endpointUrl"]
        .as_str()
        .ok_or("case without expected endpointUrl")?;
    let profile = suite["profiles"][profile_name]
        .as_object()
        .ok_or("unknown profile")?;
    let mut config = ini_section(profile, &format!("profile {profile_name}"));
    if let Some(services_name) = profile.get("services").and_then(Value::as_str) {
        let services = suite["services"][services_name]
            .as_object()
            .ok_or("unknown services section")?;
        config += &ini_section(services, &format!("services {services_name}"));
    }
    let config_path = dir.join("config");
    std::fs::write(&config_path, config).map_err(|e| e.to_string())?;

    let mut env = Env::from_vars([(
        "AWS_CONFIG_FILE",
        config_path.to_string_lossy().into_owned(),
    )])
    .with_home(dir);
    let env_name = case["environment"].as_str().unwrap_or("default");
    if let Some(vars) = suite["environments"][env_name].as_object() {
        for (k, v) in vars {
            env = env.with_var(k.clone(), scalar(v));
        }
    }
    let client_name = case["client_config"].as_str().unwrap_or("default");
    let client = suite["client_configs"][client_name]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let explicit_url = client.get("endpoint_url").and_then(Value::as_str);
    let ignore = client
        .get("ignore_configured_endpoint_urls")
        .and_then(Value::as_bool);

    let profiles = Arc::new(ProfileSet::load(&env).map_err(|e| e.to_string())?);
    let selection = ProfileSelection::resolve(Some(profile_name), &env);
    let resolver = ConfigResolver::new(env.clone(), profiles.clone(), &selection)
        .map_err(|e| e.to_string())?;
    let resolved = resolve_configured_endpoint_url(
        explicit_url,
        ignore,
        &snake_case_service_id(service),
        &env,
        &profiles,
        resolver.profile(),
    )
    .map_err(|e| e.to_string())?;
    let actual = match resolved {
        Some(r) => normalize(&r.url),
        None => {
            let region = resolver
                .region(None)
                .ok_or("no region resolved for the rules fallback")?
                .value;
            format!("https://{service}.{region}.amazonaws.com")
        }
    };
    if actual == expected {
        Ok(())
    } else {
        Err(format!("expected {expected}, got {actual}"))
    }
}

/// `metadata.serviceId` of a model, found without parsing the whole (large) file.
fn service_id(model: &str) -> Option<String> {
    let at = model.find("\"serviceId\"")?;
    let rest = &model[at + "\"serviceId\"".len()..];
    let rest = rest
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

fn per_service_case(
    client_name: &str,
    service_id: &str,
    dir: &std::path::Path,
) -> Result<(), String> {
    let expected = "https://endpoint-override";
    let env_var = format!(
        "AWS_ENDPOINT_URL_{}",
        service_id.replace(' ', "_").to_uppercase()
    );
    let env = Env::from_vars([(env_var.as_str(), expected)]).with_home(dir);
    let profiles = ProfileSet::parse(Some("[profile default]\nregion=fake-region-10\n"), None)
        .map_err(|e| e.to_string())?;
    let profile = profiles.profile("default").ok_or("no default profile")?;
    let id = snake_case_service_id(client_name);
    let got = resolve_configured_endpoint_url(None, None, &id, &env, &profiles, profile)
        .map_err(|e| e.to_string())?;
    if got.map(|r| r.url).as_deref() != Some(expected) {
        return Err(format!("{env_var} not honoured for client {client_name}"));
    }
    let section = service_id.replace(' ', "_").to_lowercase();
    let config = format!(
        "[profile default]\nservices=my-services\nregion=fake-region-10\n\n[services my-services]\n{section} = \n  endpoint_url = {expected}\n"
    );
    let profiles = ProfileSet::parse(Some(&config), None).map_err(|e| e.to_string())?;
    let profile = profiles.profile("default").ok_or("no default profile")?;
    let got = resolve_configured_endpoint_url(None, None, &id, &Env::default(), &profiles, profile)
        .map_err(|e| e.to_string())?;
    if got.map(|r| r.url).as_deref() != Some(expected) {
        return Err(format!(
            "services section key {section} not honoured for client {client_name}"
        ));
    }
    Ok(())
}

fn main() -> ExitCode {
    let path = std::env::var_os("BOTO_CONFIGURED_ENDPOINT_TESTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
                "../../.data/botocore-tests/functional/configured_endpoint_urls/profile-tests.json",
            )
        });
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.display());
            println!("configured_endpoint_urls: 0 passed, 1 failed");
            return ExitCode::FAILURE;
        }
    };
    let doc: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("{} is not JSON: {e}", path.display());
            println!("configured_endpoint_urls: 0 passed, 1 failed");
            return ExitCode::FAILURE;
        }
    };
    let dir = std::env::temp_dir().join(format!("boto-auth-endpoint-urls-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let (mut passed, mut failed) = (0, 0);
    for suite in doc["testSuites"].as_array().into_iter().flatten() {
        for case in suite["endpointUrlTests"].as_array().into_iter().flatten() {
            let name = case["name"].as_str().unwrap_or("<unnamed>");
            match run_case(suite, case, &dir) {
                Ok(()) => passed += 1,
                Err(e) => {
                    failed += 1;
                    println!("FAIL {name}: {e}");
                }
            }
        }
    }
    let models = std::env::var_os("BOTO_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.data/models"));
    match std::fs::read_dir(&models) {
        Err(e) => println!(
            "SKIP per-service checks: cannot read models dir {}: {e}",
            models.display()
        ),
        Ok(entries) => {
            let mut names: Vec<String> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            for client_name in names.iter().filter(|n| !n.starts_with('_')) {
                let Ok(model) =
                    std::fs::read_to_string(models.join(client_name).join("service-2.json"))
                else {
                    continue;
                };
                let result = match service_id(&model) {
                    Some(id) => per_service_case(client_name, &id, &dir),
                    None => Err("model has no serviceId".to_string()),
                };
                match result {
                    Ok(()) => passed += 1,
                    Err(e) => {
                        failed += 1;
                        println!("FAIL per-service {client_name}: {e}");
                    }
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("configured_endpoint_urls: {passed} passed, {failed} failed");
    if failed == 0 && passed > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
