"""Resources: boto3 vs boto_rs on moto — the S3 walkthrough through resources,
collections (filter/limit/page_size/pages, batch delete), waiters, identifiers,
lazy attributes, equality/hash/repr, errors and threads sharing one resource."""

from __future__ import annotations

import threading

import pytest

from conftest import ENDPOINT, client, run_both

import boto3
import boto_rs


SUFFIXES = ('res', 'thr', 'stub')


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


def resource(lib, service, **kwargs):
    kwargs.setdefault('region_name', 'us-east-1')
    return lib.resource(service, endpoint_url=ENDPOINT, **kwargs)


def test_s3_resource_walkthrough():
    def scenario(lib, p):
        s3 = resource(lib, 's3')
        out = {}
        bucket = s3.create_bucket(Bucket=f'{p}-res')
        out['bucket'] = [repr(bucket), bucket.name, type(bucket).__name__]
        out['same'] = [bucket == s3.Bucket(f'{p}-res'), bucket == s3.Bucket(name=f'{p}-res'),
                       hash(bucket) == hash(s3.Bucket(f'{p}-res')), bucket != s3.Bucket('other'),
                       len({bucket, s3.Bucket(f'{p}-res')})]
        bucket.wait_until_exists()
        obj = bucket.put_object(Key='docs/a.txt', Body=b'hello resources\n' * 4,
                                ContentType='text/plain', Metadata={'owner': p})
        out['obj'] = [repr(obj), obj.bucket_name, obj.key, type(obj).__name__]
        out['attrs'] = [obj.content_length, obj.content_type, obj.metadata, obj.e_tag,
                        obj.last_modified is not None]
        out['data_keys'] = sorted(k for k in obj.meta.data if k != 'ResponseMetadata')
        out['meta'] = [obj.meta.service_name, obj.meta.identifiers,
                       type(obj.meta.client).__name__]
        out['get'] = obj.get()['Body'].read()
        s3.Object(f'{p}-res', 'docs/b.txt').put(Body=b'bee')
        bucket.Object('img/c.bin').put(Body=bytes(range(50)))
        for i in range(5):
            bucket.put_object(Key=f'logs/{i:02d}.log', Body=b'x' * i)
        obj2 = s3.Object(f'{p}-res', 'docs/b.txt')
        obj2.wait_until_exists()
        out['lazy'] = [obj2.meta.data is None, obj2.content_length, obj2.meta.data is not None]
        obj2.reload()
        out['reloaded'] = obj2.content_length
        out['all'] = [(o.key, o.size, type(o).__name__) for o in bucket.objects.all()]
        out['filter'] = [o.key for o in bucket.objects.filter(Prefix='logs/')]
        out['limit'] = [o.key for o in bucket.objects.filter(Prefix='logs/').limit(3)]
        out['pages'] = [[o.key for o in page]
                        for page in bucket.objects.filter(Prefix='logs/').page_size(2).pages()]
        out['summary_obj'] = [repr(s) for s in bucket.objects.limit(1)]
        out['buckets'] = [b.name for b in s3.buckets.all() if b.name.startswith(p)]
        out['sub'] = repr(s3.Bucket(f'{p}-res').Object('k'))
        out['sub_kw'] = repr(s3.Object(bucket_name=f'{p}-res', key='k2'))
        out['avail'] = bucket.get_available_subresources()
        out['reprs'] = [repr(bucket.objects), repr(bucket.objects.filter(Prefix='x').limit(2)),
                        repr(s3.buckets.all()), repr(s3.meta.client.meta.region_name)]
        out['batch_delete'] = bucket.objects.filter(Prefix='logs/').delete()
        out['after'] = sorted(o.key for o in bucket.objects.all())
        out['copy_from'] = s3.Object(f'{p}-res', 'copy.txt').copy_from(
            CopySource={'Bucket': f'{p}-res', 'Key': 'docs/b.txt'})
        out['client_call'] = bucket.meta.client.head_bucket(Bucket=f'{p}-res')
        out['delete_all'] = bucket.objects.delete()
        out['delete'] = bucket.delete()
        bucket.wait_until_not_exists()
        return out

    out = run_both(scenario)
    assert out['same'] == [('bool', True)] * 4 + [('int', 1)]
    assert len(out['pages']) == 3
    assert out['limit'] == ['logs/00.log', 'logs/01.log', 'logs/02.log']


