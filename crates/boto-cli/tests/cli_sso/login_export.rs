//! Configuration errors of `sso login` and `configure export-credentials` formats with static credentials.

use super::*;

#[test]
fn login_config_errors_and_export_formats_with_static_credentials() {
    let fake = FakeSso::start(vec![]);
    let home = home("errors");
    std::fs::write(
        home.join(".aws/config"),
        "[profile nosso]\nregion = us-east-1\n[profile badsession]\nsso_session = missing\n",
    )
    .unwrap();
    std::fs::write(
        home.join(".aws/credentials"),
        "[nosso]\naws_access_key_id = AKIDSTATIC\naws_secret_access_key = staticSecret\n",
    )
    .unwrap();
    let out = run({
        let mut c = boto(&home, &fake);
        c.args(["sso", "login", "--profile", "nosso"]);
        c
    });
    assert_eq!(out.status.code(), Some(253));
    assert!(String::from_utf8_lossy(&out.stderr).contains(
        "Missing the following required SSO configuration values: sso_start_url, sso_region. To make sure"
    ));
    let out = run({
        let mut c = boto(&home, &fake);
        c.args(["sso", "login", "--profile", "badsession"]);
        c
    });
    assert_eq!(out.status.code(), Some(253));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("The specified sso-session does not exist: \"missing\""));
    assert!(fake.state.lock().unwrap().requests.is_empty());

    // Static credentials: no token, no expiration.
    let expect = [
        ("process", "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"AKIDSTATIC\",\n  \"SecretAccessKey\": \"staticSecret\"\n}\n"),
        ("env", "export AWS_ACCESS_KEY_ID=AKIDSTATIC\nexport AWS_SECRET_ACCESS_KEY=staticSecret\n"),
        ("env-no-export", "AWS_ACCESS_KEY_ID=AKIDSTATIC\nAWS_SECRET_ACCESS_KEY=staticSecret\n"),
        ("powershell", "$Env:AWS_ACCESS_KEY_ID=\"AKIDSTATIC\"\n$Env:AWS_SECRET_ACCESS_KEY=\"staticSecret\"\n"),
        ("windows-cmd", "set AWS_ACCESS_KEY_ID=AKIDSTATIC\nset AWS_SECRET_ACCESS_KEY=staticSecret\n"),
    ];
    for (format, want) in expect {
        let out = run({
            let mut c = boto(&home, &fake);
            c.args([
                "--output",
                "table",
                "--query",
                "x",
                "configure",
                "export-credentials",
                "--profile",
                "nosso",
                "--format",
                format,
            ]);
            c
        });
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&out.stdout), want, "{format}");
    }
    let out = run({
        let mut c = boto(&home, &fake);
        c.args([
            "configure",
            "export-credentials",
            "--profile",
            "nosso",
            "--format",
            "yaml",
        ]);
        c
    });
    assert_eq!(out.status.code(), Some(252));
    // The recursion guard of a credential_process that calls export-credentials again.
    let out = run({
        let mut c = boto(&home, &fake);
        c.args(["configure", "export-credentials", "--profile", "nosso"])
            .env("_AWS_CLI_PROFILE_CHAIN", "other,nosso");
        c
    });
    assert_eq!(out.status.code(), Some(253));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("Credential process resolution detected an infinite loop, profile cycle: other -> nosso -> nosso"));
}
