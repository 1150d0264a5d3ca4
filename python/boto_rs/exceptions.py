"""botocore's exception classes, under botocore's names and with its messages.

Replaces ``botocore.exceptions``: ``except boto_rs.exceptions.ClientError``
works as it does with boto3, ``ClientError.response`` is shaped like
botocore's parsed error response, and the messages read the same. The native
core raises one ``_core.CoreError``; :func:`translate` turns it into these
classes. Messages never carry credentials.

Living beside botocore: when the real ``botocore.exceptions`` is loaded,
every exception boto_rs raises is also an instance of botocore's class of the
same name (``except botocore.exceptions.ClientError`` catches a boto_rs
``NoSuchKey``). botocore is never imported for this (it costs ~50 ms): if it
was loaded before ``boto_rs``, the classes here are defined with botocore's
as an extra base; if it is loaded later, an exception is created as a
subclass of both (made once per class, see :func:`_botocore_compatible`).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Dict, Optional


def _exception_from_packed_args(exception_cls, args=None, kwargs=None):
    return exception_cls(*(args or ()), **(kwargs or {}))


def _real_botocore() -> Any:
    """The real ``botocore.exceptions`` if it is loaded (never this module under its name)."""
    mod = sys.modules.get('botocore.exceptions')
    if mod is None or mod is sys.modules.get(__name__) or getattr(mod, '_BOTO_RS', False):
        return None
    return mod


_BOTO_RS = True  # marks this module when it stands in for botocore.exceptions
_BOTOCORE = _real_botocore()
_HYBRIDS: Dict[type, type] = {}


def _counterpart(cls: type, bc: Any) -> Optional[type]:
    """botocore's class for ``cls``: the same name, else that of its nearest ancestor."""
    for c in cls.__mro__:
        if c.__module__ == __name__:
            found = getattr(bc, c.__name__, None)
            if isinstance(found, type) and issubclass(found, Exception):
                return found
    return None


def _botocore_compatible(cls: type) -> type:
    """``cls``, or a subclass of ``cls`` and botocore's counterpart when botocore is loaded."""
    bc = _real_botocore()
    if bc is None:
        return cls
    hybrid = _HYBRIDS.get(cls)
    if hybrid is not None:
        return hybrid
    other = _counterpart(cls, bc)
    if other is None or issubclass(cls, other):
        return cls
    hybrid = type(cls.__name__, (cls, other), {
        '__module__': cls.__module__, '__qualname__': cls.__qualname__,
        '_boto_rs_class': cls, '__doc__': cls.__doc__})
    _HYBRIDS[cls] = hybrid
    return hybrid


def _public(cls: type) -> type:
    """The class a hybrid was made from (what pickling names)."""
    return cls.__dict__.get('_boto_rs_class', cls)


def _compatible_new(cls: type, *args: Any, **kwargs: Any) -> Any:
    """``__new__`` of the roots: instances botocore's ``except`` clauses catch (module doc)."""
    target = cls if '_boto_rs_class' in cls.__dict__ else _botocore_compatible(cls)
    for base in target.__mro__:  # the first real __new__: OSError's for requests' errors
        new = base.__dict__.get('__new__')
        new = getattr(new, '__func__', new)
        if new is not None and new is not _compatible_new:
            return new(target, *args)
    return Exception.__new__(target, *args)


def _base(name: str) -> type:
    other = getattr(_BOTOCORE, name, None) if _BOTOCORE is not None else None
    return other if other is not None else Exception


class BotoCoreError(_base('BotoCoreError')):  # type: ignore[misc]
    """The base class of the library's (non-service) errors."""

    __new__ = _compatible_new

    fmt = 'An unspecified error occurred'

    def __init__(self, **kwargs: Any) -> None:
        msg = self.fmt.format(**kwargs)
        Exception.__init__(self, msg)
        self.kwargs = kwargs

    def __reduce__(self):
        return _exception_from_packed_args, (_public(self.__class__), None, self.kwargs)


