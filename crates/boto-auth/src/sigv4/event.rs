//! Chained signatures of input event streams
//! (`STREAMING-AWS4-HMAC-SHA256-EVENTS`).
//!
//! Operations that send an event stream over HTTP/2 (Transcribe
//! StartStreamTranscription, Bedrock InvokeModelWithBidirectionalStream) sign
//! the request headers as usual, with the payload placeholder
//! [`STREAMING_EVENTS_PAYLOAD`] in `X-Amz-Content-SHA256`; that "seed"
//! signature starts a chain. Every event message then travels inside an
//! envelope message with two headers, `:date` (a timestamp) and
//! `:chunk-signature` (the 32 raw signature bytes), whose payload is the
//! encoded event; the stream ends with an envelope around an empty payload.
//! Each envelope's signature is SigV4 over
//!
//! ```text
//! AWS4-HMAC-SHA256-PAYLOAD
//! <date-time of the message>
//! <credential scope of that date>
//! <previous signature, hex>
//! <hex SHA-256 of the encoded `:date` header>
//! <hex SHA-256 of the payload>
//! ```
//!
//! botocore has no input event streams (it speaks HTTP/1.1 only); this follows
//! the Transcribe developer guide ("Setting up an HTTP/2 stream") and
//! aws-sdk-rust's `aws-sigv4` `event_stream::sign_message`, whose
//! string-to-sign vector is the unit test here. Like the rest of this module
//! it is pure: bytes and a time in, a hex signature out; framing the
//! envelope is the caller's job ([`date_header`] gives the `:date` bytes).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::canonical::{credential_scope, sha256_hex};
use super::key_cache::{sign_hex, signing_key};
use super::time::UtcTime;
use super::SigningError;
use crate::Credentials;

/// `X-Amz-Content-SHA256` of a request whose body is a signed event stream.
pub const STREAMING_EVENTS_PAYLOAD: &str = "STREAMING-AWS4-HMAC-SHA256-EVENTS";

/// The wire form of the header `:date` with the timestamp `millis` (ms since
/// the epoch): name length, name, type 8, big-endian `i64`. This is what the
/// string to sign hashes, and what the envelope carries.
pub fn date_header(millis: i64) -> [u8; 15] {
    let mut out = [0u8; 15];
    out[0] = 5;
    out[1..6].copy_from_slice(b":date");
    out[6] = 8;
    out[7..].copy_from_slice(&millis.to_be_bytes());
    out
}

/// One signed envelope: the signature and the time it was signed for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSignature {
    /// Lowercase hex; the envelope's `:chunk-signature` holds these bytes decoded.
    pub signature: String,
    /// The envelope's `:date`, ms since the epoch (whole seconds: the string
    /// to sign has no sub-second part, so the header must not either).
    pub date_millis: i64,
}

impl EventSignature {
    /// The 32 signature bytes for `:chunk-signature`.
    pub fn bytes(&self) -> Vec<u8> {
        (0..self.signature.len() / 2)
            .filter_map(|i| u8::from_str_radix(&self.signature[2 * i..2 * i + 2], 16).ok())
            .collect()
    }
}

/// Signs the envelopes of one input event stream, in order.
///
/// Create it from the seed signature (the request's header signature), then
/// call [`sign`](Self::sign) for each encoded event and once with an empty
/// payload to end the stream. Each message is signed for its own time, so a
/// stream that runs past midnight UTC changes scope as the service expects.
#[derive(Clone)]
pub struct EventSigner {
    credentials: Credentials,
    region: String,
    service: String,
    previous: String,
}

impl fmt::Debug for EventSigner {
    // The credentials are secret: print only the scope and the chain position.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSigner")
            .field("region", &self.region)
            .field("service", &self.service)
            .field("previous", &self.previous)
            .finish()
    }
}

/// `time` without its sub-second part.
fn whole_seconds(time: SystemTime) -> Result<(SystemTime, u64), SigningError> {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_err(|_| SigningError::InvalidTime)?
        .as_secs();
    UtcTime::from_unix(secs)?;
    Ok((UNIX_EPOCH + Duration::from_secs(secs), secs))
}

impl EventSigner {
    /// A signer continuing from `seed_signature` (hex), for the signing
    /// `region` and `service` of the request.
    pub fn new(
        credentials: &Credentials,
        region: &str,
        service: &str,
        seed_signature: &str,
    ) -> EventSigner {
        EventSigner {
            credentials: credentials.clone(),
            region: region.to_string(),
            service: service.to_string(),
            previous: seed_signature.to_string(),
        }
    }

