"""Records sigv4a_botocore_parity.json: botocore's CRT SigV4a signers' output.

botocore signs SigV4a only through awscrt (botocore.crt.auth), which the test
venv does not install, so the outputs are recorded once and replayed by
sigv4a_botocore_parity.rs. To regenerate (network needed once):

    python3 -m venv /tmp/v4a && /tmp/v4a/bin/pip install botocore==1.43.67 awscrt==0.38.1
    /tmp/v4a/bin/python crates/boto-auth/tests/sigv4a_botocore_parity.py

awscrt's ECDSA signatures use random nonces, so a new recording differs in the
signatures only; the Rust test verifies them rather than comparing bytes.
"""

import datetime
import json
import os
import sys

import awscrt  # noqa: F401  (fail early when awscrt is missing)
import botocore
import botocore.auth  # noqa: F401  (imports botocore.crt.auth in the right order)
import botocore.crt.auth as crt_auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ACCESS_KEY = 'AKIDEXAMPLE'
SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
WHEN = datetime.datetime(2026, 12, 3, 10, 0, 0, tzinfo=datetime.timezone.utc)
MRAP = 'https://mrap.accesspoint.s3-global.amazonaws.com'

# name, signer class, method, url, headers, body, region set, service, token,
# expires (presign), payload signing disabled (S3 + Content-MD5 + streaming)
CASES = [
    ('get-query-token', 'CrtSigV4AsymAuth', 'GET',
     'https://svc.amazonaws.com/a/./b/../c%3Ad?x=1&y=a%20b', [], '', '*', 'svc',
     'TOKEN/+=', None, False),
    ('post-json', 'CrtSigV4AsymAuth', 'POST', 'https://svc.amazonaws.com/',
     [['Content-Type', 'application/x-amz-json-1.0'], ['X-Amz-Target', 'Svc.Op'],
      ['User-Agent', 'ua']], '{"a":1}', 'us-east-1,us-west-2', 'svc', None, None, False),
    ('s3-put', 'CrtS3SigV4AsymAuth', 'PUT', MRAP + '/a%20b/c~d',
     [['Content-Type', 'text/plain']], 'hello', '*', 's3', None, None, False),
    ('s3-put-unsigned', 'CrtS3SigV4AsymAuth', 'PUT', MRAP + '/k',
     [['Content-MD5', 'XUFAKrxLKna5cZ2REBfFkg==']], 'hello', '*', 's3', 'tok', None, True),
    ('s3-presign', 'CrtS3SigV4AsymQueryAuth', 'GET', MRAP + '/k%2Fx?versionId=3', [], '',
     '*', 's3', 'tok/en', 900, False),
    ('presign-form', 'CrtSigV4AsymQueryAuth', 'GET',
     'https://svc.amazonaws.com/p?Action=Do&V=1',
     [['Content-Type', 'application/x-www-form-urlencoded; charset=utf-8'],
      ['X-Custom', 'v']], '', 'eu-west-1', 'svc', None, 3600, False),
]


def record(case):
    name, kind, method, url, headers, body, region_set, service, token, expires, unsigned = case
    creds = Credentials(ACCESS_KEY, SECRET_KEY, token)
    cls = getattr(crt_auth, kind)
    signer = cls(creds, service, region_set) if expires is None else cls(
        creds, service, region_set, expires=expires)
    req = AWSRequest(method=method, url=url, headers=dict(headers), data=body.encode())
    if unsigned:
        req.context['has_streaming_input'] = True
        req.context['payload_signing_enabled'] = False
    signer.add_auth(req)
    out = {'name': name, 'kind': kind, 'method': method, 'url': url, 'headers': headers,
           'body': body, 'region_set': region_set, 'service': service, 'token': token,
           'expires': expires}
    if 'Query' in kind:
        out['botocore_url'] = req.url
    else:
        out['botocore_headers'] = [[k, v] for k, v in req.headers.items()]
    out['unsigned_payload'] = unsigned
    return out


def main():
    if botocore.__version__ != '1.43.67':
        sys.exit(f'botocore 1.43.67 expected, found {botocore.__version__}')
    crt_auth.get_current_datetime = lambda remove_tzinfo=True: WHEN
    cases = [record(c) for c in CASES]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'sigv4a_botocore_parity.json')
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write('[\n' + ',\n'.join(' ' + json.dumps(c) for c in cases) + '\n]\n')
    os.replace(tmp, path)
    print(f'recorded {len(cases)} cases to {path}')


if __name__ == '__main__':
    main()
