"""boto3's ``boto3.s3.inject``: ``upload_file``, ``download_file``,
``upload_fileobj``, ``download_fileobj`` and ``copy`` on S3 clients and on the
``Bucket``/``Object`` resources, run by the core's transfer manager
(``_core.transfer_*``, GIL released while the transfer runs).

As boto3: the methods return ``None``; an S3 error during an upload is
raised as ``S3UploadFailedError`` (``Failed to upload <file> to
<bucket>/<key>: <error>``), during a download or copy as the
``ClientError`` itself; ``Callback`` receives byte counts that add up to
the object size. ``Config`` is a ``TransferConfig`` (boto_rs's or boto3's).
``copy``'s ``SourceClient`` is accepted and the copy runs on this client
(S3 copies server-side; the source client only matters for the size lookup).
"""

from __future__ import annotations

import os
TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Any, Callable, Dict, Optional

from boto_rs import _core
from boto_rs.boto3_exceptions import S3UploadFailedError
from boto_rs.client import translate
from boto_rs.exceptions import ClientError
from boto_rs.s3.transfer import config_options


def _fail(e: Any, client: Any, op: str) -> Exception:
    return translate(e, client, op)


_REASONS = {403: 'Forbidden', 404: 'Not Found', 412: 'Precondition Failed'}


def _download_fail(e: Any, client: Any) -> Exception:
    """A download error as boto3 reports it: s3transfer starts with HeadObject,
    whose errors have no body, so a missing key is ``ClientError`` code ``404``
    ("Not Found") rather than ``NoSuchKey`` (the core starts with a GET)."""
    err = translate(e, client, 'HeadObject')
    if isinstance(err, ClientError):
        meta = err.response.get('ResponseMetadata', {})
        status = meta.get('HTTPStatusCode')
        if status in _REASONS:
            response = {'Error': {'Code': str(status), 'Message': _REASONS[status]},
                        'ResponseMetadata': meta}
            return ClientError(response, 'HeadObject')
    return err


def upload_file(self: Any, Filename: Any, Bucket: str, Key: str,
                ExtraArgs: Optional[Dict[str, Any]] = None,
                Callback: Optional[Callable[[int], None]] = None, Config: Any = None) -> None:
    """Uploads a file (multipart above ``Config.multipart_threshold``)."""
    try:
        _core.transfer_upload_file(self._core, os.fspath(Filename), Bucket, Key, ExtraArgs,
                                   Callback, config_options(Config))
    except _core.CoreError as e:
        err = _fail(e, self, 'PutObject')
        if isinstance(err, ClientError):
            raise S3UploadFailedError(
                'Failed to upload {} to {}: {}'.format(Filename, '/'.join([Bucket, Key]), err)
            ) from None
        raise err from None


def download_file(self: Any, Bucket: str, Key: str, Filename: Any,
                  ExtraArgs: Optional[Dict[str, Any]] = None,
                  Callback: Optional[Callable[[int], None]] = None, Config: Any = None) -> None:
    """Downloads an object to a file (ranged parallel requests above the threshold)."""
    try:
        _core.transfer_download_file(self._core, Bucket, Key, os.fspath(Filename), ExtraArgs,
                                     Callback, config_options(Config))
    except _core.CoreError as e:
        raise _download_fail(e, self) from None


def upload_fileobj(self: Any, Fileobj: Any, Bucket: str, Key: str,
                   ExtraArgs: Optional[Dict[str, Any]] = None,
                   Callback: Optional[Callable[[int], None]] = None, Config: Any = None) -> None:
    """Uploads what a binary file object's ``read()`` yields."""
    if not hasattr(Fileobj, 'read'):
        raise ValueError('Fileobj must implement read')
    try:
        _core.transfer_upload_fileobj(self._core, Fileobj, Bucket, Key, ExtraArgs, Callback,
                                      config_options(Config))
    except _core.CoreError as e:
        err = _fail(e, self, 'PutObject')
        if isinstance(err, ClientError):
            raise S3UploadFailedError(
                'Failed to upload {} to {}: {}'.format(Fileobj, '/'.join([Bucket, Key]), err)
            ) from None
        raise err from None


def download_fileobj(self: Any, Bucket: str, Key: str, Fileobj: Any,
                     ExtraArgs: Optional[Dict[str, Any]] = None,
                     Callback: Optional[Callable[[int], None]] = None, Config: Any = None) -> None:
    """Downloads an object into a binary file object (``write()``)."""
    if not hasattr(Fileobj, 'write'):
        raise ValueError('Fileobj must implement write')
    try:
        _core.transfer_download_fileobj(self._core, Bucket, Key, Fileobj, ExtraArgs, Callback,
                                        config_options(Config))
    except _core.CoreError as e:
        raise _download_fail(e, self) from None


