//! Event-stream outputs printed as the events arrive.
//!
//! aws-cli v1 leaves most event-stream operations out of its command table
//! (`customizations/removals.py`) and buffers the one it keeps, S3
//! SelectObjectContent, writing the `Records` payloads to an outfile
//! (`customizations/s3events.py`); aws-cli v2 prints events as they come.
//! boto does both:
//!
//! * `s3api select-object-content ... OUTFILE` writes each `Records` payload
//!   as it arrives (`-` is stdout, flushed per event; a file is written
//!   next to the target and renamed into place when the stream has ended,
//!   as other outfiles are), then prints the other output members as
//!   aws-cli does.
//! * Every other event-stream operation prints one JSON document that is
//!   byte for byte what the buffered output would be (`{"Member": ...,
//!   "Stream": [event, ...]}`, aws-cli's indentation), written piece by
//!   piece: the head as soon as the response starts, each event when it
//!   arrives. With `--query` or a non-JSON `--output` the events are
//!   collected first and printed like any other result.
//!
//! An exception event ends the document (still valid JSON) and exits with
//! the service-error status, its message printed as aws-cli prints
//! `EventStreamError`.

use super::map_error;
use crate::args::Globals;
use crate::driver::{print, print_result};
use crate::error::{code, CliError};
use crate::output::{json, Format};
use boto::Value;
use boto_jmespath::Variable;
use std::io::Write;
use std::path::Path;

/// Whether the operation's output has an event-stream member.
pub(super) fn has_event_stream(
    model: &boto_model::ServiceModel,
    op: &boto_model::Operation,
) -> bool {
    op.output
        .as_ref()
        .and_then(|r| model.shape(r.target).as_structure())
        .is_some_and(|s| {
            s.members.iter().any(|m| {
                matches!(&model.shape(m.target).kind,
                    boto_model::ShapeKind::Structure(t) if t.eventstream)
            })
        })
}

/// Runs the call and prints (or writes) the events as they arrive.
pub(super) async fn run(
    g: &Globals,
    client: &boto::Client,
    format: Format,
    op: &str,
    params: Value,
    outfile: Option<&str>,
) -> Result<i32, CliError> {
    let mut out = client
        .call_event_stream(op, params)
        .await
        .map_err(|e| map_error(&e))?;
    if let Some(outfile) = outfile {
        records_to_file(&mut out.events, outfile).await?;
        print_result(g, format, op, &out.value)?;
        return Ok(code::OK);
    }
    if format != Format::Json || g.query.is_some() {
        let member = out.events.member().to_string();
        let events = out.events.collect().await.map_err(|e| map_error(&e))?;
        if let Some(m) = out.value.as_map_mut() {
            m.insert(member, Value::List(events));
        }
        print_result(g, format, op, &out.value)?;
        return Ok(code::OK);
    }
    let mut head = crate::output::to_display(&out.value);
    crate::output::strip_metadata(&mut head);
    let mut doc = String::from("{");
    if let Variable::Object(m) = &head {
        for (k, v) in m {
            doc.push_str(&format!("\n    {}: {},", key(k), nest(v, 1)));
        }
    }
    doc.push_str(&format!("\n    {}: [", key(out.events.member())));
    print(&doc);
    let mut n = 0usize;
    let result = loop {
        match out.events.recv().await {
            Ok(Some(event)) => {
                let sep = if n == 0 { "" } else { "," };
                let text = nest(&crate::output::to_display(&event), 2);
                print(&format!("{sep}\n        {text}"));
                n += 1;
            }
            Ok(None) => break Ok(code::OK),
            Err(e) => break Err(map_error(&e)),
        }
    };
    print(if n == 0 { "]\n}\n" } else { "\n    ]\n}\n" });
    result
}

fn key(k: &str) -> String {
    json::to_string(&Variable::String(k.to_string()), None)
}

/// `v` as aws-cli's JSON at nesting `level` (JSON strings hold no raw newlines).
fn nest(v: &Variable, level: usize) -> String {
    json::to_string(v, Some(4)).replace('\n', &format!("\n{}", "    ".repeat(level)))
}

fn io_err(outfile: &str, e: std::io::Error) -> CliError {
    CliError::other(format!(
        "[Errno {}] {e}: '{outfile}'",
        e.raw_os_error().unwrap_or(0)
    ))
}

/// aws-cli's `S3SelectStreamOutputArgument.save_file`: the `Records`
/// payloads, in order, each written when it arrives.
async fn records_to_file(events: &mut boto::EventStream, outfile: &str) -> Result<(), CliError> {
    let stdout = outfile == "-";
    let target = Path::new(outfile);
    let tmp = target.with_file_name(format!(
        ".{}.boto-{}.tmp",
        target
            .file_name()
            .map(|n| n.to_string_lossy().chars().take(64).collect::<String>())
            .unwrap_or_default(),
        std::process::id()
    ));
    let mut file = if stdout {
        None
    } else {
        Some(std::fs::File::create(&tmp).map_err(|e| io_err(outfile, e))?)
    };
    let written = async {
        while let Some(event) = events.recv().await.map_err(|e| map_error(&e))? {
            let Some(bytes) = event.pointer("Records.Payload").as_blob() else {
                continue;
            };
            match file.as_mut() {
                Some(f) => f.write_all(bytes),
                None => {
                    let mut o = std::io::stdout().lock();
                    o.write_all(bytes).and_then(|()| o.flush())
                }
            }
            .map_err(|e| io_err(outfile, e))?;
        }
        if let Some(f) = file.take() {
            f.sync_all().map_err(|e| io_err(outfile, e))?;
            std::fs::rename(&tmp, target).map_err(|e| io_err(outfile, e))?;
        }
        Ok::<(), CliError>(())
    }
    .await;
    if written.is_err() && !stdout {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}
