"""The live control routes over HTTP (extensions): the contract's envelopes and error
bodies, strict bodies, ADMIN only, and on a read-only server a 403 with its reason for
each change, recorded in the audit."""

from __future__ import annotations

from pathlib import Path

import pytest
from servers import Api, fixed_clock, serve_on_loopback, sqlite_profile

from ygmon.api.auth import issue_token
from ygmon.config import LocalProfile
from ygmon.storage.secret import signing_secret

BASE = "/api/admin/jobs"
CHANGES = [
    ("PUT", "/queues/email/limit", {"limit": 2}, "Limit", "limit"),
    ("DELETE", "/queues/email/limit", None, "Clear limit", "clear-limit"),
    ("POST", "/tasks/canary/pause", None, "Pause task", "pause-task"),
    ("POST", "/tasks/canary/resume", None, "Resume task", "resume-task"),
    ("PUT", "/tasks/canary/rate", {"perMinute": 60}, "Rate", "rate"),
    ("DELETE", "/tasks/canary/rate", None, "Clear rate", "clear-rate"),
]


@pytest.fixture
def profile(tmp_path: Path) -> LocalProfile:
    return sqlite_profile(tmp_path)


def _issues(response) -> list[tuple[list[str], str]]:
    assert response.status_code == 400, response.text
    body = response.json()
    assert (body["success"], body["error"]) == (False, "Invalid query parameters")
    return [(i["path"], i["code"]) for i in body["details"]]


def test_each_change_answers_the_contract_way(profile: LocalProfile) -> None:
    with serve_on_loopback(profile, clock=fixed_clock) as (url, token):
        api = Api(url, token, profile)
        limited = api.request(
            "PUT", f"{BASE}/queues/email/limit", json={"limit": 3, "scope": "host"}
        )
        assert limited.status_code == 200
        by = limited.json()["data"]["setBy"]
        assert limited.json() == {
            "success": True,
            "data": {
                "queue": "email",
                "limit": 3,
                "scope": "host",
                "setAt": "2026-03-04T12:00:00.000Z",
                "setBy": by,
            },
        }
        paused = api.post(f"{BASE}/tasks/canary/pause").json()["data"]
        assert (paused["task"], paused["queue"], paused["paused"]) == (
            "canary",
            "maintenance",
            True,
        )
        assert paused["pausedAt"] == "2026-03-04T12:00:00.000Z"
        rated = api.request("PUT", f"{BASE}/tasks/enrich-events/rate", json={"perMinute": 90})
        assert rated.json()["data"]["perMinute"] == 90
        listed = api.get(f"{BASE}/controls").json()
        assert listed["success"] is True
        assert listed["data"]["limits"] == [limited.json()["data"]]
        tasks = {t["task"]: t for t in listed["data"]["tasks"]}
        assert tasks["canary"]["paused"] is True and tasks["canary"]["waiting"] == 0
        assert (tasks["enrich-events"]["perMinute"], tasks["enrich-events"]["lastMinute"]) == (
            90,
            0,
        )
        cleared = api.request("DELETE", f"{BASE}/queues/email/limit").json()["data"]
        assert cleared == {
            "queue": "email",
            "limit": None,
            "scope": None,
            "setAt": None,
            "setBy": None,
        }
        assert api.post(f"{BASE}/tasks/canary/resume").json()["data"]["paused"] is False
        unrated = api.request("DELETE", f"{BASE}/tasks/enrich-events/rate").json()["data"]
        assert unrated["perMinute"] is None
        assert api.get(f"{BASE}/controls").json()["data"]["limits"] == []


