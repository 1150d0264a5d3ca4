//! The blocking twin of [`super::Table`], for plain threads — boto3's
//! `Table` is synchronous, and code ported from it often is too.
//!
//! Calls run on boto's shared background runtime (the pattern of
//! [`boto::blocking::Client`]); called from inside a current-thread Tokio
//! runtime they return an error instead of blocking it.
//!
//! ```no_run
//! # fn demo() -> Result<(), boto::Error> {
//! use boto_resources::dynamodb::{blocking::Table, AttrValue, Item, Key};
//! let client = boto::blocking::Client::new(boto::Session::new()?.client("dynamodb")?);
//! let table = Table::from_client(&client, "users");
//! let mut item = Item::new();
//! item.insert("pk".into(), AttrValue::from("alice"));
//! item.insert("visits".into(), AttrValue::from(3));
//! table.put_item(item)?;
//! for user in table.query(Key("pk").eq("alice")).pages() {
//!     println!("{} items", user?.items.len());
//! }
//! let mut writer = table.batch_writer();     // flushes on drop
//! for i in 0..100 {
//!     let mut item = Item::new();
//!     item.insert("pk".into(), AttrValue::from(format!("user-{i}")));
//!     writer.put_item(item)?;
//! }
//! writer.close()?;
//! # Ok(()) }
//! ```

use super::batch::BlockingBatchWriter;
use super::conditions::Condition;
use super::table::{Page, WriteOptions};
use super::transform::Doc;
use super::types::Item;
use boto::blocking::block_on;
use boto::Error;

/// A blocking DynamoDB table handle. `Clone + Send + Sync`.
#[derive(Clone, Debug)]
pub struct Table {
    inner: super::Table,
}

impl From<super::Table> for Table {
    fn from(inner: super::Table) -> Self {
        Table { inner }
    }
}

impl Table {
    /// A table on an async client.
    pub fn new(client: boto::Client, name: impl Into<String>) -> Table {
        super::Table::new(client, name).into()
    }
    /// A table on a blocking client (same connection pool and credentials).
    pub fn from_client(client: &boto::blocking::Client, name: impl Into<String>) -> Table {
        Table::new(client.async_client().clone(), name)
    }
    /// The typed handle of a blocking `dynamodb.Table` resource.
    pub fn from_resource(resource: &crate::blocking::Resource) -> Result<Table, Error> {
        super::Table::from_resource(resource.async_resource()).map(Table::from)
    }
    /// The async table underneath.
    pub fn async_table(&self) -> &super::Table {
        &self.inner
    }
    /// The table's name.
    pub fn name(&self) -> &str {
        self.inner.name()
    }
    /// Any DynamoDB operation with typed parameters (see [`super::Table::call`]).
    pub fn call(&self, operation: &str, params: Doc) -> Result<Doc, Error> {
        block_on(self.inner.call(operation, params))?
    }
    /// `PutItem`; returns the output (with `Attributes` if asked for).
    pub fn put_item(&self, item: Item) -> Result<Doc, Error> {
        block_on(self.inner.put_item(item))?
    }
    /// `PutItem` with a condition, `ReturnValues` and expression names/values.
    pub fn put_item_with(&self, item: Item, opts: WriteOptions) -> Result<Doc, Error> {
        block_on(self.inner.put_item_with(item, opts))?
    }
    /// `GetItem` by primary key; `None` when there is no such item.
    pub fn get_item(&self, key: Item) -> Result<Option<Item>, Error> {
        block_on(self.inner.get_item(key))?
    }
    /// `GetItem` with `ConsistentRead` and a projection of attribute paths.
    pub fn get_item_with(
        &self,
        key: Item,
        consistent_read: bool,
        projection: Option<&[&str]>,
    ) -> Result<Option<Item>, Error> {
        block_on(self.inner.get_item_with(key, consistent_read, projection))?
    }
    /// `UpdateItem` with an update expression; returns `Attributes` when `ReturnValues` asks for them.
    pub fn update_item(
        &self,
        key: Item,
        update_expression: &str,
        opts: WriteOptions,
    ) -> Result<Option<Item>, Error> {
        block_on(self.inner.update_item(key, update_expression, opts))?
    }
    /// `DeleteItem`; returns the old item when `ReturnValues = ALL_OLD`.
    pub fn delete_item(&self, key: Item, opts: WriteOptions) -> Result<Option<Item>, Error> {
        block_on(self.inner.delete_item(key, opts))?
    }
    /// A Query with a key condition.
    pub fn query(&self, key_condition: Condition) -> ReadRequest {
        ReadRequest {
            inner: self.inner.query(key_condition),
        }
    }
    /// A Scan of the whole table (or index).
    pub fn scan(&self) -> ReadRequest {
        ReadRequest {
            inner: self.inner.scan(),
        }
    }
    /// A batch writer; it flushes on drop (errors then go to its report).
    pub fn batch_writer(&self) -> BlockingBatchWriter {
        self.inner.blocking_batch_writer()
    }
    /// A batch writer keeping only the last request per primary key.
    pub fn batch_writer_overwrite_by_pkeys<S: Into<String>>(
        &self,
        pkeys: impl IntoIterator<Item = S>,
    ) -> BlockingBatchWriter {
        BlockingBatchWriter::new(self.inner.batch_writer_overwrite_by_pkeys(pkeys))
    }
}

/// A blocking Query or Scan being built (the builder of [`super::ReadRequest`]).
#[derive(Clone, Debug)]
pub struct ReadRequest {
    inner: super::ReadRequest,
}

macro_rules! forward {
    ($($(#[$m:meta])* $name:ident($($arg:ident: $ty:ty),*);)*) => {$(
        $(#[$m])*
        pub fn $name(self, $($arg: $ty),*) -> Self {
            ReadRequest { inner: self.inner.$name($($arg),*) }
        }
    )*};
}

impl ReadRequest {
    forward! {
        /// `FilterExpression`.
        filter(c: Condition);
        /// `IndexName`.
        index(name: &str);
        /// `Limit` (items evaluated per page).
        limit(n: i64);
        /// `ConsistentRead`.
        consistent_read(yes: bool);
        /// `ScanIndexForward` (Query only).
        scan_forward(yes: bool);
        /// `Select`.
        select(s: &str);
        /// `ExclusiveStartKey`.
        start_key(key: Item);
        /// Only these attribute paths.
        projection(paths: &[&str]);
    }
    /// Sets any parameter of the operation (typed).
    pub fn param(self, key: &str, value: impl Into<Doc>) -> Self {
        ReadRequest {
            inner: self.inner.param(key, value),
        }
    }
    /// Runs one request.
    pub fn page(&self) -> Result<Page, Error> {
        block_on(self.inner.page())?
    }
    /// Pages until `LastEvaluatedKey` runs out; stops after an error.
    pub fn pages(self) -> Pages {
        Pages {
            inner: self.inner.pages(),
            failed: false,
        }
    }
    /// Every item of every page.
    pub fn all(self) -> Result<Vec<Item>, Error> {
        block_on(self.inner.all())?
    }
    /// The number of matching items over all pages (`Select: COUNT`).
    pub fn count(self) -> Result<i64, Error> {
        block_on(self.inner.count())?
    }
}

/// A blocking iterator over the pages of a Query or Scan.
#[derive(Debug)]
pub struct Pages {
    inner: super::Pages,
    failed: bool,
}

impl Iterator for Pages {
    type Item = Result<Page, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match block_on(self.inner.next_page()) {
            Ok(next) => next,
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}
