//! Paginators: botocore's `PageIterator`, page by page over any operation.
//!
//! Listing APIs return one page and a continuation token; `paginators-1.json`
//! says which members carry it. A [`Paginator`] makes the calls lazily, one
//! per [`Paginator::next_page`] (or per item of [`Paginator::into_stream`]),
//! and follows botocore exactly so results and tokens interoperate:
//!
//! * `MaxItems` cuts the page that crosses the limit and emits a resume token
//!   (base64 JSON with `boto_truncate_amount`, see [`token`]); resuming from
//!   it with `StartingToken` continues at the first item not yet returned;
//! * `PageSize` is sent as the operation's `limit_key`;
//! * [`Paginator::build_full_result`] concatenates every result key (lists
//!   append, numbers add, strings concatenate), adds the non-aggregate keys of
//!   the first page and `NextToken` when `MaxItems` stopped early;
//! * a service that returns the same token twice in a row is an error rather
//!   than an endless loop.

mod spec;
mod stream;
pub mod token;

#[cfg(test)]
pub(crate) mod tests;

pub use spec::{paginator_names, Expr, PaginatorSpec};

use crate::error::Error;
use crate::Invoke;
use boto_model::{Map, Value};
use spec::set_path;
use std::collections::VecDeque;
use std::sync::Arc;
use stream::PullStream;

/// Pages through one operation: botocore's `PageIterator`, from
/// [`Client::paginate`](crate::Client::paginate). Configure with the builder
/// methods before the first page is requested; then read pages with
/// [`next_page`](Self::next_page) (or [`into_stream`](Self::into_stream)),
/// items with [`search`](Self::search), or everything merged with
/// [`build_full_result`](Self::build_full_result).
///
/// ```
/// # use boto_model::params;
/// # use boto_runtime::Error;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Error> {
/// # const PAGE1: &str = "<ListBucketResult><Contents><Key>a</Key></Contents>\
/// #   <Contents><Key>b</Key></Contents><IsTruncated>true</IsTruncated>\
/// #   <NextContinuationToken>t1</NextContinuationToken></ListBucketResult>";
/// # const PAGE2: &str = "<ListBucketResult><Contents><Key>c</Key></Contents>\
/// #   <IsTruncated>false</IsTruncated></ListBucketResult>";
/// # let s3 = boto_runtime::doc_support::client("s3", &[(200, PAGE1), (200, PAGE2), (200, PAGE1), (200, PAGE2)]);
/// // s3.get_paginator("list_objects_v2").paginate(Bucket=...).search("Contents[].Key")
/// let listing = params! {"Bucket": "my-bucket"};
/// let mut keys = s3.paginate("ListObjectsV2", listing.clone())?.search("Contents[].Key")?;
/// let mut all = Vec::new();
/// while let Some(key) = keys.next().await {
///     all.push(key?.as_str().unwrap_or_default().to_string());
/// }
/// assert_eq!(all, ["a", "b", "c"]);
///
/// // PaginationConfig={"MaxItems": 2}: stops early with a NextToken to resume from.
/// let first = s3.paginate("ListObjectsV2", listing.clone())?.max_items(2).build_full_result().await?;
/// assert_eq!(first.get("Contents").as_list_or_empty().len(), 2);
/// let token = first.get("NextToken").as_str().expect("more to come");
///
/// // PaginationConfig={"StartingToken": token}
/// let rest = s3.paginate("ListObjectsV2", listing)?.starting_token(token).build_full_result().await?;
/// assert_eq!(rest.pointer("Contents[0].Key").as_str(), Some("c"));
/// # Ok(()) }
/// ```
pub struct Paginator {
    invoker: Arc<dyn Invoke>,
    operation: String,
    spec: Arc<PaginatorSpec>,
    max_items: Option<u64>,
    page_size: Option<u64>,
    starting_token: Option<String>,
    params: Map,
    state: State,
}

