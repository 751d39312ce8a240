"""The Overview's search group: the index's size per entity and the last full reindex
(when it finished, what it fixed), under the group's queues.

In the compact layout and below 32 lines (no spare line) the group's own line carries the total
and the reindex's age and fixes; the per-entity sizes are its tooltip, and the
Search screen (8) shows both in full.
"""

from __future__ import annotations

from datetime import datetime

from ygmon.monitor.search_schemas import SearchIndexOverview
from ygmon.tui.formatting import age

GROUP = "search"
UNREAD = "? indexed"
"""The index's size when it could not be read (the reason is the tooltip)."""


def indexed(overview: SearchIndexOverview) -> str:
    """'345 indexed': the documents in the index now, as every screen names them."""
    return f"{sum(overview.sizes.values()):,} indexed"


def index_line(overview: SearchIndexOverview) -> str:
    sizes = "  ".join(f"{name} {count:,}" for name, count in overview.sizes.items())
    return f"{indexed(overview)}: {sizes}"


def reindex_line(overview: SearchIndexOverview, now: datetime) -> str:
    last = overview.last_full_reindex
    if last is None:
        return "Full reindex: none yet (weekly, Sunday 03:00 UTC; `ygmon enqueue reindex`)"
    fixes = [
        f"{name} {kind.replace('_', '-')} {n}"
        for name, kinds in last.fixed.items()
        for kind, n in kinds.items()
        if n
    ]
    fixed = ", ".join(fixes) if fixes else "nothing to fix"
    # The rows it read, soft-deleted ones included (never indexed): a count of its own,
    # named apart from the index's size.
    return (
        f"Last full reindex {age(last.finished_at, now)}: "
        f"{last.checked:,} source rows checked, {fixed}"
    )


def compact_summary(overview: SearchIndexOverview, now: datetime) -> str:
    """'356 indexed · reindex 2h ago, 3 fixed', for the group's line."""
    last = overview.last_full_reindex
    if last is None:
        reindex = "no full reindex yet"
    else:
        fixed = f"{last.total_fixed:,} fixed" if last.total_fixed else "nothing to fix"
        reindex = f"reindex {age(last.finished_at, now)}, {fixed}"
    return f"{indexed(overview)} · {reindex}"


def detail_lines(overview: SearchIndexOverview, now: datetime) -> str:
    """The two lines under the group's queues in the wide layout."""
    return f"{index_line(overview)}\n{reindex_line(overview, now)}"
