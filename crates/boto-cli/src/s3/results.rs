//! What `boto s3` prints while it works, and the exit code it ends with.
//!
//! Replaces aws-cli's `ResultRecorder`/`ResultPrinter` and its variants
//! (`customizations/s3/results.py`): `upload: ./a to s3://b/a` lines on
//! stdout, `upload failed: ... An error occurred (...) ...` and
//! `warning: ...` lines on stderr, `(dryrun) ` lines, and the live
//! `Completed 12.0 MiB/100.0 MiB (35.2 MiB/s) with 3 file(s) remaining` line.
//! Unlike aws-cli v1 the progress line is only drawn when stdout is a
//! terminal, so redirected output holds just the result lines. Exit codes are
//! aws-cli's: 1 when a transfer failed, else 2 when a file was skipped with a
//! warning, else 0.

use super::config::human_readable_size;
use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::Instant;

/// How much to print (`--quiet`, `--only-show-errors`, `--no-progress`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    ErrorsOnly,
    NoProgress,
    Full,
}

#[derive(Default)]
struct State {
    failed: u64,
    warned: u64,
    expected_files: u64,
    done_files: u64,
    expected_bytes: u64,
    done_bytes: u64,
    totals_final: bool,
    progress_len: usize,
}

/// The shared printer and counters of one command.
pub struct Printer {
    verbosity: Verbosity,
    tty: bool,
    started: Instant,
    state: Mutex<State>,
}

/// Location text: `src to dest`, or just `src` for deletes.
pub fn location(src: &str, dest: Option<&str>) -> String {
    match dest {
        Some(d) => format!("{src} to {d}"),
        None => src.to_string(),
    }
}

impl Printer {
    pub fn new(verbosity: Verbosity) -> Printer {
        Printer {
            verbosity,
            tty: verbosity == Verbosity::Full && std::io::stdout().is_terminal(),
            started: Instant::now(),
            state: Mutex::new(State::default()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn out(&self, st: &mut State, line: &str, to_err: bool) {
        let padded = format!("{:<width$}\n", line, width = st.progress_len);
        st.progress_len = 0;
        if to_err {
            // The progress line lives on stdout; clear it before writing to stderr.
            let _ = std::io::stderr().lock().write_all(padded.as_bytes());
        } else {
            let _ = std::io::stdout().lock().write_all(padded.as_bytes());
        }
        self.draw_progress(st);
    }

    fn draw_progress(&self, st: &mut State) {
        if !self.tty || (st.totals_final && st.done_files == st.expected_files) {
            return;
        }
        let approx = if st.totals_final { "" } else { "~" };
        let remaining = st.expected_files.saturating_sub(st.done_files);
        let mut line = if st.expected_bytes > 0 {
            let secs = self.started.elapsed().as_secs_f64().max(1e-3);
            format!(
                "Completed {}/{approx}{} ({}/s) with {approx}{remaining} file(s) remaining",
                human_readable_size(st.done_bytes),
                human_readable_size(st.expected_bytes),
                human_readable_size((st.done_bytes as f64 / secs) as u64),
            )
        } else {
            format!(
                "Completed {} file(s) with {approx}{remaining} file(s) remaining",
                st.done_files
            )
        };
        if !st.totals_final {
            line.push_str(" (calculating...)");
        }
        let padded = format!("{:<width$}\r", line, width = st.progress_len);
        st.progress_len = line.len().max(st.progress_len);
        let mut o = std::io::stdout().lock();
        let _ = o.write_all(padded.as_bytes());
        let _ = o.flush();
    }

    /// A file is about to be transferred (`size` bytes).
    pub fn queued(&self, size: u64) {
        let mut st = self.lock();
        st.expected_files += 1;
        st.expected_bytes += size;
    }

    /// Every transfer has been queued.
    pub fn totals_final(&self) {
        self.lock().totals_final = true;
    }

    /// The command is done: clears a progress line left on the terminal.
    pub fn finish(&self) {
        let mut st = self.lock();
        if st.progress_len > 0 {
            let blank = format!("{:<width$}\r", "", width = st.progress_len);
            let _ = std::io::stdout().lock().write_all(blank.as_bytes());
            st.progress_len = 0;
        }
    }

    /// Bytes moved by a running transfer.
    pub fn progress(&self, bytes: u64) {
        let mut st = self.lock();
        st.done_bytes += bytes;
        if self.tty {
            self.draw_progress(&mut st);
        }
    }

    /// `upload: a to s3://b/a`.
    pub fn success(&self, kind: &str, loc: &str) {
        let mut st = self.lock();
        st.done_files += 1;
        if self.verbosity == Verbosity::Full || self.verbosity == Verbosity::NoProgress {
            self.out(&mut st, &format!("{kind}: {loc}"), false);
        }
    }

    /// `(dryrun) upload: a to s3://b/a`.
    pub fn dryrun(&self, kind: &str, loc: &str) {
        let mut st = self.lock();
        if self.verbosity != Verbosity::Quiet {
            self.out(&mut st, &format!("(dryrun) {kind}: {loc}"), false);
        }
    }

    /// `upload failed: a to s3://b/a <error>`; the command exits 1.
    pub fn failure(&self, kind: &str, loc: &str, error: &str) {
        let mut st = self.lock();
        st.failed += 1;
        st.done_files += 1;
        if self.verbosity != Verbosity::Quiet {
            self.out(&mut st, &format!("{kind} failed: {loc} {error}"), true);
        }
    }

    /// A `warning: ...` line; the command exits 2 unless something failed.
    pub fn warning(&self, message: &str) {
        let mut st = self.lock();
        st.warned += 1;
        if self.verbosity != Verbosity::Quiet {
            self.out(&mut st, message, true);
        }
    }

    /// A warning that does not skip a file (it does not change the exit code).
    pub fn notice(&self, message: &str) {
        let mut st = self.lock();
        if self.verbosity != Verbosity::Quiet {
            self.out(&mut st, message, true);
        }
    }

    pub fn failed(&self) -> u64 {
        self.lock().failed
    }

    /// aws-cli's exit code: 1 failed transfers, 2 warnings, else 0.
    pub fn exit_code(&self) -> i32 {
        let st = self.lock();
        if st.failed > 0 {
            1
        } else if st.warned > 0 {
            2
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        let p = Printer::new(Verbosity::Quiet);
        assert_eq!(p.exit_code(), 0);
        p.warning("warning: x");
        assert_eq!(p.exit_code(), 2);
        p.notice("warning: not skipped");
        p.failure("upload", "a to b", "boom");
        assert_eq!(p.exit_code(), 1);
        assert_eq!(location("a", Some("b")), "a to b");
        assert_eq!(location("s3://b/k", None), "s3://b/k");
    }
}
