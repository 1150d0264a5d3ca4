"""The CloudFormation resource scenario of tests/diff_more.rs, written with boto3 resources.

Usage: python diff_cfn.py ENDPOINT PREFIX (a stack-name prefix unique to the run)

Every class: Stack (create_stack, load, update, cancel_update, delete, the
events and resource_summaries collections, the Resource sub-resource),
Event (built by the events collection from response data; no load),
StackResourceSummary (its Resource reference) and StackResource (load, the
Stack reference). None of the CloudFormation collections has a limit key,
so page_size is refused by botocore (and must be by boto-rs) and limit is
exercised on one page. Output as diff_common.py describes.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_common import ARGS, attrs, finish, out, reprs, resource, step  # noqa: E402

cfn = resource("cloudformation", max_attempts=1)
P = ARGS[0]
NAME = P + "-s"


def template(timeout):
    q = {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": P + "-q", "VisibilityTimeout": timeout}}
    return json.dumps({"Resources": {"Q": q}})


s = {}

step("create_stack", lambda: repr(s.setdefault("s", cfn.create_stack(StackName=NAME, TemplateBody=template(30)))))
step("stack_load", lambda: attrs(s["s"], "stack_name", "stack_status", "parameters"))
step(
    "events",
    lambda: sorted([e.logical_resource_id, e.resource_status, e.resource_type, e.stack_name] for e in s["s"].events.all()),
)
step("event_identifiers", lambda: len({repr(e) for e in s["s"].events.all()}))
step(
    "resource_summaries",
    lambda: [[repr(x), x.resource_type, x.resource_status] for x in s["s"].resource_summaries.all()],
)
step("summary_resource_reference", lambda: [repr(x.Resource()) for x in s["s"].resource_summaries.all()])
step("stack_resource", lambda: [repr(s["s"].Resource("Q")), attrs(s["s"].Resource("Q"), "resource_type", "resource_status", "physical_resource_id")])
step("stack_resource_stack", lambda: repr(s["s"].Resource("Q").Stack()))
step("stacks_collection", lambda: reprs(cfn.stacks.filter(StackName=NAME)))
step("stacks_limit", lambda: len(list(cfn.stacks.limit(1))))
step("stacks_page_size", lambda: len(list(cfn.stacks.page_size(1))))
step("update", lambda: sorted(out(s["s"].update(TemplateBody=template(60)))))
step("reload", lambda: [s["s"].reload(), s["s"].stack_status])
step("cancel_update", lambda: out(s["s"].cancel_update()))
step("event_subresource", lambda: repr(cfn.Event("e-1")))
step("delete", lambda: out(s["s"].delete()))
step("deleted_reload", lambda: [s["s"].reload(), s["s"].stack_status])

finish()
