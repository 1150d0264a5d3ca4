"""Living beside botocore: botocore's except clauses catch boto_rs errors, botocore's Config
is honoured, client/resource patchable with unittest.mock, get_available_regions as boto3."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from unittest import mock

import botocore
import botocore.config
import botocore.exceptions

from conftest import ENDPOINT, client, run_both

CATCHERS = ('ClientError', 'BotoCoreError', 'ParamValidationError', 'WaiterError',
            'EndpointConnectionError', 'ConnectionError', 'NoCredentialsError',
            'NoRegionError', 'UnknownServiceError', 'DataNotFoundError')


def _caught_by(fn):
    """The botocore.exceptions classes whose except clause catches what fn raises."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        return [type(e).__name__] + [n for n in CATCHERS
                                     if isinstance(e, getattr(botocore.exceptions, n))]
    return None


def test_botocore_except_clauses_catch_boto_rs_errors():
    def scenario(lib, p):
        s3 = client(lib, 's3')
        dead = lib.client('dynamodb', region_name='us-east-1', endpoint_url='http://127.0.0.1:9',
                          config=botocore.config.Config(retries={'total_max_attempts': 1}))
        s3.create_bucket(Bucket=f'{p}-c')
        out = {
            'no_such_key': _caught_by(lambda: s3.get_object(Bucket=f'{p}-c', Key='x')),
            'param': _caught_by(lambda: s3.get_object(Bucket=f'{p}-c')),
            'waiter': _caught_by(lambda: s3.get_waiter('object_exists').wait(
                Bucket=f'{p}-c', Key='x', WaiterConfig={'Delay': 0, 'MaxAttempts': 1})),
            'connection': _caught_by(lambda: dead.list_tables()),
            'unknown_service': _caught_by(lambda: lib.client('nope', region_name='us-east-1')),
        }
        try:
            s3.get_object(Bucket=f'{p}-c', Key='x')
        except botocore.exceptions.ClientError as e:
            out['modeled'] = [isinstance(e, s3.exceptions.NoSuchKey),
                              type(e) is s3.exceptions.from_code('NoSuchKey'),
                              e.response['Error']['Code']]
        s3.delete_bucket(Bucket=f'{p}-c')
        return out

    out = run_both(scenario)
    assert out['no_such_key'] == ['NoSuchKey', 'ClientError']
    assert 'WaiterError' in out['waiter']


_LATE_IMPORT = textwrap.dedent('''
    import os, pickle, sys
    import boto_rs                                  # boto_rs first: botocore not loaded yet
    assert 'botocore' not in sys.modules
    import botocore.exceptions as bc                # loaded afterwards
    s3 = boto_rs.client('s3', region_name='us-east-1', endpoint_url=sys.argv[1],
                        aws_access_key_id='a', aws_secret_access_key='b')
    out = []
    try:
        s3.get_object(Bucket='boto-rs-late-none', Key='x')
    except bc.ClientError as e:
        out.append(type(e).__name__)
        out.append(isinstance(e, s3.exceptions.NoSuchBucket))
        out.append(type(pickle.loads(pickle.dumps(e))).__name__)
    try:
        s3.get_object(Bucket='b')
    except bc.ParamValidationError as e:
        out.append(type(e).__name__)
    try:
        boto_rs.client('sqs', region_name='us-east-1', endpoint_url=sys.argv[1]).list_queues()
    except bc.NoCredentialsError as e:
        out.append(type(e).__name__)
        out.append(type(pickle.loads(pickle.dumps(e))).__name__)
    print(out)
''')


