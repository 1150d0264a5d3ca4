//! A typed DynamoDB table handle, replacing the methods boto3's `Table`
//! resource gets from `resources-1.json` plus `boto3.dynamodb.table`
//! (`put_item`, `get_item`, `update_item`, `delete_item`, `query`, `scan`,
//! `batch_writer`).
//!
//! Every call goes through [`transform_input_typed`]/[`transform_output_typed`],
//! so items are [`Item`]s of exact values and conditions are [`Condition`]s,
//! compiled with boto3's placeholder naming. Query and scan are builders
//! that page with `LastEvaluatedKey`.

use super::batch::{BatchWriter, BlockingBatchWriter};
use super::conditions::Condition;
use super::transform::{transform_input_typed, transform_output_typed, Doc};
use super::types::{AttrValue, Item};
use indexmap::IndexMap;

/// A DynamoDB table: a client and a table name. `Clone + Send + Sync`.
#[derive(Clone, Debug)]
pub struct Table {
    client: boto::Client,
    name: String,
}

/// Options of the write calls: a condition, `ReturnValues`, and the names and
/// values an update expression refers to (merged with the condition's).
#[derive(Clone, Debug, Default)]
pub struct WriteOptions {
    /// `ConditionExpression`; the write fails with `ConditionalCheckFailedException` when it does not hold.
    pub condition: Option<Condition>,
    /// `ReturnValues` (`NONE`, `ALL_OLD`, `UPDATED_NEW`, ...).
    pub return_values: Option<String>,
    /// `ExpressionAttributeNames` the update expression uses (`#n` to name).
    pub names: IndexMap<String, String>,
    /// `ExpressionAttributeValues` the update expression uses (`:v` to value).
    pub values: Item,
}

impl WriteOptions {
    /// Sets the `ConditionExpression`.
    pub fn condition(mut self, c: Condition) -> Self {
        self.condition = Some(c);
        self
    }
    /// Sets `ReturnValues`.
    pub fn return_values(mut self, r: impl Into<String>) -> Self {
        self.return_values = Some(r.into());
        self
    }
    /// Adds an expression attribute name (`"#c"`, `"count"`).
    pub fn name(mut self, placeholder: impl Into<String>, name: impl Into<String>) -> Self {
        self.names.insert(placeholder.into(), name.into());
        self
    }
    /// Adds an expression attribute value (`":one"`, `1`).
    pub fn value(mut self, placeholder: impl Into<String>, value: impl Into<AttrValue>) -> Self {
        self.values.insert(placeholder.into(), value.into());
        self
    }
    fn apply(self, mut params: Doc) -> Doc {
        if let Some(c) = self.condition {
            params = params.with("ConditionExpression", c);
        }
        if let Some(r) = self.return_values {
            params = params.with("ReturnValues", r);
        }
        if !self.names.is_empty() {
            let names = self
                .names
                .into_iter()
                .map(|(k, v)| (k, Doc::from(v)))
                .collect();
            params = params.with("ExpressionAttributeNames", Doc::Map(names));
        }
        if !self.values.is_empty() {
            params = params.with("ExpressionAttributeValues", Doc::from(self.values));
        }
        params
    }
}

impl Table {
    /// The table `name`, called through `client` (a `dynamodb` client); no call is made.
    pub fn new(client: boto::Client, name: impl Into<String>) -> Table {
        Table {
            client,
            name: name.into(),
        }
    }
    /// The typed handle of a `dynamodb.Table` resource (`resource.resource("Table", [name])`),
    /// on the resource's client.
    pub fn from_resource(resource: &crate::Resource) -> Result<Table, boto::Error> {
        if resource.service_name() != "dynamodb" || resource.resource_name() != "Table" {
            return Err(boto::Error::validation(format!(
                "{} is not a dynamodb.Table resource",
                resource.class_name()
            )));
        }
        let client = resource.meta().client().cloned().ok_or_else(|| {
            boto::Error::validation(
                "this dynamodb.Table resource has no client (it was built from an invoker)",
            )
        })?;
        let name = resource.id_str("Name").ok_or_else(|| {
            boto::Error::validation("the dynamodb.Table resource has no Name identifier")
        })?;
        Ok(Table::new(client, name))
    }
    /// The table's name.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The DynamoDB client every call goes through.
    pub fn client(&self) -> &boto::Client {
        &self.client
    }

    /// Calls any DynamoDB operation with typed parameters (`TableName` added
    /// when the operation has it and it is missing) and a typed result.
    pub async fn call(&self, operation: &str, params: Doc) -> Result<Doc, boto::Error> {
        let model = self.client.model();
        let op = model
            .require_operation(operation)
            .map_err(|e| boto::Error::validation(e.to_string()))?;
        let takes_table = op
            .input
            .as_ref()
            .and_then(|r| model.shape(r.target).as_structure())
            .and_then(|s| s.members.iter().find(|m| &*m.name == "TableName"))
            .is_some();
        let params = match params {
            Doc::Map(m) if takes_table && !m.contains_key("TableName") => {
                Doc::Map(m).with("TableName", self.name.as_str())
            }
            other => other,
        };
        let wire = transform_input_typed(model, operation, params)?;
        let out = self.client.call(operation, wire).await?;
        transform_output_typed(model, operation, out)
    }