def test_bodies_are_strict_and_names_must_be_known(profile: LocalProfile) -> None:
    with serve_on_loopback(profile) as (url, token):
        api = Api(url, token, profile)
        limit = f"{BASE}/queues/email/limit"
        rate = f"{BASE}/tasks/canary/rate"
        for body, expected in (
            ({"limit": 2, "extra": 1}, [(["extra"], "unrecognized_keys")]),
            ({"limit": "2"}, [(["limit"], "invalid_type")]),
            ({"limit": True}, [(["limit"], "invalid_type")]),
            ({"limit": 2.5}, [(["limit"], "invalid_type")]),
            ({}, [(["limit"], "invalid_type")]),
            ({"limit": 0}, [(["limit"], "too_small")]),
            ({"limit": 1001}, [(["limit"], "too_big")]),
            ({"limit": 2, "scope": "planet"}, [(["scope"], "invalid_enum_value")]),
        ):
            assert _issues(api.request("PUT", limit, json=body)) == expected, body
        for body, expected in (
            ({"perMinute": -5}, [(["perMinute"], "too_small")]),
            ({"perMinute": 10**9}, [(["perMinute"], "too_big")]),
            ({"perMinute": None}, [(["perMinute"], "invalid_type")]),
            ({"rate": 5}, [(["rate"], "unrecognized_keys"), (["perMinute"], "invalid_type")]),
        ):
            assert _issues(api.request("PUT", rate, json=body)) == expected, body
        # A change that takes no body refuses one.
        assert _issues(api.post(f"{BASE}/tasks/canary/pause", json={"x": 1})) == [
            (["x"], "unrecognized_keys")
        ]
        assert _issues(api.request("DELETE", limit, json={"limit": 2})) == [
            (["limit"], "unrecognized_keys")
        ]
        for method, path, body, error in (
            ("PUT", "/queues/nope/limit", {"limit": 2}, "Queue not found"),
            ("DELETE", "/queues/nope/limit", None, "Queue not found"),
            ("POST", "/tasks/nope/pause", None, "Task not found"),
            ("POST", "/tasks/nope/resume", None, "Task not found"),
            ("PUT", "/tasks/nope/rate", {"perMinute": 5}, "Task not found"),
            ("DELETE", "/tasks/nope/rate", None, "Task not found"),
        ):
            missing = api.request(method, BASE + path, json=body)
            assert (missing.status_code, missing.json()) == (
                404,
                {"success": False, "error": error},
            )
        assert api.get(f"{BASE}/tasks/canary/pause").status_code == 405
        assert api.get(f"{BASE}/controls").json()["data"]["limits"] == []


def test_admin_only(profile: LocalProfile) -> None:
    with serve_on_loopback(profile) as (url, token):
        api = Api(url, token, profile)
        viewer = issue_token(signing_secret(profile), "VIEWER", "viewer-1", 600)
        for method, path, body, _word, _action in [
            ("GET", "/controls", None, "", ""),
            *CHANGES,
        ]:
            refused = api.request(method, BASE + path, token=viewer, json=body)
            assert (refused.status_code, refused.json()) == (
                403,
                {"success": False, "error": "Forbidden: Admin access required"},
            ), path
            anonymous = api.request(method, BASE + path, token=None, json=body)
            assert (anonymous.status_code, anonymous.json()) == (
                401,
                {"success": False, "error": "Unauthorized"},
            )
        # Nothing changed, nothing recorded.
        assert api.get(f"{BASE}/controls").json()["data"]["limits"] == []
        assert api.get(f"{BASE}/audit").json()["data"] == []


def test_a_read_only_server_refuses_each_change_and_records_it(profile: LocalProfile) -> None:
    with serve_on_loopback(profile, read_only=True) as (url, token):
        api = Api(url, token, profile)
        for method, path, body, word, _action in CHANGES:
            refused = api.request(method, BASE + path, json=body)
            assert (refused.status_code, refused.json()) == (
                403,
                {"success": False, "error": f"{word} is disabled: this backend is read-only"},
            )
            assert refused.headers["X-Ygmon-Read-Only"] == "true"
        assert api.get(f"{BASE}/controls").status_code == 200
        records = api.get(f"{BASE}/audit", params={"pageSize": 100}).json()["data"]
        assert sorted((r["action"], r["outcome"], r["actor"]) for r in records) == sorted(
            (action, "refused", "admin-1") for *_, action in CHANGES
        )
