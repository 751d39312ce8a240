"""Figure 4 of issue 27: each monitor over a store holding a million finished jobs (1
in 10 failed), timed on its first page of failed jobs and on its queue counts, best of
3 after one discarded request. Each store is filled in bulk in its tool's own layout,
copied from real jobs its own worker ran, then read only through the tool's own server:

- ygmon: `ygmon serve` over its Redis registry (hash per job, per-state index, counts);
- rq-dashboard: RQ's job hashes, result streams and finished/failed registries;
- Flower: it has no store but its memory, fed by events while it runs, at most
  max_tasks (100,000 by default) tasks: it is fed max_tasks + 10% jobs' events through
  Celery's own EventDispatcher, and the table says how many it holds.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import redis

from bench.peers import venvs, workers
from bench.peers.apps import resp
from bench.peers.ygmon_side import QUEUE, Ygmon

FLOWER_MAX_TASKS = 100_000
"""Flower's default max_tasks (flower/options.py)."""


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _pipe(url: str, source: Any) -> None:
    """Commands (bytes chunks, or a process's stdout) into `redis-cli --pipe`."""
    cli = shutil.which("redis-cli")
    if cli is None:
        raise RuntimeError("filling a million jobs needs redis-cli (redis-tools) on PATH")
    if isinstance(source, subprocess.Popen):
        out = subprocess.run([cli, "-u", url, "--pipe"], stdin=source.stdout, capture_output=True)
        source.wait()
        if source.returncode:
            raise RuntimeError(f"fill failed: {source.stderr.read().decode()[-1500:]}")  # type: ignore[union-attr]
    else:
        proc = subprocess.Popen(
            [cli, "-u", url, "--pipe"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        for chunk in source:
            proc.stdin.write(chunk)  # type: ignore[union-attr]
        proc.stdin.close()  # type: ignore[union-attr]
        out = subprocess.CompletedProcess(proc.args, proc.wait(), proc.stdout.read(), b"")  # type: ignore[union-attr]
    if out.returncode or b"errors: 0" not in out.stdout:
        raise RuntimeError(f"redis-cli --pipe: {out.stdout.decode()[-500:]}")


@contextmanager
def _server(
    argv: list[str], env: dict[str, str], probe: str, cwd: Path = workers.APPS
) -> Iterator[str]:
    proc = workers.start(argv, env, cwd)
    try:

        def up() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"{argv[:3]} exited with {proc.returncode}")
            try:
                return httpx.get(probe, timeout=5).status_code < 500
            except httpx.HTTPError:
                return False

        workers.wait_for(up, 120, f"{argv[0]} to answer")
        yield probe
    finally:
        workers.stop(proc)


def _best_ms(client: httpx.Client, url: str) -> tuple[float, Any]:
    client.get(url).raise_for_status()
    times, body = [], None
    for _ in range(3):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
        body = response.json()
    return min(times), body


def _ygmon_commands(r: redis.Redis, side: Ygmon, ids: dict[str, str], n: int) -> Iterator[bytes]:
    p = f"{side.ns}:ygmon:"
    made = {"completed": 0, "failed": 0}
    # A copy differs from its template in its id and times only: 32 hex digits, and
    # times of a fixed width (%.6f of a ten-digit epoch), so each copy is a formatting.
    slots = {b"id": resp.Slot(32), b"sort_at": resp.Slot(17), b"finished_at": resp.Slot(17)}
    commands, order = {}, {}
    for state, job_id in (("completed", ids["ok"]), ("failed", ids["failed"])):
        template = r.hgetall(p + "job:" + job_id)
        if not template or r.zscore(f"{p}idx:{QUEUE}:{state}", job_id) is None:
            raise RuntimeError(f"ygmon's Redis layout changed: no {p}job:{job_id} in {state}")
        fields = {**template, **slots}
        order[state] = [f for f in fields if f in slots]
        args = [x for pair in fields.items() for x in pair]
        commands[state] = resp.template("HSET", resp.Slot(len(p) + 4 + 32), *args)
    top = time.time()
    ms = int(top * 1000)
    members: dict[str, list[tuple[str, float]]] = {"completed": [], "failed": []}
    chunk: list[bytes] = []
    for i in range(n):
        state = "failed" if i % 10 == 0 else "completed"
        at = top - 3600 - i * 1e-3
        job_id = f"{ms - i:012x}7{i:019x}"
        stamp = b"%.6f" % at
        values = {b"id": job_id.encode(), b"sort_at": stamp, b"finished_at": stamp}
        key = (p + "job:" + job_id).encode()
        chunk.append(commands[state] % (key, *(values[f] for f in order[state])))
        members[state].append((job_id, at))
        made[state] += 1
        if len(members[state]) >= 1000:
            chunk.append(resp.zadd(f"{p}idx:{QUEUE}:{state}", members[state]))
            members[state] = []
        if len(chunk) >= 5000:
            yield b"".join(chunk)
            chunk = []
    for state, rest in members.items():
        chunk.append(resp.zadd(f"{p}idx:{QUEUE}:{state}", rest))
        chunk.append(resp.command("HINCRBY", p + "counts", f"{QUEUE}|{state}", made[state]))
    yield b"".join(chunk)


def ygmon_monitor(url: str, tmp: Path, n: int) -> dict[str, Any]:
    side = Ygmon(url, tmp)
    r = redis.Redis.from_url(url)
    try:
        proc = side.start(2)
        try:
            ids = side.drive("templates")
            workers.wait_for(
                lambda: (side.counts().get("failed"), side.counts().get("completed")) == (1, 1),
                120,
                "ygmon's two template jobs",
            )
        finally:
            workers.stop(proc)
        started = time.perf_counter()
        _pipe(url, _ygmon_commands(r, side, ids, n))
        fill = time.perf_counter() - started
        port = _port()
        token = subprocess.run(
            [
                sys.executable,
                "-m",
                "ygmon.cli",
                "--config",
                str(side.config),
                "token",
                "--role",
                "ADMIN",
            ],
            capture_output=True,
            text=True,
            check=True,
            env=side.env(),
        ).stdout.strip()
        argv = [
            sys.executable,
            "-m",
            "ygmon.cli",
            "--config",
            str(side.config),
            "serve",
            "--port",
            str(port),
        ]
        base = f"http://127.0.0.1:{port}"
        auth = {"Authorization": f"Bearer {token}"}
        with (
            _server(argv, side.env(), f"{base}/api/admin/jobs/health", cwd=Path.cwd()),
            httpx.Client(headers=auth, timeout=120) as client,
        ):
            page_ms, page = _best_ms(client, f"{base}/api/admin/jobs/failed?page=1&pageSize=50")
            counts_ms, counts = _best_ms(client, f"{base}/api/admin/jobs/queues")
        return _result(page_ms, counts_ms, fill, _ygmon_shows(page, counts))
    finally:
        r.close()
        side.close()


def _ygmon_shows(page: Any, counts: Any) -> str:
    rows = page.get("data") or []
    total = page.get("total", page.get("pagination", {}).get("total"))
    queue = next((q for q in counts["data"] if q.get("name") == QUEUE), {})
    return f"{len(rows)} of {total} failed; counts {queue}"


def _result(page_ms: float, counts_ms: float, fill_s: float, shows: str) -> dict[str, Any]:
    return {
        "page_ms": page_ms,
        "counts_ms": counts_ms,
        "fill_s": fill_s,
        "load": workers.load(),
        "shows": shows,
    }


def rq_monitor(url: str, n: int) -> dict[str, Any]:
    env = workers.peer_env(url)
    started = time.perf_counter()
    fill = subprocess.Popen(
        [str(venvs.python_of("rq")), "rq_fill.py", str(n)],
        cwd=workers.APPS,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    _pipe(url, fill)
    fill_s = time.perf_counter() - started
    port = _port()
    argv = [
        str(venvs.python_of("rq").parent / "rq-dashboard"),
        "--redis-url",
        url,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
    ]
    base = f"http://127.0.0.1:{port}"
    with _server(argv, env, f"{base}/0/data/queues.json"), httpx.Client(timeout=120) as client:
        page_ms, page = _best_ms(client, f"{base}/0/data/jobs/bench/failed/50/dsc/1.json")
        counts_ms, counts = _best_ms(client, f"{base}/0/data/queues.json")
    queue = next(q for q in counts["queues"] if q["name"] == "bench")
    shows = (
        f"{len(page['jobs'])} of {queue['failed_job_registry_count']:,} failed; "
        f"finished {queue['finished_job_registry_count']:,}"
    )
    return _result(page_ms, counts_ms, fill_s, shows)


def flower_monitor(url: str, n: int) -> dict[str, Any]:
    """Flower fed min(n, max_tasks + 10%) jobs' events while it runs."""
    feed = min(n, FLOWER_MAX_TASKS + FLOWER_MAX_TASKS // 10)
    env = workers.peer_env(url, {"FLOWER_UNAUTHENTICATED_API": "true"})
    port = _port()
    argv = [
        str(venvs.python_of("celery").parent / "celery"),
        "-A",
        "celery_app",
        "flower",
        f"--port={port}",
        "--address=127.0.0.1",
    ]
    base = f"http://127.0.0.1:{port}"
    with _server(argv, env, f"{base}/healthcheck"), httpx.Client(timeout=300) as client:
        started = time.perf_counter()
        workers.drive(venvs.python_of("celery"), ["flower_feed.py", str(feed)], env)

        def seen() -> int:
            rows = client.get(f"{base}/workers?json=1").json()["data"]
            return sum(w.get("task-succeeded", 0) + w.get("task-failed", 0) for w in rows)

        workers.wait_for(lambda: seen() >= feed, 120, f"Flower to take {feed:,} jobs' events", 1.0)
        fill_s = time.perf_counter() - started
        page_ms, page = _best_ms(
            client, f"{base}/api/tasks?state=FAILURE&limit=50&sort_by=-received"
        )
        counts_ms, _ = _best_ms(client, f"{base}/workers?json=1")
        queues_ms, _ = _best_ms(client, f"{base}/api/queues/length")
        held_failed = len(client.get(f"{base}/api/tasks?state=FAILURE").json())
    shows = (
        f"{len(page)} failed of the {held_failed:,} it holds, of {feed // 10 + (feed % 10 > 0):,} "
        f"fed ({feed:,} jobs fed, max_tasks {FLOWER_MAX_TASKS:,}; a restart forgets them); "
        f"/api/queues/length (waiting only) {queues_ms:.1f} ms"
    )
    return {**_result(page_ms, counts_ms, fill_s, shows), "fed": feed}


def flush(url: str) -> None:
    """Empties the bench's own database (never another)."""
    client = redis.Redis.from_url(url)
    db = client.connection_pool.connection_kwargs.get("db", 0)
    if not 10 <= int(db) <= 15:
        raise RuntimeError(f"refusing to flush Redis database {db}: the bench uses 10-15")
    # ASYNC: the server frees a million keys in the background instead of stalling
    # every other client of this shared Redis (the test suites) for seconds.
    client.flushdb(asynchronous=True)
    client.close()
