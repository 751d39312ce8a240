"""`ygmon search` as a user runs it: ranked hits, --json, hostile input, bad options."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from search_helpers import settle
from sqlalchemy import text

from ygmon.cli import main
from ygmon.db import Database
from ygmon.db.base import utcnow
from ygmon.jobs.runtime import JobRuntime
from ygmon.jobs.worker import WorkerProcess
from ygmon.pipelines.search.content import ContentService
from ygmon.pipelines.search.service import search


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
    indexed: dict[str, str], worker_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    done = _ygmon(worker_config, "velvet thund")  # once as a user runs it: a process
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["ENTITY", "ID", "TITLE", "SNIPPET"]
    assert lines[1].split()[:2] == ["asset", indexed["asset"]]  # the title match ranks first
    assert any("«" in line for line in lines)
    # The rest in-process (the console script's own entry point), sparing a start-up each.
    as_json = json.loads(await _search(worker_config, capsys, "storm", "--json"))
    assert [(h["entity"], h["id"]) for h in as_json] == [("asset", indexed["asset"])]
    only = json.loads(
        await _search(worker_config, capsys, "velvet", "--entity", "blog_post", "--json")
    )
    assert [h["id"] for h in only] == [indexed["post"]]


async def _search(config: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = await asyncio.to_thread(main, ["--config", str(config), "search", *args])
    out = capsys.readouterr()
    assert code == 0 and not out.err, (args, out.err)
    return out.out


HOSTILE = ['"velvet', "NEAR(velvet", "-velvet", "*", "'; DROP TABLE x; --", "v" * 10_000]


async def test_hostile_queries_never_fail_and_bad_options_are_one_line_errors(
    indexed: dict[str, str], worker_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # In-process (the same entry point as the console script), to spare a start-up each.
    for query in HOSTILE:
        await _search(worker_config, capsys, "--", query)
    for args in (("x", "--entity", "song"), ("x", "--limit", "0")):
        code = await asyncio.to_thread(main, ["--config", str(worker_config), "search", *args])
        err = capsys.readouterr().err
        assert code == 2
        assert err.count("\n") == 1 and "Traceback" not in err


async def _insert_behind_the_index(db: Database) -> dict[str, str]:
    """Rows written by direct SQL: no job hears of them, so only the commands index them."""
    ids = {"asset": uuid.uuid4().hex, "p1": uuid.uuid4().hex, "p2": uuid.uuid4().hex}
    ids["creator"] = uuid.uuid4().hex
    async with db.writer() as session:
        await session.execute(
            text(
                "INSERT INTO ip_assets (id, title, tags, type, storage_key, scan_status,"
                " created_at, updated_at) VALUES (:id, 'Obsidian tide', '[]', 'IMAGE', 'k',"
                " 'CLEAN', :now, :now)"
            ),
            {"id": ids["asset"], "now": utcnow()},
        )
        for key, title in (("p1", "Cobalt one"), ("p2", "Cobalt two")):
            await session.execute(
                text(
                    "INSERT INTO projects (id, title, status, created_at, updated_at)"
                    " VALUES (:id, :title, 'DRAFT', :now, :now)"
                ),
                {"id": ids[key], "title": title, "now": utcnow()},
            )
        await session.execute(
            text(
                "INSERT INTO creators (id, stage_name, specialties, created_at, updated_at)"
                " VALUES (:id, 'Saffron Vale', '[]', :now, :now)"
            ),
            {"id": ids["creator"], "now": utcnow()},
        )
    return ids


async def test_enqueue_commands_index_through_a_real_worker(
    db: Database,
    runtime: JobRuntime,
    worker: WorkerProcess,
    worker_config: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ids = await _insert_behind_the_index(db)

    async def enqueue(*args: str) -> str:
        code = await asyncio.to_thread(main, ["--config", str(worker_config), "enqueue", *args])
        out = capsys.readouterr()
        assert code == 0 and not out.err, (args, out.err)
        return out.out.split()[0]  # "<job id> enqueued on <queue>"

    one = await enqueue("index", "asset", ids["asset"])
    bulk = await enqueue("index-bulk", "project", ids["p1"], ids["p2"])
    await settle(runtime)
    assert runtime.registry.get_job(one).result["fixed"]["missing"] == 1
    assert runtime.registry.get_job(bulk).result["fixed"]["missing"] == 2
    assert {h.id for h in await search(db, "obsidian")} == {ids["asset"]}
    assert {h.id for h in await search(db, "cobalt")} == {ids["p1"], ids["p2"]}
    assert await search(db, "saffron") == []

    scoped = await enqueue("reindex", "--entity", "creator")
    await settle(runtime)
    result = runtime.registry.get_job(scoped).result
    assert result["scope"] == "creator" and result["fixed"] == {
        "creator": {"missing": 1, "stale": 0, "soft_deleted": 0, "orphaned": 0}
    }
    assert {h.id for h in await search(db, "saffron")} == {ids["creator"]}
    full = await enqueue("reindex")
    await settle(runtime)
    result = runtime.registry.get_job(full).result
    assert result["scope"] == "all" and result["total_fixed"] == 0 and result["checked"] == 4

    for bad in (("index", "song", "x"), ("index-bulk", "asset"), ("reindex", "--entity", "x")):
        code = await asyncio.to_thread(main, ["--config", str(worker_config), "enqueue", *bad])
        out = capsys.readouterr()
        assert code == 2 and out.err.count("\n") == 1 and "Traceback" not in out.err, bad
