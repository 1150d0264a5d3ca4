//! Unit tests of the config-file text editing and refusals.

use super::*;

fn set(text: &str, section: &str, key: &str, value: &str) -> String {
    let s = match key.split_once('.') {
        Some((k, sub)) => ConfigSetting::nested(k, sub, value),
        None => ConfigSetting::new(key, value),
    };
    apply_settings(text, section, &[s]).unwrap()
}

#[test]
fn replaces_appends_and_adds_sections() {
    let t = "# keep me\n[default]\nregion = us-east-1\n\n[profile dev]\noutput = json\n";
    let t2 = set(t, "default", "region", "eu-west-1");
    assert_eq!(
        t2,
        "# keep me\n[default]\nregion = eu-west-1\n\n[profile dev]\noutput = json\n"
    );
    let t3 = set(&t2, "default", "output", "text");
    assert_eq!(
        t3,
        "# keep me\n[default]\nregion = eu-west-1\noutput = text\n\n[profile dev]\noutput = json\n"
    );
    let t4 = set(&t3, "profile new", "region", "x");
    assert!(
        t4.ends_with("output = json\n\n[profile new]\nregion = x\n"),
        "{t4}"
    );
    let t5 = set(&t4, "profile dev", "s3.max_concurrency", "20");
    assert!(
        t5.contains("[profile dev]\noutput = json\ns3 =\n    max_concurrency = 20\n"),
        "{t5}"
    );
    let t6 = set(&t5, "profile dev", "s3.addressing_style", "path");
    assert!(
        t6.contains("s3 =\n    max_concurrency = 20\n    addressing_style = path\n"),
        "{t6}"
    );
    let t7 = set(&t6, "profile dev", "s3.max_concurrency", "5");
    assert!(
        t7.contains("s3 =\n    max_concurrency = 5\n    addressing_style = path\n"),
        "{t7}"
    );
    assert_eq!(set("", "default", "region", "r"), "[default]\nregion = r\n");
    assert_eq!(
        set("[a]\nx = 1", "b", "y", "2"),
        "[a]\nx = 1\n\n[b]\ny = 2\n"
    );
}

#[test]
fn edits_follow_the_reader() {
    // `:` separates too, and keys are case-insensitive: replace, never duplicate.
    assert_eq!(
        set("[default]\nRegion: us-east-1\n", "default", "region", "x"),
        "[default]\nregion = x\n"
    );
    // A lone CR ends a line for the reader, so it does here.
    assert_eq!(
        set("[a]\rk = 1\r\n[b]\rk = 2\r", "b", "k", "3"),
        "[a]\nk = 1\n[b]\nk = 3\n"
    );
    // An indented section keeps its indentation; following keys stay keys.
    assert_eq!(
        set("[a]\n  x = 1\n  y = 2\n", "a", "x", "9"),
        "[a]\n  x = 9\n  y = 2\n"
    );
    // Replacing a multi-line value drops its continuation lines.
    assert_eq!(
        set("[a]\nx = 1\n  more\n\n  more\ny = 2\n", "a", "x", "9"),
        "[a]\nx = 9\ny = 2\n"
    );
    // New keys go after the last setting, before blank lines and comments.
    assert_eq!(
        set("[a]\nx = 1\n  cont\n\n# about b\n[b]\n", "a", "y", "2"),
        "[a]\nx = 1\n  cont\ny = 2\n\n# about b\n[b]\n"
    );
    // Section headers are matched as the reader reads them (not trimmed,
    // not inside comments).
    assert_eq!(
        set("#[a]\n[ a ]\nx = 1\n", "a", "x", "2"),
        "#[a]\n[ a ]\nx = 1\n\n[a]\nx = 2\n"
    );
    // A plain value becomes a nested block when a sub-key is set.
    assert_eq!(
        set("[a]\ns3 = junk\n", "a", "s3.addressing_style", "path"),
        "[a]\ns3 =\n    addressing_style = path\n"
    );
    // `  s3 =` deeper than `x` continues x's value: it is not a key.
    assert_eq!(
        set(
            "[a]\nx = 1\n  s3 =\n    y = 2\n",
            "a",
            "s3.addressing_style",
            "path"
        ),
        "[a]\nx = 1\n  s3 =\n    y = 2\ns3 =\n    addressing_style = path\n"
    );
    // New lines take the section's indentation, so an indented header
    // after them stays a header.
    assert_eq!(
        set("[a]\n  x = 1\n  [b]\n", "a", "y", "2"),
        "[a]\n  x = 1\n  y = 2\n  [b]\n"
    );
    assert_eq!(set("[a]\n  [b]\n", "a", "y", "2"), "[a]\n  y = 2\n  [b]\n");
}

