//! A client for one service: cheap to clone, safe to share across threads.
//!
//! The model, endpoint rules and partitions are shared process-wide (see
//! `boto_model::Loader` and `endpoint.rs`), so creating a second client costs
//! little. Each client owns its connection pool, retry quota and clock-skew
//! estimate.

mod presign;

use crate::config::ClientConfig;
use crate::error::Error;
use crate::http::{BoxFuture, HttpClient, HttpRequest, HttpSettings, HyperClient, RequestBody};
use crate::interceptor::Interceptor;
use crate::retry::RetryPolicy;
use crate::Invoke;
use boto_auth::credentials::{ProvideCredentials, ProvideToken};
use boto_endpoints::{Partitions, RuleSet};
use boto_model::{Loader, ServiceModel, Timestamp, Value};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Arc;

pub use crate::pipeline::Output;

pub(crate) struct ClientInner {
    pub model: Arc<ServiceModel>,
    pub config: ClientConfig,
    pub credentials: Option<Arc<dyn ProvideCredentials>>,
    pub token: Option<Arc<dyn ProvideToken>>,
    pub http: Arc<dyn HttpClient>,
    pub interceptors: Vec<Arc<dyn Interceptor>>,
    pub retry: RetryPolicy,
    pub rules: Arc<RuleSet>,
    pub partitions: Arc<Partitions>,
    pub user_agent: String,
    /// What the rule set resolved equal endpoint parameters to before.
    pub endpoints: boto_endpoints::ResolveCache,
    /// Endpoints found by endpoint discovery ([`crate::discovery`]).
    pub discovery: crate::discovery::DiscoveryCache,
    /// S3 Express session credentials per directory bucket (`sigv4-s3express`).
    pub s3_express: crate::customizations::s3::express::SessionCache,
    /// Whether calls bind the signing identity's account id to the rule set's
    /// `AWS::Auth::AccountId` ([`crate::pipeline::identity_account_id`]):
    /// decided once, from the configuration and the rule set.
    pub account_id_from_identity: bool,
    skew_ms: AtomicI64,
    last_date: std::sync::Mutex<Option<String>>,
    invocations: AtomicU64,
    seed: u64,
}

impl ClientInner {
    pub(crate) fn now(&self) -> std::time::SystemTime {
        crate::pipeline::skewed_now(self.skew_ms.load(Ordering::Relaxed))
    }
    pub(crate) fn record_server_date(&self, date: &str) {
        if let Ok(mut d) = self.last_date.lock() {
            *d = Some(date.to_string());
        }
    }
    pub(crate) fn last_server_date(&self) -> Option<Timestamp> {
        let d = self.last_date.lock().ok()?.clone()?;
        Timestamp::parse(&d).ok()
    }
    /// The clock offset requests are signed with now (milliseconds).
    pub(crate) fn skew_ms(&self) -> i64 {
        self.skew_ms.load(Ordering::Relaxed)
    }
    /// After a signature-time rejection: adopts the skew between the server's
    /// `Date` (the rejecting response's, else the last error's) and our clock
    /// when the rejected request, signed with offset `signed_with_ms`, was
    /// far enough off to fail (over 4 minutes of the 5 allowed). Judged
    /// against the offset the request was signed with, not the current one:
    /// concurrent calls rejected together must each retry, though the first
    /// to get here already corrected the clock. Returns whether to retry.
    pub(crate) fn correct_skew(&self, server_date: Option<&str>, signed_with_ms: i64) -> bool {
        let Some(server) = server_date
            .and_then(|d| Timestamp::parse(d).ok())
            .or_else(|| self.last_server_date())
        else {
            return false;
        };
        let skew_ms = ((server.epoch_f64() - Timestamp::now().epoch_f64()) * 1000.0) as i64;
        if (skew_ms - signed_with_ms).abs() < 240_000 {
            return false;
        }
        self.skew_ms.store(skew_ms, Ordering::Relaxed);
        true
    }
    /// A unique id per call, like botocore's `amz-sdk-invocation-id` (UUID-shaped).
    pub(crate) fn invocation_id(&self) -> String {
        let n = self.invocations.fetch_add(1, Ordering::Relaxed);
        let a = self.seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let b = a.rotate_left(29) ^ 0xD6E8_FEB8_6659_FD93;
        uuid_shaped(a, b)
    }
}

