"""boto3's side of bench/resources.sh: iterate a large S3 listing through a
resource collection, reading each object's key and size.

    python resources_boto3.py ENDPOINT BUCKET PREFIX

Prints one JSON line {"count", "bytes", "user", "sys", "wall"}: user/sys are
this process's CPU seconds (resource.getrusage) for the iteration alone,
after boto3 is imported and the resource exists; bytes is the sum of sizes.
"""
import json
import resource
import sys
import time

import boto3
from botocore.config import Config


def main():
    endpoint, bucket, prefix = sys.argv[1:4]
    s3 = boto3.resource(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}),
    )
    b = s3.Bucket(bucket)
    before, t = resource.getrusage(resource.RUSAGE_SELF), time.monotonic()
    count = total = 0
    for obj in b.objects.filter(Prefix=prefix):
        key, size = obj.key, obj.size
        count += key.startswith(prefix)
        total += size
    after = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "count": count,
        "bytes": total,
        "user": round(after.ru_utime - before.ru_utime, 4),
        "sys": round(after.ru_stime - before.ru_stime, 4),
        "wall": round(time.monotonic() - t, 4),
    }))


if __name__ == "__main__":
    main()
