"""Every listing command as a script and a person read it: a header, aligned columns, one
row a line (an error's line break escaped), `paused` wherever --json has it, every --json
list an array, errors that name what was asked for, and a plain word when the URL is
not a ygmon server (a real HTTP server on loopback that is something else)."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from servers import _config_file, serve_on_loopback, sqlite_profile

from ygmon.cli import main
from ygmon.config import LocalProfile

TWO_LINES = "/missing\nsecond line"
"""A failure cause whose error text holds a line break."""

# (command, its heading words, a value one of its rows holds)
LISTINGS = [
    (["failed"], ["FAILED", "QUEUE", "ID", "TASK", "ERROR"], "bad-two-lines"),
    (
        ["queues"],
        ["QUEUE", "PAUSED", "WAITING", "DELAYED", "ACTIVE", "COMPLETED", "FAILED"],
        "maintenance",
    ),
    (["logs"], ["TYPE", "PERIOD", "STATUS", "RECORDS", "STARTED"], "daily"),
    (["audit"], ["AT", "WHO", "ACTION", "TARGET", "OUTCOME"], "pause"),
    (["jobs", "search", "canary"], ["ID", "QUEUE", "TASK", "STATE", "CHANGED", "ERROR"], "ok-1"),
    (
        ["schedules"],
        ["TASK", "CRON", "LAST", "TRIGGER", "OUTCOME", "NEXT", "MISSED", "PAUSED"],
        "sweep-retention",
    ),
]


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> LocalProfile:
    """One completed job, one failed with a two-line error, the maintenance queue paused."""
    from ygmon.jobs.runtime import open_runtime
    from ygmon.jobs.worker import in_process_worker

    profile = sqlite_profile(tmp_path_factory.mktemp("listings"))
    with open_runtime(profile) as rt, in_process_worker(profile, ["maintenance"], runtime=rt):
        rt.enqueue("canary", job_id="ok-1")
        rt.enqueue("canary", job_id="bad-two-lines", fail_unless=TWO_LINES)
        rt.wait_idle(30, queues=["maintenance"])
    return profile


@pytest.fixture(scope="module")
def where(profile: LocalProfile, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    config = _config_file(profile, tmp_path_factory.mktemp("config"))
    args = ["--config", str(config), "--profile", "local"]
    assert main([*args, "queues", "pause", "maintenance"]) == 0  # also the audit's one row
    return args


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("command,headings,value", LISTINGS, ids=lambda v: str(v))
def test_text_is_a_header_and_aligned_rows(
    where: list[str], capsys: pytest.CaptureFixture[str], command, headings, value
) -> None:
    code, out, err = run(capsys, *where, *command)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == headings
    rows = [line for line in lines[1:] if value in line]
    assert rows, out
    spans = [m.span() for m in re.finditer(r"\S+", lines[0])][:2]
    for row in rows:
        for start, end in spans:  # each cell under its heading: left- or right-aligned
            left = row[start] != " " and (start == 0 or row[start - 1] == " ")
            right = row[end - 1] != " " and row[end : end + 1] in ("", " ")
            assert left or right, (lines[0], row)
    assert not any(line.startswith("second line") for line in lines)  # no row broke


@pytest.mark.parametrize("command", [c for c, _h, _v in LISTINGS] + [["alerts", "--once"]])
def test_every_json_list_is_an_array(
    where: list[str], capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    code, out, err = run(capsys, *where, *command, "--json")
    assert code in (0, 1), err  # alerts --once exits 1 while a rule fires
    body = json.loads(out)
    assert isinstance(body, list), out
    assert all(isinstance(item, dict) for item in body)
    assert body or command[0] == "alerts", out  # the profile has no alert rules


def test_an_error_with_a_line_break_stays_on_its_row(
    where: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    _code, out, _err = run(capsys, *where, "failed")
    (row,) = [line for line in out.splitlines() if "bad-two-lines" in line]
    assert row.endswith("canary: /missing\\nsecond line does not exist")
    _code, out, _err = run(capsys, *where, "jobs", "search", "missing")
    assert "/missing\\nsecond line" in out.splitlines()[1]
    # --json keeps the text as it is.
    _code, out, _err = run(capsys, *where, "failed", "--json")
    (job,) = [j for j in json.loads(out) if j["id"] == "bad-two-lines"]
    assert job["errorMessage"] == f"canary: {TWO_LINES} does not exist"


def _paused_column(out: str, queue: str) -> str:
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("QUEUE"))
    column = header.split().index("PAUSED")
    row = next(line for line in lines if line.split()[:1] == [queue])
    return row.split()[column]


def test_a_paused_queue_is_shown_wherever_json_has_it(
    profile: LocalProfile, where: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (["queues"], ["status"]):
        _code, out, _err = run(capsys, *where, *command)
        assert _paused_column(out, "maintenance") == "yes", out
        assert _paused_column(out, "search-index-update") == "no", out
    _code, out, _err = run(capsys, *where, "queues", "--json")
    queues = {q["name"]: q for q in json.loads(out)}
    assert queues["maintenance"]["paused"] is True and "paused" not in queues["email"]
    _code, out, _err = run(capsys, *where, "status", "--json")
    status = {q["name"]: q for q in json.loads(out)["queues"]}
    assert status["maintenance"]["paused"] is True and status["maintenance"]["pausedAt"]
    assert "paused" not in status["email"]
    # The same through a remote API.
    with serve_on_loopback(profile) as (url, token):
        remote = ["--api-url", url, "--token", token]
        _code, out, err = run(capsys, *remote, "status", "--json")
        status = {q["name"]: q for q in json.loads(out)["queues"]}
        assert status["maintenance"]["paused"] is True, err
        _code, out, _err = run(capsys, *remote, "status")
        assert _paused_column(out, "maintenance") == "yes"


@pytest.mark.parametrize(
    "command,said",
    [
        (["queues", "pause", "nope"], "ygmon: queue 'nope' not found (`ygmon queues` lists them)"),
        (
            ["jobs", "search", "x", "--queue", "nope"],
            "ygmon: queue 'nope' not found (`ygmon queues` lists them)",
        ),
        (
            ["schedules", "--trigger", "nope"],
            "ygmon: schedule 'nope' not found (`ygmon schedules` lists them)",
        ),
    ],
)
def test_errors_name_what_was_asked_for(
    where: list[str], capsys: pytest.CaptureFixture[str], command: list[str], said: str
) -> None:
    code, _out, err = run(capsys, *where, *command)
    assert (code, err) == (1, said + "\n")


class _OtherService(BaseHTTPRequestHandler):
    """A web app on the port: HTML for / and its own JSON 404 for everything else."""

    def do_GET(self) -> None:
        if self.path == "/":
            self._answer(200, "text/html", b"<html><body>Welcome</body></html>")
        else:
            self._answer(404, "application/json", b'{"detail": "Not Found"}')

    def _answer(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        pass


@contextmanager
def other_service(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _HtmlEverywhere(_OtherService):
    """A single-page app: 200 and the same HTML for every path."""

    def do_GET(self) -> None:
        self._answer(200, "text/html", b"<!doctype html><title>app</title>")


@pytest.mark.parametrize("handler", [_OtherService, _HtmlEverywhere], ids=["404", "200-html"])
@pytest.mark.parametrize("command", [["status"], ["queues"], ["failed"]])
def test_a_url_that_is_not_ygmon_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, handler, command: list[str]
) -> None:
    with other_service(handler) as url:
        code, out, err = run(capsys, "--api-url", url, "--token", "t", *command)
    assert code == 1 and not out
    assert err.startswith(f"ygmon: {url} is not a ygmon server: /api/admin/jobs/"), err
    assert "api_url is the address `ygmon serve` listens on" in err
    assert err.count("\n") == 1


def test_hourly_runs_show_their_hour(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two hourly runs of one day read as two hours, not twice the same day (the real
    pipeline records the hour it aggregated)."""
    import asyncio
    from datetime import UTC, datetime

    from ygmon.db import Database
    from ygmon.pipelines.analytics.periods import Level, last_closed
    from ygmon.pipelines.analytics.service import aggregate

    now = datetime(2026, 3, 4, 12, 30, tzinfo=UTC)
    profile = sqlite_profile(tmp_path)

    async def two_hours() -> None:
        db = Database(profile.database_url)
        try:
            period = last_closed(Level.HOURLY, now)
            for hour in (period, period.previous()):
                await aggregate(db, hour, trigger="manual", now=now)
        finally:
            await db.dispose()

    asyncio.run(two_hours())
    config = _config_file(profile, tmp_path)
    code, out, err = run(capsys, "--config", str(config), "logs", "--job-type", "hourly")
    assert code == 0, err
    periods = [line.split()[1:3] for line in out.splitlines()[1:]]
    assert sorted(periods) == [["2026-03-04", "10:00"], ["2026-03-04", "11:00"]], out