/// `{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}` of `a >> 32`, `a >> 16`, `a`,
/// `b >> 52` and `b`, each cut to its width: written digit by digit, since
/// through `write!` it was a third of a microsecond of every call.
fn uuid_shaped(a: u64, b: u64) -> String {
    let mut id = *b"00000000-0000-4000-a000-000000000000";
    put_hex(&mut id[0..8], a >> 32);
    put_hex(&mut id[9..13], a >> 16);
    put_hex(&mut id[15..18], a);
    put_hex(&mut id[20..23], b >> 52);
    put_hex(&mut id[24..36], b);
    // Hex digits and dashes only: always UTF-8.
    std::str::from_utf8(&id).map_or_else(|_| String::new(), str::to_owned)
}

/// Writes the low `out.len()` hex digits of `v` into `out`.
fn put_hex(out: &mut [u8], mut v: u64) {
    for d in out.iter_mut().rev() {
        *d = b"0123456789abcdef"[(v & 0xf) as usize];
        v >>= 4;
    }
}

#[cfg(test)]
mod id_tests {
    #[test]
    fn invocation_ids_match_the_formatted_rendering() {
        let mut a = 0x0123_4567_89ab_cdefu64;
        for i in 0..1000u64 {
            a = a.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(i);
            let b = a.rotate_left(29) ^ 0xD6E8_FEB8_6659_FD93;
            let want = format!(
                "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
                a >> 32,
                (a >> 16) & 0xffff,
                a & 0xfff,
                b >> 52,
                b & 0xffff_ffff_ffff
            );
            assert_eq!(super::uuid_shaped(a, b), want);
        }
        assert_eq!(
            super::uuid_shaped(0, 0),
            "00000000-0000-4000-a000-000000000000"
        );
    }
}

/// A service client: boto3's `boto3.client("s3")`. Clone it freely: clones
/// share the connection pool, retry quota and caches, and it is `Send + Sync`.
///
/// Every operation of the service is called by name with a [`Value`] of
/// parameters ([`Client::call`]); streamed bodies go through
/// [`Client::call_stream`], listings through [`Client::paginate`], polling
/// through [`Client::waiter`] and presigned URLs through
/// [`Client::presign_url`]. Make one with `boto::Session::client` (which
/// resolves region, credentials and settings like boto3) or, for full
/// control, [`Client::builder`].
///
/// ```
/// # use boto_model::params;
/// # use boto_runtime::{Client, Error};
/// async fn bucket_names(s3: &Client) -> Result<Vec<String>, Error> {
///     let out = s3.call("list_buckets", params! {}).await?;  // s3.list_buckets()
///     Ok(out
///         .get("Buckets")
///         .as_list_or_empty()
///         .iter()
///         .filter_map(|b| b.get("Name").as_str().map(String::from))
///         .collect())
/// }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # let s3 = boto_runtime::doc_support::client("s3", &[(200, "<ListAllMyBucketsResult><Buckets>\
/// #   <Bucket><Name>logs</Name></Bucket><Bucket><Name>photos</Name></Bucket>\
/// #   </Buckets></ListAllMyBucketsResult>")]);
/// assert_eq!(bucket_names(&s3).await?, ["logs", "photos"]);
/// assert_eq!(s3.model().service_name, "s3");
/// assert_eq!(s3.config().region.as_deref(), Some("us-east-1"));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<ClientInner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("service", &self.inner.model.service_name)
            .field("region", &self.inner.config.region)
            .field("endpoint_url", &self.inner.config.endpoint_url)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    service: String,
    config: ClientConfig,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    token: Option<Arc<dyn ProvideToken>>,
    http: Option<Arc<dyn HttpClient>>,
    interceptors: Vec<Arc<dyn Interceptor>>,
    loader: &'static Loader,
    customizations: bool,
}

