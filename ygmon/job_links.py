"""Links out of a job's detail: the profile's `[profiles.X.links]` URL templates (an
error tracker's search, a log viewer's query) filled in with the job's own values.

    [profiles.prod.links]
    sentry = "https://sentry.example.com/issues/?query=job_id:{job_id}"
    logs = "https://logs.example.com/?q={task}&from={started_at}&to={finished_at}"
"""

from __future__ import annotations

from typing import Any, Protocol

from ygmon.errors import ConfigError
from ygmon.timestamps import iso

PLACEHOLDERS = ("job_id", "queue", "task", "started_at", "finished_at")


class _Job(Protocol):
    id: str
    queue: str
    task: str
    started_at: Any
    finished_at: Any


def check_links(value: Any, loc: str, where: str) -> dict[str, str]:
    """The `links` table as the profile keeps it, or ConfigError naming the bad key."""
    import string  # here: `ygmon status` loads config and cannot spare imports

    if not isinstance(value, dict):
        raise ConfigError(f"config error in {where}: key '{loc}' expects a table of URLs")
    for name, template in value.items():
        if not isinstance(template, str):
            raise ConfigError(
                f"config error in {where}: key '{loc}.{name}' expects a URL template, "
                f"got {template!r}"
            )
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
        except ValueError as exc:
            raise ConfigError(f"config error in {where}: key '{loc}.{name}': {exc}") from None
        unknown = [f for f in fields if f not in PLACEHOLDERS]
        if unknown:
            raise ConfigError(
                f"config error in {where}: key '{loc}.{name}' names {{{unknown[0]}}}; "
                f"a link may use {', '.join('{' + p + '}' for p in PLACEHOLDERS)}"
            )
    return dict(value)


def _iso(value: Any) -> str:
    return "" if value is None else iso(value)


def job_links(templates: dict[str, str], job: _Job) -> list[tuple[str, str]]:
    """(name, URL) of each template, its placeholders filled in (URL-quoted)."""
    from urllib.parse import quote

    values = {
        "job_id": job.id,
        "queue": job.queue,
        "task": job.task,
        "started_at": _iso(job.started_at),
        "finished_at": _iso(job.finished_at),
    }
    quoted = {k: quote(v, safe="") for k, v in values.items()}
    return [(name, template.format(**quoted)) for name, template in templates.items()]
