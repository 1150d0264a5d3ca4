"""The DynamoDB resource scenario of tests/diff_more.rs, written with boto3 resources.

Usage: python diff_dynamodb.py ENDPOINT PREFIX (a table-name prefix unique to the run)

The Table class (the model's only one) through the generic resource layer:
create_table, both waiters, load/reload, every item action with plain
values (boto3's TransformationInjector; calls are recorded after it, where
boto-rs's recorder sits below its DynamoDB hook, so the AttributeValues on
the wire are compared), update, the service's batch_write_item and
batch_get_item, and the tables collection with limit and page_size over
several pages (ListTables takes Limit). Conditions are written as
expression strings: boto3's Key/Attr objects have no boto-rs Value form
(tests/dynamodb_conditions.rs compares the condition builders on 500
random trees). Output as diff_common.py describes.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_common import ARGS, attrs, finish, out, resource, step  # noqa: E402

ddb = resource("dynamodb", after_transform=True, max_attempts=1)
P = ARGS[0]
NAME = P + "-t"
s = {}
SCHEMA = dict(
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
    BillingMode="PAY_PER_REQUEST",
)


def create():
    s["t"] = ddb.create_table(TableName=NAME, **SCHEMA)
    return repr(s["t"])


def put_items():
    return [
        out(s["t"].put_item(Item={"pk": "a", "sk": i, "name": "n%d" % i, "nested": {"l": [i, "two", True, None]}}))
        for i in range(6)
    ]


def more_tables():
    return [repr(ddb.create_table(TableName="%s-m%d" % (P, i), **SCHEMA)) for i in range(4)]


def mine(tables):
    return [repr(t) for t in tables if t.name.startswith(P)]


step("create_table", create)
step("wait_until_exists", lambda: s["t"].wait_until_exists())
step("table_load", lambda: attrs(s["t"], "table_name", "key_schema", "attribute_definitions", "table_status"))
step("put_items", put_items)
step("get_item", lambda: out(s["t"].get_item(Key={"pk": "a", "sk": 3})))
step(
    "update_item",
    lambda: out(
        s["t"].update_item(
            Key={"pk": "a", "sk": 1},
            UpdateExpression="SET #n = :v, extra = :e",
            ExpressionAttributeNames={"#n": "name"},
            ExpressionAttributeValues={":v": "renamed", ":e": {"k": [1, 2]}},
            ReturnValues="ALL_NEW",
        )
    ),
)
step("delete_item", lambda: out(s["t"].delete_item(Key={"pk": "a", "sk": 5}, ReturnValues="ALL_OLD")))
step(
    "conditional_put_fails",
    lambda: out(s["t"].put_item(Item={"pk": "a", "sk": 0}, ConditionExpression="attribute_not_exists(pk)")),
)
step(
    "query",
    lambda: out(
        s["t"].query(
            KeyConditionExpression="pk = :p AND sk > :s",
            ExpressionAttributeValues={":p": "a", ":s": 1},
            Limit=2,
        )
    ),
)
step(
    "scan",
    lambda: out(s["t"].scan(FilterExpression="sk >= :m", ExpressionAttributeValues={":m": 3}, ProjectionExpression="pk, sk")),
)
step(
    "batch_write_item",
    lambda: out(
        ddb.batch_write_item(
            RequestItems={
                NAME: [
                    {"PutRequest": {"Item": {"pk": "b", "sk": 1, "bin": b"\x00\x01"}}},
                    {"DeleteRequest": {"Key": {"pk": "a", "sk": 0}}},
                ]
            }
        )
    ),
)
step(
    "batch_get_item",
    lambda: sorted(
        (x["pk"], x["sk"]) for x in ddb.batch_get_item(RequestItems={NAME: {"Keys": [{"pk": "b", "sk": 1}, {"pk": "a", "sk": 2}]}})["Responses"][NAME]
    ),
)
step("table_update", lambda: out(s["t"].update(StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})))
step("table_reload", lambda: [s["t"].reload(), s["t"].item_count >= 0, s["t"].stream_specification])
step("more_tables", more_tables)
step("tables_page_size", lambda: mine(ddb.tables.page_size(2)))
step("tables_limit", lambda: len(list(ddb.tables.page_size(2).limit(3))))
step("tables_pages", lambda: len(list(ddb.tables.page_size(2).pages())) >= 3)
step("delete_more", lambda: [out(ddb.Table("%s-m%d" % (P, i)).delete())["TableDescription"]["TableName"] for i in range(4)])
step("table_delete", lambda: out(s["t"].delete())["TableDescription"]["TableName"])
step("wait_until_not_exists", lambda: s["t"].wait_until_not_exists())
step("deleted_load_fails", lambda: s["t"].reload())

finish()