    /// PutItem; returns the output (with `Attributes` if asked for).
    pub async fn put_item(&self, item: Item) -> Result<Doc, boto::Error> {
        self.put_item_with(item, WriteOptions::default()).await
    }
    /// `PutItem` with a condition, `ReturnValues` and expression names/values.
    pub async fn put_item_with(&self, item: Item, opts: WriteOptions) -> Result<Doc, boto::Error> {
        self.call("PutItem", opts.apply(Doc::map().with("Item", item)))
            .await
    }

    /// GetItem; `None` when there is no such item.
    pub async fn get_item(&self, key: Item) -> Result<Option<Item>, boto::Error> {
        self.get_item_with(key, false, None).await
    }
    /// GetItem with `ConsistentRead` and an optional projection of attribute paths.
    pub async fn get_item_with(
        &self,
        key: Item,
        consistent_read: bool,
        projection: Option<&[&str]>,
    ) -> Result<Option<Item>, boto::Error> {
        let mut params = Doc::map().with("Key", key);
        if consistent_read {
            params = params.with("ConsistentRead", boto::Value::Bool(true));
        }
        if let Some(paths) = projection {
            params = with_projection(params, paths);
        }
        let out = self.call("GetItem", params).await?;
        Ok(out.get("Item").and_then(|d| d.as_item()))
    }

    /// UpdateItem with an update expression (`"SET #c = #c + :one"`); its
    /// names and values go in `opts`. Returns `Attributes` when present.
    pub async fn update_item(
        &self,
        key: Item,
        update_expression: &str,
        opts: WriteOptions,
    ) -> Result<Option<Item>, boto::Error> {
        let params = Doc::map()
            .with("Key", key)
            .with("UpdateExpression", update_expression);
        let out = self.call("UpdateItem", opts.apply(params)).await?;
        Ok(out.get("Attributes").and_then(|d| d.as_item()))
    }

    /// DeleteItem; returns `Attributes` when present (`ReturnValues: ALL_OLD`).
    pub async fn delete_item(
        &self,
        key: Item,
        opts: WriteOptions,
    ) -> Result<Option<Item>, boto::Error> {
        let out = self
            .call("DeleteItem", opts.apply(Doc::map().with("Key", key)))
            .await?;
        Ok(out.get("Attributes").and_then(|d| d.as_item()))
    }

    /// A Query with a key condition (only [`super::Key`](fn@super::Key) paths allowed).
    pub fn query(&self, key_condition: Condition) -> ReadRequest {
        ReadRequest::new(self.clone(), "Query").param("KeyConditionExpression", key_condition)
    }
    /// A Scan of the whole table (or index).
    pub fn scan(&self) -> ReadRequest {
        ReadRequest::new(self.clone(), "Scan")
    }

    /// A batch writer (boto3's `table.batch_writer()`); call `close().await` when done.
    pub fn batch_writer(&self) -> BatchWriter {
        BatchWriter::new(self.clone(), None)
    }
    /// A batch writer that keeps only the last request per primary key
    /// (boto3's `overwrite_by_pkeys`).
    pub fn batch_writer_overwrite_by_pkeys<S: Into<String>>(
        &self,
        pkeys: impl IntoIterator<Item = S>,
    ) -> BatchWriter {
        BatchWriter::new(
            self.clone(),
            Some(pkeys.into_iter().map(Into::into).collect()),
        )
    }
    /// The blocking twin; it flushes on drop.
    pub fn blocking_batch_writer(&self) -> BlockingBatchWriter {
        BlockingBatchWriter::new(self.batch_writer())
    }
}

/// `ProjectionExpression` from attribute paths, with `#p0`-style name
/// placeholders (distinct from the conditions' `#n0`) so reserved words work.
fn with_projection(params: Doc, paths: &[&str]) -> Doc {
    let mut names = match params.get("ExpressionAttributeNames") {
        Some(Doc::Map(m)) => m,
        _ => IndexMap::new(),
    };
    let mut counter = 0;
    let mut exprs = Vec::with_capacity(paths.len());
    for path in paths {
        let mut expr = String::new();
        for (text, is_name) in super::conditions::split_path(path) {
            if is_name {
                let placeholder = format!("#p{counter}");
                counter += 1;
                expr.push_str(&placeholder);
                names.insert(placeholder, Doc::from(text));
            } else {
                expr.push_str(text);
            }
        }
        exprs.push(expr);
    }
    params
        .with("ProjectionExpression", exprs.join(", "))
        .with("ExpressionAttributeNames", Doc::Map(names))
}

