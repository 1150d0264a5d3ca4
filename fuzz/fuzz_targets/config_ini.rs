//! The shared config/credentials file reader (`ProfileSet::parse`, configparser
//! semantics) and everything that interprets its values: the config resolver
//! (`resolve_all`: retry mode, max attempts, timeouts, checksum modes, defaults mode,
//! proxies, ...), the IMDS endpoint mode and configured endpoint URLs.
//!
//! Only the public API of `boto_auth::config` is used. Input: the config file text,
//! then optionally a NUL byte and the credentials file text (invalid UTF-8 replaced).
//!
//! Checked: no panic or hang, and `Debug` of the parsed set never shows the value of a
//! secret-bearing key (`aws_secret_access_key`, `*session_token`, ...).

#![no_main]

use boto_auth::config::{
    resolve_configured_endpoint_url, ConfigResolver, Env, ExplicitConfig, ProfileSelection,
    ProfileSet,
};
use boto_fuzz::seeds::{write_if_requested, Seeds};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(init: write_if_requested(collect_seeds), |data: &[u8]| {
    let (config, credentials) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let config = String::from_utf8_lossy(config);
    let credentials = credentials.map(String::from_utf8_lossy);
    let set = match ProfileSet::parse(Some(&config), credentials.as_deref()) {
        Ok(set) => set,
        Err(e) => {
            let _ = e.to_string();
            return;
        }
    };
    check_secrets_redacted(&set, &format!("{config}\n{}", credentials.as_deref().unwrap_or_default()));
    let env = Env::from_vars(Vec::<(String, String)>::new()).with_home("/nonexistent-fuzz-home");
    let names: Vec<String> = set.profile_names().map(str::to_string).collect();
    let set = Arc::new(set);
    for name in names.iter().take(4) {
        let Some(profile) = set.profile(name) else { continue };
        for key in profile.keys() {
            if let Some(v) = profile.value(key) {
                let _ = (v.as_text(), v.as_nested().map(|n| n.len()));
            }
        }
        if let Some(s) = profile.get("sso_session") {
            let _ = set.sso_session(s).map(|x| x.keys().count());
        }
        if let Some(s) = profile.get("services") {
            let _ = set.services(s).map(|x| x.get_nested("s3", "endpoint_url"));
        }
        let selection = ProfileSelection::resolve(Some(name), &env);
        if let Ok(resolver) = ConfigResolver::new(env.clone(), set.clone(), &selection) {
            let _ = resolver.resolve_all(&ExplicitConfig::default());
            let _ = resolver.imds_endpoint_mode();
            let _ = resolver.proxies(None);
            for id in ["s3", "dynamodb", "elastic_load_balancing_v2"] {
                let _ = resolve_configured_endpoint_url(None, None, id, &env, &set, resolver.profile());
            }
        }
    }
});

/// Values of secret-bearing keys must not appear in `Debug`. To keep the oracle exact,
/// only values that cannot show legitimately are checked: at least 8 characters of
/// `[A-Za-z0-9/+=]` (so Debug escaping and punctuation cannot split or form them), found
/// exactly once in the input (case-insensitively: keys are lower-cased), and not part of
/// the words `Debug` itself prints.
fn check_secrets_redacted(set: &ProfileSet, input: &str) {
    const STRUCTURE: &str = "profileset profiles config_profiles credentials_profiles sso_sessions \
        services other_sections config_path credentials_path section name values redacted some none";
    let shown = format!("{set:?}").to_ascii_lowercase();
    let input = input.to_ascii_lowercase();
    for name in set.profile_names() {
        let Some(p) = set.profile(name) else { continue };
        for key in p.keys() {
            let k = key.to_ascii_lowercase();
            if !(k.contains("secret")
                || k.ends_with("session_token")
                || k.ends_with("security_token"))
            {
                continue;
            }
            let Some(secret) = p.get(key) else { continue };
            let secret = secret.to_ascii_lowercase();
            let checkable = secret.len() >= 8
                && secret
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/+=".contains(&b))
                && input.matches(&secret).count() == 1
                && !STRUCTURE.contains(&secret);
            if checkable {
                assert!(!shown.contains(&secret), "Debug shows the value of {key:?}");
            }
        }
    }
}

fn collect_seeds(s: &mut Seeds) {
    let config = "[default]\nregion = us-west-2\noutput = json\nretry_mode = adaptive\nmax_attempts = 5\n\
        s3 =\n  addressing_style = path\n  use_accelerate_endpoint = true\n\
        services = local\nca_bundle = ~/ca.pem\nconnect_timeout = 3\n\
        [profile dev]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = default\n\
        sso_session = corp\nendpoint_url = http://localhost:4566\n\
        ignore_configured_endpoint_urls = false\ndefaults_mode = standard\n\
        request_checksum_calculation = when_required\nresponse_checksum_validation = WHEN_SUPPORTED\n\
        ec2_metadata_service_endpoint_mode = IPv6\nhttps_proxy = http://u:p@proxy:3128\n\
        [sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\
        [services local]\ns3 =\n  endpoint_url = http://localhost:9000\n\
        dynamodb =\n  endpoint_url = http://localhost:8000\n\
        [profile \"quoted name\"]\ncredential_process = /bin/echo '{\"Version\": 1}'\n\
        [DEFAULT]\nshared = yes\n; comment\n# comment\n[preview]\ncloudfront = true\n";
    let creds = "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG\n\
        aws_session_token = FQoGZXIvYXdzEXAMPLETOKEN\n[dev]\naws_access_key_id: AKID2\n  continued\n";
    s.add(config.as_bytes());
    s.add(format!("{config}\0{creds}").into_bytes());
    s.add(format!("\0{creds}").into_bytes());
    s.add(b"[default]\nregion=eu-west-1\r\n[profile a]\r\nregion : x\r\n\tcontinued\r\n".to_vec());
    for w in [
        "[default]",
        "[profile ",
        "[sso-session ",
        "[services ",
        "[DEFAULT]",
        "region",
        "retry_mode",
        "max_attempts",
        "standard",
        "adaptive",
        "legacy",
        "endpoint_url",
        "services",
        "s3",
        "addressing_style",
        "aws_secret_access_key",
        "aws_session_token",
        "credential_process",
        "source_profile",
        "role_arn",
        "sso_session",
        "defaults_mode",
        "in-region",
        "cross-region",
        "mobile",
        "auto",
        "connect_timeout",
        "ec2_metadata_service_endpoint_mode",
        "IPv4",
        "IPv6",
        "ignore_configured_endpoint_urls",
        "when_supported",
        "when_required",
        "http_proxy",
        "no_proxy",
        "ca_bundle",
        "use_fips_endpoint",
        "use_dualstack_endpoint",
        "true",
        "false",
    ] {
        s.word(w);
    }
}