impl ClientBuilder {
    /// A builder for a client of `service` (the botocore service name: `s3`, `dynamodb`, `lambda`,
    /// ...). Nothing is loaded until [`ClientBuilder::build`].
    pub fn new(service: impl Into<String>) -> Self {
        ClientBuilder {
            service: service.into(),
            config: ClientConfig::default(),
            credentials: None,
            token: None,
            http: None,
            interceptors: Vec::new(),
            loader: Loader::global(),
            customizations: true,
        }
    }
    /// Replaces the whole configuration (region, endpoint, retries, timeouts, ...).
    pub fn config(mut self, config: ClientConfig) -> Self {
        self.config = config;
        self
    }
    /// The configuration to adjust in place.
    pub fn config_mut(&mut self) -> &mut ClientConfig {
        &mut self.config
    }
    /// The credentials provider requests are signed with (`boto_auth`'s chain, static keys, ...).
    /// Without one, a signed operation fails with botocore's "Unable to locate credentials"
    /// (`ErrorKind::Credentials`); clients that send unsigned requests set
    /// [`ClientConfig::sign_requests`] to `false` instead.
    pub fn credentials(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.credentials = Some(provider);
        self
    }
    /// The bearer-token source for services that use `httpBearerAuth`.
    pub fn token_provider(mut self, provider: Arc<dyn ProvideToken>) -> Self {
        self.token = Some(provider);
        self
    }
    /// Uses another transport (tests, custom stacks).
    pub fn http_client(mut self, http: Arc<dyn HttpClient>) -> Self {
        self.http = Some(http);
        self
    }
    /// Adds a user interceptor; it runs after the service's own customizations.
    pub fn interceptor(mut self, i: Arc<dyn Interceptor>) -> Self {
        self.interceptors.push(i);
        self
    }
    /// Loads models through a loader with a private data path.
    pub fn loader(mut self, loader: &'static Loader) -> Self {
        self.loader = loader;
        self
    }
    /// Turns off boto-rs's built-in service customizations (for debugging).
    pub fn without_customizations(mut self) -> Self {
        self.customizations = false;
        self
    }

    /// Loads the model and endpoint rules, checks the region and endpoint URL, and makes the
    /// client. No network I/O.
    ///
    /// # Errors
    ///
    /// An unknown service or one not embedded in this build (`ErrorKind::Construction`, with
    /// botocore's `UnknownServiceError` text), an invalid region name, endpoint URL or proxy
    /// URL.
    pub fn build(self) -> Result<Client, Error> {
        if let Some(region) = &self.config.region {
            crate::config::check_region(region)?;
        }
        if let Some(url) = &self.config.endpoint_url {
            crate::config::check_endpoint_url(url)?;
        }
        let model = self.loader.service_model(&self.service)?;
        let rules = crate::endpoint::rule_set(self.loader, &self.service)?;
        let partitions = crate::endpoint::partitions()?;
        let http = match self.http {
            Some(h) => h,
            None => Arc::new(HyperClient::new(&HttpSettings {
                connect_timeout: self.config.connect_timeout,
                read_timeout: self.config.read_timeout,
                max_pool_connections: self.config.max_pool_connections,
                verify_tls: self.config.verify_tls,
                ca_bundle: self.config.ca_bundle.clone(),
                proxies: self.config.proxies.clone(),
            })?),
        };
        let mut interceptors = if self.customizations {
            crate::customizations::for_service(&self.service)
        } else {
            Vec::new()
        };
        interceptors.extend(self.interceptors);
        let mut retry = RetryPolicy::new(self.config.retry_mode, self.config.total_attempts());
        retry.base_delay = self.config.retry_base_delay;
        let mut user_agent = format!(
            "boto-rs/{} md/rustc os/{} lang/rust api/{}#{}",
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            model
                .metadata
                .service_id
                .replace(' ', "-")
                .to_ascii_lowercase(),
            model.metadata.api_version
        );
        if let Some(extra) = &self.config.user_agent_extra {
            user_agent.push(' ');
            user_agent.push_str(extra);
        }
        let seed = (crate::retry::jitter() * u64::MAX as f64) as u64;
        let account_id_from_identity =
            crate::pipeline::binds_identity_account_id(&self.config, &rules);
        Ok(Client {
            inner: Arc::new(ClientInner {
                model,
                config: self.config,
                credentials: self.credentials,
                token: self.token,
                http,
                interceptors,
                retry,
                rules,
                partitions,
                user_agent,
                endpoints: Default::default(),
                discovery: Default::default(),
                s3_express: Default::default(),
                account_id_from_identity,
                skew_ms: AtomicI64::new(0),
                last_date: std::sync::Mutex::new(None),
                invocations: AtomicU64::new(0),
                seed,
            }),
        })
    }
}

