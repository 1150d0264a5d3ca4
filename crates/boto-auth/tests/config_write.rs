//! Writing shared config/credentials files with `update_config_file`: line
//! breaks refused before anything is touched, atomic replacement keeping the
//! file mode, symlinks followed, and concurrent writers losing nothing.

mod common;

use std::path::Path;
use std::sync::{Arc, Barrier};

use boto_auth::config::{update_config_file, ConfigSetting, ConfigWriteError, ProfileSet};
use common::TempDir;

/// The names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn parse(path: &Path) -> ProfileSet {
    ProfileSet::load_files(Path::new("/nonexistent/config"), path)
        .unwrap_or_else(|e| panic!("{e}\n{}", std::fs::read_to_string(path).unwrap_or_default()))
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn line_breaks_are_refused_and_nothing_is_touched() {
    let dir = TempDir::new("write-crlf");
    let original = "[default]\naws_access_key_id = AKID\n";
    let path = dir.write("credentials", original);
    let before = listing(dir.path());
    for brk in ["\n", "\r", "\r\n"] {
        let bad = format!("x{brk}credential_process = /bin/evil{brk}[evil]");
        let cases: Vec<(String, Vec<ConfigSetting<'_>>, String)> = vec![
            (
                bad.clone(),
                vec![ConfigSetting::new("aws_access_key_id", "A")],
                "Invalid section name: ".into(),
            ),
            (
                "default".into(),
                vec![ConfigSetting::new(&bad, "A")],
                "Invalid key: ".into(),
            ),
            (
                "default".into(),
                vec![ConfigSetting::new("aws_secret_access_key", &bad)],
                "Invalid value for key aws_secret_access_key: newline characters and carriage returns are not allowed.".into(),
            ),
            (
                "default".into(),
                vec![ConfigSetting::nested("s3", &bad, "1")],
                "Invalid key: ".into(),
            ),
            (
                "default".into(),
                vec![ConfigSetting::nested("s3", "max_concurrency", &bad)],
                "Invalid value for key s3: newline characters and carriage returns are not allowed.".into(),
            ),
            // A later bad setting stops the earlier good ones too.
            (
                "default".into(),
                vec![
                    ConfigSetting::new("region", "ok"),
                    ConfigSetting::new("output", &bad),
                ],
                "Invalid value for key output: ".into(),
            ),
        ];
        for (section, settings, want) in cases {
            let err = update_config_file(&path, &section, &settings).unwrap_err();
            let shown = err.to_string();
            assert!(shown.starts_with(&want), "{shown}");
            assert!(
                matches!(
                    err,
                    ConfigWriteError::InvalidSectionName { .. }
                        | ConfigWriteError::InvalidKey { .. }
                        | ConfigWriteError::InvalidValue { .. }
                ),
                "{err:?}"
            );
            if want.starts_with("Invalid value") {
                assert!(!shown.contains("evil") && !format!("{err:?}").contains("evil"));
            }
            assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
            // No lock file, no temporary file: refused before anything was created.
            assert_eq!(listing(dir.path()), before);
        }
    }
    // A file that does not exist is not created either.
    let missing = dir.path().join("sub").join("config");
    assert!(update_config_file(&missing, "a\nb", &[ConfigSetting::new("k", "v")]).is_err());
    assert!(!dir.path().join("sub").exists());
}

#[test]
fn new_files_are_private_and_the_folder_is_created() {
    let dir = TempDir::new("write-new");
    let aws = dir.path().join("home").join(".aws");
    let creds = aws.join("credentials");
    let config = aws.join("config");
    update_config_file(
        &creds,
        "default",
        &[
            ConfigSetting::new("aws_access_key_id", "AKID"),
            ConfigSetting::new("aws_secret_access_key", "SECRET"),
        ],
    )
    .unwrap();
    update_config_file(&config, "profile dev", &[ConfigSetting::new("region", "r")]).unwrap();
    assert_eq!(
        std::fs::read_to_string(&creds).unwrap(),
        "[default]\naws_access_key_id = AKID\naws_secret_access_key = SECRET\n"
    );
    assert_eq!(
        std::fs::read_to_string(&config).unwrap(),
        "[profile dev]\nregion = r\n"
    );
    // Only the files and their lock files: no temporary file is left behind.
    assert_eq!(
        listing(&aws),
        ["config", "config.lock", "credentials", "credentials.lock"]
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&creds), 0o600);
        assert_eq!(mode(&config), 0o600);
        assert_eq!(mode(&creds.with_file_name("credentials.lock")), 0o600);
        assert_eq!(mode(&aws), 0o700);
    }
}

#[cfg(unix)]
#[test]
fn the_file_mode_is_kept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("write-mode");
    for want in [0o600, 0o640, 0o644] {
        let path = dir.write(&format!("f{want:o}"), "[default]\nregion = a\n");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(want)).unwrap();
        update_config_file(&path, "default", &[ConfigSetting::new("region", "b")]).unwrap();
        assert_eq!(mode(&path), want, "{want:o}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[default]\nregion = b\n"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_file_is_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("write-ro");
    let path = dir.write("config", "[default]\nregion = a\n");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    if std::fs::OpenOptions::new().write(true).open(&path).is_ok() {
        return; // running as root: permission bits do not stop writes
    }
    let err =
        update_config_file(&path, "default", &[ConfigSetting::new("region", "b")]).unwrap_err();
    assert!(matches!(err, ConfigWriteError::Io { .. }), "{err:?}");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "[default]\nregion = a\n"
    );
    assert_eq!(mode(&path), 0o400);
}

