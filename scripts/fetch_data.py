#!/usr/bin/env python3
"""Fetch the pinned botocore/boto3 packages and lay out boto-rs's model tree.

Everything lands in `.data/` (git-ignored):

  .data/dist/            the hash-checked wheels and the botocore sdist
  .data/botocore-tests/  botocore's own test corpora, from the sdist
  .data/models/<svc>/    per service, latest API version only:
                           service-2.json      (sdk-extras merged, documentation removed)
                           docs-2.json         (the documentation, keyed by operation/shape/member)
                           paginators-1.json   (sdk-extras merged)
                           waiters-2.json, endpoint-rule-set-1.json, resources-1.json (when present)
  .data/models/_global/  partitions.json, _retry.json, sdk-default-configuration.json
  .data/jmespath-compliance/  the JMESPath compliance suite, from the pinned `jmespath` 0.5.0
                         crate on crates.io (hash-checked; it ships `tests/compliance/`)
  .data/aws-signing-test-suite/  the SigV4/SigV4a signing corpus (`v4/`, `v4a/`), from the pinned
                         `aws-sigv4` crate on crates.io (hash-checked; it ships `aws-signing-test-suite/`)
  .data/eventstream-vectors/  valid and invalid encoded event-stream messages, from the pinned
                         `aws-smithy-eventstream` crate on crates.io (hash-checked; it ships `test_data/`)

The build does not read `.data/models`: the crates `boto-model-data` and
`boto-model-docs` carry the same tree, packed by `scripts/update_models.py`.
Tests that read model files directly use this tree.
Idempotent: a stamp file skips work that is already done.
"""
import glob
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import urllib.request
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, ".data")
DIST = os.path.join(DATA, "dist")
VERSION = "1.43.67"
STAMP = os.path.join(DATA, "models", ".stamp-" + VERSION)

JMESPATH_CRATE = "https://static.crates.io/crates/jmespath/jmespath-0.5.0.crate"
JMESPATH_SHA256 = "094f2a852a5b9d2fa1a37e9295b3e65ce181b3abf1b16445467b101ca1c4c6e2"
JMESPATH_DIR = os.path.join(DATA, "jmespath-compliance")


def fetch_jmespath_suite():
    """The JMESPath compliance suite, pinned by hash, into .data/jmespath-compliance/."""
    stamp = os.path.join(JMESPATH_DIR, ".stamp-" + JMESPATH_SHA256[:16])
    if os.path.exists(stamp):
        return
    with urllib.request.urlopen(JMESPATH_CRATE, timeout=60) as r:
        blob = r.read()
    got = hashlib.sha256(blob).hexdigest()
    if got != JMESPATH_SHA256:
        sys.exit("jmespath crate: sha256 %s, expected %s" % (got, JMESPATH_SHA256))
    tmp = JMESPATH_DIR + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    prefix = "jmespath-0.5.0/tests/compliance/"
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as t:
        for m in t.getmembers():
            name = m.name[len(prefix):]
            if m.isfile() and m.name.startswith(prefix) and "/" not in name and name.endswith(".json"):
                with open(os.path.join(tmp, name), "wb") as f:
                    f.write(t.extractfile(m).read())
    open(os.path.join(tmp, os.path.basename(stamp)), "w").close()
    shutil.rmtree(JMESPATH_DIR, ignore_errors=True)
    os.rename(tmp, JMESPATH_DIR)
    print("JMESPath compliance suite in .data/jmespath-compliance")


SIGV4_CRATE_VERSION = "1.6.4"
SIGV4_CRATE = "https://static.crates.io/crates/aws-sigv4/aws-sigv4-%s.crate" % SIGV4_CRATE_VERSION
SIGV4_SHA256 = "f385da9b7757ed4c8214797ad663ff534fb622006143530aa80e21f8e06ff85c"
SIGV4_SUITE_DIR = os.path.join(DATA, "aws-signing-test-suite")


