"""boto3's ``boto3.resources.base`` names (``ServiceResource``, ``ResourceMeta``),
for ``isinstance`` checks and type hints; see ``boto_rs.resources``."""

from boto_rs.resources import ResourceMeta, ServiceResource

__all__ = ['ResourceMeta', 'ServiceResource']
