"""Config honoured on the wire: retries, read timeouts and user_agent_extra.

A small local HTTP server (127.0.0.1) answers DynamoDB calls as told and
records what it received; boto3 and boto_rs get the same configuration and
must make the same number of attempts and fail the same way.
"""

from __future__ import annotations

import http.server
import threading
import time

import pytest

import boto_rs.exceptions  # noqa: F401

from conftest import lib_config, run_both


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(('127.0.0.1', 0), _Handler)
        self.mode = 'ok'
        self.requests = []


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        server = self.server
        length = int(self.headers.get('Content-Length') or 0)
        self.rfile.read(length)
        server.requests.append(dict(self.headers))
        if server.mode == 'slow':
            time.sleep(1.5)
        if server.mode == 'fail':
            body = b'{"__type":"InternalServerError","message":"try again"}'
            self.send_response(500)
        else:
            body = b'{"TableNames":["t1"]}'
            self.send_response(200)
        self.send_header('Content-Type', 'application/x-amz-json-1.0')
        self.send_header('x-amzn-RequestId', 'req-1')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass


@pytest.fixture()
def server():
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _client(lib, server, **config):
    return lib.client('dynamodb', region_name='us-east-1',
                      endpoint_url=f'http://127.0.0.1:{server.server_address[1]}',
                      config=lib_config(lib, **config))


def test_retries_and_attempt_counts(server):
    def scenario(lib, p):
        out = {}
        server.mode = 'fail'
        for name, retries in (('total2', {'total_max_attempts': 2, 'mode': 'standard'}),
                              ('max1', {'max_attempts': 1, 'mode': 'standard'}),
                              ('none', {'total_max_attempts': 1})):
            server.requests.clear()
            c = _client(lib, server, retries=retries)
            try:
                c.list_tables()
            except Exception as e:  # noqa: BLE001
                out[name] = [type(e).__name__, str(e), len(server.requests),
                             e.response['ResponseMetadata'].get('MaxAttemptsReached'),
                             e.response['ResponseMetadata']['RetryAttempts']]
        server.mode = 'ok'
        out['ok'] = _client(lib, server).list_tables()
        return out

    out = run_both(scenario)
    assert out['total2'][2] == ('int', 2)
    assert out['none'][2] == ('int', 1)


def test_read_timeout(server):
    def scenario(lib, p):
        server.mode = 'slow'
        c = _client(lib, server, read_timeout=0.3, retries={'total_max_attempts': 1})
        try:
            c.list_tables()
        except Exception as e:  # noqa: BLE001
            return [type(e).__name__, str(e), list(dict.fromkeys(k.__name__ for k in type(e).__mro__))[1:3]]
        return None

    out = run_both(scenario)
    assert out[0] == 'ReadTimeoutError'


def test_user_agent_extra(server):
    import boto_rs
    server.mode = 'ok'
    _client(boto_rs, server, user_agent_extra='my-app/1.2', user_agent_appid='demo').list_tables()
    agent = {k.lower(): v for k, v in server.requests[-1].items()}.get('user-agent', '')
    assert 'my-app/1.2' in agent and 'app/demo' in agent, agent


def test_botocore_config_accepted(server):
    """A ``botocore.config.Config`` given to boto_rs is honoured like boto_rs's own."""
    import botocore.config

    import boto_rs
    server.mode = 'fail'
    server.requests.clear()
    c = boto_rs.client('dynamodb', region_name='us-east-1',
                       endpoint_url=f'http://127.0.0.1:{server.server_address[1]}',
                       config=botocore.config.Config(retries={'total_max_attempts': 2,
                                                              'mode': 'standard'},
                                                     user_agent_extra='via-botocore'))
    with pytest.raises(boto_rs.exceptions.ClientError) as info:
        c.list_tables()
    assert len(server.requests) == 2
    assert info.value.response['ResponseMetadata']['MaxAttemptsReached'] is True
    agent = {k.lower(): v for k, v in server.requests[-1].items()}['user-agent']
    assert 'via-botocore' in agent
