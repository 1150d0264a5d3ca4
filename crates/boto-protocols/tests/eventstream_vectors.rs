//! Runs the event-stream message vectors shipped in the `aws-smithy-eventstream`
//! crate (`test_data/`) through boto-protocols' decoder
//! (`de::eventstream::decode_message`) and encoder (`ser::eventstream::encode_message`).
//!
//! * `valid_*`: decodes, consumes the whole vector, has the expected headers
//!   and payload, and re-encodes byte-identically; every strict prefix of it
//!   is rejected (a truncated frame is an error, not a panic).
//! * `invalid_*`: rejected with an error naming the expected problem, never a panic.
//! * the three valid vectors back to back decode as one stream of three messages.
//!
//! The package ships the encoded messages only; the expected decoded form of
//! `valid_with_all_headers_and_payload` is the one the crate's own test
//! (`frame.rs`, `read_all_headers_and_payload`) asserts, written out below; the
//! other two valid vectors are checked for what their names say (no headers;
//! empty payload) and by the byte-identical re-encoding.
//!
//! The vectors are not committed; `scripts/fetch_data.py` fetches them
//! (pinned, hash-checked) into `.data/eventstream-vectors/`. Set
//! `BOTO_EVENTSTREAM_VECTORS` to point elsewhere.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use boto_protocols::de::eventstream::{crc32, decode_all, decode_message, HeaderValue as Decoded};
use boto_protocols::ser::eventstream::{encode_message, HeaderValue};

const UUID: [u8; 16] = 0xb79bc914_de21_4e13_b8b2_bc47e85b7f0b_u128.to_be_bytes();

/// `valid_with_all_headers_and_payload`, with the wire widths of its integers.
fn all_headers() -> Vec<(&'static str, HeaderValue<'static>)> {
    vec![
        ("true", HeaderValue::Bool(true)),
        ("false", HeaderValue::Bool(false)),
        ("byte", HeaderValue::Byte(50)),
        ("short", HeaderValue::Short(20_000)),
        ("int", HeaderValue::Int(500_000)),
        ("long", HeaderValue::Long(50_000_000_000)),
        ("bytes", HeaderValue::Bytes(b"some bytes")),
        ("str", HeaderValue::String("some str")),
        // 5,000,000 seconds after the epoch, in milliseconds.
        ("time", HeaderValue::Timestamp(5_000_000_000)),
        ("uuid", HeaderValue::Uuid(UUID)),
    ]
}

/// The same headers as the decoder reports them (integers without width).
fn all_headers_decoded() -> Vec<(&'static str, Decoded<'static>)> {
    vec![
        ("true", Decoded::Bool(true)),
        ("false", Decoded::Bool(false)),
        ("byte", Decoded::Int(50)),
        ("short", Decoded::Int(20_000)),
        ("int", Decoded::Int(500_000)),
        ("long", Decoded::Int(50_000_000_000)),
        ("bytes", Decoded::Bytes(b"some bytes")),
        ("str", Decoded::String("some str")),
        ("time", Decoded::Timestamp(5_000_000_000)),
        ("uuid", Decoded::Uuid(UUID)),
    ]
}

/// What each invalid vector must be rejected for (a fragment of our error text).
fn expected_rejection(name: &str) -> Option<&'static str> {
    Some(match name {
        "invalid_prelude_checksum" => "prelude checksum mismatch",
        "invalid_message_checksum" => "message checksum mismatch",
        "invalid_header_value_type" => "unknown header type 96",
        // Headers longer than the message allows.
        "invalid_headers_length" => "inconsistent lengths",
        // A name or value length running past the headers block (smithy-rs
        // reads on past it and reports invalid UTF-8 for `_too_long`).
        "invalid_header_name_length_too_long"
        | "invalid_header_name_length"
        | "invalid_header_string_length_cut_off"
        | "invalid_header_string_value_length" => "truncated header",
        _ => return None,
    })
}

