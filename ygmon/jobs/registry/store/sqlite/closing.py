"""What a running job's row takes back as it leaves `active` (SQLite): the fields its
taking recorded and the attempt the move closes."""

from __future__ import annotations

import json
from collections.abc import Mapping

from ygmon.jobs.registry.store.base import ATTEMPT

_DECODER = json.JSONDecoder()
"""json.loads without its per-call checks (a str of ours, never bytes)."""

Closed = tuple[str, str | None, str | None, str | None]
"""The attempt a move closes, as the row's update appends it: the move's ATTEMPT entry,
then its start, worker and number (the running record's), which the update adds to it
with json_set (ygmon.jobs.registry.store.sqlite.moves)."""


def closing(
    taken: list | tuple, fields: Mapping[str, str | None]
) -> tuple[dict[str, str | None], Closed | None, str | None]:
    """The row's changes as a running job leaves `active`: what taking it recorded
    (`taken`, in _ACTIVE_FIELDS order), then `fields` but their ATTEMPT; the attempt
    the move closes, if any (see Closed); and that attempt's end.

    The entry goes to SQLite as it came: SQLite adds the running record's figures as
    it appends it (it parses the entry for the due time anyway), so Python decodes it
    only for its end, and encodes nothing."""
    worker, started, made = taken
    changes = {"worker_id": worker, "started_at": started, "attempts_made": made, **fields}
    entry = changes.pop(ATTEMPT, None)
    if entry is None:
        return changes, None, None
    return changes, (entry, started, worker, made), _DECODER.decode(entry).get("end")
