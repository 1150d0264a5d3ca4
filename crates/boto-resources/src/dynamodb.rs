//! DynamoDB's high-level layer: boto3's `boto3.dynamodb` package in Rust.
//!
//! boto3 lets Python users write items as plain dicts (`{"pk": "a", "n": 3}`)
//! and conditions as `Key("pk").eq("a") & Attr("n").gt(2)`, and converts both
//! to DynamoDB's wire form through event handlers on the resource's client.
//! Here the pieces are explicit:
//!
//! * [`types`]: [`AttrValue`]/[`Item`], an exact [`Decimal`] (38 digits, never
//!   an `f64`), and [`TypeSerializer`]/[`TypeDeserializer`] (boto3's
//!   `boto3.dynamodb.types`);
//! * [`conditions`]: [`Key`](fn@Key), [`Attr`](fn@Attr), `&`/`|`/`!` and
//!   [`ConditionExpressionBuilder`] with boto3's `#n0`/`:v0` numbering;
//! * [`transform`]: boto3's `TransformationInjector` as functions over an
//!   operation's shapes ([`transform_input`]/[`transform_output`] for plain
//!   [`boto::Value`]s, typed twins over [`Doc`]);
//! * [`Table`] and [`BatchWriter`]: boto3's Table resource methods and
//!   `batch_writer()` (buffer of 25, resend of `UnprocessedItems` with
//!   backoff, `overwrite_by_pkeys`), with a close/drop contract that cannot
//!   lose items silently. [`Table::from_resource`] turns the generic
//!   `dynamodb.Table` resource into this typed handle.
//!
//! ```no_run
//! # async fn demo(client: boto::Client) -> Result<(), boto::Error> {
//! use boto_resources::dynamodb::{Attr, Key, Table};
//! use boto_resources::item;
//! let table = Table::new(client, "music");
//! table.put_item(item! {"artist" => "Arvo", "song" => "Fratres", "year" => 1977}).await?;
//! let found = table
//!     .query(Key("artist").eq("Arvo"))
//!     .filter(Attr("year").lt(1980))
//!     .all()
//!     .await?;
//! # Ok(()) }
//! ```

pub mod batch;
pub mod blocking;
pub mod conditions;
pub mod decimal;
pub mod table;
pub mod transform;
pub mod types;

pub use batch::{BatchWriter, BlockingBatchWriter, DropReport, WriteRequest};
pub use conditions::{
    Attr, BuiltConditionExpression, Condition, ConditionExpressionBuilder, Key, Operand, Size,
};
pub use decimal::{Decimal, DecimalError};
pub use table::{Page, Pages, QueryRequest, ReadRequest, ScanRequest, Table, WriteOptions};
pub use transform::{
    transform_input, transform_input_typed, transform_output, transform_output_typed, Doc,
};
pub use types::{AttrValue, Item, TypeDeserializer, TypeSerializer};
