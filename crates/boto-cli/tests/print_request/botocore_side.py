import base64, datetime, io, json, re, sys, urllib.parse
import xml.etree.ElementTree as ET
import botocore, botocore.auth, botocore.session
from botocore.parsers import BaseCBORParser


class Captured(Exception):
    pass


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
    for k, v in headers.items():
        if k.lower() == name:
            return v
    return None


def pinned_clock(boto_body):
    # A URL presigned inside boto's body (EC2 PresignedUrl, RDS PreSignedUrl):
    # botocore signs at the same second, so its URL must equal boto's.
    m = re.search(rb"X-Amz-Date(?:=|%3D)([0-9]{8}T[0-9]{6}Z)", boto_body)
    if not m:
        return None
    return datetime.datetime.strptime(m.group(1).decode(), "%Y%m%dT%H%M%SZ")


spec = json.load(sys.stdin)
real_clock = botocore.auth.get_current_datetime
session = botocore.session.get_session()
out = {"botocore_version": botocore.__version__, "cases": {}}
for case in spec["cases"]:
    captured = {}

    def before_send(request, **kwargs):
        captured["req"] = request
        raise Captured()

    pinned = pinned_clock(base64.b64decode(case.get("boto_body_base64") or ""))
    botocore.auth.get_current_datetime = (lambda *a, **k: pinned) if pinned else real_clock
    try:
        client = session.create_client(
            case["service"], region_name=spec["region"],
            aws_access_key_id="testing", aws_secret_access_key="testing",
            aws_account_id=case.get("account_id"),
            endpoint_url=case.get("endpoint_url"))
        client.meta.events.register("before-send", before_send)
        getattr(client, case["method"])(**to_param(case["params"]))
        out["cases"][case["name"]] = {"error": "the call returned without sending"}
        continue
    except Captured:
        pass
    except Exception as e:
        out["cases"][case["name"]] = {"error": f"{type(e).__name__}: {e}"}
        continue
    req = captured["req"]
    body = body_bytes(req.body)
    headers = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in req.headers.items()}
    boto_body = base64.b64decode(case.get("boto_body_base64") or "")
    boto_ct = header(case.get("boto_headers") or {}, "content-type")
    sigv2_ok = None
    if b"SignatureVersion=2" in body:
        # botocore signs SigV2 with the time of day; check boto's own
        # signature with botocore's SigV2Auth instead of comparing values.
        from botocore.auth import SigV2Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        params = dict(urllib.parse.parse_qsl(boto_body.decode(), keep_blank_values=True))
        given = params.pop("Signature", None)
        signer = SigV2Auth(Credentials("testing", "testing"))
        _, expected = signer.calc_signature(AWSRequest(method="POST", url=case["boto_url"]), params)
        sigv2_ok = given == expected
    out["cases"][case["name"]] = {
        "sigv2_signature_valid": sigv2_ok,
        "method": req.method,
        "url": req.url,
        "headers": headers,
        "body_base64": base64.b64encode(body).decode(),
        "decoded": decode(body, header(headers, "content-type")),
        "boto_decoded": decode(boto_body, boto_ct or header(headers, "content-type")),
    }
json.dump(out, sys.stdout)
