"""Queue control, schedules and alerts (extensions): pause and resume a queue, its
oldest waiting job, the periodic schedule with missed runs, trigger a periodic task
now, and the server profile's alert rules applied now. Changes answer 403 on a
read-only server."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import JSONResponse

from ygmon.api.deps import extension_reads, monitor_of, ok
from ygmon.api.models import ERRORS, NOT_FOUND, Envelope, extension, extension_router
from ygmon.api.request_body import NO_BODY
from ygmon.monitor.queue_control_schemas import (
    AlertState,
    QueuePause,
    ScheduleInfo,
    TriggerResult,
)
from ygmon.monitor.schemas import JobSummary

router = extension_router()


def _queue_switch(action: str, doc: str) -> None:
    """`POST /queues/{queueName}/{action}` (pause or resume) through the monitor's method."""

    async def endpoint(request: Request, queueName: str) -> JSONResponse:
        monitor = monitor_of(request)
        switch = monitor.pause_queue if action == "pause" else monitor.resume_queue
        return ok(await switch(queueName))

    endpoint.__doc__ = doc
    router.add_api_route(
        f"/queues/{{queueName}}/{action}",
        endpoint,
        methods=["POST"],
        name=action,
        dependencies=NO_BODY,
        responses=NOT_FOUND,
        response_model=Envelope[QueuePause],
        openapi_extra=extension(),
    )


_queue_switch(
    "pause", "Pause a queue: its workers, on every host, take no new job until it is resumed."
)
_queue_switch("resume", "Resume a paused queue.")


@router.get(
    "/queues/{queueName}/oldest-waiting",
    responses=NOT_FOUND,
    response_model=Envelope[JobSummary | None],
    openapi_extra=extension(),
)
async def oldest_waiting(request: Request, queueName: str) -> JSONResponse:
    """The job of the queue that has waited longest (`data: null` when none waits)."""
    return ok(await monitor_of(request).oldest_waiting(queueName))


extension_reads(
    router,
    (
        "/schedules",
        lambda m: m.schedules(),
        list[ScheduleInfo],
        "Every periodic task: cron, last run and outcome, next run, missed runs.",
        ERRORS,
    ),
    (
        "/alerts",
        lambda m: m.alerts(),
        list[AlertState],
        "The server profile's alert rules applied now, firing or quiet.",
        ERRORS,
    ),
)


@router.post(
    "/schedules/{name}/trigger",
    dependencies=NO_BODY,
    responses=NOT_FOUND,
    response_model=Envelope[TriggerResult],
    openapi_extra=extension(),
)
async def trigger(request: Request, name: str) -> JSONResponse:
    """Enqueue a periodic task now, as its schedule would."""
    return ok(await monitor_of(request).trigger_schedule(name))
