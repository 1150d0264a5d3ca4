"""The IAM resource scenario of tests/diff_iam.rs, written with boto3 resources.

Usage: python diff_iam.py ENDPOINT PREFIX (a name prefix unique to the run)

Every IAM class: User, Group, Role, Policy, PolicyVersion, UserPolicy,
GroupPolicy, RolePolicy, AssumeRolePolicy, InstanceProfile, AccessKey,
AccessKeyPair, LoginProfile, SigningCertificate, ServerCertificate,
SamlProvider, VirtualMfaDevice, MfaDevice, AccountPasswordPolicy,
AccountSummary and CurrentUser — service actions, loads (policy documents
come back decoded, botocore's `json_decode_policies`), actions with
identifier and string-literal sources, references (single, plural from
data, from `data` identifiers), sub-resources with `input` identifiers,
and collections filtered, limited and given a page size. moto's IAM
ignores MaxItems (every listing is one page), so paging over more than
one page is exercised by the SQS, SNS, S3, EC2 and DynamoDB diffs instead.
Actions moto does not implement (resync_mfa_device, change_password,
update_server_certificate) must fail on both sides, and so must boto3's
model quirk: create_signing_certificate's resource names only `Id`,
while SigningCertificate needs `UserName` too.
The signing certificate is tests/diff_iam_cert.pem (self-signed, no key
kept); moto does not check server-certificate bodies.
Output as diff_common.py describes.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from diff_common import ARGS, attrs, finish, out, reprs, resource, step  # noqa: E402

iam = resource("iam", max_attempts=1)
P = ARGS[0]
PATH = "/%s/" % P
CERT = open(os.path.join(HERE, "diff_iam_cert.pem")).read()
DOC = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]})
DOC2 = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*"}]})
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}],
    }
)
s = {}


def keep(name, r):
    s[name] = r
    return out(r)


step("create_user", lambda: keep("u", iam.create_user(UserName=P + "-u", Path=PATH)))
step("user_load", lambda: attrs(s["u"], "user_name", "path", "arn"))
step("user_reload", lambda: [s["u"].reload(), s["u"].path])
step("create_group", lambda: keep("g", iam.create_group(GroupName=P + "-g", Path=PATH)))
step("group_add_user", lambda: out(s["g"].add_user(UserName=P + "-u")))
step("group_load_users", lambda: [attrs(s["g"], "group_name", "path"), reprs(s["g"].users.all())])
step("user_groups", lambda: reprs(s["u"].groups.all()))
step("user_add_group", lambda: out(s["u"].add_group(GroupName=P + "-g")))
step("user_remove_group", lambda: out(s["u"].remove_group(GroupName=P + "-g")))
step("user_create_policy", lambda: keep("up", s["u"].create_policy(PolicyName="inline", PolicyDocument=DOC)))
step("user_policy_load", lambda: attrs(s["up"], "policy_name", "policy_document"))
step("user_policy_put", lambda: [out(s["up"].put(PolicyDocument=DOC2)), s["up"].policy_document])
step("user_policies", lambda: reprs(s["u"].policies.all()))
step("user_policy_refs", lambda: [repr(s["up"].User()), repr(s["u"].Policy("inline"))])
step("user_policy_delete", lambda: out(s["up"].delete()))
step("group_create_policy", lambda: keep("gp", s["g"].create_policy(PolicyName="ginline", PolicyDocument=DOC)))
step(
    "group_policy",
    lambda: [attrs(s["gp"], "policy_document"), reprs(s["g"].policies.all()), repr(s["gp"].Group()), out(s["gp"].put(PolicyDocument=DOC2))],
)
step("group_policy_delete", lambda: [out(s["gp"].delete()), repr(s["g"].Policy("ginline"))])
step("create_role", lambda: keep("r", iam.create_role(RoleName=P + "-r", AssumeRolePolicyDocument=TRUST, Path=PATH)))
step("role_load", lambda: attrs(s["r"], "role_name", "path", "assume_role_policy_document"))
step("assume_role_policy", lambda: [repr(s["r"].AssumeRolePolicy()), repr(s["r"].AssumeRolePolicy().Role())])
step("assume_role_policy_update", lambda: out(s["r"].AssumeRolePolicy().update(PolicyDocument=TRUST)))
step("role_policy_subresource", lambda: keep("rp", s["r"].Policy("rinline")))
step("role_policy_put_load", lambda: [out(s["rp"].put(PolicyDocument=DOC)), s["rp"].policy_document, repr(s["rp"].Role())])
step("role_policies", lambda: reprs(s["r"].policies.all()))
step("role_policy_delete", lambda: out(s["rp"].delete()))
step("create_policy", lambda: keep("p", iam.create_policy(PolicyName=P + "-mp", PolicyDocument=DOC, Path=PATH)))
step("policy_load", lambda: attrs(s["p"], "policy_name", "default_version_id", "attachment_count", "path"))
step(
    "policy_attach",
    lambda: [
        out(s["p"].attach_user(UserName=P + "-u")),
        out(s["p"].attach_group(GroupName=P + "-g")),
        out(s["p"].attach_role(RoleName=P + "-r")),
    ],
)
step(
    "policy_attached",
    lambda: [reprs(s["p"].attached_users.all()), reprs(s["p"].attached_groups.all()), reprs(s["p"].attached_roles.all())],
)
step(
    "attached_policies",
    lambda: [reprs(s["u"].attached_policies.all()), reprs(s["g"].attached_policies.all()), reprs(s["r"].attached_policies.all())],
)
step(
    "policy_detach",
    lambda: [
        out(s["p"].detach_user(UserName=P + "-u")),
        out(s["p"].detach_group(GroupName=P + "-g")),
        out(s["r"].detach_policy(PolicyArn=s["p"].arn)),
    ],
)
step("user_group_attach_policy", lambda: [out(s["u"].attach_policy(PolicyArn=s["p"].arn)), out(s["g"].attach_policy(PolicyArn=s["p"].arn)), out(s["r"].attach_policy(PolicyArn=s["p"].arn))])
step("user_group_detach_policy", lambda: [out(s["u"].detach_policy(PolicyArn=s["p"].arn)), out(s["g"].detach_policy(PolicyArn=s["p"].arn)), out(s["r"].detach_policy(PolicyArn=s["p"].arn))])
step("create_version", lambda: keep("pv", s["p"].create_version(PolicyDocument=DOC2)))
step("version_load", lambda: attrs(s["pv"], "version_id", "is_default_version", "document"))
step("version_set_default", lambda: [out(s["pv"].set_as_default()), s["p"].default_version_id, repr(s["p"].default_version)])
step("policy_versions", lambda: sorted(reprs(s["p"].versions.all())))
step("version_delete", lambda: out(iam.PolicyVersion(s["p"].arn, "v1").delete()))
step("policies_collection", lambda: reprs(iam.policies.filter(Scope="Local", PathPrefix=PATH)))
step("policy_delete", lambda: out(s["p"].delete()))
step("create_instance_profile", lambda: keep("ip", iam.create_instance_profile(InstanceProfileName=P + "-ip", Path=PATH)))
step("instance_profile_add_role", lambda: [out(s["ip"].add_role(RoleName=P + "-r")), reprs(s["ip"].roles)])
step("role_instance_profiles", lambda: reprs(s["r"].instance_profiles.all()))
step("instance_profiles_collection", lambda: reprs(iam.instance_profiles.filter(PathPrefix=PATH)))
step("instance_profile_remove_role", lambda: [out(s["ip"].remove_role(RoleName=P + "-r")), s["ip"].reload(), reprs(s["ip"].roles)])
step("instance_profile_delete", lambda: out(s["ip"].delete()))
step("roles_collection", lambda: reprs(iam.roles.filter(PathPrefix=PATH)))
step("role_delete", lambda: out(s["r"].delete()))
step("create_access_key_pair", lambda: [s.setdefault("akp", s["u"].create_access_key_pair()).user_name, len(s["akp"].secret), s["akp"].status])
step("access_key_pair_actions", lambda: [out(s["akp"].deactivate()), out(s["akp"].activate())])
step("user_access_keys", lambda: [[k.user_name, k.id == s["akp"].id] for k in s["u"].access_keys.all()])
step(
    "access_key",
    lambda: [
        repr(s["u"].AccessKey("AKIAEXAMPLE").User()),
        out(s["u"].AccessKey(s["akp"].id).deactivate()),
        out(s["u"].AccessKey(s["akp"].id).activate()),
    ],
)
step("access_key_delete", lambda: out(s["u"].AccessKey(s["akp"].id).delete()))
step("create_login_profile", lambda: keep("lp", s["u"].create_login_profile(Password="Pa55word!x", PasswordResetRequired=True)))
step("login_profile_load", lambda: [attrs(s["lp"], "user_name", "password_reset_required"), repr(s["lp"].User()), repr(s["u"].LoginProfile())])
step("login_profile_update_delete", lambda: [out(s["lp"].update(Password="Pa55word!y")), out(s["lp"].delete())])
step("signing_certificate", lambda: out(iam.create_signing_certificate(UserName=P + "-u", CertificateBody=CERT)))
step("user_signing_certificates", lambda: [len(keep("sc", list(s["u"].signing_certificates.all()))), repr(s["u"].SigningCertificate("X").User())])
step("signing_certificate_actions", lambda: [out(s["sc"][0].deactivate()), out(s["sc"][0].activate()), out(s["sc"][0].delete())])
step(
    "server_certificate",
    lambda: keep("cert", iam.create_server_certificate(ServerCertificateName=P + "-cert", CertificateBody=CERT, PrivateKey="not-checked", Path=PATH)),
)
step("server_certificate_load", lambda: [s["cert"].server_certificate_metadata["ServerCertificateName"], s["cert"].certificate_body[:27]])
step("server_certificates_collection", lambda: [x for x in reprs(iam.server_certificates.filter(PathPrefix=PATH)) if P in x])
step("server_certificate_update", lambda: out(s["cert"].update(NewServerCertificateName=P + "-cert2")))
step("server_certificate_delete", lambda: out(iam.ServerCertificate(P + "-cert2").delete()))
step("server_certificate_delete_original", lambda: out(s["cert"].delete()))
step("saml_provider", lambda: keep("saml", iam.create_saml_provider(SAMLMetadataDocument="m" * 1000, Name=P + "-saml")))
step("saml_load_update", lambda: [s["saml"].saml_metadata_document == "m" * 1000, out(s["saml"].update(SAMLMetadataDocument="n" * 1000))])
step("saml_collection_delete", lambda: [P + "-saml" in str(reprs(iam.saml_providers.all())), out(s["saml"].delete())])
step("virtual_mfa", lambda: keep("vm", iam.create_virtual_mfa_device(VirtualMFADeviceName=P + "-mfa", Path=PATH)))
step(
    "enable_mfa",
    lambda: keep("mfa", s["u"].enable_mfa(SerialNumber=s["vm"].serial_number, AuthenticationCode1="123456", AuthenticationCode2="654321")),
)
step("user_mfa_devices", lambda: [reprs(s["u"].mfa_devices.all()), repr(s["u"].MfaDevice("sn").User())])
step("virtual_mfa_user_reference", lambda: [repr(v.user) for v in iam.virtual_mfa_devices.filter(AssignmentStatus="Assigned") if P in v.serial_number])
step("mfa_resync", lambda: out(s["mfa"].resync(AuthenticationCode1="111111", AuthenticationCode2="222222")))
step("mfa_disassociate", lambda: out(s["mfa"].disassociate()))
step("mfa_associate", lambda: [out(s["mfa"].associate(AuthenticationCode1="123456", AuthenticationCode2="654321")), out(s["mfa"].disassociate())])
step("virtual_mfa_delete", lambda: out(s["vm"].delete()))
step("password_policy", lambda: keep("pp", iam.create_account_password_policy(MinimumPasswordLength=12)))
step("password_policy_load_update", lambda: [s["pp"].minimum_password_length, out(s["pp"].update(MinimumPasswordLength=14)), s["pp"].minimum_password_length])
step("password_policy_delete", lambda: [out(s["pp"].delete()), out(iam.AccountPasswordPolicy().delete())])
step("account_summary", lambda: [sorted(iam.AccountSummary().summary_map)[:5], repr(iam.AccountSummary())])
step("current_user", lambda: [attrs(iam.CurrentUser(), "user_name", "path"), repr(iam.CurrentUser().user)])
step("current_user_access_keys", lambda: reprs(iam.CurrentUser().access_keys.all()))
step("current_user_mfa_devices", lambda: reprs(iam.CurrentUser().mfa_devices.all()))
step("current_user_signing_certificates", lambda: reprs(iam.CurrentUser().signing_certificates.all()))
step("change_password", lambda: out(iam.change_password(OldPassword="a", NewPassword="b")))
step("account_alias", lambda: out(iam.create_account_alias(AccountAlias=P.lower()[:20] + "-alias")))
step("create_users", lambda: [out(iam.create_user(UserName="%s-m%d" % (P, i), Path=PATH)) for i in range(4)])
step("users_page_size", lambda: reprs(iam.users.filter(PathPrefix=PATH).page_size(2)))
step("users_limit", lambda: reprs(iam.users.filter(PathPrefix=PATH).page_size(2).limit(3)))
step("users_pages", lambda: [len(p) for p in iam.users.filter(PathPrefix=PATH).page_size(2).pages()])
step("groups_collection", lambda: reprs(iam.groups.filter(PathPrefix=PATH)))
step("user_update_rename", lambda: out(iam.User(P + "-m0").update(NewUserName=P + "-m9")))
step("group_update_rename", lambda: [out(s["g"].update(NewGroupName=P + "-g2")), out(iam.Group(P + "-g2").delete())])
step("delete_users", lambda: [out(u.delete()) for u in iam.users.filter(PathPrefix=PATH) if u.name != P + "-u"])
step("user_delete", lambda: [out(s["u"].delete()), out(s["u"].delete())])

finish()
