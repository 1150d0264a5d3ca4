//! `boto s3 presign` against s3s-fs (`BOTO_TEST_S3S_ENDPOINT`), which
//! verifies signatures: the URL is fetched over plain HTTP and a tampered one
//! is refused; and Ctrl-C during slowed-down transfers against moto: the
//! multipart upload is aborted and no file or temporary file is left.
//! Also `--acl`, `--sse aws:kms --sse-kms-key-id` and `--no-progress` on moto.
//! Prints `cli-s3-more: N passed, M failed` per test.

mod cli_s3_support;

use cli_s3_support::{env, http_get, Suite};
use std::path::Path;
use std::process::{Command, Stdio};

#[test]
fn presign_against_s3s() {
    let (Ok(ep), Ok(ak), Ok(sk)) = (
        std::env::var("BOTO_TEST_S3S_ENDPOINT"),
        std::env::var("BOTO_TEST_S3S_ACCESS_KEY"),
        std::env::var("BOTO_TEST_S3S_SECRET_KEY"),
    ) else {
        eprintln!("skipped: BOTO_TEST_S3S_ENDPOINT not set (scripts/test.sh starts s3s-fs)");
        return;
    };
    let mut e = env("presign", "[default]\n");
    e.creds = (ak, sk);
    let m = Some(ep.as_str());
    let mut s = Suite::default();
    let b = format!("s3-presign-{}", std::process::id());
    std::fs::write(e.dir.join("hello.txt"), "hello presigned").unwrap();
    let _ = e.run_in(m, &["s3", "mb", &format!("s3://{b}")], None);
    let o = e.run_in(
        m,
        &[
            "s3",
            "cp",
            "hello.txt",
            &format!("s3://{b}/dir/hello world.txt"),
        ],
        None,
    );
    s.check("upload to s3s", o.code == 0, &o.err);
    let o = e.run_in(
        m,
        &[
            "s3",
            "presign",
            &format!("s3://{b}/dir/hello world.txt"),
            "--expires-in",
            "120",
        ],
        None,
    );
    let url = o.out.trim().to_string();
    s.check(
        "presign prints one URL",
        o.code == 0 && url.contains("X-Amz-Expires=120") && url.contains("X-Amz-Signature="),
        &o.out,
    );
    let (status, body) = http_get(&url);
    s.check(
        "the URL fetches the object",
        status == 200 && body == b"hello presigned",
        format!("{status} {}", String::from_utf8_lossy(&body)),
    );
    let tampered = url.replace("X-Amz-Expires=120", "X-Amz-Expires=121");
    let (status, _) = http_get(&tampered);
    s.check("a tampered URL is refused", status == 403, status);
    let o = e.run_in(
        m,
        &[
            "s3",
            "presign",
            &format!("s3://{b}/k"),
            "--expires-in",
            "604801",
        ],
        None,
    );
    s.check("--expires-in over 7 days is refused", o.code == 252, &o.err);
    let _ = e.run_in(m, &["s3", "rb", &format!("s3://{b}"), "--force"], None);
    let _ = std::fs::remove_dir_all(&e.dir);
    let _: &Path = &e.dir;
    s.finish("cli-s3-more (presign)");
}

/// Ctrl-C (SIGINT) in the middle of a slowed-down upload and download:
/// exit 130, the multipart upload aborted (ListMultipartUploads empty on
/// moto), no object, no file and no temporary file left.
#[test]
fn interrupted_transfers_leave_nothing() {
    let Ok(moto) = std::env::var("BOTO_TEST_ENDPOINT") else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/test.sh starts moto)");
        return;
    };
    let e = env(
        "interrupt",
        "[default]\ns3 =\n  multipart_threshold = 5MB\n  multipart_chunksize = 5MB\n  max_bandwidth = 4MB/s\n",
    );
    let m = Some(moto.as_str());
    let mut s = Suite::default();
    let b = format!("s3-intr-{}", std::process::id());
    assert_eq!(
        e.run_in(m, &["s3", "mb", &format!("s3://{b}")], None).code,
        0
    );
    let data: Vec<u8> = (0..40u32 << 20).map(|i| (i % 253) as u8).collect();
    std::fs::write(e.dir.join("big.bin"), &data).unwrap();
    let interrupt = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_boto"));
        c.args(args)
            .args(["--endpoint-url", &moto])
            .current_dir(&e.dir)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", &e.config)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let child = c.spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(2500));
        let _ = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status();
        let o = child.wait_with_output().unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, err) = interrupt(&["s3", "cp", "big.bin", &format!("s3://{b}/big.bin")]);
    let mpus = e.run_in(
        m,
        &[
            "s3api",
            "list-multipart-uploads",
            "--bucket",
            &b,
            "--output",
            "json",
        ],
        None,
    );
    let open: serde_json::Value = serde_json::from_str(&mpus.out).unwrap_or_default();
    let listed = e.run_in(m, &["s3", "ls", &format!("s3://{b}/")], None);
    s.check(
        "interrupted upload: exit 130, multipart upload aborted, no object",
        code == 130
            && err.contains("cancelled: ctrl-c received")
            && open["Uploads"].as_array().is_none_or(|u| u.is_empty())
            && !listed.out.contains("big.bin"),
        format!("exit {code} {err} / {} / {}", mpus.out, listed.out),
    );
    // Put the object up unthrottled, then interrupt a throttled download.
    std::fs::write(&e.config, "[default]\n").unwrap();
    assert_eq!(
        e.run_in(
            m,
            &["s3", "cp", "big.bin", &format!("s3://{b}/big.bin")],
            None
        )
        .code,
        0
    );
    std::fs::write(
        &e.config,
        "[default]\ns3 =\n  multipart_threshold = 5MB\n  multipart_chunksize = 5MB\n  max_bandwidth = 4MB/s\n",
    )
    .unwrap();
    std::fs::create_dir_all(e.dir.join("dl")).unwrap();
    let (code, err) = interrupt(&["s3", "cp", &format!("s3://{b}/big.bin"), "dl/big.bin"]);
    let left: Vec<String> = std::fs::read_dir(e.dir.join("dl"))
        .unwrap()
        .flatten()
        .map(|d| d.file_name().to_string_lossy().into_owned())
        .collect();
    s.check(
        "interrupted download: exit 130, no file, no temporary file",
        code == 130 && left.is_empty(),
        format!("exit {code} {err} left {left:?}"),
    );
    std::fs::write(&e.config, "[default]\n").unwrap();
    let _ = e.run_in(m, &["s3", "rb", &format!("s3://{b}"), "--force"], None);
    let _ = std::fs::remove_dir_all(&e.dir);
    s.finish("cli-s3-more (interrupt)");
}

