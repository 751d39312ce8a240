"""Each peer's own virtual environment under .bench-venvs/, made once with the pinned
versions below and reused while its pins are unchanged."""

from __future__ import annotations

import shlex
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / ".bench-venvs"
PINS: dict[str, tuple[str, ...]] = {
    "celery": ("celery[redis]==5.7.0", "flower==2.2.0", "redis==8.2.0"),
    # rq-dashboard 0.9.0 imports six without declaring it.
    "rq": ("rq==3.0.0", "rq-dashboard==0.9.0", "six==1.17.0", "redis==8.2.0"),
    "dramatiq": ("dramatiq[redis]==2.2.1", "redis==8.2.0"),
    "huey": ("huey==3.5.4", "redis==8.2.0"),
}
"""Current stable releases for Python 3.11 and Redis 7, each installed as its docs say
(extras included: dramatiq[redis] brings hiredis, celery[redis] does not)."""


def python_of(name: str) -> Path:
    return ROOT / name / "bin" / "python"


def _stamp(name: str) -> Path:
    return ROOT / name / ".bench-pins"


def ensure() -> float:
    """Make the missing environments, all at once (the installs wait on the network,
    not the CPU); returns the seconds it took (0 when every one was there)."""
    wanted = {n: "\n".join(p) for n, p in PINS.items()}
    missing = [
        n for n, pins in wanted.items() if not _stamp(n).exists() or _stamp(n).read_text() != pins
    ]
    if not missing:
        return 0.0
    started = time.perf_counter()
    ROOT.mkdir(exist_ok=True)
    jobs = {}
    for name in missing:
        pins = " ".join(shlex.quote(p) for p in PINS[name])
        script = (
            f"python3 -m venv --clear {ROOT / name} && {python_of(name)} -m pip install -q {pins}"
        )
        jobs[name] = subprocess.Popen(
            ["sh", "-c", script], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
    for name, job in jobs.items():
        _, err = job.communicate()
        if job.returncode:
            tail = "\n".join(line for line in err.splitlines() if "WARNING" not in line)[-2000:]
            raise RuntimeError(f"installing {name}'s environment failed:\n{tail}")
        _stamp(name).write_text(wanted[name])
    return time.perf_counter() - started


def versions() -> str:
    """The pins, as printed beside the table."""
    return (
        "; ".join(
            ", ".join(p.replace("[redis]", "") for p in pins if not p.startswith(("redis", "six")))
            for pins in PINS.values()
        )
        + f"; redis-py {PINS['rq'][-1].split('==')[1]}"
    )
