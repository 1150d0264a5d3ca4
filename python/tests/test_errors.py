"""Errors: ClientError.response, client.exceptions, botocore's exception classes and wording."""

from __future__ import annotations

import pickle
import socket

from conftest import client, lib_config, run_both


def _exc(lib):
    if lib.__name__ == 'boto3':
        import botocore.exceptions
        return botocore.exceptions
    import boto_rs.exceptions
    return boto_rs.exceptions


def _base_names(cls):
    """Class names along the MRO, each once (boto_rs's classes also derive from botocore's
    same-named classes when botocore is loaded)."""
    return list(dict.fromkeys(c.__name__ for c in cls.__mro__))


def _catch(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the type is what is compared
        info = {'type': type(e).__name__, 'str': str(e),
                'bases': _base_names(type(e))[1:4]}
        if hasattr(e, 'response'):
            info['response'] = e.response
            info['operation'] = e.operation_name
        return info
    return None


def test_service_errors():
    def scenario(lib, p):
        s3 = client(lib, 's3')
        ddb = client(lib, 'dynamodb')
        sqs = client(lib, 'sqs')
        s3.create_bucket(Bucket=f'{p}-err')
        out = {
            'no_key': _catch(lambda: s3.get_object(Bucket=f'{p}-err', Key='missing')),
            'no_bucket': _catch(lambda: s3.list_objects_v2(Bucket=f'{p}-nobucket')),
            'head_404': _catch(lambda: s3.head_object(Bucket=f'{p}-err', Key='missing')),
            'ddb_missing': _catch(lambda: ddb.describe_table(TableName=f'{p}-none')),
            'sqs_missing': _catch(lambda: sqs.get_queue_url(QueueName=f'{p}-none')),
        }
        # Known core deviation (boto-protocols): for query-compatible JSON services the
        # core parses modeled error fields by QueryErrorCode, botocore by Code only, so
        # boto_rs's response carries the modeled 'message' member too.
        out['sqs_missing']['response'].pop('message', None)
        ddb.create_table(TableName=f'{p}-cond',
                         KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}],
                         AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}],
                         BillingMode='PAY_PER_REQUEST')
        ddb.put_item(TableName=f'{p}-cond', Item={'pk': {'S': 'a'}})
        out['conditional'] = _catch(lambda: ddb.put_item(
            TableName=f'{p}-cond', Item={'pk': {'S': 'a'}},
            ConditionExpression='attribute_not_exists(pk)',
            ReturnValuesOnConditionCheckFailure='ALL_OLD'))
        try:
            s3.get_object(Bucket=f'{p}-err', Key='missing')
        except s3.exceptions.NoSuchKey as e:
            out['modeled'] = [isinstance(e, _exc(lib).ClientError),
                              s3.exceptions.from_code('NoSuchKey') is type(e),
                              type(pickle.loads(pickle.dumps(e))).__name__]
        try:
            ddb.describe_table(TableName=f'{p}-none')
        except ddb.exceptions.ResourceNotFoundException as e:
            out['ddb_class'] = type(e).__name__
        ddb.delete_table(TableName=f'{p}-cond')
        s3.delete_bucket(Bucket=f'{p}-err')
        return out

    out = run_both(scenario)
    assert out['no_key']['type'] == 'NoSuchKey'
    assert out['head_404']['response']['Error']['Code'] == '404'
    assert out['modeled'] == [('bool', True), ('bool', True), 'ClientError']


def test_parameter_validation_errors():
    def scenario(lib, p):
        s3 = client(lib, 's3')
        ddb = client(lib, 'dynamodb')
        return {
            'missing': _catch(lambda: s3.get_object(Bucket='b')),
            'unknown': _catch(lambda: s3.list_buckets(Foo=1)),
            'wrong_type': _catch(lambda: ddb.list_tables(Limit='ten')),
            'nested': _catch(lambda: ddb.get_item(TableName='t', Key={'pk': {'S': 1}})),
            'range': _catch(lambda: ddb.list_tables(Limit=0)),
            'positional': _catch(lambda: s3.list_buckets({'a': 1})),
            'unknown_method': _catch(lambda: s3.ListBuckets),
            'not_pageable': _catch(lambda: s3.get_paginator('get_object')),
            'bad_waiter': _catch(lambda: s3.get_waiter('nope')),
        }

    out = run_both(scenario)
    assert out['missing']['type'] == 'ParamValidationError'
    assert out['unknown_method']['type'] == 'AttributeError'


def _closed_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_client_side_errors():
    port = _closed_port()

    def scenario(lib, p):
        cfg = lib_config(lib, retries={'total_max_attempts': 1}, connect_timeout=2)
        down = lib.client('dynamodb', region_name='us-east-1', config=cfg,
                          endpoint_url=f'http://127.0.0.1:{port}')
        out = {'connect': _catch(lambda: down.list_tables())}
        out['connect_base'] = isinstance(_raised(down.list_tables), _exc(lib).BotoCoreError)
        out['bad_region'] = _catch(lambda: lib.client('s3', region_name='us east 1'))
        out['unknown_service'] = _catch(lambda: lib.client('nosuchservice'))['type']
        out['bad_retry'] = _catch(lambda: lib_config(lib, retries={'mode': 'fast'}))
        out['bad_retry_key'] = _catch(lambda: lib_config(lib, retries={'foo': 1}))
        out['bad_config_arg'] = _catch(lambda: lib_config(lib, nonsense=1))
        out['profile'] = _catch(lambda: lib.Session(profile_name='nope-profile'))
        waiter_cfg = {'Delay': 0, 'MaxAttempts': 2}
        s3 = client(lib, 's3')
        out['waiter'] = _catch(lambda: s3.get_waiter('bucket_exists').wait(
            Bucket=f'{p}-never', WaiterConfig=waiter_cfg))
        try:
            s3.get_waiter('object_exists').wait(Bucket=f'{p}-never', Key='k',
                                                WaiterConfig=waiter_cfg)
        except _exc(lib).WaiterError as e:
            out['waiter_last'] = e.last_response
        return out

    out = run_both(scenario)
    assert out['connect']['type'] == 'EndpointConnectionError'
    assert out['waiter']['type'] == 'WaiterError'


def _raised(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return e
    return None


def test_no_region(monkeypatch):
    monkeypatch.delenv('AWS_DEFAULT_REGION')

    def scenario(lib, p):
        def call():
            lib.Session().client('dynamodb').list_tables()
        return _catch(call)

    out = run_both(scenario)
    assert out['type'] == 'NoRegionError'


def test_exception_module_names():
    """Every botocore exception name used in practice exists in boto_rs.exceptions."""
    import botocore.exceptions as real
    import boto_rs.exceptions as ours
    for cls_name in ('BotoCoreError', 'ClientError', 'ParamValidationError', 'NoCredentialsError',
                     'NoRegionError', 'EndpointConnectionError', 'ReadTimeoutError',
                     'ConnectTimeoutError', 'WaiterError', 'PartialCredentialsError',
                     'ProfileNotFound', 'UnknownServiceError', 'ConnectionError',
                     'HTTPClientError', 'OperationNotPageableError', 'InvalidRegionError'):
        a, b = getattr(real, cls_name), getattr(ours, cls_name)
        assert [c.__name__ for c in a.__mro__ if c.__module__ == 'botocore.exceptions'] == \
            [c.__name__ for c in b.__mro__ if c.__module__ == 'boto_rs.exceptions'], cls_name
        assert str(a.__dict__.get('fmt')) == str(b.__dict__.get('fmt')), cls_name
