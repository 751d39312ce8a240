"""Job ids: made by the runtime for each job, and by the pipelines that record a job's id
in a row (an asset's media job) before the job is enqueued. A base module: an id is
not Huey's, and a pipeline takes it from here rather than from the job runtime."""

from __future__ import annotations

import os
import time


def new_job_id() -> str:
    """A UUIDv7 as 32 hex digits: unique like uuid4, but ids made later sort later, so
    a new job's registry row lands on the page the previous one filled instead of a
    random one (on SQLite each page a write touches is a page to sync)."""
    value = (time.time_ns() // 1_000_000) << 80 | int.from_bytes(os.urandom(10), "big")
    value = value & ~(0xF << 76) | 0x7 << 76  # version 7
    value = value & ~(0x3 << 62) | 0x2 << 62  # RFC 4122 variant
    return f"{value:032x}"
