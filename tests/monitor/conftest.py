"""One seeded SQLite profile per module, served by a real `ygmon serve` on loopback, and
the `monitor` fixture that gives each contract test a LocalMonitor and a RemoteMonitor."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from servers import (
    delete_namespace,
    fixed_clock,
    history_clock,
    local_settings,
    need_env,
    postgres_database,
    remote_settings,
    seeded_profile,
    serve_on_loopback,
)

from ygmon.config import LocalProfile
from ygmon.monitor.factory import make_monitor
from ygmon.monitor.protocol import Monitor


@pytest.fixture(scope="module", params=["sqlite", "postgres+redis"])
def seeded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LocalProfile]:
    """The seeded data on the embedded SQLite files, and on Postgres with a Redis broker."""
    directory = tmp_path_factory.mktemp("seeded")
    if request.param == "sqlite":
        yield seeded_profile(directory, history_clock())
        return
    pg = need_env("YGMON_TEST_POSTGRES_URL", "PostgreSQL")
    redis_url = need_env("YGMON_TEST_REDIS_URL", "Redis")
    namespace = f"t{uuid.uuid4().hex[:10]}"
    with postgres_database(pg) as database_url:
        try:
            yield seeded_profile(
                directory,
                history_clock(),
                database_url=database_url,
                broker_url=redis_url,
                namespace=namespace,
            )
        finally:
            delete_namespace(redis_url, namespace)


@pytest.fixture(scope="module")
def server(seeded: LocalProfile) -> Iterator[tuple[str, str]]:
    with serve_on_loopback(seeded, clock=fixed_clock, per_minute=100_000) as served:
        yield served


@pytest.fixture
async def pair(
    seeded: LocalProfile, server: tuple[str, str]
) -> AsyncIterator[tuple[Monitor, Monitor]]:
    """(LocalMonitor, RemoteMonitor) over the same seeded data, both built by make_monitor.

    The local profile's serve_port is the port the server listens on, as when `ygmon
    serve` runs from that profile: media URLs then agree (the API builds them from the
    address a request reached, the local monitor from serve_host:serve_port)."""
    port = int(server[0].rsplit(":", 1)[1])
    local = make_monitor(local_settings(seeded.replace(serve_port=port)), clock=fixed_clock)
    remote = make_monitor(remote_settings(*server))
    try:
        yield local, remote
    finally:
        await local.close()
        await remote.close()


@pytest.fixture(params=["local", "remote"])
async def monitor(
    request: pytest.FixtureRequest, seeded: LocalProfile, server: tuple[str, str]
) -> AsyncIterator[Monitor]:
    if request.param == "local":
        mon = make_monitor(local_settings(seeded), clock=fixed_clock)
    else:
        mon = make_monitor(remote_settings(*server))
    try:
        yield mon
    finally:
        await mon.close()
