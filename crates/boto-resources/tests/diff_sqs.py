"""The SQS resource scenario of tests/diff_sqs_sns.rs, written with boto3 resources.

Usage: python diff_sqs.py ENDPOINT PREFIX (a queue-name prefix unique to the run)

Classes: Queue (service actions create_queue/get_queue_by_name, load,
reload, every action moto implements, the dead_letter_source_queues
collection, the Message sub-resource) and Message (plural response of
receive_messages with `path`, its actions and the Queue reference). The
queues collection is filtered, limited and paged over more than one page.
Message's batch action `delete` is model-reachable only through a Message
collection, and the SQS model has none (receive_messages returns a list),
so it cannot be run in boto3 either; the offline diff covers it.
Output as diff_common.py describes.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_common import ARGS, attrs, finish, out, reprs, resource, step  # noqa: E402

sqs = resource("sqs", max_attempts=1)
P = ARGS[0]
s = {}


def create():
    s["q"] = sqs.create_queue(QueueName=P + "-main", Attributes={"VisibilityTimeout": "40"})
    s["dlq"] = sqs.create_queue(QueueName=P + "-dlq")
    return [repr(s["q"]), s["q"].url, repr(s["dlq"])]


def receive():
    msgs = s["q"].receive_messages(MaxNumberOfMessages=10, AttributeNames=["All"])
    s["msgs"] = sorted(msgs, key=lambda m: m.body)
    return [[m.body, m.md5_of_body, m.queue_url, repr(m.Queue())] for m in s["msgs"]]


def many_queues():
    return [repr(sqs.create_queue(QueueName="%s-many-%d" % (P, i))) for i in range(5)]


step("create_queues", create)
step("get_queue_by_name", lambda: out(sqs.get_queue_by_name(QueueName=P + "-main")))
step("queue_load", lambda: [s["q"].attributes["VisibilityTimeout"], s["q"].attributes["QueueArn"]])
step(
    "set_attributes_reload",
    lambda: [
        out(s["q"].set_attributes(Attributes={"VisibilityTimeout": "50"})),
        s["q"].attributes["VisibilityTimeout"],
        s["q"].reload(),
        s["q"].attributes["VisibilityTimeout"],
    ],
)
step("send_message", lambda: sorted(out(s["q"].send_message(MessageBody="m0"))))
step(
    "send_messages",
    lambda: len(
        s["q"].send_messages(
            Entries=[{"Id": str(i), "MessageBody": "m%d" % i} for i in range(1, 5)]
        )["Successful"]
    ),
)
step("receive_messages_plural", receive)
step("message_subresource", lambda: repr(s["q"].Message("handle-x")))
step("message_change_visibility", lambda: out(s["msgs"][0].change_visibility(VisibilityTimeout=0)))
step("message_delete", lambda: out(s["msgs"][0].delete()))
step(
    "queue_delete_messages",
    lambda: sorted(
        x["Id"]
        for x in s["q"].delete_messages(
            Entries=[{"Id": str(i), "ReceiptHandle": m.receipt_handle} for i, m in enumerate(s["msgs"][1:3])]
        )["Successful"]
    ),
)
step(
    "change_message_visibility_batch",
    lambda: len(
        s["q"].change_message_visibility_batch(
            Entries=[{"Id": "a", "ReceiptHandle": s["msgs"][3].receipt_handle, "VisibilityTimeout": 0}]
        )["Successful"]
    ),
)
step(
    "add_permission",
    lambda: out(s["q"].add_permission(Label="lbl", AWSAccountIds=["111122223333"], Actions=["SendMessage"])),
)
step("remove_permission", lambda: out(s["q"].remove_permission(Label="lbl")))
step("purge", lambda: out(s["q"].purge()))
step(
    "redrive_to_dlq",
    lambda: out(
        s["q"].set_attributes(
            Attributes={
                "RedrivePolicy": '{"deadLetterTargetArn": "%s", "maxReceiveCount": "3"}'
                % s["dlq"].attributes["QueueArn"]
            }
        )
    ),
)
step("dead_letter_source_queues", lambda: reprs(s["dlq"].dead_letter_source_queues.all()))
step("create_many", many_queues)
step("queues_filter_page_size", lambda: reprs(sqs.queues.filter(QueueNamePrefix=P + "-many").page_size(2)))
step("queues_limit", lambda: reprs(sqs.queues.filter(QueueNamePrefix=P + "-many").page_size(2).limit(3)))
step("queues_pages", lambda: [len(p) for p in sqs.queues.filter(QueueNamePrefix=P).page_size(3).pages()])
step("queue_identifier", lambda: [repr(sqs.Queue(s["q"].url)), sqs.Queue(s["q"].url) == s["q"]])
step(
    "delete_all",
    lambda: [out(q.delete()) for q in sorted(sqs.queues.filter(QueueNamePrefix=P), key=lambda q: q.url)],
)
step("deleted_load_fails", lambda: s["q"].reload())

finish()
