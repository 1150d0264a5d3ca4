"""Service clients: botocore's ``BaseClient`` on the native core.

Replaces ``botocore.client.BaseClient`` and its per-service subclasses
(``S3``, ``DynamoDB``, ...): operations by snake_case name with keyword
arguments only, ``meta``, ``exceptions``, ``can_paginate``/``get_paginator``,
``get_waiter``/``waiter_names``, ``generate_presigned_url`` and ``close``.
Methods are looked up through ``__getattr__`` over the service model (and
then cached on the instance); an unknown name is a real ``AttributeError``.
Clients can be shared by threads: calls release the GIL.
"""

from __future__ import annotations

import threading
TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Dict, List, Optional

from boto_rs import _core, exceptions
from boto_rs.paginate import Paginator
from boto_rs.response import StreamingBody
from boto_rs.waiter import Waiter


class _ServiceInfo:
    """What every client of one service shares: names, maps, exception classes."""

    def __init__(self, core: Any) -> None:
        ops = core.operations()
        self.py_to_op: Dict[str, str] = {py: op for op, py in ops}
        self.streamed: Dict[str, str] = dict(core.streamed_operations())
        self.paginators = frozenset(core.paginator_names())
        self.waiters: Dict[str, str] = {_core.xform_name(w): w for w in core.waiter_names()}
        self.exceptions = exceptions.client_exceptions(core.service_id, core.error_shapes())
        self.class_name = core.service_id.replace(' ', '')


_SERVICES: Dict[str, _ServiceInfo] = {}
_SERVICES_LOCK = threading.Lock()


def _service_info(core: Any) -> _ServiceInfo:
    name = core.service_name
    info = _SERVICES.get(name)
    if info is None:
        with _SERVICES_LOCK:
            info = _SERVICES.get(name)
            if info is None:
                info = _SERVICES[name] = _ServiceInfo(core)
    return info


class ClientMeta:
    """``client.meta``: region, endpoint, config and the name mapping."""

    def __init__(self, client: 'BaseClient', core: Any, config: Any, info: _ServiceInfo) -> None:
        self._core = core
        self.config = config
        self.partition = 'aws'
        self.method_to_api_mapping = dict(info.py_to_op)
        self.service_name = core.service_name
        self._resolved: Optional[str] = None

    @property
    def region_name(self) -> Optional[str]:
        return self._core.region_name

    @property
    def endpoint_url(self) -> Optional[str]:
        """The custom endpoint, else the service's endpoint for the client's region."""
        url = self._core.endpoint_url
        if url is not None:
            return url
        if self._resolved is None:
            self._resolved = ''
            for op in list(self.method_to_api_mapping.values())[:50]:
                try:
                    resolved = self._core.resolve_endpoint(op, {})
                except Exception:
                    continue
                scheme, _, rest = resolved.partition('://')
                self._resolved = f'{scheme}://{rest.split("/", 1)[0]}'
                break
        return self._resolved or None


class BaseClient:
    """A low-level client for one AWS service."""

    def __init__(self, core: Any, config: Any) -> None:
        info = _service_info(core)
        self._core = core
        self._info = info
        self.meta = ClientMeta(self, core, config, info)
        self.exceptions = info.exceptions
        self.waiter_names: List[str] = sorted(info.waiters)

    @property
    def _client_config(self) -> Any:
        """botocore's private name for ``meta.config`` (read by some test suites, e.g. moto's)."""
        return self.meta.config

    def __getattr__(self, name: str) -> Any:
        op = self.__dict__.get('_info') and self._info.py_to_op.get(name)
        if not op:
            raise AttributeError(
                f"'{type(self).__name__}' object has no attribute '{name}'")
        method = self._make_method(name, op)
        self.__dict__[name] = method
        return method

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | set(self._info.py_to_op))

    def _make_method(self, py_name: str, op: str):
        call = self._make_api_call

        def api_call(*args: Any, **kwargs: Any) -> Dict[str, Any]:
            if args:
                raise TypeError(f'{py_name}() only accepts keyword arguments.')
            return call(op, kwargs)

        api_call.__name__ = py_name
        api_call.__qualname__ = f'{type(self).__name__}.{py_name}'
        api_call.__doc__ = f'Calls the {op} operation of {self._core.service_id}.'
        return api_call

    def _make_api_call(self, operation_name: str, api_params: Dict[str, Any]) -> Dict[str, Any]:
        try:
            out = self._core.call(operation_name, api_params)
        except _core.CoreError as e:
            raise translate(e, self, operation_name, api_params) from None
        member = self._info.streamed.get(operation_name)
        if member is not None and member in out:
            out[member] = StreamingBody(out[member], out.get('ContentLength'))
        return out

    def can_paginate(self, operation_name: str) -> bool:
        # Like botocore: an unknown name is a KeyError.
        return self._info.py_to_op[operation_name] in self._info.paginators

    def get_paginator(self, operation_name: str) -> Paginator:
        if not (operation_name in self._info.py_to_op and self.can_paginate(operation_name)):
            raise exceptions.OperationNotPageableError(operation_name=operation_name)
        return Paginator(self, self._info.py_to_op[operation_name])

    def get_waiter(self, waiter_name: str) -> Waiter:
        model_name = self._info.waiters.get(waiter_name)
        if model_name is None:
            raise ValueError(f'Waiter does not exist: {waiter_name}')
        return Waiter(self, model_name)

    def generate_presigned_url(self, ClientMethod: str, Params: Optional[Dict[str, Any]] = None,
                               ExpiresIn: int = 3600, HttpMethod: Optional[str] = None) -> str:
        op = self._info.py_to_op.get(ClientMethod)
        if op is None:
            raise exceptions.UnknownClientMethodError(method_name=ClientMethod)
        try:
            if _unsigned(self.meta.config):  # botocore: the plain request URL, no credentials
                return self._core.request_url(op, Params or {})
            return self._core.presign(op, Params or {}, int(ExpiresIn), HttpMethod)
        except _core.CoreError as e:
            raise translate(e, self, op) from None

    def generate_presigned_post(self, Bucket: str, Key: str,
                                Fields: Optional[Dict[str, Any]] = None,
                                Conditions: Optional[List[Any]] = None,
                                ExpiresIn: int = 3600) -> Dict[str, Any]:
        """A presigned S3 POST: ``{'url': ..., 'fields': {...}}`` (SigV4 policy)."""
        import json
        fields = [(str(k), str(v)) for k, v in (Fields or {}).items()]
        try:
            url, signed = self._core.presign_post(
                Bucket, Key, fields, json.dumps(list(Conditions or [])), int(ExpiresIn))
        except _core.CoreError as e:
            raise translate(e, self, 'CreateBucket') from None
        return {'url': url, 'fields': dict(signed)}

    def close(self) -> None:
        """Like botocore's: connections are released; the client stays usable."""

    def __repr__(self) -> str:
        return f'<boto_rs.client.{type(self).__name__} object at {id(self):#x}>'


