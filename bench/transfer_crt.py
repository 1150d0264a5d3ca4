"""boto3-with-CRT's side of bench/transfer.sh: s3transfer's CRTTransferManager
(what boto3 uses when `preferred_transfer_client="crt"`), built by hand
because boto3's own CRT switch drops `endpoint_url` (its request serializer
is created without it, so requests would go to AWS). Same construction as
boto3.crt.create_crt_transfer_manager otherwise: one awscrt S3Client
(default threads and throughput target, 8 MiB parts) signing with the
credentials of the environment, and a BotocoreCRTRequestSerializer that now
carries the endpoint and path-style addressing.

    python transfer_crt.py upload|download|upload-dir|download-dir ENDPOINT BUCKET FROM TO
"""
import os
import sys
import time
from urllib.parse import urlsplit

import botocore.session
from awscrt.auth import AwsCredentialsProvider
from botocore.config import Config
from s3transfer.crt import (
    BotocoreCRTRequestSerializer,
    CRTTransferManager,
    create_s3_crt_client,
)


def manager(endpoint):
    session = botocore.session.Session()
    creds = session.get_credentials().get_frozen_credentials()
    crt_client = create_s3_crt_client(
        region="us-east-1",
        crt_credentials_provider=AwsCredentialsProvider.new_static(
            creds.access_key, creds.secret_key, creds.token
        ),
        use_ssl=urlsplit(endpoint).scheme == "https",
    )
    serializer = BotocoreCRTRequestSerializer(
        session,
        client_kwargs={
            "region_name": "us-east-1",
            "endpoint_url": endpoint,
            "config": Config(s3={"addressing_style": "path"}),
        },
    )
    return session, CRTTransferManager(crt_client, serializer)


def main():
    mode, endpoint, bucket, src, dst = sys.argv[1:6]
    session, tm = manager(endpoint)
    t = time.time()
    n = 0
    with tm:
        futures = []
        if mode == "upload":
            futures.append(tm.upload(src, bucket, dst))
            n = os.path.getsize(src)
        elif mode == "download":
            futures.append(tm.download(bucket, src, dst))
        elif mode == "upload-dir":
            for name in os.listdir(src):
                path = os.path.join(src, name)
                n += os.path.getsize(path)
                futures.append(tm.upload(path, bucket, f"{dst}/{name}"))
        elif mode == "download-dir":
            os.makedirs(dst, exist_ok=True)
            s3 = session.create_client(
                "s3",
                endpoint_url=endpoint,
                region_name="us-east-1",
                config=Config(s3={"addressing_style": "path"}),
            )
            paginator = s3.get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=bucket, Prefix=src + "/"):
                for o in page.get("Contents", []):
                    n += o["Size"]
                    name = o["Key"].rsplit("/", 1)[-1]
                    futures.append(tm.download(bucket, o["Key"], os.path.join(dst, name)))
        else:
            sys.exit(f"unknown mode {mode}")
        for f in futures:
            f.result()
    if mode == "download":
        n = os.path.getsize(dst)
    print(f"bytes={n} seconds={time.time() - t:.3f}")


if __name__ == "__main__":
    main()
