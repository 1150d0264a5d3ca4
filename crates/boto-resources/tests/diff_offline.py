"""boto3's requests for every action, waiter and collection of every resource
class of the nine services, with no server: a `before-call` handler answers
every call with an empty 200 response, and `provide-client-params` records
the parameters the resource layer produced.

Usage: python diff_offline.py
Identifiers are "v0", "v1", ...; every resource's data is set to {} before
each element (so `data` sources read None and no load is made); waiters run
with MaxAttempts=1; sub-resources get "s0", "s1", ... for their inputs.
Prints {"<service>": {"<Class>": {"<kind>:<name>": [calls] or repr}}}.
tests/diff_offline.rs does the same with boto-rs and a recording fake.
"""

import copy
import json
import os
import sys

import boto3
from botocore.awsrequest import AWSResponse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_common import plain  # noqa: E402

SERVICES = ["s3", "ec2", "dynamodb", "iam", "sqs", "sns", "cloudformation", "cloudwatch", "glacier"]
CALLS = []


def record(params, model, **kwargs):
    CALLS.append([model.name, plain(copy.deepcopy(params))])


def answer(**kwargs):
    return AWSResponse("http://stub", 200, {}, None), {}


from boto3.resources.factory import ResourceFactory  # noqa: E402
from boto3.utils import ServiceContext  # noqa: E402

session = boto3.session.Session(
    aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
)
out = {}
for svc in SERVICES:
    service = session.resource(svc)
    client = service.meta.client
    client.meta.events.register_first("provide-client-params.%s.*" % svc, record)
    client.meta.events.register("before-call.%s.*" % svc, answer)
    model = session._loader.load_service_model(svc, "resources-1", None)
    ctx = ServiceContext(
        service_name=svc,
        resource_json_definitions=model["resources"],
        service_model=client.meta.service_model,
        service_waiter_model=None,
    )
    factory = ResourceFactory(session.events)
    classes = {}
    targets = [("ServiceResource", service)]
    for name, definition in model["resources"].items():
        ids = ["v%d" % i for i in range(len(definition.get("identifiers", [])))]
        cls = factory.load_from_definition(name, definition, ctx)
        targets.append((name, cls(*ids, client=client)))
    for name, instance in targets:
        rm = instance.meta.resource_model
        entries = {}

        def run(key, fn):
            instance.meta.data = {}
            CALLS.clear()
            try:
                fn()
            except Exception:
                pass
            entries[key] = list(CALLS)

        for action in rm.actions:
            run("action:" + action.name, lambda a=action: getattr(instance, a.name)())
        for waiter in rm.waiters:
            run(
                "waiter:" + waiter.name,
                lambda w=waiter: getattr(instance, w.name)(WaiterConfig={"Delay": 0, "MaxAttempts": 1}),
            )
        for coll in rm.collections:
            run("collection:" + coll.name, lambda c=coll: list(getattr(instance, c.name).all()))
        for sub in rm.subresources:
            inputs = [i for i in sub.resource.identifiers if i.source == "input"]
            args = ["s%d" % i for i in range(len(inputs))]
            entries["subresource:" + sub.name] = repr(getattr(instance, sub.name)(*args))
        classes[name] = entries
    out[svc] = classes
print(json.dumps(out))
