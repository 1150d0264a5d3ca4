//! `--debug`: the runtime's `tracing` events printed to stderr, aws-cli style.
//!
//! The pipeline already emits events per call and per attempt (request line
//! with credentials and signatures redacted, status, request id, retries with
//! their reason and delay). This tiny subscriber prints them without pulling
//! `tracing-subscriber` into the binary. [`session`] adds what aws-cli's
//! `--debug` says about the setup: the profile, region and endpoint; the
//! pipeline then names the credentials' provider and file, the resolved
//! endpoint and auth scheme, the Authorization header's credential scope
//! (never its signature), each attempt and each retry decision.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

struct StderrLog {
    next_id: AtomicU64,
}

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?} ");
        } else {
            let _ = write!(self.0, "{}={value:?} ", field.name());
        }
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value} ");
        } else {
            let _ = write!(self.0, "{}={value} ", field.name());
        }
    }
}

impl Subscriber for StderrLog {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(self.next_id.fetch_add(1, Ordering::Relaxed))
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let meta = event.metadata();
        if !meta.target().starts_with("boto") {
            return;
        }
        let mut fields = Fields(String::new());
        event.record(&mut fields);
        eprintln!(
            "{} - {} - {} - {}",
            boto::Timestamp::now().to_iso8601(),
            meta.target(),
            meta.level(),
            fields.0.trim_end()
        );
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

/// Installs the stderr logger for this process (once).
pub fn install() {
    let _ = tracing::subscriber::set_global_default(StderrLog {
        next_id: AtomicU64::new(1),
    });
}

/// Logs the profile, region and endpoint a command runs with (aws-cli's
/// `--debug` session lines). Names only: no credentials are read here.
pub fn session(session: &boto::Session, client: &boto::Client) {
    let config = client.config();
    tracing::debug!(
        target: "boto_cli::session",
        profile = %session.profile_name(),
        "Using profile: {}",
        session.profile_name()
    );
    tracing::debug!(
        target: "boto_cli::session",
        region = config.region.as_deref().unwrap_or("<none>"),
        service = %client.model().service_name,
        "Using region: {}",
        config.region.as_deref().unwrap_or("<none>")
    );
    if let Some(url) = &config.endpoint_url {
        tracing::debug!(target: "boto_cli::session", "Using the endpoint URL given: {url}");
    }
}
