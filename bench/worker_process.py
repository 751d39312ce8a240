"""A real `ygmon worker` process for a benchmark, as deployed: its own process over a
config file holding the bench's profile, stopped with SIGTERM at the end."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.child_env import child_env
from ygmon.config import LocalProfile


def write_config(profile: LocalProfile, path: Path) -> Path:
    lines = ["default_profile = 'bench'", "[profiles.bench]"]
    for key, value in profile.table().items():
        if key not in ("concurrency", "kind") and value is not None:
            lines.append(f"{key} = {json.dumps(value)}")
    path.write_text("\n".join(lines) + "\n")
    return path


@contextmanager
def ygmon_worker(
    profile: LocalProfile, config: Path, *args: str
) -> Iterator[subprocess.Popen[str]]:
    """`ygmon worker ARGS` over `profile`; yields the process once it says it runs."""
    env = child_env()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ygmon.cli", "--config", str(write_config(profile, config)),
         "worker", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if "running" not in line:
            raise RuntimeError(f"ygmon worker did not start: {line!r}")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
