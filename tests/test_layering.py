"""The core (db, jobs, monitor, api) never imports textual: the UI is one consumer of it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import ygmon

CORE = ("ygmon.db", "ygmon.jobs", "ygmon.monitor", "ygmon.api")


def _core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(ygmon.__path__, "ygmon."):
        if info.name.startswith(CORE) and ".migrations" not in info.name:
            names.append(info.name)
    return names


def test_core_never_imports_textual() -> None:
    modules = _core_modules()
    assert "ygmon.db.engine" in modules and "ygmon.monitor.schemas" in modules
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
