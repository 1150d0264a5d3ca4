"""Transfers: boto3 vs boto_rs on moto — upload_file/download_file of a
multipart-sized file with Callback totals and TransferConfig, file objects,
copy, the resource methods, and errors."""

from __future__ import annotations

import hashlib
import io
import os
import threading

import pytest

from conftest import client, run_both

import boto3
import boto_rs

MIB = 1024 * 1024


SUFFIXES = ('xfer', 'fo', 'err', 'thx', 'cb')


@pytest.fixture(autouse=True)
def _remove_leftover_buckets():
    """A failed scenario leaves its buckets behind; remove them so later tests
    that list buckets by prefix are not affected."""
    yield
    s3 = client(boto3, 's3')
    for b in s3.list_buckets().get('Buckets', []):
        name = b['Name']
        if name.startswith(('cmpboto-', 'cmprust-')) and name.split('-', 1)[1] in SUFFIXES:
            for page in s3.get_paginator('list_object_versions').paginate(Bucket=name):
                for v in page.get('Versions', []) + page.get('DeleteMarkers', []):
                    s3.delete_object(Bucket=name, Key=v['Key'], VersionId=v['VersionId'])
            for u in s3.list_multipart_uploads(Bucket=name).get('Uploads', []):
                s3.abort_multipart_upload(Bucket=name, Key=u['Key'], UploadId=u['UploadId'])
            s3.delete_bucket(Bucket=name)


def transfer_config(lib, **kwargs):
    if lib is boto3:
        from boto3.s3.transfer import TransferConfig
    else:
        from boto_rs.s3.transfer import TransferConfig
    return TransferConfig(**kwargs)


class Progress:
    def __init__(self):
        self.total = 0
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, n):
        with self.lock:
            self.total += n
            self.calls += 1


def test_multipart_upload_and_download(tmp_path):
    data = os.urandom(20 * MIB + 12345)
    src = tmp_path / 'big.bin'
    src.write_bytes(data)

    def scenario(lib, p):
        s3 = client(lib, 's3')
        s3.create_bucket(Bucket=f'{p}-xfer')
        cfg = transfer_config(lib, multipart_threshold=8 * MIB, multipart_chunksize=8 * MIB,
                              max_concurrency=4)
        up = Progress()
        out = {'upload': s3.upload_file(str(src), f'{p}-xfer', 'big.bin', Callback=up, Config=cfg)}
        out['up_total'] = up.total
        head = s3.head_object(Bucket=f'{p}-xfer', Key='big.bin')
        out['head'] = [head['ContentLength'], head['ETag'].endswith('-3"')]
        down = Progress()
        dst = tmp_path / f'{p}-down.bin'
        out['download'] = s3.download_file(f'{p}-xfer', 'big.bin', str(dst), Callback=down,
                                           Config=cfg)
        out['down_total'] = down.total
        out['same'] = hashlib.sha256(dst.read_bytes()).hexdigest() == \
            hashlib.sha256(data).hexdigest()
        # Below the threshold: one PutObject (no multipart ETag).
        small = tmp_path / 'small.bin'
        small.write_bytes(data[:1000])
        s3.upload_file(str(small), f'{p}-xfer', 'small.bin', ExtraArgs={
            'ContentType': 'application/x-test', 'Metadata': {'k': 'v'}})
        h = s3.head_object(Bucket=f'{p}-xfer', Key='small.bin')
        out['small'] = [h['ContentLength'], h['ContentType'], h['Metadata'], '-' in h['ETag']]
        # Single-threaded config is honoured too.
        s3.upload_file(str(src), f'{p}-xfer', 'big2.bin',
                       Config=transfer_config(lib, use_threads=False, multipart_threshold=16 * MIB))
        out['big2'] = s3.head_object(Bucket=f'{p}-xfer', Key='big2.bin')['ContentLength']
        for k in ('big.bin', 'small.bin', 'big2.bin'):
            s3.delete_object(Bucket=f'{p}-xfer', Key=k)
        s3.delete_bucket(Bucket=f'{p}-xfer')
        return out

    out = run_both(scenario)
    assert out['up_total'] == ('int', len(data))
    assert out['down_total'] == ('int', len(data))
    assert out['same'] == ('bool', True)
    assert out['head'][1] == ('bool', True)  # three 8 MiB parts


