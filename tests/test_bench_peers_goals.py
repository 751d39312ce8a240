"""bench peers' verdicts (issue 27): ygmon is judged on its own figures; whether a
peer's monitor is also under 100 ms is printed as found, with no verdict."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.peers.table import goals

LOAD = {"load": "1.0/1.0/1.0"}
RESULTS = {
    "ygmon": {
        "latency": {"p50_ms": 0.53, "p99_ms": 1.83, **LOAD},
        "monitor": {"page_ms": 9.0, "counts_ms": 4.3, **LOAD},
    },
    "bare Huey": {"latency": {"p50_ms": 0.80, "p99_ms": 1.64, **LOAD}},
    "RQ": {"monitor": {"page_ms": 38.8, "counts_ms": 3.7, **LOAD}},
    "Celery": {"monitor": {"page_ms": 140.0, "counts_ms": 1.3, **LOAD}},
}


def test_the_goals_judge_ygmon_and_name_the_peers_without_a_verdict() -> None:
    by_name = {f.name: f for f in goals(RESULTS)}
    assert by_name["ygmon latency p50_ms"].ok is True  # first
    assert by_name["ygmon latency p99_ms"].ok is False  # 1.12x of the best peer
    mine = by_name["ygmon serve, slower of failed page / counts"]
    assert mine.ok is True and mine.line().endswith("target < 100 ms OK")
    peers = by_name["peers' monitors also under 100 ms"]
    assert peers.ok is None and peers.value == 1
    assert peers.line().endswith("ygmon the only one: no, also RQ")  # no OK, no MISSED