def fetch_crate_folder(what, url, sha256, prefix, dest):
    """Extract the files under `prefix` of a pinned, hash-checked crate into `dest`.

    A stamp named after the hash makes a second run free; the folder is built
    beside `dest` and renamed into place, so an interrupted run leaves nothing half-done.
    """
    stamp = os.path.join(dest, ".stamp-" + sha256[:16])
    if os.path.exists(stamp):
        return
    with urllib.request.urlopen(url, timeout=60) as r:
        blob = r.read()
    got = hashlib.sha256(blob).hexdigest()
    if got != sha256:
        sys.exit("%s: sha256 %s, expected %s" % (what, got, sha256))
    tmp = dest + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    count = 0
    with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as t:
        for m in t.getmembers():
            if not (m.isfile() and m.name.startswith(prefix)):
                continue
            rel = m.name[len(prefix):]
            parts = rel.split("/")
            if not rel or any(p in ("", ".", "..") for p in parts):
                continue
            target = os.path.join(tmp, *parts)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(t.extractfile(m).read())
            count += 1
    if count == 0:
        sys.exit("%s: nothing under %s in the crate" % (what, prefix))
    open(os.path.join(tmp, os.path.basename(stamp)), "w").close()
    shutil.rmtree(dest, ignore_errors=True)
    os.rename(tmp, dest)
    print("%s: %d files in %s" % (what, count, os.path.relpath(dest, ROOT)))


def fetch_sigv4_suite():
    """The SigV4/SigV4a signing corpus shipped in the pinned aws-sigv4 crate."""
    fetch_crate_folder(
        "aws-signing-test-suite",
        SIGV4_CRATE,
        SIGV4_SHA256,
        "aws-sigv4-%s/aws-signing-test-suite/" % SIGV4_CRATE_VERSION,
        SIGV4_SUITE_DIR,
    )


EVENTSTREAM_CRATE_VERSION = "0.61.6"
EVENTSTREAM_CRATE = "https://static.crates.io/crates/aws-smithy-eventstream/aws-smithy-eventstream-%s.crate" % EVENTSTREAM_CRATE_VERSION
EVENTSTREAM_SHA256 = "14c8a643d0e114cae39e45415e3225793a6396698b7779a0c9e3ede731d8fc71"
EVENTSTREAM_DIR = os.path.join(DATA, "eventstream-vectors")


def fetch_eventstream_vectors():
    """The event-stream message vectors shipped in the pinned aws-smithy-eventstream crate."""
    fetch_crate_folder(
        "eventstream-vectors",
        EVENTSTREAM_CRATE,
        EVENTSTREAM_SHA256,
        "aws-smithy-eventstream-%s/test_data/" % EVENTSTREAM_CRATE_VERSION,
        EVENTSTREAM_DIR,
    )


def pip_download(req, extra):
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
           "--require-hashes", "-r", req, "-d", DIST] + extra
    subprocess.check_call(cmd)


def load_json(path):
    if path.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return json.load(f)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def find(dirpath, stem):
    for cand in (stem + ".json", stem + ".json.gz"):
        p = os.path.join(dirpath, cand)
        if os.path.exists(p):
            return p
    return None


def deep_merge(base, extra):
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            deep_merge(base[k], v)
        else:
            base[k] = v


def split_docs(model):
    docs = {"service": model.pop("documentation", None), "operations": {}, "shapes": {}}
    for name, op in model.get("operations", {}).items():
        d = op.pop("documentation", None)
        if d:
            docs["operations"][name] = d
    for name, shape in model.get("shapes", {}).items():
        entry = {}
        d = shape.pop("documentation", None)
        if d:
            entry[""] = d
        for mname, m in (shape.get("members") or {}).items():
            md = m.pop("documentation", None)
            if md:
                entry[mname] = md
        for k in ("member", "key", "value"):
            if isinstance(shape.get(k), dict):
                shape[k].pop("documentation", None)
        if entry:
            docs["shapes"][name] = entry
    return docs


def dump(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, separators=(",", ":"), ensure_ascii=False)


