"""Sessions, configuration, credentials (never printed) and threads sharing one client."""

from __future__ import annotations

import os
import threading

from conftest import ENDPOINT, client, lib_config, run_both

import boto_rs


def _write_profiles(tmp_path, monkeypatch):
    config = tmp_path / 'config'
    config.write_text('[default]\nregion = eu-west-1\n\n[profile dev]\nregion = ap-south-1\n'
                      'output = json\n')
    creds = tmp_path / 'credentials'
    creds.write_text('[default]\naws_access_key_id = AKIDDEFAULT\n'
                     'aws_secret_access_key = default-secret-value\n\n'
                     '[dev]\naws_access_key_id = AKIDDEV\n'
                     'aws_secret_access_key = dev-secret-value\n'
                     'aws_session_token = dev-token-value\n')
    monkeypatch.setenv('AWS_CONFIG_FILE', str(config))
    monkeypatch.setenv('AWS_SHARED_CREDENTIALS_FILE', str(creds))
    for var in ('AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_DEFAULT_REGION'):
        monkeypatch.delenv(var, raising=False)


def test_sessions_and_profiles(tmp_path, monkeypatch):
    _write_profiles(tmp_path, monkeypatch)

    def scenario(lib, p):
        out = {}
        for profile in (None, 'dev'):
            s = lib.Session(profile_name=profile)
            c = s.get_credentials()
            frozen = c.get_frozen_credentials()
            out[str(profile)] = {
                'profile': s.profile_name, 'region': s.region_name,
                'profiles': sorted(s.available_profiles),
                'creds': [c.access_key, c.secret_key, c.token, c.method],
                'frozen': list(frozen),
                'client_region': s.client('sqs').meta.region_name,
            }
        explicit = lib.Session(aws_access_key_id='AKIDX', aws_secret_access_key='sx',
                               region_name='us-west-2')
        out['explicit'] = [explicit.region_name, explicit.get_credentials().method,
                           explicit.client('s3', region_name='eu-central-1').meta.region_name]
        out['services'] = 's3' in lib.Session().get_available_services()
        return out

    run_both(scenario)


def test_secrets_never_printed(tmp_path, monkeypatch):
    _write_profiles(tmp_path, monkeypatch)
    s = boto_rs.Session(profile_name='dev')
    c = s.get_credentials()
    texts = [repr(s), str(s), repr(c), str(c), repr(c.get_frozen_credentials()),
             str(c.get_frozen_credentials()), repr(s._core),
             repr(boto_rs.config.Config(retries={'max_attempts': 2}, user_agent_extra='x')),
             repr(s.client('s3')), repr(s.client('s3')._core)]
    explicit = boto_rs.Session(aws_access_key_id='AKIDX', aws_secret_access_key='top-secret-x',
                               aws_session_token='token-secret-y')
    texts += [repr(explicit), repr(explicit.get_credentials())]
    try:
        explicit.client('s3', endpoint_url=ENDPOINT).get_object(Bucket='b')
    except Exception as e:  # noqa: BLE001
        texts += [str(e), repr(e)]
    for text in texts:
        for secret in ('dev-secret-value', 'dev-token-value', 'top-secret-x', 'token-secret-y'):
            assert secret not in text, text


def test_default_session_helpers(tmp_path, monkeypatch):
    _write_profiles(tmp_path, monkeypatch)

    def scenario(lib, p):
        lib.setup_default_session(profile_name='dev')
        a = lib.client('sqs').meta.region_name
        lib.setup_default_session(region_name='ca-central-1')
        b = lib.client('sqs').meta.region_name
        lib.DEFAULT_SESSION = None
        return [a, b, lib.client('sqs').meta.region_name]

    run_both(scenario)


def test_client_surface_and_config():
    def scenario(lib, p):
        path = client(lib, 's3', config=lib_config(lib, s3={'addressing_style': 'path'},
                                                   signature_version='s3v4'))
        virtual = lib.client('s3', region_name='us-west-2', config=lib_config(
            lib, s3={'addressing_style': 'virtual'}, signature_version='s3v4'))
        url_path = path.generate_presigned_url('get_object', Params={'Bucket': 'bkt', 'Key': 'k'})
        url_virtual = virtual.generate_presigned_url('get_object',
                                                     Params={'Bucket': 'bkt', 'Key': 'k'})
        ddb = lib.client('dynamodb', region_name='eu-west-1')
        return {
            'path': url_path.split('?')[0], 'virtual': url_virtual.split('?')[0],
            'meta': [ddb.meta.region_name, ddb.meta.endpoint_url, path.meta.endpoint_url],
            'waiters': ddb.waiter_names,
            'can': [ddb.can_paginate('scan'), ddb.can_paginate('get_item')],
            'has_methods': [hasattr(ddb, 'get_item'), hasattr(ddb, 'GetItem'),
                            callable(ddb.batch_write_item)],
            'exceptions': sorted(n for n in dir(ddb.exceptions) if n.endswith('Exception'))[:5],
            'config': [lib_config(lib, read_timeout=5).read_timeout,
                       lib_config(lib).connect_timeout,
                       lib_config(lib, retries={'max_attempts': 2}).merge(
                           lib_config(lib, read_timeout=3)).retries],
        }

    run_both(scenario)
    assert os.environ['AWS_DEFAULT_REGION'] == 'us-east-1'


def test_threads_share_one_client():
    s3 = client(boto_rs, 's3')
    s3.create_bucket(Bucket='cmprust-threads')
    errors = []
    counts = [0] * 8

    def work(n):
        try:
            for i in range(15):
                key = f't{n}/k{i}'
                body = f'{n}:{i}'.encode() * (i + 1)
                s3.put_object(Bucket='cmprust-threads', Key=key, Body=body)
                got = s3.get_object(Bucket='cmprust-threads', Key=key)['Body'].read()
                assert got == body
                counts[n] += 1
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert counts == [15] * 8
    listed = s3.get_paginator('list_objects_v2').paginate(
        Bucket='cmprust-threads').build_full_result()
    assert len(listed['Contents']) == 120
    ddb = client(boto_rs, 'dynamodb')
    # One client, many threads, interleaved paginators.
    results = []
    lock = threading.Lock()

    def pages(n):
        got = list(s3.get_paginator('list_objects_v2').paginate(
            Bucket='cmprust-threads', Prefix=f't{n}/', PaginationConfig={'PageSize': 4}))
        with lock:
            results.append(sum(pg['KeyCount'] for pg in got))
        ddb.list_tables()

    threads = [threading.Thread(target=pages, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [15] * 8