def _define(name: str, bases: tuple, fmt: Optional[str] = None) -> type:
    attrs: Dict[str, Any] = {'__module__': __name__}
    other = getattr(_BOTOCORE, name, None) if _BOTOCORE is not None else None
    if isinstance(other, type) and not any(issubclass(b, other) for b in bases):
        ours = tuple(b for b in bases if b.__module__ == __name__)
        bases = ours + (other,) + tuple(b for b in bases if b.__module__ != __name__)
    if fmt is not None:
        attrs['fmt'] = fmt
    cls = type(name, bases, attrs)
    globals()[name] = cls
    return cls


# (name, base names, message) in botocore's hierarchy.
_TABLE = [
    ('DataNotFoundError', ('BotoCoreError',), 'Unable to load data for: {data_path}'),
    ('UnknownServiceError', ('DataNotFoundError',),
     "Unknown service: '{service_name}'. Valid service names are: {known_service_names}"),
    ('UnknownRegionError', ('BotoCoreError',), "Unknown region: '{region_name}'. {error_msg}"),
    ('ApiVersionNotFoundError', ('BotoCoreError',),
     'Unable to load data {data_path} for: {api_version}'),
    ('HTTPClientError', ('BotoCoreError',),
     'An HTTP Client raised an unhandled exception: {error}'),
    ('ConnectionError', ('BotoCoreError',),
     'An HTTP Client failed to establish a connection: {error}'),
    ('EndpointConnectionError', ('ConnectionError',),
     'Could not connect to the endpoint URL: "{endpoint_url}"'),
    ('SSLError', ('ConnectionError',), 'SSL validation failed for {endpoint_url} {error}'),
    ('ConnectionClosedError', ('HTTPClientError',),
     'Connection was closed before we received a valid response from endpoint URL: '
     '"{endpoint_url}".'),
    ('ReadTimeoutError', ('HTTPClientError',), 'Read timeout on endpoint URL: "{endpoint_url}"'),
    ('ConnectTimeoutError', ('ConnectionError',),
     'Connect timeout on endpoint URL: "{endpoint_url}"'),
    ('ProxyConnectionError', ('ConnectionError',), 'Failed to connect to proxy URL: "{proxy_url}"'),
    ('ResponseStreamingError', ('HTTPClientError',),
     'An error occurred while reading from response stream: {error}'),
    ('NoCredentialsError', ('BotoCoreError',), 'Unable to locate credentials'),
    ('NoAuthTokenError', ('BotoCoreError',), 'Unable to locate authorization token'),
    ('TokenRetrievalError', ('BotoCoreError',),
     'Error when retrieving token from {provider}: {error_msg}'),
    ('PartialCredentialsError', ('BotoCoreError',),
     'Partial credentials found in {provider}, missing: {cred_var}'),
    ('CredentialRetrievalError', ('BotoCoreError',),
     'Error when retrieving credentials from {provider}: {error_msg}'),
    ('UnknownSignatureVersionError', ('BotoCoreError',),
     'Unknown Signature Version: {signature_version}.'),
    ('ServiceNotInRegionError', ('BotoCoreError',),
     'Service {service_name} not available in region {region_name}'),
    ('BaseEndpointResolverError', ('BotoCoreError',), None),
    ('NoRegionError', ('BaseEndpointResolverError',), 'You must specify a region.'),
    ('ProfileNotFound', ('BotoCoreError',), 'The config profile ({profile}) could not be found'),
    ('ConfigParseError', ('BotoCoreError',), 'Unable to parse config file: {path}'),
    ('ConfigNotFound', ('BotoCoreError',),
     'The specified config file ({path}) could not be found.'),
    ('ValidationError', ('BotoCoreError',),
     "Invalid value ('{value}') for param {param} of type {type_name} "),
    ('ParamValidationError', ('BotoCoreError',), 'Parameter validation failed:\n{report}'),
    ('InvalidRegionError', ('ValidationError', ValueError),
     "Provided region_name '{region_name}' doesn't match a supported format."),
    ('PaginationError', ('BotoCoreError',), 'Error during pagination: {message}'),
    ('OperationNotPageableError', ('BotoCoreError',),
     'Operation cannot be paginated: {operation_name}'),
    ('ChecksumError', ('BotoCoreError',),
     'Expected {checksum_type} checksum value of: {expected_checksum}. '
     'Received {checksum_type} checksum value of: {actual_checksum}'),
    ('IncompleteReadError', ('BotoCoreError',),
     '{actual_bytes} read, but total bytes expected is {expected_bytes}.'),
    ('InvalidExpressionError', ('BotoCoreError',),
     'Invalid expression {expression}: Only dotted lookups are supported.'),
    ('WaiterConfigError', ('BotoCoreError',), 'Error processing waiter config: {error_msg}'),
    ('UnknownClientMethodError', ('BotoCoreError',),
     'Client does not have method: {method_name}'),
    ('UnsupportedSignatureVersionError', ('BotoCoreError',),
     'Signature version(s) are not supported: {signature_version}'),
    ('InvalidS3AddressingStyleError', ('BotoCoreError',),
     "S3 addressing style {s3_addressing_style} is invalid. Valid options are: "
     "'auto', 'virtual', and 'path'"),
    ('InvalidRetryConfigurationError', ('BotoCoreError',),
     'Cannot provide retry configuration for "{retry_config_option}". Valid retry '
     'configuration options are: {valid_options}'),
    ('InvalidMaxRetryAttemptsError', ('InvalidRetryConfigurationError',),
     'Value provided to "max_attempts": {provided_max_attempts} must be an integer '
     'greater than or equal to {min_value}.'),
    ('InvalidRetryModeError', ('InvalidRetryConfigurationError',),
     'Invalid value provided to "mode": "{provided_retry_mode}" must be one of: '
     '{valid_modes}'),
    ('InvalidConfigError', ('BotoCoreError',), '{error_msg}'),
    ('InvalidEndpointDiscoveryConfigurationError', ('BotoCoreError',),
     'Unsupported configuration value for endpoint_discovery_enabled. '
     'Expected one of ("true", "false", "auto") but got {config_value}.'),
    ('InvalidSTSRegionalEndpointsConfigError', ('BotoCoreError',),
     'STS regional endpoints option {sts_regional_endpoints_config} is '
     'invalid. Valid options are: "legacy", "regional"'),
    ('InvalidS3UsEast1RegionalEndpointConfigError', ('BotoCoreError',),
     'S3 us-east-1 regional endpoint option '
     '{s3_us_east_1_regional_endpoint_config} is '
     'invalid. Valid options are: "legacy", "regional"'),
    ('SSOError', ('BotoCoreError',),
     'An unspecified error happened when resolving AWS credentials or an access token '
     'from SSO.'),
    ('SSOTokenLoadError', ('SSOError',), 'Error loading SSO Token: {error_msg}'),
    ('CapacityNotAvailableError', ('BotoCoreError',), 'Insufficient request capacity available.'),
    ('FlexibleChecksumError', ('BotoCoreError',), '{error_msg}'),
    ('EndpointProviderError', ('BotoCoreError',), '{msg}'),
    ('EndpointResolutionError', ('EndpointProviderError',), '{msg}'),
    ('StubResponseError', ('BotoCoreError',),
     'Error getting response stub for operation {operation_name}: {reason}'),
    ('StubAssertionError', ('StubResponseError', AssertionError), None),
    ('UnStubbedResponseError', ('StubResponseError',), None),
    # Not in botocore: a response the core could not parse (botocore raises
    # its parser's ResponseParserError, an Exception outside this module).
    ('ResponseParserError', ('BotoCoreError',), '{error}'),
]

