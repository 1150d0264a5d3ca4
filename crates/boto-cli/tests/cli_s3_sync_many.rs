//! `boto s3 sync` at scale, run through the `boto` binary as a user would:
//! 10,000 small files synced up and down against s3s-fs
//! (`BOTO_TEST_S3S_ENDPOINT`; it verifies every signature and checksum), with
//! `--delete` and `--exclude`/`--include` (aws-cli's last-match-wins order).
//! After every step the bucket (keys and sizes from `s3 ls --recursive`) and
//! the local trees (every file's bytes) must equal a model kept by the test:
//! changed files updated, deleted files gone, excluded files untouched on
//! both sides, no temporary files left, and the printed `upload:` /
//! `download:` / `delete:` lines counted. A second sync with nothing changed
//! must transfer nothing. This is aws-cli's `sync` (awscli.customizations.s3)
//! at the size users hit; the line-by-line comparison with aws-cli itself is
//! in cli_s3_diff.rs (1,001 files on moto).
//! Prints `cli-s3-sync-many: N passed, M failed`.

mod cli_s3_support;

use cli_s3_support::{backdate, env, tree, Env, Out, Suite};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

const DIRS: usize = 50;
const PER_DIR: usize = 200; // 50 × 200 = 10,000 synced files
const TMP_PER_DIR: usize = 10; // plus 500 `*.tmp` files that --exclude keeps out

type Files = BTreeMap<String, Vec<u8>>;

fn dir_name(d: usize) -> String {
    // A few directories with a space and non-ASCII letters in the key.
    if d % 10 == 7 {
        format!("d{d:02} spä ce")
    } else {
        format!("d{d:02}")
    }
}

fn body(rel: &str, version: &str, n: usize) -> Vec<u8> {
    if n.is_multiple_of(100) {
        return Vec::new();
    }
    format!("{rel} {version}\n{}", "x".repeat(n % 53)).into_bytes()
}

fn write_all(root: &Path, files: &Files, backdated: bool) {
    for (rel, data) in files {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, data).unwrap();
        if backdated {
            backdate(&p);
        }
    }
}

fn count(o: &Out, prefix: &str) -> usize {
    o.out.lines().filter(|l| l.starts_with(prefix)).count()
}

/// Keys under `prefix` (made relative) and their sizes, from `s3 ls --recursive`.
fn listing(e: &Env, ep: &str, bucket: &str, prefix: &str) -> Result<BTreeMap<String, u64>, String> {
    let o = e.run_in(
        Some(ep),
        &[
            "s3",
            "ls",
            "--recursive",
            &format!("s3://{bucket}/{prefix}"),
        ],
        None,
    );
    if o.code != 0 && !(o.code == 1 && o.out.is_empty()) {
        return Err(format!("ls exit {}: {}", o.code, o.err));
    }
    let mut m = BTreeMap::new();
    for line in o.out.lines() {
        // "2026-01-01 00:00:00       1234 key with spaces"
        let rest = line.get(20..).ok_or(format!("short ls line {line:?}"))?;
        let (size, key) = rest
            .trim_start()
            .split_once(' ')
            .ok_or(format!("bad ls line {line:?}"))?;
        let rel = key.strip_prefix(prefix).ok_or(format!("key {key:?}"))?;
        m.insert(rel.to_string(), size.parse().map_err(|_| line.to_string())?);
    }
    Ok(m)
}

fn sizes(files: &Files) -> BTreeMap<String, u64> {
    files
        .iter()
        .map(|(k, v)| (k.clone(), v.len() as u64))
        .collect()
}

/// The first difference between two maps, for a readable failure.
fn first_diff<V: PartialEq + std::fmt::Debug>(
    got: &BTreeMap<String, V>,
    want: &BTreeMap<String, V>,
) -> String {
    for (k, v) in want {
        match got.get(k) {
            None => return format!("{} entries vs {}; missing {k:?}", got.len(), want.len()),
            Some(g) if g != v => return format!("{k:?} differs"),
            _ => {}
        }
    }
    match got.keys().find(|k| !want.contains_key(*k)) {
        Some(k) => format!("{} entries vs {}; unexpected {k:?}", got.len(), want.len()),
        None => "equal".into(),
    }
}

