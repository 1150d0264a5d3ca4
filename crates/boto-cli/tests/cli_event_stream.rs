//! `boto` prints event-stream outputs as the events arrive: against a local
//! server that holds back the rest of the stream until the test has read
//! the first event from the CLI's stdout. The streamed JSON document is byte
//! for byte the buffered one (`--query @` takes the buffered path); S3
//! Select writes its Records to the outfile; an exception event closes the
//! document and exits 254 with aws-cli's message. Prints
//! `cli-event-stream: N passed, M failed`.

#[path = "../../boto-runtime/tests/event_stream_support/mod.rs"]
mod es;
use boto::core::protocols as es_protocols;

use es::{event, exception, stream_head, EsServer, Step};
use std::io::Read;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

type CaseResult = Result<(), String>;
type Case = (&'static str, fn() -> CaseResult);

fn boto(server: &EsServer, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_boto"));
    c.args(args)
        .args(["--endpoint-url", &server.url()])
        .env("AWS_ACCESS_KEY_ID", "AKIDEVENTSTREAM")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", "/dev/null")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    c
}

fn run(server: &EsServer, args: &[&str]) -> Result<Output, String> {
    boto(server, args).output().map_err(|e| e.to_string())
}

/// Reads the child's stdout until `want` has appeared (or the time is up).
fn read_until(child: &mut Child, got: &mut Vec<u8>, want: &str) -> CaseResult {
    let out = child.stdout.as_mut().ok_or("no stdout")?;
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(got).contains(want) {
        if Instant::now() > deadline {
            return Err(format!(
                "timed out waiting for {want:?}; got {:?}",
                String::from_utf8_lossy(got)
            ));
        }
        let n = out.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err(format!(
                "stdout closed before {want:?}: {:?}",
                String::from_utf8_lossy(got)
            ));
        }
        got.extend_from_slice(&buf[..n]);
    }
    Ok(())
}

