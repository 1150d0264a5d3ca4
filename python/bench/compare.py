"""boto3 vs boto_rs from Python, side by side in one run.

Measures, each library in fresh processes: import time, first client, RSS
after import and after 20 clients (10 services, two each), and client CPU per
DynamoDB GetItem against a local canned-response server (a separate process,
so its CPU is not counted), single-threaded and with 8 threads sharing one
client; for boto_rs also its asyncio client (``boto_rs.aio``, batches of 64
calls with ``asyncio.gather``). Usage (the test venv has both libraries):

    .data/venv/bin/pip install ./python   # a release build
    .data/venv/bin/python python/bench/compare.py [calls]
"""

from __future__ import annotations

import http.server
import json
import multiprocessing
import subprocess
import sys
import time

_BODY = json.dumps({'Item': {'pk': {'S': 'k'}, 'n': {'N': '1'}, 's': {'S': 'x' * 40}}}).encode()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get('Content-Length') or 0))
        self.send_response(200)
        self.send_header('Content-Type', 'application/x-amz-json-1.0')
        self.send_header('x-amzn-RequestId', 'req')
        self.send_header('Content-Length', str(len(_BODY)))
        self.end_headers()
        self.wfile.write(_BODY)


def _serve(port_queue) -> None:
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
    port_queue.put(srv.server_address[1])
    srv.serve_forever()


_STARTUP = '''
import time
t0 = time.perf_counter()
import {lib}
t1 = time.perf_counter()
c = {lib}.client('dynamodb', region_name='us-east-1', aws_access_key_id='a',
                 aws_secret_access_key='b')
t2 = time.perf_counter()
print((t1 - t0) * 1000, (t2 - t1) * 1000)
'''

_CALLS = '''
import sys, threading, time
import {lib}
c = {lib}.client('dynamodb', region_name='us-east-1', aws_access_key_id='a',
                 aws_secret_access_key='b', endpoint_url='http://127.0.0.1:{port}')
key = {{'pk': {{'S': 'k'}}}}
for _ in range(50):
    c.get_item(TableName='t', Key=key)
n = {calls}
cpu, wall = time.process_time(), time.perf_counter()
for _ in range(n):
    c.get_item(TableName='t', Key=key)
single = (time.process_time() - cpu) / n * 1e6
def work():
    for _ in range(n // 8):
        c.get_item(TableName='t', Key=key)
threads = [threading.Thread(target=work) for _ in range(8)]
wall = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
print(single, (n // 8 * 8) / (time.perf_counter() - wall))
'''


_RSS = '''
import resource
import {lib}
def rss():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20
base = rss()
services = ['s3', 'dynamodb', 'sqs', 'sns', 'ec2', 'iam', 'lambda', 'sts', 'kms', 'logs']
clients = [{lib}.client(s, region_name='us-east-1', aws_access_key_id='a',
                        aws_secret_access_key='b') for s in services * 2]
print(base, rss())
'''

_AIO = '''
import asyncio, time
import boto_rs.aio
async def main():
    c = boto_rs.aio.client('dynamodb', region_name='us-east-1', aws_access_key_id='a',
                           aws_secret_access_key='b', endpoint_url='http://127.0.0.1:{port}')
    key = {{'pk': {{'S': 'k'}}}}
    async def batch():
        await asyncio.gather(*(c.get_item(TableName='t', Key=key) for _ in range(64)))
    for _ in range(2):
        await batch()
    rounds = max(1, {calls} // 64)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(rounds):
        await batch()
    n = rounds * 64
    print((time.process_time() - cpu) / n * 1e6, n / (time.perf_counter() - wall))
asyncio.run(main())
'''


def _run(code: str) -> list:
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True)
    return [float(x) for x in out.stdout.split()]


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    q = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(q,), daemon=True)
    server.start()
    port = q.get(timeout=10)
    rows = {}
    for lib in ('boto3', 'boto_rs'):
        starts = sorted(_run(_STARTUP.format(lib=lib)) for _ in range(5))
        imp = sorted(s[0] for s in starts)[2]
        first = sorted(s[1] for s in starts)[2]
        base, twenty = sorted(_run(_RSS.format(lib=lib)) for _ in range(3))[1]
        cpu, tput = _run(_CALLS.format(lib=lib, port=port, calls=calls))
        rows[lib] = (imp, first, base, twenty, cpu, tput)
    aio_cpu, aio_tput = _run(_AIO.format(port=port, calls=calls))
    server.terminate()
    print(f'{"metric":<48}{"boto3":>12}{"boto_rs":>12}{"ratio":>9}')
    names = ['import (median of 5, ms)', 'first dynamodb client (ms)',
             'RSS after import (MiB)', 'RSS after 20 clients (MiB)',
             f'client CPU per GetItem ({calls} calls, us)', 'GetItem/s, 8 threads, one client']
    for i, name in enumerate(names):
        a, b = rows['boto3'][i], rows['boto_rs'][i]
        ratio = b / a if i == 5 else a / b
        print(f'{name:<48}{a:>12.1f}{b:>12.1f}{ratio:>8.1f}x')
    print(f'{"boto_rs.aio: CPU per GetItem (gather of 64, us)":<48}{"-":>12}{aio_cpu:>12.1f}')
    print(f'{"boto_rs.aio: GetItem/s (gather of 64)":<48}{"-":>12}{aio_tput:>12.1f}')


if __name__ == '__main__':
    main()
