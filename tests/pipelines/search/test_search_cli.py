"""`ygmon search` as a user runs it: ranked hits, --json, hostile input, bad options."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from search_helpers import settle

from ygmon.cli import main
from ygmon.jobs.runtime import JobRuntime
from ygmon.jobs.worker import WorkerProcess
from ygmon.pipelines.search.content import ContentService


def _ygmon(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}
    return subprocess.run(
        [sys.executable, "-m", "ygmon.cli", "--config", str(config), "search", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.fixture
async def indexed(
    runtime: JobRuntime, worker: WorkerProcess, content: ContentService
) -> dict[str, str]:
    ids = {
        "asset": await content.create(
            "asset", title="Velvet thunder", type="AUDIO", storage_key="a/v.mp3", tags=["storm"]
        ),
        "post": await content.create(
            "blog_post", title="Thunderous launch", slug="t", content="velvet curtains"
        ),
    }
    await settle(runtime)
    return ids


async def test_search_prints_ranked_hits_and_json(
    indexed: dict[str, str], worker_config: Path
) -> None:
    done = _ygmon(worker_config, "velvet thund")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split()[:2] == ["asset", indexed["asset"]]  # the title match ranks first
    assert any("«" in line for line in lines)
    as_json = json.loads(_ygmon(worker_config, "storm", "--json").stdout)
    assert [(h["entity"], h["id"]) for h in as_json["hits"]] == [("asset", indexed["asset"])]
    only = json.loads(_ygmon(worker_config, "velvet", "--entity", "blog_post", "--json").stdout)
    assert [h["id"] for h in only["hits"]] == [indexed["post"]]


HOSTILE = ['"velvet', "NEAR(velvet", "-velvet", "*", "'; DROP TABLE x; --", "v" * 10_000]


async def test_hostile_queries_never_fail(
    indexed: dict[str, str], worker_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # In-process (the same entry point as the console script), to spare a start-up each.
    for query in HOSTILE:
        code = await asyncio.to_thread(
            main, ["--config", str(worker_config), "search", "--", query]
        )
        out = capsys.readouterr()
        assert code == 0 and not out.err, (query, out.err)


async def test_bad_options_are_one_line_errors(
    indexed: dict[str, str], worker_config: Path
) -> None:
    for args in (("x", "--entity", "song"), ("x", "--limit", "0")):
        done = _ygmon(worker_config, *args)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
