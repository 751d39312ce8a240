"""Live controls (ygmon.jobs.registry.live_controls) applied by real `ygmon worker`
processes, two of them as two hosts, on SQLite and on Redis with Postgres, with the
default settings: a queue's concurrency limit changed under load, a paused task, a
task's rate limit. Waits are on conditions with deadlines; the deadlines asserted are
the promises (docs/OPERATIONS.md, "Live controls")."""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path

import pytest
from live_deployment import QUEUE, Deployment, Sample, deployment, live_profile

from ygmon.jobs.huey.control_gate import STOPS_WITHIN
from ygmon.jobs.registry.live_controls import (
    NO_CONTROLS,
    clear_limit,
    clear_rate,
    held_back,
    pause_task,
    read_controls,
    recent_starts,
    resume_task,
    set_limit,
    set_rate,
)
from ygmon.monitor.schemas import JobState

pytestmark = pytest.mark.timeout(240)

LIMIT_APPLIES = 3.0
"""Seconds by which a changed limit holds on every worker (issue 26's acceptance)."""


@pytest.fixture(params=["sqlite", "redis"])
def profile(request: pytest.FixtureRequest, tmp_path: Path):
    return live_profile(request.param, request, tmp_path / request.param)


def _applied(d: Deployment, holds: Callable[[Sample], bool]) -> tuple[float, list[Sample]]:
    """Samples from a change on for LIMIT_APPLIES and 3 s more: (seconds after which
    `holds` held in every sample, the samples from LIMIT_APPLIES on)."""
    samples = d.observe(LIMIT_APPLIES + 3.0)
    start = samples[0].at
    broken = [s.at - start for s in samples if not holds(s)]
    return (max(broken) if broken else 0.0), [s for s in samples if s.at - start >= LIMIT_APPLIES]


def _throughput(samples: list[Sample]) -> float:
    """Jobs completed per second over the samples."""
    first, last = samples[0], samples[-1]
    return (last.completed - first.completed) / (last.at - first.at)


@pytest.mark.xdist_group("sleepy-b")
def test_a_queue_limit_lowered_under_load_holds_on_both_hosts_and_raising_it_restores_throughput(
    profile, tmp_path: Path
) -> None:
    with deployment(profile, tmp_path) as d:
        set_limit(d.store, QUEUE, 8, "deployment", d.now(), "test")
        for _ in range(500):
            d.runtime.enqueue("canary", seconds=0.5)
        # Five threads a host: the limit of 8 binds, and no host can hold it alone (a
        # host whose threads finish and take again at once could starve the other).
        d.start("host-a", "--workers", "5")
        d.start("host-b", "--workers", "5")

        # Under load at 8 (10 threads): never more than 8 at once, both hosts running.
        seen: set[str] = set()
        _, at_eight = d.until(
            lambda s: seen.update(s.by_host) or (s.active >= 7 and len(seen) == 2),
            30,
            "both hosts to run, and the queue near its limit of 8",
        )
        at_eight += d.observe(2.0)
        assert max(s.active for s in at_eight) <= 8, at_eight

        # Lowered to 2: at most 2 active (the registry's count, and the records of both
        # hosts) within 3 s, and from then on.
        set_limit(d.store, QUEUE, 2, "deployment", d.now(), "test")
        took, at_two = _applied(d, lambda s: s.active <= 2 and sum(s.by_host.values()) <= 2)
        assert took <= LIMIT_APPLIES, f"the lowered limit took {took:.2f} s: {at_two}"
        slow = _throughput(at_two)

        # Raised back to 8: as many run again, and more finish.
        set_limit(d.store, QUEUE, 8, "deployment", d.now(), "test")
        took, _ = d.until(lambda s: s.active >= 6, 10, "the queue to run 6 or more again")
        assert took <= LIMIT_APPLIES, f"the raised limit took {took:.2f} s"
        raised = d.observe(3.0)
        assert max(s.active for s in raised) <= 8, raised
        fast = _throughput(raised)
        assert fast >= 2 * slow, (slow, fast)

        # Per host: at most 2 on each host, so up to 4 across the two.
        set_limit(d.store, QUEUE, 2, "host", d.now(), "test")
        took, per_host = _applied(
            d, lambda s: all(n <= 2 for n in s.by_host.values()) and s.active <= 4
        )
        assert took <= LIMIT_APPLIES, f"the per-host limit took {took:.2f} s: {per_host}"
        assert max(s.active for s in per_host) >= 3, "both hosts run their 2 at once"
        assert clear_limit(d.store, QUEUE)


