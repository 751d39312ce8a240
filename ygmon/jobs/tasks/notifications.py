"""The notifications pipeline's Huey tasks (thin wrappers of ygmon.pipelines.notifications)
and its `ygmon enqueue digest daily|weekly` command.

Pipeline code is imported inside each task function: the runtime imports this module
in every producer (the API, the CLI, the demo), which need the specs, not the work.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ygmon.errors import ConfigError
from ygmon.jobs.tasks.spec import EnqueueCommand, TaskSpec

if TYPE_CHECKING:
    from ygmon.jobs.job_context import JobContext, Producer
    from ygmon.mail.mailer import Mailer

DIGEST_TASKS = {"daily": "digest-daily", "weekly": "digest-weekly"}
"""One task per digest kind, so the registry's last finish of each is its last run."""

log = logging.getLogger("ygmon.notifications")
_threads = threading.local()


def thread_mailer(ctx: JobContext) -> Mailer:
    """This worker thread's mailer for the job's runtime: one SMTP connection per thread,
    reused from job to job rather than opened per message."""
    from ygmon.mail.mailer import open_mailer

    held = getattr(_threads, "mailers", None)
    if held is None:
        held = _threads.mailers = {}
    key = id(ctx.runtime)
    entry = held.get(key)
    if entry is None or entry[0] is not ctx.runtime:
        entry = held[key] = (ctx.runtime, open_mailer(ctx.profile))
    return entry[1]


EMAIL_TASK = "send-notification-email"


def wake_sender(runtime: Producer) -> str:
    """The sender job that will send the e-mails made due so far (a new one, or the one
    running or waiting already: ygmon.pipelines.notifications.wake)."""
    from ygmon.pipelines.notifications.wake import SENDER

    return SENDER.request(runtime.enqueue)


def deliver_notification(notification_id: str | None = None) -> dict[str, Any]:
    """Decide every new notification's e-mail and make the allowed ones due (with
    `notification_id`, that one first: a re-run by id); a second run finds nothing left
    to decide and writes nothing twice."""
    from ygmon.jobs.job_context import current_job
    from ygmon.pipelines.notifications.delivery import deliver_held
    from ygmon.pipelines.notifications.wake import DELIVERY

    ctx = current_job()
    return ctx.run(
        deliver_held(
            ctx.database,
            lambda: wake_sender(ctx.runtime),
            from_address=ctx.profile.mail_from,
            notification_id=notification_id,
            drain=lambda step: DELIVERY.drain(ctx.collapse, step),
        )
    )


def send_notification_email(notification_id: str | None = None) -> dict[str, Any]:
    """Send every e-mail due, each at most once (ygmon.pipelines.notifications.immediate),
    and those coming due while it runs; a re-run finds them sent and sends nothing."""
    from ygmon.jobs.job_context import current_job
    from ygmon.pipelines.notifications.immediate import send_due_emails
    from ygmon.pipelines.notifications.wake import SENDER

    ctx = current_job()
    return ctx.run(
        send_due_emails(
            ctx.database,
            thread_mailer(ctx),
            job_id=ctx.job_id or "local-email",
            now=ctx.now(),
            from_address=ctx.profile.mail_from,
            notification_id=notification_id,
            drain=lambda step: SENDER.drain(ctx.collapse, step),
            clock=ctx.now,
        )
    )


def _digest(kind: str, period: str | None, trigger: str | None) -> dict[str, Any]:
    from ygmon.jobs.job_context import current_job
    from ygmon.pipelines.notifications.digest import run_digest

    ctx = current_job()
    report = ctx.run(
        run_digest(
            ctx.database,
            thread_mailer(ctx),
            kind,
            job_id=ctx.job_id or f"local-digest-{kind}",
            now=ctx.now(),
            from_address=ctx.profile.mail_from,
            period=datetime.fromisoformat(period) if period else None,
            progress=ctx.progress,
        )
    )
    result = report.as_result()
    return {**result, "trigger": trigger} if trigger else result


def digest_daily(period: str | None = None, trigger: str | None = None) -> dict[str, Any]:
    """The daily digests of `period` (default: the one now falls in); a re-run of the
    period sends only what no earlier run did. `trigger` ("catch-up" from a starting
    worker) is how the run started: the runtime records it as a run of the schedule."""
    return _digest("daily", period, trigger)


def digest_weekly(period: str | None = None, trigger: str | None = None) -> dict[str, Any]:
    """The weekly digests of `period`; harmless to run twice, like the daily one."""
    return _digest("weekly", period, trigger)


def _enqueue_digest(
    runtime: Producer, values: list[str], delay: float | None
) -> list[tuple[str, str]]:
    if len(values) != 1 or values[0] not in DIGEST_TASKS:
        got = " ".join(values) or "nothing"
        raise ConfigError(f"enqueue digest: expected 'daily' or 'weekly', got {got}")
    job_id = runtime.enqueue(DIGEST_TASKS[values[0]], delay=delay)
    return [(job_id, "notification-digest")]


def on_worker_start(runtime: Producer, queues: list[str]) -> None:
    """Catch up the latest missed daily and weekly digest, once across the workers
    starting together (ygmon.pipelines.notifications.catch_up)."""
    if "notification-digest" not in queues:
        return
    from ygmon.jobs.job_context import run_aside
    from ygmon.pipelines.notifications.catch_up import claim_missed

    async def claim() -> dict[str, datetime]:
        from ygmon.db import Database

        db = Database(runtime.profile.database_url)
        try:
            by = f"catch-up:{runtime.worker_id or 'worker'}"
            return await claim_missed(db, list(DIGEST_TASKS), by, runtime.now())
        finally:
            await db.dispose()

    try:
        won = run_aside(claim)
    except Exception as exc:
        # A catch-up that cannot read the database must not keep the worker from starting.
        log.error("digest catch-up skipped: %s", exc)
        return
    for kind, period in won.items():
        runtime.enqueue(DIGEST_TASKS[kind], period=period.isoformat(), trigger="catch-up")


TASKS: tuple[TaskSpec, ...] = (
    TaskSpec(
        "deliver-notification",
        "notification-delivery",
        deliver_notification,
        "decide the new notifications' e-mails (sent when the preferences allow)",
    ),
    TaskSpec(
        EMAIL_TASK,
        "email",
        send_notification_email,
        "send the due notification e-mails, each at most once",
    ),
    # One digest task per frequency, each run on its queue's schedule of that name.
    *(
        TaskSpec(DIGEST_TASKS[kind], "notification-digest", run, f"{kind} digest e-mails", kind)
        for kind, run in (("daily", digest_daily), ("weekly", digest_weekly))
    ),
)
ENQUEUE: tuple[EnqueueCommand, ...] = (
    EnqueueCommand("digest", "send the daily|weekly digests now", _enqueue_digest),
)
