"""Fixtures of the UI tests: a seeded database, the app over a real Local or Remote monitor.

The database holds the demo seed (ygmon.demo.seed) at a frozen time, plus real jobs run
by a real in-process worker: completed and failed canaries and a flaky job that fails
until told otherwise (so a retry can end completed).
"""

from __future__ import annotations

import asyncio
import atexit
import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from servers import serve_on_loopback

from ygmon.app import YgmonApp
from ygmon.config import LocalProfile, RemoteProfile, Settings
from ygmon.monitor.factory import make_monitor
from ygmon.profile_targets import worker_command
from ygmon.queues import QUEUE_NAMES
from ygmon.tui.ui_config import UiConfig

NOW = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
TEST_SECRET = "ygmon-ui-test-secret-0123456789-abcdefghij"
OK_JOBS = ("ok-1", "ok-2")
FAILED_JOBS = ("bad-1", "bad-2")
NEVER_FIXED = "/nonexistent/ygmon-ui-fix"
"""The failed canaries of the shared data fail until this path exists: never."""


def frozen_clock() -> datetime:
    return NOW


def make_profile(directory: Path, **overrides: object) -> LocalProfile:
    return LocalProfile(
        database_url=f"sqlite+aiosqlite:///{directory / 'ygmon.db'}",
        broker_url=f"sqlite:///{directory / 'queue.db'}",
        namespace=f"ui{directory.name[-12:].replace('-', '_')}",
        jwt_secret=TEST_SECRET,
        media_dir=str(directory / "media"),
        **overrides,
    )


async def _seed_rows(url: str) -> None:
    from ygmon.db import Database
    from ygmon.db.migrate import upgrade
    from ygmon.demo.seed import seed_database

    db = Database(url)
    try:
        await upgrade(db)
        await seed_database(db, now=NOW, seed=7)
        await _run_rollups(db)
    finally:
        await db.dispose()


class ReplayMeter:
    """A run meter reading fixed seconds and megabytes, in turn: the runs are real, but
    what a measurement reads differs from one machine and run to the next, and the Logs
    snapshots must repeat."""

    READINGS = ((0.412, 3), (1.873, 11), (0.957, 6), (2.305, 14), (0.648, 2))

    def __init__(self) -> None:
        self._turn = 0

    @contextmanager
    def __call__(self) -> Iterator[object]:
        from ygmon.pipelines.analytics.run_log import Measured

        measured = Measured()
        yield measured
        measured.seconds, measured.memory_mb = self.READINGS[self._turn % len(self.READINGS)]
        self._turn += 1


async def _run_rollups(db: object) -> None:
    """The Logs screen's runs, made by the real pipeline over the seeded events (never
    written as fixtures): enrichment, then the last 30 days, 6 hours, 4 weeks, 1 month,
    each starting 2 minutes after its schedule runs it (a week's run is not at the same
    instant as its Sunday's, so the Logs table has one order) and measured by a
    ReplayMeter."""
    from datetime import timedelta

    from ygmon.pipelines.analytics.catch_up import due
    from ygmon.pipelines.analytics.enrichment import enrich
    from ygmon.pipelines.analytics.periods import Level, containing, last_closed
    from ygmon.pipelines.analytics.service import aggregate

    await enrich(db, now=NOW)
    plan = []
    for level, count in ((Level.DAILY, 30), (Level.HOURLY, 6), (Level.WEEKLY, 4)):
        period = last_closed(level, NOW)
        for _ in range(count):
            plan.append(period)
            period = period.previous()
    plan.append(containing(Level.MONTHLY, NOW).previous())
    order = {Level.HOURLY: 0, Level.DAILY: 1, Level.WEEKLY: 2, Level.MONTHLY: 3}
    meter = ReplayMeter()
    for period in sorted(plan, key=lambda p: (order[p.level], p.start)):
        start = due(period) + timedelta(minutes=2)
        await aggregate(db, period, trigger="catch-up", now=start, meter=meter)


def seed_jobs(profile: LocalProfile, fix_path: str) -> None:
    """Completed canaries and canaries that fail (their one attempt) until `fix_path` exists."""
    from ygmon.jobs.runtime import open_runtime
    from ygmon.jobs.worker import in_process_worker

    with (
        open_runtime(profile, clock=frozen_clock) as rt,
        in_process_worker(profile, ["maintenance"], runtime=rt, clock=frozen_clock),
    ):
        for job_id in OK_JOBS:
            rt.enqueue("canary", job_id=job_id)
        for job_id in FAILED_JOBS:
            rt.enqueue("canary", job_id=job_id, fail_unless=fix_path)
        rt.wait_idle(20, queues=["maintenance"])