/// One page of a Query or Scan.
#[derive(Clone, Debug)]
pub struct Page {
    /// `Items`, as plain items.
    pub items: Vec<Item>,
    /// `Count`: items returned (after the filter).
    pub count: i64,
    /// `ScannedCount`: items evaluated (before the filter).
    pub scanned_count: i64,
    /// `LastEvaluatedKey`: where the next page starts; `None` on the last page.
    pub last_evaluated_key: Option<Item>,
    /// The whole typed output (consumed capacity and so on).
    pub raw: Doc,
}

/// A Query or Scan being built; [`ReadRequest::page`], [`ReadRequest::pages`],
/// [`ReadRequest::all`] and [`ReadRequest::count`] run it.
#[derive(Clone, Debug)]
pub struct ReadRequest {
    table: Table,
    operation: &'static str,
    params: Doc,
}

/// A Query being built.
pub type QueryRequest = ReadRequest;
/// A Scan being built.
pub type ScanRequest = ReadRequest;

impl ReadRequest {
    fn new(table: Table, operation: &'static str) -> Self {
        ReadRequest {
            table,
            operation,
            params: Doc::map(),
        }
    }
    /// Sets any parameter of the operation (typed).
    pub fn param(mut self, key: &str, value: impl Into<Doc>) -> Self {
        self.params = self.params.with(key, value);
        self
    }
    /// `FilterExpression`.
    pub fn filter(self, c: Condition) -> Self {
        self.param("FilterExpression", c)
    }
    /// `IndexName`.
    pub fn index(self, name: &str) -> Self {
        self.param("IndexName", name)
    }
    /// `Limit` (items evaluated per page).
    pub fn limit(self, n: i64) -> Self {
        self.param("Limit", boto::Value::Integer(n))
    }
    /// `ConsistentRead`.
    pub fn consistent_read(self, yes: bool) -> Self {
        self.param("ConsistentRead", boto::Value::Bool(yes))
    }
    /// `ScanIndexForward` (Query only).
    pub fn scan_forward(self, yes: bool) -> Self {
        self.param("ScanIndexForward", boto::Value::Bool(yes))
    }
    /// `Select` (`ALL_ATTRIBUTES`, `COUNT`, ...).
    pub fn select(self, s: &str) -> Self {
        self.param("Select", s)
    }
    /// `ExclusiveStartKey`.
    pub fn start_key(self, key: Item) -> Self {
        self.param("ExclusiveStartKey", key)
    }
    /// Only these attribute paths.
    pub fn projection(mut self, paths: &[&str]) -> Self {
        self.params = with_projection(self.params, paths);
        self
    }

    /// Runs one request.
    pub async fn page(&self) -> Result<Page, boto::Error> {
        let out = self.table.call(self.operation, self.params.clone()).await?;
        let int = |k: &str| match out.get(k) {
            Some(Doc::Plain(v)) => v.as_i64().unwrap_or(0),
            _ => 0,
        };
        Ok(Page {
            items: out
                .get("Items")
                .and_then(|d| d.as_items())
                .unwrap_or_default(),
            count: int("Count"),
            scanned_count: int("ScannedCount"),
            last_evaluated_key: out.get("LastEvaluatedKey").and_then(|d| d.as_item()),
            raw: out,
        })
    }
    /// Pages until `LastEvaluatedKey` runs out.
    pub fn pages(self) -> Pages {
        Pages {
            request: self,
            done: false,
        }
    }
    /// Every item of every page.
    pub async fn all(self) -> Result<Vec<Item>, boto::Error> {
        let mut pages = self.pages();
        let mut items = Vec::new();
        while let Some(page) = pages.next_page().await {
            items.extend(page?.items);
        }
        Ok(items)
    }
    /// The number of matching items over all pages (`Select: COUNT`).
    pub async fn count(self) -> Result<i64, boto::Error> {
        let mut pages = self.select("COUNT").pages();
        let mut n = 0;
        while let Some(page) = pages.next_page().await {
            n += page?.count;
        }
        Ok(n)
    }
}

/// Page-by-page iteration of a [`ReadRequest`].
#[derive(Debug)]
pub struct Pages {
    request: ReadRequest,
    done: bool,
}

impl Pages {
    /// The next page, or `None` after the last one (or after an error).
    pub async fn next_page(&mut self) -> Option<Result<Page, boto::Error>> {
        if self.done {
            return None;
        }
        let page = self.request.page().await;
        match &page {
            Ok(p) => match &p.last_evaluated_key {
                Some(k) if !k.is_empty() => {
                    self.request.params = self
                        .request
                        .params
                        .clone()
                        .with("ExclusiveStartKey", k.clone());
                }
                _ => self.done = true,
            },
            Err(_) => self.done = true,
        }
        Some(page)
    }
}
