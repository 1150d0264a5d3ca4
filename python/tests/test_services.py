"""DynamoDB, SQS, SNS, IAM and EC2 scenarios: boto3 vs boto_rs on moto."""

from __future__ import annotations

from conftest import client, run_both


def test_dynamodb_crud_and_pagination():
    def scenario(lib, p):
        ddb = client(lib, 'dynamodb')
        table = f'{p}-items'
        out = {}
        created = ddb.create_table(
            TableName=table,
            KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'},
                       {'AttributeName': 'sk', 'KeyType': 'RANGE'}],
            AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'},
                                  {'AttributeName': 'sk', 'AttributeType': 'N'}],
            BillingMode='PAY_PER_REQUEST')
        out['created'] = created['TableDescription']['TableStatus']
        ddb.get_waiter('table_exists').wait(TableName=table,
                                            WaiterConfig={'Delay': 1, 'MaxAttempts': 5})
        for i in range(9):
            out[f'put{i}'] = ddb.put_item(TableName=table, Item={
                'pk': {'S': 'user#1' if i < 6 else 'user#2'}, 'sk': {'N': str(i)},
                'data': {'B': bytes([i]) * 3}, 'flag': {'BOOL': i % 2 == 0},
                'tags': {'SS': ['a', f't{i}']}, 'score': {'N': f'{i}.5'}})
        out['get'] = ddb.get_item(TableName=table, Key={'pk': {'S': 'user#1'}, 'sk': {'N': '2'}},
                                  ConsistentRead=True)
        out['update'] = ddb.update_item(
            TableName=table, Key={'pk': {'S': 'user#1'}, 'sk': {'N': '2'}},
            UpdateExpression='SET #c = if_not_exists(#c, :z) + :one',
            ExpressionAttributeNames={'#c': 'count'},
            ExpressionAttributeValues={':z': {'N': '0'}, ':one': {'N': '1'}},
            ReturnValues='ALL_NEW')
        q = ddb.get_paginator('query')
        out['query_pages'] = list(q.paginate(
            TableName=table, KeyConditionExpression='pk = :p',
            ExpressionAttributeValues={':p': {'S': 'user#1'}}, PaginationConfig={'PageSize': 4}))
        out['query_full'] = q.paginate(
            TableName=table, KeyConditionExpression='pk = :p',
            ExpressionAttributeValues={':p': {'S': 'user#1'}},
            PaginationConfig={'MaxItems': 3, 'PageSize': 2}).build_full_result()
        scan = ddb.get_paginator('scan')
        out['scan_pages'] = [pg['Count'] for pg in scan.paginate(
            TableName=table, PaginationConfig={'PageSize': 4})]
        out['scan_keys'] = sorted(
            int(n) for n in scan.paginate(TableName=table).search('Items[].sk.N'))
        out['delete'] = ddb.delete_item(TableName=table,
                                        Key={'pk': {'S': 'user#2'}, 'sk': {'N': '7'}},
                                        ReturnValues='ALL_OLD')
        out['batch'] = ddb.batch_get_item(RequestItems={table: {'Keys': [
            {'pk': {'S': 'user#1'}, 'sk': {'N': '0'}}, {'pk': {'S': 'user#2'}, 'sk': {'N': '8'}}]}})
        for r in out['batch']['Responses'][table]:
            r.pop('tags')  # set order is not defined
        desc = ddb.describe_table(TableName=table)['Table']
        out['desc'] = {k: desc[k] for k in ('KeySchema', 'AttributeDefinitions', 'ItemCount',
                                             'TableStatus', 'BillingModeSummary')}
        out['tables'] = [t for t in ddb.list_tables()['TableNames'] if t.startswith(p)]
        ddb.delete_table(TableName=table)
        return out

    out = run_both(scenario)
    assert len(out['query_pages']) == 2
    assert out['scan_keys'] == [('int', i) for i in range(9)]


def test_sqs():
    def scenario(lib, p):
        sqs = client(lib, 'sqs')
        out = {}
        url = sqs.create_queue(QueueName=f'{p}-q', Attributes={'VisibilityTimeout': '30'})
        out['create'] = url
        qurl = url['QueueUrl']
        out['url'] = sqs.get_queue_url(QueueName=f'{p}-q')
        out['send'] = sqs.send_message(
            QueueUrl=qurl, MessageBody='hello',
            MessageAttributes={'n': {'DataType': 'Number', 'StringValue': '7'},
                               'b': {'DataType': 'Binary', 'BinaryValue': b'\x00\x01'}})
        out['batch'] = sqs.send_message_batch(QueueUrl=qurl, Entries=[
            {'Id': str(i), 'MessageBody': f'm{i}'} for i in range(3)])
        got = sqs.receive_message(QueueUrl=qurl, MaxNumberOfMessages=10,
                                  MessageAttributeNames=['All'], AttributeNames=['All'])
        msgs = sorted(got['Messages'], key=lambda m: m['Body'])
        for m in msgs:
            m['Attributes'] = sorted(m.get('Attributes', {}))
        out['received'] = msgs
        out['delete'] = sqs.delete_message(QueueUrl=qurl, ReceiptHandle=msgs[0]['ReceiptHandle'])
        attrs = sqs.get_queue_attributes(QueueUrl=qurl, AttributeNames=['VisibilityTimeout',
                                                                        'DelaySeconds'])
        out['attrs'] = attrs
        out['list'] = [u for u in sqs.list_queues(QueueNamePrefix=p).get('QueueUrls', [])]
        out['purge'] = sqs.purge_queue(QueueUrl=qurl)
        out['delete_queue'] = sqs.delete_queue(QueueUrl=qurl)
        return out

    run_both(scenario)