impl Client {
    /// The same as [`ClientBuilder::new`].
    pub fn builder(service: impl Into<String>) -> ClientBuilder {
        ClientBuilder::new(service)
    }

    /// The service model the client was built from (botocore's `client.meta.service_model`).
    pub fn model(&self) -> &Arc<ServiceModel> {
        &self.inner.model
    }
    /// The client's configuration (botocore's `client.meta.config`, plus the region and endpoint).
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// Calls an operation by model name (`ListObjectsV2`), snake_case or
    /// kebab-case. A streamed output payload (S3 GetObject `Body`) is read
    /// whole into a blob; use [`Client::call_stream`] to stream it instead.
    ///
    /// The result is botocore's response dict as a [`Value`]:
    /// [`Value::get`] never panics (a missing member reads as `Null`).
    /// Parameters are checked against the model first, with botocore's
    /// messages; failed calls are retried per the retry mode.
    ///
    /// ```
    /// # use boto_model::params;
    /// # use boto_runtime::{Client, Error, ErrorKind};
    /// async fn logs(s3: &Client, bucket: &str) -> Result<Vec<(String, i64)>, Error> {
    ///     // s3.list_objects_v2(Bucket=bucket, Prefix="logs/")
    ///     let out = s3.call("ListObjectsV2", params! {"Bucket": bucket, "Prefix": "logs/"}).await?;
    ///     let mut found = Vec::new();
    ///     for obj in out.get("Contents").as_list_or_empty() {   // out.get("Contents", [])
    ///         let key = obj.get("Key").as_str().unwrap_or_default().to_string();
    ///         found.push((key, obj.get("Size").as_i64().unwrap_or(0)));
    ///     }
    ///     Ok(found)
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// # let s3 = boto_runtime::doc_support::client("s3", &[(200, "<ListBucketResult>\
    /// #   <Contents><Key>logs/1.txt</Key><Size>2</Size></Contents><IsTruncated>false</IsTruncated>\
    /// #   </ListBucketResult>")]);
    /// assert_eq!(logs(&s3, "my-bucket").await?, [("logs/1.txt".to_string(), 2)]);
    ///
    /// // Nothing is sent when the parameters do not fit the model.
    /// let err = s3.call("list_objects_v2", params! {"Prefix": "logs/"}).await.unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Validation);
    /// assert!(err.to_string().contains(r#"Missing required parameter in input: "Bucket""#));
    /// # Ok(()) }
    /// ```
    pub async fn call(&self, operation: &str, params: Value) -> Result<Value, Error> {
        let out = crate::pipeline::invoke(&self.inner, operation, params, None, false).await?;
        Ok(out.value)
    }

