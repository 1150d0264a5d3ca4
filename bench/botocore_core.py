"""botocore side of bench/compare_core.sh; mirrors crates/boto/examples/bench_core.rs.

Measures botocore 1.43.67 (pure Python, no awscrt) on its real code paths and
prints one ``name<TAB>microseconds`` line per measurement: the median, over
several timed batches after one untimed warm-up batch, of the batch's wall
time (time.perf_counter) divided by its iteration count. Names match the Rust
side's so the script can join the two.

Run it with any Python 3: if botocore 1.43.67 is not importable, the script
creates .data/venv-botocore (pip, pinned ``botocore==1.43.67``) and re-executes
itself with that venv's interpreter.

Modes:

  micro DIR
      DIR holds list_objects_v2.xml and get_item.json, written by
      ``bench_core gen-xml DIR`` so both sides parse identical bytes.
      * cold model load s3 / ec2: a fresh loader (``botocore.loaders.create_loader()``,
        what a new session gets, so its instance cache is empty) per iteration:
        ``load_service_model(name, 'service-2')`` (finds the latest API version,
        reads and decodes the JSON, merges sdk-extras) + ``ServiceModel(...)``.
        botocore builds shapes lazily afterwards; boto-rs builds its whole shape
        arena in this step.
      * dynamodb GetItem validate+serialize: ``create_serializer('json')``
        (parameter validation on, as clients have it) ``.serialize_to_request``.
      * dynamodb GetItem parse: ``create_parser('json').parse`` with the
        operation's output shape.
      * s3 ListObjectsV2 parse: ``create_parser('rest-xml').parse``, 1,000 keys.
      * s3 presign GetObject: ``client.generate_presigned_url('get_object', ...)``
        for 1,000 distinct keys, per URL.
      * endpoint rules s3 GetObject virtual-hosted:
        ``EndpointProvider.resolve_endpoint(**params)`` with the parameters the
        client binds for GetObject (``_get_provider_params``) and a distinct
        bucket name per call, so its LRU cache (100 entries) always misses.
      * endpoint rules dynamodb regional: the parameters never change, so the
        cache would answer; this calls the uncached body instead
        (``EndpointProvider._resolve_endpoint.__wrapped__``, the same
        ``ruleset.evaluate`` + error check the cache wraps).
      * endpoint client s3 / dynamodb: what ``BaseClient._make_api_call`` does
        before ``before-call`` and signing: ``_emit_api_params`` (parameter
        events/customizations), ``_resolve_endpoint_ruleset`` and
        ``_convert_to_request_dict`` (validation, serialization, URL). S3 uses a
        distinct bucket per call (cache misses); the constant DynamoDB
        parameters hit botocore's endpoint cache, as repeated real calls do.

  first-client SERVICE RUNS
      median wall time of RUNS fresh ``python -c`` processes that import
      botocore and call ``get_session().create_client(SERVICE, region_name=
      'us-east-1', aws_access_key_id='a', aws_secret_access_key='b')``.

  time-process NAME RUNS CMD...
      median wall time of RUNS runs of CMD (used for the boto-rs binary, so both
      sides' processes are timed by the same code).

  setup
      makes sure the venv exists and prints the interpreter that has botocore.

Process timings start with one untimed run (warms the page cache).
"""

import os
import subprocess
import sys
import time

BOTOCORE_VERSION = "1.43.67"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".data", "venv-botocore")
VENV_PY = os.path.join(VENV, "bin", "python")


def ensure_botocore():
    """Re-executes under .data/venv-botocore (created if missing) unless the
    running interpreter already has the pinned botocore."""
    try:
        import botocore

        if botocore.__version__ == BOTOCORE_VERSION:
            return
    except ImportError:
        pass
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV) and os.path.exists(VENV_PY):
        sys.exit(f"botocore {BOTOCORE_VERSION} missing from {VENV}")
    ok = False
    if os.path.exists(VENV_PY):
        ok = (
            subprocess.run(
                [VENV_PY, "-c", f"import botocore,sys; sys.exit(botocore.__version__ != {BOTOCORE_VERSION!r})"],
                capture_output=True,
            ).returncode
            == 0
        )
    if not ok:
        print(f"installing botocore=={BOTOCORE_VERSION} into {VENV}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        subprocess.run(
            [VENV_PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"botocore=={BOTOCORE_VERSION}"],
            check=True,
            stdout=sys.stderr,
        )
    os.execv(VENV_PY, [VENV_PY, os.path.abspath(__file__)] + sys.argv[1:])


def measure(name, batches, iters, fn):
    """Warm-up batch, then ``batches`` timed batches of ``iters`` calls of
    ``fn(i)`` (``i`` is a global call index); prints the median µs per call."""
    n = 0
    for _ in range(iters):
        fn(n)
        n += 1
    per_iter = []
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(iters):
            fn(n)
            n += 1
        per_iter.append((time.perf_counter() - start) * 1e6 / iters)
    per_iter.sort()
    print(f"{name}\t{per_iter[len(per_iter) // 2]:.3f}", flush=True)