#[test]
fn every_result_parses_back() {
    let bases = [
        "",
        "[default]\nregion = us-east-1\n",
        "[default]\nRegion: a\ns3 =\n  x = 1\n\n  y = 2\n# c\n[profile p]\n  k = v\n",
        "[profile p]\r\nk = 1\r\n",
    ];
    let settings = [
        ("default", ConfigSetting::new("region", "eu-west-1")),
        ("default", ConfigSetting::nested("s3", "x", "9")),
        ("default", ConfigSetting::nested("s3", "z", "3")),
        ("profile p", ConfigSetting::new("k", "2")),
        ("profile p", ConfigSetting::nested("s3", "a", "b")),
        ("profile q", ConfigSetting::new("aws_access_key_id", "A")),
    ];
    for base in bases {
        let mut text = base.to_string();
        for (section, s) in settings {
            text = apply_settings(&text, section, &[s]).unwrap();
            let parsed =
                super::super::ini::parse_ini(&text).unwrap_or_else(|e| panic!("{e:?} in {text:?}"));
            let sect = parsed.iter().find(|x| x.name == section).unwrap();
            let entry = sect.entries.iter().find(|e| e.key == s.key).unwrap();
            match s.sub_key {
                None => assert_eq!(entry.value, s.value, "{text:?}"),
                Some(sub) => assert!(
                    entry.value.starts_with('\n')
                        && entry.value.contains(&format!("{sub} = {}", s.value)),
                    "{text:?}"
                ),
            }
        }
    }
}

#[test]
fn line_breaks_are_refused_with_aws_cli_messages() {
    for brk in ["\n", "\r", "\r\n"] {
        let bad = format!("a{brk}b");
        let shown = py_repr(&bad);
        let err = apply_settings("", &bad, &[ConfigSetting::new("k", "v")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("Invalid section name: newline characters and carriage returns are not allowed: {shown}")
        );
        let err = apply_settings("", "s", &[ConfigSetting::new(&bad, "v")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Invalid key: newline characters and carriage returns are not allowed: {shown}"
            )
        );
        let err = apply_settings("", "s", &[ConfigSetting::nested("s3", &bad, "v")]).unwrap_err();
        assert!(matches!(err, ConfigWriteError::InvalidKey { .. }), "{err}");
        let secret = format!("SECRET{brk}credential_process = evil");
        for s in [
            ConfigSetting::new("aws_secret_access_key", &secret),
            ConfigSetting::nested("aws_secret_access_key", "x", &secret),
        ] {
            let err = apply_settings("", "s", &[s]).unwrap_err();
            assert_eq!(
                err.to_string(),
                "Invalid value for key aws_secret_access_key: newline characters and carriage returns are not allowed."
            );
            assert!(!format!("{err:?}").contains("SECRET"));
        }
    }
    // aws-cli's order: the section name first.
    let err = validate_settings("a\nb", &[ConfigSetting::new("k\n", "v\n")]).unwrap_err();
    assert!(matches!(err, ConfigWriteError::InvalidSectionName { .. }));
}

#[test]
fn keys_that_would_not_read_back_are_refused() {
    for key in ["", " k", "k ", "a=b", "a:b", "[profile evil]", "#k", ";k"] {
        let err = apply_settings("", "s", &[ConfigSetting::new(key, "v")]).unwrap_err();
        assert!(
            matches!(err, ConfigWriteError::UnwritableKey { .. }),
            "{key:?}: {err}"
        );
    }
    assert!(matches!(
        apply_settings("", "", &[ConfigSetting::new("k", "v")]),
        Err(ConfigWriteError::EmptySectionName)
    ));
    // Values may hold anything but line breaks.
    assert_eq!(
        apply_settings("", "s", &[ConfigSetting::new("k", " = [x] # ; :")]).unwrap(),
        "[s]\nk =  = [x] # ; :\n"
    );
}

#[test]
fn repr_matches_python() {
    assert_eq!(py_repr("p\nq"), r"'p\nq'");
    assert_eq!(py_repr("a\r\nb"), r"'a\r\nb'");
    assert_eq!(py_repr("it's"), r#""it's""#);
    assert_eq!(py_repr("it's \"x\""), r#"'it\'s "x"'"#);
    assert_eq!(py_repr("t\tb\\\x1b\x7f"), r"'t\tb\\\x1b\x7f'");
    assert_eq!(py_repr("é\u{a0}\u{2028}\u{feff}ü"), r"'é\xa0\u2028\ufeffü'");
    assert_eq!(py_repr("\u{f0000}"), r"'\U000f0000'");
}

#[test]
fn debug_of_a_setting_hides_the_value() {
    let s = ConfigSetting::new("aws_secret_access_key", "TOPSECRET");
    assert!(!format!("{s:?}").contains("TOPSECRET"));
}
