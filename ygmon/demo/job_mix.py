"""The jobs `ygmon demo` enqueues: canaries of varied length, some of which really fail.

Short ones come first so a worker started with the demo completes jobs within seconds;
longer ones keep the "active" column busy for a while; the failing ones (a canary asked
to raise) fill the Failed screen; two of them only fail until a "fix" file exists, which
the live demo creates a little later, so a retry of those shows a failure recovered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

CANARY_TASK = "canary"


@dataclass(frozen=True)
class DemoJob:
    seconds: float
    fail: bool = False
    fixable: bool = False
    """Fails until the demo's fix-file exists: a retry after that completes."""


DEMO_JOBS = (
    DemoJob(0.2),
    DemoJob(0.5),
    DemoJob(0.8, fail=True),
    DemoJob(1.0),
    DemoJob(1.5),
    DemoJob(2.0),
    DemoJob(1.2, fixable=True),
    DemoJob(2.5, fail=True),
    DemoJob(3.0),
    DemoJob(4.0),
    DemoJob(5.0),
    DemoJob(6.0, fail=True),
    DemoJob(7.0, fixable=True),
    DemoJob(8.0),
    DemoJob(10.0),
    DemoJob(15.0),
    DemoJob(20.0),
    DemoJob(30.0),
)


def enqueue_demo_jobs(runtime: Any, fix_file: Path) -> list[str]:
    """Enqueue DEMO_JOBS through the job runtime; returns their job ids.

    The fixable ones fail while `fix_file` is missing (the canary's `fail_unless`), so
    once it exists, retrying them from the Failed screen ends with them completed.
    """
    ids = []
    for job in DEMO_JOBS:
        kwargs: dict[str, Any] = {"seconds": job.seconds, "fail": job.fail}
        if job.fixable:
            kwargs["fail_unless"] = str(fix_file.absolute())
        ids.append(runtime.enqueue(CANARY_TASK, **kwargs))
    return ids
