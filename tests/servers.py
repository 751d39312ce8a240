"""A real `ygmon serve` on 127.0.0.1 for tests: uvicorn in a thread, or a subprocess.

    with serve_on_loopback(profile) as (base_url, admin_token):
        httpx.get(f"{base_url}/api/admin/jobs/health", headers=bearer(admin_token))

The in-process server is the same app `ygmon serve` runs (ygmon.api.create_app), on a
free port; `serve_subprocess` runs the actual command line.
"""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from ygmon.api.app import create_app
from ygmon.api.auth import issue_token
from ygmon.config import LocalProfile, RemoteProfile, Settings
from ygmon.storage.secret import signing_secret


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def admin_token(profile: LocalProfile, user: str = "admin-1", ttl: float = 3600) -> str:
    return issue_token(signing_secret(profile), "ADMIN", user, ttl)


@contextmanager
def serve_on_loopback(
    profile: LocalProfile,
    read_only: bool = False,
    *,
    clock: Callable[[], datetime] | None = None,
    per_minute: int | None = None,
    apps: list[Any] | None = None,
) -> Iterator[tuple[str, str]]:
    """Run the admin API in a thread; yields (base_url, ADMIN token). Stops on exit.
    `apps`: the served app is appended to it (a test reads its state)."""
    kwargs = {} if per_minute is None else {"per_minute": per_minute}
    app = create_app(profile, read_only=read_only, clock=clock, **kwargs)
    if apps is not None:
        apps.append(app)
    port = free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"ygmon-serve-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("ygmon serve did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}", admin_token(profile)
    finally:
        server.should_exit = True
        thread.join(10)


def _config_file(profile: LocalProfile, directory: Path) -> Path:
    """A config file whose only profile is `profile` (the namespace has no env override)."""
    lines = ["[profiles.local]"]
    for key, value in profile.table(changed_only=True).items():
        if isinstance(value, str | int | float | bool | tuple):
            lines.append(f"{key} = {json.dumps(value)}")
    path = directory / "ygmon-serve.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


