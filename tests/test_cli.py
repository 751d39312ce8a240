"""The console script: help, version, and `status` on the embedded default."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import ygmon
from ygmon.db.migrate import head_revision

EXE = str(Path(sys.executable).with_name("ygmon"))


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    clean["HOME"] = str(cwd)
    return subprocess.run(
        [EXE, *args], cwd=cwd, env={**clean, **env}, capture_output=True, text=True, timeout=60
    )


def test_help_lists_subcommands(tmp_path: Path) -> None:
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    for word in ("status", "db", "--config", "--profile", "--api-url"):
        assert word in result.stdout


def test_version(tmp_path: Path) -> None:
    result = run("--version", cwd=tmp_path)
    assert result.stdout.strip() == f"ygmon {ygmon.__version__}"


def test_status_json_on_embedded_default_migrates_on_first_use(tmp_path: Path) -> None:
    result = run("status", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["kind"] == "local" and doc["profile"] == "local"
    assert doc["database"]["revision"] == head_revision()
    assert doc["database"]["upToDate"] is True
    assert (tmp_path / "ygmon.db").exists()


def test_status_on_unreachable_database_is_one_line(tmp_path: Path) -> None:
    result = run("status", cwd=tmp_path, YGMON_DATABASE_URL="postgresql+asyncpg://u@127.0.0.1:9/x")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("ygmon: cannot reach the database")
    assert len(result.stderr.strip().splitlines()) == 1


def test_status_json_says_why_it_could_not_count_the_scheduled_posts(tmp_path: Path) -> None:
    """A schema without the blog's table: the health answer holds no count (never 0) but
    why, and the rest of the status (queues, workers) still answers."""
    import sqlite3

    assert run("db", "upgrade", cwd=tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "ygmon.db") as conn:
        conn.execute("DROP TABLE blog_posts")
    result = run("status", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    blog = doc["health"]["blog"]
    assert "scheduledJobs" not in blog
    assert "no such table: blog_posts" in blog["scheduledJobsError"]
    assert blog["healthy"] is False
    assert doc["queues"] and doc["workers"] == []


@pytest.mark.parametrize("command", [["demo", "--no-tui"], ["worker"]])
def test_a_local_only_command_on_a_remote_profile_says_so(
    tmp_path: Path, command: list[str]
) -> None:
    result = run("--api-url", "http://127.0.0.1:9", *command, cwd=tmp_path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert f"'ygmon {command[0]}' needs a local profile" in result.stderr
    assert not (tmp_path / "ygmon.db").exists()


def test_db_upgrade_and_current(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    assert run("db", "current", cwd=tmp_path, YGMON_DATABASE_URL=url).stdout.strip() == (
        "(no schema)"
    )
    up = run("db", "upgrade", cwd=tmp_path, YGMON_DATABASE_URL=url)
    assert up.returncode == 0 and head_revision() in up.stdout
    assert run("db", "current", cwd=tmp_path, YGMON_DATABASE_URL=url).stdout.strip() == (
        head_revision()
    )


def test_command_named_skips_the_values_of_global_options() -> None:
    from ygmon.cli import command_named

    assert command_named(["--config", "status", "db", "current"]) == "db"
    assert command_named(["--read-only", "--token", "t", "status", "--json"]) == "status"
    assert command_named(["--api-url=http://x", "worker"]) == "worker"
    assert command_named([]) is None
    assert command_named(["--config", "c.toml"]) is None
    assert command_named(["bogus"]) is None


def test_opening_the_app_imports_no_other_commands_module(tmp_path: Path) -> None:
    """`ygmon` (options only) opens the app without building the other commands' parsers
    or importing their modules; a word that names no command, or --help, still gets the
    whole parser."""
    config = tmp_path / "ygmon.toml"
    config.write_text(
        '[profiles.here]\nkind = "local"\n'
        f'database_url = "sqlite+aiosqlite:///{tmp_path / "app.db"}"\n'
        f'broker_url = "sqlite:///{tmp_path / "queue.db"}"\n'
    )
    code = (
        "import sys\n"
        "from textual.app import App\n"
        "App.run = lambda self, *args, **kwargs: None  # built, not run\n"
        "from ygmon.cli import main\n"
        f"main(['--config', {str(config)!r}, '--profile', 'here'])\n"
        "print(sorted(m for m in sys.modules if m.startswith('ygmon.commands.')))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "ygmon.commands.tui" in done.stdout
    for other in ("status", "jobs", "job_replay", "worker", "serve", "queues_control"):
        assert f"'ygmon.commands.{other}'" not in done.stdout, done.stdout
    from ygmon.cli import _opens_the_app

    assert not _opens_the_app(["--config", "c.toml", "bogus"])
    assert not _opens_the_app(["--help"]) and not _opens_the_app(["-h"])
    assert _opens_the_app([]) and _opens_the_app(["--token", "status"])


def test_status_into_a_reader_that_left_is_quiet(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    proc = subprocess.Popen(
        [EXE, "status"], cwd=tmp_path, env=clean, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # as `ygmon status | head -0` would
    assert proc.wait(60) == 141
    assert proc.stderr.read() == b""


def test_the_cli_looks_for_no_pydantic_plugin_unless_the_environment_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Looking for plugins reads every installed package's metadata at the first model a
    command validates; ygmon has none. A value the user set, even empty, is kept."""
    from ygmon.cli import main

    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    with pytest.raises(SystemExit):
        main(["--version"])
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"

    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")
    with pytest.raises(SystemExit):
        main(["--version"])
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == ""
