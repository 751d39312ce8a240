"""The `slo` table of a profile: a latency target per queue, checked when the config is
read (ygmon.config), so a typo is a one-line error naming the key and the file.

    [profiles.prod.slo]
    email = "p95 wait < 30s"
    search-index-update = ["p99 wait < 5s", "p95 run < 2s"]

A target says which share of the queue's jobs (the percentile: p50, p95 or p99, the
ones Metrics measures) must wait for a worker
(`wait`) or run (`run`) less than a time (ms, s, m or h). Metrics and the Overview show
each beside the measured value; the `latency_burn` alert (ygmon.monitor.latency_burn)
fires when a queue spends the target's error budget fast. Plain Python, no pydantic:
every command reads the config first.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ygmon.errors import ConfigError

_TARGET = re.compile(
    r"^\s*p(?P<p>50|95|99)\s+(?P<kind>wait|run)\s*<\s*"
    r"(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>ms|s|m|h)\s*$"
)
_UNIT_MS = {"ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}
SHAPE = 'a target like "p95 wait < 30s" (p50|p95|p99 wait|run < <number> ms|s|m|h)'


class LatencyTarget(NamedTuple):
    queue: str
    quantile: float
    """0.95 for p95."""
    kind: str
    """"wait" or "run"."""
    below_ms: float
    text: str
    """As written, spaces normalised: "p95 wait < 30s"."""

    @property
    def budget(self) -> float:
        """The share of jobs allowed over the threshold (0.05 for p95)."""
        return 1.0 - self.quantile


def parse_target(queue: str, text: str) -> LatencyTarget | None:
    m = _TARGET.match(text)
    if m is None:
        return None
    p, n = float(m["p"]), float(m["n"])
    if n <= 0:
        return None
    return LatencyTarget(
        queue,
        p / 100,
        m["kind"],
        n * _UNIT_MS[m["unit"]],
        f"p{m['p']} {m['kind']} < {m['n']}{m['unit']}",
    )


def _fail(where: str, message: str) -> ConfigError:
    return ConfigError(f"config error in {where}: {message}")


def check_slo(value: Any, loc: str, where: str) -> dict[str, list[str]]:
    """The `slo` table as the profile keeps it (each queue's targets as a list), or
    ConfigError naming the first bad key, e.g. `profiles.prod.slo.email`."""
    from ygmon.queues import QUEUE_NAMES

    if not isinstance(value, dict):
        raise _fail(where, f"key '{loc}' expects a table of queue latency targets, got {value!r}")
    out: dict[str, list[str]] = {}
    for queue, targets in value.items():
        at = f"{loc}.{queue}"
        if queue not in QUEUE_NAMES:
            raise _fail(where, f"unknown key '{at}' (queues: {', '.join(QUEUE_NAMES)})")
        texts = [targets] if isinstance(targets, str) else targets
        if not isinstance(texts, list) or not texts:
            raise _fail(where, f"key '{at}' expects {SHAPE}, or a list of them, got {targets!r}")
        out[queue] = []
        for text in texts:
            target = parse_target(queue, text) if isinstance(text, str) else None
            if target is None:
                raise _fail(where, f"key '{at}' expects {SHAPE}, got {text!r}")
            out[queue].append(target.text)
    return out


def slo_targets(table: dict[str, list[str]]) -> list[LatencyTarget]:
    """The checked `slo` table as targets, in the table's order."""
    return [
        t
        for queue, texts in table.items()
        for t in (parse_target(queue, text) for text in texts)
        if t is not None
    ]
