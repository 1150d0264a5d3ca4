"""``boto_rs.config.Config``: botocore's ``Config`` (``botocore.config.Config``).

Accepts botocore's keyword arguments, validates ``retries`` the way botocore
does, merges like ``Config.merge`` and turns into the options the native
client understands (:meth:`Config._client_options`). Honoured: region_name,
signature_version (``v4``/``s3v4``/``v4a``/``v2``/``UNSIGNED``), user_agent_extra,
user_agent_appid, connect_timeout, read_timeout, max_pool_connections,
retries (max_attempts, total_max_attempts, mode), s3 addressing_style,
inject_host_prefix, parameter_validation, request_checksum_calculation,
response_checksum_validation, disable_request_compression,
request_min_compression_size_bytes, account_id_endpoint_mode and
endpoint_discovery_enabled (the last two checked by the core's settings table,
with botocore's messages). Accepted but not acted on (documented differences):
user_agent (the core's user agent is kept), proxies, proxies_config,
client_cert, tcp_keepalive, use_fips_endpoint and use_dualstack_endpoint
(use the environment/profile settings for those two).
"""

from __future__ import annotations

import copy
TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Dict

from boto_rs import exceptions
from boto_rs._sentinel import is_unsigned

_OPTIONS = (
    'region_name', 'signature_version', 'user_agent', 'user_agent_extra', 'user_agent_appid',
    'connect_timeout', 'read_timeout', 'parameter_validation', 'max_pool_connections',
    'proxies', 'proxies_config', 's3', 's3_disable_express_session_auth', 'retries',
    'client_cert', 'inject_host_prefix', 'endpoint_discovery_enabled',
    'use_dualstack_endpoint', 'use_fips_endpoint', 'ignore_configured_endpoint_urls',
    'defaults_mode', 'tcp_keepalive', 'request_min_compression_size_bytes',
    'disable_request_compression', 'client_context_params', 'sigv4a_signing_region_set',
    'request_checksum_calculation', 'response_checksum_validation',
    'account_id_endpoint_mode', 'auth_scheme_preference',
)
_DEFAULTS: Dict[str, Any] = {
    'connect_timeout': 60, 'read_timeout': 60, 'parameter_validation': True,
    'max_pool_connections': 10,
}
_RETRY_MODES = ('legacy', 'standard', 'adaptive')
_RETRY_KEYS = ('max_attempts', 'mode', 'total_max_attempts')


class Config:
    """Advanced client configuration, as ``botocore.config.Config``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(_OPTIONS):
            raise TypeError(
                f'Takes at most {len(_OPTIONS)} arguments ({len(args)} given)')
        provided: Dict[str, Any] = dict(zip(_OPTIONS, args))
        for key, value in kwargs.items():
            if key not in _OPTIONS:
                raise TypeError(f"Got unexpected keyword argument '{key}'")
            if key in provided:
                raise TypeError(f"Got multiple values for keyword argument '{key}'")
            provided[key] = value
        self._user_provided_options = provided
        for key in _OPTIONS:
            object.__setattr__(self, key, provided.get(key, _DEFAULTS.get(key)))
        if self.inject_host_prefix is None:
            object.__setattr__(self, 'inject_host_prefix', True)
        _validate_retries(self.retries)

    def merge(self, other_config: 'Config') -> 'Config':
        """A new Config with ``other_config``'s explicitly set options winning."""
        options = copy.copy(self._user_provided_options)
        options.update(other_config._user_provided_options)
        return Config(**options)

    def __repr__(self) -> str:
        shown = ', '.join(
            f'{k}={v!r}' for k, v in self._user_provided_options.items()
            if k not in ('proxies', 'proxies_config', 'client_cert'))
        return f'Config({shown})'

    def _client_options(self) -> Dict[str, Any]:
        """The native client's options for what this config sets explicitly."""
        p = self._user_provided_options
        out: Dict[str, Any] = {}
        if p.get('region_name') is not None:
            out['region_name'] = p['region_name']
        sig = p.get('signature_version')
        if is_unsigned(sig):
            out['sign_requests'] = False
        elif sig is not None and sig not in ('v4', 's3v4', 'v4a', 'v2'):
            raise exceptions.UnsupportedSignatureVersionError(signature_version=sig)
        elif sig is not None:
            out['signature_version'] = sig
        if p.get('user_agent_extra'):
            out['user_agent_extra'] = p['user_agent_extra']
        # The core adds app/<id> (this one, else AWS_SDK_UA_APP_ID or sdk_ua_app_id).
        if p.get('user_agent_appid'):
            out['user_agent_appid'] = p['user_agent_appid']
        for key in ('connect_timeout', 'read_timeout', 'max_pool_connections',
                    'inject_host_prefix', 'parameter_validation', 'request_checksum_calculation',
                    'response_checksum_validation', 'disable_request_compression',
                    'request_min_compression_size_bytes'):
            if p.get(key) is not None:
                out[key] = p[key]
        # Checked by the core's settings table, which gives botocore's messages.
        if p.get('account_id_endpoint_mode') is not None:
            out['account_id_endpoint_mode'] = str(p['account_id_endpoint_mode'])
        discovery = p.get('endpoint_discovery_enabled')
        if isinstance(discovery, bool):
            out['endpoint_discovery_enabled'] = 'true' if discovery else 'false'
        elif discovery is not None:
            out['endpoint_discovery_enabled'] = str(discovery)
        retries = p.get('retries') or {}
        if 'mode' in retries:
            out['retry_mode'] = retries['mode']
        if 'total_max_attempts' in retries:
            out['total_max_attempts'] = retries['total_max_attempts']
        elif 'max_attempts' in retries:
            out['total_max_attempts'] = retries['max_attempts'] + 1
        s3 = p.get('s3') or {}
        style = s3.get('addressing_style')
        if style is not None:
            if style not in ('auto', 'virtual', 'path'):
                raise exceptions.InvalidS3AddressingStyleError(s3_addressing_style=style)
            out['addressing_style'] = style
        if p.get('sigv4a_signing_region_set') is not None:
            out['sigv4a_signing_region_set'] = str(p['sigv4a_signing_region_set'])
        # botocore's args.py reads this S3 option (and checks it: the core's table).
        express = s3.get('disable_s3_express_session_auth')
        if isinstance(express, bool):
            out['s3_disable_express_session_auth'] = 'true' if express else 'false'
        elif express is not None:
            out['s3_disable_express_session_auth'] = str(express)
        return out


def _validate_retries(retries: Any) -> None:
    if retries is None:
        return
    for key, value in retries.items():
        if key not in _RETRY_KEYS:
            raise exceptions.InvalidRetryConfigurationError(
                retry_config_option=key, valid_options=_RETRY_KEYS)
        if key == 'max_attempts' and value < 0:
            raise exceptions.InvalidMaxRetryAttemptsError(
                provided_max_attempts=value, min_value=0)
        if key == 'total_max_attempts' and value < 1:
            raise exceptions.InvalidMaxRetryAttemptsError(
                provided_max_attempts=value, min_value=1)
        if key == 'mode' and value not in _RETRY_MODES:
            raise exceptions.InvalidRetryModeError(
                provided_retry_mode=value, valid_modes=_RETRY_MODES)