#[derive(Default)]
struct State {
    started: bool,
    done: bool,
    first_request: bool,
    pending_error: Option<Error>,
    /// The token that produced the page being processed (input name → value, null = none).
    next_token: Map,
    previous_next_token: Option<Map>,
    total_items: u64,
    starting_truncation: usize,
    resume_token: Option<String>,
    non_aggregate: Map,
}

impl std::fmt::Debug for Paginator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Paginator")
            .field("operation", &self.operation)
            .field("max_items", &self.max_items)
            .field("page_size", &self.page_size)
            .field("starting_token", &self.starting_token)
            .field("resume_token", &self.state.resume_token)
            .finish_non_exhaustive()
    }
}

impl Paginator {
    /// A paginator for `operation` (model, snake_case or kebab-case name)
    /// called with `params` (a map, or null for none). Fails when the
    /// operation cannot be paginated.
    pub fn new(
        invoker: Arc<dyn Invoke>,
        operation: &str,
        params: Value,
    ) -> Result<Paginator, Error> {
        let model = invoker.model().clone();
        let spec = PaginatorSpec::load(&model, operation)?;
        let name = model
            .operation(operation)
            .map(|o| o.name.to_string())
            .unwrap_or_else(|| operation.to_string());
        Paginator::with_spec(invoker, &name, params, Arc::new(spec))
    }

    /// A paginator with an explicit config (tests, custom paginators).
    pub fn with_spec(
        invoker: Arc<dyn Invoke>,
        operation: &str,
        params: Value,
        spec: Arc<PaginatorSpec>,
    ) -> Result<Paginator, Error> {
        let params = match params {
            Value::Map(m) => m,
            Value::Null => Map::new(),
            other => {
                return Err(Error::validation(format!(
                    "paginator parameters must be a map, got {}",
                    other.type_name()
                )))
            }
        };
        Ok(Paginator {
            invoker,
            operation: operation.to_string(),
            spec,
            max_items: None,
            page_size: None,
            starting_token: None,
            params,
            state: State {
                first_request: true,
                ..State::default()
            },
        })
    }

    /// `PaginationConfig.MaxItems`: stop after this many items of the primary result key.
    pub fn max_items(mut self, n: u64) -> Self {
        self.max_items = Some(n);
        self
    }
    /// `PaginationConfig.PageSize`: sent as the operation's `limit_key`.
    pub fn page_size(mut self, n: u64) -> Self {
        self.page_size = Some(n);
        self
    }
    /// `PaginationConfig.StartingToken`: a `NextToken` from an earlier run
    /// (this library's, boto3's or aws-cli's).
    pub fn starting_token(mut self, token: impl Into<String>) -> Self {
        self.starting_token = Some(token.into());
        self
    }

    /// The paginator config in use.
    pub fn spec(&self) -> &PaginatorSpec {
        &self.spec
    }
    /// The token to resume from, once `MaxItems` stopped the iteration.
    pub fn resume_token(&self) -> Option<&str> {
        self.state.resume_token.as_deref()
    }
    /// The non-aggregate keys of the first page (`{}` before it arrives).
    pub fn non_aggregate_part(&self) -> Value {
        Value::Map(self.state.non_aggregate.clone())
    }

    /// Fetches the next page; `None` when there are no more. After an error
    /// the iteration ends.
    pub async fn next_page(&mut self) -> Option<Result<Value, Error>> {
        if let Some(e) = self.state.pending_error.take() {
            self.state.done = true;
            return Some(Err(e));
        }
        if self.state.done {
            return None;
        }
        if !self.state.started {
            self.state.started = true;
            if let Err(e) = self.start() {
                self.state.done = true;
                return Some(Err(e));
            }
        }
        let params = Value::Map(self.params.clone());
        match self.invoker.invoke(&self.operation, params).await {
            Ok(page) => {
                let r = self.process(page);
                if r.is_err() {
                    self.state.done = true;
                }
                Some(r)
            }
            Err(e) => {
                self.state.done = true;
                Some(Err(e))
            }
        }
    }