def test_resource_errors():
    def scenario(lib, p):
        s3 = resource(lib, 's3')
        out = {}
        try:
            s3.Object(f'{p}-missing', 'k').load()
        except lib_errors(lib).ClientError as e:
            out['load'] = [type(e).__name__, e.response['Error'], str(e)]
        try:
            s3.Object(f'{p}-missing', 'k').content_length
        except lib_errors(lib).ClientError as e:
            out['attr'] = [type(e).__name__, e.response['Error']['Code']]
        for bad in (lambda: s3.Bucket(), lambda: s3.Object('b')):
            try:
                bad()
            except Exception as e:  # noqa: BLE001 - the class is compared
                out.setdefault('idents', []).append(type(e).__name__)
        out['noattr'] = hasattr(s3.Bucket('b'), 'no_such_thing')
        try:
            s3.MultipartUploadPart('b', 'k', 'u', 1).size  # a class without load
        except Exception as e:  # noqa: BLE001 - boto3's ResourceLoadException
            out['noload'] = [type(e).__name__, str(e)]
        try:
            resource(lib, 'lambda')
        except Exception as e:  # noqa: BLE001 - boto3's ResourceNotExistsError
            out['nores'] = [type(e).__name__, str(e).splitlines()[0]]
        out['available'] = sorted(lib.Session().get_available_resources())
        return out

    run_both(scenario)


def lib_errors(lib):
    if lib is boto3:
        import botocore.exceptions
        return botocore.exceptions
    return boto_rs.exceptions


def test_ec2_resource_and_collections():
    def scenario(lib, p):
        ec2 = resource(lib, 'ec2')
        out = {}
        vpc = ec2.create_vpc(CidrBlock='10.7.0.0/16')
        out['vpc'] = [type(vpc).__name__, vpc.cidr_block, vpc.state]
        subnet = vpc.create_subnet(CidrBlock='10.7.1.0/24')
        out['subnet'] = [subnet.cidr_block, subnet.vpc == vpc, subnet.vpc_id == vpc.id]
        out['subnets'] = [s.cidr_block for s in vpc.subnets.all()]
        vpc.create_tags(Tags=[{'Key': 'Name', 'Value': p}])
        vpc.reload()
        out['tags'] = vpc.tags
        out['filtered'] = [v.cidr_block for v in ec2.vpcs.filter(
            Filters=[{'Name': 'tag:Name', 'Values': [p]}])]
        subnet.delete()
        vpc.delete()
        return out

    run_both(scenario)


def test_threads_share_one_resource():
    def scenario(lib, p):
        s3 = resource(lib, 's3')
        bucket = s3.create_bucket(Bucket=f'{p}-thr')
        for i in range(8):
            bucket.put_object(Key=f'k{i}', Body=b'y' * (i + 1))
        obj = s3.Object(f'{p}-thr', 'k7')
        results = {}
        errors = []

        def work(n):
            try:
                keys = [o.key for o in bucket.objects.filter(Prefix='k').page_size(3)]
                results[n] = (obj.content_length, len(keys), bucket.Object(f'k{n}').content_length)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        bucket.objects.all().delete()
        bucket.delete()
        return {'errors': errors, 'results': [results[n] for n in sorted(results)]}

    out = run_both(scenario)
    assert out['errors'] == []
    assert len(out['results']) == 8


