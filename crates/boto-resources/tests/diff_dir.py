"""boto3's dir() of every resource class of the nine services (no calls made).

Usage: python diff_dir.py
Prints {"<service>": {"<Class>": ["name", ...]}} with the public names
(no leading underscore) of an instance of each class, "ServiceResource"
being the service resource itself. tests/diff_dir.rs compares boto-rs's
introspection with it.
"""

import json

import boto3

SERVICES = ["s3", "ec2", "dynamodb", "iam", "sqs", "sns", "cloudformation", "cloudwatch", "glacier"]

session = boto3.session.Session(
    aws_access_key_id="testing", aws_secret_access_key="testing", region_name="us-east-1"
)
from boto3.resources.factory import ResourceFactory  # noqa: E402
from boto3.utils import ServiceContext  # noqa: E402

out = {}
for svc in SERVICES:
    service = session.resource(svc)
    model = session._loader.load_service_model(svc, "resources-1", None)
    ctx = ServiceContext(
        service_name=svc,
        resource_json_definitions=model["resources"],
        service_model=service.meta.client.meta.service_model,
        service_waiter_model=None,
    )
    factory = ResourceFactory(session.events)
    classes = {"ServiceResource": sorted(n for n in dir(service) if not n.startswith("_"))}
    for name, definition in model["resources"].items():
        ids = ["x"] * len(definition.get("identifiers", []))
        cls = factory.load_from_definition(name, definition, ctx)
        instance = cls(*ids, client=service.meta.client)
        classes[name] = sorted(n for n in dir(instance) if not n.startswith("_"))
    out[svc] = classes
print(json.dumps(out))
