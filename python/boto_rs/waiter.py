"""Waiters: botocore's ``Waiter`` on the native core.

Replaces ``botocore.waiter``: ``client.get_waiter('bucket_exists')
.wait(Bucket=..., WaiterConfig={'Delay': 5, 'MaxAttempts': 20})`` polls with
the model's acceptors (``boto_runtime::waiter``, botocore's rules and
wording) and raises ``WaiterError`` with ``last_response`` on failure. The
GIL is released while waiting.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any

from boto_rs import _core


class Waiter:
    """Waits for a resource to reach a state."""

    def __init__(self, client: Any, name: str) -> None:
        self._client = client
        self.name = name

    def wait(self, **kwargs: Any) -> None:
        config = kwargs.pop('WaiterConfig', None) or {}
        delay = config.get('Delay')
        attempts = config.get('MaxAttempts')
        try:
            self._client._core.wait(
                self.name, kwargs, None if delay is None else float(delay),
                None if attempts is None else int(attempts))
        except _core.CoreError as e:
            from boto_rs.client import translate
            raise translate(e, self._client, self.name) from None

    def __repr__(self) -> str:
        return f'<boto_rs.waiter.Waiter {self.name}>'