    /// Parses the starting token and puts it and the page size into the request.
    fn start(&mut self) -> Result<(), Error> {
        self.state.next_token = self
            .spec
            .input_token
            .iter()
            .map(|k| (k.clone(), Value::Null))
            .collect();
        if let Some(raw) = &self.starting_token {
            let (tok, index) = parse_starting_token(raw, &self.spec.input_token)?;
            self.state.next_token = tok;
            self.state.starting_truncation = index;
            inject_token(&mut self.params, &self.state.next_token);
        }
        if let Some(n) = self.page_size {
            let Some(limit) = &self.spec.limit_key else {
                return Err(Error::validation(
                    "PageSize parameter is not supported for the pagination interface for this operation.",
                ));
            };
            let v = if self.spec.limit_is_string {
                Value::String(n.to_string().into())
            } else {
                Value::Integer(n as i64)
            };
            self.params.insert(limit.clone(), v);
        }
        Ok(())
    }

    /// The body of botocore's `PageIterator.__iter__` loop after a response.
    fn process(&mut self, mut page: Value) -> Result<Value, Error> {
        let spec = self.spec.clone();
        let st = &mut self.state;
        if st.first_request {
            if self.starting_token.is_some() {
                handle_first_request(&spec, &mut page, st.starting_truncation);
            }
            st.first_request = false;
            st.non_aggregate = Map::new();
            let mut na = Value::Map(Map::new());
            for e in &spec.non_aggregate_keys {
                if let Some(p) = e.path() {
                    set_path(&mut na, p, e.eval(&page));
                }
            }
            if let Value::Map(m) = na {
                st.non_aggregate = m;
            }
        } else {
            st.starting_truncation = 0;
        }
        let primary = spec.result_keys.first();
        let count = primary.map(|p| len_of(&p.eval(&page))).unwrap_or(0) as u64;
        if let Some(max) = self.max_items {
            if st.total_items + count > max {
                let keep = (max - st.total_items) as usize;
                if let Some(p) = primary.and_then(Expr::path) {
                    let original = primary.map(|e| e.eval(&page)).unwrap_or_default();
                    set_path(&mut page, p, truncate(original, keep));
                }
                let mut tok = st.next_token.clone();
                tok.insert(
                    token::TRUNCATE_KEY,
                    Value::Integer((keep + st.starting_truncation) as i64),
                );
                st.resume_token = Some(resume_token(&spec, &tok)?);
                st.done = true;
                return Ok(page);
            }
        }
        st.total_items += count;
        let next = next_token(&spec, &page);
        if next.values().all(Value::is_null) {
            st.done = true;
            return Ok(page);
        }
        if self.max_items == Some(st.total_items) {
            st.resume_token = Some(resume_token(&spec, &next)?);
            st.done = true;
            return Ok(page);
        }
        if st.previous_next_token.as_ref() == Some(&next) {
            st.pending_error = Some(Error::response(format!(
                "The same next token was received twice: {}",
                Value::Map(next).to_json()
            )));
            return Ok(page);
        }
        inject_token(&mut self.params, &next);
        st.previous_next_token = Some(next.clone());
        st.next_token = next;
        Ok(page)
    }

