"""Private Redis and PostgreSQL servers that a fault test may stop and restart.

The machine's own servers are shared by every test running at the same time, so a test
that stops one would break the others: these are the same server binaries, started on
a free port in a temporary directory, stopped and started again with their own
commands (`redis-server`, `pg_ctl`), and removed afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from servers import free_port


def _pg_bin(name: str) -> str:
    for root in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (root / name).exists():
            return str(root / name)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found: PostgreSQL's server binaries are needed")
    return found


def _as_postgres(argv: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _wait(check: object, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up")
        time.sleep(0.1)


@dataclass
class PrivateRedis:
    port: int
    directory: Path
    durable: bool = False
    """An append-only file synced at each write (OPERATIONS.md's production setting), so
    a restart keeps the data; without it Redis keeps nothing, as on this machine."""

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def up(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, socket_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def start(self) -> None:
        subprocess.run(
            [
                "redis-server",
                "--daemonize", "yes",
                "--bind", "127.0.0.1",
                "--port", str(self.port),
                "--save", "",
                "--appendonly", "yes" if self.durable else "no",
                "--appendfsync", "always",
                "--dir", str(self.directory),
                "--pidfile", str(self.directory / "redis.pid"),
                "--logfile", str(self.directory / "redis.log"),
            ],
            check=True,
        )  # fmt: skip
        _wait(self.up, "redis-server")

    def stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"],
            capture_output=True,
            check=False,
        )
        deadline = time.monotonic() + 10
        while self.up() and time.monotonic() < deadline:
            time.sleep(0.05)


@contextmanager
def private_redis(durable: bool = False) -> Iterator[PrivateRedis]:
    server = PrivateRedis(free_port(), Path(tempfile.mkdtemp(prefix="ygmon-redis-")), durable)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.directory, ignore_errors=True)


@dataclass
class PrivatePostgres:
    port: int
    directory: Path

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([_pg_bin("pg_ctl"), "-D", str(self.directory / "data"), *args]),
            capture_output=True,
            check=True,
        )

    def up(self) -> bool:
        result = subprocess.run(
            [_pg_bin("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)], check=False
        )
        return result.returncode == 0

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c max_connections=60"
        )
        self._ctl("-o", options, "-l", str(self.directory / "postgres.log"), "-w", "start")
        _wait(self.up, "postgres")

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "stop")


@contextmanager
def private_postgres() -> Iterator[PrivatePostgres]:
    directory = Path(tempfile.mkdtemp(prefix="ygmon-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres")
    initdb = [_pg_bin("initdb"), "-D", str(directory / "data"), "-A", "trust"]
    subprocess.run(
        _as_postgres([*initdb, "-U", "postgres", "--no-sync", "-E", "UTF8"]),
        capture_output=True,
        check=True,
    )
    server = PrivatePostgres(free_port(), directory)
    server.start()
    try:
        yield server
    finally:
        if server.up():
            server.stop()
        shutil.rmtree(directory, ignore_errors=True)
