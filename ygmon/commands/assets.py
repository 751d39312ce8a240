"""`ygmon assets import FILE... [--type T] [--title T] [--scan S]` stores files as assets
the way an upload would (then the worker makes thumbnails and previews);
`ygmon assets scan ASSET_ID clean|infected` records the virus scanner's verdict."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from ygmon.commands.common import settings_from
from ygmon.errors import ConfigError, YgmonError
from ygmon.profile_targets import local_profile

TYPES = ("video", "audio", "image", "document", "three_d", "other")
SCANS = ("clean", "pending", "infected")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("assets", help="import media as assets, record scan results")
    commands = parser.add_subparsers(dest="assets_command", metavar="COMMAND", required=True)
    imp = commands.add_parser("import", help="store files as assets, as an upload would")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--type", choices=TYPES, help="asset type (default: from the content)")
    imp.add_argument("--title", help="title (default: the file's name)")
    imp.add_argument(
        "--scan", choices=SCANS, default="clean", help="virus-scan status (default: clean)"
    )
    imp.set_defaults(handler=run_import)
    scan = commands.add_parser("scan", help="record a virus-scan result")
    scan.add_argument("asset_id", metavar="ASSET_ID")
    scan.add_argument("verdict", choices=("clean", "infected"))
    scan.set_defaults(handler=run_scan)


async def _database(profile: Any) -> Any:
    from ygmon.db import Database, is_sqlite
    from ygmon.db.migrate import current_revision, ensure_schema
    from ygmon.db.reachability import checked
    from ygmon.db.schema_head import HEAD_REVISION

    db = Database(profile.database_url)
    if is_sqlite(profile.database_url):
        await checked(db, ensure_schema(db))
    elif await checked(db, current_revision(db)) != HEAD_REVISION:
        await db.dispose()
        raise YgmonError("the database is not at the current schema: run 'ygmon db upgrade'")
    return db


def run_import(args: argparse.Namespace) -> int:
    from ygmon.db.models import AssetType, ScanStatus
    from ygmon.jobs.runtime import open_runtime
    from ygmon.pipelines.media.assets import import_file
    from ygmon.pipelines.media.errors import MediaError
    from ygmon.storage import storage_for

    profile = local_profile(settings_from(args), "assets import")
    files = [Path(name) for name in args.files]
    for path in files:
        if not path.exists():
            raise ConfigError(f"assets import: {path}: no such file")
        if path.is_dir():
            raise ConfigError(f"assets import: {path} is a directory")
        if not path.is_file():
            raise ConfigError(f"assets import: {path} is not a regular file")
    kind = AssetType(args.type.upper()) if args.type else None
    storage = storage_for(profile, signed=False)
    failures = 0

    async def main() -> None:
        nonlocal failures
        db = await _database(profile)
        try:
            with open_runtime(profile) as runtime:
                for path in files:
                    try:
                        done = await import_file(
                            db, storage, path.absolute(), runtime.enqueue,
                            kind=kind, title=args.title, scan=ScanStatus(args.scan.upper()),
                        )  # fmt: skip
                    except MediaError as exc:
                        failures += 1
                        print(f"ygmon: assets import: {exc.message}", file=sys.stderr)
                        continue
                    job = f", thumbnail job {done.thumbnail_job}" if done.thumbnail_job else ""
                    size = f"{done.file_size} B"
                    print(f"{done.asset_id} {done.type.value} {path.name} ({size}{job})")
        finally:
            await db.dispose()

    asyncio.run(main())
    return 2 if failures else 0


def run_scan(args: argparse.Namespace) -> int:
    from ygmon.db.models import ScanStatus
    from ygmon.errors import NotFoundError
    from ygmon.jobs.runtime import open_runtime
    from ygmon.pipelines.media.assets import record_scan

    profile = local_profile(settings_from(args), "assets scan")

    async def main() -> str | None:
        db = await _database(profile)
        try:
            with open_runtime(profile) as runtime:
                return await record_scan(
                    db, args.asset_id, ScanStatus(args.verdict.upper()), runtime.enqueue
                )
        except NotFoundError:
            raise ConfigError(f"assets scan: asset {args.asset_id} not found") from None
        finally:
            await db.dispose()

    job = asyncio.run(main())
    tail = f"; preview job {job} enqueued" if job else ""
    print(f"{args.asset_id} scan {args.verdict.upper()}{tail}")
    return 0