_CLASSES: Dict[str, type] = {}


def make_client(core: Any, config: Any) -> BaseClient:
    """A client object of the service's own class (``S3``, ``DynamoDB``, ...)."""
    info = _service_info(core)
    cls = _CLASSES.get(info.class_name)
    if cls is None:
        bases: tuple = (BaseClient,)
        if core.service_name == 's3':  # boto3's s3/inject.py: upload_file, download_file, ...
            from boto_rs.s3.inject import ClientMethods
            bases = (ClientMethods, BaseClient)
        cls = type(info.class_name, bases, {'__module__': 'boto_rs.client'})
        _CLASSES[info.class_name] = cls
    return cls(core, config)


def _unsigned(config: Any) -> bool:
    from boto_rs._sentinel import is_unsigned
    return is_unsigned(getattr(config, 'signature_version', None))


def _endpoint(client: Optional[BaseClient], operation: str, params: Any) -> str:
    """The URL the failed request went to (botocore names it in connection errors)."""
    if client is None:
        return ''
    if params is not None:
        try:
            return client._core.request_url(operation, params)
        except Exception:  # noqa: BLE001 - fall back to the endpoint
            pass
    return client.meta.endpoint_url or ''


# The core's type names in validation reports, as botocore's validator words them.
_PY_TYPE = {
    'string': "<class 'str'>", 'integer': "<class 'int'>", 'float': "<class 'float'>",
    'boolean': "<class 'bool'>", 'blob': "<class 'bytes'>", 'list': "<class 'list'>",
    'map': "<class 'dict'>", 'timestamp': "<class 'datetime.datetime'>",
    'null': "<class 'NoneType'>",
}
_VALID_TYPES = {
    '<string>': "<class 'str'>",
    '<integer>': "<class 'int'>",
    '<float>, <integer>': "<class 'float'>, <class 'decimal.Decimal'>, <class 'int'>",
    '<boolean>': "<class 'bool'>",
    '<blob>, <string>': "<class 'bytes'>, <class 'bytearray'>, file-like object",
    '<timestamp>, timestamp-string, <integer>, <float>':
        "<class 'datetime.datetime'>, timestamp-string",
    '<list>': "<class 'list'>, <class 'tuple'>",
    '<map>': "<class 'dict'>",
    '<integer>, <float>, <string>': "<class 'int'>",
    '<string>, <integer>, <boolean>, <float>, <list>, <map>':
        "<class 'str'>, <class 'int'>, <class 'bool'>, <class 'float'>, <class 'list'>, "
        "<class 'dict'>",
}
_INVALID_TYPE = r'(, type: )<(\w+)>(, valid types: )(.*)$'


def _python_report(report: str) -> str:
    import re

    def fix(m: 're.Match[str]') -> str:
        valid = _VALID_TYPES.get(m.group(4), m.group(4))
        return f'{m.group(1)}{_PY_TYPE.get(m.group(2), m.group(2))}{m.group(3)}{valid}'
    return re.sub(_INVALID_TYPE, fix, report, flags=re.M)


