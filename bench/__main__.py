"""`make bench`: run every bench/bench_*.py module's `run()` and print its figures.
Code the benches share lives in modules named otherwise (redis_server.py, child_env.py).

`python -m bench NAME ...` runs only the modules whose name contains one of NAME.
"""

from __future__ import annotations

import compileall
import importlib
import pkgutil
import sys
import time
from pathlib import Path


def _compile_bytecode() -> None:
    # An editable install under PYTHONDONTWRITEBYTECODE (set on some CI machines) never
    # caches ygmon's bytecode, so every process would recompile the package and the
    # start-up figures would measure the compiler; an installed wheel ships compiled.
    package = Path(__file__).resolve().parent.parent / "ygmon"
    compileall.compile_dir(str(package), quiet=1)


def bench_modules(selected: list[str] | None = None) -> list[str]:
    """The modules `make bench` runs: every bench/bench_*.py (each has a `run()`; a
    module the benches share is named otherwise), or those whose name contains one of
    `selected`."""
    return sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_") and (not selected or any(s in m.name for s in selected))
    )


def main(selected: list[str]) -> int:
    _compile_bytecode()
    names = bench_modules(selected)
    missed = 0
    for name in names:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        for figure in importlib.import_module(f"bench.{name}").run():
            print(f"  {figure.line()}", flush=True)
            missed += figure.ok is False
        print(f"  ({time.perf_counter() - started:.1f} s)", flush=True)
    if not names:
        print("no benchmark matched")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
