"""pytest plugin for python/thirdparty/moto_suite.sh: ``import boto3`` is boto_rs for the run.

Loaded with ``-p boto_rs_shim_plugin`` before the suite's conftest imports boto3;
the real botocore stays (moto itself needs it), so boto_rs's exceptions are
also botocore's classes (see ``boto_rs.exceptions``).
"""
import boto_rs.shim

boto_rs.shim.install_as_boto3()


def pytest_terminal_summary(terminalreporter):
    import boto3
    terminalreporter.write_line(f'boto3 is {boto3.__name__} ({boto3.__file__})')