    /// Fetches every page and merges them as botocore's `build_full_result` does.
    pub async fn build_full_result(mut self) -> Result<Value, Error> {
        let mut full = Value::Map(Map::new());
        let spec = self.spec.clone();
        while let Some(page) = self.next_page().await {
            let page = page?;
            for key in &spec.result_keys {
                let Some(path) = key.path() else {
                    return Err(Error::construction(format!(
                        "result key {:?} is not a dotted path",
                        key.as_str()
                    )));
                };
                let value = key.eval(&page);
                if value.is_null() {
                    continue;
                }
                let existing = key.eval(&full);
                let merged = match (existing, value) {
                    (Value::Null, v) => v,
                    (Value::List(mut a), Value::List(b)) => {
                        a.extend(b);
                        Value::List(a)
                    }
                    (Value::Integer(a), Value::Integer(b)) => Value::Integer(a.saturating_add(b)),
                    (
                        a @ (Value::Integer(_) | Value::Float(_)),
                        b @ (Value::Integer(_) | Value::Float(_)),
                    ) => Value::Float(a.as_f64().unwrap_or(0.0) + b.as_f64().unwrap_or(0.0)),
                    (Value::String(a), Value::String(b)) => {
                        Value::String([a.as_str(), b.as_str()].concat().into())
                    }
                    (existing, _) => existing,
                };
                set_path(&mut full, path, merged);
            }
        }
        if let Value::Map(m) = &mut full {
            merge_maps(m, &self.state.non_aggregate);
            if let Some(t) = &self.state.resume_token {
                m.insert("NextToken", Value::String(t.as_str().into()));
            }
        }
        Ok(full)
    }

    /// botocore's `PageIterator.search`: evaluates `expression` on each page
    /// and yields the elements of list results (other results as they are).
    pub fn search(self, expression: &str) -> Result<Search, Error> {
        Ok(Search {
            pages: self,
            expr: Expr::new(expression)?,
            buf: VecDeque::new(),
        })
    }

    /// The pages as a [`futures_core::Stream`].
    pub fn into_stream(
        self,
    ) -> impl futures_core::Stream<Item = Result<Value, Error>> + Send + Unpin {
        PullStream::Idle(self)
    }
}

/// Items matched by [`Paginator::search`] across pages.
#[derive(Debug)]
pub struct Search {
    pages: Paginator,
    expr: Expr,
    buf: VecDeque<Value>,
}

impl Search {
    /// The next item; fetches pages as needed.
    pub async fn next(&mut self) -> Option<Result<Value, Error>> {
        loop {
            if let Some(v) = self.buf.pop_front() {
                return Some(Ok(v));
            }
            let page = match self.pages.next_page().await? {
                Ok(p) => p,
                Err(e) => return Some(Err(e)),
            };
            match self.expr.try_eval(&page) {
                Ok(Value::List(items)) => self.buf.extend(items),
                Ok(other) => return Some(Ok(other)),
                Err(e) => return Some(Err(e)),
            }
        }
    }

    /// The items as a [`futures_core::Stream`].
    pub fn into_stream(
        self,
    ) -> impl futures_core::Stream<Item = Result<Value, Error>> + Send + Unpin {
        PullStream::Idle(self)
    }
}

/// Length as botocore's `len()` sees it: list items, string characters, map entries.
fn len_of(v: &Value) -> usize {
    match v {
        Value::List(l) => l.len(),
        Value::String(s) => s.chars().count(),
        Value::Map(m) => m.len(),
        _ => 0,
    }
}

/// Keeps the first `keep` items (or characters).
fn truncate(v: Value, keep: usize) -> Value {
    match v {
        Value::List(mut l) => {
            l.truncate(keep);
            Value::List(l)
        }
        Value::String(s) => Value::String(s.chars().take(keep).collect()),
        Value::Null => Value::List(Vec::new()),
        other => other,
    }
}

/// On the first page after a `StartingToken`, drops the items already
/// returned and empties the secondary result keys (they were returned whole).
fn handle_first_request(spec: &PaginatorSpec, page: &mut Value, skip: usize) {
    let mut keys = spec.result_keys.iter();
    let Some(primary) = keys.next() else { return };
    if let Some(p) = primary.path() {
        let sliced = match primary.eval(page) {
            Value::List(l) => Value::List(l.into_iter().skip(skip).collect()),
            Value::String(s) => Value::String(s.chars().skip(skip).collect()),
            _ => Value::Null,
        };
        set_path(page, p, sliced);
    }
    for key in keys {
        let Some(p) = key.path() else { continue };
        let empty = match key.eval(page) {
            Value::List(_) => Value::List(Vec::new()),
            Value::String(_) => Value::String(Default::default()),
            n @ (Value::Integer(_) | Value::Float(_)) => n,
            _ => Value::Null,
        };
        set_path(page, p, empty);
    }
}

