"""The queue control, schedule and alert routes over HTTP: the contract's envelopes
and error bodies, camelCase fields, 403 with its reason on a read-only server."""

from __future__ import annotations

from pathlib import Path

from servers import Api, fixed_clock, serve_on_loopback

from ygmon.config import LocalProfile

BASE = "/api/admin/jobs"


def _profile(tmp_path: Path, **extra: object) -> LocalProfile:
    return LocalProfile(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'ygmon.db'}",
        broker_url=f"sqlite:///{tmp_path / 'queue.db'}",
        jwt_secret="ygmon-test-secret-0123456789-abcdefghij",
        **extra,
    )


def test_pause_resume_schedules_and_alerts_answer_the_contract_way(tmp_path: Path) -> None:
    profile = _profile(tmp_path, alerts={"paused_too_long": [{"queue": "email", "minutes": 0}]})
    with serve_on_loopback(profile, clock=fixed_clock) as (url, token):
        api = Api(url, token, profile)
        paused = api.post(f"{BASE}/queues/email/pause")
        assert paused.status_code == 200
        assert paused.json() == {
            "success": True,
            "data": {
                "queue": "email",
                "paused": True,
                "pausedAt": "2026-03-04T12:00:00.000Z",
                "pausedBy": paused.json()["data"]["pausedBy"],
            },
        }
        queues = {q["name"]: q for q in api.get(f"{BASE}/queues").json()["data"]}
        assert queues["email"]["paused"] is True and "paused" not in queues["maintenance"]
        health = api.get(f"{BASE}/health").json()["data"]
        # Paused, and no live worker waits to resume it: it cannot make progress.
        assert health["email"]["healthy"] is False
        email = health["email"]["workers"]["email"]
        assert (email["paused"], email["pausedAt"]) == (True, "2026-03-04T12:00:00.000Z")
        assert email["pausedBy"] == paused.json()["data"]["pausedBy"]
        assert email["error"].endswith("; no live worker runs this queue"), email
        alerts = api.get(f"{BASE}/alerts").json()
        assert alerts["success"] is True
        assert [a["key"] for a in alerts["data"]] == ["paused_too_long:email"]
        resumed = api.post(f"{BASE}/queues/email/resume").json()["data"]
        assert resumed == {"queue": "email", "paused": False, "pausedAt": None, "pausedBy": None}
        schedules = api.get(f"{BASE}/schedules").json()["data"]
        assert {"name", "cron", "lastRunAt", "nextRunAt", "missed", "checkedAt"} <= set(
            schedules[0]
        )
        triggered = api.post(f"{BASE}/schedules/sweep-retention/trigger").json()["data"]
        assert triggered["queue"] == "maintenance" and len(triggered["jobId"]) == 32


def test_unknown_names_are_404_and_read_only_is_403_with_its_reason(tmp_path: Path) -> None:
    profile = _profile(tmp_path)
    with serve_on_loopback(profile) as (url, token):
        api = Api(url, token, profile)
        unknown = api.post(f"{BASE}/queues/nope/pause")
        assert (unknown.status_code, unknown.json()) == (
            404,
            {"success": False, "error": "Queue not found"},
        )
        missing = api.post(f"{BASE}/schedules/canary/trigger")
        assert missing.json() == {"success": False, "error": "Schedule not found"}
        assert api.get(f"{BASE}/queues/email/pause").status_code == 405
        none = api.get(f"{BASE}/queues/email/oldest-waiting")
        assert none.json() == {"success": True, "data": None}
        assert api.get(f"{BASE}/queues/nope/oldest-waiting").status_code == 404
    with serve_on_loopback(profile, read_only=True) as (url, token):
        api = Api(url, token, profile)
        for path, action in (
            ("/queues/email/pause", "Pause"),
            ("/queues/email/resume", "Resume"),
            ("/schedules/sweep-retention/trigger", "Trigger"),
        ):
            refused = api.post(BASE + path)
            assert refused.status_code == 403
            assert refused.json() == {
                "success": False,
                "error": f"{action} is disabled: this backend is read-only",
            }
        assert api.get(f"{BASE}/schedules").status_code == 200
