"""``boto_rs.aio``: an asyncio client on the same core (what aiobotocore gives boto3 users).

    import boto_rs.aio

    async with boto_rs.aio.client('s3', region_name='us-east-1') as s3:
        await s3.put_object(Bucket='b', Key='k', Body=b'hi')
        resp = await s3.get_object(Bucket='b', Key='k')
        async with resp['Body'] as body:
            data = await body.read()
        async for page in s3.get_paginator('list_objects_v2').paginate(Bucket='b'):
            ...
        await s3.get_waiter('object_exists').wait(Bucket='b', Key='k')

Each call runs as a task on the core's Tokio runtime (``python/src/aio.rs``)
and resolves an asyncio future through ``loop.call_soon_threadsafe``: no
thread per call, no blocking of the event loop, many calls in flight at once
(``asyncio.gather``) up to the client's ``max_pool_connections``.
Operations, arguments, results and exceptions are the synchronous client's
(``boto_rs.client``); methods are coroutines. Streamed bodies are read with
``await body.read()`` (the reads run in the loop's default executor).
``generate_presigned_url`` is a coroutine, as in aiobotocore. Cancelling a
call stops waiting for it; the request itself runs to completion.
"""

from __future__ import annotations

import asyncio

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, AsyncIterator, Dict, List, Optional

from boto_rs import _core, exceptions
from boto_rs.client import translate

__all__ = ['AioClient', 'AioSession', 'client']


def _settle(fut: 'asyncio.Future[Any]', ok: bool, value: Any) -> None:
    if not fut.done():
        if ok:
            fut.set_result(value)
        else:
            fut.set_exception(value)


async def _run(start: Any, *args: Any) -> Any:
    """Calls ``start(*args, done)`` (a native task) and awaits its outcome."""
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def done(ok: bool, value: Any) -> None:  # called on a runtime thread
        try:
            loop.call_soon_threadsafe(_settle, fut, ok, value)
        except RuntimeError:  # the loop is closed: nobody is waiting any more
            pass

    start(*args, done)
    return await fut


class AioStreamingBody:
    """A streamed payload read without blocking the loop (``await body.read()``)."""

    def __init__(self, body: Any) -> None:
        self._body = body

    async def read(self, amt: Optional[int] = None) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._body.read, amt)

    async def iter_chunks(self, chunk_size: int = 1024) -> AsyncIterator[bytes]:
        while True:
            chunk = await self.read(chunk_size)
            if not chunk:
                return
            yield chunk

    async def iter_lines(self, chunk_size: int = 1024,
                         keepends: bool = False) -> AsyncIterator[bytes]:
        pending = b''
        async for chunk in self.iter_chunks(chunk_size):
            lines = (pending + chunk).splitlines(True)
            for line in lines[:-1]:
                yield line.splitlines(keepends)[0]
            pending = lines[-1]
        if pending:
            yield pending.splitlines(keepends)[0]

    def close(self) -> None:
        self._body.close()

    async def __aenter__(self) -> 'AioStreamingBody':
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()


class AioPaginator:
    def __init__(self, client: 'AioClient', operation: str) -> None:
        self._client = client
        self._operation = operation

    def paginate(self, **kwargs: Any) -> 'AioPageIterator':
        config = kwargs.pop('PaginationConfig', None) or {}
        for key in config:
            if key not in ('MaxItems', 'PageSize', 'StartingToken'):
                raise exceptions.PaginationError(
                    message=f'Unknown PaginationConfig key: {key!r} '
                            '(valid keys: MaxItems, PageSize, StartingToken)')
        return AioPageIterator(self._client, self._operation, kwargs, config)


