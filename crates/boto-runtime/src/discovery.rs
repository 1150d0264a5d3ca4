//! Endpoint discovery: botocore's `botocore/discovery.py`
//! (`EndpointDiscoveryManager`, `EndpointDiscoveryHandler`) and
//! `block_endpoint_discovery_required_operations`.
//!
//! A few services (Timestream Query and Write, DynamoDB) name a *discovery
//! operation* in their model (`endpointoperation`, `DescribeEndpoints`) and
//! mark operations `endpointdiscovery` (`required` for all of Timestream,
//! optional for DynamoDB). Before such an operation is sent, the client asks
//! the discovery operation where to send it, caches the answer for the
//! returned `CachePeriodInMinutes`, and sends the operation to that host
//! (signed for the same service and region). It is driven by the model
//! alone, so it lives here rather than in a service customization, and the
//! pipeline calls it without naming a service.
//!
//! As in botocore:
//! * `endpoint_discovery_enabled` (see [`EndpointDiscovery`]): `auto` discovers
//!   for operations that require it, `true` also where it is optional, `false`
//!   never, and then an operation that requires it fails before anything is
//!   sent ("Endpoint Discovery is not enabled but this operation requires it.");
//! * a custom `endpoint_url` turns discovery off entirely;
//! * the cache belongs to the client (one identity, one region; no model uses
//!   `endpointdiscoveryid`, so there is no finer key); fresh entries are used
//!   first, stale ones only while discovery is failing;
//! * a discovery call that cannot connect is not repeated for 60 s; any other
//!   error of the discovery call is the caller's error;
//! * a response of HTTP 421 or `InvalidEndpointException` drops the cached
//!   endpoints and the call is retried at once with a fresh discovery (counted
//!   against the attempts, unlike botocore which does not bound it).
//!
//! Unlike botocore, a discovered address must be a plain host name (it is
//! checked like every other host before anything is signed) and `https`.

use crate::client::ClientInner;
use crate::config::EndpointDiscovery;
use crate::error::{Error, ErrorKind};
use boto_model::{Operation, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tracing::debug;

/// How long a failed discovery (no connection) is not retried.
const FAILED_BACKOFF: Duration = Duration::from_secs(60);

/// The discovered endpoints of one client, per region.
#[derive(Debug, Default)]
pub(crate) struct DiscoveryCache {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    endpoints: HashMap<String, Vec<Discovered>>,
    failed_until: HashMap<String, Instant>,
}

#[derive(Debug, Clone)]
struct Discovered {
    /// `https://` + the address the discovery operation returned.
    url: String,
    expires: Instant,
}

/// Whether `op` goes to a discovered endpoint in this client. An error when
/// the operation requires discovery and it is turned off.
pub(crate) fn applies(c: &ClientInner, op: &Operation) -> Result<bool, Error> {
    if c.config.endpoint_url.is_some() || !op.endpoint_discovery {
        return Ok(false);
    }
    if discovery_operation(c).is_none() {
        return Ok(false);
    }
    match c.config.endpoint_discovery {
        EndpointDiscovery::Enabled => Ok(true),
        EndpointDiscovery::Auto => Ok(op.endpoint_discovery_required),
        EndpointDiscovery::Disabled if op.endpoint_discovery_required => Err(Error::new(
            ErrorKind::Endpoint,
            "Endpoint Discovery is not enabled but this operation requires it.",
        )),
        EndpointDiscovery::Disabled => Ok(false),
    }
}

/// The service's discovery operation (`endpointoperation`).
fn discovery_operation(c: &ClientInner) -> Option<&Operation> {
    c.model.operations().iter().find(|o| o.endpoint_operation)
}

/// A fresh cached endpoint for `region`, without discovering (for
/// `Client::prepare`, which sends nothing).
pub(crate) fn cached(c: &ClientInner, region: &str) -> Option<String> {
    let now = Instant::now();
    let state = c.discovery.state.lock().ok()?;
    state
        .endpoints
        .get(region)?
        .iter()
        .find(|e| now < e.expires)
        .map(|e| e.url.clone())
}

/// The name of the operation that discovers endpoints, for `Client::prepare`
/// (with nothing cached, the first request of the call is that one).
pub(crate) fn operation_name(c: &ClientInner) -> Option<&str> {
    discovery_operation(c).map(|o| &*o.name)
}

/// Forgets the endpoints discovered for `region` (after a 421 or
/// `InvalidEndpointException`).
pub(crate) fn invalidate(c: &ClientInner, region: &str) {
    if let Ok(mut s) = c.discovery.state.lock() {
        s.endpoints.remove(region);
    }
}

/// The error says the discovered endpoint is no longer valid.
pub(crate) fn is_invalid_endpoint(err: &Error) -> bool {
    err.service_error()
        .is_some_and(|s| s.status == 421 || s.code == "InvalidEndpointException")
}

/// The endpoint URL to send `op` to, discovering it when nothing fresh is
/// cached: botocore's `EndpointDiscoveryManager.describe_endpoint`. `None`:
/// use the rule set's endpoint (optional discovery that is failing).
pub(crate) async fn endpoint(
    c: &ClientInner,
    op: &Operation,
    region: &str,
) -> Result<Option<String>, Error> {
    if let Some(url) = cached(c, region) {
        return Ok(Some(url));
    }
    let recently_failed = {
        let mut s = lock(c)?;
        match s.failed_until.get(region) {
            Some(t) if Instant::now() < *t => true,
            Some(_) => {
                s.failed_until.remove(region);
                false
            }
            None => false,
        }
    };
    if !recently_failed {
        if let Some(url) = refresh(c, region).await? {
            return Ok(Some(url));
        }
    }
    debug!(operation = %op.name, "endpoint discovery is failing; using what is known");
    let stale = lock(c)?
        .endpoints
        .get(region)
        .and_then(|v| v.first())
        .map(|e| e.url.clone());
    if stale.is_some() {
        return Ok(stale);
    }
    if op.endpoint_discovery_required {
        if recently_failed {
            if let Some(url) = refresh(c, region).await? {
                return Ok(Some(url));
            }
        }
        return Err(Error::new(
            ErrorKind::Endpoint,
            "Endpoint Discovery failed to refresh the required endpoints.",
        ));
    }
    Ok(None)
}

fn lock(c: &ClientInner) -> Result<std::sync::MutexGuard<'_, State>, Error> {
    c.discovery
        .state
        .lock()
        .map_err(|_| Error::new(ErrorKind::Endpoint, "endpoint discovery cache poisoned"))
}