#[cfg(unix)]
#[test]
fn a_symlinked_file_stays_a_symlink() {
    let dir = TempDir::new("write-link");
    let real = dir.write(
        "dotfiles/aws-credentials",
        "[default]\naws_access_key_id = A\n",
    );
    let aws = dir.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    let link = aws.join("credentials");
    std::os::unix::fs::symlink("../dotfiles/aws-credentials", &link).unwrap();
    update_config_file(&link, "p", &[ConfigSetting::new("aws_access_key_id", "B")]).unwrap();
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        "[default]\naws_access_key_id = A\n\n[p]\naws_access_key_id = B\n"
    );
    // The lock sits next to the real file, so writers through any link share it.
    assert!(real.with_file_name("aws-credentials.lock").exists());
    assert!(!aws.join("credentials.lock").exists());
}

#[cfg(unix)]
#[test]
fn special_files_are_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let dir = TempDir::new("write-special");
    let fifo = dir.path().join("config");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let err =
        update_config_file(&fifo, "default", &[ConfigSetting::new("region", "r")]).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    // A folder in the file's place.
    let folder = dir.path().join("credentials");
    std::fs::create_dir(&folder).unwrap();
    assert!(update_config_file(&folder, "default", &[ConfigSetting::new("k", "v")]).is_err());
    assert!(folder.is_dir());
    assert_eq!(listing(dir.path()), ["config", "credentials"]);
}

#[test]
fn a_file_that_is_not_utf8_is_left_alone() {
    let dir = TempDir::new("write-utf8");
    let path = dir.path().join("credentials");
    let bytes = b"[default]\naws_secret_access_key = \xff\xfeSECRET\n".to_vec();
    std::fs::write(&path, &bytes).unwrap();
    let err =
        update_config_file(&path, "default", &[ConfigSetting::new("region", "r")]).unwrap_err();
    assert!(matches!(err, ConfigWriteError::Io { .. }), "{err:?}");
    assert!(!err.to_string().contains("SECRET"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

/// Runs `writers` threads at once, each applying one setting (all separate
/// opens of the lock file, so `flock` excludes them as it excludes processes).
fn race(path: &Path, writers: Vec<(String, String, Option<String>, String)>) {
    let barrier = Arc::new(Barrier::new(writers.len()));
    let handles: Vec<_> = writers
        .into_iter()
        .map(|(section, key, sub, value)| {
            let barrier = barrier.clone();
            let path = path.to_path_buf();
            std::thread::spawn(move || {
                barrier.wait();
                let s = match &sub {
                    Some(sub) => ConfigSetting::nested(&key, sub, &value),
                    None => ConfigSetting::new(&key, &value),
                };
                update_config_file(&path, &section, &[s]).unwrap();
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}

#[test]
fn concurrent_writers_lose_nothing() {
    for run in 0..10 {
        let dir = TempDir::new("write-race");
        let path = dir.path().join(".aws").join("credentials");
        race(
            &path,
            (0..20)
                .map(|i| {
                    (
                        format!("p{i}"),
                        "aws_access_key_id".into(),
                        None,
                        format!("AKIA{run}X{i}"),
                    )
                })
                .collect(),
        );
        let set = parse(&path);
        for i in 0..20 {
            assert_eq!(
                set.credentials_file_profile(&format!("p{i}"))
                    .and_then(|p| p.get("aws_access_key_id")),
                Some(format!("AKIA{run}X{i}").as_str()),
                "run {run}, p{i}:\n{}",
                std::fs::read_to_string(&path).unwrap()
            );
        }
        // One section, different keys (plain and nested).
        let mut writers: Vec<_> = (0..16)
            .map(|i| ("shared".into(), format!("k{i}"), None, format!("v{i}")))
            .collect();
        for sub in ["a", "b", "c", "d"] {
            writers.push((
                "shared".into(),
                "s3".into(),
                Some(sub.into()),
                format!("{sub}{run}"),
            ));
        }
        race(&path, writers);
        let set = parse(&path);
        let shared = set.credentials_file_profile("shared").unwrap();
        for i in 0..16 {
            assert_eq!(shared.get(&format!("k{i}")), Some(format!("v{i}").as_str()));
        }
        for sub in ["a", "b", "c", "d"] {
            assert_eq!(
                shared.get_nested("s3", sub),
                Some(format!("{sub}{run}").as_str())
            );
        }
        assert_eq!(
            set.credentials_file_profile("p7")
                .unwrap()
                .get("aws_access_key_id"),
            Some(format!("AKIA{run}X7").as_str())
        );
        let names = listing(path.parent().unwrap());
        assert_eq!(names, ["credentials", "credentials.lock"], "run {run}");
    }
}