@pytest.mark.parametrize('lib', [boto_rs])
def test_resource_is_a_plain_module_attribute(lib):
    assert callable(lib.resource)
    s3 = resource(lib, 's3')
    assert repr(s3) == 's3.ServiceResource()'
    assert type(s3.meta.client).__name__ == 'S3'


def test_stubber_on_resource_client():
    """``Stubber(resource.meta.client)`` answers the resource's calls too (as in boto3)."""
    def scenario(lib, p):
        if lib is boto3:
            from botocore.stub import Stubber
        else:
            from boto_rs.stub import Stubber
        s3 = resource(lib, 's3')
        obj = s3.Object(f'{p}-stub', 'k')
        with Stubber(s3.meta.client) as stub:
            stub.add_response('head_object', {'ContentLength': 5, 'ETag': '"e"'},
                              {'Bucket': f'{p}-stub', 'Key': 'k'})
            stub.add_response('list_objects', {'Contents': [{'Key': 'a', 'Size': 1}]},
                              {'Bucket': f'{p}-stub'})
            out = [obj.content_length, obj.e_tag,
                   [(o.key, o.size) for o in s3.Bucket(f'{p}-stub').objects.all()]]
            stub.assert_no_pending_responses()
        return out

    run_both(scenario)


def test_sqs_iam_sns_ec2_resources():
    """Actions returning resources from responses, collections with filters,
    references (``instance.vpc``), waiters and batch actions beyond S3."""
    def scenario(lib, p):
        out = {}
        sqs = resource(lib, 'sqs')
        q = sqs.create_queue(QueueName=f'{p}-q')
        out['queue'] = [repr(q), sorted(q.attributes)]
        out['send'] = sorted(q.send_message(MessageBody='hello'))
        msgs = q.receive_messages(MaxNumberOfMessages=1)
        out['msgs'] = [[type(m).__name__, m.body, m.queue_url] for m in msgs]
        out['del'] = sorted(msgs[0].delete())
        out['queues'] = [repr(x) for x in sqs.queues.filter(QueueNamePrefix=p)]
        q.delete()
        iam = resource(lib, 'iam')
        u = iam.create_user(UserName=f'{p}-u')
        out['user'] = [repr(u), u.user_name, u.arn]
        g = iam.create_group(GroupName=f'{p}-g')
        g.add_user(UserName=u.name)
        out['groups'] = [repr(x) for x in u.groups.all()]
        g.remove_user(UserName=u.name)
        g.delete()
        u.delete()
        sns = resource(lib, 'sns')
        t = sns.create_topic(Name=f'{p}-t')
        out['topic'] = [repr(t), sorted(t.attributes)]
        t.delete()
        ec2 = resource(lib, 'ec2')
        i = ec2.create_instances(ImageId='ami-12c6146b', MinCount=1, MaxCount=1)[0]
        i.wait_until_running(WaiterConfig={'Delay': 1})
        i.reload()
        out['instance'] = [type(i).__name__, i.state['Name'], repr(i.vpc) == repr(ec2.Vpc(i.vpc_id)),
                           type(i.subnet).__name__, len(list(i.volumes.all()))]
        out['terminate'] = ec2.instances.filter(InstanceIds=[i.id]).terminate()
        return out

    run_both(scenario)


def test_base_classes_under_boto3_module_names():
    def scenario(lib, p):
        import importlib
        name = 'boto3' if lib is boto3 else 'boto_rs'
        base = importlib.import_module(f'{name}.resources.base')
        coll = importlib.import_module(f'{name}.resources.collection')
        s3 = resource(lib, 's3')
        b = s3.Bucket('x')
        return [isinstance(s3, base.ServiceResource), isinstance(b, base.ServiceResource),
                isinstance(b.meta, base.ResourceMeta),
                isinstance(b.objects, coll.CollectionManager),
                isinstance(b.objects.all(), coll.ResourceCollection),
                isinstance(b.objects.all(), coll.CollectionManager)]

    assert run_both(scenario) == [('bool', True)] * 5 + [('bool', False)]
