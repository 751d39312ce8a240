"""What the Monitor takes and answers for the operator tools over jobs: a job search,
failures grouped by cause, and bulk retry / discard of a selection of failed jobs.

On the wire these are the extension's camelCase shapes (`POST .../bulk/retry` answers
`{matched, retried, skipped, byQueue}`, `.../bulk/discard` the same with `discarded`).
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from ygmon.monitor.schemas import CamelModel, JobState, Timestamp, _OmitNone

QUERY_MAX_CHARS = 200
"""A job search is a few words, an id or a fragment of one: longer text is refused."""
BULK_BATCH = 200
"""Jobs a client asks one bulk call to change when it shows progress (the TUI)."""


class JobQuery(CamelModel):
    """A search over the registry's jobs (every queue unless `queue`).

    `q`: words, each matching (as a prefix, from three characters) a word of the job's
    task, arguments or error message, or a prefix or suffix of its id; every word must
    match. `since` / `until` bound the job's last change (its finish time when it
    finished, else when it was enqueued).
    """

    q: str = ""
    queue: str | None = None
    state: JobState | None = None
    group_key: str | None = None
    """Only the failed jobs of this failure group (FailureGroup.key)."""
    since: Timestamp | None = None
    until: Timestamp | None = None
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=50, ge=1, le=100)


class FailureGroup(CamelModel):
    """Failed jobs sharing one cause: exception type and normalised message."""

    key: str
    """Stable short id of (exception type, message); what `groupKey` selects."""
    exception_type: str
    message: str
    """The error message with ids, numbers, paths and quoted values masked."""
    count: int
    first_seen: Timestamp
    last_seen: Timestamp
    queues: list[str]
    tasks: list[str]


class BulkSelection(CamelModel):
    """Which failed jobs a bulk action takes; no filter means every failed job."""

    queue_name: str | None = None
    q: str | None = None
    group_key: str | None = None
    limit: int | None = Field(default=None, ge=1, le=10_000)
    """At most this many of the matching jobs (oldest failure first), so a client can
    run a large selection in batches and show progress; None: all of them."""


class BulkResult(_OmitNone):
    """What a bulk action matched and did; `retried` or `discarded` by the action."""

    dry_run: bool = False
    matched: int
    retried: int | None = None
    discarded: int | None = None
    skipped: int = 0
    """Matched, but no longer failed when its turn came (retried or gone meanwhile)."""
    by_queue: dict[str, int] = Field(default_factory=dict)
    """Matched jobs per queue."""

    @property
    def done(self) -> int:
        return (self.retried or 0) + (self.discarded or 0)


def parse_time(value: str) -> datetime:
    """An ISO 8601 time (a date alone means its midnight UTC); ValueError otherwise."""
    from datetime import UTC

    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
