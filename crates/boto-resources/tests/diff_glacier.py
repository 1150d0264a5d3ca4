"""The Glacier resource scenario of tests/diff_more.rs, written with boto3 resources.

Usage: python diff_glacier.py ENDPOINT PREFIX (a vault-name prefix unique to the run)

Account (sub-resources, create_vault, vaults collection), Vault (service
and account create_vault with `requestParameter` and string-literal
identifiers, load, create, upload_archive, initiate_inventory_retrieval,
the jobs collections with their status literals, delete), Archive
(identifiers from the response, initiate_archive_retrieval, delete) and
Job (load, get_output, the Vault reference). moto 5.2.5 has no Glacier
multipart uploads or vault notifications (404 pages): MultipartUpload and
Notification are built and their calls compared, which must fail alike
(their data paths are covered offline by diff_responses). Job and
archive ids are random, so results show their lengths and calls mask them.
Output as diff_common.py describes.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_common import ARGS, attrs, finish, out, reprs, resource, step  # noqa: E402

gl = resource("glacier", max_attempts=1)
P = ARGS[0]
account = gl.Account("-")
s = {}


def ids(r):
    return [r.account_id, r.vault_name, len(r.id)]


def mine(vaults):
    return [repr(v) for v in vaults if v.name.startswith(P)]


step("create_vault", lambda: repr(s.setdefault("v", gl.create_vault(vaultName=P + "-v"))))
step("account_subresources", lambda: [repr(account), repr(account.Vault(P + "-v")), repr(gl.Account("123"))])
step("account_create_vault", lambda: repr(s.setdefault("v2", account.create_vault(vaultName=P + "-v2"))))
step("vault_create_again", lambda: sorted(out(s["v2"].create())))
step("vault_load", lambda: attrs(s["v"], "vault_name", "number_of_archives"))
step("vaults_collections", lambda: [mine(gl.vaults.all()), mine(account.vaults.all())])
step("vaults_limit", lambda: len(list(gl.vaults.limit(1))))
step("upload_archive", lambda: ids(s.setdefault("a", s["v"].upload_archive(body=b"archive data"))))
step("archive_vault_reference", lambda: [repr(s["a"].Vault()), repr(s["v"].Archive("x"))])
step("inventory_retrieval", lambda: ids(s.setdefault("j", s["v"].initiate_inventory_retrieval())))
step("job_load", lambda: [attrs(s["j"], "action", "vault_arn"), repr(s["j"].Vault())])
step("archive_retrieval", lambda: ids(s.setdefault("j2", s["a"].initiate_archive_retrieval())))
step("job2_load", lambda: attrs(s["j2"], "action", "archive_id") [0])
step(
    "jobs_collections",
    lambda: [
        len(list(s["v"].jobs.all())),
        len(list(s["v"].succeeded_jobs.all())) >= 0,
        len(list(s["v"].jobs_in_progress.all())) >= 0,
        len(list(s["v"].completed_jobs.all())) >= 0,
        len(list(s["v"].failed_jobs.all())),
    ],
)
step("job_get_output", lambda: sorted(out(s["j2"].get_output())))
step("multipart_upload", lambda: out(s["v"].initiate_multipart_upload(partSize="1048576")))
step("multipart_subresource", lambda: [repr(s["v"].MultipartUpload("u1")), repr(s["v"].MultipartUpload("u1").Vault())])
step("multipart_abort", lambda: out(s["v"].MultipartUpload("u1").abort()))
step("multipart_uploads_collection", lambda: reprs(s["v"].multipart_uploads.all()))
step("notification", lambda: [repr(s["v"].Notification()), repr(s["v"].Notification().Vault())])
step("notification_load", lambda: s["v"].Notification().sns_topic)
step("archive_delete", lambda: out(s["a"].delete()))
step("vault_delete", lambda: [out(s["v"].delete()), out(s["v2"].delete())])

finish()
