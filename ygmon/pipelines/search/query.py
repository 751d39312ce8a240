"""What a user typed, reduced to plain words both engines can search safely.

Only letters and digits survive: quotes, `NEAR(`, `-`, `*`, `:` and SQL text all
become word breaks, so no input can reach either engine's query syntax. The words
are then quoted (FTS5) or fed to websearch_to_tsquery/to_tsquery (Postgres) with a
prefix match on the last one.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

MAX_WORDS = 16
MAX_WORD_LENGTH = 64
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchHit:
    entity: str
    id: str
    title: str
    snippet: str
    """Matched words between « and »."""
    rank: float
    """Higher is better (ts_rank_cd on Postgres, -bm25 on SQLite)."""

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "rank": round(self.rank, 6)}


HIGHLIGHT = ("«", "»")


def words(text: str) -> list[str]:
    """The first MAX_WORDS words of `text`, lower-cased and cut to MAX_WORD_LENGTH."""
    found: list[str] = []
    for match in _WORD.finditer(text[: MAX_WORDS * (MAX_WORD_LENGTH + 8)]):
        found.append(match.group(0)[:MAX_WORD_LENGTH].lower())
        if len(found) == MAX_WORDS:
            break
    return found


def fts5_match(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every word quoted, the last one a prefix."""
    quoted = [f'"{w}"' for w in terms]
    quoted[-1] += "*"
    return " ".join(quoted)
