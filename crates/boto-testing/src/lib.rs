//! Testing code built on boto-rs, offline: a [`Stubber`] (botocore's
//! `botocore.stub.Stubber`) and HTTP record/replay ([`Recorder`],
//! [`Replayer`]; what boto3 users get from `placebo`/`vcrpy` and
//! aws-sdk-rust users from a replaying HTTP client).
//!
//! # Unit tests with the Stubber
//!
//! Write your code against a [`boto::Client`] you pass in. In tests, make a
//! [`Stubber`], queue the calls you expect in order (each with a canned
//! response or a service error, optionally with the exact parameters), and
//! hand the code the stubber's client. No network, no credentials.
//!
//! ```
//! use boto::{params, Client, Error, Timestamp, Value};
//!
//! /// Deletes the objects under `prefix` last modified before `cutoff`;
//! /// returns the keys it deleted.
//! async fn delete_old(s3: &Client, bucket: &str, prefix: &str, cutoff: Timestamp)
//!     -> Result<Vec<String>, Error>
//! {
//!     let mut pages = s3.paginate("ListObjectsV2", params! {"Bucket": bucket, "Prefix": prefix})?;
//!     let mut old = Vec::new();
//!     while let Some(page) = pages.next_page().await {
//!         for obj in page?.get("Contents").as_list().unwrap_or_default() {
//!             let modified = match obj.get("LastModified") {
//!                 Value::Timestamp(t) => *t,
//!                 _ => continue,
//!             };
//!             if modified.epoch_secs() < cutoff.epoch_secs() {
//!                 old.push(obj.get("Key").as_str().unwrap_or_default().to_string());
//!             }
//!         }
//!     }
//!     if !old.is_empty() {
//!         let objects: Vec<Value> = old.iter().map(|k| params! {"Key": (k.as_str())}).collect();
//!         s3.call("DeleteObjects", params! {"Bucket": bucket, "Delete": {"Objects": objects}}).await?;
//!     }
//!     Ok(old)
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Error> {
//! use boto_testing::{any, ClientError, Stubber};
//! let stubber = Stubber::for_service("s3")?;
//! let old = Timestamp::from_epoch_secs(1_600_000_000);
//! let new = Timestamp::from_epoch_secs(1_800_000_000);
//! // Two pages; the second request must carry the continuation token.
//! stubber.add_response_with_params(
//!     "ListObjectsV2",
//!     params! {"IsTruncated": true, "NextContinuationToken": "t1",
//!              "Contents": [{"Key": "logs/a", "LastModified": (old)}]},
//!     params! {"Bucket": "b", "Prefix": "logs/"},
//! )?;
//! stubber.add_response_with_params(
//!     "ListObjectsV2",
//!     params! {"IsTruncated": false,
//!              "Contents": [{"Key": "logs/b", "LastModified": (new)}]},
//!     params! {"Bucket": "b", "Prefix": "logs/", "ContinuationToken": "t1"},
//! )?;
//! stubber.add_response_with_params(
//!     "DeleteObjects",
//!     params! {"Deleted": [{"Key": "logs/a"}]},
//!     params! {"Bucket": "b", "Delete": (any())},
//! )?;
//! let deleted = delete_old(stubber.client(), "b", "logs/", Timestamp::from_epoch_secs(1_700_000_000)).await?;
//! assert_eq!(deleted, ["logs/a"]);
//! stubber.assert_no_pending_responses();
//!
//! // Errors are service errors with the code, message and status you give.
//! stubber.add_client_error("ListObjectsV2", ClientError::new("NoSuchBucket", "gone").status(404))?;
//! let err = delete_old(stubber.client(), "b", "logs/", new).await.unwrap_err();
//! assert!(err.is_code("NoSuchBucket"));
//! # Ok(()) }
//! ```
//!
//! What the stubber checks, as botocore's does:
//! * every call must be the next queued operation ("Unexpected API Call" /
//!   "Operation mismatch" errors otherwise, naming the operation);
//! * expected parameters are compared with the top-level parameters as the
//!   caller passed them; [`any()`] matches anything; a mismatch names the
//!   differing members;
//! * the call's parameters are validated and serialized as for a real call;
//! * canned responses are validated against the output shape when added
//!   (botocore's `ParamValidator` rules and messages, e.g. `Invalid type for
//!   parameter Contents[0].Size, value: big, type: <class 'str'>, valid
//!   types: <class 'int'>`);
//! * [`Stubber::assert_no_pending_responses`] fails while stubs remain;
//!   [`Stubber::failures`] lists stub errors even if your code swallowed them.
//!
//! The stubbed client works everywhere a client does: `call`, `call_stream`
//! (a blob `Body` becomes the stream), paginators, waiters (give them a
//! zero delay), [`Stubber::blocking_client`], and boto-resources
//! (`boto_resources::from_client(stubber.client().clone())`). Each stubber
//! has its own client, so parallel tests cannot interfere.
//!
//! As in botocore, a canned response is returned as given: nothing is
//! added. Waiters whose acceptors match the HTTP status (S3 `ObjectExists`:
//! `status 200`) read `ResponseMetadata.HTTPStatusCode`, so put
//! `"ResponseMetadata": {"HTTPStatusCode": 200}` in those responses; an
//! error stub carries its status already. Stub failures are
//! [`boto::ErrorKind::Construction`] errors whose message starts with
//! `Error getting response stub for operation <Op>:`, botocore's wording.
//! Service customizations still run (S3's `EncodingType` default, SQS MD5
//! checks on received messages), as botocore's handlers do on stubbed
//! responses.
//!
//! # Integration tests recorded once, replayed offline
//!
//! Run the test once against a real endpoint with a [`Recorder`] as the
//! transport; commit the recording; later runs use a [`Replayer`] and need
//! neither the network nor credentials. The whole pipeline still runs on
//! replay (serialization, signing, retries, parsing), only the socket is
//! replaced. Recordings never contain credentials, signatures or tokens.
//!
//! Requests are matched on method, path, query, body and the headers that
//! matter (`Range`, `If-Match`, `Content-Type`, ...), never on the host's
//! port, the date, signature, invocation id, user agent or checksums; the
//! idempotency tokens boto-rs generates (`ClientToken`, ...) are ignored,
//! and [`Replayer::ignore_body_fields`] adds other volatile members.
//! Identical requests are answered in recorded order. Transport failures
//! (refused connections, timeouts) are not recorded.
//!
//! ```no_run
//! use boto::{params, ClientOptions, Session};
//! use boto_testing::{Recorder, Replayer};
//!
//! # async fn demo() -> Result<(), boto::Error> {
//! let session = Session::builder().region("us-east-1").build()?;
//! let file = "tests/recordings/list_buckets.jsonl";
//! let s3 = if std::env::var_os("RECORD").is_some() {
//!     // Live: talks to AWS (or a local emulator) and writes the recording.
//!     Recorder::new(file)?.client(&session, "s3", &ClientOptions::default())?
//! } else {
//!     // Offline: answers from the recording; dummy credentials sign the requests.
//!     Replayer::from_file(file)?.client(&session, "s3", &ClientOptions::default())?
//! };
//! let buckets = s3.call("ListBuckets", params! {}).await?;
//! assert!(buckets.get("Buckets").as_list().is_some());
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

mod exchange;
mod record;
mod redact;
mod stub;
mod validate;

pub use record::{Recorder, Replayer};
pub use stub::{any, ClientError, Stubber};

use boto::core::auth::credentials::{Credentials, ProvideCredentials, StaticProvider};
use boto::core::runtime::http::HttpClient;
use boto::{Client, ClientOptions, Error, Session};
use std::sync::Arc;

/// A client for `service` configured by `session` (and `options`, as
/// [`Session::client_with`]) that sends through `transport`. It signs with
/// `credentials`, else the session's.
pub fn client_with_transport(
    session: &Session,
    service: &str,
    options: &ClientOptions,
    transport: Arc<dyn HttpClient>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
) -> Result<Client, Error> {
    let config = session.client_config(service, options)?;
    let mut b = Client::builder(service)
        .config(config)
        .http_client(transport);
    if options.sign_requests != Some(false) {
        b = b.credentials(match credentials {
            Some(c) => c,
            None => session.credentials_provider()?,
        });
        if let Some(t) = session.token_provider(service) {
            b = b.token_provider(t);
        }
    }
    b.build()
}

/// Fixed credentials for replayed clients (the signature is not checked).
pub(crate) fn dummy_credentials() -> Arc<dyn ProvideCredentials> {
    Arc::new(StaticProvider::new(Credentials::new(
        "AKIDREPLAY",
        "replay-secret",
        None,
        None,
        "boto-testing",
    )))
}

/// The "coming from boto3" guide of the `boto` crate (`boto::guide`), run
/// here as doc tests: its snippets use this crate's `Stubber` and the
/// resource and transfer crates, which `boto` itself does not depend on.
#[cfg(doctest)]
#[doc = include_str!("../../boto/docs/coming-from-boto3.md")]
mod coming_from_boto3 {}
