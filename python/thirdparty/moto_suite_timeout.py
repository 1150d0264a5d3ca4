"""pytest plugin for python/thirdparty/moto_suite.sh: a per-test time limit.

A test running longer than ``MOTO_SUITE_TEST_TIMEOUT`` seconds (default 120)
fails instead of holding up the whole run: some of moto's tests poll forever
when what they wait for cannot happen here (a rotation Lambda needs Docker).
SIGALRM, so the main thread only; both runs (boto3 and boto_rs) load it.
"""
import os
import signal

import pytest


class MotoSuiteTimeout(Exception):
    """The test ran past the limit."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    limit = int(os.environ.get('MOTO_SUITE_TEST_TIMEOUT', '120'))

    def expire(signum, frame):
        raise MotoSuiteTimeout(f'{item.nodeid} ran over {limit} s')

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(limit)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