/// `--acl`, `--sse aws:kms --sse-kms-key-id` and `--no-progress` (on a
/// terminal, where the progress line would otherwise be drawn), on moto.
#[test]
fn acl_kms_and_no_progress() {
    let Ok(moto) = std::env::var("BOTO_TEST_ENDPOINT") else {
        eprintln!("skipped: BOTO_TEST_ENDPOINT not set (scripts/test.sh starts moto)");
        return;
    };
    let e = env("acl-kms", "[default]\n");
    let m = Some(moto.as_str());
    let mut s = Suite::default();
    let b = format!("s3-aclkms-{}", std::process::id());
    assert_eq!(
        e.run_in(m, &["s3", "mb", &format!("s3://{b}")], None).code,
        0
    );
    std::fs::write(e.dir.join("data.txt"), "some data").unwrap();
    let api = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["s3api"];
        all.extend_from_slice(args);
        all.extend(["--bucket", &b, "--output", "json"]);
        serde_json::from_str(&e.run_in(m, &all, None).out).unwrap_or_default()
    };

    let o = e.run_in(
        m,
        &[
            "s3",
            "cp",
            "data.txt",
            &format!("s3://{b}/public.txt"),
            "--acl",
            "public-read",
        ],
        None,
    );
    let acl = api(&["get-object-acl", "--key", "public.txt"]);
    let public = acl["Grants"].as_array().is_some_and(|g| {
        g.iter().any(|g| {
            g["Permission"] == "READ"
                && g["Grantee"]["URI"] == "http://acs.amazonaws.com/groups/global/AllUsers"
        })
    });
    s.check(
        "--acl public-read grants AllUsers READ",
        o.code == 0 && public,
        format!("{} {acl}", o.err),
    );

    let key_id = "arn:aws:kms:us-east-1:123456789012:key/0f4c2a3e-1111-2222-3333-444455556666";
    let o = e.run_in(
        m,
        &[
            "s3",
            "cp",
            "data.txt",
            &format!("s3://{b}/kms.txt"),
            "--sse",
            "aws:kms",
            "--sse-kms-key-id",
            key_id,
        ],
        None,
    );
    let h = api(&["head-object", "--key", "kms.txt"]);
    s.check(
        "--sse aws:kms --sse-kms-key-id",
        o.code == 0 && h["ServerSideEncryption"] == "aws:kms" && h["SSEKMSKeyId"] == key_id,
        format!("{} {h}", o.err),
    );

    // On a terminal (script(1)) the progress line is drawn unless --no-progress.
    let cmd = format!(
        "{} s3 cp data.txt s3://{b}/np.txt --no-progress --endpoint-url {moto}",
        env!("CARGO_BIN_EXE_boto"),
    );
    let tty = Command::new("script")
        .args(["-qefc", &cmd, "/dev/null"])
        .current_dir(&e.dir)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", &e.config)
        .output();
    match tty {
        Ok(t) => {
            let text = String::from_utf8_lossy(&t.stdout);
            s.check(
                "--no-progress on a terminal: result line, no progress line",
                t.status.success()
                    && text.contains(&format!("upload: ./data.txt to s3://{b}/np.txt"))
                    && !text.contains("Completed "),
                format!("{text:?}"),
            );
        }
        Err(err) => eprintln!("--no-progress case skipped: script(1) unavailable ({err})"),
    }
    let _ = e.run_in(m, &["s3", "rb", &format!("s3://{b}"), "--force"], None);
    let _ = std::fs::remove_dir_all(&e.dir);
    s.finish("cli-s3-more (acl/kms/no-progress)");
}
