"""The Storage interface every backend implements, and the rules a key must follow.

Modelled on Django's Storage API (save / open / delete / url): the pipelines only see
keys, never paths. A key is a relative, slash-separated name ("previews/ab12.mp4").

An S3-compatible backend would implement the same five methods with boto3 or
aioboto3: `put_file` as a multipart upload of the finished temporary file (S3 writes
an object whole, so the atomic rename comes free), `open` as a streaming GET, `path`
as a download to a local temporary file (ffmpeg needs a seekable input), `url` as a
presigned GET URL (or the CDN's `media_base_url` with its own signing); the key rules
below stay the same so keys move between backends unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO, Protocol

from ygmon.errors import YgmonError


class InvalidKeyError(YgmonError):
    """A key that is empty, absolute, climbs out of the root or holds odd characters."""


# Letters, digits and a few separators: no spaces, no shell or URL specials, no NUL.
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_KEY = 512


def check_key(key: str) -> str:
    """`key` when it is a safe relative key; InvalidKeyError otherwise."""
    if not isinstance(key, str) or not key or len(key) > MAX_KEY:
        raise InvalidKeyError("Invalid storage key")
    parts = key.split("/")
    for part in parts:
        # A leading dot would allow "..", "." and hidden files; the regex refuses NUL,
        # backslashes, absolute paths (an empty first part) and double slashes.
        if not _SEGMENT.match(part):
            raise InvalidKeyError(f"Invalid storage key: {key!r}")
    return key


class Storage(Protocol):
    """One place asset files are kept, addressed by key."""

    def put_file(self, key: str, source: Path) -> int:
        """Move the finished file `source` to `key` atomically; returns its size.
        A reader sees the old file or the new one, never half of one."""
        ...

    def temp_path(self, key: str) -> Path:
        """A fresh temporary path beside where `key` will go, for a writer to fill
        before `put_file` (so the final rename stays on one filesystem)."""
        ...

    def open(self, key: str) -> BinaryIO: ...

    def path(self, key: str) -> Path:
        """A local path of the object, for ffmpeg to read."""
        ...

    def exists(self, key: str) -> bool: ...

    def size(self, key: str) -> int: ...

    def delete(self, key: str) -> None: ...

    def url(self, key: str) -> str:
        """A URL that serves the object to a browser without other credentials."""
        ...
