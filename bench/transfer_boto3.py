"""boto3's side of bench/transfer.sh: upload_file / download_file for one file,
and s3transfer's TransferManager (what boto3 and aws-cli use underneath,
default 10 concurrent requests) for a directory of files.

    python transfer_boto3.py upload|download|upload-dir|download-dir ENDPOINT BUCKET FROM TO
"""
import os
import sys
import time

import boto3
from botocore.config import Config
from s3transfer.manager import TransferManager


def main():
    mode, endpoint, bucket, src, dst = sys.argv[1:6]
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}),
    )
    t = time.time()
    n = 0
    if mode == "upload":
        s3.upload_file(src, bucket, dst)
        n = os.path.getsize(src)
    elif mode == "download":
        s3.download_file(bucket, src, dst)
        n = os.path.getsize(dst)
    elif mode == "upload-dir":
        with TransferManager(s3) as tm:
            futures = []
            for name in os.listdir(src):
                path = os.path.join(src, name)
                n += os.path.getsize(path)
                futures.append(tm.upload(path, bucket, f"{dst}/{name}"))
            for f in futures:
                f.result()
    elif mode == "download-dir":
        os.makedirs(dst, exist_ok=True)
        keys = []
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=src + "/"):
            keys += [(o["Key"], o["Size"]) for o in page.get("Contents", [])]
        with TransferManager(s3) as tm:
            futures = []
            for key, size in keys:
                n += size
                futures.append(tm.download(bucket, key, os.path.join(dst, key.rsplit("/", 1)[-1])))
            for f in futures:
                f.result()
    else:
        sys.exit(f"unknown mode {mode}")
    print(f"bytes={n} seconds={time.time() - t:.3f}")


if __name__ == "__main__":
    main()