def test_sns():
    def scenario(lib, p):
        sns = client(lib, 'sns')
        sqs = client(lib, 'sqs')
        out = {}
        arn = sns.create_topic(Name=f'{p}-topic', Tags=[{'Key': 'k', 'Value': 'v'}])['TopicArn']
        qurl = sqs.create_queue(QueueName=f'{p}-sub')['QueueUrl']
        qarn = sqs.get_queue_attributes(QueueUrl=qurl, AttributeNames=['QueueArn'])[
            'Attributes']['QueueArn']
        sub = sns.subscribe(TopicArn=arn, Protocol='sqs', Endpoint=qarn,
                            ReturnSubscriptionArn=True)
        out['sub'] = sub
        out['publish'] = sns.publish(TopicArn=arn, Message='news', Subject='s',
                                     MessageAttributes={'a': {'DataType': 'String',
                                                              'StringValue': 'x'}})
        out['topics'] = [t for t in sns.get_paginator('list_topics').paginate().search(
            'Topics[].TopicArn') if p in t]
        out['subs'] = sns.list_subscriptions_by_topic(TopicArn=arn)
        out['attrs'] = sorted(sns.get_topic_attributes(TopicArn=arn)['Attributes'])
        out['tags'] = sns.list_tags_for_resource(ResourceArn=arn)
        out['unsub'] = sns.unsubscribe(SubscriptionArn=sub['SubscriptionArn'])
        out['delete'] = sns.delete_topic(TopicArn=arn)
        sqs.delete_queue(QueueUrl=qurl)
        return out

    run_both(scenario)


def test_iam():
    def scenario(lib, p):
        iam = client(lib, 'iam')
        out = {}
        out['user'] = iam.create_user(UserName=f'{p}-user', Path='/team/',
                                      Tags=[{'Key': 'team', 'Value': 'a'}])
        for i in range(3):
            iam.create_user(UserName=f'{p}-u{i}', Path='/bulk/')
        out['get'] = iam.get_user(UserName=f'{p}-user')
        pages = list(iam.get_paginator('list_users').paginate(
            PathPrefix='/bulk/', PaginationConfig={'PageSize': 2}))
        out['pages'] = [[u['UserName'] for u in pg['Users'] if u['UserName'].startswith(p)]
                        for pg in pages]
        doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":' \
              '{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
        out['role'] = iam.create_role(RoleName=f'{p}-role', AssumeRolePolicyDocument=doc)
        out['tag'] = iam.tag_user(UserName=f'{p}-user', Tags=[{'Key': 'x', 'Value': 'y'}])
        out['tags'] = iam.list_user_tags(UserName=f'{p}-user')
        out['key'] = sorted(iam.create_access_key(UserName=f'{p}-user')['AccessKey'])
        try:
            iam.get_user(UserName=f'{p}-missing')
        except iam.exceptions.NoSuchEntityException as e:
            out['missing'] = (type(e).__name__, str(e), e.response, e.operation_name)
        try:
            iam.create_user(UserName=f'{p}-user')
        except iam.exceptions.EntityAlreadyExistsException as e:
            out['exists'] = (type(e).__name__, str(e), e.response)
        iam.delete_role(RoleName=f'{p}-role')
        return out

    out = run_both(scenario)
    assert out['missing'][0] == 'NoSuchEntityException'


def test_ec2_with_waiters():
    def scenario(lib, p):
        ec2 = client(lib, 'ec2')
        out = {}
        images = ec2.describe_images(Owners=['amazon'], Filters=[
            {'Name': 'name', 'Values': ['amzn2-ami-hvm-2.0.20180810-x86_64-gp2']}])
        image = images['Images'][0]['ImageId'] if images['Images'] else 'ami-12c6146b'
        run = ec2.run_instances(ImageId=image, MinCount=2, MaxCount=2, InstanceType='t3.micro',
                                TagSpecifications=[{'ResourceType': 'instance', 'Tags': [
                                    {'Key': 'owner', 'Value': p}]}])
        ids = sorted(i['InstanceId'] for i in run['Instances'])
        out['run'] = {k: v for k, v in run.items() if k != 'Instances'}
        out['run_types'] = [i['InstanceType'] for i in run['Instances']]
        ec2.get_waiter('instance_running').wait(InstanceIds=ids,
                                                WaiterConfig={'Delay': 1, 'MaxAttempts': 10})
        desc = ec2.describe_instances(InstanceIds=ids)
        out['states'] = sorted(i['State']['Name'] for r in desc['Reservations']
                               for i in r['Instances'])
        out['tags'] = ec2.describe_tags(Filters=[{'Name': 'resource-id', 'Values': ids[:1]}])
        pages = ec2.get_paginator('describe_instances').paginate(
            Filters=[{'Name': 'tag:owner', 'Values': [p]}], PaginationConfig={'PageSize': 5})
        out['found'] = sorted(pages.search('Reservations[].Instances[].InstanceType'))
        out['stop'] = ec2.stop_instances(InstanceIds=ids)
        ec2.get_waiter('instance_stopped').wait(InstanceIds=ids,
                                                WaiterConfig={'Delay': 1, 'MaxAttempts': 10})
        out['terminate'] = ec2.terminate_instances(InstanceIds=ids)
        ec2.get_waiter('instance_terminated').wait(InstanceIds=ids,
                                                   WaiterConfig={'Delay': 1, 'MaxAttempts': 10})
        vpc = ec2.create_vpc(CidrBlock='10.9.0.0/16')['Vpc']
        out['vpc'] = vpc
        out['vpc_del'] = ec2.delete_vpc(VpcId=vpc['VpcId'])
        return out

    out = run_both(scenario)
    assert out['states'] == ['running', 'running']
