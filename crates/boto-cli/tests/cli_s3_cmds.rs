//! `boto s3` commands one feature at a time: command-line errors and exit
//! codes (no server needed), then against moto (`BOTO_TEST_ENDPOINT`):
//! transfer settings from the config file's `s3 =` block (multipart parts
//! visible in the ETag), object options (`--content-type` guessing,
//! `--metadata`, `--cache-control`, `--storage-class`, `--sse`), `mv` in all
//! three directions, `-` streams with multipart, symlinks and FIFOs,
//! `--quiet`/`--only-show-errors`/`--dryrun`, GLACIER warnings, failed
//! transfers (exit 1), `sync --delete` withheld after a failure, the
//! progress line on a terminal only, `mb`/`rb`. Prints
//! `cli-s3-cmds: N passed, M failed`.

mod cli_s3_support;

use cli_s3_support::{env, Env, Suite};
use std::process::Command;

#[test]
fn command_line_errors() {
    let e = env("errors", "[default]\n");
    let mut s = Suite::default();
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["s3", "cp", "a"],
            252,
            "the following arguments are required: paths",
        ),
        (&["s3", "cp", "a", "b"], 252, "Error: Invalid argument type"),
        (
            &["s3", "rm", "localpath"],
            252,
            "Error: Invalid argument type",
        ),
        (
            &["s3", "sync", "s3://b/x", "s3://b/y", "--recursive"],
            252,
            "Unknown options: --recursive",
        ),
        (&["s3", "frobnicate"], 252, "Invalid choice: 'frobnicate'"),
        (
            &["s3", "cp", "-", "s3://b/k", "--recursive"],
            252,
            "Streaming currently is only compatible with non-recursive cp commands",
        ),
        (
            &["s3", "sync", "-", "s3://b/k"],
            252,
            "Streaming currently is only compatible",
        ),
        (
            &["s3", "mv", "s3://b/k", "s3://b/k"],
            252,
            "Cannot mv a file onto itself: s3://b/k - s3://b/k",
        ),
        (
            &["s3", "mv", "s3://b/k", "s3://b/"],
            252,
            "Cannot mv a file onto itself",
        ),
        (
            &["s3", "cp", "no-such-file", "s3://b/"],
            255,
            "The user-provided path no-such-file does not exist.",
        ),
        (
            &["s3", "ls", "--page-size", "many"],
            252,
            "argument --page-size: invalid int value: 'many'",
        ),
        (
            &["s3", "cp", "a", "s3://b/", "--sse", "rot13"],
            252,
            "argument --sse: Invalid choice",
        ),
        (
            &["s3", "cp", "a", "s3://b/", "--metadata", "oops"],
            252,
            "Error parsing parameter '--metadata'",
        ),
        (
            &["s3", "mb", "bucket"],
            252,
            "usage: boto s3 mb <S3Uri>\nError: Invalid argument type",
        ),
        (
            &["s3", "rb", "s3://bucket/key"],
            255,
            "Please specify a valid bucket name only. E.g. s3://bucket",
        ),
    ];
    for (args, code, msg) in cases {
        let o = e.run_in(Some("http://127.0.0.1:9"), args, None);
        s.check(
            &args.join(" "),
            o.code == *code && o.err.contains(msg),
            format!("exit {} stderr {:?}", o.code, o.err),
        );
    }
    for (cfg, msg) in [
        (
            "max_bandwidth = 10MB",
            "Invalid rate: 10MB. The value must be expressed as a rate",
        ),
        (
            "max_concurrent_requests = 0",
            "Value for max_concurrent_requests must be a positive integer: 0",
        ),
        ("multipart_chunksize = 8XB", "Invalid size value: 8XB"),
    ] {
        std::fs::write(&e.config, format!("[default]\ns3 =\n  {cfg}\n")).unwrap();
        let o = e.run_in(Some("http://127.0.0.1:9"), &["s3", "ls", "s3://b"], None);
        s.check(
            &format!("config {cfg}"),
            o.code == 255 && o.err.contains(msg),
            &o.err,
        );
    }
    let _ = std::fs::remove_dir_all(&e.dir);
    s.finish("cli-s3-cmds (errors)");
}

