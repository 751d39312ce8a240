"""The core (db, pipelines, jobs, monitor, api) never imports textual: the UI is one
consumer of it. The other layering rules are import-linter contracts in pyproject.toml
(`lint-imports`, run by `make test`); the tests below show that they bite."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import ygmon

CORE = ("ygmon.db", "ygmon.pipelines", "ygmon.jobs", "ygmon.monitor", "ygmon.api")


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(ygmon.__path__, "ygmon."):
        if info.name.startswith(CORE) and ".migrations" not in info.name:
            names.append(info.name)
    return names


def test_core_never_imports_textual() -> None:
    modules = _core_modules()
    assert "ygmon.db.engine" in modules and "ygmon.monitor.schemas" in modules
    assert "ygmon.pipelines.search.changes" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"core imported textual: {result.stdout.strip()}"


REPO = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_copy(tmp_path: Path, module: str | None, line: str) -> subprocess.CompletedProcess[str]:
    """lint-imports over a copy of the package (and the contracts), with `line`
    appended to `module` of the copy (or nothing changed when `module` is None)."""
    shutil.copytree(
        REPO / "ygmon", tmp_path / "ygmon", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    if module is not None:
        path = tmp_path / (module.replace(".", "/") + ".py")
        path.write_text(path.read_text() + f"\n{line}\n")
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tmp_path,
        # The copy comes first on the path, before the installed package.
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_contracts_hold_on_the_copy(tmp_path: Path) -> None:
    result = _lint_copy(tmp_path, None, "")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "expected"),
    [
        # a pipeline driving Huey itself, as search/changes.py once did
        ("ygmon.pipelines.search.changes", "import huey", "ygmon.pipelines.search.changes -> huey"),
        # a pipeline taking its ids from the job runtime, as the media pipeline once did
        (
            "ygmon.pipelines.media.gate",
            "from ygmon.jobs import runtime",
            "ygmon.pipelines.media.gate -> ygmon.jobs.runtime",
        ),
        # a lower layer reading an upper one, as the registry once read the monitor
        (
            "ygmon.jobs.registry.job_registry",
            "from ygmon.monitor import schemas",
            "ygmon.jobs.registry.job_registry -> ygmon.monitor.schemas",
        ),
        # a screen reaching for SQL instead of the monitor
        ("ygmon.screens.overview", "import sqlalchemy", "ygmon.screens.overview -> sqlalchemy"),
        # a cycle inside one layer: the registry importing the runtime that holds it
        (
            "ygmon.jobs.registry.snapshot",
            "from ygmon.jobs import runtime",
            "No cycles are allowed in ygmon.jobs.",
        ),
    ],
)
def test_the_contracts_bite(tmp_path: Path, module: str, line: str, expected: str) -> None:
    result = _lint_copy(tmp_path, module, line)
    assert result.returncode != 0, result.stdout
    assert expected in result.stdout
    assert "BROKEN" in result.stdout
