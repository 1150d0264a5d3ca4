//! `boto s3` against aws-cli v1 on the same moto server, on a tree of 1,000+
//! files (nested folders, spaces, unicode, empty files, a broken link).
//!
//! Each CLI gets its own bucket and download directory; the same commands run
//! with both from the same working directory, and the test compares what
//! they print and what they leave behind:
//!
//! - `ls` (plain, `--recursive`, `--summarize`, `--human-readable`): both
//!   list the *same* bucket, byte-equal output (local-time timestamps).
//! - `cp --recursive` up and down, `sync` (new, changed and future-dated
//!   files, `--delete`, include/exclude, both directions), `rm --recursive`
//!   with filters: the result lines (bucket and directory names normalised;
//!   sorted, as aws-cli's order depends on its thread pool), the warning
//!   lines, the exit codes, and the resulting bucket (keys, sizes, ETags) and
//!   local trees (paths and bytes).
//! - key safety: objects `../evil` and `a/../../evil2` are skipped with
//!   aws-cli's warning and nothing is written outside the target.
//!
//! aws-cli v1 draws its progress line even when stdout is not a terminal;
//! those `Completed ...\r` segments are dropped before comparing (boto draws
//! it only on a terminal). Prints `cli-s3-diff: N passed, M failed`.

mod cli_s3_support;

use cli_s3_support::{make_tree, sorted, tree};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

struct Env {
    endpoint: String,
    aws: PathBuf,
    work: PathBuf,
    config: PathBuf,
}

