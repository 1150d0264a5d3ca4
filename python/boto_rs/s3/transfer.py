"""``boto_rs.s3.transfer``: boto3's ``boto3.s3.transfer`` (``TransferConfig``,
``S3Transfer``) on the core's transfer manager (``boto_transfer``).

Honoured settings: ``multipart_threshold``, ``multipart_chunksize``,
``max_concurrency`` (requests in flight per transfer), ``use_threads``
(``False`` means one request at a time), ``num_download_attempts``,
``io_chunksize`` and ``max_bandwidth``. Accepted and not acted on:
``max_io_queue`` (the core bounds memory by ``max_concurrency`` × part size)
and ``preferred_transfer_client`` (there is one transfer client).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Callable, Dict, Optional

KB = 1024
MB = KB * KB


class TransferConfig:
    """boto3's ``TransferConfig`` with its arguments and defaults."""

    ALIAS = {'max_concurrency': 'max_request_concurrency', 'max_io_queue': 'max_io_queue_size'}

    def __init__(self, multipart_threshold: int = 8 * MB, max_concurrency: int = 10,
                 multipart_chunksize: int = 8 * MB, num_download_attempts: int = 5,
                 max_io_queue: int = 100, io_chunksize: int = 256 * KB, use_threads: bool = True,
                 max_bandwidth: Optional[int] = None,
                 preferred_transfer_client: str = 'auto') -> None:
        for name, value in (('multipart_threshold', multipart_threshold),
                            ('max_concurrency', max_concurrency),
                            ('multipart_chunksize', multipart_chunksize),
                            ('num_download_attempts', num_download_attempts),
                            ('max_io_queue', max_io_queue), ('io_chunksize', io_chunksize),
                            ('max_bandwidth', max_bandwidth)):
            if value is not None and value <= 0:
                raise ValueError(f'Provided parameter {self.ALIAS.get(name, name)} of value '
                                 f'{value} must be greater than 0.')
        self.multipart_threshold = multipart_threshold
        self.max_request_concurrency = max_concurrency
        self.multipart_chunksize = multipart_chunksize
        self.num_download_attempts = num_download_attempts
        self.max_io_queue_size = max_io_queue
        self.io_chunksize = io_chunksize
        self.use_threads = use_threads
        self.max_bandwidth = max_bandwidth
        self.preferred_transfer_client = preferred_transfer_client

    @property
    def max_concurrency(self) -> int:
        return self.max_request_concurrency

    @max_concurrency.setter
    def max_concurrency(self, value: int) -> None:
        self.max_request_concurrency = value

    @property
    def max_io_queue(self) -> int:
        return self.max_io_queue_size

    @max_io_queue.setter
    def max_io_queue(self, value: int) -> None:
        self.max_io_queue_size = value

    def __repr__(self) -> str:
        return (f'TransferConfig(multipart_threshold={self.multipart_threshold}, '
                f'max_concurrency={self.max_concurrency}, '
                f'multipart_chunksize={self.multipart_chunksize}, use_threads={self.use_threads})')


def config_options(config: Any) -> Optional[Dict[str, Any]]:
    """The native settings of a ``TransferConfig`` (boto_rs's or boto3's, duck-typed)."""
    if config is None:
        return None
    get = lambda *names: next((getattr(config, n) for n in names if hasattr(config, n)), None)  # noqa: E731
    return {
        'multipart_threshold': get('multipart_threshold'),
        'multipart_chunksize': get('multipart_chunksize'),
        'max_concurrency': get('max_request_concurrency', 'max_concurrency'),
        'use_threads': get('use_threads'),
        'num_download_attempts': get('num_download_attempts'),
        'io_chunksize': get('io_chunksize'),
        'max_bandwidth': get('max_bandwidth'),
    }


class S3Transfer:
    """boto3's ``S3Transfer``: ``upload_file``/``download_file`` on one client and config."""

    def __init__(self, client: Any = None, config: Optional[TransferConfig] = None,
                 osutil: Any = None, manager: Any = None) -> None:
        if client is None:
            raise ValueError('S3Transfer needs a client')
        self._client = client
        self._config = config or TransferConfig()

    def upload_file(self, filename: str, bucket: str, key: str,
                    callback: Optional[Callable[[int], None]] = None,
                    extra_args: Optional[Dict[str, Any]] = None) -> None:
        self._client.upload_file(filename, bucket, key, ExtraArgs=extra_args, Callback=callback,
                                 Config=self._config)

    def download_file(self, bucket: str, key: str, filename: str,
                      extra_args: Optional[Dict[str, Any]] = None,
                      callback: Optional[Callable[[int], None]] = None) -> None:
        self._client.download_file(bucket, key, filename, ExtraArgs=extra_args,
                                   Callback=callback, Config=self._config)

    def __enter__(self) -> 'S3Transfer':
        return self

    def __exit__(self, *args: Any) -> None:
        pass
