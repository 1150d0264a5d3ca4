"""botocore's side of crates/boto-cli/tests/print_request_sample.rs.

One process for the whole sample. It

1. picks K operations per service (every service botocore knows) with a
   seeded random generator (one `random.Random(f"{seed}:{service}")` per
   service, so a service's cases do not move when another service changes),
2. generates valid input parameters from the operation's input shape
   (required members always, some optional ones; enums, min/max lengths and
   ranges, simple regex patterns, timestamps, blobs, documents, JSON values,
   nested structures/lists/maps with bounded depth, unions with one member),
3. calls each operation on a botocore client (region us-east-1, fixed
   credentials) and captures the prepared request in a `before-send`
   handler, which raises so nothing is sent,
4. prints one JSON line per case (the parameters for `boto` and botocore's
   request) as soon as it is captured, then `{"done": true, ...}`,
5. reads one JSON line on stdin: boto's headers and bodies per case, and
   prints one more JSON line with both bodies decoded by the same code
   (JSON, form pairs, XML trees, CBOR), so the Rust side compares them.

Parameters travel in a tagged JSON form: `{"$b64": ...}` is a blob,
everything else is plain JSON (timestamps are ISO-8601 strings, which both
botocore and boto accept).

Usage: python botocore_side.py SEED PER_SERVICE REGION [SERVICE ...]
"""

import base64
import datetime
import io
import json
import random
import re
try:  # Python 3.11+ keeps these private; the public aliases warn.
    from re import _constants as sre_constants, _parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_constants
    import sre_parse
import sys
import urllib.parse
import xml.etree.ElementTree as ET

import botocore
import botocore.session
from botocore import xform_name
from botocore.parsers import BaseCBORParser

MAX_DEPTH = 4
TOKEN = "00000000-1111-2222-3333-444444444444"
SAFE = "abcdefghijklmnopqrstuvwxyz0123456789"
# Characters that exercise percent-encoding and escaping in every protocol.
SPECIAL = ["a b", "x/y", "p+q", "t~u", "caf\u00e9", "k=v&w", "<x>", "q\"s", "c:d"]


class Captured(Exception):
    pass


# ---------------------------------------------------------------- generator


def from_pattern(pattern, rng, lo, hi):
    """A string for a (simple) regex, or None."""
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:
        return None
    for _ in range(8):
        try:
            s = emit(parsed, rng, 0)
        except _Unsupported:
            return None
        if lo <= len(s) <= hi and re.search(pattern, s):
            return s
    return None


class _Unsupported(Exception):
    pass


def emit(parsed, rng, depth):
    if depth > 20:
        raise _Unsupported()
    out = []
    for op, av in parsed:
        if op is sre_constants.LITERAL:
            out.append(chr(av))
        elif op is sre_constants.NOT_LITERAL:
            out.append("a" if chr(av) != "a" else "b")
        elif op is sre_constants.ANY:
            out.append(rng.choice(SAFE))
        elif op is sre_constants.IN:
            out.append(emit_in(av, rng))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            lo, hi, sub = av
            hi = min(hi, lo + 3) if hi != sre_constants.MAXREPEAT else lo + 3
            n = rng.randint(lo, max(lo, min(hi, lo + 3)))
            if lo == 0 and n == 0 and rng.random() < 0.7:
                n = 1
            for _ in range(n):
                out.append(emit(sub, rng, depth + 1))
        elif op is sre_constants.SUBPATTERN:
            out.append(emit(av[-1], rng, depth + 1))
        elif op is sre_constants.BRANCH:
            out.append(emit(rng.choice(av[1]), rng, depth + 1))
        elif op is sre_constants.AT:
            pass
        else:
            raise _Unsupported()
    return "".join(out)


def emit_in(items, rng):
    negate = any(op is sre_constants.NEGATE for op, _ in items)
    choices = []
    for op, av in items:
        if op is sre_constants.LITERAL:
            choices.append(chr(av))
        elif op is sre_constants.RANGE:
            lo, hi = av
            choices.extend(chr(c) for c in range(lo, min(hi, lo + 40) + 1))
        elif op is sre_constants.CATEGORY:
            if av is sre_constants.CATEGORY_DIGIT:
                choices.extend("0123456789")
            elif av is sre_constants.CATEGORY_WORD:
                choices.extend(SAFE + "_")
            elif av is sre_constants.CATEGORY_SPACE:
                choices.append(" ")
            else:
                choices.extend("ab")
    if negate:
        allowed = [c for c in SAFE if c not in choices]
        return rng.choice(allowed or ["a"])
    printable = [c for c in choices if 32 < ord(c) < 127]
    return rng.choice(printable or choices or ["a"])


def gen_string(shape, rng, member_name, ctx):
    meta = shape.metadata
    if shape.enum:
        return rng.choice(shape.enum)
    lo = max(meta.get("min", 1), 1) if meta.get("min", 0) > 0 else 1
    hi = meta.get("max", 64)
    hi = max(lo, min(hi, 64))
    if "pattern" in meta:
        s = from_pattern(meta["pattern"], rng, lo, hi)
        if s is not None:
            return s
    n = min(max(lo, rng.randint(4, 10)), hi)
    s = "".join(rng.choice(SAFE) for _ in range(n))
    if ctx["plain"] or "pattern" in meta:
        return s
    if rng.random() < 0.25:
        extra = rng.choice(SPECIAL)
        if len(s) + len(extra) <= hi:
            s = s[: max(lo - len(extra), 1)] + extra if len(s) > lo else s + extra
            s = s[:hi]
    return s


