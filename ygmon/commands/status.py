"""`ygmon status [--json]`: what the configured backend can tell right now."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from ygmon.commands.common import settings_from
from ygmon.config import LocalProfile, Settings
from ygmon.liveness import GONE, LIVE, NO_WORKER, beat_words
from ygmon.profile_targets import redact

QUEUE_KEYS = ("name", "waiting", "delayed", "active", "completed", "failed")
"""A queue's entry in the status document (a paused one adds `paused`, `pausedAt`)."""


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("status", help="print the backend's state and exit")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def collect(settings: Settings, now: float | None = None) -> dict[str, Any]:
    """The status document; `ygmon status --json` prints it as it is. `now`: a local
    registry's beats judged at this time, not the store's (a frozen clock)."""
    profile = settings.profile
    if isinstance(profile, LocalProfile):
        # The everyday case, an embedded database already at head, is answered with
        # the stdlib alone: status must answer within 50 ms, and SQLAlchemy's import
        # alone costs several times that.
        database = _embedded_database_status(profile.database_url)
        if database is not None:
            from ygmon.db import embedded

            path = embedded.sqlite_file(profile.database_url)
            posts = embedded.scheduled_posts(path) if path else None
            # None at head is a failed count: SQLAlchemy's path below says why.
            if posts is not None:
                return {**_header(settings), **_local_status(profile, database, posts, now)}
    import asyncio

    return asyncio.run(gather(settings, now))


def _header(settings: Settings) -> dict[str, Any]:
    return {
        "profile": settings.profile_name,
        "config": str(settings.source) if settings.source else None,
        "kind": "remote" if settings.is_remote else "local",
    }


def _local_status(
    profile: LocalProfile,
    database: dict[str, Any],
    scheduled_posts: int | None,
    now: float | None = None,
    posts_error: str | None = None,
) -> dict[str, Any]:
    from ygmon.jobs.registry.snapshot import snapshot

    errors: dict[str, str] = {}
    if profile.mail_backend == "smtp":  # only SMTP has a breaker (and its import costs)
        from ygmon.mail.breaker import breaker_error

        error = breaker_error(profile)
        errors = {} if error is None else {"email": error}
    return {
        "database": database,
        "broker": redact(profile.broker_url),
        **snapshot(
            profile.broker_url,
            profile.namespace,
            gone_after=profile.worker_gone_after,
            stalled_after=profile.stalled_after,
            errors=errors,
            scheduled_jobs=scheduled_posts,
            scheduled_jobs_error=posts_error,
            now=now,
        ),
    }


async def gather(settings: Settings, now: float | None = None) -> dict[str, Any]:
    """The status document through SQLAlchemy or the remote API (the general path)."""
    profile = settings.profile
    if isinstance(profile, LocalProfile):
        database, (posts, why) = await _database_status(profile.database_url)
        return {**_header(settings), **_local_status(profile, database, posts, now, why)}
    return {**_header(settings), **await _remote_status(settings)}


async def _remote_status(settings: Settings) -> dict[str, Any]:
    """The same `queues` and `workers` through the remote admin API, plus its health."""
    from ygmon.monitor.factory import make_monitor

    monitor = make_monitor(settings)
    try:
        queues = [q.to_json() for q in await monitor.queues()]
        workers = [w.to_json() for w in await monitor.workers()]
        health = (await monitor.health()).to_json()
        now = time.time()
        for w in workers:  # the server judged liveness; the age is read on this clock
            w["beatAge"] = round(max(0.0, now - _epoch(w["lastHeartbeat"])), 1)
            w.pop("running", None)  # a local status does not count them (its 50 ms)
    finally:
        await monitor.close()
    return {
        "api": {"url": settings.profile.api_url, "readOnly": not monitor.SUPPORTS_RETRY},
        "health": health,
        "queues": [
            {k: q[k] for k in (*QUEUE_KEYS, "paused", "pausedAt") if k in q} for q in queues
        ],
        "workers": workers,
    }


def _epoch(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp).timestamp()


