"""boto_rs in the demo: boto3 code, one import line changed, on the boto-rs core.

Runs against the endpoint in BOTO_TEST_ENDPOINT (scripts/demo.sh starts moto),
in a venv where boto3 and botocore are not installed.
"""

import os
import threading

import boto_rs as boto3
from boto_rs.config import Config

endpoint = os.environ["BOTO_TEST_ENDPOINT"]
session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                        region_name="us-east-1")
s3 = session.client("s3", endpoint_url=endpoint, config=Config(retries={"max_attempts": 3}))
print("client:", s3.meta.region_name, s3.meta.endpoint_url)

s3.create_bucket(Bucket="demo-python")
for i in range(12):
    s3.put_object(Bucket="demo-python", Key=f"notes/{i:02}.txt", Body=f"note {i}\n".encode())

# A paginator with boto3's PaginationConfig and a JMESPath search.
pages = s3.get_paginator("list_objects_v2").paginate(
    Bucket="demo-python", Prefix="notes/", PaginationConfig={"PageSize": 5})
print("keys:", list(pages.search("Contents[].Key"))[:4], "...")

# A streaming body, a waiter, an error as botocore raises it.
s3.get_waiter("object_exists").wait(Bucket="demo-python", Key="notes/03.txt")
body = s3.get_object(Bucket="demo-python", Key="notes/03.txt")["Body"]
print("body:", body.read())
try:
    s3.get_object(Bucket="demo-python", Key="missing.txt")
except s3.exceptions.NoSuchKey as e:
    print("error:", e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])

# One client shared by threads.
counts = []
def worker(n):
    counts.append(s3.list_objects_v2(Bucket="demo-python", Prefix="notes/")["KeyCount"])
threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("8 threads saw", counts[0], "keys each:", all(c == 12 for c in counts))

url = s3.generate_presigned_url("get_object", Params={"Bucket": "demo-python", "Key": "notes/00.txt"},
                                ExpiresIn=300)
print("presigned:", url.split("?")[0])
