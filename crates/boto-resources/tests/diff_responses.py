"""boto3's response handling over the whole models, with no server.

Usage: python diff_responses.py

Every call is answered (by a `before-call` stub) with a synthetic response
built from the operation's output shape: structures with every member
(depth-limited), lists of two, maps of one, strings numbered in order,
integers 1, booleans true; pagination tokens and `IsTruncated` are left
out so listings are one page; DynamoDB AttributeValues are `{"S": ...}`.
For every class of the nine services (identifiers "v0", "v1", ...):

* load: the data the load stores;
* each action, given synthetic values for the required input members the
  model does not fill (`kwargs`): the calls and the result (resource reprs; raw data is
  reported as "data");
* each reference, with the resource's data a synthetic instance of its shape;
* each collection: the items' reprs, then each batch action of its items.

Prints {"<service>": {"<Class>": {"<kind>:<name>": {"calls", "responses",
"result"}}}}; tests/diff_responses.rs feeds the same responses to boto-rs.
"""

import copy
import json
import os
import sys

import boto3
from botocore.awsrequest import AWSResponse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_common import plain  # noqa: E402
from boto3.resources.base import ServiceResource  # noqa: E402
from boto3.resources.factory import ResourceFactory  # noqa: E402
from boto3.utils import ServiceContext  # noqa: E402

SERVICES = ["s3", "ec2", "dynamodb", "iam", "sqs", "sns", "cloudformation", "cloudwatch", "glacier"]
SKIP = ("Token", "Marker", "IsTruncated")
CALLS = []
RESPONSES = []
COUNTER = [0]


def synth(shape, depth=0):
    t = shape.type_name
    if t == "structure":
        if shape.name == "AttributeValue":
            COUNTER[0] += 1
            return {"S": "s%d" % COUNTER[0]}
        if depth > 4:
            return {}
        return {
            m: synth(s, depth + 1)
            for m, s in shape.members.items()
            if not any(x in m for x in SKIP) and not s.serialization.get("eventstream")
        }
    if t == "list":
        return [] if depth > 4 else [synth(shape.member, depth + 1) for _ in range(2)]
    if t == "map":
        return {} if depth > 4 else {"k%d" % depth: synth(shape.value, depth + 1)}
    if t in ("integer", "long"):
        return 1
    if t in ("float", "double"):
        return 1.5
    if t == "boolean":
        return True
    if t == "timestamp":
        return "2020-01-02T03:04:05Z"
    if t == "blob":
        return "YmxvYg=="
    COUNTER[0] += 1
    return "s%d" % COUNTER[0]


def required_input(sm, action):
    """Synthetic values for the required input members the model does not fill."""
    op = sm.operation_model(action.request.operation)
    if op.input_shape is None:
        return {}
    filled = {p.target.split(".")[0].split("[")[0] for p in action.request.params}
    return {
        m: synth(op.input_shape.members[m], 1)
        for m in op.input_shape.required_members
        if m not in filled
    }


def record(params, model, **kwargs):
    CALLS.append([model.name, plain(copy.deepcopy(params))])


def answer(model, **kwargs):
    body = synth(model.output_shape) if model.output_shape is not None else {}
    RESPONSES.append([model.name, body])
    return AWSResponse("http://stub", 200, {}, None), copy.deepcopy(body)


def result(v):
    if isinstance(v, ServiceResource):
        return repr(v)
    if isinstance(v, list) and all(isinstance(x, ServiceResource) for x in v):
        return [repr(x) for x in v]
    if v is None:
        return None
    return "data"


session = boto3.session.Session(
    aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
)
out = {}
for svc in SERVICES:
    service = session.resource(svc)
    client = service.meta.client
    if svc == "dynamodb":
        # boto3 transforms DynamoDB parameters on before-parameter-build;
        # boto-rs records after its transform too.
        client.meta.events.register_last("before-parameter-build.dynamodb", record)
    else:
        client.meta.events.register_first("provide-client-params.%s.*" % svc, record)
    client.meta.events.register("before-call.%s.*" % svc, answer)
    sm = client.meta.service_model
    model = session._loader.load_service_model(svc, "resources-1", None)
    ctx = ServiceContext(
        service_name=svc,
        resource_json_definitions=model["resources"],
        service_model=sm,
        service_waiter_model=None,
    )
    factory = ResourceFactory(session.events)
    targets = [("ServiceResource", service)]
    for name, definition in model["resources"].items():
        ids = ["v%d" % i for i in range(len(definition.get("identifiers", [])))]
        targets.append((name, factory.load_from_definition(name, definition, ctx)(*ids, client=client)))
    classes = {}
    for name, instance in targets:
        rm = instance.meta.resource_model
        shape = sm.shape_for(rm.shape) if rm.shape else None
        entries = {}

        def run(key, fn, data=None):
            instance.meta.data = data
            CALLS.clear()
            RESPONSES.clear()
            COUNTER[0] = 0
            try:
                res = result(fn())
            except Exception as e:
                res = {"error": type(e).__name__}
            entries[key] = {"calls": list(CALLS), "responses": list(RESPONSES), "result": res}

        if hasattr(instance, "load") and rm.load is not None:
            run("load", lambda: instance.load())
            entries["load"]["data"] = plain(instance.meta.data)
        for action in rm.actions:
            kwargs = required_input(sm, action)
            run("action:" + action.name, lambda a=action, k=kwargs: getattr(instance, a.name)(**k), data={})
            entries["action:" + action.name]["kwargs"] = kwargs
        for ref in rm.references:
            COUNTER[0] = 0
            data = synth(shape) if shape is not None else {}
            run("reference:" + ref.name, lambda r=ref: getattr(instance, r.name), data=data)
            entries["reference:" + ref.name]["data"] = data
        for coll in rm.collections:
            run("collection:" + coll.name, lambda c=coll: list(getattr(instance, c.name).all()), data={})
            for batch in coll.batch_actions:
                run(
                    "batch:%s.%s" % (coll.name, batch.name),
                    lambda c=coll, b=batch: getattr(getattr(instance, c.name).all(), b.name)(),
                    data={},
                )
        classes[name] = entries
    out[svc] = classes
print(json.dumps(out))
