//! Collections (`hasMany`): boto3's `ResourceCollection` and `BatchAction`.
//!
//! A [`Collection`] is a lazy query: [`Collection::filter`],
//! [`Collection::limit`] and [`Collection::page_size`] return new
//! collections and make no call. Iterating ([`Collection::pages`] or
//! [`Collection::items`], both async `Stream`s with an inherent `next()`)
//! calls the operation page by page — through the operation's paginator
//! when the service has one (with `MaxItems` = limit and `PageSize` =
//! page size, as boto3 passes `PaginationConfig`), else once. Batch actions
//! ([`Collection::batch_action`]) make one request per page, the page's
//! resources filling the `[*]` lists of the request (S3 `DeleteObjects`
//! with up to 1,000 keys per call); an empty collection makes no batch call.

use crate::model::CollectionDef;
use crate::params::{create_request_parameters, merge_params, user_params};
use crate::response::{handle, raw, ActionOutput};
use crate::{did_you_mean, Resource};
use boto::core::runtime::http::BoxFuture;
use boto::core::runtime::paginator::{Paginator, PaginatorSpec};
use boto::{Error, Map, Value};
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A collection of resources (`bucket.collection("objects")`).
///
/// boto3's `bucket.objects`: lazy (no call until iterated), refined with
/// [`filter`](Self::filter), [`limit`](Self::limit) and
/// [`page_size`](Self::page_size) (each returns a new collection), iterated
/// by item ([`items`](Self::items)) or by page ([`pages`](Self::pages)), the
/// listing paginated when the operation has a paginator. Here on an in-memory
/// stand-in for the client (any [`Invoke`](boto::core::runtime::Invoke));
/// with a real one use [`crate::resource()`](fn@crate::resource) or [`crate::ResourceExt::resource`]:
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # use boto::core::model::{Loader, ServiceModel};
/// # use boto::core::runtime::{http::BoxFuture, Invoke};
/// # use boto::{value, Error, Value};
/// # use std::sync::{Arc, Mutex};
/// # /// A stand-in for the S3 client: canned ListObjects, every call recorded.
/// # struct FakeS3 { model: Arc<ServiceModel>, calls: Mutex<Vec<(String, Value)>> }
/// # impl Invoke for FakeS3 {
/// #     fn model(&self) -> &Arc<ServiceModel> { &self.model }
/// #     fn invoke<'a>(&'a self, op: &'a str, params: Value) -> BoxFuture<'a, Result<Value, Error>> {
/// #         self.calls.lock().unwrap().push((op.to_string(), params));
/// #         let out = match op {
/// #             "ListObjects" => value!({"Contents": [{"Key": "img/a.png", "Size": 10},
/// #                                                  {"Key": "img/b.png", "Size": 20}]}),
/// #             "HeadObject" => value!({"ContentLength": 10, "ETag": "\"abc\""}),
/// #             _ => value!({}),
/// #         };
/// #         Box::pin(async move { Ok(out) })
/// #     }
/// # }
/// # let fake = Arc::new(FakeS3 { model: Loader::global().service_model("s3")?, calls: Mutex::default() });
/// let s3 = boto_resources::from_invoker(fake.clone())?;        // boto3.resource("s3")
/// let bucket = s3.resource("Bucket", ["my-bucket"])?;            // s3.Bucket("my-bucket")
/// let images = bucket.collection("objects")?.filter(value!({"Prefix": "img/"}));
///
/// boto::blocking::block_on(async {
///     let mut keys = Vec::new();
///     let mut items = images.items();                            // for obj in images: ...
///     while let Some(summary) = items.next().await {
///         let summary = summary?;                                // an s3.ObjectSummary
///         keys.push(format!("{}={}", summary.id_str("key").unwrap(), summary.attr("size").await?));
///     }
///     assert_eq!(keys, ["img/a.png=10", "img/b.png=20"]);
///
///     images.batch_action("delete", Value::Null).await?;        // images.delete()
///     Ok::<_, Error>(())
/// })??;
///
/// let calls = fake.calls.lock().unwrap();
/// assert_eq!(calls[0].0, "ListObjects");
/// assert_eq!(calls[0].1.get("Prefix").as_str(), Some("img/"));
/// let delete = calls.iter().find(|(op, _)| op == "DeleteObjects").unwrap();
/// assert_eq!(delete.1.get("Delete").get("Objects").as_list().unwrap().len(), 2);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Collection {
    parent: Resource,
    index: usize,
    params: Map,
    limit: Option<u64>,
    page_size: Option<u64>,
    error: Option<String>,
}

