"""What a job search matches and how a failure's cause is named, for both stores.

A job's words are its task name, the values (not the keys) of its arguments, its
error message and the exception type its stack ends with, split as SQLite FTS5's
unicode61 tokenizer splits text (letters and digits; case ignored). A query word of
three characters or more matches a job word it begins; a shorter one matches a word
equal to it; in a term of several words (`user-42`) only the last matches as a prefix,
the others whole. A query term (a whitespace-separated piece of the query) also
matches a job whose id begins or ends with it. Every term must match.

A failure's cause is its exception type and its message with ids, numbers, paths,
URLs and quoted values masked; `group_key` names that pair in a few characters.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

_WORD = re.compile(r"[^\W_]+")
PREFIX_FROM = 3
"""Query words this long or longer match as prefixes."""

_MASKS = (
    (re.compile(r"'[^']*'|\"[^\"]*\""), "'?'"),
    (re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]*://\S+"), "<url>"),
    (re.compile(r"(?:[A-Za-z]:)?(?:[\\/][\w.@~-]+){2,}[\\/]?"), "<path>"),
    (re.compile(r"\b(?=[0-9a-fA-F-]*\d)[0-9a-fA-F]{8,}(?:-[0-9a-fA-F]{4,})*\b"), "<id>"),
    (re.compile(r"(?<![A-Za-z_<])[-+]?\d+(?:\.\d+)?"), "<n>"),
)
_EXC_TYPE = re.compile(r"^([A-Za-z_][\w.]*)(?::|$)")
Filters = tuple[str | None, str | None, float | None, float | None]
"""A job list's filters: queue, state, and the first and last sort_at."""
NO_EXCEPTION = "Error"
"""The type of a failure that has no stack (a stalled job, a task no worker knows)."""


def words(text: str | None) -> list[str]:
    return _WORD.findall(text.lower()) if text else []


def _values(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for v in value.values():
            yield from _values(v)
    elif isinstance(value, list):
        for v in value:
            yield from _values(v)
    elif value is not None:
        yield str(value)


def argument_text(args: str | None, kwargs: str | None) -> str:
    """The values of a job's stored JSON arguments, space-separated."""
    parts: list[str] = []
    for raw in (args, kwargs):
        if raw:
            try:
                parts.extend(_values(json.loads(raw)))
            except ValueError:
                parts.append(raw)
    return " ".join(parts)


def exception_type(stack: str | None) -> str:
    """The exception class a traceback ends with (`RuntimeError`), else NO_EXCEPTION."""
    if stack:
        for line in reversed(stack.rstrip().splitlines()):
            if line and not line[0].isspace():
                found = _EXC_TYPE.match(line)
                return found.group(1).rpartition(".")[2] if found else NO_EXCEPTION
    return NO_EXCEPTION


def normalise(message: str | None) -> str:
    text = message or ""
    for pattern, mask in _MASKS:
        text = pattern.sub(mask, text)
    return " ".join(text.split())


def group_key(exc_type: str, message: str) -> str:
    return hashlib.blake2b(f"{exc_type}\0{message}".encode(), digest_size=6).hexdigest()


@dataclass
class GroupCount:
    """The failed jobs of one failure group: how many, first and last failure (epoch
    seconds), the queues and tasks they ran on."""

    count: int
    first: float
    last: float
    queues: set[str]
    tasks: set[str]

    def add(self, other: GroupCount) -> None:
        self.count += other.count
        self.first = min(self.first, other.first)
        self.last = max(self.last, other.last)
        self.queues |= other.queues
        self.tasks |= other.tasks


@dataclass(frozen=True)
class Doc:
    """What the index keeps of one job."""

    id: str
    body: str
    """Its words, space-separated (task, argument values, error, exception type)."""
    group: str
    """group_key of its error, '' when it has none."""
    exc_type: str
    message: str
    task: str


def doc_of(record: Mapping[str, str | None]) -> Doc:
    error = record.get("error_message")
    exc = exception_type(record.get("error_stack")) if error else ""
    message = normalise(error) if error else ""
    text = " ".join(
        t
        for t in (
            record.get("task"),
            argument_text(record.get("args"), record.get("kwargs")),
            error,
            exc,
        )
        if t
    )
    return Doc(
        id=str(record["id"]),
        body=" ".join(words(text)),
        group=group_key(exc, message) if error else "",
        exc_type=exc,
        message=message,
        task=str(record.get("task") or ""),
    )


_NOT_ALNUM = re.compile(r"[\W_]+")
"""What str.isalnum() refuses: \\w is exactly isalnum() and the underscore."""


def id_key(text: str) -> str:
    """An id (or a piece of one) as id matching compares it: lowercased, letters and
    digits only (`Bad-1` and `bad1` are the same id text)."""
    # A pattern, not a test per character: the index pass keys every job it writes.
    return _NOT_ALNUM.sub("", text.lower())


@dataclass(frozen=True)
class Term:
    raw: str
    """id_key of the term, matched as an id prefix or suffix ('' for none)."""
    words: tuple[str, ...]

    def prefixed(self) -> list[tuple[str, bool]]:
        """Each word and whether it matches as a prefix (the last, when long enough)."""
        last = len(self.words) - 1
        return [(w, i == last and len(w) >= PREFIX_FROM) for i, w in enumerate(self.words)]


def parse_query(q: str | None) -> list[Term]:
    terms = []
    for piece in (q or "").split():
        found = tuple(words(piece))
        if found:
            terms.append(Term(id_key(piece), found))
    return terms


def word_matches(word: str, prefix: bool, doc_words: set[str]) -> bool:
    if not prefix:
        return word in doc_words
    return any(d.startswith(word) for d in doc_words)


def matches(terms: list[Term], job_id: str, body: str) -> bool:
    """Whether a job (its id and Doc.body) matches every term; the stores' indexes
    answer the same question for jobs they have indexed."""
    doc_words = set(body.split())
    key = id_key(job_id)
    for term in terms:
        if term.raw and (key.startswith(term.raw) or key.endswith(term.raw)):
            continue
        if not all(word_matches(w, prefix, doc_words) for w, prefix in term.prefixed()):
            return False
    return True
