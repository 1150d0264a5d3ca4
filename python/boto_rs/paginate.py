"""Paginators: botocore's ``Paginator`` and ``PageIterator`` on the native core.

Replaces ``botocore.paginate``: ``client.get_paginator(name).paginate(**kwargs,
PaginationConfig={'MaxItems', 'PageSize', 'StartingToken'})`` returns a page
iterator with ``build_full_result()``, ``search(expression)`` and
``resume_token``. The page-merging, token and truncation rules are the core's
(``boto_runtime::paginator``), which follows botocore's. Each iteration starts
from the first page again, as botocore's does.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Dict, Iterator, Optional

from boto_rs import _core, exceptions

_CONFIG_KEYS = ('MaxItems', 'PageSize', 'StartingToken')


class Paginator:
    """Creates page iterators for one operation."""

    def __init__(self, client: Any, operation_name: str) -> None:
        self._client = client
        self._operation = operation_name

    def paginate(self, **kwargs: Any) -> 'PageIterator':
        config = kwargs.pop('PaginationConfig', None) or {}
        for key in config:
            if key not in _CONFIG_KEYS:
                raise exceptions.PaginationError(
                    message=f'Unknown PaginationConfig key: {key!r} '
                            f'(valid keys: {", ".join(_CONFIG_KEYS)})')
        return PageIterator(self._client, self._operation, kwargs, config)


class PageIterator:
    """The pages of one paginated call."""

    def __init__(self, client: Any, operation: str, params: Dict[str, Any],
                 config: Dict[str, Any]) -> None:
        self._client = client
        self._operation = operation
        self._params = params
        self._max_items = _int_or_none(config.get('MaxItems'))
        self._page_size = _int_or_none(config.get('PageSize'))
        self._starting_token = config.get('StartingToken')
        self._pages: Optional[Any] = None

    def _start(self) -> Any:
        try:
            self._pages = self._client._core.paginate(
                self._operation, self._params, self._max_items, self._page_size,
                self._starting_token)
        except _core.CoreError as e:
            raise self._translate(e) from None
        return self._pages

    def _translate(self, e: Any) -> Exception:
        from boto_rs.client import translate
        return translate(e, self._client, self._operation)

    @property
    def resume_token(self) -> Optional[str]:
        return self._pages.resume_token() if self._pages is not None else None

    def __iter__(self) -> Iterator[Dict[str, Any]]:
        pages = self._start()
        while True:
            try:
                page = pages.next_page()
            except StopIteration:
                return
            except _core.CoreError as e:
                raise self._translate(e) from None
            yield page

    def build_full_result(self) -> Dict[str, Any]:
        pages = self._start()
        try:
            return pages.build_full_result()
        except _core.CoreError as e:
            raise self._translate(e) from None

    def search(self, expression: str) -> Iterator[Any]:
        pages = self._start()
        try:
            items = pages.search(expression)
        except _core.CoreError as e:
            raise self._translate(e) from None
        return self._search(items)

    def _search(self, items: Any) -> Iterator[Any]:
        while True:
            try:
                item = next(items)
            except StopIteration:
                return
            except _core.CoreError as e:
                raise self._translate(e) from None
            yield item


def _int_or_none(value: Any) -> Optional[int]:
    return None if value is None else int(value)
