"""`ygmon notify USER_EMAIL --type T --title ... --message ... [--priority P]`: create a
notification (the in-app row) and enqueue its delivery, as the platform does."""

from __future__ import annotations

import argparse

from ygmon.commands.common import settings_from
from ygmon.profile_targets import local_profile


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("notify", help="create a notification and enqueue its delivery")
    parser.add_argument("email", metavar="USER_EMAIL", help="the user's e-mail address")
    parser.add_argument("--type", required=True, dest="kind", help="LICENSE, PAYOUT, BLOG, ...")
    parser.add_argument("--title", required=True)
    parser.add_argument("--message", required=True)
    parser.add_argument("--priority", default="MEDIUM", help="LOW, MEDIUM (default), HIGH, URGENT")
    parser.add_argument("--action-url", metavar="URL")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import asyncio

    from ygmon.jobs.runtime import open_runtime
    from ygmon.pipelines.notifications.create import (
        check_fields,
        create_notification,
        user_id_by_email,
    )

    profile = local_profile(settings_from(args), "notify")
    check_fields(args.kind.upper(), args.priority.upper())

    async def create(enqueue: object) -> tuple[str, str]:
        from ygmon.db import Database
        from ygmon.db.reachability import checked
        from ygmon.monitor.local import LocalMonitor

        # The monitor's schema check: the embedded database migrates itself, a server
        # database behind the code says to run 'ygmon db upgrade'.
        monitor = LocalMonitor(profile)
        try:
            db: Database = await monitor.database()

            async def work() -> tuple[str, str]:
                user_id = await user_id_by_email(db, args.email)
                return await create_notification(
                    db,
                    enqueue,  # type: ignore[arg-type]
                    user_id=user_id,
                    kind=args.kind.upper(),
                    title=args.title,
                    message=args.message,
                    priority=args.priority.upper(),
                    action_url=args.action_url,
                )

            return await checked(db, work())
        finally:
            await monitor.close()

    with open_runtime(profile) as runtime:
        notification_id, job_id = asyncio.run(create(runtime.enqueue))
    # A burst shares one pending delivery job, so the job may be one enqueued earlier.
    print(
        f"notification {notification_id} created; delivered by job {job_id} (notification-delivery)"
    )
    return 0
