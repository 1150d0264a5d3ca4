"""Shared fixtures of the boto3-vs-boto_rs differential suite.

Every scenario runs twice against the same moto server (BOTO_TEST_ENDPOINT):
once with boto3 1.43.67, once with boto_rs, each on its own resource names
(a prefix per library). The results are normalised (request ids, dates,
generated ids and the prefix replaced; numbers tagged with their Python type
so 1, 1.0 and True stay different) and must be equal. The run ends with the
line ``python-compat: N passed, M failed``.
"""

from __future__ import annotations

import atexit
import datetime
import os
import re
import shutil
import tempfile
from typing import Any, Callable

import pytest

ENDPOINT = os.environ.get('BOTO_TEST_ENDPOINT', '')
_HOME = tempfile.mkdtemp(prefix='boto-rs-pytests-')
atexit.register(shutil.rmtree, _HOME, ignore_errors=True)
# Both libraries see the same, isolated configuration: no user files.
os.environ.update({
    'AWS_ACCESS_KEY_ID': 'testing',
    'AWS_SECRET_ACCESS_KEY': 'testing-secret',
    'AWS_DEFAULT_REGION': 'us-east-1',
    'AWS_CONFIG_FILE': os.path.join(_HOME, 'config'),
    'AWS_SHARED_CREDENTIALS_FILE': os.path.join(_HOME, 'credentials'),
    'AWS_EC2_METADATA_DISABLED': 'true',
})
for _var in ('AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ENDPOINT_URL', 'AWS_RETRY_MODE',
             'AWS_MAX_ATTEMPTS'):
    os.environ.pop(_var, None)

import boto3  # noqa: E402
import boto_rs  # noqa: E402
import boto_rs.config  # noqa: E402

LIBS = {'cmpboto': boto3, 'cmprust': boto_rs}

VOLATILE_KEYS = {
    'RequestId', 'HostId', 'date', 'x-amzn-requestid', 'x-amz-request-id', 'x-amz-id-2',
    'x-amzn-trace-id', 'server', 'MessageId', 'ReceiptHandle', 'SequenceNumber',
    'last-modified', 'x-amz-crc32', 'content-length', 'UserId', 'RoleId', 'AssociationId',
    'AccessKeyId', 'SecretAccessKey',
}
_UUID = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', re.I)
_EC2_ID = re.compile(
    r'\b(i|vpc|subnet|sg|ami|vol|snap|eni|r|igw|rtb|acl|dopt|key|lt|vpce|eipalloc)-[0-9a-f]{8,17}\b')
_ISO = re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?')
_HTTP_DATE = re.compile(r'[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT')
_IP = re.compile(r'\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b')
_PORT = re.compile(r'127\.0\.0\.1:\d+|localhost:\d+')


def norm(value: Any, prefix: str) -> Any:
    """A comparable form of a response: volatile parts replaced, types tagged."""
    if isinstance(value, dict):
        return {norm(k, prefix) if isinstance(k, str) else k:
                ('<volatile>' if k in VOLATILE_KEYS else norm(v, prefix))
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [norm(v, prefix) for v in value]
    if isinstance(value, datetime.datetime):
        assert value.tzinfo is not None and value.utcoffset() == datetime.timedelta(0), value
        return '<datetime>'
    if isinstance(value, bool):
        return ('bool', value)
    if isinstance(value, int):
        return ('int', value)
    if isinstance(value, float):
        return ('float', value)
    if isinstance(value, bytes):
        return ('bytes', value.replace(prefix.encode(), b'<p>'))
    if isinstance(value, str):
        s = value.replace(prefix, '<p>')
        s = _PORT.sub('<host>', s)
        s = _UUID.sub('<uuid>', s)
        s = _EC2_ID.sub(lambda m: m.group(1) + '-<id>', s)
        s = _ISO.sub('<ts>', s)
        s = _HTTP_DATE.sub('<httpdate>', s)
        return _IP.sub('<ip>', s)
    if value is None:
        return None
    return f'<{type(value).__name__}>'


def run_both(scenario: Callable[[Any, str], Any]) -> Any:
    """Runs ``scenario(lib, prefix)`` with boto3 and boto_rs; asserts equal results."""
    results = {}
    for prefix, lib in LIBS.items():
        results[prefix] = norm(scenario(lib, prefix), prefix)
    if results['cmprust'] != results['cmpboto']:
        lines = list(_diff(results['cmpboto'], results['cmprust'], ''))
        pytest.fail('boto_rs differs from boto3:\n' + '\n'.join(lines[:30]), pytrace=False)
    return results['cmprust']


def _diff(a: Any, b: Any, path: str):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a.keys() | b.keys():
            if k not in b:
                yield f'{path}.{k}: only boto3 has it: {a[k]!r:.200}'
            elif k not in a:
                yield f'{path}.{k}: only boto_rs has it: {b[k]!r:.200}'
            else:
                yield from _diff(a[k], b[k], f'{path}.{k}')
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            yield from _diff(x, y, f'{path}[{i}]')
    elif a != b:
        yield f'{path}: boto3 {a!r:.300} != boto_rs {b!r:.300}'


def client(lib: Any, service: str, **kwargs: Any) -> Any:
    kwargs.setdefault('region_name', 'us-east-1')
    return lib.client(service, endpoint_url=ENDPOINT, **kwargs)


def lib_config(lib: Any, **kwargs: Any) -> Any:
    """``Config(**kwargs)`` of the library under test."""
    if lib is boto3:
        import botocore.config
        return botocore.config.Config(**kwargs)
    return boto_rs.config.Config(**kwargs)


@pytest.fixture(autouse=True)
def _need_moto() -> None:
    if not ENDPOINT:
        pytest.fail('BOTO_TEST_ENDPOINT is not set: run ./scripts/with_servers.sh '
                    'scripts/python_tests.sh')


def pytest_report_header(config: Any) -> str:
    return f'boto_rs from {os.path.dirname(boto_rs.__file__)}; boto3 {boto3.__version__}'


def pytest_terminal_summary(terminalreporter: Any) -> None:
    stats = terminalreporter.stats
    passed = len(stats.get('passed', []))
    failed = len(stats.get('failed', [])) + len(stats.get('error', []))
    terminalreporter.write_line(f'python-compat: {passed} passed, {failed} failed')