#[test]
fn sync_ten_thousand_files() {
    let (Ok(ep), Ok(ak), Ok(sk)) = (
        std::env::var("BOTO_TEST_S3S_ENDPOINT"),
        std::env::var("BOTO_TEST_S3S_ACCESS_KEY"),
        std::env::var("BOTO_TEST_S3S_SECRET_KEY"),
    ) else {
        eprintln!("skipped: BOTO_TEST_S3S_ENDPOINT not set (scripts/test.sh starts s3s-fs)");
        return;
    };
    let started = Instant::now();
    let mut e = env("sync-many", "[default]\n");
    e.creds = (ak, sk);
    let m = Some(ep.as_str());
    let mut s = Suite::default();
    let b = format!("s3-sync-many-{}", std::process::id());
    let dest = format!("s3://{b}/t/");
    let run = |args: &[&str]| {
        let t = Instant::now();
        let o = e.run_in(m, args, None);
        println!(
            "     {:>6.1} s  boto {}",
            t.elapsed().as_secs_f64(),
            args.join(" ")
        );
        o
    };
    let o = run(&["s3", "mb", &format!("s3://{b}")]);
    assert_eq!(o.code, 0, "mb: {}", o.err);

    // The local tree: 10,000 files to sync, 500 excluded ones.
    let mut local: Files = BTreeMap::new();
    let mut excluded: Files = BTreeMap::new();
    for d in 0..DIRS {
        for f in 0..PER_DIR {
            let rel = format!("{}/f{f:04}.txt", dir_name(d));
            local.insert(rel.clone(), body(&rel, "v1", d * PER_DIR + f));
        }
        for f in 0..TMP_PER_DIR {
            let rel = format!("{}/scratch{f}.tmp", dir_name(d));
            excluded.insert(rel.clone(), body(&rel, "tmp", f + 1));
        }
    }
    let up = e.dir.join("up");
    write_all(&up, &local, true);
    write_all(&up, &excluded, true);

    // 1. Up: everything but *.tmp.
    let o = run(&["s3", "sync", "up", &dest, "--exclude", "*.tmp"]);
    s.check(
        "sync up 10,000 files: 10,000 upload lines, nothing excluded sent",
        o.code == 0 && count(&o, "upload: ") == 10_000 && !o.out.contains(".tmp"),
        format!(
            "exit {} uploads {} {}",
            o.code,
            count(&o, "upload: "),
            o.err
        ),
    );
    let mut remote = local.clone();
    let got = listing(&e, &ep, &b, "t/");
    s.check(
        "bucket holds exactly the 10,000 keys with their sizes",
        got.as_ref().is_ok_and(|g| *g == sizes(&remote)),
        got.as_ref()
            .map_or_else(|e| e.clone(), |g| first_diff(g, &sizes(&remote))),
    );
    let o = run(&["s3", "sync", "up", &dest, "--exclude", "*.tmp"]);
    s.check(
        "a second sync up transfers nothing",
        o.code == 0 && o.out.trim().is_empty(),
        format!("exit {} {:.300}", o.code, o.out),
    );

    // 2. Up with --delete: 300 changed, 400 removed locally, 250 new files,
    // a stray object (deleted) and an excluded remote object (kept).
    let keys: Vec<String> = local.keys().cloned().collect();
    for (i, k) in keys.iter().enumerate() {
        if i % 33 == 1 && i / 33 < 300 {
            // Longer than any v1 body, so the size differs too.
            let v = format!("{k} changed {i} {}", "c".repeat(60)).into_bytes();
            local.insert(k.clone(), v);
            write_all(&up, &BTreeMap::from([(k.clone(), local[k].clone())]), false);
        } else if i % 25 == 3 {
            local.remove(k);
            std::fs::remove_file(up.join(k)).unwrap();
        }
    }
    let changed = keys
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 33 == 1 && i / 33 < 300)
        .count();
    let removed = keys.len() - local.len();
    let mut added = Files::new();
    for i in 0..250 {
        let rel = format!("new/{}/n{i}.txt", i % 7);
        added.insert(rel.clone(), body(&rel, "new", i + 1));
    }
    write_all(&up, &added, false);
    local.extend(added.clone());
    std::fs::write(e.dir.join("one"), "1").unwrap();
    for key in ["stray.txt", "keep/remote-only.tmp"] {
        let o = run(&["s3", "cp", "one", &format!("{dest}{key}")]);
        assert_eq!(o.code, 0, "cp {key}: {}", o.err);
    }
    let o = run(&["s3", "sync", "up", &dest, "--delete", "--exclude", "*.tmp"]);
    s.check(
        "sync up --delete: changed and new files uploaded, removed ones and the stray deleted",
        o.code == 0
            && count(&o, "upload: ") == changed + added.len()
            && count(&o, "delete: ") == removed + 1
            && o.out.contains(&format!("delete: {dest}stray.txt"))
            && !o.out.contains(".tmp"),
        format!(
            "exit {} uploads {} (want {}) deletes {} (want {}) {}",
            o.code,
            count(&o, "upload: "),
            changed + added.len(),
            count(&o, "delete: "),
            removed + 1,
            o.err
        ),
    );
    remote = local.clone();
    remote.insert("keep/remote-only.tmp".into(), b"1".to_vec());
    let got = listing(&e, &ep, &b, "t/");
    s.check(
        "bucket equals the local tree, plus the excluded remote-only object",
        got.as_ref().is_ok_and(|g| *g == sizes(&remote)),
        got.as_ref()
            .map_or_else(|e| e.clone(), |g| first_diff(g, &sizes(&remote))),
    );
    let mut want_up = local.clone();
    want_up.extend(excluded.clone());
    let got = tree(&up);
    s.check(
        "the local side is untouched by an upward sync (*.tmp kept)",
        got == want_up,
        first_diff(&got, &want_up),
    );

    // 3. Down into an empty directory: every byte of every object comes back.
    let o = run(&["s3", "sync", &dest, "down", "--exclude", "*.tmp"]);
    s.check(
        "sync down into an empty directory: one download line per object",
        o.code == 0 && count(&o, "download: ") == local.len(),
        format!(
            "exit {} downloads {} {}",
            o.code,
            count(&o, "download: "),
            o.err
        ),
    );
    let down = e.dir.join("down");
    let got = tree(&down);
    s.check(
        "downloaded tree equals the uploaded files byte for byte",
        got == local,
        first_diff(&got, &local),
    );
    let o = run(&["s3", "sync", &dest, "down", "--exclude", "*.tmp"]);
    s.check(
        "a second sync down transfers nothing",
        o.code == 0 && o.out.trim().is_empty(),
        format!("exit {} {:.300}", o.code, o.out),
    );

    // 4. Down with --delete after remote changes: one directory removed,
    // 100 objects rewritten with new sizes, 50 new objects; locally an
    // extra file (deleted) and an excluded one (kept).
    let gone = dir_name(3);
    let o = run(&["s3", "rm", "--recursive", &format!("{dest}{gone}/")]);
    let gone_n = remote
        .keys()
        .filter(|k| k.starts_with(&format!("{gone}/")))
        .count();
    assert!(
        o.code == 0 && count(&o, "delete: ") == gone_n,
        "rm: {} {}",
        o.code,
        o.err
    );
    remote.retain(|k, _| !k.starts_with(&format!("{gone}/")));
    let mut staged = Files::new();
    for (i, k) in remote
        .keys()
        .filter(|k| k.starts_with(&dir_name(4)))
        .take(100)
        .enumerate()
    {
        staged.insert(
            k.clone(),
            format!("{k} rewritten remotely {i} {}", "y".repeat(60 + i)).into_bytes(),
        );
    }
    for i in 0..50 {
        let rel = format!("{}/remote-new-{i}.txt", dir_name(9));
        staged.insert(rel.clone(), body(&rel, "remote", i + 1));
    }
    write_all(&e.dir.join("stage"), &staged, false);
    let o = run(&["s3", "cp", "--recursive", "stage", &dest]);
    assert!(
        o.code == 0 && count(&o, "upload: ") == 150,
        "stage: {} {}",
        o.code,
        o.err
    );
    remote.extend(staged.clone());
    std::fs::write(down.join(dir_name(1)).join("local-extra.txt"), "x").unwrap();
    std::fs::write(down.join(dir_name(2)).join("local-keep.tmp"), "keep me").unwrap();
    let o = run(&[
        "s3",
        "sync",
        &dest,
        "down",
        "--delete",
        "--exclude",
        "*.tmp",
    ]);
    let want_deletes = gone_n + 1;
    s.check(
        "sync down --delete: rewritten and new objects fetched, gone ones deleted",
        o.code == 0
            && count(&o, "download: ") == staged.len()
            && count(&o, "delete: ") == want_deletes,
        format!(
            "exit {} downloads {} (want {}) deletes {} (want {want_deletes}) {}",
            o.code,
            count(&o, "download: "),
            staged.len(),
            count(&o, "delete: "),
            o.err
        ),
    );
    let mut want_down = remote.clone();
    want_down.remove("keep/remote-only.tmp");
    want_down.insert(
        format!("{}/local-keep.tmp", dir_name(2)),
        b"keep me".to_vec(),
    );
    let got = tree(&down);
    s.check(
        "local tree equals the bucket; the excluded local file untouched",
        got == want_down,
        first_diff(&got, &want_down),
    );

    // 5. include/exclude order both ways: later filters win.
    let o = run(&[
        "s3",
        "sync",
        &dest,
        "part",
        "--exclude",
        "*",
        "--include",
        "d1*",
        "--exclude",
        "*5.txt",
    ]);
    let want_part: Files = remote
        .iter()
        .filter(|(k, _)| k.starts_with("d1") && !k.ends_with("5.txt"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let got = tree(&e.dir.join("part"));
    s.check(
        "sync down --exclude * --include d1* --exclude *5.txt",
        o.code == 0 && count(&o, "download: ") == want_part.len() && got == want_part,
        format!("exit {} {} {}", o.code, first_diff(&got, &want_part), o.err),
    );
    let o = run(&[
        "s3",
        "sync",
        "up",
        &format!("s3://{b}/tmp-only/"),
        "--exclude",
        "*",
        "--include",
        "*.tmp",
    ]);
    let got = listing(&e, &ep, &b, "tmp-only/");
    s.check(
        "sync up --exclude * --include *.tmp sends only the 500 .tmp files",
        o.code == 0
            && count(&o, "upload: ") == excluded.len()
            && got.as_ref().is_ok_and(|g| *g == sizes(&excluded)),
        got.as_ref()
            .map_or_else(|e| e.clone(), |g| first_diff(g, &sizes(&excluded))),
    );

    let _ = e.run_in(m, &["s3", "rb", &format!("s3://{b}"), "--force"], None);
    let _ = std::fs::remove_dir_all(&e.dir);
    println!("     total {:.1} s", started.elapsed().as_secs_f64());
    s.finish("cli-s3-sync-many");
}
