"""botocore's side of crates/boto-cli/tests/request_compression.rs.

Reads `{"scenarios": [{"name", "env", "params"}, ...], "boto": {name: body
base64}}` on stdin. For each scenario it sets
the environment variables, creates a CloudWatch client (us-east-1, fixed
credentials), calls PutMetricData and captures the prepared request in a
`before-send` handler, which raises so nothing is sent. Prints
`{"botocore_version", "results": {name: {...}}}`: method, url, headers and
body (base64), or the error botocore raised, and both bodies taken apart:
a gzip member's 10-byte header, MTIME, 8-byte trailer (CRC-32, length),
deflate stream and decompressed text; otherwise the plain text.
"""

import base64
import gzip
import json
import os
import struct
import sys
import zlib

import botocore
import botocore.session


class Captured(Exception):
    pass


def analyze(body):
    if body[:2] != b"\x1f\x8b":
        return {"gzip": False, "text": body.decode("utf-8", "replace")}
    plain = gzip.decompress(body)
    return {
        # The trailer is CRC-32 and length of the decompressed bytes.
        "trailer_ok": body[-8:] == struct.pack("<LL", zlib.crc32(plain), len(plain)),
        # What zlib (Python's gzip.compress, level 9) makes of the same bytes.
        "zlib_deflate_base64": base64.b64encode(
            zlib.compress(plain, level=9, wbits=-15)).decode(),
        "gzip": True,
        "header": body[:10].hex(),
        "mtime": int.from_bytes(body[4:8], "little"),
        "trailer": body[-8:].hex(),
        "deflate_base64": base64.b64encode(body[10:-8]).decode(),
        "text": gzip.decompress(body).decode("utf-8", "replace"),
    }


def main():
    spec = json.load(sys.stdin)
    scenarios = spec["scenarios"]
    base_env = dict(os.environ)
    results = {}
    for sc in scenarios:
        os.environ.clear()
        os.environ.update(base_env)
        os.environ.update(sc["env"])
        captured = {}

        def before_send(request, **kwargs):
            captured["req"] = request
            raise Captured()

        try:
            session = botocore.session.get_session()
            client = session.create_client(
                "cloudwatch", region_name="us-east-1",
                aws_access_key_id="testing", aws_secret_access_key="testing")
            client.meta.events.register("before-send", before_send)
            client.put_metric_data(**sc["params"])
            results[sc["name"]] = {"error": "the call returned without sending"}
            continue
        except Captured:
            pass
        except Exception as e:
            results[sc["name"]] = {"error": f"{type(e).__name__}: {e}"}
            continue
        req = captured["req"]
        body = req.body
        if hasattr(body, "read"):
            body = body.read()
        if isinstance(body, str):
            body = body.encode()
        results[sc["name"]] = {
            "method": req.method,
            "url": req.url,
            "headers": {k: (v.decode() if isinstance(v, bytes) else v)
                        for k, v in req.headers.items()},
            "body_base64": base64.b64encode(body or b"").decode(),
            "body": analyze(body or b""),
        }
        boto = spec["boto"].get(sc["name"])
        if boto is not None:
            results[sc["name"]]["boto_body"] = analyze(base64.b64decode(boto))
    json.dump({"botocore_version": botocore.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
