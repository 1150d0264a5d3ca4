"""The S3 resource scenario of tests/diff_s3.rs, written with boto3 resources.

Usage: python diff_s3.py ENDPOINT BUCKET

Runs the scenario against ENDPOINT (moto server) and prints one JSON document:
{"steps": [{"name": ..., "calls": [[operation, params], ...], "result": ...}]}.
Calls are recorded on `provide-client-params` (registered first, so they are
the parameters the resource layer produced, before botocore's handlers), one
list per step. tests/diff_s3.rs runs the same steps with boto-rs and compares.
"""

import base64
import copy
import datetime
import json
import sys

import boto3

ENDPOINT, BUCKET = sys.argv[1], sys.argv[2]
CALLS = []


def plain(v):
    if isinstance(v, (bytes, bytearray)):
        return base64.b64encode(bytes(v)).decode()
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


def record(params, model, **kwargs):
    CALLS.append([model.name, plain(copy.deepcopy(params))])


session = boto3.session.Session(
    aws_access_key_id="testing",
    aws_secret_access_key="testing",
    region_name="us-east-1",
)
s3 = session.resource("s3", endpoint_url=ENDPOINT)
s3.meta.client.meta.events.register_first("provide-client-params.s3.*", record)

steps = []


def step(name, fn):
    CALLS.clear()
    try:
        result = plain(fn())
    except Exception as e:  # the Rust side reports errors the same way
        result = {"error": type(e).__name__}
    steps.append({"name": name, "calls": list(CALLS), "result": result})


bucket = s3.Bucket(BUCKET)
obj = bucket.Object("data/03")


def put_objects():
    out = []
    for i in range(12):
        out.append(repr(bucket.put_object(Key="data/%02d" % i, Body=b"x" * i)))
    out.append(repr(bucket.put_object(Key="other/z", Body=b"z")))
    return out


def multipart():
    mpu = obj.initiate_multipart_upload()
    ident = [repr(mpu.Object()), mpu.object_key]
    mpu.abort()
    return ident


step("create_bucket", lambda: repr(s3.create_bucket(Bucket=BUCKET)))
step("put_objects", put_objects)
step("wait_until_exists", lambda: obj.wait_until_exists())
step("attribute_loads", lambda: [obj.content_length, obj.content_type])
step("reload", lambda: (obj.reload(), obj.content_length)[1])
step("subresource_acl", lambda: [repr(obj.Acl()), obj.Acl().owner is not None])
step(
    "collection_filter_page_size",
    lambda: [repr(o) for o in bucket.objects.filter(Prefix="data/").page_size(5)],
)
step(
    "collection_limit",
    lambda: [o.key for o in bucket.objects.filter(Prefix="data/").page_size(3).limit(7)],
)
step("collection_pages", lambda: [len(p) for p in bucket.objects.page_size(4).pages()])
step(
    "summary_attributes",
    lambda: [[o.key, o.size] for o in bucket.objects.filter(Prefix="data/1")],
)
step("summary_to_object", lambda: [repr(o.Object()) for o in bucket.objects.filter(Prefix="other/")])
step("multipart_resource", multipart)
step("buckets_collection", lambda: BUCKET in [b.name for b in s3.buckets.all()])
step("bucket_load", lambda: bucket.creation_date is not None)
step(
    "batch_delete_prefix",
    lambda: len(bucket.objects.filter(Prefix="data/0").delete()),
)
step("batch_delete_pages", lambda: len(bucket.objects.page_size(2).delete()))
step("batch_delete_empty", lambda: bucket.objects.all().delete())
step("wait_until_not_exists", lambda: obj.wait_until_not_exists())
step("meta_client", lambda: BUCKET in [b["Name"] for b in s3.meta.client.list_buckets()["Buckets"]])
step("bucket_delete", lambda: bucket.delete() is not None)

json.dump({"steps": steps}, sys.stdout)
