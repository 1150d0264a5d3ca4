//! What every resource of one service resource shares: the models, the
//! invoker that makes the calls, and (when built from one) the client.
//!
//! For DynamoDB the invoker is wrapped so that every call made through a
//! resource — actions, loads, collections, waiters — has its parameters and
//! results transformed between plain values and AttributeValues, as boto3's
//! `register_high_level_interface` does on the resource's client.

use crate::model::ServiceResources;
use boto::core::runtime::http::BoxFuture;
use boto::core::runtime::Invoke;
use boto::{Error, Value};
use std::sync::Arc;

pub(crate) struct Ctx {
    pub(crate) service: String,
    pub(crate) models: Arc<ServiceResources>,
    /// The invoker every call goes through (hooked for DynamoDB).
    pub(crate) invoker: Arc<dyn Invoke>,
    pub(crate) client: Option<boto::Client>,
}

impl Ctx {
    pub(crate) fn new(
        invoker: Arc<dyn Invoke>,
        client: Option<boto::Client>,
    ) -> Result<Arc<Ctx>, Error> {
        let service = invoker.model().service_name.clone();
        let models = ServiceResources::load(&service)?;
        let invoker: Arc<dyn Invoke> = if service == "dynamodb" {
            Arc::new(DynamoDbHook { inner: invoker })
        } else {
            invoker
        };
        Ok(Arc::new(Ctx {
            service,
            models,
            invoker,
            client,
        }))
    }

    pub(crate) async fn call(&self, operation: &str, params: Value) -> Result<Value, Error> {
        self.invoker.invoke(operation, params).await
    }
}

/// Transforms DynamoDB parameters and results around every call.
struct DynamoDbHook {
    inner: Arc<dyn Invoke>,
}

impl Invoke for DynamoDbHook {
    fn model(&self) -> &Arc<boto::core::model::ServiceModel> {
        self.inner.model()
    }
    fn invoke<'a>(
        &'a self,
        operation: &'a str,
        params: Value,
    ) -> BoxFuture<'a, Result<Value, Error>> {
        Box::pin(async move {
            let model = self.inner.model().clone();
            let params = dynamodb_transform_input(&model, operation, params)?;
            let out = self.inner.invoke(operation, params).await?;
            dynamodb_transform_output(&model, operation, out)
        })
    }
}

// ==== DynamoDB hook: the single call site of the high-level transforms ====
// Contract with the DynamoDB layer (crate::dynamodb::transform):
//   transform_input(model, operation, params) -> Result<Value, Error>
//   transform_output(model, operation, output) -> Result<Value, Error>
fn dynamodb_transform_input(
    model: &boto::core::model::ServiceModel,
    operation: &str,
    params: Value,
) -> Result<Value, Error> {
    crate::dynamodb::transform::transform_input(model, operation, params)
}

fn dynamodb_transform_output(
    model: &boto::core::model::ServiceModel,
    operation: &str,
    output: Value,
) -> Result<Value, Error> {
    crate::dynamodb::transform::transform_output(model, operation, output)
}
