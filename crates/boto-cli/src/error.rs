//! CLI errors and aws-cli's exit codes.
//!
//! Scripts branch on aws-cli's exit status, so every failure carries the code
//! aws-cli v2 would use: 252 for bad command lines and parameters, 253 for
//! configuration and credential problems, 254 for errors the service
//! returned, 255 for everything else, 130 on Ctrl-C.

/// Exit codes.
pub mod code {
    pub const OK: i32 = 0;
    pub const USAGE: i32 = 252;
    pub const CONFIG: i32 = 253;
    pub const SERVICE: i32 = 254;
    pub const OTHER: i32 = 255;
    pub const INTERRUPT: i32 = 130;
}

/// A failure to report on stderr, with its exit code.
#[derive(Debug, Clone)]
pub struct CliError {
    pub code: i32,
    pub message: String,
    /// Print the usage banner before the message (argparse-style errors).
    pub usage: bool,
}

impl CliError {
    /// A command-line error: usage banner, `boto: error: ...`, exit 252.
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            code: code::USAGE,
            message: message.into(),
            usage: true,
        }
    }
    /// A parameter value error (exit 252, no banner).
    pub fn param(message: impl Into<String>) -> Self {
        CliError {
            code: code::USAGE,
            message: message.into(),
            usage: false,
        }
    }
    pub fn config(message: impl Into<String>) -> Self {
        CliError {
            code: code::CONFIG,
            message: message.into(),
            usage: false,
        }
    }
    pub fn service(message: impl Into<String>) -> Self {
        CliError {
            code: code::SERVICE,
            message: message.into(),
            usage: false,
        }
    }
    pub fn other(message: impl Into<String>) -> Self {
        CliError {
            code: code::OTHER,
            message: message.into(),
            usage: false,
        }
    }
}

/// The banner argparse prints with usage errors.
pub const USAGE: &str = "usage: boto [options] <command> <subcommand> [<subcommand> ...] [parameters]\n\
To see help text, you can run:\n\n  boto help\n  boto <command> help\n  boto <command> <subcommand> help\n";

impl CliError {
    /// What goes to stderr.
    pub fn render(&self) -> String {
        if self.message.is_empty() {
            String::new()
        } else if self.usage {
            format!("\n{USAGE}\nboto: error: {}\n", self.message)
        } else {
            let m = self.message.trim_end_matches('\n');
            format!("\n{m}\n")
        }
    }
}
