"""``boto_rs.Session``: boto3's ``Session`` on the native core.

Replaces ``boto3.session.Session`` (and the botocore session under it):
profile and region resolution, the credential provider chain (environment,
shared files, SSO, assume-role, web identity, container, IMDS) and client
creation with ``client(service_name, region_name=, endpoint_url=, verify=,
aws_access_key_id=..., config=Config(...))``. ``repr``/``str`` of sessions
and credentials never show secrets.
"""

from __future__ import annotations

import threading
TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Dict, List, Optional

from boto_rs import _core, exceptions
from boto_rs.client import BaseClient, make_client, translate_plain
from boto_rs.config import Config


class ReadOnlyCredentials(tuple):
    """``get_frozen_credentials()``: botocore's named tuple, with a repr that hides secrets."""

    __slots__ = ()

    def __new__(cls, access_key: str, secret_key: str, token: Optional[str] = None,
                account_id: Optional[str] = None) -> 'ReadOnlyCredentials':
        return tuple.__new__(cls, (access_key, secret_key, token, account_id))

    access_key = property(lambda self: self[0])
    secret_key = property(lambda self: self[1])
    token = property(lambda self: self[2])
    account_id = property(lambda self: self[3])

    def __repr__(self) -> str:
        return (f"ReadOnlyCredentials(access_key={self.access_key!r}, "
                f"secret_key='****', token={'****' if self.token else None!r}, "
                f"account_id={self.account_id!r})")

    __str__ = __repr__


class Credentials:
    """Resolved credentials, like botocore's ``Credentials`` (``method`` names the source)."""

    def __init__(self, access_key: str, secret_key: str, token: Optional[str] = None,
                 method: Optional[str] = None) -> None:
        self.access_key = access_key
        self.secret_key = secret_key
        self.token = token
        self.method = method

    def get_frozen_credentials(self) -> ReadOnlyCredentials:
        return ReadOnlyCredentials(self.access_key, self.secret_key, self.token)

    def __repr__(self) -> str:
        return f'<Credentials method={self.method!r} access_key={self.access_key!r}>'

    __str__ = __repr__


_SERVICE_NAMES: Optional[List[str]] = None
_LOCK = threading.Lock()


def _core_error(e: Any) -> Exception:
    kind, message, _info = e.args
    return translate_plain(kind, message)