def median_process_us(cmd, runs):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        samples.append((time.perf_counter() - start) * 1e6)
    samples.sort()
    return samples[len(samples) // 2]


DDB_HEADERS = {
    "Server": "Server",
    "Date": "Wed, 01 May 2024 12:00:00 GMT",
    "Content-Type": "application/x-amz-json-1.0",
    "Content-Length": "640",
    "Connection": "keep-alive",
    "x-amzn-RequestId": "GJ7A3KQ8M1NQ5U2B4V6C8D0E2F4G6H8I9J0K1L2M3N4O5P6Q7R8",
    "x-amz-crc32": "3245321145",
}
S3_HEADERS = {
    "x-amz-id-2": "ef8yU9AS1ed4OpIszj7UDNEHGran",
    "x-amz-request-id": "318BC8BC143432E5",
    "Date": "Wed, 01 May 2024 12:00:00 GMT",
    "x-amz-bucket-region": "us-east-1",
    "Content-Type": "application/xml",
    "Transfer-Encoding": "chunked",
    "Server": "AmazonS3",
}
GET_ITEM_PARAMS = {
    "TableName": "users",
    "Key": {"pk": {"S": "user#8f14e45f-ceea-467f-a0e6-1e2c3b4d5e6f"}, "sk": {"S": "profile#2024-05-01"}},
    "ProjectionExpression": "#n, age, balance, active, tags, scores, address, history, avatar",
    "ExpressionAttributeNames": {"#n": "name"},
    "ConsistentRead": True,
    "ReturnConsumedCapacity": "TOTAL",
}


def micro(data_dir):
    import botocore.session
    from botocore.awsrequest import HeadersDict
    from botocore.endpoint_provider import EndpointProvider
    from botocore.loaders import create_loader
    from botocore.model import ServiceModel
    from botocore.parsers import create_parser
    from botocore.serialize import create_serializer

    with open(os.path.join(data_dir, "list_objects_v2.xml"), "rb") as f:
        list_xml = f.read()
    with open(os.path.join(data_dir, "get_item.json"), "rb") as f:
        get_item = f.read()

    # (a) cold model load.
    for service in ("s3", "ec2"):

        def cold(_, service=service):
            loader = create_loader()
            ServiceModel(loader.load_service_model(service, "service-2"), service_name=service)

        measure(f"cold model load {service}", 7, 1, cold)

    session = botocore.session.get_session()
    loader = session.get_component("data_loader")

    # (b) DynamoDB GetItem.
    ddb = ServiceModel(loader.load_service_model("dynamodb", "service-2"), service_name="dynamodb")
    get_op = ddb.operation_model("GetItem")
    serializer = create_serializer("json")
    measure(
        "dynamodb GetItem validate+serialize",
        9,
        500,
        lambda _: serializer.serialize_to_request(GET_ITEM_PARAMS, get_op),
    )
    json_parser = create_parser("json")
    ddb_resp = {"status_code": 200, "headers": HeadersDict(DDB_HEADERS), "body": get_item}
    parsed = json_parser.parse(ddb_resp, get_op.output_shape)
    assert parsed["Item"]["address"]["M"]["city"]["S"] == "London", parsed
    measure(
        "dynamodb GetItem parse (10 attributes)",
        9,
        500,
        lambda _: json_parser.parse(ddb_resp, get_op.output_shape),
    )

    # (c) S3 ListObjectsV2, 1,000 keys.
    s3 = ServiceModel(loader.load_service_model("s3", "service-2"), service_name="s3")
    list_op = s3.operation_model("ListObjectsV2")
    xml_parser = create_parser("rest-xml")
    s3_resp = {"status_code": 200, "headers": HeadersDict(S3_HEADERS), "body": list_xml}
    parsed = xml_parser.parse(s3_resp, list_op.output_shape)
    assert len(parsed["Contents"]) == 1000
    assert parsed["Contents"][999]["LastModified"].year == 2024
    measure(
        f"s3 ListObjectsV2 parse (1000 keys, {len(list_xml) // 1024} KB)",
        7,
        1,
        lambda _: xml_parser.parse(s3_resp, list_op.output_shape),
    )

    # (d) presigned S3 GetObject URLs, per URL.
    creds = dict(region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b")
    s3c = session.create_client("s3", **creds)
    url = s3c.generate_presigned_url("get_object", Params={"Bucket": "examplebucket", "Key": "a.jpg"}, ExpiresIn=3600)
    assert url.startswith("https://examplebucket.s3.amazonaws.com/a.jpg?"), url
    keys = [f"photos/2024/img-{i:04d}.jpg" for i in range(1000)]

    def presign_all(_):
        for key in keys:
            s3c.generate_presigned_url("get_object", Params={"Bucket": "examplebucket", "Key": key}, ExpiresIn=3600)

    samples = []
    for rnd in range(6):
        start = time.perf_counter()
        presign_all(rnd)
        if rnd > 0:
            samples.append((time.perf_counter() - start) * 1e6 / len(keys))
    samples.sort()
    print(f"s3 presign GetObject (per URL, 1000 URLs)\t{samples[len(samples) // 2]:.3f}", flush=True)

    # (e) endpoint resolution.
    buckets = [f"bucket-{i}" for i in range(50_000)]

    def context(client, op):
        return {
            "client_region": client.meta.region_name,
            "client_config": client.meta.config,
            "has_streaming_input": op.has_streaming_input,
            "auth_type": op.resolved_auth_type,
            "unsigned_payload": op.unsigned_payload,
            "auth_options": client.meta.service_model.metadata.get("auth"),
        }

    s3_resolver = s3c._ruleset_resolver
    s3_provider = s3_resolver._provider
    get_object = s3c.meta.service_model.operation_model("GetObject")
    base = s3_resolver._get_provider_params(
        get_object, {"Bucket": "examplebucket", "Key": "photos/a.jpg"}, context(s3c, get_object)
    )
    assert s3_provider.resolve_endpoint(**base).url == "https://examplebucket.s3.amazonaws.com"
    # The LRU cache is shared by all providers; no S3 lookup below may hit it.
    hits = s3_provider._resolve_endpoint.cache_info().hits

    def s3_rules(i):
        p = dict(base)
        p["Bucket"] = buckets[i % len(buckets)]
        s3_provider.resolve_endpoint(**p)

    measure("endpoint rules s3 GetObject virtual-hosted", 9, 500, s3_rules)
    assert s3_provider._resolve_endpoint.cache_info().hits == hits, "endpoint cache was hit"

    ddbc = session.create_client("dynamodb", **creds)
    ddb_resolver = ddbc._ruleset_resolver
    ddb_provider = ddb_resolver._provider
    ddb_get = ddbc.meta.service_model.operation_model("GetItem")
    key_input = {"TableName": "users", "Key": {"pk": {"S": "user#1"}}}
    ddb_params = ddb_resolver._get_provider_params(ddb_get, key_input, context(ddbc, ddb_get))
    uncached = EndpointProvider._resolve_endpoint.__wrapped__
    assert uncached(ddb_provider, **ddb_params).url == "https://dynamodb.us-east-1.amazonaws.com"
    measure("endpoint rules dynamodb regional", 9, 500, lambda _: uncached(ddb_provider, **dict(ddb_params)))

    def before_signing(client, op, params):
        ctx = context(client, op)
        params = client._emit_api_params(api_params=params, operation_model=op, context=ctx)
        url, headers, props = client._resolve_endpoint_ruleset(op, params, ctx)
        if props:
            ctx["endpoint_properties"] = props
        return url, client._convert_to_request_dict(
            api_params=params, operation_model=op, endpoint_url=url, context=ctx, headers=headers
        )

    url, _ = before_signing(s3c, get_object, {"Bucket": "examplebucket", "Key": "photos/a.jpg"})
    assert url == "https://examplebucket.s3.amazonaws.com", url
    hits = s3_provider._resolve_endpoint.cache_info().hits
    measure(
        "endpoint client s3 GetObject virtual-hosted",
        9,
        300,
        lambda i: before_signing(s3c, get_object, {"Bucket": buckets[i % len(buckets)], "Key": "photos/a.jpg"}),
    )
    assert s3_provider._resolve_endpoint.cache_info().hits == hits, "endpoint cache was hit"
    url, _ = before_signing(ddbc, ddb_get, dict(key_input))
    assert url == "https://dynamodb.us-east-1.amazonaws.com", url
    measure(
        "endpoint client dynamodb regional",
        9,
        300,
        lambda _: before_signing(ddbc, ddb_get, {"TableName": "users", "Key": {"pk": {"S": "user#1"}}}),
    )


FIRST_CLIENT = (
    "import botocore.session; botocore.session.get_session().create_client("
    "{service!r}, region_name='us-east-1', aws_access_key_id='a', aws_secret_access_key='b')"
)


def main(argv):
    if argv == ["setup"]:
        ensure_botocore()
        print(sys.executable)
    elif len(argv) == 2 and argv[0] == "micro":
        ensure_botocore()
        micro(argv[1])
    elif len(argv) == 3 and argv[0] == "first-client":
        ensure_botocore()
        service, runs = argv[1], int(argv[2])
        us = median_process_us([sys.executable, "-c", FIRST_CLIENT.format(service=service)], runs)
        print(f"first client {service} (process)\t{us:.3f}", flush=True)
    elif len(argv) >= 4 and argv[0] == "time-process":
        name, runs, cmd = argv[1], int(argv[2]), argv[3:]
        print(f"{name}\t{median_process_us(cmd, runs):.3f}", flush=True)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
