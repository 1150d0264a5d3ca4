//! `boto s3 ls|cp|mv|rm|sync|mb|rb|presign`: aws-cli's high-level S3 commands.
//!
//! Replaces `awscli/customizations/s3/` (v1): argument tables ([`args`]),
//! paths ([`path`]), file listing ([`walk`]), include/exclude ([`filter`]),
//! sync comparison ([`sync`]), the transfer handler ([`transfer`]), result
//! lines and exit codes ([`results`]), and transfer settings from the config
//! file's `s3 =` block ([`config`]). The output lines, warnings and exit
//! codes are aws-cli's so scripts keep working; where aws-cli v1 is unsafe
//! (keys such as `../x` written outside the target, `sync --delete` deleting
//! while transfers still fail, half-written downloads) boto is stricter.

pub mod args;
mod backend;
mod bucket;
pub mod config;
mod delete;
pub mod filter;
mod ls;
mod mime;
pub mod outfile;
pub mod path;
pub mod results;
mod sync;
mod transfer;
pub mod walk;

use crate::args::Globals;
use crate::error::{code, CliError};
use boto::{ClientOptions, Session};
use std::time::Duration;

/// aws-cli's usage strings per command.
pub fn usage(cmd: &str) -> &'static str {
    match cmd {
        "ls" => "<S3Uri> or NONE",
        "cp" | "mv" => "<LocalPath> <S3Uri> or <S3Uri> <LocalPath> or <S3Uri> <S3Uri>",
        "sync" => "<LocalPath> <S3Uri> or <S3Uri> <LocalPath> or <S3Uri> <S3Uri>",
        _ => "<S3Uri>",
    }
}

const COMMANDS: &[&str] = &["cp", "ls", "mb", "mv", "presign", "rb", "rm", "sync"];

fn help_text() -> String {
    let mut s = String::from(
        "s3\n\nThis section explains prominent concepts and notations in the set of high-level S3 commands provided.\n\nAvailable commands:\n\n",
    );
    for c in COMMANDS {
        s.push_str(&format!("  o {c}\n"));
    }
    s
}

/// The S3 client of a command, built from the global options like every other command's.
pub struct Ctx {
    pub client: boto::Client,
    pub session: Session,
    /// Cancelled on Ctrl-C.
    pub cancel: boto_transfer::CancelToken,
}

fn secs(v: &Option<String>) -> Option<Duration> {
    let f: f64 = v.as_deref()?.trim().parse().ok()?;
    if f < 0.0 {
        return None;
    }
    Duration::try_from_secs_f64(if f == 0.0 { 86400.0 } else { f }).ok()
}

fn connect(g: &Globals, cancel: boto_transfer::CancelToken) -> Result<Ctx, CliError> {
    if g.debug {
        crate::debuglog::install();
    }
    let session = Session::builder()
        .profile_opt(g.profile.clone())
        .region_opt(g.region.clone())
        .build()
        .map_err(|e| CliError::config(e.report()))?;
    let opts = ClientOptions {
        endpoint_url: g.endpoint_url.clone(),
        verify_tls: g.no_verify_ssl.then_some(false),
        ca_bundle: g.ca_bundle.clone(),
        connect_timeout: secs(&g.connect_timeout),
        read_timeout: secs(&g.read_timeout),
        sign_requests: g.no_sign_request.then_some(false),
        ..Default::default()
    };
    let client = session
        .client_with("s3", &opts)
        .map_err(|e| crate::exec::map_error(&e))?;
    if g.debug {
        crate::debuglog::session(&session, &client);
    }
    Ok(Ctx {
        client,
        session,
        cancel,
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CliError::other(format!("cannot start the async runtime: {e}")))
}

/// `boto s3 <command> ...`; `words` starts after `s3`.
pub fn run(g: &Globals, words: &[String]) -> Result<i32, CliError> {
    let Some(cmd) = words.first().map(String::as_str) else {
        return Err(CliError::usage(
            "the following arguments are required: operation",
        ));
    };
    if cmd == "help" {
        crate::help::show(&help_text());
        return Ok(code::OK);
    }
    if !COMMANDS.contains(&cmd) {
        let choices: Vec<String> = COMMANDS.iter().map(|s| s.to_string()).collect();
        return Err(crate::driver::invalid_choice("operation", cmd, &choices));
    }
    let rest = &words[1..];
    if rest.first().is_some_and(|w| w == "help") {
        crate::help::show(&format!(
            "{cmd}\n\nSynopsis: boto s3 {cmd} {}\n",
            usage(cmd)
        ));
        return Ok(code::OK);
    }
    let a = args::parse(cmd, rest)?;
    let settings = config::load(g.profile.as_deref())?;
    let cmd = cmd.to_string();
    let g = g.clone();
    let rt = runtime()?;
    let cancel = boto_transfer::CancelToken::new();
    rt.block_on(async move {
        let fut = async {
            let ctx = connect(&g, cancel.clone())?;
            match cmd.as_str() {
                "ls" => ls::run(&ctx.client, &a).await,
                "mb" => bucket::mb(&ctx, &a).await,
                "rb" => bucket::rb(&ctx, &a, &settings).await,
                "presign" => bucket::presign(&ctx, &a).await,
                _ => transfer::run(&ctx, &cmd, a, &settings).await,
            }
        };
        tokio::pin!(fut);
        let interrupted = CliError {
            code: code::INTERRUPT,
            message: String::new(),
            usage: false,
        };
        tokio::select! {
            r = &mut fut => r,
            _ = tokio::signal::ctrl_c() => {
                // Let running transfers stop cleanly (multipart uploads
                // aborted, temporary files removed); a second Ctrl-C or 30 s
                // ends the wait.
                eprintln!("cancelled: ctrl-c received");
                cancel.cancel();
                tokio::select! {
                    _ = tokio::time::timeout(Duration::from_secs(30), &mut fut) => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
                Err(interrupted)
            }
        }
    })
}
