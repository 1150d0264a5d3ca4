"""The drop-in switch (boto_rs.shim): an unmodified boto3 program runs on boto_rs without boto3.

``shim_app/boto3_app.py`` (S3 with a paginator, errors, transfers with
TransferConfig; the DynamoDB resource with Key/Attr conditions and the batch
writer; SQS) runs three times against moto: with the real boto3, with
``python -S -m boto_rs.shim`` and with the shim's PYTHONPATH directory. In the
last two, ``-S`` keeps site-packages (where boto3 and botocore are installed)
off the path, and only boto_rs is put on it. The printed summaries must match.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

import boto_rs

from conftest import ENDPOINT

APP = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'shim_app', 'boto3_app.py')


def _only_boto_rs() -> str:
    """A directory on which only the boto_rs package is importable."""
    d = tempfile.mkdtemp(prefix='boto-rs-shim-')
    atexit.register(shutil.rmtree, d, ignore_errors=True)
    os.symlink(os.path.dirname(os.path.abspath(boto_rs.__file__)), os.path.join(d, 'boto_rs'))
    return d


def _run(args, pythonpath=None, prefix='x'):
    env = dict(os.environ, BOTO_TEST_ENDPOINT=ENDPOINT)
    env.pop('PYTHONPATH', None)
    if pythonpath:
        env['PYTHONPATH'] = pythonpath
    run = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True,
                         timeout=300, cwd=tempfile.gettempdir())
    return run


def _summary(run, prefix):
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1].replace(prefix, '<p>'))


def test_unmodified_boto3_program_on_boto_rs():
    only = _only_boto_rs()
    # Without the shim, boto3 is not importable there.
    plain = _run(['-S', '-c', 'import boto3'], only)
    assert plain.returncode != 0 and 'boto3' in plain.stderr
    expected = _summary(_run([APP, 'shimboto']), 'shimboto')
    assert expected['transfer_equal'] is True and expected['query'] == [[2, '2.5'], [4, '4.5']]

    runner = _run(['-S', '-m', 'boto_rs.shim', APP, 'shimrun'], only)
    assert _summary(runner, 'shimrun') == expected

    shim_dir = _run(['-S', '-m', 'boto_rs.shim', '--path', os.path.join(only, 'shim')], only)
    assert shim_dir.returncode == 0, shim_dir.stderr
    path = shim_dir.stdout.strip()
    on_path = _run(['-S', APP, 'shimpath'], f'{path}{os.pathsep}{only}')
    assert _summary(on_path, 'shimpath') == expected
    # The modules really are boto_rs's.
    check = _run(['-S', '-c', 'import boto3, botocore.exceptions, botocore.config, '
                  'boto3.dynamodb.conditions as c; '
                  'print(boto3.__name__, botocore.exceptions.__name__, '
                  'botocore.config.Config.__module__, c.Key.__module__)'],
                 f'{path}{os.pathsep}{only}')
    assert check.stdout.split() == ['boto_rs', 'boto_rs.exceptions', 'boto_rs.config',
                                    'boto_rs.dynamodb.conditions'], check.stderr


def test_install_as_boto3_in_process_keeps_real_botocore():
    """With botocore installed, install_as_boto3() aliases boto3 only by default."""
    code = ('import boto_rs.shim, sys; boto_rs.shim.install_as_boto3(); '
            'import boto3, botocore.exceptions; '
            'c = boto3.client("s3", region_name="us-east-1", endpoint_url=sys.argv[1]); '
            'exec("try:\\n c.head_bucket(Bucket=\'shim-none\')\\n'
            'except botocore.exceptions.ClientError as e:\\n print(type(e).__module__, '
            'botocore.exceptions.__name__, boto3.__name__)")')
    run = _run(['-c', code, ENDPOINT], os.pathsep.join(p for p in sys.path if p))
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ['boto_rs.exceptions', 'botocore.exceptions', 'boto_rs']