    /// Calls an operation with an optional streamed request body (replacing the
    /// payload member) and returns the output body as a stream when the
    /// operation streams its output.
    ///
    /// A [`RequestBody::File`] is read from disk in chunks as it is sent (and
    /// again on a retry), so uploads need not fit in memory; the output's
    /// [`ByteStream`](crate::ByteStream) is read chunk by chunk with
    /// [`next_chunk`](crate::ByteStream::next_chunk) (boto3's
    /// `StreamingBody.iter_chunks()`).
    ///
    /// ```
    /// # use boto_model::params;
    /// # use boto_runtime::{Client, Error, RequestBody};
    /// async fn copy_down(s3: &Client, bucket: &str, key: &str) -> Result<Vec<u8>, Error> {
    ///     // s3.put_object(Bucket=bucket, Key=key, Body=data)
    ///     let data = b"hello, world".to_vec();
    ///     let body = RequestBody::Bytes(data.into()); // or RequestBody::File { path, offset, len }
    ///     s3.call_stream("PutObject", params! {"Bucket": bucket, "Key": key}, Some(body)).await?;
    ///
    ///     // s3.get_object(Bucket=bucket, Key=key)["Body"].iter_chunks()
    ///     let mut out = s3.call_stream("GetObject", params! {"Bucket": bucket, "Key": key}, None).await?;
    ///     assert_eq!(out.value.get("ContentLength").as_i64(), Some(12));
    ///     let mut body = out.body.take().expect("GetObject streams its Body");
    ///     let mut downloaded = Vec::new();
    ///     while let Some(chunk) = body.next_chunk().await? {
    ///         downloaded.extend_from_slice(&chunk); // or write it to a file
    ///     }
    ///     Ok(downloaded)
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// # let s3 = boto_runtime::doc_support::client("s3", &[(200, ""), (200, "hello, world")]);
    /// assert_eq!(copy_down(&s3, "my-bucket", "greeting.txt").await?, b"hello, world");
    /// # Ok(()) }
    /// ```
    pub async fn call_stream(
        &self,
        operation: &str,
        params: Value,
        body: Option<RequestBody>,
    ) -> Result<Output, Error> {
        crate::pipeline::invoke(&self.inner, operation, params, body, true).await
    }

    /// Builds and signs the first request the call would send, without
    /// sending it (for `--print-request` and presigning-like debugging). For an
    /// operation that needs endpoint discovery and has no fresh endpoint cached,
    /// that is the discovery request (`DescribeEndpoints`), as botocore sends it;
    /// for an S3 directory bucket with no session cached, `CreateSession`.
    pub async fn prepare(&self, operation: &str, params: Value) -> Result<HttpRequest, Error> {
        self.prepare_boxed(operation, params).await
    }

