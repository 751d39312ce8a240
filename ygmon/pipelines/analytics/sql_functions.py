"""SQL functions the rollups need that SQLite and Postgres spell differently, as
SQLAlchemy constructs compiled per dialect: the statements are written once."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, String, cast, func, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from ygmon.db.base import JSONType


def _per_dialect(name: str, doc: str, type_: Any, sqlite: str, postgresql: str) -> Any:
    """A SQL function class whose SQL, per dialect, is a template of its arguments
    (`{0}`: the argument list as compiled)."""
    cls = type(name, (FunctionElement,), {"__doc__": doc, "type": type_, "inherit_cache": True})
    for dialect, template in (("sqlite", sqlite), ("postgresql", postgresql)):

        def render(element: Any, compiler: Any, template: str = template, **kw: Any) -> str:
            return template.format(compiler.process(element.clauses, **kw))

        compiles(cls, dialect)(render)
    return cls


json_object_agg = _per_dialect(
    "json_object_agg",
    "An object of (key, value) over a group's rows.",
    JSONType,
    sqlite="json_group_object({0})",
    postgresql="jsonb_object_agg({0})",
)
json_build = _per_dialect(
    "json_build",
    "An object of key, value, key, value... (values may be JSON objects themselves).",
    JSONType,
    sqlite="json_object({0})",
    postgresql="jsonb_build_object({0})",
)
as_json = _per_dialect(
    "as_json",
    "A JSON text or value, kept as JSON when nested in json_build (SQLite passes a "
    "subquery's JSON on as a string otherwise); '{}' when NULL.",
    JSONType,
    sqlite="json(coalesce({0}, '{{}}'))",
    postgresql="coalesce({0}, '{{}}'::jsonb)",
)
new_row_id = _per_dialect(
    "new_row_id",
    "32 random hex digits per row, like ygmon.db.base.new_id.",
    String(32),
    sqlite="lower(hex(randomblob(16)))",
    postgresql="replace(gen_random_uuid()::text, '-', '')",
)
# 'weekday 0' moves forward to the Sunday (or stays on it); six days back is Monday.
week_of = _per_dialect(
    "week_of",
    "The Monday of a date's ISO week, as ISO text (a JSON key).",
    String(),
    sqlite="date({0}, 'weekday 0', '-6 days')",
    postgresql="to_char(date_trunc('week', {0}), 'YYYY-MM-DD')",
)


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


_PERIOD_KEYS = {
    "sqlite": {
        "hourly": "strftime('%Y-%m-%dT%H', {0})",
        "daily": "date({0})",
        "weekly": "date({0}, 'weekday 0', '-6 days')",
        "monthly": "strftime('%Y-%m-01', {0})",
    },
    "postgresql": {
        "hourly": "to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24')",
        "daily": "to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
        "weekly": "to_char(date_trunc('week', {0} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')",
        "monthly": "to_char(date_trunc('month', {0} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')",
    },
}


class with_key(FunctionElement[Any]):
    """A JSON object column with `key` set to a JSON text parameter; the column as it
    is when the parameter is NULL. The enrichment merges its gaps into props this way,
    rather than reading each event's props and writing them back."""

    type = JSONType
    inherit_cache = False  # `key` changes the SQL, and is no part of a cache key

    def __init__(self, column: Any, key: str, value: Any) -> None:
        self.key = key
        super().__init__(column, value)


_WITH_KEY = {
    "sqlite": "CASE WHEN {value} IS NULL THEN {column} ELSE "
    "json_set(coalesce({column}, '{{}}'), '$.{key}', json({value})) END",
    "postgresql": "CASE WHEN {value} IS NULL THEN {column} ELSE coalesce({column}, '{{}}'::jsonb) "
    "|| jsonb_build_object('{key}', CAST({value} AS jsonb)) END",
}


def _compile_per_dialect(dialect: str) -> None:
    @compiles(period_key, dialect)
    def _period_key(element: period_key, compiler: Any, **kw: Any) -> str:
        template = _PERIOD_KEYS[dialect][element.level]
        return template.format(compiler.process(element.clauses, **kw))

    @compiles(with_key, dialect)
    def _with_key(element: with_key, compiler: Any, **kw: Any) -> str:
        column, value = (compiler.process(c, **kw) for c in element.clauses)
        return _WITH_KEY[dialect].format(column=column, value=value, key=element.key)


for _dialect in ("sqlite", "postgresql"):
    _compile_per_dialect(_dialect)
