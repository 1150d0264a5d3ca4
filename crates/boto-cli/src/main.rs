//! `boto`: an aws-cli compatible command line built on boto-rs.
//!
//! Every service and operation comes from the botocore models embedded in
//! boto-model, so the CLI needs no per-service code. The binary is a thin
//! dispatcher: global options ([`args`]), command table ([`cmdtable`]),
//! parameter building ([`build`]), output ([`output`]), help ([`help`]),
//! completion, configuration, and the one module that talks to the network
//! ([`exec`]).

mod args;
mod build;
mod cmdtable;
mod completion;
mod configure;
mod debuglog;
mod driver;
mod error;
mod exec;
mod export_creds;
mod help;
mod html;
mod output;
mod paramfile;
mod raw;
mod s3;
mod shorthand;
mod sso;

fn main() {
    // An argument that is not UTF-8 is refused, not silently turned into
    // U+FFFD (which would, say, upload to a key nobody asked for).
    let mut argv = Vec::new();
    for (i, arg) in std::env::args_os().skip(1).enumerate() {
        match arg.into_string() {
            Ok(s) => argv.push(s),
            Err(raw) => {
                let e = error::CliError::usage(format!(
                    "argument {} is not valid UTF-8: {raw:?}",
                    i + 1
                ));
                eprint!("{}", e.render());
                std::process::exit(e.code);
            }
        }
    }
    let code = driver::run(argv);
    std::process::exit(code);
}
