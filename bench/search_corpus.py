"""The search benchmark's documents and databases: N generated assets loaded in bulk
(COPY on Postgres, executemany on SQLite) into a freshly migrated database, with the
search index left empty for the reindex to fill.

Words follow a Zipf-Mandelbrot distribution over a synthetic vocabulary, 1 / (rank +
ZIPF_SHIFT): real text's Zipf curve without its head, which is stop words ("the",
"of") that nobody searches for and Postgres does not index. The most common word is in
about 5% of the documents, so a query's common words match thousands of documents
and its rare ones a few.
"""

from __future__ import annotations

import json
import random
import sqlite3
import uuid
from datetime import UTC, datetime
from typing import Any

from bench.postgres_db import pg_dsn

VOCABULARY = 20_000
TAGS = 300
SEED = 10
ZIPF_SHIFT = 100
_SYLLABLES = [c + v for c in "bcdfghjklmnprstvz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
COLUMNS = (
    "id",
    "title",
    "description",
    "tags",
    "type",
    "storage_key",
    "scan_status",
    "created_at",
    "updated_at",
)


def _vocabulary(rng: random.Random, n: int) -> list[str]:
    words: dict[str, None] = {}
    while len(words) < n:
        words["".join(rng.choices(_SYLLABLES, k=rng.randint(2, 4)))] = None
    return list(words)


class Corpus:
    """`n` asset documents: title 3-7 words, description 10-30, 2-4 tags."""

    def __init__(self, n: int, seed: int = SEED) -> None:
        rng = random.Random(seed)
        self.words = _vocabulary(rng, VOCABULARY)
        self.tags = self.words[:TAGS]
        weights = [1.0 / (rank + ZIPF_SHIFT) for rank in range(1, VOCABULARY + 1)]
        cum = [0.0] * VOCABULARY
        total = 0.0
        for i, w in enumerate(weights):
            total += w
            cum[i] = total
        now = datetime(2026, 1, 1, tzinfo=UTC)
        self.rows: list[dict[str, Any]] = []
        for i in range(n):
            title = rng.choices(self.words, cum_weights=cum, k=rng.randint(3, 7))
            body = rng.choices(self.words, cum_weights=cum, k=rng.randint(10, 30))
            self.rows.append(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128)).hex,
                    "title": " ".join(title).capitalize(),
                    "description": " ".join(body),
                    "tags": rng.sample(self.tags, rng.randint(2, 4)),
                    "type": "IMAGE",
                    "storage_key": f"bench/{i}.png",
                    "scan_status": "CLEAN",
                    "created_at": now,
                    "updated_at": now,
                }
            )
        self.rng = random.Random(seed + 1)

    def queries(self, n: int) -> list[str]:
        """`n` two-word queries as a user would type them: two words of a random
        document's title, in order (common words come up as often as they are used)."""
        found = []
        for _ in range(n):
            words = self.rng.choice(self.rows)["title"].lower().split()
            i = self.rng.randrange(len(words) - 1)
            found.append(f"{words[i]} {words[i + 1]}")
        return found

    def fresh_word(self) -> str:
        """A word no document holds (the vocabulary's syllables, but five or more)."""
        return "".join(self.rng.choices(_SYLLABLES, k=6)) + "q"


async def load_postgres(url: str, corpus: Corpus) -> None:
    import asyncpg

    conn = await asyncpg.connect(pg_dsn(url))
    try:
        records = (
            tuple(json.dumps(r[c]) if c == "tags" else r[c] for c in COLUMNS) for r in corpus.rows
        )
        await conn.copy_records_to_table("ip_assets", records=records, columns=COLUMNS)
        await conn.execute("VACUUM ANALYZE ip_assets")
    finally:
        await conn.close()


def load_sqlite(path: str, corpus: Corpus) -> None:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        marks = ",".join("?" * len(COLUMNS))
        sql = f"INSERT INTO ip_assets ({','.join(COLUMNS)}) VALUES ({marks})"

        def adapt(r: dict[str, Any]) -> tuple[Any, ...]:
            # As the UTCDateTime column stores it on SQLite: naive UTC text.
            return tuple(
                json.dumps(r[c])
                if c == "tags"
                else r[c].strftime("%Y-%m-%d %H:%M:%S.%f")
                if isinstance(r[c], datetime)
                else r[c]
                for c in COLUMNS
            )

        conn.executemany(sql, (adapt(r) for r in corpus.rows))
        conn.commit()
        conn.execute("ANALYZE")
    finally:
        conn.close()
