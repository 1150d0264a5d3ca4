"""boto3's DynamoDB layer as a differential oracle for boto-rs's tests.

Reads one JSON request per line on stdin, answers one JSON line on stdout.
Plain values are tagged JSON (see `plain`); wire values are JSON with bytes as
{"$b": hex} and set members sorted (Python's set order is arbitrary).
"""
import json
import sys
from decimal import Decimal

import botocore.session
from boto3.dynamodb.conditions import Attr, ConditionBase, ConditionExpressionBuilder, Key
from boto3.dynamodb.transform import TransformationInjector
from boto3.dynamodb.types import Binary, TypeDeserializer, TypeSerializer

SER = TypeSerializer()
DE = TypeDeserializer()
MODEL = botocore.session.get_session().get_service_model("dynamodb")


def plain(t):
    """Tagged JSON -> the Python value a boto3 user would write."""
    if t is None or isinstance(t, (bool, str)):
        return t
    if isinstance(t, list):
        return [plain(x) for x in t]
    (tag, v), = t.items()
    if tag == "n":
        return Decimal(v)
    if tag == "i":
        return int(v)
    if tag == "f":
        return float(v)
    if tag == "b":
        return Binary(bytes.fromhex(v))
    if tag == "m":
        return {k: plain(x) for k, x in v.items()}
    if tag == "ss":
        return set(v)
    if tag == "ns":
        return set(Decimal(x) for x in v)
    if tag == "bs":
        return set(Binary(bytes.fromhex(x)) for x in v)
    raise ValueError(tag)


def tagged(v):
    """Python value (as deserialized) -> tagged JSON, sets sorted."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, Decimal):
        return {"n": str(v)}
    if isinstance(v, Binary):
        return {"b": bytes(v.value).hex()}
    if isinstance(v, list):
        return [tagged(x) for x in v]
    if isinstance(v, dict):
        return {"m": {k: tagged(x) for k, x in v.items()}}
    if isinstance(v, set):
        items = [tagged(x) for x in v]
        first = next(iter(v))
        if isinstance(first, str):
            return {"ss": sorted(items)}
        if isinstance(first, Decimal):
            return {"ns": sorted(x["n"] for x in items)}
        return {"bs": sorted(x["b"] for x in items)}
    raise TypeError(type(v))


def wire_json(w):
    """Wire value (dicts/lists/bytes) -> JSON, set members sorted."""
    if isinstance(w, (bytes, bytearray)):
        return {"$b": bytes(w).hex()}
    if isinstance(w, Binary):
        return {"$b": bytes(w.value).hex()}
    if isinstance(w, list):
        return [wire_json(x) for x in w]
    if isinstance(w, dict):
        out = {}
        for k, x in w.items():
            x = wire_json(x)
            if k in ("SS", "NS") and isinstance(x, list):
                x = sorted(x)
            if k == "BS" and isinstance(x, list):
                x = sorted(x, key=lambda b: b["$b"])
            out[k] = x
        return out
    return w


def wire_from_json(w):
    if isinstance(w, list):
        return [wire_from_json(x) for x in w]
    if isinstance(w, dict):
        if set(w) == {"$b"}:
            return bytes.fromhex(w["$b"])
        return {k: wire_from_json(x) for k, x in w.items()}
    return w


def operand(o):
    (tag, v), = o.items()
    if tag == "key":
        return Key(v)
    if tag == "attr":
        return Attr(v)
    if tag == "size":
        return Attr(v).size()
    return plain(v)


def condition(t):
    op = t["op"]
    if op == "and":
        return condition(t["a"]) & condition(t["b"])
    if op == "or":
        return condition(t["a"]) | condition(t["b"])
    if op == "not":
        return ~condition(t["a"])
    if op == "size_cond":
        return Attr(t["name"]).size()
    subject = operand(t["subject"])
    if op == "is_in":
        return subject.is_in([plain(v) for v in t["values"]])
    return getattr(subject, op)(*[operand(a) for a in t.get("args", [])])


def doc(d):
    """Transform-test params: {"$cond": tree}, {"$val": tagged}, else JSON."""
    if isinstance(d, list):
        return [doc(x) for x in d]
    if isinstance(d, dict):
        if set(d) == {"$cond"}:
            return condition(d["$cond"])
        if set(d) == {"$val"}:
            return plain(d["$val"])
        return {k: doc(x) for k, x in d.items()}
    return d


def handle(req):
    kind = req["kind"]
    if kind == "types":
        try:
            wire = SER.serialize(plain(req["value"]))
        except Exception as e:  # noqa: BLE001 - any boto3 error is the answer
            return {"error": f"{type(e).__name__}: {e}"}
        back = DE.deserialize(wire)
        return {"wire": wire_json(wire), "back": tagged(back)}
    if kind == "wire":
        try:
            return {"back": tagged(DE.deserialize(wire_from_json(req["value"])))}
        except Exception as e:  # noqa: BLE001
            return {"error": f"{type(e).__name__}: {e}"}
    if kind == "cond":
        builder = ConditionExpressionBuilder()
        results = []
        for b in req["builds"]:
            if b.get("reset"):
                builder.reset()
            try:
                built = builder.build_expression(condition(b["tree"]), is_key_condition=b["key"])
            except Exception as e:  # noqa: BLE001
                results.append({"error": f"{type(e).__name__}: {e}"})
                continue
            values = {k: wire_json(SER.serialize(v)) for k, v in built.attribute_value_placeholders.items()}
            results.append({
                "expr": built.condition_expression,
                "names": built.attribute_name_placeholders,
                "values": values,
            })
        return {"results": results}
    if kind == "transform":
        params = doc(req["params"])
        op = MODEL.operation_model(req["operation"])
        injector = TransformationInjector()
        try:
            injector.inject_condition_expressions(params, op)
            injector.inject_attribute_value_input(params, op)
        except Exception as e:  # noqa: BLE001
            return {"error": f"{type(e).__name__}: {e}"}
        return {"wire": wire_json(params)}
    raise ValueError(kind)


for line in sys.stdin:
    if line.strip():
        print(json.dumps(handle(json.loads(line))), flush=True)
