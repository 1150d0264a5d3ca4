"""``StreamingBody``: the file-like object streamed response payloads arrive as.

Replaces ``botocore.response.StreamingBody`` (S3 ``GetObject['Body']`` and
every other operation whose output payload is a streaming blob). Reads pull
chunks from the native stream with the GIL released; the core checks the
body against its ``Content-Length`` (and checksums when validated), so a
truncated body raises instead of returning short data.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~10 ms of import time; annotations are strings
    from typing import Iterator, Optional


class StreamingBody:
    """A wrapper over a streamed HTTP body, with botocore's methods."""

    _DEFAULT_CHUNK_SIZE = 1024

    def __init__(self, raw_stream, content_length: Optional[int] = None) -> None:
        self._raw_stream = raw_stream
        self._content_length = content_length

    def __enter__(self) -> 'StreamingBody':
        return self

    def __exit__(self, *args) -> None:
        self.close()

    def readable(self) -> bool:
        return True

    def read(self, amt: Optional[int] = None) -> bytes:
        """Up to ``amt`` bytes, or everything left when ``amt`` is None."""
        return self._raw_stream.read(amt)

    def readinto(self, b) -> int:
        data = self._raw_stream.read(len(b))
        n = len(data)
        b[:n] = data
        return n

    def readlines(self):
        return self._raw_stream.read().splitlines(True)

    def __iter__(self) -> Iterator[bytes]:
        return self.iter_chunks(self._DEFAULT_CHUNK_SIZE)

    def __next__(self) -> bytes:
        chunk = self.read(self._DEFAULT_CHUNK_SIZE)
        if chunk:
            return chunk
        raise StopIteration()

    next = __next__

    def iter_lines(self, chunk_size: int = _DEFAULT_CHUNK_SIZE,
                   keepends: bool = False) -> Iterator[bytes]:
        """Lines of the body; a line split across chunks is joined first."""
        tail = b''
        for chunk in self.iter_chunks(chunk_size):
            parts = (tail + chunk).splitlines(True)
            tail = parts.pop() if parts else b''
            for line in parts:
                yield line if keepends else line.splitlines()[0]
        if tail:
            yield tail if keepends else tail.splitlines()[0]

    def iter_chunks(self, chunk_size: int = _DEFAULT_CHUNK_SIZE) -> Iterator[bytes]:
        """Chunks of at most ``chunk_size`` bytes until the body ends."""
        while True:
            chunk = self.read(chunk_size)
            if not chunk:
                break
            yield chunk

    def tell(self) -> int:
        return self._raw_stream.tell()

    def close(self) -> None:
        self._raw_stream.close()

    def __repr__(self) -> str:
        return f'<StreamingBody content_length={self._content_length!r}>'