@contextmanager
def serve_subprocess(
    profile: LocalProfile, *extra: str, env: dict[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """Run `python -m ygmon.cli serve` on a free port; yields (base_url, ADMIN token)."""
    port = free_port()
    env = dict(env or os.environ)
    for key in ("YGMON_DATABASE_URL", "YGMON_BROKER_URL", "YGMON_PROFILE", "YGMON_API_URL"):
        env.pop(key, None)
    directory = Path(tempfile.mkdtemp(prefix="ygmon-serve-"))
    env["YGMON_CONFIG"] = str(_config_file(profile, directory))
    proc = subprocess.Popen(
        [sys.executable, "-m", "ygmon.cli", "serve", "--port", str(port), *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"ygmon serve exited: {proc.stderr.read()}")
            try:
                httpx.get(base + "/openapi.json", timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline:
                    raise RuntimeError("ygmon serve did not start") from None
                time.sleep(0.05)
        yield base, admin_token(profile)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def local_settings(profile: LocalProfile) -> Settings:
    return Settings(profile_name="test", profile=profile, source=None)


def remote_settings(base_url: str, token: str, **extra: object) -> Settings:
    # 30 s, not 5: on a loaded machine (load ~16 on two cores) a health or bulk request
    # to a healthy in-thread server took over 5 s and failed the test.
    extra.setdefault("timeout", 30.0)
    profile = RemoteProfile(api_url=base_url, token=token, **extra)
    return Settings(profile_name="test-remote", profile=profile, source=None)


@dataclass
class Api:
    """A served API and its admin token; `token=None` sends none, else that token."""

    base_url: str
    token: str
    profile: LocalProfile

    def get(self, path: str, token: str | None = "admin", **kwargs: object) -> httpx.Response:
        return self.request("GET", path, token, **kwargs)

    def post(self, path: str, token: str | None = "admin", **kwargs: object) -> httpx.Response:
        return self.request("POST", path, token, **kwargs)

    def request(
        self, method: str, path: str, token: str | None = "admin", **kwargs: object
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", None) or {})  # type: ignore[call-overload]
        if token is not None:
            headers.update(bearer(self.token if token == "admin" else token))
        return httpx.request(method, self.base_url + path, headers=headers, timeout=10, **kwargs)


# --- small deterministic data for the monitor and API tests ---------------------------

FIXED_NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
"""A Wednesday: next daily digest 2026-03-05 09:00, next weekly 2026-03-09 09:00."""
TEST_SECRET = "ygmon-test-secret-0123456789-abcdefghij"
LOG_ROWS = 37
OK_JOBS = ("ok-1", "ok-2", "ok-3")
FAILED_JOBS = ("bad-1", "bad-2")


def fixed_clock() -> datetime:
    return FIXED_NOW


def sqlite_profile(directory: Path, **overrides: object) -> LocalProfile:
    """A local profile on SQLite files in `directory`, its database seeded (no jobs)."""
    fields: dict[str, object] = {
        "database_url": f"sqlite+aiosqlite:///{directory / 'db.sqlite'}",
        "broker_url": f"sqlite:///{directory / 'queue.db'}",
        "jwt_secret": TEST_SECRET,
        **overrides,
    }
    profile = LocalProfile(**fields)
    seed_database(profile.database_url)
    return profile


def seed_database(url: str) -> None:
    """Migrate `url` and insert aggregation logs, assets and blog posts (no randomness)."""
    asyncio.run(_seed_database(url))


async def _seed_database(url: str) -> None:
    from ygmon.db import Database
    from ygmon.db.migrate import upgrade
    from ygmon.db.models.aggregation_log import MetricsAggregationJobsLog
    from ygmon.db.models.assets import IpAsset
    from ygmon.db.models.content import BlogPost
    from ygmon.enums import AggregationJobStatus, AssetType, BlogPostStatus

    db = Database(url)
    try:
        await upgrade(db)
        types = ("daily", "weekly", "monthly")
        statuses = list(AggregationJobStatus)
        start = datetime(2026, 1, 1, 2, 0, tzinfo=UTC)
        async with db.writer() as s:
            for i in range(LOG_ROWS):
                began = start + timedelta(days=i)
                status = statuses[i % len(statuses)]
                s.add(
                    MetricsAggregationJobsLog(
                        id=f"log-{i:03d}",
                        job_type=types[i % 3],
                        period_start_date=(began - timedelta(days=1)).date(),
                        period_end_date=began.date(),
                        started_at=began,
                        completed_at=None if status == "RUNNING" else began + timedelta(seconds=90),
                        status=status,
                        records_processed=100 * i,
                        records_created=10 * i,
                        records_updated=i,
                        errors_count=1 if status in ("FAILED", "PARTIAL") else 0,
                        duration_seconds=None if status == "RUNNING" else 90.5,
                        memory_used_mb=64,
                        error_message="boom" if status == "FAILED" else None,
                        error_stack="Traceback: boom" if status == "FAILED" else None,
                        metadata_={"run": i},
                        created_at=began,
                    )
                )
            assets = [
                ("a-video-ready", AssetType.VIDEO, "previews/a.mp4", {"previewGenerated": True}),
                ("a-audio-ready", AssetType.AUDIO, "previews/b.mp3", {"previewSize": 1200}),
                ("a-video-failed", AssetType.VIDEO, None, {"previewError": "ffmpeg exited 1"}),
                ("a-audio-gen", AssetType.AUDIO, None, None),
                ("a-video-gen", AssetType.VIDEO, None, {"previewGenerated": False}),
                ("a-image", AssetType.IMAGE, None, None),
            ]
            for n, (asset_id, kind, preview, meta) in enumerate(assets):
                s.add(
                    IpAsset(
                        id=asset_id,
                        title=f"Asset {asset_id}",
                        type=kind,
                        storage_key=f"assets/{asset_id}",
                        preview_key=preview,
                        metadata_=meta,
                        created_at=start + timedelta(hours=n),
                        updated_at=start + timedelta(hours=n),
                    )
                )
            for n in range(3):
                s.add(
                    BlogPost(
                        id=f"post-{n}",
                        title=f"Post {n}",
                        slug=f"post-{n}",
                        status=BlogPostStatus.SCHEDULED if n < 2 else BlogPostStatus.PUBLISHED,
                        scheduled_for=FIXED_NOW + timedelta(hours=n + 1),
                    )
                )
    finally:
        await db.dispose()


def _noop(**_kwargs: object) -> None:
    """Stands in for a pipeline task; never run (no worker serves its queue here)."""


def history_clock() -> Callable[[], datetime]:
    """A clock running from twenty minutes before FIXED_NOW: jobs run with it land in
    the history window a monitor on `fixed_clock` reads, with real run times."""
    began = time.monotonic()
    return lambda: FIXED_NOW - timedelta(minutes=20) + timedelta(seconds=time.monotonic() - began)


def seed_jobs(profile: LocalProfile, clock: Callable[[], datetime] | None = None) -> None:
    """Completed and failed canaries (run by a real in-process worker), and jobs left
    waiting on the notification and search queues."""
    from ygmon.jobs.runtime import open_runtime
    from ygmon.jobs.worker import in_process_worker

    with open_runtime(profile, clock=clock) as rt:
        rt.register_task("test-deliver", "notification-delivery", _noop)
        rt.register_task("test-index", "search-index-update", _noop)
        with in_process_worker(profile, ["maintenance"], runtime=rt, clock=clock):
            for job_id in OK_JOBS:
                rt.enqueue("canary", job_id=job_id)
            for job_id in FAILED_JOBS:
                rt.enqueue("canary", job_id=job_id, fail=True)
            rt.wait_idle(20, queues=["maintenance"])
        rt.enqueue("test-deliver", job_id="deliver-1", user="u1")
        rt.enqueue("test-deliver", job_id="deliver-2", user="u2")
        rt.enqueue("test-index", job_id="index-1", entity="asset")


def seeded_profile(
    directory: Path, clock: Callable[[], datetime] | None = None, **overrides: object
) -> LocalProfile:
    """A local profile in `directory`, seeded with the data above: SQLite files unless
    `database_url` / `broker_url` / `namespace` say otherwise."""
    fields: dict[str, object] = {
        "database_url": f"sqlite+aiosqlite:///{directory / 'ygmon.db'}",
        "broker_url": f"sqlite:///{directory / 'queue.db'}",
        "namespace": f"t{directory.name[-10:].replace('-', '_')}",
        **overrides,
    }
    profile = LocalProfile(
        database_url=fields.pop("database_url"),
        broker_url=fields.pop("broker_url"),
        namespace=fields.pop("namespace"),
        jwt_secret=TEST_SECRET,
        media_dir=str(directory / "media"),
        **fields,
    )
    seed_database(profile.database_url)
    seed_jobs(profile, clock)
    return profile


@contextmanager
def postgres_database(base_url: str) -> Iterator[str]:
    """A fresh Postgres database (asyncpg URL) beside `base_url`'s, dropped on exit; for
    fixtures wider than one test (conftest's postgres_url is per test)."""
    import uuid

    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(base_url)
    name = f"ygmon_t_{uuid.uuid4().hex[:12]}"
    admin_dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(admin_dsn)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(drivername="postgresql+asyncpg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def delete_namespace(redis_url: str, namespace: str) -> None:
    """Remove every key of one test namespace (never FLUSHDB: Redis is shared)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        for key in client.scan_iter(f"{namespace}:*"):
            client.delete(key)
        for key in client.scan_iter(f"huey*{namespace}*"):
            client.delete(key)
    finally:
        client.close()


def need_env(env: str, what: str) -> str:
    """The service URL in `env`, else skip (fail under YGMON_REQUIRE_SERVICES=1), as
    tests/conftest.py's need_service does, for fixtures wider than one test."""
    import pytest

    url = os.environ.get(env)
    if url:
        return url
    reason = f"{what} not configured: set {env} to run this test"
    if os.environ.get("YGMON_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (YGMON_REQUIRE_SERVICES=1 forbids skipping)")
    pytest.skip(reason)
