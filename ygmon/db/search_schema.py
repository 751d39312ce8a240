"""The search index's own schema objects, outside the models' metadata.

The index is not a model: on Postgres it is a `search_vector` tsvector column (GIN
indexed) on each searchable table, on SQLite one FTS5 virtual table per entity, and
both are written by the search jobs alone. `search_reindex_runs` is the full reindex's
checkpoint and history. Alembic's comparison of migrations with models skips these
(include_name / include_object below), since the models do not describe them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table

from ygmon.db.base import UTCDateTime

SEARCH_COLUMN = "search_vector"
FTS_PREFIX = "search_fts_"
RUNS_TABLE = "search_reindex_runs"

metadata = MetaData()

reindex_runs = Table(
    RUNS_TABLE,
    metadata,
    Column("run_id", String(64), primary_key=True),
    Column("scope", String(32), nullable=False),
    Column("entity", String(32), nullable=True),
    Column("last_id", String(64), nullable=True),
    Column("checked", Integer, nullable=False, default=0),
    Column("fixed", JSON, nullable=False),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    Column("finished_at", UTCDateTime(), nullable=True, index=True),
)
"""One row per reindex job (run_id = its job id): the entity it is at and the last id
of its last committed batch; `fixed` counts per entity so far; finished_at once done."""


def include_name(name: str | None, type_: str, _parent_names: Any) -> bool:
    """Alembic hook: leave the search index's tables out of model comparisons."""
    if type_ == "table" and name is not None:
        return not (name.startswith(FTS_PREFIX) or name == RUNS_TABLE)
    return True


def include_object(
    obj: Any, name: str | None, type_: str, _reflected: bool, _compare_to: Any
) -> bool:
    """Alembic hook: leave the search columns and their indexes out of comparisons."""
    if type_ == "column" and name == SEARCH_COLUMN:
        return False
    if type_ == "index" and name is not None and name.startswith("ix_search_"):
        return False
    return include_name(name, type_, None) if type_ == "table" else True


COMPARE_OPTS: dict[str, Any] = {"include_name": include_name, "include_object": include_object}
