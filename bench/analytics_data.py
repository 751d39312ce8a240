"""The analytics benchmark's data: users, assets and one day of enriched events, made by
the database itself (a recursive CTE on SQLite, generate_series on Postgres) so a
million rows take seconds; and the bare INSERT ... SELECT ... GROUP BY the daily job is
measured against, written out by hand per dialect.

Event i is spread over the day; its type, asset, actor and context follow fixed
arithmetic on i, so every run holds the same rows. One type in a hundred events is
`asset.shared`, a type the rollup does not know (the platform has ten, the rollup nine):
those events are unattributable, as a real day's few are.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import insert, text

from ygmon.db import Database
from ygmon.db.models import IpAsset, User
from ygmon.pipelines.analytics.vocabulary import EVENT_TYPES

COUNTRIES = ("US", "GB", "DE", "FR", "BR", "JP", "IN", "NG", "NL", "CA")
DEVICES = ("desktop", "mobile", "tablet", "bot", "other")
# (upper bound of (i * 37 + 11) % 100, event type): ten types, one unknown to the rollup.
MIX = (
    (40, "asset.viewed"),
    (55, "asset.clicked"),
    (65, "asset.preview_played"),
    (72, "asset.downloaded"),
    (78, "asset.favorited"),
    (86, "search.performed"),
    (91, "project.viewed"),
    (95, "license.requested"),
    (99, "license.created"),
    (100, "asset.shared"),
)


def _type_case(h: str) -> str:
    return "CASE " + " ".join(f"WHEN {h} < {n} THEN '{t}'" for n, t in MIX) + " END"


async def fill_people_and_assets(db: Database, users: int, assets: int, now: datetime) -> None:
    async with db.writer() as session:
        conn = await session.connection()
        await conn.execute(
            insert(User),
            [
                {
                    "id": f"u{i}",
                    "email": f"u{i}@bench.example",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(users)
            ],
        )
        await conn.execute(
            insert(IpAsset),
            [
                {
                    "id": f"a{i}",
                    "title": f"Asset {i}",
                    "type": "IMAGE",
                    "storage_key": f"bench/a{i}",
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(assets)
            ],
        )


def _case(over: str, values: tuple[str, ...]) -> str:
    return f"CASE {over} " + " ".join(f"WHEN {n} THEN '{v}'" for n, v in enumerate(values)) + " END"


def _events_sql(dialect: str, count: int, users: int, assets: int, day: date) -> str:
    """One INSERT ... SELECT of `count` enriched events of `day`."""
    h = "((i * 37 + 11) % 100)"
    country, device = _case("(i % 10)", COUNTRIES), _case("(i % 5)", DEVICES)
    asset = (
        f"CASE WHEN {h} >= 78 AND {h} < 91 THEN NULL ELSE 'a' || ((i * 2654435761) % {assets}) END"
    )
    actor = f"CASE WHEN i % 5 < 3 THEN 'u' || ((i * 7919) % {users}) ELSE NULL END"
    props = (
        f"CASE WHEN {h} >= 55 AND {h} < 65 THEN '{{\"watchSeconds\": ' || (i % 120) || '}}'"
        f" WHEN {h} >= 95 AND {h} < 99 THEN '{{\"feeCents\": ' || (i % 5000) || '}}'"
        " ELSE '{}' END"
    )
    second = f"(i * 86400 / {count})"
    if dialect == "sqlite":
        at = f"strftime('%Y-%m-%d %H:%M:%S', '{day}', '+' || {second} || ' seconds') || '.000000'"
        ident, rows = "printf('e%08d', i)", "n"
        last = count - 1
        head = f"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last}) "
    else:
        at = f"(TIMESTAMPTZ '{day} 00:00:00+00' + make_interval(secs => {second}))"
        props = f"({props})::jsonb"
        ident = "'e' || lpad(i::text, 8, '0')"
        rows = f"generate_series(0::bigint, {count - 1}) AS n(i)"
        head = ""
    return (
        f"{head}INSERT INTO analytics_events (id, event_type, occurred_at, received_at, actor_id,"
        " ip_asset_id, session_id, ip_address, user_agent, props, user_role, country,"
        " device_type, browser, os, enriched_at) "
        f"SELECT {ident}, {_type_case(h)}, {at}, {at}, {actor}, {asset}, 's' || (i % 200000),"
        f" '198.51.100.' || (i % 250), 'bench-agent', {props}, NULL, {country}, {device},"
        f" 'Chrome', 'Windows', {at} FROM {rows}"
    )


async def fill_events(db: Database, count: int, users: int, assets: int, day: date) -> None:
    async with db.writer() as session:
        conn = await session.connection()
        await conn.execute(text(_events_sql(db.dialect, count, users, assets, day)))
    async with db.writer() as session:
        # Fresh statistics, as a database that has lived with its events would have.
        await session.execute(text("ANALYZE"))


_KNOWN = ", ".join(f"'{t}'" for t in EVENT_TYPES)
_BARE = {
    "sqlite": {
        "prop": "json_extract(e.props, '$.{0}')",
        "agg": "json_group_object",
        "build": "json_object",
        "obj": "json({0})",
        "id": "lower(hex(randomblob(16)))",
        "cte": "AS MATERIALIZED",
    },
    "postgresql": {
        "prop": "(e.props ->> '{0}')::int",
        "agg": "jsonb_object_agg",
        "build": "jsonb_build_object",
        "obj": "{0}",
        "id": "replace(gen_random_uuid()::text, '-', '')",
        "cte": "AS MATERIALIZED",
    },
}


def bare_daily_sql(dialect: str) -> str:
    """The daily rows of one day in one statement, as a person writes it by hand: the
    attributable events under their asset and under the platform row (''), totals and
    three breakdowns grouped, inserted into daily_metrics. Binds :start, :end, :day, :now.

    The asset check is an IN over the asset ids, as the job's is: a correlated EXISTS
    there made this baseline a third slower on Postgres (a lookup per event)."""
    d = _BARE[dialect]
    watch = d["prop"].format("watchSeconds")
    fee = d["prop"].format("feeCents")

    def breakdown(column: str) -> str:
        return (
            f"SELECT k, {d['agg']}(g, n) AS o FROM (SELECT k, {column} AS g, count(*) AS n"
            f" FROM scoped GROUP BY k, {column}) AS pairs GROUP BY k"
        )

    obj = d["obj"]
    return f"""
