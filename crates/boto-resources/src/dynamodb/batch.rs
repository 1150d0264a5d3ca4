//! `table.batch_writer()`, replacing boto3's `boto3.dynamodb.table.BatchWriter`.
//!
//! Like boto3's: puts and deletes are buffered; when 25 are waiting, one
//! BatchWriteItem sends the first 25 and whatever comes back in
//! `UnprocessedItems` goes to the end of the buffer; with
//! `overwrite_by_pkeys`, a new request replaces a buffered one with the same
//! primary key values. Unlike boto3's, a batch that came back with unprocessed
//! items is followed by an exponential backoff, and a writer that makes no
//! progress for `max_stalled_rounds` batches in a row stops with an error
//! (its requests stay buffered).
//!
//! ## Close/drop contract
//! Python flushes in `__exit__`; Rust has no async drop. Call
//! [`BatchWriter::close`] (or [`BatchWriter::flush`]) and check its result.
//! A writer dropped with requests still buffered never loses them silently:
//! inside a Tokio runtime it spawns a task that flushes them; outside one (or
//! if that flush fails) it records the error and the unsent requests in its
//! [`DropReport`] (get it with [`BatchWriter::report`] beforehand) and prints
//! the error to stderr. [`BlockingBatchWriter`] flushes synchronously on drop.

use super::table::Table;
use super::transform::Doc;
use super::types::{AttrValue, Item};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One buffered request.
#[derive(Clone, Debug, PartialEq)]
pub enum WriteRequest {
    /// A `PutRequest` with the whole item.
    Put(Item),
    /// A `DeleteRequest` with the item's key.
    Delete(Item),
}

impl WriteRequest {
    fn attributes(&self) -> &Item {
        match self {
            WriteRequest::Put(item) | WriteRequest::Delete(item) => item,
        }
    }
    fn to_doc(&self) -> Doc {
        match self {
            WriteRequest::Put(item) => {
                Doc::map().with("PutRequest", Doc::map().with("Item", item.clone()))
            }
            WriteRequest::Delete(key) => {
                Doc::map().with("DeleteRequest", Doc::map().with("Key", key.clone()))
            }
        }
    }
    fn from_doc(doc: &Doc) -> Option<WriteRequest> {
        if let Some(put) = doc.get("PutRequest") {
            return put.get("Item")?.as_item().map(WriteRequest::Put);
        }
        doc.get("DeleteRequest")?
            .get("Key")?
            .as_item()
            .map(WriteRequest::Delete)
    }
}

#[derive(Debug, Default)]
struct ReportInner {
    errors: Vec<String>,
    unsent: Vec<WriteRequest>,
    in_flight: usize,
}

/// What happened to requests a [`BatchWriter`] still held when dropped.
/// Cheap to clone; all clones share the record.
#[derive(Clone, Debug, Default)]
pub struct DropReport(Arc<Mutex<ReportInner>>);

