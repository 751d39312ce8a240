"""LocalStorage: keys as files under one root folder (the profile's `media_dir`).

Every key is checked by ygmon.storage.base.check_key, then resolved and checked again
to lie inside the root, so a symlink planted under the root cannot lead out of it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ygmon.storage.base import InvalidKeyError, check_key


class LocalStorage:
    def __init__(self, root: str | Path, url_of: Callable[[str], str] | None = None) -> None:
        self.root = Path(root).absolute()
        self._url_of = url_of

    def path(self, key: str) -> Path:
        check_key(key)
        candidate = self.root / key
        real_root = self.root.resolve()
        resolved = candidate.resolve()
        if not resolved.is_relative_to(real_root):
            raise InvalidKeyError(f"Invalid storage key: {key!r}")
        return candidate

    def temp_path(self, key: str) -> Path:
        final = self.path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        # The dot keeps it off any key (check_key refuses a leading dot).
        fd, name = tempfile.mkstemp(
            prefix=f".{final.stem}.", suffix=f".part{final.suffix}", dir=final.parent
        )
        os.close(fd)
        return Path(name)

    def put_file(self, key: str, source: Path) -> int:
        final = self.path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            size = source.stat().st_size
            os.replace(source, final)
        except BaseException:
            with contextlib.suppress(OSError):
                source.unlink()
            raise
        return size

    def put_bytes(self, key: str, data: bytes) -> int:
        tmp = self.temp_path(key)
        try:
            tmp.write_bytes(data)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return self.put_file(key, tmp)

    def open(self, key: str) -> BinaryIO:
        return self.path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def size(self, key: str) -> int:
        return self.path(key).stat().st_size

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def url(self, key: str) -> str:
        check_key(key)
        if self._url_of is None:
            return self.path(key).as_uri()
        return self._url_of(key)
