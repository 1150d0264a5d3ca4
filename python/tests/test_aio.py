"""boto_rs.aio against boto3: the same work done with asyncio.gather on boto_rs's asyncio
client and sequentially with boto3 (which has no asyncio client) gives the same results."""

from __future__ import annotations

import asyncio

from conftest import ENDPOINT, client, run_both

N = 40


def _aio_client(service):
    import boto_rs.aio
    return boto_rs.aio.client(service, region_name='us-east-1', endpoint_url=ENDPOINT)


async def _s3_async(p):
    out = {}
    async with _aio_client('s3') as s3:
        await s3.create_bucket(Bucket=f'{p}-aio')
        puts = await asyncio.gather(*(s3.put_object(Bucket=f'{p}-aio', Key=f'k{i:03}',
                                                    Body=f'body {i}'.encode())
                                      for i in range(N)))
        out['etags'] = sorted(r['ETag'] for r in puts)
        gets = await asyncio.gather(*(s3.get_object(Bucket=f'{p}-aio', Key=f'k{i:03}')
                                      for i in range(N)))
        bodies = []
        for g in gets:
            async with g['Body'] as body:
                bodies.append(await body.read())
        out['bodies'] = bodies
        out['meta'] = {k: v for k, v in gets[0].items() if k != 'Body'}
        pages = s3.get_paginator('list_objects_v2').paginate(
            Bucket=f'{p}-aio', PaginationConfig={'PageSize': 7})
        out['pages'] = [[o['Key'] for o in page.get('Contents', [])] async for page in pages]
        full = await s3.get_paginator('list_objects_v2').paginate(
            Bucket=f'{p}-aio', PaginationConfig={'PageSize': 9, 'MaxItems': 20}
        ).build_full_result()
        out['full'] = full
        out['search'] = [k async for k in s3.get_paginator('list_objects_v2').paginate(
            Bucket=f'{p}-aio').search('Contents[].Size')]
        await s3.get_waiter('object_exists').wait(Bucket=f'{p}-aio', Key='k001')
        try:
            await s3.get_object(Bucket=f'{p}-aio', Key='missing')
        except s3.exceptions.NoSuchKey as e:
            out['error'] = [type(e).__name__, e.response]
        try:
            await s3.get_waiter('object_exists').wait(
                Bucket=f'{p}-aio', Key='missing', WaiterConfig={'Delay': 0, 'MaxAttempts': 1})
        except Exception as e:  # noqa: BLE001
            out['waiter'] = [type(e).__name__, str(e)]
        # The loop keeps running while calls are in flight.
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        t = asyncio.ensure_future(ticker())
        await asyncio.gather(*(s3.head_object(Bucket=f'{p}-aio', Key=f'k{i:03}')
                               for i in range(N)))
        t.cancel()
        out['loop_ran'] = ticks > 1
        await asyncio.gather(*(s3.delete_object(Bucket=f'{p}-aio', Key=f'k{i:03}')
                               for i in range(N)))
        await s3.delete_bucket(Bucket=f'{p}-aio')
    return out


def _s3_sync(lib, p):
    s3 = client(lib, 's3')
    out = {}
    s3.create_bucket(Bucket=f'{p}-aio')
    out['etags'] = sorted(s3.put_object(Bucket=f'{p}-aio', Key=f'k{i:03}',
                                        Body=f'body {i}'.encode())['ETag'] for i in range(N))
    gets = [s3.get_object(Bucket=f'{p}-aio', Key=f'k{i:03}') for i in range(N)]
    out['bodies'] = [g['Body'].read() for g in gets]
    out['meta'] = {k: v for k, v in gets[0].items() if k != 'Body'}
    pages = s3.get_paginator('list_objects_v2').paginate(
        Bucket=f'{p}-aio', PaginationConfig={'PageSize': 7})
    out['pages'] = [[o['Key'] for o in page.get('Contents', [])] for page in pages]
    out['full'] = s3.get_paginator('list_objects_v2').paginate(
        Bucket=f'{p}-aio', PaginationConfig={'PageSize': 9, 'MaxItems': 20}).build_full_result()
    out['search'] = list(s3.get_paginator('list_objects_v2').paginate(
        Bucket=f'{p}-aio').search('Contents[].Size'))
    s3.get_waiter('object_exists').wait(Bucket=f'{p}-aio', Key='k001')
    try:
        s3.get_object(Bucket=f'{p}-aio', Key='missing')
    except s3.exceptions.NoSuchKey as e:
        out['error'] = [type(e).__name__, e.response]
    try:
        s3.get_waiter('object_exists').wait(
            Bucket=f'{p}-aio', Key='missing', WaiterConfig={'Delay': 0, 'MaxAttempts': 1})
    except Exception as e:  # noqa: BLE001
        out['waiter'] = [type(e).__name__, str(e)]
    out['loop_ran'] = True
    for i in range(N):
        s3.delete_object(Bucket=f'{p}-aio', Key=f'k{i:03}')
    s3.delete_bucket(Bucket=f'{p}-aio')
    return out


