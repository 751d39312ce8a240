"""The live stream (GET /api/admin/jobs/stream) and the batched snapshot, against a real
`ygmon serve` on loopback: the snapshot equals the polled endpoints, changes arrive as
events, Last-Event-ID resumes, the token's expiry and a role downgrade end it, and a
user's streams are limited with the contract's 429."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from httpx_sse import ServerSentEvent, connect_sse
from servers import (
    TEST_SECRET,
    Api,
    admin_token,
    bearer,
    serve_on_loopback,
    sqlite_profile,
)

from ygmon.api.auth import issue_token
from ygmon.monitor.live_topics import TOPICS

STREAM = "/api/admin/jobs/stream"
TOO_MANY = {"success": False, "error": "Too many requests. Please try again later."}


@contextmanager
def open_stream(
    base_url: str, token: str | None, **headers: str
) -> Iterator[tuple[httpx.Response, Iterator[ServerSentEvent]]]:
    sent = {k.replace("_", "-"): v for k, v in headers.items()}
    if token is not None:
        sent.update(bearer(token))
    timeout = httpx.Timeout(30, read=60)
    with (
        httpx.Client(base_url=base_url, timeout=timeout) as client,
        connect_sse(client, "GET", STREAM, headers=sent) as source,
    ):
        events = source.iter_sse() if source.response.status_code == 200 else iter(())
        yield source.response, events


def next_event(events: Iterator[ServerSentEvent], name: str, deadline: float = 60) -> dict:
    """The data of the next event called `name` (others are skipped)."""
    end = time.monotonic() + deadline
    for event in events:
        if event.event == name:
            return json.loads(event.data)
        assert time.monotonic() < end, f"no {name!r} event in {deadline} s"
    raise AssertionError(f"the stream closed before a {name!r} event")


def test_snapshot_equals_the_polled_endpoints(api: Api) -> None:
    with open_stream(api.base_url, api.token) as (response, events):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        first = next(events)
    assert first.event == "snapshot" and first.id
    snapshot = json.loads(first.data)
    assert set(snapshot) == set(TOPICS)
    for name, topic in TOPICS.items():
        if name == "failedCount":
            polled = api.get("/api/admin/jobs/failed?pageSize=1").json()["pagination"]["total"]
            assert polled == 2  # the seeded bad-1 and bad-2
        else:
            polled = api.get("/api/admin/jobs" + topic.endpoint).json()["data"]
        assert snapshot[name] == polled, name
    batched = api.get("/api/admin/jobs/snapshot")
    assert batched.json()["data"] == snapshot
    # The same answer again is a 304 without a body.
    again = api.get("/api/admin/jobs/snapshot", headers={"If-None-Match": batched.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert "X-RateLimit-Remaining" in again.headers


def test_topics_narrow_the_stream_and_an_unknown_one_is_refused(api: Api) -> None:
    with httpx.Client(base_url=api.base_url, headers=bearer(api.token), timeout=30) as client:
        with connect_sse(client, "GET", STREAM + "?topics=queues,health") as source:
            first = next(source.iter_sse())
        assert set(json.loads(first.data)) == {"queues", "health"}
        refused = client.get(STREAM + "?topics=queues,nope")
    assert refused.status_code == 400
    assert refused.json()["error"] == "Invalid query parameters"
    assert refused.json()["details"][0]["path"] == ["topics"]


def _enqueue(profile, job_id: str) -> None:
    from ygmon.jobs.runtime import open_runtime

    with open_runtime(profile) as rt:
        rt.enqueue("canary", job_id=job_id)


def _maintenance(queues: list[dict]) -> dict:
    return next(q for q in queues if q["name"] == "maintenance")


def test_enqueued_and_finished_jobs_arrive_as_events_and_last_event_id_resumes(
    tmp_path: Path,
) -> None:
    from ygmon.jobs.runtime import open_runtime
    from ygmon.jobs.worker import in_process_worker

    profile = sqlite_profile(tmp_path)
    with serve_on_loopback(profile) as (base_url, token):
        with open_stream(base_url, token) as (_, events):
            snapshot = next_event(events, "snapshot")
            assert _maintenance(snapshot["queues"])["waiting"] == 0
            _enqueue(profile, "live-1")
            while _maintenance(next_event(events, "queues"))["waiting"] != 1:
                pass
            with (
                open_runtime(profile) as rt,
                in_process_worker(profile, ["maintenance"], runtime=rt),
            ):
                rt.wait_idle(30, queues=["maintenance"])
            while _maintenance(queues := next_event(events, "queues"))["completed"] < 1:
                pass
            assert _maintenance(queues)["waiting"] == 0
        # Reading the last id needs the events themselves: take it from a fresh stream.
        with (
            httpx.Client(base_url=base_url, headers=bearer(token), timeout=30) as client,
            connect_sse(client, "GET", STREAM) as source,
        ):
            last_id = next(source.iter_sse()).id
        _enqueue(profile, "live-2")
        with open_stream(base_url, token, Last_Event_ID=last_id) as (_, events):
            seen = []
            waiting_seen = resumed_seen = False
            # The change may come before `resumed` (sent on, when the feed read it
            # before this stream opened) or after it (read at the next interval).
            for event in events:
                seen.append((event.event, json.loads(event.data)))
                resumed_seen |= event.event == "resumed"
                waiting_seen |= event.event == "queues" and (
                    _maintenance(seen[-1][1])["waiting"] == 1
                )
                if resumed_seen and waiting_seen:
                    break
            # What happened meanwhile (read now or at the reader's next interval), never
            # a full snapshot, and the word that it resumed from the id sent.
            assert "snapshot" not in [name for name, _ in seen]
            assert ("resumed", {"from": int(last_id.split("-")[1])}) in seen
        with open_stream(base_url, token, Last_Event_ID="0123abcd-5") as (_, events):
            assert next(events).event == "snapshot"  # an id of another server process


def test_one_reader_serves_every_stream(tmp_path: Path) -> None:
    profile = sqlite_profile(tmp_path, max_streams=5)
    apps: list = []
    with serve_on_loopback(profile, apps=apps) as (base_url, token):
        feed = apps[0].state.feed
        with (
            open_stream(base_url, token) as (_, a),
            open_stream(base_url, token) as (_, b),
            open_stream(base_url, token) as (_, c),
        ):
            for events in (a, b, c):
                next_event(events, "snapshot")
            reads, began = feed.reads, time.monotonic()
            time.sleep(4)
            elapsed = time.monotonic() - began
        # At most one read a second (plus the one under way), not one per viewer.
        assert feed.reads - reads <= elapsed / feed.every + 1


def test_a_stream_is_one_request_and_a_user_holds_a_limited_number(tmp_path: Path) -> None:
    profile = sqlite_profile(tmp_path, max_streams=2)
    with (
        serve_on_loopback(profile) as (base_url, token),
        open_stream(base_url, token) as (first, a),
    ):
        assert first.headers["X-RateLimit-Remaining"] == "99"
        next_event(a, "snapshot")
        with open_stream(base_url, token) as (second, _):
            assert second.status_code == 200
            with open_stream(base_url, token) as (third, _):
                assert third.status_code == 429
                assert third.read() and third.json() == TOO_MANY
                assert int(third.headers["Retry-After"]) >= 1
                assert third.headers["X-RateLimit-Limit"] == "100"
            # Another admin has streams of its own.
            other = issue_token(TEST_SECRET, "ADMIN", "admin-2", 600)
            with open_stream(base_url, other) as (theirs, _):
                assert theirs.status_code == 200
        time.sleep(2.5)  # a held stream spends nothing more
        check = httpx.get(base_url + "/api/admin/jobs/health", headers=bearer(token))
        # Three streams opened (one refused) and this request: four in the window.
        assert check.headers["X-RateLimit-Remaining"] == "96"
        # The second stream closed, so its place is free again.
        with open_stream(base_url, token) as (again, _):
            assert again.status_code == 200


def test_who_may_stream(api: Api) -> None:
    # Issue 23 asks that "a VIEWER can stream"; the contract (FACTS.md, Access) makes every
    # /api/admin/jobs/* endpoint ADMIN's alone, and the contract wins: an ADMIN streams,
    # VIEWER, CREATOR and BRAND get its 403, a client without a token its 401.
    with open_stream(api.base_url, api.token) as (response, events):
        assert response.status_code == 200
        assert next(events).event == "snapshot"
    for bad in (None, "not-a-jwt"):
        with open_stream(api.base_url, bad) as (response, _):
            assert response.status_code == 401
            assert response.read() and response.json() == {
                "success": False,
                "error": "Unauthorized",
            }
    for role in ("VIEWER", "CREATOR", "BRAND"):
        token = issue_token(TEST_SECRET, role, f"{role.lower()}-1", 600)
        with open_stream(api.base_url, token) as (response, _):
            assert response.status_code == 403, role
            assert response.read() and response.json() == {
                "success": False,
                "error": "Forbidden: Admin access required",
            }


def test_read_only_server_streams(tmp_path: Path) -> None:
    profile = sqlite_profile(tmp_path)
    with (
        serve_on_loopback(profile, read_only=True) as (base_url, token),
        open_stream(base_url, token) as (response, events),
    ):
        assert response.headers["X-Ygmon-Read-Only"] == "true"
        assert next(events).event == "snapshot"


def test_the_stream_ends_when_the_token_expires(api: Api) -> None:
    token = admin_token(api.profile, "short-lived", ttl=3)
    with open_stream(api.base_url, token) as (response, events):
        assert response.status_code == 200
        assert next_event(events, "end", deadline=30) == {"reason": "token expired"}
        assert list(events) == []  # and the server closed it
    with open_stream(api.base_url, token) as (response, _):
        assert response.status_code == 401


def test_a_server_with_streams_off_answers_404(tmp_path: Path) -> None:
    profile = sqlite_profile(tmp_path, max_streams=0)
    with serve_on_loopback(profile) as (base_url, token):
        with open_stream(base_url, token) as (response, _):
            assert response.status_code == 404
        assert httpx.get(base_url + "/api/admin/jobs/snapshot", headers=bearer(token)).is_success


async def _admin_user(url: str) -> str:
    from ygmon.db import Database
    from ygmon.db.models import User
    from ygmon.enums import UserRole

    db = Database(url)
    async with db.writer() as session:
        user = User(email="streamer@x.test", name="streamer", role=UserRole.ADMIN)
        session.add(user)
        await session.flush()
        user_id = user.id
    await db.dispose()
    return user_id


async def _demote(url: str, user_id: str) -> None:
    from sqlalchemy import update

    from ygmon.db import Database
    from ygmon.db.models import User
    from ygmon.enums import UserRole

    db = Database(url)
    async with db.writer() as session:
        await session.execute(update(User).where(User.id == user_id).values(role=UserRole.VIEWER))
    await db.dispose()


@pytest.mark.xdist_group("sleepy-b")
def test_a_role_downgrade_ends_the_stream(tmp_path: Path) -> None:
    import asyncio

    profile = sqlite_profile(tmp_path, require_known_users=True)
    user_id = asyncio.run(_admin_user(profile.database_url))
    token = issue_token(TEST_SECRET, "ADMIN", user_id, 600)
    with (
        serve_on_loopback(profile) as (base_url, _),
        open_stream(base_url, token) as (response, events),
    ):
        assert response.status_code == 200
        next_event(events, "snapshot")
        asyncio.run(_demote(profile.database_url, user_id))
        # The role is checked every 5 s and cached for 10 s by the guard's reader.
        assert next_event(events, "end", deadline=45) == {"reason": "role changed"}