def test_a_paused_task_waits_while_its_queue_runs_and_resume_runs_it_in_order(
    profile, tmp_path: Path
) -> None:
    with deployment(profile, tmp_path) as d:
        registry = d.registry
        pause_task(d.store, "canary", d.now(), "test")
        canaries, others = [], []
        for i in range(6):
            canaries.append(d.runtime.enqueue("canary", job_id=f"canary-{i}"))
            # `backfill` with no runs: the queue's other task, done at once.
            others.append(d.runtime.enqueue("backfill", name="canary", runs=[]))
        d.start("host-a", "--workers", "1")
        d.start("host-b", "--workers", "1")

        def states(ids: list[str]) -> list[JobState]:
            return [registry.get_job(job_id).state for job_id in ids]

        d.until(lambda _: states(others) == [JobState.COMPLETED] * 6, 30, "the other task to run")
        # The paused task's jobs were met and set aside: they wait, as users see them.
        d.until(
            lambda _: held_back(d.store) == {(QUEUE, "canary"): 6}, 10, "the canaries held back"
        )
        assert states(canaries) == [JobState.WAITING] * 6
        assert registry.counts(QUEUE).waiting == 6

        # Nothing spins while only held jobs wait: the idle workers use little CPU.
        cpu, samples = d.cpu_seconds(), d.observe(3.0)
        used = (d.cpu_seconds() - cpu) / (samples[-1].at - samples[0].at)
        assert used < 0.15, f"two idle workers used {used:.0%} of a CPU"

        # A worker killed while they are held loses none of them.
        d.workers["host-a"].send_signal(signal.SIGKILL)
        d.workers["host-a"].wait(10)
        assert resume_task(d.store, "canary")
        took, _ = d.until(
            lambda _: states(canaries) == [JobState.COMPLETED] * 6, 15, "the canaries to run"
        )
        assert took <= STOPS_WITHIN + 2.0, f"the resumed task took {took:.2f} s to run"
        assert held_back(d.store) == {}
        # One worker thread takes them one by one: in the order they were enqueued.
        started = [float(d.store.get(job_id)["started_at"]) for job_id in canaries]
        assert started == sorted(started), started
        assert read_controls(d.store) == NO_CONTROLS


@pytest.mark.slow
@pytest.mark.timeout(420)
@pytest.mark.xdist_group("sleepy-a")
def test_a_rate_limit_of_60_a_minute_holds_over_two_minutes_on_both_stores(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Long by nature: a rate a minute is seen over two minutes. Both stores' deployments
    run side by side (two workers each), so the two minutes are spent once."""
    profiles = [live_profile(kind, request, tmp_path / kind) for kind in ("sqlite", "redis")]
    with (
        deployment(profiles[0], tmp_path / "s") as lite,
        deployment(profiles[1], tmp_path / "r") as red,
    ):
        both = (lite, red)
        ids: dict[Deployment, list[str]] = {}
        for d in both:
            set_rate(d.store, "canary", 60, d.now(), "test")
            ids[d] = [d.runtime.enqueue("canary") for _ in range(200)]
        for d in both:
            d.start("host-a", "--workers", "4")
            d.start("host-b", "--workers", "4")

        def starts(d: Deployment) -> list[float]:
            records = (d.store.get(job_id) for job_id in ids[d])
            return sorted(float(r["started_at"]) for r in records if r and r["started_at"])

        for d in both:
            d.until(lambda _, d=d: len(starts(d)) >= 60, 30, "the first minute's starts")
        # The window full, the rest is held back, and nothing spins.
        for d in both:
            assert recent_starts(d.store, ["canary"], d.now()) == {"canary": 60}
            d.until(lambda _, d=d: held_back(d.store).get((QUEUE, "canary"), 0) > 0, 10, "held")
        cpu = sum(d.cpu_seconds() for d in both)
        samples = lite.observe(5.0)
        used = (sum(d.cpu_seconds() for d in both) - cpu) / (samples[-1].at - samples[0].at)
        assert used < 0.3, f"four rate-limited workers used {used:.0%} of a CPU"

        for d in both:
            first = starts(d)[0]
            d.until(lambda _, d=d, first=first: d.now() >= first + 121, 200, "two minutes")
        for d in both:
            times = starts(d)
            first = times[0]
            in_two_minutes = sum(1 for t in times if t < first + 120)
            busiest = max(sum(1 for t in times if s <= t < s + 60) for s in times)
            assert 114 <= in_two_minutes <= 126, (d.profile.broker_url, in_two_minutes)
            assert busiest <= 63, (d.profile.broker_url, busiest)
            assert clear_rate(d.store, "canary")
