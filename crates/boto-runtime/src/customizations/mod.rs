//! Service customizations, one module per service, each a named [`Interceptor`].
//!
//! botocore scatters these over `handlers.py` as event handlers; here every
//! service's behaviour lives in one file and is registered in one table
//! ([`for_service`]), so what a service does differently is visible at a glance.

use crate::interceptor::Interceptor;
use std::sync::Arc;

/// The interceptors boto-rs applies to every call of `service` (botocore's service name).
pub fn for_service(service: &str) -> Vec<Arc<dyn Interceptor>> {
    let _ = service;
    Vec::new()
}
