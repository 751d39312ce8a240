"""The job search index on the SQLite and the Redis registry: what a pass indexed and
what changed since (the tail, read live) answer together, each job once, and a job
whose record changed after the pass is found by what it holds now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ygmon.config import LocalProfile
from ygmon.jobs.registry.search import SLACK, JobSearch
from ygmon.jobs.registry.search_text import doc_of, group_key, id_key, normalise, parse_query
from ygmon.jobs.runtime import open_runtime

T0 = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)


def _noop(**_kwargs: object) -> None:
    """Never run: no worker serves the queue here."""


class Clock:
    def __init__(self) -> None:
        self.at = T0

    def __call__(self) -> datetime:
        return self.at


def _ids(search: JobSearch, q: str, state: str | None = None) -> tuple[list[str], int]:
    rows, total = search.search(q, (None, state, None, None), 0, 50)
    return sorted(r["id"] for r in rows), total


def test_index_and_tail_answer_together(job_profile: LocalProfile, tmp_path: Path) -> None:
    clock = Clock()
    with open_runtime(job_profile, clock=clock) as rt:
        rt.register_task("t-search", "email", _noop)
        rt.enqueue("t-search", job_id="job-a", user="alice", asset="a-1001")
        rt.enqueue("t-search", job_id="job-b", user="bob", asset="a-1002")
        registry = rt.registry
        search = JobSearch(registry.store, registry.now)
        clock.at = T0 + timedelta(seconds=2 * SLACK)
        assert search.catch_up() == 2
        mark = search.backend.mark()
        assert mark is not None and search.backend.count_since(mark - SLACK) == 0
        # Recorded after the pass: found from the tail, beside the indexed ones.
        rt.enqueue("t-search", job_id="job-c", user="alice", asset="a-2001")
        assert search.backend.count_since(mark - SLACK) == 1
        assert _ids(search, "alice") == (["job-a", "job-c"], 2)
        assert _ids(search, "a-100") == (["job-a", "job-b"], 2)
        assert _ids(search, "b-b") == (["job-b"], 1)  # an id suffix
        # job-a fails after the pass: its new error is found, and it counts once.
        now = registry.now()
        registry.store.move(
            "job-a",
            "failed",
            {"finished_at": repr(now), "error_message": "disk full on /dev/sda1"},
            sort_at=now,
        )
        assert _ids(search, "disk") == (["job-a"], 1)
        assert _ids(search, "alice") == (["job-a", "job-c"], 2)
        assert _ids(search, "alice", state="failed") == (["job-a"], 1)
        assert _ids(search, "alice", state="waiting") == (["job-c"], 1)
        rows, names = search.failed_group_rows(None)
        cause = group_key("Error", "disk full on <path>")
        assert [(r[0], r[2]) for r in rows] == [("job-a", cause)]
        # The next pass takes it in: the same answers, now from the index.
        clock.at += timedelta(seconds=3 * SLACK)
        search.catch_up()
        assert search.backend.count_since(search.backend.mark() - SLACK) == 0
        assert _ids(search, "disk") == (["job-a"], 1)
        assert _ids(search, "alice", state="failed") == (["job-a"], 1)
        rows, names = search.failed_group_rows(None)
        assert [r[0] for r in rows] == ["job-a"]
        assert names[rows[0][2]] == ("Error", "disk full on <path>")


@pytest.mark.parametrize(
    ("message", "masked"),
    [
        ("asset 4f3a9b2c1d0e not found in '/srv/media'", "asset <id> not found in '?'"),
        ("timeout after 30.5s reading /var/lib/x/y.mp4", "timeout after <n>s reading <path>"),
        ("GET https://cdn.example/x?id=9 failed: 503", "GET <url> failed: <n>"),
        ('user "ann" has 3 jobs', "user '?' has <n> jobs"),
    ],
)
def test_messages_are_normalised_into_causes(message: str, masked: str) -> None:
    assert normalise(message) == masked


def test_a_jobs_words_and_query_terms() -> None:
    record = {
        "id": "0193ABCDEF",
        "task": "send-email",
        "args": "[]",
        "kwargs": '{"to": "ann@example.com", "n": 42}',
        "error_message": "SMTP 451 deferred",
        "error_stack": "Traceback...\n  File x\nsmtplib.SMTPDataError: (451, b'x')\n",
    }
    doc = doc_of(record)
    assert doc.body.split() == [
        "send", "email", "ann", "example", "com", "42", "smtp", "451", "deferred",
        "smtpdataerror",
    ]  # fmt: skip
    assert doc.exc_type == "SMTPDataError" and doc.group
    (term,) = parse_query("user-12")
    assert term.prefixed() == [("user", False), ("12", False)]
    assert parse_query("--- !!") == []


@pytest.mark.parametrize(
    "text",
    ["0193ABCD-ef01_x", "Bad-1", "ÉTÉ_x ü 42", "a²b½c", "日本-語_1", "٣٤-a", "Ⅷ", "--__  ", ""],
)
def test_an_id_key_keeps_what_isalnum_keeps(text: str) -> None:
    # The index and a search's terms must agree with matches(), whatever the script.
    assert id_key(text) == "".join(ch for ch in text.lower() if ch.isalnum())
