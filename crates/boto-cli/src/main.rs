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
mod help;
mod html;
mod output;
mod paramfile;
mod raw;
mod shorthand;

fn main() {
    let argv: Vec<String> = std::env::args_os()
        .skip(1)
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let code = driver::run(argv);
    std::process::exit(code);
}
