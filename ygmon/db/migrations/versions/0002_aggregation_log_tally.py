"""aggregation log tally and listing indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

The tally (metrics_aggregation_jobs_log_counts, see ygmon/db/models/aggregation_log.py)
is kept by triggers, so every writer of the log keeps it exact, whatever its language.
Postgres uses statement-level triggers with transition tables (a COPY of a million rows
updates the tally once, not a million times); SQLite has row-level triggers only.

SQLite drops a table's triggers with the table: a later batch migration that recreates
metrics_aggregation_jobs_log there has to create these triggers again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ygmon.db.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOG = "metrics_aggregation_jobs_log"
TALLY = "metrics_aggregation_jobs_log_counts"
KEY = "job_type, status, period_start_date, period_end_date"
KEY_MATCH = " AND ".join(
    f"c.{k} = o.{k}" for k in ("job_type", "status", "period_start_date", "period_end_date")
)


def _pg_upsert(source: str) -> str:
    """Add the runs `source` lists (runs +1 or -1, with their started_at) to the tally.

    Keys are sorted so that two writers lock tally rows in one order and cannot deadlock.
    A key only `old_rows` names already has its row, so its +/-infinity bounds only ever
    meet least()/greatest() and never land in the table.
    """
    return f"""
        INSERT INTO {TALLY} AS c ({KEY}, runs, earliest_started_at, latest_started_at)
        SELECT {KEY}, sum(runs),
               coalesce(min(started_at), 'infinity'), coalesce(max(started_at), '-infinity')
        FROM ({source}) AS d
        GROUP BY {KEY}
        ORDER BY {KEY}
        ON CONFLICT ({KEY}) DO UPDATE SET
            runs = c.runs + excluded.runs,
            earliest_started_at = least(c.earliest_started_at, excluded.earliest_started_at),
            latest_started_at = greatest(c.latest_started_at, excluded.latest_started_at)
        WHERE excluded.runs <> 0
           OR excluded.earliest_started_at < c.earliest_started_at
           OR excluded.latest_started_at > c.latest_started_at;
    """


_PG_NEW = f"SELECT {KEY}, 1 AS runs, started_at FROM new_rows"
_PG_OLD = f"SELECT {KEY}, -1 AS runs, NULL::timestamptz AS started_at FROM old_rows"
_PG_PRUNE = f"""
    DELETE FROM {TALLY} AS c USING (SELECT DISTINCT {KEY} FROM old_rows) AS o
    WHERE c.runs = 0 AND {KEY_MATCH};
"""
# name -> (trigger event, transition tables, body)
_PG_TRIGGERS = {
    "insert": ("INSERT", "NEW TABLE AS new_rows", _pg_upsert(_PG_NEW)),
    "update": (
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        _pg_upsert(f"{_PG_NEW} UNION ALL {_PG_OLD}") + _PG_PRUNE,
    ),
    "delete": ("DELETE", "OLD TABLE AS old_rows", _pg_upsert(_PG_OLD) + _PG_PRUNE),
    "truncate": ("TRUNCATE", "", f"DELETE FROM {TALLY};"),
}


def _sqlite_add(row: str) -> str:
    return f"""
        INSERT INTO {TALLY} ({KEY}, runs, earliest_started_at, latest_started_at)
        VALUES ({row}.job_type, {row}.status, {row}.period_start_date, {row}.period_end_date,
                1, {row}.started_at, {row}.started_at)
        ON CONFLICT ({KEY}) DO UPDATE SET
            runs = runs + 1,
            earliest_started_at = min(earliest_started_at, excluded.earliest_started_at),
            latest_started_at = max(latest_started_at, excluded.latest_started_at);
    """


def _sqlite_remove(row: str) -> str:
    match = " AND ".join(
        f"{k} = {row}.{k}" for k in ("job_type", "status", "period_start_date", "period_end_date")
    )
    return f"""
        UPDATE {TALLY} SET runs = runs - 1 WHERE {match};
        DELETE FROM {TALLY} WHERE {match} AND runs = 0;
    """


_SQLITE_TRIGGERS = {
    "insert": ("INSERT", _sqlite_add("NEW")),
    # Only the columns the tally keeps: other updates (progress, counters) cost nothing.
    "update": (
        "UPDATE OF job_type, status, period_start_date, period_end_date, started_at",
        _sqlite_remove("OLD") + _sqlite_add("NEW"),
    ),
    "delete": ("DELETE", _sqlite_remove("OLD")),
}


def _create_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        for name, (event, tables, body) in _PG_TRIGGERS.items():
            function = f"{TALLY}_{name}"
            op.execute(
                f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n{body}\nRETURN NULL;\nEND\n$$"
            )
            referencing = f"REFERENCING {tables} " if tables else ""
            op.execute(
                f"CREATE TRIGGER {function} AFTER {event} ON {LOG} {referencing}"
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    else:
        for name, (event, body) in _SQLITE_TRIGGERS.items():
            op.execute(
                f"CREATE TRIGGER {TALLY}_{name} AFTER {event} ON {LOG} FOR EACH ROW BEGIN\n"
                f"{body}\nEND"
            )


def _drop_triggers(dialect: str) -> None:
    if dialect == "postgresql":
        for name in _PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {TALLY}_{name} ON {LOG}")
            op.execute(f"DROP FUNCTION IF EXISTS {TALLY}_{name}()")
    else:
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {TALLY}_{name}")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        TALLY,
        sa.Column("job_type", sa.String(length=16), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "RUNNING",
                "COMPLETED",
                "FAILED",
                "PARTIAL",
                name="aggregationjobstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("period_start_date", sa.Date(), nullable=False),
        sa.Column("period_end_date", sa.Date(), nullable=False),
        sa.Column("runs", sa.Integer(), nullable=False),
        sa.Column("earliest_started_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("latest_started_at", ygmon.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "job_type",
            "status",
            "period_start_date",
            "period_end_date",
            name=op.f("pk_metrics_aggregation_jobs_log_counts"),
        ),
        sqlite_with_rowid=False,
    )
    # Triggers first: on Postgres CREATE TRIGGER locks out writers of the log until this
    # transaction commits, so the count below sees every run and misses none after it.
    _create_triggers(dialect)
    op.execute(
        f"INSERT INTO {TALLY} ({KEY}, runs, earliest_started_at, latest_started_at) "
        f"SELECT {KEY}, count(*), min(started_at), max(started_at) FROM {LOG} GROUP BY {KEY}"
    )
    with op.batch_alter_table(LOG, schema=None) as batch_op:
        batch_op.create_index(
            "ix_agg_log_started_period",
            ["started_at", "id", "period_start_date", "period_end_date"],
            unique=False,
        )
        # Counting moved to the tally, and a period filter is checked inside
        # ix_agg_log_started_period: these only tempted the planner into sorting
        # every run of a period.
        batch_op.drop_index("ix_agg_log_started")
        batch_op.drop_index("ix_agg_log_period_start")
        batch_op.drop_index("ix_agg_log_period_end")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table(LOG, schema=None) as batch_op:
        batch_op.create_index("ix_agg_log_period_end", ["period_end_date"], unique=False)
        batch_op.create_index("ix_agg_log_period_start", ["period_start_date"], unique=False)
        batch_op.create_index("ix_agg_log_started", ["started_at", "id"], unique=False)
        batch_op.drop_index("ix_agg_log_started_period")
    _drop_triggers(dialect)
    op.drop_table(TALLY)