def latest_version_dir(svc_dir):
    versions = sorted(d for d in os.listdir(svc_dir) if os.path.isdir(os.path.join(svc_dir, d)))
    return os.path.join(svc_dir, versions[-1]) if versions else None


def build_models_tree(unpacked, models):
    """Lay out boto-rs's model tree in `models` from unpacked botocore and boto3
    wheels (`<unpacked>/botocore/data`, `<unpacked>/boto3/data`). Returns the
    number of services. Shared with scripts/update_models.py, which packs the
    same tree into the committed model crates."""
    os.makedirs(os.path.join(models, "_global"))
    bdata = os.path.join(unpacked, "botocore", "data")
    for g in ("partitions", "_retry", "sdk-default-configuration"):
        dump(os.path.join(models, "_global", g + ".json"), load_json(find(bdata, g)))

    rdata = os.path.join(unpacked, "boto3", "data")
    count = 0
    for svc in sorted(os.listdir(bdata)):
        sdir = os.path.join(bdata, svc)
        if not os.path.isdir(sdir):
            continue
        vdir = latest_version_dir(sdir)
        if vdir is None or find(vdir, "service-2") is None:
            continue
        out = os.path.join(models, svc)
        os.makedirs(out)
        model = load_json(find(vdir, "service-2"))
        extras = find(vdir, "service-2.sdk-extras")
        if extras:
            deep_merge(model, load_json(extras).get("merge", {}))
        docs = split_docs(model)
        dump(os.path.join(out, "service-2.json"), model)
        dump(os.path.join(out, "docs-2.json"), docs)
        pag = find(vdir, "paginators-1")
        if pag:
            p = load_json(pag)
            pextras = find(vdir, "paginators-1.sdk-extras")
            if pextras:
                deep_merge(p, load_json(pextras).get("merge", {}))
            dump(os.path.join(out, "paginators-1.json"), p)
        for stem in ("waiters-2", "endpoint-rule-set-1"):
            f = find(vdir, stem)
            if f:
                dump(os.path.join(out, stem + ".json"), load_json(f))
        rdir = os.path.join(rdata, svc)
        if os.path.isdir(rdir):
            rv = latest_version_dir(rdir)
            rf = rv and find(rv, "resources-1")
            if rf:
                dump(os.path.join(out, "resources-1.json"), load_json(rf))
        count += 1
    return count


def main():
    os.makedirs(DATA, exist_ok=True)
    fetch_jmespath_suite()
    fetch_sigv4_suite()
    fetch_eventstream_vectors()
    if os.path.exists(STAMP) and os.path.isdir(os.path.join(DATA, "botocore-tests")):
        print("boto-rs data already in place (.data/)")
        return
    os.makedirs(DIST, exist_ok=True)
    pip_download(os.path.join(ROOT, "scripts", "requirements-data.txt"), ["--only-binary", ":all:"])
    pip_download(os.path.join(ROOT, "scripts", "requirements-sdist.txt"), ["--no-binary", ":all:"])

    unpacked = os.path.join(DATA, "unpacked")
    shutil.rmtree(unpacked, ignore_errors=True)
    os.makedirs(unpacked)
    for whl in glob.glob(os.path.join(DIST, "*-%s-py3-none-any.whl" % VERSION)):
        with zipfile.ZipFile(whl) as z:
            z.extractall(unpacked)
    tests = os.path.join(DATA, "botocore-tests")
    shutil.rmtree(tests, ignore_errors=True)
    with tarfile.open(os.path.join(DIST, "botocore-%s.tar.gz" % VERSION)) as t:
        prefix = "botocore-%s/tests/" % VERSION
        members = [m for m in t.getmembers() if m.name.startswith(prefix)]
        for m in members:
            m.name = m.name[len(prefix):]
        t.extractall(tests, members=members)

    models = os.path.join(DATA, "models")
    shutil.rmtree(models, ignore_errors=True)
    count = build_models_tree(unpacked, models)
    open(STAMP, "w").close()
    print("boto-rs data: %d service models in .data/models, botocore tests in .data/botocore-tests" % count)


if __name__ == "__main__":
    main()
