"""The staging table a rollup run fills with its period's new rows before merging them
into the metric table: a temporary table, private to the run's connection and
transaction, so the merge can count what it inserts, changes and removes."""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, MetaData, String, Table

from ygmon.db.base import JSONType

VALUE_COLUMNS = (
    "views",
    "clicks",
    "conversions",
    "unique_visitors",
    "engagement_seconds",
    "revenue_cents",
    "breakdown",
)
ROLLUP_COLUMNS = ("growth_percent", "daily_average")

_metadata = MetaData()
STAGE = Table(
    "analytics_rollup_stage",
    _metadata,
    Column("k", String(32), primary_key=True),
    *(Column(name, Integer) for name in VALUE_COLUMNS[:-1]),
    Column("breakdown", JSONType),
    Column("growth_percent", Float),
    Column("daily_average", JSONType),
    prefixes=["TEMPORARY"],
)
"""k: the row's asset id, '' for the platform row."""