fn check_valid(name: &str, bytes: &[u8]) -> Result<(), String> {
    let (msg, used) = decode_message(bytes).map_err(|e| format!("rejected: {e}"))?;
    if used != bytes.len() {
        return Err(format!("consumed {used} of {} bytes", bytes.len()));
    }
    let mut problems = Vec::new();
    match name {
        "valid_with_all_headers_and_payload" => {
            if msg.headers != all_headers_decoded() {
                problems.push(format!("headers differ: {:?}", msg.headers));
            }
            if msg.payload != b"some payload" {
                problems.push(format!("payload differs: {:?}", msg.payload));
            }
            match encode_message(&all_headers(), b"some payload") {
                Ok(enc) if enc == bytes => {}
                Ok(_) => {
                    problems.push("encoding the expected message differs from the vector".into())
                }
                Err(e) => problems.push(format!("encoding the expected message failed: {e}")),
            }
        }
        "valid_no_headers" if !msg.headers.is_empty() || msg.payload.is_empty() => {
            problems.push(format!("expected no headers and a payload, got {msg:?}"));
        }
        "valid_empty_payload" if msg.headers.is_empty() || !msg.payload.is_empty() => {
            problems.push(format!(
                "expected headers and an empty payload, got {msg:?}"
            ));
        }
        _ => {}
    }
    let again: Vec<(&str, HeaderValue<'_>)> = msg
        .headers
        .iter()
        .map(|(k, v)| (*k, HeaderValue::from_decoded(v)))
        .collect();
    match encode_message(&again, msg.payload) {
        Ok(enc) if enc == bytes => {}
        Ok(enc) => problems.push(format!(
            "re-encoding differs\n--- vector  {bytes:02x?}\n--- encoded {enc:02x?}"
        )),
        Err(e) => problems.push(format!("re-encoding failed: {e}")),
    }
    for cut in 0..bytes.len() {
        if decode_message(&bytes[..cut]).is_ok() {
            problems.push(format!("the first {cut} bytes decoded as a message"));
            break;
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// The vector with its message CRC recomputed over what it holds, so only
/// the fault its name describes is left (the shipped header-fault vectors
/// were corrupted after their CRC was computed; smithy-rs's reader parses
/// headers before checking the CRC, ours checks the CRC first).
fn recrc(bytes: &[u8]) -> Option<Vec<u8>> {
    let total = u32::from_be_bytes(bytes.get(0..4)?.try_into().ok()?) as usize;
    if total < 16 || bytes.len() < total {
        return None;
    }
    let mut fixed = bytes[..total].to_vec();
    let crc = crc32(&fixed[..total - 4]);
    fixed[total - 4..].copy_from_slice(&crc.to_be_bytes());
    Some(fixed)
}

fn check_invalid(name: &str, bytes: &[u8]) -> Result<(), String> {
    if let Ok((msg, _)) = decode_message(bytes) {
        return Err(format!("accepted as shipped: {msg:?}"));
    }
    let Some(why) = expected_rejection(name) else {
        return Ok(()); // a vector this runner does not know: rejected is all it can check
    };
    let candidate = if name.contains("checksum") {
        bytes.to_vec()
    } else {
        recrc(bytes).ok_or("cannot recompute the message CRC")?
    };
    match decode_message(&candidate) {
        Ok((msg, _)) => Err(format!("accepted with its CRC recomputed: {msg:?}")),
        Err(e) if e.to_string().contains(why) => Ok(()),
        Err(e) => Err(format!(
            "rejected for another reason: {e} (expected {why:?})"
        )),
    }
}
/// A check that panics is a failure, reported as such.
fn guarded(f: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err("panicked".into()))
}

fn main() -> ExitCode {
    let explicit = std::env::var_os("BOTO_EVENTSTREAM_VECTORS");
    let root = explicit.clone().map(PathBuf::from).unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.data/eventstream-vectors")
    });
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&root) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("valid_") || n.starts_with("invalid_"))
            })
            .collect(),
        Err(e) if explicit.is_none() => {
            println!(
                "eventstream-vectors: SKIPPED all vectors: not found at {} ({e}); run scripts/fetch_data.py or set BOTO_EVENTSTREAM_VECTORS",
                root.display()
            );
            println!("eventstream-vectors: 0 passed, 0 failed");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            println!("FAIL cannot read {}: {e}", root.display());
            Vec::new()
        }
    };
    files.sort();
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut report = |label: &str, r: Result<(), String>| match r {
        Ok(()) => passed += 1,
        Err(msg) => {
            failed += 1;
            println!("FAIL {label}\n{msg}\n");
        }
    };
    let mut stream = Vec::new();
    let mut valid = 0;
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                report(name, Err(format!("cannot read: {e}")));
                continue;
            }
        };
        if name.starts_with("valid_") {
            valid += 1;
            stream.extend_from_slice(&bytes);
            report(name, guarded(|| check_valid(name, &bytes)));
        } else {
            report(name, guarded(|| check_invalid(name, &bytes)));
        }
    }
    report(
        "all valid vectors as one stream",
        guarded(|| match decode_all(&stream) {
            Ok(msgs) if msgs.len() == valid && valid > 0 => Ok(()),
            Ok(msgs) => Err(format!("{} messages, expected {valid}", msgs.len())),
            Err(e) => Err(format!("rejected: {e}")),
        }),
    );
    println!("eventstream-vectors: {passed} passed, {failed} failed");
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
