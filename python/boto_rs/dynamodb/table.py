"""The DynamoDB resource's high-level methods: boto3's
``boto3.dynamodb.transform`` (Python values and conditions in and out of
``put_item``, ``get_item``, ``update_item``, ``delete_item``, ``query``,
``scan``, ``batch_get_item``, ``batch_write_item``) and ``Table.batch_writer()``
(``boto3.dynamodb.table.BatchWriter``), on the native core: the calls go
through ``_core.dynamodb_call`` (the core's typed transformation, GIL
released during I/O) and the writer is the core's batch writer (25
requests per BatchWriteItem, ``UnprocessedItems`` resent with backoff,
``overwrite_by_pkeys`` de-duplication).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Dict, List, Optional

from boto_rs import _core
from boto_rs.client import translate


def _call(resource: Any, operation: str, params: Dict[str, Any]) -> Dict[str, Any]:
    client = resource.meta.client
    try:
        out = _core.dynamodb_call(client._core, operation, params)
    except _core.CoreError as e:
        raise translate(e, client, operation) from None
    if 'load' in dir(type(resource)):
        resource.meta.data = None
    return out


def _table_action(name: str, operation: str):
    def action(self: Any, *args: Any, **kwargs: Any) -> Dict[str, Any]:
        if args:
            raise TypeError(f'{name}() only accepts keyword arguments.')
        params = {'TableName': self.name}
        params.update(kwargs)
        return _call(self, operation, params)
    action.__name__ = name
    return action


def _service_action(name: str, operation: str):
    def action(self: Any, *args: Any, **kwargs: Any) -> Dict[str, Any]:
        if args:
            raise TypeError(f'{name}() only accepts keyword arguments.')
        return _call(self, operation, dict(kwargs))
    action.__name__ = name
    return action


class TableMixin:
    """``dynamodb.Table``: item methods taking and returning Python values."""

    put_item = _table_action('put_item', 'PutItem')
    get_item = _table_action('get_item', 'GetItem')
    update_item = _table_action('update_item', 'UpdateItem')
    delete_item = _table_action('delete_item', 'DeleteItem')
    query = _table_action('query', 'Query')
    scan = _table_action('scan', 'Scan')

    def batch_writer(self, overwrite_by_pkeys: Optional[List[str]] = None) -> 'BatchWriter':
        """A context manager that buffers puts and deletes into BatchWriteItem calls."""
        return BatchWriter(self.name, self.meta.client, overwrite_by_pkeys=overwrite_by_pkeys)


class ServiceMixin:
    """``dynamodb`` service resource: batch reads and writes with Python values."""

    batch_get_item = _service_action('batch_get_item', 'BatchGetItem')
    batch_write_item = _service_action('batch_write_item', 'BatchWriteItem')


class BatchWriter:
    """boto3's ``BatchWriter``: ``put_item(Item=...)``, ``delete_item(Key=...)``;
    sends everything on ``__exit__`` (also when the block raised, as boto3)."""

    def __init__(self, table_name: str, client: Any, flush_amount: int = 25,
                 overwrite_by_pkeys: Optional[List[str]] = None) -> None:
        self._table_name = table_name
        self._client = client
        self._flush_amount = flush_amount
        self._core = _core.CoreBatchWriter(client._core, table_name,
                                           list(overwrite_by_pkeys) if overwrite_by_pkeys else None,
                                           int(flush_amount))

    def _do(self, fn: Any, *args: Any) -> None:
        try:
            fn(*args)
        except _core.CoreError as e:
            raise translate(e, self._client, 'BatchWriteItem') from None

    def put_item(self, Item: Dict[str, Any]) -> None:
        self._do(self._core.put_item, Item)

    def delete_item(self, Key: Dict[str, Any]) -> None:
        self._do(self._core.delete_item, Key)

    def flush(self) -> None:
        self._do(self._core.flush)

    @property
    def pending(self) -> int:
        return self._core.pending()

    def __enter__(self) -> 'BatchWriter':
        return self

    def __exit__(self, exc_type: Any, exc_value: Any, tb: Any) -> None:
        self._do(self._core.close)
