"""S3 walkthrough, streaming bodies and presigned URLs: boto3 vs boto_rs on moto."""

from __future__ import annotations

import datetime
import io
import urllib.request

from conftest import client, lib_config, run_both


def test_s3_walkthrough():
    def scenario(lib, p):
        s3 = client(lib, 's3')
        out = {}
        out['create'] = s3.create_bucket(Bucket=f'{p}-walk')
        out['put'] = s3.put_object(
            Bucket=f'{p}-walk', Key='docs/a.txt', Body=b'hello world\n' * 10,
            ContentType='text/plain', Metadata={'owner': p})
        s3.put_object(Bucket=f'{p}-walk', Key='docs/b.txt', Body='text body')
        s3.put_object(Bucket=f'{p}-walk', Key='img/c.bin', Body=io.BytesIO(bytes(range(256))))
        s3.put_object(Bucket=f'{p}-walk', Key='img/d.bin', Body=bytearray(b'abc'))
        out['bytearray'] = s3.get_object(Bucket=f'{p}-walk', Key='img/d.bin')['Body'].read()
        s3.delete_object(Bucket=f'{p}-walk', Key='img/d.bin')
        head = s3.head_object(Bucket=f'{p}-walk', Key='docs/a.txt')
        out['head'] = head
        got = s3.get_object(Bucket=f'{p}-walk', Key='docs/a.txt')
        out['body'] = got.pop('Body').read()
        out['get'] = got
        out['list'] = s3.list_objects_v2(Bucket=f'{p}-walk', Prefix='docs/')
        out['list_delim'] = s3.list_objects_v2(Bucket=f'{p}-walk', Delimiter='/')
        out['copy'] = s3.copy_object(Bucket=f'{p}-walk', Key='copy.txt',
                                     CopySource={'Bucket': f'{p}-walk', 'Key': 'docs/b.txt'})
        out['range'] = s3.get_object(Bucket=f'{p}-walk', Key='img/c.bin',
                                     Range='bytes=10-19')['Body'].read()
        out['buckets'] = [b['Name'] for b in s3.list_buckets()['Buckets'] if b['Name'].startswith(p)]
        out['delete_many'] = s3.delete_objects(Bucket=f'{p}-walk', Delete={'Objects': [
            {'Key': 'docs/a.txt'}, {'Key': 'docs/b.txt'}, {'Key': 'img/c.bin'}]})
        out['delete'] = s3.delete_object(Bucket=f'{p}-walk', Key='copy.txt')
        out['delete_bucket'] = s3.delete_bucket(Bucket=f'{p}-walk')
        return out

    out = run_both(scenario)
    assert out['body'] == ('bytes', b'hello world\n' * 10)
    assert out['range'] == ('bytes', bytes(range(10, 20)))


def test_s3_pagination():
    def scenario(lib, p):
        s3 = client(lib, 's3')
        s3.create_bucket(Bucket=f'{p}-pages')
        for i in range(7):
            s3.put_object(Bucket=f'{p}-pages', Key=f'k{i:02d}', Body=b'x' * i)
        pager = s3.get_paginator('list_objects_v2')
        pages = list(pager.paginate(Bucket=f'{p}-pages', PaginationConfig={'PageSize': 3}))
        full = pager.paginate(Bucket=f'{p}-pages', PaginationConfig={'MaxItems': 4}).build_full_result()
        rest = pager.paginate(Bucket=f'{p}-pages', PaginationConfig={
            'StartingToken': full['NextToken'], 'PageSize': 2}).build_full_result()
        keys = list(pager.paginate(Bucket=f'{p}-pages').search('Contents[].Key'))
        sizes = list(pager.paginate(Bucket=f'{p}-pages').search('Contents[?Size > `4`].Size'))
        it = pager.paginate(Bucket=f'{p}-pages', PaginationConfig={'MaxItems': 2, 'PageSize': 1})
        first = [pg['KeyCount'] for pg in it]
        return {'pages': pages, 'full': full, 'rest': rest, 'keys': keys, 'sizes': sizes,
                'first': first, 'resume': it.resume_token is not None,
                'can': [s3.can_paginate('list_objects_v2'), s3.can_paginate('get_object')]}

    out = run_both(scenario)
    assert len(out['pages']) == 3
    assert len(out['keys']) == 7


def test_streaming_body():
    data = b''.join(b'line %d\n' % i for i in range(500)) + b'last line without newline'

    def scenario(lib, p):
        s3 = client(lib, 's3')
        s3.create_bucket(Bucket=f'{p}-stream')
        s3.put_object(Bucket=f'{p}-stream', Key='big', Body=data)

        def body():
            return s3.get_object(Bucket=f'{p}-stream', Key='big')['Body']

        b = body()
        part = [b.read(5), b.read(0), b.read(10)]
        rest = b.read()
        b.close()
        lines = list(body().iter_lines())
        lines_keep = list(body().iter_lines(chunk_size=7, keepends=True))
        chunks = list(body().iter_chunks(chunk_size=1000))
        with body() as b2:
            iterated = b''.join(b2)
        return {'part': part, 'rest_len': len(rest), 'lines': lines, 'keep': lines_keep,
                'chunk_sizes': [len(c) for c in chunks], 'iterated': iterated == data}

    out = run_both(scenario)
    assert out['iterated'] == ('bool', True)
    assert len(out['lines']) == 501


