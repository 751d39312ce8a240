# Two commands take a fresh clone to a running app and a passing suite: `make run`, `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp is newer than pyproject.toml only after a successful install, so a
# second call skips pip entirely.
STAMP := $(VENV)/.installed-dev

.PHONY: run test bench lint format snapshots clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# The repo's ./ygmon.db is the demo's own: each `make run` starts a fresh demo in it
# (`ygmon demo` alone refuses to replace a database that holds data).
run: $(STAMP)
	$(BIN)/ygmon demo --force

# The suite waits on real servers, workers and clocks more than it computes: six pytest
# processes overlap those waits (TEST_JOBS=0 runs it in one process). The tests that
# mostly sleep (a rate seen over two minutes, a worker taken back after the default
# 30 s stall) carry xdist_group("sleepy-a"/"sleepy-b"): `--dist loadgroup` runs each
# group in one process, from the start, so two processes sleep through them while four
# run the rest (on this 2-core machine: 560 s a run; four processes, no groups: 600-610 s).
# A new test that mostly sleeps for tens of seconds joins the lighter of the two groups.
TEST_JOBS ?= 6

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/vulture
	$(BIN)/pytest -q -n $(TEST_JOBS) --dist loadgroup $(PYTEST_ARGS)

# `make bench BENCH=peers` runs only the modules whose name holds one of BENCH's words.
BENCH ?=

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/vulture

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

snapshots: $(STAMP)
	$(BIN)/pytest -q tests/ui --snapshot-update

clean:
	rm -rf $(VENV) .pytest_cache
