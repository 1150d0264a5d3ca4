//! Memoized resolution: the same parameters give the same endpoint.
//!
//! A rule set is a pure function of its [`Params`] (and the partitions the
//! caller passes in), so a client that calls the same operation on the same
//! bucket or table again can skip the evaluation: for S3's rule set (the
//! largest) that is most of the endpoint cost of a call. botocore has no
//! such cache (`EndpointRulesetResolver` evaluates every call, with an
//! `lru_cache` only on some helper functions); aws-sdk-rust evaluates every
//! call too.
//!
//! The cache belongs to its owner (one per client, no global state), holds
//! at most [`ResolveCache::CAPACITY`] entries and is emptied when full, so a
//! caller that touches many buckets pays one evaluation per new bucket and
//! nothing grows without bound. Errors are not cached.

use crate::{Endpoint, EndpointError, Params, Partitions, RuleSet};
use std::collections::HashMap;
use std::sync::Mutex;

/// A bounded map from parameters to the endpoint they resolved to.
///
/// ```
/// use boto_endpoints::{Params, Partitions, ResolveCache, RuleSet};
///
/// let partitions = Partitions::from_json(br#"{"partitions":[{"id":"aws",
///     "regionRegex":"^us\\-\\w+\\-\\d+$","regions":{},"outputs":{"dnsSuffix":"amazonaws.com"}}]}"#).unwrap();
/// let rules = RuleSet::from_json(br#"{"version":"1.0",
///     "parameters":{"Region":{"type":"string","builtIn":"AWS::Region","required":true}},
///     "rules":[{"type":"endpoint","conditions":[],"endpoint":{"url":"https://svc.{Region}.example"}}]}"#).unwrap();
/// let cache = ResolveCache::default();
/// let params = Params::new().with("Region", "us-west-2");
/// let first = cache.resolve(&rules, &params, &partitions).unwrap();
/// assert_eq!(cache.resolve(&rules, &params, &partitions).unwrap(), first);
/// assert_eq!(cache.len(), 1);
/// ```
///
/// Keys are hashed with foldhash, randomly seeded per cache (SipHash, the
/// standard map's hasher, took a third of a cached resolution).
#[derive(Debug, Default)]
pub struct ResolveCache {
    map: Mutex<HashMap<Params, Endpoint, foldhash::fast::RandomState>>,
}

impl ResolveCache {
    /// Entries kept before the cache is emptied.
    pub const CAPACITY: usize = 256;

    /// `rules.resolve(params, partitions)`, from the cache when these
    /// parameters were resolved before. Use one cache per rule set (and
    /// partitions): the key is the parameters alone.
    pub fn resolve(
        &self,
        rules: &RuleSet,
        params: &Params,
        partitions: &Partitions,
    ) -> Result<Endpoint, EndpointError> {
        if let Some(hit) = self.map.lock().ok().and_then(|m| m.get(params).cloned()) {
            return Ok(hit);
        }
        let endpoint = rules.resolve(params, partitions)?;
        if let Ok(mut m) = self.map.lock() {
            if m.len() >= Self::CAPACITY {
                m.clear();
            }
            m.insert(params.clone(), endpoint.clone());
        }
        Ok(endpoint)
    }

    /// Entries held now.
    pub fn len(&self) -> usize {
        self.map.lock().map(|m| m.len()).unwrap_or(0)
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> (RuleSet, Partitions) {
        let partitions = Partitions::from_json(
            br#"{"partitions":[{"id":"aws","regionRegex":"^us\\-\\w+\\-\\d+$","regions":{},
                "outputs":{"dnsSuffix":"amazonaws.com"}}]}"#,
        )
        .unwrap();
        let rules = RuleSet::from_json(
            br#"{"version":"1.0","parameters":{
                "Region":{"type":"string","builtIn":"AWS::Region","required":true},
                "Bucket":{"type":"string"}},
              "rules":[
                {"type":"error","conditions":[{"fn":"stringEquals","argv":[{"ref":"Region"},"bad"]}],
                 "error":"bad region"},
                {"type":"endpoint","conditions":[{"fn":"isSet","argv":[{"ref":"Bucket"}]}],
                 "endpoint":{"url":"https://{Bucket}.svc.{Region}.example"}},
                {"type":"endpoint","conditions":[],"endpoint":{"url":"https://svc.{Region}.example"}}]}"#,
        )
        .unwrap();
        (rules, partitions)
    }

    #[test]
    fn equal_params_hit_and_different_params_resolve_anew() {
        let (rules, partitions) = fixtures();
        let cache = ResolveCache::default();
        let a = Params::new()
            .with("Region", "us-east-1")
            .with("Bucket", "a");
        let b = Params::new()
            .with("Region", "us-east-1")
            .with("Bucket", "b");
        let plain = Params::new().with("Region", "us-east-1");
        for _ in 0..3 {
            assert_eq!(
                cache.resolve(&rules, &a, &partitions).unwrap().url,
                "https://a.svc.us-east-1.example"
            );
            assert_eq!(
                cache.resolve(&rules, &b, &partitions).unwrap().url,
                "https://b.svc.us-east-1.example"
            );
            assert_eq!(
                cache.resolve(&rules, &plain, &partitions).unwrap().url,
                "https://svc.us-east-1.example"
            );
        }
        assert_eq!(cache.len(), 3);
    }

    #[test]
    fn errors_are_not_cached_and_the_size_is_bounded() {
        let (rules, partitions) = fixtures();
        let cache = ResolveCache::default();
        let bad = Params::new().with("Region", "bad");
        assert!(cache.resolve(&rules, &bad, &partitions).is_err());
        assert!(cache.is_empty());
        for i in 0..ResolveCache::CAPACITY + 10 {
            let p = Params::new()
                .with("Region", "us-east-1")
                .with("Bucket", format!("b{i}"));
            let url = cache.resolve(&rules, &p, &partitions).unwrap().url;
            assert_eq!(url, format!("https://b{i}.svc.us-east-1.example"));
            assert!(cache.len() <= ResolveCache::CAPACITY);
        }
        assert_eq!(cache.len(), 10);
    }
}
