"""Oracle for tests/stubber_validation.rs: botocore's Stubber on generated responses.

For a fixed set of operations across services and protocols, builds a valid
response from the output shape, then mutates it (wrong types, unknown and
missing members, None values, too-short strings and lists, tagged unions with
zero or two members, bad map keys, several at once), and asks botocore's
`Stubber.add_response` whether it accepts it. Prints one JSON line per case:
{"service", "operation", "response", "error"} where "error" is
str(ParamValidationError) or null. Deterministic (seeded).
"""

import copy
import json
import random
import sys

import botocore.session
from botocore.exceptions import ParamValidationError
from botocore.stub import Stubber

OPERATIONS = [
    ("s3", "ListObjectsV2"),
    ("s3", "GetObject"),
    ("s3", "HeadObject"),
    ("s3", "ListBuckets"),
    ("s3", "GetBucketLifecycleConfiguration"),
    ("s3", "DeleteBucket"),
    ("dynamodb", "Query"),
    ("dynamodb", "DescribeTable"),
    ("dynamodb", "GetItem"),
    ("ec2", "DescribeInstances"),
    ("ec2", "DescribeVpcs"),
    ("sqs", "ReceiveMessage"),
    ("sns", "ListTopics"),
    ("lambda", "GetFunction"),
    ("iam", "GetUser"),
    ("iam", "ListRoles"),
    ("cloudformation", "DescribeStacks"),
    ("sts", "AssumeRole"),
    ("kinesis", "DescribeStream"),
    ("bedrock-runtime", "Converse"),
    ("logs", "FilterLogEvents"),
    ("ecs", "DescribeTasks"),
]

CASES_PER_OPERATION = 10
rng = random.Random(16)


def sample(shape, depth=0):
    """A valid value for `shape`."""
    t = shape.type_name
    if t == "structure":
        if shape.is_document_type:
            return {"doc": [1, "two", True]}
        out = {}
        members = list(shape.members.items())
        required = set(shape.metadata.get("required", []))
        if shape.is_tagged_union:
            name, m = members[0]
            if depth < 5:
                out[name] = sample(m, depth + 1)
            return out
        for name, m in members:
            if name in required or (depth < 4 and rng.random() < 0.6):
                if m.type_name == "structure" and depth >= 4 and name not in required:
                    continue
                out[name] = sample(m, depth + 1)
        return out
    if t == "list":
        return [sample(shape.member, depth + 1)] if depth < 5 else []
    if t == "map":
        return {"key1": sample(shape.value, depth + 1)} if depth < 5 else {}
    if t == "string":
        if shape.enum:
            return shape.enum[0]
        return "v" * max(1, int(shape.metadata.get("min", 1)))
    if t in ("integer", "long"):
        return max(1, int(shape.metadata.get("min", 1)))
    if t in ("float", "double"):
        return 1.5 + max(0, shape.metadata.get("min", 0))
    if t == "boolean":
        return True
    if t == "blob":
        return "blob-bytes"
    if t == "timestamp":
        return "2024-01-02T03:04:05Z"
    return "x"


def nodes(value, shape, path=()):
    """Every (path, value, shape) in a sample, depth first."""
    yield path, value, shape
    t = shape.type_name
    if t == "structure" and not shape.is_document_type and isinstance(value, dict):
        for k, v in value.items():
            if k in shape.members:
                yield from nodes(v, shape.members[k], path + (k,))
    elif t == "list" and isinstance(value, list):
        for i, v in enumerate(value):
            yield from nodes(v, shape.member, path + (i,))
    elif t == "map" and isinstance(value, dict):
        for k, v in value.items():
            yield from nodes(v, shape.value, path + (k,))


def put(root, path, value):
    if not path:
        return value
    cur = root
    for p in path[:-1]:
        cur = cur[p]
    cur[path[-1]] = value
    return root


WRONG = {
    "string": [123, ["a"], {"a": 1}, 1.5, True],
    "integer": ["12", 1.5, ["x"], None],
    "long": ["12", 2.5, {"k": "v"}],
    "float": ["1.5", [1]],
    "double": ["2.5", {"x": 1}],
    "boolean": ["yes", 0, "True"],
    "list": ["notalist", {"a": 1}, 5],
    "map": ["notamap", [1, 2]],
    "structure": [["x"], "struct", 7],
    "blob": [123, ["b"], {"b": 1}],
    "timestamp": [[1], {"t": 1}, "not a timestamp at all"],
}
# Valid in Python too: bool is an int, an int is a float.
LENIENT = {"integer": [True], "long": [False], "float": [2], "double": [True]}


