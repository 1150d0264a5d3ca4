"""The EC2 resource scenario of tests/diff_ec2.rs, written with boto3 resources.

Usage: python diff_ec2.py ENDPOINT RUN_TAG (a tag value unique to the run)

Covers what the S3 scenario does not: `data` parameter sources, string
literals, plural resource responses, references, `memberName` aliases,
literal-filtered collections, a batch action with `[]` targets and the
injected create_tags/delete_tags. Output as diff_common.py describes.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_common import ARGS, finish, resource, step  # noqa: E402

ec2 = resource("ec2")
TAG = ARGS[0]
state = {}


def create_vpc():
    state["vpc"] = ec2.create_vpc(CidrBlock="10.42.0.0/16")
    return [repr(state["vpc"]), state["vpc"].cidr_block, state["vpc"].vpc_id == state["vpc"].id]


def create_subnet():
    state["subnet"] = state["vpc"].create_subnet(CidrBlock="10.42.1.0/24")
    return repr(state["subnet"])


def create_instances():
    state["instances"] = state["subnet"].create_instances(
        ImageId="ami-12c6146b", MinCount=2, MaxCount=2, InstanceType="t2.micro"
    )
    return [repr(i) for i in state["instances"]]


def running():
    i = state["instances"][0]
    i.wait_until_running()
    before = i.state["Name"]
    i.reload()
    return [before, i.state["Name"]]


def create_tags():
    tags = ec2.create_tags(
        Resources=[i.id for i in state["instances"]], Tags=[{"Key": "team", "Value": TAG}]
    )
    return [repr(t) for t in tags]


def security_group():
    sg = state["vpc"].create_security_group(GroupName="rs-diff", Description="diff")
    state["sg"] = sg
    return [repr(sg), sg.group_name, sg.vpc_id == state["vpc"].id]


def classic_address():
    ip = ec2.meta.client.allocate_address(Domain="standard")["PublicIp"]
    addr = ec2.ClassicAddress(ip)
    addr.release()
    return addr.public_ip == ip


step("create_vpc", create_vpc)
step("vpc_reload", lambda: (state["vpc"].reload(), state["vpc"].state)[1])
step("vpc_wait_available", lambda: state["vpc"].wait_until_available())
step("create_subnet", create_subnet)
step("subnet_reference_vpc", lambda: repr(state["subnet"].vpc))
step("vpc_subnets_collection", lambda: [repr(s) for s in state["vpc"].subnets.all()])
step("create_instances_plural", create_instances)
step("instance_wait_running", running)
step("instance_references", lambda: [repr(state["instances"][0].subnet), repr(state["instances"][0].vpc)])
step("service_create_tags", create_tags)
step(
    "instances_filtered",
    lambda: [repr(i) for i in ec2.instances.filter(Filters=[{"Name": "tag:team", "Values": [TAG]}])],
)
step("instance_delete_tags", lambda: state["instances"][0].delete_tags(Tags=[{"Key": "team"}]) is not None)
step("service_tag_subresource", lambda: repr(ec2.Tag(state["instances"][0].id, "k", "v")))
step(
    "instance_plural_reference",
    lambda: [repr(n) for n in state["instances"][0].network_interfaces],
)
step(
    "batch_create_tags",
    lambda: len(
        ec2.instances.filter(InstanceIds=[i.id for i in state["instances"]]).create_tags(
            Tags=[{"Key": "batch", "Value": "1"}]
        )
    ),
)
step("security_group_load", security_group)
step("security_group_delete", lambda: state["sg"].delete() is not None)
step("classic_address_data_param", classic_address)
step("classic_addresses_literals", lambda: [repr(a) for a in ec2.classic_addresses.all()])
step(
    "batch_terminate",
    lambda: len(ec2.instances.filter(InstanceIds=[i.id for i in state["instances"]]).terminate()),
)
step("instance_wait_terminated", lambda: state["instances"][0].wait_until_terminated())
step("subnet_delete", lambda: state["subnet"].delete() is not None)
step("vpc_delete", lambda: state["vpc"].delete() is not None)

finish()
