"""The S3 resource scenario of tests/diff_s3.rs, written with boto3 resources.

Usage: python diff_s3.py ENDPOINT BUCKET

Runs the scenario against ENDPOINT (moto server) and prints one JSON document:
{"steps": [{"name": ..., "calls": [[operation, params], ...], "result": ...}]}.
Calls are recorded as diff_common.py describes, one list per step;
tests/diff_s3.rs runs the same steps with boto-rs and compares.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_common import ARGS, ENDPOINT, finish, resource, step  # noqa: E402

BUCKET = ARGS[0]
s3 = resource("s3")

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

finish()