class SteppedClock:
    """A clock the seed moves by hand: jobs finish in the minutes it is set to."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def _nap(seconds: float = 0.0, fail: bool = False) -> None:
    time.sleep(seconds)
    if fail:
        raise RuntimeError("nap asked to fail")


HISTORY_QUEUES = ("email", "notification-delivery", "search-index-update", "maintenance")


def seed_history(profile: LocalProfile) -> None:
    """Real jobs on four queues finishing over the hour before NOW (a few failing), so
    the Overview's and the Metrics screen's history is the registry's own."""
    from ygmon.jobs.runtime import open_runtime
    from ygmon.jobs.worker import in_process_worker

    clock = SteppedClock(NOW)
    with open_runtime(profile, clock=clock) as rt:
        for queue in HISTORY_QUEUES[:-1]:
            rt.register_task(f"nap-{queue}", queue, _nap, attempts=1)
        with in_process_worker(profile, HISTORY_QUEUES, 2, runtime=rt, clock=clock):
            for minute in (58, 50, 41, 33, 25, 17, 12, 8, 4, 2, 1):
                clock.at = NOW - timedelta(minutes=minute, seconds=-5)
                for i, queue in enumerate(HISTORY_QUEUES[:-1]):
                    for n in range((minute + i) % 4 + 1):
                        rt.enqueue(f"nap-{queue}", fail=(minute + n + i) % 9 == 0)
                rt.enqueue("canary")
                rt.wait_idle(20, queues=HISTORY_QUEUES)
        # The heartbeat samples each queue's depth at moments the seed does not choose;
        # samples above any it could take (each bucket keeps its largest) make the
        # depth chart the same on every run, as one heartbeat a minute would record it.
        for minute in (58, 50, 41, 33, 25, 17, 12, 8, 4, 2, 1, 0):
            at = (NOW - timedelta(minutes=minute)).timestamp()
            rt.registry.store.record_depth(
                at, {q: 20 + (minute * (i + 3)) % 17 for i, q in enumerate(QUEUE_NAMES)}
            )


_seed_template: list[Path] = []
"""This test process's seeded database, which every profile's starts as a copy of."""


def _seeded_database(directory: Path) -> None:
    """The seeded rows in `directory`'s database: made by the real seed and pipeline once
    per test process, in a directory of its own that no test writes to (about 2 s of CPU:
    the migrations, enrichment and 41 rollups), and copied with SQLite's backup API for
    each profile. The seed is deterministic (a fixed clock and random seed) and names no
    path, so a copy holds what a new run would."""
    if not _seed_template:
        where = Path(tempfile.mkdtemp(prefix="ygmon-ui-seed-"))
        atexit.register(shutil.rmtree, where, True)
        asyncio.run(_seed_rows(f"sqlite+aiosqlite:///{where / 'ygmon.db'}"))
        _seed_template.append(where / "ygmon.db")
    source = sqlite3.connect(_seed_template[0])
    copy = sqlite3.connect(directory / "ygmon.db")
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def seeded(directory: Path, fix_path: str = NEVER_FIXED, **overrides: object) -> LocalProfile:
    profile = make_profile(directory, **overrides)
    _seeded_database(directory)
    seed_jobs(profile, fix_path)
    return profile


@pytest.fixture(scope="session")
def shared_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    """Seeded once for every test that only reads (snapshots, navigation)."""
    return seeded(tmp_path_factory.mktemp("ui-shared"))


@pytest.fixture(scope="session")
def history_profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    """The shared data plus an hour of real jobs on four queues (seed_history)."""
    profile = seeded(tmp_path_factory.mktemp("ui-history"))
    seed_history(profile)
    return profile


@pytest.fixture
def fresh_profile(tmp_path: Path) -> LocalProfile:
    """Seeded for one test that changes the data; its failed jobs succeed once
    `tmp_path / "fixed"` exists."""
    return seeded(tmp_path, fix_path=str(tmp_path / "fixed"))


def build_app(
    settings: Settings,
    ui: UiConfig,
    target: str = "test",
    worker_config: Path | None = None,
    live: bool = False,
    clock: Callable[[], datetime] = frozen_clock,
) -> YgmonApp:
    """The app as `ygmon` builds it: the shared factory gives the monitor; a local app
    may start `ygmon worker` with `worker_config` (a config file of the same profile);
    a local monitor reads through its change feed, as `ygmon tui` makes it; `live`: a
    remote monitor holds the server's stream, as `ygmon tui` makes it; `clock`: a local
    monitor's (a later one than the data's shows the ages grown)."""
    local = isinstance(settings.profile, LocalProfile)
    command = None
    if local:
        source = Settings(settings.profile_name, settings.profile, worker_config)
        command = worker_command(source)
    return YgmonApp(
        make_monitor(settings, clock=clock if local else None, live=live or local),
        target=target,
        ui=ui,
        worker_command=command,
        links=settings.profile.links,
        slo=settings.profile.slo,
    )


def local_settings(profile: LocalProfile) -> Settings:
    return Settings(profile_name="local", profile=profile, source=None)


def remote_settings(base_url: str, token: str, **overrides: object) -> Settings:
    return Settings(
        profile_name="remote",
        # The default timeout: the served API runs in a thread of the test's own
        # process, and on a loaded machine a first answer can take seconds.
        profile=RemoteProfile(api_url=base_url, token=token, **overrides),
        source=None,
    )


@contextmanager
def backend_settings(kind: str, profile: LocalProfile) -> Iterator[Settings]:
    """Settings for the local backend, or for a real `ygmon serve` over the same data."""
    if kind == "local":
        yield local_settings(profile)
        return
    with serve_on_loopback(profile, clock=frozen_clock) as (base_url, token):
        yield remote_settings(base_url, token)


@pytest.fixture(params=["local", "remote"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


def write_config(profile: LocalProfile, directory: Path) -> Path:
    """A config file whose one profile, `local`, is `profile` (for `ygmon worker`)."""
    lines = ["[profiles.local]"]
    for key, value in profile.table(changed_only=True).items():
        if isinstance(value, str | int | float | bool):
            lines.append(f"{key} = {json.dumps(value)}")
    path = directory / "ygmon.toml"
    path.write_text("\n".join(lines) + "\n")
    return path
