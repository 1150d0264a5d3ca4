"""``boto_rs.stub``: botocore's ``Stubber`` (``botocore.stub``) for boto_rs clients.

    from boto_rs.stub import Stubber, ANY

    s3 = boto_rs.client('s3')
    with Stubber(s3) as stubber:
        stubber.add_response('list_buckets', {'Buckets': []}, {})
        stubber.add_client_error('get_object', 'NoSuchKey', http_status_code=404)
        assert s3.list_buckets() == {'Buckets': []}
        stubber.assert_no_pending_responses()

Same API, checks and messages as botocore's: calls must come in the queued
order (``UnStubbedResponseError`` / ``StubResponseError``), expected
parameters are compared with ``==`` (``ANY`` matches anything) and a mismatch
raises ``StubAssertionError`` with botocore's text; canned responses and
modeled error fields are validated against the model when added
(``ParamValidationError``, botocore's wording); a successful call returns the
response object you queued, an error stub raises the client's modeled
exception class with the ``response`` you described.

Built on the Rust ``boto_testing::Stubber``: while active, the client's calls
go to a stubbed copy of the native client, which still validates and
serializes the parameters (so invalid parameters fail as against AWS) and
answers from the queue without credentials or network. Paginators and
waiters of the client are answered from the same queue. Presigning is not
stubbed (as in botocore).
"""

from __future__ import annotations

import threading
from collections import deque
from pprint import pformat

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Deque, Dict, Optional

from boto_rs import _core, exceptions
from boto_rs.exceptions import StubAssertionError, StubResponseError, UnStubbedResponseError

__all__ = ['ANY', 'Stubber', 'StubAssertionError', 'StubResponseError',
           'UnStubbedResponseError']


