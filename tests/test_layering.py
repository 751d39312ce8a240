"""The core (db, jobs, monitor, api) never imports textual: the UI is one consumer of it."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

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


UI = ("ygmon.app", "ygmon.screens", "ygmon.widgets", "ygmon.tui")
UI_MAY_NOT_IMPORT = (
    *("sqlalchemy", "httpx", "huey", "redis"),
    *("ygmon.db", "ygmon.api", "ygmon.jobs", "ygmon.commands"),
)


def test_ui_reads_only_through_the_monitor() -> None:
    """Data flows storage -> monitor -> screens: no screen reaches for SQL or HTTP."""
    import ast
    import importlib.util

    offenders = []
    for info in pkgutil.walk_packages(ygmon.__path__, "ygmon."):
        if not info.name.startswith(UI):
            continue
        origin = importlib.util.find_spec(info.name).origin
        tree = ast.parse(Path(origin).read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{info.name} imports {n}"
                for n in names
                if any(n == bad or n.startswith(bad + ".") for bad in UI_MAY_NOT_IMPORT)
            ]
    assert offenders == []
