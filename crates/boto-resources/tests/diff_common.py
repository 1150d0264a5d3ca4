"""Shared by the differential scenarios (diff_<service>.py): a boto3 session
on the moto endpoint, a recorder of `(operation, params)` on
`provide-client-params` (registered first, so the parameters are those the
resource layer produced, before botocore's own handlers), and step
bookkeeping. A scenario calls `step(name, fn)` for each step and `finish()`;
the Rust side (tests/support/diff.rs) runs the same steps and compares.
"""

import base64
import copy
import datetime
import decimal
import json
import sys

import boto3

ENDPOINT = sys.argv[1] if len(sys.argv) > 1 else None
ARGS = sys.argv[2:]
CALLS = []
STEPS = []


def plain(v):
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode()
    if isinstance(v, decimal.Decimal):
        # boto-rs's plain form of a DynamoDB number: an integer when it is
        # one, else its exact text (tests/dynamodb_types.rs checks numbers).
        return int(v) if v == v.to_integral_value() else str(v)
    if isinstance(v, set):
        return sorted(plain(x) for x in v)
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


def _record(params, model, **kwargs):
    CALLS.append([model.name, plain(copy.deepcopy(params))])


def resource(service, after_transform=False, max_attempts=None):
    """The service resource on moto, recording its calls. With
    `after_transform` the parameters are recorded after boto3's DynamoDB
    transformation (last on `before-parameter-build`), where boto-rs's
    recorder sits, below its DynamoDB hook."""
    session = boto3.session.Session(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    config = None
    if max_attempts:
        from botocore.config import Config

        config = Config(retries={"max_attempts": max_attempts, "mode": "standard"})
    r = session.resource(service, endpoint_url=ENDPOINT, config=config)
    events = r.meta.client.meta.events
    if after_transform:
        events.register_last("before-parameter-build.%s" % service, _record)
    else:
        events.register_first("provide-client-params.%s.*" % service, _record)
    return r


def out(v):
    """An action's or reference's result as compared: a resource as its
    repr, a list of resources as reprs, data without ResponseMetadata
    (tests/support/diff.rs `out` is the Rust twin)."""
    from boto3.resources.base import ServiceResource

    if isinstance(v, ServiceResource):
        return repr(v)
    if isinstance(v, list) and any(isinstance(x, ServiceResource) for x in v):
        return [repr(x) for x in v]
    if isinstance(v, dict):
        return plain({k: x for k, x in v.items() if k != "ResponseMetadata"})
    return plain(v)


def reprs(items):
    """Reprs of a collection's (or list's) items."""
    return [repr(x) for x in items]


def attrs(r, *names):
    """The named attributes of a resource (loading it if needed)."""
    return [plain(getattr(r, n)) for n in names]


def step(name, fn):
    """Runs one step; errors become {"error": <service error code or "error">}."""
    CALLS.clear()
    try:
        result = plain(fn())
    except Exception as e:
        code = getattr(e, "response", {}).get("Error", {}).get("Code") if hasattr(e, "response") else None
        if type(e).__name__ == "ResponseParserError" or (code or "").isdigit() and code.startswith("5"):
            # A 5xx page without a service error (an operation moto does not
            # implement): botocore raises ResponseParserError or uses the
            # status as the code, depending on the protocol; boto-rs uses the
            # status. tests/support/diff.rs maps its side alike.
            code = "5xx-without-code"
        result = {"error": code or "error"}
    STEPS.append({"name": name, "calls": list(CALLS), "result": result})


def finish():
    json.dump({"steps": STEPS}, sys.stdout)
