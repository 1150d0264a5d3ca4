//! Test doubles: a fake `Invoke` that records `(operation, params)` and
//! returns canned outputs (default: just `ResponseMetadata` with status 200), and helpers for the moto integration tests.

#![allow(dead_code)]

pub mod diff;

use boto::core::model::{Loader, ServiceModel};
use boto::core::runtime::http::BoxFuture;
use boto::core::runtime::Invoke;
use boto::{Error, Value};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

/// Records every call; answers from per-operation queues (default `{}`).
pub struct Fake {
    model: Arc<ServiceModel>,
    calls: Mutex<Vec<(String, Value)>>,
    responses: Mutex<HashMap<String, VecDeque<Result<Value, Error>>>>,
}

impl Fake {
    pub fn new(service: &str) -> Arc<Fake> {
        Arc::new(Fake {
            model: Loader::global().service_model(service).expect("model"),
            calls: Mutex::default(),
            responses: Mutex::default(),
        })
    }
    /// Queues an output for `op`.
    pub fn respond(&self, op: &str, v: Value) {
        self.responses
            .lock()
            .unwrap()
            .entry(op.into())
            .or_default()
            .push_back(Ok(v));
    }
    /// Queues an error for `op`.
    pub fn fail(&self, op: &str, e: Error) {
        self.responses
            .lock()
            .unwrap()
            .entry(op.into())
            .or_default()
            .push_back(Err(e));
    }
    pub fn calls(&self) -> Vec<(String, Value)> {
        self.calls.lock().unwrap().clone()
    }
    pub fn ops(&self) -> Vec<String> {
        self.calls().into_iter().map(|(o, _)| o).collect()
    }
    pub fn clear(&self) {
        self.calls.lock().unwrap().clear();
    }
    /// The calls recorded so far, emptying the record.
    pub fn take_calls(&self) -> Vec<(String, Value)> {
        std::mem::take(&mut *self.calls.lock().unwrap())
    }
}

impl Invoke for Fake {
    fn model(&self) -> &Arc<ServiceModel> {
        &self.model
    }
    fn invoke<'a>(
        &'a self,
        operation: &'a str,
        params: Value,
    ) -> BoxFuture<'a, Result<Value, Error>> {
        self.calls
            .lock()
            .unwrap()
            .push((operation.to_string(), params));
        let r = self
            .responses
            .lock()
            .unwrap()
            .get_mut(operation)
            .and_then(VecDeque::pop_front)
            .unwrap_or_else(|| Ok(boto::value!({"ResponseMetadata": {"HTTPStatusCode": 200}})));
        Box::pin(async move { r })
    }
}

/// The service resource on a fake.
pub fn fake_resource(service: &str) -> (Arc<Fake>, boto_resources::Resource) {
    let fake = Fake::new(service);
    let r = boto_resources::from_invoker(fake.clone()).expect("service resource");
    (fake, r)
}

/// The moto endpoint, or `None` (the test prints why it is skipped).
pub fn endpoint() -> Option<String> {
    std::env::var("BOTO_TEST_ENDPOINT")
        .ok()
        .filter(|s| !s.is_empty())
}

pub fn session() -> boto::Session {
    boto::Session::builder()
        .region("us-east-1")
        .credentials("testing", "testing", None)
        .build()
        .expect("session builds")
}

pub fn options(endpoint: &str) -> boto::ClientOptions {
    boto::ClientOptions {
        endpoint_url: Some(endpoint.to_string()),
        max_pool_connections: Some(32),
        ..Default::default()
    }
}

/// A name unique to this process and call.
pub fn unique(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "{prefix}-{}-{nanos:x}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A client that records `(operation, params)` of every call it makes.
pub struct Recorder {
    pub client: boto::Client,
    calls: Mutex<Vec<(String, Value)>>,
}

impl Recorder {
    pub fn new(client: boto::Client) -> Arc<Recorder> {
        Arc::new(Recorder {
            client,
            calls: Mutex::default(),
        })
    }
    /// The calls recorded since the last `take`.
    pub fn take(&self) -> Vec<(String, Value)> {
        std::mem::take(&mut *self.calls.lock().unwrap())
    }
}

impl Invoke for Recorder {
    fn model(&self) -> &Arc<ServiceModel> {
        self.client.model()
    }
    fn invoke<'a>(
        &'a self,
        operation: &'a str,
        params: Value,
    ) -> BoxFuture<'a, Result<Value, Error>> {
        self.calls
            .lock()
            .unwrap()
            .push((operation.to_string(), params.clone()));
        Box::pin(self.client.call(operation, params))
    }
}
