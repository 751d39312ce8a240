"""Live control as a user runs it (the console script, a config file, or --api-url to a
real `ygmon serve`): `ygmon queues limit NAME N [--per-host] | --clear`, `ygmon tasks
pause|resume NAME`, `ygmon tasks rate NAME N | --clear` and the `ygmon tasks` listing
(text, --json, --csv); unknown names and a read-only backend are one-line errors, a
missing or doubled value a usage error."""

from __future__ import annotations

import json
from pathlib import Path

from servers import serve_on_loopback
from test_cli_ops import config, ygmon

from ygmon.config import LocalProfile

__all__ = ["config"]  # the fixture: a config file of a fresh SQLite profile


def _tasks(config: Path, *args: str) -> dict[str, dict]:
    listed = ygmon(config, *args, "tasks", "--json")
    assert listed.returncode == 0, listed.stderr
    return {t["task"]: t for t in json.loads(listed.stdout)}


def test_limit_pause_and_rate_then_the_listing(config: Path) -> None:
    limited = ygmon(config, "queues", "limit", "email", "3")
    assert (limited.returncode, limited.stdout) == (
        0,
        "email: at most 3 active across the deployment\n",
    )
    per_host = json.loads(
        ygmon(config, "queues", "limit", "email", "2", "--per-host", "--json").stdout
    )
    assert (per_host["limit"], per_host["scope"]) == (2, "host")
    paused = ygmon(config, "tasks", "pause", "canary")
    assert paused.returncode == 0
    assert paused.stdout.startswith("canary (maintenance): paused by ")
    rated = ygmon(config, "tasks", "rate", "enrich-events", "60")
    assert rated.stdout == "enrich-events (analytics-enrichment): at most 60 starts a minute\n"

    table = ygmon(config, "tasks").stdout.splitlines()
    assert table[0].split() == ["TASK", "QUEUE", "PAUSED", "WAITING", "RATE/MIN", "LAST", "MIN"]
    rows = {line.split()[0]: line.split() for line in table[1:]}
    assert rows["canary"] == ["canary", "maintenance", "yes", "0", "-", "-"]
    assert rows["enrich-events"] == ["enrich-events", "analytics-enrichment", "no", "-", "60", "0"]
    assert rows["deliver-notification"][2:] == ["no", "-", "-", "-"]
    tasks = _tasks(config)
    assert len(tasks) == len(table) - 1 and "sweep-retention" in tasks
    assert tasks["canary"]["paused"] is True and tasks["canary"]["waiting"] == 0
    csv = ygmon(config, "tasks", "--csv").stdout.splitlines()
    assert csv[0].startswith("task,queue,paused,") and len(csv) == len(table)

    cleared = ygmon(config, "queues", "limit", "email", "--clear")
    assert cleared.stdout == "email: no limit (its own concurrency applies)\n"
    assert ygmon(config, "tasks", "resume", "canary").stdout == "canary (maintenance): running\n"
    unrated = ygmon(config, "tasks", "rate", "enrich-events", "--clear")
    assert unrated.stdout == "enrich-events (analytics-enrichment): no rate limit\n"
    assert not any(t["paused"] or t["perMinute"] for t in _tasks(config).values())


def test_unknown_names_read_only_and_usage_errors(config: Path) -> None:
    for args, what in (
        (("queues", "limit", "nope", "2"), "queue 'nope' not found (`ygmon queues` lists them)"),
        (("tasks", "pause", "nope"), "task 'nope' not found (`ygmon tasks` lists them)"),
        (("tasks", "rate", "nope", "5"), "task 'nope' not found (`ygmon tasks` lists them)"),
    ):
        unknown = ygmon(config, *args)
        assert (unknown.returncode, unknown.stderr) == (1, f"ygmon: {what}\n")
    for args in (
        ("queues", "limit", "email"),
        ("queues", "limit", "email", "2", "--clear"),
        ("queues", "limit", "email", "--clear", "--per-host"),
        ("tasks", "rate", "canary"),
        ("tasks", "rate", "canary", "5", "--clear"),
    ):
        usage = ygmon(config, *args)
        assert usage.returncode == 2 and "usage: ygmon" in usage.stderr, args
    config.write_text(
        config.read_text().replace("[profiles.test]\n", "[profiles.test]\nread_only = true\n")
    )
    for args, word in (
        (("queues", "limit", "email", "2"), "Limit"),
        (("queues", "limit", "email", "--clear"), "Clear limit"),
        (("tasks", "pause", "canary"), "Pause task"),
        (("tasks", "resume", "canary"), "Resume task"),
        (("tasks", "rate", "canary", "5"), "Rate"),
        (("tasks", "rate", "canary", "--clear"), "Clear rate"),
    ):
        refused = ygmon(config, *args)
        assert (refused.returncode, refused.stderr) == (
            1,
            f"ygmon: {word} is disabled: this backend is read-only\n",
        )
    assert ygmon(config, "tasks").returncode == 0  # reading stays allowed


def test_a_remote_profile_changes_the_server_s_tasks(config: Path, tmp_path: Path) -> None:
    profile = LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        jwt_secret="ygmon-test-secret-0123456789-abcdefghij",
    )
    with serve_on_loopback(profile) as (url, token):
        remote = ("--api-url", url, "--token", token)
        paused = ygmon(config, *remote, "tasks", "pause", "canary")
        assert paused.returncode == 0 and "paused by admin-1@127.0.0.1" in paused.stdout
        limited = ygmon(config, *remote, "queues", "limit", "email", "4", "--per-host")
        assert limited.stdout == "email: at most 4 active on each host\n"
        assert _tasks(config, *remote)["canary"]["paused"] is True
        # The local profile reads the same registry the server changed.
        assert _tasks(config)["canary"]["pausedBy"] == "admin-1@127.0.0.1"
