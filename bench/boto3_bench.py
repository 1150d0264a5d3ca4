"""boto3 side of bench/compare_boto3.sh, plus the canned-response server both sides call.

Modes (each prints one JSON object on stdout):

  serve                 run the canned HTTP/1.1 keep-alive server on 127.0.0.1:0;
                        prints {"port": N} once listening, serves until killed
  cpu ENDPOINT N WARMUP client-side CPU per GetItem and per HeadObject
  first-client SERVICE  import boto3 and create one client (run in a fresh process;
                        the caller measures the process's wall time)
  rss SERVICES...       VmRSS before and after creating one client per service

The server answers a DynamoDB GetItem (JSON with a correct x-amz-crc32, like
the real service) for any POST, and an S3 HeadObject for any HEAD. It runs in
its own process, so its CPU never counts towards either client.
"""

import json
import os
import sys
import time
import zlib

GET_ITEM_BODY = json.dumps(
    {
        "Item": {
            "pk": {"S": "user#12345"},
            "sk": {"S": "profile"},
            "name": {"S": "Ada Lovelace"},
            "email": {"S": "ada@example.com"},
            "age": {"N": "36"},
            "score": {"N": "98.5"},
            "active": {"BOOL": True},
            "tags": {"SS": ["math", "engines", "poetry"]},
            "address": {"M": {"city": {"S": "London"}, "zip": {"S": "W1"}}},
            "logins": {"L": [{"N": "1"}, {"N": "2"}, {"N": "3"}]},
        }
    },
    separators=(",", ":"),
).encode()

HEAD_HEADERS = [
    ("x-amz-id-2", "Xk3b0q2vQ8i1d7tZ0hYb0mG3l6u5Q9k2vJx0gHq7Q5k="),
    ("x-amz-request-id", "4442587FB7D0A2F9"),
    ("Last-Modified", "Wed, 12 Oct 2023 17:50:00 GMT"),
    ("ETag", '"fba9dede5f27731c9771645a39863328"'),
    ("x-amz-server-side-encryption", "AES256"),
    ("x-amz-meta-owner", "ada"),
    ("x-amz-version-id", "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd"),
    ("Accept-Ranges", "bytes"),
    ("Content-Type", "text/plain"),
    ("Content-Length", "434234"),
    ("Server", "AmazonS3"),
]


def serve():
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    crc = str(zlib.crc32(GET_ITEM_BODY) & 0xFFFFFFFF)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in separate writes; without TCP_NODELAY,
        # Nagle + delayed ACK add ~40 ms to every response with a body.
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def _drain(self):
            n = int(self.headers.get("Content-Length") or 0)
            if n:
                self.rfile.read(n)

        def do_POST(self):
            self._drain()
            self.send_response(200)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("x-amzn-RequestId", "BENCHREQUESTID0000000000000000000000000000000000000000")
            self.send_header("x-amz-crc32", crc)
            self.send_header("Content-Length", str(len(GET_ITEM_BODY)))
            self.end_headers()
            self.wfile.write(GET_ITEM_BODY)

        def do_HEAD(self):
            self._drain()
            self.send_response(200)
            for k, v in HEAD_HEADERS:
                self.send_header(k, v)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(json.dumps({"port": server.server_address[1]}), flush=True)
    server.serve_forever()


def clients(endpoint):
    import boto3
    from botocore.config import Config

    session = boto3.session.Session(region_name="us-east-1")
    ddb = session.client("dynamodb", endpoint_url=endpoint)
    s3 = session.client("s3", endpoint_url=endpoint, config=Config(s3={"addressing_style": "path"}))
    return ddb, s3


def cpu(endpoint, n, warmup):
    ddb, s3 = clients(endpoint)
    key = {"pk": {"S": "user#12345"}, "sk": {"S": "profile"}}

    def get_item():
        out = ddb.get_item(TableName="users", Key=key)
        assert out["Item"]["name"]["S"] == "Ada Lovelace"

    def head_object():
        out = s3.head_object(Bucket="bench-bucket", Key="data/object.txt")
        assert out["ContentLength"] == 434234

    result = {"boto3": __import__("boto3").__version__, "botocore": __import__("botocore").__version__}
    for name, fn in (("get_item", get_item), ("head_object", head_object)):
        for _ in range(warmup):
            fn()
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(n):
            fn()
        c1, w1 = time.process_time(), time.perf_counter()
        result[name] = {"cpu_us": (c1 - c0) / n * 1e6, "wall_us": (w1 - w0) / n * 1e6, "n": n}
    print(json.dumps(result))


def vm_rss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def first_client(service):
    import boto3

    boto3.session.Session(region_name="us-east-1").client(service, endpoint_url="http://127.0.0.1:9")
    print(json.dumps({"ok": True}))


def rss(services):
    import boto3

    before = vm_rss_kib()
    session = boto3.session.Session(region_name="us-east-1")
    made = [session.client(s) for s in services]
    after = vm_rss_kib()
    print(json.dumps({"clients": len(made), "rss_before_kib": before, "rss_after_kib": after}))


def main():
    mode = sys.argv[1]
    if mode == "serve":
        serve()
    elif mode == "cpu":
        cpu(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif mode == "first-client":
        first_client(sys.argv[2])
    elif mode == "rss":
        rss(sys.argv[2:])
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "AKIDBENCH")
    main()
