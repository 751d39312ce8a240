"""Exports of the monitor's lists (Logs, Failed, Queues, search hits, audit) to CSV or
JSON: the one exporter the TUI's `e` and the CLI's `--csv` / `--json` share.

Rows are the monitor's own models, written as the API writes them (camelCase keys, ISO
timestamps), so a file read back with `read_export` equals the models it was written
from. JSON is an array of objects. CSV has one column per field; nested values (a log's
metadata) are JSON in their cell, and an empty cell of an optional field is None (CSV
cannot tell an empty text from a missing one).
"""

from __future__ import annotations

import csv
import enum
import io
import json
import os
import tempfile
import types
import typing
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from ygmon.errors import YgmonError
from ygmon.monitor.job_search_schemas import JobQuery
from ygmon.monitor.schemas import (
    CamelModel,
    JobSummary,
    LogQuery,
    MetricsAggregationJobLog,
    Page,
)

if TYPE_CHECKING:
    from ygmon.monitor.protocol import Monitor

M = TypeVar("M", bound=CamelModel)
MAX_ROWS = 100_000
"""A list is walked page by page up to this many rows (the registry keeps at most 5000
failed jobs a queue, so Failed always fits)."""
PAGE_SIZE = 100
"""The API's largest page: the fewest requests through a remote backend."""


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    JSON = "json"


class ExportError(YgmonError):
    title = "Export failed"


# --- collecting the rows -----------------------------------------------------------


async def _every_page(read: Callable[[int], Awaitable[Page[M]]], limit: int = MAX_ROWS) -> list[M]:
    """The rows of `read(page)` for page 1, 2, ... until the last page or `limit` rows."""
    rows: list[M] = []
    page = 1
    while len(rows) < limit:
        got = await read(page)
        rows.extend(got.data)
        if page >= got.pagination.total_pages or not got.data:
            break
        page += 1
    return rows[:limit]


async def failed_rows(monitor: Monitor, limit: int = MAX_ROWS) -> list[JobSummary]:
    """Every failed job, newest failure first (as the Failed screen lists them)."""
    return await _every_page(
        lambda page: monitor.failed_jobs(page=page, page_size=PAGE_SIZE), limit
    )


async def job_search_rows(
    monitor: Monitor, query: JobQuery, limit: int = MAX_ROWS
) -> list[JobSummary]:
    """Every job `query` matches, newest first; its page is ignored."""
    return await _every_page(
        lambda page: monitor.search_jobs(
            query.model_copy(update={"page": page, "page_size": PAGE_SIZE})
        ),
        limit,
    )


async def log_rows(
    monitor: Monitor, query: LogQuery | None = None, limit: int = MAX_ROWS
) -> list[MetricsAggregationJobLog]:
    """Every aggregation run matching `query`'s filters (its page is ignored)."""
    base = query or LogQuery()
    return await _every_page(
        lambda page: monitor.aggregation_logs(
            base.model_copy(update={"page": page, "page_size": PAGE_SIZE})
        ),
        limit,
    )


# --- text ---------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return str(value)


def columns(model: type[CamelModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def dumps(rows: Sequence[CamelModel], model: type[CamelModel], fmt: ExportFormat) -> str:
    """The rows as CSV (a header, then one line each) or as a JSON array."""
    if ExportFormat(fmt) is ExportFormat.JSON:
        return json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO()
    names = columns(model)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        data = row.to_json()
        writer.writerow([_cell(data.get(name)) for name in names])
    return out.getvalue()


def _is_json_cell(annotation: Any) -> bool:
    """Whether a field's CSV cell holds JSON (a list, a dict, a model or Any)."""
    if annotation is Any:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_json_cell(a) for a in typing.get_args(annotation) if a is not type(None))
    if origin is typing.Annotated:
        return _is_json_cell(typing.get_args(annotation)[0])
    if origin in (list, dict, tuple):
        return True
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _optional(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(
        None
    ) in typing.get_args(annotation)


def loads(text: str, model: type[M], fmt: ExportFormat) -> list[M]:
    """Rows read back from `dumps`' text; ExportError when it is not such a file."""
    try:
        if ExportFormat(fmt) is ExportFormat.JSON:
            data = json.loads(text)
            if not isinstance(data, list):
                raise ExportError("an export's JSON is an array of rows")
            return [model.model_validate(item) for item in data]
        reader = csv.DictReader(io.StringIO(text))
        fields = {(f.alias or n): f for n, f in model.model_fields.items()}
        rows = []
        for record in reader:
            item: dict[str, Any] = {}
            for name, cell in record.items():
                field = fields.get(name or "")
                if field is None:
                    continue
                if cell == "" and _optional(field.annotation):
                    item[name] = None
                elif _is_json_cell(field.annotation) and cell != "":
                    item[name] = json.loads(cell)
                elif cell != "" or field.is_required():
                    item[name] = cell
            rows.append(model.model_validate(item))
        return rows
    except ExportError:
        raise
    except ValueError as exc:  # JSON and pydantic errors both are ValueErrors
        raise ExportError(f"not a ygmon {model.__name__} export: {exc}") from None


# --- files --------------------------------------------------------------------------


def export_path(directory: str | Path, stem: str, fmt: ExportFormat, now: datetime) -> Path:
    """A new file in `directory`: ygmon-<stem>-<UTC time>.<csv|json>, numbered when taken."""
    folder = Path(directory).expanduser()
    base = f"ygmon-{stem}-{now:%Y%m%d-%H%M%S}"
    path = folder / f"{base}.{fmt}"
    n = 1
    while path.exists():
        path = folder / f"{base}-{n}.{fmt}"
        n += 1
    return path


def write_export(
    rows: Sequence[CamelModel],
    model: type[CamelModel],
    fmt: ExportFormat,
    directory: str | Path,
    stem: str,
    now: datetime,
) -> Path:
    """Write the rows to a new file in `directory` (created if missing) and return its
    absolute path. The file appears whole or not at all (written aside, then renamed)."""
    text = dumps(rows, model, fmt)
    try:
        Path(directory).expanduser().mkdir(parents=True, exist_ok=True)
        path = export_path(directory, stem, ExportFormat(fmt), now)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".ygmon-export-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ExportError(f"cannot write the export to {directory}: {exc.strerror}") from None
    return path.absolute()


def read_export(path: str | Path, model: type[M]) -> list[M]:
    """The rows of an export file, its format told by its suffix."""
    file = Path(path)
    fmt = ExportFormat(file.suffix.lstrip(".").lower())
    return loads(file.read_text(encoding="utf-8"), model, fmt)