impl std::fmt::Debug for Collection {
    /// boto3's repr: `s3.Bucket.objectsCollection(s3.Bucket(name='b'), s3.ObjectSummary)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = self.model();
        let owner = if self.parent.model().is_service {
            self.parent.service_name().to_string()
        } else {
            self.parent.class_name()
        };
        write!(
            f,
            "{owner}.{}Collection({:?}, {}.{})",
            m.name,
            self.parent,
            self.parent.service_name(),
            m.resource.type_name
        )
    }
}

impl Collection {
    pub(crate) fn new(parent: Resource, index: usize) -> Self {
        Collection {
            parent,
            index,
            params: Map::new(),
            limit: None,
            page_size: None,
            error: None,
        }
    }

    /// The collection's model.
    pub fn model(&self) -> &CollectionDef {
        &self.parent.model().collections[self.index]
    }

    /// The resource the collection belongs to.
    pub fn parent(&self) -> &Resource {
        &self.parent
    }

    /// All items (a copy of this collection).
    pub fn all(&self) -> Collection {
        self.clone()
    }

    /// Adds request parameters (a map); maps merge and lists append, as
    /// boto3's chained `filter` calls do. A non-map is reported when iterating.
    pub fn filter(&self, params: Value) -> Collection {
        let mut c = self.clone();
        match user_params("filter", params) {
            Ok(m) => merge_params(&mut c.params, &m),
            Err(e) => c.error = Some(e.message().to_string()),
        }
        c
    }

    /// At most `n` items in all.
    pub fn limit(&self, n: u64) -> Collection {
        let mut c = self.clone();
        c.limit = Some(n);
        c
    }

    /// At most `n` items per request.
    pub fn page_size(&self, n: u64) -> Collection {
        let mut c = self.clone();
        c.page_size = Some(n);
        c
    }

    /// The filter parameters given so far.
    pub fn params(&self) -> &Map {
        &self.params
    }

    /// The pages, each a `Vec<Resource>`, fetched lazily.
    pub fn pages(&self) -> Pages {
        Pages {
            state: Pull::Idle(Box::new(PageState {
                coll: self.clone(),
                started: false,
                done: false,
                params: Value::Null,
                paginator: None,
                count: 0,
            })),
        }
    }

    /// The items one by one, fetched a page at a time.
    pub fn items(&self) -> Items {
        Items {
            pages: self.pages(),
            buffer: VecDeque::new(),
        }
    }

    /// Every item (all pages) in a `Vec`.
    pub async fn to_vec(&self) -> Result<Vec<Resource>, Error> {
        let mut out = Vec::new();
        let mut pages = self.pages();
        while let Some(p) = pages.next().await {
            out.extend(p?);
        }
        Ok(out)
    }

    /// The batch actions available (`delete`), from the item class's model.
    pub fn batch_action_names(&self) -> Vec<String> {
        self.parent
            .ctx()
            .models
            .get(&self.model().resource.type_name)
            .map(|d| d.batch_actions.iter().map(|a| a.py_name.clone()).collect())
            .unwrap_or_default()
    }

    /// Runs a batch action (`delete`) over every page: one request per
    /// non-empty page, the caller's parameters added to each. Returns the
    /// responses; an empty collection makes no batch call and returns none.
    pub async fn batch_action(
        &self,
        name: &str,
        params: Value,
    ) -> Result<Vec<ActionOutput>, Error> {
        let ctx = self.parent.ctx().clone();
        let class = ctx
            .models
            .require(&self.model().resource.type_name)?
            .clone();
        let Some(action) = class.batch_action(name) else {
            let names = class.batch_actions.iter().map(|a| a.py_name.as_str());
            return Err(Error::validation(format!(
                "{:?} has no batch action {name:?}{}",
                self,
                did_you_mean(name, names)
            )));
        };
        let user = user_params(&format!("batch action {}", action.py_name), params)?;
        let mut out = Vec::new();
        let mut pages = self.pages();
        while let Some(page) = pages.next().await {
            let page = page?;
            let mut req = Map::new();
            for (i, r) in page.iter().enumerate() {
                create_request_parameters(r, &action.request.params, &mut req, Some(i)).await?;
            }
            if req.is_empty() {
                break;
            }
            for (k, v) in &user {
                req.insert(k.clone(), v.clone());
            }
            let req = Value::Map(req);
            let response = ctx.call(&action.request.operation, req.clone()).await?;
            out.push(match &action.resource {
                Some(rr) => {
                    handle(
                        rr,
                        &self.parent,
                        &req,
                        response,
                        Some(&action.request.operation),
                    )
                    .await?
                }
                None => ActionOutput::Data(raw(action.path.as_deref(), response)?),
            });
        }
        Ok(out)
    }
}