/// The next request's tokens from a page (empty when `more_results` says done).
fn next_token(spec: &PaginatorSpec, page: &Value) -> Map {
    if let Some(more) = &spec.more_results {
        if !truthy(&more.eval(page)) {
            return Map::new();
        }
    }
    spec.output_token
        .iter()
        .zip(&spec.input_token)
        .map(|(out, name)| {
            let v = out.eval(page);
            (name.clone(), if truthy(&v) { v } else { Value::Null })
        })
        .collect()
}

/// Python truthiness.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Integer(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::String(s) => !s.is_empty(),
        Value::Blob(b) => !b.is_empty(),
        Value::Timestamp(_) => true,
        Value::List(l) => !l.is_empty(),
        Value::Map(m) => !m.is_empty(),
    }
}

fn inject_token(params: &mut Map, token: &Map) {
    for (name, v) in token {
        if v.is_null() || v.as_str() == Some("None") {
            params.shift_remove(name);
        } else {
            params.insert(name.clone(), v.clone());
        }
    }
}

/// Encodes a resume token after checking its keys, like botocore's `resume_token` setter.
fn resume_token(spec: &PaginatorSpec, tok: &Map) -> Result<String, Error> {
    let mut want: Vec<&str> = spec.input_token.iter().map(String::as_str).collect();
    if tok.contains_key(token::TRUNCATE_KEY) {
        want.push(token::TRUNCATE_KEY);
    }
    want.sort_unstable();
    let mut have: Vec<&str> = tok.keys().map(|k| k.as_str()).collect();
    have.sort_unstable();
    if want != have {
        return Err(Error::validation(format!(
            "Bad starting token: {}",
            Value::Map(tok.clone()).to_json()
        )));
    }
    Ok(token::encode(tok))
}

/// Decodes a `StartingToken` into the service tokens and the number of items
/// of the first page to skip. Falls back to botocore's legacy `a___b___N` form.
fn parse_starting_token(raw: &str, input_token: &[String]) -> Result<(Map, usize), Error> {
    if let Some(mut tok) = token::decode(raw) {
        let index = match tok.shift_remove(token::TRUNCATE_KEY) {
            None => 0,
            Some(v) => v
                .as_i64()
                .and_then(|i| usize::try_from(i).ok())
                .ok_or_else(|| Error::validation(format!("Bad starting token: {raw}")))?,
        };
        return Ok((tok, index));
    }
    let mut parts: Vec<&str> = raw.split("___").collect();
    let mut index = 0;
    if parts.len() == input_token.len() + 1 {
        match parts.last().and_then(|p| p.parse::<usize>().ok()) {
            Some(i) => {
                index = i;
                parts.pop();
            }
            None => parts = vec![raw],
        }
    }
    if parts.len() > input_token.len() {
        return Err(Error::validation(format!("Bad starting token: {raw}")));
    }
    let tok = input_token
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let v = match parts.get(i) {
                Some(&p) if p != "None" => Value::String(p.into()),
                _ => Value::Null,
            };
            (name.clone(), v)
        })
        .collect();
    Ok((tok, index))
}

/// botocore's `merge_dicts` (maps merge recursively, anything else replaces).
fn merge_maps(into: &mut Map, from: &Map) {
    for (k, v) in from {
        match (into.get_mut(k), v) {
            (Some(Value::Map(a)), Value::Map(b)) => merge_maps(a, b),
            _ => {
                into.insert(k.clone(), v.clone());
            }
        }
    }
}
