"""More S3 resource classes for tests/diff_s3_ec2_more.rs, written with boto3 resources.

Usage: python diff_s3_more.py ENDPOINT BUCKET

The classes diff_s3.py does not reach: BucketVersioning, ObjectVersion
(collection over several pages, load-less attributes, head/get/delete, the
batch delete), BucketPolicy, BucketCors, BucketTagging, BucketWebsite,
BucketLifecycle, BucketLifecycleConfiguration, BucketAcl, BucketLogging,
BucketNotification, BucketRequestPayment, MultipartUpload and
MultipartUploadPart (upload, parts collection, complete), plus
Object.copy_from/get/restore_object and the bucket waiters. Version and
upload ids are random: results show whether they are set, calls mask them.
Output as diff_common.py describes.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_common import ARGS, attrs, finish, out, reprs, resource, step  # noqa: E402

B = ARGS[0]
s3 = resource("s3", max_attempts=1)
bucket = s3.Bucket(B)
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::%s/*" % B}],
    }
)
s = {}


def ids(r):
    return [r.bucket_name, r.object_key, len(r.id) > 0]


def put_versions():
    return [out(bucket.put_object(Key="v/k%d" % (i % 2), Body=b"v" * (i + 1))) for i in range(5)]


step("create_bucket", lambda: out(bucket.create()))
step("wait_until_exists", lambda: bucket.wait_until_exists())
step("versioning_enable", lambda: [repr(bucket.Versioning()), out(bucket.Versioning().enable())])
step("versioning_load", lambda: [attrs(bucket.Versioning(), "status", "mfa_delete"), repr(bucket.Versioning().Bucket())])
step("put_versions", put_versions)
step(
    "object_versions_pages",
    lambda: [ids(v) + [v.size, v.is_latest] for v in bucket.object_versions.filter(Prefix="v/").page_size(2)],
)
step("object_versions_limit", lambda: len(list(bucket.object_versions.filter(Prefix="v/").page_size(2).limit(3))))
step(
    "object_version_head",
    lambda: [v.head()["ContentLength"] for v in list(bucket.object_versions.filter(Prefix="v/k1"))[:1]],
)
step("object_version_get", lambda: [v.get()["ContentLength"] for v in list(bucket.object_versions.filter(Prefix="v/k1"))[:1]])
step("object_version_object", lambda: [repr(v.Object()) for v in list(bucket.object_versions.filter(Prefix="v/k1"))[:1]])
step("object_version_delete", lambda: [sorted(out(v.delete())) for v in list(bucket.object_versions.filter(Prefix="v/k1"))[:1]])
step("object_versions_batch_delete", lambda: len(bucket.object_versions.filter(Prefix="v/").delete()))
step("versioning_suspend", lambda: [out(bucket.Versioning().suspend()), bucket.Versioning().status])
step("policy_put", lambda: out(bucket.Policy().put(Policy=POLICY)))
step("policy_load", lambda: [json.loads(bucket.Policy().policy), repr(bucket.Policy().Bucket())])
step("policy_delete", lambda: out(bucket.Policy().delete()))
step(
    "cors",
    lambda: [
        out(bucket.Cors().put(CORSConfiguration={"CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["*"]}]})),
        bucket.Cors().cors_rules,
        out(bucket.Cors().delete()),
    ],
)
step(
    "tagging",
    lambda: [out(bucket.Tagging().put(Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})), bucket.Tagging().tag_set, out(bucket.Tagging().delete())],
)
step(
    "website",
    lambda: [
        out(bucket.Website().put(WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}})),
        bucket.Website().index_document,
        out(bucket.Website().delete()),
    ],
)
RULES = [{"ID": "r", "Status": "Enabled", "Filter": {"Prefix": "x/"}, "Expiration": {"Days": 3}}]
step(
    "lifecycle_configuration",
    lambda: [
        out(bucket.LifecycleConfiguration().put(LifecycleConfiguration={"Rules": RULES})),
        bucket.LifecycleConfiguration().rules,
        repr(bucket.LifecycleConfiguration().Bucket()),
    ],
)
step("lifecycle_legacy", lambda: [repr(bucket.Lifecycle()), bucket.Lifecycle().rules, out(bucket.Lifecycle().delete())])
step("lifecycle_configuration_delete", lambda: out(bucket.LifecycleConfiguration().delete()))
step("acl", lambda: [bucket.Acl().owner is not None, len(bucket.Acl().grants), out(bucket.Acl().put(ACL="private"))])
step("logging", lambda: [bucket.Logging().logging_enabled, out(bucket.Logging().put(BucketLoggingStatus={}))])
step(
    "notification",
    lambda: [bucket.Notification().topic_configurations, out(bucket.Notification().put(NotificationConfiguration={}))],
)
step(
    "request_payment",
    lambda: [bucket.RequestPayment().payer, out(bucket.RequestPayment().put(RequestPaymentConfiguration={"Payer": "BucketOwner"}))],
)
step("multipart_initiate", lambda: ids(s.setdefault("mpu", bucket.Object("mp/big").initiate_multipart_upload())))
step("multipart_part", lambda: [repr(s["mpu"].Part(1).MultipartUpload()) == repr(s["mpu"]), s["mpu"].Part(1).part_number])
step("part_upload", lambda: s["mpu"].Part(1).upload(Body=b"p" * 1024)["ETag"])
step("parts_collection", lambda: [[p.part_number, p.size, p.e_tag] for p in s["mpu"].parts.all()])
step("multipart_uploads_collection", lambda: [ids(u) for u in bucket.multipart_uploads.all()])
step(
    "multipart_complete",
    lambda: out(s["mpu"].complete(MultipartUpload={"Parts": [{"ETag": s["mpu"].Part(1).upload(Body=b"q" * 10)["ETag"], "PartNumber": 1}]})),
)
step("object_copy_from", lambda: out(bucket.Object("mp/copy").copy_from(CopySource={"Bucket": B, "Key": "mp/big"}))["CopyObjectResult"]["ETag"])
step("object_get", lambda: [bucket.Object("mp/copy").get()["ContentLength"], bucket.Object("mp/copy").content_length])
step("object_restore", lambda: out(bucket.Object("mp/copy").restore_object(RestoreRequest={"Days": 1})))
step("object_version_subresource", lambda: repr(bucket.Object("mp/copy").Version("null")))
step("cleanup", lambda: len(bucket.object_versions.delete()))
step("bucket_delete", lambda: out(bucket.delete()))
step("wait_until_not_exists", lambda: bucket.wait_until_not_exists())

finish()
