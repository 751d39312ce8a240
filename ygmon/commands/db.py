"""`ygmon db upgrade|current`: apply or show the schema migrations.

SQLAlchemy and Alembic are imported in the handlers: every `ygmon` start registers this
command, few run it.
"""

from __future__ import annotations

import argparse

from ygmon.commands.common import settings_from
from ygmon.profile_targets import local_profile, redact


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("db", help="database schema migrations")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    actions.add_parser("upgrade", help="apply migrations up to the newest").set_defaults(
        handler=_upgrade
    )
    actions.add_parser("current", help="print the schema revision").set_defaults(handler=_current)


def _upgrade(args: argparse.Namespace) -> int:
    from ygmon.db import Database
    from ygmon.db.migrate import upgrade
    from ygmon.db.reachability import checked

    profile = local_profile(settings_from(args), "db upgrade")

    async def run() -> str:
        db = Database(profile.database_url)
        try:
            return await checked(db, upgrade(db))
        finally:
            await db.dispose()

    import asyncio  # here: `ygmon status` loads this module and must not pay for asyncio

    print(f"{redact(profile.database_url)}: at revision {asyncio.run(run())}")
    return 0


def _current(args: argparse.Namespace) -> int:
    from ygmon.db import Database
    from ygmon.db.migrate import current_revision
    from ygmon.db.reachability import checked

    profile = local_profile(settings_from(args), "db current")

    async def run() -> str | None:
        db = Database(profile.database_url)
        try:
            return await checked(db, current_revision(db))
        finally:
            await db.dispose()

    import asyncio

    print(asyncio.run(run()) or "(no schema)")
    return 0