for _name, _bases, _fmt in _TABLE:
    _define(_name, tuple(globals()[b] if isinstance(b, str) else b for b in _bases), _fmt)
del _name, _bases, _fmt


class WaiterError(BotoCoreError):
    """A waiter reached a failure state or ran out of attempts."""

    fmt = 'Waiter {name} failed: {reason}'

    def __init__(self, name: str, reason: str, last_response: Any) -> None:
        super().__init__(name=name, reason=reason)
        self.last_response = last_response

    def __reduce__(self):
        return _exception_from_packed_args, (
            _public(self.__class__), (self.kwargs['name'], self.kwargs['reason'], self.last_response))


class ClientError(_base('ClientError')):  # type: ignore[misc]
    """An error response from the service; ``response`` is botocore's parsed error."""

    __new__ = _compatible_new

    MSG_TEMPLATE = (
        'An error occurred ({error_code}) when calling the {operation_name} '
        'operation{retry_info}: {error_message}'
    )

    def __init__(self, error_response: Dict[str, Any], operation_name: str) -> None:
        retry_info = self._get_retry_info(error_response)
        error = error_response.get('Error', {})
        msg = self.MSG_TEMPLATE.format(
            error_code=error.get('Code', 'Unknown'),
            error_message=error.get('Message', 'Unknown'),
            operation_name=operation_name,
            retry_info=retry_info,
        )
        Exception.__init__(self, msg)
        self.response = error_response
        self.operation_name = operation_name

    @staticmethod
    def _get_retry_info(response: Dict[str, Any]) -> str:
        meta = response.get('ResponseMetadata') or {}
        if meta.get('MaxAttemptsReached', False) and 'RetryAttempts' in meta:
            return f" (reached max retries: {meta['RetryAttempts']})"
        return ''

    def __reduce__(self):
        # Per-service subclasses live on clients, not in a module: pickle as ClientError.
        return ClientError, (self.response, self.operation_name)


