"""``Session.get_available_regions()`` / ``get_available_partitions()`` as boto3 answers them.

boto3 reads botocore's ``endpoints.json`` (the endpoints each service lists per
partition, keyed by the service's ``endpointPrefix``); the Rust core resolves
endpoints from rule sets instead and does not carry that table, so the part
boto3 reads ships here (``_endpoints_data.py``, generated, ~14 KB), decoded
on first use only.
"""

from __future__ import annotations

import threading

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Dict, List, Optional

_DATA: Optional[Dict[str, Any]] = None
_LOCK = threading.Lock()


def _data() -> Dict[str, Any]:
    global _DATA
    if _DATA is None:
        with _LOCK:
            if _DATA is None:
                import base64
                import json
                import zlib
                from boto_rs._endpoints_data import DATA
                _DATA = json.loads(zlib.decompress(base64.b85decode(DATA)))
    return _DATA


def available_partitions() -> List[str]:
    """Partition names in botocore's order (``aws``, ``aws-cn``, ``aws-us-gov``, ...)."""
    return [p['partition'] for p in _data()['partitions']]


def available_regions(service_name: str, partition_name: str = 'aws',
                      allow_non_regional: bool = False) -> List[str]:
    """botocore's ``EndpointResolver.get_available_endpoints`` for the service's endpointPrefix."""
    data = _data()
    prefix = data['prefixes'].get(service_name, service_name)
    result: List[str] = []
    for partition in data['partitions']:
        if partition['partition'] != partition_name:
            continue
        endpoints = partition['services'].get(prefix)
        if endpoints is None:
            continue
        regions = set(partition['regions'])
        result.extend(e for e in endpoints if allow_non_regional or e in regions)
    return result
