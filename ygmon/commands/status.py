"""`ygmon status [--json]`: what the configured backend can tell right now."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from ygmon.commands.common import redact, settings_from
from ygmon.config import LocalProfile, Settings
from ygmon.db import Database, is_sqlite
from ygmon.db.migrate import current_revision, ensure_schema, head_revision
from ygmon.db.reachability import checked


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("status", help="print the backend's state and exit")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


async def gather(settings: Settings) -> dict[str, Any]:
    """The status document; `ygmon status --json` prints it as it is."""
    profile = settings.profile
    doc: dict[str, Any] = {
        "profile": settings.profile_name,
        "config": str(settings.source) if settings.source else None,
        "kind": "remote" if settings.is_remote else "local",
    }
    if isinstance(profile, LocalProfile):
        doc["database"] = await _database_status(profile.database_url)
        doc["broker"] = redact(profile.broker_url)
    return doc


async def _database_status(url: str) -> dict[str, Any]:
    db = Database(url)
    try:
        # The embedded default migrates itself on first use; a server database is
        # only reported on, since migrating production is a deliberate act.
        revision = await checked(db, ensure_schema(db) if is_sqlite(url) else current_revision(db))
    finally:
        await db.dispose()
    head = head_revision()
    return {
        "url": redact(url),
        "reachable": True,
        "revision": revision,
        "head": head,
        "upToDate": revision == head,
    }


def _print_text(doc: dict[str, Any]) -> None:
    print(f"profile   {doc['profile']} ({doc['kind']}; {doc['config'] or 'built-in defaults'})")
    if "database" in doc:
        db = doc["database"]
        behind = "" if db["upToDate"] else f" (behind {db['head']}: run 'ygmon db upgrade')"
        print(f"database  {db['url']}  revision {db['revision'] or 'none'}{behind}")
        print(f"broker    {doc['broker']}")


def run(args: argparse.Namespace) -> int:
    doc = asyncio.run(gather(settings_from(args)))
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        _print_text(doc)
    return 0
