"""The CloudWatch resource scenario of tests/diff_more.rs, written with boto3 resources.

Usage: python diff_cloudwatch.py ENDPOINT PREFIX (a name prefix unique to the run)

Both classes: Metric (identifiers, put_data — whose
`MetricData[].MetricName` from the identifier boto3 then overwrites with
the caller's MetricData, so without a MetricName it fails validation —, load through ListMetrics with its path, get_statistics,
put_alarm returning an Alarm from request parameters, the alarms
collection) and Alarm (load, the Metric reference, every action, and the
batch actions delete/disable_actions/enable_actions over the alarms
collection). moto ignores MaxRecords on DescribeAlarms, so page_size is
exercised on one page only (multi-page collections: SQS, SNS, S3, EC2,
DynamoDB). Timestamps are passed as ISO strings so both sides record the
same parameters. Output as diff_common.py describes.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from diff_common import ARGS, attrs, finish, out, reprs, resource, step  # noqa: E402

cw = resource("cloudwatch", max_attempts=1)
P = ARGS[0]
NS = P + "/ns"
m = cw.Metric(NS, "Latency")
ALARM = dict(ComparisonOperator="GreaterThanThreshold", EvaluationPeriods=1, Threshold=1.0, Statistic="Average", Period=60)
s = {}


def put_alarm():
    s["a"] = m.put_alarm(AlarmName=P + "-a0", **ALARM)
    return repr(s["a"])


step("identifiers", lambda: [repr(m), m.namespace, m.name])
step("put_data_without_name", lambda: out(m.put_data(MetricData=[{"Value": 1.5, "Unit": "Seconds"}])))
step(
    "put_data",
    lambda: out(
        m.put_data(
            MetricData=[{"MetricName": "Latency", "Value": 1.5, "Unit": "Seconds"}, {"MetricName": "Latency", "Value": 2.5}]
        )
    ),
)
step("metric_load", lambda: attrs(m, "metric_name", "namespace", "dimensions"))
step(
    "get_statistics",
    lambda: sorted(
        out(
            m.get_statistics(
                StartTime="2020-01-01T00:00:00Z", EndTime="2100-01-01T00:00:00Z", Period=86400, Statistics=["Sum"]
            )
        )
    ),
)
step("put_alarm", put_alarm)
step("alarm_load", lambda: attrs(s["a"], "alarm_name", "metric_name", "namespace", "threshold", "state_value"))
step("alarm_metric_reference", lambda: repr(s["a"].metric))
step("set_state", lambda: [out(s["a"].set_state(StateValue="ALARM", StateReason="diff")), s["a"].state_value])
step("describe_history", lambda: sorted(out(s["a"].describe_history(HistoryItemType="StateUpdate"))))
step("disable_enable_actions", lambda: [out(s["a"].disable_actions()), out(s["a"].enable_actions())])
step("more_alarms", lambda: [repr(m.put_alarm(AlarmName="%s-a%d" % (P, i), **ALARM)) for i in range(1, 4)])
step("metric_alarms", lambda: reprs(m.alarms.all()))
step("alarms_page_size", lambda: reprs(cw.alarms.filter(AlarmNamePrefix=P).page_size(2)))
step("alarms_limit", lambda: reprs(cw.alarms.filter(AlarmNamePrefix=P).limit(3)))
step("metrics_collection", lambda: reprs(cw.metrics.filter(Namespace=NS)))
step("batch_disable_actions", lambda: len(cw.alarms.filter(AlarmNamePrefix=P).disable_actions()))
step("batch_enable_actions", lambda: len(cw.alarms.filter(AlarmNamePrefix=P).enable_actions()))
step("alarm_delete", lambda: out(s["a"].delete()))
step("batch_delete", lambda: len(cw.alarms.filter(AlarmNamePrefix=P).delete()))
step("batch_delete_empty", lambda: cw.alarms.filter(AlarmNamePrefix=P).delete())

finish()