def test_fileobj_copy_and_resource_methods(tmp_path):
    payload = b'file object payload\n' * 1000

    def scenario(lib, p):
        s3 = client(lib, 's3')
        res = lib.resource('s3', endpoint_url=s3.meta.endpoint_url, region_name='us-east-1')
        s3.create_bucket(Bucket=f'{p}-fo')
        out = {}
        prog = Progress()
        s3.upload_fileobj(io.BytesIO(payload), f'{p}-fo', 'fo.txt', Callback=prog)
        out['prog'] = prog.total
        buf = io.BytesIO()
        s3.download_fileobj(f'{p}-fo', 'fo.txt', buf)
        out['roundtrip'] = buf.getvalue() == payload
        s3.copy({'Bucket': f'{p}-fo', 'Key': 'fo.txt'}, f'{p}-fo', 'copied.txt',
                ExtraArgs={'MetadataDirective': 'REPLACE', 'Metadata': {'m': '1'}})
        h = s3.head_object(Bucket=f'{p}-fo', Key='copied.txt')
        out['copy'] = [h['ContentLength'], h['Metadata']]
        bucket = res.Bucket(f'{p}-fo')
        f = tmp_path / f'{p}-r.txt'
        f.write_bytes(b'via bucket')
        bucket.upload_file(str(f), 'r.txt')
        obj = res.Object(f'{p}-fo', 'r.txt')
        out['obj_len'] = obj.content_length
        dst = tmp_path / f'{p}-r2.txt'
        obj.download_file(str(dst))
        out['obj_down'] = dst.read_bytes()
        res.Object(f'{p}-fo', 'r3.txt').upload_fileobj(io.BytesIO(b'obj fileobj'))
        b2 = io.BytesIO()
        bucket.download_fileobj('r3.txt', b2)
        out['bucket_fo'] = b2.getvalue()
        if lib is boto3:
            from boto3.s3.transfer import S3Transfer
        else:
            from boto_rs.s3.transfer import S3Transfer
        st = S3Transfer(s3, transfer_config(lib, multipart_threshold=5 * MIB))
        st.upload_file(str(f), f'{p}-fo', 'st.txt', extra_args={'ContentType': 'text/x-st'})
        st.download_file(f'{p}-fo', 'st.txt', str(tmp_path / f'{p}-st.txt'))
        out['s3transfer'] = [(tmp_path / f'{p}-st.txt').read_bytes(),
                             s3.head_object(Bucket=f'{p}-fo', Key='st.txt')['ContentType']]
        res.Object(f'{p}-fo', 'r4.txt').copy({'Bucket': f'{p}-fo', 'Key': 'r3.txt'})
        out['obj_copy'] = res.Object(f'{p}-fo', 'r4.txt').get()['Body'].read()
        bucket.objects.all().delete()
        bucket.delete()
        return out

    out = run_both(scenario)
    assert out['roundtrip'] == ('bool', True)
    assert out['prog'] == ('int', len(payload))


def test_transfer_errors(tmp_path):
    f = tmp_path / 'x.txt'
    f.write_bytes(b'x')

    def scenario(lib, p):
        s3 = client(lib, 's3')
        out = {}
        try:
            s3.upload_file(str(f), f'{p}-no-such-bucket', 'k')
        except Exception as e:  # noqa: BLE001 - the class and message are compared
            out['upload'] = [type(e).__name__, str(e).replace(str(f), '<file>')]
        s3.create_bucket(Bucket=f'{p}-err')
        try:
            s3.download_file(f'{p}-err', 'missing', str(tmp_path / f'{p}-m'))
        except Exception as e:  # noqa: BLE001
            out['download'] = [type(e).__name__, e.response['Error'], str(e)]
        out['left'] = os.path.exists(tmp_path / f'{p}-m')
        try:
            s3.upload_file(str(tmp_path / 'does-not-exist'), f'{p}-err', 'k')
        except Exception as e:  # noqa: BLE001
            out['nofile'] = type(e).__name__
        try:
            s3.upload_file(str(f), f'{p}-err', 'k', ExtraArgs={'NotAnArg': 1})
        except Exception as e:  # noqa: BLE001
            out['badarg'] = type(e).__name__
        s3.delete_bucket(Bucket=f'{p}-err')
        return out

    run_both(scenario)


def test_threads_share_one_client_for_transfers(tmp_path):
    """Eight threads upload and download through one client at once."""
    blobs = [os.urandom(300_000 + i) for i in range(8)]

    def scenario(lib, p):
        s3 = client(lib, 's3')
        s3.create_bucket(Bucket=f'{p}-thx')
        errors, sizes = [], {}

        def work(n):
            try:
                src = tmp_path / f'{p}-{n}.src'
                src.write_bytes(blobs[n])
                prog = Progress()
                s3.upload_file(str(src), f'{p}-thx', f'k{n}', Callback=prog)
                dst = tmp_path / f'{p}-{n}.dst'
                s3.download_file(f'{p}-thx', f'k{n}', str(dst))
                sizes[n] = (prog.total, dst.read_bytes() == blobs[n])
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for n in range(8):
            s3.delete_object(Bucket=f'{p}-thx', Key=f'k{n}')
        s3.delete_bucket(Bucket=f'{p}-thx')
        return {'errors': errors, 'sizes': [sizes.get(n) for n in range(8)]}

    out = run_both(scenario)
    assert out['errors'] == []
    assert all(s[1] == ('bool', True) for s in out['sizes'])


def test_callback_exception_stops_the_transfer(tmp_path):
    """An exception raised by ``Callback`` fails the transfer with that exception."""
    src = tmp_path / 'cb.bin'
    src.write_bytes(os.urandom(9 * MIB))

    def scenario(lib, p):
        s3 = client(lib, 's3')
        s3.create_bucket(Bucket=f'{p}-cb')

        def stop(n):
            raise KeyError('stop here')

        out = {}
        try:
            s3.upload_file(str(src), f'{p}-cb', 'k', Callback=stop)
            out['upload'] = 'no error'
        except Exception as e:  # noqa: BLE001 - the class is compared
            out['upload'] = [type(e).__name__, str(e)]
        out['uploads_left'] = len(s3.list_multipart_uploads(Bucket=f'{p}-cb').get('Uploads', []))
        keys = s3.list_objects_v2(Bucket=f'{p}-cb').get('Contents', [])
        for k in keys:
            s3.delete_object(Bucket=f'{p}-cb', Key=k['Key'])
        s3.delete_bucket(Bucket=f'{p}-cb')
        return out

    run_both(scenario)
