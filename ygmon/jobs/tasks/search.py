"""The search pipeline's Huey tasks (thin wrappers of ygmon.pipelines.search) and its
`ygmon enqueue` commands: `index ENTITY ID`, `index-bulk ENTITY ID...`, `reindex
[--entity E]`.

Pipeline code is imported inside each task function: the runtime imports this module
in every producer (the API, the CLI, the demo), which need the specs, not the work.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any, NoReturn

from ygmon.cli_numbers import seconds
from ygmon.errors import ConfigError
from ygmon.jobs.tasks.spec import EnqueueCommand, EnqueueRun, TaskSpec, parse_arguments

if TYPE_CHECKING:
    from ygmon.jobs.job_context import Producer


def search_index_update(entity: str, entity_id: str) -> dict[str, Any]:
    """Index, re-index or remove one entity (create, update, soft or hard delete).

    Idempotent: it writes the entry the row calls for, so a second run finds nothing
    to change."""
    from ygmon.jobs.job_context import current_job
    from ygmon.pipelines.search.changes import update_starting
    from ygmon.pipelines.search.service import index_one

    ctx = current_job()
    update_starting(ctx.collapse, entity, entity_id)
    counts = ctx.run(index_one(ctx.database, entity, entity_id))
    return {"entity": entity, "id": entity_id, "fixed": counts}


def search_index_bulk(entity: str, ids: list[str], pause: float = 0.0) -> dict[str, Any]:
    """Index many ids of one type, 50 per batch, progress after each batch (`pause`:
    seconds between batches, for a demo to watch).

    Idempotent like the update: a rerun re-checks every id and changes only what
    differs."""
    from ygmon.jobs.job_context import current_job
    from ygmon.pipelines.search.service import index_many

    ctx = current_job()
    counts = ctx.run(
        index_many(ctx.database, entity, list(ids), progress=ctx.progress, pause=float(pause))
    )
    return {"entity": entity, "ids": len(ids), "fixed": counts}


def search_index_reindex(entity: str | None = None, pause: float = 0.0) -> dict[str, Any]:
    """Reindex every searchable row (or one type's), 100 per batch and 50 batches per
    transaction (one batch with a pause), with progress; resumable from its checkpoint
    (keyed by the job id), so a rerun after a crash continues from the last committed
    batch and a rerun after success changes nothing. Returns what it fixed per type.
    `pause`: seconds between batches."""
    from ygmon.jobs.job_context import current_job
    from ygmon.pipelines.search.changes import prune_markers
    from ygmon.pipelines.search.reindex import ALL, reindex

    ctx = current_job()
    run_id = ctx.job_id or f"reindex-{ctx.now().isoformat()}"
    result = ctx.run(
        reindex(
            ctx.database,
            run_id,
            entity or ALL,
            now=ctx.now,
            progress=ctx.progress,
            pause=float(pause),
        )
    )
    prune_markers(ctx.collapse)
    return result


class _Parser(argparse.ArgumentParser):
    # argparse exits on a missing argument even with exit_on_error=False (3.11): the
    # command's error is one line, like every other ygmon error.
    def error(self, message: str) -> NoReturn:
        raise ConfigError(f"{self.prog}: {message}")


def _parser(name: str) -> argparse.ArgumentParser:
    return _Parser(prog=f"ygmon enqueue {name}", exit_on_error=False)


def _check_entity(name: str) -> str:
    from ygmon.pipelines.search.entities import entity

    return entity(name).name


def _enqueue_reindex(
    runtime: Producer, values: list[str], delay: float | None
) -> list[tuple[str, str]]:
    parser = _parser("reindex")
    parser.add_argument("--entity", help="one entity type (default: every type)")
    parser.add_argument("--pause", type=seconds, default=0.0, help="seconds between batches")
    parsed = parse_arguments(parser, values, parser.prog)
    kwargs: dict[str, Any] = {}
    if parsed.entity:
        kwargs["entity"] = _check_entity(parsed.entity)
    if parsed.pause:
        if parsed.pause < 0:
            raise ConfigError("enqueue reindex: --pause must not be negative")
        kwargs["pause"] = parsed.pause
    job_id = runtime.enqueue("search-index-reindex", delay=delay, **kwargs)
    return [(job_id, "search-index-reindex")]


def _enqueue_ids(command: str, queue: str, ids: str, **spec: Any) -> EnqueueRun:
    """`ygmon enqueue COMMAND ENTITY ID...`: a job of `queue` given the entity and the
    argument `ids` (argparse's `spec` says how many)."""

    def enqueue(runtime: Producer, values: list[str], delay: float | None) -> list[tuple[str, str]]:
        parser = _parser(command)
        parser.add_argument("entity")
        parser.add_argument(ids, metavar="ID", **spec)
        parsed = parse_arguments(parser, values, parser.prog)
        name = _check_entity(parsed.entity)
        job_id = runtime.enqueue(queue, delay=delay, entity=name, **{ids: getattr(parsed, ids)})
        return [(job_id, queue)]

    return enqueue


TASKS: tuple[TaskSpec, ...] = (
    TaskSpec(
        "search-index-update",
        "search-index-update",
        search_index_update,
        "index one entity: ENTITY ID (create, update or delete)",
    ),
    TaskSpec(
        "search-index-bulk",
        "search-index-bulk",
        search_index_bulk,
        "index many ids of one entity type, 50 per batch",
    ),
    TaskSpec(
        "search-index-reindex",
        "search-index-reindex",
        search_index_reindex,
        "full reindex of every searchable entity (or --entity E), 100 per batch",
        schedule="weekly",
    ),
)

ENQUEUE: tuple[EnqueueCommand, ...] = (
    EnqueueCommand("reindex", "full search reindex [--entity E]", _enqueue_reindex),
    EnqueueCommand(
        "index",
        "search index update of ENTITY ID",
        _enqueue_ids("index", "search-index-update", "entity_id"),
    ),
    EnqueueCommand(
        "index-bulk",
        "search index ENTITY ID...",
        _enqueue_ids("index-bulk", "search-index-bulk", "ids", nargs="+"),
    ),
)
