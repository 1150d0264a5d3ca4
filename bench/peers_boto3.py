"""boto3's column of bench/peers.sh: the same three calls against the same canned
server, client CPU per call (time.process_time) after a warm-up.

    python bench/peers_boto3.py URL OP CALLS      # OP: getitem | headobject | list
prints `cpu_us_per_call=N calls_per_s=N` like `peers client`.
"""
import sys
import time

import boto3
from botocore.config import Config


def main():
    url, op, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])
    session = boto3.Session(aws_access_key_id="AKIDBENCH", aws_secret_access_key="benchsecret",
                            region_name="us-east-1")
    ddb = session.client("dynamodb", endpoint_url=url)
    s3 = session.client("s3", endpoint_url=url, config=Config(s3={"addressing_style": "path"}))

    def getitem():
        out = ddb.get_item(TableName="users", Key={"pk": {"S": "user#12345"}, "sk": {"S": "profile"}})
        assert out["Item"]["name"]["S"] == "Ada Lovelace"

    def headobject():
        assert s3.head_object(Bucket="bench", Key="photos/a.jpg")["ContentLength"] == 123456

    def listing():
        assert len(s3.list_objects_v2(Bucket="bench")["Contents"]) == 1000

    fn = {"getitem": getitem, "headobject": headobject, "list": listing}[op]
    for _ in range(max(10, calls // 10)):
        fn()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(calls):
        fn()
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print("cpu_us_per_call=%.2f calls_per_s=%.0f" % (cpu * 1e6 / calls, calls / wall))


if __name__ == "__main__":
    main()