class _ANY:
    """Matches anything in expected parameters (botocore's ``stub.ANY``)."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __repr__(self) -> str:
        return '<ANY>'

    __hash__ = object.__hash__


ANY = _ANY()


def _is_any(value: Any) -> bool:
    if value is ANY:
        return True
    cls = type(value)
    return cls.__name__ == '_ANY' and cls.__module__ == 'botocore.stub'


def _for_core(value: Any) -> Any:
    """A copy the native side can take: ANY as its marker, file-like bodies as ``b''``."""
    if _is_any(value):
        return _core.STUB_ANY
    if isinstance(value, dict):
        return {k: _for_core(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_for_core(v) for v in value]
    if hasattr(value, 'read') and not isinstance(value, (bytes, bytearray, str)):
        return b''
    return value


class _Unstubbed:
    """The client seen with its own native client (for presigning while stubbed)."""

    def __init__(self, client: Any, core: Any) -> None:
        self.__dict__['_client'] = client
        self.__dict__['_core'] = core

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


class Stubber:
    """Queues canned responses and errors for a client, as ``botocore.stub.Stubber``."""

    def __init__(self, client: Any) -> None:
        core = getattr(client, '_core', None)
        if not isinstance(core, _core.CoreClient):
            raise TypeError('boto_rs.stub.Stubber takes a boto_rs client '
                            f'(got {type(client).__name__}); use botocore.stub for boto3 clients')
        self.client = client
        self._queue: Deque[Dict[str, Any]] = deque()
        self._native = _core.CoreStubber(core)
        self._stubbed_core = self._native.client()
        self._original_core: Optional[Any] = None
        self._lock = threading.RLock()

    def __enter__(self) -> 'Stubber':
        self.activate()
        return self

    def __exit__(self, exc_type: Any, exc_value: Any, traceback: Any) -> None:
        self.deactivate()

    def activate(self) -> None:
        """Activates the stubber on the client: its calls are answered from the queue."""
        client = self.client
        if client.__dict__.get('_active_stubber') is self:
            return
        self._original_core = client._core
        unstubbed = _Unstubbed(client, self._original_core)
        cls = type(client)
        client.__dict__.update({
            '_active_stubber': self,
            '_core': self._stubbed_core,
            '_make_api_call': self._make_api_call,
            'generate_presigned_url':
                lambda *a, **kw: cls.generate_presigned_url(unstubbed, *a, **kw),
            'generate_presigned_post':
                lambda *a, **kw: cls.generate_presigned_post(unstubbed, *a, **kw),
        })
        _forget_methods(client)

    def deactivate(self) -> None:
        """Deactivates the stubber: the client talks to its endpoint again."""
        client = self.client
        if client.__dict__.get('_active_stubber') is not self:
            return
        for name in ('_active_stubber', '_make_api_call', 'generate_presigned_url',
                     'generate_presigned_post'):
            client.__dict__.pop(name, None)
        client._core = self._original_core
        _forget_methods(client)

    def add_response(self, method: str, service_response: Dict[str, Any],
                     expected_params: Optional[Dict[str, Any]] = None) -> None:
        """Queues ``service_response`` as the answer to the next call, which must be ``method``."""
        operation = self._operation(method)
        self._add(operation, service_response, expected_params,
                  lambda core_params: self._native.add_response(
                      operation, _for_core(service_response), core_params),
                  status=200)

    def add_client_error(self, method: str, service_error_code: str = '',
                         service_message: str = '', http_status_code: int = 400,
                         service_error_meta: Optional[Dict[str, Any]] = None,
                         expected_params: Optional[Dict[str, Any]] = None,
                         response_meta: Optional[Dict[str, Any]] = None,
                         modeled_fields: Optional[Dict[str, Any]] = None) -> None:
        """Queues a service error (a ``ClientError`` of the modeled class) for ``method``."""
        operation = self._operation(method)
        parsed: Dict[str, Any] = {
            'ResponseMetadata': {'HTTPStatusCode': http_status_code},
            'Error': {'Message': service_message, 'Code': service_error_code},
        }
        if service_error_meta is not None:
            parsed['Error'].update(service_error_meta)
        if response_meta is not None:
            parsed['ResponseMetadata'].update(response_meta)
        if modeled_fields is not None:
            parsed.update(modeled_fields)
        self._add(operation, parsed, expected_params,
                  lambda core_params: self._native.add_client_error(
                      operation, str(service_error_code), str(service_message),
                      int(http_status_code), None, None,
                      None if modeled_fields is None else _for_core(modeled_fields),
                      core_params),
                  status=http_status_code)

    def assert_no_pending_responses(self) -> None:
        """Raises ``AssertionError`` while queued responses remain."""
        with self._lock:
            self._sync()
            remaining = len(self._queue)
        if remaining != 0:
            raise AssertionError(f'{remaining} responses remaining in queue.')

    # -- internals ---------------------------------------------------------------

    def _operation(self, method: str) -> str:
        operation = self.client.meta.method_to_api_mapping.get(method)
        if operation is None:
            raise ValueError(
                f'Client {self.client.meta.service_name} does not have method: {method}')
        return operation

    def _add(self, operation: str, response: Dict[str, Any],
             expected_params: Optional[Dict[str, Any]], add_native: Any, status: int) -> None:
        try:
            core_params = None if expected_params is None else _for_core(expected_params)
        except Exception:  # noqa: BLE001 - checked in Python only
            core_params = None
        with self._lock:
            self._sync()
            try:
                add_native(core_params)
            except _core.CoreError as e:
                from boto_rs.client import translate
                raise translate(e, None, operation) from None
            self._queue.append({'operation_name': operation, 'response': response,
                                'status': status, 'expected_params': expected_params})

    def _sync(self) -> None:
        """Drops what the native queue answered already (paginators, waiters)."""
        pending = self._native.pending()
        while len(self._queue) > pending:
            self._queue.popleft()

    def _assert_expected_call_order(self, name: str) -> Dict[str, Any]:
        if not self._queue:
            raise UnStubbedResponseError(
                operation_name=name,
                reason=('Unexpected API Call: A call was made but no additional calls '
                        'expected. Either the API Call was not stubbed or it was called '
                        'multiple times.'))
        head = self._queue[0]
        if head['operation_name'] != name:
            raise StubResponseError(
                operation_name=name,
                reason=f"Operation mismatch: found response for {head['operation_name']}.")
        return head

    @staticmethod
    def _assert_expected_params(name: str, expected: Optional[Dict[str, Any]],
                                params: Dict[str, Any]) -> None:
        if expected is None:
            return
        reason = (f'Expected parameters:\n{pformat(expected)},\n'
                  f'but received:\n{pformat(params)}')
        for param in expected:
            if param not in params or expected[param] != params[param]:
                raise StubAssertionError(operation_name=name, reason=reason)
        if sorted(expected.keys()) != sorted(params.keys()):
            raise StubAssertionError(operation_name=name, reason=reason)

    def _make_api_call(self, operation_name: str, api_params: Dict[str, Any]) -> Dict[str, Any]:
        from boto_rs.client import translate
        client = self.client
        with self._lock:
            self._sync()
            head = self._assert_expected_call_order(operation_name)
            self._assert_expected_params(operation_name, head['expected_params'], api_params)
            error = None
            try:
                self._stubbed_core.call(operation_name, api_params)
            except _core.CoreError as e:
                error = e
            answered = len(self._queue) > self._native.pending()
            if answered:
                self._queue.popleft()
        if not answered:
            assert error is not None
            raise translate(error, client, operation_name, api_params) from None
        response = head['response']
        if head['status'] >= 300:
            info = response.get('Error', {})
            code = info.get('QueryErrorCode') or info.get('Code')
            raise client.exceptions.from_code(code)(response, operation_name)
        return response


def _forget_methods(client: Any) -> None:
    """Drops the client's cached operation methods (they bind ``_make_api_call``)."""
    for name in client._info.py_to_op:
        client.__dict__.pop(name, None)