fn converse_script(hold: bool) -> Vec<Step> {
    let mut s = vec![
        stream_head(&[]),
        Step::Chunk(event("messageStart", br#"{"role":"assistant"}"#)),
    ];
    if hold {
        s.push(Step::Wait);
    }
    s.extend([
        Step::Chunk(event(
            "contentBlockDelta",
            br#"{"contentBlockIndex":0,"delta":{"text":"Hello"}}"#,
        )),
        Step::Chunk(event("messageStop", br#"{"stopReason":"end_turn"}"#)),
        Step::End,
    ]);
    s
}

const CONVERSE: &[&str] = &[
    "bedrock-runtime",
    "converse-stream",
    "--model-id",
    "m",
    "--messages",
    r#"[{"role":"user","content":[{"text":"hi"}]}]"#,
];

const EXPECTED: &str = r#"{
    "stream": [
        {
            "messageStart": {
                "role": "assistant"
            }
        },
        {
            "contentBlockDelta": {
                "delta": {
                    "text": "Hello"
                },
                "contentBlockIndex": 0
            }
        },
        {
            "messageStop": {
                "stopReason": "end_turn"
            }
        }
    ]
}
"#;

/// The first event is on stdout while the server still holds the rest.
fn prints_events_before_the_stream_ends() -> CaseResult {
    let server = EsServer::start(vec![converse_script(true)]);
    let mut child = boto(&server, CONVERSE)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut got = Vec::new();
    let first = read_until(&mut child, &mut got, "\"assistant\"");
    let sent_then = server.sent();
    server.go();
    first?;
    if sent_then != 1 {
        return Err(format!("the server had written {sent_then} events"));
    }
    let mut rest = Vec::new();
    child
        .stdout
        .take()
        .ok_or("stdout")?
        .read_to_end(&mut rest)
        .map_err(|e| e.to_string())?;
    got.extend(rest);
    let status = child.wait().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&got);
    if !status.success() || text != EXPECTED {
        return Err(format!("status {status}, stdout:\n{text}"));
    }
    Ok(())
}

/// `--query @` collects the events first: the same bytes.
fn buffered_output_is_the_same_document() -> CaseResult {
    let server = EsServer::start(vec![converse_script(false)]);
    let out = run(&server, &[CONVERSE, &["--query", "@"]].concat())?;
    let text = String::from_utf8_lossy(&out.stdout);
    if text != EXPECTED {
        return Err(format!(
            "stdout:\n{text}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let out = run(
        &server,
        &[
            CONVERSE,
            &[
                "--query",
                "stream[1].contentBlockDelta.delta.text",
                "--output",
                "text",
            ],
        ]
        .concat(),
    )?;
    let text = String::from_utf8_lossy(&out.stdout);
    if text != "Hello\n" {
        return Err(format!("text output {text:?}"));
    }
    Ok(())
}

/// Lambda: the header members come first, then the stream member (an
/// event with no members is still an event, as in botocore).
fn header_members_then_events() -> CaseResult {
    let server = EsServer::start(vec![vec![
        stream_head(&[("X-Amz-Executed-Version", "3")]),
        Step::Chunk(event("InvokeComplete", br#"{}"#)),
        Step::End,
    ]]);
    let out = run(
        &server,
        &[
            "lambda",
            "invoke-with-response-stream",
            "--function-name",
            "f",
        ],
    )?;
    let text = String::from_utf8_lossy(&out.stdout);
    let want = "{\n    \"StatusCode\": 200,\n    \"ExecutedVersion\": \"3\",\n    \
                \"ResponseStreamContentType\": \"application/vnd.amazon.eventstream\",\n    \
                \"EventStream\": [\n        {\n            \"InvokeComplete\": {}\n        }\n    ]\n}\n";
    if text != want {
        return Err(format!(
            "stdout:\n{text}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// An exception event: what arrived is printed, the document closed, exit 254.
fn exception_event_exits_254() -> CaseResult {
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("messageStart", br#"{"role":"assistant"}"#)),
        Step::Chunk(exception(
            "throttlingException",
            br#"{"message":"slow down"}"#,
        )),
        Step::End,
    ]]);
    let out = run(&server, CONVERSE)?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want_out =
        "{\n    \"stream\": [\n        {\n            \"messageStart\": {\n                \
                    \"role\": \"assistant\"\n            }\n        }\n    ]\n}\n";
    let want_err = "An error occurred (throttlingException) when calling the ConverseStream \
                    operation: slow down";
    if out.status.code() != Some(254) || stdout != want_out || !stderr.contains(want_err) {
        return Err(format!(
            "status {:?}\nstdout:\n{stdout}\nstderr:\n{stderr}",
            out.status.code()
        ));
    }
    Ok(())
}

/// S3 Select keeps aws-cli's outfile: the Records payloads, nothing else.
fn s3_select_writes_records_to_outfile() -> CaseResult {
    let server = EsServer::start(vec![vec![
        stream_head(&[]),
        Step::Chunk(event("Records", b"a,1\n")),
        Step::Chunk(event("Records", b"b,2\n")),
        Step::Chunk(event("End", b"")),
        Step::End,
    ]]);
    let dir = std::env::temp_dir().join(format!("boto-cli-es-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("out.csv");
    let args = [
        "s3api",
        "select-object-content",
        "--bucket",
        "b",
        "--key",
        "k.csv",
        "--expression",
        "SELECT * FROM S3Object",
        "--expression-type",
        "SQL",
        "--input-serialization",
        "CSV={}",
        "--output-serialization",
        "CSV={}",
    ];
    let out = run(
        &server,
        &[&args[..], &[file.to_str().unwrap_or_default()]].concat(),
    )?;
    let written = std::fs::read(&file).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    if !out.status.success() || written != b"a,1\nb,2\n" || !out.stdout.is_empty() {
        return Err(format!(
            "status {}, file {:?}, stdout {:?}, stderr {}",
            out.status,
            String::from_utf8_lossy(&written),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let out = run(&server, &[&args[..], &["-"]].concat())?;
    if out.stdout != b"a,1\nb,2\n" {
        return Err(format!("stdout {:?}", String::from_utf8_lossy(&out.stdout)));
    }
    Ok(())
}

#[test]
fn cli_event_stream() {
    let cases: [Case; 5] = [
        (
            "prints-events-before-the-stream-ends",
            prints_events_before_the_stream_ends,
        ),
        (
            "buffered-output-is-the-same-document",
            buffered_output_is_the_same_document,
        ),
        ("header-members-then-events", header_members_then_events),
        ("exception-event-exits-254", exception_event_exits_254),
        (
            "s3-select-writes-records-to-outfile",
            s3_select_writes_records_to_outfile,
        ),
    ];
    let (mut passed, mut failed) = (0, 0);
    for (name, case) in cases {
        match case() {
            Ok(()) => passed += 1,
            Err(e) => {
                failed += 1;
                println!("FAIL {name}: {e}");
            }
        }
    }
    println!("cli-event-stream: {passed} passed, {failed} failed");
    assert_eq!(failed, 0);
}