def mutate(resp, shape):
    """One mutated copy of `resp`; the kind of mutation is picked at random."""
    resp = copy.deepcopy(resp)
    all_nodes = list(nodes(resp, shape))
    kind = rng.choice(
        ["wrong", "wrong", "wrong", "unknown", "missing", "none", "min", "union", "lenient", "mapkey", "double"]
    )
    if kind == "double":
        resp = mutate(resp, shape)
        return mutate(resp, shape)
    structs = [n for n in all_nodes if n[2].type_name == "structure" and not n[2].is_document_type and isinstance(n[1], dict)]
    if kind == "unknown" and structs:
        path, value, s = rng.choice(structs)
        value[rng.choice(["Bogus", "nextToken", "extra_member"])] = "surprise"
        return resp
    if kind == "missing":
        cands = [(p, v, s) for p, v, s in structs if any(r in v for r in s.metadata.get("required", []))]
        if cands:
            path, value, s = rng.choice(cands)
            del value[rng.choice([r for r in s.metadata["required"] if r in value])]
            return resp
    if kind == "none":
        cands = [n for n in all_nodes if n[0]]
        if cands:
            path, _, _ = rng.choice(cands)
            return put(resp, path, None)
    if kind == "min":
        cands = [n for n in all_nodes if n[0] and n[2].type_name in ("string", "list") and n[2].metadata.get("min", 0) >= 1]
        if cands:
            path, _, s = rng.choice(cands)
            return put(resp, path, "" if s.type_name == "string" else [])
    if kind == "union":
        cands = [n for n in structs if n[2].is_tagged_union]
        if cands:
            path, value, s = rng.choice(cands)
            if rng.random() < 0.5 or len(s.members) < 2:
                value.clear()
            else:
                for name, m in list(s.members.items())[:2]:
                    value[name] = sample(m, 5)
            return resp
    if kind == "lenient":
        cands = [n for n in all_nodes if n[0] and n[2].type_name in LENIENT]
        if cands:
            path, _, s = rng.choice(cands)
            return put(resp, path, rng.choice(LENIENT[s.type_name]))
    if kind == "mapkey":
        cands = [n for n in all_nodes if n[2].type_name == "map" and isinstance(n[1], dict) and n[1] and n[2].key.metadata.get("min", 0) >= 1]
        if cands:
            path, value, s = rng.choice(cands)
            value[""] = value[next(iter(value))]
            return resp
    cands = [n for n in all_nodes if n[0] and n[2].type_name in WRONG and not getattr(n[2], "is_document_type", False)]
    if not cands:
        resp["Bogus"] = 1
        return resp
    path, _, s = rng.choice(cands)
    return put(resp, path, rng.choice(WRONG[s.type_name]))


def main():
    session = botocore.session.get_session()
    clients = {}
    for service, op in OPERATIONS:
        if service not in clients:
            clients[service] = session.create_client(
                service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
            )
        client = clients[service]
        model = client.meta.service_model.operation_model(op)
        method = next(m for m, a in client.meta.method_to_api_mapping.items() if a == op)
        out = model.output_shape
        cases = []
        if out is None:
            cases = [{}, {"Unexpected": 1}, {"ResponseMetadata": {"RequestId": "r"}}]
        else:
            valid = sample(out)
            cases.append(valid)
            cases.append(["not", "a", "dict"])
            for _ in range(CASES_PER_OPERATION):
                cases.append(mutate(sample(out), out))
        for resp in cases:
            try:
                Stubber(client).add_response(method, copy.deepcopy(resp))
                error = None
            except ParamValidationError as e:
                error = str(e)
            print(json.dumps({"service": service, "operation": op, "response": resp, "error": error}))


ERROR_CASES = [
    ("dynamodb", "PutItem", "ConditionalCheckFailedException"),
    ("dynamodb", "GetItem", "ResourceNotFoundException"),
    ("s3", "GetObject", "InvalidObjectState"),
    ("sqs", "GetQueueUrl", "QueueDoesNotExist"),
    ("lambda", "Invoke", "TooManyRequestsException"),
    ("s3", "GetObject", "NoSuchThing"),
]


def error_cases():
    """add_client_error with modeled fields, valid and mutated."""
    session = botocore.session.get_session()
    for service, op, code in ERROR_CASES:
        client = session.create_client(
            service, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
        )
        method = next(m for m, a in client.meta.method_to_api_mapping.items() if a == op)
        shape = client.meta.service_model.shape_for_error_code(code)
        fields = [{"Bogus": 1}] if shape is None else [sample(shape)] + [mutate(sample(shape), shape) for _ in range(4)]
        for modeled in fields:
            try:
                Stubber(client).add_client_error(method, code, "msg", 400, modeled_fields=copy.deepcopy(modeled))
                error = None
            except ParamValidationError as e:
                error = str(e)
            print(json.dumps({"service": service, "operation": op, "code": code, "modeled": modeled, "error": error}))


if __name__ == "__main__":
    error_cases()
    sys.exit(main())
