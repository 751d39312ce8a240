"""What a running job's row takes back as it leaves `active` (SQLite): the fields its
taking recorded and the attempt the move closes."""

from __future__ import annotations

import json
from collections.abc import Mapping

from ygmon.jobs.registry.store.base import ATTEMPT


def closing(
    taken: list | tuple, fields: Mapping[str, str | None]
) -> tuple[dict[str, str | None], str | None]:
    """The row's changes as a running job leaves `active`: what taking it recorded
    (`taken`, in _ACTIVE_FIELDS order), then `fields`; an ATTEMPT among them gets the
    attempt's start, worker and number from `taken`. Also the attempt's end (None
    when the move closes none)."""
    worker, started, made = taken
    changes = {"worker_id": worker, "started_at": started, "attempts_made": made, **fields}
    entry = fields.get(ATTEMPT)
    if entry is None:
        return changes, None
    closed = json.loads(entry)
    closed.update(start=started, worker=worker, n=made)
    changes[ATTEMPT] = json.dumps(closed)
    return changes, closed.get("end")
