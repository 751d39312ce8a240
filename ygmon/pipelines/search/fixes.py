"""What an index sync fixed, counted per kind: both engines (index_postgres,
index_sqlite) count in this shape and the jobs report it."""

from __future__ import annotations

FIX_KINDS = ("missing", "stale", "soft_deleted", "orphaned")
"""What a sync can fix: a live row absent from the index, a live row indexed with old
text, a soft-deleted row still indexed, an index entry whose row is gone."""

Counts = dict[str, int]


def no_fixes() -> Counts:
    return dict.fromkeys(FIX_KINDS, 0)


def add_counts(into: Counts, more: Counts) -> Counts:
    for key, value in more.items():
        into[key] = into.get(key, 0) + value
    return into