    /// The signature the next envelope chains from (hex).
    pub fn previous(&self) -> &str {
        &self.previous
    }

    /// The string to sign for an envelope around `payload` (the encoded event,
    /// or nothing for the end of the stream) signed at `time`.
    pub fn string_to_sign(&self, payload: &[u8], time: SystemTime) -> Result<String, SigningError> {
        let (time, secs) = whole_seconds(time)?;
        let amz_date = UtcTime::from_system_time(time)?.amz_date();
        let scope = credential_scope(&amz_date[..8], &self.region, &self.service);
        // At most year 9999 (checked above): the milliseconds fit an i64.
        let millis = secs as i64 * 1000;
        Ok(format!(
            "AWS4-HMAC-SHA256-PAYLOAD\n{amz_date}\n{scope}\n{}\n{}\n{}",
            self.previous,
            sha256_hex(&date_header(millis)),
            sha256_hex(payload)
        ))
    }

    /// Signs the next envelope and advances the chain.
    pub fn sign(
        &mut self,
        payload: &[u8],
        time: SystemTime,
    ) -> Result<EventSignature, SigningError> {
        let (time, secs) = whole_seconds(time)?;
        let sts = self.string_to_sign(payload, time)?;
        let amz_date = UtcTime::from_system_time(time)?.amz_date();
        let key = signing_key(
            self.credentials.secret_access_key(),
            &amz_date[..8],
            &self.region,
            &self.service,
        );
        let signature = sign_hex(&key, &sts);
        self.previous.clone_from(&signature);
        Ok(EventSignature {
            signature,
            date_millis: secs as i64 * 1000,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::new(
            "ANOTREAL",
            "notrealrnrELgWzOk3IfjzDKtFBhDby",
            None,
            None,
            "test",
        )
    }

    /// aws-sdk-rust, `aws/rust-runtime/aws-sigv4/src/event_stream.rs`
    /// (smithy-lang/smithy-rs), test `string_to_sign`: time 123456789.000001234
    /// s (sub-seconds dropped), previous signature = SHA-256 of
    /// "last message sts". Its payload is the message `some-header: "value"`
    /// with body "test payload", whose hash boto-runtime's
    /// `event_stream_input` tests check with the encoder; here, every other line.
    #[test]
    fn string_to_sign_matches_aws_sdk_rust_vector() {
        let last = sha256_hex(b"last message sts");
        assert_eq!(
            last,
            "be1f8c7d79ef8e1abc5254a2c70e4da3bfaf4f07328f527444e1fc6ea67273e2"
        );
        let s = EventSigner::new(&creds(), "us-east-1", "testservice", &last);
        let time = UNIX_EPOCH + Duration::new(123_456_789, 1234);
        let sts = s.string_to_sign(b"payload", time).unwrap();
        assert_eq!(
            sts,
            format!(
                "AWS4-HMAC-SHA256-PAYLOAD\n19731129T213309Z\n\
                 19731129/us-east-1/testservice/aws4_request\n{last}\n\
                 0c0e3b3bf66b59b976181bd7d401927bbd624107303c713fd1e5f3d3c8dd1b1e\n{}",
                sha256_hex(b"payload")
            )
        );
    }

    #[test]
    fn chain_advances_and_dates_are_whole_seconds() {
        let mut s = EventSigner::new(&creds(), "us-east-1", "transcribe", "seed");
        let t = UNIX_EPOCH + Duration::new(1_700_000_000, 999_000_000);
        let a = s.sign(b"one", t).unwrap();
        assert_eq!(a.date_millis, 1_700_000_000_000);
        assert_eq!(a.signature.len(), 64);
        assert_eq!(a.bytes().len(), 32);
        assert_eq!(s.previous(), a.signature);
        // The same payload signs differently once chained.
        let b = s.sign(b"one", t).unwrap();
        assert_ne!(a.signature, b.signature);
        // Recomputing from the seed reproduces the chain.
        let mut again = EventSigner::new(&creds(), "us-east-1", "transcribe", "seed");
        assert_eq!(again.sign(b"one", t).unwrap(), a);
        assert_eq!(again.sign(b"one", t).unwrap(), b);
    }

    #[test]
    fn date_header_wire_form() {
        let h = date_header(123_456_789_000);
        assert_eq!(&h[..7], b"\x05:date\x08");
        assert_eq!(
            i64::from_be_bytes(h[7..].try_into().unwrap()),
            123_456_789_000
        );
    }

    #[test]
    fn debug_hides_the_secret() {
        let s = EventSigner::new(&creds(), "us-east-1", "transcribe", "seed");
        assert!(!format!("{s:?}").contains("notreal"));
    }
}
