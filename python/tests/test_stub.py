"""boto_rs.stub.Stubber against botocore.stub.Stubber: same scenarios, same results and messages.

Each scenario runs with a boto3 client under botocore's Stubber and with a
boto_rs client under boto_rs's; stubbed calls never reach moto (the clients
point at it so a leak would show as a difference).
"""

from __future__ import annotations

import datetime
import io

import pytest

from conftest import client, run_both


def _stub_mod(lib):
    if lib.__name__ == 'boto3':
        import botocore.stub
        return botocore.stub
    import boto_rs.stub
    return boto_rs.stub


def _catch(fn):
    try:
        out = fn()
    except Exception as e:  # noqa: BLE001 - the type and text are compared
        info = {'type': type(e).__name__, 'str': str(e),
                'assertion': isinstance(e, AssertionError)}
        if hasattr(e, 'response'):
            info['response'] = e.response
            info['operation'] = e.operation_name
        return info
    return {'ok': out}


def test_responses_in_order_with_expected_params():
    def scenario(lib, p):
        stub = _stub_mod(lib)
        s3 = client(lib, 's3')
        body = {'Buckets': [{'Name': f'{p}-a', 'CreationDate': datetime.datetime(
            2024, 1, 2, tzinfo=datetime.timezone.utc)}], 'Owner': {'ID': 'me'}}
        out = {}
        with stub.Stubber(s3) as st:
            st.add_response('list_buckets', body, {})
            st.add_response('head_object', {'ContentLength': 5, 'ETag': '"x"'},
                            {'Bucket': f'{p}-b', 'Key': stub.ANY})
            st.add_response('put_object', {'ETag': '"y"'},
                            {'Bucket': f'{p}-b', 'Key': 'k', 'Body': stub.ANY,
                             'Metadata': {'a': stub.ANY}})
            got = s3.list_buckets()
            out['same_object'] = got is body
            out['list'] = got
            out['head'] = s3.head_object(Bucket=f'{p}-b', Key='anything')
            out['put'] = s3.put_object(Bucket=f'{p}-b', Key='k', Body=b'data',
                                       Metadata={'a': 'b'})
            st.assert_no_pending_responses()
        return out

    out = run_both(scenario)
    assert out['same_object'] == ('bool', True)


def test_call_order_and_parameter_mismatches():
    def scenario(lib, p):
        stub = _stub_mod(lib)
        sqs = client(lib, 'sqs')
        st = stub.Stubber(sqs)
        st.activate()
        out = {'unexpected': _catch(lambda: sqs.list_queues())}
        st.add_response('list_queues', {'QueueUrls': ['u']}, {'QueueNamePrefix': 'x'})
        out['mismatch_op'] = _catch(lambda: sqs.get_queue_url(QueueName='q'))
        out['mismatch_value'] = _catch(lambda: sqs.list_queues(QueueNamePrefix='y'))
        out['extra_param'] = _catch(lambda: sqs.list_queues(QueueNamePrefix='x', MaxResults=5))
        out['missing_param'] = _catch(lambda: sqs.list_queues())
        out['pending'] = _catch(st.assert_no_pending_responses)
        out['match'] = _catch(lambda: sqs.list_queues(QueueNamePrefix='x'))
        out['none_left'] = _catch(st.assert_no_pending_responses)
        # Invalid parameters fail validation as for a real call; the stub stays queued.
        st.add_response('get_queue_url', {'QueueUrl': 'u'})
        out['invalid'] = _catch(lambda: sqs.get_queue_url(QueueName=5))
        out['after_invalid'] = _catch(lambda: sqs.get_queue_url(QueueName='q'))
        out['unknown_method'] = _catch(lambda: st.add_response('no_such_thing', {}))
        st.deactivate()
        return out

    out = run_both(scenario)
    assert out['mismatch_value']['type'] == 'StubAssertionError'
    assert out['unexpected']['type'] == 'UnStubbedResponseError'
    assert out['invalid']['type'] == 'ParamValidationError'


def test_client_errors():
    def scenario(lib, p):
        stub = _stub_mod(lib)
        s3 = client(lib, 's3')
        ddb = client(lib, 'dynamodb')
        out = {}
        with stub.Stubber(s3) as st, stub.Stubber(ddb) as sd:
            st.add_client_error('get_object', 'NoSuchKey', 'gone', 404,
                                service_error_meta={'Key': 'k'},
                                response_meta={'RequestId': 'r1'})
            st.add_client_error('list_buckets')
            st.add_client_error('head_bucket', '403', 'Forbidden', 403,
                                expected_params={'Bucket': f'{p}-x'})
            sd.add_client_error('put_item', 'ConditionalCheckFailedException', 'failed',
                                modeled_fields={'Item': {'pk': {'S': 'a'}}})
            out['no_such_key'] = _catch(lambda: s3.get_object(Bucket=f'{p}-b', Key='k'))
            out['bare'] = _catch(lambda: s3.list_buckets())
            out['head_wrong'] = _catch(lambda: s3.head_bucket(Bucket=f'{p}-y'))
            out['head'] = _catch(lambda: s3.head_bucket(Bucket=f'{p}-x'))
            out['ddb'] = _catch(lambda: ddb.put_item(TableName='t', Item={'pk': {'S': 'a'}}))
            try:
                s3.get_object(Bucket=f'{p}-b', Key='k')
            except Exception as e:  # noqa: BLE001
                out['unstubbed'] = type(e).__name__
            out['bad_modeled'] = _catch(lambda: sd.add_client_error(
                'put_item', 'ConditionalCheckFailedException', modeled_fields={'Item': 5}))
            out['modeled_without_shape'] = _catch(lambda: sd.add_client_error(
                'put_item', 'NotAModeledCode', modeled_fields={'X': 1}))
        return out

    out = run_both(scenario)
    assert out['no_such_key']['type'] == 'NoSuchKey'
    assert out['ddb']['type'] == 'ConditionalCheckFailedException'