def _botocore_last_response(last: Any) -> Any:
    """The core nests a service error's parsed response under ``Error``; botocore does not."""
    if isinstance(last, dict):
        inner = last.get('Error')
        if isinstance(inner, dict) and 'Error' in inner and 'ResponseMetadata' in inner:
            out = {k: v for k, v in inner.items() if k not in ('Code', 'Message')}
            out['ResponseMetadata'].setdefault('RetryAttempts', 0)
            return out
    return last


def translate(err: Any, client: Optional[BaseClient], operation_name: str,
              params: Any = None) -> Exception:
    """A ``_core.CoreError`` as the exception botocore would raise."""
    kind, message, info = err.args
    if kind == 'service':
        response = info['response']
        meta = response.setdefault('ResponseMetadata', {})
        attempts = info.get('retry_attempts') or 0
        meta['RetryAttempts'] = attempts
        # botocore marks a retryable error that used up every attempt.
        total = client._core.total_attempts if client is not None else attempts + 1
        if info.get('retryable') and attempts + 1 >= total:
            meta['MaxAttemptsReached'] = True
        error = response.get('Error') or {}
        code = error.get('QueryErrorCode') or error.get('Code')
        factory = client.exceptions if client is not None else None
        cls = factory.from_code(code) if factory is not None else exceptions.ClientError
        return cls(response, info.get('operation') or operation_name)
    if kind == 'validation':
        prefix = 'Parameter validation failed:\n'
        report = message[len(prefix):] if message.startswith(prefix) else message
        return exceptions.ParamValidationError(report=_python_report(report))
    if kind == 'waiter':
        return exceptions.WaiterError(
            name=info.get('waiter_name', ''), reason=info.get('reason', message),
            last_response=_botocore_last_response(info.get('last_response')))
    return translate_plain(kind, message, _endpoint(client, operation_name, params))


def translate_plain(kind: str, message: str, endpoint_url: str = '') -> Exception:
    """Errors that are not service, validation or waiter errors."""
    lower = message.lower()
    if message.startswith(exceptions._STUB_PREFIX):
        return exceptions.stub_error(message)
    if kind == 'credentials':
        if 'unable to locate credentials' in lower:
            return exceptions.NoCredentialsError()
        return exceptions.CredentialRetrievalError(provider='the credential chain',
                                                   error_msg=message)
    if kind == 'endpoint' or 'missing region' in lower:
        if 'region' in lower and ('missing' in lower or 'must specify' in lower):
            return exceptions.NoRegionError()
        return exceptions.EndpointResolutionError(msg=message)
    if kind == 'timeout':
        if 'connect' in lower:
            return exceptions.ConnectTimeoutError(endpoint_url=endpoint_url)
        return exceptions.ReadTimeoutError(endpoint_url=endpoint_url)
    if kind == 'dispatch':
        return exceptions.EndpointConnectionError(endpoint_url=endpoint_url)
    if kind == 'response':
        return exceptions.ResponseParserError(error=message)
    if message.startswith('Provided region_name'):
        name = message.split("'")[1] if message.count("'") >= 2 else message
        return exceptions.InvalidRegionError(region_name=name)
    if message.startswith('Invalid endpoint'):
        return ValueError(message)
    if 'could not be found' in lower and 'profile' in lower:
        return exceptions.ProfileNotFound(profile=_quoted(message))
    return _config_error(message) or _plain(message)


def _config_error(message: str) -> Optional[Exception]:
    """botocore's exception for a setting the core's settings table refused (its text)."""
    def between(prefix: str, suffix: str) -> str:
        return message[len(prefix):].split(suffix, 1)[0]
    if message.startswith('Unsupported configuration value for endpoint_discovery_enabled.'):
        return exceptions.InvalidEndpointDiscoveryConfigurationError(
            config_value=message.rsplit('but got ', 1)[-1][:-1])
    if message.startswith('STS regional endpoints option '):
        return exceptions.InvalidSTSRegionalEndpointsConfigError(
            sts_regional_endpoints_config=between('STS regional endpoints option ', ' is invalid'))
    prefix = 'S3 us-east-1 regional endpoint option '
    if message.startswith(prefix):
        return exceptions.InvalidS3UsEast1RegionalEndpointConfigError(
            s3_us_east_1_regional_endpoint_config=between(prefix, ' is invalid'))
    if message.startswith("The configured value '") or (
            message.startswith('Invalid value "')
            and 'request_min_compression_size_bytes' in message):
        return exceptions.InvalidConfigError(error_msg=message)
    return None


def _quoted(message: str) -> str:
    for open_, close in (('(', ')'), ("'", "'"), ('"', '"')):
        if open_ in message:
            rest = message.split(open_, 1)[1]
            if close in rest:
                return rest.split(close, 1)[0]
    return message


def _plain(message: str) -> Exception:
    e = exceptions.BotoCoreError()
    e.args = (message,)
    return e
