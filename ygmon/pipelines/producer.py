"""What a pipeline is given to start jobs: an `enqueue` callable, and through it, when
the job layer offers them, the collapse markers that let one job cover a burst of
requests (ygmon.jobs.collapse implements Markers; the pipelines never import it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

Enqueue = Callable[..., str]
"""enqueue(task, *, job_id=None, delay=None, **kwargs) -> the job id: the job runtime's
or a job's own (JobRuntime.enqueue, JobContext.enqueue), or any callable alike."""


class Markers(Protocol):
    """Markers shared by every producer and worker of a deployment (see ygmon.jobs.collapse)."""

    def now(self) -> float: ...

    def holder(self, queue: str, key: str) -> str | None: ...

    def hold(self, queue: str, key: str, holder: str, stamp: float) -> str | None: ...

    def release(self, queue: str, key: str) -> None: ...

    def stamp(self, queue: str, key: str) -> None: ...

    def stamped(self, queue: str, key: str) -> float | None: ...

    def prune(self, queue: str, prefix: str, before: float) -> int: ...


def markers_of(enqueue: Enqueue) -> Markers | None:
    """The collapse markers of the producer whose bound `enqueue` this is (its
    `collapse`), or None for a bare callable: no markers to share, a job per request."""
    return getattr(getattr(enqueue, "__self__", None), "collapse", None)
