"""A huge query string, a huge header and slow clients, against the real `ygmon serve`
command: each is refused (or dropped) while an ordinary admin request is still served."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from servers import bearer, seeded_profile, serve_subprocess

from ygmon.api.request_limits import REQUEST_HEAD_TIMEOUT

HEALTH = "/api/admin/jobs/health"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    profile = seeded_profile(tmp_path_factory.mktemp("limits"))
    with serve_subprocess(profile) as (base_url, token):
        yield base_url, token


def _raw(base_url: str, head: bytes, timeout: float = 10) -> tuple[int, dict]:
    """Send a raw request head (httpx itself refuses URLs past 64 kB); status and body."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(head)
        data = b""
        while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < _length(data):
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    status = int(data.split(b" ", 2)[1])
    body = data.partition(b"\r\n\r\n")[2]
    return status, json.loads(body) if body.startswith(b"{") else {}


def _length(data: bytes) -> int:
    for line in data.partition(b"\r\n\r\n")[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":", 1)[1])
    return 0


def _ok(base_url: str, token: str) -> None:
    started = time.monotonic()
    response = httpx.get(base_url + HEALTH, headers=bearer(token), timeout=5)
    assert response.status_code == 200
    assert time.monotonic() - started < 2, "an ordinary request waited on the hostile ones"


@pytest.mark.parametrize("size", [100_000, 200_000, 2_000_000])
def test_a_huge_query_string_is_refused(served: tuple[str, str], size: int) -> None:
    base_url, token = served
    target = f"{HEALTH}?jobType={'a' * size}".encode()
    head = b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    head += f"Authorization: Bearer {token}\r\n\r\n".encode()
    status, body = _raw(base_url, head)
    assert status in (400, 414)
    if status == 414:
        assert body == {"success": False, "error": "Request URI too long"}
    _ok(base_url, token)


@pytest.mark.parametrize("size", [20_000, 100_000, 1_000_000])
def test_a_huge_header_is_refused(served: tuple[str, str], size: int) -> None:
    base_url, token = served
    head = f"GET {HEALTH} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n".encode()
    head += f"Authorization: Bearer {token}\r\nX-Big: {'b' * size}\r\n\r\n".encode()
    status, body = _raw(base_url, head)
    assert status in (400, 431)
    if status == 431:
        assert body == {"success": False, "error": "Request header fields too large"}
    _ok(base_url, token)


def test_many_headers_adding_up_are_refused(served: tuple[str, str]) -> None:
    base_url, token = served
    many = {f"X-Pad-{i}": "v" * 40 for i in range(600)}
    response = httpx.get(base_url + HEALTH, headers={**bearer(token), **many}, timeout=10)
    assert response.status_code in (400, 431)
    _ok(base_url, token)


@pytest.mark.xdist_group("sleepy-b")
def test_slow_clients_are_dropped_and_others_served(served: tuple[str, str]) -> None:
    base_url, token = served
    host, port = base_url.removeprefix("http://").split(":")
    slow = []
    for i in range(40):
        sock = socket.create_connection((host, int(port)), timeout=REQUEST_HEAD_TIMEOUT * 3)
        # Half of them never finish their head; the other half never say anything.
        if i % 2:
            sock.sendall(f"GET {HEALTH} HTTP/1.1\r\nHost: x\r\n".encode())
        slow.append(sock)
    try:
        _ok(base_url, token)
        deadline = time.monotonic() + REQUEST_HEAD_TIMEOUT * 2.5
        dropped = 0
        for sock in slow:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                # A dribble of bytes does not buy more time: the deadline is per head.
                sock.sendall(b"X-Slow: 1\r\n")
                if sock.recv(1024) == b"":
                    dropped += 1
            except TimeoutError:
                pass  # still held open past the deadline: not dropped
            except ConnectionError:
                dropped += 1
        assert dropped == len(slow)
        _ok(base_url, token)
    finally:
        for sock in slow:
            sock.close()


def test_a_keep_alive_client_still_gets_several_requests(served: tuple[str, str]) -> None:
    base_url, token = served
    with httpx.Client(base_url=base_url, headers=bearer(token), timeout=5) as client:
        codes = [client.get(HEALTH).status_code for _ in range(5)]
    assert codes == [200] * 5
