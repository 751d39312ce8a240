"""The media pipeline's Huey tasks (thin wrappers of ygmon.pipelines.media) and its
`ygmon enqueue` commands.

Both tasks run on `asset-preview-generation` (docs/CONTRACT.md#queues: low priority, attempts not
stated: 2, 30 s apart, the queue's spec). Each is harmless to run twice: a thumbnail
or preview is written to a temporary file and renamed over the same key, and the gate
opens only on the transition, so a second thumbnail run enqueues no second preview.

Pipeline code is imported inside each task function: the runtime imports this module
in every producer (the API, the CLI, the demo), which need the specs, not the work.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from ygmon.errors import ConfigError
from ygmon.jobs.tasks.spec import EnqueueCommand, TaskSpec

if TYPE_CHECKING:
    from ygmon.jobs.job_context import Producer

QUEUE = "asset-preview-generation"
THUMBNAIL_TASK = "asset-thumbnail"
PREVIEW_TASK = "asset-preview"


def asset_thumbnail(asset_id: str) -> dict[str, Any]:
    """Make the asset's thumbnail; may enqueue its preview (the gate)."""
    from ygmon.jobs.job_context import current_job
    from ygmon.pipelines.media.thumbnail import make_thumbnail
    from ygmon.storage import storage_for

    ctx = current_job()
    storage = storage_for(ctx.profile, signed=False)
    return ctx.run(make_thumbnail(ctx.database, storage, asset_id, ctx.enqueue, now=ctx.now))


def asset_preview(asset_id: str) -> dict[str, Any]:
    """Make the asset's preview clip and record it in the asset's metadata."""
    from ygmon.jobs.job_context import current_job
    from ygmon.pipelines.media.preview import make_preview
    from ygmon.storage import storage_for

    ctx = current_job()
    storage = storage_for(ctx.profile, signed=False)
    return ctx.run(make_preview(ctx.database, storage, asset_id, now=ctx.now))


def _asset_arg(name: str, values: list[str]) -> str:
    parser = argparse.ArgumentParser(prog=f"ygmon enqueue {name}", exit_on_error=False)
    parser.add_argument("asset_id")
    try:
        return parser.parse_args(values).asset_id
    except (argparse.ArgumentError, SystemExit):
        raise ConfigError(f"enqueue {name}: expects one ASSET_ID") from None


def _enqueue(task: str, name: str):
    def run(runtime: Producer, values: list[str], delay: float | None) -> list[tuple[str, str]]:
        import asyncio

        from ygmon.pipelines.media.forced import forced_job

        asset_id = _asset_arg(name, values)
        job_id = asyncio.run(forced_job(runtime.profile.database_url, asset_id, task))
        runtime.enqueue(task, job_id=job_id, delay=delay, asset_id=asset_id)
        return [(job_id, QUEUE)]

    return run


TASKS: tuple[TaskSpec, ...] = (
    TaskSpec(THUMBNAIL_TASK, QUEUE, asset_thumbnail, "make an asset's thumbnail"),
    TaskSpec(PREVIEW_TASK, QUEUE, asset_preview, "make an asset's preview clip"),
)
ENQUEUE: tuple[EnqueueCommand, ...] = (
    EnqueueCommand(
        "preview",
        "ASSET_ID: make a video/audio asset's preview now (refused when INFECTED)",
        _enqueue(PREVIEW_TASK, "preview"),
    ),
    EnqueueCommand(
        "thumbnail",
        "ASSET_ID: make an asset's thumbnail again",
        _enqueue(THUMBNAIL_TASK, "thumbnail"),
    ),
)
