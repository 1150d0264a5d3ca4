"""boto_rs: boto3's API on the boto-rs Rust core.

    import boto_rs as boto3
    s3 = boto3.client('s3')
    s3.put_object(Bucket='b', Key='k', Body=b'hi')

The module-level helpers mirror boto3's: :func:`client` uses a default
:class:`Session` created on first use (or by :func:`setup_default_session`).
``client`` stays a plain module attribute so tests can patch it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Optional

from boto_rs._sentinel import UNSIGNED
from boto_rs.session import Session

__version__ = '0.1.0'
__all__ = ['Session', 'UNSIGNED', 'client', 'resource', 'setup_default_session']

DEFAULT_SESSION: Optional[Session] = None


def setup_default_session(**kwargs: Any) -> None:
    """Sets up the default session with boto3's arguments (``profile_name=...``)."""
    global DEFAULT_SESSION
    DEFAULT_SESSION = Session(**kwargs)


def _get_default_session() -> Session:
    if DEFAULT_SESSION is None:
        setup_default_session()
    assert DEFAULT_SESSION is not None
    return DEFAULT_SESSION


def client(*args: Any, **kwargs: Any) -> Any:
    """A low-level client from the default session (see :meth:`Session.client`)."""
    return _get_default_session().client(*args, **kwargs)


def resource(*args: Any, **kwargs: Any) -> Any:
    """A resource service from the default session (see :meth:`Session.resource`)."""
    return _get_default_session().resource(*args, **kwargs)
