"""The SNS resource scenario of tests/diff_sqs_sns.rs, written with boto3 resources.

Usage: python diff_sns.py ENDPOINT PREFIX (a name prefix unique to the run)

Classes: Topic, Subscription, PlatformApplication and PlatformEndpoint:
service actions returning each, loads and reloads, every action (moto accepts
confirm_subscription with any token), the topics/subscriptions/platform_applications
collections and the per-topic/per-application ones. ListTopics pages by
100 in moto and takes no page size, so the topics collection goes over two
pages with 101 topics; `page_size` on it is refused by botocore's
paginator (no limit key) and must be refused by boto-rs too. Output as diff_common.py describes.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_common import ARGS, finish, out, reprs, resource, step  # noqa: E402

sns = resource("sns", max_attempts=1)
P = ARGS[0]
s = {}
EMAIL = "%s@example.com" % P


def create_topic():
    s["t"] = sns.create_topic(Name=P + "-topic", Attributes={"DisplayName": "first"})
    return [repr(s["t"]), s["t"].arn]


def mine(items):
    return sorted(repr(x) for x in items if P in repr(x))


def create_app():
    s["app"] = sns.create_platform_application(
        Name=P + "-app", Platform="GCM", Attributes={"PlatformCredential": "key"}
    )
    return repr(s["app"])


def create_endpoint():
    s["ep"] = s["app"].create_platform_endpoint(Token=P + "-token", CustomUserData="u")
    return repr(s["ep"])


def many_topics():
    return len([sns.create_topic(Name="%s-many-%03d" % (P, i)) for i in range(101)])


step("create_topic", create_topic)
step("topic_load", lambda: [s["t"].attributes["DisplayName"], s["t"].attributes["TopicArn"]])
step(
    "topic_set_attributes_reload",
    lambda: [
        out(s["t"].set_attributes(AttributeName="DisplayName", AttributeValue="second")),
        s["t"].reload(),
        s["t"].attributes["DisplayName"],
    ],
)
step("subscribe", lambda: repr(s.setdefault("sub", s["t"].subscribe(Protocol="email", Endpoint=EMAIL, ReturnSubscriptionArn=True))))
step("subscription_load", lambda: [s["sub"].attributes["Protocol"], s["sub"].attributes["Endpoint"]])
step(
    "subscription_set_attributes",
    lambda: [
        out(s["sub"].set_attributes(AttributeName="RawMessageDelivery", AttributeValue="true")),
        s["sub"].attributes["RawMessageDelivery"],
    ],
)
step("topic_subscriptions", lambda: reprs(s["t"].subscriptions.all()))
step("service_subscriptions", lambda: mine(sns.subscriptions.all()))
step("publish", lambda: sorted(out(s["t"].publish(Message="hello", Subject="s"))))
step(
    "add_permission",
    lambda: out(s["t"].add_permission(Label="lbl", AWSAccountId=["111122223333"], ActionName=["Publish"])),
)
step("remove_permission", lambda: out(s["t"].remove_permission(Label="lbl")))
step("confirm_subscription_bad_token", lambda: out(s["t"].confirm_subscription(Token="not-a-token")))
step("create_platform_application", create_app)
step("application_load", lambda: s["app"].attributes["PlatformCredential"])
step(
    "application_set_attributes",
    lambda: [out(s["app"].set_attributes(Attributes={"PlatformCredential": "key2"})), s["app"].attributes["PlatformCredential"]],
)
step("create_platform_endpoint", create_endpoint)
step("endpoint_load", lambda: [s["ep"].attributes["Token"], s["ep"].attributes.get("CustomUserData")])
step(
    "endpoint_set_attributes",
    lambda: [out(s["ep"].set_attributes(Attributes={"CustomUserData": "v"})), s["ep"].attributes.get("CustomUserData")],
)
step("endpoint_publish", lambda: sorted(out(s["ep"].publish(Message="hi"))))
step("application_endpoints", lambda: reprs(s["app"].endpoints.all()))
step("service_platform_applications", lambda: mine(sns.platform_applications.all()))
step("endpoint_delete", lambda: out(s["ep"].delete()))
step("application_delete", lambda: out(s["app"].delete()))
step("subscription_delete", lambda: out(s["sub"].delete()))
step("create_many_topics", many_topics)
step("topics_two_pages", lambda: len(mine(sns.topics.all())))
step("topics_page_size_unsupported", lambda: len(list(sns.topics.page_size(10))))
step("topics_limit", lambda: len(list(sns.topics.limit(3))))
step("topics_pages", lambda: len([len(p) for p in sns.topics.pages()]) >= 2)
step("delete_topics", lambda: len([out(t.delete()) for t in list(sns.topics.all()) if P in t.arn]))
step("topic_identifier", lambda: [repr(sns.Topic(s["t"].arn)), sns.Topic(s["t"].arn) == s["t"]])

finish()
