"""Redis commands in the wire protocol, for `redis-cli --pipe`: the bench fills a store
with a million jobs this way in seconds, where client round trips would take minutes."""

from __future__ import annotations

from collections.abc import Iterable


def command(*args: str | bytes | float) -> bytes:
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(parts)


def hset(key: str, mapping: dict) -> bytes:
    flat: list[str | bytes] = []
    for field, value in mapping.items():
        flat += (field, value)
    return command("HSET", key, *flat)


def zadd(key: str, members: Iterable[tuple[str, float]]) -> bytes:
    flat: list[str | float] = []
    for member, score in members:
        flat += (repr(score), member)
    return command("ZADD", key, *flat) if flat else b""


class Slot:
    """An argument of a command template filled in later, always `width` bytes long."""

    def __init__(self, width: int) -> None:
        self.width = width


def template(*args: str | bytes | float | Slot) -> bytes:
    """A command whose Slot arguments `template % (value, ...)` fills: a million
    copies of one job cost a formatting each, not an encoding of every field."""
    parts = [b"*%d\r\n" % len(args)]
    for arg in args:
        if isinstance(arg, Slot):
            parts.append(b"$%d\r\n%%s\r\n" % arg.width)
        else:
            data = arg if isinstance(arg, bytes) else str(arg).encode()
            parts.append(b"$%d\r\n" % len(data) + data.replace(b"%", b"%%") + b"\r\n")
    return b"".join(parts)