impl DropReport {
    fn lock(&self) -> std::sync::MutexGuard<'_, ReportInner> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
    fn record(&self, table: &str, message: String, unsent: Vec<WriteRequest>) {
        eprintln!("boto-resources: batch writer for table {table}: {message}");
        let mut inner = self.lock();
        inner.errors.push(message);
        inner.unsent.extend(unsent);
    }
    /// Errors recorded by drops (empty when every drop-time flush succeeded).
    pub fn errors(&self) -> Vec<String> {
        self.lock().errors.clone()
    }
    /// Takes the requests that could not be sent.
    pub fn take_unsent(&self) -> Vec<WriteRequest> {
        std::mem::take(&mut self.lock().unsent)
    }
    /// Drop-time flushes still running.
    pub fn in_flight(&self) -> usize {
        self.lock().in_flight
    }
    /// Waits until no drop-time flush is running.
    pub async fn wait_idle(&self) {
        while self.in_flight() > 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// Buffers puts and deletes into BatchWriteItem calls of up to 25 requests.
#[derive(Debug)]
pub struct BatchWriter {
    table: Table,
    buffer: Vec<WriteRequest>,
    flush_amount: usize,
    overwrite_by_pkeys: Option<Vec<String>>,
    backoff_base: Duration,
    backoff_max: Duration,
    max_stalled_rounds: u32,
    unprocessed_rounds: u32,
    stalled_rounds: u32,
    batches_sent: u64,
    closed: bool,
    /// A drop-time flusher: never spawns another one.
    detached: bool,
    report: DropReport,
}

impl BatchWriter {
    pub(crate) fn new(table: Table, overwrite_by_pkeys: Option<Vec<String>>) -> Self {
        BatchWriter {
            table,
            buffer: Vec::new(),
            flush_amount: 25,
            overwrite_by_pkeys: overwrite_by_pkeys.filter(|k| !k.is_empty()),
            backoff_base: Duration::from_millis(50),
            backoff_max: Duration::from_secs(5),
            max_stalled_rounds: 10,
            unprocessed_rounds: 0,
            stalled_rounds: 0,
            batches_sent: 0,
            closed: false,
            detached: false,
            report: DropReport::default(),
        }
    }
    /// Requests per BatchWriteItem (1..=25; default 25, DynamoDB's maximum).
    pub fn flush_amount(mut self, n: usize) -> Self {
        self.flush_amount = n.clamp(1, 25);
        self
    }
    /// Backoff after a batch with unprocessed items: `base * 2^(n-1)`, at most `max`.
    pub fn backoff(mut self, base: Duration, max: Duration) -> Self {
        self.backoff_base = base;
        self.backoff_max = max;
        self
    }
    /// Batches in a row that may come back wholly unprocessed before flushing fails (default 10).
    pub fn max_stalled_rounds(mut self, n: u32) -> Self {
        self.max_stalled_rounds = n.max(1);
        self
    }
    /// Requests buffered and not yet accepted by DynamoDB.
    pub fn pending(&self) -> usize {
        self.buffer.len()
    }
    /// Takes the buffered requests (they will not be sent).
    pub fn take_pending(&mut self) -> Vec<WriteRequest> {
        std::mem::take(&mut self.buffer)
    }
    /// BatchWriteItem calls made so far.
    pub fn batches_sent(&self) -> u64 {
        self.batches_sent
    }
    /// The record of what a drop did with leftover requests.
    pub fn report(&self) -> DropReport {
        self.report.clone()
    }

    /// Buffers a PutRequest; sends a batch when the buffer is full.
    pub async fn put_item(&mut self, item: Item) -> Result<(), boto::Error> {
        self.add(WriteRequest::Put(item)).await
    }
    /// Buffers a DeleteRequest; sends a batch when the buffer is full.
    pub async fn delete_item(&mut self, key: Item) -> Result<(), boto::Error> {
        self.add(WriteRequest::Delete(key)).await
    }

    async fn add(&mut self, request: WriteRequest) -> Result<(), boto::Error> {
        if self.closed {
            return Err(boto::Error::validation("the batch writer is closed"));
        }
        if let Some(pkeys) = &self.overwrite_by_pkeys {
            let new = pkey_values(pkeys, &request)?;
            // At most one buffered request can match: each add removes its duplicate.
            let dup = self
                .buffer
                .iter()
                .position(|r| pkey_values(pkeys, r).is_ok_and(|old| old == new));
            if let Some(i) = dup {
                self.buffer.remove(i);
            }
        }
        self.buffer.push(request);
        if self.buffer.len() >= self.flush_amount {
            self.send_batch().await?;
        }
        Ok(())
    }

    /// Sends batches until nothing is buffered (resending `UnprocessedItems`).
    pub async fn flush(&mut self) -> Result<(), boto::Error> {
        while !self.buffer.is_empty() {
            self.send_batch().await?;
        }
        Ok(())
    }

    /// Flushes and closes the writer. On error the unsent requests stay
    /// buffered ([`Self::pending`], [`Self::take_pending`], or a later
    /// [`Self::flush`]); a drop then handles them as documented above.
    pub async fn close(&mut self) -> Result<(), boto::Error> {
        self.flush().await?;
        self.closed = true;
        Ok(())
    }

    async fn send_batch(&mut self) -> Result<(), boto::Error> {
        if self.unprocessed_rounds > 0 {
            let factor = 1u32 << (self.unprocessed_rounds - 1).min(16);
            tokio::time::sleep(
                self.backoff_base
                    .saturating_mul(factor)
                    .min(self.backoff_max),
            )
            .await;
        }
        let n = self.flush_amount.min(self.buffer.len());
        let batch: Vec<WriteRequest> = self.buffer.drain(..n).collect();
        let requests = Doc::List(batch.iter().map(WriteRequest::to_doc).collect());
        let params = Doc::map().with("RequestItems", Doc::map().with(self.table.name(), requests));
        self.batches_sent += 1;
        let out = match self.table.call("BatchWriteItem", params).await {
            Ok(out) => out,
            Err(e) => {
                self.buffer.splice(0..0, batch);
                return Err(e);
            }
        };
        let unprocessed: Vec<WriteRequest> = match out
            .get("UnprocessedItems")
            .and_then(|u| u.get(self.table.name()))
        {
            Some(Doc::List(list)) => list.iter().filter_map(WriteRequest::from_doc).collect(),
            _ => Vec::new(),
        };
        if unprocessed.is_empty() {
            self.unprocessed_rounds = 0;
            self.stalled_rounds = 0;
            return Ok(());
        }
        self.unprocessed_rounds += 1;
        self.stalled_rounds = if unprocessed.len() >= batch.len() {
            self.stalled_rounds + 1
        } else {
            0
        };
        self.buffer.extend(unprocessed);
        if self.stalled_rounds >= self.max_stalled_rounds {
            return Err(boto::Error::response_transient(format!(
                "BatchWriteItem on table {} returned every request unprocessed {} times in a row; {} requests are still buffered",
                self.table.name(),
                self.stalled_rounds,
                self.buffer.len()
            )));
        }
        Ok(())
    }

    fn detached_copy(&self, buffer: Vec<WriteRequest>) -> BatchWriter {
        BatchWriter {
            table: self.table.clone(),
            buffer,
            flush_amount: self.flush_amount,
            overwrite_by_pkeys: None,
            backoff_base: self.backoff_base,
            backoff_max: self.backoff_max,
            max_stalled_rounds: self.max_stalled_rounds,
            unprocessed_rounds: 0,
            stalled_rounds: 0,
            batches_sent: 0,
            closed: false,
            detached: true,
            report: self.report.clone(),
        }
    }
}

fn pkey_values<'a>(
    pkeys: &[String],
    request: &'a WriteRequest,
) -> Result<Vec<&'a AttrValue>, boto::Error> {
    let attrs = request.attributes();
    pkeys
        .iter()
        .map(|k| {
            attrs.get(k).ok_or_else(|| {
                boto::Error::validation(format!(
                    "overwrite_by_pkeys: the request has no attribute {k:?} (a primary key attribute)"
                ))
            })
        })
        .collect()
}