class EventStreamError(ClientError):
    pass


class ClientExceptions:
    """``client.exceptions``: one ClientError subclass per modeled error of the service."""

    def __init__(self, code_to_exception: Dict[str, type]) -> None:
        self._code_to_exception = code_to_exception
        for cls in code_to_exception.values():
            setattr(self, cls.__name__, cls)
        self.ClientError = ClientError

    def from_code(self, error_code: str) -> type:
        return self._code_to_exception.get(error_code, ClientError)

    def __repr__(self) -> str:
        return f'<ClientExceptions: {len(self._code_to_exception)} modeled errors>'


_CLASS_CACHE: Dict[tuple, type] = {}


def client_exceptions(service_id: str, shapes) -> ClientExceptions:
    """Builds ``client.exceptions`` from ``[(shape name, error code)]`` (classes cached per service)."""
    code_to_exception = {}
    for shape_name, code in shapes:
        bc = _real_botocore()
        bases: tuple = (ClientError,)
        if bc is not None and not issubclass(ClientError, bc.ClientError):
            bases = (ClientError, bc.ClientError)
        key = (service_id, shape_name, len(bases))
        cls = _CLASS_CACHE.get(key)
        if cls is None:
            cls = type(shape_name, bases, {'__module__': 'boto_rs.errorfactory'})
            _CLASS_CACHE[key] = cls
        code_to_exception[code] = cls
    return ClientExceptions(code_to_exception)


_STUB_PREFIX = 'Error getting response stub for operation '


def stub_error(message: str) -> Exception:
    """A stub failure of the native stubber (paginators, waiters) as botocore's class."""
    operation, _, reason = message[len(_STUB_PREFIX):].partition(': ')
    if reason.startswith('Unexpected API Call'):
        cls = UnStubbedResponseError  # noqa: F821 - defined from _TABLE
    elif reason.startswith('Expected parameters'):
        cls = StubAssertionError  # noqa: F821
    else:
        cls = StubResponseError  # noqa: F821
    return cls(operation_name=operation, reason=reason)