def test_botocore_loaded_after_boto_rs():
    env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_ACCESS')
           and not k.startswith('AWS_SECRET')}
    env['AWS_SHARED_CREDENTIALS_FILE'] = os.devnull
    env['AWS_CONFIG_FILE'] = os.devnull
    run = subprocess.run([sys.executable, '-c', _LATE_IMPORT, ENDPOINT], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == str(['NoSuchBucket', True, 'ClientError',
                                      'ParamValidationError', 'NoCredentialsError',
                                      'NoCredentialsError'])


def test_botocore_config_is_honoured():
    def scenario(lib, p):
        out = {}
        for name, cfg in {
            'path': botocore.config.Config(s3={'addressing_style': 'path'}),
            'virtual': botocore.config.Config(s3={'addressing_style': 'virtual'},
                                              signature_version='s3v4'),
            'unsigned': botocore.config.Config(signature_version=botocore.UNSIGNED),
            'region': botocore.config.Config(region_name='eu-west-2'),
        }.items():
            s3 = lib.client('s3', region_name=None if name == 'region' else 'us-west-2',
                            config=cfg)
            url = s3.generate_presigned_url('get_object', Params={'Bucket': 'bkt', 'Key': 'k'})
            # boto3 signs S3 presigned URLs with SigV2 by default (a documented
            # difference): compare the addressing style, path and whether it is signed.
            base, _, query = url.partition('?')
            style = 'virtual' if base.startswith('https://bkt.') else 'path'
            out[name] = [style, base.split('amazonaws.com', 1)[1], 'Signature' in query,
                         s3.meta.region_name, s3.meta.config.s3]
        # retries: one attempt only, against a closed port.
        dead = lib.client('sqs', region_name='us-east-1', endpoint_url='http://127.0.0.1:9',
                          config=botocore.config.Config(retries={'total_max_attempts': 1},
                                                        connect_timeout=2))
        out['retries'] = _caught_by(lambda: dead.list_queues())
        out['retries_meta'] = dead.meta.config.retries.get('total_max_attempts')
        # Against moto: the signed client works with botocore's Config too.
        s3 = client(lib, 's3', config=botocore.config.Config(
            s3={'addressing_style': 'path'}, user_agent_extra='compat-test/1',
            read_timeout=30, max_pool_connections=4))
        s3.create_bucket(Bucket=f'{p}-cfg')
        out['moto'] = [b['Name'] for b in s3.list_buckets()['Buckets'] if b['Name'] == f'{p}-cfg']
        s3.delete_bucket(Bucket=f'{p}-cfg')
        return out

    out = run_both(scenario)
    assert out['path'][0] == 'path' and out['virtual'][0] == 'virtual'
    assert out['unsigned'][2] == ('bool', False)


def test_client_and_resource_are_patchable():
    import boto_rs
    with mock.patch('boto_rs.client') as fake:
        fake.return_value = 'patched'
        assert boto_rs.client('s3') == 'patched'
        fake.assert_called_once_with('s3')
    assert boto_rs.client is not fake
    with mock.patch.object(boto_rs, 'resource') as fake:
        boto_rs.resource('dynamodb', region_name='us-east-1')
        fake.assert_called_once_with('dynamodb', region_name='us-east-1')
    with mock.patch.object(boto_rs.Session, 'client', autospec=True) as fake:
        boto_rs.Session(region_name='us-east-1').client('sqs')
        assert fake.call_args[0][1] == 'sqs'


REGION_CASES = [
    ('s3', 'aws', False), ('s3', 'aws', True), ('ec2', 'aws', False), ('ec2', 'aws-cn', False),
    ('dynamodb', 'aws', True), ('dynamodb', 'aws-us-gov', False), ('iam', 'aws', False),
    ('iam', 'aws', True), ('sqs', 'aws', False), ('sns', 'aws-iso', False),
    ('lambda', 'aws', False), ('ses', 'aws', False), ('sesv2', 'aws', False),
    ('cognito-idp', 'aws', False), ('route53', 'aws', True), ('bedrock-runtime', 'aws', False),
    ('accessanalyzer', 'aws', False), ('kinesis', 'aws-cn', True), ('nope', 'aws', False),
    ('s3', 'no-such-partition', False), ('sts', 'aws', True), ('cloudfront', 'aws', False),
]


def test_available_regions_and_partitions():
    def scenario(lib, p):
        session = lib.Session(region_name='us-east-1')
        return {
            'partitions': session.get_available_partitions(),
            'regions': [session.get_available_regions(s, partition_name=part,
                                                      allow_non_regional=non)
                        for s, part, non in REGION_CASES],
        }

    out = run_both(scenario)
    assert out['partitions'][0] == 'aws'
    assert len(out['regions'][0]) > 10


def test_parameter_validation_off():
    """Config(parameter_validation=False): the request is sent; the service judges it."""
    def scenario(lib, p):
        out = {}
        for flag in (True, False):
            s3 = client(lib, 's3', config=botocore.config.Config(parameter_validation=flag))
            out[f's3_{flag}'] = _caught_by(lambda: s3.list_objects_v2(
                Bucket=f'{p}-none', MaxKeys='3'))
        return out

    out = run_both(scenario)
    assert out['s3_True'][0] == 'ParamValidationError'
    assert out['s3_False'][0] == 'NoSuchBucket'
    # Known difference: a value the serializer cannot write as the member's type is
    # refused by boto_rs (botocore would send JSON 5 for a string member).
    import boto_rs
    sqs = client(boto_rs, 'sqs', config=boto_rs.config.Config(parameter_validation=False))
    caught = _caught_by(lambda: sqs.get_queue_url(QueueName=5))
    assert caught[0] == 'BotoCoreError', caught


def test_meta_config_holds_the_resolved_region():
    """botocore's ``meta.config`` is a new Config with the client's region (also read as
    the private ``_client_config``, e.g. by moto's tests); the caller's Config is untouched."""
    def scenario(lib, p):
        out = {}
        given = botocore.config.Config(retries={'total_max_attempts': 2})
        for name, kwargs in {
            'arg': {'region_name': 'eu-west-1'},
            'config': {'config': botocore.config.Config(region_name='ap-south-1')},
            'both': {'region_name': 'us-west-2', 'config': given},
        }.items():
            c = lib.client('sns', endpoint_url=ENDPOINT, **kwargs)
            out[name] = [c.meta.config.region_name, c._client_config.region_name,
                         c._client_config is c.meta.config]
        out['given'] = given.region_name
        return out

    out = run_both(scenario)
    assert out['arg'][:3] == ['eu-west-1', 'eu-west-1', ('bool', True)], out['arg']
    assert out['given'] is None


def test_s3_without_a_region_is_us_east_1():
    """botocore gives an S3 client with no configured region us-east-1 (moto's S3 tests create
    ``boto3.client('s3')`` so); other regional services still raise NoRegionError."""
    def scenario(lib, p):
        with mock.patch.dict(os.environ):
            for var in ('AWS_DEFAULT_REGION', 'AWS_REGION'):
                os.environ.pop(var, None)
            session = lib.Session()
            s3 = session.client('s3', endpoint_url=ENDPOINT)
            out = {'region': [s3.meta.region_name, s3.meta.config.region_name]}
            s3.create_bucket(Bucket=f'{p}-noregion')
            out['location'] = s3.get_bucket_location(Bucket=f'{p}-noregion')['LocationConstraint']
            s3.delete_bucket(Bucket=f'{p}-noregion')
            out['sqs'] = _caught_by(lambda: session.client('sqs').list_queues())
        return out

    out = run_both(scenario)
    assert out['region'] == ['us-east-1', 'us-east-1'], out
