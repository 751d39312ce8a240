"""The dead-code check `make test` runs (vulture, configured in pyproject.toml) passes on
this tree and fails as soon as a function nobody calls is added."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _vulture(*extra: Path) -> subprocess.CompletedProcess[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["vulture"]
    # Paths on the command line replace the configured ones: name them all.
    command = [sys.executable, "-m", "vulture", *config["paths"], *map(str, extra)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_the_tree_has_no_dead_code_and_a_dead_function_fails(tmp_path: Path) -> None:
    clean = _vulture()
    assert clean.returncode == 0, clean.stdout + clean.stderr

    module = tmp_path / "leftover.py"
    module.write_text(
        "def used() -> int:\n    return 1\n\n\ndef forgotten_helper() -> int:\n    return used()\n"
    )
    dead = _vulture(module)
    assert dead.returncode == 3, dead.stdout + dead.stderr
    assert "unused function 'forgotten_helper'" in dead.stdout
    assert "'used'" not in dead.stdout
