"""Every number a command line takes is checked while parsing: nan, inf, 1e308 and
negative durations are usage errors (exit 2, one line naming the option), and no job
is enqueued (nor a live control set) for them (`enqueue canary --seconds nan` used to
exit 0, then fail)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from servers import _config_file
from sqlalchemy import create_engine, text

from ygmon.cli import main
from ygmon.config import LocalProfile

BAD = ["nan", "inf", "-inf", "1e308", "-1", "abc"]
# Each command line with {} where the number goes, and the option it names.
COMMANDS = [
    (["enqueue", "--delay", "{}", "canary"], "--delay"),
    (["enqueue", "canary", "--seconds", "{}"], "--seconds"),
    (["enqueue", "reindex", "--pause", "{}"], "--pause"),
    (["enqueue", "aggregate", "hourly", "--date", "2026-01-01", "--hour", "{}"], "--hour"),
    (["jobs", "search", "x", "--page", "{}"], "--page"),
    (["search", "x", "--limit", "{}"], "limit"),
    (["outbox", "--limit", "{}"], "--limit"),
    (["demo", "--seed", "{}"], "--seed"),
    (["serve", "--port", "{}"], "--port"),
    (["queues", "limit", "email", "{}"], "LIMIT"),
    (["tasks", "rate", "canary", "{}"], "PER_MINUTE"),
]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        media_dir=str(tmp_path / "media"),
        outbox_dir=str(tmp_path / "outbox"),
    )
    return _config_file(profile, tmp_path)


def _run(config: Path, argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            code = main(["--config", str(config), *argv])
        except SystemExit as exc:  # argparse's usage error
            code = int(exc.code or 0)
    return code, err.getvalue()


@pytest.mark.parametrize(("argv", "option"), COMMANDS, ids=[c[0][0] + c[1] for c in COMMANDS])
@pytest.mark.parametrize("value", BAD)
def test_a_non_finite_or_absurd_number_is_a_usage_error(
    config: Path, argv: list[str], option: str, value: str
) -> None:
    code, err = _run(config, [a.replace("{}", value) for a in argv])
    assert code == 2, err
    # A positional's value argparse reads as an option ("-inf") is an unrecognized
    # argument: a usage error all the same, naming the value.
    named = option in err or (option.isupper() and f"unrecognized arguments: {value}" in err)
    assert named and "Traceback" not in err
    queue = config.parent / "queue.db"
    if queue.exists():  # nothing was enqueued
        engine = create_engine(f"sqlite:///{queue}")
        with engine.connect() as conn:
            tables = [
                r[0]
                for r in conn.execute(text("select name from sqlite_master where type = 'table'"))
            ]
            for table in tables:  # no job, no live control (ygmon_ops)
                if table.startswith("task") or table == "ygmon_ops":
                    assert conn.execute(text(f'select count(*) from "{table}"')).scalar() == 0
        engine.dispose()
