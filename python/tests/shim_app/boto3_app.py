"""A plain boto3 program (no boto_rs in sight), run by test_shim.py with boto3 and with boto_rs
through the drop-in shim. Prints a JSON summary of what it did.

usage: boto3_app.py PREFIX   (endpoint from BOTO_TEST_ENDPOINT)
"""
import datetime
import decimal
import json
import os
import sys
import tempfile

import boto3
import boto3.session
import botocore
import botocore.exceptions
from boto3.dynamodb.conditions import Attr, Key
from boto3.dynamodb.types import TypeSerializer
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError

prefix = sys.argv[1]
endpoint = os.environ['BOTO_TEST_ENDPOINT']
out = {}

session = boto3.session.Session(region_name='us-east-1')
s3 = session.client('s3', endpoint_url=endpoint,
                    config=Config(retries={'max_attempts': 2, 'mode': 'standard'},
                                  s3={'addressing_style': 'path'}))
bucket = f'{prefix}-app'
s3.create_bucket(Bucket=bucket)
for i in range(5):
    s3.put_object(Bucket=bucket, Key=f'k{i}', Body=f'body {i}'.encode())
pages = s3.get_paginator('list_objects_v2').paginate(Bucket=bucket, PaginationConfig={'PageSize': 2})
out['keys'] = [o['Key'] for page in pages for o in page.get('Contents', [])]
out['body'] = s3.get_object(Bucket=bucket, Key='k3')['Body'].read().decode()
try:
    s3.get_object(Bucket=bucket, Key='missing')
except s3.exceptions.NoSuchKey as e:
    out['no_such_key'] = [e.response['Error']['Code'], isinstance(e, ClientError)]
try:
    s3.head_object(Bucket=bucket, Key='missing')
except botocore.exceptions.ClientError as e:
    out['head'] = e.response['ResponseMetadata']['HTTPStatusCode']
try:
    s3.put_object(Bucket=bucket)
except ParamValidationError as e:
    out['param'] = str(e).splitlines()[1]

with tempfile.TemporaryDirectory() as tmp:
    src = os.path.join(tmp, 'src.bin')
    with open(src, 'wb') as f:
        f.write(os.urandom(3 * 1024 * 1024))
    cfg = TransferConfig(multipart_threshold=1024 * 1024, multipart_chunksize=1024 * 1024)
    s3.upload_file(src, bucket, 'big.bin', Config=cfg)
    dst = os.path.join(tmp, 'dst.bin')
    s3.download_file(bucket, 'big.bin', dst, Config=cfg)
    with open(src, 'rb') as a, open(dst, 'rb') as b:
        out['transfer_equal'] = a.read() == b.read()

ddb = boto3.resource('dynamodb', region_name='us-east-1', endpoint_url=endpoint)
table = ddb.create_table(
    TableName=f'{prefix}-app', BillingMode='PAY_PER_REQUEST',
    KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'},
               {'AttributeName': 'sk', 'KeyType': 'RANGE'}],
    AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'},
                          {'AttributeName': 'sk', 'AttributeType': 'N'}])
table.wait_until_exists()
with table.batch_writer() as batch:
    for i in range(6):
        batch.put_item(Item={'pk': 'a', 'sk': i, 'price': decimal.Decimal(f'{i}.5'),
                             'tag': 'even' if i % 2 == 0 else 'odd'})
got = table.query(KeyConditionExpression=Key('pk').eq('a') & Key('sk').gte(2),
                  FilterExpression=Attr('tag').eq('even'))
out['query'] = [[int(item['sk']), str(item['price'])] for item in got['Items']]
out['serialized'] = TypeSerializer().serialize({'n': decimal.Decimal('1.5'), 's': {'x'}})
table.delete()

sqs = boto3.client('sqs', region_name='us-east-1', endpoint_url=endpoint)
url = sqs.create_queue(QueueName=f'{prefix}-app')['QueueUrl']
sqs.send_message(QueueUrl=url, MessageBody='hello')
out['message'] = sqs.receive_message(QueueUrl=url)['Messages'][0]['Body']
sqs.delete_queue(QueueUrl=url)

for key in out['keys'] + ['big.bin']:
    s3.delete_object(Bucket=bucket, Key=key)
s3.delete_bucket(Bucket=bucket)
out['unsigned'] = botocore.UNSIGNED is not None
out['when'] = isinstance(datetime.datetime.now(datetime.timezone.utc), datetime.datetime)
print(json.dumps(out, sort_keys=True))
