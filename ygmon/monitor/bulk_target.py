"""What a bulk retry or discard will act on, in the audit log's words: the count, the
queues and the cause's text, where the selection itself holds only a cause's key and a
batch size (`{"groupKey":"93a14b5b9b69","limit":3}`).

The API's audit record keeps its shape (`target` is text); only the text reads better:
`3 failed jobs in maintenance · cause "RuntimeError: canary asked to fail" (93a14b5b9b69)`.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from ygmon.monitor.job_search_schemas import BulkSelection

if TYPE_CHECKING:
    from ygmon.jobs.registry.search import JobSearch

CAUSE_CHARS = 120
"""A cause's message is cut here: the record names the cause, it does not archive it."""


def describe_selection(search: JobSearch, selection: BulkSelection) -> str:
    """The jobs `selection` takes now (the count, per queue), its cause and its words."""
    jobs = search.failed_ids(selection.queue_name, selection.q, selection.group_key)
    if selection.limit is not None:
        jobs = jobs[: selection.limit]
    parts = [f"{len(jobs):,} failed job" + ("" if len(jobs) == 1 else "s")]
    by_queue = Counter(queue for _, queue, _ in jobs)
    if len(by_queue) == 1:
        parts[0] += f" in {next(iter(by_queue))}"
    elif by_queue:
        parts[0] += " in " + ", ".join(f"{q} ({n:,})" for q, n in sorted(by_queue.items()))
    elif selection.queue_name:
        parts[0] += f" in {selection.queue_name}"
    if selection.group_key:
        _counts, names = search.group_counts(selection.queue_name)
        exc, message = names.get(selection.group_key, ("", ""))
        cause = " ".join(f"{exc}: {message}".split()) if exc else "no longer failing"
        if len(cause) > CAUSE_CHARS:
            cause = cause[: CAUSE_CHARS - 1] + "…"
        parts.append(f'cause "{cause}" ({selection.group_key})')
    if selection.q:
        parts.append(f"matching {selection.q!r}")
    return " · ".join(parts)