def test_s3_with_asyncio_gather():
    def scenario(lib, p):
        if lib.__name__ == 'boto3':
            return _s3_sync(lib, p)
        return asyncio.run(_s3_async(p))

    out = run_both(scenario)
    assert len(out['bodies']) == N and out['loop_ran'] == ('bool', True)
    assert out['waiter'][0] == 'WaiterError'


async def _many_services_async(p):
    sqs, ddb = _aio_client('sqs'), _aio_client('dynamodb')
    url = (await sqs.create_queue(QueueName=f'{p}-aio'))['QueueUrl']
    await ddb.create_table(TableName=f'{p}-aio', BillingMode='PAY_PER_REQUEST',
                           KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}],
                           AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}])
    await asyncio.gather(
        *(sqs.send_message(QueueUrl=url, MessageBody=f'm{i}') for i in range(10)),
        *(ddb.put_item(TableName=f'{p}-aio', Item={'pk': {'S': f'k{i}'}, 'n': {'N': str(i)}})
          for i in range(20)))
    items = await ddb.scan(TableName=f'{p}-aio')
    attrs = await sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['All'])
    try:
        await ddb.get_item(TableName=f'{p}-aio', Key={'pk': 'not-typed'})
    except Exception as e:  # noqa: BLE001
        bad = [type(e).__name__, str(e)]
    await sqs.delete_queue(QueueUrl=url)
    await ddb.delete_table(TableName=f'{p}-aio')
    return {'count': items['Count'], 'items': sorted(items['Items'], key=lambda i: i['pk']['S']),
            'messages': attrs['Attributes']['ApproximateNumberOfMessages'], 'bad': bad}


def test_sqs_dynamodb_gather():
    def scenario(lib, p):
        if lib.__name__ != 'boto3':
            return asyncio.run(_many_services_async(p))
        sqs, ddb = client(lib, 'sqs'), client(lib, 'dynamodb')
        url = sqs.create_queue(QueueName=f'{p}-aio')['QueueUrl']
        ddb.create_table(TableName=f'{p}-aio', BillingMode='PAY_PER_REQUEST',
                         KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}],
                         AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}])
        for i in range(10):
            sqs.send_message(QueueUrl=url, MessageBody=f'm{i}')
        for i in range(20):
            ddb.put_item(TableName=f'{p}-aio', Item={'pk': {'S': f'k{i}'}, 'n': {'N': str(i)}})
        items = ddb.scan(TableName=f'{p}-aio')
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=['All'])
        try:
            ddb.get_item(TableName=f'{p}-aio', Key={'pk': 'not-typed'})
        except Exception as e:  # noqa: BLE001
            bad = [type(e).__name__, str(e)]
        sqs.delete_queue(QueueUrl=url)
        ddb.delete_table(TableName=f'{p}-aio')
        return {'count': items['Count'],
                'items': sorted(items['Items'], key=lambda i: i['pk']['S']),
                'messages': attrs['Attributes']['ApproximateNumberOfMessages'], 'bad': bad}

    out = run_both(scenario)
    assert out['count'] == ('int', 20)
