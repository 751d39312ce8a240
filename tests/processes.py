"""Real processes and filesystems for tests: `ygmon` commands and `ygmon worker`
subprocesses over a profile written to a config file, and a small tmpfs for disk-full
tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ygmon.config import LocalProfile

# --- real `ygmon worker` processes ---------------------------------------------------


def run_ygmon(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`ygmon --config CONFIG ARGS...` in a subprocess, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "ygmon.cli", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def write_profile_config(profile: LocalProfile, path: Path) -> Path:
    """A ygmon.toml at `path` whose default profile is `profile`, for `ygmon` subprocesses."""
    lines = ["default_profile = 'test'", "", "[profiles.test]"]
    for key, value in profile.table().items():
        if key == "kind" or value is None or isinstance(value, dict | tuple):
            continue  # tables (concurrency, alerts) and lists are left to their defaults
        if isinstance(value, bool):
            lines.append(f"{key} = {'true' if value else 'false'}")
        elif isinstance(value, int | float):
            lines.append(f"{key} = {value!r}")
        else:
            lines.append(f"{key} = {str(value)!r}")
    path.write_text("\n".join(lines) + "\n")
    return path


@contextmanager
def worker_processes() -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """`start(config, *extra)` runs `ygmon --config CONFIG worker EXTRA...` and returns
    once it says it runs; any still alive on exit is killed and its pipes closed."""
    procs: list[subprocess.Popen[str]] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("YGMON_")}

    def start(config: Path, *extra: str) -> subprocess.Popen[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "ygmon.cli", "--config", str(config), "worker", *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        procs.append(proc)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert "running" in line, line + (proc.stderr.read() if proc.stderr else "")
        return proc

    try:
        yield start
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(10)
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()


# --- a small real filesystem ---------------------------------------------------------


@contextmanager
def small_tmpfs(path: Path, size: str) -> Iterator[Path]:
    """Mount a tmpfs of `size` (e.g. '120k', '2m') at `path` for a disk-full test.
    Needs root; without it the test skips (fails under YGMON_REQUIRE_SERVICES=1, as CI
    runs as root on this machine kind)."""
    import pytest

    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        reason = f"cannot mount a small tmpfs (needs root): {mounted.stderr.strip()}"
        if os.environ.get("YGMON_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)