class AioPageIterator:
    """``async for page in paginator.paginate(...)``; ``await build_full_result()``."""

    def __init__(self, client: 'AioClient', operation: str, params: Dict[str, Any],
                 config: Dict[str, Any]) -> None:
        self._client = client
        self._operation = operation
        self._params = params
        self._config = config
        self._pages: Optional[Any] = None

    def _start(self) -> Any:
        c = self._config
        try:
            self._pages = _core.AsyncPages(
                self._client._sync._core, self._operation, self._params,
                None if c.get('MaxItems') is None else int(c['MaxItems']),
                None if c.get('PageSize') is None else int(c['PageSize']),
                c.get('StartingToken'))
        except _core.CoreError as e:
            raise translate(e, self._client._sync, self._operation) from None
        return self._pages

    @property
    def resume_token(self) -> Optional[str]:
        return self._pages.resume_token() if self._pages is not None else None

    async def __aiter__(self) -> AsyncIterator[Dict[str, Any]]:
        pages = self._start()
        while True:
            try:
                page = await _run(pages.next)
            except _core.CoreError as e:
                raise translate(e, self._client._sync, self._operation) from None
            if page is None:
                return
            yield page

    async def build_full_result(self) -> Dict[str, Any]:
        pages = self._start()
        try:
            return await _run(pages.full)
        except _core.CoreError as e:
            raise translate(e, self._client._sync, self._operation) from None

    async def search(self, expression: str) -> AsyncIterator[Any]:
        async for page in self:
            results = _core.jmespath_search(expression, page)
            if isinstance(results, list):
                for r in results:
                    yield r
            else:
                yield results


class AioWaiter:
    def __init__(self, client: 'AioClient', name: str) -> None:
        self._client = client
        self.name = name

    async def wait(self, **kwargs: Any) -> None:
        config = kwargs.pop('WaiterConfig', None) or {}
        delay, attempts = config.get('Delay'), config.get('MaxAttempts')
        try:
            await _run(_core.wait_async, self._client._sync._core, self.name, kwargs,
                       None if delay is None else float(delay),
                       None if attempts is None else int(attempts))
        except _core.CoreError as e:
            raise translate(e, self._client._sync, self.name) from None


class AioClient:
    """An asyncio client for one service: the sync client's API with coroutine methods."""

    def __init__(self, sync_client: Any) -> None:
        self._sync = sync_client
        self.meta = sync_client.meta
        self.exceptions = sync_client.exceptions
        self.waiter_names: List[str] = sync_client.waiter_names

    def __getattr__(self, name: str) -> Any:
        sync = self.__dict__.get('_sync')
        op = sync._info.py_to_op.get(name) if sync is not None else None
        if op is None:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

        async def api_call(*args: Any, **kwargs: Any) -> Dict[str, Any]:
            if args:
                raise TypeError(f'{name}() only accepts keyword arguments.')
            return await self._make_api_call(op, kwargs)

        api_call.__name__ = name
        self.__dict__[name] = api_call
        return api_call

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | set(self._sync._info.py_to_op))

    async def _make_api_call(self, operation_name: str,
                             api_params: Dict[str, Any]) -> Dict[str, Any]:
        sync = self._sync
        try:
            out = await _run(_core.call_async, sync._core, operation_name, api_params)
        except _core.CoreError as e:
            raise translate(e, sync, operation_name, api_params) from None
        member = sync._info.streamed.get(operation_name)
        if member is not None and member in out:
            from boto_rs.response import StreamingBody
            out[member] = AioStreamingBody(StreamingBody(out[member], out.get('ContentLength')))
        return out

    def can_paginate(self, operation_name: str) -> bool:
        return self._sync.can_paginate(operation_name)

    def get_paginator(self, operation_name: str) -> AioPaginator:
        self._sync.get_paginator(operation_name)  # botocore's checks and errors
        return AioPaginator(self, self._sync._info.py_to_op[operation_name])

    def get_waiter(self, waiter_name: str) -> AioWaiter:
        return AioWaiter(self, self._sync.get_waiter(waiter_name).name)

    async def generate_presigned_url(self, *args: Any, **kwargs: Any) -> str:
        return self._sync.generate_presigned_url(*args, **kwargs)

    async def generate_presigned_post(self, *args: Any, **kwargs: Any) -> Dict[str, Any]:
        return self._sync.generate_presigned_post(*args, **kwargs)

    async def close(self) -> None:
        self._sync.close()

    async def __aenter__(self) -> 'AioClient':
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    def __repr__(self) -> str:
        return f'<boto_rs.aio.AioClient {self.meta.service_name} at {id(self):#x}>'


class AioSession:
    """A session making asyncio clients (``boto_rs.Session``'s arguments)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from boto_rs.session import Session
        self._session = Session(*args, **kwargs)

    def client(self, *args: Any, **kwargs: Any) -> AioClient:
        return AioClient(self._session.client(*args, **kwargs))

    create_client = client  # aiobotocore's name


def client(*args: Any, **kwargs: Any) -> AioClient:
    """An asyncio client from the default session (``boto_rs.client``'s arguments)."""
    import boto_rs
    return AioClient(boto_rs._get_default_session().client(*args, **kwargs))
