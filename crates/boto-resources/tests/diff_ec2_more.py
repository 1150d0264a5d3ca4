"""More EC2 resource classes for tests/diff_s3_ec2_more.rs, written with boto3 resources.

Usage: python diff_ec2_more.py ENDPOINT RUN_TAG (a value unique to the run)

The classes diff_ec2.py does not reach: Volume, Snapshot, Image,
NetworkInterface, NetworkInterfaceAssociation, VpcAddress, InternetGateway,
RouteTable, Route, RouteTableAssociation, KeyPair, KeyPairInfo,
DhcpOptions, NetworkAcl, VpcPeeringConnection, PlacementGroup and Tag
(load, delete), plus Instance's stop/start waiters, attribute actions and
batch stop/start/monitor/unmonitor, and SecurityGroup's rule actions.
Tag's batch delete is in the model but no EC2 collection yields Tags, so
boto3 cannot run it either (the offline diff covers it). Ids are numbered
in order of appearance on both sides; key material and fingerprints are
masked. moto ignores the peering collections' filters (every connection
it knows comes back), so those steps check membership. moto 5.2.5 answers some operations with a bare 500 page
(DescribeVolumeAttribute, DescribeVolumeStatus, EnableVolumeIO,
CreatePlacementGroup, MonitorInstances, the NetworkInterfaceAssociation
load): those steps must fail alike. Output as diff_common.py describes.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_common import ARGS, attrs, finish, out, reprs, resource, step  # noqa: E402

ec2 = resource("ec2", max_attempts=1)
TAG = ARGS[0]
AZ = "us-east-1a"
s = {}


def keep(name, r):
    s[name] = r
    return out(r)


def by_id(name, ids):
    return {"Filters": [{"Name": name, "Values": ids}]}


step("vpc_subnet", lambda: [keep("vpc", ec2.create_vpc(CidrBlock="10.43.0.0/16")), keep("subnet", s["vpc"].create_subnet(CidrBlock="10.43.1.0/24", AvailabilityZone=AZ))])
step("instance", lambda: keep("i", s["subnet"].create_instances(ImageId="ami-12c6146b", MinCount=1, MaxCount=1, Placement={"AvailabilityZone": AZ})[0]))
step("instance_wait_running", lambda: s["i"].wait_until_running())
step("create_volume", lambda: keep("vol", ec2.create_volume(AvailabilityZone=AZ, Size=2)))
step("volume_load", lambda: attrs(s["vol"], "size", "availability_zone", "volume_type"))
step("volume_tags", lambda: [out(s["vol"].create_tags(Tags=[{"Key": "a", "Value": TAG}, {"Key": "b", "Value": "2"}])), s["vol"].reload(), sorted(t["Key"] for t in s["vol"].tags)])
step("tag_load_delete", lambda: [attrs(ec2.Tag(s["vol"].id, "b", "2"), "resource_type"), out(ec2.Tag(s["vol"].id, "b", "2").delete())])
step("volume_attributes", lambda: [out(s["vol"].describe_attribute(Attribute="autoEnableIO")), out(s["vol"].modify_attribute(AutoEnableIO={"Value": True}))])
step("volume_status", lambda: len(out(s["vol"].describe_status())["VolumeStatuses"]))
step("volume_enable_io", lambda: out(s["vol"].enable_io()))
step("volume_attach", lambda: sorted(out(s["vol"].attach_to_instance(InstanceId=s["i"].id, Device="/dev/sdf"))))
step("instance_volumes", lambda: (lambda v: [len(v), repr(s["vol"]) in v])(reprs(s["i"].volumes.all())))
step("volume_detach", lambda: sorted(out(s["vol"].detach_from_instance(InstanceId=s["i"].id, Device="/dev/sdf"))))
step("create_snapshot", lambda: keep("snap", s["vol"].create_snapshot(Description="d-" + TAG)))
step("snapshot_wait_load", lambda: [s["snap"].wait_until_completed(), attrs(s["snap"], "volume_size", "description", "state"), repr(s["snap"].volume)])
step("volume_snapshots", lambda: reprs(s["vol"].snapshots.all()))
step("snapshots_collection", lambda: reprs(ec2.snapshots.filter(OwnerIds=["self"], **by_id("volume-id", [s["vol"].id]))))
step("snapshot_attribute", lambda: out(s["snap"].describe_attribute(Attribute="createVolumePermission")))
step("snapshot_copy", lambda: sorted(out(s["snap"].copy(SourceRegion="us-east-1", Description="copy"))))
step("create_image", lambda: keep("img", s["i"].create_image(Name="img-" + TAG)))
step("image_wait_load", lambda: [s["img"].wait_until_exists(), attrs(s["img"], "name", "state")])
step("image_attribute", lambda: out(s["img"].describe_attribute(Attribute="description")))
step("images_collection", lambda: reprs(ec2.images.filter(Owners=["self"], **by_id("name", ["img-" + TAG]))))
step("image_deregister", lambda: out(s["img"].deregister()))
step("create_eni", lambda: keep("eni", s["subnet"].create_network_interface(Description="eni")))
step("eni_load_refs", lambda: [attrs(s["eni"], "description", "status"), repr(s["eni"].subnet), repr(s["eni"].vpc)])
step("eni_attributes", lambda: [out(s["eni"].modify_attribute(Description={"Value": "eni2"})), out(s["eni"].describe_attribute(Attribute="description"))])
step("eni_private_ips", lambda: out(s["eni"].assign_private_ip_addresses(SecondaryPrivateIpAddressCount=1)))
step("eni_collections", lambda: [repr(s["eni"]) in reprs(s["subnet"].network_interfaces.all()), repr(s["eni"]) in reprs(s["vpc"].network_interfaces.all())])
step("vpc_address", lambda: keep("addr", ec2.VpcAddress(ec2.meta.client.allocate_address(Domain="vpc")["AllocationId"])))
step("vpc_address_load", lambda: attrs(s["addr"], "domain", "allocation_id"))
step("vpc_address_associate", lambda: sorted(out(s["addr"].associate(NetworkInterfaceId=s["eni"].id))))
step("vpc_address_association", lambda: [s["addr"].reload(), repr(s["addr"].association)])
step("association_load", lambda: [attrs(s["addr"].association, "public_ip") == attrs(s["addr"], "public_ip"), repr(s["addr"].association.address)])
step("association_delete", lambda: out(s["addr"].association.delete()))
step("vpc_addresses_collection", lambda: reprs(ec2.vpc_addresses.filter(AllocationIds=[s["addr"].allocation_id])))
step("vpc_address_release", lambda: out(s["addr"].release()))
step("eni_delete", lambda: out(s["eni"].delete()))
step("internet_gateway", lambda: [keep("igw", ec2.create_internet_gateway()), out(s["igw"].attach_to_vpc(VpcId=s["vpc"].id))])
step("igw_load", lambda: [attrs(s["igw"], "attachments"), reprs(s["vpc"].internet_gateways.all())])
step("route_table", lambda: [keep("rt", s["vpc"].create_route_table()), repr(s["rt"].vpc)])
step("rt_associate", lambda: keep("assoc", s["rt"].associate_with_subnet(SubnetId=s["subnet"].id)))
step("association_reference_without_data", lambda: repr(s["assoc"].route_table))
step("create_route", lambda: [keep("route", s["rt"].create_route(DestinationCidrBlock="0.0.0.0/0", GatewayId=s["igw"].id)), repr(s["route"].RouteTable())])
step("rt_plural_references", lambda: [s["rt"].reload(), reprs(s["rt"].associations), reprs(s["rt"].routes)])
step("association_references", lambda: [repr(a.route_table) for a in s["rt"].associations] + [repr(a.subnet) for a in s["rt"].associations])
step("route_replace_delete", lambda: [out(s["route"].replace(GatewayId=s["igw"].id)), out(s["route"].delete())])
step("route_tables_collection", lambda: len(list(ec2.route_tables.filter(**by_id("vpc-id", [s["vpc"].id])))))
step("rt_disassociate_delete", lambda: [out(s["assoc"].delete()), out(s["rt"].delete())])
step("igw_detach_delete", lambda: [out(s["igw"].detach_from_vpc(VpcId=s["vpc"].id)), out(s["igw"].delete())])
step("key_pair", lambda: [keep("kp", ec2.create_key_pair(KeyName="kp-" + TAG)), s["kp"].key_name, len(s["kp"].key_material) > 0])
step("key_pair_info", lambda: [[repr(k), len(k.key_fingerprint) > 0, k.key_name] for k in ec2.key_pairs.filter(KeyNames=["kp-" + TAG])])
step("key_pairs_collection", lambda: reprs(ec2.key_pairs.filter(KeyNames=["kp-" + TAG])))
step("key_pair_delete", lambda: out(s["kp"].delete()))
step("dhcp_options", lambda: [keep("dhcp", ec2.create_dhcp_options(DhcpConfigurations=[{"Key": "domain-name", "Values": ["example.com"]}])), attrs(s["dhcp"], "dhcp_configurations")])
step("dhcp_associate", lambda: [out(s["dhcp"].associate_with_vpc(VpcId=s["vpc"].id)), s["vpc"].reload(), repr(s["vpc"].dhcp_options)])
step("dhcp_collection", lambda: reprs(ec2.dhcp_options_sets.filter(DhcpOptionsIds=[s["dhcp"].id])))
step("dhcp_delete", lambda: [out(s["vpc"].associate_dhcp_options(DhcpOptionsId="default")), out(s["dhcp"].delete())])
step("network_acl", lambda: [keep("acl", s["vpc"].create_network_acl()), repr(s["acl"].vpc)])
step(
    "acl_entries",
    lambda: [
        out(s["acl"].create_entry(RuleNumber=100, Protocol="-1", RuleAction="allow", Egress=False, CidrBlock="0.0.0.0/0")),
        out(s["acl"].replace_entry(RuleNumber=100, Protocol="-1", RuleAction="deny", Egress=False, CidrBlock="0.0.0.0/0")),
        s["acl"].reload(),
        len(s["acl"].entries),
        out(s["acl"].delete_entry(RuleNumber=100, Egress=False)),
    ],
)
step("acl_collection_delete", lambda: [repr(s["acl"]) in reprs(s["vpc"].network_acls.all()), out(s["acl"].delete())])
step("peering", lambda: [keep("vpc2", ec2.create_vpc(CidrBlock="10.44.0.0/16")), keep("pcx", s["vpc"].request_vpc_peering_connection(PeerVpcId=s["vpc2"].id))])
step("peering_wait_refs", lambda: [s["pcx"].wait_until_exists(), repr(s["pcx"].accepter_vpc), repr(s["pcx"].requester_vpc), s["pcx"].status["Code"]])
step("peering_accept", lambda: [sorted(out(s["pcx"].accept())), s["pcx"].reload(), s["pcx"].status["Code"]])
step(
    "peering_collections",
    lambda: [
        repr(s["pcx"]) in reprs(s["vpc2"].accepted_vpc_peering_connections.all()),
        repr(s["pcx"]) in reprs(s["vpc"].requested_vpc_peering_connections.all()),
        reprs(ec2.vpc_peering_connections.filter(VpcPeeringConnectionIds=[s["pcx"].id])),
    ],
)
step("peering_reject_delete", lambda: [out(s["pcx"].delete())])
step("placement_group", lambda: out(ec2.create_placement_group(GroupName="pg-" + TAG, Strategy="cluster")))
step("placement_group_load", lambda: [keep("pg", ec2.PlacementGroup("pg-" + TAG)), attrs(s["pg"], "strategy", "state")])
step("placement_group_collections", lambda: [reprs(s["pg"].instances.all()), reprs(ec2.placement_groups.filter(GroupNames=["pg-" + TAG]))])
step("placement_group_delete", lambda: out(s["pg"].delete()))
step(
    "security_group_rules",
    lambda: [
        keep("sg", s["vpc"].create_security_group(GroupName="sg-" + TAG, Description="d")),
        out(s["sg"].authorize_ingress(IpProtocol="tcp", FromPort=22, ToPort=22, CidrIp="10.0.0.0/8"))["Return"],
        out(s["sg"].revoke_ingress(IpProtocol="tcp", FromPort=22, ToPort=22, CidrIp="10.0.0.0/8"))["Return"],
        out(s["sg"].authorize_egress(IpPermissions=[{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]))["Return"],
        out(s["sg"].revoke_egress(IpPermissions=[{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}]))["Return"],
        reprs(s["vpc"].security_groups.filter(GroupNames=["sg-" + TAG])),
        out(s["sg"].delete()),
    ],
)
step("instance_attributes", lambda: [out(s["i"].describe_attribute(Attribute="instanceType")), out(s["i"].modify_attribute(InstanceType={"Value": "t2.small"}))])
step("instance_monitor", lambda: [len(out(s["i"].monitor())["InstanceMonitorings"]), len(out(s["i"].unmonitor())["InstanceMonitorings"])])
step("instance_console_output", lambda: sorted(out(s["i"].console_output())))
step("instance_references", lambda: [repr(s["i"].image), repr(s["i"].placement_group), s["i"].key_pair])
step("batch_stop", lambda: len(ec2.instances.filter(InstanceIds=[s["i"].id]).stop()))
step("instance_wait_stopped", lambda: s["i"].wait_until_stopped())
step("batch_start", lambda: len(ec2.instances.filter(InstanceIds=[s["i"].id]).start()))
step("batch_monitor", lambda: [len(ec2.instances.filter(InstanceIds=[s["i"].id]).monitor()), len(ec2.instances.filter(InstanceIds=[s["i"].id]).unmonitor())])
step("batch_reboot", lambda: len(ec2.instances.filter(InstanceIds=[s["i"].id]).reboot()))
step("terminate", lambda: [len(out(s["i"].terminate())["TerminatingInstances"]), s["i"].wait_until_terminated()])
step("cleanup", lambda: [out(s["snap"].delete()), out(s["vol"].delete()), out(s["subnet"].delete()), out(s["vpc"].delete()), out(s["vpc2"].delete())])

finish()
