"""SQL functions the rollups need that SQLite and Postgres spell differently, as
SQLAlchemy constructs compiled per dialect: the statements are written once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, String, cast, func, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from ygmon.db.base import JSONType


class json_object_agg(FunctionElement[Any]):
    """An object of (key, value) over a group's rows."""

    type = JSONType
    inherit_cache = True


@compiles(json_object_agg, "sqlite")
def _agg_sqlite(element: json_object_agg, compiler: Any, **kw: Any) -> str:
    return f"json_group_object({compiler.process(element.clauses, **kw)})"


@compiles(json_object_agg, "postgresql")
def _agg_pg(element: json_object_agg, compiler: Any, **kw: Any) -> str:
    return f"jsonb_object_agg({compiler.process(element.clauses, **kw)})"


class json_build(FunctionElement[Any]):
    """An object of key, value, key, value... (values may be JSON objects themselves)."""

    type = JSONType
    inherit_cache = True


@compiles(json_build, "sqlite")
def _build_sqlite(element: json_build, compiler: Any, **kw: Any) -> str:
    return f"json_object({compiler.process(element.clauses, **kw)})"


@compiles(json_build, "postgresql")
def _build_pg(element: json_build, compiler: Any, **kw: Any) -> str:
    return f"jsonb_build_object({compiler.process(element.clauses, **kw)})"


class as_json(FunctionElement[Any]):
    """A JSON text or value, kept as JSON when nested in json_build (SQLite passes a
    subquery's JSON on as a string otherwise); '{}' when NULL."""

    type = JSONType
    inherit_cache = True


@compiles(as_json, "sqlite")
def _as_json_sqlite(element: as_json, compiler: Any, **kw: Any) -> str:
    return f"json(coalesce({compiler.process(element.clauses, **kw)}, '{{}}'))"


@compiles(as_json, "postgresql")
def _as_json_pg(element: as_json, compiler: Any, **kw: Any) -> str:
    return f"coalesce({compiler.process(element.clauses, **kw)}, '{{}}'::jsonb)"


class new_row_id(FunctionElement[str]):
    """32 random hex digits per row, like ygmon.db.base.new_id."""

    type = String(32)
    inherit_cache = True


@compiles(new_row_id, "sqlite")
def _id_sqlite(element: new_row_id, compiler: Any, **kw: Any) -> str:
    return "lower(hex(randomblob(16)))"


@compiles(new_row_id, "postgresql")
def _id_pg(element: new_row_id, compiler: Any, **kw: Any) -> str:
    return "replace(gen_random_uuid()::text, '-', '')"


class week_of(FunctionElement[Any]):
    """The Monday of a date's ISO week, as ISO text (a JSON key)."""

    type = String()
    inherit_cache = True


@compiles(week_of, "sqlite")
def _week_sqlite(element: week_of, compiler: Any, **kw: Any) -> str:
    # 'weekday 0' moves forward to the Sunday (or stays on it); six days back is Monday.
    return f"date({compiler.process(element.clauses, **kw)}, 'weekday 0', '-6 days')"


@compiles(week_of, "postgresql")
def _week_pg(element: week_of, compiler: Any, **kw: Any) -> str:
    arg = compiler.process(element.clauses, **kw)
    return f"to_char(date_trunc('week', {arg}), 'YYYY-MM-DD')"


def ratio(numerator: ColumnElement[Any], denominator: Any) -> ColumnElement[float]:
    """numerator / denominator in floating point on both databases."""
    return cast(numerator, Float) / denominator


def json_entries(dialect: str, column: ColumnElement[Any], key: str) -> Any:
    """The (key, value) rows of the object at `key` of a JSON column, as a table valued
    function to join: value is an integer."""
    if dialect == "postgresql":
        fn = func.jsonb_each_text(column.op("->")(literal_column(f"'{key}'"))).table_valued(
            "key", "value"
        )
    else:
        fn = func.json_each(column, f"$.{key}").table_valued("key", "value")
    return fn


__all__ = [
    "as_json",
    "json_build",
    "json_entries",
    "json_object_agg",
    "new_row_id",
    "period_key",
    "ratio",
    "week_of",
    "with_key",
]


class period_key(FunctionElement[str]):
    """The period of a timestamp as text: YYYY-MM-DDTHH for hourly, the first day
    (YYYY-MM-DD) for daily, weekly (Monday) and monthly."""

    type = String()
    inherit_cache = False  # `level` changes the SQL, and is no part of a cache key

    def __init__(self, level: str, column: Any) -> None:
        self.level = level
        super().__init__(column)


_SQLITE_KEYS = {
    "hourly": "strftime('%Y-%m-%dT%H', {0})",
    "daily": "date({0})",
    "weekly": "date({0}, 'weekday 0', '-6 days')",
    "monthly": "strftime('%Y-%m-01', {0})",
}
_PG_KEYS = {
    "hourly": "to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24')",
    "daily": "to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
    "weekly": "to_char(date_trunc('week', {0} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')",
    "monthly": "to_char(date_trunc('month', {0} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')",
}


@compiles(period_key, "sqlite")
def _period_key_sqlite(element: period_key, compiler: Any, **kw: Any) -> str:
    return _SQLITE_KEYS[element.level].format(compiler.process(element.clauses, **kw))


@compiles(period_key, "postgresql")
def _period_key_pg(element: period_key, compiler: Any, **kw: Any) -> str:
    return _PG_KEYS[element.level].format(compiler.process(element.clauses, **kw))


class with_key(FunctionElement[Any]):
    """A JSON object column with `key` set to a JSON text parameter; the column as it
    is when the parameter is NULL. The enrichment merges its gaps into props this way,
    rather than reading each event's props and writing them back."""

    type = JSONType
    inherit_cache = False  # `key` changes the SQL, and is no part of a cache key

    def __init__(self, column: Any, key: str, value: Any) -> None:
        self.key = key
        super().__init__(column, value)


@compiles(with_key, "sqlite")
def _with_key_sqlite(element: with_key, compiler: Any, **kw: Any) -> str:
    column, value = (compiler.process(c, **kw) for c in element.clauses)
    return (
        f"CASE WHEN {value} IS NULL THEN {column} ELSE "
        f"json_set(coalesce({column}, '{{}}'), '$.{element.key}', json({value})) END"
    )


@compiles(with_key, "postgresql")
def _with_key_pg(element: with_key, compiler: Any, **kw: Any) -> str:
    column, value = (compiler.process(c, **kw) for c in element.clauses)
    return (
        f"CASE WHEN {value} IS NULL THEN {column} ELSE coalesce({column}, '{{}}'::jsonb) "
        f"|| jsonb_build_object('{element.key}', CAST({value} AS jsonb)) END"
    )