def test_presigned_urls_fetched_over_http():
    # boto3 presigns S3 URLs with SigV2 unless a signature version is configured
    # (botocore's _default_s3_presign_to_sigv2); boto_rs always signs with SigV4.
    # Both URLs must work; with signature_version='s3v4' they must look alike.
    def scenario(lib, p):
        s3 = client(lib, 's3')
        s3.create_bucket(Bucket=f'{p}-presign')
        s3.put_object(Bucket=f'{p}-presign', Key='file.txt', Body=b'presigned content')
        url = s3.generate_presigned_url('get_object', Params={
            'Bucket': f'{p}-presign', 'Key': 'file.txt'}, ExpiresIn=300)
        with urllib.request.urlopen(url) as resp:
            fetched = resp.read()
        put_url = s3.generate_presigned_url('put_object', Params={
            'Bucket': f'{p}-presign', 'Key': 'up.txt'}, ExpiresIn=300)
        req = urllib.request.Request(put_url, data=b'uploaded', method='PUT')
        with urllib.request.urlopen(req) as resp:
            status = resp.status
        back = s3.get_object(Bucket=f'{p}-presign', Key='up.txt')['Body'].read()
        v4 = client(lib, 's3', config=lib_config(lib, signature_version='s3v4'))
        v4_url = v4.generate_presigned_url('get_object', Params={
            'Bucket': f'{p}-presign', 'Key': 'file.txt'}, ExpiresIn=60)
        with urllib.request.urlopen(v4_url) as resp:
            v4_fetched = resp.read()
        query = sorted(k.split('=')[0] for k in v4_url.split('?', 1)[1].split('&'))
        return {'fetched': fetched, 'status': status, 'back': back, 'query': query,
                'path': url.split('?')[0], 'v4_fetched': v4_fetched}

    out = run_both(scenario)
    assert out['fetched'] == ('bytes', b'presigned content')


def test_timestamps_in_and_out():
    when = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)

    def scenario(lib, p):
        s3 = client(lib, 's3')
        s3.create_bucket(Bucket=f'{p}-ts')
        s3.put_object(Bucket=f'{p}-ts', Key='k', Body=b'x', Expires=when)
        head = s3.head_object(Bucket=f'{p}-ts', Key='k')
        naive = datetime.datetime(2031, 5, 6, 7, 8, 9)
        s3.put_object(Bucket=f'{p}-ts', Key='n', Body=b'x', Expires=naive)
        head2 = s3.head_object(Bucket=f'{p}-ts', Key='n')
        return {'expires': head.get('Expires'), 'expires2': head2.get('Expires'),
                'lm_type': type(head['LastModified']).__name__,
                'exact': [head.get('Expires') == when,
                          head2.get('Expires') == naive.replace(tzinfo=datetime.timezone.utc)]}

    out = run_both(scenario)
    assert out['lm_type'] == 'datetime'


def _multipart(fields, file_name, data):
    boundary = 'boto-rs-test-boundary'
    parts = []
    for k, v in list(fields.items()) + [('file', None)]:
        if v is None:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                         f'filename="{file_name}"\r\nContent-Type: text/plain\r\n\r\n'
                         .encode() + data + b'\r\n')
        else:
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'
                         f'{v}\r\n'.encode())
    parts.append(f'--{boundary}--\r\n'.encode())
    return f'multipart/form-data; boundary={boundary}', b''.join(parts)


def test_presigned_post_form_upload():
    def scenario(lib, p):
        s3 = client(lib, 's3', config=lib_config(lib, signature_version='s3v4'))
        s3.create_bucket(Bucket=f'{p}-post')
        post = s3.generate_presigned_post(
            Bucket=f'{p}-post', Key='uploads/form.txt',
            Fields={'Content-Type': 'text/plain'},
            Conditions=[{'Content-Type': 'text/plain'}, ['content-length-range', 1, 1024]],
            ExpiresIn=300)
        ctype, body = _multipart(post['fields'], 'form.txt', b'posted by form')
        req = urllib.request.Request(post['url'], data=body, method='POST',
                                     headers={'Content-Type': ctype})
        with urllib.request.urlopen(req) as resp:
            status = resp.status
        got = s3.get_object(Bucket=f'{p}-post', Key='uploads/form.txt')
        return {'url': post['url'], 'fields': sorted(post['fields']), 'status': status,
                'key': post['fields']['key'], 'body': got['Body'].read(),
                'type': got['ContentType']}

    out = run_both(scenario)
    assert out['body'] == ('bytes', b'posted by form')