/// Calls the discovery operation and caches what it returns. `Ok(None)` when
/// it could not connect (then not retried for [`FAILED_BACKOFF`]).
async fn refresh(c: &ClientInner, region: &str) -> Result<Option<String>, Error> {
    let Some(name) = operation_name(c) else {
        return Ok(None);
    };
    debug!(operation = %name, "discovering endpoints");
    let params = Value::Map(Default::default());
    // The discovery call goes through the same pipeline, which calls here
    // (`invoke` puts the call behind a pointer, so the recursion has a size).
    let out = match crate::pipeline::invoke(c, name, params, None, false).await {
        Ok(out) => out.value,
        Err(e) if matches!(e.kind(), ErrorKind::Dispatch | ErrorKind::Timeout) => {
            debug!(error = %e.report(), "endpoint discovery could not connect");
            lock(c)?
                .failed_until
                .insert(region.to_string(), Instant::now() + FAILED_BACKOFF);
            return Ok(None);
        }
        Err(e) => return Err(e),
    };
    let endpoints = parse_endpoints(&out, Instant::now())?;
    let first = endpoints.first().map(|e| e.url.clone());
    let mut s = lock(c)?;
    s.failed_until.remove(region);
    s.endpoints.insert(region.to_string(), endpoints);
    Ok(first)
}

/// `Endpoints: [{Address, CachePeriodInMinutes}]` → cache entries.
fn parse_endpoints(out: &Value, now: Instant) -> Result<Vec<Discovered>, Error> {
    let bad = |why: String| {
        Error::new(
            ErrorKind::Response,
            format!("endpoint discovery returned {why}"),
        )
    };
    let list = out
        .get("Endpoints")
        .as_list()
        .ok_or_else(|| bad("no Endpoints".into()))?;
    let mut endpoints = Vec::with_capacity(list.len());
    for e in list {
        let address = e
            .get("Address")
            .as_str()
            .ok_or_else(|| bad("an endpoint without an Address".into()))?;
        let minutes = match e.get("CachePeriodInMinutes") {
            Value::Integer(n) => u64::try_from(*n).unwrap_or(0),
            Value::Float(f) if *f >= 0.0 => *f as u64,
            _ => return Err(bad("an endpoint without a CachePeriodInMinutes".into())),
        };
        endpoints.push(Discovered {
            url: endpoint_url(address).map_err(bad)?,
            expires: now + Duration::from_secs(minutes.saturating_mul(60).min(u32::MAX as u64)),
        });
    }
    if endpoints.is_empty() {
        return Err(bad("an empty list of endpoints".into()));
    }
    Ok(endpoints)
}

/// botocore prefixes `https://` unless the address starts with `http`; a
/// plain-`http` or malformed address is refused here (the host itself is
/// checked again before signing).
fn endpoint_url(address: &str) -> Result<String, String> {
    let host = address.strip_prefix("https://").unwrap_or(address);
    let host = host.strip_suffix('/').unwrap_or(host);
    let plain = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    if plain {
        Ok(format!("https://{host}"))
    } else {
        Err(format!(
            "an address that is not an https host name: {}",
            address.escape_debug()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_become_https_urls_and_hostile_ones_are_refused() {
        assert_eq!(
            endpoint_url("ingest-cell2.timestream.us-east-1.amazonaws.com").unwrap(),
            "https://ingest-cell2.timestream.us-east-1.amazonaws.com"
        );
        assert_eq!(
            endpoint_url("https://a.example.com/").unwrap(),
            "https://a.example.com"
        );
        for bad in [
            "http://a.example.com",
            "evil.com/x",
            "a@evil.com",
            "a.com:8443",
            "",
            "a .com",
        ] {
            assert!(endpoint_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn endpoints_expire_after_their_cache_period() {
        let out = boto_model::params! {"Endpoints": [
            {"Address": "a.example.com", "CachePeriodInMinutes": 2},
            {"Address": "b.example.com", "CachePeriodInMinutes": 0}
        ]};
        let now = Instant::now();
        let e = parse_endpoints(&out, now).unwrap();
        assert_eq!(e[0].url, "https://a.example.com");
        assert_eq!(e[0].expires, now + Duration::from_secs(120));
        assert_eq!(e[1].expires, now);
        let none = boto_model::params! {"Endpoints": []};
        assert!(parse_endpoints(&none, now).is_err());
        let missing = boto_model::params! {"Endpoints": [{"Address": "a.example.com"}]};
        assert!(parse_endpoints(&missing, now).is_err());
    }
}
