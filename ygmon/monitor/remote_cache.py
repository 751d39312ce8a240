"""The remote monitor's answers kept with their ETags: asked again with If-None-Match (a
304 costs no body), and not asked at all while the live copy says nothing they show
has changed since (ygmon.monitor.remote_live.LiveCopy.fresh)."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

KEEP = 64
"""Answers kept (a tour of every screen asks about twenty)."""
REUSE_FOR = 60.0
"""Seconds an answer is reused unasked at most, however quiet the stream."""

Key = tuple[str, tuple[tuple[str, str], ...]]


@dataclass
class Cached:
    etag: str
    body: Any
    version: int
    at: float

    def reusable(self) -> bool:
        return time.monotonic() - self.at < REUSE_FOR


class AnswerCache:
    def __init__(self) -> None:
        self._entries: OrderedDict[Key, Cached] = OrderedDict()

    @staticmethod
    def key(path: str, params: dict[str, str]) -> Key:
        return path, tuple(sorted(params.items()))

    def get(self, key: Key) -> Cached | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: Key, etag: str, body: Any, version: int) -> None:
        self._entries[key] = Cached(etag, body, version, time.monotonic())
        self._entries.move_to_end(key)
        while len(self._entries) > KEEP:
            self._entries.popitem(last=False)

    def revalidated(self, entry: Cached, version: int) -> None:
        entry.version = version
        entry.at = time.monotonic()