impl Drop for BatchWriter {
    fn drop(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        let pending = std::mem::take(&mut self.buffer);
        let table = self.table.name().to_string();
        if self.detached {
            let n = pending.len();
            self.report.record(
                &table,
                format!("drop-time flush failed; {n} requests were not sent"),
                pending,
            );
            return;
        }
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                let mut writer = self.detached_copy(pending);
                let report = self.report.clone();
                report.lock().in_flight += 1;
                handle.spawn(async move {
                    if let Err(e) = writer.flush().await {
                        let unsent = writer.take_pending();
                        let msg = format!(
                            "drop-time flush failed, {} requests not sent: {e}",
                            unsent.len()
                        );
                        report.record(&table, msg, unsent);
                    }
                    report.lock().in_flight -= 1;
                });
            }
            Err(_) => {
                let msg = format!(
                    "dropped with {} unsent requests outside a Tokio runtime; call close().await before dropping",
                    pending.len()
                );
                self.report.record(&table, msg, pending);
            }
        }
    }
}

/// The blocking twin of [`BatchWriter`]: every call blocks on boto's shared
/// runtime, and a drop flushes synchronously (errors go to the [`DropReport`]).
#[derive(Debug)]
pub struct BlockingBatchWriter {
    inner: BatchWriter,
}

impl BlockingBatchWriter {
    /// Wraps an async writer; the calls then block on boto's shared runtime.
    pub fn new(inner: BatchWriter) -> Self {
        BlockingBatchWriter { inner }
    }
    /// Buffers a put; sends a `BatchWriteItem` when the flush amount (25 by default) is reached.
    pub fn put_item(&mut self, item: Item) -> Result<(), boto::Error> {
        boto::blocking::block_on(self.inner.put_item(item))?
    }
    /// Buffers a delete of `key`; sends a `BatchWriteItem` when the flush amount (25 by default) is reached.
    pub fn delete_item(&mut self, key: Item) -> Result<(), boto::Error> {
        boto::blocking::block_on(self.inner.delete_item(key))?
    }
    /// Sends everything buffered, resending `UnprocessedItems` until none are left.
    pub fn flush(&mut self) -> Result<(), boto::Error> {
        boto::blocking::block_on(self.inner.flush())?
    }
    /// Flushes and closes the writer (boto3's leaving the `with` block); later writes fail.
    pub fn close(&mut self) -> Result<(), boto::Error> {
        boto::blocking::block_on(self.inner.close())?
    }
    /// Requests buffered and not yet accepted by DynamoDB.
    pub fn pending(&self) -> usize {
        self.inner.pending()
    }
    /// What happened to the requests flushed on drop.
    pub fn report(&self) -> DropReport {
        self.inner.report()
    }
}

impl Drop for BlockingBatchWriter {
    fn drop(&mut self) {
        if self.inner.pending() == 0 {
            return;
        }
        match boto::blocking::block_on(self.inner.flush()) {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                let unsent = self.inner.take_pending();
                let msg = format!(
                    "flush on drop failed, {} requests not sent: {e}",
                    unsent.len()
                );
                self.inner
                    .report
                    .record(self.inner.table.name(), msg, unsent);
            }
            // Inside an async runtime: the async writer's drop spawns the flush.
            Err(_) => {}
        }
    }
}