struct Run {
    code: i32,
    out: String,
    err: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Who {
    Boto,
    Aws,
}

impl Env {
    fn run(&self, who: Who, args: &[&str]) -> Run {
        let mut c = match who {
            Who::Boto => Command::new(env!("CARGO_BIN_EXE_boto")),
            Who::Aws => Command::new(&self.aws),
        };
        c.args(args)
            .args(["--endpoint-url", &self.endpoint])
            .current_dir(&self.work)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", &self.config)
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env_remove("AWS_PROFILE");
        let o = c.output().expect("run CLI");
        Run {
            code: o.status.code().unwrap_or(-1),
            out: String::from_utf8_lossy(&o.stdout).into_owned(),
            err: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Bucket state: key → (size, etag), via the boto library.
fn bucket_state(env: &Env, bucket: &str) -> BTreeMap<String, (i64, String)> {
    let r = env.run(
        Who::Boto,
        &[
            "s3api",
            "list-objects-v2",
            "--bucket",
            bucket,
            "--output",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).unwrap_or_default();
    v["Contents"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|o| {
                    (
                        o["Key"].as_str().unwrap_or("").to_string(),
                        (
                            o["Size"].as_i64().unwrap_or(-1),
                            o["ETag"].as_str().unwrap_or("").to_string(),
                        ),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

struct Suite {
    passed: usize,
    failed: usize,
    report: String,
}

impl Suite {
    fn check(&mut self, name: &str, ok: Result<(), String>) {
        match ok {
            Ok(()) => {
                self.passed += 1;
                println!("ok   {name}");
            }
            Err(e) => {
                self.failed += 1;
                println!("FAIL {name}");
                self.report.push_str(&format!("FAIL {name}\n{e}\n"));
            }
        }
    }
}

fn same<T: PartialEq + std::fmt::Debug>(what: &str, boto: T, aws: T) -> Result<(), String> {
    if boto == aws {
        Ok(())
    } else {
        let b = format!("{boto:#?}");
        let a = format!("{aws:#?}");
        let (b, a): (Vec<&str>, Vec<&str>) = (b.lines().collect(), a.lines().collect());
        let only_b: Vec<&&str> = b.iter().filter(|l| !a.contains(l)).take(15).collect();
        let only_a: Vec<&&str> = a.iter().filter(|l| !b.contains(l)).take(15).collect();
        Err(format!(
            "{what} differs\n  only boto: {only_b:#?}\n  only aws-cli: {only_a:#?}"
        ))
    }
}

/// Runs `args` (with `{B}` and `{D}` standing for each CLI's bucket and
/// directory) with both CLIs and compares lines, warnings and exit codes.
fn both(
    env: &Env,
    s: &mut Suite,
    name: &str,
    args: &[&str],
    b: [&str; 2],
    d: [&str; 2],
) -> Vec<String> {
    let mut runs = Vec::new();
    let mut secs = Vec::new();
    for (i, who) in [Who::Boto, Who::Aws].into_iter().enumerate() {
        let t = Instant::now();
        let a: Vec<String> = args
            .iter()
            .map(|x| x.replace("{B}", b[i]).replace("{D}", d[i]))
            .collect();
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        runs.push(env.run(who, &a));
        secs.push(t.elapsed().as_secs_f64());
    }
    let subst = |i: usize| [(b[i], "BUCKET"), (d[i], "DIR")];
    let (bo, aw) = (&runs[0], &runs[1]);
    let r = same("exit code", bo.code, aw.code)
        .and_then(|_| {
            same(
                "stdout lines",
                sorted(&bo.out, &subst(0)),
                sorted(&aw.out, &subst(1)),
            )
        })
        .and_then(|_| {
            same(
                "stderr lines",
                sorted(&bo.err, &subst(0)),
                sorted(&aw.err, &subst(1)),
            )
        });
    s.check(
        &format!("{name} (boto {:.2}s, aws-cli {:.2}s)", secs[0], secs[1]),
        r,
    );
    sorted(&runs[0].out, &subst(0))
}

fn states(env: &Env, s: &mut Suite, name: &str, b: [&str; 2], d: [&str; 2]) {
    let r = same("bucket", bucket_state(env, b[0]), bucket_state(env, b[1])).and_then(|_| {
        same(
            "local tree",
            tree(&env.work.join(d[0])),
            tree(&env.work.join(d[1])),
        )
    });
    s.check(&format!("{name}: same bucket and local state"), r);
}

#[test]
fn boto_s3_matches_aws_cli_v1() {
    let (Some(endpoint), Some(aws)) = (
        std::env::var_os("BOTO_TEST_ENDPOINT"),
        std::env::var_os("BOTO_TEST_AWSCLI"),
    ) else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT (moto) and BOTO_TEST_AWSCLI (aws-cli v1) are set by scripts/test.sh");
        return;
    };
    let started = Instant::now();
    let id = format!(
        "{}-{}",
        std::process::id(),
        started.elapsed().subsec_nanos()
    );
    let work = std::env::temp_dir().join(format!("boto-s3-diff-{id}"));
    std::fs::create_dir_all(&work).unwrap();
    std::fs::write(
        work.join("config"),
        "[default]\ns3 =\n  max_concurrent_requests = 10\n",
    )
    .unwrap();
    let env = Env {
        endpoint: endpoint.to_string_lossy().into_owned(),
        aws: PathBuf::from(aws),
        config: work.join("config"),
        work: work.clone(),
    };
    let n = make_tree(&work.join("tree"));
    assert!(n >= 1000);
    let sfx = std::process::id();
    let (bb, ba) = (format!("s3diff-boto-{sfx}"), format!("s3diff-aws-{sfx}"));
    let b = [bb.as_str(), ba.as_str()];
    let dl = ["dl-boto", "dl-aws"];
    let mut s = Suite {
        passed: 0,
        failed: 0,
        report: String::new(),
    };

    both(&env, &mut s, "mb", &["s3", "mb", "s3://{B}"], b, dl);
    both(
        &env,
        &mut s,
        "cp --recursive up",
        &["s3", "cp", "tree", "s3://{B}/up/", "--recursive"],
        b,
        dl,
    );
    states(&env, &mut s, "cp up", b, ["tree", "tree"]);

    // ls: both CLIs list boto's bucket.
    for args in [
        vec!["s3", "ls"],
        vec!["s3", "ls", "s3://{B}"],
        vec!["s3", "ls", "s3://{B}/up/"],
        vec!["s3", "ls", "s3://{B}/up/d1/"],
        vec!["s3", "ls", "s3://{B}/up/d1/sub"],
        vec!["s3", "ls", "s3://{B}/up/", "--recursive"],
        vec!["s3", "ls", "s3://{B}/up/d2", "--recursive", "--summarize"],
        vec![
            "s3",
            "ls",
            "s3://{B}",
            "--recursive",
            "--human-readable",
            "--summarize",
        ],
        vec![
            "s3",
            "ls",
            "s3://{B}/up/",
            "--recursive",
            "--page-size",
            "7",
        ],
        vec!["s3", "ls", "s3://{B}/nothing-here"],
    ] {
        let a: Vec<String> = args.iter().map(|x| x.replace("{B}", b[0])).collect();
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let (bo, aw) = (env.run(Who::Boto, &a), env.run(Who::Aws, &a));
        let mut r =
            same("exit code", bo.code, aw.code).and_then(|_| same("stdout", &bo.out, &aw.out));
        if a == ["s3", "ls"] {
            // Other tests create buckets concurrently; compare our two only.
            let mine = |o: &str| -> Vec<String> {
                o.lines()
                    .filter(|l| l.contains("s3diff-") && l.contains(&sfx.to_string()))
                    .map(String::from)
                    .collect()
            };
            r = same("stdout (our buckets)", mine(&bo.out), mine(&aw.out));
        }
        s.check(&format!("ls {}", args[2..].join(" ")), r);
    }

    both(
        &env,
        &mut s,
        "cp --recursive down",
        &["s3", "cp", "s3://{B}/up/", "{D}", "--recursive"],
        b,
        dl,
    );
    states(&env, &mut s, "cp down", b, dl);
    s.check(
        "download equals the source tree",
        same("tree", tree(&work.join("dl-boto")), {
            let mut t = tree(&work.join("tree"));
            t.retain(|k, _| k != "broken link");
            t
        }),
    );

    // Change the tree: new files, changed sizes, a future mtime, a removal.
    let t = work.join("tree");
    // S3 times are whole seconds: files written in the second of their upload
    // look newer than the object to both CLIs, so new files are dated back.
    let past = std::time::SystemTime::now() - std::time::Duration::from_secs(10);
    for (p, body) in [
        ("d0/new file.txt", "new"),
        ("d3/sub dir 0/file 10.txt", "changed size"),
    ] {
        std::fs::write(t.join(p), body).unwrap();
        let f = std::fs::File::options()
            .write(true)
            .open(t.join(p))
            .unwrap();
        f.set_modified(past).unwrap();
    }
    let f = std::fs::File::options()
        .write(true)
        .open(t.join("d4/sub dir 1/x13.bin"))
        .unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(3600))
        .unwrap();
    drop(f);
    std::fs::remove_file(t.join("d5/sub dir 2/empty-2")).unwrap();
    both(
        &env,
        &mut s,
        "sync up",
        &["s3", "sync", "tree", "s3://{B}/up/"],
        b,
        dl,
    );
    both(
        &env,
        &mut s,
        "sync up (nothing to do)",
        &["s3", "sync", "tree", "s3://{B}/up/"],
        b,
        dl,
    );
    std::fs::remove_file(t.join("d6/sub dir 0/file 0.txt")).unwrap();
    std::fs::remove_file(t.join("d6/sub dir 0/ünïcödé-1.json")).unwrap();
    both(
        &env,
        &mut s,
        "sync up --delete --exclude *.json",
        &[
            "s3",
            "sync",
            "tree",
            "s3://{B}/up/",
            "--delete",
            "--exclude",
            "*.json",
        ],
        b,
        dl,
    );
    states(&env, &mut s, "sync up", b, dl);
    both(
        &env,
        &mut s,
        "sync up --delete (rest)",
        &["s3", "sync", "tree", "s3://{B}/up/", "--delete"],
        b,
        dl,
    );
    both(
        &env,
        &mut s,
        "sync down --exclude * --include d1/* --include *.md",
        &[
            "s3",
            "sync",
            "s3://{B}/up/",
            "{D}",
            "--exclude",
            "*",
            "--include",
            "d1/*",
            "--include",
            "*.md",
        ],
        b,
        dl,
    );
    std::fs::write(work.join("dl-boto/stray.txt"), "x").unwrap();
    std::fs::write(work.join("dl-aws/stray.txt"), "x").unwrap();
    both(
        &env,
        &mut s,
        "sync down --delete",
        &["s3", "sync", "s3://{B}/up/", "{D}", "--delete"],
        b,
        dl,
    );
    states(&env, &mut s, "sync down", b, dl);
    // Times after a download equal the objects'; move one file back and one
    // forward: by default only a local file newer than its object is fetched
    // again, --exact-timestamps fetches any difference, --size-only neither.
    for d in dl {
        let set = |rel: &str, secs: i64| {
            let p = work.join(d).join(rel);
            let t = std::fs::metadata(&p).unwrap().modified().unwrap();
            let t = if secs < 0 {
                t - std::time::Duration::from_secs(secs.unsigned_abs())
            } else {
                t + std::time::Duration::from_secs(secs as u64)
            };
            std::fs::File::options()
                .write(true)
                .open(&p)
                .unwrap()
                .set_modified(t)
                .unwrap();
        };
        set("top level.txt", -3600);
        set("d2/sub dir 2/x3.bin", 3600);
    }
    for flags in [&["--size-only"][..], &[], &["--exact-timestamps"]] {
        let mut args = vec!["s3", "sync", "s3://{B}/up/", "{D}"];
        args.extend(flags);
        let name = format!("sync down {}", flags.join(" "));
        let lines = both(&env, &mut s, &name, &args, b, dl);
        let expected: &[&str] = match flags.first() {
            Some(&"--size-only") => &[],
            // x13.bin: re-uploaded by every sync up (its local time is in
            // the future), so the local copy's time is an older upload's.
            Some(_) => &[
                "download: s3://BUCKET/up/d4/sub dir 1/x13.bin to DIR/d4/sub dir 1/x13.bin",
                "download: s3://BUCKET/up/top level.txt to DIR/top level.txt",
            ],
            None => &["download: s3://BUCKET/up/d2/sub dir 2/x3.bin to DIR/d2/sub dir 2/x3.bin"],
        };
        s.check(
            &format!("{name}: transfers {expected:?}"),
            same(
                "lines",
                lines,
                expected.iter().map(|l| l.to_string()).collect(),
            ),
        );
    }
    both(
        &env,
        &mut s,
        "sync s3->s3 --exclude d[0-4]*",
        &[
            "s3",
            "sync",
            "s3://{B}/up/",
            "s3://{B}/copy/",
            "--exclude",
            "d[0-4]*",
        ],
        b,
        dl,
    );
    both(
        &env,
        &mut s,
        "rm --recursive --exclude *.txt --dryrun",
        &[
            "s3",
            "rm",
            "s3://{B}/up/",
            "--recursive",
            "--exclude",
            "*.txt",
            "--dryrun",
        ],
        b,
        dl,
    );
    both(
        &env,
        &mut s,
        "rm --recursive --exclude * --include *.md",
        &[
            "s3",
            "rm",
            "s3://{B}/up/",
            "--recursive",
            "--exclude",
            "*",
            "--include",
            "*.md",
        ],
        b,
        dl,
    );
    states(&env, &mut s, "rm", b, dl);
    both(
        &env,
        &mut s,
        "rm --recursive",
        &["s3", "rm", "s3://{B}/", "--recursive"],
        b,
        dl,
    );
    states(&env, &mut s, "rm all", b, dl);

    // Key safety: keys that climb out of the target are skipped, never written.
    for bucket in b {
        for key in ["../evil", "a/../../evil2", "ok/../fine", "safe/file"] {
            let r = env.run(
                Who::Boto,
                &[
                    "s3api",
                    "put-object",
                    "--bucket",
                    bucket,
                    "--key",
                    key,
                    "--body",
                    "config",
                ],
            );
            assert_eq!(r.code, 0, "{}", r.err);
        }
    }
    std::fs::create_dir_all(work.join("safety/boto")).unwrap();
    std::fs::create_dir_all(work.join("safety/aws")).unwrap();
    both(
        &env,
        &mut s,
        "cp --recursive with ../ keys",
        &["s3", "cp", "s3://{B}/", "safety/{D}", "--recursive"],
        b,
        ["boto", "aws"],
    );
    let outside: Vec<String> = std::fs::read_dir(work.join("safety"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .chain(
            std::fs::read_dir(&work)
                .unwrap()
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned()),
        )
        .filter(|n| n.contains("evil"))
        .collect();
    s.check(
        "no key written outside the target",
        if outside.is_empty() && tree(&work.join("safety/boto")).len() == 2 {
            Ok(())
        } else {
            Err(format!(
                "outside: {outside:?}, inside: {:?}",
                tree(&work.join("safety/boto")).keys()
            ))
        },
    );
    both(
        &env,
        &mut s,
        "sync with ../ keys",
        &["s3", "sync", "s3://{B}/", "safety/{D}"],
        b,
        ["boto", "aws"],
    );
    both(
        &env,
        &mut s,
        "rb --force",
        &["s3", "rb", "s3://{B}", "--force"],
        b,
        dl,
    );

    let _ = std::fs::remove_dir_all(&work);
    print!("{}", s.report);
    let summary = format!(
        "\ncli-s3-diff: {} passed, {} failed ({} files, {:.0}s)\n",
        s.passed,
        s.failed,
        n,
        started.elapsed().as_secs_f64()
    );
    let _ = std::io::Write::write_all(&mut std::io::stdout(), summary.as_bytes());
    assert_eq!(
        s.failed, 0,
        "boto s3 differs from aws-cli v1:\n{}",
        s.report
    );
}