INSERT INTO daily_metrics (id, date, ip_asset_id, views, clicks, conversions, unique_visitors,
    engagement_seconds, revenue_cents, breakdown, created_at, updated_at)
WITH ev {d["cte"]} (
  SELECT e.ip_asset_id AS k, e.event_type AS t, coalesce(e.country, 'unknown') AS country,
    coalesce(e.device_type, 'unknown') AS device,
    coalesce(e.actor_id, e.session_id, e.ip_address) AS visitor,
    CASE WHEN e.event_type = 'asset.preview_played' THEN coalesce({watch}, 0) ELSE 0 END AS watch,
    CASE WHEN e.event_type = 'license.created' THEN coalesce({fee}, 0) ELSE 0 END AS fee
  FROM analytics_events e
  WHERE e.occurred_at >= :start AND e.occurred_at < :end AND e.event_type IN ({_KNOWN})
    AND (e.ip_asset_id IS NULL OR e.ip_asset_id IN (SELECT a.id FROM ip_assets a))
    AND NOT (e.event_type = 'license.created' AND coalesce({fee}, 0) < 0)
), scoped {d["cte"]} (
  SELECT k, t, country, device, visitor, watch, fee FROM ev WHERE k IS NOT NULL
  UNION ALL SELECT '', t, country, device, visitor, watch, fee FROM ev
), totals AS (
  SELECT k, sum(CASE WHEN t = 'asset.viewed' THEN 1 ELSE 0 END) AS views,
    sum(CASE WHEN t = 'asset.clicked' THEN 1 ELSE 0 END) AS clicks,
    sum(CASE WHEN t = 'license.created' THEN 1 ELSE 0 END) AS conversions,
    count(DISTINCT visitor) AS uniques, sum(watch) AS watch, sum(fee) AS fee
  FROM scoped GROUP BY k
), bt AS ({breakdown("t")}), bc AS ({breakdown("country")}), bd AS ({breakdown("device")})
SELECT {d["id"]}, :day, nullif(totals.k, ''), views, clicks, conversions, uniques, watch, fee,
  {d["build"]}('byEventType', {obj.format("bt.o")}, 'byCountry', {obj.format("bc.o")},
    'byDevice', {obj.format("bd.o")}), :now, :now
FROM totals JOIN bt ON bt.k = totals.k JOIN bc ON bc.k = totals.k JOIN bd ON bd.k = totals.k
"""


def day_bounds(day: date) -> tuple[datetime, datetime]:
    from datetime import UTC

    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + timedelta(days=1)
