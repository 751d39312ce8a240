"""Bulk retry and discard over the registry: each job is one atomic move that only a
still-failed job takes, so a job retried or removed meanwhile is skipped, not redone."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ygmon.errors import CannotRetryError, NotFoundError

_FAILED = frozenset({"failed"})


def discard(registry: Any, job_id: str) -> bool:
    """Move a failed job to `cancelled` (it keeps its error); False when not failed."""
    now = registry.now()
    return bool(
        registry.store.move(
            job_id,
            "cancelled",
            {"finished_at": repr(now)},
            allowed_from=_FAILED,
            sort_at=now,
            retention=registry.retention("cancelled", now),
        )
    )


def retry(registry: Any, queue: str, job_id: str) -> bool:
    try:
        registry.retry(queue, job_id)
    except (CannotRetryError, NotFoundError):
        return False
    return True


def apply(
    jobs: Iterable[tuple[str, str, float]], act: Callable[[str, str], bool]
) -> tuple[int, int]:
    """Run `act(queue, job_id)` on each job: (done, skipped)."""
    done = skipped = 0
    for job_id, queue, _ in jobs:
        if act(queue, job_id):
            done += 1
        else:
            skipped += 1
    return done, skipped