def _embedded_database_status(url: str) -> dict[str, Any] | None:
    """The database entry of an SQLite file already at head, read with sqlite3; None
    whenever SQLAlchemy must look (not SQLite, no file yet, behind head, odd URL)."""
    from ygmon.db import embedded
    from ygmon.db.schema_head import HEAD_REVISION

    path = embedded.sqlite_file(url)
    if path is None or not embedded.at_head(path):
        return None
    return {
        "url": redact(url),
        "reachable": True,
        "revision": HEAD_REVISION,
        "head": HEAD_REVISION,
        "upToDate": True,
    }


async def _database_status(
    url: str,
) -> tuple[dict[str, Any], tuple[int | None, str | None]]:
    """The database entry, and the scheduled posts health counts (None when the schema
    is not there yet, or with why they could not be counted)."""
    # Imported here: a remote profile never needs SQLAlchemy or Alembic.
    from ygmon.db import Database, is_sqlite, scheduled_posts
    from ygmon.db.migrate import current_revision, ensure_schema, head_revision
    from ygmon.db.reachability import checked

    db = Database(url)
    try:
        # The embedded default migrates itself on first use; a server database is
        # only reported on, since migrating production is a deliberate act.
        revision = await checked(db, ensure_schema(db) if is_sqlite(url) else current_revision(db))
        head = head_revision()
        posts: tuple[int | None, str | None] = (None, None)
        if revision == head:
            async with db.reader() as session:
                posts = await scheduled_posts.count_or_reason(
                    checked(db, scheduled_posts.count(session))
                )
    finally:
        await db.dispose()
    database = {
        "url": redact(url),
        "reachable": True,
        "revision": revision,
        "head": head,
        "upToDate": revision == head,
    }
    return database, posts


def _print_text(doc: dict[str, Any]) -> None:
    print(f"profile   {doc['profile']} ({doc['kind']}; {doc['config'] or 'built-in defaults'})")
    if "database" in doc:
        db = doc["database"]
        behind = "" if db["upToDate"] else f" (behind {db['head']}: run 'ygmon db upgrade')"
        print(f"database  {db['url']}  revision {db['revision'] or 'none'}{behind}")
        print(f"broker    {doc['broker']}")
    if "api" in doc:
        read_only = " (read-only)" if doc["api"]["readOnly"] else ""
        print(f"api       {doc['api']['url']}{read_only}")
    if "health" in doc:
        _print_health(doc["health"])
    if "queues" in doc:
        _print_jobs(doc)


def _print_health(health: dict[str, Any]) -> None:
    print(f"health    {'healthy' if health['healthy'] else 'UNHEALTHY'}")
    for group, entry in health.items():
        if group == "healthy" or entry["healthy"]:
            continue
        for queue, status in (entry.get("workers") or {}).items():
            if status.get("error") or not status["isRunning"]:
                print(f"  {group}/{queue}: {status.get('error') or NO_WORKER}")


def _beat(worker: dict[str, Any]) -> str:
    if worker.get("beatAge") is None:
        return f"last beat {worker['lastHeartbeat']}"
    return beat_words(worker.get("liveness", LIVE), worker["beatAge"])


def _print_jobs(doc: dict[str, Any]) -> None:
    from ygmon.commands.table import print_table

    workers = doc["workers"]
    live = sum(1 for w in workers if w.get("liveness", LIVE) != GONE)
    gone = len(workers) - live
    print(f"workers   {live} live" + (f", {gone} gone" if gone else ""))
    if workers:
        print()
        print_table(
            ("WORKER", "THREADS", "HEARTBEAT"),
            ((w["id"], w["concurrency"], _beat(w)) for w in workers),
        )
    print()
    print_table(
        ("QUEUE", "PAUSED", *(k.upper() for k in QUEUE_KEYS[1:])),
        (
            (q["name"], "yes" if q.get("paused") else "no", *(q[k] for k in QUEUE_KEYS[1:]))
            for q in doc["queues"]
        ),
    )


def run(args: argparse.Namespace) -> int:
    doc = collect(settings_from(args))
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        _print_text(doc)
    return 0