class Session:
    """Stores configuration state and allows you to create service clients."""

    def __init__(self, aws_access_key_id: Optional[str] = None,
                 aws_secret_access_key: Optional[str] = None,
                 aws_session_token: Optional[str] = None,
                 region_name: Optional[str] = None,
                 botocore_session: Any = None,
                 profile_name: Optional[str] = None,
                 aws_account_id: Optional[str] = None) -> None:
        if botocore_session is not None:
            raise TypeError('boto_rs.Session does not take a botocore_session')
        self._account_id = aws_account_id
        try:
            self._core = _core.CoreSession(profile_name, region_name, aws_access_key_id,
                                           aws_secret_access_key, aws_session_token)
        except _core.CoreError as e:
            raise _core_error(e) from None
        if profile_name is not None and profile_name not in self._core.available_profiles:
            raise exceptions.ProfileNotFound(profile=profile_name)

    def __repr__(self) -> str:
        return f'{type(self).__name__}(region_name={self.region_name!r})'

    @property
    def profile_name(self) -> str:
        return self._core.profile_name

    @property
    def region_name(self) -> Optional[str]:
        return self._core.region_name

    @property
    def available_profiles(self) -> List[str]:
        return list(self._core.available_profiles)

    def get_available_partitions(self) -> List[str]:
        """Partition names, as boto3's (``['aws', 'aws-cn', 'aws-us-gov', ...]``)."""
        from boto_rs._regions import available_partitions
        return available_partitions()

    def get_available_regions(self, service_name: str, partition_name: str = 'aws',
                              allow_non_regional: bool = False) -> List[str]:
        """The regions boto3 lists for a service in a partition (``[]`` for unknown names)."""
        if service_name not in _service_names(self._core):
            return []
        from boto_rs._regions import available_regions
        return available_regions(service_name, partition_name, allow_non_regional)

    def get_available_services(self) -> List[str]:
        return list(_service_names(self._core))

    def get_available_resources(self) -> List[str]:
        from boto_rs.resources import available_resources
        return available_resources()

    def get_credentials(self) -> Optional[Credentials]:
        try:
            got = self._core.get_credentials()
        except _core.CoreError as e:
            raise _core_error(e) from None
        return None if got is None else Credentials(*got)

    def client(self, service_name: str, region_name: Optional[str] = None,
               api_version: Optional[str] = None, use_ssl: bool = True,
               verify: Any = None, endpoint_url: Optional[str] = None,
               aws_access_key_id: Optional[str] = None,
               aws_secret_access_key: Optional[str] = None,
               aws_session_token: Optional[str] = None,
               config: Any = None, aws_account_id: Optional[str] = None) -> BaseClient:
        """A low-level client for ``service_name`` (botocore's names: ``s3``, ``dynamodb``...)."""
        names = _service_names(self._core)
        if service_name not in names:
            raise exceptions.UnknownServiceError(
                service_name=service_name, known_service_names=', '.join(names))
        options = _config_options(config)
        if region_name is not None:
            options['region_name'] = region_name
        if endpoint_url is not None:
            options['endpoint_url'] = endpoint_url
        if verify is False:
            options['verify'] = False
        elif isinstance(verify, str):
            options['ca_bundle'] = verify
        if aws_access_key_id is not None and aws_secret_access_key is not None:
            options['aws_access_key_id'] = aws_access_key_id
            options['aws_secret_access_key'] = aws_secret_access_key
            options['aws_session_token'] = aws_session_token
        account = aws_account_id or self._account_id
        if account is not None:
            options['aws_account_id'] = account
        try:
            core = self._core.client(service_name, options)
            if core.region_name is None and service_name == 's3':
                # botocore: S3 without a configured region is us-east-1 (its global
                # endpoint), where other regional services raise NoRegionError.
                options['region_name'] = 'us-east-1'
                core = self._core.client(service_name, options)
        except _core.CoreError as e:
            raise _core_error(e) from None
        return make_client(core, _meta_config(config, core.region_name))

    def resource(self, service_name: str, region_name: Optional[str] = None,
                 api_version: Optional[str] = None, use_ssl: bool = True,
                 verify: Any = None, endpoint_url: Optional[str] = None,
                 aws_access_key_id: Optional[str] = None,
                 aws_secret_access_key: Optional[str] = None,
                 aws_session_token: Optional[str] = None,
                 config: Any = None, aws_account_id: Optional[str] = None) -> Any:
        """A resource service (``s3``, ``dynamodb``, ``ec2``, ...): see ``boto_rs.resources``."""
        from boto_rs.resources import available_resources, service_resource
        names = available_resources()
        if service_name not in names:
            from boto_rs.boto3_exceptions import ResourceNotExistsError
            raise ResourceNotExistsError(service_name, names,
                                         service_name in self.get_available_services())
        client = self.client(service_name, region_name=region_name, api_version=api_version,
                             use_ssl=use_ssl, verify=verify, endpoint_url=endpoint_url,
                             aws_access_key_id=aws_access_key_id,
                             aws_secret_access_key=aws_secret_access_key,
                             aws_session_token=aws_session_token, config=config,
                             aws_account_id=aws_account_id)
        return service_resource(client)


def _service_names(core: Any) -> List[str]:
    global _SERVICE_NAMES
    if _SERVICE_NAMES is None:
        with _LOCK:
            if _SERVICE_NAMES is None:
                _SERVICE_NAMES = sorted(core.available_services())
    return _SERVICE_NAMES


def _config_options(config: Any) -> Dict[str, Any]:
    """Native options from a boto_rs Config, or from a botocore Config (duck-typed)."""
    if config is None:
        return {}
    if isinstance(config, Config):
        return config._client_options()
    provided = getattr(config, '_user_provided_options', None)
    if isinstance(provided, dict):
        # botocore reads the attributes, which callers (moto's server mode) may have changed.
        options = dict(provided)
        from boto_rs.config import _OPTIONS
        options.update((k, v) for k, v in vars(config).items() if k in _OPTIONS and v is not None)
        return Config(**options)._client_options()
    raise TypeError(f'config must be a boto_rs.config.Config, got {type(config).__name__}')


def _meta_config(config: Any, region_name: Optional[str]) -> Config:
    """``client.meta.config``: like botocore's, a new Config holding the caller's options (a
    boto_rs or botocore Config) and the client's resolved ``region_name``."""
    provided = getattr(config, '_user_provided_options', None)
    options = dict(provided) if isinstance(provided, dict) else {}
    if region_name is not None:
        options['region_name'] = region_name
    return Config(**options)