def gen_number(shape, rng, integral):
    meta = shape.metadata
    lo = meta.get("min", 0 if integral else 0)
    hi = meta.get("max", lo + 100)
    if hi < lo:
        hi = lo
    if integral:
        lo, hi = int(lo), int(min(hi, lo + 1000))
        return rng.randint(lo, hi)
    v = rng.choice([0.5, 1.25, 2.0, 3.75, 10.0])
    return max(lo, min(hi, v))


def gen(shape, rng, depth, ctx, member_name=""):
    t = shape.type_name
    if t == "structure":
        if shape.is_document_type:
            return rng.choice([{"k": "v", "n": 1, "l": [True, None]}, "doc", 3, [1, "x"]])
        members = shape.members
        required = set(shape.required_members)
        out = {}
        if shape.is_tagged_union:
            names = [n for n in members if not members[n].serialization.get("eventstream")]
            if not names:
                return out
            name = rng.choice(sorted(names))
            out[name] = gen(members[name], rng, depth + 1, ctx, name)
            return out
        for name in members:
            m = members[name]
            if m.serialization.get("eventstream") or m.metadata.get("eventstream"):
                continue
            if name in required:
                pass
            elif depth >= MAX_DEPTH or rng.random() > (0.4 if depth == 0 else 0.25):
                continue
            out[name] = gen(m, rng, depth + 1, ctx, name)
        return out
    if t == "list":
        lo = shape.metadata.get("min", 0)
        hi = shape.metadata.get("max", 3)
        if depth >= MAX_DEPTH + 2:
            n = lo
        else:
            n = max(lo, min(hi, rng.randint(1, 2)))
        return [gen(shape.member, rng, depth + 1, ctx, member_name) for _ in range(n)]
    if t == "map":
        lo = shape.metadata.get("min", 0)
        n = max(lo, 1 if depth < MAX_DEPTH + 2 else 0)
        out = {}
        for i in range(n + 2):
            if len(out) >= n:
                break
            k = gen(shape.key, rng, depth + 1, dict(ctx, plain=True), "key")
            out[k] = gen(shape.value, rng, depth + 1, ctx, member_name)
        return out
    if t == "string":
        if shape.metadata.get("idempotencyToken") or member_name in ctx["tokens"]:
            return TOKEN
        if shape.serialization.get("jsonvalue"):
            # botocore takes any JSON value for a header, text elsewhere.
            if ctx.get("location") == "header":
                return {"jv": [1, "two"], "ok": True}
            return '{"jv": [1, "two"], "ok": true}'
        return gen_string(shape, rng, member_name, ctx)
    if t in ("integer", "long"):
        return gen_number(shape, rng, True)
    if t in ("float", "double"):
        return gen_number(shape, rng, False)
    if t == "boolean":
        return rng.random() < 0.5
    if t == "timestamp":
        return rng.choice(["2024-01-02T03:04:05Z", "2023-11-30T23:59:58Z",
                           "2024-06-07T08:09:10.123Z"])
    if t == "blob":
        n = max(shape.metadata.get("min", 0), rng.randint(1, 8))
        return {"$b64": base64.b64encode(bytes(rng.randrange(256) for _ in range(n))).decode()}
    return None


def gen_input(op, rng):
    shape = op.input_shape
    if shape is None:
        return {}
    ctx = {"plain": False, "tokens": set(op.idempotent_members)}
    # Members bound into the endpoint or host prefix stay plain (host-safe).
    plain = set()
    for name, m in shape.members.items():
        if (m.serialization.get("hostLabel") or m.metadata.get("hostLabel")
                or m.metadata.get("contextParam") or name in ctx["tokens"]):
            plain.add(name)
    required = set(shape.required_members)
    out = {}
    for name, m in shape.members.items():
        if m.serialization.get("eventstream"):
            continue
        if name not in required and name not in ctx["tokens"] and rng.random() > 0.4:
            continue
        c = dict(ctx, plain=name in plain, location=m.serialization.get("location"))
        if m.type_name == "blob" and m.serialization.get("streaming"):
            n = rng.randint(1, 16)
            out[name] = {"$b64": base64.b64encode(bytes(rng.randrange(256) for _ in range(n))).decode()}
            continue
        out[name] = gen(m, rng, 1, c, name)
    return out


# ---------------------------------------------------------------- botocore


def to_param(v):
    if isinstance(v, dict):
        if set(v) == {"$b64"}:
            return base64.b64decode(v["$b64"])
        return {k: to_param(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_param(x) for x in v]
    return v


def jsonable(v):
    if isinstance(v, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(v)).decode()}
    if isinstance(v, datetime.datetime):
        return {"$timestamp": v.timestamp()}
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [jsonable(x) for x in v]
    return v