# Invalid canned responses: botocore's Stubber validates them against the output shape.
INVALID_RESPONSES = [
    ('s3', 'list_objects_v2', {'Contents': [{'Key': 'k', 'Size': 'big'}]}),
    ('s3', 'list_objects_v2', {'Contents': {'Key': 'k'}}),
    ('s3', 'list_objects_v2', {'KeyCount': 1.5, 'IsTruncated': 'yes'}),
    ('s3', 'list_objects_v2', {'Unknown': 1}),
    ('s3', 'get_object', {'ContentLength': '5', 'LastModified': 'yesterday'}),
    ('s3', 'get_object', {'Metadata': {'a': 1}}),
    ('s3', 'head_bucket', {'BucketRegion': 5}),
    ('s3', 'delete_bucket', {'Anything': 1}),
    ('dynamodb', 'get_item', {'Item': {'pk': {'S': 5}}}),
    ('dynamodb', 'get_item', {'Item': {'pk': {'SS': 'a'}}}),
    ('dynamodb', 'query', {'Count': '3', 'Items': [{'a': {'N': 1}}]}),
    ('dynamodb', 'describe_table', {'Table': {'TableSizeBytes': 'x', 'ItemCount': None}}),
    ('sqs', 'receive_message', {'Messages': [{'Body': b'bytes', 'Attributes': {'X': 'y'}}]}),
    ('sqs', 'get_queue_attributes', {'Attributes': ['a']}),
    ('ec2', 'describe_instances', {'Reservations': [{'Instances': [{'LaunchTime': 'not a date'}]}]}),
    ('ec2', 'describe_instances', {'Reservations': [{'Instances': [{'State': {'Code': 'x'}}]}]}),
    ('iam', 'get_user', {'User': {'UserName': 'u'}}),
    ('iam', 'list_users', {'Users': [{'CreateDate': 'soon'}], 'IsTruncated': 1}),
    ('sns', 'publish', {'MessageId': 5}),
    ('s3', 'get_object', {'Body': 5}),
]


@pytest.mark.parametrize('service,method,response', INVALID_RESPONSES,
                         ids=[f'{s}.{m}.{i}' for i, (s, m, _) in enumerate(INVALID_RESPONSES)])
def test_response_validation(service, method, response):
    def scenario(lib, p):
        stub = _stub_mod(lib)
        c = client(lib, service)
        st = stub.Stubber(c)
        return _catch(lambda: st.add_response(method, response))

    out = run_both(scenario)
    assert out['type'] == 'ParamValidationError'


def test_paginator_and_waiter_over_stubs():
    def scenario(lib, p):
        stub = _stub_mod(lib)
        s3 = client(lib, 's3')
        out = {}
        with stub.Stubber(s3) as st:
            st.add_response('list_objects_v2', {
                'IsTruncated': True, 'NextContinuationToken': 't1', 'KeyCount': 1,
                'Contents': [{'Key': 'a', 'Size': 1}]}, {'Bucket': f'{p}-b'})
            st.add_response('list_objects_v2', {
                'IsTruncated': False, 'KeyCount': 1, 'Contents': [{'Key': 'b', 'Size': 2}]},
                {'Bucket': f'{p}-b', 'ContinuationToken': 't1'})
            pages = s3.get_paginator('list_objects_v2').paginate(Bucket=f'{p}-b')
            out['keys'] = [o['Key'] for page in pages for o in page.get('Contents', [])]
            st.assert_no_pending_responses()
            st.add_client_error('head_bucket', '404', 'Not Found', 404)
            st.add_response('head_bucket', {'ResponseMetadata': {'HTTPStatusCode': 200}})
            s3.get_waiter('bucket_exists').wait(Bucket=f'{p}-b',
                                                WaiterConfig={'Delay': 0, 'MaxAttempts': 3})
            out['waited'] = _catch(st.assert_no_pending_responses)
            st.add_response('head_bucket', {'ResponseMetadata': {'HTTPStatusCode': 200}})
            out['paginate_unexpected'] = _catch(lambda: list(
                s3.get_paginator('list_buckets').paginate()))['type']
        return out

    out = run_both(scenario)
    assert out['keys'] == ['a', 'b']


def test_activation_scope_and_bodies():
    def scenario(lib, p):
        stub = _stub_mod(lib)
        s3 = client(lib, 's3')
        other = client(lib, 's3')
        s3.create_bucket(Bucket=f'{p}-live')
        out = {}
        body = io.BytesIO(b'hello')
        st = stub.Stubber(s3)
        st.add_response('get_object', {'Body': body, 'ContentLength': 5})
        st.add_response('list_buckets', {'Buckets': []})
        with st:
            got = s3.get_object(Bucket=f'{p}-live', Key='k')
            out['body_same'] = got['Body'] is body
            # Another client of the same service is not stubbed.
            out['other'] = [b['Name'] for b in other.list_buckets()['Buckets']
                            if b['Name'] == f'{p}-live']
            url = s3.generate_presigned_url('get_object',
                                            Params={'Bucket': f'{p}-live', 'Key': 'k'})
            out['presigned'] = url.split('?')[0]
        # Deactivated: the real service answers, the stub stays queued.
        out['live'] = [b['Name'] for b in s3.list_buckets()['Buckets']
                       if b['Name'] == f'{p}-live']
        out['pending'] = _catch(st.assert_no_pending_responses)
        s3.delete_bucket(Bucket=f'{p}-live')
        return out

    out = run_both(scenario)
    assert out['body_same'] == ('bool', True)