struct PageState {
    coll: Collection,
    started: bool,
    done: bool,
    params: Value,
    paginator: Option<Paginator>,
    count: u64,
}

impl PageState {
    async fn start(&mut self) -> Result<(), Error> {
        if let Some(e) = &self.coll.error {
            return Err(Error::validation(e.clone()));
        }
        let m = self.coll.model().clone();
        let mut params = Map::new();
        create_request_parameters(&self.coll.parent, &m.request.params, &mut params, None).await?;
        merge_params(&mut params, &self.coll.params);
        self.params = Value::Map(params);
        let invoker = self.coll.parent.meta().invoker().clone();
        if PaginatorSpec::load(invoker.model(), &m.request.operation).is_ok() {
            let mut p = Paginator::new(invoker, &m.request.operation, self.params.clone())?;
            if let Some(n) = self.coll.limit {
                p = p.max_items(n);
            }
            if let Some(n) = self.coll.page_size {
                p = p.page_size(n);
            }
            self.paginator = Some(p);
        }
        Ok(())
    }

    async fn next(&mut self) -> Option<Result<Vec<Resource>, Error>> {
        let r = self.next_inner().await;
        if matches!(r, Some(Err(_))) {
            self.done = true;
        }
        r
    }

    async fn next_inner(&mut self) -> Option<Result<Vec<Resource>, Error>> {
        if self.done {
            return None;
        }
        if !self.started {
            self.started = true;
            if let Err(e) = self.start().await {
                return Some(Err(e));
            }
        }
        let op = self.coll.model().request.operation.clone();
        let page = match &mut self.paginator {
            Some(p) => match p.next_page().await {
                Some(r) => r,
                None => {
                    self.done = true;
                    return None;
                }
            },
            None => {
                self.done = true;
                self.coll.parent.ctx().call(&op, self.params.clone()).await
            }
        };
        let page = match page {
            Ok(p) => p,
            Err(e) => return Some(Err(e)),
        };
        let rr = self.coll.model().resource.clone();
        let mut items = match handle(&rr, &self.coll.parent, &self.params, page, Some(&op)).await {
            Ok(o) => o.into_resources(),
            Err(e) => return Some(Err(e)),
        };
        if let Some(limit) = self.coll.limit {
            let left = limit.saturating_sub(self.count) as usize;
            items.truncate(left);
            self.count += items.len() as u64;
            if self.count >= limit {
                self.done = true;
            }
        }
        Some(Ok(items))
    }
}

type Pending = BoxFuture<'static, (Box<PageState>, Option<Result<Vec<Resource>, Error>>)>;

enum Pull {
    Idle(Box<PageState>),
    Busy(Pending),
    Done,
}

/// The pages of a collection: `pages.next().await` or a `Stream`.
pub struct Pages {
    state: Pull,
}

impl Pages {
    /// The next page; `None` after the last (or after an error).
    pub async fn next(&mut self) -> Option<Result<Vec<Resource>, Error>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Vec<Resource>, Error>>> {
        loop {
            match std::mem::replace(&mut self.state, Pull::Done) {
                Pull::Idle(mut s) => {
                    self.state = Pull::Busy(Box::pin(async move {
                        let r = s.next().await;
                        (s, r)
                    }));
                }
                Pull::Busy(mut fut) => match fut.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = Pull::Busy(fut);
                        return Poll::Pending;
                    }
                    Poll::Ready((s, r)) => {
                        if r.is_some() {
                            self.state = Pull::Idle(s);
                        }
                        return Poll::Ready(r);
                    }
                },
                Pull::Done => return Poll::Ready(None),
            }
        }
    }
}

impl futures_core::Stream for Pages {
    type Item = Result<Vec<Resource>, Error>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of a collection: `items.next().await` or a `Stream`.
pub struct Items {
    pages: Pages,
    buffer: VecDeque<Resource>,
}

impl Items {
    /// The next item; `None` after the last (or after an error).
    pub async fn next(&mut self) -> Option<Result<Resource, Error>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Resource, Error>>> {
        loop {
            if let Some(r) = self.buffer.pop_front() {
                return Poll::Ready(Some(Ok(r)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => self.buffer.extend(page),
            }
        }
    }
}

impl futures_core::Stream for Items {
    type Item = Result<Resource, Error>;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}