def xml_tree(e):
    return {"tag": e.tag, "attrib": dict(sorted(e.attrib.items())),
            "text": (e.text or "").strip(), "children": [xml_tree(c) for c in e]}


def decode(body, content_type):
    ct = (content_type or "").split(";")[0].strip().lower()
    if not body:
        return {"kind": "empty"}
    try:
        if ct == "application/cbor":
            item = BaseCBORParser().parse_data_item(io.BytesIO(body))
            return {"kind": "cbor", "value": jsonable(item)}
        if "json" in ct:
            return {"kind": "json", "value": json.loads(body)}
        if ct == "application/x-www-form-urlencoded":
            pairs = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True,
                                           strict_parsing=True)
            return {"kind": "form", "value": sorted([k, v] for k, v in pairs)}
        if body.lstrip().startswith(b"<"):
            return {"kind": "xml", "value": xml_tree(ET.fromstring(body))}
    except Exception as e:
        return {"kind": "undecodable", "error": str(e),
                "value": base64.b64encode(body).decode()}
    return {"kind": "bytes", "value": base64.b64encode(body).decode()}


def body_bytes(body):
    if body is None:
        return b""
    if hasattr(body, "read"):
        pos = body.tell() if hasattr(body, "tell") else None
        data = body.read()
        if pos is not None:
            body.seek(pos)
        body = data
    if isinstance(body, str):
        body = body.encode()
    return bytes(body)


def header(headers, name):
    for k, v in (headers or {}).items():
        if k.lower() == name:
            return v
    return None


def protocol_of(model):
    # botocore's choice among `protocols` (json before query, cbor first).
    protocols = model.metadata.get("protocols") or [model.metadata["protocol"]]
    for p in ("smithy-rpc-v2-cbor", "json", "rest-json", "rest-xml", "query", "ec2"):
        if p in protocols:
            return p
    return model.metadata["protocol"]


def main():
    seed = sys.argv[1]
    per_service = int(sys.argv[2])
    region = sys.argv[3]
    only = set(sys.argv[4:])
    session = botocore.session.get_session()
    cases = []
    for service in sorted(session.get_available_services()):
        if only and service not in only:
            continue
        model = session.get_service_model(service)
        rng = random.Random(f"{seed}:{service}")
        ops = sorted(model.operation_names)
        # Event-stream inputs are not possible in botocore.
        ops = [o for o in ops if not model.operation_model(o).has_event_stream_input]
        picked = rng.sample(ops, min(per_service, len(ops)))
        client = None
        try:
            client = session.create_client(
                service, region_name=region,
                aws_access_key_id="testing", aws_secret_access_key="testing")
        except Exception as e:
            client_error = f"{type(e).__name__}: {e}"
        for op_name in picked:
            op = model.operation_model(op_name)
            params = gen_input(op, rng)
            case = {
                "name": f"{service}.{op_name}",
                "service": service,
                "operation": op_name,
                "cli_operation": xform_name(op_name, "-"),
                "protocol": protocol_of(model),
                "params": params,
                "streaming_member": None,
                "streaming_output": op.has_streaming_output,
            }
            stream = op.get_streaming_input()
            if stream is not None and stream.serialization.get("streaming"):
                for name, m in op.input_shape.members.items():
                    if m is stream:
                        case["streaming_member"] = name
                        case["streaming_arg"] = xform_name(name, "-")
                        break
            case["botocore"] = capture(client, op_name, params) if client else {"error": client_error}
            cases.append(case)
            # One line per case, so boto's side starts while botocore's continues.
            sys.stdout.write(json.dumps({"case": case}) + "\n")
            sys.stdout.flush()
    sys.stdout.write(json.dumps({"done": True, "botocore_version": botocore.__version__}) + "\n")
    sys.stdout.flush()

    boto = json.loads(sys.stdin.readline())
    decoded = {}
    for case in cases:
        b = boto.get(case["name"])
        c = case["botocore"]
        if not b or "error" in c:
            continue
        boto_body = base64.b64decode(b.get("body_base64") or "")
        ct = header(b.get("headers"), "content-type") or header(c["headers"], "content-type")
        decoded[case["name"]] = decode(boto_body, ct)
    sys.stdout.write(json.dumps(decoded) + "\n")
    sys.stdout.flush()


def capture(client, op_name, params):
    captured = {}

    def before_send(request, **kwargs):
        captured["req"] = request
        raise Captured()

    handler_id = client.meta.events.register("before-send", before_send)
    try:
        getattr(client, xform_name(op_name))(**to_param(params))
        return {"error": "the call returned without sending"}
    except Captured:
        pass
    except Exception as e:
        return {"error": f"{type(e).__name__}: {e}"}
    finally:
        client.meta.events.unregister("before-send", before_send)
    req = captured["req"]
    body = body_bytes(req.body)
    headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in req.headers.items()}
    return {
        "method": req.method,
        "url": req.url,
        "headers": headers,
        "body_base64": base64.b64encode(body).decode(),
        "decoded": decode(body, header(headers, "content-type")),
    }


if __name__ == "__main__":
    main()