def copy(self: Any, CopySource: Any, Bucket: str, Key: str,
         ExtraArgs: Optional[Dict[str, Any]] = None,
         Callback: Optional[Callable[[int], None]] = None, SourceClient: Any = None,
         Config: Any = None) -> None:
    """Copies an object (CopyObject, or UploadPartCopy parts above the threshold)."""
    if isinstance(CopySource, str):
        from urllib.parse import unquote
        src_bucket, _, rest = CopySource.partition('/')
        src_key, _, query = rest.partition('?versionId=')
        CopySource = {'Bucket': src_bucket, 'Key': unquote(src_key)}
        if query:
            CopySource['VersionId'] = query
    try:
        _core.transfer_copy(self._core, CopySource['Bucket'], CopySource['Key'],
                            CopySource.get('VersionId'), Bucket, Key, ExtraArgs, Callback,
                            config_options(Config))
    except _core.CoreError as e:
        raise _fail(e, self, 'CopyObject') from None


class ClientMethods:
    """Mixed into S3 client classes."""

    upload_file = upload_file
    download_file = download_file
    upload_fileobj = upload_fileobj
    download_fileobj = download_fileobj
    copy = copy


# ---- resources ----

def _get_object(self: Any, params: Dict[str, Any], kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """``get()`` through the client, so the body is a ``StreamingBody`` as in boto3."""
    params.update(kwargs)
    out = self.meta.client.get_object(**params)
    if 'load' in dir(type(self)):
        self.meta.data = None
    return out


class BucketMixin:
    def upload_file(self, Filename: Any, Key: str, ExtraArgs: Any = None, Callback: Any = None,
                    Config: Any = None) -> None:
        return self.meta.client.upload_file(Filename, self.name, Key, ExtraArgs=ExtraArgs,
                                            Callback=Callback, Config=Config)

    def download_file(self, Key: str, Filename: Any, ExtraArgs: Any = None, Callback: Any = None,
                      Config: Any = None) -> None:
        return self.meta.client.download_file(self.name, Key, Filename, ExtraArgs=ExtraArgs,
                                              Callback=Callback, Config=Config)

    def upload_fileobj(self, Fileobj: Any, Key: str, ExtraArgs: Any = None, Callback: Any = None,
                       Config: Any = None) -> None:
        return self.meta.client.upload_fileobj(Fileobj, self.name, Key, ExtraArgs=ExtraArgs,
                                               Callback=Callback, Config=Config)

    def download_fileobj(self, Key: str, Fileobj: Any, ExtraArgs: Any = None,
                         Callback: Any = None, Config: Any = None) -> None:
        return self.meta.client.download_fileobj(self.name, Key, Fileobj, ExtraArgs=ExtraArgs,
                                                 Callback=Callback, Config=Config)

    def copy(self, CopySource: Any, Key: str, ExtraArgs: Any = None, Callback: Any = None,
             SourceClient: Any = None, Config: Any = None) -> None:
        return self.meta.client.copy(CopySource, self.name, Key, ExtraArgs=ExtraArgs,
                                     Callback=Callback, SourceClient=SourceClient, Config=Config)


class ObjectMixin:
    def upload_file(self, Filename: Any, ExtraArgs: Any = None, Callback: Any = None,
                    Config: Any = None) -> None:
        return self.meta.client.upload_file(Filename, self.bucket_name, self.key,
                                            ExtraArgs=ExtraArgs, Callback=Callback, Config=Config)

    def download_file(self, Filename: Any, ExtraArgs: Any = None, Callback: Any = None,
                      Config: Any = None) -> None:
        return self.meta.client.download_file(self.bucket_name, self.key, Filename,
                                              ExtraArgs=ExtraArgs, Callback=Callback,
                                              Config=Config)

    def upload_fileobj(self, Fileobj: Any, ExtraArgs: Any = None, Callback: Any = None,
                       Config: Any = None) -> None:
        return self.meta.client.upload_fileobj(Fileobj, self.bucket_name, self.key,
                                               ExtraArgs=ExtraArgs, Callback=Callback,
                                               Config=Config)

    def download_fileobj(self, Fileobj: Any, ExtraArgs: Any = None, Callback: Any = None,
                         Config: Any = None) -> None:
        return self.meta.client.download_fileobj(self.bucket_name, self.key, Fileobj,
                                                 ExtraArgs=ExtraArgs, Callback=Callback,
                                                 Config=Config)

    def copy(self, CopySource: Any, ExtraArgs: Any = None, Callback: Any = None,
             SourceClient: Any = None, Config: Any = None) -> None:
        return self.meta.client.copy(CopySource, self.bucket_name, self.key,
                                     ExtraArgs=ExtraArgs, Callback=Callback,
                                     SourceClient=SourceClient, Config=Config)

    def get(self, **kwargs: Any) -> Dict[str, Any]:
        return _get_object(self, {'Bucket': self.bucket_name, 'Key': self.key}, kwargs)


class ObjectSummaryMixin:
    """``ObjectSummary.get`` / ``ObjectVersion.get`` with a streamed body."""

    def get(self, **kwargs: Any) -> Dict[str, Any]:
        ids = self._ids
        params = {'Bucket': ids['bucket_name'], 'Key': ids.get('key', ids.get('object_key'))}
        if 'id' in ids:
            params['VersionId'] = ids['id']
        return _get_object(self, params, kwargs)
