"""A kept-alive connection the server drops as a request goes out: a read is sent once
more, an action is not (issue 20: "Server disconnected without sending a response")."""

from __future__ import annotations

import asyncio
import json

import pytest

from ygmon.config import RemoteProfile
from ygmon.errors import UnavailableError
from ygmon.monitor.remote import RemoteMonitor

BODY = json.dumps({"data": {"ok": True}}).encode()


async def _drop_first_request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, seen: list[str]
) -> None:
    """Answer requests on this connection, but close it unanswered at the first one the
    whole server receives: a keep-alive timeout firing as the request arrives."""
    while line := await reader.readline():
        head = [line]
        while (more := await reader.readline()) not in (b"\r\n", b""):
            head.append(more)
        length = next(
            (int(h.split(b":")[1]) for h in head if h.lower().startswith(b"content-length")), 0
        )
        if length:
            await reader.readexactly(length)
        seen.append(line.decode().split()[0])
        if len(seen) == 1:
            writer.close()
            return
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(BODY)}\r\n\r\n".encode()
            + BODY
        )
        await writer.drain()
    writer.close()


@pytest.fixture
async def dropping_server():
    seen: list[str] = []
    server = await asyncio.start_server(
        lambda r, w: _drop_first_request(r, w, seen), "127.0.0.1", 0
    )
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}", seen
    server.close()
    await server.wait_closed()


async def test_a_read_is_sent_again_once(dropping_server) -> None:
    url, seen = dropping_server
    monitor = RemoteMonitor(RemoteProfile(api_url=url, token="t"))
    assert await monitor.get_data("/health") == {"ok": True}
    assert seen == ["GET", "GET"]


async def test_an_action_is_not_sent_again(dropping_server) -> None:
    url, seen = dropping_server
    monitor = RemoteMonitor(RemoteProfile(api_url=url, token="t"))
    with pytest.raises(UnavailableError, match="cannot reach"):
        await monitor.request("POST", "/queues/email/pause", json={})
    assert seen == ["POST"]