fn head(e: &Env, moto: &str, bucket: &str, key: &str) -> serde_json::Value {
    let o = e.run_in(
        Some(moto),
        &[
            "s3api",
            "head-object",
            "--bucket",
            bucket,
            "--key",
            key,
            "--output",
            "json",
        ],
        None,
    );
    serde_json::from_str(&o.out).unwrap_or(serde_json::Value::Null)
}

#[test]
fn commands_against_moto() {
    let Ok(moto) = std::env::var("BOTO_TEST_ENDPOINT") else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/test.sh starts moto)");
        return;
    };
    let e = env(
        "cmds",
        "[default]\ns3 =\n  multipart_threshold = 5MB\n  multipart_chunksize = 5MB\n  max_concurrent_requests = 4\n",
    );
    let m = Some(moto.as_str());
    let mut s = Suite::default();
    let b = format!("s3-cmds-{}", std::process::id());
    let uri = |k: &str| format!("s3://{b}/{k}");
    let o = e.run_in(m, &["s3", "mb", &uri("")], None);
    s.check(
        "mb",
        o.code == 0 && o.out == format!("make_bucket: {b}\n"),
        &o.out,
    );

    // s3 = settings: a 12 MiB file goes up in 5 MiB parts (ETag "-3").
    let big: Vec<u8> = (0..12u32 << 20).map(|i| (i % 251) as u8).collect();
    std::fs::write(e.dir.join("big.bin"), &big).unwrap();
    let o = e.run_in(m, &["s3", "cp", "big.bin", &uri("big.bin")], None);
    let etag = head(&e, &moto, &b, "big.bin")["ETag"]
        .as_str()
        .unwrap_or("")
        .to_string();
    s.check(
        "multipart_threshold/chunksize from the s3 block",
        o.code == 0
            && o.out == format!("upload: ./big.bin to {}\n", uri("big.bin"))
            && etag.ends_with("-3\""),
        format!("{} {etag}", o.err),
    );

    // Object options.
    std::fs::write(e.dir.join("page.html"), "<p>hi</p>").unwrap();
    std::fs::write(e.dir.join("data"), "x").unwrap();
    let o = e.run_in(
        m,
        &[
            "s3",
            "cp",
            "page.html",
            &uri("o/"),
            "--metadata",
            "k1=v1,k2=v2",
            "--cache-control",
            "max-age=60",
            "--storage-class",
            "STANDARD_IA",
            "--sse",
            "AES256",
        ],
        None,
    );
    let h = head(&e, &moto, &b, "o/page.html");
    s.check(
        "guessed content type, metadata, cache-control, storage class, sse",
        o.code == 0
            && h["ContentType"] == "text/html"
            && h["Metadata"]["k2"] == "v2"
            && h["CacheControl"] == "max-age=60"
            && h["StorageClass"] == "STANDARD_IA"
            && h["ServerSideEncryption"] == "AES256",
        format!("{} {h}", o.err),
    );
    let o = e.run_in(
        m,
        &[
            "s3",
            "cp",
            "data",
            &uri("o/data"),
            "--content-type",
            "text/x-custom",
        ],
        None,
    );
    let h = head(&e, &moto, &b, "o/data");
    s.check(
        "explicit --content-type",
        o.code == 0 && h["ContentType"] == "text/x-custom",
        &h,
    );
    let o = e.run_in(
        m,
        &[
            "s3",
            "cp",
            "page.html",
            &uri("o/raw.html"),
            "--no-guess-mime-type",
        ],
        None,
    );
    let h = head(&e, &moto, &b, "o/raw.html");
    s.check(
        "--no-guess-mime-type",
        o.code == 0 && h["ContentType"] != "text/html",
        &h,
    );

    // mv in all three directions.
    std::fs::write(e.dir.join("moving.txt"), "move me").unwrap();
    let o = e.run_in(m, &["s3", "mv", "moving.txt", &uri("mv/a.txt")], None);
    s.check(
        "mv local->s3 removes the file",
        o.code == 0
            && o.out == format!("move: ./moving.txt to {}\n", uri("mv/a.txt"))
            && !e.dir.join("moving.txt").exists(),
        &o.out,
    );
    let o = e.run_in(m, &["s3", "mv", &uri("mv/a.txt"), &uri("mv/b.txt")], None);
    let gone = head(&e, &moto, &b, "mv/a.txt").is_null();
    s.check("mv s3->s3 removes the source", o.code == 0 && gone, &o.out);
    let o = e.run_in(m, &["s3", "mv", &uri("mv/b.txt"), "back/"], None);
    let got = std::fs::read_to_string(e.dir.join("back/b.txt")).unwrap_or_default();
    s.check(
        "mv s3->local",
        o.code == 0 && got == "move me" && head(&e, &moto, &b, "mv/b.txt").is_null(),
        &o.out,
    );

    // Streams: 12 MiB of stdin (multipart), and back to stdout.
    let o = e.run_in(
        m,
        &[
            "s3",
            "cp",
            "-",
            &uri("stream.bin"),
            "--expected-size",
            "12582912",
        ],
        Some(&big),
    );
    s.check(
        "cp - s3:// (quiet by default)",
        o.code == 0 && o.out.is_empty(),
        &o.err,
    );
    let o = e.run_in(m, &["s3", "cp", &uri("stream.bin"), "-"], None);
    s.check(
        "cp s3:// - is bit-identical",
        o.code == 0 && o.raw == big,
        format!("{} bytes {}", o.raw.len(), o.err),
    );

    // Symlinks, FIFOs, --quiet, --only-show-errors, --dryrun.
    let t = e.dir.join("tree");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(t.join("real.txt"), "r").unwrap();
    std::os::unix::fs::symlink(t.join("real.txt"), t.join("link.txt")).unwrap();
    let fifo = t.join("pipe");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|st| st.success());
    let o = e.run_in(m, &["s3", "cp", "tree", &uri("t1/"), "--recursive"], None);
    let fifo_warned = !made
        || o.err.contains(
            "pipe. File is character special device, block special device, FIFO, or socket.",
        );
    s.check(
        "links followed, FIFO skipped with a warning (exit 2)",
        o.code == if made { 2 } else { 0 } && o.out.contains("link.txt") && fifo_warned,
        format!("{} / {}", o.out, o.err),
    );
    let o = e.run_in(
        m,
        &[
            "s3",
            "cp",
            "tree",
            &uri("t2/"),
            "--recursive",
            "--no-follow-symlinks",
            "--quiet",
        ],
        None,
    );
    let l = e.run_in(m, &["s3", "ls", &uri("t2/")], None);
    s.check(
        "--no-follow-symlinks skips links; --quiet prints nothing",
        o.out.is_empty()
            && o.err.is_empty()
            && l.out.contains("real.txt")
            && !l.out.contains("link.txt"),
        format!("{:?} {:?} {}", o.out, o.err, l.out),
    );
    let o = e.run_in(
        m,
        &["s3", "rm", &uri("t1/"), "--recursive", "--dryrun"],
        None,
    );
    let l = e.run_in(m, &["s3", "ls", &uri("t1/")], None);
    s.check(
        "--dryrun changes nothing",
        o.out
            .contains(&format!("(dryrun) delete: {}", uri("t1/real.txt")))
            && l.out.contains("real.txt"),
        &o.out,
    );
    let missing = format!("{b}-missing");
    let o = e.run_in(
        m,
        &[
            "s3",
            "cp",
            "data",
            &format!("s3://{missing}/data"),
            "--only-show-errors",
        ],
        None,
    );
    s.check(
        "failed upload: exit 1 and aws-cli's failure line",
        o.code == 1
            && o.out.is_empty()
            && o.err.contains(&format!("upload failed: ./data to s3://{missing}/data An error occurred (NoSuchBucket) when calling the PutObject operation")),
        &o.err,
    );
    let o = e.run_in(m, &["s3", "ls", &format!("s3://{missing}")], None);
    s.check(
        "ls of a missing bucket: exit 254",
        o.code == 254 && o.err.contains("NoSuchBucket"),
        &o.err,
    );
    let o = e.run_in(m, &["s3", "cp", &uri("nope/x"), "x"], None);
    s.check(
        "download of a missing key: fatal error, exit 1",
        o.code == 1 && o.err.contains("fatal error: An error occurred (404) when calling the HeadObject operation: Key \"nope/x\" does not exist"),
        &o.err,
    );

    // Archived objects are skipped with aws-cli's warning.
    let o = e.run_in(
        m,
        &[
            "s3api",
            "put-object",
            "--bucket",
            &b,
            "--key",
            "cold/a.txt",
            "--body",
            "data",
            "--storage-class",
            "GLACIER",
        ],
        None,
    );
    assert_eq!(o.code, 0, "{}", o.err);
    let o = e.run_in(m, &["s3", "cp", &uri("cold/"), "cold", "--recursive"], None);
    s.check(
        "GLACIER objects skipped with a warning (exit 2)",
        o.code == 2
            && o.err.contains(&format!(
                "warning: Skipping file {}. Object is of storage class GLACIER.",
                uri("cold/a.txt")
            ))
            && !e.dir.join("cold/a.txt").exists(),
        &o.err,
    );
    let o = e.run_in(
        m,
        &[
            "s3",
            "cp",
            &uri("cold/"),
            "cold",
            "--recursive",
            "--ignore-glacier-warnings",
        ],
        None,
    );
    s.check(
        "--ignore-glacier-warnings",
        o.code == 0 && o.err.is_empty(),
        &o.err,
    );

    // sync --delete deletes nothing when a transfer failed.
    for k in ["sd/x", "sd/y"] {
        let _ = e.run_in(m, &["s3", "cp", "data", &uri(k)], None);
    }
    std::fs::create_dir_all(e.dir.join("sdl/x")).unwrap();
    std::fs::write(e.dir.join("sdl/stray.txt"), "keep").unwrap();
    let o = e.run_in(m, &["s3", "sync", &uri("sd/"), "sdl", "--delete"], None);
    s.check(
        "sync --delete withholds deletes after a failed transfer",
        o.code == 1
            && o.err
                .contains(&format!("download failed: {} to sdl/x", uri("sd/x")))
            && o.out
                .contains(&format!("download: {} to sdl/y", uri("sd/y")))
            && e.dir.join("sdl/stray.txt").exists()
            && o.err
                .contains("1 file(s) not deleted because transfers failed"),
        format!("{} / {}", o.out, o.err),
    );
    std::fs::remove_dir(e.dir.join("sdl/x")).unwrap();
    let o = e.run_in(m, &["s3", "sync", &uri("sd/"), "sdl", "--delete"], None);
    s.check(
        "... and deletes once they succeed",
        o.code == 0
            && o.out.contains("delete: sdl/stray.txt")
            && !e.dir.join("sdl/stray.txt").exists(),
        format!("{} / {}", o.out, o.err),
    );

    // The progress line is drawn on a terminal only (script(1) provides one).
    let cmd = format!(
        "{} s3 cp big.bin {} --endpoint-url {moto}",
        env!("CARGO_BIN_EXE_boto"),
        uri("tty.bin")
    );
    let tty = Command::new("script")
        .args(["-qefc", &cmd, "/dev/null"])
        .current_dir(&e.dir)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", &e.config)
        .output();
    if let Ok(t) = tty {
        let text = String::from_utf8_lossy(&t.stdout);
        s.check(
            "progress line on a terminal",
            text.contains("Completed ")
                && text.contains("MiB/12.0 MiB (")
                && text.contains("with 1 file(s) remaining\r")
                && text.contains(&format!("upload: ./big.bin to {}", uri("tty.bin"))),
            format!("{text:?}"),
        );
    }
    let o = e.run_in(m, &["s3", "cp", "big.bin", &uri("notty.bin")], None);
    s.check(
        "no progress line when redirected",
        o.code == 0 && !o.out.contains("Completed"),
        &o.out,
    );

    let o = e.run_in(m, &["s3", "rb", &uri("")], None);
    s.check(
        "rb of a non-empty bucket fails (exit 1)",
        o.code == 1
            && o.err.contains(&format!(
                "remove_bucket failed: s3://{b}/ An error occurred (BucketNotEmpty)"
            )),
        &o.err,
    );
    let o = e.run_in(m, &["s3", "rb", &uri(""), "--force"], None);
    s.check(
        "rb --force",
        o.code == 0 && o.out.ends_with(&format!("remove_bucket: {b}\n")),
        &o.out,
    );
    let _ = std::fs::remove_dir_all(&e.dir);
    s.finish("cli-s3-cmds");
}