    /// [`Client::prepare`]'s work, boxed behind a function that is never
    /// inlined so its state machine is compiled here once, not in every
    /// crate that awaits it (see `pipeline::invoke`).
    #[inline(never)]
    fn prepare_boxed<'a>(
        &'a self,
        operation: &'a str,
        params: Value,
    ) -> crate::http::BoxFuture<'a, Result<HttpRequest, Error>> {
        Box::pin(self.prepare_unboxed(operation, params))
    }

    async fn prepare_unboxed(&self, operation: &str, params: Value) -> Result<HttpRequest, Error> {
        let c = &self.inner;
        let mut plan = crate::interceptor::CallPlan {
            account_id: crate::pipeline::identity_account_id(c).await,
            ..Default::default()
        };
        let (mut operation, mut params) = (operation, params);
        let op = c.model.require_operation(operation)?;
        if crate::discovery::applies(c, op).map_err(|e| e.with_operation(&op.name))? {
            let region = c.config.region.as_deref().unwrap_or_default();
            match crate::discovery::cached(c, region) {
                Some(url) => plan.discovered_endpoint = Some(url),
                None => {
                    operation = crate::discovery::operation_name(c).unwrap_or(operation);
                    params = Value::Map(Default::default());
                }
            }
        }
        let params = crate::pipeline::inject_presigned_urls(&self.inner, operation, params).await?;
        let p = crate::pipeline::prepare_with(c, operation, params, None, &plan, false)?;
        // A directory bucket without a session yet: the first request opens one.
        if let Some((op, params)) = crate::customizations::s3::express::opening_call(c, &p).await? {
            let p = crate::pipeline::prepare_with(c, op, params, None, &plan, false)?;
            return crate::auth::sign::sign_attempt(&self.inner, &p, 1).await;
        }
        crate::auth::sign::sign_attempt(&self.inner, &p, 1).await
    }

    /// The endpoint a call would go to (URL, headers, properties such as
    /// `authSchemes`), without building or sending the request.
    pub fn resolve_endpoint(
        &self,
        operation: &str,
        params: Value,
    ) -> Result<boto_endpoints::Endpoint, Error> {
        crate::pipeline::resolve(
            &self.inner,
            operation,
            params,
            &crate::interceptor::CallPlan::default(),
            false,
        )
        .map(|(_, _, _, ep)| ep)
    }

    /// The credentials this client signs with (for presigned POSTs and the like).
    pub fn credentials_provider(&self) -> Option<&Arc<dyn ProvideCredentials>> {
        self.inner.credentials.as_ref()
    }

    /// A paginator over `operation` (which must have one in paginators-1.json):
    /// boto3's `client.get_paginator(op).paginate(**params)`. No call is made
    /// until the first page is asked for; see [`Paginator`](crate::paginator::Paginator)
    /// for `max_items`, resume tokens, `search` and `build_full_result`.
    ///
    /// # Errors
    ///
    /// The operation has no paginator (botocore's `OperationNotPageableError`)
    /// or `params` is not a map.
    ///
    /// ```
    /// # use boto_model::params;
    /// # use boto_runtime::{Client, Error};
    /// async fn all_keys(s3: &Client, bucket: &str) -> Result<Vec<String>, Error> {
    ///     let mut keys = Vec::new();
    ///     let mut pages = s3.paginate("ListObjectsV2", params! {"Bucket": bucket})?;
    ///     while let Some(page) = pages.next_page().await {      // for page in pages:
    ///         for obj in page?.get("Contents").as_list_or_empty() {
    ///             keys.push(obj.get("Key").as_str().unwrap_or_default().to_string());
    ///         }
    ///     }
    ///     Ok(keys)
    /// }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// # let (s3, transport) = boto_runtime::doc_support::client_and_transport("s3", &[
    /// #   (200, "<ListBucketResult><Contents><Key>a</Key></Contents><Contents><Key>b</Key></Contents>\
    /// #          <IsTruncated>true</IsTruncated><NextContinuationToken>t1</NextContinuationToken>\
    /// #          </ListBucketResult>"),
    /// #   (200, "<ListBucketResult><Contents><Key>c</Key></Contents><IsTruncated>false</IsTruncated>\
    /// #          </ListBucketResult>"),
    /// # ]);
    /// assert_eq!(all_keys(&s3, "my-bucket").await?, ["a", "b", "c"]);
    /// # assert!(transport.requests()[1].url.contains("continuation-token=t1"));
    /// assert!(s3.paginate("GetObject", params! {}).is_err()); // not pageable
    /// # Ok(()) }
    /// ```
    pub fn paginate(
        &self,
        operation: &str,
        params: Value,
    ) -> Result<crate::paginator::Paginator, Error> {
        crate::paginator::Paginator::new(Arc::new(self.clone()), operation, params)
    }

    /// A waiter by name (`ObjectExists` or `object_exists`): boto3's
    /// `client.get_waiter(name)`. [`Waiter::wait`](crate::waiter::Waiter::wait)
    /// polls until the resource gets there, with the model's delay and
    /// attempts unless a [`WaiterConfig`](crate::waiter::WaiterConfig)
    /// overrides them.
    ///
    /// ```
    /// # use boto_model::params;
    /// # use boto_runtime::{waiter::WaiterConfig, Error};
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Error> {
    /// # // HeadObject: 404 (retry), then 200 (success).
    /// # let s3 = boto_runtime::doc_support::client("s3", &[(404, ""), (200, "")]);
    /// use std::time::Duration;
    ///
    /// // s3.get_waiter("object_exists").wait(Bucket=..., Key=..., WaiterConfig={"Delay": 1})
    /// let waiter = s3.waiter("object_exists")?;
    /// assert_eq!(waiter.name(), "ObjectExists");
    /// let config = WaiterConfig::new().delay(Duration::from_millis(10)); // the model says 5 s
    /// waiter.wait(params! {"Bucket": "my-bucket", "Key": "upload.bin"}, config).await?;
    /// # Ok(()) }
    /// ```
    pub fn waiter(&self, name: &str) -> Result<crate::waiter::Waiter, Error> {
        crate::waiter::Waiter::new(Arc::new(self.clone()), name)
    }
}

impl Invoke for Client {
    fn model(&self) -> &Arc<ServiceModel> {
        &self.inner.model
    }
    fn invoke<'a>(
        &'a self,
        operation: &'a str,
        params: Value,
    ) -> BoxFuture<'a, Result<Value, Error>> {
        Box::pin(self.call(operation, params))
    }
}
