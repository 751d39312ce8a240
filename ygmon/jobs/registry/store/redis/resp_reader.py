"""A minimal blocking RESP2 client for plain `redis://` URLs, for read-only commands.

`ygmon status` must answer in under 50 ms, and importing redis-py (which pulls in its
asyncio client) alone costs several times that. Status sends two hash reads, which is
all this speaks; everything else, TLS and unix sockets included, goes through redis-py.
"""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import unquote, urlsplit


class RespError(Exception):
    """The server answered with an error, or the connection broke mid-reply."""


class RespReader:
    def __init__(self, url: str, timeout: float = 2.0) -> None:
        parts = urlsplit(url)
        if parts.scheme != "redis":
            raise ValueError(f"RespReader speaks plain redis:// only, not {parts.scheme}://")
        self._sock = socket.create_connection(
            (parts.hostname or "localhost", parts.port or 6379), timeout=timeout
        )
        self._file = self._sock.makefile("rb")
        if parts.password is not None:
            user = [unquote(parts.username)] if parts.username else []
            self.call("AUTH", *user, unquote(parts.password))
        db = parts.path.strip("/")
        if db and db != "0":
            self.call("SELECT", db)

    def call(self, *args: str) -> Any:
        encoded = [a.encode() for a in args]
        frame = b"*%d\r\n" % len(encoded) + b"".join(
            b"$%d\r\n%s\r\n" % (len(a), a) for a in encoded
        )
        self._sock.sendall(frame)
        return self._reply()

    def _reply(self) -> Any:
        line = self._file.readline()
        if not line.endswith(b"\r\n"):
            raise RespError("connection closed mid-reply")
        kind, body = line[:1], line[1:-2]
        if kind == b"+":
            return body.decode()
        if kind == b"-":
            raise RespError(body.decode())
        if kind == b":":
            return int(body)
        if kind == b"$":
            size = int(body)
            if size < 0:
                return None
            data = self._file.read(size + 2)
            return data[:-2].decode()
        if kind == b"*":
            size = int(body)
            return None if size < 0 else [self._reply() for _ in range(size)]
        raise RespError(f"unexpected reply {line[:20]!r}")

    def close(self) -> None:
        self._file.close()
        self._sock.close()
