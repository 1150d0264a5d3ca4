//! Synthetic call contexts for the customization tests: real models from the
//! loader, requests from the real serializer, no network.

use crate::config::ClientConfig;
use crate::error::Error;
use crate::http::{HttpRequest, RequestBody};
use crate::interceptor::{
    CallInfo, Interceptor, RequestContext, ResponseContext, SigningOverrides,
};
use boto_endpoints::Endpoint;
use boto_model::{Operation, ServiceModel, Value};
use boto_protocols::Request;
use std::sync::Arc;

pub(crate) struct Harness {
    pub model: Arc<ServiceModel>,
    pub op: String,
    pub config: ClientConfig,
}

impl Harness {
    pub fn new(service: &str, op: &str) -> Harness {
        let model = boto_model::Loader::global()
            .service_model(service)
            .expect("model");
        assert!(
            model.operation(op).is_some(),
            "{service} has no operation {op}"
        );
        Harness {
            model,
            op: op.to_string(),
            config: ClientConfig::default(),
        }
    }

    pub fn with_config(mut self, f: impl FnOnce(&mut ClientConfig)) -> Harness {
        f(&mut self.config);
        self
    }

    pub fn operation(&self) -> &Operation {
        self.model.operation(&self.op).expect("operation")
    }

    pub fn call(&self) -> CallInfo<'_> {
        CallInfo {
            model: &self.model,
            operation: self.operation(),
            config: &self.config,
            presigning: false,
        }
    }

    /// Serializes `params` (null → `{}`) with the real protocol serializer.
    pub fn serialize(&self, params: &Value) -> Request {
        let params = if params.is_null() {
            Value::Map(Default::default())
        } else {
            params.clone()
        };
        boto_protocols::serialize(&self.model, self.operation(), &params).expect("serialize")
    }

    /// Serializes, then runs `i.modify_before_signing`.
    pub fn before_signing(
        &self,
        i: &dyn Interceptor,
        params: &Value,
        body: Option<RequestBody>,
    ) -> Result<(Request, Option<RequestBody>), Error> {
        let mut req = self.serialize(params);
        let mut body = body;
        self.run_before_signing(i, params, &mut req, &mut body)?;
        Ok((req, body))
    }

    pub fn run_before_signing(
        &self,
        i: &dyn Interceptor,
        params: &Value,
        request: &mut Request,
        body: &mut Option<RequestBody>,
    ) -> Result<Endpoint, Error> {
        let mut endpoint = Endpoint {
            url: "https://example.amazonaws.com".into(),
            ..Default::default()
        };
        let mut signing = SigningOverrides::default();
        let mut ctx = RequestContext {
            params,
            request,
            endpoint: &mut endpoint,
            body,
            signing: &mut signing,
        };
        i.modify_before_signing(&self.call(), &mut ctx)?;
        Ok(endpoint)
    }

    pub fn http_request(&self) -> HttpRequest {
        HttpRequest {
            method: "GET".into(),
            url: "https://example.amazonaws.com/".into(),
            headers: Vec::new(),
            body: RequestBody::Empty,
        }
    }

    pub fn response<'a>(
        &self,
        status: u16,
        headers: &'a [(String, String)],
        body: &'a [u8],
        request: &'a HttpRequest,
    ) -> ResponseContext<'a> {
        ResponseContext {
            status,
            headers,
            body,
            request,
        }
    }
}

/// `serde_json` → `Value`.
pub(crate) fn v(j: serde_json::Value) -> Value {
    Value::from_json(&j)
}
